"""Two teammates read the same article in two browsers and see each other's work."""

import pytest
from playwright.sync_api import expect

from articles.originals import create_article
from tests.browser.support import login

pytestmark = pytest.mark.browser

NOTE = (
    "# Ferry notes\n\n"
    + "\n\n".join(
        f"Paragraph {n}: the ferries carry eleven thousand people a day across the harbour."
        for n in range(40)
    )
    + "\n\nThe council voted to replace every diesel boat with a battery boat by 2030.\n"
)

SELECT = """([text, length]) => {
  const root = document.querySelector("[data-canonical-root]");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const at = n.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(n, at);
    range.setEnd(n, at + length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true}));
    return;
  }
  throw new Error("not found: " + text);
}"""


@pytest.fixture
def article(live_server, team, owner, teammate, settings):
    settings.LIVE_UPDATE_SECONDS = 1
    return create_article(team, NOTE, user=owner, filename="notes.md")


def open_reader(new_context, live_server, user, article):
    # new_context (tests/browser/conftest.py) keeps the page on the live server, and
    # stops its polling before the test database is flushed.
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(page, live_server, user)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    return page


def test_teammates_see_each_others_highlights_and_replies_appear(
    new_context, live_server, owner, teammate, article
):
    olivia = open_reader(new_context, live_server, owner, article)
    tariq = open_reader(new_context, live_server, teammate, article)

    # Olivia has scrolled down and is in the middle of selecting something.
    olivia.mouse.wheel(0, 900)
    olivia.wait_for_timeout(300)
    scrolled = olivia.evaluate("() => window.scrollY")
    assert scrolled > 0

    # Tariq highlights a passage and writes a note on it.
    tariq.evaluate(SELECT, ["battery boat", 12])
    tariq.locator("#highlight-toolbar").get_by_role("button", name="Highlight as Evidence").click()
    expect(tariq.locator("mark.hl-green")).to_have_text("battery boat")

    # It appears for Olivia without a reload, where she was.
    expect(olivia.locator("mark.hl-green")).to_have_text("battery boat", timeout=8000)
    expect(olivia.locator("#annotation-panel")).to_contain_text("tariq")
    assert abs(olivia.evaluate("() => window.scrollY") - scrolled) < 5

    # Olivia replies; Tariq sees the reply arrive.
    panel = olivia.locator("#annotation-panel")
    panel.get_by_role("link", name="Reply").click()
    panel.get_by_label("Reply", exact=True).fill("Has the council **costed** this?")
    panel.get_by_role("button", name="Reply", exact=True).click()
    expect(panel.locator(".reply strong")).to_have_text("costed")
    expect(tariq.locator("#annotation-panel .reply strong")).to_have_text("costed", timeout=8000)

    # While Tariq is selecting, updates wait: his selection is not cleared.
    tariq.evaluate(SELECT, ["Paragraph 3", 11])
    olivia.evaluate(SELECT, ["Paragraph 5", 11])
    olivia.locator("#highlight-toolbar").get_by_role("button", name="Highlight as Question").click()
    tariq.wait_for_timeout(2500)
    assert tariq.evaluate("() => getSelection().toString()") == "Paragraph 3"
    # Once he is done, it arrives.
    tariq.keyboard.press("Escape")
    tariq.evaluate("() => getSelection().removeAllRanges()")
    expect(tariq.locator("mark.hl-blue")).to_have_text("Paragraph 5", timeout=8000)


def test_an_outsider_sees_none_of_it(new_context, live_server, owner, outsider, article):
    page = new_context().new_page()
    login(page, live_server, outsider)
    for path in (f"/articles/{article.pk}/", f"/articles/{article.pk}/updates/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
