"""Fixtures for the real-browser tests (helpers and settings: tests/browser/support.py)."""

import contextlib
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error, expect

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, PLACEHOLDER_IMAGE

# expect() waits up to 5 s by default. Two test workers with a live server and
# a browser each share the machine's two cores, and under other load a
# round trip (an undo restoring a highlight, say) was seen to take longer.
# The states waited for are the same; only the patience is longer.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Extends pytest-playwright's own fixture, so --headed and --slowmo still work.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _keep_on(live_server):
    """A route handler that lets a page reach only the live server (images elsewhere
    get a placeholder)."""
    origin = _origin(live_server.url)

    def route(route):
        if _origin(route.request.url) == origin:
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER_IMAGE)
        else:
            route.abort()

    return route


@pytest.fixture
def live_page(page, live_server):
    """A page whose requests stay on the live server."""
    in_flight = _keep_on_live_server(page.context, live_server)
    yield page
    _quiet(page.context, in_flight)


@pytest.fixture
def new_context(browser, live_server):
    """browser.new_context(**options), kept on the live server as live_page is, and
    quieted and closed before the test database is flushed."""
    opened = []

    def new(**options):
        context = browser.new_context(**options)
        opened.append((context, _keep_on_live_server(context, live_server)))
        return context

    yield new
    for context, in_flight in opened:
        _quiet(context, in_flight)
        context.close()


@pytest.fixture
def second_page(new_context):
    """A page in a browser context of its own (its own cookies), kept on the live server."""
    return new_context().new_page()


def _keep_on_live_server(context, live_server):
    """Keep the context's pages on the live server; return the set of their requests
    on their way (the browser's view of them: _quiet waits for it to empty)."""
    context.route("**/*", _keep_on(live_server))
    in_flight = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    return in_flight


def _quiet(context, in_flight):
    """Let the context's last requests finish, and stop any other reaching the server.

    This teardown runs before the test database is flushed, the context's closing
    (for pytest-playwright's `page`) only after: a request still on its way, a
    later one (the reader posts its position now and then), or the position
    beacon the reader sends when the page is hidden would otherwise reach the live
    server in the middle of the flush (on PostgreSQL the TRUNCATE then deadlocks
    with the request's transaction, and the next test starts on the last one's rows).
    """
    # First no new request may leave (the last route added is the first asked) ...
    try:
        context.route("**/*", lambda route: route.abort())
    except Error:  # the test closed it: nothing left to send anything
        return
    # ... nor the beacon of a page being left: Playwright's routes (and offline mode)
    # do not see a sendBeacon() made as the page unloads, which still reaches the server.
    for page in context.pages:
        with contextlib.suppress(Error):
            page.evaluate("() => { navigator.sendBeacon = () => true; }")
    # Then wait up to 30 s for those already on their way: on a loaded machine a
    # request can take seconds, and one the browser gives up on still runs to its
    # end in the live server. (A Playwright call, not time.sleep: events arrive in one.)
    for _ in range(300):
        if not in_flight or not context.pages:
            break
        context.pages[0].wait_for_timeout(100)
    for page in context.pages:
        with contextlib.suppress(Error):
            page.goto("about:blank")


def _origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
