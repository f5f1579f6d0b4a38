"""Who may do what, and every permission-checked fetch.

The permission table below is the one place that says what a role may do.
Everything else asks it: the fetch helpers (every view that takes an id starts
with one), the flags templates show controls by, and the team rules.

Objects are always fetched through a queryset scoped to the user's teams, so
an object of another team is indistinguishable from one that does not exist:
both raise Http404 with the same message. Someone who may see an object but
not change it gets PermissionDenied (403).

The querysets annotate `viewer_role`, the user's role in the object's team,
from the same join that scopes them: permission checks need no query. The
article a fetched highlight, reply or note belongs to carries it too.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from api.models import ApiToken
from articles.models import Article, ArticleNote, Capture, Highlight, Reply, Tag
from teams.models import Membership, Team

Role = Membership.Role

# Capabilities
READ = "read"  # see the team's articles, highlights, notes and replies
WRITE = "write"  # highlight, write notes and replies (and change one's own)
MODERATE = "moderate"  # remove anyone's highlights and replies
MANAGE = "manage"  # rename the team, invite, change roles, remove members
OWN = "own"  # make or unmake owners, delete the team

PERMISSIONS = {
    Role.OWNER: frozenset({READ, WRITE, MODERATE, MANAGE, OWN}),
    Role.ADMIN: frozenset({READ, WRITE, MODERATE, MANAGE}),
    Role.MEMBER: frozenset({READ, WRITE}),
    Role.READ_ONLY: frozenset({READ}),
}

REFUSALS = {
    WRITE: "Read-only members cannot change anything in this team.",
    MODERATE: "Only the team's owners and admins can remove others' contributions.",
    MANAGE: "Only the team's owners and admins can manage it.",
    OWN: "Only the team's owners can do this.",
}

CURRENT_TEAM_SESSION_KEY = "current_team_id"


def id_from(value):
    """A primary key from a request value, or None: ASCII digits only (`"²"` is a
    digit to str.isdigit()) and no more than a bigint holds."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def can(role, capability):
    """Whether `role` (a Membership.Role value, or None for no membership) may."""
    return capability in PERMISSIONS.get(role, ())


def require(role, capability, message=None):
    if not can(role, capability):
        raise PermissionDenied(message or REFUSALS[capability])


# What follows from the table


def may_change_own(user, obj, role):
    """Authors change and delete their own highlights, notes and replies while they
    may write, but not once a moderator removed them."""
    removed = getattr(obj, "removed_at", None) is not None
    return obj.author_id == user.pk and not removed and can(role, WRITE)


def may_reply(highlight, role):
    """Writers reply under a highlight they can see, unless it was removed."""
    return highlight.removed_at is None and can(role, WRITE)


def assignable_roles(role):
    """The roles someone with `role` may give: owners all, admins all but owner."""
    if can(role, OWN):
        return list(Role)
    if can(role, MANAGE):
        return [r for r in Role if r != Role.OWNER]
    return []


def may_manage_member(role, target_role):
    """Whether `role` may change the role of, or remove, a member who has `target_role`."""
    return can(role, MANAGE) and (can(role, OWN) or target_role != Role.OWNER)


def require_member_change(role, target_role=None, new_role=None):
    """Refuse a change of membership (`target_role` → `new_role`) that `role` may not make."""
    require(role, MANAGE, "Only the team's owners and admins can manage its members.")
    if Role.OWNER in (target_role, new_role) and not can(role, OWN):
        raise PermissionDenied("Only owners can make or unmake owners.")


def in_teams_of(user, queryset, team="team"):
    """`queryset` narrowed to the user's teams, with `viewer_role` (their role)
    from the same join; empty for anonymous users. `team`: the lookup path from
    the queryset's model to its team."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{team}__memberships__user": user}).annotate(
        viewer_role=F(f"{team}__memberships__role")
    )


# Teams


def teams_for_user(user):
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user)


def get_team_for_user(user, slug, capability=READ):
    """A team the user belongs to, with `viewer_role`; 404 for everyone else, and
    403 for members whose role lacks `capability`.

    A team the user is not in answers exactly like a team that does not exist.
    """
    teams = teams_for_user(user).annotate(viewer_role=F("memberships__role"))
    try:
        team = teams.get(slug=slug)
    except Team.DoesNotExist:
        raise Http404("No such team.") from None
    require(team.viewer_role, capability)
    return team


def get_team_for_admin(user, slug):
    """A team the user may manage (owners and admins)."""
    return get_team_for_user(user, slug, MANAGE)


def get_team_for_owner(user, slug):
    """A team the user owns."""
    return get_team_for_user(user, slug, OWN)


def role_in(team, user):
    """The user's role in the team, or None: for the team rules, inside their locks."""
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


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


# Articles


def get_article_for_user(user, pk, defer=(), capability=READ, **annotations):
    """The article, if `user` may (`capability`); `annotations` computed in the same query."""
    try:
        # The original can be megabytes and only re-extraction reads it.
        articles = Article.objects.visible_to(user).defer("original", *defer)
        article = articles.annotate(**annotations).get(pk=pk)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    require(article.viewer_role, capability)
    return article


def get_article_for_write(user, pk):
    """The article, if `user` may add to it (members, not read-only); else 404/403."""
    return get_article_for_user(user, pk, capability=WRITE)


def get_note_for_user(user, pk):
    """An article note of one of the user's teams; 404 for everyone else."""
    notes = in_teams_of(user, ArticleNote.objects.filter(article__deleted_at=None), "article__team")
    try:
        note = notes.select_related("article", "author").defer("article__original").get(pk=pk)
    except ArticleNote.DoesNotExist:
        raise Http404("No such note.") from None
    note.article.viewer_role = note.viewer_role
    return note


def get_note_for_write(user, pk):
    """An article note its author may change; 404 for other teams, 403 for teammates."""
    note = get_note_for_user(user, pk)
    require(note.viewer_role, WRITE)
    if not may_change_own(user, note, note.viewer_role):
        raise PermissionDenied("Only its author can change this note.")
    return note


def get_capture_for_user(user, pk, capability=READ):
    """A URL being added to one of the user's teams (articles/adding.py); 404/403 like articles."""
    captures = in_teams_of(user, Capture.objects.all())
    try:
        capture = (
            captures.select_related("article")
            .defer("article__original", "article__html", "article__text")
            .get(pk=pk)
        )
    except Capture.DoesNotExist:
        raise Http404("No such capture.") from None
    require(capture.viewer_role, capability)
    return capture


# Highlights and replies


def get_highlight_for_user(user, pk):
    """A highlight the user may see: their teams', and never someone else's private one."""
    visible = Highlight.objects.visible_to(user)
    try:
        highlight = (
            visible.select_related("article", "author").defer("article__original").get(pk=pk)
        )
    except Highlight.DoesNotExist:
        raise Http404("No such highlight.") from None
    highlight.article.viewer_role = highlight.viewer_role
    return highlight


def get_highlight_for_write(user, pk):
    """A highlight its author may change: others see it (404 aside) but get 403."""
    highlight = get_highlight_for_user(user, pk)
    if not may_change_own(user, highlight, highlight.viewer_role):
        raise PermissionDenied("Only its author can change this highlight.")
    return highlight


def get_highlight_for_moderation(user, pk):
    """A highlight an owner or admin of its team may remove; 404 for outsiders, 403 else."""
    highlight = get_highlight_for_user(user, pk)
    require(
        highlight.viewer_role,
        MODERATE,
        "Only the team's owners and admins can remove others' highlights.",
    )
    return highlight


def get_highlight_for_reply(user, pk):
    highlight = get_highlight_for_user(user, pk)
    if not may_reply(highlight, highlight.viewer_role):
        raise PermissionDenied("You cannot reply here.")
    return highlight


def get_reply_for_user(user, pk):
    """A reply under a highlight the user can see (so never under another's private one)."""
    visible = in_teams_of(
        user,
        Reply.objects.filter(highlight__in=Highlight.objects.visible_to(user)),
        "highlight__article__team",
    )
    try:
        reply = (
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
    reply.highlight.article.viewer_role = reply.viewer_role
    return reply


def get_reply_for_write(user, pk):
    """A reply its author may edit or delete: 404 for outsiders, 403 for others."""
    reply = get_reply_for_user(user, pk)
    if not may_change_own(user, reply, reply.viewer_role):
        raise PermissionDenied("Only its author can change this reply.")
    return reply


def get_reply_for_moderation(user, pk):
    reply = get_reply_for_user(user, pk)
    require(
        reply.viewer_role, MODERATE, "Only the team's owners and admins can remove others' replies."
    )
    return reply


# Personal access tokens


def get_tag_for_user(user, pk, capability=READ):
    """A tag of one of the user's teams (with `viewer_role`); 404 for everyone else."""
    tags = Tag.objects.filter(team__memberships__user=user) if user.is_authenticated else None
    try:
        if tags is None:
            raise Tag.DoesNotExist
        tags = tags.annotate(viewer_role=F("team__memberships__role")).select_related("team")
        tag = tags.get(pk=pk)
    except Tag.DoesNotExist:
        raise Http404("No such tag.") from None
    require(tag.viewer_role, capability)
    return tag


def get_token_for_user(user, pk):
    """One of the user's own API tokens; anyone else's answers like a missing one."""
    if not user.is_authenticated:
        raise Http404("No such token.")
    try:
        return ApiToken.objects.get(user=user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404("No such token.") from None
