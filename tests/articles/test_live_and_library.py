"""Live updates, the highlight filter, read receipts and the library's counts."""

import pytest
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import ArticleNote, ArticleRead, Reply
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner)


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


def token_of(response):
    return response.content.decode().split("since=")[1].split('"')[0].split("&")[0]


class TestLiveUpdates:
    def updates(self, article):
        return reverse("articles:article-updates", args=[article.pk])

    def test_nothing_new_is_a_cheap_204(
        self, client, owner, article, django_assert_max_num_queries
    ):
        client.force_login(owner)
        token = token_of(client.get(reverse("articles:article-detail", args=[article.pk])))
        with django_assert_max_num_queries(3):
            response = client.get(self.updates(article), {"since": token})
        assert response.status_code == 204

    def test_a_teammates_highlight_arrives(self, client, owner, teammate, article):
        client.force_login(owner)
        token = token_of(client.get(reverse("articles:article-detail", args=[article.pk])))
        create_highlight(article, teammate, *span(article, "battery boat"), "green")
        response = client.get(self.updates(article), {"since": token})
        html = response.content.decode()
        assert response.status_code == 200
        assert '<mark class="hl hl-green"' in html
        # Only the paragraph that changed (articles/live.py), not the whole body.
        assert 'hx-swap-oob="outerHTML:#reader-content &gt; .reader-body &gt; :nth-child(' in html
        assert 'hx-swap-oob="innerHTML:#reader-content"' not in html
        assert f"since={token}" not in html  # the poller moves on to the new content

    def test_a_teammates_private_highlight_changes_nothing(self, client, owner, teammate, article):
        client.force_login(owner)
        token = token_of(client.get(reverse("articles:article-detail", args=[article.pk])))
        create_highlight(
            article, teammate, *span(article, "battery boat"), "green", visibility="private"
        )
        assert client.get(self.updates(article), {"since": token}).status_code == 204

    def test_replies_arrive_too(self, client, owner, teammate, article):
        highlight = create_highlight(article, owner, *span(article, "battery boat"), "green")[0]
        client.force_login(owner)
        token = token_of(client.get(reverse("articles:article-detail", args=[article.pk])))
        reply = Reply(highlight=highlight, author=teammate)
        reply.set_body("Agreed")
        assert (
            "<p>Agreed</p>" in client.get(self.updates(article), {"since": token}).content.decode()
        )

    def test_outsiders_get_404_and_anonymous_users_log_in(self, client, outsider, article):
        assert client.get(self.updates(article)).status_code == 302
        client.force_login(outsider)
        assert client.get(self.updates(article)).status_code == 404

    def test_post_is_not_allowed(self, client, owner, article):
        client.force_login(owner)
        assert client.post(self.updates(article)).status_code == 405


class TestFilter:
    def test_only_mine_and_a_chosen_member(self, client, owner, teammate, article):
        create_highlight(article, owner, *span(article, "battery boat"), "green")
        create_highlight(article, teammate, *span(article, "eleven thousand"), "blue")
        client.force_login(owner)
        url = reverse("articles:article-detail", args=[article.pk])
        everyone = client.get(url).content.decode()
        assert "battery boat</q>" in everyone and "eleven thousand</q>" in everyone
        mine = client.get(url, {"who": "me"}).content.decode()
        assert "battery boat</q>" in mine and "eleven thousand</q>" not in mine
        theirs = client.get(url, {"who": teammate.pk}).content.decode()
        assert "battery boat</q>" not in theirs and "eleven thousand</q>" in theirs
        assert f'<option value="{teammate.pk}" selected>' in theirs

    def test_junk_filters_show_everyone(self, client, owner, article):
        client.force_login(owner)
        url = reverse("articles:article-detail", args=[article.pk])
        assert client.get(url, {"who": "'; drop"}).status_code == 200


class TestReads:
    def test_reading_is_recorded_by_post_once(self, client, teammate, article):
        client.force_login(teammate)
        url = reverse("articles:article-read", args=[article.pk])
        assert client.post(url).status_code == 204
        assert client.post(url).status_code == 204
        assert ArticleRead.objects.filter(article=article, user=teammate).count() == 1
        assert client.get(url).status_code == 405

    def test_outsiders_cannot_mark_it(self, client, outsider, article):
        client.force_login(outsider)
        assert client.post(reverse("articles:article-read", args=[article.pk])).status_code == 404
        assert not ArticleRead.objects.exists()


class TestLibrary:
    def test_it_shows_counts_and_readers(self, client, owner, teammate, article):
        highlight = create_highlight(article, owner, *span(article, "battery boat"), "green")[0]
        create_highlight(article, teammate, *span(article, "eleven thousand"), "blue")
        create_highlight(
            article, teammate, *span(article, "the water"), "red", visibility="private"
        )
        highlight.set_note("a note")
        note = ArticleNote(article=article, author=owner)
        note.set_body("article note")
        ArticleRead.objects.create(article=article, user=teammate)
        client.force_login(owner)
        html = client.get(reverse("articles:library")).content.decode()
        assert "2 highlights" in html  # the teammate's private one is not counted
        assert "2 notes" in html
        assert "Read by tariq" in html

    def test_counts_cost_the_same_queries_for_many_articles(
        self, client, owner, team, teammate, django_assert_num_queries
    ):
        client.force_login(owner)
        article = make_article(team, "One")
        create_highlight(article, owner, *span(article, "battery boat"), "green")
        ArticleRead.objects.create(article=article, user=teammate)
        with django_assert_num_queries(14) as few:  # with the URLs being added
            client.get(reverse("articles:library"))
        for n in range(8):
            more = make_article(team, f"More {n}")
            create_highlight(more, teammate, *span(more, "battery boat"), "green")
            ArticleRead.objects.create(article=more, user=owner)
        with django_assert_num_queries(len(few.captured_queries)):
            client.get(reverse("articles:library"))
