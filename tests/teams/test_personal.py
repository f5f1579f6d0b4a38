"""Every user gets a personal team: at sign-up, from the admin, or at their first login."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from teams.membership import invite
from teams.models import Invitation, Membership, Team


def test_logging_in_gives_a_user_without_one_a_personal_team(client, owner, team):
    assert not Team.objects.filter(personal_for=owner).exists()
    client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    personal = Team.objects.get(personal_for=owner)
    assert personal.name == "olivia's team"
    assert personal.memberships.get().role == Membership.Role.OWNER
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    assert Team.objects.filter(personal_for=owner).count() == 1
    # The team they were already working in stays the one they land in.
    library = client.get(reverse("articles:library"))
    assert library.context["team"] == team


def test_the_demo_user_lands_in_the_demo_team_next_to_a_personal_team(client, db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    client.post(reverse("login"), {"username": "demo", "password": password})
    teams = set(
        Team.objects.filter(memberships__user__username="demo").values_list("name", flat=True)
    )
    assert teams == {"Demo team", "demo's team"}
    assert client.get(reverse("articles:library")).context["team"].name == "Demo team"


def test_users_made_in_the_admin_get_a_personal_team(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nadia",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    personal = Team.objects.get(personal_for__username="nadia")
    assert personal.memberships.get().user.username == "nadia"


def test_the_admin_lists_invitations_and_withdraws_them(client, admin_user, team, owner):
    pending, _ = invite(team, owner, Membership.Role.MEMBER)
    used, _ = invite(team, owner, Membership.Role.ADMIN)
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now(), used_by=owner)
    client.force_login(admin_user)
    changelist = reverse("admin:teams_invitation_changelist")
    page = client.get(changelist)
    assert b"pending" in page.content and b"used by olivia" in page.content
    response = client.post(
        changelist,
        {"action": "revoke_invitations", "_selected_action": [pending.pk, used.pk]},
        follow=True,
    )
    assert b"Withdrew 1 invitation(s)." in response.content
    pending.refresh_from_db()
    assert pending.revoked_at is not None
    change = client.get(reverse("admin:teams_invitation_change", args=[pending.pk]))
    assert pending.token_hash.encode() in change.content
    assert b'name="token_hash"' not in change.content  # read-only
    assert client.get(reverse("admin:teams_invitation_add")).status_code == 403
