"""The import workflow: staging, per-item commits, duplicates, highlights, resume.

The code under test: imports/batches.py.
"""

import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticleNote, Highlight, Tag
from imports import batches
from imports.models import ImportBatch, ImportItem
from newsreader.lib.formats import ImportFileError

PARAGRAPH = (
    "The council voted on Tuesday to replace the harbour's diesel ferries with battery boats, "
    "after a debate that ran through three budget cycles and two public consultations. "
)


def article_html(n):
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        + f"<p>{PARAGRAPH}This is story number {n}.</p>" * 3
        + "</article></body></html>"
    )


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


@pytest.fixture
def jsonl(tmp_path):
    rows = [
        {
            "title": f"Story {n}",
            "url": f"https://news.example.com/story-{n}?utm_source=feed",
            "html": article_html(n),
            "tags": ["ferries", "council"],
        }
        for n in range(5)
    ]
    return write_jsonl(tmp_path / "items.jsonl", rows)


def run(team, owner, path, format="auto"):
    return batches.import_paths(team, owner, [path], format)


def test_every_entry_becomes_an_article_of_the_team(team, owner, jsonl):
    batch = run(team, owner, jsonl)
    assert (batch.total, batch.created_count, batch.duplicate_count, batch.failed_count) == (
        5,
        5,
        0,
        0,
    )
    assert batch.status == ImportBatch.Status.FINISHED
    article = Article.objects.get(title="Story 3")
    assert article.team == team and "story number 3" in article.text
    assert article.normalized_url == "https://news.example.com/story-3"
    assert set(article.tags.values_list("name", flat=True)) == {"ferries", "council"}
    assert Tag.objects.filter(team=team).count() == 2
    # Each created item links to its article.
    assert {item.article.title for item in batch.items.all()} == {f"Story {n}" for n in range(5)}


def test_running_the_same_file_again_creates_nothing(team, owner, jsonl):
    run(team, owner, jsonl)
    again = run(team, owner, jsonl)
    assert (again.created_count, again.duplicate_count) == (0, 5)
    assert Article.objects.count() == 5


def test_the_same_content_under_another_url_is_a_duplicate(team, owner, tmp_path):
    path = write_jsonl(
        tmp_path / "dupes.jsonl",
        [
            {"url": "https://a.example/x", "html": article_html(1)},
            {"url": "https://b.example/y", "html": article_html(1)},
        ],
    )
    batch = run(team, owner, path)
    assert (batch.created_count, batch.duplicate_count) == (1, 1)


def test_tracking_parameters_and_case_do_not_hide_a_duplicate(team, owner, tmp_path):
    path = write_jsonl(
        tmp_path / "urls.jsonl",
        [
            {"url": "https://News.Example.com/a#top", "html": article_html(1)},
            {"url": "https://news.example.com/a?utm_campaign=x&fbclid=y", "html": article_html(2)},
        ],
    )
    assert run(team, owner, path).duplicate_count == 1


def test_another_team_may_import_the_same_articles(team, other_team, owner, outsider, jsonl):
    run(team, owner, jsonl)
    assert run(other_team, outsider, jsonl).created_count == 5


def test_a_failing_item_fails_alone_with_its_position_and_reason(team, owner, tmp_path):
    rows = [{"title": f"S{n}", "html": article_html(n)} for n in range(6)]
    rows[3] = {"title": "Empty", "html": "<html><body></body></html>"}
    batch = run(team, owner, write_jsonl(tmp_path / "mixed.jsonl", rows))
    assert (batch.created_count, batch.failed_count) == (5, 1)
    failed = batch.items.get(status=ImportItem.Status.FAILED)
    assert "line 4" in failed.source
    assert "No readable text" in failed.reason


def test_a_file_level_error_writes_nothing(team, owner, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"title": "a", "html": "<p>x</p>"}, {')
    with pytest.raises(ImportFileError):
        run(team, owner, path, "json")
    assert not ImportBatch.objects.exists() and not ImportItem.objects.exists()
    assert not Article.objects.exists()


def test_highlights_are_restored_or_kept_as_orphans(team, owner, tmp_path):
    rows = [
        {
            "title": "Ferries",
            "html": article_html(1),
            "notes": "Read for *Thursday*",
            "highlights": [
                {
                    "exact": "replace the harbour's diesel ferries",
                    "note": "Key **claim**",
                    "colour": "green",
                },
                {"exact": "a sentence that is not in the article at all", "note": "kept anyway"},
            ],
        }
    ]
    run(team, owner, write_jsonl(tmp_path / "hl.jsonl", rows), "newsreader" if False else "jsonl")
    article = Article.objects.get()
    placed = Highlight.objects.get(is_orphan=False)
    assert article.text[placed.start : placed.end] == "replace the harbour's diesel ferries"
    assert (placed.colour, placed.note_html) == ("green", "<p>Key <strong>claim</strong></p>")
    orphan = Highlight.objects.get(is_orphan=True)
    assert orphan.note == "kept anyway"
    assert ArticleNote.objects.get().body_html == "<p>Read for <em>Thursday</em></p>"


def test_an_item_with_a_nul_byte_fails_alone(team, owner, tmp_path):
    rows = [
        {"title": "bad\u0000title", "html": article_html(1)},
        {"title": "ok", "html": article_html(2)},
    ]
    batch = run(team, owner, write_jsonl(tmp_path / "nul.jsonl", rows))
    assert (batch.created_count, batch.failed_count) == (1, 1)
    assert "NUL" in batch.items.get(status=ImportItem.Status.FAILED).reason


def test_an_interrupted_batch_resumes_without_duplicates(team, owner, jsonl, monkeypatch):
    batch = batches.stage_batch(team, owner, [{"name": "items.jsonl", "path": jsonl}])
    monkeypatch.setattr(batches, "CHUNK_SIZE", 2)
    calls = []

    def dying(counts):
        calls.append(counts)
        if len(calls) == 1:
            raise KeyboardInterrupt  # the worker is killed after its first chunk

    with pytest.raises(KeyboardInterrupt):
        batches.run_batch(batch, progress=dying)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.RUNNING and batch.created_count == 2
    batches.run_batch(batch)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, Article.objects.count()) == ("finished", 5, 5)


def test_failed_items_can_be_retried(team, owner, tmp_path, monkeypatch):
    rows = [{"title": "A", "html": article_html(1)}, {"title": "B", "html": article_html(2)}]
    path = write_jsonl(tmp_path / "retry.jsonl", rows)
    real = batches.extraction.extract
    monkeypatch.setattr(
        batches.extraction,
        "extract",
        lambda *a, **k: (_ for _ in ()).throw(batches.extraction.ExtractionError("flaky")),
    )
    batch = run(team, owner, path)
    assert batch.failed_count == 2
    monkeypatch.setattr(batches.extraction, "extract", real)
    assert batches.retry_failed(batch) == 2
    batch = batches.run_batch(batch)
    assert (batch.created_count, batch.failed_count) == (2, 0)


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_create_each_article_once(team, owner, jsonl):
    errors = []

    def import_once():
        try:
            batches.import_paths(team, owner, [jsonl])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=import_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Article.objects.count() == 5


class TestCommand:
    def test_it_imports_with_a_summary(self, team, owner, jsonl):
        out, err = StringIO(), StringIO()
        call_command("import_articles", str(jsonl), "--team", team.slug, stdout=out, stderr=err)
        assert "5 created, 0 duplicates skipped, 0 failed" in out.getvalue()
        assert Article.objects.count() == 5

    def test_failures_give_a_non_zero_exit_and_are_listed(self, team, owner, tmp_path):
        path = write_jsonl(tmp_path / "bad.jsonl", [{"title": "x", "html": "<p></p>"}])
        out = StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command(
                "import_articles", str(path), "--team", team.slug, stdout=out, stderr=StringIO()
            )
        assert exit_info.value.code == 1
        assert "Failed: " in out.getvalue() and "line 1" in out.getvalue()

    def test_dry_run_writes_nothing(self, team, owner, jsonl):
        out = StringIO()
        call_command("import_articles", str(jsonl), "--team", team.slug, "--dry-run", stdout=out)
        assert "Dry run: 5 entries" in out.getvalue()
        assert not Article.objects.exists() and not ImportBatch.objects.exists()

    def test_an_unknown_team_is_an_error(self, db, jsonl):
        with pytest.raises(CommandError, match="No team"):
            call_command("import_articles", str(jsonl), "--team", "nope")

    def test_a_directory_is_walked(self, team, owner, tmp_path):
        (tmp_path / "a.html").write_text(article_html(1))
        (tmp_path / "sub").mkdir()
        (tmp_path / "sub" / "b.md").write_text("# B\n\n" + PARAGRAPH * 3)
        call_command(
            "import_articles",
            str(tmp_path),
            "--team",
            team.slug,
            stdout=StringIO(),
            stderr=StringIO(),
        )
        assert Article.objects.count() == 2


def test_worker_processes_give_the_same_result(team, owner, jsonl, settings):
    settings.IMPORT_WORKERS = 1
    batch = run(team, owner, jsonl)
    assert (batch.created_count, batch.failed_count) == (5, 0)
    assert "story number 4" in Article.objects.get(title="Story 4").text


def test_when_a_bulk_insert_hits_a_duplicate_each_item_is_saved_on_its_own(
    team, owner, tmp_path, monkeypatch
):
    # As if another import inserted the same article between our check and our insert.
    monkeypatch.setattr(batches, "_mark_known_content", lambda *arguments: None)
    rows = [
        {"url": "https://a.example/1", "html": article_html(1)},
        {"url": "https://b.example/2", "html": article_html(1)},
        {
            "url": "https://c.example/3",
            "html": article_html(3),
            "highlights": [{"exact": "story number 3"}],
        },
    ]
    batch = run(team, owner, write_jsonl(tmp_path / "race.jsonl", rows))
    assert (batch.created_count, batch.duplicate_count) == (2, 1)
    assert Highlight.objects.get().article.title == "Story 3"


def test_omnivore_fragments_and_pages_with_an_embed_import_with_their_full_text(
    team, owner, tmp_path
):
    """Omnivore stores each article as one <div class="page">; an <embed> once ate what followed."""
    import zipfile

    story = "".join(f"<p>{PARAGRAPH}Part {n}.</p>" for n in range(3))
    contents = {
        "nested-fragment": f'<div class="page" id="readability-page-1"><div><section>'
        f"<h2>Tides</h2>{story}<p>The last line of the fragment.</p></section></div></div>",
        "with-embed": f'<div class="page"><p>{PARAGRAPH}</p><embed src="clip.swf">'
        f"{story}<p>The line after the embed.</p></div>",
        "lone-paragraph": f"<p>{PARAGRAPH}The only paragraph.</p>",
    }
    archive = tmp_path / "omnivore.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(
            "metadata_0_to_3.json",
            json.dumps(
                [
                    {"id": str(n), "slug": slug, "title": slug, "url": f"https://x.example/{slug}"}
                    for n, slug in enumerate(contents)
                ]
            ),
        )
        for slug, html in contents.items():
            out.writestr(f"content/{slug}.html", html)
    batch = run(team, owner, archive)
    assert (batch.created_count, batch.failed_count) == (3, 0), list(
        batch.items.values_list("source", "reason")
    )
    texts = {a.source_url.rsplit("/", 1)[-1]: a.text for a in Article.objects.filter(team=team)}
    assert "The last line of the fragment." in texts["nested-fragment"]
    assert "Part 2." in texts["nested-fragment"]
    assert "The line after the embed." in texts["with-embed"]
    assert "Part 0." in texts["with-embed"]
    assert "The only paragraph." in texts["lone-paragraph"]
