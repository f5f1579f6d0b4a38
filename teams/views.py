"""Team pages: my teams, settings (members, roles, invitations), switching, deleting.

Every view that names a team starts with an access helper: a team the user
is not in answers 404, exactly like one that does not exist; managing needs
an owner or admin (403 otherwise). The rules themselves are in teams.py.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from articles.exports import EPUB_MAX_ARTICLES
from articles.forms import first_error
from newsreader.access import (
    MANAGE,
    OWN,
    assignable_roles,
    can,
    current_membership,
    get_team_for_admin,
    get_team_for_owner,
    get_team_for_user,
    may_manage_member,
)
from newsreader.htmx import render_page
from teams.forms import RoleForm, TeamNameForm
from teams.membership import (
    ROLE_RANK,
    InvitationError,
    TeamError,
    accept_invitation,
    change_role,
    check_usable,
    count_contents,
    create_team,
    delete_team,
    find_invitation,
    invite,
    leave_team,
    pending_invitations,
    remove_member,
    rename_team,
    revoke_invitation,
    switch_team,
)
from teams.models import Invitation, Membership

# The link of a new invitation, shown once on the next settings page (plain POSTs).
NEW_LINK_SESSION_KEY = "new_invitation_link"


def _redirect(request, url):
    """Leave the page: a plain redirect, or a whole-page redirect for htmx."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _my_memberships(user):
    teams = Membership.objects.filter(user=user).select_related("team")
    return teams.order_by(Lower("team__name"), "team_id")


# My teams


@require_safe
@login_required
def team_list(request):
    return _team_list_response(request, TeamNameForm())


def _team_list_response(request, form, status=200):
    current = current_membership(request)
    context = {
        "memberships": _my_memberships(request.user),
        "current_team_id": current.team_id if current else None,
        "form": form,
    }
    return render_page(
        request, "teams/team_list.html", "teams/team_list.html#team-list", context, status=status
    )


@require_POST
@login_required
def team_create(request):
    form = TeamNameForm(request.POST)
    if not form.is_valid():
        return _team_list_response(request, form, status=422)
    try:
        team = create_team(request.user, form.cleaned_data["name"])
    except TeamError as error:
        form.add_error("name", str(error))
        return _team_list_response(request, form, status=422)
    switch_team(request.session, team.memberships.get(user=request.user))
    messages.success(request, f"Team “{team.name}” created. Invite people from here.")
    return _redirect(request, reverse("teams:team-settings", args=[team.slug]))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@vary_on_headers("HX-Request")  # the POST's redirect depends on it too
def team_switch(request):
    """POST: work in another team. GET: the switcher (the header loads it with htmx)."""
    if request.method == "POST":
        team = get_team_for_user(request.user, request.POST.get("team", ""))
        switch_team(request.session, Membership.objects.get(team=team, user=request.user))
        messages.success(request, f"You are working in “{team.name}”.")
        return _redirect(request, reverse("articles:library"))
    current = current_membership(request)
    context = {
        "memberships": _my_memberships(request.user),
        "current_team_id": current.team_id if current else None,
    }
    return render_page(request, "teams/switch.html", "teams/switch.html#switcher", context)


# Settings


@dataclass
class MemberRow:
    membership: Membership
    roles: list  # the roles the viewer may give this member; empty: no controls
    is_viewer: bool
    # Why a member the viewer manages has no controls (the rules would refuse any change).
    fixed_because: str = ""


def _member_rows(team, viewer):
    """The members by role, then name, with the roles the viewer may give each.

    Only changes that can succeed are offered: the last owner, and a personal
    team's own user, keep their role (membership._check_owner_stays), so their
    row says why instead of offering a change that would be refused.
    """
    members = sorted(
        team.memberships.select_related("user"),
        key=lambda m: (-ROLE_RANK[m.role], m.user.get_username().lower()),
    )
    owners = sum(m.role == Membership.Role.OWNER for m in members)
    rows = []
    for m in members:
        row = MemberRow(m, [], m.user_id == viewer.pk)
        if may_manage_member(team.viewer_role, m.role):
            row.fixed_because = _why_fixed(team, m, owners)
            if not row.fixed_because:
                row.roles = assignable_roles(team.viewer_role)
        rows.append(row)
    return rows


def _why_fixed(team, membership, owners):
    if team.personal_for_id == membership.user_id:
        return "A personal team keeps its owner."
    if membership.role == Membership.Role.OWNER and owners == 1:
        return "The only owner: make someone else an owner first."
    return ""


def _settings_response(request, team, *, notice="", error="", new_link="", status=200):
    manager = can(team.viewer_role, MANAGE)
    is_owner = can(team.viewer_role, OWN)
    rows = _member_rows(team, request.user)
    cannot_leave = _why_viewer_stays(team, request.user, rows)
    context = {
        "team": team,
        "viewer_role_label": Membership.Role(team.viewer_role).label,
        "rows": rows,
        "can_manage": manager,
        "can_leave": not cannot_leave,
        "cannot_leave": cannot_leave,
        "can_delete": is_owner and team.personal_for_id is None,
        "invitations": pending_invitations(team) if manager else [],
        "invite_roles": assignable_roles(team.viewer_role),
        "new_link": new_link or _pop_new_link(request, team),
        "notice": notice,
        "error": error,
        "epub_max_articles": EPUB_MAX_ARTICLES,
    }
    return render_page(
        request,
        "teams/team_settings.html",
        "teams/team_settings.html#settings",
        context,
        status=status,
    )


def _why_viewer_stays(team, viewer, rows):
    """Why the viewer cannot leave the team ("" when they can)."""
    if team.personal_for_id == viewer.pk:
        return "personal"
    owners = [row for row in rows if row.membership.role == Membership.Role.OWNER]
    if len(owners) == 1 and owners[0].is_viewer:
        return "last-owner"
    return ""


def _pop_new_link(request, team):
    stored = request.session.get(NEW_LINK_SESSION_KEY)
    if not stored or stored.get("team") != team.pk:
        return ""
    del request.session[NEW_LINK_SESSION_KEY]
    return stored["url"]


def _done(request, team, notice, *, new_link=""):
    """After a change: htmx gets the settings fragment, a plain POST goes back to the page."""
    if request.htmx:
        # Fetched again: the change may have been to the viewer's own role.
        team = get_team_for_user(request.user, team.slug)
        return _settings_response(request, team, notice=notice, new_link=new_link)
    messages.success(request, notice)
    if new_link:
        request.session[NEW_LINK_SESSION_KEY] = {"team": team.pk, "url": new_link}
    return redirect("teams:team-settings", slug=team.slug)


def _refused(request, team, error):
    """A change the rules refuse, with the reason for people."""
    if request.htmx:
        return _settings_response(request, team, error=str(error), status=422)
    messages.error(request, str(error))
    return redirect("teams:team-settings", slug=team.slug)


@require_safe
@login_required
def team_settings(request, slug):
    return _settings_response(request, get_team_for_user(request.user, slug))


@require_POST
@login_required
def team_rename(request, slug):
    team = get_team_for_admin(request.user, slug)
    form = TeamNameForm(request.POST)
    if not form.is_valid():
        return _refused(request, team, first_error(form))
    rename_team(team, request.user, form.cleaned_data["name"])
    return _done(request, team, f"The team is now called “{team.name}”.")


def _get_member(team, pk):
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, team=team)


@require_POST
@login_required
def member_role(request, slug, pk):
    team = get_team_for_admin(request.user, slug)
    membership = _get_member(team, pk)
    form = RoleForm(request.POST, roles=assignable_roles(team.viewer_role))
    if not form.is_valid():
        return _refused(request, team, first_error(form))
    try:
        changed = change_role(team, request.user, membership, form.cleaned_data["role"])
    except TeamError as error:
        return _refused(request, team, error)
    return _done(request, team, f"{changed.user} is now {changed.get_role_display().lower()}.")


@require_POST
@login_required
def member_remove(request, slug, pk):
    team = get_team_for_admin(request.user, slug)
    membership = _get_member(team, pk)
    if membership.user_id == request.user.pk:
        return team_leave(request, slug)
    try:
        remove_member(team, request.user, membership)
    except TeamError as error:
        return _refused(request, team, error)
    return _done(request, team, f"{membership.user} was removed from the team.")


@require_POST
@login_required
def team_leave(request, slug):
    team = get_team_for_user(request.user, slug)
    try:
        leave_team(team, request.user)
    except TeamError as error:
        return _refused(request, team, error)
    messages.success(request, f"You left “{team.name}”.")
    return _redirect(request, reverse("teams:team-list"))


# Invitations


@require_POST
@login_required
def invitation_create(request, slug):
    team = get_team_for_admin(request.user, slug)
    form = RoleForm(request.POST, roles=assignable_roles(team.viewer_role))
    if not form.is_valid():
        return _refused(request, team, first_error(form))
    invitation, token = invite(team, request.user, form.cleaned_data["role"])
    link = request.build_absolute_uri(reverse("teams:invitation-accept", args=[token]))
    notice = f"Invitation created: whoever opens the link joins as {invitation.get_role_display()}."
    return _done(request, team, notice, new_link=link)


@require_POST
@login_required
def invitation_revoke(request, slug, pk):
    team = get_team_for_admin(request.user, slug)
    invitation = get_object_or_404(Invitation, pk=pk, team=team)
    revoke_invitation(team, request.user, invitation)
    return _done(request, team, "The invitation was withdrawn: its link no longer works.")


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    """Anyone with the link sees what it is for; joining needs an account."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = accept_invitation(token, request.user)
        except InvitationError as error:
            return _invitation_page(request, token, error=str(error))
        switch_team(request.session, membership)
        role = membership.get_role_display().lower()
        messages.success(request, f"You joined “{membership.team.name}” as {role}.")
        return redirect("articles:library")
    return _invitation_page(request, token)


def _invitation_page(request, token, error=""):
    invitation = find_invitation(token)
    if not error:
        try:
            check_usable(invitation)
        except InvitationError as refusal:
            error = str(refusal)
    member = None
    if not error and request.user.is_authenticated:
        member = Membership.objects.filter(team=invitation.team, user=request.user).first()
    context = {"invitation": invitation, "token": token, "error": error, "member": member}
    status = 200 if not error else 404 if invitation is None else 410
    return render(request, "teams/invitation.html", context, status=status)


# Deleting


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def team_delete(request, slug):
    """GET: what deleting the team would delete. POST: delete it (owners only)."""
    team = get_team_for_owner(request.user, slug)
    if request.method == "POST":
        try:
            deleted = delete_team(team, request.user)
        except TeamError as error:
            return _refused(request, team, error)
        messages.success(
            request,
            f"Deleted “{team.name}” with its {deleted.articles} article(s), "
            f"{deleted.highlights} highlight(s) and {deleted.notes} note(s).",
        )
        return _redirect(request, reverse("teams:team-list"))
    context = {"team": team, "contents": count_contents(team)}
    return render(request, "teams/team_delete.html", context)
