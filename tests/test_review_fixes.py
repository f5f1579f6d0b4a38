"""Behaviours found missing in review: races, stale pages, roles and htmx edge cases."""

import pytest
from django.urls import reverse

from articles import extracting as ingest
from articles.extracting import create_article, reextract_article
from articles.highlighting import create_highlight, delete_highlight, restore_highlight, text_stamp
from articles.models import Article, Highlight
from newsreader.lib.extraction.sanitize import sanitise_html
from teams.models import Membership
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "Ferries", user=owner)


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


def test_a_selection_from_a_page_older_than_the_text_is_refused(client, owner, article):
    client.force_login(owner)
    start, end = span(article, "battery boat")
    data = {"start": start, "end": end, "colour": "yellow", "stamp": "2000-01-01T00:00:00+00:00"}
    response = client.post(
        reverse("articles:highlight-create", args=[article.pk]), data, headers=HX
    )
    assert response.status_code == 422
    assert b"has changed since this page was loaded" in response.content
    data["stamp"] = text_stamp(article)
    response = client.post(
        reverse("articles:highlight-create", args=[article.pk]), data, headers=HX
    )
    assert response.status_code == 201


def test_the_reader_page_carries_the_text_stamp(client, owner, article):
    client.force_login(owner)
    html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
    assert f'name="stamp" value="{text_stamp(article)}"' in html


def test_reextraction_anchors_again_when_a_highlight_appears_meanwhile(team, owner, monkeypatch):
    note = "# Notes\n\nThe ferries carry eleven thousand people a day.\n\nThe council voted.\n"
    article = create_article(team, note, filename="n.md")
    Article.objects.filter(pk=article.pk).update(
        original=("# Notes\n\nNew first line.\n\n" + note[9:]).encode()
    )
    article.refresh_from_db()
    real_plan, calls = ingest.plan_reanchoring, []

    def plan_then_someone_highlights(highlights, text, old_length):
        calls.append(len(highlights))
        if len(calls) == 1:  # a teammate highlights while we anchor
            create_highlight(article, owner, *span(article, "eleven thousand"), "green")
        return real_plan(highlights, text, old_length)

    monkeypatch.setattr(ingest, "plan_reanchoring", plan_then_someone_highlights)
    reextract_article(article)
    assert calls == [0, 1]
    highlight = Highlight.objects.get()
    article.refresh_from_db()
    assert article.text[highlight.start : highlight.end] == "eleven thousand"


def test_undo_twice_restores_once(team, owner, article):
    highlight = create_highlight(article, owner, *span(article, "battery boat"), "yellow")[0]
    token = delete_highlight(highlight, owner)
    first = restore_highlight(article, owner, token)
    second = restore_highlight(article, owner, token)
    assert first.pk == second.pk and Highlight.objects.count() == 1


def test_any_change_clears_the_status_region(client, owner, article):
    highlight = create_highlight(article, owner, *span(article, "battery boat"), "yellow")[0]
    client.force_login(owner)
    response = client.post(
        reverse("articles:highlight-recolour", args=[highlight.pk]), {"colour": "red"}, headers=HX
    )
    assert '<div hx-swap-oob="innerHTML:#reader-status"></div>' in response.content.decode()


def test_asking_again_for_the_same_range_in_another_colour_recolours_it(owner, article):
    first, _ = create_highlight(article, owner, *span(article, "battery boat"), "yellow")
    again, created = create_highlight(article, owner, *span(article, "battery boat"), "red")
    assert not created and again.pk == first.pk
    first.refresh_from_db()
    assert first.colour == "red"


def test_read_only_members_get_no_write_controls(client, reader_only, owner, article):
    create_highlight(article, owner, *span(article, "battery boat"), "yellow")
    client.force_login(reader_only)
    html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
    assert 'id="highlight-toolbar"' not in html
    assert "Add a note on the article" not in html
    assert "data-edit-highlight" not in html


def test_a_demoted_author_loses_the_controls_at_once(client, teammate, article):
    create_highlight(article, teammate, *span(article, "battery boat"), "yellow")
    client.force_login(teammate)
    url = reverse("articles:article-detail", args=[article.pk])
    assert "Note, colour…" in client.get(url).content.decode()
    Membership.objects.filter(user=teammate).update(role=Membership.Role.READ_ONLY)
    assert "Note, colour…" not in client.get(url).content.decode()


def test_an_htmx_request_after_the_session_ended_redirects_the_whole_page(client, article):
    response = client.post(
        reverse("articles:highlight-create", args=[article.pk]),
        {"start": 0, "end": 3, "colour": "yellow"},
        headers={**HX, "HX-Current-URL": f"http://testserver/articles/{article.pk}/"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/login/?next=%2Farticles%2F{article.pk}%2F"


def test_htmx_history_restore_gets_the_whole_page(client, owner, article):
    client.force_login(owner)
    headers = {**HX, "HX-History-Restore-Request": "true"}
    assert b"<html" in client.get(reverse("articles:library"), headers=headers).content
    url = reverse("articles:article-detail", args=[article.pk])
    assert b"<html" in client.get(url, headers=headers).content


def test_cite_urls_are_not_kept():
    html = sanitise_html(
        '<blockquote cite="javascript:alert(1)"><q cite="javascript:x">q</q></blockquote>'
    )
    assert "cite=" not in html


def test_private_highlights_never_reach_teammates(client, owner, teammate, article):
    create_highlight(article, owner, *span(article, "battery boat"), "yellow", visibility="private")
    url = reverse("articles:article-detail", args=[article.pk])
    client.force_login(owner)
    assert "battery boat</q>" in client.get(url).content.decode()
    client.force_login(teammate)
    html = client.get(url).content.decode()
    assert "<mark" not in html and "battery boat</q>" not in html
