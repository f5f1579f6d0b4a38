"""The bookmarklet on someone's page: select a sentence, save the page, highlight the sentence.

A local server plays the page's site; the fetch task runs in the request in
tests (tests/settings.py), and the save window's card follows it by polling.
"""

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from articles.models import Article, Capture, Highlight
from articles.sharing import bookmarklet_href
from tests.browser.support import assert_no_axe_violations, console_problems, login
from tests.factories import make_article
from tests.sites import serve

pytestmark = pytest.mark.browser

SENTENCE = "The council voted on Tuesday to replace every ferry with a battery boat."
PAGE = (
    "<!doctype html><html lang='en'><head><title>Harbour news</title></head><body>"
    "<nav>Home · Weather · Sport</nav><article><h1>Harbour news</h1>"
    "<p>The ferries carry eleven thousand people a day across the harbour water.</p>"
    f"<p>{SENTENCE}</p>"
    "<p>Work on the first of the new boats starts in the spring, at the old yard.</p>"
    "<p>The harbour master expects the crossings to be quieter and a little faster.</p>"
    "</article></body></html>"
).encode()

SELECT = """(sentence) => {
  const paragraph = [...document.querySelectorAll("p")].find((p) => p.textContent === sentence);
  const range = document.createRange();
  range.selectNodeContents(paragraph);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


@pytest.fixture
def site(settings):
    """The page's own site, which the app may fetch from here."""
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    with serve(default=PAGE) as local:
        yield local.url


def test_a_sentence_selected_on_a_page_is_saved_then_highlighted(
    live_page, live_server, team, owner, site
):
    page = live_page
    login(page, live_server, owner)
    # live_page keeps the browser on the app; this test visits the page's site too.
    page.route(f"{site}/**", lambda route: route.continue_())
    page.goto(f"{site}/harbour")
    page.evaluate(SELECT, SENTENCE)
    # The bookmarklet as the bookmarklet page gives it, run on the page.
    code = bookmarklet_href(f"{live_server.url}/save/").removeprefix("javascript:")
    with page.expect_popup() as opened:
        page.evaluate(code)
    window = opened.value
    problems = console_problems(window)
    window.wait_for_load_state()
    assert window.url.startswith(f"{live_server.url}/save/?")
    expect(window.get_by_label("Address of the page")).to_have_value(f"{site}/harbour")
    expect(window.locator(".save-form .hint")).to_contain_text(SENTENCE)

    window.get_by_role("button", name="Save").click()
    expect(window.locator(".save-result")).to_contain_text("Saved the address to Newsroom")
    # The card follows the fetch, then offers to highlight what was selected.
    card = window.locator(".capture-card")
    expect(card).to_contain_text("Ready: Harbour news", timeout=15_000)
    expect(card.locator("blockquote")).to_have_text(SENTENCE)
    assert_no_axe_violations(window, "the save window offering to highlight")

    card.get_by_role("button", name="Highlight it").click()
    expect(card).to_contain_text("Highlighted — open it in the reader")
    highlight = Highlight.objects.get()
    capture = Capture.objects.get()
    assert (highlight.exact, highlight.author, highlight.article) == (
        SENTENCE, owner, capture.article
    )  # fmt: skip
    assert capture.highlight == highlight and capture.selection == SENTENCE

    card.get_by_role("link", name="open it in the reader").click()
    expect(window).to_have_url(re.compile(rf"/articles/{capture.article_id}/#hl-{highlight.pk}$"))
    mark = window.locator(f"mark#hl-{highlight.pk}")
    expect(mark).to_have_text(SENTENCE)
    expect(mark).to_have_attribute("data-highlight-id", str(highlight.pk))
    assert problems == []


def test_without_javascript_an_article_the_team_has_is_highlighted_from_the_save_page(
    browser, live_server, team, owner
):
    article = make_article(team, "Ferries", url="https://example.org/ferries")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server, owner)
        shared = {
            "url": "https://example.org/ferries",
            "title": "Ferries",
            "selection": "replace every one of them with a battery boat",
        }
        page.goto(f"{live_server.url}/save/?{urlencode(shared)}")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".save-result")).to_contain_text("Already saved: “Ferries”.")
        expect(page.locator(".highlight-offer blockquote")).to_have_text(shared["selection"])
        page.get_by_role("button", name="Highlight it").click()
        highlight = Highlight.objects.get()
        assert highlight.article == article and highlight.exact == shared["selection"]
        expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/#hl-{highlight.pk}$"))
        expect(page.locator(f"mark#hl-{highlight.pk}")).to_have_text(shared["selection"])
    finally:
        context.close()
    assert Article.objects.count() == 1
