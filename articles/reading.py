"""The reader's annotation fragments: the article body with its marks, and the
panel of highlights and notes, cached until either changes.

Rendering a long article with many highlights costs far more than serving it
(marks, then a panel entry per highlight), and most page views change nothing.
The fragments are cached per article version, annotation version and user (the
panel shows a user the controls for their own highlights and notes). CSRF
tokens are never cached: the fragments hold a slot that is filled per request.
"""

from django.core.cache import cache
from django.db.models import Prefetch
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .highlighting import highlighted_html
from .models import Highlight, Reply

# Cannot occur in stored content: the extraction and the note renderer remove
# control characters, and the templates never emit one.
CSRF_SLOT = "\x00csrf-token\x00"
CACHE_SECONDS = 60 * 60


def cache_key(article, user, writable):
    return (
        f"reader:{article.pk}:{article.updated_at.timestamp()}:"
        f"{article.annotations_version}:{user.pk}:{int(writable)}"
    )


def annotation_fragments(request, article, writable):
    """{"body": ..., "panel": ...}: safe HTML for the reader of `article`.

    `writable`: whether the user may write in the article's team. It is part
    of the key, so a demoted member loses the controls at once.
    """
    key = cache_key(article, request.user, writable)
    fragments = cache.get(key)
    if fragments is None:
        fragments = render_fragments(article, request.user, writable)
        cache.set(key, fragments, CACHE_SECONDS)
    token = get_token(request)
    return {name: mark_safe(html.replace(CSRF_SLOT, token)) for name, html in fragments.items()}  # noqa: S308


def render_fragments(article, user, writable):
    highlights = list(
        Highlight.objects.visible_to(user)
        .filter(article=article)
        .select_related("author", "removed_by")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("author", "removed_by"))
        )
        .in_document_order()
    )
    context = {
        "article": article,
        "user": user,
        "can_write": writable,
        "csrf_slot": CSRF_SLOT,
        "highlights": [h for h in highlights if not h.is_orphan],
        "orphans": [h for h in highlights if h.is_orphan],
        "notes": list(article.notes.select_related("author")),
        "colours": Highlight.Colour,
    }
    return {
        "body": render_to_string(
            "articles/_reader_body.html", {"body_html": highlighted_html(article, highlights)}
        ),
        "panel": render_to_string("articles/_panel.html", context),
    }
