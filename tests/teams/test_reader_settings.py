"""Reader settings (teams/accounts.py reader_settings): saved per user, put on <html>."""

import pytest
from django.urls import reverse

from teams.models import Membership, ReaderSettings
from tests.factories import make_article
from tests.teams.helpers import HX

URL = reverse("settings:reader-settings")
CHOICES = {
    "theme": "sepia",
    "font": "sans",
    "font_size": "130",
    "line_width": "wide",
    "line_height": "airy",
}


def html_tag(response):
    html = response.content.decode()
    return html[html.index("<html") : html.index(">", html.index("<html")) + 1]


def test_the_defaults_put_nothing_on_the_page(client, owner):
    client.force_login(owner)
    assert html_tag(client.get(reverse("settings:settings"))) == '<html lang="en">'


def test_saved_settings_are_on_html_of_every_page(client, owner, team):
    client.force_login(owner)
    response = client.post(URL, {**CHOICES, "next": "/teams/"})
    assert response.status_code == 302 and response.url == "/teams/"
    saved = ReaderSettings.objects.get(user=owner)
    assert (saved.theme, saved.font_size, saved.line_width) == ("sepia", 130, "wide")
    article = make_article(team, user=owner)
    for url in (reverse("articles:article-detail", args=[article.pk]), reverse("teams:team-list")):
        assert html_tag(client.get(url)) == (
            '<html lang="en" data-theme="sepia" data-reader-font="sans" data-reader-size="130"'
            ' data-reader-width="wide" data-reader-leading="airy">'
        )


def test_they_follow_the_user_to_another_session(client, owner, django_user_model):
    from django.test import Client

    client.force_login(owner)
    client.post(URL, {**CHOICES, "theme": "dark"})
    other = Client()
    other.force_login(owner)
    assert 'data-theme="dark"' in html_tag(other.get(reverse("settings:settings")))


def test_they_cost_no_query_of_their_own(client, owner, django_assert_num_queries):
    client.force_login(owner)
    client.post(URL, CHOICES)
    # The session, then the user with the settings (teams/backends.py), then the page's own.
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert 'data-theme="sepia"' in html_tag(response)


def test_htmx_saves_each_change_and_says_what_applies(client, owner):
    client.force_login(owner)
    response = client.post(URL, {**CHOICES, "theme": "light"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<div data-reader-settings-applied")
    assert 'data-applied-theme="light"' in html and 'data-applied-reader-size="130"' in html
    assert "Saved." in html and "<html" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("theme", "neon", "Choose a theme from the list."),
        ("font_size", "9999", "Choose a text size from the list."),
        ("font_size", "big", "Choose a text size from the list."),
        ("line_width", '"><script>', "Choose a line width from the list."),
        ("line_height", "", "Choose a line spacing."),
    ],
)
def test_values_outside_the_steps_are_refused_clearly(client, owner, field, value, message):
    client.force_login(owner)
    client.post(URL, {**CHOICES, "theme": "dark"})
    response = client.post(URL, {**CHOICES, field: value}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 422 and message in html
    # The settings in force stay the saved ones, and the answer says so.
    assert 'data-applied-theme="dark"' in html and "<script>" not in html
    assert ReaderSettings.objects.get(user=owner).theme == "dark"
    page = client.post(URL, {**CHOICES, field: value})
    assert page.status_code == 422 and message in page.content.decode()
    assert 'data-theme="dark"' in html_tag(page)


def test_the_page_shows_the_form(client, owner):
    client.force_login(owner)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Reader settings</h1>" in html
    for name in CHOICES:
        assert f'name="{name}"' in html


def test_the_reader_offers_the_popover(client, owner, reader_only, team):
    article = make_article(team, user=owner)
    for user in (owner, reader_only):
        client.force_login(user)
        html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert "<summary>Reader settings</summary>" in html
        assert f'hx-post="{URL}"' in html and 'name="next" value="/articles/' in html


def test_a_foreign_next_is_not_followed(client, owner):
    client.force_login(owner)
    response = client.post(URL, {**CHOICES, "next": "https://evil.example/"})
    assert response.url == URL


def test_saving_makes_cached_library_pages_stale(client, owner, team):
    client.force_login(owner)
    before = Membership.objects.get(user=owner, team=team).library_version
    client.post(URL, CHOICES)
    assert Membership.objects.get(user=owner, team=team).library_version == before + 1


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302
    assert client.post(URL, CHOICES).url.startswith(reverse("login"))
    response = client.post(URL, CHOICES, headers=HX)
    assert response.status_code == 204 and "HX-Redirect" in response


def test_wrong_method(client, owner):
    client.force_login(owner)
    assert client.put(URL).status_code == 405


def test_the_api_says_them(client, owner):
    client.force_login(owner)
    client.post(URL, CHOICES)
    me = client.get("/api/v1/me/").json()
    assert me["reader_settings"] == {
        "theme": "sepia",
        "font": "sans",
        "font_size": 130,
        "line_width": "wide",
        "line_height": "airy",
    }
