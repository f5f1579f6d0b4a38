"""Fixtures for the real-browser tests (helpers and settings: tests/browser/support.py)."""

from urllib.parse import urlsplit

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, PLACEHOLDER_IMAGE


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
    page.context.route("**/*", _keep_on(live_server))
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    _quiet(page, in_flight)


@pytest.fixture
def second_page(browser, live_server):
    """A page in a browser context of its own (its own cookies), kept on the live server."""
    context = browser.new_context()
    context.route("**/*", _keep_on(live_server))
    yield context.new_page()
    context.close()


def _quiet(page, in_flight):
    """Let the page's last requests finish, then stop it reaching the server.

    This teardown runs before the test database is flushed, the page's own
    only after: a request still on its way, or the position beacon the reader
    sends when the page is hidden, would otherwise reach the live server in
    the middle of the flush (on PostgreSQL the TRUNCATE then fails and the
    next test starts on the last one's rows).
    """
    # Up to 30 s: on a loaded machine a request can take seconds, and one the
    # browser gives up on below still runs to its end in the live server.
    for _ in range(300):
        if not in_flight:
            break
        page.wait_for_timeout(100)
    page.context.unroute_all(behavior="ignoreErrors")
    page.context.route("**/*", lambda route: route.abort())
    page.goto("about:blank")


def _origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
