"""Highlights: per article and per team, made by position or by quote, changed
by their authors, removed by moderators. Also served as W3C Web Annotations
when the caller asks for JSON-LD."""

import json

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from api.auth import require_write
from api.errors import ApiError
from api.schemas import ERRORS, HighlightCreate, HighlightOut, HighlightPage, HighlightUpdate
from api.shapes import after_cursor, highlight_out, highlights_for_api, page_of, with_reply_total
from articles.exports import highlight_document
from articles.highlighting import (
    HighlightRemoved,
    create_highlight,
    delete_highlight,
    highlight_quote,
)
from articles.models import Highlight, Reply
from newsreader.access import (
    MODERATE,
    can,
    get_article_for_user,
    get_article_for_write,
    get_highlight_for_moderation,
    get_highlight_for_user,
    get_highlight_for_write,
    get_team_for_user,
)
from newsreader.lib.anchoring import AnchoringError
from newsreader.lib.exports import ANNO_CONTEXT, highlight_annotation

router = Router(tags=["highlights"])

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def wants_annotations(request):
    """Whether the caller asked for W3C Web Annotations (JSON-LD) rather than our JSON."""
    accept = request.headers.get("Accept", "")
    return "application/ld+json" in accept


def _annotations_response(request, highlights, *, single=False, next_cursor=None):
    """Highlights as Web Annotations: one, or an AnnotationPage of several."""
    items = []
    for highlight in highlights:
        if highlight.is_removed:
            highlight.note = ""  # what a moderator removed is not shown
        document = highlight_document(highlight, request)
        article = highlight.article
        source = article.source_url or request.build_absolute_uri(
            reverse("articles:article-detail", args=[article.pk])
        )
        items.append(highlight_annotation(document, source))
    if single:
        payload = items[0]
    else:
        payload = {"@context": ANNO_CONTEXT, "type": "AnnotationPage", "items": items}
        for item in items:
            item.pop("@context", None)
        if next_cursor:
            # The next page of the same query: the filters and limit carry over.
            query = request.GET.copy()
            query["cursor"] = next_cursor
            payload["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return HttpResponse(json.dumps(payload, ensure_ascii=False), content_type=JSONLD)


def _with_live_replies(highlights):
    """`highlights` with what _annotations_response() reads (not the articles' stored pages)."""
    return (
        highlights.select_related("author", "article")
        .defer("article__original", "article__html", "article__text")
        .prefetch_related(
            Prefetch("replies", Reply.objects.filter(removed_at=None).select_related("author"))
        )
    )


class HighlightFilters(Schema):
    colour: str | None = Field(None, max_length=10)
    author: str | None = Field(None, max_length=150, description="A member's username.")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)


def _filtered(highlights, filters):
    if filters.colour:
        highlights = highlights.filter(colour=filters.colour)
    if filters.author:
        highlights = highlights.filter(author__username=filters.author)
    return highlights


@router.get(
    "/articles/{int:pk}/highlights/",
    response={200: HighlightPage, **ERRORS},
    summary="An article's highlights",
)
def article_highlights(request, pk: int, filters: Query[HighlightFilters]):
    """In document order; the caller's private ones too, never another member's.
    `Accept: application/ld+json` gives an AnnotationPage of Web Annotations."""
    article = get_article_for_user(request.user, pk, defer=("original", "html", "text"))
    highlights = Highlight.objects.visible_to(request.user).filter(article=article)
    highlights = _filtered(highlights, filters).in_document_order()
    if wants_annotations(request):
        shown = highlights.filter(removed_at=None)
        return _annotations_response(request, _with_live_replies(shown))
    # Document order has no cursor: an article's highlights come in one page.
    items = highlights_for_api(highlights)
    return {"items": [highlight_out(h, request) for h in items], "next": None}


@router.get(
    "/teams/{slug}/highlights/",
    response={200: HighlightPage, **ERRORS},
    summary="A team's highlights, newest first",
)
def team_highlights(request, slug: str, filters: Query[HighlightFilters]):
    team = get_team_for_user(request.user, slug)
    highlights = Highlight.objects.visible_to(request.user).filter(article__team=team)
    highlights = _filtered(highlights, filters).order_by("-created_at", "-id")
    highlights = after_cursor(highlights, filters.cursor, "created_at")
    items, cursor = page_of(highlights_for_api(highlights), filters.limit, "created_at")
    if wants_annotations(request):
        return _annotations_response(
            request,
            _with_live_replies(
                Highlight.objects.filter(pk__in=[h.pk for h in items], removed_at=None).order_by(
                    "-created_at", "-id"
                )
            ),
            next_cursor=cursor,
        )
    return {"items": [highlight_out(h, request) for h in items], "next": cursor}


@router.post(
    "/articles/{int:pk}/highlights/",
    response={200: HighlightOut, 201: HighlightOut, **ERRORS},
    summary="Highlight a passage",
)
def highlight_create(request, pk: int, data: HighlightCreate):
    """By `start` and `end` (offsets in the article's `text`) or by the passage's text
    (`exact`, with `prefix`/`suffix` to tell repeated passages apart). The same
    passage by the same author is the same highlight (200, recoloured, and given
    `visibility` if it is sent); one a moderator removed is refused (403)."""
    require_write(request)
    article = get_article_for_write(request.user, pk)
    by_position = data.start is not None or data.end is not None
    if by_position == (data.exact is not None):
        raise ApiError(422, "Give either start and end, or exact.")
    if by_position and (data.start is None or data.end is None):
        raise ApiError(422, "Give both start and end.")
    try:
        if by_position:
            highlight, created = create_highlight(
                article,
                request.user,
                data.start,
                data.end,
                data.colour,
                visibility=data.visibility,
            )
        else:
            highlight, created = highlight_quote(
                article,
                request.user,
                data.exact,
                data.colour,
                prefix=data.prefix,
                suffix=data.suffix,
                visibility=data.visibility,
            )
    except HighlightRemoved as error:
        raise ApiError(403, str(error)) from None
    except AnchoringError as error:
        raise ApiError(422, str(error)) from None
    if "visibility" in data.model_fields_set and highlight.visibility != data.visibility:
        highlight.set_visibility(data.visibility)  # the same passage, now private (or not)
    if data.note.strip():
        highlight.set_note(data.note)
    return (201 if created else 200), highlight_out(with_reply_total(highlight), request)


@router.get("/highlights/{int:pk}/", response={200: HighlightOut, **ERRORS}, summary="A highlight")
def highlight_detail(request, pk: int):
    highlight = get_highlight_for_user(request.user, pk)
    if wants_annotations(request):
        one = Highlight.objects.filter(pk=highlight.pk)
        return _annotations_response(request, _with_live_replies(one), single=True)
    return highlight_out(with_reply_total(highlight), request)


@router.patch(
    "/highlights/{int:pk}/", response={200: HighlightOut, **ERRORS}, summary="Change a highlight"
)
def highlight_update(request, pk: int, data: HighlightUpdate):
    """Recolour it, change its note (an empty note removes it) or who sees it: its author only."""
    require_write(request)
    highlight = get_highlight_for_write(request.user, pk)
    if data.colour is not None:
        highlight.recolour(data.colour)
    if data.visibility is not None:
        highlight.set_visibility(data.visibility)
    if data.note is not None:
        highlight.set_note(data.note)
    return highlight_out(with_reply_total(highlight), request)


@router.delete(
    "/highlights/{int:pk}/", response={204: None, **ERRORS}, summary="Delete a highlight"
)
def highlight_delete(request, pk: int):
    """Its author moves it to the trash (with its note and replies); an owner or admin
    removes someone else's, leaving a marker in the thread, as in the app."""
    require_write(request)
    highlight = get_highlight_for_user(request.user, pk)
    if highlight.author_id == request.user.pk:
        delete_highlight(get_highlight_for_write(request.user, pk), request.user)
    elif can(highlight.viewer_role, MODERATE):
        get_highlight_for_moderation(request.user, pk).remove_by_moderator(request.user)
    else:
        get_highlight_for_write(request.user, pk)  # raises the author-only refusal
    return 204, None
