"""A team's settings page: members and roles, renaming, removing, leaving."""

import pytest
from django.urls import reverse

from teams.membership import ensure_personal_team
from teams.models import Membership, Team
from tests.teams.helpers import (  # noqa: F401
    HX,
    membership,
    messages_of,
    people_fixture,
    settings_url,
    team_admin_fixture,
)

Role = Membership.Role


def role_url(team, user):
    return reverse("teams:member-role", args=[team.slug, membership(team, user).pk])


def remove_url(team, user):
    return reverse("teams:member-remove", args=[team.slug, membership(team, user).pk])


# The page


def test_owners_see_every_control(client, people, team):
    client.force_login(people["owner"])
    response = client.get(settings_url(team))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Newsroom</h1>" in html
    assert "Your role: Owner" in html
    assert 'name="role"' in html and "Remove<span" in html
    assert "Create invitation link" in html and "Rename" in html
    assert "Delete this team…" in html
    Membership.objects.filter(team=team, user=people["admin"]).update(role=Role.OWNER)
    response = client.get(settings_url(team))
    assert "Leave Newsroom" in response.content.decode()
    owner_row = next(row for row in response.context["rows"] if row.is_viewer)
    assert [role.value for role in owner_row.roles] == ["owner", "admin", "member", "readonly"]


def test_the_last_owner_is_offered_only_what_can_succeed(client, people, team):
    client.force_login(people["owner"])
    response = client.get(settings_url(team))
    html = response.content.decode()
    owner_row = next(row for row in response.context["rows"] if row.is_viewer)
    # No role change and no Leave, which the rules would refuse; the page says why.
    assert owner_row.roles == []
    assert f'id="role-{owner_row.membership.pk}"' not in html
    assert "The only owner: make someone else an owner first." in html
    assert "Leave Newsroom" not in html
    assert "You are the team's only owner, so you cannot leave it" in html
    assert "or delete the team" in html
    # Everyone else still has their controls.
    others = [row for row in response.context["rows"] if not row.is_viewer]
    assert all(row.roles for row in others)


def test_a_personal_team_keeps_its_user_as_owner(client, owner):
    personal = ensure_personal_team(owner)
    client.force_login(owner)
    response = client.get(settings_url(personal))
    html = response.content.decode()
    assert response.context["rows"][0].roles == []
    assert "A personal team keeps its owner." in html
    assert "Leave " not in html and "cannot leave" not in html


def test_admins_manage_everyone_but_owners(client, people, team):
    client.force_login(people["admin"])
    response = client.get(settings_url(team))
    roles = {row.membership.user.username: row.roles for row in response.context["rows"]}
    assert roles["olivia"] == []
    assert [role.value for role in roles["tariq"]] == ["admin", "member", "readonly"]
    html = response.content.decode()
    assert "Create invitation link" in html and "Delete this team" not in html
    assert f'action="{remove_url(team, people["owner"])}"' not in html


@pytest.mark.parametrize("role", ["member", "readonly"])
def test_members_see_the_members_and_can_leave(client, people, team, role):
    client.force_login(people[role])
    response = client.get(settings_url(team))
    html = response.content.decode()
    assert response.status_code == 200
    assert "olivia" in html and "tariq" in html and "rita" in html
    assert 'name="role"' not in html and "Remove<span" not in html
    assert "Create invitation link" not in html and "Rename" not in html
    assert "Leave Newsroom" in html
    assert list(response.context["invitations"]) == []


def test_members_are_listed_by_role_then_name(client, people, team):
    client.force_login(people["member"])
    rows = client.get(settings_url(team)).context["rows"]
    assert [row.membership.user.username for row in rows] == ["olivia", "ada", "tariq", "rita"]


def test_htmx_gets_the_settings_fragment(client, people, team):
    client.force_login(people["owner"])
    response = client.get(settings_url(team), headers=HX)
    assert response.content.lstrip().startswith(b"{#") is False
    assert b'<div id="team-settings"' in response.content[:200]
    assert b"<html" not in response.content
    assert "HX-Request" in response["Vary"]


def test_the_page_takes_the_same_queries_for_4_or_24_members(
    client, people, team, django_user_model, django_assert_num_queries
):
    client.force_login(people["owner"])
    with django_assert_num_queries(5) as few:
        client.get(settings_url(team))
    for n in range(20):
        user = django_user_model.objects.create_user(f"user{n}")
        Membership.objects.create(team=team, user=user)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(settings_url(team))


def test_my_personal_team_has_no_leave_or_delete(client, owner):
    personal = ensure_personal_team(owner)
    client.force_login(owner)
    html = client.get(settings_url(personal)).content.decode()
    assert "personal team" in html
    assert "Leave " not in html and "Delete this team" not in html


# Renaming


def test_renaming_keeps_the_address(client, people, team):
    client.force_login(people["admin"])
    response = client.post(reverse("teams:team-rename", args=[team.slug]), {"name": "Desk"})
    assert (response.status_code, response.url) == (302, settings_url(team))
    team.refresh_from_db()
    assert (team.name, team.slug) == ("Desk", "newsroom")
    assert messages_of(client.get(response.url)) == ["The team is now called “Desk”."]


def test_htmx_renaming_returns_the_fragment_with_a_notice(client, people, team):
    client.force_login(people["owner"])
    response = client.post(
        reverse("teams:team-rename", args=[team.slug]), {"name": "Desk"}, headers=HX
    )
    assert response.status_code == 200
    assert b"<h1>Desk</h1>" in response.content
    assert "The team is now called “Desk”." in response.content.decode()


def test_a_blank_name_is_refused(client, people, team):
    client.force_login(people["owner"])
    url = reverse("teams:team-rename", args=[team.slug])
    response = client.post(url, {"name": " "}, headers=HX)
    assert response.status_code == 422
    assert b"required" in response.content
    response = client.post(url, {"name": " "})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Newsroom"


# Roles


def test_owners_change_roles(client, people, team):
    client.force_login(people["owner"])
    response = client.post(role_url(team, people["member"]), {"role": "admin"})
    assert (response.status_code, response.url) == (302, settings_url(team))
    assert membership(team, people["member"]).role == Role.ADMIN
    assert messages_of(client.get(response.url)) == ["tariq is now admin."]


def test_htmx_role_changes_return_the_fragment(client, people, team):
    client.force_login(people["owner"])
    response = client.post(role_url(team, people["readonly"]), {"role": "member"}, headers=HX)
    assert response.status_code == 200
    assert b'id="team-settings"' in response.content
    assert b"rita is now member." in response.content


def test_admins_cannot_make_or_unmake_owners(client, people, team):
    client.force_login(people["admin"])
    # "owner" is not among the admin's choices: refused as a bad choice.
    response = client.post(role_url(team, people["member"]), {"role": "owner"}, headers=HX)
    assert response.status_code == 422
    assert membership(team, people["member"]).role == Role.MEMBER
    response = client.post(role_url(team, people["owner"]), {"role": "member"}, headers=HX)
    assert response.status_code == 403
    assert membership(team, people["owner"]).role == Role.OWNER


def test_the_last_owner_cannot_be_demoted(client, people, team):
    client.force_login(people["owner"])
    response = client.post(role_url(team, people["owner"]), {"role": "admin"}, headers=HX)
    assert response.status_code == 422
    assert b"A team needs at least one owner" in response.content
    response = client.post(role_url(team, people["owner"]), {"role": "admin"})
    assert response.status_code == 302
    assert "A team needs at least one owner" in messages_of(client.get(response.url))[0]
    assert membership(team, people["owner"]).role == Role.OWNER


def test_an_owner_demoting_themselves_sees_the_page_as_their_new_role(client, people, team):
    Membership.objects.filter(team=team, user=people["member"]).update(role=Role.OWNER)
    client.force_login(people["owner"])
    response = client.post(role_url(team, people["owner"]), {"role": "member"}, headers=HX)
    assert response.status_code == 200
    assert b"Your role: Member" in response.content
    assert b"Create invitation link" not in response.content


def test_forms_cannot_reach_a_membership_of_another_team(client, people, team, other_team):
    client.force_login(people["owner"])
    theirs = membership(other_team, people["outsider"])
    url = reverse("teams:member-role", args=[team.slug, theirs.pk])
    assert client.post(url, {"role": "readonly", "team": other_team.pk}).status_code == 404
    url = reverse("teams:member-remove", args=[team.slug, theirs.pk])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.OWNER


def test_a_junk_role_is_refused(client, people, team):
    client.force_login(people["owner"])
    response = client.post(role_url(team, people["member"]), {"role": "king"}, headers=HX)
    assert response.status_code == 422
    assert b"Select a valid choice" in response.content


# Removing


def test_admins_remove_members(client, people, team):
    client.force_login(people["admin"])
    response = client.post(remove_url(team, people["member"]))
    assert (response.status_code, response.url) == (302, settings_url(team))
    assert not Membership.objects.filter(team=team, user=people["member"]).exists()
    assert messages_of(client.get(response.url)) == ["tariq was removed from the team."]


def test_htmx_removal_returns_the_fragment_without_them(client, people, team):
    client.force_login(people["owner"])
    response = client.post(remove_url(team, people["member"]), headers=HX)
    assert response.status_code == 200
    assert b"tariq was removed" in response.content
    assert [r.membership.user.username for r in response.context["rows"]] == [
        "olivia",
        "ada",
        "rita",
    ]


def test_admins_cannot_remove_owners(client, people, team):
    client.force_login(people["admin"])
    assert client.post(remove_url(team, people["owner"])).status_code == 403
    assert Membership.objects.filter(team=team, user=people["owner"]).exists()


def test_removing_yourself_is_leaving(client, people, team):
    client.force_login(people["admin"])
    response = client.post(remove_url(team, people["admin"]))
    assert (response.status_code, response.url) == (302, reverse("teams:team-list"))
    assert not Membership.objects.filter(team=team, user=people["admin"]).exists()


# Leaving


@pytest.mark.parametrize("role", ["admin", "member", "readonly"])
def test_members_leave(client, people, team, role):
    client.force_login(people[role])
    response = client.post(reverse("teams:team-leave", args=[team.slug]))
    assert (response.status_code, response.url) == (302, reverse("teams:team-list"))
    assert not Membership.objects.filter(team=team, user=people[role]).exists()
    assert messages_of(client.get(response.url)) == ["You left “Newsroom”."]
    assert client.get(settings_url(team)).status_code == 404


def test_the_last_owner_cannot_leave(client, people, team):
    client.force_login(people["owner"])
    response = client.post(reverse("teams:team-leave", args=[team.slug]))
    assert (response.status_code, response.url) == (302, settings_url(team))
    assert "at least one owner" in messages_of(client.get(response.url))[0]
    assert membership(team, people["owner"]).role == Role.OWNER


def test_nobody_leaves_their_personal_team(client, owner):
    personal = ensure_personal_team(owner)
    client.force_login(owner)
    response = client.post(reverse("teams:team-leave", args=[personal.slug]), headers=HX)
    assert response.status_code == 422
    assert b"personal team" in response.content
    assert Team.objects.get(pk=personal.pk).memberships.filter(user=owner).exists()
