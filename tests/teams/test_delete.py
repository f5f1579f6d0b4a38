"""Deleting a team: a confirmation that says what goes, for owners only."""

import pytest
from django.urls import reverse

from articles.highlighting import create_highlight
from articles.models import Article, Highlight
from teams.membership import ensure_personal_team
from teams.models import Team
from tests.factories import make_article
from tests.teams.helpers import HX, messages_of, people_fixture, team_admin_fixture  # noqa: F401


def delete_url(team):
    return reverse("teams:team-delete", args=[team.slug])


@pytest.fixture
def stocked(team, people):
    article = make_article(team, "Ferries")
    make_article(team, "Bridges")
    start = article.text.index("battery")
    highlight = create_highlight(article, people["member"], start, start + 7, "yellow")[0]
    highlight.set_note("Check this")
    return team


def test_the_confirmation_states_what_will_be_deleted(client, people, stocked):
    client.force_login(people["owner"])
    response = client.get(delete_url(stocked))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Delete “Newsroom”?</h1>" in html
    for line in ("2 articles", "1 highlight", "1 note", "0 replies", "4 memberships"):
        assert f"<li>{line}" in html, line
    assert "Delete Newsroom and everything in it</button>" in html


@pytest.mark.parametrize("role", ["admin", "member", "readonly"])
def test_only_owners_see_it_or_delete(client, people, stocked, role):
    client.force_login(people[role])
    assert client.get(delete_url(stocked)).status_code == 403
    assert client.post(delete_url(stocked)).status_code == 403
    assert Team.objects.filter(pk=stocked.pk).exists()


def test_deleting_removes_the_team_and_everything_in_it(client, people, stocked, other_team):
    make_article(other_team, "Elsewhere")
    client.force_login(people["owner"])
    response = client.post(delete_url(stocked))
    assert (response.status_code, response.url) == (302, reverse("teams:team-list"))
    assert messages_of(client.get(response.url)) == [
        "Deleted “Newsroom” with its 2 article(s), 1 highlight(s) and 1 note(s)."
    ]
    assert not Team.objects.filter(pk=stocked.pk).exists()
    assert list(Article.objects.values_list("title", flat=True)) == ["Elsewhere"]
    assert not Highlight.objects.exists()
    assert client.get(delete_url(stocked)).status_code == 404


def test_htmx_deleting_redirects_the_whole_page(client, people, stocked):
    client.force_login(people["owner"])
    response = client.post(delete_url(stocked), headers=HX)
    assert response["HX-Redirect"] == reverse("teams:team-list")


def test_a_personal_team_cannot_be_deleted(client, owner):
    personal = ensure_personal_team(owner)
    client.force_login(owner)
    page = client.get(delete_url(personal))
    assert page.status_code == 200
    main = page.content.split(b"<main")[1].split(b"</main>")[0]
    assert b"cannot be deleted" in page.content and b"</button>" not in main
    response = client.post(delete_url(personal))
    assert response.status_code == 302
    assert messages_of(client.get(response.url)) == ["A personal team cannot be deleted."]
    assert Team.objects.filter(pk=personal.pk).exists()


def test_outsiders_get_what_a_missing_team_gets(client, people, stocked):
    client.force_login(people["outsider"])
    theirs = client.get(delete_url(stocked))
    missing = client.get(reverse("teams:team-delete", args=["no-such-team"]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert client.post(delete_url(stocked)).status_code == 404
    assert Team.objects.filter(pk=stocked.pk).exists()


def test_anonymous_users_are_sent_to_log_in(client, stocked):
    response = client.get(delete_url(stocked))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_what_is_in_the_trash_is_counted_too(client, people, stocked):
    from articles.highlighting import delete_highlight

    delete_highlight(Highlight.objects.get(), people["member"])
    client.force_login(people["owner"])
    html = client.get(delete_url(stocked)).content.decode()
    for line in ("1 highlight", "1 note"):
        assert f"<li>{line}" in html, line
