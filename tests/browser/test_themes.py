"""axe-core on every page type, in the light, dark and sepia themes, on a desktop
and on a 360 px phone; and the header on one row at any width.

The theme is chosen the way the reader settings choose it, with <html
data-theme>, while the system asks for the other scheme: the chosen theme must
win. (The system's own light and dark, with no data-theme, are covered by the
axe tests of test_reading.py, test_highlighting.py, test_library.py and
test_teams.py.)
"""

import pytest
from playwright.sync_api import expect

from articles.highlighting import create_highlight, delete_highlight
from articles.models import ArticleNote, Tag
from teams.membership import invite
from teams.models import Membership
from tests.browser.support import assert_no_axe_violations, console_problems, login
from tests.factories import make_article

pytestmark = pytest.mark.browser

THEMES = ["light", "dark", "sepia"]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture
def site(live_server, team, other_team, owner, django_user_model):
    """Something on every page: an article with highlights, a note, a tag, a
    second team (so the switcher shows), a deleted highlight, an invitation."""
    owner.is_staff = owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.create(team=other_team, user=owner, role=Membership.Role.MEMBER)
    article = make_article(team, "The harbour ferries", paragraphs=6, user=owner)
    make_article(team, "The piers", paragraphs=2, user=owner)
    for n, colour in enumerate(("yellow", "green", "blue", "red")):
        start = article.text.index(f"Paragraph {n}.")
        highlight = create_highlight(article, owner, start, start + 9, colour)[0]
    highlight.set_note("Is this *costed*?")
    start = article.text.index("Paragraph 5.")
    delete_highlight(create_highlight(article, owner, start, start + 9, "blue")[0], owner)
    note = ArticleNote(article=article, author=owner)
    note.set_body("Compare with **last year**.")
    tag = Tag.objects.create(team=team, name="ferries")
    article.tags.add(tag)
    highlight.tags.add(tag)
    token = invite(team, owner, Membership.Role.MEMBER)[1]
    return {
        "article": article,
        "highlight": highlight,
        "team": team,
        "token": token,
        "owner": owner,
    }


def pages(live_server, site):
    """Every page type a person meets, logged in (the login page and an invitation aside)."""
    url = live_server.url
    article, team = site["article"], site["team"]
    return {
        "library": f"{url}/",
        "library, searched": f"{url}/?q=ferries",
        "reader": f"{url}/articles/{article.pk}/",
        "a highlight's page": f"{url}/highlights/{site['highlight'].pk}/",
        "an article's trash": f"{url}/articles/{article.pk}/trash/",
        "notebook": f"{url}/notebook/",
        "tags": f"{url}/teams/{team.slug}/tags/",
        "the team's deleted articles": f"{url}/teams/{team.slug}/trash/",
        "teams": f"{url}/teams/",
        "team settings": f"{url}/teams/{team.slug}/",
        "switching team": f"{url}/teams/switch/",
        "settings": f"{url}/settings/",
        "tokens": f"{url}/settings/tokens/",
        "save": f"{url}/save/?url=https%3A%2F%2Fexample.org%2Fa&title=A&selection=words",
        "bookmarklet": f"{url}/save/bookmarklet/",
        "deleting a team": f"{url}/teams/{team.slug}/delete/",
        "reader settings": f"{url}/settings/reader/",
        "changing the password": f"{url}/settings/password/",
    }


def use_theme(page, theme):
    page.evaluate("(theme) => { document.documentElement.dataset.theme = theme; }", theme)


def check(page, theme, label):
    use_theme(page, theme)
    assert_no_axe_violations(page, f"{label} ({theme})")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("theme", THEMES)
def test_every_page_has_no_axe_violations(live_page, live_server, site, theme, size):
    page = live_page
    page.set_viewport_size(SIZES[size])
    # The system asks for the other scheme: data-theme must win.
    page.emulate_media(color_scheme="light" if theme == "dark" else "dark")
    problems = console_problems(page)
    page.goto(f"{live_server.url}/login/")
    check(page, theme, f"the login page, {size}")
    page.goto(f"{live_server.url}/teams/invite/{site['token']}/")
    check(page, theme, f"an invitation, logged out, {size}")
    page.goto(f"{live_server.url}/password-reset/")
    check(page, theme, f"the password reset, {size}")

    login(page, live_server, site["owner"])
    for label, url in pages(live_server, site).items():
        page.goto(url)
        # The header's switcher arrives by htmx: check the page with it.
        expect(page.locator(".team-switcher select")).to_have_count(1)
        check(page, theme, f"{label}, {size}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], f"{label} is {width}px wide ({theme}, {size})"

    # What opens on top of a page: the menu (on a phone), the list of
    # shortcuts, the highlight toolbar.
    page.goto(pages(live_server, site)["reader"])
    if size == "phone":
        page.locator(".site-menu > summary").click()
        expect(page.get_by_role("link", name="Notebook")).to_be_visible()
        check(page, theme, "the reader with the menu open, phone")
        page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    check(page, theme, f"the list of shortcuts, {size}")
    page.keyboard.press("Escape")
    page.evaluate(
        """() => {
            const p = document.querySelector(".reader-body p:last-child");
            const range = document.createRange();
            range.selectNodeContents(p);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            document.dispatchEvent(new PointerEvent("pointerup", {bubbles: true}));
        }"""
    )
    expect(page.locator("#highlight-toolbar")).to_be_visible()
    check(page, theme, f"the highlight toolbar, {size}")
    assert problems == []
    # Last: the browser reports the 404 itself as a console error.
    page.goto(f"{live_server.url}/no-such-page/")
    check(page, theme, f"a page that does not exist, {size}")


@pytest.mark.parametrize("width", [360, 480, 768, 1024, 1200, 1280, 1600])
def test_the_header_is_one_row(live_page, live_server, site, width):
    page = live_page
    page.set_viewport_size({"width": width, "height": 700})
    login(page, live_server, site["owner"])
    page.goto(pages(live_server, site)["reader"])
    expect(page.locator(".team-switcher select")).to_have_count(1)
    row = page.locator(".site-nav")
    # One row: the header is no taller than its tallest item plus its padding.
    height = row.evaluate("n => n.getBoundingClientRect().height")
    assert height <= 60, f"the header is {height}px tall at {width}px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # Everything is reachable: in the row on wide screens, through the menu on narrow ones.
    notebook = page.get_by_role("link", name="Notebook")
    if width < 1200:  # 75rem
        expect(notebook).to_be_hidden()
        page.locator(".site-menu > summary").click()
    expect(notebook).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_label("Team", exact=True)).to_be_visible()


def test_the_admin_import_page_fits_a_phone(live_page, live_server, site):
    page = live_page
    page.set_viewport_size(SIZES["phone"])
    login(page, live_server, site["owner"])
    page.goto(f"{live_server.url}/admin/imports/importbatch/import/")
    expect(page.get_by_role("button", name="Start the import")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SIZES["phone"]["width"], f"the import page is {width}px wide"
