"""My teams (/teams/), creating a team, and switching teams (header switcher)."""

import pytest
from django.urls import reverse

from newsreader.access import CURRENT_TEAM_SESSION_KEY
from teams.membership import ensure_personal_team
from teams.models import Membership, Team
from tests.factories import make_article
from tests.teams.helpers import HX, membership, messages_of

LIST = reverse("teams:team-list")
CREATE = reverse("teams:team-create")
SWITCH = reverse("teams:team-switch")
LIBRARY = reverse("articles:library")


@pytest.fixture
def two_teams(owner, team, other_team):
    """Olivia owns the newsroom and is a member elsewhere; each team has an article."""
    Membership.objects.create(team=other_team, user=owner, role=Membership.Role.MEMBER)
    make_article(team, "Newsroom story")
    make_article(other_team, "Elsewhere story")
    return team, other_team


def library_titles(client):
    return [a.title for a in client.get(LIBRARY).context["page"].cards]


# The list


def test_it_lists_my_teams_with_my_role_and_the_current_one(client, owner, two_teams):
    ensure_personal_team(owner)
    client.force_login(owner)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = [(m.team.name, m.role) for m in response.context["memberships"]]
    assert rows == [("Elsewhere", "member"), ("Newsroom", "owner"), ("olivia's team", "owner")]
    assert response.context["current_team_id"] == two_teams[0].pk
    html = response.content.decode()
    assert "Current team" in html and "personal" in html
    assert 'Switch to<span class="visually-hidden"> Elsewhere' in html
    assert 'action="/teams/create/"' in html


def test_htmx_gets_only_the_list(client, owner, team):
    client.force_login(owner)
    response = client.get(LIST, headers=HX)
    assert response.content.lstrip().startswith(b'<div id="team-list"')
    assert b"<html" not in response.content
    assert "HX-Request" in response["Vary"]


def test_the_list_takes_the_same_queries_for_1_or_10_teams(
    client, owner, team, django_assert_num_queries
):
    client.force_login(owner)
    with django_assert_num_queries(4) as one:
        client.get(LIST)
    for n in range(9):
        Membership.objects.create(team=Team.objects.create(name=f"T{n}", slug=f"t{n}"), user=owner)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(LIST)


# Creating


def test_creating_a_team_makes_me_its_owner_and_works_in_it(client, outsider):
    client.force_login(outsider)
    response = client.post(CREATE, {"name": "Reading group", "team": "newsroom"})
    team = Team.objects.get(name="Reading group")
    assert response.status_code == 302
    assert response.url == reverse("teams:team-settings", args=[team.slug])
    assert membership(team, outsider).role == Membership.Role.OWNER
    assert client.session[CURRENT_TEAM_SESSION_KEY] == team.pk
    assert "created" in messages_of(client.get(response.url))[0]


def test_a_blank_name_is_refused_with_the_form_again(client, owner):
    client.force_login(owner)
    response = client.post(CREATE, {"name": "  "})
    assert response.status_code == 422
    assert b"This field is required." in response.content
    assert not Team.objects.filter(memberships__user=owner).exclude(slug="newsroom").exists()


def test_htmx_creation_redirects_the_whole_page(client, owner):
    client.force_login(owner)
    response = client.post(CREATE, {"name": "Desk"}, headers=HX)
    assert response["HX-Redirect"] == reverse("teams:team-settings", args=["desk"])


# Switching


def test_switching_changes_the_library(client, owner, two_teams):
    team, other_team = two_teams
    client.force_login(owner)
    assert library_titles(client) == ["Newsroom story"]
    response = client.post(SWITCH, {"team": other_team.slug})
    assert (response.status_code, response.url) == (302, LIBRARY)
    assert library_titles(client) == ["Elsewhere story"]
    client.post(SWITCH, {"team": team.slug})
    assert library_titles(client) == ["Newsroom story"]


def test_the_team_switched_to_is_remembered_at_the_next_login(client, owner, two_teams):
    client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    client.post(SWITCH, {"team": two_teams[1].slug})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    assert CURRENT_TEAM_SESSION_KEY not in client.session
    assert library_titles(client) == ["Elsewhere story"]


def test_switching_to_a_team_i_left_falls_back_to_one_i_am_in(client, owner, two_teams):
    client.force_login(owner)
    client.post(SWITCH, {"team": two_teams[1].slug})
    Membership.objects.filter(team=two_teams[1], user=owner).delete()
    assert library_titles(client) == ["Newsroom story"]
    assert client.post(SWITCH, {"team": two_teams[1].slug}).status_code == 404


def test_the_header_loads_the_switcher_with_htmx(client, owner, two_teams):
    client.force_login(owner)
    page = client.get(LIBRARY).content.decode()
    assert f'hx-get="{SWITCH}" hx-trigger="load"' in page
    assert f'<a href="{SWITCH}">Switch team</a>' in page  # without JavaScript
    fragment = client.get(SWITCH, headers=HX)
    assert fragment.content.lstrip().startswith(b'<form class="team-switch"')
    assert b'<option value="newsroom" selected>Newsroom</option>' in fragment.content
    assert b'<label for="team-switch-select">Team</label>' in fragment.content


def test_with_one_team_the_switcher_names_it(client, owner, team):
    client.force_login(owner)
    assert b"Team: Newsroom" in client.get(SWITCH, headers=HX).content


def test_without_javascript_the_switcher_is_a_page_of_buttons(client, owner, two_teams):
    client.force_login(owner)
    response = client.get(SWITCH)
    assert b"<h1>Switch team</h1>" in response.content
    assert b"Work in Elsewhere" in response.content
    assert b"Newsroom (current team)" in response.content


def test_the_header_costs_no_query(rf, owner, team, django_assert_num_queries):
    from django.template.loader import render_to_string

    from teams.backends import UserWithSettingsBackend

    request = rf.get(LIBRARY)
    # The user as a request has it: loaded with the reader settings on <html>.
    request.user = UserWithSettingsBackend().get_user(owner.pk)
    with django_assert_num_queries(0):
        html = render_to_string("base.html", request=request)
    assert f'href="{LIST}">Teams</a>' in html


def test_htmx_switching_redirects_the_whole_page(client, owner, two_teams):
    client.force_login(owner)
    response = client.post(SWITCH, {"team": two_teams[1].slug}, headers=HX)
    assert response["HX-Redirect"] == LIBRARY
