"""Second chances for a main-content extraction that looks incomplete.

The page's *prose* is the text of its ``<p>`` elements of 60 characters or more
that are not mostly links (``prose_paragraphs``). An extraction is unsure when
it holds less than 60 % of it, or reads as no prose at all (a menu or a page
dump with hardly a sentence: ``reads_as_prose``). Then, in order:

1. ``split_body_chunks``: the article's container often has twins — elements
   with the same tag and class near it, each holding the next part of a body
   split around ads. Their content is gathered, in document order, into one
   container for a new extraction, kept if it holds more text.
2. Still under 45 % of the prose, or no prose at all: a second opinion from a
   readability-style scorer (the one trafilatura ships, ``readability_page``),
   taken when it finds half as much text again, or prose where the first
   extraction found none.

Before those, whether sure or not: ``container_page``, when the extraction
kept the article's paragraphs but left out most of the headings and lists
around them (trafilatura, finding no article container it knows, picks up
loose paragraphs only), the container of those paragraphs is extracted again
on its own, as an ``<article>``.
"""

import copy
import re
from typing import NamedTuple

from lxml import etree
from lxml import html as lxml_html
from trafilatura.readability_lxml import Document as ReadabilityDocument

_SPACES = re.compile(r"\s+")
MIN_PROSE_PARAGRAPH = 60  # characters of a <p> that count as prose
MAX_PROSE_LINK_SHARE = 0.3
# An extraction with less of the page's prose than this may have missed part of a
# split body; with less than UNSURE_SHARE, a second opinion is asked for.
SPLIT_SHARE = 0.6
UNSURE_SHARE = 0.45
TWIN_LEVELS = 3
KEY_CHARS = 80


def _key(text):
    """The first word characters of a text: a paragraph's identity, whatever its spacing.

    (trafilatura's output and the page differ in spaces, and the page holds
    the extractor's marks: ``webpage._mark_repeats``, ``_mark_inline_spaces``.)
    """
    # Only the start is read, unless spaces and punctuation take most of it.
    key = "".join(_WORD.findall(text[: 4 * KEY_CHARS]))[:KEY_CHARS]
    if len(key) < KEY_CHARS and len(text) > 4 * KEY_CHARS:
        key = "".join(_WORD.findall(text))[:KEY_CHARS]
    return key


class Prose(NamedTuple):
    """A paragraph of prose of the page: its element, its text and its key (``_key``)."""

    element: object
    text: str
    key: str


def text_of(element):
    """``element.text_content()``, a third faster: libxml2 writes the text out itself."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def prose_paragraphs(tree):
    """The page's <p> elements that read as prose (``Prose``): long enough, not mostly links."""
    found = []
    for paragraph in tree.iter("p"):
        text = text_of(paragraph)
        if len(text) < MIN_PROSE_PARAGRAPH:
            continue
        text = _SPACES.sub(" ", text).strip()
        if len(text) < MIN_PROSE_PARAGRAPH:
            continue
        linked = sum(len(text_of(link)) for link in paragraph.iter("a"))
        if linked <= MAX_PROSE_LINK_SHARE * len(text):
            found.append(Prose(paragraph, text, _key(text)))
    return found


def is_unsure(text_length, paragraphs, share=UNSURE_SHARE):
    """True if an extraction of `text_length` characters has less than `share` of the prose."""
    return text_length < share * sum(len(prose.text) for prose in paragraphs)


_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？](?=[\s\"'”’»)\]]|$)")
MAX_WORDS_PER_SENTENCE = 100  # past this, text is a menu or a dump, not prose
MIN_DUMP_WORDS = 300


def reads_as_prose(text):
    """False for a long text with hardly a sentence in it (a menu, a page dump)."""
    words = len(_WORD.findall(text))
    if words < MIN_DUMP_WORDS:
        return True
    return words <= MAX_WORDS_PER_SENTENCE * max(1, len(_SENTENCE_END.findall(text)))


def split_body_chunks(tree, body, paragraphs):
    """A page holding the extracted container and its twins, or None if it has none.

    `body` is the first extraction (trafilatura's XML), `paragraphs` the page's
    prose paragraphs. The container is the parent shared by most of the page's
    paragraphs that the extraction kept; its twins have the same tag and class
    and hold prose that the extraction left out.
    """
    kept = _kept_keys(body)
    parents = {}
    for prose in paragraphs:
        if prose.key in kept:
            parent = prose.element.getparent()
            if parent is not None:
                parents[parent] = parents.get(parent, 0) + 1
    if not parents:
        return None
    container = max(parents, key=parents.get)
    signature = (container.get("class") or "").strip()
    if not signature:
        return None
    left_out = {}
    for prose in paragraphs:
        if prose.key not in kept:
            parent = prose.element.getparent()
            if parent is not None and parent is not container:
                left_out[parent] = True
    # Twins sit close to the container: an article loaded below this one shares
    # only a distant ancestor with it.
    near = _ancestors(container, TWIN_LEVELS)
    twins = [
        element
        for element in left_out
        if element.tag == container.tag
        and (element.get("class") or "").strip() == signature
        and near & _ancestors(element, TWIN_LEVELS)
    ]
    if not twins:
        return None
    order = {element: index for index, element in enumerate(tree.iter())}
    chunks = sorted([container, *twins], key=lambda element: order.get(element, 0))
    # One container holding the chunks' content: an extractor looking for the
    # article's container would otherwise stop at the first chunk again.
    page = _new_page(container)
    article = etree.SubElement(etree.SubElement(page, "body"), "article")
    for chunk in chunks:
        chunk = copy.deepcopy(chunk)
        if chunk.text and chunk.text.strip():
            etree.SubElement(article, "p").text = chunk.text
        article.extend(list(chunk))
    return page


def _kept_keys(body):
    kept = {_key("".join(element.itertext())) for element in body.iter("p")}
    kept.discard("")
    return kept


# The container of the kept paragraphs holds this share of their text.
CONTAINER_SHARE = 0.8
# Its headings and list items hold this many characters, and the extraction
# has less than half as much in headings and list items: they were left out.
MIN_STRUCTURE_CHARS = 50
_STRUCTURE = ("h2", "h3", "h4", "h5", "h6", "li")


def container_page(body, paragraphs):
    """A page holding the container of the extraction's paragraphs, or None.

    None unless the container's headings and list items are mostly missing
    from the extraction (`body`, trafilatura's XML); `paragraphs` are the
    page's prose paragraphs. The container is the nearest element holding 80 %
    of the kept paragraphs' text, starting from their most common parent.
    """
    kept = _kept_keys(body)
    sizes = [(prose.element, len(prose.text)) for prose in paragraphs if prose.key in kept]
    by_parent = {}  # the kept prose's text under each parent
    for paragraph, size in sizes:
        parent = paragraph.getparent()
        if parent is not None:
            by_parent[parent] = by_parent.get(parent, 0) + size
    if not by_parent:
        return None
    start = max(by_parent, key=by_parent.get)
    # The text under each ancestor of `start`: each paragraph counts for the
    # nearest one it is inside, and for all above it.
    chain = [start, *start.iterancestors()]
    level = {element: index for index, element in enumerate(chain)}
    nearest = [0] * len(chain)
    for paragraph, size in sizes:
        for ancestor in paragraph.iterancestors():
            index = level.get(ancestor)
            if index is not None:
                nearest[index] += size
                break
    total, within = sum(by_parent.values()), 0
    for container, inside in zip(chain, nearest, strict=True):
        if container is not start and container.tag in ("body", "html"):
            return None
        within += inside
        if within >= CONTAINER_SHARE * total:
            break
    else:
        return None
    structure = sum(_size(element) for element in container.iter(*_STRUCTURE))
    found = sum(_size(element) for element in body.iter("head", "item"))
    if structure < MIN_STRUCTURE_CHARS or found >= structure / 2:
        return None
    content = copy.deepcopy(container)
    page = _new_page(container)
    etree.SubElement(etree.SubElement(page, "body"), "article").append(content)
    return page


def _new_page(element):
    """An empty ``<html>`` of a document of its own, made by `element`'s parser.

    The page's parser looks its elements up in C; lxml.html's own calls back
    into Python for every element that trafilatura touches, and it touches
    each many times.
    """
    return element.getroottree().parser.makeelement("html")


def kept_prose(body, paragraphs):
    """The keys of the page's prose paragraphs that an extraction (its XML `body`) kept."""
    kept = _kept_keys(body)
    return {prose.key for prose in paragraphs if prose.key in kept}


def _size(element):
    return len(_SPACES.sub(" ", "".join(element.itertext())).strip())


def _ancestors(element, levels):
    found = set()
    for _ in range(levels):
        element = element.getparent()
        if element is None:
            break
        found.add(element)
    return found


def readability_page(tree):
    """The page's main content according to a readability-style scorer, as a page, or None."""
    try:
        summary = ReadabilityDocument(copy.deepcopy(tree), min_text_length=25).summary()
        return lxml_html.document_fromstring(summary, parser=tree.getroottree().parser)
    except (etree.LxmlError, ValueError, TypeError):
        return None
