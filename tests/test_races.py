"""Objects deleted between the access check and the write: 404, never a 500.

The race is made deterministic: the access helper returns the object, then
a teammate's delete lands (the row goes from the database) before the view writes.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles import views
from articles.highlighting import create_highlight
from articles.models import Article, ArticleNote, Highlight, Reply
from tests.factories import make_article

# Each statement commits, as in production: a foreign key to a deleted row fails at once
# (inside a test's transaction the check would wait for its end).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article(team, owner):
    return make_article(team, user=owner)


@pytest.fixture
def highlight(article, owner):
    return create_highlight(article, owner, 0, 5, Highlight.Colour.YELLOW)[0]


def deleted_after_check(monkeypatch, helper, delete):
    """Make views.<helper> return its object, then delete `delete(obj)` from the database."""
    original = getattr(views, helper)

    def racing(*args, **kwargs):
        found = original(*args, **kwargs)
        delete(found)
        return found

    monkeypatch.setattr(views, helper, racing)


def gone_article(found):
    article = found if isinstance(found, Article) else found.article
    Article.all_objects.filter(pk=article.pk).delete()


def gone_highlight(found):
    Highlight.all_objects.filter(pk=found.pk).delete()


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("htmx", [False, True])
def test_a_highlight_on_an_article_deleted_meanwhile_is_a_404(article, owner, monkeypatch, htmx):
    deleted_after_check(monkeypatch, "get_article_for_write", gone_article)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("articles:highlight-create", args=[article.pk])
    response = client_for(owner).post(url, {"start": 0, "end": 5, "colour": "yellow"}, **headers)
    assert response.status_code == 404
    assert not Highlight.all_objects.exists()


def test_a_note_on_an_article_deleted_meanwhile_is_a_404(article, owner, monkeypatch):
    deleted_after_check(monkeypatch, "get_article_for_write", gone_article)
    url = reverse("articles:note-create", args=[article.pk])
    response = client_for(owner).post(url, {"body": "A thought"})
    assert response.status_code == 404
    assert not ArticleNote.all_objects.exists()


def test_a_reply_to_a_highlight_deleted_meanwhile_is_a_404(highlight, teammate, monkeypatch):
    deleted_after_check(monkeypatch, "get_highlight_for_reply", gone_highlight)
    url = reverse("articles:reply-create", args=[highlight.pk])
    response = client_for(teammate).post(url, {"body": "Agreed"})
    assert response.status_code == 404
    assert not Reply.all_objects.exists()


def test_a_note_on_a_highlight_deleted_meanwhile_is_a_404(highlight, owner, monkeypatch):
    deleted_after_check(monkeypatch, "get_highlight_for_write", gone_highlight)
    url = reverse("articles:highlight-note", args=[highlight.pk])
    assert client_for(owner).post(url, {"note": "Later"}).status_code == 404


def test_a_reply_on_an_article_deleted_meanwhile_is_a_404(highlight, teammate, monkeypatch):
    deleted_after_check(monkeypatch, "get_highlight_for_reply", gone_article)
    url = reverse("articles:reply-create", args=[highlight.pk])
    assert client_for(teammate).post(url, {"body": "Agreed"}).status_code == 404


def test_the_api_answers_404_too(article, owner, monkeypatch):
    import api.highlights

    original = api.highlights.get_article_for_write

    def racing(*args, **kwargs):
        found = original(*args, **kwargs)
        gone_article(found)
        return found

    monkeypatch.setattr(api.highlights, "get_article_for_write", racing)
    client = client_for(owner)
    url = f"/api/v1/articles/{article.pk}/highlights/"
    response = client.post(url, {"start": 0, "end": 5}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
