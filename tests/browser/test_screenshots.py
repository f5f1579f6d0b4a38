"""The README's pictures, taken by the browser tests so they stay current.

Every run takes them (so a change that breaks the pages they show fails here);
with SCREENSHOTS_DIR set they are written there: `scripts/screenshots` writes
docs/screenshots/. Fixed sizes and a scale of 1 keep the PNGs small.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.highlighting import create_highlight
from articles.models import ArticleNote, Reply, Tag
from articles.originals import create_article
from tests.browser.support import SELECT_WORDS, console_problems, login

pytestmark = pytest.mark.browser

DEMO_DIR = Path(__file__).resolve().parents[2] / "articles" / "demo"
DESKTOP = {"width": 1280, "height": 720}
FERRIES_URL = "https://courier.example.com/news/ferries"
PHONE = {"width": 360, "height": 740}
# (passage, colour, author, note) on the ferry story; "teammate" is the second reader.
HIGHLIGHTS = [
    ("voted 31 to 8", "yellow", "owner", ""),
    ("a municipal climate bond", "green", "teammate", "The bond was approved in June."),
    (
        "Charging points will be built at the north and south piers",
        "blue",
        "owner",
        "Which pier first? The south one floods.",
    ),
    ("buying a prototype with taxpayers' money", "red", "teammate", ""),
]


@pytest.fixture
def library(live_server, team, owner, teammate):
    articles = {
        name: create_article(
            team,
            (DEMO_DIR / name).read_bytes(),
            user=owner,
            filename=name,
            # Its photo then has an address, which live_page answers with a grey box.
            url=FERRIES_URL if name == "harbour-ferries.html" else "",
        )
        for name in sorted(os.listdir(DEMO_DIR))
    }
    ferries = articles["harbour-ferries.html"]
    people = {"owner": owner, "teammate": teammate}
    for words, colour, who, note in HIGHLIGHTS:
        start = ferries.text.index(words)
        highlight = create_highlight(ferries, people[who], start, start + len(words), colour)[0]
        if note:
            highlight.set_note(note)
        if colour == "blue":
            question = highlight
    reply = Reply(highlight=question, author=teammate)
    reply.set_body("Ask the harbour master on Thursday.")
    article_note = ArticleNote(article=ferries, author=owner)
    article_note.set_body("Compare with **last year's** budget before the meeting.")
    tag = Tag.objects.create(team=team, name="harbour")
    ferries.tags.add(tag)
    articles["sqlite-wal.html"].tags.add(Tag.objects.create(team=team, name="databases"))
    return ferries


def shoot(page, tmp_path, name):
    directory = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    # A still page: no caret, no animation, the mouse out of the way.
    page.mouse.move(0, 0)
    page.screenshot(path=directory / f"{name}.png", animations="disabled", caret="hide")
    assert (directory / f"{name}.png").stat().st_size > 1000


def test_the_readme_pictures(live_page, live_server, owner, library, tmp_path):
    page = live_page
    problems = console_problems(page)
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light", reduced_motion="reduce")
    login(page, live_server, owner)
    expect(page.locator(".team-switcher")).not_to_contain_text("Switch team")
    shoot(page, tmp_path, "library")

    reader = f"{live_server.url}/articles/{library.pk}/"
    page.goto(reader)
    expect(page.locator("mark.hl")).to_have_count(len(HIGHLIGHTS))
    # The story's first lines, past its photo.
    page.evaluate(
        """() => window.scrollTo(0, document.querySelector(".reader-body p").offsetTop - 24)"""
    )
    shoot(page, tmp_path, "reader-light")
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    # A selection, with the toolbar naming each meaning.
    page.evaluate(SELECT_WORDS, "the last diesel boat will be retired")
    expect(page.locator("#highlight-toolbar")).to_be_visible()
    shoot(page, tmp_path, "reader-dark")

    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="light", reduced_motion="reduce")
    page.goto(reader)
    page.locator("#panel-toggle").click()
    expect(page.locator("#annotation-panel")).to_be_visible()
    shoot(page, tmp_path, "phone-drawer")
    assert problems == []
