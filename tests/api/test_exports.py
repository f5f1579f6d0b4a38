"""Exports through the API: the app's files, with a token, and the same visibility."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from articles.exports import EPUB_MAX_ARTICLES
from articles.highlighting import create_highlight
from articles.models import ArticleNote, Reply
from tests.api.support import Caller, assert_error
from tests.factories import make_article

FORMATS = ["json", "markdown", "jsonld", "csv", "epub"]
SHOWN = ["NOTE-TEAM", "NOTE-OWN-PRIVATE", "REPLY-SHOWN", "ARTICLE-NOTE-SHOWN"]
HIDDEN = ["NOTE-OTHERS-PRIVATE", "NOTE-REMOVED", "REPLY-REMOVED", "NOTE-TRASHED"]


def _highlight(article, user, word, note, **kwargs):
    start = article.text.index(word)
    highlight = create_highlight(article, user, start, start + len(word), "yellow", **kwargs)[0]
    highlight.set_note(note)
    return highlight


def _reply(highlight, user, body):
    reply = Reply(highlight=highlight, author=user)
    reply.set_body(body)
    return reply


@pytest.fixture
def articles(team, owner, teammate):
    """Two articles with everything an export may or may not show the owner."""
    made = []
    for title in ("Ferries", "Bridges"):
        article = make_article(team, title, url=f"https://example.org/{title.lower()}")
        shared = _highlight(article, teammate, "harbour ferries", "NOTE-TEAM")
        _highlight(article, owner, "eleven thousand", "NOTE-OWN-PRIVATE", visibility="private")
        _highlight(article, teammate, "battery boat", "NOTE-OTHERS-PRIVATE", visibility="private")
        _highlight(article, teammate, "council", "NOTE-REMOVED").remove_by_moderator(owner)
        _highlight(article, teammate, "water", "NOTE-TRASHED").trash(teammate)
        _reply(shared, owner, "REPLY-SHOWN")
        _reply(shared, teammate, "REPLY-REMOVED").remove_by_moderator(owner)
        note = ArticleNote(article=article, author=teammate)
        note.set_body("ARTICLE-NOTE-SHOWN")
        made.append(article)
    return made


@pytest.fixture
def api(owner):
    return Caller(Client(), owner, scope="read")


@pytest.fixture
def session(client, owner):
    client.force_login(owner)
    return client


def _contents(response):
    """What an export holds, comparable between two requests: the text of every file in it,
    without the moment it was made."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
    else:
        files = {"": data}
    texts = {}
    for name, content in files.items():
        text = content.decode("utf-8", errors="replace")
        if name == "" and text.startswith("{") and '"exported_at"' in text[:500]:
            document = json.loads(text)
            document.pop("exported_at")
            text = json.dumps(document, sort_keys=True)
        # EPUB metadata records when the book was made.
        texts[name] = "\n".join(
            line for line in text.splitlines() if "dcterms:modified" not in line
        )
    return texts


def _same_file(app, api):
    assert app.status_code == 200, app.content[:300]
    assert api.status_code == 200, getattr(api, "content", b"")[:300]
    assert api["Content-Type"] == app["Content-Type"]
    assert api["Content-Disposition"] == app["Content-Disposition"]
    texts = _contents(api)
    assert texts == _contents(app)
    return "\n".join(texts.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_articles_export_is_the_apps(session, api, articles, fmt):
    article = articles[0]
    app = session.get(reverse("articles:article-export", args=[article.pk, fmt]))
    text = _same_file(app, api.get(f"articles/{article.pk}/export/{fmt}/"))
    # A CSV has a row per highlight: article notes are not in it.
    for shown in SHOWN if fmt != "csv" else SHOWN[:-1]:
        assert shown in text, shown
    for hidden in HIDDEN:
        assert hidden not in text, hidden


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_teams_export_is_the_apps(session, api, team, articles, fmt):
    app = session.get(reverse("articles:team-export", args=[team.slug, fmt]))
    text = _same_file(app, api.get(f"teams/{team.slug}/export/{fmt}/"))
    assert "example.org/ferries" in text and "example.org/bridges" in text
    assert text.count("NOTE-TEAM") >= 2
    for hidden in HIDDEN:
        assert hidden not in text, hidden


@pytest.mark.parametrize("fmt", ["json", "csv", "epub"])
def test_a_teams_export_narrowed_by_ids_is_the_apps(session, api, team, articles, fmt):
    ids = str(articles[1].pk)
    app = session.get(reverse("articles:team-export", args=[team.slug, fmt]), {"ids": ids})
    text = _same_file(app, api.get(f"teams/{team.slug}/export/{fmt}/", {"ids": ids}))
    assert "example.org/bridges" in text and "example.org/ferries" not in text


def test_the_teammate_sees_their_own_private_note_and_not_the_owners(
    client, team, articles, teammate
):
    response = Caller(client, teammate).get(f"articles/{articles[0].pk}/export/json/")
    text = response.content.decode()
    assert "NOTE-OTHERS-PRIVATE" in text  # theirs
    assert "NOTE-OWN-PRIVATE" not in text  # the owner's


def test_a_read_only_member_exports(client, team, articles, reader_only):
    response = Caller(client, reader_only, scope="read").get(f"teams/{team.slug}/export/csv/")
    assert response.status_code == 200
    assert "NOTE-TEAM" in b"".join(response.streaming_content).decode()


def test_an_unknown_format_is_a_json_404(api, team, articles):
    assert_error(api.get(f"articles/{articles[0].pk}/export/pdf/"), 404, "format")
    assert_error(api.get(f"teams/{team.slug}/export/pdf/"), 404, "format")


@pytest.mark.parametrize("ids", ["1,two", "-1", "1,,²", "9" * 30])
def test_bad_ids_are_a_json_400(api, team, articles, ids):
    assert_error(api.get(f"teams/{team.slug}/export/json/", {"ids": ids}), 400, "ids")


def test_too_many_ids_for_an_epub_are_a_json_400(api, team, articles):
    ids = ",".join(str(n) for n in range(1, EPUB_MAX_ARTICLES + 2))
    assert_error(api.get(f"teams/{team.slug}/export/epub/", {"ids": ids}), 400, "EPUB")


def test_another_teams_exports_are_404_like_missing_ones(client, team, articles, outsider):
    api = Caller(client, outsider)
    theirs = api.get(f"articles/{articles[0].pk}/export/json/")
    assert_error(theirs, 404)
    assert theirs.json() == api.get(f"articles/{articles[0].pk + 100}/export/json/").json()
    team_export = api.get(f"teams/{team.slug}/export/json/")
    assert_error(team_export, 404)
    assert team_export.json() == api.get("teams/no-such-team/export/json/").json()


def test_exports_need_a_caller(client, team, articles):
    assert_error(client.get(f"/api/v1/articles/{articles[0].pk}/export/json/"), 401)
    assert_error(client.get(f"/api/v1/teams/{team.slug}/export/json/"), 401)
