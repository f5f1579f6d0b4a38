"""The reader HTML's normal form, and the canonical text derived from it.

Highlights are stored as offsets into an article's *canonical text*, and the
browser must compute the same offsets from the DOM it renders. So the rule is
deliberately one a browser can follow without any knowledge of CSS:

    The canonical text is the concatenation, in document order, of the data
    of every text node of the stored reader HTML. Nothing is added, removed
    or collapsed when it is read; offsets count Unicode code points.

For that text to be readable and stable, the stored HTML is put into a normal
form once, at extraction time (``normalise_html``):

1. Outside ``<pre>``, every run of ASCII whitespace collapses to one space;
   whitespace at the start or end of a block, or after a space or a line
   break, is dropped.
2. Consecutive block boundaries (a paragraph, heading, list item, table cell
   and so on opening or closing) become exactly one ``"\\n"`` text node,
   placed just before the next block's start tag or the next text; a ``<br>``
   is followed by one ``"\\n"`` too. The text never starts or ends with one.
3. Inside ``<pre>``, text is kept verbatim except that leading and trailing
   newlines of the block are dropped (a browser drops a newline right after
   ``<pre>`` anyway).
4. Carriage returns become ``"\\n"``; other control characters are removed.
5. ``href``/``src`` values that are not absolute http(s) (or ``mailto:`` for
   links) are dropped, as a second line of defence behind the sanitiser.

The input must already be sanitised, well-formed HTML (nh3's output), so a
tokenizer sees the same tree a browser builds: every element is closed
explicitly and nothing is left to the parser's error recovery.
"""

import re
from html import escape, unescape
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
VOID_TAGS = frozenset({"br", "hr", "img", "col", "wbr"})

_WHITESPACE = re.compile(r"[ \t\n\f\r]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL_ATTRIBUTES = {"href": ("http://", "https://", "mailto:"), "src": ("http://", "https://")}


def _escape_text(text):
    return escape(text, quote=False)


def _safe_url(attribute, value):
    allowed = _URL_ATTRIBUTES[attribute]
    return value.strip().lower().startswith(allowed)


class _Normaliser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []  # markup and escaped text, in document order
        self.text = []  # the canonical text, piece by piece
        self.text_at = []  # self.text[i] is escaped at self.out[self.text_at[i]]
        self.pending_break = False
        self.pre_depth = 0
        self.pre_has_text = False
        self.pre_starts_at = 0
        self.verbatim_until = 0  # text pieces before this index belong to a closed <pre>

    def _last_char(self):
        for piece in reversed(self.text):
            if piece:
                return piece[-1]
        return ""

    def _emit_text(self, text):
        self.text.append(text)
        self.text_at.append(len(self.out))
        self.out.append(_escape_text(text))

    def _flush_break(self):
        if self.pending_break and self._last_char() not in ("", "\n"):
            self._emit_text("\n")
        self.pending_break = False

    def _trim_trailing(self, chars, floor=None):
        """Drop trailing `chars` from the latest text pieces, down to piece `floor`.

        Never below the end of the last <pre>: its text is verbatim.
        """
        floor = self.verbatim_until if floor is None else max(floor, self.verbatim_until)
        for index in range(len(self.text) - 1, floor - 1, -1):
            piece = self.text[index].rstrip(chars)
            if piece != self.text[index]:
                self.text[index] = piece
                self.out[self.text_at[index]] = _escape_text(piece)
            if piece:
                return

    def handle_starttag(self, tag, attrs):
        # Inside <pre> the text is verbatim: no boundaries are added or trimmed.
        in_pre = self.pre_depth > 0
        if tag in BLOCK_TAGS and not in_pre:
            self._trim_trailing(" ")
            self.pending_break = True
            self._flush_break()
        if tag == "pre":
            self.pre_depth += 1
            if not in_pre:
                self.pre_has_text = False
                self.pre_starts_at = len(self.text)
        self.out.append(self._start_tag(tag, attrs))
        if tag in ("br", "hr") and not in_pre:
            self._trim_trailing(" ")  # a space before a line break is invisible
            self.pending_break = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
            if not self.pre_depth:
                self._trim_trailing("\n", floor=self.pre_starts_at)
                if any(self.text[self.pre_starts_at :]):  # an empty <pre> protects nothing
                    self.verbatim_until = len(self.text)
        if tag in BLOCK_TAGS and not self.pre_depth:
            if tag != "pre":  # a <pre>'s own text is verbatim, trailing spaces too
                self._trim_trailing(" ")
            self.pending_break = True
        self.out.append(f"</{tag}>")

    def handle_data(self, data, controls=True):
        if controls:  # False when the caller knows `data` has no "\r" nor control character
            data = _CONTROL.sub("", data.replace("\r\n", "\n").replace("\r", "\n"))
        if self.pre_depth:
            if not self.pre_has_text:
                data = data.lstrip("\n")
            if data:
                self.pre_has_text = True
                self._emit_text(data)
            return
        data = _WHITESPACE.sub(" ", data)
        if self.pending_break or self._last_char() in ("", " ", "\n"):
            data = data.lstrip(" ")
        if data:
            self._flush_break()
            self._emit_text(data)

    def _start_tag(self, tag, attrs):
        parts = [tag]
        for name, value in attrs:
            value = value or ""
            if name in _URL_ATTRIBUTES and not _safe_url(name, value):
                continue
            parts.append(f'{name}="{escape(value, quote=True)}"')
        return "<" + " ".join(parts) + ">"

    def result(self):
        self.close()
        self._trim_trailing(" \n")
        return "".join(self.out), "".join(self.text)


def normalise_html(html):
    """Return (normal-form HTML, canonical text) for sanitised `html`."""
    normaliser = _Normaliser()
    tokens = _simple_tokens(html)
    if tokens is None:
        normaliser.feed(html)
    else:
        # Control characters are looked for once in the markup, not in each text,
        # except where a character reference may stand for one.
        controls = "\r" in html or bool(_CONTROL.search(html))
        for end, tag, attributes, text in tokens:
            if text:
                if "&" in text:
                    normaliser.handle_data(unescape(text))
                else:
                    normaliser.handle_data(text, controls)
            elif end:
                normaliser.handle_endtag(tag)
            else:
                normaliser.handle_starttag(tag, _attributes(attributes))
    return normaliser.result()


# The markup a sanitiser writes: lower-case tags, double-quoted attribute
# values, "<" escaped in text; no comments, doctypes or raw-text elements. Such
# markup is read with one regular expression, tags and text as HTMLParser
# reports them (text whole between two tags, references unescaped), several
# times faster than HTMLParser; anything else goes to HTMLParser itself.
_SIMPLE_TOKEN = re.compile(
    r'<(/?)([a-z][a-z0-9]*)((?:[ \t\n\r\f]+[a-z][a-z0-9_:.-]*(?:="[^"<]*")?)*)[ \t\n\r\f]*>'
    r"|([^<]+)"
)
_SIMPLE_ATTRIBUTE = re.compile(r'([a-z][a-z0-9_:.-]*)(?:="([^"]*)")?')


def _simple_tokens(html):
    """(end?, tag, attributes, text) for each tag and text of `html`, or None if not simple."""
    tokens = []
    position = 0
    for match in _SIMPLE_TOKEN.finditer(html):
        if match.start() != position:
            return None
        position = match.end()
        tokens.append(match.groups())
    return tokens if position == len(html) else None


def _attributes(markup):
    if not markup:
        return []
    return [
        (name, None if value is None else unescape(value) if "&" in value else value)
        for name, value in _SIMPLE_ATTRIBUTE.findall(markup)
    ]


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def canonical_text(html):
    """The canonical text of normal-form reader HTML: all its text, concatenated."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)
