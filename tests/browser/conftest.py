"""Fixtures for the real-browser tests (helpers and settings: tests/browser/support.py)."""

from urllib.parse import urlsplit

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, PLACEHOLDER_IMAGE


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Extends pytest-playwright's own fixture, so --headed and --slowmo still work.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_page(page, live_server):
    """A page whose requests stay on the live server."""
    origin = _origin(live_server.url)

    def route(route):
        if _origin(route.request.url) == origin:
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER_IMAGE)
        else:
            route.abort()

    page.context.route("**/*", route)
    return page


def _origin(url):
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
