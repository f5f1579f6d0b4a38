"""The library at scale: keyset pages for every sort, filters, reading state and
the counts on each card (articles/library.py, articles/reading.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from articles import reading
from articles.highlighting import create_highlight
from articles.library import SORTS, cursor_for
from articles.models import Article, ArticleNote, ArticleRead, ArticleState, Highlight, Reply, Tag
from tests.factories import make_article

URL = reverse("articles:library")
HX = {"HX-Request": "true"}


def titles(response):
    assert response.status_code == 200
    return [article.title for article in response.context["page"].cards]


def highlight(article, user, n, colour="yellow", visibility=None):
    """The n-th word-sized highlight of `article` (distinct n: distinct ranges)."""
    start = n * 12
    return create_highlight(article, user, start, start + 5, colour, visibility=visibility)[0]


def reply(highlight, user, body="Agreed"):
    Reply(highlight=highlight, author=user).set_body(body)


class TestCounts:
    def test_every_card_has_its_own_counts(self, client, owner, teammate, team):
        # A different number of highlights, notes and replies on each article.
        articles = [make_article(team, f"Story {n}", paragraphs=3) for n in range(4)]
        for n, article in enumerate(articles):
            for m in range(n):
                h = highlight(article, teammate, m)
                for _ in range(n):
                    reply(h, owner)
            if n:
                ArticleNote(article=article, author=owner).set_body(f"Note {n}")
        client.force_login(owner)
        cards = {a.title: a for a in client.get(URL).context["page"].cards}
        for n in range(4):
            card = cards[f"Story {n}"]
            assert card.highlight_count == n
            assert card.reply_count == n * n
            assert card.note_count == n * n + (1 if n else 0)

    def test_others_private_highlights_and_their_replies_are_not_counted(
        self, client, owner, teammate, team
    ):
        article = make_article(team, "Secret")
        mine = highlight(article, teammate, 0, visibility="private")
        reply(mine, teammate)
        client.force_login(owner)
        [card] = client.get(URL).context["page"].cards
        assert (card.highlight_count, card.reply_count) == (0, 0)
        client.force_login(teammate)
        [card] = client.get(URL).context["page"].cards
        assert (card.highlight_count, card.reply_count) == (1, 1)

    def test_queries_do_not_grow_with_rows(
        self, client, owner, teammate, team, settings, django_assert_num_queries
    ):
        settings.ARTICLES_PER_PAGE = 10

        def add(n):
            for i in range(n):
                article = make_article(team, f"Row {Article.objects.count()}", paragraphs=1)
                h = highlight(article, teammate, 0)
                reply(h, owner)
                article.tags.add(Tag.objects.get_or_create(team=team, name=f"t{i % 3}")[0])
                ArticleRead.objects.create(article=article, user=teammate)

        client.force_login(owner)
        add(5)
        with django_assert_num_queries(14) as at_n:
            client.get(URL)
        add(5)
        with django_assert_num_queries(len(at_n.captured_queries)):
            assert len(titles(client.get(URL))) == 10
        # Filtered: no captures, but the team's tags to find the one asked for.
        with django_assert_num_queries(len(at_n.captured_queries)):
            assert titles(client.get(URL, {"tag": "t1"}))

    def test_list_queries_leave_the_large_columns_out(self, client, owner, team):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        make_article(team, "Small")
        client.force_login(owner)
        with CaptureQueriesContext(connection) as queries:
            client.get(URL)
        article_queries = [q["sql"] for q in queries if '"articles_article"' in q["sql"]]
        assert article_queries
        for sql in article_queries:
            assert '"articles_article"."original"' not in sql
            assert '"articles_article"."text"' not in sql
            assert '"articles_article"."html"' not in sql


@pytest.fixture
def shelf(team, owner):
    """Seven articles with distinct saved dates, some published, titles out of order."""
    base = datetime(2024, 1, 1, tzinfo=UTC)
    specs = [
        ("Delta", date(2020, 5, 1)),
        ("alpha", None),
        ("Echo", date(2022, 1, 1)),
        ("Bravo", None),
        ("Charlie", date(2020, 5, 1)),
        ("Golf", date(2019, 1, 1)),
        ("Foxtrot", None),
    ]
    articles = []
    for n, (title, published) in enumerate(specs):
        article = make_article(team, title, paragraphs=2)
        Article.objects.filter(pk=article.pk).update(
            saved_at=base + timedelta(days=n), published=published
        )
        articles.append(Article.objects.get(pk=article.pk))
    return articles


def walk(client, params, forward=True):
    """Every title, following the Next (or from the end, Previous) cursors."""
    seen, page = [], client.get(URL, params).context["page"]
    seen += [a.title for a in page.cards]
    while page.next:
        page = client.get(URL, {**params, "after": page.next}).context["page"]
        seen += [a.title for a in page.cards]
    if forward:
        return seen
    back = [a.title for a in page.cards]
    while page.previous:
        page = client.get(URL, {**params, "before": page.previous}).context["page"]
        back = [a.title for a in page.cards] + back
    return back


class TestSortsAndPages:
    @pytest.mark.parametrize("size", [1, 2, 3, 7, 20])
    @pytest.mark.parametrize("sort", ["", "oldest", "published", "title", "annotated"])
    def test_pages_cover_every_article_once_in_order_both_ways(
        self, client, owner, teammate, shelf, settings, sort, size
    ):
        settings.ARTICLES_PER_PAGE = size
        for n, article in enumerate(shelf[:4]):
            for m in range(n % 3):
                highlight(article, teammate, m)
        client.force_login(owner)
        rows = list(Article.objects.all())
        expected = {
            "": sorted(rows, key=lambda a: (a.saved_at, a.pk), reverse=True),
            "oldest": sorted(rows, key=lambda a: (a.saved_at, a.pk)),
            # Unknown publication dates last.
            "published": sorted(
                [a for a in rows if a.published], key=lambda a: (a.published, a.pk), reverse=True
            )
            + sorted([a for a in rows if not a.published], key=lambda a: a.pk, reverse=True),
            "title": sorted(rows, key=lambda a: (a.title, a.pk)),
            "annotated": sorted(rows, key=lambda a: (a.annotation_total, a.pk), reverse=True),
        }[sort]
        names = [a.title for a in expected]
        params = {"sort": sort} if sort else {}
        assert walk(client, params) == names
        assert walk(client, params, forward=False) == names

    def test_most_annotated_counts_what_the_team_sees(self, client, owner, teammate, shelf):
        busy, quiet = shelf[0], shelf[1]
        h = highlight(busy, teammate, 0)
        h.set_note("Why")
        reply(h, owner)
        highlight(quiet, teammate, 0, visibility="private")
        ArticleNote(article=quiet, author=owner).set_body("A note")
        busy.refresh_from_db()
        quiet.refresh_from_db()
        assert (busy.annotation_total, quiet.annotation_total) == (3, 1)
        client.force_login(owner)
        assert titles(client.get(URL, {"sort": "annotated"}))[:2] == [busy.title, quiet.title]

    def test_last_opened_lists_what_i_opened_most_recent_first(self, client, owner, shelf):
        client.force_login(owner)
        for article in (shelf[3], shelf[0], shelf[5]):
            assert (
                client.post(reverse("articles:article-read", args=[article.pk])).status_code == 204
            )
        assert titles(client.get(URL, {"sort": "opened"})) == ["Golf", "Delta", "Bravo"]

    def test_bad_cursors_and_values_show_the_first_page(self, client, owner, shelf, settings):
        settings.ARTICLES_PER_PAGE = 2
        client.force_login(owner)
        first = titles(client.get(URL))
        other_sort = cursor_for(shelf[0], "title")
        for params in (
            {"after": "x" * 400},
            {"before": "junk:1"},
            {"after": other_sort},  # a cursor of another sort
            {"sort": "nonsense"},
            {"state": "gone"},
            {"saved_from": "2024-13-45"},
            {"published_to": "yesterday"},
            {"colour": "purple"},
            {"q": "x" * 600},
        ):
            response = client.get(URL, params)
            assert response.status_code == 200, params
        assert titles(client.get(URL, {"after": "junk"})) == first

    def test_every_sort_has_a_key(self):
        from articles.forms import LibraryForm

        assert {value for value, _ in LibraryForm.SORTS} == set(SORTS)


class TestFilters:
    def test_tags_one_or_several_ignoring_case(self, client, owner, shelf):
        ferries, boats = (
            Tag.objects.create(team=shelf[0].team, name=n) for n in ("Ferries", "boats")
        )
        shelf[0].tags.add(ferries, boats)
        shelf[1].tags.add(ferries)
        client.force_login(owner)
        assert set(titles(client.get(URL, {"tag": "ferries"}))) == {"Delta", "alpha"}
        assert titles(client.get(URL, {"tag": ["Ferries", "BOATS"]})) == ["Delta"]
        response = client.get(URL, {"tag": "nowhere"})
        assert titles(response) == []
        assert "No tag is called “nowhere”." in response.content.decode()

    def test_site_state_dates(self, client, owner, shelf):
        Article.objects.filter(pk=shelf[2].pk).update(site_name="The Courier")
        client.force_login(owner)
        assert titles(client.get(URL, {"site": "the courier"})) == ["Echo"]
        assert titles(
            client.get(URL, {"published_from": "2020-01-01", "published_to": "2020-12-31"})
        ) == ["Charlie", "Delta"]
        saved = client.get(URL, {"saved_from": "2024-01-02", "saved_to": "2024-01-03"})
        assert titles(saved) == ["Echo", "alpha"]

    def test_by_member_and_colour_of_highlights_i_can_see(self, client, owner, teammate, shelf):
        highlight(shelf[0], teammate, 0, "red")
        highlight(shelf[1], teammate, 0, "blue")
        highlight(shelf[2], teammate, 0, "red", visibility="private")
        highlight(shelf[3], owner, 0, "red")
        client.force_login(owner)
        username = teammate.get_username()
        assert set(titles(client.get(URL, {"by": username}))) == {"Delta", "alpha"}
        assert set(titles(client.get(URL, {"colour": "red"}))) == {"Delta", "Bravo"}
        assert titles(client.get(URL, {"by": username, "colour": "red"})) == ["Delta"]
        client.force_login(teammate)
        assert set(titles(client.get(URL, {"by": username, "colour": "red"}))) == {"Delta", "Echo"}

    def test_the_by_filter_names_members_as_the_reader_does(self, client, owner, teammate):
        teammate.first_name, teammate.last_name = "Tariq", "Aziz"
        teammate.save(update_fields=["first_name", "last_name"])
        client.force_login(owner)
        page = client.get(URL, {"by": teammate.get_username()}).content.decode()
        # The name shown, the username sent (the search's "by:" takes it too).
        assert f'<option value="{teammate.get_username()}" selected>Tariq Aziz (tariq)' in page
        assert f'<option value="{owner.get_username()}">{owner.get_username()}</option>' in page

    def test_reading_states(self, client, owner, team, shelf):
        delta, alpha, echo, bravo, charlie = shelf[:5]
        reading.opened(delta, owner)  # reading, at 0
        reading.save_progress(alpha, owner, 0.5)
        reading.act(echo, owner, "finished")
        reading.act(bravo, owner, "archive")
        reading.act(charlie, owner, "star")
        reading.act(charlie, owner, "archive")
        client.force_login(owner)
        everything = {a.title for a in shelf}
        assert set(titles(client.get(URL))) == everything - {"Bravo", "Charlie"}
        assert set(titles(client.get(URL, {"state": "reading"}))) == {"Delta", "alpha"}
        assert titles(client.get(URL, {"state": "finished"})) == ["Echo"]
        assert set(titles(client.get(URL, {"state": "unread"}))) == {"Golf", "Foxtrot"}
        assert set(titles(client.get(URL, {"state": "archived"}))) == {"Bravo", "Charlie"}
        assert titles(client.get(URL, {"state": "starred"})) == ["Charlie"]
        assert set(titles(client.get(URL, {"state": "all"}))) == everything

    def test_states_are_each_members_own(self, client, owner, teammate, shelf):
        reading.act(shelf[0], owner, "archive")
        client.force_login(teammate)
        assert "Delta" in titles(client.get(URL))

    def test_the_url_holds_the_query_and_htmx_gets_the_list(self, client, owner, shelf):
        client.force_login(owner)
        response = client.get(URL, {"sort": "title", "state": "all"}, headers=HX)
        assert response.content.lstrip().startswith(b'<div id="article-list"')
        page = client.get(URL, {"sort": "title", "state": "all"}).content.decode()
        assert '<option value="title" selected>' in page
        assert '<option value="all" selected>' in page


class TestReadingStatus:
    @pytest.mark.parametrize(
        ("read", "progress", "expected"),
        [
            (False, None, "unread"),
            (False, 0.0, "unread"),
            (True, 0.0, "reading"),
            (False, 0.3, "reading"),
            (True, 0.97, "reading"),
            (True, 0.98, "finished"),
            (False, 1.0, "finished"),
            # Read with no position: an import or the API said "read".
            (True, None, "finished"),
        ],
    )
    def test_status(self, read, progress, expected):
        state = ArticleState(progress=progress)
        assert reading.status(object() if read else None, state) == expected

    def test_opening_again_keeps_a_finished_article_finished(self, owner, team):
        article = make_article(team)
        ArticleRead.objects.create(article=article, user=owner)  # imported as read
        reading.opened(article, owner)
        assert reading.describe_for(article, owner).reading_status == "finished"


class TestStateViews:
    def state(self, article, user):
        return ArticleState.objects.filter(article=article, user=user).first()

    def test_buttons_work_without_javascript(self, client, owner, team):
        article = make_article(team, "Story")
        client.force_login(owner)
        url = reverse("articles:article-state", args=[article.pk])
        response = client.post(url, {"action": "star", "next": "/?state=starred"})
        assert response.status_code == 302 and response.url == "/?state=starred"
        assert self.state(article, owner).starred_at is not None
        response = client.post(url, {"action": "archive", "next": "https://evil.example/"})
        assert response.url == reverse("articles:article-detail", args=[article.pk])
        assert self.state(article, owner).archived_at is not None
        client.post(url, {"action": "unarchive"})
        client.post(url, {"action": "unstar"})
        state = self.state(article, owner)
        assert state.archived_at is None and state.starred_at is None

    def test_htmx_gets_the_controls_back(self, client, owner, team):
        article = make_article(team, "Story")
        client.force_login(owner)
        url = reverse("articles:article-state", args=[article.pk])
        response = client.post(url, {"action": "finished"}, headers=HX)
        html = response.content.decode()
        assert html.lstrip().startswith(f'<div class="state-controls" id="state-{article.pk}"')
        assert "Finished" in html and 'value="unread"' in html
        client.post(url, {"action": "unread"}, headers=HX)
        assert reading.describe_for(article, owner).reading_status == "unread"

    def test_bad_actions_and_progress_are_refused_clearly(self, client, owner, team):
        article = make_article(team, "Story")
        client.force_login(owner)
        state_url = reverse("articles:article-state", args=[article.pk])
        assert client.post(state_url, {"action": "delete"}).status_code == 400
        progress_url = reverse("articles:article-progress", args=[article.pk])
        for value in ("", "1.5", "-0.1", "nan", "inf", "half", "1e400"):
            assert client.post(progress_url, {"progress": value}).status_code == 400, value
        assert client.post(progress_url, {"progress": "0.42"}).status_code == 204
        assert self.state(article, owner).progress == pytest.approx(0.42)

    def test_read_only_members_keep_their_own_state(self, client, reader_only, team):
        article = make_article(team, "Story")
        client.force_login(reader_only)
        url = reverse("articles:article-state", args=[article.pk])
        assert client.post(url, {"action": "star"}, headers=HX).status_code == 200
        page = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert "js/reading.js" in page and "★ Starred" in page

    def test_the_reader_carries_the_saved_position(self, client, owner, team):
        article = make_article(team, "Story")
        reading.save_progress(article, owner, 0.37)
        client.force_login(owner)
        page = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert 'data-progress="0.37"' in page
        library = client.get(URL).content.decode()
        assert (
            "Reading · 37%" in library
            and '<progress class="reading-progress" max="100" value="37"' in library
        )


class TestNotebook:
    NOTEBOOK = reverse("articles:notebook")

    def test_team_highlights_newest_first_with_filters(
        self, client, owner, teammate, outsider, other_team, team, settings
    ):
        first = make_article(team, "First")
        second = make_article(team, "Second")
        elsewhere = make_article(other_team, "Elsewhere")
        a = highlight(first, owner, 0, "red")
        b = highlight(second, teammate, 0, "blue")
        c = highlight(second, teammate, 1, "red", visibility="private")
        highlight(elsewhere, outsider, 0)
        tag = Tag.objects.create(team=team, name="Boats")
        b.tags.add(tag)
        first.tags.add(tag)
        client.force_login(owner)

        def shown(**params):
            return [h.pk for h in client.get(self.NOTEBOOK, params).context["highlights"]]

        assert shown() == [b.pk, a.pk]  # not the private one, nor another team's
        assert shown(colour="red") == [a.pk]
        assert shown(member=str(teammate.pk)) == [b.pk]
        assert shown(tag="boats") == [b.pk, a.pk]  # its own tag or its article's
        assert shown(article=str(first.pk)) == [a.pk]
        assert shown(article=str(elsewhere.pk)) == []
        assert shown(tag="nothing") == []
        client.force_login(teammate)
        assert shown() == [c.pk, b.pk, a.pk]
        page = client.get(self.NOTEBOOK).content.decode()
        assert f'href="/articles/{second.pk}/#hl-{c.pk}"' in page

    def test_pages(self, client, owner, team, settings):
        settings.ARTICLES_PER_PAGE = 2
        article = make_article(team, "Story", paragraphs=4)
        made = [highlight(article, owner, n) for n in range(5)]
        client.force_login(owner)
        seen, response = [], client.get(self.NOTEBOOK)
        while True:
            seen += [h.pk for h in response.context["highlights"]]
            if not response.context["next"]:
                break
            response = client.get(self.NOTEBOOK, {"after": response.context["next"]})
        assert seen == [h.pk for h in reversed(made)]
        assert client.get(self.NOTEBOOK, {"after": "junk", "member": "x"}).status_code == 200

    def test_removed_highlights_stay_out(self, client, owner, teammate, team):
        article = make_article(team, "Story")
        h = highlight(article, teammate, 0)
        h.remove_by_moderator(owner)
        client.force_login(owner)
        assert list(client.get(self.NOTEBOOK).context["highlights"]) == []

    def test_no_team(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user("loner"))
        assert client.get(self.NOTEBOOK).status_code == 200


def test_highlight_model_has_tags():
    assert Highlight._meta.get_field("tags").related_model is Tag
