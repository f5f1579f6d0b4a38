import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_changelist_lists_and_searches_articles(staff_client, team):
    make_article(team, "Ferries go electric")
    make_article(team, "Library hours")
    url = reverse("admin:articles_article_changelist")
    response = staff_client.get(url, {"q": "ferries"})
    assert response.status_code == 200
    assert b"Ferries go electric" in response.content
    assert b"Library hours" not in response.content


def test_the_change_page_shows_the_original_and_extraction(staff_client, team):
    article = make_article(team, "Ferries go electric")
    response = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert b"Original size" in response.content


def test_articles_cannot_be_typed_in_by_hand(staff_client):
    assert staff_client.get(reverse("admin:articles_article_add")).status_code == 403


def test_the_reextract_action_rebuilds_the_reader_copy_from_the_original(staff_client, team):
    article = make_article(team, "Ferries go electric")
    Article.objects.filter(pk=article.pk).update(
        html="<p>stale</p>", text="stale", extractor_version="0", title="Edited"
    )
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "reextract_articles", "_selected_action": [article.pk]},
        follow=True,
    )
    assert b"Re-extracted 1 article" in response.content
    article.refresh_from_db()
    assert "battery boat" in article.text
    assert article.extractor_version != "0"
    assert article.title == "Ferries go electric"


def test_a_failed_reextraction_is_reported_and_leaves_the_article_alone(staff_client, team):
    article = make_article(team, "Ferries go electric")
    Article.objects.filter(pk=article.pk).update(original=b"   ")
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "reextract_articles", "_selected_action": [article.pk]},
        follow=True,
    )
    assert b"Not re-extracted" in response.content
    assert b"No readable text" in response.content
    article.refresh_from_db()
    assert "battery boat" in article.text
