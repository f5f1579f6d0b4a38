"""The browser extension (extension/) in Chromium: set up on its options page, then
save a page, and a selection as a highlight, from another site's tab.

The toolbar button and context menu cannot be clicked from Playwright, so the
tests call what their handlers call (savePage, saveSelection) in the extension's
service worker.
"""

import json
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from api.tokens import issue_token
from articles.models import Article, Highlight
from teams.models import Membership, Team
from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    assert_no_axe_violations,
    console_problems,
)
from tests.sites import serve

pytestmark = pytest.mark.browser

EXTENSION = ROOT / "extension"
BEFORE = "Before the vote, the harbour master spoke for an hour. "
SENTENCE = "The council voted to replace every diesel ferry with a battery boat by 2030."
AFTER = " Then the meeting closed and everyone went home."
PAGE = (
    "<!doctype html><html><head><title>Harbour news</title></head><body><article>"
    "<h1>Harbour news</h1>"
    + "<p>The ferries carry eleven thousand people a day across the harbour water.</p>" * 4
    + f"<p>{BEFORE}{SENTENCE}{AFTER}</p>"
    + "</article></body></html>"
).encode()

SELECT = """(text) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return;
  }
  throw new Error("not on the page: " + text);
}"""

# Runs in the service worker: what a click on the button or menu item runs, for the tab at `url`.
RUN_IN_TAB = """async ([name, url]) => {
  const tab = (await chrome.tabs.query({})).find((tab) => tab.url === url);
  if (name === "badge") return chrome.action.getBadgeText({tabId: tab.id});
  if (name === "readPage") {
    const [frame] = await chrome.scripting.executeScript(
      {target: {tabId: tab.id}, func: readPage, args: [true, 32]});
    return frame.result.selection;
  }
  return globalThis[name](tab);
}"""

# Which context-menu items exist (update() fails on unknown ids); onInstalled makes them, so wait.
MENUS = """async (ids) => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const found = await Promise.all(
      ids.map((id) => chrome.contextMenus.update(id, {}).then(() => true, () => false)));
    if (found.every(Boolean)) return ids;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}"""


@pytest.fixture
def page_server():
    """Another site (another origin than the live server) with the page to save."""
    with serve(default=PAGE) as site:
        yield site


@pytest.fixture
def extension(playwright, tmp_path):
    """Chromium with the unpacked extension: its context, service worker and options page."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            f"--disable-extensions-except={EXTENSION}",
            f"--load-extension={EXTENSION}",
        ],
    )
    worker = (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker")
    )
    extension_id = worker.url.split("/")[2]
    yield SimpleNamespace(
        context=context,
        worker=worker,
        options_url=f"chrome-extension://{extension_id}/options.html",
    )
    context.close()


def run_in_tab(extension, name, url):
    return extension.worker.evaluate(RUN_IN_TAB, [name, url])


def open_tab(extension, url):
    tab = extension.context.new_page()
    tab.goto(url)
    return tab


def test_it_saves_the_page_and_a_highlight_to_the_chosen_team(
    extension, live_server, team, teammate, other_team, page_server
):
    # Three teams: the one to choose, one the server would pick by default, one read-only.
    desk = Team.objects.create(name="Desk", slug="desk")
    Membership.objects.create(
        team=desk, user=teammate, role=Membership.Role.MEMBER, last_used_at=timezone.now()
    )
    Membership.objects.create(team=other_team, user=teammate, role=Membership.Role.READ_ONLY)
    _, secret = issue_token(teammate, name="Extension", scope="write")

    options = extension.context.new_page()
    problems = console_problems(options)
    options.goto(extension.options_url)
    assert_no_axe_violations(options, "extension options, empty")
    options.get_by_label("Server address").fill(live_server.url + "/")
    options.get_by_label("Personal access token").fill(secret)
    options.get_by_role("button", name="Test connection").click()
    status = options.get_by_role("status")
    expect(status).to_contain_text("Connected. This token sees")
    expect(status).to_contain_text("Elsewhere (read-only)")
    teams = options.get_by_label("Save to team")
    # Only the teams the token may add to.
    assert sorted(teams.locator("option").all_inner_texts()) == [
        "Desk",
        "Newsroom",
        "Your default team",
    ]
    teams.select_option(label="Newsroom")
    options.get_by_role("button", name="Save").click()
    expect(status).to_have_text("Saved.")
    assert_no_axe_violations(options, "extension options, saved")
    stored = extension.worker.evaluate("chrome.storage.local.get(null)")
    assert stored == {"server": live_server.url, "token": secret, "team": "newsroom"}

    url = f"{page_server.url}/harbour"
    tab = open_tab(extension, url)
    result = run_in_tab(extension, "savePage", url)
    assert result["kind"] == "ok", result["message"]
    assert result["message"] == "Saved “Harbour news”"
    assert run_in_tab(extension, "badge", url) == "✓"
    article = Article.objects.get()
    assert (article.team, article.added_by, article.title) == (team, teammate, "Harbour news")
    assert article.source_url == url
    assert SENTENCE in article.text
    assert result["data"]["article"]["reader_url"].startswith(live_server.url)

    # The selection, with up to 32 characters either side, as the page has them.
    tab.evaluate(SELECT, SENTENCE)
    assert run_in_tab(extension, "readPage", url) == {
        "exact": SENTENCE,
        "prefix": BEFORE[-32:],
        "suffix": AFTER[:32],
    }
    result = run_in_tab(extension, "saveSelection", url)
    assert result["kind"] == "ok", result["message"]
    assert result["message"] == "Highlighted in “Harbour news”"
    highlight = Highlight.objects.get()
    assert (highlight.article, highlight.author, highlight.exact) == (article, teammate, SENTENCE)
    assert Article.objects.count() == 1

    # Nothing went back to the page's own site.
    assert page_server.methods == {"GET"}
    assert problems == []


def test_the_options_page_shows_the_servers_error(extension, live_server, teammate):
    options = extension.context.new_page()
    options.goto(extension.options_url)
    status = options.get_by_role("status")

    options.get_by_label("Server address").fill("ftp://reader.example.org")
    options.get_by_label("Personal access token").fill("nr_not-a-token")
    options.get_by_role("button", name="Test connection").click()
    expect(status).to_have_text("The server's address must start with https:// or http://")

    # Whatever the server says about a wrong token is what the page shows.
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/teams/", headers={"Authorization": "Bearer nr_not-a-token"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    message = json.load(refused.value)["error"]["message"]
    options.get_by_label("Server address").fill(live_server.url)
    options.get_by_role("button", name="Test connection").click()
    expect(status).to_have_text(message)
    expect(status).to_have_class("error")
    assert_no_axe_violations(options, "extension options, with an error")


def test_it_adds_the_menus_and_opens_the_options_when_not_set_up(extension, page_server):
    menus = ["save-page", "save-selection"]
    assert extension.worker.evaluate(MENUS, menus) == menus
    url = f"{page_server.url}/harbour"
    open_tab(extension, url)
    with extension.context.expect_page() as opened:
        result = run_in_tab(extension, "savePage", url)
    assert result["kind"] == "error"
    assert opened.value.url == extension.options_url
    assert run_in_tab(extension, "badge", url) == "!"
    assert page_server.methods == {"GET"}
