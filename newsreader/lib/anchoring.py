"""Describe highlights as W3C selectors, and re-attach them when the text changes.

A highlight is stored as a TextPositionSelector (``start``/``end``: offsets in
Unicode code points into the article's canonical text, see
``newsreader/lib/extraction/canonical.py``) plus a TextQuoteSelector (``exact``, and
up to ``CONTEXT_CHARS`` characters of ``prefix``/``suffix`` context).
``describe`` builds the selector when a reader highlights; ``anchor`` and
``anchor_many`` find where it belongs in a (possibly changed) text, or return
``None``: an *orphan*, kept and listed, never silently dropped. A wrong
placement is worse than an orphan, so every placement except the two exact
fast paths below has to earn a confidence score above a threshold, or (step
5) show that its surrounding words are still partly there and fit nowhere else.

Pure Python, stdlib only; nothing here knows about Django.

Algorithm
---------
Work that depends only on the text is done once per text and shared by all
its highlights (``anchor`` is ``anchor_many`` for one selector, so both give
the same answers).

1. **Position.** ``text[start:end] == exact`` and the stored prefix and suffix
   are still exactly around it: method ``"position"``, score 1.0. (The text is
   unchanged there.)

2. **Exact quote in its exact context.** Every occurrence of ``exact`` that the
   stored prefix and suffix still surround exactly; if several do, the one
   nearest the expected position. Method ``"quote"``, score 1.0. (A paragraph
   was inserted or removed elsewhere.)

3. **Normalised quote.** Text and selector are compared on a *normalised copy*:
   lower case, NFKD with combining marks dropped (accents, ligatures, full-width
   forms), format characters dropped (soft hyphen, zero-width joiner), every
   run of whitespace and punctuation turned into one space. An offset map leads
   back to the real text. Every occurrence of the normalised quote is a
   candidate (this includes the exact occurrences whose context changed). They
   are ranked cheaply (how many normalised context characters agree verbatim)
   and the best few, plus the nearest to the expected position, are scored (see
   below). If the quote started or ended with punctuation, the span widens over
   punctuation that is there now. A candidate scoring ``STRONG_SCORE`` (0.9) or
   more ends the search.

4. **Fuzzy.** Candidate *windows* come from word seeds: the normalised prefix,
   quote and suffix are split into words; the rarest of them (at most 48, each
   occurring at most 64 times in the text) are looked up in a per-text word
   index, and every hit votes for an alignment diagonal (text word index minus
   probe word index). The three best-voted diagonals, with votes summed over a
   small tolerance for inserted or deleted words, give windows a little larger
   than the quote. In each window the best approximate occurrence of the quote
   is found with Myers' bit-parallel edit distance (semi-global: the whole quote
   against any substring; Python integers are bit vectors of any length, so a
   window costs one pass of about a dozen integer operations per character),
   and its start by the same search run backwards from the best end. An edge
   that clipped a changed word is then corrected: where the stored context
   still matches closely (similarity >= 0.8) the quote begins where the prefix
   ends and ends where the suffix begins; a partial word at an edge goes to the
   alignment that reached into it (the quote's: the whole word is included; the
   context's: it is left out). An exact alignment keeps its edges: words
   inserted next to an intact quote are not pulled into it.

5. **Changed context.** When nothing reaches the threshold, the quote (exact or
   nearly) may still be there with the words just before and after it edited.
   The best candidate by context alone is placed if each stored side of
   context is still partly there and their mean high enough (``CHANGED_TIERS``:
   the less of the quote is left, the more context it needs; a unique exact
   quote needs least: each side 0.35, mean 0.5), and no other place fits the
   context within ``CHANGED_MARGIN`` (0.1). If two places fit about equally the
   highlight is an orphan: after the context changed, the old position does not
   choose (unlike step 2, where the context is intact). A quote that occurs
   more than ``CHANGED_OCCURRENCES`` (8) times ("the") never gets this far.
   Unrelated context scores 0.2-0.45 per side; where one side is the rest of a
   stock phrase ("officials declined to comment") it fits, the other does
   not, which is why both sides must fit. The score returned is step 3-4's.

Nothing compares a highlight with the whole text character by character: per
highlight the cost is a few ``str.find`` calls plus work proportional to the
quote, its context and its windows. ``bench/anchoring.py`` times 1,000
highlights on a 10,000-word article at well under a second even when every
highlight needs the fuzzy step.

Scoring and threshold
---------------------
A candidate span is scored on the normalised text with

* ``q``, the quote similarity: ``1 - edit distance / len(quote)`` (1.0 in
  steps 2-3);
* one similarity per side of context. A side is split at the block boundary
  (``"\n"``) nearest to the highlight, if its stored context crossed one, or
  if it stopped at the edge of the old text. The *near* part, inside the
  highlight's own paragraph, is compared with the new text up to the nearest
  boundary there (Levenshtein similarity); the *far* part, in the
  neighbouring paragraph, counts half (``FAR_WEIGHT``), because paragraphs are
  inserted, removed and reordered; finding the boundary itself counts like
  ``BOUNDARY_WEIGHT`` (4) matching characters. If the boundary is gone, the
  stored side is compared as it is, with the boundary counted as a mismatch;
  the better of the two readings is used. A side without a boundary is
  compared with the text ending (starting) exactly at the candidate, with a
  free far end.

The context score ``c`` is the weighted mean of both sides (weights: their
character counts as above). Quote and context are weighed by their sizes::

    alpha = len(quote) / (len(quote) + weight(prefix) + weight(suffix))
    score = alpha * q + (1 - alpha) * c

A placement needs ``score >= THRESHOLD`` (0.75) **and** ``q >= QUOTE_FLOOR``
(0.5). Why 0.75: unrelated English context scores about 0.3-0.5 per side, so a
short quote that merely recurs elsewhere after its paragraph was deleted scores
about ``alpha + (1 - alpha) * 0.45``, below 0.75 until the quote is some 80
characters long (a verbatim repeat that long is the same passage); a short
exact quote with one intact side, or with both sides slightly edited, scores
about 0.8 or more; a quote with one changed word and intact context scores
about 0.9. In the benchmark every wrong candidate scored 0.725 or less (almost
all below 0.625), so 0.75 leaves a margin; lowering it to 0.65 starts placing
deleted highlights on look-alike phrases. The floor on ``q`` stops a highlight
whose words were replaced wholesale from being carried by its context alone.
The check applies to a unique exact quote too: a deleted paragraph's phrase is
not moved onto the same phrase elsewhere.

Candidates within 0.01 of the best score are equally supported by the text;
among them the one nearest the expected position wins (distance is only a
tie-breaker: after insertions and removals the old offset is weak evidence).
The expected position is relative when the caller passes the old text's length
(``old_length``): ``start * len(new) / old_length``; otherwise the old offset.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

CONTEXT_CHARS = 32
MAX_HIGHLIGHT_CHARS = 10_000  # documented limit for a single highlight

THRESHOLD = 0.75  # minimum score for a non-exact placement (see the module docstring)
QUOTE_FLOOR = 0.5  # minimum quote similarity for a fuzzy placement
STRONG_SCORE = 0.9  # a normalised-quote candidate this good skips the fuzzy search

BOUNDARY_WEIGHT = 4  # a block boundary next to the highlight counts like 4 matching characters
FAR_WEIGHT = 0.5  # context beyond a block boundary counts half: paragraphs come and go

# Step 5, an intact (or nearly intact) quote whose surrounding words changed: see
# _changed_context. Chosen on the benchmark's seeds 7, 11 and 13 (not 2024).
CHANGED_TIERS = (
    # (minimum quote similarity, minimum similarity of each side, minimum mean)
    (1.0, 0.35, 0.5),  # only for an exact quote found once in the text
    (0.7, 0.4, 0.55),
    (QUOTE_FLOOR, 0.5, 0.6),
)
CHANGED_MARGIN = 0.1  # how much better the context must fit than anywhere else
CHANGED_OCCURRENCES = 8  # quotes found more often than this are too common

_TIE = 0.01  # scores this close are ties, broken by distance to the expected position
_CHEAP_TOP = 5  # candidates (by cheap context agreement) scored in full, per step
_CHEAP_NEAR = 2  # plus this many nearest to the expected position
_MAX_SEEDS = 48
_MAX_SEED_OCCURRENCES = 64
_MAX_WINDOWS = 3
_EDGE_REACH = 24  # how far (normalised characters) an approximate match's edge may move
_EDGE_CONTEXT = 0.8  # context similarity needed to take an edge from the context


class AnchoringError(ValueError):
    """A highlight range that cannot be stored; the message is meant for people."""


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "position" | "quote" | "fuzzy"
    score: float  # 1.0 for position/quote; the fuzzy score otherwise


# --------------------------------------------------------------------------- describe


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def describe(text: str, start: int, end: int) -> Selector:
    """Validate a range of `text` and build its selector.

    Leading and trailing whitespace of the range is trimmed (a selection that
    grabbed a trailing space or newline) and the trimmed offsets are returned.
    Raises AnchoringError, with a message for people, for offsets that are not
    whole numbers or are negative, an empty range, a range outside the text, a
    whitespace-only selection, or one longer than MAX_HIGHLIGHT_CHARS.
    """
    if not isinstance(text, str):
        raise AnchoringError("The article text is missing, so nothing can be highlighted.")
    if not _is_int(start) or not _is_int(end):
        raise AnchoringError("A highlight's start and end must be whole numbers.")
    if start < 0 or end < 0:
        raise AnchoringError("A highlight's start and end cannot be negative.")
    if end <= start:
        raise AnchoringError("The highlight is empty: select some text first.")
    if end > len(text):
        raise AnchoringError(
            f"The highlight ends at character {end}, past the end of the article "
            f"({len(text)} characters). Reload the article and highlight again."
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise AnchoringError("The selection is only whitespace: select some words.")
    if end - start > MAX_HIGHLIGHT_CHARS:
        raise AnchoringError(
            f"The highlight is {end - start:,} characters long; the limit is "
            f"{MAX_HIGHLIGHT_CHARS:,}. Highlight a shorter passage."
        )
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


# --------------------------------------------------------------------------- normalisation

_FOLDED: dict[str, str] = {}


def _fold(char):
    """A character's normalised form: "" (dropped), " " (separator) or folded letters."""
    folded = _FOLDED.get(char)
    if folded is None:
        folded = _FOLDED[char] = _fold_uncached(char)
    return folded


def _is_separator(char):
    return char.isspace() or unicodedata.category(char)[0] in "PZ"


def _fold_uncached(char):
    if _is_separator(char):
        return " "
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""
    out = []
    for piece in unicodedata.normalize("NFKD", char.lower()):
        if unicodedata.combining(piece):
            continue
        out.append(" " if _is_separator(piece) else piece)
    return "".join(out)


def _normalise_with_maps(text):
    """(normalised text, norm index -> text index, text index -> norm length before it)."""
    out = []
    to_text = []
    to_norm = []
    pending = False
    for index, char in enumerate(text):
        to_norm.append(len(out))
        folded = _FOLDED.get(char)
        if folded is None:
            folded = _fold(char)
        if folded == " ":
            pending = True
            continue
        for piece in folded:
            if piece == " ":
                pending = True
                continue
            if pending and out:
                out.append(" ")
                to_text.append(index)
            pending = False
            out.append(piece)
            to_text.append(index)
    to_norm.append(len(out))
    return "".join(out), to_text, to_norm


def _normalise_short(text):
    """The normalised form of a short string (selector pieces)."""
    return " ".join(part for part in "".join(_fold(char) for char in text).split(" ") if part)


def same_words(a: str, b: str) -> bool:
    """Whether two passages read the same once case, accents, whitespace and
    punctuation are set aside (a browser's selection against the stored text)."""
    return _normalise_short(a) == _normalise_short(b)


def _edge_punctuation(exact):
    """How many punctuation characters the quote starts and ends with."""
    lead = 0
    for char in exact:
        if _fold(char) == " " and not char.isspace():
            lead += 1
        else:
            break
    trail = 0
    for char in reversed(exact):
        if _fold(char) == " " and not char.isspace():
            trail += 1
        else:
            break
    return lead, trail


# --------------------------------------------------------------------------- Myers


def _pattern_masks(pattern):
    masks: dict[str, int] = {}
    bit = 1
    for char in pattern:
        masks[char] = masks.get(char, 0) | bit
        bit <<= 1
    return masks


def _myers(masks, length, text, every=True, anchored=False):
    """Edit distance of a pattern against `text`, Myers' bit-parallel algorithm (1999).

    Semi-global by default: the whole pattern against the best substring of
    `text` ending at each position (a list, with `every`) or ending exactly at
    the end of `text` (one number). With `anchored`, the substring must also
    start at the start of `text`: plain Levenshtein distance (the last number).
    """
    if length == 0:
        if every:
            return list(range(1, len(text) + 1)) if anchored else [0] * len(text)
        return len(text) if anchored else 0
    full = (1 << length) - 1
    high = 1 << (length - 1)
    carry = 1 if anchored else 0
    pv = full
    mv = 0
    score = length
    scores = [] if every else None
    get = masks.get
    for char in text:
        eq = get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | carry) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if every:
            scores.append(score)
    return scores if every else score


def _semi_global_similarity(pattern, masks, text):
    """How well `pattern` matches the end of `text` (free start): 1 - distance / length."""
    if not pattern:
        return 1.0
    if not text:
        return 0.0
    return max(0.0, 1.0 - _myers(masks, len(pattern), text, every=False) / len(pattern))


def _similarity(pattern, masks, text):
    """Levenshtein similarity of two whole strings: 1 - distance / longer length."""
    longest = max(len(pattern), len(text))
    if not longest:
        return 1.0
    return 1.0 - _myers(masks, len(pattern), text, every=False, anchored=True) / longest


# --------------------------------------------------------------------------- per-text data


class _Text:
    """A text and everything computed from it once, shared by its highlights."""

    def __init__(self, text, old_length):
        self.text = text
        self.length = len(text)
        self.ratio = len(text) / old_length if old_length else 1.0

    @cached_property
    def normalised(self):
        return _normalise_with_maps(self.text)

    @cached_property
    def words(self):
        """Word start/end offsets in the normalised text, and word -> word indices."""
        norm = self.normalised[0]
        starts, ends, index = [], [], {}
        position = 0
        for number, word in enumerate(norm.split(" ") if norm else ()):
            starts.append(position)
            ends.append(position + len(word))
            index.setdefault(word, []).append(number)
            position += len(word) + 1
        return starts, ends, index


class _Side:
    """One side of a highlight's stored context, split at the nearest block boundary.

    `near` is the context inside the highlight's own block, `far` the part
    beyond a "\n" (another paragraph). `boundary` says a block boundary (or
    the edge of the text) was there. All normalised, and oriented so that the
    highlight is at the end: the suffix side is reversed.
    """

    def __init__(self, raw, is_prefix, at_text_edge):
        if is_prefix:
            cut = raw.rfind("\n")
            near_raw, far_raw = raw[cut + 1 :], raw[:cut] if cut != -1 else ""
        else:
            cut = raw.find("\n")
            near_raw, far_raw = (raw[:cut], raw[cut + 1 :]) if cut != -1 else (raw, "")
        self.is_prefix = is_prefix
        self.raw_length = len(raw)
        self.boundary = cut != -1 or at_text_edge
        near, far = _normalise_short(near_raw), _normalise_short(far_raw)
        self.whole = _normalise_short(raw)
        if not is_prefix:
            near, far, self.whole = near[::-1], far[::-1], self.whole[::-1]
        self.near, self.far = near, far
        self.near_masks = _pattern_masks(near)
        self.far_masks = _pattern_masks(far)
        self.whole_masks = _pattern_masks(self.whole)
        self.near_weight = len(near) + (BOUNDARY_WEIGHT if self.boundary else 0)
        self.far_weight = FAR_WEIGHT * len(far)
        self.weight = self.near_weight + self.far_weight

    def similarity(self, source, edge):
        """How well the text next to `edge` (an offset of `source`) matches this side."""
        reach = self.raw_length + self.raw_length // 2 + 8
        if self.is_prefix:
            low = max(0, edge - reach)
            raw = source[low:edge]
            at_edge = low == 0
            cut = raw.rfind("\n")
            near_raw, far_raw = (raw[cut + 1 :], raw[:cut]) if cut != -1 else (raw, "")
        else:
            high = min(len(source), edge + reach)
            raw = source[edge:high]
            at_edge = high == len(source)
            cut = raw.find("\n")
            near_raw, far_raw = (raw[:cut], raw[cut + 1 :]) if cut != -1 else (raw, "")
        orient = (lambda text: text) if self.is_prefix else (lambda text: text[::-1])
        whole = _semi_global_similarity(self.whole, self.whole_masks, orient(_normalise_short(raw)))
        if not self.boundary:
            return whole
        # The stored side crossed a block boundary (or touched the text's edge).
        # Either it is still there, nearest to the highlight ...
        found = 0.0
        if cut != -1 or at_edge:
            near = _similarity(self.near, self.near_masks, orient(_normalise_short(near_raw)))
            far = (
                _semi_global_similarity(self.far, self.far_masks, orient(_normalise_short(far_raw)))
                if self.far_weight
                else 0.0
            )
            found = (self.near_weight * near + self.far_weight * far) / self.weight
        # ... or it moved or went (blocks merged, a line break added): the boundary
        # counts as a mismatch and the stored text is compared as it is.
        moved = whole * (self.weight - BOUNDARY_WEIGHT) / self.weight if self.whole else 0.0
        return max(found, moved)


class _Probe:
    """A selector and its normalised pieces."""

    def __init__(self, selector, text):
        self.selector = selector
        start = selector.start if _is_int(selector.start) else 0
        self.expected = min(max(0, round(start * text.ratio)), text.length)
        self.prefix = _normalise_short(selector.prefix)
        self.quote = _normalise_short(selector.exact)
        self.suffix = _normalise_short(selector.suffix)
        self.edge_punctuation = _edge_punctuation(selector.exact)

    @cached_property
    def sides(self):
        selector = self.selector
        prefix_at_edge = selector.start == len(selector.prefix) < CONTEXT_CHARS
        suffix_at_edge = len(selector.suffix) < CONTEXT_CHARS
        return (
            _Side(selector.prefix, True, prefix_at_edge),
            _Side(selector.suffix, False, suffix_at_edge),
        )

    @cached_property
    def word_edges(self):
        """Whether the quote started and ended at a word boundary."""
        selector = self.selector
        exact, prefix, suffix = selector.exact, selector.prefix, selector.suffix
        starts = not prefix or _fold(prefix[-1]) == " " or _fold(exact[0]) == " "
        ends = not suffix or _fold(suffix[0]) == " " or _fold(exact[-1]) == " "
        return starts, ends

    @cached_property
    def prefix_masks(self):
        return _pattern_masks(self.prefix)

    @cached_property
    def reversed_suffix_masks(self):
        return _pattern_masks(self.suffix[::-1])

    @cached_property
    def quote_masks(self):
        return _pattern_masks(self.quote)

    @cached_property
    def reversed_quote_masks(self):
        return _pattern_masks(self.quote[::-1])


@dataclass
class _Candidate:
    start: int  # in the real text
    end: int
    score: float
    quote_similarity: float
    distance: int
    context: tuple[float, ...] = ()  # similarity of each non-empty stored side of context


# --------------------------------------------------------------------------- scoring


def _score(probe, source, start, end, quote_similarity):
    """The confidence score of a candidate span [start, end) of the real text,
    and the similarity of each side of context that was stored non-empty."""
    total = 0.0
    weight = 0.0
    sides = []
    for side, edge in zip(probe.sides, (start, end), strict=True):
        similarity = side.similarity(source, edge)
        total += side.weight * similarity
        weight += side.weight
        if side.raw_length:
            sides.append(similarity)
    context = total / weight if weight else 1.0
    quote_size = max(1, len(probe.quote))
    alpha = quote_size / (quote_size + weight)
    return alpha * quote_similarity + (1 - alpha) * context, tuple(sides)


def _widen(source, start, end, lead, trail):
    """Widen a span over the punctuation the quote started/ended with, if it is there.

    The quote `"word —` has 1 leading and 1 trailing punctuation character; the
    span grows over up to that many punctuation characters (and the spaces
    between them and the word), never over a line break.
    """
    if lead:
        index, widened, count = start, start, 0
        while index > 0 and count < lead:
            char = source[index - 1]
            if char == "\n" or _fold(char) != " ":
                break
            index -= 1
            if not char.isspace():
                count += 1
                widened = index
        start = widened
    if trail:
        index, widened, count = end, end, 0
        while index < len(source) and count < trail:
            char = source[index]
            if char == "\n" or _fold(char) != " ":
                break
            index += 1
            if not char.isspace():
                count += 1
                widened = index
        end = widened
    return start, end


def _to_text_span(text, probe, norm_start, norm_end):
    """Map a normalised span back to the real text, widening over edge punctuation."""
    norm, to_text, _ = text.normalised
    while norm_start < norm_end and norm[norm_start] == " ":
        norm_start += 1
    while norm_end > norm_start and norm[norm_end - 1] == " ":
        norm_end -= 1
    if norm_start >= norm_end:
        return None
    start = to_text[norm_start]
    end = to_text[norm_end - 1] + 1
    return _widen(text.text, start, end, *probe.edge_punctuation)


def _refine_edges(text, probe, start, end):
    """Where an approximate match's edges should be, in normalised offsets.

    The edit-distance alignment may clip a changed word at either edge of the
    quote ("on our bread" found as "nual bread" in "on annual bread"). Where the
    stored context still matches closely, the quote starts where the prefix
    ends and ends where the suffix starts; otherwise an edge that was at a word
    boundary is moved out to the nearest word boundary.
    """
    norm = text.normalised[0]
    reach = _EDGE_REACH
    moved_start = moved_end = False
    prefix, suffix = probe.prefix, probe.suffix
    if prefix:
        low, high = max(0, start - len(prefix) - reach), min(end - 1, start + reach)
        if high > low:
            scores = _myers(probe.prefix_masks, len(prefix), norm[low:high])
            best = min(
                (score, abs(low + index + 1 - start), low + index + 1)
                for index, score in enumerate(scores)
                if low + index + 1 >= start - reach
            )
            if best[0] <= len(prefix) * (1 - _EDGE_CONTEXT):
                start, moved_start = best[2], True
    if suffix:
        low, high = max(start + 1, end - reach), min(len(norm), end + len(suffix) + reach)
        if high > low:
            scores = _myers(probe.reversed_suffix_masks, len(suffix), norm[low:high][::-1])
            best = min(
                (score, abs(high - index - 1 - end), high - index - 1)
                for index, score in enumerate(scores)
                if high - index - 1 <= end + reach
            )
            if best[0] <= len(suffix) * (1 - _EDGE_CONTEXT):
                end, moved_end = best[2], True
    while start < end and norm[start] == " ":
        start += 1
    while end > start and norm[end - 1] == " ":
        end -= 1
    # A partial word at an edge belongs to whichever alignment reached into it:
    # the quote's (take the whole word) or the context's (leave the whole word).
    starts_word, ends_word = probe.word_edges
    if starts_word and start > 0 and norm[start - 1] != " ":
        if moved_start:
            stop = norm.find(" ", start, end)
            start = stop + 1 if stop != -1 else start
        else:
            limit = max(0, start - reach)
            while start > limit and norm[start - 1] != " ":
                start -= 1
    if ends_word and end < len(norm) and norm[end] != " ":
        if moved_end:
            stop = norm.rfind(" ", start, end)
            end = stop if stop != -1 else end
        else:
            limit = min(len(norm), end + reach)
            while end < limit and norm[end] != " ":
                end += 1
    return start, end


def _candidate(text, probe, norm_start, norm_end, quote_similarity):
    span = _to_text_span(text, probe, norm_start, norm_end)
    if span is None:
        return None
    score, context = _score(probe, text.text, span[0], span[1], quote_similarity)
    return _Candidate(
        start=span[0],
        end=span[1],
        score=score,
        quote_similarity=quote_similarity,
        distance=abs(span[0] - probe.expected),
        context=context,
    )


def _cheap_agreement(probe, norm, start, end):
    """Characters of normalised context that agree exactly on each side (a cheap ranking)."""
    count = 0
    prefix = probe.prefix
    position = start
    if position > 0 and norm[position - 1] == " ":
        position -= 1
    index = len(prefix) - 1
    while index >= 0 and position > 0 and prefix[index] == norm[position - 1]:
        count += 1
        index -= 1
        position -= 1
    suffix = probe.suffix
    position = end
    if position < len(norm) and norm[position] == " ":
        position += 1
    index = 0
    while index < len(suffix) and position < len(norm) and suffix[index] == norm[position]:
        count += 1
        index += 1
        position += 1
    return count


def _best(candidates):
    """The best-scoring candidate; near-ties go to the one nearest the expected position."""
    candidates = [candidate for candidate in candidates if candidate is not None]
    if not candidates:
        return None
    top = max(candidate.score for candidate in candidates)
    tied = [candidate for candidate in candidates if candidate.score >= top - _TIE]
    return min(tied, key=lambda candidate: (candidate.distance, -candidate.score, candidate.start))


# --------------------------------------------------------------------------- the steps


def _exact_in_context(selector, text, probe):
    """Step 1-2: the quote, exactly, with exactly its stored context."""
    source = text.text
    exact, prefix, suffix = selector.exact, selector.prefix, selector.suffix
    found = []
    position = source.find(exact)
    while position != -1:
        end = position + len(exact)
        if (
            position >= len(prefix)
            and source.startswith(prefix, position - len(prefix))
            and source.startswith(suffix, end)
        ):
            found.append(position)
        position = source.find(exact, position + 1)
    if not found:
        return None
    best = min(found, key=lambda start: (abs(start - probe.expected), start))
    return best, best + len(exact)


def _normalised_candidates(text, probe):
    """Step 3: occurrences of the normalised quote, the most promising scored in full.

    Returns the scored candidates and how many occurrences there are.
    """
    norm = text.normalised[0]
    quote = probe.quote
    occurrences = []
    position = norm.find(quote)
    while position != -1:
        occurrences.append(position)
        position = norm.find(quote, position + 1)
    if not occurrences:
        return [], 0
    to_norm = text.normalised[2]
    expected = to_norm[probe.expected]
    chosen = set(
        sorted(
            occurrences,
            key=lambda start: (
                -_cheap_agreement(probe, norm, start, start + len(quote)),
                abs(start - expected),
            ),
        )[:_CHEAP_TOP]
    )
    chosen.update(sorted(occurrences, key=lambda start: abs(start - expected))[:_CHEAP_NEAR])
    scored = [_candidate(text, probe, start, start + len(quote), 1.0) for start in sorted(chosen)]
    return scored, len(occurrences)


def _diagonals(text, probe):
    """Step 4a: alignment diagonals (text word - probe word) voted for by rare words."""
    starts, _, index = text.words
    prefix_words = probe.prefix.split(" ") if probe.prefix else []
    quote_words = probe.quote.split(" ")
    suffix_words = probe.suffix.split(" ") if probe.suffix else []
    # The outermost context words may have been cut in the middle: no seeds.
    words = prefix_words[1:] + quote_words + suffix_words[:-1]
    quote_from = max(0, len(prefix_words) - 1)
    quote_to = quote_from + len(quote_words)
    seeds = []
    for number, word in enumerate(words):
        hits = index.get(word)
        if hits:
            seeds.append((len(hits), number, hits))
    if not seeds:
        return [], quote_from, quote_to
    seeds.sort(key=lambda seed: seed[0])
    chosen = [seed for seed in seeds if seed[0] <= _MAX_SEED_OCCURRENCES][:_MAX_SEEDS]
    chosen = chosen or seeds[:4]
    votes: dict[int, int] = {}
    for _, number, hits in chosen:
        for hit in hits:
            diagonal = hit - number
            votes[diagonal] = votes.get(diagonal, 0) + 1
    tolerance = 2 + len(words) // 10
    ordered = sorted(votes)
    sums = []
    low = 0
    high = 0
    running = 0
    for diagonal in ordered:
        while high < len(ordered) and ordered[high] <= diagonal + tolerance:
            running += votes[ordered[high]]
            high += 1
        while ordered[low] < diagonal - tolerance:
            running -= votes[ordered[low]]
            low += 1
        sums.append((running, diagonal))
    expected_norm = text.normalised[2][probe.expected]
    expected_word = max(0, bisect_right(starts, expected_norm) - 1) - quote_from
    sums.sort(key=lambda item: (-item[0], abs(item[1] - expected_word)))
    best_votes = sums[0][0]
    radius = max(2 * tolerance, quote_to - quote_from)
    picked = []
    for count, diagonal in sums:
        if count * 3 < best_votes or len(picked) == _MAX_WINDOWS:
            break
        if all(abs(diagonal - other) > radius for other in picked):
            picked.append(diagonal)
    return picked, quote_from, quote_to


def _fuzzy_candidates(text, probe):
    """Step 4: approximate occurrences of the quote in windows found by word seeds."""
    norm = text.normalised[0]
    starts, ends, _ = text.words
    if not starts:
        return []
    diagonals, quote_from, quote_to = _diagonals(text, probe)
    quote = probe.quote
    size = len(quote)
    slack = 3 + (quote_to - quote_from) // 4
    last_word = len(starts) - 1
    found = []
    for diagonal in diagonals:
        first = min(max(0, diagonal + quote_from - slack), last_word)
        last = min(max(0, diagonal + quote_to - 1 + slack), last_word)
        window_start, window_end = starts[first], ends[last]
        window = norm[window_start:window_end]
        if not window:
            continue
        scores = _myers(probe.quote_masks, size, window)
        best = min(scores)
        if best > size * (1 - QUOTE_FLOOR):
            continue
        expected_end = ends[min(max(0, diagonal + quote_to - 1), last_word)] - window_start
        end = min(
            (index + 1 for index, score in enumerate(scores) if score == best),
            key=lambda end: (abs(end - expected_end), end),
        )
        # The start: the same search backwards from that end, shortest span first.
        backwards = window[:end][::-1][: size + best + 1]
        reverse_scores = _myers(probe.reversed_quote_masks, size, backwards)
        length = next(
            (index + 1 for index, score in enumerate(reverse_scores) if score <= best),
            len(backwards),
        )
        span_start, span_end = window_start + end - length, window_start + end
        if best:
            # An exact alignment is the quote itself, even where words were added
            # around it; only an approximate one may have clipped a changed word.
            span_start, span_end = _refine_edges(text, probe, span_start, span_end)
        if span_end <= span_start:
            continue
        # The quote's similarity is that of its best alignment (moving the edges
        # to whole words or to the context does not make the evidence weaker).
        found.append(_candidate(text, probe, span_start, span_end, 1.0 - best / size))
    return found


def _changed_context(candidates, occurrences):
    """Step 5: a quote whose surrounding words were edited, if one place clearly fits.

    Both sides of context must still be partly there: each side's similarity
    and their mean at least what CHANGED_TIERS asks for the quote's similarity
    (the less of the quote is left, the more of the context must be; an exact
    quote found once needs least). No other place may come within
    CHANGED_MARGIN on context: when the context
    no longer tells two occurrences apart the highlight is an orphan, not
    placed by position. A quote found more than CHANGED_OCCURRENCES times is
    too common for context this weak ("the", a stock phrase).
    """
    if occurrences > CHANGED_OCCURRENCES:
        return None
    candidates = [candidate for candidate in candidates if candidate and candidate.context]
    usable = [c for c in candidates if c.quote_similarity >= QUOTE_FLOOR]
    if not usable:
        return None

    def context(candidate):
        return sum(candidate.context) / len(candidate.context)

    best = max(usable, key=lambda c: (context(c), c.quote_similarity, -c.distance))
    tiers = CHANGED_TIERS if occurrences == 1 else CHANGED_TIERS[1:]
    _, side, mean = next(tier for tier in tiers if best.quote_similarity >= tier[0])
    if min(best.context) < side or context(best) < mean:
        return None
    rival = max(
        (context(c) for c in candidates if c.end <= best.start or c.start >= best.end),
        default=0.0,
    )
    if rival > context(best) - CHANGED_MARGIN:
        return None
    return best


def _anchor_one(selector, text):
    pieces = (selector.exact, selector.prefix, selector.suffix)
    if not all(isinstance(piece, str) for piece in pieces):
        return None  # a malformed stored selector cannot be placed: an orphan
    if not selector.exact.strip() or not text.length:
        return None
    source = text.text
    start, end = selector.start, selector.end
    position_valid = _is_int(start) and _is_int(end) and 0 <= start < end <= text.length
    probe = _Probe(selector, text)
    # 1. Position, with its context unchanged.
    if (
        position_valid
        and source[start:end] == selector.exact
        and start >= len(selector.prefix)
        and source.startswith(selector.prefix, start - len(selector.prefix))
        and source.startswith(selector.suffix, end)
    ):
        return Anchor(start, end, "position", 1.0)
    # 2. The exact quote with exactly its context, somewhere else.
    span = _exact_in_context(selector, text, probe)
    if span is not None:
        return _finish(selector, source, span[0], span[1], 1.0)
    if not probe.quote:
        return None  # only punctuation: nothing to compare approximately
    # 3. The normalised quote; 4. approximate occurrences.
    candidates, occurrences = _normalised_candidates(text, probe)
    best = _best(candidates)
    if best is None or best.score < STRONG_SCORE:
        candidates = [c for c in candidates if c] + _fuzzy_candidates(text, probe)
        best = _best(candidates)
    if best is None or best.score < THRESHOLD or best.quote_similarity < QUOTE_FLOOR:
        # 5. The quote is (nearly) there but the words around it changed.
        best = _changed_context(candidates, occurrences)
        if best is None:
            return None
    return _finish(selector, source, best.start, best.end, best.score)


def _finish(selector, source, start, end, score):
    if source[start:end] == selector.exact:
        method = "position" if (start, end) == (selector.start, selector.end) else "quote"
        return Anchor(start, end, method, 1.0)
    return Anchor(start, end, "fuzzy", round(score, 4))


# --------------------------------------------------------------------------- public API


def anchor(selector: Selector, text: str, *, old_length: int | None = None) -> Anchor | None:
    """Where the highlight goes in `text`, or None (orphan).

    `old_length`, the length of the text the selector was made on, lets the
    expected position be relative (the text length changed too); without it
    the stored offset is used as is. It only breaks ties.
    """
    return anchor_many([selector], text, old_length=old_length)[0]


def anchor_many(
    selectors: list[Selector], text: str, *, old_length: int | None = None
) -> list[Anchor | None]:
    """Same as `anchor`, for many highlights of one article (per-text work is shared)."""
    if not isinstance(text, str):
        raise AnchoringError("The article text is missing, so highlights cannot be placed.")
    prepared = _Text(text, old_length)
    return [_anchor_one(selector, prepared) for selector in selectors]
