"""An admin imports a file in a real browser and reads the report."""

import json

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.support import assert_no_axe_violations

pytestmark = pytest.mark.browser

PAGE = (
    "<html><head><title>{t}</title></head><body><article><h1>{t}</h1>"
    + (
        "<p>The ferry council met again to argue about batteries and bridges, "
        "and agreed on nothing but the date of the next meeting.</p>" * 3
    )
    + "</article></body></html>"
)


def test_an_admin_imports_from_the_admin_and_reads_the_report(
    live_page, live_server, team, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    django_user_model.objects.create_superuser("root", password="pw-root")
    rows = [{"title": f"Story {n}", "html": PAGE.format(t=f"Story {n}")} for n in range(3)]
    rows.append({"title": "Broken", "url": "javascript:alert(1)"})
    # A long file name, as exports have: it must not widen the page on a phone.
    upload = tmp_path / f"reading-list-export-{'0123456789' * 6}.jsonl"
    upload.write_text("\n".join(json.dumps(row) for row in rows))

    page = live_page
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("pw-root")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/imports/importbatch/")
    page.get_by_role("link", name="Import articles").click()
    page.get_by_label("Team").select_option(label=team.name)
    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_role("button", name="Start the import").click()

    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("finished")
    expect(progress).to_contain_text("3 created, 0 duplicates skipped, 1 failed")
    expect(progress.locator("table")).to_contain_text(f"{upload.name}, line 4")
    assert_no_axe_violations(page, "import report")
    # On a phone the report's table scrolls inside the page, never the page.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page, "import report on a phone")
    page.goto(f"{live_server.url}/admin/imports/importbatch/import/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert Article.objects.filter(team=team).count() == 3
