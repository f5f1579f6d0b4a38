"""Sign-up: closed by default, open with OPEN_SIGNUP, always open through an invitation."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from teams.membership import invite
from teams.models import Invitation, Membership, Team

URL = reverse("signup")
GOOD = {"username": "nadia", "password1": "harbour-ferry-42", "password2": "harbour-ferry-42"}


def users():
    return list(get_user_model().objects.values_list("username", flat=True))


def test_it_is_closed_by_default(client, db, settings):
    assert settings.OPEN_SIGNUP is False
    response = client.get(URL)
    assert response.status_code == 404
    assert b"<h1>Sign-up is closed</h1>" in response.content
    assert b"invitation link" in response.content
    assert client.post(URL, GOOD).status_code == 404
    assert users() == []


def test_when_open_anyone_can_sign_up_and_gets_a_personal_team(client, db, settings):
    settings.OPEN_SIGNUP = True
    page = client.get(URL)
    assert page.status_code == 200
    assert b'name="password1"' in page.content and b"csrfmiddlewaretoken" in page.content
    response = client.post(URL, GOOD)
    assert (response.status_code, response.url) == (302, reverse("articles:library"))
    user = get_user_model().objects.get(username="nadia")
    personal = Team.objects.get(personal_for=user)
    assert personal.memberships.get(user=user).role == Membership.Role.OWNER
    library = client.get(reverse("articles:library"))
    assert library.context["user"] == user and library.context["team"] == personal


def test_the_login_page_offers_sign_up_only_when_open(client, db, settings):
    assert b'href="/signup/"' not in client.get(reverse("login")).content
    settings.OPEN_SIGNUP = True
    assert b'href="/signup/"' in client.get(reverse("login")).content


@pytest.mark.parametrize(
    "password, message",
    [
        ("short1", b"This password is too short"),
        ("password123", b"This password is too common"),
        ("83749202938", b"This password is entirely numeric"),
        ("nadia2024", b"The password is too similar to the username"),
    ],
)
def test_the_password_validators_apply(client, db, settings, password, message):
    settings.OPEN_SIGNUP = True
    response = client.post(URL, {**GOOD, "password1": password, "password2": password})
    assert response.status_code == 422
    assert message in response.content
    assert users() == []


def test_a_taken_username_is_refused(client, owner, settings):
    settings.OPEN_SIGNUP = True
    response = client.post(URL, {**GOOD, "username": "olivia"})
    assert response.status_code == 422
    assert b"A user with that username already exists." in response.content


@pytest.fixture
def token(team, owner):
    return invite(team, owner, Membership.Role.MEMBER)[1]


def test_an_invitation_opens_sign_up_and_joins_in_the_same_step(client, team, token):
    page = client.get(URL, {"invite": token})
    assert page.status_code == 200
    assert b"Then you can join <strong>Newsroom</strong> as member." in page.content
    assert f'action="/signup/?invite={token}"'.encode() in page.content
    response = client.post(f"{URL}?invite={token}", GOOD)
    assert (response.status_code, response.url) == (302, reverse("articles:library"))
    assert Team.objects.filter(personal_for__username="nadia").exists()
    assert team.memberships.filter(user__username="nadia", role="member").exists()
    # The link is used up: it cannot open the closed sign-up for anyone else.
    client.logout()
    again = {**GOOD, "username": "someone-else"}
    assert client.post(f"{URL}?invite={token}", again).status_code == 404
    assert "someone-else" not in users()


def test_a_used_invitation_does_not_open_sign_up(client, team, token):
    Invitation.objects.update(used_at=timezone.now())
    response = client.get(URL, {"invite": token})
    assert response.status_code == 404
    assert b"This invitation has already been used" in response.content
    assert client.post(f"{URL}?invite={token}", GOOD).status_code == 404
    assert "nadia" not in users()


def test_a_junk_invitation_does_not_open_sign_up(client, db):
    assert client.get(URL, {"invite": "junk"}).status_code == 404


def test_logged_in_users_are_sent_on(client, owner, settings, token):
    settings.OPEN_SIGNUP = True
    client.force_login(owner)
    assert client.get(URL).url == reverse("articles:library")
    accept = reverse("teams:invitation-accept", args=[token])
    assert client.get(URL, {"invite": token}).url == accept


def test_it_answers_only_get_and_post(client, db, settings):
    settings.OPEN_SIGNUP = True
    assert client.put(URL).status_code == 405


def test_sign_up_needs_the_csrf_token(db, settings):
    from django.test import Client

    settings.OPEN_SIGNUP = True
    assert Client(enforce_csrf_checks=True).post(URL, GOOD).status_code == 403
    assert users() == []
