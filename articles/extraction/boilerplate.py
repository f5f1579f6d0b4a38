"""Page furniture that the main-content extractor lets through, found by signals that
hold on any site.

Two passes around trafilatura:

- ``prune_page(tree, title)`` works on the parsed page before extraction, where the
  markup still says what things are: captions and credits of images, the article's
  header (headline, standfirst, byline, date), and blocks whose class, id or role
  name them as furniture.
- ``clean_body(body)`` works on trafilatura's output (its XML ``<body>``), where
  only text, links and structure are left: boilerplate lines, "Related: …" links,
  trailing link lists, repeated blocks.
"""

import re
from urllib.parse import urlsplit

from .plaintext import _ANNOUNCER, _DECORATION, _ENDS_WITH_CREDIT, _boilerplate_reason

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

# --- Captions -------------------------------------------------------------------------

# Class or id naming a caption or a credit ("wp-caption-text", "image__credit").
_CAPTION_NAME = re.compile(r"caption|credit|copyright|image-?source|photo-?source", re.I)
_MEDIA = ("img", "picture", "video", "svg", "iframe")
MAX_CAPTION_CHARS = 600


def _class_id(element):
    return f"{element.get('class', '')} {element.get('id', '')}"


def _text(element):
    return _SPACES.sub(" ", element.text_content()).strip()


def _has_media(element):
    return any(True for _ in element.iter(*_MEDIA))


def _drop(element):
    """Remove an element and its content, keeping the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


def fold_captions(tree):
    """Move image captions and credits into their image's ``title``.

    A caption is a ``<figcaption>``, or an element without media next to an
    image (a sibling of the image or of one of its two nearest ancestors) whose
    class or id names a caption or a credit. Its text becomes the ``title`` of
    the image (shown on hover in the reader) instead of a paragraph of the
    article. Looking only around images and figures keeps this pass cheap.
    """
    captions = {}
    for caption in tree.iter("figcaption"):
        captions[caption] = _nearest_image(caption)
    for image in tree.iter("img"):
        node = image
        for _ in range(3):
            parent = node.getparent()
            if parent is None:
                break
            for sibling in parent:
                if sibling is node or not isinstance(sibling.tag, str) or sibling in captions:
                    continue
                if _CAPTION_NAME.search(_class_id(sibling)) and not _has_media(sibling):
                    captions[sibling] = image
            node = parent
    for caption, image in captions.items():
        if caption.getparent() is None:
            continue
        text = _text(caption)
        if len(text) > MAX_CAPTION_CHARS:
            continue
        if image is not None and text and not image.get("title"):
            image.set("title", text)
        _drop(caption)


def _nearest_image(element, levels=3):
    node = element
    for _ in range(levels):
        node = node.getparent()
        if node is None:
            return None
        image = next(node.iter("img"), None)
        if image is not None:
            return image
        if node.tag == "figure":
            return None
    return None


# --- trafilatura's output --------------------------------------------------------------

_SENTENCE_END = tuple(".!?…。！？")
_CLOSERS = "\"'”’»)]"
# Header lines a byline or date has no business being longer than.
MAX_HEADER_WORDS = 16
HEADER_BLOCKS = 6  # blocks at the top of the body where the header can be
MIN_PROSE_CHARS = 80


def _ref_tokens(ref):
    return _WORD.findall("".join(ref.itertext()))


class _Block:
    """A top-level element of trafilatura's body, with the figures the rules use."""

    def __init__(self, element):
        self.element = element
        self.text = " ".join("".join(element.itertext()).split())
        tokens = _WORD.findall(self.text)
        self.words = len(tokens)
        refs = list(element.iter("ref"))
        self.targets = [ref.get("target", "") for ref in refs]
        self.link_share = 0.0
        if refs and tokens:
            linked = sum(len(token) for ref in refs for token in _ref_tokens(ref))
            self.link_share = linked / sum(map(len, tokens))
        self.is_heading = element.tag == "head"
        self.is_media = not tokens and (
            element.tag == "graphic" or element.find(".//graphic") is not None
        )

    @property
    def is_prose(self):
        """A paragraph of the article's own text: long enough, a sentence, not a link."""
        if self.link_share >= 0.5 or self.is_heading or not self.text:
            return False
        if len(self.text) >= 2 * MIN_PROSE_CHARS:
            return True
        return len(self.text) >= MIN_PROSE_CHARS and self.text.rstrip(_CLOSERS).endswith(
            _SENTENCE_END
        )


def clean_body(body, title="", url=""):
    """Remove boilerplate blocks from trafilatura's XML ``<body>``, in place."""
    if body is None or len(body) == 0:
        return body
    blocks = [_Block(element) for element in body]
    drop = set()
    _drop_header(blocks, title, drop)
    _drop_boilerplate_lines(blocks, drop)
    _drop_related_runs(blocks, drop)
    _drop_link_blocks(blocks, drop, _host(url))
    for index in sorted(drop, reverse=True):
        body.remove(blocks[index].element)
    return body


def _same_words(a, b):
    words_a = [word.casefold() for word in _WORD.findall(a)]
    return bool(words_a) and words_a == [word.casefold() for word in _WORD.findall(b)]


def _drop_header(blocks, title, drop):
    """The headline, and the kicker, byline and date lines around it, at the top."""
    if not title:
        return
    for index, block in enumerate(blocks[:HEADER_BLOCKS]):
        if block.is_prose:
            return
        if _same_words(block.text, title):
            drop.update(range(index + 1))
            return


def _drop_boilerplate_lines(blocks, drop):
    for index, block in enumerate(blocks):
        if not block.words or block.words > MAX_CAPTION_WORDS:
            continue
        if block.words <= MAX_BOILERPLATE_WORDS and line_reason(block.text):
            drop.add(index)
        elif _may_end_with_credit(block) and _ENDS_WITH_CREDIT.fullmatch(block.text):
            drop.add(index)  # a caption: "… on Monday. (AP Photo/Jane Doe)"


MAX_CAPTION_WORDS = 80


def _may_end_with_credit(block):
    return not block.is_heading and ("/" in block.text or block.text.endswith(")"))


MAX_BOILERPLATE_WORDS = 20


def line_reason(text):
    """The plain-text cleaner's verdict on one line: a boilerplate family, or None.

    Separators ("***", "___") are kept: in a page they are the author's own.
    """
    if _PAGE_CHROME.fullmatch(text.strip(_DECORATION + ".…")):
        return "chrome"
    reason = _boilerplate_reason(text)
    return None if reason == "separator" else reason


# Controls of a web page that survive as text: caption and teaser expanders.
_PAGE_CHROME = re.compile(
    r"(?:less|more|show (?:less|more)|expand|collapse|read (?:less|full (?:story|article))"
    r"|weniger|mehr anzeigen|voir (?:plus|moins)|ver (?:más|menos)|mostra (?:di più|meno))",
    re.I,
)


def is_announcer(text):
    """A short line announcing other stories: "Related", "Don't miss", "Lesen Sie auch"."""
    if len(text) > 80:
        return False
    core = text.strip(_DECORATION)
    return len(core) <= 60 and bool(_ANNOUNCER.fullmatch(" ".join(core.split())))


def _drop_related_runs(blocks, drop):
    """An announcing line and the links after it, up to the next paragraph of prose.

    The announcer goes only when links follow it or nothing does: "Up next"
    over two sentences of text is a section of the article.
    """
    for index, block in enumerate(blocks):
        if not (block.words and is_announcer(block.text)):
            continue
        run = []
        for following in range(index + 1, len(blocks)):
            candidate = blocks[following]
            if candidate.is_media:
                continue
            if candidate.link_share >= 0.5 or (candidate.words <= 3 and not candidate.is_prose):
                run.append(following)
                continue
            break
        else:
            run.append(None)  # the announcer ends the body
        linked = [i for i in run if i is not None and blocks[i].link_share >= 0.5]
        if linked or run == [None] or (run and run[-1] is None):
            drop.add(index)
            drop.update(i for i in run if i is not None)


MIN_LINK_SHARE = 0.8
MIN_TAIL_LINK_SHARE = 0.5
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)


def _drop_link_blocks(blocks, drop, site=""):
    """Blocks made of links: menus, tag clouds, lists of other stories.

    At the end of the body, the run of blocks that are mostly links (with the
    headings and short lines among them) goes. Elsewhere, two or more
    consecutive paragraphs or headings that are all links and not sentences go:
    one alone may be the article's own (a product, a source, a call to action).
    A link showing its own address is kept: it is content.
    """

    def is_links(block, share):
        return block.link_share >= share and not _ADDRESS.fullmatch(block.text)

    index = len(blocks) - 1
    tail = []
    while index >= 0:
        block = blocks[index]
        if block.is_media or not block.words:
            index -= 1
            continue
        if is_links(block, MIN_TAIL_LINK_SHARE):
            tail.append(index)
        elif not (block.is_heading or block.words <= 5) or not tail:
            break
        else:
            tail.append(index)
        index -= 1
    while tail and not is_links(blocks[tail[-1]], MIN_TAIL_LINK_SHARE):
        tail.pop()  # a heading or short line before the links is not part of the run
    drop.update(tail)

    run = []
    for index, block in enumerate(blocks + [None]):
        if block is not None and block.is_media:
            continue
        if (
            block is not None
            and block.words >= 2
            and block.element.tag in ("p", "head")
            and is_links(block, MIN_LINK_SHARE)
            and not block.text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        ):
            run.append(index)
            continue
        if len(run) >= 2:
            drop.update(run)
        elif run and _is_promotion(blocks[run[0]], site):
            drop.update(run)
        run = []


def _is_promotion(block, site):
    """A headline linking to another page of the site (not a piece of a sentence)."""
    return not block.text[:1].islower() and all(
        _same_site(target, site) for target in block.targets
    )


def _host(url):
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _same_site(target, site):
    """True if a link points to the page's own site (a relative link does)."""
    target = (target or "").strip()
    if not target or target.startswith("#"):
        return False
    if not target.startswith(("http://", "https://", "//")):
        return not target.startswith(("mailto:", "tel:", "javascript:"))
    host = _host(target if not target.startswith("//") else "http:" + target)
    return bool(site) and (host == site or host.endswith("." + site) or site.endswith("." + host))
