"""Highlights: creating them from a selection, showing them, and keeping them
attached when an article's text changes."""

from dataclasses import dataclass, field

from django.core import signing
from django.db import IntegrityError, transaction

from . import anchoring
from .marks import MarkRange, render_marks
from .models import Highlight
from .notes import render_note


def create_highlight(article, user, start, end, colour):
    """Highlight `article.text[start:end]` for `user`; returns (highlight, created).

    The server computes the quote and its context from its own canonical text:
    the browser only says where. The same range by the same author is the same
    highlight, so a double click or a retried request creates nothing new.
    Raises anchoring.AnchoringError with a message for people.
    """
    selector = anchoring.describe(article.text, start, end)
    fields = {
        "article": article,
        "author": user,
        "start": selector.start,
        "end": selector.end,
        "is_orphan": False,
    }
    existing = Highlight.objects.filter(**fields).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            highlight = Highlight.objects.create(
                **fields,
                colour=colour,
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                anchored_by="created",
            )
    except IntegrityError:
        # A concurrent request created it first: the constraint is the arbiter.
        return Highlight.objects.get(**fields), False
    article.touch_annotations()
    return highlight, True


UNDO_SALT = "newsreader.highlight-undo"
UNDO_MAX_AGE = 60 * 60  # seconds an undo stays possible


def delete_highlight(highlight, user):
    """Delete `highlight`; returns a signed token that restore_highlight() accepts."""
    token = signing.dumps(
        {
            "article": highlight.article_id,
            "user": user.pk,
            "colour": highlight.colour,
            "exact": highlight.exact,
            "prefix": highlight.prefix,
            "suffix": highlight.suffix,
            "start": highlight.start,
            "end": highlight.end,
            "note": highlight.note,
        },
        salt=UNDO_SALT,
        compress=True,
    )
    article = highlight.article
    highlight.delete()
    article.touch_annotations()
    return token


def restore_highlight(article, user, token):
    """Bring back a highlight deleted by `user` on `article` from its undo token.

    It is anchored afresh (the text may have changed since); if it cannot be
    placed it comes back as an orphan. Raises signing.BadSignature (including
    SignatureExpired) for a token that is not valid here.
    """
    data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    if data["article"] != article.pk or data["user"] != user.pk:
        raise signing.BadSignature("The undo token belongs to another highlight.")
    selector = anchoring.Selector(
        data["exact"], data["prefix"], data["suffix"], data["start"], data["end"]
    )
    placed = anchoring.anchor(selector, article.text)
    fields = {"article": article, "author": user, "is_orphan": placed is None}
    if placed is not None:
        fields.update(start=placed.start, end=placed.end)
        existing = Highlight.objects.filter(**fields).first()
        if existing is not None:
            return existing
    else:
        fields.update(start=data["start"], end=data["end"])
    highlight = Highlight(
        **fields,
        colour=data["colour"],
        exact=data["exact"],
        prefix=data["prefix"],
        suffix=data["suffix"],
        anchored_by=placed.method if placed else "",
    )
    highlight.note = data["note"]
    highlight.note_html = render_note(highlight.note) if highlight.note else ""
    highlight.save()
    article.touch_annotations()
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
            ),
            # The first part is the highlight's target: the panel links to it
            # and focuses it, so it can take focus (but is not a tab stop).
            first_attributes=(("id", f"hl-{highlight.pk}"), ("tabindex", "-1")),
        )
        for highlight in highlights
        if not highlight.is_orphan
    ]
    return render_marks(article.html, ranges)


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
        key = placed and (highlight.author_id, placed.start, placed.end)
        if placed is None or key in taken:
            result.orphaned += 1
            highlight.is_orphan, highlight.anchored_by = True, ""
            continue
        taken.add(key)
        if (placed.start, placed.end) == (highlight.start, highlight.end):
            result.kept += 1
        else:
            result.moved += 1
        highlight.start, highlight.end = placed.start, placed.end
        highlight.is_orphan, highlight.anchored_by = False, placed.method
    return result


def save_reanchoring(result):
    """Write a plan_reanchoring() result; call inside a transaction."""
    pks = [h.pk for h in result.highlights]
    # First out of the unique constraint's reach (it ignores orphans), then the
    # final places: rows that swap ranges never collide half-way.
    Highlight.objects.filter(pk__in=pks).update(is_orphan=True)
    Highlight.objects.bulk_update(result.highlights, ["start", "end", "is_orphan", "anchored_by"])
