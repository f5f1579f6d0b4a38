"""Who gets what on every team page: owner, admin, member, read-only, outsider, anonymous.

Writes are sent as htmx requests, as the settings page sends them; leaving
the page (create, switch, leave, delete) answers with HX-Redirect. Outsiders
get exactly the response of a team that does not exist; anonymous users are
sent to log in; wrong methods get 405. The invitation link and sign-up are
open to anonymous users by design (tests/teams/test_invitations.py,
tests/teams/test_signup.py).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from teams.membership import invite
from teams.models import Membership
from tests.factories import make_article
from tests.teams.helpers import HX, membership, people_fixture, team_admin_fixture  # noqa: F401

ROLES = ["owner", "admin", "member", "readonly", "outsider", "anonymous"]
ALL = {"owner": 200, "admin": 200, "member": 200, "readonly": 200}
MANAGERS = {"owner": 200, "admin": 200, "member": 403, "readonly": 403}
OWNERS = {"owner": 200, "admin": 403, "member": 403, "readonly": 403}

# (URL name, method, what the URL takes, POST data, status by role in the team)
MATRIX = [
    ("teams:team-list", "get", None, None, ALL),
    ("teams:team-create", "post", None, {"name": "Desk"}, ALL),
    ("teams:team-switch", "get", None, None, ALL),
    ("teams:team-switch", "post", None, {"team": "newsroom"}, ALL),
    ("teams:team-settings", "get", "team", None, ALL),
    ("teams:team-rename", "post", "team", {"name": "Renamed"}, MANAGERS),
    ("teams:member-role", "post", "member", {"role": "member"}, MANAGERS),
    ("teams:member-remove", "post", "member", {}, MANAGERS),
    # The only owner cannot leave: refused with a reason (422).
    ("teams:team-leave", "post", "team", {}, {**ALL, "owner": 422}),
    ("teams:invitation-create", "post", "team", {"role": "member"}, MANAGERS),
    ("teams:invitation-revoke", "post", "invitation", {}, MANAGERS),
    ("teams:team-delete", "get", "team", None, OWNERS),
    ("teams:team-delete", "post", "team", {}, OWNERS),
    # The team's export (in articles/urls.py, under the team's address).
    ("articles:team-export", "get", "team", None, ALL),
    # The team's deleted articles (articles/urls.py too).
    ("articles:team-trash", "get", "team", None, ALL),
    (
        "articles:team-trash-restore",
        "post",
        "team",
        {"id": "0"},
        {"owner": 302, "admin": 302, "member": 302, "readonly": 403},
    ),
    ("articles:team-trash-empty", "post", "team", {}, MANAGERS),
]
# Arguments some URLs take after the team (every format: tests/articles/test_exports.py).
EXTRA_ARGS = {"articles:team-export": ["json"]}
# Open to anonymous users by design; tested in their own modules.
PUBLIC = {"teams:invitation-accept", "signup"}
IDS = [f"{name}-{method}" for name, method, *_ in MATRIX]


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_team_url_is_in_the_matrix():
    names = {name for name in url_names() if name.startswith("teams:") or name == "signup"}
    assert names - {name for name, *_ in MATRIX} - PUBLIC == set()


@pytest.fixture
def world(team, people):
    invitation, _ = invite(team, people["owner"], Membership.Role.MEMBER)
    return {
        "team": team,
        "people": people,
        # The read-only member is the one whose role changes or who is removed.
        "member": membership(team, people["readonly"]),
        "invitation": invitation,
    }


def url_for(world, name, target, slug=None):
    slug = slug or world["team"].slug
    if target is None:
        return reverse(name)
    if target == "team":
        return reverse(name, args=[slug, *EXTRA_ARGS.get(name, [])])
    return reverse(name, args=[slug, world[target].pk])


def send(client, world, entry, slug=None):
    name, method, target, data, _ = entry
    url = url_for(world, name, target, slug)
    if method == "get":
        return client.get(url)
    return client.post(url, data, headers=HX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=IDS)
def test_each_role_gets_what_it_should(client, world, entry, role):
    name, method, target, _, expected = entry
    if role != "anonymous":
        client.force_login(world["people"][role])
    response = send(client, world, entry)
    if role == "anonymous":
        location = response.get("HX-Redirect") or response.get("Location")
        assert response.status_code in (204, 302)
        assert location.startswith(reverse("login")), location
    elif role == "outsider" and target is not None:
        missing = send(client, world, entry, slug="no-such-team")
        assert response.status_code == missing.status_code == 404
        assert response.content == missing.content
    elif role == "outsider" and (name, method) == ("teams:team-switch", "post"):
        assert response.status_code == 404  # same body: the next test
    elif role == "outsider":
        # Their own list, switcher or new team: nothing of this team in it.
        assert response.status_code == 200
        assert b"Newsroom" not in response.content
    else:
        assert response.status_code == expected[role], response.content[:400]


def test_switching_to_a_team_you_are_not_in_is_like_switching_to_none(client, world):
    client.force_login(world["people"]["outsider"])
    url = reverse("teams:team-switch")
    theirs = client.post(url, {"team": "newsroom"})
    missing = client.post(url, {"team": "no-such-team"})
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


@pytest.mark.parametrize("entry", MATRIX, ids=IDS)
def test_the_wrong_method_is_refused(client, world, entry):
    name, method, target, _, _ = entry
    client.force_login(world["people"]["owner"])
    url = url_for(world, name, target)
    if name in ("teams:team-switch", "teams:team-delete"):  # GET and POST both
        assert client.put(url).status_code == 405
    else:
        assert (client.post(url) if method == "get" else client.get(url)).status_code == 405


def test_writes_need_the_csrf_token_which_htmx_sends_in_a_header(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"]["owner"])
    url = reverse("teams:team-rename", args=["newsroom"])
    assert client.post(url, {"name": "Forged"}, headers=HX).status_code == 403
    client.get(reverse("teams:team-settings", args=["newsroom"]))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"name": "Real"}, headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200
    world["team"].refresh_from_db()
    assert world["team"].name == "Real"


def test_removing_a_member_takes_effect_on_their_very_next_request(client, world):
    team, owner, member = world["team"], world["people"]["owner"], world["people"]["member"]
    article = make_article(team, "Ferries")
    reader = Client()
    reader.force_login(member)
    detail = reverse("articles:article-detail", args=[article.pk])
    assert reader.get(detail).status_code == 200
    client.force_login(owner)
    removed = client.post(
        reverse("teams:member-remove", args=[team.slug, membership(team, member).pk])
    )
    assert removed.status_code == 302
    missing = reader.get(reverse("articles:article-detail", args=[article.pk + 1000]))
    gone = reader.get(detail)
    assert gone.status_code == missing.status_code == 404
    assert gone.content == missing.content
    assert reader.get(reverse("teams:team-settings", args=[team.slug])).status_code == 404
    assert b"Ferries" not in reader.get(reverse("articles:library")).content


def test_a_demoted_admin_loses_the_controls_on_the_next_request(client, world):
    team, admin = world["team"], world["people"]["admin"]
    client.force_login(admin)
    assert (
        client.post(reverse("teams:team-rename", args=[team.slug]), {"name": "A"}).status_code
        == 302
    )
    Membership.objects.filter(team=team, user=admin).update(role=Membership.Role.READ_ONLY)
    assert (
        client.post(reverse("teams:team-rename", args=[team.slug]), {"name": "B"}).status_code
        == 403
    )
