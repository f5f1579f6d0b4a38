"""The library's page cache never serves a page after what it shows changed
(articles/freshness.py): each change below must show on the next request."""

import pytest
from django.urls import reverse

from articles import reading, tags
from articles.highlighting import create_highlight
from articles.models import Article, ArticleNote, ArticleRead, Reply, Tag
from articles.trash import trash_article
from teams.models import Membership
from tests.factories import make_article

URL = reverse("articles:library")


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.LIBRARY_CACHE_SECONDS = 600


@pytest.fixture
def article(team):
    return make_article(team, "Ferries", paragraphs=2)


def page(client, params=None):
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_page_again_comes_from_the_cache(
    client, owner, article, django_assert_max_num_queries
):
    client.force_login(owner)
    first = page(client)
    # Session, user and membership (with the team and both versions).
    with django_assert_max_num_queries(3):
        second = page(client)
    assert second.count('name="csrfmiddlewaretoken"') == first.count('name="csrfmiddlewaretoken"')
    assert "\x00" not in second
    # Each request has a working token of its own.
    token = client.cookies["csrftoken"].value
    assert token
    response = client.post(reverse("articles:article-state", args=[article.pk]), {"action": "star"})
    assert response.status_code == 302


def test_a_page_with_a_message_is_not_kept(client, owner, article):
    client.force_login(owner)
    client.post(reverse("articles:article-state", args=[article.pk]), {"action": "star"})
    assert "Starred “Ferries”." in page(client)
    assert "Starred “Ferries”." not in page(client)


def test_others_never_get_my_page(client, owner, teammate, article):
    reading.act(article, owner, "star")
    client.force_login(owner)
    assert "★ Starred" in page(client)
    client.force_login(teammate)
    assert "★ Starred" not in page(client)


CHANGES = {
    "new article": lambda w: make_article(w["team"], "Brand new story"),
    "edited title": lambda w: w["article"].edit_details(
        title="Brand new story", byline="", source_url=""
    ),
    "tagged": lambda w: tags.add_tags(w["article"], w["team"], ["brand new story"]),
    "tag renamed": lambda w: tags.rename(w["tag"], "Brand new story"),
    "tag added from the tag's side": lambda w: Tag.objects.create(
        team=w["team"], name="Brand new story"
    ).articles.add(w["article"]),
    "highlighted": lambda w: create_highlight(w["article"], w["teammate"], 0, 5, "red"),
    "read by a teammate": lambda w: ArticleRead.objects.create(
        article=w["article"], user=w["teammate"]
    ),
    "noted": lambda w: ArticleNote(article=w["article"], author=w["teammate"]).set_body("x"),
    "new member": lambda w: Membership.objects.create(team=w["team"], user=w["newcomer"]),
    "team renamed": lambda w: type(w["team"]).objects.get(pk=w["team"].pk).save(),
}
# What each change makes the page show.
SHOWS = {
    "new article": "Brand new story",
    "edited title": "Brand new story",
    "tagged": "brand new story",
    "tag renamed": "Brand new story",
    "tag added from the tag's side": "Brand new story",
    "highlighted": "1 highlight",
    "read by a teammate": "Read by",
    "noted": "1 note",
    "new member": "newcomer</option>",
}


@pytest.mark.parametrize("change", sorted(SHOWS))
def test_a_change_shows_at_once(client, owner, teammate, team, article, django_user_model, change):
    world = {
        "team": team,
        "article": article,
        "teammate": teammate,
        "tag": Tag.objects.create(team=team, name="old name"),
        "newcomer": django_user_model.objects.create_user("newcomer"),
    }
    article.tags.add(world["tag"])
    client.force_login(owner)
    before = page(client)
    assert SHOWS[change] not in before
    CHANGES[change](world)
    assert SHOWS[change] in page(client)


def test_a_reply_changes_the_counts(client, owner, teammate, article):
    h = create_highlight(article, teammate, 0, 5, "red")[0]
    client.force_login(owner)
    assert "1 highlight" in page(client) and "1 note" not in page(client)
    Reply(highlight=h, author=owner).set_body("Yes")
    assert "1 note" in page(client)


def test_trash_and_restore_show(client, owner, article):
    client.force_login(owner)
    assert "Ferries" in page(client)
    trash_article(article, owner)
    assert "Ferries" not in page(client)
    Article.all_objects.get(pk=article.pk).restore()
    assert "Ferries" in page(client)


def test_my_reading_state_shows_and_searches_stay_fresh(client, owner, article):
    client.force_login(owner)
    assert "Reading · " not in page(client)
    reading.save_progress(article, owner, 0.4)
    assert "Reading · 40%" in page(client)
    reading.act(article, owner, "archive")
    assert "Ferries" not in page(client)
    reading.act(article, owner, "unarchive")
    assert "Ferries" in page(client, {"q": "ferries"})
    article.edit_details(title="Boats", byline="", source_url="")
    assert "Boats" in page(client, {"q": "ferries"})


def test_a_role_change_shows(client, owner, teammate, team, article):
    client.force_login(teammate)
    assert "Add articles" in page(client)
    # As teams/membership.py changes a role.
    membership = Membership.objects.get(team=team, user=teammate)
    membership.role = Membership.Role.READ_ONLY
    membership.save(update_fields=["role"])
    assert "Add articles" not in page(client)
