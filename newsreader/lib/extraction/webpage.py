"""Main content and metadata of a web page, with trafilatura doing the heavy lifting.

The page is parsed once. Its metadata is read from that tree (``metadata``);
image captions are folded into the images (and shown under them as figures,
``_figure``) and embedded posts let through (``boilerplate``); what never holds
an article (scripts, navigation, asides, footers, headers, form controls, what
the browser hides, interface widgets) is deleted, repeated paragraphs are
told apart (``_mark_repeats``), and the space between two inline elements of a
paragraph is marked so that it survives (``_mark_inline_spaces``). trafilatura
then finds the main content in its fast mode, and ``boilerplate.clean_body``
removes the furniture it let through. When the result looks incomplete —
much less text than the page's paragraphs of prose, or no prose at all —
``recovery`` gathers the parts of a split body or asks a readability-style
extractor for a second opinion.
"""

import copy
import functools
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS, is_dubious_html

from newsreader.lib.extraction.boilerplate import clean_body, fold_captions, keep_embedded_posts
from newsreader.lib.extraction.errors import ExtractionError
from newsreader.lib.extraction.metadata import read_metadata
from newsreader.lib.extraction.recovery import (
    MIN_PROSE_PARAGRAPH,
    SPLIT_SHARE,
    container_page,
    is_unsure,
    kept_prose,
    prose_paragraphs,
    readability_page,
    reads_as_prose,
    split_body_chunks,
    text_of,
)
from newsreader.lib.extraction.sanitize import MAX_NESTING_DEPTH

# Below this many characters of text, trafilatura's answer is treated as a
# miss (a teaser, a cookie notice) and the fallbacks get a chance.
MIN_CONTENT_CHARS = 250

# Elements that are page furniture wherever they appear, for the last-resort
# fallback that reads the page's <article>, <main> or <body> directly.
_FURNITURE = (
    "//nav | //header | //footer | //aside | //form | //script | //style | //noscript"
    " | //iframe | //template | //button | //select | //textarea | //svg"
    " | //*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary']"
    " | //*[@aria-hidden='true'] | //*[@hidden]"
)


@dataclass
class WebPage:
    body_html: str
    title: str = ""
    byline: str = ""
    site_name: str = ""
    published: date | None = None
    language: str = ""
    lead_image: str = ""
    description: str = ""


def _text_length(fragment):
    # Text nodes joined with a space: adjacent blocks' words do not run together.
    root = lxml_html.fromstring(f"<div>{fragment}</div>")
    return len(" ".join(" ".join(root.itertext()).split()))


# trafilatura's internal XML → HTML. Its own converter turns every <code>
# into <pre>, which breaks paragraphs around inline code; this one does not.
_SIMPLE_TAGS = {"item": "li", "quote": "blockquote", "lb": "br", "row": "tr", "graphic": "img"}
_HIGHLIGHT_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "kbd", "#sub": "sub", "#sup": "sup"}
_BLOCK_PARENTS = {"body", "div", "item", "quote", "cell", "list"}
_KEPT_ATTRIBUTES = {"a": ("href",), "img": ("src", "alt", "title")}


def _convert_element(element):
    tag = element.tag
    if tag == "head":
        level = (element.get("rend") or "h3")[1:]
        # The page title is the reader's <h1>; the body's headings sit below it.
        element.tag = f"h{max(2, int(level) if level.isdigit() else 3)}"
    elif tag == "list":
        element.tag = "ol" if element.get("rend") == "ol" else "ul"
    elif tag == "hi":
        element.tag = _HIGHLIGHT_TAGS.get(element.get("rend"), "span")
    elif tag == "ref":
        element.tag = "a"
        element.set("href", element.get("target", ""))
    elif tag == "cell":
        element.tag = "th" if element.get("role") == "head" else "td"
    elif tag == "code":
        parent = element.getparent()
        if parent is not None and parent.tag == "code":
            # <pre><code> arrives as nested code elements: the outer one decides.
            element.tag = "span"
            return
        is_block = "\n" in (element.text or "").strip("\n") or (
            parent is not None and parent.tag in _BLOCK_PARENTS and not (element.tail or "").strip()
        )
        element.tag = "pre" if is_block else "code"
    else:
        element.tag = _SIMPLE_TAGS.get(tag, tag)
    if element.tag in ("img", "br"):
        _close_void(element)  # what trafilatura left inside: HTML would drop it
    keep = _KEPT_ATTRIBUTES.get(element.tag, ())
    for name in element.keys():  # noqa: SIM118 (iterating an element gives its children)
        if name not in keep:
            del element.attrib[name]


def _body_html(document, base_url):
    """Serialise trafilatura's body as HTML, with links resolved against `base_url`."""
    if document is None or document.body is None or len(document.body) == 0:
        return ""
    body = document.body  # converted in place: the extraction is ours
    # Children first, so a <code> is judged by its parent's original tag.
    for element in reversed(list(body.iter(etree.Element))):
        if element is not body:
            _convert_element(element)
    for image in list(body.iter("img")):
        if image.get("title"):
            _figure(image, body)
    if base_url:
        for element in body.iter("a", "img"):
            attribute = "href" if element.tag == "a" else "src"
            value = element.get(attribute)
            if value:
                element.set(attribute, _join_url(base_url, value))
    return "".join(etree.tostring(child, encoding="unicode", method="html") for child in body)


# Blocks a <figure> may stand in, for an image alone in one (a gallery's list items).
_FIGURE_PARENTS = frozenset(("li", "td", "th", "blockquote", "div"))


def _figure(image, body):
    """An image with a caption (its ``title``, from ``fold_captions``) as a <figure>.

    Only where the image stands alone as a block: inside a line of text it
    keeps the caption as its title.
    """
    parent = image.getparent()
    if parent is not body:
        alone = len(parent) == 1 and not (parent.text or "").strip()
        if not alone or (image.tail or "").strip():
            return
        if parent.tag == "p":  # a <figure> cannot sit in a <p>: it takes its place
            parent.addprevious(image)
            image.tail = parent.tail
            parent.getparent().remove(parent)
        elif parent.tag not in _FIGURE_PARENTS:
            return
    figure = etree.Element("figure")
    image.addprevious(figure)
    figure.tail, image.tail = image.tail, None
    figure.append(image)
    etree.SubElement(figure, "figcaption").text = image.attrib.pop("title")


def _join_url(base, value):
    value = value.strip()
    if value.startswith(("https://", "http://")) and "/." not in value:
        return value  # absolute already, no dot segments: what urljoin would give
    try:
        return urljoin(base, value)
    except ValueError:
        return ""


def _trafilatura(tree, url, **options):
    """trafilatura's main content of a parsed page (it works on a copy of the tree).

    Links are resolved later, by ``_body_html``: trafilatura's own resolution is
    slower and its result is the same. The "xml" format only spares trafilatura
    a plain-text rendering of its result that would go unused. Its settings are
    built once per set of options: building them reads a configuration.
    """
    document = trafilatura.bare_extraction(tree, options=_settings(**options))
    if document is not None and document.body is not None:
        _unmark(document.body)
    return document


@functools.lru_cache(maxsize=8)
def _settings(fast=True, favor_recall=False, favor_precision=False):
    return Extractor(
        output_format="xml",
        fast=fast,
        precision=favor_precision,
        recall=favor_recall,
        comments=False,
        tables=True,
        images=True,
        formatting=True,
        links=True,
        with_metadata=False,
    )


# Elements trafilatura deletes with their content in any case (its
# MANUALLY_CLEANED list). Deleting them first, in one pass in C, spares it
# copying them and walking through them in each of its own passes.
_STRIPPED = (
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "option",
    "textarea",
    "input",
    "link",
    "object",
    "embed",
    "canvas",
    "map",
    "audio",
    "video",
    "nav",
    "aside",
    "footer",
    "menu",
)


# A container (with elements inside) followed by text of its own parent: the
# text after a figure's frame, say. trafilatura drops such text with the
# container, so it becomes a paragraph, with the inline elements after it.
_CONTAINERS = ("div", "section", "article", "main")
_INLINE = frozenset(
    ("a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "font")
    + ("i", "img", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub")
    + ("sup", "time", "u", "var")
)


# A table holding paragraphs of prose lays out a page: its cells are columns
# and boxes, not data. trafilatura reads a table as data (lists in its cells
# dropped, tables nested in its cells lost), so such a table becomes blocks.
_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")


def _unquote_tables(tree):
    """Unwrap a quote around a table (an old way to indent it), in place.

    trafilatura read a table inside a quote as the quote's text: the cells ran
    together, the ones without links lost.
    """
    for quote in list(tree.iter("blockquote")):
        if next(quote.iter("table"), None) is not None:
            quote.drop_tag()


def _unwrap_layout_tables(tree):
    """Tables holding paragraphs of prose become blocks, in place."""
    for table in list(tree.iter("table")):
        if any(_text_size(paragraph) >= MIN_PROSE_PARAGRAPH for paragraph in table.iter("p")):
            # Its own rows and cells: a table inside one of its cells is judged alone.
            for element in list(table.iter(*_TABLE_PARTS)):
                if next(element.iterancestors("table")) is table:
                    element.tag = "div"
            table.tag = "div"


def _wrap_loose_text(tree):
    """Wrap the text after a container, and the inline elements after it, in a <p>."""
    # A walk in Python: three times faster here than the XPath query.
    loose = [
        element
        for element in tree.iter(*_CONTAINERS)
        if element.tail and not element.tail.isspace() and len(element)
    ]
    for container in loose:
        paragraph = container.makeelement("p")
        paragraph.text, container.tail = container.tail, None
        following = container.getnext()
        container.addnext(paragraph)
        while following is not None and following.tag in _INLINE:
            element, following = following, following.getnext()
            paragraph.append(element)


# trafilatura leaves out a block whose text it has already taken, so an
# article's repeated lines (a refrain, a chorus, a paragraph said twice) lost
# their repeats. A repeat among siblings is made distinct by word joiners —
# invisible, and dropped from trafilatura's output with the other format
# characters — one more for each repeat.
_REPEAT_MARK = "\u2060"
_REPEAT_BLOCKS = ("p", "div", "li", "blockquote", "pre", "h2", "h3", "h4", "h5", "h6", "dd")
MIN_REPEAT_CHARS = 2
_INNER_BLOCKS = frozenset(("div", "p", "ul", "ol", "table", "section", "article", "blockquote"))


def _mark_repeats(tree):
    """Make the text of repeated sibling blocks distinct for trafilatura, in place."""
    seen = {}
    for block in tree.iter(*_REPEAT_BLOCKS):
        if block.tag == "div" and any(inner.tag in _INNER_BLOCKS for inner in block):
            continue  # a container: its own blocks are compared among themselves
        text = text_of(block)
        if len(text) < MIN_REPEAT_CHARS:
            continue
        key = (block.getparent(), block.tag, text.strip())
        repeats = seen.get(key, 0)
        seen[key] = repeats + 1
        if repeats:
            block.text = _REPEAT_MARK * repeats + (block.text or "")


# trafilatura trims every tail, so the lone space between two inline elements
# ("<em>on Netflix</em> <em>and</em>") disappears and the words run together;
# a link whose tail it trims to nothing is dropped too. Such a space becomes a
# mark trafilatura keeps as text — printable, or it would be removed as a
# control character — and a space again in its output.
_SPACE_MARK = "\u2e3b\u2e3a"
_SPACED = tuple(_INLINE - {"br", "img"})


def _mark_inline_spaces(tree):
    """Keep the whitespace between two inline elements of a paragraph through trafilatura.

    Only inside a <p>: elsewhere the mark would give a share bar's "Share 0"
    or a dateline's "From: Site" text of their own, which trafilatura keeps.
    """
    for paragraph in tree.iter("p"):
        for element in paragraph.iter(*_SPACED):
            tail = element.tail
            if tail and tail.isspace():
                following = element.getnext()
                if following is not None and following.tag in _INLINE and following.tag != "br":
                    element.tail = _SPACE_MARK


def _unmark(root):
    """Undo ``_mark_repeats`` and ``_mark_inline_spaces`` in an extraction, in place."""
    # A walk in Python: faster here than a query for the marked text nodes.
    for element in root.iter():
        text, tail = element.text, element.tail
        if text and (_REPEAT_MARK in text or _SPACE_MARK in text):
            element.text = _unmarked(text)
        if tail and (_REPEAT_MARK in tail or _SPACE_MARK in tail):
            element.tail = _unmarked(tail)


def _unmarked(text):
    return text.replace(_REPEAT_MARK, "").replace(_SPACE_MARK, " ")


def _strip_furniture(tree):
    """Delete what never holds the article (scripts too: the metadata has been read).

    A <header> goes too — the site's, and the article's (its headline, byline
    and date are in the metadata) — except an article header holding both the
    <h1> and an image: the lead image stays in the body.
    """
    # The metadata has been read: JSON-LD scripts and the <head> have served,
    # and every extraction pass would copy them and search them again.
    etree.strip_elements(tree, "script", *_STRIPPED, with_tail=False)
    head = tree.find("head")
    if head is not None:
        head.clear()
    _strip_hidden_and_controls(tree)
    for header in list(tree.iter("header")):
        lead_image = next(header.iter("h1"), None) is not None and (
            next(header.iter("img"), None) is not None
        )
        if header.getparent() is not None and not lead_image:
            header.drop_tree()


# What a browser does not show (hidden, display: none) and the parts of a
# page's interface (a video player's menus and dialogs, toolbars, tabs): what a
# reader would not read as part of the article.
_CONTROL_ROLES = frozenset(
    (
        *("menu", "menubar", "menuitem", "menuitemcheckbox", "menuitemradio"),
        *("dialog", "alertdialog", "toolbar", "tablist", "tooltip"),
        *("slider", "progressbar", "button", "navigation", "search"),
    )
)
_NO_DISPLAY = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


# The attributes that can hide an element or make it a control: an element
# without any (most of them) is passed over after one look at its names.
_HIDING_ATTRIBUTES = frozenset(("role", "aria-hidden", "hidden", "style"))


def _is_hidden_or_control(element):
    names = element.keys()
    if not names or _HIDING_ATTRIBUTES.isdisjoint(names):
        return False
    style = element.get("style")
    return (
        element.get("role") in _CONTROL_ROLES
        or element.get("aria-hidden") == "true"
        or element.get("hidden") is not None
        or (style is not None and bool(_NO_DISPLAY.search(style)))
    )


# Hiding most of a page's text is a page that shows its article by script:
# then nothing is taken for hidden.
MAX_HIDDEN_SHARE = 0.75


def _strip_hidden_and_controls(tree):
    """Delete the hidden elements and widgets of the body, unless they are most of its text.

    One walk in Python with attribute lookups: faster here than XPath's tests.
    """
    body = tree.find(".//body")
    if body is None:
        return
    found = {element for element in body.iter(etree.Element) if _is_hidden_or_control(element)}
    if not found:
        return
    outer = [element for element in found if not any(a in found for a in element.iterancestors())]
    hidden = sum(_text_size(element) for element in outer)
    if hidden and hidden > MAX_HIDDEN_SHARE * _text_size(tree):
        return
    for element in outer:
        if element.getparent() is not None:
            element.drop_tree()


def _parse(html):
    """The page as an lxml tree (trafilatura's parser and repairs), or None.

    trafilatura gives up on a fragment with a single root element (Omnivore
    stores every article as one ``<div class="page">``; a lone ``<p>``), so
    such a fragment is parsed again inside a document of its own. The tree is
    then repaired where libxml2's HTML parser goes wrong (``_repair``).
    """
    tree = _load(html) if _DOCUMENT.search(html) else None
    if tree is not None and tree.tag != "html":
        # lxml parsed the whole document and handed back the body's one element
        # (a page wrapped in an element of its own): the document is the page.
        root = tree.getroottree().getroot()
        if root.tag == "html":
            tree = root
    if tree is None or tree.tag != "html":
        wrapped = _load(f"<html><body>{html}</body></html>")
        if wrapped is not None and (tree is None or _text_size(wrapped) >= _text_size(tree)):
            tree = wrapped
    if tree is not None:
        _check_depth(tree)
        _repair(tree, odd_names=bool(_ODD_NAME.search(html)))
    return tree


_PLAIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
# A start tag whose name is not a plain one: only then is every element's name
# looked at (a walk through the whole tree in Python).
_ODD_NAME = re.compile(r"<[A-Za-z][A-Za-z0-9_.-]*[^A-Za-z0-9_.\-\s/>]")
_DOCUMENT = re.compile(r"<(?:html|head|body|frameset)[\s>/]", re.I)


# trafilatura's parser settings, with one change: every element is an
# HtmlElement, chosen in C. lxml.html's own lookup calls back into Python for
# each element the code touches, and the extraction touches each many times.
_PARSER = lxml_html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(element=lxml_html.HtmlElement))


def _load(html):
    """The page parsed as trafilatura's ``load_html`` parses a string, or None."""
    beginning = html[:50].lower()
    html = _repaired(html, beginning)
    try:
        try:
            tree = lxml_html.fromstring(html, parser=_PARSER)
        except ValueError:  # a str with an XML encoding declaration
            tree = None
        if tree is None or len(tree) < 1:  # bytes, as trafilatura tries next
            tree = lxml_html.fromstring(html.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.LxmlError, ValueError, TypeError):
        return None
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # not HTML at all
    return tree


# The characters trafilatura's repair removes (libxml2 refuses them).
_INVALID_CHARS = tuple(
    chr(code) for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)
)
# A doctype is short; past this many characters the line is not read as one.
MAX_DOCTYPE_CHARS = 1024


def _repaired(html, beginning):
    """The page with trafilatura's repairs of its markup (``repair_faulty_html``, 2.3).

    The same three repairs, with its regular expressions, but each only where
    it has something to do, and in linear time:

    - the characters libxml2 refuses are removed: each is looked for in turn
      first, which is several times faster than the expression over the page
      (a third of the cost of parsing it), and a page seldom has any;
    - a doctype holding a slash, on the first line, is removed (libxml2
      misreads it): only the line's first ``MAX_DOCTYPE_CHARS`` characters are
      read, for on a long line of slashes the expression takes quadratic time
      (minutes for a hostile page of a megabyte);
    - a self-closing ``<html/>`` in the first four lines is opened.

    (trafilatura also ends a page without a line break with one: whitespace
    after the document, which the parser drops.)
    """
    if any(char in html for char in _INVALID_CHARS):
        html = INVALID_XML_CHARS.sub("", html)
    if "doctype" in beginning:
        line_end = html.find("\n")
        end = min(MAX_DOCTYPE_CHARS, len(html) if line_end < 0 else line_end)
        doctype = DOCTYPE_TAG.match(html, 0, end)
        if doctype:
            html = html[doctype.end() :]
    lines = html[:4096].splitlines()[:4]
    if any("<html" in line and line.endswith("/>") for line in lines):
        html = FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


_TEXT_SIZE = etree.XPath("string-length(normalize-space(.))")


def _text_size(element):
    """The length of an element's text with its spaces collapsed (counted in C)."""
    return int(_TEXT_SIZE(element))


def _check_depth(tree):
    """Refuse a page nesting elements deeper than the sanitiser can take.

    libxml2 stops building the tree at 256 levels and drops the rest of the
    page without a word: a page as deep as the limit has lost its end.
    """
    if _TOO_DEEP(tree):
        raise ExtractionError(f"The HTML nests elements more than {MAX_NESTING_DEPTH} levels deep.")


# An element below that depth: one step down per level, each element met once.
_TOO_DEEP = etree.XPath("boolean(/" + "/".join(["*"] * (MAX_NESTING_DEPTH + 1)) + ")")


# Void elements libxml2 does not know: it makes everything after one its
# children, so deleting the element (as trafilatura deletes an <embed>)
# deleted the rest of the article with it.
_UNKNOWN_VOIDS = ("embed", "source", "track", "wbr", "keygen", "command")


def _repair(tree, odd_names=True):
    """Undo libxml2's HTML parser's mistakes, in place.

    - what it put inside a void element goes back after it;
    - namespaced elements (Word's ``o:p``, ``st1:place``, ``fb:like``,
      ``g:plusone``) and any other whose name is not a plain one (``<a<``)
      are unwrapped: their text stays, and no later step meets a tag name
      lxml refuses to set;
    - a frameset's ``<noframes>`` text, which it leaves as escaped markup,
      becomes the body.
    """
    for element in list(tree.iter(*_UNKNOWN_VOIDS)):
        _close_void(element)
    if odd_names:
        for element in list(tree.iter(etree.Element)):
            if not _PLAIN_NAME.match(element.tag) and element.getparent() is not None:
                element.drop_tag()
    frameset = next(tree.iter("frameset"), None)
    if frameset is not None and next(tree.iter("body"), None) is None:
        _frameset_body(tree, frameset)


def _close_void(element):
    """Move what is inside a void element (its text, its children) to just after it."""
    parent = element.getparent()
    if parent is None or (not len(element) and not element.text):
        return
    children = list(element)
    text, tail = element.text, element.tail
    element.text = None
    element.tail = text
    index = parent.index(element)
    for offset, child in enumerate(children, start=1):
        parent.insert(index + offset, child)
    last = children[-1] if children else element
    last.tail = (last.tail or "") + (tail or "") or None


def _frameset_body(tree, frameset):
    body = etree.SubElement(tree, "body")
    for noframes in frameset.iter("noframes"):
        markup = (noframes.text or "") + "".join(
            etree.tostring(child, encoding="unicode") for child in noframes
        )
        if markup.strip():
            content = lxml_html.fragment_fromstring(markup, create_parent="div")
            body.append(content)
    frameset.getparent().remove(frameset)
    _check_depth(tree)  # the <noframes> markup is parsed here: it was not checked
    if not len(body):
        sources = [frame.get("src") for frame in frameset.iter("frame") if frame.get("src")]
        raise ExtractionError(
            "The page is a frameset: its text is in the pages of its frames"
            + (f" ({', '.join(sources[:5])})." if sources else ".")
        )


def _whole_page(tree, base_url):
    """Last resort: the page's <article>, <main> or <body> without its furniture."""
    tree = copy.deepcopy(tree)
    for element in tree.xpath(_FURNITURE):
        if element.getparent() is not None:
            element.drop_tree()
    container = next(iter(tree.xpath("//article | //main | //body")), tree)
    _unmark(container)
    if base_url:
        container.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    return etree.tostring(container, encoding="unicode", method="html")


def _text(document):
    if document is None or document.body is None:
        return ""
    # Text nodes joined with a space: a paragraph's last sentence ends where the
    # next paragraph starts, and reads_as_prose counts it only before a space.
    return " ".join(" ".join(document.body.itertext()).split())


def _text_chars(document):
    return len(_text(document))


def _cleaned(document, url, meta):
    if document is not None:
        clean_body(document.body, meta.title, url, meta.description)
    return document


def _main_content(tree, url, meta):
    """trafilatura's extraction, cleaned, and its text; second chances when it looks incomplete.

    The article's headings and lists mostly missing: its container again, on
    its own (``container_page``), taken if that finds more text. Unsure: less
    than 60 % of the text of the page's paragraphs of prose (a split body?),
    less than 45 % after gathering its parts (the wrong container?), or no
    prose at all (a menu or a page dump).
    """
    document = _cleaned(_trafilatura(tree, url), url, meta)
    if document is None:
        return None, ""
    text = _text(document)
    paragraphs = prose_paragraphs(tree)
    page = container_page(document.body, paragraphs)
    if page is not None:
        whole = _cleaned(_trafilatura(page, url), url, meta)
        whole_text = _text(whole)
        # More text, and every paragraph of prose the first extraction had.
        if len(whole_text) > len(text) and kept_prose(whole.body, paragraphs) >= kept_prose(
            document.body, paragraphs
        ):
            document, text = whole, whole_text
    prose = reads_as_prose(text)
    if prose and not is_unsure(len(text), paragraphs, SPLIT_SHARE):
        return document, text
    page = split_body_chunks(tree, document.body, paragraphs) if prose else None
    if page is not None:
        joined = _cleaned(_trafilatura(page, url), url, meta)
        joined_text = _text(joined)
        if len(joined_text) > len(text):
            document, text = joined, joined_text
    if prose and not is_unsure(len(text), paragraphs):
        return document, text
    page = readability_page(tree)
    if page is not None:
        second = _cleaned(_trafilatura(page, url, favor_recall=True), url, meta)
        other = _text(second)
        if len(other) > 1.5 * len(text) or (other and not prose and reads_as_prose(other)):
            document, text = second, other
    return document, text


def extract_webpage(html, url=""):
    """Return the main content of `html` (unsanitised) with its metadata."""
    tree = _parse(html)
    if tree is None:
        return WebPage(body_html="")
    meta = read_metadata(tree, url)
    fold_captions(tree)
    keep_embedded_posts(tree)
    _strip_furniture(tree)
    _unquote_tables(tree)
    _unwrap_layout_tables(tree)
    _wrap_loose_text(tree)
    _mark_repeats(tree)
    _mark_inline_spaces(tree)
    document, text = _main_content(tree, url, meta)
    if len(text) < MIN_CONTENT_CHARS:
        recall = _cleaned(_trafilatura(tree, url, favor_recall=True), url, meta)
        recall_text = _text(recall)
        if len(recall_text) > len(text):
            document, text = recall, recall_text
    body = _body_html(document, url)
    # Counted again, the figures' captions being text now, unless the text is
    # long: the conversion only adds captions and joins texts (moving a text
    # out of a void element), and each join loses at most the one space between
    # two texts, so at most half the text.
    if len(text) < 2 * MIN_CONTENT_CHARS and _text_chars(document) < MIN_CONTENT_CHARS:
        page = _whole_page(tree, url)
        if _text_length(page) >= _text_length(body):
            body = page
    return WebPage(
        body_html=body,
        title=meta.title,
        byline=meta.byline,
        site_name=meta.site_name,
        published=meta.published,
        language=meta.language,
        lead_image=meta.lead_image,
        description=meta.description,
    )
