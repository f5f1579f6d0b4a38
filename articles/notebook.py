"""The team's notebook: every highlight the member may see across the team's
articles, newest first, a keyset page at a time ("what did we find")."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Prefetch, Q
from django.views.decorators.http import require_safe

from articles.models import Article, Highlight, Reply, Tag
from newsreader.access import current_membership, id_from
from newsreader.htmx import render_page
from teams.models import Membership

CURSOR_SALT = "articles.notebook.cursor"


def _cursor(highlight):
    return signing.dumps([highlight.created_at.isoformat(), highlight.pk], salt=CURSOR_SALT)


def _position(cursor):
    try:
        when, pk = signing.loads(cursor, salt=CURSOR_SALT)
        return datetime.fromisoformat(when), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def notebook_highlights(team, user, *, colour="", member=None, tag=None, article=None):
    """The highlights of `team` that `user` sees, newest first, filtered."""
    highlights = Highlight.objects.visible_to(user).filter(article__team=team, removed_at=None)
    if colour:
        highlights = highlights.filter(colour=colour)
    if member is not None:
        highlights = highlights.filter(author_id=member)
    if tag is not None:
        # The highlight's own tag, or its article's.
        highlights = highlights.filter(Q(tags=tag) | Q(article__tags=tag)).distinct()
    if article is not None:
        highlights = highlights.filter(article_id=article)
    return highlights.order_by("-created_at", "-id")


@require_safe
@login_required
def notebook(request):
    membership = current_membership(request)
    context = {"team": None, "highlights": [], "next": None}
    if membership is not None:
        team = membership.team
        tags = list(Tag.objects.filter(team=team).order_by("name"))
        members = list(
            Membership.objects.filter(team=team).select_related("user").order_by("user__username")
        )
        colour = request.GET.get("colour", "")
        colour = colour if colour in Highlight.Colour.values else ""
        member = id_from(request.GET.get("member", ""))
        wanted_tag = request.GET.get("tag", "").strip().casefold()
        tag = next((t for t in tags if t.name.casefold() == wanted_tag), None)
        article_id = id_from(request.GET.get("article", ""))
        article = None
        if article_id is not None:
            article = Article.objects.filter(team=team, pk=article_id).only("title").first()
        unknown_tag = bool(wanted_tag) and tag is None
        highlights = notebook_highlights(
            team,
            request.user,
            colour=colour,
            member=member,
            tag=tag,
            # Another team's article id finds nothing: the highlights are this team's.
            article=article_id,
        )
        if unknown_tag:
            highlights = highlights.none()
        position = _position(request.GET.get("after", ""))
        if position is not None:
            when, pk = position
            highlights = highlights.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
        size = settings.ARTICLES_PER_PAGE
        rows = list(
            highlights.select_related("author", "article")
            .defer("article__original", "article__html", "article__text")
            .prefetch_related(
                "tags", Prefetch("replies", queryset=Reply.objects.select_related("author"))
            )[: size + 1]
        )
        context = {
            "team": team,
            "highlights": rows[:size],
            "next": _cursor(rows[size - 1]) if len(rows) > size else None,
            "tags": tags,
            "members": members,
            "colours": Highlight.Colour,
            "chosen": {
                "colour": colour,
                "member": member,
                "tag": tag.name if tag else request.GET.get("tag", ""),
                "article": article,
            },
            "unknown_tag": unknown_tag,
            "paged": position is not None,
        }
    return render_page(
        request, "articles/notebook.html", "articles/notebook.html#highlights", context
    )
