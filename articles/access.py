"""Who may see what. Every view that takes an id starts here.

Objects are always fetched through a queryset scoped to the user's teams, so
an object of another team is indistinguishable from one that does not exist:
both raise Http404 with the same message.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from .models import Article, ArticleNote, Highlight, Membership, Reply, Team

CURRENT_TEAM_SESSION_KEY = "current_team_id"


def teams_for_user(user):
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def get_article_for_user(user, pk, defer=()):
    try:
        # The original can be megabytes and only re-extraction reads it.
        return Article.objects.visible_to(user).defer("original", *defer).get(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


def get_article_for_write(user, pk):
    """The article, if `user` may add to it (members, not read-only); else 404/403."""
    article = get_article_for_user(user, pk)
    if not role_can_write(article.viewer_role):
        raise PermissionDenied(READ_ONLY_MESSAGE)
    return article


READ_ONLY_MESSAGE = "Read-only members cannot change anything in this team."


def role_can_write(role):
    """`viewer_role` (annotated by the visible_to() querysets) allows writing."""
    return role is not None and role != Membership.Role.READ_ONLY


def get_highlight_for_user(user, pk):
    """A highlight the user may see: their teams', and never someone else's private one."""
    visible = Highlight.objects.visible_to(user)
    try:
        return visible.select_related("article", "author").defer("article__original").get(pk=pk)
    except Highlight.DoesNotExist:
        raise Http404("No such highlight.") from None


def get_highlight_for_write(user, pk):
    """A highlight its author may change: others see it (404 aside) but get 403."""
    highlight = get_highlight_for_user(user, pk)
    if not can_edit_highlight(user, highlight):
        raise PermissionDenied("Only its author can change this highlight.")
    return highlight


def can_edit_highlight(user, highlight):
    return (
        highlight.author_id == user.pk
        and highlight.removed_at is None
        and role_can_write(highlight.viewer_role)
    )


def role_can_moderate(role):
    """Owners and admins may remove anyone's highlights and replies."""
    return role in (Membership.Role.OWNER, Membership.Role.ADMIN)


def can_reply(highlight):
    """Writers may reply under a highlight they can see, unless it was removed."""
    return highlight.removed_at is None and role_can_write(highlight.viewer_role)


def get_highlight_for_moderation(user, pk):
    """A highlight an owner or admin of its team may remove; 404 for outsiders, 403 else."""
    highlight = get_highlight_for_user(user, pk)
    if not role_can_moderate(highlight.viewer_role):
        raise PermissionDenied("Only the team's owners and admins can remove others' highlights.")
    return highlight


def get_highlight_for_reply(user, pk):
    highlight = get_highlight_for_user(user, pk)
    if not can_reply(highlight):
        raise PermissionDenied("You cannot reply here.")
    return highlight


def get_reply_for_user(user, pk):
    """A reply under a highlight the user can see (so never under another's private one)."""
    visible = Reply.objects.filter(
        highlight__in=Highlight.objects.visible_to(user),
        highlight__article__team__memberships__user=user,
    ).annotate(viewer_role=F("highlight__article__team__memberships__role"))
    try:
        return (
            visible.select_related("highlight__article")
            .defer(
                "highlight__article__original",
                "highlight__article__html",
                "highlight__article__text",
            )
            .get(pk=pk)
        )
    except Reply.DoesNotExist:
        raise Http404("No such reply.") from None


def get_reply_for_write(user, pk):
    """A reply its author may edit or delete: 404 for outsiders, 403 for others."""
    reply = get_reply_for_user(user, pk)
    if reply.author_id != user.pk or reply.is_removed or not role_can_write(reply.viewer_role):
        raise PermissionDenied("Only its author can change this reply.")
    return reply


def get_reply_for_moderation(user, pk):
    reply = get_reply_for_user(user, pk)
    if not role_can_moderate(reply.viewer_role):
        raise PermissionDenied("Only the team's owners and admins can remove others' replies.")
    return reply


def get_membership(user, team_id):
    """The user's membership of a team, or None."""
    return Membership.objects.filter(user=user, team_id=team_id).first()


def get_note_for_write(user, pk):
    """An article note its author may change; 404 for other teams, 403 for teammates."""
    visible = ArticleNote.objects.filter(article__in=Article.objects.visible_to(user))
    try:
        note = visible.select_related("article").defer("article__original").get(pk=pk)
    except ArticleNote.DoesNotExist:
        raise Http404("No such note.") from None
    _require_write(user, note.article.team_id)
    if note.author_id != user.pk:
        raise PermissionDenied("Only its author can change this note.")
    return note


def can_write(user, team_id):
    """Whether the user may add to the team's articles (members, not read-only)."""
    membership = get_membership(user, team_id)
    return membership is not None and membership.can_write


def _require_write(user, team_id):
    if not can_write(user, team_id):
        raise PermissionDenied(READ_ONLY_MESSAGE)


def current_membership(request):
    """The membership of the team the user is working in, or None.

    The team chosen in this session wins while the user still belongs to it;
    otherwise the team the user last switched to; otherwise their oldest.
    """
    memberships = Membership.objects.filter(user=request.user).select_related("team")
    chosen = request.session.get(CURRENT_TEAM_SESSION_KEY)
    if chosen is not None:
        membership = memberships.filter(team_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.order_by(F("last_used_at").desc(nulls_last=True), "created_at", "id").first()


def get_team_for_user(user, slug):
    """A team the user belongs to, with `viewer_role` (their role); 404 for everyone else.

    A team the user is not in answers exactly like a team that does not exist.
    """
    teams = teams_for_user(user).annotate(viewer_role=F("memberships__role"))
    try:
        return teams.get(slug=slug)
    except Team.DoesNotExist:
        raise Http404("No such team.") from None


def get_team_for_admin(user, slug):
    """A team the user may manage (owners and admins); 404 for non-members, 403 for others."""
    team = get_team_for_user(user, slug)
    if not role_can_manage(team.viewer_role):
        raise PermissionDenied("Only the team's owners and admins can manage it.")
    return team


def get_team_for_owner(user, slug):
    """A team the user owns; 404 for non-members, 403 for other members."""
    team = get_team_for_user(user, slug)
    if team.viewer_role != Membership.Role.OWNER:
        raise PermissionDenied("Only the team's owners can do this.")
    return team


def role_can_manage(role):
    """Owners and admins manage the team: rename it, invite, change roles, remove members."""
    return role in (Membership.Role.OWNER, Membership.Role.ADMIN)
