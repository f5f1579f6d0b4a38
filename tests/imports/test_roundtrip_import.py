"""Our own export (newsreader version 2) imported into an empty team loses nothing:
highlights with their places, visibility, authors and threads, article notes, reads
and states. Ids aside, and the importing member's state times aside (the export has
flags, not times), everything lands as it was.

The code under test: imports/batches.py, with newsreader/lib/formats/json_formats.py;
the round trip also goes through the team export (articles/exports.py).
"""

import base64
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import Article, ArticleNote, ArticleRead, ArticleState, Highlight, Reply, Tag
from articles.originals import create_article
from imports import batches
from imports.models import ImportItem
from newsreader.lib.markdown import render_note
from teams.models import Membership, Team

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "imports" / "newsreader-v2.json"
SCHEMA = json.loads((ROOT / "docs" / "export.schema.json").read_text())


def at(*args):
    return datetime(*args, tzinfo=UTC)


def username(user):
    return user.username if user else None


def highlights_of(article):
    return [
        (
            h.exact,
            h.prefix,
            h.suffix,
            h.start,
            h.end,
            h.is_orphan,
            h.colour,
            h.visibility,
            username(h.author),
            h.note,
            h.note_html,
            h.created_at,
            h.updated_at,
            [
                (username(r.author), r.body, r.body_html, r.created_at, r.updated_at)
                for r in Reply.objects.filter(highlight=h).order_by("created_at", "id")
            ],
        )
        for h in Highlight.objects.filter(article=article).order_by("created_at", "id")
    ]


def notes_of(article):
    return [
        (username(n.author), n.body, n.body_html, n.created_at, n.updated_at)
        for n in ArticleNote.objects.filter(article=article).order_by("created_at", "id")
    ]


def reads_of(article):
    return sorted((r.user.username, r.read_at) for r in ArticleRead.objects.filter(article=article))


def states_of(article):
    return sorted(
        (s.user.username, s.archived_at is not None, s.starred_at is not None, s.progress)
        for s in ArticleState.objects.filter(article=article)
    )


def article_of(article):
    return {
        "title": article.title,
        "url": article.source_url,
        "byline": article.byline,
        "published": article.published,
        "saved_at": article.saved_at,
        "original": bytes(article.original),
        "content_type": article.original_content_type,
        "filename": article.original_filename,
        "kind": article.kind,
        "tags": sorted(article.tags.values_list("name", flat=True)),
        "text": article.text,
        "html": article.html,
    }


def everything(team):
    """The team's articles, with all of their work, by title."""
    return {
        a.title: {
            **article_of(a),
            "highlights": highlights_of(a),
            "notes": notes_of(a),
            "reads": reads_of(a),
            "states": states_of(a),
        }
        for a in Article.objects.filter(team=team)
    }


# --- The hand-written fixture ---------------------------------------------------------------


def test_the_fixture_has_the_shape_the_exporter_writes():
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(json.loads(FIXTURE.read_text()))


def test_every_field_of_the_fixture_lands(team, owner, teammate):
    batch = batches.import_paths(team, owner, [FIXTURE])
    assert (batch.created_count, batch.failed_count, batch.duplicate_count) == (2, 0, 0)
    assert not ImportItem.objects.exclude(warnings=[]).exists()
    found = everything(team)
    exported = json.loads(FIXTURE.read_text())["articles"]

    ferries = found["Ferries go electric"]
    assert {key: ferries[key] for key in ("url", "byline", "published", "saved_at")} == {
        "url": "https://news.example/ferries",
        "byline": "Mara Lind",
        "published": date(2024, 3, 5),
        "saved_at": at(2024, 3, 6, 8, 0),
    }
    assert ferries["original"] == base64.b64decode(exported[0]["original"]["content_base64"])
    assert (ferries["content_type"], ferries["filename"], ferries["kind"]) == (
        "text/html; charset=utf-8",
        "ferries.html",
        "html",
    )
    assert ferries["tags"] == ["council", "ferries"]
    assert ferries["text"].startswith("The council voted on Tuesday to replace")
    decision = "replace the harbour's diesel ferries with battery boats"
    assert ferries["highlights"] == [
        (
            decision,
            "The council voted on Tuesday to ",
            ".\nThe first boat arrives in spri",
            32,
            87,
            False,
            "yellow",
            "team",
            "olivia",
            "The *decision* itself.",
            render_note("The *decision* itself."),
            at(2024, 3, 6, 9, 1),
            at(2024, 3, 6, 9, 20),
            [
                (
                    "tariq",
                    "Which budget cycle was this?",
                    render_note("Which budget cycle was this?"),
                    at(2024, 3, 7, 10, 35),
                    at(2024, 3, 7, 10, 36),
                ),
                (
                    "olivia",
                    "The third, in **2023**.",
                    render_note("The third, in **2023**."),
                    at(2024, 3, 7, 11, 0),
                    at(2024, 3, 7, 11, 0),
                ),
            ],
        ),
        (
            "eleven minutes",
            "ing, and the crossing will take ",
            ", as it does now.\nCharging happe",
            150,
            164,
            False,
            "green",
            "private",
            "olivia",
            "Check against the timetable.",
            render_note("Check against the timetable."),
            at(2024, 3, 6, 9, 2),
            at(2024, 3, 6, 9, 2),
            [],
        ),
        # The same passage by another author is a highlight of its own.
        (
            decision,
            "The council voted on Tuesday to ",
            ".\nThe first boat arrives in spri",
            32,
            87,
            False,
            "blue",
            "team",
            "tariq",
            "",
            "",
            at(2024, 3, 7, 10, 31),
            at(2024, 3, 7, 10, 31),
            [],
        ),
        # An orphan stays one, with its quote, its last position and its thread;
        # a reply whose author's account is gone keeps no author.
        (
            "the old ferries will be sold to a museum",
            "Tuesday's vote also decided that ",
            ". The museum",
            88,
            128,
            True,
            "red",
            "team",
            "tariq",
            "This was cut from the article.",
            render_note("This was cut from the article."),
            at(2024, 3, 7, 10, 32),
            at(2024, 3, 8, 12, 0),
            [
                (
                    None,
                    "It is in the minutes, though.",
                    render_note("It is in the minutes, though."),
                    at(2024, 3, 8, 12, 30),
                    at(2024, 3, 8, 12, 30),
                )
            ],
        ),
    ]
    assert ferries["notes"] == [
        (
            "olivia",
            "Follow up with the **port authority**.",
            render_note("Follow up with the **port authority**."),
            at(2024, 3, 6, 9, 5),
            at(2024, 3, 6, 9, 15),
        ),
        (
            "tariq",
            "The budget figures are on page 4.",
            render_note("The budget figures are on page 4."),
            at(2024, 3, 7, 10, 40),
            at(2024, 3, 7, 10, 40),
        ),
    ]
    assert ferries["reads"] == [
        ("olivia", at(2024, 3, 6, 9, 0)),
        ("tariq", at(2024, 3, 7, 10, 30)),
    ]
    # The exporting member's state becomes the importing member's.
    assert ferries["states"] == [("olivia", False, True, 0.4)]

    harbour = found["Harbour notes"]
    assert (harbour["url"], harbour["published"], harbour["kind"]) == ("", None, "markdown")
    assert (harbour["content_type"], harbour["filename"]) == (
        "text/markdown; charset=utf-8",
        "harbour.md",
    )
    assert harbour["tags"] == ["harbour"]
    assert [(h[0], h[3], h[4], h[7], h[8], len(h[13])) for h in harbour["highlights"]] == [
        ("Most days the log fills a page", 60, 90, "private", "olivia", 0),
        ("on regatta days it fills four", 92, 121, "team", "olivia", 1),
        ("keeps a log of every boat", 19, 44, "team", "tariq", 0),
    ]
    assert harbour["notes"] == []
    assert harbour["reads"] == [("tariq", at(2024, 4, 2, 8, 0))]
    assert harbour["states"] == [("olivia", True, False, None)]


def test_an_author_who_is_not_a_member_is_attributed_to_the_importer(team, owner):
    # tariq is not in this team: his highlights, replies and notes become olivia's.
    batch = batches.import_paths(team, owner, [FIXTURE])
    assert (batch.created_count, batch.failed_count) == (2, 0)
    ferries = Article.objects.get(title="Ferries go electric")
    item = ImportItem.objects.get(article=ferries)
    assert item.warnings == [
        "The author 'tariq' is not a member of this team; attributed to you.",
        "The reader 'tariq' is not a member of this team; their read is left out.",
    ]
    assert set(Highlight.objects.values_list("author__username", flat=True)) == {"olivia"}
    assert set(Reply.objects.values_list("author__username", flat=True)) == {"olivia", None}
    assert set(ArticleNote.objects.values_list("author__username", flat=True)) == {"olivia"}
    assert reads_of(ferries) == [("olivia", at(2024, 3, 6, 9, 0))]
    # tariq's bare repeat of olivia's passage is now hers twice over: one highlight.
    placed = Highlight.objects.filter(article=ferries, is_orphan=False)
    assert sorted(placed.values_list("colour", flat=True)) == ["green", "yellow"]
    # The orphan stays (orphans are never in each other's way).
    assert Highlight.objects.filter(article=ferries, is_orphan=True).count() == 1
    # The report lists the warnings.
    assert item in ImportItem.objects.reported()


def test_warnings_are_not_repeated_when_a_dry_run_is_made_real(team, owner):
    batch = batches.import_paths(team, owner, [FIXTURE], dry_run=True)
    assert batches.make_real(batch)
    batches.run_batch(batch)
    item = ImportItem.objects.get(position=1)
    assert len(item.warnings) == 2 and item.status == ImportItem.Status.CREATED


def test_a_repeat_with_words_of_its_own_waits_among_the_orphans(team, owner, tmp_path):
    document = json.loads(FIXTURE.read_text())
    first = document["articles"][0]["highlights"][0]
    document["articles"][0]["highlights"].append(
        {**first, "note": "Another thought", "replies": [], "colour": "green"}
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    batches.import_paths(team, owner, [path])
    repeats = Highlight.objects.filter(exact=first["exact"], author=owner)
    assert sorted(repeats.values_list("note", "is_orphan")) == [
        ("Another thought", True),
        ("The *decision* itself.", False),
    ]


def test_the_stored_position_is_tried_before_the_quote(team, owner, tmp_path):
    # "log" is in the text twice, with no context stored: the position decides.
    document = json.loads(FIXTURE.read_text())
    harbour = document["articles"][1]
    text = "The harbour master keeps a log of every boat that comes in.\nMost days the log"
    second = text.index("the log") + len("the ")
    harbour["highlights"] = [
        {"exact": "log", "prefix": "", "suffix": "", "start": second, "end": second + 3}
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    batches.import_paths(team, owner, [path])
    highlight = Highlight.objects.get(article__title="Harbour notes")
    assert (highlight.start, highlight.end, highlight.is_orphan) == (second, second + 3, False)
    assert highlight.exact == "log" and highlight.prefix.endswith("Most days the ")


def test_the_queries_of_a_chunk_do_not_grow_with_its_articles(team, owner, teammate, tmp_path):
    document = json.loads(FIXTURE.read_text())
    ferries = document["articles"][0]

    def export_of(count):
        articles = []
        for n in range(count):
            html = base64.b64decode(ferries["original"]["content_base64"]).replace(
                b"Ferries go electric", f"Ferries go electric, part {count}.{n}".encode()
            )
            original = {**ferries["original"], "content_base64": base64.b64encode(html).decode()}
            articles.append(
                {**ferries, "url": f"{ferries['url']}/{count}/{n}", "original": original}
            )
        path = tmp_path / f"export-{count}.json"
        path.write_text(json.dumps({**document, "articles": articles}))
        return batches.stage_batch(team, owner, [{"name": path.name, "path": path}])

    counts = []
    for count in (2, 4):
        batch = export_of(count)
        with CaptureQueriesContext(connection) as queries:
            batches.run_batch(batch)
        counts.append(len(queries))
    assert Highlight.objects.count() == 4 * (2 + 4)
    assert counts[0] == counts[1]


# --- The round trip through the exporter ----------------------------------------------------

HTML = """<html><head><title>Ferries go electric</title></head><body><article>
<h1>Ferries go electric</h1><p class="byline">By Mara Lind</p>
<p>The council voted on Tuesday to replace the harbour's diesel ferries with battery boats,
after a debate that ran through three budget cycles.</p>
<p>The first boat arrives in spring, and the crossing will take eleven minutes, as it does
now. Charging happens at the north quay overnight.</p></article></body></html>"""
MARKDOWN = """# Harbour notes

The harbour master keeps a log of every boat that comes in.

Most days the log fills a page; on regatta days it fills four.
"""


def _highlight(article, user, words, colour="yellow", **kwargs):
    start = article.text.index(words)
    return create_highlight(article, user, start, start + len(words), colour, **kwargs)[0]


def _written(model, user, body, **fields):
    row = model(author=user, **fields)
    row.set_body(body)
    return row


@pytest.fixture
def source(team, owner, teammate, team_admin):
    """A team with every kind of object, by three members, at distinct times."""
    ferries = create_article(
        team, HTML, user=owner, url="https://news.example/ferries", filename="ferries.html"
    )
    harbour = create_article(
        team, MARKDOWN.encode(), user=teammate, content_type="text/markdown", filename="h.md"
    )
    Article.objects.filter(pk=ferries.pk).update(
        published=date(2024, 3, 5), saved_at=at(2024, 3, 6, 8, 0)
    )
    Article.objects.filter(pk=harbour.pk).update(saved_at=at(2024, 4, 1, 12, 0))
    council, port = (
        Tag.objects.create(team=team, name="council"),
        Tag.objects.create(team=team, name="port"),
    )
    ferries.tags.add(council, port)
    harbour.tags.add(port)
    ArticleRead.objects.create(article=ferries, user=owner, read_at=at(2024, 3, 6, 9, 0))
    ArticleRead.objects.create(article=ferries, user=teammate, read_at=at(2024, 3, 7, 10, 0))
    ArticleRead.objects.create(article=harbour, user=team_admin, read_at=at(2024, 4, 2, 8, 0))
    ArticleState.objects.create(
        article=ferries, user=owner, starred_at=at(2024, 3, 6, 9, 1), progress=0.4
    )
    ArticleState.objects.create(article=harbour, user=owner, archived_at=at(2024, 4, 3, 9, 0))
    ArticleState.objects.create(article=harbour, user=teammate, progress=1.0)  # not exported

    decision = "replace the harbour's diesel ferries with battery boats"
    team_note = _highlight(ferries, owner, decision)
    team_note.set_note("The *decision* itself.")
    _written(Reply, teammate, "Which budget cycle?", highlight=team_note)
    _written(Reply, team_admin, "The third.", highlight=team_note)
    _highlight(ferries, teammate, decision, "blue")  # the same passage, another author
    private = _highlight(ferries, owner, "eleven minutes", "green", visibility="private")
    private.set_note("Check the timetable.")
    _highlight(ferries, teammate, "north quay", "red", visibility="private")  # not exported
    # An orphan whose passage is still there: tariq highlighted it again while it was in
    # the trash, so it came back as an orphan.
    again = _highlight(harbour, teammate, "keeps a log of every boat", "red")
    again.set_note("Not every boat.")
    again.trash(teammate)
    _highlight(harbour, teammate, "keeps a log of every boat", "blue")
    again.restore()
    # An orphan whose passage is gone.
    gone = _highlight(harbour, team_admin, "on regatta days it fills four")
    Highlight.objects.filter(pk=gone.pk).update(
        is_orphan=True, exact="on regatta days the harbour closes"
    )
    _written(Reply, owner, "It did in 2023.", highlight=gone)
    _written(ArticleNote, owner, "Follow up with the **port authority**.", article=ferries)
    _written(ArticleNote, team_admin, "Budget on page 4.", article=ferries)
    # Distinct times on everything written, created before updated.
    for n, model in enumerate((Highlight, Reply, ArticleNote)):
        for m, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            created = at(2024, 5, 1 + n, 10, m, 0, 123456)
            model.objects.filter(pk=pk).update(
                created_at=created, updated_at=created + timedelta(minutes=30)
            )
    return team


def test_a_team_export_imported_into_an_empty_team_loses_nothing(
    client, source, owner, teammate, team_admin, tmp_path
):
    # olivia exports: she sees everything but tariq's private highlight, which by
    # design never leaves (no member's export has another member's private work).
    client.force_login(owner)
    response = client.get(reverse("articles:team-export", args=[source.slug, "json"]))
    assert response.status_code == 200
    path = tmp_path / "newsroom.json"
    path.write_bytes(b"".join(response.streaming_content))

    copy = Team.objects.create(name="Copy", slug="copy")
    for user, role in ((owner, "owner"), (teammate, "member"), (team_admin, "admin")):
        Membership.objects.create(team=copy, user=user, role=role)
    batch = batches.import_paths(copy, owner, [path])
    assert (batch.created_count, batch.failed_count, batch.duplicate_count) == (2, 0, 0)
    assert not ImportItem.objects.exclude(warnings=[]).exists()

    expected = everything(source)
    for article in expected.values():
        article["highlights"] = [
            h for h in article["highlights"] if h[7] == "team" or h[8] == "olivia"
        ]
        # The exporting member's state is the importing member's; a state's times
        # are not in the export (archived and starred are flags there).
        article["states"] = [s for s in article["states"] if s[0] == "olivia"]
    imported = everything(copy)
    assert imported == expected
    # The comparison covers what the brief lists: make sure each kind was there to compare.
    ferries, harbour = imported["Ferries go electric"], imported["Harbour notes"]
    assert ferries["byline"] and ferries["published"] and ferries["tags"] == ["council", "port"]
    assert [h[5] for h in harbour["highlights"]].count(True) == 2
    assert {h[7] for h in ferries["highlights"]} == {"team", "private"}
    assert sum(len(h[13]) for a in imported.values() for h in a["highlights"]) == 3
    assert len(ferries["notes"]) == 2 and len(ferries["reads"]) == 2
    assert ferries["states"] == [("olivia", False, True, 0.4)]
    assert harbour["states"] == [("olivia", True, False, None)]
