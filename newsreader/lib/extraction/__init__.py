"""Turning a saved page, a text file or a Markdown note into a clean article.

This package has no Django dependency: the app, the ``extract`` management
command and the benchmarks all call ``extract()``.

Pipeline: detect the input's kind → decode bytes (``encoding``) → find the
main content (``webpage`` for HTML, ``plaintext`` for text, markdown-it for
Markdown) → sanitise (``sanitize``) → normal form and canonical text
(``canonical``) → metadata-derived fields (excerpt, counts).
"""

import html as html_lib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from markdown_it import MarkdownIt

from newsreader.lib.decoding import decode
from newsreader.lib.extraction import caching
from newsreader.lib.extraction.canonical import VOID_TAGS, canonical_text, normalise_html
from newsreader.lib.extraction.encoding import decode_bytes
from newsreader.lib.extraction.errors import ExtractionError
from newsreader.lib.extraction.metadata import strip_site_name
from newsreader.lib.extraction.plaintext import clean_plain_text, parse_date
from newsreader.lib.extraction.sanitize import sanitise_html
from newsreader.lib.extraction.webpage import extract_webpage

logger = logging.getLogger(__name__)

__all__ = [
    "EXTRACTOR_VERSION",
    "Extraction",
    "ExtractionError",
    "clear_caches",
    "detect_kind",
    "extract",
]

# Bump when a change to this package changes its output: stored articles record
# the version that extracted them, so they can be found and re-extracted.
EXTRACTOR_VERSION = "5"

MAX_INPUT_BYTES = 10 * 1024 * 1024
WORDS_PER_MINUTE = 230
EXCERPT_CHARS = 280

KINDS = ("html", "text", "markdown")
_EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
}
_CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"<(p|div|article|br|h[1-6]|span|a\s+href|table|ul|li)\b[^>]*>", re.I)
_MARKDOWN_SIGNS = re.compile(
    r"^(#{1,6} \S|```|~~~|[-*+] \S|\d+\. \S|> \S|\[[^\]]+\]\([^)]+\)|.*\*\*\S.*\*\*|.*\]\(https?://)",
    re.M,
)
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


@dataclass
class Extraction:
    kind: str
    charset: str
    title: str = ""
    byline: str = ""
    site_name: str = ""
    published: date | None = None
    language: str = ""
    lead_image: str = ""
    html: str = ""
    text: str = ""
    excerpt: str = ""
    word_count: int = 0
    reading_minutes: int = 0

    def as_json(self):
        return {
            "title": self.title,
            "byline": self.byline,
            "site_name": self.site_name,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "lead_image": self.lead_image,
            "excerpt": self.excerpt,
            "word_count": self.word_count,
            "text": self.text,
            "html": self.html,
        }


def clear_caches():
    """Empty the caches of pure functions the extraction keeps between calls.

    For benchmarks: a page extracted again would find its lines' verdicts
    cached (a site's recurring lines do in real use, a page's own lines only
    when it is extracted twice).
    """
    caching.clear_all()


def detect_kind(data, *, content_type="", filename=""):
    """'html', 'text' or 'markdown', from the content type, the name, then the content."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _CONTENT_TYPES and mime != "text/plain":
        return _CONTENT_TYPES[mime]
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    head = data[:4096]
    if isinstance(head, bytes):
        head = decode(head)[0]  # the BOM, and UTF-16 without one, as the extraction will
    head = head.lstrip("\ufeff")
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 2:
        return "html"
    if len(_MARKDOWN_SIGNS.findall(head)) >= 2:
        return "markdown"
    return "text"


def extract(data, *, content_type="", url="", filename="", kind=None):
    """Extract an article from `data` (bytes or str).

    Raises ExtractionError with a message for people when the input is too
    large, too deeply nested, not readable, or has no text — and for any
    other failure on the way: the parsers and the extractors below are other
    people's code meeting untrusted input, and one bad page must fail alone
    (an import item, a file of ``extract DIR``) rather than stop its caller.
    """
    try:
        return _extract(data, content_type=content_type, url=url, filename=filename, kind=kind)
    except ExtractionError:
        raise
    except (Exception, RecursionError) as error:
        logger.warning("Extraction failed on %s", url or filename or "an input", exc_info=True)
        reason = f"{type(error).__name__}: {error}"[:200]
        raise ExtractionError(f"The page could not be read ({reason}).") from error


def _extract(data, *, content_type, url, filename, kind):
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError(
            f"The input is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,} bytes."
        )
    kind = kind or detect_kind(data, content_type=content_type, filename=filename)
    if kind not in KINDS:
        raise ExtractionError(f"Unknown input kind {kind!r}: expected one of {', '.join(KINDS)}.")
    if isinstance(data, bytes):
        text, charset = decode_bytes(data, content_type=content_type, is_html=kind == "html")
    else:
        text, charset = data, "utf-8"
    text = text.lstrip("\ufeff")
    if _looks_binary(text):
        raise ExtractionError("The input is not text: it holds binary data (an image, a PDF?).")
    if kind == "html":
        result = _from_html(text, url)
    elif kind == "markdown":
        result = _from_markdown(text)
    else:
        result = _from_text(text)
    result.charset = charset
    if not result.text.strip():
        raise ExtractionError("No readable text was found in the input.")
    return result


# C0 controls other than tab, newline, form feed and carriage return: text
# never has many of them, every binary format does.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text):
    head = text[:4096]
    return bool(head) and len(_CONTROLS.findall(head)) > max(8, len(head) // 20)


def _from_html(text, url):
    page = extract_webpage(text, url)
    result = _finish(
        Extraction(
            kind="html",
            charset="",
            title=_one_line(page.title),
            byline=_one_line(page.byline),
            site_name=_one_line(page.site_name),
            published=page.published,
            language=page.language,
            lead_image=page.lead_image
            if page.lead_image.startswith(("http://", "https://"))
            else "",
        ),
        page.body_html,
        check_depth=False,  # the page's tree was checked when it was parsed
    )
    if page.description and len(page.description) >= 40:
        result.excerpt = _shorten(page.description)
    return result


def _from_markdown(text):
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return _finish(Extraction(kind="markdown", charset=""), renderer.render(text))


def _from_text(text):
    cleaned = clean_plain_text(text)
    body = "".join(f"<p>{html_lib.escape(paragraph)}</p>" for paragraph in cleaned.paragraphs)
    return _finish(
        Extraction(
            kind="text",
            charset="",
            title=cleaned.title,
            byline=cleaned.byline,
            published=parse_date(cleaned.published) if cleaned.published else None,
        ),
        body,
    )


def _finish(result, body_html, check_depth=True):
    """Sanitise and normalise the body, drop a repeated title, derive the counts."""
    body, text = normalise_html(sanitise_html(body_html, check_depth))
    leading = _leading_block(body)
    if leading and not result.title and leading.tag in ("h1", "h2", "h3"):
        result.title = leading.text
    if leading and result.title and _is_title(leading.text, result.title, result.site_name):
        rest, rest_text = normalise_html(body[: leading.start] + body[leading.end :])
        if rest_text.strip():  # a heading that is all the text there is stays
            body, text = rest, rest_text
    if not result.title and text:
        result.title = _shorten(text.split("\n", 1)[0], 120)
    result.html = body
    result.text = text
    result.word_count = len(_WORD.findall(text))
    result.reading_minutes = max(1, round(result.word_count / WORDS_PER_MINUTE)) if text else 0
    result.excerpt = _excerpt(body) or _shorten(text)
    return result


# A tag of normal-form HTML: attribute values there have their "<" and ">" escaped.
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\b[^>]*>")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class _Block:
    tag: str
    text: str
    start: int
    end: int


def _leading_block(body):
    """The body's first block when it is a heading or a paragraph, else None.

    A heading may come after elements without text (an image, an empty
    paragraph) and figures, whose captions do not count; a paragraph must be
    the very first element.
    """
    depth, start, element = 0, 0, ""
    for match in _TAG.finditer(body):
        closing, tag = match.group(1) == "/", match.group(2)
        if depth == 0:
            if body[start : match.start()].strip() or closing:
                return None  # text outside any element: the body has begun
            start = match.start()
            if tag in VOID_TAGS:
                start = match.end()
                continue
            if tag in _HEADINGS or tag == "p":
                end = body.find(f"</{tag}>", match.end())
                text = canonical_text(body[match.end() : end]).strip() if end >= 0 else ""
                if text:
                    if tag == "p" and start:
                        return None
                    return _Block(tag, text, start, end + len(tag) + 3)
            depth, element = 1, tag
        elif tag not in VOID_TAGS:
            depth += -1 if closing else 1
            if depth == 0:
                if element != "figure" and canonical_text(body[start : match.end()]).strip():
                    return None
                start = match.end()
    return None


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def _excerpt(body):
    """The first paragraphs' text, shortened: headings and lists make poor excerpts."""
    parts, length = [], 0
    for match in _PARAGRAPH.finditer(body):
        part = canonical_text(match.group(1)).strip()
        if part:
            parts.append(part)
            length += len(part)
        if length >= EXCERPT_CHARS:
            break
    return _shorten(" ".join(parts))


def _is_title(heading, title, site_name=""):
    """True if `heading` is `title` again, with or without the site's name around either.

    Case, punctuation, quotes and spaces aside: only the letters and digits count.
    """
    key = _letters(heading)
    if not key:
        return False
    titles = {_letters(title), _letters(strip_site_name(title, site_name, guess=False))}
    return key in titles or _letters(strip_site_name(heading, site_name, guess=False)) in titles


def _letters(value):
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", value or "").casefold()))


def _one_line(value):
    return _SPACES.sub(" ", value or "").strip()


def _shorten(value, limit=EXCERPT_CHARS):
    value = _one_line(value)
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
