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
    toggle = reader.locator("#panel-toggle")
    expect(panel).to_be_hidden()
    toggle.click()
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_be_hidden()  # the drawer's handle closes it now
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


# Selecting where highlights already are: inside a mark, across marks, by mouse.

LONG = (
    "The harbour ferries carry eleven thousand people a day across the water, and the "
    "council has voted to replace every one of them with a battery boat by 2030, paid "
    "for partly by a climate bond and partly by the port's own reserves."
)


@pytest.fixture
def marked(live_server, team, owner):
    """A paragraph long enough to wrap, all of it one highlight, and a second short one."""
    article = create_article(
        team, f"# Marked\n\n{LONG}\n\nA second paragraph about the piers.\n", filename="m.md"
    )
    from articles.highlighting import create_highlight

    start = article.text.index(LONG)
    wide = create_highlight(article, owner, start, start + len(LONG), "yellow")[0]
    start = article.text.index("second paragraph")
    short = create_highlight(article, owner, start, start + 16, "green")[0]
    return {"article": article, "wide": wide, "short": short}


def word_point(page, word, end=False):
    """The page coordinates of the start (or end) of a word in the article."""
    return page.evaluate(
        """([word, end]) => {
            const root = document.querySelector("[data-canonical-root]");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.data.includes(word)) node = walker.nextNode();
            const range = document.createRange();
            const at = node.data.indexOf(word);
            range.setStart(node, end ? at + word.length - 1 : at);
            range.setEnd(node, end ? at + word.length : at + 1);
            const box = range.getBoundingClientRect();
            return {x: end ? box.right - 1 : box.left + 1, y: box.top + box.height / 2};
        }""",
        [word, end],
    )


def drag(page, start, end):
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move((start["x"] + end["x"]) / 2, (start["y"] + end["y"]) / 2, steps=4)
    page.mouse.move(end["x"], end["y"], steps=4)
    page.mouse.up()


@pytest.mark.parametrize("size", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}])
def test_a_drag_inside_a_wrapping_mark_makes_an_overlapping_highlight(
    live_page, live_server, owner, marked, size
):
    page = live_page
    problems = console_problems(page)
    page.set_viewport_size(size)
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/articles/{marked['article'].pk}/")
    wide = page.locator(f'mark[data-highlight-id="{marked["wide"].pk}"]')
    assert len(wide.first.evaluate("m => Array.from(m.getClientRects())")) >= 2, "no wrap"
    start, end = word_point(page, "thousand"), word_point(page, "battery", end=True)
    assert end["y"] > start["y"] + 5, "the drag should end on a later line"
    drag(page, start, end)
    toolbar = page.locator("#highlight-toolbar")
    expect(toolbar).to_be_visible()
    page.wait_for_timeout(400)  # longer than a click's wait before leading to the panel
    # The focus did not jump to the panel, and the drawer stayed shut.
    assert page.evaluate("() => !document.activeElement.closest('#annotation-panel')")
    expect(page.locator("#panel-drawer")).not_to_have_class("panel-drawer is-open")
    assert page.evaluate("() => getSelection().toString()").startswith("thousand people")
    toolbar.get_by_role("button", name="Highlight as Question").click()
    expect(page.locator("mark.hl-blue").first).to_be_visible()
    inner = Highlight.objects.get(colour="blue")
    assert inner.exact.startswith("thousand people a day") and inner.exact.endswith("battery")
    # Overlapping highlights: the new marks sit inside the old one's.
    expect(page.locator("mark.hl-yellow mark.hl-blue").first).to_be_visible()
    assert Highlight.objects.count() == 3
    assert problems == []


def test_a_selection_across_marks_and_a_double_click_inside_one(
    live_page, live_server, owner, marked
):
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/articles/{marked['article'].pk}/")
    # From inside the long highlight to inside the short one, in the next paragraph.
    drag(page, word_point(page, "reserves"), word_point(page, "paragraph", end=True))
    toolbar = page.locator("#highlight-toolbar")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Highlight as Disagree").click()
    expect(page.locator("mark.hl-red").first).to_be_visible()
    across = Highlight.objects.get(colour="red")
    assert across.exact.startswith("reserves.") and across.exact.endswith("second paragraph")
    # A double click in a mark selects a word there, without leading to the panel.
    point = word_point(page, "climate")
    page.mouse.dblclick(point["x"] + 3, point["y"])
    expect(toolbar).to_be_visible()
    assert page.evaluate("() => getSelection().toString().trim()") == "climate"
    page.wait_for_timeout(400)
    assert page.evaluate("() => !document.activeElement.closest('#annotation-panel')")
    page.keyboard.press("2")
    expect(page.locator("mark.hl-green", has_text="climate")).to_be_visible()
    # A plain click on a mark still leads to its entry.
    page.locator(f"#hl-{marked['short'].pk}").click()
    entry = page.locator(f"#item-{marked['short'].pk} [data-highlight-link]")
    expect(entry).to_be_focused()
    assert problems == []


@pytest.mark.parametrize("size", [{"width": 1280, "height": 800}, {"width": 360, "height": 740}])
def test_the_undo_notice_shows_after_deleting_from_the_bottom_of_a_long_panel(
    live_page, live_server, team, owner, size
):
    from articles.highlighting import create_highlight
    from tests.factories import make_article

    article = make_article(team, "Long", paragraphs=40)
    for n in range(40):
        start = article.text.index(f"Paragraph {n}.")
        create_highlight(article, owner, start, start + 9, "yellow")
    last = Highlight.objects.order_by("start").last()
    page = live_page
    problems = console_problems(page)
    page.set_viewport_size(size)
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    if size["width"] < 400:
        page.get_by_role("button", name="Highlights and notes", exact=True).click()
    item = page.locator(f"#item-{last.pk}")
    item.scroll_into_view_if_needed()
    item.get_by_role("link", name="Note, colour…").click()
    item.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator(f"#item-{last.pk}")).to_have_count(0)
    status = page.locator("#reader-status")
    expect(status).to_contain_text("Highlight deleted.")
    expect(status).to_be_in_viewport(ratio=1)
    # Nothing covers it (the drawer, its button).
    assert status.evaluate(
        """s => {
            const box = s.getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            return s.contains(document.elementFromPoint(x, y));
        }"""
    )
    status.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#item-{last.pk}")).to_have_count(1)
    assert Highlight.objects.filter(article=article).count() == 40
    assert problems == []


def test_a_refused_note_is_explained_next_to_its_editor(live_page, live_server, owner, article):
    reader = live_page
    problems = console_problems(reader)
    login(reader, live_server, owner)
    reader.goto(f"{live_server.url}/articles/{article.pk}/")
    select(reader, "Kestrel", 0, "Kestrel", 7)
    reader.keyboard.press("n")
    panel = reader.locator("#annotation-panel")
    textarea = panel.get_by_label("Note", exact=True)
    expect(textarea).to_be_focused()
    # The browser's maxlength stops typing past the limit; the server checks too.
    textarea.evaluate("t => t.removeAttribute('maxlength')")
    textarea.fill("x" * 10_001)
    panel.get_by_role("button", name="Save note").click()
    form = panel.locator("form:has(textarea[name=note])")
    error = form.get_by_role("alert")
    expect(error).to_contain_text("at most 10000 characters")
    expect(textarea).to_have_attribute("aria-invalid", "true")
    assert error.evaluate("e => e.id") == textarea.get_attribute("aria-describedby")
    expect(reader.locator("#reader-status")).to_be_empty()
    assert Highlight.objects.get().note == ""
    # Fixed, it saves.
    textarea.fill("Built in 1987")
    panel.get_by_role("button", name="Save note").click()
    expect(panel.locator(".note")).to_have_text("Built in 1987")
    # The refusal's status code is the only console message.
    assert len(problems) == 1 and "422" in problems[0], problems


def test_the_phone_drawer_closes_by_its_handle_and_its_button_steps_aside(reader, article):
    reader.set_viewport_size({"width": 360, "height": 740})
    select(reader, "battery boat", 0, "battery boat", 12)
    highlight_with(reader, "Evidence")
    toggle = reader.locator("#panel-toggle")
    panel = reader.locator("#annotation-panel")
    toggle.click()
    expect(panel).to_be_visible()
    # The floating button is out of the way while the drawer is open.
    expect(toggle).to_be_hidden()
    handle = reader.get_by_role("button", name="Close highlights and notes")
    expect(handle).to_be_visible()
    assert_no_axe_violations(reader, "phone drawer with its handle")
    handle.click()
    expect(panel).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
