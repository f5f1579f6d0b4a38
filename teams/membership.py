"""Teams: creating them, invitations, roles, leaving, renaming and deleting.

Multi-model workflows as plain functions. Who may do what comes from the
permission table (newsreader/access.py), asked again here with the rows
locked, so that a role changed by a concurrent request counts. The team's own
invariants live here, once:

- a team always keeps at least one owner, and a personal team keeps its
  user as an owner (it cannot be deleted either);
- accepting an invitation never lowers a role.

A refusal by role raises PermissionDenied (the views answer 403); a refusal
by rule raises TeamError, whose message is meant for people.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleNote, Highlight, Reply
from newsreader.access import (
    CURRENT_TEAM_SESSION_KEY,
    OWN,
    require,
    require_member_change,
    role_in,
)
from teams.models import Invitation, Membership, Team

Role = Membership.Role

# Higher is more: accepting an invitation never lowers a role.
ROLE_RANK = {Role.READ_ONLY: 0, Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}
# Slugs that would shadow the fixed URLs under /teams/ (teams/urls.py).
RESERVED_SLUGS = {"create", "switch", "invite"}
INVITATION_DAYS = 7


class TeamError(Exception):
    """A team change that the rules refuse; the message is for people."""


class InvitationError(TeamError):
    """An invitation link that cannot be used (unknown, used, expired or revoked)."""


# Creating teams


def unique_slug(name):
    """A free slug for `name`: "newsroom", else "newsroom-2", "newsroom-3", …"""
    base = slugify(name)[:90].strip("-") or "team"
    taken = set(Team.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_team(user, name, *, personal_for=None):
    """A new team with `user` as its owner."""
    name = name.strip()
    if not name:
        raise TeamError("A team needs a name.")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                team = Team.objects.create(
                    name=name[:100], slug=unique_slug(name), personal_for=personal_for
                )
                Membership.objects.create(team=team, user=user, role=Role.OWNER)
                return team
        except IntegrityError:
            # Someone took the slug (or made this user's personal team) meanwhile.
            if personal_for is not None and Team.objects.filter(personal_for=user).exists():
                raise
    raise TeamError("Could not find a free address for this team; try another name.")


def ensure_personal_team(user):
    """The user's personal team, created (with them as owner) when missing."""
    team = Team.objects.filter(personal_for=user).first()
    if team is None:
        try:
            team = create_team(user, personal_team_name(user), personal_for=user)
        except IntegrityError:  # made by a concurrent request
            team = Team.objects.get(personal_for=user)
    # Self-healing: the personal team's user is always its owner.
    Membership.objects.get_or_create(team=team, user=user, defaults={"role": Role.OWNER})
    return team


def personal_team_name(user):
    return f"{user.get_username()[:90]}'s team"


# Who may do what


def role_of(team, user):
    """The user's role in the team; PermissionDenied when they are not in it."""
    role = role_in(team, user)
    if role is None:
        raise PermissionDenied("You are not a member of this team.")
    return role


def _lock_members(team, pk):
    """Lock the team's owners and the target membership, so two changes cannot race.

    Two owners demoting each other at once must not leave the team ownerless:
    both lock the owner rows first, so the second sees the first's change.
    """
    list(Membership.objects.select_for_update().filter(team=team, role=Role.OWNER))
    try:
        return Membership.objects.select_for_update().select_related("user").get(pk=pk, team=team)
    except Membership.DoesNotExist:
        raise TeamError("This person is no longer a member of the team.") from None


def _check_owner_stays(team, target, new_role=None):
    """Refuse a change that would leave the team without an owner (or a personal team
    without its user as owner)."""
    if target.role != Role.OWNER or new_role == Role.OWNER:
        return
    if team.personal_for_id == target.user_id:
        raise TeamError(f"{team.name} is {target.user}'s personal team: they stay its owner.")
    others = Membership.objects.filter(team=team, role=Role.OWNER).exclude(pk=target.pk)
    if not others.exists():
        raise TeamError(
            "A team needs at least one owner: make someone else an owner first"
            " (or delete the team)."
        )


# Invitations


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite(team, by_user, role, days=INVITATION_DAYS):
    """A new single-use invitation and its token; only the token's hash is stored.

    The token is shown once, in the link; it cannot be recovered afterwards.
    """
    require_member_change(role_of(team, by_user), new_role=role)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        team=team,
        role=role,
        token_hash=hash_token(token),
        created_by=by_user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invitation, token


def find_invitation(token):
    """The invitation a link points to, usable or not; None for an unknown token."""
    return Invitation.objects.select_related("team").filter(token_hash=hash_token(token)).first()


def check_usable(invitation):
    """Raise InvitationError saying why the invitation cannot be used, if it cannot."""
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Ask for a new one.")
    if invitation.revoked_at is not None:
        raise InvitationError("This invitation was withdrawn. Ask for a new one.")
    if invitation.used_at is not None:
        raise InvitationError("This invitation has already been used. Ask for a new one.")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("This invitation has expired. Ask for a new one.")


def accept_invitation(token, user):
    """Join the invitation's team; the invitation is used up, even by a member already in.

    A member already in the team keeps the higher of their role and the
    invitation's.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("team")
            .filter(token_hash=hash_token(token))
            .first()
        )
        check_usable(invitation)
        membership, created = Membership.objects.select_for_update().get_or_create(
            team=invitation.team, user=user, defaults={"role": invitation.role}
        )
        if not created and ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(membership.role)]:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.used_by, invitation.used_at = user, timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
        if created:
            members_changed(invitation.team_id)
    return membership


def pending_invitations(team):
    return (
        team.invitations.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("created_by")
        .order_by("-created_at")
    )


def revoke_invitation(team, actor, invitation):
    require_member_change(role_of(team, actor))
    # A used or expired invitation stays as it was: there is nothing to withdraw.
    Invitation.objects.filter(
        pk=invitation.pk, revoked_at__isnull=True, used_at__isnull=True
    ).update(revoked_at=timezone.now())


# Roles and membership


def change_role(team, actor, membership, role):
    """Give `membership` a new role, as `actor` (an owner or admin of the team)."""
    role = Role(role)
    with transaction.atomic():
        target = _lock_members(team, membership.pk)
        require_member_change(role_of(team, actor), target.role, role)
        _check_owner_stays(team, target, role)
        target.role = role
        target.save(update_fields=["role"])
    return target


def remove_member(team, actor, membership):
    """Remove someone from the team; it takes effect on their very next request."""
    with transaction.atomic():
        target = _lock_members(team, membership.pk)
        require_member_change(role_of(team, actor), target.role)
        _check_owner_stays(team, target)
        target.delete()
        members_changed(team.pk)
    return target


def leave_team(team, user):
    """Leave a team; the last owner cannot (and nobody leaves their personal team)."""
    with transaction.atomic():
        mine = Membership.objects.filter(team=team, user=user).values_list("pk", flat=True)
        if not mine:
            raise PermissionDenied("You are not a member of this team.")
        target = _lock_members(team, mine[0])
        _check_owner_stays(team, target)
        if team.personal_for_id == user.pk:
            raise TeamError("You cannot leave your personal team.")
        target.delete()
        members_changed(team.pk)


def members_changed(team_id):
    # The reader's cached panels list the team's members (the "Show" filter); the
    # library's pages go stale through the membership's own save or delete
    # (articles/freshness.py).
    Article.all_objects.filter(team_id=team_id).touch_panels()


# The team itself


def rename_team(team, actor, name):
    """A new name; the slug (and so every link to the team) stays."""
    require_member_change(role_of(team, actor))
    name = name.strip()
    if not name:
        raise TeamError("A team needs a name.")
    team.name = name[:100]
    team.save(update_fields=["name"])
    return team


@dataclass
class TeamContents:
    """What deleting a team deletes with it."""

    articles: int
    highlights: int
    notes: int
    replies: int
    members: int
    invitations: int


def count_contents(team):
    # What is in the trash goes too, so it is counted (all_objects).
    highlights = Highlight.all_objects.filter(article__team=team)
    return TeamContents(
        articles=Article.all_objects.filter(team=team).count(),
        highlights=highlights.count(),
        # Notes on highlights and notes on whole articles.
        notes=highlights.exclude(note="").count()
        + ArticleNote.all_objects.filter(article__team=team).count(),
        replies=Reply.all_objects.filter(highlight__article__team=team).count(),
        members=team.memberships.count(),
        invitations=pending_invitations(team).count(),
    )


def delete_team(team, actor):
    """Delete a team and everything in it (owners only; never a personal team).

    Returns the counts of what was deleted.
    """
    require(role_of(team, actor), OWN, "Only the team's owners can delete it.")
    if team.personal_for_id is not None:
        raise TeamError("A personal team cannot be deleted.")
    with transaction.atomic():
        contents = count_contents(team)
        team.delete()
    return contents


def switch_team(session, membership):
    """Work in the membership's team from now on, in this session and at the next login."""
    session[CURRENT_TEAM_SESSION_KEY] = membership.team_id
    membership.last_used_at = timezone.now()
    membership.save(update_fields=["last_used_at"])
