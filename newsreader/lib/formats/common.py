"""What the import parsers share: limits, reading files, decoding, dates, tags, the item checks.

Pure Python (no Django). Parsers raise `ItemProblem` while filling in one item;
`make_item` turns it into `ImportedItem.error`, and `finish_item` applies the
checks every item gets (NUL bytes and lone surrogates, an http(s) URL, content
or a URL), so no parser can forget them.
"""

import codecs
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from newsreader.lib.colours import COLOUR_VALUES
from newsreader.lib.decoding import (
    C1_ERRORS,
    declared_charset,
    decode,
    decode_cp1252,
    find_bom,
)
from newsreader.lib.formats.base import ImportedHighlight, ImportedItem, ImportFileError

# The largest single input file parse_file accepts (the caller caps uploads too).
MAX_FILE_BYTES = 100 * 1024 * 1024
# ZIP archives and directories: how many entries, and how many bytes read in all.
MAX_ARCHIVE_MEMBERS = 10_000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
# A member that inflates more than this is refused (a "ZIP bomb")...
MAX_COMPRESSION_RATIO = 100
# ...once it has inflated past this size: small, very repetitive files are harmless.
RATIO_CHECK_MIN_BYTES = 1024 * 1024


class ItemProblem(Exception):
    """This entry cannot be imported; the message (for people) becomes ImportedItem.error."""


# --- Files, text and encodings --------------------------------------------------------------


def read_limited(path, name: str) -> bytes:
    """The bytes of the file at `path`; ImportFileError if it is over MAX_FILE_BYTES."""
    with open(path, "rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return data


def _bom_error(name: str, bom) -> ImportFileError:
    return ImportFileError(
        f"{name} starts with a {bom.label} byte-order mark but is not valid {bom.label} text."
    )


def decode_bytes(data: bytes, name: str, *, html: bool = False) -> str:
    """Text from `data`: a BOM wins, then strict UTF-8, then (HTML) a declared charset, cp1252.

    A BOM followed by bytes that are not valid in that encoding is a file error.
    """
    declared = [declared_charset(data, xml=False)] if html else []
    try:
        return decode(data, declared, strict_bom=True, utf8_first=True)[0]
    except UnicodeDecodeError:
        raise _bom_error(name, find_bom(data)) from None


def decode_head(head: bytes) -> str:
    """Best-effort text of the first bytes of a file (which may end mid-character)."""
    bom = find_bom(head)
    if bom:
        return codecs.getincrementaldecoder(bom.stream_codec)(errors="replace").decode(head)
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return decode_cp1252(head)


def file_encoding(path, name: str) -> tuple[str, str]:
    """(encoding, errors) to open the text file at `path` with, read in chunks.

    A BOM decides; otherwise the whole file is checked as UTF-8 (constant
    memory) and read as windows-1252 if it is not.
    """
    with open(path, "rb") as stream:
        bom = find_bom(stream.read(4))
        stream.seek(0)
        codec = bom.stream_codec if bom else "utf-8"
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if bom:
                raise _bom_error(name, bom) from None
            return "cp1252", C1_ERRORS
    return codec, "strict"


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def printable(name: str) -> str:
    """`name` with control characters (line breaks too) replaced: one line, safe to show."""
    return _CONTROL_CHARS.sub("\ufffd", name)


# --- Dates ----------------------------------------------------------------------------------

_MAX_DATE_CHARS = 64


def _short(value, limit=60):
    text = printable(_scrub(str(value)))
    return repr(text if len(text) <= limit else text[:limit] + "…")


def parse_date(value, what: str) -> date | None:
    """A date from an ISO 8601 date or date-time string ("" or None: no date)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemProblem(f"{what} must be an ISO date string, not {type_name(value)}.")
    value = value.strip()
    if not value:
        return None
    if len(value) <= _MAX_DATE_CHARS:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise ItemProblem(f"{what} {_short(value)} is not an ISO date (YYYY-MM-DD).")


def parse_datetime(value, what: str) -> datetime | None:
    """An aware date-time from an ISO 8601 string; without an offset it is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemProblem(f"{what} must be an ISO date-time string, not {type_name(value)}.")
    value = value.strip()
    if not value:
        return None
    if len(value) <= _MAX_DATE_CHARS:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise ItemProblem(f"{what} {_short(value)} is not an ISO date-time.")


def parse_timestamp(value, what: str) -> datetime | None:
    """An aware UTC date-time from Unix time in seconds (milli- and microseconds recognised)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or text == "0":
        return None
    if len(text) > 24:
        raise ItemProblem(f"{what} {_short(text)} is not a Unix timestamp.")
    try:
        seconds = float(text)
    except ValueError:
        raise ItemProblem(f"{what} {_short(text)} is not a Unix timestamp.") from None
    if seconds > 1e14:  # microseconds (Firefox's internal unit)
        seconds /= 1_000_000
    elif seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ItemProblem(f"{what} {_short(text)} is not a usable Unix timestamp.") from None


# --- Tags, strings, highlights --------------------------------------------------------------

_TAG_SEPARATORS = re.compile(r"[,;|]")
_QUOTED = re.compile(r"""'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)\"""", re.S)


def split_tags(value: str, separators=_TAG_SEPARATORS) -> list[str]:
    """Tags from a separated string ("a, b; c|d" by default)."""
    return [tag.strip() for tag in separators.split(value or "") if tag.strip()]


def list_literal_tags(value: str) -> list[str]:
    """Tags from a list written as text ("['a', 'b']", '["a","b"]'), else a separated string."""
    text = (value or "").strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        quoted = [
            re.sub(r"\\(.)", r"\1", single if single else double)
            for single, double in _QUOTED.findall(inner)
        ]
        if quoted or not inner.strip():
            return [tag.strip() for tag in quoted if tag.strip()]
        text = inner
    return split_tags(text)


def type_name(value) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def get_str(obj: dict, key: str, *, strip: bool = True) -> str:
    """obj[key] as a string: missing or null gives ""; another type is an ItemProblem."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemProblem(f"'{key}' must be a string, not {type_name(value)}.")
    return value.strip() if strip else value


def json_tags(value, what: str = "tags") -> list[str]:
    """Tags from JSON: a list of strings (or of {"label"|"name": ...}), or a separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        return split_tags(value)
    if not isinstance(value, list):
        raise ItemProblem(f"'{what}' must be a list of strings, not {type_name(value)}.")
    tags = []
    for tag in value:
        if isinstance(tag, dict):
            tag = tag.get("label", tag.get("name"))
        if not isinstance(tag, str):
            raise ItemProblem(f"'{what}' must be a list of strings; it holds {type_name(tag)}.")
        tags.append(tag)
    return tags


def highlight_colour(value, where: str) -> str:
    if value is None or value == "":
        return "yellow"
    if isinstance(value, str) and value.strip().lower() in COLOUR_VALUES:
        return value.strip().lower()
    raise ItemProblem(f"{where}: colour {_short(value)} is not one of {', '.join(COLOUR_VALUES)}.")


# --- Items ----------------------------------------------------------------------------------


def make_item(source: str, fill: Callable, *args) -> ImportedItem:
    """An item for `source`, filled in by fill(item, *args); an ItemProblem becomes its error."""
    item = ImportedItem(source=source)
    try:
        fill(item, *args)
    except ItemProblem as problem:
        item.error = str(problem)
    return finish_item(item)


_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _text_fields(item: ImportedItem):
    yield "The title", item.title
    yield "The URL", item.url
    if isinstance(item.content, str):
        yield "The content", item.content
    yield "The filename", item.filename
    yield "The byline", item.byline
    yield "The note", item.note
    for tag in item.tags:
        yield "A tag", tag
    for number, highlight in enumerate(item.highlights, 1):
        for text in (highlight.exact, highlight.note, highlight.prefix, highlight.suffix):
            yield f"Highlight {number}", text


def _scrub(text):
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "")) if isinstance(text, str) else text


def _scrub_item(item: ImportedItem):
    # The report shows these fields: they must be printable and encodable as UTF-8.
    for name in ("title", "url", "content", "filename", "byline", "note"):
        setattr(item, name, _scrub(getattr(item, name)))
    item.tags = [_scrub(tag) for tag in item.tags]
    item.highlights = [
        ImportedHighlight(
            exact=_scrub(h.exact),
            note=_scrub(h.note),
            colour=h.colour,
            prefix=_scrub(h.prefix),
            suffix=_scrub(h.suffix),
            created_at=h.created_at,
        )
        for h in item.highlights
    ]


def text_problem(item: ImportedItem) -> str:
    for label, text in _text_fields(item):
        if "\x00" in text:
            return f"{label} contains a NUL byte."
        if _SURROGATE.search(text):
            return f"{label} contains an invalid character (a lone UTF-16 surrogate)."
    return ""


def url_problem(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"The URL {_short(url, 100)} is not valid."
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"The URL {_short(url, 100)} is not an http(s) web address."
    return ""


def _has_content(content) -> bool:
    if content is None:
        return False
    if isinstance(content, str):
        return bool(content.strip())
    return len(content) > 0


def finish_item(item: ImportedItem) -> ImportedItem:
    """The checks every item gets, whatever its format; returns the item."""
    item.url = item.url.strip() if isinstance(item.url, str) else item.url
    tags = []
    for tag in item.tags:
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    item.tags = tags
    problem = text_problem(item)
    if problem:
        _scrub_item(item)
        item.error = item.error or problem
    if not item.error and item.url:
        item.error = url_problem(item.url)
    if not item.error and not item.url and not _has_content(item.content):
        item.error = "It has neither content nor a URL."
    return item
