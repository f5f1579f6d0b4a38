"""The trash (articles/trash.py): deleting a highlight, note or reply keeps it,
Undo and Restore bring back the same rows, and only time or an owner purges."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.highlighting import create_highlight, delete_highlight, restore_highlight
from articles.models import Article, ArticleNote, Highlight, Reply
from articles.originals import reextract_article
from articles.trash import empty_trash, purge_trash
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner)


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


@pytest.fixture
def thread(article, teammate, owner, team_admin):
    """A highlight by the teammate with a note and three replies by three people."""
    highlight = create_highlight(article, teammate, *span(article, "battery boat"), "yellow")[0]
    highlight.set_note("Is this *costed*?")
    replies = []
    for author, body in ((owner, "Yes"), (team_admin, "84M"), (teammate, "Thanks")):
        reply = Reply(highlight=highlight, author=author)
        reply.set_body(body)
        replies.append(reply)
    return highlight, replies


def delete_url(highlight):
    return reverse("articles:highlight-delete", args=[highlight.pk])


def reader(client, article):
    return client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()


class TestDeletingAHighlightWithReplies:
    def test_it_asks_first_without_javascript_even_without_a_note(
        self, client, teammate, owner, article
    ):
        highlight = create_highlight(article, teammate, *span(article, "battery"), "blue")[0]
        Reply(highlight=highlight, author=owner).set_body("A teammate's words")
        client.force_login(teammate)
        response = client.post(delete_url(highlight))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Delete this highlight?" in html and "the reply under it" in html
        assert Highlight.objects.filter(pk=highlight.pk).exists()

    def test_the_thread_asks_before_deleting_with_javascript(self, client, teammate, thread):
        highlight, _ = thread
        client.force_login(teammate)
        url = reverse("articles:highlight-detail", args=[highlight.pk])
        html = client.get(url, headers=HX).content.decode()
        assert 'hx-confirm="Delete this highlight, its note and its 3 replies?' in html

    def test_undo_brings_back_the_same_rows_with_the_note_and_every_reply(
        self, client, teammate, thread, article
    ):
        highlight, replies = thread
        client.force_login(teammate)
        response = client.post(delete_url(highlight), {"confirm": "yes"}, headers=HX)
        html = response.content.decode()
        assert "Highlight deleted." in html
        assert "battery boat" not in reader(client, article).split('id="annotation-panel"')[1]
        token = html.split('name="token" value="')[1].split('"')[0]
        restore = reverse("articles:highlight-restore", args=[article.pk])
        assert client.post(restore, {"token": token}, headers=HX).status_code == 200
        back = Highlight.objects.get()
        assert back.pk == highlight.pk and back.note == "Is this *costed*?"
        assert [r.pk for r in back.replies.all()] == [r.pk for r in replies]
        assert "84M" in reader(client, article)

    def test_a_plain_post_deletes_after_the_confirmation(self, client, teammate, thread):
        highlight, _ = thread
        client.force_login(teammate)
        assert client.post(delete_url(highlight), {"confirm": "yes"}).status_code == 302
        assert not Highlight.objects.exists()
        assert Highlight.all_objects.get().in_trash


class TestTheTrashPage:
    def test_it_lists_what_was_deleted_and_its_author_restores_it(
        self, client, teammate, thread, article
    ):
        highlight, replies = thread
        delete_highlight(highlight, teammate)
        client.force_login(teammate)
        page = client.get(reverse("articles:article-trash", args=[article.pk]))
        html = page.content.decode()
        assert page.status_code == 200 and "battery boat" in html and "3 replies with it" in html
        assert "Restore" in html
        restore = reverse("articles:trash-restore", args=[article.pk])
        response = client.post(restore, {"kind": "highlight", "id": highlight.pk, "from": "trash"})
        assert response.status_code == 302
        assert Highlight.objects.get().pk == highlight.pk
        assert Reply.objects.count() == 3

    def test_others_see_it_but_cannot_restore_it(self, client, owner, teammate, thread, article):
        highlight, _ = thread
        delete_highlight(highlight, teammate)
        client.force_login(owner)
        html = client.get(reverse("articles:article-trash", args=[article.pk])).content.decode()
        assert "battery boat" in html and "Restore" not in html
        restore = reverse("articles:trash-restore", args=[article.pk])
        data = {"kind": "highlight", "id": highlight.pk}
        assert client.post(restore, data, headers=HX).status_code == 422
        assert not Highlight.objects.exists()

    def test_another_members_private_highlight_is_not_listed(
        self, client, owner, teammate, article
    ):
        private = create_highlight(
            article, teammate, *span(article, "battery"), "red", visibility="private"
        )[0]
        delete_highlight(private, teammate)
        client.force_login(owner)
        html = client.get(reverse("articles:article-trash", args=[article.pk])).content.decode()
        assert "Nothing of this article is in the trash." in html

    def test_outsiders_get_what_a_missing_article_gets(self, client, outsider, article):
        client.force_login(outsider)
        assert client.get(reverse("articles:article-trash", args=[article.pk])).status_code == 404

    def test_a_deleted_note_and_reply_come_back_with_their_ids(
        self, client, owner, teammate, thread, article
    ):
        _, replies = thread
        note = ArticleNote(article=article, author=owner)
        note.set_body("Read this first")
        client.force_login(owner)
        deleted = client.post(
            reverse("articles:note-delete", args=[note.pk]), {"confirm": "yes"}, headers=HX
        )
        assert "Note moved to the" in deleted.content.decode()
        client.post(reverse("articles:reply-delete", args=[replies[0].pk]), headers=HX)
        assert not ArticleNote.objects.exists() and Reply.objects.count() == 2
        restore = reverse("articles:trash-restore", args=[article.pk])
        for kind, pk in (("note", note.pk), ("reply", replies[0].pk)):
            assert client.post(restore, {"kind": kind, "id": pk}, headers=HX).status_code == 200
        assert ArticleNote.objects.get().pk == note.pk
        assert Reply.objects.filter(pk=replies[0].pk).exists()

    def test_owners_and_admins_empty_it_after_a_confirmation(
        self, client, owner, teammate, thread, article
    ):
        highlight, _ = thread
        delete_highlight(highlight, teammate)
        url = reverse("articles:trash-empty", args=[article.pk])
        client.force_login(teammate)
        assert client.post(url, {"confirm": "yes"}).status_code == 403
        client.force_login(owner)
        assert b"Delete for good" in client.post(url).content
        assert Highlight.all_objects.exists()
        assert client.post(url, {"confirm": "yes"}).status_code == 302
        assert not Highlight.all_objects.exists() and not Reply.all_objects.exists()


class TestKeepingAndPurging:
    def test_the_purge_deletes_only_what_is_older_than_the_retention(
        self, teammate, thread, article, settings
    ):
        settings.TRASH_DAYS = 30
        highlight, _ = thread
        delete_highlight(highlight, teammate)
        assert purge_trash() == 0
        later = timezone.now() + timedelta(days=31)
        assert purge_trash(now=later) == 4  # the highlight and its three replies
        assert not Highlight.all_objects.exists()

    def test_the_command_purges_too(self, teammate, thread, settings):
        highlight, _ = thread
        delete_highlight(highlight, teammate)
        Highlight.all_objects.update(deleted_at=timezone.now() - timedelta(days=90))
        call_command("purge_trash", verbosity=0)
        assert not Highlight.all_objects.exists()

    def test_the_same_passage_can_be_highlighted_again_and_both_are_kept(
        self, teammate, thread, article
    ):
        highlight, _ = thread
        token = delete_highlight(highlight, teammate)
        again, created = create_highlight(
            article, teammate, highlight.start, highlight.end, "green"
        )
        assert created
        back = restore_highlight(article, teammate, token)
        assert back.pk == highlight.pk and back.is_orphan and back.replies.count() == 3
        assert Highlight.objects.count() == 2

    def test_a_trashed_highlight_is_reanchored_with_the_others(self, teammate, thread, article):
        highlight, _ = thread
        delete_highlight(highlight, teammate)
        article.original = b"A new first paragraph.\n\n" + bytes(article.original)
        article.save(update_fields=["original"])
        reextract_article(Article.objects.get(pk=article.pk))
        moved = Highlight.all_objects.get()
        text = Article.objects.get(pk=article.pk).text
        assert text[moved.start : moved.end] == "battery boat" and not moved.is_orphan

    def test_the_library_counts_leave_the_trash_out(self, client, owner, teammate, thread):
        highlight, _ = thread
        client.force_login(owner)
        assert ">1 highlight" in client.get(reverse("articles:library")).content.decode()
        delete_highlight(highlight, teammate)
        assert ">1 highlight" not in client.get(reverse("articles:library")).content.decode()

    def test_emptying_leaves_what_is_not_in_the_trash(self, teammate, thread, article):
        highlight, replies = thread
        replies[0].trash(teammate)
        assert empty_trash(article, teammate) == 1
        assert Highlight.objects.get() == highlight and Reply.objects.count() == 2


class TestArticlesInTheTrash:
    def test_the_admin_moves_an_article_to_the_trash_and_members_restore_it(
        self, client, admin_client, owner, teammate, thread, article, team
    ):
        highlight, replies = thread
        admin_client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        )
        assert not Article.objects.exists() and Article.all_objects.get().in_trash
        client.force_login(teammate)
        url = reverse("articles:article-detail", args=[article.pk])
        assert client.get(url).status_code == 404
        highlight_url = reverse("articles:highlight-detail", args=[highlight.pk])
        assert client.get(highlight_url).status_code == 404
        trash = client.get(reverse("articles:team-trash", args=[team.slug])).content.decode()
        assert "Ferries" in trash and "Restore" in trash
        restore = reverse("articles:team-trash-restore", args=[team.slug])
        assert client.post(restore, {"id": article.pk}).url == url
        assert Article.objects.get().pk == article.pk
        assert Highlight.objects.get().pk == highlight.pk and Reply.objects.count() == 3

    def test_a_bad_id_is_refused_plainly(self, client, teammate, team):
        client.force_login(teammate)
        restore = reverse("articles:team-trash-restore", args=[team.slug])
        assert client.post(restore, {"id": "nope"}).status_code == 302
        assert client.post(restore, {"id": "9" * 30}).status_code == 302
        kinds = reverse("articles:trash-restore", args=[make_article(team, "X").pk])
        assert client.post(kinds, {"kind": "note", "id": "x"}, headers=HX).status_code == 422

    def test_only_owners_and_admins_empty_the_teams_trash(
        self, client, owner, teammate, article, team
    ):
        from articles.trash import trash_article

        trash_article(article, owner)
        url = reverse("articles:team-trash-empty", args=[team.slug])
        client.force_login(teammate)
        assert client.post(url, {"confirm": "yes"}).status_code == 403
        client.force_login(owner)
        assert client.post(url, {"confirm": "yes"}).status_code == 302
        assert not Article.all_objects.exists()

    def test_an_article_in_the_trash_still_counts_as_a_duplicate(
        self, owner, article, team, tmp_path
    ):
        from articles.trash import trash_article
        from imports.batches import import_paths

        trash_article(article, owner)
        path = tmp_path / "story.md"
        path.write_bytes(bytes(Article.all_objects.get().original))
        batch = import_paths(team, owner, [path])
        assert (batch.created_count, batch.duplicate_count) == (0, 1)

    def test_the_purge_takes_old_articles_with_everything_on_them(
        self, owner, thread, article, settings
    ):
        from articles.trash import trash_article

        trash_article(article, owner)
        purge_trash(now=timezone.now() + timedelta(days=settings.TRASH_DAYS + 1))
        assert not Article.all_objects.exists() and not Highlight.all_objects.exists()


class TestHostileAndPrivate:
    def test_odd_ids_are_refused_without_an_error(self, client, teammate, article, team):
        client.force_login(teammate)
        restore = reverse("articles:trash-restore", args=[article.pk])
        team_restore = reverse("articles:team-trash-restore", args=[team.slug])
        for odd in ("²", "9" * 30, "-1", "1e3", ""):
            for kind in ("highlight", "note", "reply"):
                data = {"kind": kind, "id": odd}
                assert client.post(restore, data, headers=HX).status_code == 422
            assert client.post(team_restore, {"id": odd}).status_code == 302

    def test_emptying_leaves_others_private_highlights_alone(
        self, client, owner, teammate, article
    ):
        private = create_highlight(
            article, teammate, *span(article, "battery"), "red", visibility="private"
        )[0]
        delete_highlight(private, teammate)
        client.force_login(owner)
        response = client.post(
            reverse("articles:trash-empty", args=[article.pk]), {"confirm": "yes"}, follow=True
        )
        assert "Deleted 0 item(s)" in response.content.decode()
        assert Highlight.all_objects.filter(pk=private.pk).exists()

    def test_a_reply_does_not_come_back_under_a_highlight_in_the_trash(
        self, client, owner, teammate, thread, article
    ):
        highlight, replies = thread
        replies[0].trash(owner)
        delete_highlight(highlight, teammate)
        client.force_login(owner)
        restore = reverse("articles:trash-restore", args=[article.pk])
        data = {"kind": "reply", "id": replies[0].pk}
        assert client.post(restore, data, headers=HX).status_code == 422
