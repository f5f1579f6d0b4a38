"""Saving from other sites: /save/ (bookmarklet window, share target) and the bookmarklet."""

import html
import re
from urllib.parse import quote, urlencode

import pytest
from django.urls import reverse

from articles.models import Article, Capture
from articles.sharing import bookmarklet_href
from teams.models import Membership
from tests.factories import make_article

SAVE = reverse("articles:save")
BOOKMARKLET = reverse("articles:bookmarklet")
SHARED = {"url": "https://example.org/shared", "title": "Shared page", "selection": "eleven"}


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def test_a_get_asks_with_the_shared_page_prefilled_and_changes_nothing(owner_client, team):
    response = owner_client.get(SAVE, {**SHARED, "text": "Some words"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="https://example.org/shared"' in body
    assert 'value="Shared page"' in body
    assert '<input type="hidden" name="selection" value="eleven">' in body
    assert f'<option value="{team.slug}" selected>' in body
    assert '<button type="submit">Save</button>' in body
    assert not Capture.objects.exists() and not Article.objects.exists()


def test_anonymous_users_log_in_then_come_back_with_the_same_query(client):
    response = client.get(SAVE, SHARED)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=" + quote(f"{SAVE}?{urlencode(SHARED)}", safe="/")


def test_a_post_saves_the_url_and_says_it_is_being_fetched(
    owner_client, team, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = owner_client.post(SAVE, {**SHARED, "team": team.slug})
    assert response.status_code == 200
    capture = Capture.objects.get()
    assert (capture.team, capture.added_by, capture.url) == (team, owner, SHARED["url"])
    body = response.content.decode()
    assert "the page is fetched in the background" in body
    assert reverse("articles:capture-detail", args=[capture.pk]) in body
    # The selection is kept for the card to offer once the article is in
    # (tests/articles/test_quote_highlights.py).
    assert capture.selection == "eleven" and not capture.highlight_when_ready
    assert 'name="selection"' not in body  # saved: no form again


def test_a_saved_url_answers_already_saved_with_a_link(owner_client, team):
    article = make_article(team, url="https://example.org/shared")
    response = owner_client.post(SAVE, {"url": "https://example.org/shared?utm_source=x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Already saved" in body
    assert reverse("articles:article-detail", args=[article.pk]) in body
    assert not Capture.objects.exists()


def test_only_text_is_saved_as_an_article(owner_client, team):
    text = "The ferries carry eleven thousand people a day across the harbour."
    response = owner_client.post(SAVE, {"text": text, "title": "Ferries"})
    assert response.status_code == 200
    article = Article.objects.get()
    assert (article.team, article.title) == (team, "Ferries")
    assert reverse("articles:article-detail", args=[article.pk]) in response.content.decode()


def test_a_bad_url_shows_the_error_and_the_form_again(owner_client):
    response = owner_client.post(SAVE, {"url": "ftp://example.org/x", "selection": "kept"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter an http:// or https:// address." in body
    assert '<input type="hidden" name="selection" value="kept">' in body
    assert not Capture.objects.exists()


def test_read_only_members_are_not_offered_the_form_and_cannot_post(client, reader_only, team):
    client.force_login(reader_only)
    response = client.get(SAVE, SHARED)
    assert response.status_code == 200
    assert b'<form class="save-form"' not in response.content
    assert client.post(SAVE, SHARED).status_code == 403
    assert client.post(SAVE, {**SHARED, "team": team.slug}).status_code == 403
    assert not Capture.objects.exists()


def test_the_select_offers_only_teams_where_one_may_write(
    client, reader_only, team, other_team, django_capture_on_commit_callbacks
):
    Membership.objects.create(team=other_team, user=reader_only, role=Membership.Role.MEMBER)
    client.force_login(reader_only)
    body = client.get(SAVE, SHARED).content.decode()
    assert f'<option value="{other_team.slug}" selected>' in body
    assert f'value="{team.slug}"' not in body
    with django_capture_on_commit_callbacks():
        response = client.post(SAVE, {**SHARED, "team": other_team.slug})
    assert response.status_code == 200
    assert Capture.objects.get().team == other_team


def test_a_team_one_is_not_in_is_not_found(owner_client, other_team):
    assert owner_client.post(SAVE, {**SHARED, "team": other_team.slug}).status_code == 404


def test_a_url_shared_as_text_is_saved_as_the_url(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        owner_client.post(SAVE, {"text": "https://example.org/as-text"})
    assert Capture.objects.get().url == "https://example.org/as-text"


# The bookmarklet -------------------------------------------------------------------


def test_the_bookmarklet_opens_the_absolute_save_url_with_encoded_values():
    href = bookmarklet_href("https://news.example.com/save/")
    assert href.startswith("javascript:(function(){")
    assert (
        "var u=\"https://news.example.com/save/\"+'?url='+encodeURIComponent(location.href)" in href
    )
    assert "'&title='+encodeURIComponent(d.title)" in href
    assert "'&selection='+encodeURIComponent(" in href
    assert "window.open(u,'newsreader'," in href
    # A javascript: URL is percent-decoded before it runs: no % may be in it.
    assert "%" not in href


def test_the_bookmarklet_page_escapes_the_href_in_the_attribute(owner_client):
    response = owner_client.get(BOOKMARKLET)
    assert response.status_code == 200
    body = response.content.decode()
    match = re.search(r'<a class="bookmarklet" href="([^"]*)"[^>]*>Save to newsreader</a>', body)
    assert match, body
    raw = match.group(1)
    assert "&quot;" in raw and "&amp;" in raw and "'" not in raw
    assert html.unescape(raw) == bookmarklet_href("http://testserver/save/")


def test_the_bookmarklet_page_needs_a_login(client):
    response = client.get(BOOKMARKLET)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_library_add_panel_links_to_the_bookmarklet(owner_client):
    assert f'href="{BOOKMARKLET}"'.encode() in owner_client.get(reverse("articles:library")).content
