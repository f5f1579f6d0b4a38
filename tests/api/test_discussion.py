"""Replies under highlights and notes on articles, through the API."""

import pytest

from articles.highlighting import create_highlight
from articles.models import ArticleNote, Reply
from newsreader.lib.markdown import MAX_NOTE_CHARS
from tests.api.support import Caller, assert_error
from tests.factories import make_article

MARKDOWN = "Is this **costed**? See [the report](https://example.org/r) <script>alert(1)</script>"


@pytest.fixture
def article(team):
    return make_article(team)


@pytest.fixture
def highlight(article, teammate):
    start = article.text.index("battery boat")
    return create_highlight(article, teammate, start, start + 12, "yellow")[0]


def _reply(highlight, user, body="Me too"):
    reply = Reply(highlight=highlight, author=user)
    reply.set_body(body)
    return reply


def _note(article, user, body="A note"):
    note = ArticleNote(article=article, author=user)
    note.set_body(body)
    return note


def assert_invalid_body(response):
    error = assert_error(response, 422)
    assert error["details"][0]["where"][-1] == "body"


def assert_rendered(body_html):
    """The Markdown is rendered, and nothing that runs survives."""
    assert "<strong>costed</strong>" in body_html
    assert 'href="https://example.org/r"' in body_html
    assert "<script" not in body_html
    assert "&lt;script&gt;" in body_html  # raw HTML is shown as text


# Replies


def test_replies_are_listed_oldest_first(client, highlight, owner, teammate):
    first = _reply(highlight, owner, "First")
    second = _reply(highlight, teammate, "Second")
    trashed = _reply(highlight, owner, "Trashed")
    trashed.trash(owner)
    response = Caller(client, owner).get(f"highlights/{highlight.pk}/replies/")
    assert response.status_code == 200
    replies = response.json()
    assert [r["id"] for r in replies] == [first.pk, second.pk]
    assert replies[0] == {
        "id": first.pk,
        "highlight": highlight.pk,
        "author": owner.username,
        "author_name": owner.username,  # no display name: the username
        "body": "First",
        "body_html": "<p>First</p>",
        "removed": False,
        "created_at": replies[0]["created_at"],
        "updated_at": replies[0]["updated_at"],
    }


def test_replying(client, highlight, owner):
    api = Caller(client, owner)
    response = api.post(f"highlights/{highlight.pk}/replies/", {"body": f"  {MARKDOWN}\n"})
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["body"] == MARKDOWN and made["author"] == owner.username
    assert_rendered(made["body_html"])
    reply = Reply.objects.get(pk=made["id"])
    assert (reply.highlight, reply.author, reply.body) == (highlight, owner, MARKDOWN)
    assert api.get(f"replies/{reply.pk}/").json() == made
    assert highlight_reply_count(api, highlight) == 1


def highlight_reply_count(api, highlight):
    return api.get(f"highlights/{highlight.pk}/").json()["reply_count"]


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (MAX_NOTE_CHARS + 1), None])
def test_a_reply_without_a_body_or_over_the_limit_is_refused(client, highlight, owner, body):
    response = Caller(client, owner).post(f"highlights/{highlight.pk}/replies/", {"body": body})
    assert_invalid_body(response)
    assert not Reply.objects.exists()


def test_a_reply_at_the_limit_is_fine(client, highlight, owner):
    body = "x" * MAX_NOTE_CHARS
    response = Caller(client, owner).post(f"highlights/{highlight.pk}/replies/", {"body": body})
    assert response.status_code == 201


def test_replying_needs_write_and_a_visible_live_highlight(
    client, highlight, owner, reader_only, outsider
):
    path = f"highlights/{highlight.pk}/replies/"
    assert_error(Caller(client, reader_only).post(path, {"body": "Hi"}), 403)
    assert_error(Caller(client, owner, scope="read").post(path, {"body": "Hi"}), 403)
    assert_error(Caller(client, outsider).post(path, {"body": "Hi"}), 404)
    assert_error(Caller(client, outsider).get(path), 404)
    highlight.remove_by_moderator(owner)
    assert_error(Caller(client, owner).post(path, {"body": "Hi"}), 403)
    assert not Reply.objects.exists()


def test_replies_under_someones_private_highlight_are_hidden_from_others(
    client, article, owner, teammate
):
    start = article.text.index("council")
    private = create_highlight(article, teammate, start, start + 7, "blue", visibility="private")[0]
    reply = _reply(private, teammate, "To myself")
    author = Caller(client, teammate)
    assert [r["id"] for r in author.get(f"highlights/{private.pk}/replies/").json()] == [reply.pk]
    other = Caller(client, owner)
    missing = other.get(f"replies/{reply.pk + 100}/")
    for response in (
        other.get(f"highlights/{private.pk}/replies/"),
        other.post(f"highlights/{private.pk}/replies/", {"body": "Hi"}),
        other.get(f"replies/{reply.pk}/"),
        other.patch(f"replies/{reply.pk}/", {"body": "Edited"}),
        other.delete(f"replies/{reply.pk}/"),
    ):
        assert_error(response, 404)
    assert (
        other.get(f"replies/{reply.pk}/").json()["error"]["message"]
        == (missing.json()["error"]["message"])
    )
    reply.refresh_from_db()
    assert reply.body == "To myself" and reply.removed_at is None and reply.deleted_at is None


def test_the_author_edits_a_reply(client, highlight, owner, teammate):
    reply = _reply(highlight, teammate, "Frist")
    response = Caller(client, teammate).patch(f"replies/{reply.pk}/", {"body": MARKDOWN})
    assert response.status_code == 200, response.content
    assert response.json()["body"] == MARKDOWN
    assert_rendered(response.json()["body_html"])
    reply.refresh_from_db()
    assert reply.body == MARKDOWN
    assert_error(Caller(client, owner).patch(f"replies/{reply.pk}/", {"body": "Mine"}), 403)
    assert_error(Caller(client, teammate).patch(f"replies/{reply.pk}/", {"body": " "}), 422)
    reply.refresh_from_db()
    assert reply.body == MARKDOWN


def test_the_author_deletes_a_reply_to_the_trash(client, highlight, teammate):
    reply = _reply(highlight, teammate)
    api = Caller(client, teammate)
    assert api.delete(f"replies/{reply.pk}/").status_code == 204
    trashed = Reply.all_objects.get(pk=reply.pk)
    assert trashed.deleted_at is not None and trashed.removed_at is None
    assert_error(api.get(f"replies/{reply.pk}/"), 404)
    assert api.get(f"highlights/{highlight.pk}/replies/").json() == []


@pytest.mark.parametrize("moderator", ["owner", "team_admin"])
def test_a_moderator_removes_a_reply_leaving_a_marker(
    client, request, highlight, teammate, moderator
):
    moderator = request.getfixturevalue(moderator)
    reply = _reply(highlight, teammate, "SOMETHING RUDE")
    api = Caller(client, moderator)
    assert api.delete(f"replies/{reply.pk}/").status_code == 204
    reply.refresh_from_db()
    assert reply.removed_by == moderator and reply.deleted_at is None
    for shown in (
        api.get(f"replies/{reply.pk}/").json(),
        *api.get(f"highlights/{highlight.pk}/replies/").json(),
    ):
        assert shown["id"] == reply.pk and shown["removed"] is True
        assert shown["body"] == "" and shown["body_html"] == ""
    # Its author can no longer change it.
    author = Caller(client, teammate)
    assert_error(author.patch(f"replies/{reply.pk}/", {"body": "Sorry"}), 403)
    assert_error(author.delete(f"replies/{reply.pk}/"), 403)


def test_a_plain_member_may_not_delete_someone_elses_reply(
    client, highlight, owner, teammate, reader_only
):
    reply = _reply(highlight, owner)
    assert_error(Caller(client, teammate).delete(f"replies/{reply.pk}/"), 403)
    assert_error(Caller(client, reader_only).delete(f"replies/{reply.pk}/"), 403)
    reply.refresh_from_db()
    assert reply.removed_at is None and reply.deleted_at is None


# Article notes


def test_notes_are_listed_oldest_first(client, article, owner, teammate, outsider):
    teammate.first_name, teammate.last_name = "Tam", "Mate"
    teammate.save(update_fields=["first_name", "last_name"])
    first, second = _note(article, teammate, "First"), _note(article, owner, "Second")
    _note(article, owner, "Trashed").trash(owner)
    api = Caller(client, owner)
    notes = api.get(f"articles/{article.pk}/notes/").json()
    assert [n["id"] for n in notes] == [first.pk, second.pk]
    assert notes[0]["author"] == teammate.username and notes[0]["author_name"] == "Tam Mate"
    assert notes[0]["body_html"] == "<p>First</p>"
    assert notes[0]["article"] == article.pk
    assert_error(Caller(client, outsider).get(f"articles/{article.pk}/notes/"), 404)


def test_writing_a_note(client, article, owner):
    api = Caller(client, owner)
    response = api.post(f"articles/{article.pk}/notes/", {"body": MARKDOWN})
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["body"] == MARKDOWN and made["author"] == owner.username
    assert_rendered(made["body_html"])
    assert ArticleNote.objects.get(pk=made["id"]).article == article
    assert api.get(f"notes/{made['id']}/").json() == made


@pytest.mark.parametrize("body", ["", "  ", "x" * (MAX_NOTE_CHARS + 1)])
def test_a_note_without_a_body_or_over_the_limit_is_refused(client, article, owner, body):
    response = Caller(client, owner).post(f"articles/{article.pk}/notes/", {"body": body})
    assert_invalid_body(response)
    assert not ArticleNote.objects.exists()


def test_writing_notes_needs_write(client, article, owner, reader_only, outsider):
    path = f"articles/{article.pk}/notes/"
    assert_error(Caller(client, reader_only).post(path, {"body": "Hi"}), 403)
    assert_error(Caller(client, owner, scope="read").post(path, {"body": "Hi"}), 403)
    assert_error(Caller(client, outsider).post(path, {"body": "Hi"}), 404)
    assert not ArticleNote.objects.exists()


def test_the_author_edits_and_deletes_a_note(client, article, owner, teammate):
    note = _note(article, teammate)
    author, other = Caller(client, teammate), Caller(client, owner)
    assert_error(other.patch(f"notes/{note.pk}/", {"body": "Mine"}), 403)
    assert_error(other.delete(f"notes/{note.pk}/"), 403)
    edited = author.patch(f"notes/{note.pk}/", {"body": MARKDOWN})
    assert edited.status_code == 200
    assert_rendered(edited.json()["body_html"])
    assert_error(author.patch(f"notes/{note.pk}/", {"body": "x" * (MAX_NOTE_CHARS + 1)}), 422)
    note.refresh_from_db()
    assert note.body == MARKDOWN
    assert author.delete(f"notes/{note.pk}/").status_code == 204
    assert ArticleNote.all_objects.get(pk=note.pk).deleted_at is not None
    assert_error(author.get(f"notes/{note.pk}/"), 404)
    assert author.get(f"articles/{article.pk}/notes/").json() == []


def test_outsiders_cannot_reach_a_note(client, article, teammate, outsider):
    note = _note(article, teammate)
    api = Caller(client, outsider)
    missing = api.get(f"notes/{note.pk + 100}/")
    for response in (
        api.get(f"notes/{note.pk}/"),
        api.patch(f"notes/{note.pk}/", {"body": "x"}),
        api.delete(f"notes/{note.pk}/"),
    ):
        assert_error(response, 404)
        assert response.json() == missing.json()


def test_notes_of_a_trashed_article_are_gone(client, article, owner, teammate):
    note = _note(article, teammate)
    article.trash(owner)
    api = Caller(client, teammate)
    assert_error(api.get(f"notes/{note.pk}/"), 404)
    assert_error(api.get(f"articles/{article.pk}/notes/"), 404)
