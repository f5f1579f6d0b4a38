"""Invitation links: making one (shown once), withdrawing it, and accepting it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsreader.access import CURRENT_TEAM_SESSION_KEY
from teams.membership import hash_token, invite, revoke_invitation
from teams.models import Invitation, Membership
from tests.teams.helpers import (  # noqa: F401
    HX,
    membership,
    messages_of,
    people_fixture,
    settings_url,
    team_admin_fixture,
)

Role = Membership.Role


def create_url(team):
    return reverse("teams:invitation-create", args=[team.slug])


def accept_url(token):
    return reverse("teams:invitation-accept", args=[token])


def link_in(html):
    start = html.index('id="invite-link" type="text" readonly value="') + 45
    return html[start : html.index('"', start)]


# Making one


def test_the_link_is_shown_once_after_a_plain_post(client, people, team):
    client.force_login(people["admin"])
    response = client.post(create_url(team), {"role": "readonly", "team": "elsewhere"})
    assert (response.status_code, response.url) == (302, settings_url(team))
    page = client.get(response.url).content.decode()
    link = link_in(page)
    assert link.startswith("http://testserver/teams/invite/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert (invitation.team, invitation.role) == (team, Role.READ_ONLY)
    assert invitation.token_hash == hash_token(token) != token
    assert 'data-copy="invite-link"' in page
    assert "invite-link" not in client.get(settings_url(team)).content.decode()


def test_htmx_gets_the_fragment_with_the_link(client, people, team):
    client.force_login(people["owner"])
    response = client.post(create_url(team), {"role": "owner"}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="team-settings"') or 'id="team-settings"' in html[:300]
    assert link_in(html).startswith("http://testserver/teams/invite/")
    assert Invitation.objects.get().role == Role.OWNER
    assert "whoever opens the link joins as Owner" in html


def test_admins_cannot_invite_owners(client, people, team):
    client.force_login(people["admin"])
    response = client.post(create_url(team), {"role": "owner"}, headers=HX)
    assert response.status_code == 422
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["member", "readonly"])
def test_members_cannot_invite(client, people, team, role):
    client.force_login(people[role])
    assert client.post(create_url(team), {"role": "member"}).status_code == 403
    assert not Invitation.objects.exists()


def test_pending_invitations_are_listed_for_managers(client, people, team):
    invite(team, people["owner"], Role.ADMIN)
    used, token = invite(team, people["owner"], Role.MEMBER)
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    client.force_login(people["admin"])
    invitations = client.get(settings_url(team)).context["invitations"]
    assert [i.role for i in invitations] == [Role.ADMIN]


# Withdrawing


def test_withdrawing_stops_the_link(client, people, team, outsider):
    invitation, token = invite(team, people["owner"], Role.MEMBER)
    client.force_login(people["admin"])
    url = reverse("teams:invitation-revoke", args=[team.slug, invitation.pk])
    response = client.post(url)
    assert (response.status_code, response.url) == (302, settings_url(team))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    other = Client()
    other.force_login(outsider)
    response = other.post(accept_url(token))
    assert response.status_code == 410
    assert b"This invitation was withdrawn" in response.content


def test_htmx_withdrawing_returns_the_fragment(client, people, team):
    invitation, _ = invite(team, people["owner"], Role.MEMBER)
    client.force_login(people["owner"])
    url = reverse("teams:invitation-revoke", args=[team.slug, invitation.pk])
    response = client.post(url, headers=HX)
    assert response.status_code == 200
    assert b"No pending invitations." in response.content


def test_an_invitation_of_another_team_cannot_be_withdrawn(client, people, team, other_team):
    theirs, _ = invite(other_team, people["outsider"], Role.MEMBER)
    client.force_login(people["owner"])
    url = reverse("teams:invitation-revoke", args=[team.slug, theirs.pk])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


# Accepting


@pytest.fixture
def link(team, owner):
    return invite(team, owner, Role.ADMIN)[1]


def test_anonymous_visitors_see_the_team_and_role_and_are_asked_to_log_in(client, link):
    response = client.get(accept_url(link))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Join Newsroom</h1>" in html and "<strong>admin</strong>" in html
    assert f'href="/login/?next=/teams/invite/{link}/"' in html
    assert "Log in to join" in html
    assert f'href="/signup/?invite={link}"' in html and "Create an account" in html


def test_anonymous_posts_are_sent_to_log_in(client, link):
    response = client.post(accept_url(link))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=/teams/invite/")
    assert Invitation.objects.get().used_at is None


def test_users_see_a_join_button(client, link, outsider):
    client.force_login(outsider)
    html = client.get(accept_url(link)).content.decode()
    assert "Join Newsroom</button>" in html and "Log in to join" not in html


def test_joining_adds_me_switches_to_the_team_and_shows_its_library(client, link, outsider, team):
    client.force_login(outsider)
    response = client.post(accept_url(link))
    assert (response.status_code, response.url) == (302, reverse("articles:library"))
    assert membership(team, outsider).role == Role.ADMIN
    assert client.session[CURRENT_TEAM_SESSION_KEY] == team.pk
    assert messages_of(client.get(response.url)) == ["You joined “Newsroom” as admin."]


def test_two_accepts_of_one_link_make_one_membership(link, team, outsider, django_user_model):
    first, second = Client(), Client()
    first.force_login(outsider)
    second.force_login(django_user_model.objects.create_user("late"))
    assert first.post(accept_url(link)).status_code == 302
    response = second.post(accept_url(link))
    assert response.status_code == 410
    assert b"This invitation has already been used. Ask for a new one." in response.content
    assert team.memberships.filter(user__username__in=["oscar", "late"]).count() == 1


def test_an_expired_link_is_refused_with_a_reason(client, link, outsider, team):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(outsider)
    for response in (client.get(accept_url(link)), client.post(accept_url(link))):
        assert response.status_code == 410
        assert b"This invitation has expired" in response.content
        assert b"Newsroom" not in response.content
    assert not Membership.objects.filter(team=team, user=outsider).exists()


def test_an_unknown_link_is_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get(accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert b"This invitation link is not valid" in response.content


def test_a_member_following_a_link_keeps_the_higher_role(client, team, owner, teammate):
    _, token = invite(team, owner, Role.READ_ONLY)
    client.force_login(teammate)
    assert b"You are already a member, as member" in client.get(accept_url(token)).content
    client.post(accept_url(token))
    assert membership(team, teammate).role == Role.MEMBER
    assert Invitation.objects.get().used_by == teammate


def test_the_invitation_page_answers_only_get_and_post(client, link):
    assert client.put(accept_url(link)).status_code == 405
    assert client.delete(accept_url(link)).status_code == 405


def test_a_used_invitation_cannot_be_withdrawn(team, owner, teammate):
    invitation, _ = invite(team, owner, "member")
    Invitation.objects.filter(pk=invitation.pk).update(
        used_by=teammate, used_at="2026-01-01T00:00:00Z"
    )
    revoke_invitation(team, owner, invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
