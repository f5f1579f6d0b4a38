"""Highlights: creating them from a selection, showing them, and keeping them
attached when an article's text changes."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from . import anchoring
from .marks import MarkRange, render_marks
from .models import Highlight


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
    return highlight, True


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
            first_attributes=(("id", f"hl-{highlight.pk}"),),
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
