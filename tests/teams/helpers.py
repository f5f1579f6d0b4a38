"""Fixtures and helpers shared by the team tests (tests/teams/).

conftest.py gives the team with an owner (olivia), a member (tariq) and a
read-only member (rita), and an outsider (oscar) in another team; these add
an admin and small helpers. Import the fixtures (`*_fixture`) into a test module
to use them under their names (`team_admin`, `people`).
"""

import pytest
from django.urls import reverse

from teams.models import Membership

HX = {"HX-Request": "true"}


@pytest.fixture(name="team_admin")
def team_admin_fixture(django_user_model, team):
    user = django_user_model.objects.create_user("ada", password="pw-ada")
    Membership.objects.create(team=team, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture(name="people")
def people_fixture(owner, team_admin, teammate, reader_only, outsider):
    """Everyone by the role they have in `team` (the outsider is in another team)."""
    return {
        "owner": owner,
        "admin": team_admin,
        "member": teammate,
        "readonly": reader_only,
        "outsider": outsider,
    }


def membership(team, user):
    return Membership.objects.get(team=team, user=user)


def settings_url(team):
    return reverse("teams:team-settings", args=[team.slug])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]
