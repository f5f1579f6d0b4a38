"""Issue 14's reader settings, note previews and account flows in a real browser.

Reader settings apply at once, survive a reload and follow the user into
another browser context; a note's Preview renders Markdown through the server;
the password is changed from /settings/ and reset by e-mail (read from
Django's outbox, which the live server shares with the test).
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from articles.originals import create_article
from tests.browser.support import (
    assert_no_axe_violations,
    console_problems,
    login,
)

pytestmark = pytest.mark.browser

TEXT = "The ferries carry eleven thousand people a day.\n\nThe council voted for battery boats.\n"
NEW_PASSWORD = "harbour-ferry-42"


@pytest.fixture
def article(live_server, team, owner):
    return create_article(team, TEXT, user=owner, filename="ferries.md")


def reader_font_size(page):
    return page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.reader')).fontSize)"
    )


def html_attribute(page, name):
    return page.evaluate(f"() => document.documentElement.getAttribute('{name}')")


def test_reader_settings_apply_at_once_and_follow_the_user(
    live_page, second_page, live_server, owner, article
):
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    normal = reader_font_size(page)
    page.get_by_text("Reader settings").click()
    popover = page.locator(".reader-settings-menu")
    popover.get_by_label("Sepia").check()
    expect(page.locator("html")).to_have_attribute("data-theme", "sepia")
    popover.get_by_label("Text size").select_option(label="Large")
    expect(page.locator("html")).to_have_attribute("data-reader-size", "130")
    popover.get_by_label("Sans-serif").check()
    popover.get_by_label("Line width").select_option(label="Wide")
    popover.get_by_label("Line spacing").select_option(label="Airy")
    expect(page.locator("html")).to_have_attribute("data-reader-leading", "airy")
    # Applied without a reload: the reader's text is larger and the page sepia.
    assert reader_font_size(page) == pytest.approx(normal * 1.3, rel=0.02)
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == (
        "rgb(244, 236, 216)"
    )
    expect(popover.locator(".reader-settings-status")).to_have_text("Saved.")
    assert_no_axe_violations(page, "the reader in sepia, settings open")

    page.reload()
    for name, value in [
        ("data-theme", "sepia"),
        ("data-reader-size", "130"),
        ("data-reader-font", "sans"),
        ("data-reader-width", "wide"),
        ("data-reader-leading", "airy"),
    ]:
        assert html_attribute(page, name) == value
    assert reader_font_size(page) == pytest.approx(normal * 1.3, rel=0.02)

    # Back to "as the device": the attribute goes, and the device's dark scheme shows.
    page.emulate_media(color_scheme="dark")
    page.get_by_text("Reader settings").click()
    popover.get_by_label("As the device").check()
    expect(page.locator("html")).not_to_have_attribute("data-theme", re.compile(".*"))
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == (
        "rgb(22, 24, 27)"
    )
    page.emulate_media(color_scheme="light")

    # The same user in another browser finds the settings there, from the first paint.
    login(second_page, live_server, owner)
    second_page.goto(f"{live_server.url}/articles/{article.pk}/")
    assert html_attribute(second_page, "data-reader-size") == "130"
    assert html_attribute(second_page, "data-theme") is None
    assert not problems, problems


def test_reader_settings_work_without_javascript(browser, live_server, owner, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, live_server, owner)
        page.goto(f"{live_server.url}/articles/{article.pk}/")
        page.get_by_text("Reader settings").click()
        popover = page.locator(".reader-settings-menu")
        popover.get_by_label("Dark").check()
        with page.expect_navigation():
            popover.get_by_role("button", name="Save").click()
        assert urlsplit(page.url).path == f"/articles/{article.pk}/"
        assert html_attribute(page, "data-theme") == "dark"
        expect(page.locator(".messages")).to_contain_text("Saved your reader settings.")
    finally:
        context.close()


def test_a_note_is_previewed_before_it_is_saved(live_page, live_server, owner, article):
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    panel = page.locator("#annotation-panel")
    panel.get_by_text("Add a note on the article").click()
    panel.get_by_label("Note on the article").fill(
        "# Costs\n\n| Boat | Year |\n|---|---|\n| Kestrel | 1987 |\n\n"
        "~~diesel~~ see www.example.org\n\n![chart](https://example.org/c.png)\n\n"
        "<script>alert(1)</script>"
    )
    panel.get_by_role("button", name="Preview").click()
    preview = panel.locator(".new-note .note-preview")
    expect(preview.locator("h1")).to_have_text("Costs")
    expect(preview.locator("td").first).to_have_text("Kestrel")
    expect(preview.locator("s")).to_have_text("diesel")
    expect(preview.locator("a[href='http://www.example.org']")).to_have_text("www.example.org")
    expect(preview.locator(".note-image-note")).to_have_text("(image not shown)")
    expect(preview).to_contain_text("<script>alert(1)</script>")
    assert preview.locator("img, script").count() == 0
    # A note's heading is smaller than the page's.
    sizes = page.evaluate(
        """() => [document.querySelector('.note-preview h1'), document.querySelector('.reader h1')]
                 .map((e) => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert sizes[0] < sizes[1] / 1.5
    # Nothing was saved; saving renders the same HTML.
    assert not article.notes.exists()
    panel.get_by_role("button", name="Add note").click()
    expect(panel.locator(".article-note .note h1")).to_have_text("Costs")
    assert_no_axe_violations(page, "the reader with a Markdown note")
    assert not problems, problems


def test_changing_the_password(live_page, live_server, owner):
    page = live_page
    login(page, live_server, owner)
    page.goto(f"{live_server.url}/settings/")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(page, f"the settings page ({scheme})")
    page.emulate_media(color_scheme="light")
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Old password").fill("pw-olivia")
    page.get_by_label("New password", exact=True).fill("short1")
    page.get_by_label("New password confirmation").fill("short1")
    page.get_by_role("button", name="Change password").click()
    # The error is on the field where the password was chosen.
    expect(page.locator("#id_new_password1_error")).to_contain_text("too short")
    assert_no_axe_violations(page, "password change with an error")
    page.get_by_label("Old password").fill("pw-olivia")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".messages")).to_contain_text("Your password has been changed.")
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, owner, password=NEW_PASSWORD)


def test_resetting_a_forgotten_password_by_e_mail(live_page, live_server, owner):
    owner.email = "olivia@example.org"
    owner.save(update_fields=["email"])
    page = live_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgot password?").click()
    assert_no_axe_violations(page, "the reset request page")
    page.get_by_label("E-mail address").fill("olivia@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    [message] = mail.outbox
    assert message.to == ["olivia@example.org"]
    link = re.search(r"https?://\S+/password-reset/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    login(page, live_server, owner, password=NEW_PASSWORD)
    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
