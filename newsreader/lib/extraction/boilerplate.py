"""Page furniture that the main-content extractor lets through, found by signals that
hold on any site: structure, position, links and a multilingual boilerplate vocabulary.

Before trafilatura runs, on the parsed page (where the markup still says what
things are):

- ``fold_captions``: captions and credits of images become the images'
  ``title`` instead of paragraphs of the article;
- ``keep_embedded_posts``: embedded posts (tweets and the like) quoted by the
  article are let through as quotes.

After it, on its XML ``<body>`` (where text, links and structure are left),
``clean_body`` removes, in this order:

1. the article's header: the headline and what comes before it, a standfirst
   repeating the page's description, byline and date lines;
2. boilerplate lines: share bars, ad labels, newsletter and follow prompts,
   "Read more: …" lines, captions ending with a picture credit, legal lines
   (the plain-text cleaner's vocabulary, in several languages);
3. related-story runs: "Related" / "Don't miss" / "Lesen Sie auch" and the
   links after it;
4. link blocks: the run of link lists and teaser lists that ends the body (and
   the headings after it), runs of two or more paragraphs made of links, a
   lone headline linking to another page of the same site, and a table made
   of links (a menu);
5. slideshows: a list of legends numbered "1/50", "2/50", … without their
   pictures (the page shows them by script), and its title.
"""

import re
from urllib.parse import urlsplit

from newsreader.lib.extraction.caching import short_strings
from newsreader.lib.extraction.plaintext import (
    announces_related,
    boilerplate_family,
    ends_with_credit,
    header_fields,
)

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_SENTENCE_END = tuple(".!?…。！？")
_CLOSERS = "\"'”’»)]"

# --- Captions (on the page) ----------------------------------------------------------

# Class or id naming a caption or a credit ("wp-caption-text", "image__credit").
_CAPTION_NAME = re.compile(r"caption|credit|copyright|image-?source|photo-?source", re.I)
_MEDIA = ("img", "picture", "video", "svg", "iframe")
MAX_CAPTION_CHARS = 600
CAPTION_LEVELS = 4  # how far up from an image its caption's container can be


def _class_id(element):
    return f"{element.get('class', '')} {element.get('id', '')}"


def _has_media(element):
    return next(element.iter(*_MEDIA), None) is not None


def fold_captions(tree):
    """Move image captions and credits into their image's ``title``.

    A caption is a ``<figcaption>``, or an element without media next to an
    image (a sibling of the image or of one of its three nearest ancestors) whose
    class or id names a caption or a credit. Its text becomes the ``title`` of
    the image — the one attribute the extractor carries along with ``src`` and
    ``alt`` — and the reader shows it under the image (``webpage``) instead of
    as a paragraph of the article, wherever the extractor put it; a caption
    with no image near it goes. An image's own ``title`` (a tooltip) goes, so
    that a title is always a caption. Looking only around images and figures
    keeps this pass cheap.
    """
    captions = {}
    for caption in tree.iter("figcaption"):
        captions[caption] = _nearest_image(caption)
    # Images share ancestors: an ancestor's children are read once, for the first
    # image to reach it, which claims the captions among them.
    scanned = set()
    for image in tree.iter("img"):
        image.attrib.pop("title", None)
        node = image
        for _ in range(CAPTION_LEVELS):
            parent = node.getparent()
            if parent is None:
                break
            if parent not in scanned:
                scanned.add(parent)
                for sibling in parent:
                    if not isinstance(sibling.tag, str) or sibling in captions:
                        continue
                    if _CAPTION_NAME.search(_class_id(sibling)) and not _has_media(sibling):
                        captions[sibling] = image  # (not `node`: it holds the image)
            node = parent
    for caption, image in captions.items():
        if caption.getparent() is None:
            continue
        text = _caption_text(caption)
        if len(text) > MAX_CAPTION_CHARS:
            continue
        if image is not None and text and not image.get("title"):
            image.set("title", text)
        caption.drop_tree()  # keeps the text that follows the caption


# Parts of a caption shown on a line of their own, or apart: "… sought treatment"
# and "Credit: EPA" in two spans must not run together.
_CAPTION_BREAKS = frozenset(("br", "div", "p", "small", "cite"))


def _caption_text(caption):
    """A caption's text on one line, its parts (legend, credit) kept apart."""
    parts = []

    def walk(node):
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):  # a comment's text is not the caption's
                if child.tag in _CAPTION_BREAKS or _CAPTION_NAME.search(_class_id(child)):
                    parts.append(" ")
                walk(child)
            parts.append(child.tail or "")

    walk(caption)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _nearest_image(element):
    node = element
    for _ in range(CAPTION_LEVELS):
        node = node.getparent()
        if node is None:
            return None
        image = next(node.iter("img"), None)
        if image is not None or node.tag == "figure":
            return image
    return None


# --- Embedded posts (on the page) --------------------------------------------------------

# The standard embed code of social networks: a quote of the post with a link.
_EMBEDDED_POST = re.compile(
    r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed|mastodon-embed|threads-post"
    r"|fb-(?:post|quote)|reddit-(?:card|embed)",
    re.I,
)
EMBED_LEVELS = 4


def keep_embedded_posts(tree):
    """Let the text of embedded posts (tweets and the like) through as quotes.

    An article quoting a post embeds it as a ``<blockquote>`` holding the
    post's text, inside containers named "embed", "social" or "widget" — names
    that also mark share bars, so extractors drop them. The quote and the
    containers around it that hold little else lose their class and id.
    """
    for quote in tree.iter("blockquote"):
        if not _EMBEDDED_POST.search(quote.get("class") or ""):
            continue
        length = len(quote.text_content())
        node = quote
        for _ in range(EMBED_LEVELS):
            for name in ("class", "id"):
                node.attrib.pop(name, None)
            node = node.getparent()
            if node is None or node.tag in ("body", "article", "main"):
                break
            if len(node.text_content()) > 1.5 * length + 40:
                break


# --- Blocks of trafilatura's output ------------------------------------------------------

MIN_PROSE_CHARS = 80
_PROSE_TAGS = frozenset(("p", "quote", "div"))


def _ref_letters(ref):
    return sum(map(len, _WORD.findall("".join(ref.itertext()))))


def _starts_with_link(element):
    """True if the first text of an element is a link's, in words.

    (A footnote's back-link, "^" or "↑", is not a headline.)
    """
    if (element.text or "").strip():
        return False
    for child in element:
        if child.tag == "ref":
            return _ref_letters(child) > 0
        if child.tag in ("hi", "head", "p", "div"):
            return _starts_with_link(child)
        return False
    return False


def _is_teaser_list(element):
    """A list of other stories: each item opens with a link (a headline), maybe a blurb."""
    items = [item for item in element if item.tag == "item"]
    return len(items) >= 2 and sum(map(_starts_with_link, items)) >= 0.8 * len(items)


class _Block:
    """An element of trafilatura's body, with the figures the rules use."""

    def __init__(self, element):
        self.element = element
        self.text = " ".join("".join(element.itertext()).split())
        tokens = _WORD.findall(self.text)
        self.words = len(tokens)
        refs = list(element.iter("ref"))
        self.targets = [ref.get("target", "") for ref in refs]
        letters = sum(map(len, tokens))
        self.link_share = sum(map(_ref_letters, refs)) / letters if refs and letters else 0.0
        self.is_heading = element.tag == "head"
        self.is_teaser_list = element.tag == "list" and _is_teaser_list(element)
        self.is_media = not tokens and (
            element.tag == "graphic" or element.find(".//graphic") is not None
        )

    @property
    def is_prose(self):
        """A paragraph of the article's own text: long enough, a sentence, not links."""
        if self.link_share >= 0.5 or self.element.tag not in _PROSE_TAGS or not self.text:
            return False
        if len(self.text) >= 2 * MIN_PROSE_CHARS:
            return True
        ends = self.text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        return len(self.text) >= MIN_PROSE_CHARS and ends

    @property
    def ends_sentence(self):
        return self.text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def clean_body(body, title="", url="", description=""):
    """Remove boilerplate blocks from trafilatura's XML ``<body>``, in place.

    `title` and `description` are the page's (from its metadata), `url` its
    address (a link to the same site is a promotion more often than a source).
    """
    if body is None or len(body) == 0:
        return body
    _drop_header(body, title, description)
    blocks = [_Block(element) for element in body]
    drop = set()
    _drop_boilerplate_lines(blocks, drop)
    _drop_related_runs(blocks, drop)
    _drop_link_blocks(blocks, drop, _host(url))
    _drop_menu_tables(blocks, drop)
    _drop_slideshows(blocks, drop)
    for index in sorted(drop, reverse=True):
        body.remove(blocks[index].element)
    return body


# --- 1. The article's header ------------------------------------------------------------

HEADER_BLOCKS = 6  # text blocks at the top of the body where the header can be
MAX_HEADER_WORDS = 16  # a byline or date line is no longer
_HEADER_TAGS = ("head", "p", "graphic", "list", "quote", "code")


def _words(text):
    return [word.casefold() for word in _WORD.findall(text)]


def _same_words(a, b):
    words_a = _words(a)
    return bool(words_a) and words_a == _words(b)


def _first_blocks(body, limit):
    """The body's first blocks in reading order, inside layout tables too.

    Images do not count towards the `limit` of text blocks (logos, icons).
    """
    found = []
    texts = 0
    for element in body.iter(*_HEADER_TAGS, "cell"):
        if element.tag == "cell" and next(element.iter(*_HEADER_TAGS), None) is not None:
            continue  # a layout cell: its blocks come next
        if any(ancestor in found for ancestor in element.iterancestors()):
            continue
        found.append(element)
        texts += element.tag != "graphic"
        if texts >= limit or len(found) >= 4 * limit:
            break
    return found


def _lines(element):
    """The element's text, line by line (trafilatura marks line breaks with <lb/>)."""
    parts = []

    def walk(node):
        parts.append(node.text or "")
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            else:
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return [" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip()]


def _is_header_line(element):
    """Byline, date or page-furniture lines ("By Jane Doe", "Updated March 3, 2024")."""
    lines = _lines(element)
    return bool(lines) and all(
        len(line.split()) <= MAX_HEADER_WORDS and (header_fields(line) or line_family(line))
        for line in lines
    )


def _is_standfirst(block, description):
    """A heading repeating the page's description: the standfirst under the headline.

    (A paragraph repeating it is more often the article's first paragraph.)
    """
    if not block.is_heading or block.words < 6 or not description:
        return False
    mine, theirs = _words(block.text), _words(description)
    return mine[: len(theirs)] == theirs or theirs[: len(mine)] == mine


def _remove(element):
    """Remove an element, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _drop_header(body, title, description):
    """The article's header at the top of the body: kicker, headline, standfirst, byline, date.

    Up to the first paragraph of prose: the headline (the page's title) and
    everything before it (a kicker, a logo), a heading repeating the
    description, and byline or date lines. Images after the headline stay.
    The blocks are looked for in reading order, inside layout tables too: the
    reader shows the title above the body, never twice.
    """
    header = []
    for element in _first_blocks(body, HEADER_BLOCKS):
        block = _Block(element)
        if block.is_prose:
            break
        header.append((element, block))
    titled = next(
        (i for i, (_, block) in enumerate(header) if title and _same_words(block.text, title)),
        None,
    )
    for index, (element, block) in enumerate(header):
        headline = titled is not None and index <= titled
        furniture = not block.is_media and (
            _is_standfirst(block, description) or _is_header_line(element)
        )
        if headline or furniture:
            _remove(element)


# --- 2. Boilerplate lines ---------------------------------------------------------------

MAX_PROMPT_WORDS = 45  # the longest line the plain-text families judge (calls to action)
MAX_CAPTION_WORDS = 80

# Controls of a web page that survive as text: caption and teaser expanders.
_PAGE_CHROME = re.compile(
    r"(?:less|more|show (?:less|more)|expand|collapse|read (?:less|full (?:story|article))"
    r"|weniger|mehr anzeigen|voir (?:plus|moins)|ver (?:más|menos)|mostra (?:di più|meno))",
    re.I,
)
_DECORATION = " -–—_*•·|[]()<>▼▲►▶»«›‹→#=~:.…"


# A pure function of the text, asked again for the same lines when a page is
# extracted a second time, and for a site's recurring lines across an import.
@short_strings(maxsize=4096)
def line_family(text):
    """The boilerplate family of a block's text, or None.

    The plain-text cleaner's families, plus expander labels ("more", "less").
    Separators ("***", "___") are kept: in a page they are the author's own.
    """
    if _PAGE_CHROME.fullmatch(text.strip(_DECORATION)):
        return "chrome"
    family = boilerplate_family(text)
    return None if family == "separator" else family


def _drop_boilerplate_lines(blocks, drop):
    for index, block in enumerate(blocks):
        if not block.words or block.words > MAX_CAPTION_WORDS:
            continue
        if block.words <= MAX_PROMPT_WORDS and line_family(block.text):
            drop.add(index)
        elif _may_end_with_credit(block) and ends_with_credit(block.text):
            drop.add(index)  # a caption: "… on Monday. (AP Photo/Jane Doe)"


def _may_end_with_credit(block):
    return not block.is_heading and ("/" in block.text or block.text.endswith(")"))


# --- 3. Related-story runs ----------------------------------------------------------------


def _drop_related_runs(blocks, drop):
    """An announcing line and the links after it, up to the next paragraph of prose.

    The announcer goes when links follow it or nothing does: "Up next" over
    two sentences of text is a section of the article.
    """
    for index, block in enumerate(blocks):
        if not (block.words and announces_related(block.text)):
            continue
        run, ends_body = [], True
        for following in range(index + 1, len(blocks)):
            candidate = blocks[following]
            if candidate.is_media:
                continue
            if candidate.link_share >= 0.5 or (candidate.words <= 3 and not candidate.is_prose):
                run.append(following)
                continue
            ends_body = False
            break
        if ends_body or any(blocks[i].link_share >= 0.5 for i in run):
            drop.add(index)
            drop.update(run)


# --- 4. Link blocks ------------------------------------------------------------------------

MIN_LINK_SHARE = 0.8  # a paragraph made of links
MIN_TAIL_LINK_SHARE = 0.5  # a block at the end of the body that is mostly links
MAX_TAIL_HEADING_WORDS = 20
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)


def _is_links(block, share):
    """Mostly links (a link showing its own address is content, not a link list)."""
    return block.link_share >= share and not _ADDRESS.fullmatch(block.text)


def _is_tail_links(block):
    return _is_links(block, MIN_TAIL_LINK_SHARE) or block.is_teaser_list


def _drop_link_blocks(blocks, drop, site=""):
    """Blocks made of links: menus, tag clouds, lists of other stories.

    At the end of the body, the run of blocks that are mostly links or teaser
    lists (with the headings and short lines among them) goes. Elsewhere, two
    or more consecutive paragraphs or headings that are all links and not
    sentences go; one alone goes only when it is a headline linking to another
    page of the same site (a promotion): otherwise it may be the article's own
    (a product, a source).
    """
    tail = []
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.is_media or not block.words:
            continue
        # Headings and short lines among the links, or after them at the very end
        # (a "From around the web" over nothing).
        between = (block.is_heading and block.words <= MAX_TAIL_HEADING_WORDS) or (
            bool(tail) and block.words <= 5
        )
        if not (_is_tail_links(block) or between):
            break
        tail.append(index)
    while tail and not _is_tail_links(blocks[tail[-1]]):
        tail.pop()  # a heading or short line before the links is not part of the run
    drop.update(tail)

    run = []
    for index, block in enumerate([*blocks, None]):
        if block is not None and block.is_media:
            continue
        if (
            block is not None
            and block.words >= 2
            and block.element.tag in ("p", "head")
            and _is_links(block, MIN_LINK_SHARE)
            and not block.ends_sentence
        ):
            run.append(index)
            continue
        if len(run) >= 2 or (run and _is_promotion(blocks[run[0]], site)):
            drop.update(run)
        run = []


MIN_MENU_LINKS = 2


def _drop_menu_tables(blocks, drop):
    """A table made of links (two or more): a menu or breadcrumbs laid out as a table."""
    for index, block in enumerate(blocks):
        links = len(block.targets) >= MIN_MENU_LINKS and _is_links(block, MIN_LINK_SHARE)
        if links and block.element.tag == "table":
            drop.add(index)


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
    host = _host("http:" + target if target.startswith("//") else target)
    return bool(site) and (host == site or host.endswith("." + site) or site.endswith("." + host))


# --- 5. Slideshows ---------------------------------------------------------------------------

# A slide's counter at the start of its legend: "1/50", "2 of 50".
_SLIDE_COUNTER = re.compile(r"(\d{1,3}) ?(?:/|of) ?(\d{1,3})\b")
MIN_SLIDES = 3
MAX_SLIDESHOW_TITLE_WORDS = 12


def _slide_number(element):
    start = ""
    for text in element.itertext():  # only the start: an item may be a long note
        start = " ".join((start + " " + text).split())
        if len(start) >= 40:
            break
    match = _SLIDE_COUNTER.match(start)
    return (int(match.group(1)), int(match.group(2))) if match else None


def _is_slideshow(block):
    """A list of a slideshow's legends without its pictures: "1/50 …", "2/50 …", in order."""
    element = block.element
    if element.tag != "list" or element.find(".//graphic") is not None:
        return False
    items = [item for item in element if item.tag == "item"]
    if len(items) < MIN_SLIDES:
        return False
    numbers = []
    for item in items:
        number = _slide_number(item)
        if number is None:
            return False
        numbers.append(number)
    first, total = numbers[0]
    return total >= len(numbers) and numbers == [(first + i, total) for i in range(len(numbers))]


def _drop_slideshows(blocks, drop):
    """The legends of a slideshow whose pictures the page shows by script, and its title.

    Its legends are other stories' photos (a gallery of the week's news)
    as often as this one's, and without the pictures they read as a list
    of unrelated paragraphs.
    """
    for index, block in enumerate(blocks):
        if not _is_slideshow(block):
            continue
        drop.add(index)
        before = index - 1
        while before >= 0 and (blocks[before].is_media or not blocks[before].words):
            before -= 1
        title = blocks[before] if before >= 0 else None
        if title and title.is_heading and title.words <= MAX_SLIDESHOW_TITLE_WORDS:
            drop.add(before)
