"""Nothing an import carries is lost: dates, states, highlight times; duplicates
judged only against what exists; a dry run that says what would happen.

The code under test: imports/batches.py (with the parsers of newsreader/lib/formats).
"""

import base64
import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, ArticleRead, ArticleState, Highlight
from articles.originals import create_article
from imports import batches
from imports.models import ImportBatch, ImportItem
from tests.imports.test_batches import article_html, write_jsonl


def run(team, owner, path, format="auto", **options):
    return batches.import_paths(team, owner, [path], format, **options)


def test_the_published_date_of_the_source_is_kept(team, owner, tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"title": "Story", "html": article_html(1), "published": "2021-05-04"}],
    )
    run(team, owner, path)
    assert Article.objects.get().published == date(2021, 5, 4)


def test_the_saved_date_is_kept_and_orders_the_library(client, team, owner, tmp_path):
    (tmp_path / "pocket.csv").write_text(
        "title,url,time_added,tags,status\n"
        "Older,https://example.com/older,1500000000,ferries,unread\n"
        "Newer,https://example.com/newer,1600000000,,archive\n"
    )
    batch = batches.stage_batch(
        team, owner, [{"name": "pocket.csv", "path": tmp_path / "pocket.csv"}], "pocket"
    )
    # Pocket's CSV carries no pages: give each entry content instead of fetching.
    for item in batch.items.all():
        item.content = article_html(item.position).encode()
        item.data["content_type"] = "text/html"
        item.save()
    batches.run_batch(batch)
    saved = dict(Article.objects.values_list("source_url", "saved_at"))
    assert saved["https://example.com/older"] == datetime.fromtimestamp(1500000000, UTC)
    assert saved["https://example.com/newer"] == datetime.fromtimestamp(1600000000, UTC)
    client.force_login(owner)
    # Newer was archived in Pocket: it is the importer's archived article now.
    assert "Newer" not in client.get(reverse("articles:library")).content.decode()
    html = client.get(reverse("articles:library"), {"state": "all"}).content.decode()
    assert html.index("Newer") < html.index("Older")  # the later saved comes first


def test_highlight_times_and_reading_states_come_along(team, owner, tmp_path):
    export = [
        {
            "title": "Wallabag story",
            "url": "https://example.com/w",
            "content": article_html(3),
            "created_at": "2020-01-02T03:04:05+00:00",
            "is_archived": 1,
            "is_starred": 1,
            "annotations": [
                {
                    "quote": "This is story number 3",
                    "text": "A note",
                    "created_at": "2020-02-03T04:05:06+00:00",
                }
            ],
        }
    ]
    path = tmp_path / "wallabag.json"
    path.write_text(json.dumps(export))
    run(team, owner, path, "wallabag")
    article = Article.objects.get()
    assert article.saved_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    highlight = Highlight.objects.get()
    assert highlight.created_at == datetime(2020, 2, 3, 4, 5, 6, tzinfo=UTC)
    state = ArticleState.objects.get(article=article, user=owner)
    assert state.archived_at is not None and state.starred_at is not None


def test_a_read_entry_is_read_by_the_importer(team, owner, tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"title": "Story", "html": article_html(1), "read": True}]
    )
    run(team, owner, path)
    assert ArticleRead.objects.filter(user=owner).count() == 1


def test_a_malformed_optional_value_is_a_warning_not_a_failure(team, owner, tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [{"title": "Story", "html": article_html(1), "published": "junk"}],
    )
    out = StringIO()
    call_command("import_articles", str(path), "--team", team.slug, stdout=out)
    assert Article.objects.get().published is None
    item = ImportItem.objects.get()
    assert item.status == ImportItem.Status.CREATED and item.warnings
    assert "junk" in out.getvalue() and "Warning:" in out.getvalue()


def test_an_entry_skipped_earlier_does_not_make_a_later_one_a_duplicate(team, owner, tmp_path):
    # The first entry's content is already in the team (under another URL), so it is
    # skipped; the second has the first one's URL but its own content: nothing with
    # that URL exists, so it must be created.
    create_article(team, article_html(1), url="https://example.com/original", filename="a.html")
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"url": "https://example.com/shared", "html": article_html(1)},
            {"url": "https://example.com/shared", "html": article_html(2)},
        ],
    )
    batch = run(team, owner, path)
    assert (batch.created_count, batch.duplicate_count) == (1, 1)
    assert Article.objects.filter(source_url="https://example.com/shared").exists()


class TestDryRun:
    @pytest.fixture
    def mixed(self, team, tmp_path):
        create_article(team, article_html(0), url="https://example.com/zero", filename="a.html")
        return write_jsonl(
            tmp_path / "mixed.jsonl",
            [
                {"url": "https://example.com/one", "html": article_html(1)},
                {"url": "https://example.com/zero", "html": article_html(5)},
                {"url": "https://example.com/one", "html": article_html(6)},
                {"title": "Empty", "html": "<p></p>"},
            ],
        )

    def test_the_command_says_what_would_happen_and_writes_nothing(self, team, owner, mixed):
        out = StringIO()
        with pytest.raises(SystemExit):
            call_command(
                "import_articles", str(mixed), "--team", team.slug, "--dry-run", stdout=out
            )
        text = out.getvalue()
        assert "Dry run: 4 entries — 1 would be created, 2 duplicates would be skipped" in text
        assert "1 would fail" in text and "line 4" in text
        assert Article.objects.count() == 1 and not ImportBatch.objects.exists()

    def test_the_same_reasons_as_a_real_run(self, team, owner, mixed):
        def outcomes(batch):
            return list(batch.items.order_by("position").values_list("status", "reason"))

        dry = run(team, owner, mixed, dry_run=True)
        assert Article.objects.count() == 1
        real = run(team, owner, mixed)
        assert outcomes(dry) == outcomes(real)

    def test_the_admin_runs_it_and_then_for_real(self, admin_client, team, mixed):
        with open(mixed, "rb") as upload:
            response = admin_client.post(
                reverse("admin:imports_importbatch_import"),
                {"team": team.pk, "files": upload, "format": "auto", "dry_run": "on"},
            )
        batch = ImportBatch.objects.get()
        assert batch.dry_run and batch.created_count == 1 and Article.objects.count() == 1
        page = admin_client.get(response.url).content.decode()
        assert "1 would be created" in page and "Import for real" in page
        admin_client.post(reverse("admin:imports_importbatch_run", args=[batch.pk]))
        batch.refresh_from_db()
        assert not batch.dry_run and batch.created_count == 1
        assert Article.objects.count() == 2


def test_dates_and_positions_out_of_range_are_warnings(team, owner, tmp_path):
    export = {
        "format": "newsreader",
        "version": 2,
        "articles": [
            {
                "title": "Story",
                "original": {
                    "content_base64": base64.b64encode(article_html(1).encode()).decode(),
                    "content_type": "text/html",
                },
                "added_at": "0001-01-01T00:00:00+01:00",
                "highlights": [
                    {"exact": "zzz", "start": 0, "end": 10**20, "is_orphan": True},
                    {"exact": "story number 1", "created_at": "9999-12-31T23:59:59-05:00"},
                ],
            }
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    batch = run(team, owner, path, "newsreader")
    assert batch.status == "finished" and batch.created_count == 1
    assert len(ImportItem.objects.get().warnings) >= 2


def test_a_dry_run_is_made_real_once(admin_client, team, tmp_path):
    from unittest import mock

    path = write_jsonl(tmp_path / "a.jsonl", [{"title": "Story", "html": article_html(1)}])
    batch = run(team, None, path, dry_run=True)
    url = reverse("admin:imports_importbatch_run", args=[batch.pk])
    with mock.patch("imports.admin.run_import") as task:
        admin_client.post(url)
        admin_client.post(url)
    assert task.enqueue.call_count == 1
