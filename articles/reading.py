"""The reader's annotation fragments: the article body with its marks, and the
panel of highlights and notes, cached until either changes.

Rendering a long article with many highlights costs far more than serving it
(marks, then a panel entry per highlight), and most page views change nothing.
The fragments are cached per article version, annotation version, user and role (the
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

from articles.highlighting import highlighted_html
from articles.models import Highlight, Reply
from newsreader.access import WRITE, can, may_change_own

# Cannot occur in stored content: the extraction and the note renderer remove
# control characters, and the templates never emit one.
CSRF_SLOT = "\x00csrf-token\x00"
CACHE_SECONDS = 60 * 60


def cache_key(article, user, role, author_id):
    return (
        f"reader:{article.pk}:{article.updated_at.timestamp()}:"
        f"{article.annotations_version}:{user.pk}:{role}:{author_id or ''}"
    )


def annotation_fragments(request, article, author_id=None):
    """{"body", "panel", "token", "can_write"} for the reader of `article`.

    `article.viewer_role` (set by the access helpers) is part of the key, so a
    demoted member loses the controls at once. `author_id`: show only that
    member's highlights. `token` names the content, so live updates can
    answer "nothing new" cheaply.
    """
    role = article.viewer_role
    key = cache_key(article, request.user, role, author_id)
    fragments = cache.get(key)
    if fragments is None:
        fragments = render_fragments(article, request.user, role, author_id)
        cache.set(key, fragments, CACHE_SECONDS)
    csrf = get_token(request)
    return {
        "body": mark_safe(fragments["body"]),  # noqa: S308 - rendered by our templates
        "panel": mark_safe(fragments["panel"].replace(CSRF_SLOT, csrf)),  # noqa: S308
        "token": fragments["token"],
        "can_write": can(role, WRITE),
    }


def render_fragments(article, user, role, author_id=None):
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
    notes = list(article.notes.select_related("author"))
    # The controls each entry shows, from the permission table.
    for entry in highlights + notes:
        entry.editable = may_change_own(user, entry, role)
    context = {
        "article": article,
        "user": user,
        "can_write": can(role, WRITE),
        "csrf_slot": CSRF_SLOT,
        "highlights": [h for h in highlights if not h.is_orphan],
        "orphans": [h for h in highlights if h.is_orphan],
        "notes": notes,
        "members": list(
            get_user_model()
            .objects.filter(memberships__team_id=article.team_id)
            .order_by("username")
            .only("pk", "username")
        ),
        "shown_author": author_id,
        "colours": Highlight.Colour,
    }
    body = render_to_string(
        "articles/_reader_body.html", {"body_html": highlighted_html(article, highlights)}
    )
    panel = render_to_string("articles/_panel.html", context)
    token = hashlib.sha256(f"{body}\0{panel}".encode()).hexdigest()[:20]
    return {"body": body, "panel": panel, "token": token}
