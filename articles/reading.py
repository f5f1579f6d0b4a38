"""The reader's annotation fragments: the article body with its marks, and the
panel of highlights and notes, cached until either changes.

Rendering a long article with many highlights costs far more than serving it
(marks, then a panel entry per highlight), and most page views change nothing.
The fragments are cached per article version, annotation version and user (the
panel shows a user the controls for their own highlights and notes). CSRF
tokens are never cached: the fragments hold a slot that is filled per request.
"""

import hashlib

from django.contrib.auth import get_user_model
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


def cache_key(article, user, writable, author_id):
    return (
        f"reader:{article.pk}:{article.updated_at.timestamp()}:"
        f"{article.annotations_version}:{user.pk}:{int(writable)}:{author_id or ''}"
    )


def annotation_fragments(request, article, writable, author_id=None):
    """{"body", "panel", "token"} for the reader of `article`.

    `writable`: whether the user may write in the article's team; it is part
    of the key, so a demoted member loses the controls at once. `author_id`:
    show only that member's highlights. `token` names the content, so live
    updates can answer "nothing new" cheaply.
    """
    key = cache_key(article, request.user, writable, author_id)
    fragments = cache.get(key)
    if fragments is None:
        fragments = render_fragments(article, request.user, writable, author_id)
        cache.set(key, fragments, CACHE_SECONDS)
    csrf = get_token(request)
    return {
        "body": mark_safe(fragments["body"]),  # noqa: S308 - rendered by our templates
        "panel": mark_safe(fragments["panel"].replace(CSRF_SLOT, csrf)),  # noqa: S308
        "token": fragments["token"],
    }


def render_fragments(article, user, writable, author_id=None):
    highlights = (
        Highlight.objects.visible_to(user)
        .filter(article=article)
        .select_related("author", "removed_by")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("author", "removed_by"))
        )
        .in_document_order()
    )
    if author_id is not None:
        highlights = highlights.filter(author_id=author_id)
    highlights = list(highlights)
    context = {
        "article": article,
        "user": user,
        "can_write": writable,
        "csrf_slot": CSRF_SLOT,
        "highlights": [h for h in highlights if not h.is_orphan],
        "orphans": [h for h in highlights if h.is_orphan],
        "notes": list(article.notes.select_related("author")),
        "members": list(
            get_user_model()
            .objects.filter(memberships__team_id=article.team_id)
            .order_by("username")
            .only("pk", "username")
        ),
        "author_id": author_id,
        "colours": Highlight.Colour,
    }
    body = render_to_string(
        "articles/_reader_body.html", {"body_html": highlighted_html(article, highlights)}
    )
    panel = render_to_string("articles/_panel.html", context)
    token = hashlib.sha256(f"{body}\0{panel}".encode()).hexdigest()[:20]
    return {"body": body, "panel": panel, "token": token}
