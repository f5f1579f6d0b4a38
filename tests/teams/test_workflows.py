"""The team workflows of teams/membership.py, without views."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.highlighting import create_highlight
from articles.models import Article, ArticleNote, Highlight, Reply
from newsreader.access import CURRENT_TEAM_SESSION_KEY
from teams.membership import (
    InvitationError,
    TeamError,
    accept_invitation,
    change_role,
    count_contents,
    create_team,
    delete_team,
    ensure_personal_team,
    invite,
    leave_team,
    remove_member,
    rename_team,
    switch_team,
)
from teams.models import Invitation, Membership, Team
from tests.factories import make_article
from tests.teams.helpers import membership, team_admin_fixture  # noqa: F401

Role = Membership.Role


# Creating teams


def test_the_creator_owns_a_new_team_with_a_generated_slug(owner):
    team = create_team(owner, "  Reading Group ")
    assert (team.name, team.slug, team.personal_for) == ("Reading Group", "reading-group", None)
    assert membership(team, owner).role == Role.OWNER


def test_slugs_are_unique_and_never_shadow_fixed_urls(owner, team):
    assert team.slug == "newsroom"
    assert create_team(owner, "Newsroom").slug == "newsroom-2"
    assert create_team(owner, "Newsroom").slug == "newsroom-3"
    assert create_team(owner, "Switch").slug == "switch-2"
    assert create_team(owner, "Invite").slug == "invite-2"
    assert create_team(owner, "Редакция").slug == "team"


def test_a_team_needs_a_name(owner):
    with pytest.raises(TeamError, match="needs a name"):
        create_team(owner, "   ")


def test_a_personal_team_is_made_once(django_user_model):
    user = django_user_model.objects.create_user("nadia")
    first = ensure_personal_team(user)
    assert ensure_personal_team(user) == first
    assert (first.name, first.personal_for) == ("nadia's team", user)
    assert Team.objects.filter(personal_for=user).count() == 1
    assert membership(first, user).role == Role.OWNER


def test_a_personal_team_gets_its_owner_back(django_user_model):
    user = django_user_model.objects.create_user("nadia")
    team = ensure_personal_team(user)
    Membership.objects.filter(team=team).delete()
    assert ensure_personal_team(user) == team
    assert membership(team, user).role == Role.OWNER


# Invitations


def test_an_invitation_stores_only_the_hash_of_its_token(owner, team):
    invitation, token = invite(team, owner, Role.ADMIN)
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert (invitation.role, invitation.created_by) == (Role.ADMIN, owner)


def test_admins_invite_but_not_as_owner_and_members_not_at_all(team, team_admin, teammate):
    invite(team, team_admin, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        invite(team, team_admin, Role.OWNER)
    with pytest.raises(PermissionDenied):
        invite(team, teammate, Role.MEMBER)


def test_accepting_joins_the_team_with_the_role_and_uses_the_invitation(owner, team, outsider):
    invitation, token = invite(team, owner, Role.READ_ONLY)
    joined = accept_invitation(token, outsider)
    assert (joined.team, joined.user, joined.role) == (team, outsider, Role.READ_ONLY)
    invitation.refresh_from_db()
    assert invitation.used_by == outsider and invitation.used_at is not None


def test_an_invitation_works_once(owner, team, outsider, django_user_model):
    _, token = invite(team, owner, Role.MEMBER)
    accept_invitation(token, outsider)
    latecomer = django_user_model.objects.create_user("late")
    with pytest.raises(InvitationError, match="already been used"):
        accept_invitation(token, latecomer)
    assert not Membership.objects.filter(user=latecomer).exists()


def test_expired_revoked_and_unknown_invitations_are_refused(owner, team, outsider):
    expired, expired_token = invite(team, owner, Role.MEMBER)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    revoked, revoked_token = invite(team, owner, Role.MEMBER)
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    for token, reason in (
        (expired_token, "expired"),
        (revoked_token, "withdrawn"),
        ("no-such-token", "not valid"),
    ):
        with pytest.raises(InvitationError, match=reason):
            accept_invitation(token, outsider)
    assert not Membership.objects.filter(team=team, user=outsider).exists()


def test_a_member_keeps_the_higher_role_and_uses_up_the_invitation(owner, team, teammate):
    lower, token = invite(team, owner, Role.READ_ONLY)
    assert accept_invitation(token, teammate).role == Role.MEMBER
    lower.refresh_from_db()
    assert lower.used_by == teammate
    _, token = invite(team, owner, Role.ADMIN)
    assert accept_invitation(token, teammate).role == Role.ADMIN
    assert membership(team, teammate).role == Role.ADMIN


# Roles


def test_owners_make_and_unmake_owners(owner, team, teammate):
    change_role(team, owner, membership(team, teammate), Role.OWNER)
    assert membership(team, teammate).role == Role.OWNER
    change_role(team, owner, membership(team, teammate), Role.READ_ONLY)
    assert membership(team, teammate).role == Role.READ_ONLY


def test_admins_manage_members_and_admins_but_not_owners(owner, team, team_admin, teammate):
    change_role(team, team_admin, membership(team, teammate), Role.ADMIN)
    change_role(team, team_admin, membership(team, teammate), Role.READ_ONLY)
    assert membership(team, teammate).role == Role.READ_ONLY
    with pytest.raises(PermissionDenied, match="Only owners"):
        change_role(team, team_admin, membership(team, teammate), Role.OWNER)
    with pytest.raises(PermissionDenied, match="Only owners"):
        change_role(team, team_admin, membership(team, owner), Role.ADMIN)
    with pytest.raises(PermissionDenied, match="Only owners"):
        change_role(team, team_admin, membership(team, team_admin), Role.OWNER)
    assert membership(team, owner).role == Role.OWNER


def test_members_and_read_only_members_change_no_roles(owner, team, teammate, reader_only):
    for actor in (teammate, reader_only):
        with pytest.raises(PermissionDenied):
            change_role(team, actor, membership(team, reader_only), Role.MEMBER)


def test_the_last_owner_cannot_be_demoted(owner, team, teammate):
    with pytest.raises(TeamError, match="at least one owner"):
        change_role(team, owner, membership(team, owner), Role.ADMIN)
    change_role(team, owner, membership(team, teammate), Role.OWNER)
    change_role(team, owner, membership(team, owner), Role.ADMIN)
    assert membership(team, owner).role == Role.ADMIN


def test_a_personal_team_keeps_its_user_as_owner(owner, teammate):
    personal = ensure_personal_team(owner)
    Membership.objects.create(team=personal, user=teammate, role=Role.OWNER)
    with pytest.raises(TeamError, match="personal team"):
        change_role(personal, teammate, membership(personal, owner), Role.MEMBER)
    with pytest.raises(TeamError, match="personal team"):
        remove_member(personal, teammate, membership(personal, owner))


# Removing and leaving


def test_admins_remove_members_but_not_owners(owner, team, team_admin, teammate):
    remove_member(team, team_admin, membership(team, teammate))
    assert not Membership.objects.filter(team=team, user=teammate).exists()
    with pytest.raises(PermissionDenied):
        remove_member(team, team_admin, membership(team, owner))


def test_members_remove_nobody(owner, team, teammate, reader_only):
    with pytest.raises(PermissionDenied):
        remove_member(team, teammate, membership(team, reader_only))


def test_the_last_owner_cannot_leave(owner, team, teammate):
    with pytest.raises(TeamError, match="at least one owner"):
        leave_team(team, owner)
    with pytest.raises(TeamError, match="at least one owner"):
        remove_member(team, owner, membership(team, owner))
    leave_team(team, teammate)
    assert membership(team, owner).role == Role.OWNER


def test_one_of_two_owners_can_leave(owner, team, teammate):
    change_role(team, owner, membership(team, teammate), Role.OWNER)
    leave_team(team, owner)
    assert list(team.memberships.values_list("user__username", flat=True)) == ["tariq"]


def test_nobody_leaves_their_personal_team(owner):
    personal = ensure_personal_team(owner)
    with pytest.raises(TeamError, match="personal team"):
        leave_team(personal, owner)


def test_leaving_a_team_you_are_not_in_is_refused(team, outsider):
    with pytest.raises(PermissionDenied):
        leave_team(team, outsider)


# Renaming, deleting, switching


def test_owners_and_admins_rename_and_the_slug_stays(owner, team, team_admin, teammate):
    rename_team(team, team_admin, "The Newsroom")
    team.refresh_from_db()
    assert (team.name, team.slug) == ("The Newsroom", "newsroom")
    with pytest.raises(PermissionDenied):
        rename_team(team, teammate, "Mine")
    with pytest.raises(TeamError):
        rename_team(team, owner, " ")


@pytest.fixture
def full_team(team, owner, teammate, other_team):
    article = make_article(team, "Ferries")
    make_article(team, "Bridges")
    make_article(other_team, "Elsewhere")
    start = article.text.index("battery")
    highlight = create_highlight(article, teammate, start, start + 7, "yellow")[0]
    highlight.set_note("Worth checking")
    create_highlight(article, owner, start + 8, start + 12, "blue")
    Reply.objects.create(highlight=highlight, author=owner, body="Yes", body_html="<p>Yes</p>")
    ArticleNote(article=article, author=owner).set_body("A note on the article")
    invite(team, owner, Role.MEMBER)
    return team


def test_the_counts_say_what_deleting_would_delete(full_team):
    contents = count_contents(full_team)
    assert (contents.articles, contents.highlights, contents.notes) == (2, 2, 2)
    assert (contents.replies, contents.members, contents.invitations) == (1, 2, 1)


def test_owners_delete_a_team_and_everything_in_it(full_team, owner, other_team):
    deleted = delete_team(full_team, owner)
    assert (deleted.articles, deleted.highlights, deleted.members) == (2, 2, 2)
    assert not Team.objects.filter(pk=full_team.pk).exists()
    assert list(Article.objects.values_list("title", flat=True)) == ["Elsewhere"]
    assert not Highlight.objects.exists() and not Reply.objects.exists()
    assert not ArticleNote.objects.exists() and not Invitation.objects.exists()
    assert Team.objects.filter(pk=other_team.pk).exists()


def test_only_owners_delete(full_team, team_admin):
    with pytest.raises(PermissionDenied):
        delete_team(full_team, team_admin)
    assert Team.objects.filter(pk=full_team.pk).exists()


def test_a_personal_team_cannot_be_deleted(owner):
    personal = ensure_personal_team(owner)
    with pytest.raises(TeamError, match="personal team cannot be deleted"):
        delete_team(personal, owner)
    assert Team.objects.filter(pk=personal.pk).exists()


def test_switching_is_kept_in_the_session_and_on_the_membership(owner, team):
    session = {}
    mine = membership(team, owner)
    switch_team(session, mine)
    assert session[CURRENT_TEAM_SESSION_KEY] == team.pk
    mine.refresh_from_db()
    assert mine.last_used_at is not None
