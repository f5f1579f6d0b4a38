"""The reading flow in a real browser: log in, find an article, read it.

Also axe-core on every page in light and dark mode, and the reader at phone
width. Set SCREENSHOTS=/some/dir to save screenshots of the reader there.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Tag
from articles.originals import create_article
from tests.browser.support import assert_no_axe_violations, console_problems, login

pytestmark = pytest.mark.browser

DEMO_DIR = Path(__file__).resolve().parents[2] / "articles" / "demo"
FERRIES_URL = "https://courier.example.com/news/x"
DEMO_FILES = [
    ("harbour-ferries.html", FERRIES_URL),
    ("sqlite-wal.html", ""),
    ("reading-group-notes.md", ""),
    ("library-hours.txt", ""),
]
FERRIES_TITLE = "City council votes to electrify the harbour ferries by 2030"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = os.environ.get("SCREENSHOTS", "")


@pytest.fixture
def articles(live_server, team, owner):
    """The demo articles, by file name; `live_server` makes the database transactional."""
    return {
        name: create_article(
            team, (DEMO_DIR / name).read_bytes(), user=owner, url=url, filename=name
        )
        for name, url in DEMO_FILES
    }


def reader_url(live_server, article):
    return f"{live_server.url}/articles/{article.pk}/"


def test_log_in_find_an_article_and_read_it(live_page, live_server, owner, articles):
    page = live_page
    problems = console_problems(page)

    login(page, live_server, owner)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Library")
    listed = page.locator("#article-list .article-card h2")
    expect(listed).to_have_count(len(articles))
    for article in articles.values():
        expect(page.get_by_role("link", name=article.title, exact=True)).to_be_visible()

    ferries = articles["harbour-ferries.html"]
    assert ferries.title == FERRIES_TITLE
    with page.expect_navigation():
        page.get_by_role("link", name=FERRIES_TITLE, exact=True).click()

    expect(page).to_have_url(reader_url(live_server, ferries))
    expect(page).to_have_title(f"{FERRIES_TITLE} · newsreader")
    expect(page.get_by_role("heading", level=1)).to_have_text(FERRIES_TITLE)
    header = page.locator(".reader-header")
    expect(header).to_contain_text("The Lakeside Courier")
    expect(header).to_contain_text("Maren Okafor")
    expect(header.get_by_role("link", name="Original")).to_have_attribute("href", FERRIES_URL)

    body = page.locator(".reader-body")
    expect(body).to_have_attribute("hx-disable", "")
    expect(body.locator("p").first).to_contain_text("The city council voted 31 to 8")
    expect(body).to_contain_text("Charging points will be built at the north and south piers")
    expect(body).to_contain_text("after the tender for the boats themselves closes in March")
    text = body.inner_text()
    for clutter in (
        "Share on Facebook",
        "Advertisement",
        "Related stories",
        "morning briefing",
        "Comments (48)",
        "We use cookies",
        "All rights reserved",
    ):
        assert clutter not in text, f"{clutter!r} was not cleaned out of the reader"

    # A calm measure: about 65-75 characters a line with the fonts the stylesheet
    # names. The bounds are loose because the line length depends on the serif
    # font the machine falls back to (Liberation Serif here gives ~85).
    per_line = page.evaluate(
        """() => {
            const paragraph = document.querySelector('.reader-body p');
            const sample = paragraph.textContent;
            const context = document.createElement('canvas').getContext('2d');
            context.font = getComputedStyle(paragraph).font;
            const average = context.measureText(sample).width / sample.length;
            return paragraph.clientWidth / average;
        }"""
    )
    assert 50 <= per_line <= 90, f"the reader body holds {per_line:.0f} characters a line"

    # No CSP violation, no script error, no failed request on the way.
    assert problems == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_pages_have_no_axe_violations(live_page, live_server, owner, articles, color_scheme):
    page = live_page
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme=color_scheme)
    problems = console_problems(page)
    # Tags show on the cards and in the reader's panel.
    tag = Tag.objects.create(team=articles[next(iter(articles))].team, name="harbour")
    for article in articles.values():
        article.tags.add(tag)

    page.goto(f"{live_server.url}/login/")
    assert_no_axe_violations(page, f"the login page ({color_scheme})")

    login(page, live_server, owner)
    assert_no_axe_violations(page, f"the library ({color_scheme})")
    if SCREENSHOTS:
        _screenshot(page, f"library-{color_scheme}-desktop")

    for name, article in articles.items():
        page.goto(reader_url(live_server, article))
        assert_no_axe_violations(page, f"the reader of {name} ({color_scheme})")
        if SCREENSHOTS and name == "harbour-ferries.html":
            _screenshot(page, f"reader-{color_scheme}-desktop")

    # Saving from other sites: the bookmarklet's window and the bookmarklet's page.
    page.goto(f"{live_server.url}/save/?url=https%3A%2F%2Fexample.org%2Fa&title=A&selection=words")
    assert_no_axe_violations(page, f"the save page ({color_scheme})")
    page.goto(f"{live_server.url}/save/bookmarklet/")
    assert_no_axe_violations(page, f"the bookmarklet page ({color_scheme})")

    assert problems == []


def test_reader_fits_a_phone(live_page, live_server, owner, articles):
    """At 360 px the page never scrolls sideways; wide tables and code scroll inside."""
    page = live_page
    page.set_viewport_size(PHONE)
    login(page, live_server, owner)

    pages = {"the library": f"{live_server.url}/"}
    pages.update({name: reader_url(live_server, a) for name, a in articles.items()})
    for color_scheme in ("light", "dark"):
        page.emulate_media(color_scheme=color_scheme)
        for label, url in pages.items():
            page.goto(url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{label} is {width}px wide at {PHONE['width']}px"
            if SCREENSHOTS and label in ("harbour-ferries.html", "sqlite-wal.html"):
                _screenshot(page, f"reader-{color_scheme}-phone-{label.split('.')[0]}")

    # The SQLite article has a table and a code block: they stay inside the viewport.
    page.goto(pages["sqlite-wal.html"])
    for selector in (".reader-body pre", ".reader-body table"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None, f"no {selector} in the SQLite article"
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


def _screenshot(page, name):
    directory = Path(SCREENSHOTS)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=directory / f"{name}.png", full_page=True)
