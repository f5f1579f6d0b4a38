"""Highlights: creating them from a selection, undoing a deletion, rendering
them into the reader's (cached) body and panel, and keeping them attached
when an article's text changes."""

import hashlib
import zlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article, Highlight, Reply
from articles.panel import (
    COLOUR_LABELS,
    ITEMS_END,
    ITEMS_START,
    SLOT_END,
    WRITERS,
    author_name,
    entries_html,
    inert,
    mine,
    personalise,
    theirs,
    writer_mine,
)
from articles.trash import schedule_purge
from newsreader.access import WRITE, can
from newsreader.lib import anchoring
from newsreader.lib.marks import MarkRange, render_marks
from teams.models import display_name, name_of


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
        if existing is None:
            # In the same transaction: never a new highlight the article's version misses.
            article.touch_annotations()
    if existing is not None:
        if existing.is_removed:
            # Highlighting it again must not bring back, or recolour, what a moderator removed.
            raise HighlightRemoved("A moderator removed your highlight of this passage.")
        if existing.colour != colour:
            existing.recolour(colour)
        return existing, False
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
        if not highlight.is_orphan and highlight.removed_at is None
    ]
    return render_marks(article.html, ranges)


def _mark_title(highlight):
    """ "Evidence · tariq": the meaning and the author, on hover."""
    return f"{COLOUR_LABELS.get(highlight.colour, highlight.colour)} · {author_name(highlight)}"


# The reader's fragments: the article body with its marks, and the panel of
# highlights and notes, rendered once per version for everyone who sees them.
#
# Rendering a long article with many highlights costs far more than serving it,
# and a busy team's readers all poll for changes: each version of the
# annotations is rendered once for every reader who sees the same highlights
# (everyone's shared ones, plus a reader's own private ones when they have
# some), kept in the shared cache (settings.CACHES["default"], so every worker
# process finds what another rendered), and made personal per request
# (articles/panel.py personalise: own entries' controls; the CSRF token). The
# body does not depend on the role, the panel only on whether the reader may
# write. Keys name the article's text and annotation versions, so a change
# is never served stale; old versions are left to expire (CACHE_SECONDS) or
# to the cache's own limit.

# A marker like articles/panel.py's slots: render_panel() passes no stored value
# to the template with a NUL in it, so none can forge it.
CSRF_SLOT = "\x00csrf-token\x00"
CACHE_SECONDS = 10 * 60


class _Row:
    """A highlight as the body and panel show it (no model instance: 1,000 of them
    cost more to build than to render)."""

    __slots__ = (
        "pk",
        "author_id",
        "author_name",
        "colour",
        "visibility",
        "exact",
        "note",
        "note_html",
        "start",
        "end",
        "is_orphan",
        "removed_at",
        "tags",
        "replies",
    )

    def __init__(self, values):
        (
            self.pk,
            self.author_id,
            self.author_name,
            self.colour,
            self.visibility,
            self.exact,
            self.note,
            self.note_html,
            self.start,
            self.end,
            self.is_orphan,
            self.removed_at,
        ) = values
        self.tags, self.replies = [], []


class _Reply:
    __slots__ = ("pk", "author_name", "body_html", "removed_at")

    def __init__(self, pk, author_name, body_html, removed_at):
        self.pk, self.author_name = pk, author_name
        self.body_html, self.removed_at = body_html, removed_at


# A row's author as teams.models.display_name shows a user (None: a former member).
_AUTHOR_NAMES = ("author__first_name", "author__last_name", "author__username")


def _author_name(names):
    return name_of(*names) if names[2] is not None else None


def _highlight_rows(article, private_of, author_id):
    """The highlights of the article that its readers in one visibility class see, in
    document order: everyone's shared ones, and `private_of`'s private ones."""
    shown = models.Q(visibility=Highlight.Visibility.TEAM)
    if private_of is not None:
        shown |= models.Q(author_id=private_of)
    highlights = Highlight.objects.filter(shown, article=article)
    if author_id is not None:
        highlights = highlights.filter(author_id=author_id)
    fields = [name for name in _Row.__slots__[:12] if name != "author_name"]
    rows = [
        _Row((*values[:2], _author_name(values[-3:]), *values[2:-3]))
        for values in highlights.in_document_order().values_list(*fields, *_AUTHOR_NAMES)
    ]
    by_pk = {row.pk: row for row in rows}
    if not rows:
        return rows
    # Of the highlights shown only (a subquery): not the rows under others' private
    # ones. (A highlight made since the query above may have some: it is left out.)
    replies = Reply.objects.filter(highlight__in=highlights).order_by("created_at", "id")
    for highlight_id, pk, body_html, removed_at, *names in replies.values_list(
        "highlight_id", "pk", "body_html", "removed_at", *_AUTHOR_NAMES
    ):
        if highlight_id in by_pk:
            by_pk[highlight_id].replies.append(
                _Reply(pk, _author_name(names), body_html, removed_at)
            )
    taggings = Highlight.tags.through.objects.filter(highlight__in=highlights)
    for highlight_id, name in taggings.order_by("tag__name").values_list(
        "highlight_id", "tag__name"
    ):
        if highlight_id in by_pk:
            by_pk[highlight_id].tags.append(name)
    return rows


def _keys(article, author_id, private_of):
    version = f"{article.pk}:{article.updated_at.timestamp()}:{article.annotations_version}"
    shown = f"{author_id or ''}:{private_of or ''}"
    return f"reader:body:{version}:{shown}", f"reader:panel:{version}:{shown}"


def own_private(user):
    """An annotation for the reader's article query (get_article_for_user): whether
    `user` has private highlights on it, which saves _viewer_class a query."""
    return models.Exists(
        Highlight.objects.filter(
            article=models.OuterRef("pk"), author=user, visibility=Highlight.Visibility.PRIVATE
        )
    )


def _viewer_class(article, user, author_id):
    """Whose private highlights this reader sees: theirs when they have some on the
    article and the filter shows them; otherwise they see what everyone sees."""
    if author_id not in (None, user.pk):
        return None
    private = getattr(article, "has_own_private", None)
    if private is None:
        private = Highlight.objects.filter(
            article=article, author=user, visibility=Highlight.Visibility.PRIVATE
        ).exists()
    return user.pk if private else None


def annotation_fragments(request, article, author_id=None):
    """{"body", "panel", "token", "can_write"} for the reader of `article`.

    `article.viewer_role` (set by the access helpers) decides the controls, so a
    demoted member loses them at once. `author_id`: show only that member's
    highlights. `token` names what this reader is shown, so live updates can
    answer "nothing new" cheaply (fragments_token).
    """
    body, panel = shared_fragments(article, request.user, author_id)
    writer = can(article.viewer_role, WRITE)
    return {
        "body": mark_safe(body.html),  # noqa: S308 - rendered by our templates
        "panel": mark_safe(personal(request, panel.html, writer)),  # noqa: S308 - ours
        # Whether they may write changes what they are shown, not what is shared.
        "token": f"{body.token}{panel.token}{int(writer)}",
        "can_write": writer,
    }


def personal(request, html, can_write):
    """Shared panel HTML as this request's user sees it, with its CSRF token."""
    html = personalise(html, request.user.pk, can_write)
    return html.replace(CSRF_SLOT, get_token(request))


@dataclass
class Fragment:
    token: str  # names the content: TOKEN_CHARS of its hash
    html: str


TOKEN_CHARS = 12


def shared_fragments(article, user, author_id=None):
    """The body and panel Fragments `user` shares with every reader who sees the same
    highlights: from the cache, or rendered once."""
    private_of = _viewer_class(article, user, author_id)
    keys = _keys(article, author_id, private_of)
    tokens = cache.get_many(keys)
    found = cache.get_many([f"reader:html:{token}" for token in tokens.values()])
    body, panel = (
        Fragment(tokens[key], _unpack(found[f"reader:html:{tokens[key]}"]))
        if f"reader:html:{tokens.get(key)}" in found
        else None
        for key in keys
    )
    if body is None or panel is None:
        highlights = _highlight_rows(article, private_of, author_id)
        if body is None:
            body = _store(keys[0], render_body(article, highlights))
        if panel is None:
            panel = _store(keys[1], render_panel(article, highlights, author_id))
    return body, panel


def fragments_token(request, article, author_id=None):
    """What annotation_fragments() would give as "token", when the fragments are
    known (small keys: a poll reads neither fragment); else None."""
    private_of = _viewer_class(article, request.user, author_id)
    keys = _keys(article, author_id, private_of)
    tokens = cache.get_many(keys)
    if len(tokens) < 2:
        return None
    return f"{tokens[keys[0]]}{tokens[keys[1]]}{int(can(article.viewer_role, WRITE))}"


def cached_html(token):
    """The HTML of a fragment that had `token`, while the cache keeps it; else None."""
    packed = cache.get(f"reader:html:{token}") if len(token) == TOKEN_CHARS else None
    return None if packed is None else _unpack(packed)


def _store(key, html):
    # Stored by content: tokens name it, so a reader whose version changed in
    # what they cannot see (another's private highlight) is told nothing is new,
    # and a live update can still find what a reader has (articles/live.py).
    # Compressed: a tenth of the size (0.5 MB of panel to 50 KB) for ~2 ms, once
    # per version, and ~1 ms to read back: the cache holds ten times as many.
    data = html.encode()
    token = hashlib.sha256(data).hexdigest()[:TOKEN_CHARS]
    cache.set_many({key: token, f"reader:html:{token}": zlib.compress(data, 1)}, CACHE_SECONDS)
    return Fragment(token, html)


def _unpack(packed):
    return zlib.decompress(packed).decode()


def render_body(article, highlights):
    return render_to_string(
        "articles/article_detail.html#reader-body",
        {"body_html": highlighted_html(article, highlights)},
    )


def render_panel(article, highlights, author_id=None):
    """The panel for everyone who sees `highlights`, with the slots personalise() fills."""
    members = (
        get_user_model()
        .objects.filter(memberships__team_id=article.team_id)
        .order_by("username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    notes = list(article.notes.select_related("author"))
    for note in notes:
        note.mine = writer_mine(note.author_id)
        # What the panel shows of a note, unable to forge a marker (articles/panel.py).
        note.body, note.body_html = inert(note.body), inert(note.body_html)
        note.author_name = inert(display_name(note.author))
    entries = entries_html([h for h in highlights if not h.is_orphan])
    context = {
        "article": article,
        "writers": WRITERS,
        "csrf_slot": CSRF_SLOT,
        "slot_end": SLOT_END,
        "highlight_count": sum(1 for h in highlights if not h.is_orphan),
        "highlight_items": mark_safe(  # noqa: S308 - escaped by entries_html
            f"{ITEMS_START}{entries}{ITEMS_END}" if entries else ""
        ),
        "orphan_items": mark_safe(  # noqa: S308 - escaped by entries_html
            entries_html([h for h in highlights if h.is_orphan], orphans=True)
        ),
        "notes": notes,
        "members": [(pk, inert(name_of(*names)), theirs(pk)) for pk, *names in members],
        "shown_author": author_id,
        "only_mine": mine(author_id, " selected") if author_id is not None else "",
        "colours": Highlight.Colour,
    }
    return render_to_string("articles/article_detail.html#panel", context)


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
