"""Render highlights into normal-form reader HTML as ``<mark>`` elements.

A highlight is a ``(start, end)`` range of the article's canonical text (see
``newsreader.lib.extraction.canonical``): the concatenation of every text node of the
stored HTML, counted in Unicode code points. ``render_marks`` wraps exactly
that text in ``<mark>`` elements and leaves everything else byte for byte as
it was, so removing the ``<mark …>`` and ``</mark>`` tags gives back the input.

What is emitted
---------------

* One ``<mark>`` per contiguous run of a range's text inside a single text
  node. A range that crosses element boundaries (paragraphs, links, list
  items, table cells, …) becomes several marks, each wholly inside the
  element that holds its text. Every part carries the range's attributes, in
  the order given, values escaped; the first part of each range, in document
  order, also carries ``data-first=""`` so a caller can make only that part
  focusable (ids are left to the caller).
* The text is split at every range boundary. Text covered by several ranges
  gets nested marks: the outer one is the range that starts earlier, then the
  longer one, then the one given first. A mark never straddles a tag, so the
  result is always balanced.
* Some text is counted in offsets but never wrapped:

  - outside ``<pre>``, the ``"\\n"`` block separators (every ``"\\n"`` there is
    one, since other whitespace is collapsed to spaces);
  - text whose parent does not allow phrasing content (``ul``, ``ol``,
    ``table``, ``tbody``, ``tr``, ``dl``, …), where a browser would move or
    reject a ``<mark>``;
  - text inside elements whose content is not ordinary HTML (``script``,
    ``style``, ``textarea``, ``title``, ``template``, ``svg``, ``math``, …);
    sanitised reader HTML has none of these.

  Inside ``<pre>`` all text, newlines included, is wrapped.
* Text keeps its original escaping: offsets are counted on the unescaped
  text, and each piece of a split text node is cut from the input's own
  markup (``&amp;``, ``&lt;``, ``&gt;`` and any other character reference are
  never cut in half). The one exception is a reference that stands for
  several code points (``&NotEqualTilde;``, or a legacy one without its
  semicolon such as ``&ampx``) with a range boundary inside it: that
  reference is re-escaped character by character. Normal-form HTML has none.

Ranges are clipped to the text; empty ranges are ignored. The cost is linear
in the size of the HTML and of the output, after sorting the ranges once.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from itertools import chain

__all__ = ["MarkRange", "render_marks"]


@dataclass(frozen=True)
class MarkRange:
    """A highlight: canonical-text offsets ``[start, end)`` and its mark's attributes.

    ``attributes`` are ``(name, value)`` pairs with raw (unescaped) values,
    e.g. ``(("class", "hl hl-yellow"), ("data-highlight-id", "12"))``.
    """

    start: int
    end: int
    attributes: tuple[tuple[str, str], ...] = ()
    # Only on the first part (e.g. an id, or tabindex so the highlight is
    # focusable once, not once per element it spans).
    first_attributes: tuple[tuple[str, str], ...] = ()


# Elements whose end tag the markup never has (they cannot hold text).
VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# A text node directly inside one of these is not wrapped: <mark> is not
# allowed there (a browser foster-parents it out of a table, for example).
_NO_MARK_PARENTS = frozenset(
    [
        "html",
        "head",
        "ul",
        "ol",
        "menu",
        "dl",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "colgroup",
        "hgroup",
        "select",
        "optgroup",
        "datalist",
        "picture",
        "audio",
        "video",
        "frameset",
    ]
)
# Nothing at any depth inside one of these is wrapped: their content is raw
# text, foreign (SVG/MathML) or not rendered as a document.
_OPAQUE_TAGS = frozenset(
    [
        "script",
        "style",
        "template",
        "textarea",
        "title",
        "option",
        "noscript",
        "iframe",
        "noembed",
        "noframes",
        "xmp",
        "plaintext",
        "svg",
        "math",
    ]
)
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*\Z")
_NEWLINES = re.compile(r"\n+")
# The pattern html.unescape replaces: cutting raw text between its matches and
# the characters around them keeps each piece's meaning.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


@dataclass
class _Text:
    """A text node: its canonical offset, unescaped text and raw markup."""

    start: int
    text: str
    raw: str
    wrappable: bool
    in_pre: bool
    parts: list  # [(text, raw)] as the tokenizer reported them


class _Tokenizer(HTMLParser):
    """Cut the HTML into raw markup strings and text nodes, as html.parser sees it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        # (source offset, data or None for markup, wrappable, in_pre)
        self.events = []
        self.stack = []
        self.opaque_depth = 0
        self.pre_depth = 0

    def _offset(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _markup(self):
        self.events.append((self._offset(), None, False, False))

    def handle_starttag(self, tag, attrs):
        self._markup()
        if tag in VOID_TAGS:
            return
        self.stack.append(tag)
        if tag in _OPAQUE_TAGS:
            self.opaque_depth += 1
        elif tag == "pre":
            self.pre_depth += 1

    def handle_startendtag(self, tag, attrs):
        self._markup()

    def handle_endtag(self, tag):
        self._markup()
        if tag not in self.stack:
            return
        while self.stack:
            closed = self.stack.pop()
            if closed in _OPAQUE_TAGS:
                self.opaque_depth -= 1
            elif closed == "pre":
                self.pre_depth -= 1
            if closed == tag:
                return

    def handle_data(self, data):
        parent = self.stack[-1] if self.stack else None
        wrappable = not self.opaque_depth and parent not in _NO_MARK_PARENTS
        self.events.append((self._offset(), data, wrappable, self.pre_depth > 0))

    def handle_comment(self, data):
        self._markup()

    def handle_decl(self, decl):
        self._markup()

    def handle_pi(self, data):
        self._markup()

    def unknown_decl(self, data):
        self._markup()

    def items(self):
        """The document as a list of raw markup strings and ``_Text`` nodes."""
        self.feed(self.html)
        self.close()
        html = self.html
        items = []
        if not self.events:
            return [html] if html else []
        if self.events[0][0] > 0:
            items.append(html[: self.events[0][0]])
        offset = 0
        ends = [event[0] for event in self.events[1:]] + [len(html)]
        for (begin, data, wrappable, in_pre), end in zip(self.events, ends, strict=True):
            raw = html[begin:end]
            if data is None:
                items.append(raw)
                continue
            if wrappable and unescape(raw) != data:
                # Markup the tokenizer skipped without a callback: leave it alone.
                wrappable = False
            previous = items[-1] if items else None
            if isinstance(previous, _Text):  # one text node, reported in pieces
                previous.text += data
                previous.raw += raw
                previous.wrappable = previous.wrappable and wrappable
                previous.parts.append((data, raw))
            else:
                items.append(_Text(offset, data, raw, wrappable, in_pre, [(data, raw)]))
            offset += len(data)
        return items


def _raw_characters(node, cuts):
    """The raw markup of each character of ``node.text``, for cutting at ``cuts``.

    A character reference goes with its character. One that stands for several
    characters goes with the first, unless a cut falls inside it.
    """
    cuts = set(cuts)
    raws = []
    for text, raw in node.parts:
        if escape(text, quote=False) == raw:
            raws.extend(escape(char, quote=False) for char in text)
            continue
        position = 0
        while position < len(raw):
            match = _CHARREF.match(raw, position) if raw[position] == "&" else None
            if match is None:
                raws.append(raw[position])
                position += 1
                continue
            reference = match.group()
            chars = unescape(reference)
            here = len(raws)
            if any(here + i in cuts for i in range(1, len(chars))):
                raws.extend(escape(char, quote=False) for char in chars)
            else:
                raws.append(reference)
                raws.extend("" for _ in chars[1:])
            position = match.end()
    return raws


def _attributes(attributes):
    parts = []
    for name, value in attributes:
        if not _ATTRIBUTE_NAME.match(name):
            raise ValueError(f"invalid attribute name: {name!r}")
        parts.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(parts)


def render_marks(html: str, ranges: Iterable[MarkRange]) -> str:
    """Return ``html`` with each range's text wrapped in ``<mark>`` elements.

    See the module docstring for exactly what is emitted.
    """
    items = _Tokenizer(html).items()
    length = sum(len(item.text) for item in items if isinstance(item, _Text))

    clipped = []
    for mark in ranges:
        start, end = max(0, mark.start), min(length, mark.end)
        if start < end:
            clipped.append((start, -end, len(clipped), mark))
    if not clipped:
        return html
    clipped.sort()  # outer marks first: earlier start, then longer, then given first
    # A range's first part needs its own tag; a later part (the range crosses
    # an element) reuses the first's common attributes.
    common_attributes = [_attributes(m.attributes) for *_, m in clipped]
    first_tags = [
        f'<mark{shared}{_attributes(m.first_attributes)} data-first="">'
        for shared, (*_, m) in zip(common_attributes, clipped, strict=True)
    ]
    started = [False] * len(clipped)

    starts_at, ends_at = {}, {}
    for rank, (start, negative_end, _, _) in enumerate(clipped):
        starts_at.setdefault(start, []).append(rank)  # in rank order
        ends_at.setdefault(-negative_end, set()).add(rank)
    boundaries = sorted(starts_at.keys() | ends_at.keys())

    out = []
    active = []  # ranks covering the current position, in rank (nesting) order
    next_boundary = 0

    def advance_to(position):
        nonlocal active, next_boundary
        while next_boundary < len(boundaries) and boundaries[next_boundary] <= position:
            boundary = boundaries[next_boundary]
            if boundary in ends_at:
                ending = ends_at[boundary]
                active = [rank for rank in active if rank not in ending]
            # A range starting here starts after every active one: it nests inside.
            active.extend(starts_at.get(boundary, ()))
            next_boundary += 1

    for item in items:
        if not isinstance(item, _Text):
            out.append(item)
            continue
        begin, text = item.start, item.text
        finish = begin + len(text)
        advance_to(begin)
        if not item.wrappable or not text:
            out.append(item.raw)
            continue
        range_cuts = []
        index = next_boundary
        while index < len(boundaries) and boundaries[index] < finish:
            range_cuts.append(boundaries[index] - begin)
            index += 1
        newline_cuts = []
        if not item.in_pre:
            for match in _NEWLINES.finditer(text):
                newline_cuts.extend(match.span())
        if not range_cuts and not newline_cuts and not active:
            out.append(item.raw)
            continue
        cuts = sorted(set(chain(range_cuts, newline_cuts, [len(text)])) - {0})

        if escape(text, quote=False) == item.raw:

            def raw_of(a, b, text=text):
                return escape(text[a:b], quote=False)

        else:
            raws = _raw_characters(item, cuts)

            def raw_of(a, b, raws=raws):
                return "".join(raws[a:b])

        opened = []
        position = 0
        for cut in cuts:
            advance_to(begin + position)
            # Outside <pre> a "\n" is a block separator: never wrapped.
            wanted = () if not item.in_pre and text[position] == "\n" else active
            common = 0
            limit = min(len(opened), len(wanted))
            while common < limit and opened[common] == wanted[common]:
                common += 1
            out.append("</mark>" * (len(opened) - common))
            for rank in wanted[common:]:
                tag = f"<mark{common_attributes[rank]}>" if started[rank] else first_tags[rank]
                out.append(tag)
                started[rank] = True
            opened = list(wanted)
            out.append(raw_of(position, cut))
            position = cut
        out.append("</mark>" * len(opened))
    return "".join(out)
