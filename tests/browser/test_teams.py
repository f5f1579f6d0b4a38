"""Teams in a real browser: create a team, invite, and a second person joins.

The second person uses another browser context (their own cookies): they open
the link, create an account through it, join, and appear in the members list.
axe-core checks the team list, settings, invitation and sign-up pages, in
light and dark mode.
"""

import pytest
from playwright.sync_api import expect

from teams.models import Membership
from tests.browser.support import (
    assert_no_axe_violations,
    console_problems,
    login,
)

pytestmark = pytest.mark.browser


def check_axe(page, label):
    """axe-core in light and dark mode, once the header's team switcher has loaded."""
    expect(page.locator(".team-switcher form, .team-switcher .team-current")).to_have_count(1)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(page, f"{label} ({scheme})")
    page.emulate_media(color_scheme="light")


def check_axe_anonymous(page, label):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(page, f"{label} ({scheme})")
    page.emulate_media(color_scheme="light")


def test_create_invite_and_a_second_person_joins(live_page, second_page, live_server, owner):
    page = live_page
    problems = console_problems(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, owner)

    # My teams, and a new one.
    page.get_by_role("link", name="Teams", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your teams")
    check_axe(page, "team list")
    page.get_by_label("Team name").fill("Reading group")
    with page.expect_navigation():
        page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading group")
    expect(page.get_by_role("status").first).to_contain_text("created")
    check_axe(page, "team settings")

    # An invitation link, shown once, with a copy button (htmx swaps the settings in).
    page.get_by_label("Role of the person invited").select_option("member")
    page.get_by_role("button", name="Create invitation link").click()
    link_field = page.get_by_role("textbox", name="Invitation link")
    expect(link_field).to_be_visible()
    link = link_field.input_value()
    assert link.startswith(f"{live_server.url}/teams/invite/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#invite-link-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(page.get_by_role("table").nth(1)).to_contain_text("Member")  # pending
    check_axe(page, "team settings with a new link")

    # The second person: the link, an account made through it, and joining.
    other = second_page
    other_problems = console_problems(other)
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text("Join Reading group")
    expect(other.get_by_role("link", name="Log in to join")).to_be_visible()
    check_axe_anonymous(other, "invitation")
    with other.expect_navigation():
        other.get_by_role("link", name="Create an account").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Create an account")
    check_axe_anonymous(other, "sign-up")
    other.get_by_label("Username").fill("nadia")
    other.get_by_label("Password", exact=True).fill("harbour-ferry-42")
    other.get_by_label("Password confirmation").fill("harbour-ferry-42")
    # Signing up through the link joins the team in the same step.
    with other.expect_navigation():
        other.get_by_role("button", name="Create account").click()
    expect(other.get_by_role("status").first).to_contain_text(
        "You joined “Reading group” as member"
    )
    expect(other.get_by_role("heading", level=1)).to_contain_text("Reading group")
    # The header's switcher names both of their teams, the new one chosen.
    switcher = other.get_by_label("Team", exact=True)
    expect(switcher).to_have_value("reading-group")
    expect(switcher.locator("option")).to_have_text(["nadia's team", "Reading group"])

    # The link is used up now; the page says so, accessibly, to a logged-in user.
    other.goto(link)
    expect(other.get_by_role("main")).to_contain_text("already been used")
    check_axe(other, "used invitation, logged in")
    other_problems.clear()  # the browser logs the deliberate 410 as an error
    other.goto(f"{live_server.url}/")

    # The owner sees them among the members.
    page.reload()
    members = page.get_by_role("table").first
    expect(members).to_contain_text("nadia")
    expect(page.get_by_label("Role of nadia")).to_have_value("member")
    assert (
        Membership.objects.get(user__username="nadia", team__slug="reading-group").role == "member"
    )

    assert problems == [] and other_problems == []

    # The used link works no more (the browser logs the 410 itself).
    other.goto(link)
    expect(other.get_by_role("alert")).to_contain_text("already been used")
    assert len(other_problems) == 1 and "410 (Gone)" in other_problems[0]


def test_the_header_switcher_changes_the_library(live_page, live_server, owner, team, other_team):
    from articles.originals import create_article

    Membership.objects.create(team=other_team, user=owner, role=Membership.Role.MEMBER)
    create_article(team, "# Newsroom story\n\nText of the newsroom.\n", filename="a.md")
    create_article(other_team, "# Elsewhere story\n\nText from elsewhere.\n", filename="b.md")
    page = live_page
    problems = console_problems(page)
    login(page, live_server, owner)
    expect(page.get_by_role("link", name="Newsroom story")).to_be_visible()
    # Choosing switches: the no-JavaScript "Switch" button is hidden.
    expect(page.get_by_role("button", name="Switch", exact=True)).to_be_hidden()
    with page.expect_navigation():
        page.get_by_label("Team", exact=True).select_option("elsewhere")
    expect(page.get_by_role("link", name="Elsewhere story")).to_be_visible()
    expect(page.get_by_role("link", name="Newsroom story")).to_have_count(0)
    expect(page.get_by_label("Team", exact=True)).to_have_value("elsewhere")
    check_axe(page, "library with the switcher")
    assert problems == []
