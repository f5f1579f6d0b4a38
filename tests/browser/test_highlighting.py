"""Highlighting in a real browser: select, highlight, recolour, reload, delete."""

import pytest
from playwright.sync_api import expect

from articles.models import Highlight
from articles.originals import create_article
from tests.browser.support import assert_no_axe_violations, console_problems, login

pytestmark = pytest.mark.browser

# Inline formatting, a link, a list, a quote and a table: selections cross all of them.
NOTE = """# Ferry notes

The ferries carry *eleven thousand* people a day across the [harbour](https://example.org/h).

The council voted to replace every diesel boat with a battery boat by 2030 😀.

- Charging points at the north pier
- Charging points at the south pier

> Every morning the exhaust drifts over the quay.

| Boat | Year |
|------|------|
| Kestrel | 1987 |
"""

SELECT = """([startText, startOffset, endText, endOffset]) => {
  // Select from the given offset in the first text node containing startText
  // to the given offset in the first text node containing endText.
  const root = document.querySelector("[data-canonical-root]");
  const find = (needle) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.includes(needle)) return n;
    throw new Error("no text node with " + needle);
  };
  const start = find(startText), end = find(endText);
  const range = document.createRange();
  range.setStart(start, start.data.indexOf(startText) + startOffset);
  range.setEnd(end, end.data.indexOf(endText) + endOffset);
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true}));
}"""


@pytest.fixture
def article(live_server, team, owner):
    return create_article(team, NOTE, user=owner, filename="notes.md")


@pytest.fixture
def reader(live_page, live_server, owner, article):
    problems = console_problems(live_page)
    login(live_page, live_server, owner)
    live_page.goto(f"{live_server.url}/articles/{article.pk}/")
    yield live_page
    assert not problems, problems


def select(page, start_text, start_offset, end_text, end_offset):
    page.evaluate(SELECT, [start_text, start_offset, end_text, end_offset])


def highlight_with(page, label):
    toolbar = page.locator("#highlight-toolbar")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name=f"Highlight as {label}").click()


@pytest.mark.parametrize(
    ("start", "end", "exact"),
    [
        (("carry", 0), ("carry", 5), "carry"),
        (("eleven", 0), (" people", 7), "eleven thousand people"),  # out of <em>
        (("across the", 7), ("harbour", 7), "the harbour"),  # into a link
        (("battery boat", 0), ("2030", 4), "battery boat by 2030"),
        (("by 2030", 3), ("Charging points at the north", 8), "2030 😀.\nCharging"),  # into a list
        (("north pier", 6), ("south", 5), "pier\nCharging points at the south"),
        (("exhaust", 0), ("Kestrel", 7), "exhaust drifts over the quay.\nBoat\nYear\nKestrel"),
    ],
)
def test_a_selection_becomes_a_highlight_with_the_same_text(reader, article, start, end, exact):
    select(reader, *start, *end)
    highlight_with(reader, "Key point")
    expect(reader.locator("mark.hl").first).to_be_visible()
    highlight = Highlight.objects.get()
    assert highlight.exact == exact
    assert article.text[highlight.start : highlight.end] == exact
    # Every mark of this highlight is inside the article body and shows its words.
    marks = reader.locator(f'mark[data-highlight-id="{highlight.pk}"]')
    assert "".join(marks.all_inner_texts()).replace("\n", "") == exact.replace("\n", "")


def test_highlights_survive_a_reload_and_can_be_recoloured_and_deleted(reader, article):
    select(reader, "diesel boat", 0, "diesel boat", 11)
    highlight_with(reader, "Evidence")
    expect(reader.locator("mark.hl-green")).to_have_text("diesel boat")

    reader.reload()
    mark = reader.locator("mark.hl-green")
    expect(mark).to_have_text("diesel boat")
    panel = reader.locator("#annotation-panel")
    expect(panel.locator(".highlight-quote")).to_contain_text("diesel boat")
    expect(panel.locator(".colour-label")).to_have_text("Evidence")

    panel.get_by_role("link", name="Note, colour…").click()
    panel.get_by_role("button", name="Mark as Disagree").click()
    expect(reader.locator("mark.hl-red")).to_have_text("diesel boat")
    expect(panel.locator(".colour-label")).to_have_text("Disagree")

    panel.get_by_role("link", name="Note, colour…").click()
    panel.get_by_role("button", name="Delete").click()
    expect(reader.locator("mark.hl")).to_have_count(0)
    expect(panel).to_contain_text("Select text in the article to highlight it.")
    assert not Highlight.objects.exists()


def test_the_h_key_highlights_the_selection(reader, article):
    select(reader, "battery boat", 0, "battery boat", 7)
    reader.keyboard.press("h")
    expect(reader.locator("mark.hl-yellow")).to_have_text("battery")


def test_clicking_a_panel_entry_goes_to_its_mark(reader, article):
    select(reader, "Kestrel", 0, "Kestrel", 7)
    highlight_with(reader, "Question")
    reader.locator("#annotation-panel .highlight-quote").click()
    expect(reader.locator("mark.hl-blue:target")).to_have_text("Kestrel")


def test_selections_outside_the_article_are_ignored(reader):
    reader.evaluate(
        """() => {
            const h1 = document.querySelector(".reader-header h1");
            const range = document.createRange();
            range.selectNodeContents(h1);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true}));
        }"""
    )
    expect(reader.locator("#highlight-toolbar")).to_be_hidden()
    reader.keyboard.press("h")
    reader.wait_for_timeout(200)
    assert not Highlight.objects.exists()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_with_highlights_and_the_panel(reader, article, scheme):
    reader.emulate_media(color_scheme=scheme)
    for colour, words in (
        ("Key point", "carry"),
        ("Evidence", "battery"),
        ("Question", "quay"),
        ("Disagree", "Kestrel"),
    ):
        select(reader, words, 0, words, len(words))
        highlight_with(reader, colour)
        expect(reader.locator(f'mark:has-text("{words}")')).to_be_visible()
    assert_no_axe_violations(reader, f"reader with highlights ({scheme})")


def test_the_n_key_highlights_and_opens_the_note(reader, article):
    select(reader, "diesel boat", 0, "diesel boat", 6)
    reader.keyboard.press("n")
    textarea = reader.locator("#annotation-panel").get_by_label("Note", exact=True)
    expect(textarea).to_be_focused()
    textarea.fill("Is the *whole* fleet diesel?")
    reader.get_by_role("button", name="Save note").click()
    expect(reader.locator("#annotation-panel .note em")).to_have_text("whole")
    highlight = Highlight.objects.get()
    assert (highlight.exact, highlight.note) == ("diesel", "Is the *whole* fleet diesel?")


def test_a_mark_leads_to_its_entry_and_an_entry_to_its_mark(reader, article):
    select(reader, "quay", 0, "quay", 4)
    highlight_with(reader, "Question")
    mark = reader.locator("mark.hl-blue")
    entry_link = reader.locator("#annotation-panel [data-highlight-link]")
    mark.click()
    expect(entry_link).to_be_focused()
    entry_link.click()
    expect(mark).to_be_focused()


def test_deleting_a_highlight_with_a_note_asks_and_can_be_undone(reader, article):
    select(reader, "Kestrel", 0, "Kestrel", 7)
    reader.keyboard.press("n")
    reader.locator("#annotation-panel").get_by_label("Note", exact=True).fill("Built in 1987")
    reader.get_by_role("button", name="Save note").click()
    expect(reader.locator("#annotation-panel .note")).to_have_text("Built in 1987")

    reader.locator("#annotation-panel").get_by_role("link", name="Edit").click()
    reader.once("dialog", lambda dialog: dialog.dismiss())
    reader.locator("#annotation-panel").get_by_role("button", name="Delete", exact=True).click()
    reader.wait_for_timeout(300)
    assert Highlight.objects.count() == 1

    reader.once("dialog", lambda dialog: dialog.accept())
    reader.locator("#annotation-panel").get_by_role("button", name="Delete", exact=True).click()
    expect(reader.locator("mark.hl")).to_have_count(0)
    assert not Highlight.objects.exists()

    reader.locator("#reader-status").get_by_role("button", name="Undo").click()
    expect(reader.locator("mark.hl")).to_have_text("Kestrel")
    expect(reader.locator("#annotation-panel .note")).to_have_text("Built in 1987")


def test_notes_on_the_article(reader, article):
    panel = reader.locator("#annotation-panel")
    panel.get_by_text("Add a note on the article").click()
    panel.get_by_label("Note on the article").fill("Compare with **last year's** budget")
    panel.get_by_role("button", name="Add note").click()
    expect(panel.locator(".article-note .note strong")).to_have_text("last year's")


def test_on_a_phone_the_panel_is_a_drawer(reader, article):
    reader.set_viewport_size({"width": 360, "height": 740})
    select(reader, "battery boat", 0, "battery boat", 12)
    highlight_with(reader, "Evidence")
    panel = reader.locator("#annotation-panel")
    toggle = reader.get_by_role("button", name="Highlights and notes")
    expect(panel).to_be_hidden()
    toggle.click()
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(panel.locator(".colour-label")).to_have_text("Evidence")
    assert_no_axe_violations(reader, "phone drawer open")
    panel.locator("[data-highlight-link]").click()
    expect(panel).to_be_hidden()
    expect(reader.locator("mark.hl-green")).to_be_focused()
    assert reader.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_a_selection_made_without_a_pointer_shows_the_toolbar(reader, article):
    # Touch handles and assistive technology change the selection without a
    # pointerup: the toolbar follows selectionchange too.
    reader.evaluate(
        """() => {
            const root = document.querySelector("[data-canonical-root]");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.data.includes("council")) node = walker.nextNode();
            const range = document.createRange();
            const at = node.data.indexOf("council");
            range.setStart(node, at);
            range.setEnd(node, at + 7);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    toolbar = reader.locator("#highlight-toolbar")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Highlight as Disagree").click()
    expect(reader.locator("mark.hl-red")).to_have_text("council")


def test_undo_brings_back_a_highlight_with_its_note_and_three_replies(
    reader, article, owner, teammate, team_admin
):
    from articles.highlighting import create_highlight
    from articles.models import Reply

    start = article.text.index("Kestrel")
    highlight = create_highlight(article, owner, start, start + 7, "green")[0]
    highlight.set_note("Built in 1987")
    replies = []
    for author, body in ((teammate, "Still running"), (team_admin, "Until 2030"), (owner, "Ok")):
        reply = Reply(highlight=highlight, author=author)
        reply.set_body(body)
        replies.append(reply.pk)
    reader.reload()
    panel = reader.locator("#annotation-panel")
    expect(panel.locator(".reply")).to_have_count(3)

    panel.get_by_role("link", name="Edit").click()
    messages = []
    reader.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    panel.get_by_role("button", name="Delete", exact=True).click()
    expect(reader.locator("mark.hl")).to_have_count(0)
    expect(panel.locator(".reply")).to_have_count(0)
    assert "its note and its 3 replies" in messages[0]

    reader.locator("#reader-status").get_by_role("button", name="Undo").click()
    expect(reader.locator("mark.hl")).to_have_text("Kestrel")
    expect(panel.locator(".reply")).to_have_count(3)
    back = Highlight.objects.get()
    assert back.pk == highlight.pk
    assert [reply.pk for reply in back.replies.all()] == replies


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_trash_page_restores_and_has_no_axe_violations(reader, article, owner, scheme):
    from articles.highlighting import create_highlight, delete_highlight

    start = article.text.index("battery boat")
    highlight = create_highlight(article, owner, start, start + 12, "yellow")[0]
    highlight.set_note("Costed?")
    delete_highlight(highlight, owner)
    reader.emulate_media(color_scheme=scheme)
    reader.reload()
    reader.get_by_role("link", name="Deleted highlights and notes").click()
    expect(reader.get_by_role("heading", name="Highlights")).to_be_visible()
    assert_no_axe_violations(reader, f"the trash page ({scheme})")
    reader.get_by_role("button", name="Restore").click()
    expect(reader.get_by_text("Nothing of this article is in the trash.")).to_be_visible()
    assert Highlight.objects.get().pk == highlight.pk
