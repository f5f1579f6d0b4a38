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


def _without_controls(text):
    """`text` with carriage returns as newlines and other control characters removed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _safe_url(attribute, value):
    allowed = _URL_ATTRIBUTES[attribute]
    return value.strip().lower().startswith(allowed)


def _start_tag(tag, attrs):
    parts = [tag]
    for name, value in attrs:
        value = value or ""
        if name in _URL_ATTRIBUTES and not _safe_url(name, value):
            continue
        parts.append(f'{name}="{escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


def _last_char(text):
    """The last character of the text pieces `text`, "" if there is none."""
    for piece in reversed(text):
        if piece:
            return piece[-1]
    return ""


def _trim_trailing(text, out, text_at, chars, floor):
    """Drop trailing `chars` from the latest text pieces, down to piece `floor`.

    `text[i]` is escaped at `out[text_at[i]]`. Returns the text's new last character.
    """
    for index in range(len(text) - 1, floor - 1, -1):
        piece = text[index].rstrip(chars)
        if piece != text[index]:
            text[index] = piece
            out[text_at[index]] = _escape_text(piece)
        if piece:
            return piece[-1]
    return _last_char(text)


class _Normaliser(HTMLParser):
    """The normal form, one HTMLParser event at a time.

    Reads any markup HTMLParser can, so it is the reference for the quicker
    reading of simple markup (`_normalise_simple`), which must agree with it.
    """

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

    def _emit_text(self, text):
        self.text.append(text)
        self.text_at.append(len(self.out))
        self.out.append(_escape_text(text))

    def _flush_break(self):
        if self.pending_break and _last_char(self.text) not in ("", "\n"):
            self._emit_text("\n")
        self.pending_break = False

    def _trim_trailing(self, chars, floor=None):
        # Never below the end of the last <pre>: its text is verbatim.
        floor = self.verbatim_until if floor is None else max(floor, self.verbatim_until)
        _trim_trailing(self.text, self.out, self.text_at, chars, floor)

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
        self.out.append(_start_tag(tag, attrs))
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

    def handle_data(self, data):
        data = _without_controls(data)
        if self.pre_depth:
            if not self.pre_has_text:
                data = data.lstrip("\n")
            if data:
                self.pre_has_text = True
                self._emit_text(data)
            return
        data = _WHITESPACE.sub(" ", data)
        if self.pending_break or _last_char(self.text) in ("", " ", "\n"):
            data = data.lstrip(" ")
        if data:
            self._flush_break()
            self._emit_text(data)

    def result(self):
        self.close()
        self._trim_trailing(" \n")
        return "".join(self.out), "".join(self.text)


def normalise_html(html):
    """Return (normal-form HTML, canonical text) for sanitised `html`."""
    tokens = _simple_tokens(html)
    if tokens is None:
        normaliser = _Normaliser()
        normaliser.feed(html)
        return normaliser.result()
    # Control characters are looked for once in the markup, not in each text,
    # except where a character reference may stand for one.
    controls = "\r" in html or bool(_CONTROL.search(html))
    return _normalise_simple(tokens, controls)


# The markup a sanitiser writes: lower-case tags, double-quoted attribute
# values, "<" escaped in text; no comments, doctypes or raw-text elements. Such
# markup is read with one regular expression, tags and text as HTMLParser
# reports them (text whole between two tags, references unescaped), several
# times faster than HTMLParser; anything else goes to HTMLParser itself.
_SIMPLE_TOKEN = re.compile(
    r'<(/?)([a-z][a-z0-9]*)((?:[ \t\n\r\f]+[a-z][a-z0-9_:.-]*(?:="[^"<]*")?)*)[ \t\n\r\f]*>'
    r"|([^<]+)"
    r"|<"  # a "<" that starts no such tag: the markup is not simple
)
_NOT_SIMPLE = ("", "", "", "")  # how findall reports that last alternative: no group took part
_SIMPLE_ATTRIBUTE = re.compile(r'([a-z][a-z0-9_:.-]*)(?:="([^"]*)")?')


def _simple_tokens(html):
    """(end?, tag, attributes, text) for each tag and text of `html`, or None if not simple.

    Groups that did not take part are "", as findall reports them.
    """
    if "<script" in html or "<style" in html:
        return None  # their text is raw (not unescaped): HTMLParser knows them
    tokens = _SIMPLE_TOKEN.findall(html)
    return None if _NOT_SIMPLE in tokens else tokens


def _collapse_whitespace(text):
    """`_WHITESPACE.sub(" ", text)`, quicker, for text `_without_controls` has cleaned.

    In ASCII text without "\r" or other control characters, str.split() splits
    at exactly the whitespace _WHITESPACE matches (space, tab and newline);
    only a space at either edge must be put back.
    """
    if not text.isascii():  # str.split() would split at "\xa0" and others too
        return _WHITESPACE.sub(" ", text)
    inner = " ".join(text.split())
    if not inner:
        return " " if text else ""
    if text[0] in " \t\n":
        inner = " " + inner
    if text[-1] in " \t\n":
        inner += " "
    return inner


def _simple_start_tag(tag, markup):
    """What `_start_tag` writes for a simple start tag with attribute markup `markup`."""
    parts = [tag]
    for name, value in _SIMPLE_ATTRIBUTE.findall(markup):
        # A simple value holds no '"' nor "<"; without "&", ">" or "'" as well,
        # it is its own escaped form (findall reports a missing value as "").
        plain = not ("&" in value or ">" in value or "'" in value)
        if "&" in value:
            value = unescape(value)
        if name in _URL_ATTRIBUTES and not _safe_url(name, value):
            continue
        parts.append(f'{name}="{value if plain else escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


def _normalise_simple(tokens, controls):
    """The normal form of simple markup's tokens: `_Normaliser`'s rules in one loop.

    The same steps as `_Normaliser`'s handlers (tests compare the two), but as
    one loop over local variables, which is much quicker than a method call
    per token, and with the work that cannot change anything skipped: the last
    character of the text is tracked rather than looked up; trailing
    characters are trimmed only when the text ends with one (otherwise there
    is nothing to trim, whatever the floor); whitespace is collapsed only where
    there is some to collapse; and text is escaped only where it holds a
    character that needs it. `controls` is False when the markup has no
    carriage return nor other control character.
    """
    out = []  # markup and escaped text, in document order
    text = []  # the canonical text, piece by piece
    text_at = []  # text[i] is escaped at out[text_at[i]]
    last = ""  # the text's last character, "" while there is none
    pending_break = False
    pre_depth = 0
    pre_has_text = False
    pre_starts_at = 0
    verbatim_until = 0  # text pieces before this index belong to a closed <pre>
    for end, tag, attributes, data in tokens:
        if data:
            # Markup-escaped text holds no "<"; a sanitiser escapes ">" too, so
            # text with neither "&" nor ">" is its own escaped form.
            if "&" in data:
                data = _without_controls(unescape(data))
                plain = False
            else:
                if controls:
                    data = _without_controls(data)
                plain = ">" not in data
            if pre_depth:
                if not pre_has_text:
                    data = data.lstrip("\n")
                if not data:
                    continue
                pre_has_text = True
            else:
                # No "\r" nor "\f" is left at this point: whitespace to
                # collapse is a newline, a tab or two spaces.
                if "\n" in data or "\t" in data or "  " in data:
                    data = _collapse_whitespace(data)
                if pending_break or last in ("", " ", "\n"):
                    data = data.lstrip(" ")
                if not data:
                    continue
                if pending_break:
                    if last not in ("", "\n"):
                        text_at.append(len(out))
                        text.append("\n")
                        out.append("\n")
                    pending_break = False
            text_at.append(len(out))
            text.append(data)
            out.append(data if plain else _escape_text(data))
            last = data[-1]
        elif not end:
            # Inside <pre> the text is verbatim: no boundaries are added or trimmed.
            in_pre = pre_depth > 0
            if tag in BLOCK_TAGS and not in_pre:
                if last == " ":
                    last = _trim_trailing(text, out, text_at, " ", verbatim_until)
                if last not in ("", "\n"):
                    text_at.append(len(out))
                    text.append("\n")
                    out.append("\n")
                    last = "\n"
                pending_break = False
            if tag == "pre":
                pre_depth += 1
                if not in_pre:
                    pre_has_text = False
                    pre_starts_at = len(text)
            out.append(_simple_start_tag(tag, attributes) if attributes else f"<{tag}>")
            if tag in ("br", "hr") and not in_pre:
                if last == " ":  # a space before a line break is invisible
                    last = _trim_trailing(text, out, text_at, " ", verbatim_until)
                pending_break = True
        elif tag not in VOID_TAGS:
            if tag == "pre":
                pre_depth = max(0, pre_depth - 1)
                if not pre_depth:
                    if last == "\n":
                        floor = max(pre_starts_at, verbatim_until)
                        last = _trim_trailing(text, out, text_at, "\n", floor)
                    if any(text[pre_starts_at:]):  # an empty <pre> protects nothing
                        verbatim_until = len(text)
            if tag in BLOCK_TAGS and not pre_depth:
                if tag != "pre" and last == " ":  # a <pre>'s own text is verbatim
                    last = _trim_trailing(text, out, text_at, " ", verbatim_until)
                pending_break = True
            out.append(f"</{tag}>")
    if last in (" ", "\n"):
        _trim_trailing(text, out, text_at, " \n", verbatim_until)
    return "".join(out), "".join(text)


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def canonical_text(html):
    """The canonical text of normal-form reader HTML: all its text, concatenated.

    Simple markup (normal-form HTML is) is read with ``_simple_tokens``;
    anything else by HTMLParser, as a browser's parser would read it.
    """
    tokens = _simple_tokens(html)
    if tokens is not None:
        texts = (token[3] for token in tokens if token[3])
        return "".join(unescape(text) if "&" in text else text for text in texts)
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)
