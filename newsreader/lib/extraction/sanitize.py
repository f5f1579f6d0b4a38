"""Sanitising untrusted HTML: an nh3 allow-list, and a bound on nesting depth.

Imported HTML is hostile until proven otherwise. It is sanitised once, when it
is imported, and only the sanitised form is ever rendered. The allow-list keeps
what a reader view needs (text structure, links, images, tables) and nothing
that can run code, load active content, style the page or talk to htmx:
no ``style``, no ``class``/``id``, no ``data-*``/``hx-*``, no forms, iframes,
SVG or MathML, and URLs only with the http, https or mailto schemes.
"""

import contextlib

import nh3
from lxml import etree

from newsreader.lib.extraction.errors import ExtractionError

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
)
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Removed together with everything inside them (other disallowed tags are
# unwrapped and keep their text).
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "form",
        "select",
        "textarea",
        "button",
        "audio",
        "video",
        "canvas",
        "head",
        "title",
    ]
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# nh3 (ammonia) slows down super-linearly on deeply nested input (see
# TOOLCHAIN: 20,000 levels of <div> take ~2 s, 100,000 take minutes), and
# libxml2, which trafilatura parses with, silently stops at 256 levels. No real
# article nests anywhere near this deep.
MAX_NESTING_DEPTH = 250


def check_nesting_depth(html, limit=MAX_NESTING_DEPTH):
    """Raise ExtractionError if `html` nests elements more than `limit` deep.

    Uses libxml2's streaming HTML parser, so implied end tags (an unclosed
    <p> or <li>) count the way a browser would count them, in linear time.
    """
    parser = etree.HTMLPullParser(events=("start", "end"), recover=True, huge_tree=True)
    depth = 0
    for offset in range(0, len(html), 65536):
        parser.feed(html[offset : offset + 65536])
        for event, _element in parser.read_events():
            depth += 1 if event == "start" else -1
            if depth > limit:
                raise ExtractionError(f"The HTML nests elements more than {limit} levels deep.")
    # Nothing parseable at all is not deep; the caller will find no text in it.
    with contextlib.suppress(etree.XMLSyntaxError):
        parser.close()


def sanitise_html(html, check_depth=True):
    """Return `html` cleaned down to the reader allow-list.

    `check_depth` False is for HTML serialised from libxml2's trees (a web
    page's extraction): libxml2 stops at 256 levels, and the page's own depth
    was checked when it was parsed.
    """
    if check_depth:
        check_nesting_depth(html)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
