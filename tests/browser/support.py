"""Helpers for real-browser tests (Playwright + system Chromium).

The fixtures live in tests/browser/conftest.py, which uses the settings here:

- ``browser_type_launch_args``: launch Debian's /usr/bin/chromium (Playwright cannot
  download its own browser here; see TOOLCHAIN.md, "Browser tests").
- ``live_page``: pytest-playwright's ``page``, kept on the live server: requests to
  other hosts (article images point at example domains) get a local placeholder
  image instead of touching the network.

Helpers: ``login(page, live_server, user)``, ``console_problems(page)`` and
``assert_no_axe_violations(page)``. axe-core comes from npm (``make test-deps``).
"""

import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# What other hosts' images become: a neutral 16:9 box, so screenshots look like a page.
PLACEHOLDER_IMAGE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675">'
    b'<rect width="100%" height="100%" fill="#9aa0a6"/></svg>'
)


# page.evaluate(SELECT_WORDS, words): select the first occurrence of `words` in the
# article, as a person's selection (the toolbar listens for pointerup).
SELECT_WORDS = """(words) => {
  const root = document.querySelector("[data-canonical-root]");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.data.includes(words)) node = walker.nextNode();
  const range = document.createRange();
  const at = node.data.indexOf(words);
  range.setStart(node, at);
  range.setEnd(node, at + words.length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true}));
}"""


def settled(swapped):
    """Wait until htmx has processed an element it swapped in (the locator `swapped`).

    htmx wires up new content (hx-post and the like) in its settle step, 20 ms after
    the swap, later on a loaded machine. Until then the element's forms are plain
    forms: a click or shortcut submits the whole page, and the next check, expecting
    a swap, fails. A person never acts within those milliseconds; a test must wait.
    """
    expect(swapped).not_to_have_class(re.compile(r"\bhtmx-(added|settling)\b"))


def login(page, live_server, user, password=None):
    """Log in through the real login form; the page ends where the login redirects.

    `password` defaults to the tests' convention, "pw-" + username (tests/conftest.py).
    """
    username = user.get_username()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password if password is not None else f"pw-{username}")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if urlsplit(page.url).path == "/login/":
        error = page.locator(".form-error")
        message = error.inner_text() if error.count() else "no error message shown"
        raise AssertionError(f"Logging in as {username!r} failed: {message}")


def console_problems(page):
    """Start collecting uncaught page errors and console errors (CSP violations among them).

    Returns a list that fills as the page runs; assert it is empty at the end.
    """
    problems = []

    def on_console(message):
        if message.type == "error":
            problems.append(f"console error at {message.location.get('url')}: {message.text}")

    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", on_console)
    return problems


@functools.cache
def _axe_source():
    if not AXE_PATH.exists():
        pytest.fail(
            f"{AXE_PATH.relative_to(ROOT)} is missing: run `make test-deps` (or "
            "`npm install --no-save --no-audit --no-fund axe-core@4.14.1`)."
        )
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page, options=None):
    """Run axe-core on the page as it is now and return its violations.

    The app's CSP (script-src 'self') refuses the inline <script> that
    page.add_script_tag() adds, so axe is evaluated through the DevTools
    protocol instead, which the CSP does not govern. The page keeps its real
    policy, so the tests still see anything the policy would break.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "async (options) => (await axe.run(document, options || {})).violations", options
    )


def format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = ", ".join(str(selector) for selector in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def assert_no_axe_violations(page, label=None, options=None):
    """Fail with every violation's id, impact, help and target selectors, if there are any."""
    violations = axe_violations(page, options)
    if violations:
        where = label or page.url
        raise AssertionError(
            f"axe-core found {len(violations)} violation(s) on {where}:\n"
            + format_violations(violations)
        )
