"""Members who may write correct an article's details and move it to the trash."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.trash import trash_article
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team):
    return make_article(team, "Ferries", url="https://x.org/ferries")


def edit(client, article, headers=None, **data):
    values = {"title": article.title, "byline": "", "source_url": article.source_url, **data}
    url = reverse("articles:article-edit", args=[article.pk])
    return client.post(url, values, headers=headers or {})


def test_the_reader_offers_the_forms_to_writers_only(client, teammate, reader_only, article):
    url = reverse("articles:article-detail", args=[article.pk])
    client.force_login(teammate)
    html = client.get(url).content.decode()
    assert reverse("articles:article-edit", args=[article.pk]) in html
    assert reverse("articles:article-delete", args=[article.pk]) in html
    assert 'value="https://x.org/ferries"' in html
    client.force_login(reader_only)
    html = client.get(url).content.decode()
    assert reverse("articles:article-edit", args=[article.pk]) not in html


def test_a_member_edits_the_details(client, teammate, article):
    client.force_login(teammate)
    response = edit(
        client,
        article,
        title="Ferries at dawn",
        byline="Ada",
        source_url="HTTPS://X.org/new?utm_source=a",
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.byline) == ("Ferries at dawn", "Ada")
    assert article.source_url == "HTTPS://X.org/new?utm_source=a"
    assert article.normalized_url == "https://x.org/new"
    page = client.get(response.url).content.decode()
    assert "Saved the article&#x27;s details." in page and "Ferries at dawn" in page


def test_the_url_may_be_emptied(client, owner, article):
    client.force_login(owner)
    edit(client, article, source_url="")
    article.refresh_from_db()
    assert article.source_url == article.normalized_url == ""


def test_htmx_reloads_the_page_after_saving(client, owner, article):
    client.force_login(owner)
    response = edit(client, article, headers=HX, title="New")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"title": "x" * 501}, "at most 500"),
        ({"byline": "x" * 301}, "at most 300"),
        ({"source_url": "ftp://x.org/a"}, "http:// or https://"),
        ({"source_url": "not a url at all"}, "Enter a valid URL"),
    ],
)
def test_invalid_details_are_explained_in_the_form(client, owner, article, data, message):
    client.force_login(owner)
    response = edit(client, article, headers=HX, **data)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<details id="article-edit"')
    assert message in html and 'aria-invalid="true"' in html
    # Without htmx: a page with the same form and its errors.
    page = edit(client, article, **data)
    assert page.status_code == 422 and message in page.content.decode()
    article.refresh_from_db()
    assert article.title == "Ferries"


@pytest.mark.parametrize("trashed", [False, True])
def test_an_address_of_another_article_is_refused(client, owner, team, article, trashed):
    other = make_article(team, "Other", url="https://x.org/other")
    if trashed:
        trash_article(other, owner)
    client.force_login(owner)
    response = edit(client, article, headers=HX, source_url="https://x.org/other#part")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Another article of the team has this address" in html
    assert ("in the trash" in html) == trashed
    article.refresh_from_db()
    assert article.source_url == "https://x.org/ferries"


def test_the_same_address_in_another_team_is_fine(client, owner, other_team, article):
    make_article(other_team, "Theirs", url="https://x.org/other")
    client.force_login(owner)
    assert edit(client, article, source_url="https://x.org/other").status_code == 302


def test_deleting_asks_first(client, teammate, article):
    client.force_login(teammate)
    response = client.post(reverse("articles:article-delete", args=[article.pk]))
    assert response.status_code == 200
    assert "Move to the trash" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_deleting_moves_it_to_the_trash_from_where_it_comes_back(client, teammate, team, article):
    client.force_login(teammate)
    response = client.post(
        reverse("articles:article-delete", args=[article.pk]), {"confirm": "yes"}, follow=True
    )
    trash_url = reverse("articles:team-trash", args=[team.slug])
    assert response.redirect_chain == [(trash_url, 302)]
    assert "Moved “Ferries” to the trash" in response.content.decode()
    assert not Article.objects.filter(pk=article.pk).exists()
    assert Article.all_objects.get(pk=article.pk).deleted_by == teammate
    restore = reverse("articles:team-trash-restore", args=[team.slug])
    assert restore in response.content.decode()
    client.post(restore, {"id": article.pk})
    assert Article.objects.filter(pk=article.pk).exists()
