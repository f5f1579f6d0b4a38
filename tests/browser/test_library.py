"""The library at work in a real browser: search by a note's word, filter by tag and
state, resume where one stopped, star and archive from the keyboard; axe-core on
the search results, the notebook and the tag page."""

import re

import pytest
from playwright.sync_api import expect

from articles import reading
from articles.highlighting import create_highlight
from articles.models import ArticleState, Tag
from tests.browser.support import assert_no_axe_violations, console_problems, login, settled
from tests.factories import make_article

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf(live_server, team, owner, teammate):
    """A long article with a teammate's noted highlight, and a few others, some tagged."""
    long_read = make_article(team, "The long read about harbours", paragraphs=120)
    start = long_read.text.index("eleven")
    noted = create_highlight(long_read, teammate, start, start + 15, "blue")[0]
    noted.set_note("Ask the lighthouse keepers about this figure.")
    ferries = Tag.objects.create(team=team, name="Ferries")
    tagged = make_article(team, "Tagged and unread", paragraphs=2)
    tagged.tags.add(ferries)
    done = make_article(team, "Tagged but finished", paragraphs=2)
    done.tags.add(ferries)
    reading.act(done, owner, "finished")
    make_article(team, "Untagged", paragraphs=2)
    return {"long": long_read, "noted": noted, "tagged": tagged, "done": done}


def test_find_a_highlight_by_a_word_of_its_note(live_page, live_server, owner, shelf):
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/articles/{shelf['tagged'].pk}/")
    # "/" goes to the header's search box, from any page.
    page.keyboard.press("/")
    expect(page.locator("#site-search")).to_be_focused()
    page.keyboard.type("keepers")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.locator("#article-list .article-card")
    expect(results).to_have_count(1)
    card = results.first
    expect(card.locator("h2")).to_have_text("The long read about harbours")
    expect(card.locator(".match mark")).to_have_text(re.compile("keepers", re.I))
    assert_no_axe_violations(page, "the search results")
    with page.expect_navigation():
        card.get_by_role("link", name="Note").click()
    noted = shelf["noted"]
    expect(page).to_have_url(f"{live_server.url}/articles/{shelf['long'].pk}/#hl-{noted.pk}")
    expect(page.locator(f"#hl-{noted.pk}")).to_be_in_viewport()
    assert problems == []


def test_filter_the_library_by_tag_and_state(live_page, live_server, owner, shelf):
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    page.get_by_text("Filters and sort").click()
    tag = page.get_by_role("combobox", name="Tag", exact=True)
    tag.fill("ferries")
    tag.press("Enter")
    cards = page.locator("#article-list .article-card h2")
    expect(cards).to_have_count(2)
    expect(page).to_have_url(re.compile(r"tag=ferries"))
    chosen = page.get_by_role("list", name="Tags filtered by")
    expect(chosen).to_contain_text("ferries")
    expect(page.locator("#filter-tag")).to_have_value("")
    page.get_by_label("Show").select_option("unread")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_text("Tagged and unread")
    expect(page).to_have_url(re.compile(r"state=unread"))
    # The URL holds it all: opened afresh, the same list; back goes one step back.
    page.reload()
    expect(cards).to_have_count(1)
    page.go_back()
    expect(cards).to_have_count(2)
    with page.expect_navigation():
        chosen.get_by_role("link", name="Stop filtering by ferries").click()
    expect(cards).to_have_count(4)
    assert problems == []


def test_resume_at_the_saved_position_after_a_reload(live_page, live_server, owner, shelf):
    page = live_page
    page.set_viewport_size({"width": 1280, "height": 800})
    problems = console_problems(page)
    login(page, live_server, owner)
    url = f"{live_server.url}/articles/{shelf['long'].pk}/"
    page.goto(url)
    height = page.evaluate("document.documentElement.scrollHeight")
    # Scrolled, once the scroll event has been handled (the reader only sends a
    # position after one): a fixed wait could end before it on a loaded machine.
    page.evaluate(
        """(top) => new Promise((done) => {
            addEventListener("scroll", () => done(), {once: true});
            scrollTo(0, top);
        })""",
        height * 0.6,
    )
    # Leaving the page sends the position (a beacon), as closing the tab would.
    page.goto(f"{live_server.url}/")
    # The beacon may arrive after the next page, seconds later on a loaded machine;
    # until then the reader's state may not exist at all.
    states = ArticleState.objects.filter(article=shelf["long"], user=owner)
    for _ in range(100):
        progress = states.values_list("progress", flat=True).first()
        if progress:
            break
        page.wait_for_timeout(100)
    assert progress and 0.5 < progress < 0.8, progress
    # The card shows the progress (the beacon may have come after the page).
    page.reload()
    expect(page.locator(".reading-progress")).to_have_attribute("value", str(round(progress * 100)))
    page.goto(url)
    page.wait_for_function("window.scrollY > 0")
    scrolled = page.evaluate("window.scrollY / document.documentElement.scrollHeight")
    assert abs(scrolled - 0.6) < 0.1, scrolled
    assert problems == []


def test_star_and_archive_from_the_keyboard(live_page, live_server, owner, shelf):
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    # In the reader: s stars, e archives.
    page.goto(f"{live_server.url}/articles/{shelf['tagged'].pk}/")
    page.keyboard.press("s")
    expect(page.get_by_role("button", name="★ Starred")).to_be_visible()
    settled(page.locator(f"#state-{shelf['tagged'].pk}"))
    page.keyboard.press("e")
    expect(page.get_by_role("button", name="Archived · Unarchive")).to_be_visible()
    state = ArticleState.objects.get(article=shelf["tagged"], user=owner)
    assert state.starred_at and state.archived_at
    # In the library: on the card that has the focus.
    page.goto(f"{live_server.url}/")
    card = page.locator(f"#card-{shelf['done'].pk}")
    card.get_by_role("link", name="Tagged but finished").focus()
    page.keyboard.press("s")
    expect(card.get_by_role("button", name="★ Starred")).to_be_visible()
    expect(card.get_by_role("link", name="Tagged but finished")).to_be_focused()
    # Not while typing in a field.
    page.locator("#library-q").focus()
    page.keyboard.press("e")
    expect(card.get_by_role("button", name="Archive", exact=True)).to_be_visible()
    assert ArticleState.objects.get(article=shelf["done"], user=owner).archived_at is None
    assert problems == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_notebook_and_tag_pages_have_no_axe_violations(
    live_page, live_server, owner, team, shelf, color_scheme
):
    page = live_page
    page.emulate_media(color_scheme=color_scheme)
    problems = console_problems(page)
    shelf["noted"].tags.add(Tag.objects.get(name="Ferries"))
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/notebook/")
    expect(page.locator(".notebook-item")).to_have_count(1)
    assert_no_axe_violations(page, f"the notebook ({color_scheme})")
    page.get_by_label("Meaning").select_option("red")
    expect(page.locator(".notebook-item")).to_have_count(0)
    page.goto(f"{live_server.url}/teams/{team.slug}/tags/")
    assert_no_axe_violations(page, f"the tag page ({color_scheme})")
    page.goto(f"{live_server.url}/?state=all&sort=title")
    page.get_by_text("Filters and sort").click()
    assert_no_axe_violations(page, f"the library with filters open ({color_scheme})")
    assert problems == []
