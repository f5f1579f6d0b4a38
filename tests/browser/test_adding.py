"""A member (not staff) adds articles from the library: by URL, by paste and by upload."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.support import assert_no_axe_violations, console_problems, login
from tests.sites import serve

pytestmark = pytest.mark.browser

PAGE = (
    "<!doctype html><html><head><title>Harbour news</title></head><body><article>"
    "<h1>Harbour news</h1>"
    + "<p>The ferries carry eleven thousand people a day across the harbour water.</p>" * 4
    + "</article></body></html>"
).encode()


@pytest.fixture
def article_server(settings):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    with serve(default=PAGE) as local:
        yield local.url


def test_a_member_adds_by_url_paste_and_upload(
    live_page, live_server, team, teammate, article_server, tmp_path
):
    assert not teammate.is_staff
    page = live_page
    problems = console_problems(page)
    login(page, live_server, teammate)
    page.goto(f"{live_server.url}/")
    page.get_by_text("Add articles", exact=True).click()
    assert_no_axe_violations(page, "library with the Add forms open")

    # By URL: the server here is the article's site; the worker is immediate in tests.
    page.get_by_label("Address of the page").fill(f"{article_server}/harbour")
    page.get_by_role("button", name="Add the page").click()
    expect(page.locator("#add-url-result")).to_contain_text("Adding")
    expect(page.locator("#article-list")).to_contain_text("Harbour news")

    # By paste.
    page.get_by_label("Title (optional)").fill("Pasted notes")
    page.get_by_label("Text", exact=True).fill("# Notes\n\nThe council met about the ferries.")
    page.get_by_label("It is").select_option("markdown")
    page.get_by_role("button", name="Add the text").click()
    expect(page.locator("#add-text-result")).to_contain_text("Added “Pasted notes”.")
    expect(page.locator("#article-list")).to_contain_text("Pasted notes")

    # The same text again: already saved, with a link to it.
    page.get_by_label("Title (optional)").fill("Pasted notes")
    page.get_by_label("Text", exact=True).fill("# Notes\n\nThe council met about the ferries.")
    page.get_by_label("It is").select_option("markdown")
    page.get_by_role("button", name="Add the text").click()
    expect(page.locator("#add-text-result")).to_contain_text("Already saved")
    expect(page.locator("#add-text-result").get_by_role("link")).to_have_text("Open the article")

    # By upload, two files at once.
    first, second = tmp_path / "bridges.md", tmp_path / "tides.txt"
    first.write_text("# Bridges\n\nThe bridge opens twice a day for tall ships.")
    second.write_text("Tides rise twice a day in the harbour, and the ferries wait.")
    page.get_by_label("HTML, text or Markdown files").set_input_files([str(first), str(second)])
    page.get_by_role("button", name="Add the files").click()
    result = page.locator("#add-files-result")
    expect(result).to_contain_text("bridges.md: Added “Bridges”.")
    expect(result).to_contain_text("tides.txt: Added")
    expect(page.locator("#article-list")).to_contain_text("Bridges")

    assert_no_axe_violations(page, "library after adding")
    assert Article.objects.filter(team=team, added_by=teammate).count() == 4
    assert problems == []
