import pytest
from django.urls import reverse

from newsreader.access import CURRENT_TEAM_SESSION_KEY
from teams.models import Membership
from tests.factories import make_article

URL = reverse("articles:library")


@pytest.fixture
def articles(team):
    return [make_article(team, f"Story {n}") for n in range(3)]


def test_it_lists_the_team_articles_newest_first(client, owner, articles):
    client.force_login(owner)
    response = client.get(URL)
    assert response.status_code == 200
    titles = [article.title for article in response.context["page"].cards]
    assert titles == ["Story 2", "Story 1", "Story 0"]
    assert b"min read" in response.content


def test_teammates_see_the_same_library(client, teammate, articles):
    client.force_login(teammate)
    assert len(client.get(URL).context["page"].cards) == 3


def test_outsiders_see_none_of_it(client, outsider, articles):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["page"].cards) == []
    assert b"Story 1" not in response.content


def test_a_user_without_a_team_is_told_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lonely"))
    assert b"not in a team yet" in client.get(URL).content


def test_anonymous_users_are_sent_to_log_in(client, articles):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_answers_get(client, owner, method):
    client.force_login(owner)
    assert getattr(client, method)(URL).status_code == 405


def test_it_pages_by_keyset_forwards_and_back(client, owner, team, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(team, f"Story {n}", paragraphs=1)
    client.force_login(owner)
    first = client.get(URL).context["page"]
    assert [a.title for a in first.cards] == ["Story 4", "Story 3"]
    assert first.previous is None
    second = client.get(URL, {"after": first.next}).context["page"]
    third = client.get(URL, {"after": second.next}).context["page"]
    assert [a.title for a in third.cards] == ["Story 0"]
    assert third.next is None
    back = client.get(URL, {"before": third.previous}).context["page"]
    assert [a.title for a in back.cards] == ["Story 2", "Story 1"]
    # A cursor that is not ours shows the first page instead of failing.
    assert [a.title for a in client.get(URL, {"after": "junk"}).context["page"].cards] == [
        "Story 4",
        "Story 3",
    ]


def test_htmx_requests_get_only_the_list(client, owner, articles):
    client.force_login(owner)
    response = client.get(URL, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b'<div id="article-list"')
    assert b"<html" not in response.content
    assert "HX-Request" in response["Vary"]


def test_it_shows_the_team_chosen_in_the_session(client, owner, outsider, other_team, articles):
    make_article(other_team, "Elsewhere story")
    Membership.objects.create(team=other_team, user=owner)
    client.force_login(owner)
    session = client.session
    session[CURRENT_TEAM_SESSION_KEY] = other_team.pk
    session.save()
    titles = [a.title for a in client.get(URL).context["page"].cards]
    assert titles == ["Elsewhere story"]


def test_a_stale_team_choice_falls_back_to_a_team_of_the_user(client, owner, other_team, articles):
    client.force_login(owner)
    session = client.session
    session[CURRENT_TEAM_SESSION_KEY] = other_team.pk  # not a member
    session.save()
    assert len(client.get(URL).context["page"].cards) == 3


def test_query_count_does_not_grow_with_articles(client, owner, team, django_assert_num_queries):
    client.force_login(owner)
    make_article(team, "First", paragraphs=1)
    with django_assert_num_queries(14) as few:  # with the URLs being added
        client.get(URL)
    for n in range(15):
        make_article(team, f"More {n}", paragraphs=1)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_tags_show_on_the_cards_and_in_the_reader(client, owner, team):
    from articles.models import Tag

    article = make_article(team, "Tagged")
    article.tags.add(Tag.objects.create(team=team, name="ferries"))
    client.force_login(owner)
    tag_link = '<a href="/?tag=ferries">ferries</a>'
    assert tag_link in client.get(URL).content.decode()
    reader = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
    assert tag_link in reader
