"""The index follows every write: through the app's workflows (which save with
update_fields, and the signals look at them), imports (bulk inserts, no
signals), and rebuilds. The code under test: search/index.py."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.highlighting import delete_highlight, restore_highlight
from articles.models import Article, ArticleNote, Highlight, Reply
from articles.originals import create_article, reextract_article
from articles.trash import empty_trash, purge_trash, trash_article
from imports import batches
from search import index
from search.models import SearchEntry
from tests.search.support import found, highlight, make_article

TEXT = (
    "The harbour ferries carry eleven thousand people a day. "
    "The council voted to replace every diesel boat with a battery boat."
)


def entries(article=None, **filters):
    """{(kind, object_id): (private_to, colour, author_id)} of the index."""
    rows = SearchEntry.objects.filter(**filters)
    if article is not None:
        rows = rows.filter(article=article)
    return {
        (e.kind, e.object_id): (e.private_to, e.colour, e.author_id)
        for e in rows.order_by("kind", "object_id")
    }


def kinds(article):
    return sorted((kind, pk) for kind, pk in entries(article))


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", TEXT, user=owner)


@pytest.fixture
def thread(article, owner, teammate):
    """A highlight with a note and a reply, and an article note: one of each kind."""
    h = highlight(article, teammate, "diesel boat", "green")
    h.set_note("Why *diesel*?")
    reply = Reply(highlight=h, author=owner)
    reply.set_body("Because of the range.")
    note = ArticleNote(article=article, author=owner)
    note.set_body("Read before Thursday.")
    return h, reply, note


def all_kinds(article, h, reply, note):
    return [
        ("article", article.pk),
        ("article_note", note.pk),
        ("highlight", h.pk),
        ("note", h.pk),
        ("reply", reply.pk),
    ]


def assert_index_consistent():
    """The full-text index agrees with the entries (each database its own way)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        else:
            cursor.execute("SELECT count(*) FROM search_searchentry WHERE document IS NULL")
            assert cursor.fetchone() == (0,)


class TestArticles:
    def test_a_new_article_is_indexed_with_its_byline_and_site(self, team, owner):
        article = make_article(team, "Ferries", TEXT, byline="Ann Writer", site_name="Harbour Post")
        entry = SearchEntry.objects.get(article=article)
        assert (entry.kind, entry.object_id, entry.team_id) == ("article", article.pk, team.pk)
        assert (entry.title, entry.body, entry.config) == (
            "Ferries Ann Writer Harbour Post",
            TEXT,
            "english",
        )
        assert found(owner, "writer") == {"Ferries"}
        assert found(owner, "post") == {"Ferries"}

    def test_an_added_article_is_found_at_once(self, team, owner):
        create_article(team, "# Night buses\n\nThe night buses run until four.", filename="a.md")
        assert found(owner, "buses") == {"Night buses"}

    @pytest.mark.parametrize(
        "language,config",
        [
            ("en", "english"),
            ("de-CH", "german"),
            ("DE", "german"),
            ("pt_BR", "portuguese"),
            ("nb", "norwegian"),
            ("sv-SE", "swedish"),
            ("", "simple"),
            ("xx", "simple"),
            ("english", "simple"),
            ("e", "simple"),
        ],
    )
    def test_the_language_chooses_the_configuration(self, team, language, config):
        article = make_article(team, "T", "text", language=language)
        assert SearchEntry.objects.get(article=article).config == config
        assert index.text_search_config(language) == config

    def test_editing_the_details_reindexes_only_the_text_entry(self, team, owner, article, thread):
        h = thread[0]
        before = SearchEntry.objects.get(kind="highlight", object_id=h.pk).pk
        article.edit_details(title="Battery boats", byline="", source_url="")
        assert found(owner, "battery") == {"Battery boats"}
        assert SearchEntry.objects.get(article=article, kind="article").title.startswith("Battery")
        assert SearchEntry.objects.get(kind="highlight", object_id=h.pk).pk == before

    def test_a_save_of_other_fields_does_nothing_to_the_index(self, article):
        with CaptureQueriesContext(connection) as captured:
            article.save(update_fields=["source_url", "updated_at"])
        assert len(captured.captured_queries) == 1
        with CaptureQueriesContext(connection) as captured:
            article.touch_annotations()
        assert not any("search" in query["sql"] for query in captured.captured_queries)

    def test_a_new_language_reconfigures_every_entry(self, article, thread):
        article.language = "de"
        article.save(update_fields=["language"])
        assert set(
            SearchEntry.objects.filter(article=article).values_list("config", flat=True)
        ) == {"german"}

    def test_trashing_an_article_takes_everything_out_and_restoring_brings_it_back(
        self, owner, article, thread
    ):
        expected = all_kinds(article, *thread)
        assert kinds(article) == expected
        trash_article(article, owner)
        assert kinds(article) == [] and found(owner, "diesel") == set()
        article.restore()
        assert kinds(article) == expected
        assert found(owner, "diesel") == {"Ferries"}
        assert_index_consistent()

    def test_re_extraction_reindexes_the_new_text(self, team, owner):
        article = create_article(team, "# Harbour\n\nThe ferries carry people.\n", filename="h.md")
        h = highlight(article, owner, "ferries carry")
        Article.objects.filter(pk=article.pk).update(
            original=b"# Harbour\n\nThe trams carry people. The ferries carry people.\n"
        )
        article.refresh_from_db()
        reextract_article(article)
        assert found(owner, "trams") == {"Harbour"}
        entry = SearchEntry.objects.get(kind="highlight", object_id=h.pk)
        assert entry.body == "ferries carry"
        assert_index_consistent()

    def test_deleting_for_good_cascades(self, team, owner, article, thread):
        trash_article(article, owner)
        article.restore()
        Article.objects.filter(pk=article.pk).delete()
        assert not SearchEntry.objects.exists()
        assert_index_consistent()


class TestHighlights:
    def test_a_highlight_and_its_note_are_indexed(self, article, teammate):
        h = highlight(article, teammate, "battery boat", "blue")
        assert entries(article, kind="highlight") == {
            ("highlight", h.pk): (None, "blue", teammate.pk)
        }
        assert SearchEntry.objects.get(kind="highlight").highlight_id == h.pk
        assert not entries(article, kind="note")
        h.set_note("Cheaper to run")
        note = SearchEntry.objects.get(kind="note")
        assert (note.object_id, note.highlight_id, note.body) == (h.pk, h.pk, "Cheaper to run")
        h.set_note("Quieter")
        assert SearchEntry.objects.get(kind="note").body == "Quieter"
        h.set_note("")
        assert not entries(article, kind="note")

    def test_a_recolour_updates_the_quote_note_and_replies_in_place(self, article, thread):
        h = thread[0]
        ids = set(SearchEntry.objects.filter(highlight=h).values_list("pk", flat=True))
        assert len(ids) == 3
        h.recolour("red")
        rows = SearchEntry.objects.filter(highlight=h)
        assert set(rows.values_list("pk", flat=True)) == ids
        assert set(rows.values_list("colour", flat=True)) == {"red"}

    def test_making_it_private_hides_the_quote_note_and_replies(
        self, owner, teammate, article, thread
    ):
        h = thread[0]
        h.set_visibility(Highlight.Visibility.PRIVATE)
        rows = SearchEntry.objects.filter(highlight=h)
        assert set(rows.values_list("private_to", flat=True)) == {teammate.pk}
        assert found(owner, "range") == set() and found(teammate, "range") == {"Ferries"}
        h.set_visibility(Highlight.Visibility.TEAM)
        assert set(rows.values_list("private_to", flat=True)) == {None}
        assert found(owner, "range") == {"Ferries"}

    def test_deleting_and_undoing_brings_back_the_quote_note_and_replies(
        self, owner, teammate, article, thread
    ):
        h, reply, note = thread
        token = delete_highlight(h, teammate)
        assert kinds(article) == [("article", article.pk), ("article_note", note.pk)]
        assert found(owner, "range") == set()
        restore_highlight(article, teammate, token)
        assert kinds(article) == all_kinds(article, *thread)
        assert_index_consistent()

    def test_a_moderator_removal_takes_the_quote_note_and_replies_out(self, owner, article, thread):
        h, reply, note = thread
        h.remove_by_moderator(owner)
        assert kinds(article) == [("article", article.pk), ("article_note", note.pk)]

    def test_emptying_the_trash_leaves_nothing_behind(self, teammate, article, thread):
        h = thread[0]
        delete_highlight(h, teammate)
        assert empty_trash(article, teammate) >= 1
        assert not SearchEntry.objects.filter(highlight_id=h.pk).exists()
        assert_index_consistent()

    def test_a_private_highlight_of_a_departed_author_is_nobodys(self, owner, teammate, article):
        h = highlight(article, teammate, "battery boat", visibility=Highlight.Visibility.PRIVATE)
        Highlight.objects.filter(pk=h.pk).update(author=None)
        index.rebuild()
        assert SearchEntry.objects.get(kind="highlight").private_to == 0
        assert found(owner, "battery") == {"Ferries"}  # the text, not the quote
        assert found(owner, "battery in:highlights") == set()


class TestRepliesAndNotes:
    def test_a_reply_is_indexed_edited_and_trashed(self, owner, article, thread):
        h, reply, note = thread
        entry = SearchEntry.objects.get(kind="reply")
        assert (entry.object_id, entry.highlight_id, entry.author_id, entry.colour) == (
            reply.pk,
            h.pk,
            owner.pk,
            "green",
        )
        reply.set_body("Because of the charging time.")
        assert found(owner, "charging") == {"Ferries"}
        reply.trash(owner)
        assert found(owner, "charging") == set()
        reply.restore()
        assert found(owner, "charging") == {"Ferries"}

    def test_a_moderator_removes_a_reply(self, owner, article, thread):
        reply = thread[1]
        reply.remove_by_moderator(owner)
        assert not SearchEntry.objects.filter(kind="reply").exists()

    def test_an_article_note_is_indexed_edited_trashed_and_restored(self, owner, article, thread):
        note = thread[2]
        assert found(owner, "thursday") == {"Ferries"}
        note.set_body("Read before Friday.")
        assert found(owner, "thursday") == set() and found(owner, "friday") == {"Ferries"}
        note.trash(owner)
        assert found(owner, "friday") == set()
        note.restore()
        assert found(owner, "friday") == {"Ferries"}

    def test_deleting_a_live_reply_or_note_for_good_cascades(self, article, thread):
        h, reply, note = thread
        Reply.all_objects.filter(pk=reply.pk).delete()
        ArticleNote.all_objects.filter(pk=note.pk).delete()
        assert kinds(article) == [("article", article.pk), ("highlight", h.pk), ("note", h.pk)]
        assert_index_consistent()

    def test_the_purge_deletes_what_the_index_no_longer_has(self, owner, article, thread, settings):
        h, reply, note = thread
        reply.trash(owner)
        note.trash(owner)
        settings.TRASH_DAYS = -1
        assert purge_trash() == 2
        assert kinds(article) == [("article", article.pk), ("highlight", h.pk), ("note", h.pk)]


class TestImports:
    def test_imported_articles_highlights_and_notes_are_found(self, team, owner, tmp_path):
        rows = [
            {
                "title": f"Story {n}",
                "url": f"https://news.example.com/{n}",
                "html": (
                    f"<html><head><title>Story {n}</title></head><body><article>"
                    f"<h1>Story {n}</h1><p>The tramway number {n} reaches the quay "
                    "after the bridge is rebuilt, the council said on Tuesday, and "
                    "commuters welcomed the news.</p></article></body></html>"
                ),
                "notes": "Follow up with the *operator*",
                "highlights": [
                    {"exact": "the bridge is rebuilt", "note": "Which bridge?", "colour": "red"}
                ],
            }
            for n in range(3)
        ]
        path = tmp_path / "items.jsonl"
        path.write_text("\n".join(json.dumps(row) for row in rows))
        batch = batches.import_paths(team, owner, [path])
        assert batch.created_count == 3
        titles = {"Story 0", "Story 1", "Story 2"}
        assert found(owner, "tramway") == titles
        assert found(owner, "operator in:notes") == titles
        assert found(owner, "bridge in:highlights colour:red") == titles
        assert found(owner, '"which bridge" in:notes') == titles
        assert SearchEntry.objects.filter(kind="highlight").count() == 3
        assert_index_consistent()


class TestRebuild:
    def test_a_rebuild_makes_the_same_entries_again(self, article, thread, other_team, outsider):
        make_article(other_team, "Elsewhere", "The harbour ferries of elsewhere.")
        before = entries()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchentry")
        assert found(thread[1].author, "ferries") == set()
        result = index.rebuild()
        assert entries() == before
        assert result.counts == {
            "article": 2,
            "highlight": 1,
            "note": 1,
            "reply": 1,
            "article_note": 1,
        }
        assert found(thread[1].author, "ferries") == {"Ferries"}
        assert_index_consistent()

    def test_a_team_rebuild_touches_only_that_team(self, team, article, thread, other_team):
        elsewhere = make_article(other_team, "Elsewhere", "The harbour ferries of elsewhere.")
        kept = SearchEntry.objects.get(article=elsewhere).pk
        SearchEntry.objects.filter(article=article, kind="reply").delete()
        result = index.rebuild(team)
        assert result.total == 5
        assert SearchEntry.objects.get(article=elsewhere).pk == kept
        assert kinds(article) == all_kinds(article, *thread)
        assert_index_consistent()

    def test_the_command_prints_counts_and_time(self, team, article, thread):
        out = StringIO()
        call_command("rebuild_search_index", stdout=out)
        assert out.getvalue().startswith("Indexed 5 entries (1 article, 1 highlight, 1 note, ")
        assert out.getvalue().rstrip().endswith(" s.")
        out = StringIO()
        call_command("rebuild_search_index", "--team", team.slug, stdout=out)
        assert f"Indexed 5 entries of {team.slug} " in out.getvalue()
        with pytest.raises(CommandError, match="No team"):
            call_command("rebuild_search_index", "--team", "nope")
