"""Threads under highlights: replies, visibility and moderation."""

import pytest
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import Highlight, Reply
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner)


@pytest.fixture
def highlight(article, teammate):
    start = article.text.index("battery boat")
    highlight = create_highlight(article, teammate, start, start + 12, "yellow")[0]
    highlight.set_note("Is this *costed*?")
    return highlight


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


def reply_url(highlight):
    return reverse("articles:reply-create", args=[highlight.pk])


def reader(client, article):
    return client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()


class TestReplies:
    def test_a_teammate_replies_and_everyone_sees_it(
        self, client, owner, teammate, highlight, article
    ):
        client.force_login(owner)
        response = client.post(reply_url(highlight), {"body": "Yes, **84M**"}, headers=HX)
        assert response.status_code == 201
        reply = Reply.objects.get()
        assert (reply.author, reply.body_html) == (owner, "<p>Yes, <strong>84M</strong></p>")
        client.force_login(teammate)
        assert "Yes, <strong>84M</strong>" in reader(client, article)

    def test_a_plain_post_redirects_to_the_reply(self, client, owner, highlight):
        client.force_login(owner)
        response = client.post(reply_url(highlight), {"body": "ok"})
        assert response.status_code == 302 and "#reply-" in response.url

    def test_empty_and_too_long_replies_are_refused(self, client, owner, highlight):
        client.force_login(owner)
        assert client.post(reply_url(highlight), {"body": "  "}, headers=HX).status_code == 422
        assert (
            client.post(reply_url(highlight), {"body": "x" * 10_001}, headers=HX).status_code == 422
        )
        assert not Reply.objects.exists()

    def test_authors_edit_and_delete_their_own_replies(self, client, owner, highlight):
        reply = Reply(highlight=highlight, author=owner)
        reply.set_body("first")
        client.force_login(owner)
        client.post(
            reverse("articles:reply-update", args=[reply.pk]), {"body": "second"}, headers=HX
        )
        reply.refresh_from_db()
        assert reply.body_html == "<p>second</p>"
        client.post(reverse("articles:reply-delete", args=[reply.pk]), headers=HX)
        assert not Reply.objects.exists()

    def test_members_cannot_touch_others_replies(self, client, owner, teammate, highlight):
        reply = Reply(highlight=highlight, author=owner)
        reply.set_body("owner's")
        client.force_login(teammate)
        assert (
            client.post(
                reverse("articles:reply-update", args=[reply.pk]), {"body": "x"}
            ).status_code
            == 403
        )
        assert client.post(reverse("articles:reply-delete", args=[reply.pk])).status_code == 403
        reply.refresh_from_db()
        assert reply.body == "owner's" and not reply.is_removed

    def test_read_only_members_cannot_reply(self, client, reader_only, highlight):
        client.force_login(reader_only)
        assert client.post(reply_url(highlight), {"body": "x"}).status_code == 403

    def test_outsiders_get_404_everywhere(self, client, outsider, owner, highlight):
        reply = Reply(highlight=highlight, author=owner)
        reply.set_body("x")
        client.force_login(outsider)
        for url in (
            reply_url(highlight),
            reverse("articles:reply-update", args=[reply.pk]),
            reverse("articles:reply-delete", args=[reply.pk]),
            reverse("articles:highlight-remove", args=[highlight.pk]),
            reverse("articles:highlight-visibility", args=[highlight.pk]),
        ):
            assert client.post(url, {"body": "x", "visibility": "team"}).status_code == 404, url

    @pytest.mark.parametrize("name", ["reply-update", "reply-delete"])
    def test_get_is_not_allowed_and_anonymous_users_log_in(self, client, owner, highlight, name):
        reply = Reply(highlight=highlight, author=owner)
        reply.set_body("x")
        url = reverse(f"articles:{name}", args=[reply.pk])
        assert client.post(url).status_code == 302
        client.force_login(owner)
        assert client.get(url).status_code == 405


class TestModeration:
    def test_an_admin_removes_a_reply_leaving_a_marker(
        self, client, team_admin, owner, teammate, highlight, article
    ):
        reply = Reply(highlight=highlight, author=teammate)
        reply.set_body("Something rude")
        client.force_login(team_admin)
        assert (
            client.post(reverse("articles:reply-delete", args=[reply.pk]), headers=HX).status_code
            == 200
        )
        reply.refresh_from_db()
        assert reply.removed_by == team_admin
        client.force_login(owner)
        html = reader(client, article)
        assert "Reply removed by a moderator." in html and "Something rude" not in html

    def test_an_owner_removes_a_highlight_leaving_a_marker(
        self, client, owner, teammate, highlight, article
    ):
        client.force_login(owner)
        assert (
            client.post(
                reverse("articles:highlight-remove", args=[highlight.pk]), headers=HX
            ).status_code
            == 200
        )
        highlight.refresh_from_db()
        assert highlight.removed_by == owner
        client.force_login(teammate)
        html = reader(client, article)
        assert "Highlight removed by a moderator." in html
        assert "<mark" not in html and "costed" not in html
        # Its author can no longer change it either.
        url = reverse("articles:highlight-note", args=[highlight.pk])
        assert client.post(url, {"note": "back"}).status_code == 403

    def test_members_cannot_moderate(self, client, owner, teammate, article):
        start = article.text.index("ferries")
        mine = create_highlight(article, owner, start, start + 7, "blue")[0]
        client.force_login(teammate)
        assert client.post(reverse("articles:highlight-remove", args=[mine.pk])).status_code == 403
        assert not Highlight.objects.get(pk=mine.pk).is_removed

    def test_removed_highlights_take_no_replies(self, client, owner, teammate, highlight):
        highlight.remove_by_moderator(owner)
        client.force_login(teammate)
        assert client.post(reply_url(highlight), {"body": "x"}).status_code == 403


class TestVisibility:
    def test_the_author_makes_a_highlight_private_and_back(
        self, client, teammate, owner, highlight, article
    ):
        url = reverse("articles:highlight-visibility", args=[highlight.pk])
        client.force_login(teammate)
        client.post(url, {"visibility": "private"}, headers=HX)
        client.force_login(owner)
        assert "battery boat</q>" not in reader(client, article)
        assert (
            client.get(reverse("articles:highlight-detail", args=[highlight.pk])).status_code == 404
        )
        client.force_login(teammate)
        assert "only you" in reader(client, article)
        client.post(url, {"visibility": "team"}, headers=HX)
        client.force_login(owner)
        assert "battery boat</q>" in reader(client, article)

    def test_private_highlights_take_no_replies_from_others(self, client, owner, teammate, article):
        start = article.text.index("ferries")
        private = create_highlight(
            article, teammate, start, start + 7, "blue", visibility="private"
        )[0]
        client.force_login(owner)
        assert client.post(reply_url(private), {"body": "x"}).status_code == 404

    def test_the_toolbar_can_make_a_private_highlight(self, client, teammate, article):
        client.force_login(teammate)
        start = article.text.index("ferries")
        data = {"start": start, "end": start + 7, "colour": "red", "visibility": "private"}
        client.post(reverse("articles:highlight-create", args=[article.pk]), data, headers=HX)
        assert Highlight.objects.get().visibility == "private"

    def test_private_highlights_never_reach_teammates(self, client, owner, teammate, article):
        create_highlight(
            article, owner, *span(article, "battery boat"), "yellow", visibility="private"
        )
        url = reverse("articles:article-detail", args=[article.pk])
        client.force_login(owner)
        assert "battery boat</q>" in client.get(url).content.decode()
        client.force_login(teammate)
        html = client.get(url).content.decode()
        assert "<mark" not in html and "battery boat</q>" not in html


class TestIntegrity:
    def test_forms_ignore_fields_that_would_move_objects(
        self, client, owner, teammate, other_team, article
    ):
        client.force_login(teammate)
        start = article.text.index("ferries")
        data = {
            "start": start, "end": start + 7, "colour": "red",
            "author": owner.pk, "article": 999, "team": other_team.pk,
        }  # fmt: skip
        client.post(reverse("articles:highlight-create", args=[article.pk]), data, headers=HX)
        highlight = Highlight.objects.get()
        assert (highlight.author, highlight.article_id) == (teammate, article.pk)
        client.post(
            reverse("articles:reply-create", args=[highlight.pk]),
            {"body": "x", "author": owner.pk, "highlight": 999},
            headers=HX,
        )
        assert Reply.objects.get().author == teammate

    def test_a_deleted_users_contributions_stay_as_a_former_members(
        self, client, owner, teammate, highlight, article
    ):
        reply = Reply(highlight=highlight, author=teammate)
        reply.set_body("Still here")
        teammate.delete()
        client.force_login(owner)
        html = reader(client, article)
        assert "Still here" in html and "battery boat</q>" in html
        assert "former member" in html
