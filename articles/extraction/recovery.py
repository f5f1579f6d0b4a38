"""Second chances for a main-content extraction that looks incomplete.

The first extraction is *unsure* when it holds much less text than the page's
paragraphs of prose (``prose_chars``): a body split into several containers
around ads, or a sidebar taken for the article. Then, in order:

1. ``split_body_chunks``: the article's container often has twins — elements
   with the same tag and class elsewhere in the page, each holding the next
   part of the text. They are gathered, in document order, for a new extraction.
2. A second opinion from a readability-style extractor (the one trafilatura
   ships) on the whole page, taken when it finds clearly more text and keeps
   most of what the first extraction found, or when the first found almost
   nothing of the page's prose.
"""

import copy
import re

from lxml import etree
from lxml import html as lxml_html

_SPACES = re.compile(r"\s+")
MIN_PROSE_PARAGRAPH = 60  # characters of a <p> that count as prose
MAX_PROSE_LINK_SHARE = 0.3
UNSURE_SHARE = 0.45  # an extraction with less of the page's prose than this is unsure
KEY_CHARS = 80


def _key(text):
    return _SPACES.sub(" ", text).strip()[:KEY_CHARS]


def prose_paragraphs(tree):
    """The page's <p> elements that read as prose: long enough, not mostly links."""
    found = []
    for paragraph in tree.iter("p"):
        text = paragraph.text_content()
        if len(text) < MIN_PROSE_PARAGRAPH:
            continue
        text = _SPACES.sub(" ", text).strip()
        if len(text) < MIN_PROSE_PARAGRAPH:
            continue
        linked = sum(len(link.text_content()) for link in paragraph.iter("a"))
        if linked <= MAX_PROSE_LINK_SHARE * len(text):
            found.append((paragraph, text))
    return found


def is_unsure(text_length, paragraphs):
    prose = sum(len(text) for _, text in paragraphs)
    return text_length < UNSURE_SHARE * prose


def split_body_chunks(tree, body, paragraphs):
    """A page holding the extracted container and its twins, or None if it has none.

    `body` is the first extraction (trafilatura's XML), `paragraphs` the page's
    prose paragraphs. The container is the parent shared by most of the page's
    paragraphs that the extraction kept; its twins have the same tag and class
    and hold prose that the extraction left out.
    """
    kept = {_key("".join(element.itertext())) for element in body.iter("p")}
    kept.discard("")
    parents = {}
    for paragraph, text in paragraphs:
        if _key(text) in kept:
            parent = paragraph.getparent()
            if parent is not None:
                parents[parent] = parents.get(parent, 0) + 1
    if not parents:
        return None
    container = max(parents, key=parents.get)
    signature = (container.get("class") or "").strip()
    if not signature:
        return None
    left_out = {}
    for paragraph, text in paragraphs:
        if _key(text) not in kept:
            parent = paragraph.getparent()
            if parent is not None and parent is not container:
                left_out[parent] = True
    twins = [
        element
        for element in left_out
        if element.tag == container.tag and (element.get("class") or "").strip() == signature
    ]
    if not twins:
        return None
    order = {element: index for index, element in enumerate(tree.iter())}
    chunks = sorted([container, *twins], key=lambda element: order.get(element, 0))
    # One container holding the chunks' content: an extractor looking for the
    # article's container would otherwise stop at the first chunk again.
    page = lxml_html.Element("html")
    article = etree.SubElement(etree.SubElement(page, "body"), "article")
    for chunk in chunks:
        chunk = copy.deepcopy(chunk)
        if chunk.text and chunk.text.strip():
            etree.SubElement(article, "p").text = chunk.text
        article.extend(list(chunk))
    return page


def readability_page(tree):
    """The page's main content according to a readability-style scorer, as a page, or None."""
    try:
        from trafilatura.readability_lxml import Document
    except ImportError:  # pragma: no cover - trafilatura always ships it
        return None
    try:
        summary = Document(copy.deepcopy(tree), min_text_length=25).summary()
        page = lxml_html.document_fromstring(summary)
    except (etree.LxmlError, ValueError, TypeError):
        return None
    return page
