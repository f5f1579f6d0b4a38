"""Every keyboard shortcut in a real browser, and that none fires while typing in a
field or with a modifier key held (static/js/shortcuts.js, selection-toolbar.js)."""

import pytest
from playwright.sync_api import expect

from articles.highlighting import create_highlight
from articles.models import ArticleState, Highlight
from tests.browser.support import (
    SELECT_WORDS,
    assert_no_axe_violations,
    console_problems,
    login,
    settled,
)
from tests.factories import make_article

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf(live_server, team, owner):
    """Three articles; the first with three highlights, one per paragraph, far apart."""
    first = make_article(team, "Alpha harbour", paragraphs=30)
    others = [make_article(team, title, paragraphs=2) for title in ("Beta", "Gamma")]
    highlights = []
    for n in (2, 14, 27):
        start = first.text.index(f"Paragraph {n}.")
        highlights.append(create_highlight(first, owner, start, start + 9, "yellow")[0])
    return {"article": first, "others": others, "highlights": highlights}


@pytest.fixture
def page(live_page, live_server, owner, shelf):
    problems = console_problems(live_page)
    login(live_page, live_server, owner)
    yield live_page
    assert problems == []


def reader(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.pk}/")


def test_j_and_k_go_through_the_highlights_and_enter_opens_one(page, live_server, shelf):
    reader(page, live_server, shelf["article"])
    marks = [page.locator(f"#hl-{highlight.pk}") for highlight in shelf["highlights"]]
    page.keyboard.press("j")
    expect(marks[0]).to_be_focused()
    page.keyboard.press("j")
    expect(marks[1]).to_be_focused()
    expect(marks[1]).to_be_in_viewport()
    page.keyboard.press("j")
    page.keyboard.press("j")  # past the last: stays there
    expect(marks[2]).to_be_focused()
    page.keyboard.press("k")
    expect(marks[1]).to_be_focused()
    # Enter leads from the mark to its entry in the panel.
    page.keyboard.press("Enter")
    entry = page.locator(f"#item-{shelf['highlights'][1].pk} [data-highlight-link]")
    expect(entry).to_be_focused()


def test_j_and_k_go_through_the_library_and_s_e_act_on_that_article(
    page, live_server, owner, shelf
):
    page.goto(f"{live_server.url}/")
    links = page.locator("#article-list .article-card h2 a")
    expect(links).to_have_count(3)
    page.keyboard.press("j")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("j")
    second = links.nth(1)
    title = second.inner_text()
    page.keyboard.press("s")
    card = page.locator(".article-card", has_text=title)
    expect(card.get_by_role("button", name="★ Starred")).to_be_visible()
    expect(card.locator("h2 a")).to_be_focused()
    settled(card.locator(".state-controls"))
    page.keyboard.press("e")
    expect(card.get_by_role("button", name="Archived · Unarchive")).to_be_visible()
    state = ArticleState.objects.get(article__title=title, user=owner)
    assert state.starred_at and state.archived_at


def test_g_then_l_goes_to_the_library_and_slash_to_search(page, live_server, shelf):
    reader(page, live_server, shelf["article"])
    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.locator("#site-search").blur()
    # "l" alone does nothing; "g" then "l" goes home.
    page.keyboard.press("l")
    page.wait_for_timeout(200)
    assert page.url.endswith(f"/articles/{shelf['article'].pk}/")
    with page.expect_navigation():
        page.keyboard.press("g")
        page.keyboard.press("l")
    assert page.url == f"{live_server.url}/"
    # On the library "/" goes to the library's own search box.
    page.keyboard.press("/")
    expect(page.locator("#library-q")).to_be_focused()


def test_question_mark_lists_every_shortcut(page, live_server, shelf):
    reader(page, live_server, shelf["article"])
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(help_dialog).to_be_visible()
    keys = help_dialog.locator("kbd").all_inner_texts()
    for key in ("?", "/", "g", "l", "j", "k", "s", "e", "1", "2", "3", "4", "h", "n", "Esc"):
        assert key in keys, f"{key} is not in the list of shortcuts"
    for meaning in ("Key point", "Evidence", "Question", "Disagree"):
        expect(help_dialog).to_contain_text(meaning)
    assert_no_axe_violations(page, "the list of shortcuts")
    # Shortcuts wait while it is open; Escape closes it.
    page.keyboard.press("j")
    expect(page.locator(f"#hl-{shelf['highlights'][0].pk}")).not_to_be_focused()
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    page.keyboard.press("?")
    help_dialog.get_by_role("button", name="Close").click()
    expect(help_dialog).to_be_hidden()


def test_number_keys_choose_the_meaning_and_h_repeats_the_last(page, live_server, shelf):
    article = shelf["article"]
    reader(page, live_server, article)
    toolbar = page.locator("#highlight-toolbar")
    page.evaluate(SELECT_WORDS, "Paragraph 5.")
    expect(toolbar).to_be_visible()
    # The meanings are named on the buttons, each with its key.
    for n, meaning in enumerate(("Key point", "Evidence", "Question", "Disagree"), start=1):
        button = toolbar.get_by_role("button", name=f"Highlight as {meaning}")
        expect(button).to_be_visible()
        expect(button).to_contain_text(meaning)
        expect(button).to_have_attribute(
            "title", f"{meaning} (key {n}" + (", or h: the last used)" if n == 1 else ")")
        )
    page.keyboard.press("3")
    expect(page.locator("mark.hl-blue")).to_have_text("Paragraph 5.")
    # "h" now means Question, and its button says so.
    question = toolbar.locator("button[value=blue]")  # the toolbar hides once used
    expect(question).to_have_attribute("title", "Question (key 3, or h: the last used)")
    page.evaluate(SELECT_WORDS, "Paragraph 6.")
    page.keyboard.press("h")
    expect(page.locator("mark.hl-blue")).to_have_count(2)
    page.evaluate(SELECT_WORDS, "Paragraph 7.")
    page.keyboard.press("4")
    expect(page.locator("mark.hl-red")).to_have_text("Paragraph 7.")
    # Remembered across pages.
    page.reload()
    page.evaluate(SELECT_WORDS, "Paragraph 8.")
    page.keyboard.press("h")
    expect(page.locator("mark.hl-red")).to_have_count(2)
    colours = dict(Highlight.objects.filter(article=article).values_list("exact", "colour"))
    assert colours["Paragraph 5."] == colours["Paragraph 6."] == "blue"
    assert colours["Paragraph 7."] == colours["Paragraph 8."] == "red"


def test_no_shortcut_fires_in_a_field_or_with_a_modifier(page, live_server, owner, shelf):
    article = shelf["article"]
    reader(page, live_server, article)
    url = page.url
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    first_mark = page.locator(f"#hl-{shelf['highlights'][0].pk}")

    # Typed into a field, every key is just text.
    search = page.locator("#site-search")
    search.click()
    page.keyboard.type("jk?seg l/1234hn")
    expect(search).to_have_value("jk?seg l/1234hn")
    expect(search).to_be_focused()
    search.fill("")
    # The tag field too, in the reader's header.
    tag = page.get_by_label("Add a tag")
    tag.click()
    page.keyboard.type("se")
    expect(tag).to_have_value("se")
    tag.fill("")
    tag.blur()

    # With a modifier, nothing happens either, with text selected or not.
    page.evaluate(SELECT_WORDS, "Paragraph 9.")
    expect(page.locator("#highlight-toolbar")).to_be_visible()
    for key in ("j", "k", "s", "e", "1", "2", "h", "n", "/"):
        for modifier in ("Control", "Alt", "Meta"):
            page.keyboard.press(f"{modifier}+{key}")
    page.keyboard.press("Alt+g")
    page.keyboard.press("l")
    page.keyboard.press("Control+Shift+?")
    page.wait_for_timeout(300)
    expect(help_dialog).to_be_hidden()
    expect(first_mark).not_to_be_focused()
    expect(search).not_to_be_focused()
    assert page.url == url
    assert Highlight.objects.filter(article=article).count() == 3
    assert (
        not ArticleState.objects.filter(article=article, user=owner)
        .exclude(starred_at=None, archived_at=None)
        .exists()
    )
    # The same keys without the modifier do act (the test can fail).
    page.keyboard.press("1")
    expect(page.locator("mark.hl")).to_have_count(4)
