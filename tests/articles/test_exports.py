"""Exports of an article and of a team: who may, what is in them, what never is."""

import csv
import io
import json
import zipfile
from pathlib import Path

import ebooklib
import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ebooklib import epub
from lxml import etree

from articles import exports
from articles.highlighting import create_highlight, delete_highlight
from articles.models import Article, ArticleNote, ArticleRead, Reply, Tag
from tests.factories import make_article

FORMATS = ["json", "markdown", "jsonld", "csv", "epub"]
MEMBERS = ["owner", "admin", "member", "readonly"]
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "export.schema.json").read_text())

# Written where each may be seen: what the owner's export must and must not hold.
SHOWN = ["NOTE-TEAM", "NOTE-OWN-PRIVATE", "REPLY-SHOWN", "ARTICLE-NOTE-SHOWN"]
HIDDEN = [
    "NOTE-OTHERS-PRIVATE",
    "NOTE-REMOVED",
    "NOTE-TRASHED",
    "REPLY-REMOVED",
    "REPLY-TRASHED",
    "ARTICLE-NOTE-TRASHED",
]


def _highlight(article, user, word, colour="yellow", n=0, **kwargs):
    start = article.text.index(word, n)
    return create_highlight(article, user, start, start + len(word), colour, **kwargs)[0]


def _reply(highlight, user, body):
    reply = Reply(highlight=highlight, author=user)
    reply.set_body(body)
    return reply


@pytest.fixture
def people(owner, team_admin, teammate, reader_only, outsider):
    return {
        "owner": owner,
        "admin": team_admin,
        "member": teammate,
        "readonly": reader_only,
        "outsider": outsider,
    }


@pytest.fixture
def article(team, owner, teammate, team_admin):
    article = make_article(team, "Ferries", url="https://example.com/ferries")
    article.tags.add(Tag.objects.create(team=team, name="council"))
    ArticleRead.objects.create(article=article, user=teammate)
    shown = _highlight(article, teammate, "harbour ferries", "green")
    shown.set_note("NOTE-TEAM")
    _reply(shown, owner, "REPLY-SHOWN")
    _reply(shown, team_admin, "REPLY-REMOVED").remove_by_moderator(owner)
    _reply(shown, teammate, "REPLY-TRASHED").trash(teammate)
    _highlight(article, owner, "eleven", visibility="private").set_note("NOTE-OWN-PRIVATE")
    _highlight(article, teammate, "thousand", visibility="private").set_note("NOTE-OTHERS-PRIVATE")
    removed = _highlight(article, teammate, "council", "red")
    removed.set_note("NOTE-REMOVED")
    removed.remove_by_moderator(owner)
    trashed = _highlight(article, teammate, "battery", "blue")
    trashed.set_note("NOTE-TRASHED")
    delete_highlight(trashed, teammate)
    for body in ("ARTICLE-NOTE-SHOWN", "ARTICLE-NOTE-TRASHED"):
        note = ArticleNote(article=article, author=teammate)
        note.set_body(body)
    note.trash(teammate)
    return article


def article_url(article, fmt):
    return reverse("articles:article-export", args=[article.pk, fmt])


def team_url(team, fmt):
    return reverse("articles:team-export", args=[team.slug, fmt])


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(fmt, data):
    """The text a person would read in the file, whatever its packaging."""
    if data[:2] != b"PK":
        return data.decode()
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_may_export_an_article_and_the_team(client, people, article, team, role, fmt):
    client.force_login(people[role])
    for url in (article_url(article, fmt), team_url(team, fmt)):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert "no-store" in response["Cache-Control"]
        assert "harbour ferries" in text_of(fmt, body_of(response))


@pytest.mark.parametrize("fmt", FORMATS)
def test_outsiders_get_exactly_what_a_missing_article_or_team_gives(
    client, people, article, team, fmt
):
    client.force_login(people["outsider"])
    theirs = client.get(article_url(article, fmt))
    missing = client.get(reverse("articles:article-export", args=[article.pk + 1000, fmt]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    theirs = client.get(team_url(team, fmt))
    missing = client.get(reverse("articles:team-export", args=["no-such-team", fmt]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_anonymous_users_are_sent_to_log_in(client, article, team):
    for url in (article_url(article, "json"), team_url(team, "json")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_wrong_method_and_an_unknown_format_are_refused(client, people, article, team):
    client.force_login(people["owner"])
    for url in (article_url(article, "csv"), team_url(team, "csv")):
        assert client.post(url).status_code == 405
    assert client.get(article_url(article, "docx")).status_code == 404
    assert client.get(team_url(team, "docx")).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_private_to_others_trashed_or_removed_leaves(client, people, article, team, fmt):
    client.force_login(people["owner"])
    # The CSV is of highlights: it has no article notes.
    shown = [m for m in SHOWN if not (fmt == "csv" and m.startswith("ARTICLE-NOTE"))]
    for url in (article_url(article, fmt), team_url(team, fmt)):
        text = text_of(fmt, body_of(client.get(url)))
        for marker in shown:
            assert marker in text, (url, marker)
        for marker in HIDDEN:
            assert marker not in text, (url, marker)


def test_each_member_sees_their_own_private_highlights_only(client, people, article):
    client.force_login(people["member"])
    text = client.get(article_url(article, "csv")).content.decode()
    assert "NOTE-OTHERS-PRIVATE" in text  # tariq's own
    assert "NOTE-OWN-PRIVATE" not in text  # olivia's


def test_the_json_export_follows_the_schema(client, people, article, team):
    client.force_login(people["owner"])
    make_article(team, "Empty one", paragraphs=1)
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for url in (article_url(article, "json"), team_url(team, "json")):
        document = json.loads(body_of(client.get(url)))
        validator.validate(document)
    assert [a["title"] for a in document["articles"]] == ["Ferries", "Empty one"]
    ferries = document["articles"][0]
    assert document["team"] == "newsroom" and ferries["tags"] == ["council"]
    assert ferries["readers"][0]["user"] == "tariq" and ferries["read"] is False
    assert ferries["original"]["content_base64"]
    assert [h["note"] for h in ferries["highlights"]] == ["NOTE-TEAM", "NOTE-OWN-PRIVATE"]
    assert ferries["highlights"][0]["meaning"] == "Evidence"
    assert [r["body"] for r in ferries["highlights"][0]["replies"]] == ["REPLY-SHOWN"]


def test_people_go_by_the_name_the_reader_shows(client, people, article):
    teammate = people["member"]
    teammate.first_name, teammate.last_name = "Tariq", "Aziz"
    teammate.save(update_fields=["first_name", "last_name"])
    client.force_login(people["owner"])
    document = json.loads(body_of(client.get(article_url(article, "json"))))
    jsonschema.validate(document, SCHEMA)
    shown = document["articles"][0]["highlights"][0]
    # The username maps back to an account on import; the name is for people.
    assert (shown["author"], shown["author_name"]) == (teammate.username, "Tariq Aziz")
    reply = shown["replies"][0]
    assert (reply["author"], reply["author_name"]) == ("olivia", "olivia")  # no display name
    markdown = body_of(client.get(article_url(article, "markdown"))).decode()
    assert "· Tariq Aziz" in markdown
    table = body_of(client.get(article_url(article, "csv"))).decode()
    rows = list(csv.DictReader(io.StringIO(table)))
    assert rows[0]["author"] == teammate.username and rows[0]["author_name"] == "Tariq Aziz"
    annotations = json.loads(body_of(client.get(article_url(article, "jsonld"))))
    assert annotations[0]["creator"]["name"] == "Tariq Aziz"


def test_the_schema_refuses_what_the_format_does_not_have(client, people, article):
    client.force_login(people["owner"])
    document = json.loads(client.get(article_url(article, "json")).content)
    document["articles"][0]["highlights"][0]["removed"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_json_ld_has_an_annotation_per_highlight_and_reply(client, people, article):
    client.force_login(people["owner"])
    response = client.get(article_url(article, "jsonld"))
    assert response["Content-Type"].startswith("application/ld+json")
    found = json.loads(response.content)
    highlights = [a for a in found if "selector" in a["target"]]
    replies = [a for a in found if a["motivation"] == "replying"]
    page_notes = [a for a in found if a["target"] == {"source": "https://example.com/ferries"}]
    assert len(highlights) == 2 and len(replies) == 1 and len(page_notes) == 1
    assert page_notes[0]["body"]["value"] == "ARTICLE-NOTE-SHOWN"
    assert page_notes[0]["id"].startswith("http://testserver/articles/")
    for annotation in found:
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert annotation["type"] == "Annotation"
        assert annotation["id"].startswith("http://testserver/")
    target = highlights[0]["target"]
    assert target["source"] == "https://example.com/ferries"
    assert {s["type"] for s in target["selector"]} == {
        "TextQuoteSelector",
        "TextPositionSelector",
    }
    assert replies[0]["target"] == highlights[0]["id"]
    assert highlights[0]["creator"]["nickname"] == "tariq"


def test_csv_cells_cannot_become_formulas(client, people, article, teammate):
    _highlight(article, teammate, "replace").set_note('=HYPERLINK("http://evil.test")')
    client.force_login(people["owner"])
    rows = list(csv.DictReader(io.StringIO(client.get(article_url(article, "csv")).text)))
    notes = [row["note"] for row in rows]
    assert '\'=HYPERLINK("http://evil.test")' in notes
    assert all(row["url"] == "https://example.com/ferries" for row in rows)
    assert {row["meaning"] for row in rows} == {"Evidence", "Key point"}


def test_a_hostile_title_makes_a_harmless_file_name(client, people, article):
    Article.objects.filter(pk=article.pk).update(title='../../etc/passwd"\r\nX: y')
    client.force_login(people["owner"])
    response = client.get(article_url(article, "markdown"))
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="etcpasswd-x-y.md"'
    assert not response.has_header("X")
    assert 'title: "../../etc/passwd\\"\\r\\nX: y"' in response.content.decode()


def test_the_team_markdown_export_is_a_zip_of_uniquely_named_files(client, people, article, team):
    make_article(team, "Ferries", paragraphs=2)
    client.force_login(people["owner"])
    response = client.get(team_url(team, "markdown"))
    assert response.streaming and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body_of(response)))
    assert archive.namelist() == ["ferries.md", "ferries-2.md"]
    first = archive.read("ferries.md").decode()
    assert first.startswith('---\ntitle: "Ferries"\nurl: "https://example.com/ferries"\n')
    assert "**Evidence** · tariq\n\n> harbour ferries\n\nNOTE-TEAM" in first
    assert "- olivia: REPLY-SHOWN" in first


@pytest.mark.parametrize("fmt", ["json", "jsonld", "csv", "markdown"])
def test_team_exports_stream(client, people, article, team, fmt):
    client.force_login(people["owner"])
    response = client.get(team_url(team, fmt))
    assert response.streaming


def test_the_epub_reads_back(client, people, article, team, tmp_path):
    client.force_login(people["owner"])
    make_article(team, "Second story")
    for url, chapters in ((article_url(article, "epub"), 1), (team_url(team, "epub"), 2)):
        data = client.get(url).content
        archive = zipfile.ZipFile(io.BytesIO(data))
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf = container.find(".//{*}rootfile").get("full-path")
        etree.fromstring(archive.read(opf))
        path = tmp_path / "book.epub"
        path.write_bytes(data)
        book = epub.read_epub(str(path))
        documents = [
            item
            for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT)
            if item.get_name().startswith("article-")
        ]
        assert len(documents) == chapters
        for item in documents:
            etree.fromstring(archive.read("EPUB/" + item.get_name()))
    chapter = etree.fromstring(archive.read("EPUB/" + documents[0].get_name()))
    marks = chapter.findall(".//{http://www.w3.org/1999/xhtml}mark")
    assert {mark.text for mark in marks} == {"harbour ferries", "eleven"}


def test_a_selection_of_articles_by_ids(client, people, article, team, other_team):
    second = make_article(team, "Second story")
    elsewhere = make_article(other_team, "Not ours")
    client.force_login(people["owner"])
    url = team_url(team, "json") + f"?ids={second.pk},{elsewhere.pk}"
    document = json.loads(body_of(client.get(url)))
    assert [a["title"] for a in document["articles"]] == ["Second story"]
    url = team_url(team, "epub") + f"?ids={article.pk}&ids={second.pk}"
    assert client.get(url).status_code == 200
    assert client.get(team_url(team, "epub") + "?ids=1;drop").status_code == 400


def test_the_epub_of_a_team_takes_the_newest_articles(client, people, team, monkeypatch):
    monkeypatch.setattr(exports, "EPUB_MAX_ARTICLES", 2)
    for title in ("Oldest", "Middle", "Newest"):
        make_article(team, title)
    client.force_login(people["owner"])
    text = text_of("epub", client.get(team_url(team, "epub")).content)
    assert "Newest" in text and "Middle" in text and "Oldest" not in text
    ids = ",".join(str(pk) for pk in Article.objects.values_list("pk", flat=True))
    assert client.get(team_url(team, "epub") + f"?ids={ids}").status_code == 400


def _busy_articles(team, users, count, start):
    for n in range(start, start + count):
        article = make_article(team, f"Story {n}", paragraphs=2)
        article.tags.add(Tag.objects.get_or_create(team=team, name=f"tag{n % 3}")[0])
        for user, word in zip(users, ("harbour", "ferries"), strict=False):
            highlight = _highlight(article, user, word)
            _reply(highlight, user, "Agreed")
            ArticleRead.objects.create(article=article, user=user)
        note = ArticleNote(article=article, author=users[0])
        note.set_body("A note")


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body_of(response)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("fmt", FORMATS)
def test_team_export_queries_do_not_grow_with_articles(client, people, team, monkeypatch, fmt):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    client.force_login(people["owner"])
    users = [people["owner"], people["member"]]
    url = team_url(team, fmt)
    _busy_articles(team, users, 3, 0)
    one_chunk = _queries(client, url)
    _busy_articles(team, users, 3, 3)
    two_chunks = _queries(client, url)
    _busy_articles(team, users, 3, 6)
    three_chunks = _queries(client, url)
    # The same queries for each chunk, however many highlights, replies and notes.
    assert three_chunks - two_chunks == two_chunks - one_chunk <= 8


def test_the_reader_and_the_team_page_link_to_the_exports(client, people, article, team):
    client.force_login(people["readonly"])
    page = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
    team_page = client.get(reverse("teams:team-settings", args=[team.slug])).content.decode()
    for fmt in FORMATS:
        assert f'href="{article_url(article, fmt)}"' in page
        assert f'href="{team_url(team, fmt)}"' in team_page


@pytest.mark.parametrize("ids", ["²", "1,²", "9" * 30])
def test_odd_ids_are_a_bad_request_not_an_error(client, owner, team, ids):
    client.force_login(owner)
    for fmt in ("json", "epub"):
        url = reverse("articles:team-export", args=[team.slug, fmt])
        assert client.get(url, {"ids": ids}).status_code == 400
