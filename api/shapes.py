"""Model objects as the API's schemas have them (api/schemas.py), and the
querysets that fetch what those shapes need without a query per row."""

import base64
import binascii
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.urls import reverse

from api.errors import ApiError
from articles.models import ArticleRead, ArticleState, Highlight
from teams.models import author_fields

# Cursors: the sort key of the last item given, opaque to callers.


def encode_cursor(when, pk):
    raw = f"{when.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """(datetime, pk) from a cursor this API gave; ApiError 422 for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, pk = raw.split("|")
        return datetime.fromisoformat(when), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(422, "cursor: not a cursor this API gave.") from None


def after_cursor(queryset, cursor, field):
    """`queryset` (ordered by `field` then pk, both descending) after `cursor`."""
    if not cursor:
        return queryset
    when, pk = decode_cursor(cursor)
    return queryset.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": pk}))


def page_of(queryset, limit, field):
    """(items, next cursor or None) of an ordered queryset."""
    items = list(queryset[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    last = items[-1] if more else None
    return items, (encode_cursor(getattr(last, field), last.pk) if last else None)


# Articles


def _shown_highlights(user):
    return Highlight.objects.filter(removed_at=None).filter(
        Q(visibility=Highlight.Visibility.TEAM) | Q(author=user)
    )


def _own_state_prefetches(user):
    return (
        "tags",
        Prefetch("states", ArticleState.objects.filter(user=user), to_attr="own_states"),
        Prefetch("reads", ArticleRead.objects.filter(user=user), to_attr="own_reads"),
    )


def articles_for_api(queryset, user):
    """`queryset` of articles with what article_out() reads, in a fixed number of queries."""
    shown = _shown_highlights(user).filter(article=OuterRef("pk"))
    counted = shown.order_by().values("article").annotate(n=Count("*")).values("n")[:1]
    return (
        queryset.select_related("team")
        .annotate(highlight_count=Subquery(counted))
        .prefetch_related(*_own_state_prefetches(user))
    )


def with_api_fields(article, user):
    """One fetched article with what article_out() reads."""
    prefetch_related_objects([article], *_own_state_prefetches(user))
    article.highlight_count = _shown_highlights(user).filter(article=article).count()
    return article


def article_out(article, request, *, detail=False):
    state = article.own_states[0] if article.own_states else None
    shape = {
        "id": article.pk,
        "team": article.team.slug,
        "title": article.title,
        "byline": article.byline,
        "site_name": article.site_name,
        "source_url": article.source_url,
        "published": article.published,
        "language": article.language,
        "excerpt": article.excerpt,
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
        "lead_image_url": article.lead_image_url,
        "kind": article.kind,
        "tags": [tag.name for tag in article.tags.all()],
        "highlight_count": article.highlight_count or 0,
        "state": {
            "read": bool(article.own_reads),
            "archived": bool(state and state.archived_at),
            "starred": bool(state and state.starred_at),
            "progress": state.progress if state else None,
        },
        "reader_url": request.build_absolute_uri(
            reverse("articles:article-detail", args=[article.pk])
        ),
        "saved_at": article.saved_at,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
    }
    if detail:
        shape |= {"text": article.text, "html": article.html}
    return shape


def capture_out(capture):
    return {
        "id": capture.pk,
        "url": capture.url,
        "status": capture.status,
        "reason": capture.reason,
        "article": capture.article_id,
        "duplicate": capture.duplicate,
        "created_at": capture.created_at,
        "updated_at": capture.updated_at,
    }


# Highlights, replies, notes


def highlights_for_api(queryset):
    """Highlights with what highlight_out() reads (`reply_total`: replies not in the trash)."""
    live_replies = Count("replies", filter=Q(replies__deleted_at=None), distinct=True)
    return queryset.select_related("author").annotate(reply_total=live_replies)


def with_reply_total(highlight):
    highlight.reply_total = highlight.replies.count()
    return highlight


def highlight_out(highlight, request):
    reader = reverse("articles:article-detail", args=[highlight.article_id])
    removed = highlight.is_removed
    return {
        "id": highlight.pk,
        "article": highlight.article_id,
        **author_fields(highlight.author),
        "colour": highlight.colour,
        "meaning": highlight.get_colour_display(),
        "visibility": highlight.visibility,
        "exact": highlight.exact,
        "prefix": highlight.prefix,
        "suffix": highlight.suffix,
        "start": highlight.start,
        "end": highlight.end,
        "is_orphan": highlight.is_orphan,
        "removed": removed,
        # What a moderator removed is not shown in the reader; nor here.
        "note": "" if removed else highlight.note,
        "note_html": "" if removed else highlight.note_html,
        "reply_count": highlight.reply_total,
        "url": request.build_absolute_uri(f"{reader}#hl-{highlight.pk}"),
        "created_at": highlight.created_at,
        "updated_at": highlight.updated_at,
    }


def reply_out(reply):
    removed = reply.is_removed
    return {
        "id": reply.pk,
        "highlight": reply.highlight_id,
        **author_fields(reply.author),
        "body": "" if removed else reply.body,
        "body_html": "" if removed else reply.body_html,
        "removed": removed,
        "created_at": reply.created_at,
        "updated_at": reply.updated_at,
    }


def note_out(note):
    return {
        "id": note.pk,
        "article": note.article_id,
        **author_fields(note.author),
        "body": note.body,
        "body_html": note.body_html,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }
