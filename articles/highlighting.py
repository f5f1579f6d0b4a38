"""Highlights: creating them from a selection, undoing a deletion, rendering
them into the reader's (cached) body and panel, and keeping them attached
when an article's text changes."""

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article, Highlight, Reply
from articles.trash import schedule_purge
from newsreader.access import WRITE, can, may_change_own
from newsreader.lib import anchoring
from newsreader.lib.marks import MarkRange, render_marks
from teams.models import display_name


def text_stamp(article):
    """Names the version of the article's text a page was rendered from."""
    return article.extracted_at.isoformat()


class HighlightRemoved(anchoring.AnchoringError):
    """The author's highlight of this passage was removed by a moderator."""


def create_highlight(article, user, start, end, colour, *, visibility=None, stamp=None):
    """Highlight `article.text[start:end]` for `user`; returns (highlight, created).

    The server computes the quote and its context from its own canonical text:
    the browser only says where. `stamp` (text_stamp() of the page the
    selection was made on) guards against offsets into a text that has since
    been re-extracted. The same range by the same author is the same
    highlight: asking again with another colour recolours it.
    Raises anchoring.AnchoringError with a message for people.
    """
    with transaction.atomic():
        # Locked, so a re-extraction cannot change the text under us.
        current = (
            Article.all_objects.select_for_update().only("text", "extracted_at").get(pk=article.pk)
        )
        if stamp is not None and stamp != text_stamp(current):
            raise anchoring.AnchoringError(
                "The article's text has changed since this page was loaded. "
                "Reload it and highlight again."
            )
        selector = anchoring.describe(current.text, start, end)
        fields = {
            "article": article,
            "author": user,
            "start": selector.start,
            "end": selector.end,
            "is_orphan": False,
        }
        existing = Highlight.objects.filter(**fields).first()
        if existing is None:
            try:
                with transaction.atomic():
                    highlight = Highlight.objects.create(
                        **fields,
                        colour=colour,
                        visibility=visibility or Highlight.Visibility.TEAM,
                        exact=selector.exact,
                        prefix=selector.prefix,
                        suffix=selector.suffix,
                    )
            except IntegrityError:
                # A concurrent request created it first: the constraint is the arbiter.
                existing = Highlight.objects.get(**fields)
    if existing is not None:
        if existing.is_removed:
            # Highlighting it again must not bring back, or recolour, what a moderator removed.
            raise HighlightRemoved("A moderator removed your highlight of this passage.")
        if existing.colour != colour:
            existing.recolour(colour)
        return existing, False
    article.touch_annotations()
    return highlight, True


QUOTE_SCORE = 0.9  # how close a selection's text must be to the article's to place it


def highlight_quote(article, user, exact, colour, *, prefix="", suffix="", visibility=None):
    """Highlight the passage whose text is `exact` (what a browser's selection gave,
    on a page that may not be our reader: the bookmarklet, the extension, the
    API); returns (highlight, created) like create_highlight.

    The quote is found in the article's canonical text the way re-anchoring
    finds a moved highlight, so differences of whitespace, quotes and dashes
    do not matter; `prefix`/`suffix`, when given, tell repeated passages apart.
    Raises anchoring.AnchoringError when the passage is not (nearly) there.
    """
    exact = (exact or "").strip()
    if not exact:
        raise anchoring.AnchoringError("The selection is empty: there is nothing to highlight.")
    if len(exact) > anchoring.MAX_HIGHLIGHT_CHARS:
        raise anchoring.AnchoringError(
            f"The selection is {len(exact):,} characters long; the limit is "
            f"{anchoring.MAX_HIGHLIGHT_CHARS:,}. Highlight a shorter passage."
        )
    text = Article.all_objects.only("text").get(pk=article.pk).text
    selector = anchoring.Selector(exact, prefix or "", suffix or "", -1, -1)
    placed = anchoring.anchor(selector, text)
    if placed is None or not (
        placed.score >= QUOTE_SCORE or anchoring.same_words(text[placed.start : placed.end], exact)
    ):
        raise anchoring.AnchoringError(
            "The selected text is not in the article as it was saved "
            "(the page may show text the reader view leaves out)."
        )
    return create_highlight(article, user, placed.start, placed.end, colour, visibility=visibility)


UNDO_SALT = "newsreader.highlight-undo"
UNDO_MAX_AGE = 60 * 60  # seconds the Undo notice's token stays good


def delete_highlight(highlight, user):
    """Move `highlight` to the trash, its note and replies with it.

    Returns a signed token for the Undo notice, which restore_highlight()
    accepts; the trash page can restore it later too (articles/trash.py).
    """
    highlight.trash(user)
    schedule_purge()
    return signing.dumps(
        {"article": highlight.article_id, "user": user.pk, "highlight": highlight.pk},
        salt=UNDO_SALT,
    )


def restore_highlight(article, user, token):
    """Bring back, from the trash, the highlight an Undo token names: the same row,
    with its note and its replies.

    Raises signing.BadSignature (including SignatureExpired) for a token that
    is not valid here, or whose highlight is gone for good.
    """
    data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    if data.get("article") != article.pk or data.get("user") != user.pk:
        raise signing.BadSignature("The undo token belongs to another highlight.")
    highlight = Highlight.all_objects.filter(
        pk=data.get("highlight"), article=article, author=user
    ).first()
    if highlight is None:
        raise signing.BadSignature("The highlight is no longer in the trash.")
    highlight.restore()
    return highlight


def highlighted_html(article, highlights):
    """The article's reader HTML with a <mark> for every placed highlight."""
    ranges = [
        MarkRange(
            highlight.start,
            highlight.end,
            attributes=(
                ("class", f"hl hl-{highlight.colour}"),
                ("data-highlight-id", str(highlight.pk)),
                ("title", _mark_title(highlight)),
            ),
            # The first part is the highlight's target: the panel links to it
            # and focuses it, so it can take focus (but is not a tab stop).
            first_attributes=(("id", f"hl-{highlight.pk}"), ("tabindex", "-1")),
        )
        for highlight in highlights
        if not highlight.is_orphan and not highlight.is_removed
    ]
    return render_marks(article.html, ranges)


def _mark_title(highlight):
    """ "Evidence · tariq": the meaning and the author, on hover."""
    return f"{highlight.get_colour_display()} · {display_name(highlight.author)}"


# The reader's fragments: the article body with its marks, and the panel of
# highlights and notes, cached until either changes.
#
# Rendering a long article with many highlights costs far more than serving it
# (marks, then a panel entry per highlight), and most page views change nothing.
# The fragments are cached per article version, annotation version, user and
# role (the panel shows a user the controls for their own highlights and
# notes). CSRF tokens are never cached: the fragments hold a slot that is
# filled per request.

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
            Prefetch("replies", queryset=Reply.objects.select_related("author", "removed_by")),
            "tags",
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
            .only("pk", "username", "first_name", "last_name")
        ),
        "shown_author": author_id,
        "colours": Highlight.Colour,
    }
    body = render_to_string(
        "articles/article_detail.html#reader-body",
        {"body_html": highlighted_html(article, highlights)},
    )
    panel = render_to_string("articles/article_detail.html#panel", context)
    token = hashlib.sha256(f"{body}\0{panel}".encode()).hexdigest()[:20]
    return {"body": body, "panel": panel, "token": token}


# Re-anchoring


@dataclass
class ReanchorResult:
    kept: int = 0
    moved: int = 0
    orphaned: int = 0
    highlights: list = field(default_factory=list, repr=False)


def plan_reanchoring(highlights, text, old_length=None):
    """Place each highlight on `text` (in memory; nothing is saved).

    Highlights that cannot be placed with confidence become orphans, keeping
    their quote (and note); nothing is ever deleted.
    """
    selectors = [
        anchoring.Selector(h.exact, h.prefix, h.suffix, h.start, h.end) for h in highlights
    ]
    result = ReanchorResult(highlights=list(highlights))
    taken = set()
    for highlight, placed in zip(
        highlights, anchoring.anchor_many(selectors, text, old_length=old_length), strict=True
    ):
        # Two highlights of one author may land on the same range: the older
        # one keeps it and the other becomes an orphan (the unique constraint).
        # (Trashed highlights are placed too, so that they come back in the
        # right place, but hold no range: the constraint ignores them.)
        key = placed and (highlight.author_id, placed.start, placed.end)
        if placed is None or (key in taken and not highlight.in_trash):
            result.orphaned += 1
            highlight.place(None)
            continue
        if not highlight.in_trash:
            taken.add(key)
        if (placed.start, placed.end) == (highlight.start, highlight.end):
            result.kept += 1
        else:
            result.moved += 1
        highlight.place(placed)
    return result


def save_reanchoring(result):
    """Write a plan_reanchoring() result; call inside a transaction."""
    pks = [h.pk for h in result.highlights]
    # First out of the unique constraint's reach (it ignores orphans), then the
    # final places: rows that swap ranges never collide half-way.
    Highlight.all_objects.filter(pk__in=pks).update(is_orphan=True)
    Highlight.all_objects.bulk_update(result.highlights, ["start", "end", "is_orphan"])
