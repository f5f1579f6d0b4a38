"""The note editor's Preview (articles/previews.py): every role, the bounds, both answers."""

import pytest
from django.urls import reverse

from articles import previews
from newsreader.lib.markdown import MAX_NOTE_CHARS
from tests.factories import make_article

HX = {"HX-Request": "true"}
NOTE = "# Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>"


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner)


def preview_url(article):
    return reverse("articles:note-preview", args=[article.pk])


@pytest.mark.parametrize("who", ["owner", "team_admin", "teammate"])
def test_writers_get_the_rendered_fragment(client, request, article, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(preview_url(article), {"body": NOTE}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Heading</h1>" in html and "<td>1</td>" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    # A fragment, not a page.
    assert "<html" not in html and "HX-Request" in response["Vary"]


def test_a_highlight_note_is_previewed_from_its_field(client, owner, article):
    client.force_login(owner)
    response = client.post(preview_url(article), {"note": "~~old~~ new"}, headers=HX)
    assert "<s>old</s> new" in response.content.decode()


def test_an_empty_note_says_there_is_nothing_yet(client, owner, article):
    client.force_login(owner)
    response = client.post(preview_url(article), {"body": "  "}, headers=HX)
    assert response.status_code == 200
    assert "Nothing to preview yet." in response.content.decode()


def test_without_htmx_it_is_a_page(client, owner, article):
    client.force_login(owner)
    response = client.post(preview_url(article), {"body": "**bold**"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Preview of your note</h1>" in html and "<strong>bold</strong>" in html
    assert reverse("articles:article-detail", args=[article.pk]) in html


def test_read_only_members_are_refused(client, reader_only, article):
    client.force_login(reader_only)
    assert client.post(preview_url(article), {"body": "x"}, headers=HX).status_code == 403


def test_outsiders_get_not_found(client, outsider, article):
    client.force_login(outsider)
    assert client.post(preview_url(article), {"body": "x"}, headers=HX).status_code == 404
    assert client.post(reverse("articles:note-preview", args=[999999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, article):
    response = client.post(preview_url(article), {"body": "x"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(preview_url(article), {"body": "x"}, headers=HX)
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("login"))


def test_only_post(client, owner, article):
    client.force_login(owner)
    assert client.get(preview_url(article)).status_code == 405


def test_csrf_is_required(owner, article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(preview_url(article), {"body": "x"}).status_code == 403


def test_a_note_over_the_limit_is_explained(client, owner, article):
    client.force_login(owner)
    response = client.post(preview_url(article), {"body": "x" * (MAX_NOTE_CHARS + 1)}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in html and "at most 10000 characters" in html


def test_previews_are_rate_limited_per_user(client, owner, teammate, article, monkeypatch):
    monkeypatch.setattr(previews, "PREVIEWS_PER_MINUTE", 3)
    client.force_login(owner)
    codes = [
        client.post(preview_url(article), {"body": "x"}, headers=HX).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    client.force_login(teammate)
    assert client.post(preview_url(article), {"body": "x"}, headers=HX).status_code == 200


def test_the_editors_offer_a_preview(client, owner, article):
    client.force_login(owner)
    html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
    assert f'hx-post="{preview_url(article)}"' in html
    assert f'formaction="{preview_url(article)}"' in html
    assert 'class="note-preview"' in html
