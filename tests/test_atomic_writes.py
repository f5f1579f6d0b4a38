"""A worker that dies in the middle of a write leaves nothing half-written.

Every write of a highlight, note or reply is two statements: the row, then the
article's annotation count and version (what readers' caches are keyed on). The
worker's death is simulated between the two (the second raises); afterwards
the database must hold neither, as after a rollback. Each statement commits as
in production (transactional tests), so nothing is undone by the test itself.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import Article, ArticleNote, Highlight, Reply
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


class WorkerKilled(Exception):
    pass


@pytest.fixture
def article(team, owner):
    return make_article(team, user=owner)


@pytest.fixture
def highlight(article, owner):
    return create_highlight(article, owner, 0, 5, Highlight.Colour.YELLOW)[0]


@pytest.fixture
def dies_mid_write(monkeypatch):
    def touch(self):
        raise WorkerKilled

    def arm():
        monkeypatch.setattr(Article, "touch_annotations", touch)

    return arm


def post(user, url, data):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client.post(url, data)


def version(article):
    return Article.all_objects.get(pk=article.pk).annotations_version


def test_a_highlight_is_written_whole_or_not_at_all(article, owner, dies_mid_write):
    before = version(article)
    dies_mid_write()
    url = reverse("articles:highlight-create", args=[article.pk])
    assert post(owner, url, {"start": 0, "end": 5, "colour": "yellow"}).status_code == 500
    assert not Highlight.all_objects.exists()
    assert version(article) == before


def test_a_note_is_written_whole_or_not_at_all(article, owner, dies_mid_write):
    dies_mid_write()
    assert post(owner, reverse("articles:note-create", args=[article.pk]), {"body": "x"})
    assert not ArticleNote.all_objects.exists()


def test_a_reply_is_written_whole_or_not_at_all(highlight, teammate, dies_mid_write):
    dies_mid_write()
    post(teammate, reverse("articles:reply-create", args=[highlight.pk]), {"body": "Agreed"})
    assert not Reply.all_objects.exists()


def test_a_changed_note_is_written_whole_or_not_at_all(highlight, owner, dies_mid_write):
    dies_mid_write()
    post(owner, reverse("articles:highlight-note", args=[highlight.pk]), {"note": "Later"})
    assert Highlight.all_objects.get(pk=highlight.pk).note == ""


def test_a_deletion_is_written_whole_or_not_at_all(highlight, owner, dies_mid_write):
    dies_mid_write()
    url = reverse("articles:highlight-delete", args=[highlight.pk])
    post(owner, url, {"confirm": "yes"})
    assert Highlight.all_objects.get(pk=highlight.pk).deleted_at is None


def test_after_the_failure_the_same_write_succeeds(article, owner, dies_mid_write, monkeypatch):
    dies_mid_write()
    url = reverse("articles:highlight-create", args=[article.pk])
    post(owner, url, {"start": 0, "end": 5, "colour": "yellow"})
    monkeypatch.undo()  # the next worker, without repair
    assert post(owner, url, {"start": 0, "end": 5, "colour": "yellow"}).status_code in (201, 302)
    assert Highlight.all_objects.count() == 1
    assert version(article) == 1
