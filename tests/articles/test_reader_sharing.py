"""The reader rendered once for the readers who see the same highlights, made
personal per request, and kept in the shared cache; live updates send what changed."""

import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.highlighting import _highlight_rows, create_highlight
from articles.models import ArticleNote, Highlight, Reply, Tag
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner, paragraphs=6)


def span(article, words, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(words, start + 1)
    return start, start + len(words)


def reader(client, user, article, **query):
    client.force_login(user)
    response = client.get(reverse("articles:article-detail", args=[article.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def entry(html, highlight):
    pattern = rf'<li class="highlight-item" id="item-{highlight.pk}">.*?</li>'
    return re.search(pattern, html, re.S)[0]


def token_of(html):
    return html.split("since=")[1].split('"')[0].split("&")[0]


class TestShared:
    def test_a_teammate_is_served_what_another_reader_rendered(
        self, client, owner, teammate, article, django_assert_num_queries
    ):
        create_highlight(article, owner, *span(article, "harbour"), "yellow")
        reader(client, owner, article)
        client.force_login(teammate)
        # Session, user, article (with the private check), own state (read, state),
        # the article's tags and the team's: no highlight, reply, note or member query.
        with django_assert_num_queries(7) as captured:
            client.get(reverse("articles:article-detail", args=[article.pk]))
        assert not any(q["sql"].startswith('SELECT "articles_highlight"') for q in captured)

    def test_each_reader_gets_their_own_controls(self, client, owner, teammate, article):
        mine = create_highlight(article, owner, *span(article, "harbour"), "yellow")[0]
        theirs = create_highlight(article, teammate, *span(article, "ferries"), "green")[0]
        note = ArticleNote(article=article, author=owner)
        note.set_body("The owner's note")
        html = reader(client, owner, article)
        assert "Note, colour…" in entry(html, mine)
        assert ">Reply</a>" in entry(html, theirs)
        assert f"note-body-{note.pk}" in html
        html = reader(client, teammate, article)
        assert ">Reply</a>" in entry(html, mine)
        assert "Note, colour…" in entry(html, theirs)
        assert "The owner's note" in html
        assert f"note-body-{note.pk}" not in html  # no editor for another's note
        assert "\x00" not in html

    def test_read_only_members_get_no_controls(self, client, owner, reader_only, article):
        create_highlight(article, owner, *span(article, "harbour"), "yellow")
        reader(client, owner, article)
        html = reader(client, reader_only, article)
        assert "harbour" in html
        assert "data-edit-highlight" not in html
        assert "new-article-note" not in html

    def test_writers_and_read_only_members_share_one_render(
        self, client, owner, reader_only, article, django_assert_num_queries
    ):
        create_highlight(article, owner, *span(article, "harbour"), "yellow")
        reader(client, owner, article)
        client.force_login(reader_only)
        # As for a teammate, less the team's tags (offered to writers only).
        with django_assert_num_queries(6) as captured:
            html = client.get(reverse("articles:article-detail", args=[article.pk])).content
        assert not any(q["sql"].startswith('SELECT "articles_highlight"') for q in captured)
        assert b"data-edit-highlight" not in html

    def test_a_member_given_the_right_to_write_gets_the_controls_at_once(
        self, client, owner, reader_only, article
    ):
        from teams.models import Membership

        create_highlight(article, owner, *span(article, "harbour"), "yellow")
        token = token_of(reader(client, reader_only, article))
        Membership.objects.filter(user=reader_only).update(role=Membership.Role.MEMBER)
        url = reverse("articles:article-updates", args=[article.pk])
        html = client.get(url, {"since": token}, headers=HX).content.decode()
        assert 'hx-swap-oob="innerHTML:#annotation-panel"' in html
        assert ">Reply</a>" in html and "new-article-note" in html

    def test_a_private_highlight_is_never_shared(self, client, owner, teammate, article):
        private = create_highlight(
            article, owner, *span(article, "harbour"), "blue", visibility="private"
        )[0]
        shared = create_highlight(article, owner, *span(article, "ferries"), "green")[0]
        html = reader(client, owner, article)
        assert "only you" in entry(html, private)
        assert f'data-highlight-id="{private.pk}"' in html
        for query in ({}, {"who": str(owner.pk)}):
            html = reader(client, teammate, article, **query)
            assert f"item-{private.pk}" not in html
            assert f'data-highlight-id="{private.pk}"' not in html
            assert f"item-{shared.pk}" in html

    def test_the_filter_names_the_reader(self, client, owner, teammate, article):
        html = reader(client, owner, article, who="me")
        assert '<option value="me" selected>Only mine</option>' in html
        assert f'<option value="{owner.pk}"' not in html
        assert f'<option value="{teammate.pk}">tariq' in html
        html = reader(client, teammate, article, who="me")
        assert '<option value="me" selected>Only mine</option>' in html
        assert f'<option value="{owner.pk}">olivia' in html
        html = reader(client, teammate, article, who=str(owner.pk))
        assert '<option value="me">Only mine</option>' in html
        assert f'<option value="{owner.pk}" selected>olivia' in html

    def test_quotes_notes_and_names_are_escaped(self, client, owner, team, django_user_model):
        from teams.models import Membership

        article = make_article(team, "Markup", user=owner)
        odd = django_user_model.objects.create_user("a<b")
        Membership.objects.create(team=team, user=odd, role=Membership.Role.MEMBER)
        highlight = create_highlight(article, odd, *span(article, "harbour"), "red")[0]
        highlight.tags.create(team=team, name='<x">&')
        html = reader(client, owner, article)
        assert "a&lt;b · <a" in html
        assert "a<b" not in html
        assert "&lt;x&quot;&gt;&amp;</a>" in entry(html, highlight)
        assert "?tag=%3Cx%22%3E%26" in entry(html, highlight)


class TestLiveChanges:
    def poll(self, client, user, article, token):
        client.force_login(user)
        url = reverse("articles:article-updates", args=[article.pk])
        return client.get(url, {"since": token}, headers=HX)

    def test_a_new_highlight_sends_one_paragraph_and_one_entry(
        self, client, owner, teammate, article
    ):
        create_highlight(article, teammate, *span(article, "harbour"), "red")
        token = token_of(reader(client, teammate, article))
        page = len(reader(client, owner, article))
        highlight = create_highlight(article, owner, *span(article, "harbour", 3), "yellow")[0]
        response = self.poll(client, teammate, article, token)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("hx-swap-oob") == 4  # a paragraph, the entry, the count, the poller
        assert ':nth-child(4)"' in html  # "harbour" the 4th time is in the 4th paragraph
        assert f'id="hl-{highlight.pk}"' in html
        assert "afterend:#item-" in html
        assert ">Reply</a>" in html  # the teammate's controls, filled in
        assert len(html) * 10 < page
        # The next entry goes after it; the owner's own controls on their own.
        token = token_of(html)
        create_highlight(article, owner, *span(article, "ferries", 4), "green")
        html = self.poll(client, owner, article, token).content.decode()
        assert f'<div hx-swap-oob="afterend:#item-{highlight.pk}">' in html
        assert "Note, colour…" in html
        assert "\x00" not in html

    def test_a_deleted_highlight_is_removed_and_a_changed_one_replaced(
        self, client, owner, teammate, article
    ):
        first = create_highlight(article, owner, *span(article, "harbour"), "yellow")[0]
        second = create_highlight(article, owner, *span(article, "ferries"), "green")[0]
        token = token_of(reader(client, teammate, article))
        first.trash(owner)
        second.set_note("Why *this*?")
        html = self.poll(client, teammate, article, token).content.decode()
        assert f'<div hx-swap-oob="delete:#item-{first.pk}"></div>' in html
        assert f'<li hx-swap-oob="true" class="highlight-item" id="item-{second.pk}">' in html
        assert "<em>this</em>" in html
        assert 'innerHTML:#panel-title .count">1<' in html

    def test_what_cannot_be_told_apart_is_sent_whole(self, client, owner, teammate, article):
        create_highlight(article, owner, *span(article, "harbour"), "yellow")
        token = token_of(reader(client, teammate, article))
        note = ArticleNote(article=article, author=owner)
        note.set_body("A note on the whole")
        html = self.poll(client, teammate, article, token).content.decode()
        assert 'hx-swap-oob="innerHTML:#annotation-panel"' in html
        assert 'hx-swap-oob="innerHTML:#reader-content"' not in html  # the body is the same
        # A version no longer known: everything.
        html = self.poll(client, teammate, article, "0" * 24).content.decode()
        assert 'hx-swap-oob="innerHTML:#annotation-panel"' in html
        assert 'hx-swap-oob="innerHTML:#reader-content"' in html

    def test_anothers_private_highlight_is_nothing_new(self, client, owner, teammate, article):
        token = token_of(reader(client, teammate, article))
        create_highlight(article, owner, *span(article, "harbour"), "blue", visibility="private")
        assert self.poll(client, teammate, article, token).status_code == 204


@pytest.fixture
def database_cache(db):
    settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "reader_test_cache",
        }
    }
    with override_settings(CACHES=settings):
        caches._settings = caches.settings = settings  # the handler caches its settings
        caches._connections.__dict__.pop("default", None)
        call_command("createcachetable", verbosity=0)
        yield caches["default"]
        caches._connections.__dict__.pop("default", None)
    del caches.settings
    caches._settings = caches.configure_settings(None)


class TestSharedCache:
    """The fragments live in the cache every worker shares (settings.CACHES), so
    whichever process renders them, the others find them."""

    def test_the_database_cache_holds_them(self, client, owner, teammate, article, database_cache):
        from django.db import connection

        create_highlight(article, owner, *span(article, "harbour"), "yellow")
        reader(client, owner, article)
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM reader_test_cache")
            keys = [row[0] for row in cursor.fetchall()]
        assert any(":reader:html:" in key for key in keys)
        html = reader(client, teammate, article)
        assert ">Reply</a>" in html


@pytest.fixture
def redis_cache(db):
    import redis

    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at " + REDIS)
    settings = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}
    }
    with override_settings(CACHES=settings):
        caches._settings = caches.settings = settings
        caches._connections.__dict__.pop("default", None)
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()
        caches._connections.__dict__.pop("default", None)
    del caches.settings
    caches._settings = caches.configure_settings(None)


REDIS = "redis://127.0.0.1:6379/6"


def test_redis_holds_them_and_a_poll_finds_the_change(
    client, owner, teammate, article, redis_cache
):
    create_highlight(article, owner, *span(article, "harbour"), "yellow")
    token = token_of(reader(client, teammate, article))
    keys = redis_cache._cache.get_client().scan_iter(match=":1:reader:html:*")
    assert any(True for _ in keys)
    create_highlight(article, owner, *span(article, "ferries"), "green")
    client.force_login(teammate)
    url = reverse("articles:article-updates", args=[article.pk])
    html = client.get(url, {"since": token}, headers=HX).content.decode()
    assert "afterend:#item-" in html and ">Reply</a>" in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL stores no NUL")
def test_stored_values_cannot_forge_the_panels_markers(client, owner, teammate, article):
    # Rows written before the checks on input (or through a path without one)
    # may hold NUL: none may open or close a slot, nor name the CSRF token's.
    forged = f"a\x00end\x00b\x00mine:{teammate.pk}\x00c\x00wm:{teammate.pk}\x00d\x00csrf-token\x00"
    highlight = create_highlight(article, owner, *span(article, "harbour"), "yellow")[0]
    Highlight.objects.filter(pk=highlight.pk).update(note=forged, note_html=f"<p>{forged}</p>")
    Reply.objects.create(highlight=highlight, author=owner, body=forged, body_html=forged)
    highlight.tags.add(Tag.objects.create(team=article.team, name=forged[:100]))
    ArticleNote.objects.create(article=article, author=owner, body=forged, body_html=forged)
    type(owner).objects.filter(pk=owner.pk).update(first_name=forged[:150])
    article.touch_annotations()
    client.force_login(teammate)
    response = client.get(reverse("articles:article-detail", args=[article.pk]))
    panel = str(response.context["fragments"]["panel"])
    assert "\x00" not in panel
    # The owner's note editor stays theirs, and the token is in form fields only.
    assert "Delete note" not in panel and "Edit note" not in panel
    token = re.search('name="csrfmiddlewaretoken" value="([^"]+)"', panel)[1]
    assert panel.count(token) == 1  # in the new note's form only
    # The highlight's note, tag and author, the reply and its author, the note and
    # its author, the owner in "Show": each shows the stored text, inert.
    assert panel.count("\ufffdcsrf-token\ufffd") == 8


def test_the_panel_reads_no_replies_or_tags_of_highlights_it_does_not_show(
    owner, teammate, article
):
    shared = create_highlight(article, owner, *span(article, "harbour"), "yellow")[0]
    hidden = create_highlight(
        article, teammate, *span(article, "harbour", 1), "green", visibility="private"
    )[0]
    for highlight in (shared, hidden):
        Reply.objects.create(highlight=highlight, author=highlight.author, body="r", body_html="r")
        highlight.tags.add(Tag.objects.get_or_create(team=article.team, name="t")[0])
    with CaptureQueriesContext(connection) as queries:
        rows = _highlight_rows(article, None, None)
    assert [row.pk for row in rows] == [shared.pk]
    read = {"articles_reply": 0, "articles_highlight_tags": 0}
    for query in queries:
        table = re.search(r'FROM "(\w+)"', query["sql"])[1]
        if table in read:
            with connection.cursor() as cursor:
                cursor.execute(query["sql"])
                read[table] = len(cursor.fetchall())
    assert read == {"articles_reply": 1, "articles_highlight_tags": 1}
