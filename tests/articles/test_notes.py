import re

import pytest
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import ArticleNote, Highlight
from newsreader.lib.markdown import render_note
from tests.factories import make_article

HX = {"HX-Request": "true"}


class TestRendering:
    def test_markdown_is_rendered(self):
        assert render_note("Some *emphasis* and **bold**\n\n- a\n- b") == (
            "<p>Some <em>emphasis</em> and <strong>bold</strong></p>\n"
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
        )

    @pytest.mark.parametrize(
        "markdown",
        [
            "[x](javascript:alert(1))",
            "<script>alert(1)</script>",
            '<img src=x onerror="alert(1)">',
            "[x](data:text/html,hi)",
            '<a href="https://ok.example" hx-get="/admin/">x</a>',
        ],
    )
    def test_nothing_active_survives(self, markdown):
        html = render_note(markdown)
        # Whatever is left is text: no image or script element, and no link
        # but the bare https:// address in the raw HTML, linked as one.
        assert not re.search(r"<(img|script)\b", html), html
        assert re.findall(r"<a\b[^>]*>", html) in (
            [],
            ['<a href="https://ok.example" rel="noopener noreferrer nofollow ugc">'],
        ), html

    def test_links_are_kept_with_a_safe_rel(self):
        html = render_note("[site](https://example.org) and <mailto:me@example.org>")
        assert 'href="https://example.org"' in html and 'href="mailto:me@example.org"' in html
        assert 'rel="noopener noreferrer nofollow ugc"' in html


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner)


@pytest.fixture
def highlight(article, owner):
    start = article.text.index("battery boat")
    return create_highlight(article, owner, start, start + 12, "yellow")[0]


def note_url(highlight):
    return reverse("articles:highlight-note", args=[highlight.pk])


class TestHighlightNote:
    def test_the_author_adds_a_note_rendered_once(self, client, owner, highlight):
        client.force_login(owner)
        response = client.post(note_url(highlight), {"note": "Check the **cost**"}, headers=HX)
        assert response.status_code == 200
        highlight.refresh_from_db()
        assert highlight.note == "Check the **cost**"
        assert highlight.note_html == "<p>Check the <strong>cost</strong></p>"
        assert "Check the <strong>cost</strong>" in response.content.decode()

    def test_an_empty_note_removes_it(self, client, owner, highlight):
        highlight.set_note("temporary")
        client.force_login(owner)
        client.post(note_url(highlight), {"note": "  "}, headers=HX)
        highlight.refresh_from_db()
        assert (highlight.note, highlight.note_html) == ("", "")

    def test_a_plain_post_redirects_to_the_entry(self, client, owner, highlight):
        client.force_login(owner)
        response = client.post(note_url(highlight), {"note": "x"})
        assert response.status_code == 302 and response.url.endswith(f"#item-{highlight.pk}")

    def test_a_too_long_note_is_refused(self, client, owner, highlight):
        client.force_login(owner)
        response = client.post(note_url(highlight), {"note": "x" * 10_001}, headers=HX)
        assert response.status_code == 422
        assert b"at most 10000 characters" in response.content

    def test_a_teammate_cannot_write_on_it(self, client, teammate, highlight):
        client.force_login(teammate)
        assert client.post(note_url(highlight), {"note": "mine now"}).status_code == 403

    def test_an_outsider_gets_404(self, client, outsider, highlight):
        client.force_login(outsider)
        assert client.post(note_url(highlight), {"note": "x"}).status_code == 404

    def test_read_only_members_get_403(self, client, reader_only, highlight):
        client.force_login(reader_only)
        assert client.post(note_url(highlight), {"note": "x"}).status_code == 403

    def test_get_is_not_allowed_and_anonymous_must_log_in(self, client, owner, highlight):
        assert client.post(note_url(highlight), {"note": "x"}).status_code == 302
        client.force_login(owner)
        assert client.get(note_url(highlight)).status_code == 405

    def test_the_panel_shows_the_note_to_teammates(self, client, teammate, highlight, article):
        highlight.set_note("A *teammate* can read this")
        client.force_login(teammate)
        html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert "A <em>teammate</em> can read this" in html


class TestDeleteWithNote:
    def test_without_javascript_a_highlight_with_a_note_asks_first(self, client, owner, highlight):
        highlight.set_note("Important")
        client.force_login(owner)
        url = reverse("articles:highlight-delete", args=[highlight.pk])
        response = client.post(url)
        assert response.status_code == 200
        assert b"Delete this highlight?" in response.content
        assert Highlight.objects.exists()
        assert client.post(url, {"confirm": "yes"}).status_code == 302
        assert not Highlight.objects.exists()

    def test_a_highlight_without_a_note_goes_at_once(self, client, owner, highlight):
        client.force_login(owner)
        client.post(reverse("articles:highlight-delete", args=[highlight.pk]))
        assert not Highlight.objects.exists()

    def test_htmx_deletion_offers_an_undo_that_restores_it_with_its_note(
        self, client, owner, highlight, article
    ):
        highlight.set_note("Keep me")
        client.force_login(owner)
        response = client.post(
            reverse("articles:highlight-delete", args=[highlight.pk]),
            {"confirm": "yes"},
            headers=HX,
        )
        html = response.content.decode()
        assert "Highlight deleted." in html and 'hx-swap-oob="innerHTML:#reader-status"' in html
        token = html.split('name="token" value="')[1].split('"')[0]
        assert not Highlight.objects.exists()
        restore = reverse("articles:highlight-restore", args=[article.pk])
        assert client.post(restore, {"token": token}, headers=HX).status_code == 200
        restored = Highlight.objects.get()
        assert (restored.exact, restored.note, restored.colour) == (
            "battery boat",
            "Keep me",
            "yellow",
        )
        assert restored.note_html == "<p>Keep me</p>"

    def test_an_undo_token_is_only_good_for_its_author(
        self, client, owner, teammate, highlight, article
    ):
        client.force_login(owner)
        response = client.post(
            reverse("articles:highlight-delete", args=[highlight.pk]),
            {"confirm": "yes"},
            headers=HX,
        )
        token = response.content.decode().split('name="token" value="')[1].split('"')[0]
        client.force_login(teammate)
        restore = reverse("articles:highlight-restore", args=[article.pk])
        assert client.post(restore, {"token": token}, headers=HX).status_code == 422
        assert client.post(restore, {"token": "forged"}, headers=HX).status_code == 422
        assert not Highlight.objects.exists()


class TestArticleNotes:
    def test_a_member_adds_edits_and_deletes_a_note(self, client, owner, article):
        client.force_login(owner)
        create = reverse("articles:note-create", args=[article.pk])
        response = client.post(create, {"body": "Read this **first**"}, headers=HX)
        assert response.status_code == 201
        note = ArticleNote.objects.get()
        assert note.body_html == "<p>Read this <strong>first</strong></p>"
        assert "Read this <strong>first</strong>" in response.content.decode()

        client.post(
            reverse("articles:note-update", args=[note.pk]), {"body": "Changed"}, headers=HX
        )
        note.refresh_from_db()
        assert note.body_html == "<p>Changed</p>"

        client.post(reverse("articles:note-delete", args=[note.pk]), {"confirm": "yes"}, headers=HX)
        assert not ArticleNote.objects.exists()

    def test_without_javascript_deleting_a_note_asks_first(self, client, owner, article):
        note = ArticleNote(article=article, author=owner)
        note.set_body("Keep?")
        client.force_login(owner)
        url = reverse("articles:note-delete", args=[note.pk])
        response = client.post(url)
        assert b"Delete this note?" in response.content and ArticleNote.objects.exists()
        assert client.post(url, {"confirm": "yes"}).status_code == 302
        assert not ArticleNote.objects.exists()

    def test_an_empty_note_is_refused(self, client, owner, article):
        client.force_login(owner)
        response = client.post(
            reverse("articles:note-create", args=[article.pk]), {"body": " "}, headers=HX
        )
        assert response.status_code == 422
        assert not ArticleNote.objects.exists()

    def test_only_the_author_changes_a_note(self, client, owner, teammate, article):
        note = ArticleNote(article=article, author=owner)
        note.set_body("Owner's")
        client.force_login(teammate)
        assert (
            client.post(reverse("articles:note-update", args=[note.pk]), {"body": "x"}).status_code
            == 403
        )
        assert client.post(reverse("articles:note-delete", args=[note.pk])).status_code == 403

    def test_outsiders_get_404_everywhere(self, client, owner, outsider, article):
        note = ArticleNote(article=article, author=owner)
        note.set_body("Owner's")
        client.force_login(outsider)
        assert (
            client.post(
                reverse("articles:note-create", args=[article.pk]), {"body": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("articles:note-update", args=[note.pk]), {"body": "x"}).status_code
            == 404
        )
        assert client.post(reverse("articles:note-delete", args=[note.pk])).status_code == 404

    def test_read_only_members_cannot_add_notes(self, client, reader_only, article):
        client.force_login(reader_only)
        assert (
            client.post(
                reverse("articles:note-create", args=[article.pk]), {"body": "x"}
            ).status_code
            == 403
        )

    @pytest.mark.parametrize("name", ["note-update", "note-delete"])
    def test_get_is_not_allowed(self, client, owner, article, name):
        note = ArticleNote(article=article, author=owner)
        note.set_body("x")
        client.force_login(owner)
        assert client.get(reverse(f"articles:{name}", args=[note.pk])).status_code == 405

    def test_a_plain_post_redirects(self, client, owner, article):
        client.force_login(owner)
        response = client.post(reverse("articles:note-create", args=[article.pk]), {"body": "x"})
        assert response.status_code == 302 and "#note-" in response.url


class TestRenderingAgain:
    def test_notes_rendered_before_full_markdown_are_rendered_again(self, article, highlight):
        from io import StringIO

        from django.core.management import call_command

        from articles.models import ArticleNote, Reply

        old = "<p># Plan</p>"
        Highlight.objects.filter(pk=highlight.pk).update(note="# Plan", note_html=old)
        note = ArticleNote.objects.create(article=article, body="~~x~~", body_html="<p>x</p>")
        reply = Reply.objects.create(highlight=highlight, body="# R", body_html="<p># R</p>")
        version = article.annotations_version
        call_command("render_notes", stdout=StringIO())
        highlight.refresh_from_db()
        note.refresh_from_db()
        reply.refresh_from_db()
        article.refresh_from_db()
        assert highlight.note_html == "<h1>Plan</h1>"
        assert note.body_html == "<p><s>x</s></p>"
        assert reply.body_html == "<h1>R</h1>"
        assert article.annotations_version == version + 1
