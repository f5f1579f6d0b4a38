"""Parsing import files into ImportedItem objects: pure Python, no database.

    FORMATS                      the format names parse_file takes (besides "auto")
    detect_format(path) -> str   which format `path` is in; ImportFileError if it can't tell
    parse_file(path, format="auto") -> Iterator[ImportedItem]
    iter_inputs(paths) -> Iterator[Path]   files as given, directories walked (sorted)

parse_file is a generator. Problems with the file as a whole (wrong type,
unreadable archive, missing required columns) raise ImportFileError; every
format validates the whole input (structure, archive limits) before yielding
its first item, but the caller should still treat an ImportFileError at any
point as "discard everything from this file". Problems with one entry are
reported on that item, and the rest carry on: what makes the entry unusable
(no content and no URL, a URL that is not http(s), NUL bytes, content or a
note, a highlight's text or a reply that is not text) is its `error`; a malformed value
in an optional field that describes the article (a date, the tags, the title
or byline, the read state, the progress, a highlight's colour or time) is left
empty and named in its `warnings` ("The published date '14/03/2024' is not an
ISO date (YYYY-MM-DD); ignored."), and the entry is imported without it.
The user's own words (notes, highlights) are never dropped that way: an entry
whose note or highlights cannot be read fails, so that it can be fixed and
imported again.

Reading state: `read`, `archived`, `starred` and `progress` (0.0 to 1.0) are
None where the source does not say; each format module documents which of its
fields fill them. Times (`added_at`, a highlight's `created_at`) are aware
datetimes in UTC; `published` is a date.

The formats and the structures they are assumed to have are documented in:
csv_formats (csv, pocket, instapaper, readwise), json_formats (jsonl, json,
newsreader, wallabag), html_formats (bookmarks, pocket's legacy HTML) and
archives (files, omnivore, pocket's ZIP, and the ZIP/directory limits). Every
item has a `source` naming the file and the line or entry ("pocket.csv, line
57", "export.zip: content/x.html", "wallabag.json, entry 12").

This module is the package's core, which the format modules import: the items
and the file error, the limits, parse_file's dispatch, how "auto" decides, and
what the parsers share (reading and decoding files, dates, tags, the item
checks). Parsers raise `ItemProblem` while filling in one item; `make_item`
turns it into `ImportedItem.error`, and `finish_item` applies the checks every
item gets (NUL bytes and lone surrogates, an http(s) URL, content or a URL),
so no parser can forget them.

Telling an input's format ("auto"): by its extension, then by sniffing its content.

* a directory, or a file starting with a ZIP signature (whatever its name):
  its member names decide: any metadata_*.json is Omnivore, any part_N.csv is
  Pocket, otherwise loose article files ("files");
* .jsonl / .ndjson: JSON Lines;
* .json (or content starting with "[" or "{"): the parsed document's shape:
  {"format": "newsreader", …} is ours, an array whose objects carry wallabag's
  keys (is_archived, is_starred, reading_time, domain_name) is wallabag, one
  whose objects all have Omnivore's slug and savedAt is an Omnivore metadata
  file, any other array is "json"; a file of several lines that is not one
  JSON document but starts with an object is JSON Lines;
* .csv / .tsv (or a first line that is a known header): the header row:
  URL, Selection, Folder, Timestamp is Instapaper; "Document tags" (or Saved
  date with Reading progress) is Readwise Reader; url with time_added is
  Pocket; otherwise our generic CSV;
* .html / .htm (or content starting with "<"): a NETSCAPE-Bookmark-file
  doctype (or a "Bookmarks" title with <DT><A ADD_DATE…> links) is browser
  bookmarks; a "Pocket Export" title or <a … time_added=…> links is Pocket's
  legacy export; anything else is a single article ("files"), but only under
  an .html/.htm name (the files format goes by extension);
* .txt / .md / .markdown: a single article ("files").

Anything else raises ImportFileError asking for the format to be named.
"""

import codecs
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsreader.lib.colours import COLOUR_VALUES
from newsreader.lib.decoding import (
    C1_ERRORS,
    declared_charset,
    decode,
    decode_cp1252,
    find_bom,
)

__all__ = [
    "FORMATS",
    "MAX_ARCHIVE_BYTES",
    "MAX_ARCHIVE_MEMBERS",
    "MAX_COMPRESSION_RATIO",
    "MAX_FILE_BYTES",
    "ImportFileError",
    "ImportedHighlight",
    "ImportedItem",
    "ImportedNote",
    "ImportedRead",
    "ImportedReply",
    "detect_format",
    "iter_inputs",
    "parse_file",
]

# --- Limits ---------------------------------------------------------------------------------

# The largest single input file parse_file accepts (the caller caps uploads too).
MAX_FILE_BYTES = 100 * 1024 * 1024
# ZIP archives and directories: how many entries, and how many bytes read in all.
MAX_ARCHIVE_MEMBERS = 10_000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
# A member that inflates more than this is refused (a "ZIP bomb")...
MAX_COMPRESSION_RATIO = 100
# ...once it has inflated past this size: small, very repetitive files are harmless.
RATIO_CHECK_MIN_BYTES = 1024 * 1024


# --- What a parser yields -------------------------------------------------------------------


class ImportFileError(ValueError):
    """The file cannot be imported at all; the message says why, for people."""


class ItemProblem(Exception):
    """This entry cannot be imported; the message (for people) becomes ImportedItem.error."""


@dataclass
class ImportedReply:
    """A reply in the thread under a highlight (our own export has them)."""

    author: str | None = ""  # a username; "" the source does not say, None nobody (see below)
    body: str = ""  # Markdown
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class ImportedNote:
    """A note on the article as a whole, by one member (our own export has them)."""

    author: str | None = ""  # as ImportedReply.author
    body: str = ""  # Markdown
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class ImportedRead:
    """That a member (by username) read the article, and when."""

    user: str
    read_at: datetime | None = None


@dataclass
class ImportedHighlight:
    """A highlight as another app exported it: a quote, and maybe its note.

    Our own export (newsreader version 2) also says where it was (`start`/`end`,
    the W3C TextPositionSelector: the first place anchoring tries), whether it
    had become an orphan, who may see it, who wrote it and its replies.
    `author` is a username; "" means the source does not say (the importing
    member wrote it), None that the source says nobody (the account was deleted).
    """

    exact: str
    note: str = ""
    colour: str = "yellow"  # one of Highlight.Colour's values
    prefix: str = ""
    suffix: str = ""
    created_at: datetime | None = None
    start: int | None = None
    end: int | None = None
    is_orphan: bool = False
    visibility: str = "team"  # "team" or "private"
    author: str | None = ""
    updated_at: datetime | None = None
    replies: list[ImportedReply] = field(default_factory=list)


@dataclass
class ImportedItem:
    """One article to import, as found in the input."""

    # Where in the input it came from, for the report: "pocket.csv, line 57",
    # "export.zip: articles/x.html", "wallabag.json, entry 12".
    source: str
    title: str = ""
    url: str = ""
    # The article itself, if the input has it; otherwise it is fetched from `url`.
    content: bytes | str | None = None
    content_type: str = ""  # "text/html", "text/plain", "text/markdown" or "" (detect)
    filename: str = ""
    byline: str = ""
    published: date | None = None
    added_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    note: str = ""  # a note on the article as a whole (Markdown)
    highlights: list[ImportedHighlight] = field(default_factory=list)
    # Set when this entry cannot be imported; the report shows it.
    error: str = ""
    # Reading state as the source has it; None where the source does not say.
    read: bool | None = None
    archived: bool | None = None
    starred: bool | None = None
    progress: float | None = None  # how far it was read, 0.0 to 1.0
    # Malformed optional values that were left out, for the report ("…; ignored.").
    warnings: list[str] = field(default_factory=list)
    # Our own export (newsreader version 2): the team's notes on the article and
    # who read it; `note` above is the older single note of other formats.
    article_notes: list[ImportedNote] = field(default_factory=list)
    readers: list[ImportedRead] = field(default_factory=list)


# --- Reading a file: the formats, and which parser reads it ---------------------------------
# The format modules (csv_formats, json_formats, html_formats, archives) import what they share
# from this package, so the functions here and in "Telling the format" import them when called.

FORMATS = (
    "jsonl",
    "json",
    "csv",
    "files",
    "bookmarks",
    "pocket",
    "instapaper",
    "wallabag",
    "omnivore",
    "readwise",
    "newsreader",
)
# Formats that read a ZIP archive or a directory.
_CONTAINER_FORMATS = ("files", "omnivore", "pocket")


def _display_name(path: Path) -> str:
    return printable(path.name or str(path))


def _check_path(path: Path, name: str):
    if not path.exists():
        raise ImportFileError(f"{name}: no such file or directory.")
    if not path.is_dir():
        if not path.is_file():
            raise ImportFileError(f"{name} is not a regular file.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                f"{name} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes."
            )


def detect_format(path: Path) -> str:
    """The format `path` (a file or directory) is in; ImportFileError if it cannot tell."""
    path = Path(path)
    name = _display_name(path)
    _check_path(path, name)
    return sniff(path, name)[0]


def _json_document(path, name, data):
    return data if data is not None else load_json(path, name)


def _parse_pocket(path: Path, name: str) -> Iterator[ImportedItem]:
    # Imported here, not at the top: the format modules import this package.
    from newsreader.lib.formats.archives import is_zip, open_container, parse_pocket_container
    from newsreader.lib.formats.csv_formats import parse_csv, path_opener
    from newsreader.lib.formats.html_formats import parse_pocket_html

    if path.is_dir() or is_zip(path):
        with open_container(path) as container:
            yield from parse_pocket_container(container)
        return
    with open(path, "rb") as stream:
        head = stream.read(4096)
    if path.suffix.lower() in (".html", ".htm") or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        yield from parse_pocket_html(read_limited(path, name), name)
    else:
        yield from parse_csv("pocket", path_opener(path, name), name)


def parse_file(path: Path, format: str = "auto") -> Iterator[ImportedItem]:  # noqa: A002
    """Yield the items in `path` (a file, or a directory for files/omnivore/pocket).

    `format` is one of FORMATS or "auto" (see detect_format). Raises
    ImportFileError, possibly after some items were yielded, when the file as
    a whole cannot be imported.
    """
    # Imported here, not at the top: the format modules import this package.
    from newsreader.lib.formats.archives import is_zip, parse_files, parse_omnivore
    from newsreader.lib.formats.csv_formats import parse_csv, path_opener
    from newsreader.lib.formats.html_formats import parse_bookmarks
    from newsreader.lib.formats.json_formats import (
        jsonl_opener,
        parse_json,
        parse_jsonl,
        parse_newsreader,
        parse_wallabag,
    )

    path = Path(path)
    name = _display_name(path)
    if format != "auto" and format not in FORMATS:
        raise ImportFileError(f"Unknown import format {format!r}: expected one of {FORMATS}.")
    _check_path(path, name)
    if path.is_dir():
        if format not in ("auto", *_CONTAINER_FORMATS):
            raise ImportFileError(
                f"{name} is a directory; the {format} format reads a single file."
            )
    elif format not in ("auto", *_CONTAINER_FORMATS) and is_zip(path):
        raise ImportFileError(f"{name} is a ZIP archive; the {format} format reads a single file.")
    data = None
    if format == "auto":
        format, data = sniff(path, name)
    if format == "jsonl":
        yield from parse_jsonl(jsonl_opener(path, name), name)
    elif format == "json":
        yield from parse_json(_json_document(path, name, data), name)
    elif format == "newsreader":
        yield from parse_newsreader(_json_document(path, name, data), name)
    elif format == "wallabag":
        yield from parse_wallabag(_json_document(path, name, data), name)
    elif format in ("csv", "instapaper", "readwise"):
        yield from parse_csv(format, path_opener(path, name), name)
    elif format == "pocket":
        yield from _parse_pocket(path, name)
    elif format == "bookmarks":
        yield from parse_bookmarks(read_limited(path, name), name)
    elif format == "files":
        yield from parse_files(path)
    elif format == "omnivore":
        yield from parse_omnivore(path, data)


def iter_inputs(paths: list[Path]) -> Iterator[Path]:
    """Each path as given if it is not a directory; a directory's files, walked in sorted order.

    Walking skips hidden files and folders (".DS_Store", ".git") and symbolic
    links; paths given explicitly are yielded even if missing (parse_file then
    says so).
    """
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        found = []
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__MACOSX"]
            for filename in files:
                full = Path(root, filename)
                if not filename.startswith(".") and not full.is_symlink():
                    found.append(full)
        yield from sorted(found)


# --- Telling the format ("auto") ------------------------------------------------------------

HEAD_BYTES = 64 * 1024
_ARTICLE_KEYS = {"url", "html", "text", "markdown"}


def load_json(path: Path, name: str):
    # Imported here, not at the top: the format modules import this package.
    from newsreader.lib.formats.json_formats import loads

    return loads(decode_bytes(read_limited(path, name), name), name)


def _single_object_line(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) == 1


def _starts_with_object_lines(text: str) -> bool:
    lines = [line for line in text.split("\n", 50)[:50] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except (ValueError, RecursionError):
        return False


def _json_format(path: Path, name: str):
    # Imported here, not at the top: the format modules import this package.
    from newsreader.lib.formats.json_formats import loads, shape_format

    text = decode_bytes(read_limited(path, name), name)
    try:
        data = loads(text, name)
    except ImportFileError:
        if _starts_with_object_lines(text):
            return "jsonl", None
        raise
    if (
        isinstance(data, dict)
        and "format" not in data
        and _ARTICLE_KEYS & data.keys()
        and _single_object_line(text)
    ):
        return "jsonl", None  # a single article on a single line
    return shape_format(data, name), data


def _csv_format(head: bytes) -> str | None:
    # Imported here, not at the top: the format modules import this package.
    from newsreader.lib.formats.csv_formats import format_for_header, read_header

    columns = read_header(decode_head(head))
    return format_for_header(columns) if columns else None


def sniff(path: Path, name: str):
    """(format, the parsed JSON document if one had to be read, else None)."""
    # Imported here, not at the top: the format modules import this package.
    from newsreader.lib.formats.archives import (
        ARTICLE_TYPES,
        DirContainer,
        ZipContainer,
        container_format,
        is_zip,
    )
    from newsreader.lib.formats.html_formats import html_format

    if path.is_dir():
        with DirContainer(path, name) as container:
            return container_format(container.members()), None
    if is_zip(path):
        with ZipContainer(path, name) as container:
            return container_format(container.members()), None
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        raise ImportFileError(f"{name} is named .zip but is not a ZIP archive.")
    if not head.strip():
        raise ImportFileError(f"{name} is empty.")
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl", None
    if suffix == ".json":
        return _json_format(path, name)
    if suffix in (".csv", ".tsv"):
        return _csv_format(head) or "csv", None
    if suffix in (".html", ".htm"):
        return html_format(decode_head(head)), None
    if suffix in ARTICLE_TYPES:
        return "files", None
    text = decode_head(head).lstrip("\ufeff \t\r\n")
    if text[:1] in ("[", "{"):
        return _json_format(path, name)
    if text[:1] == "<" and html_format(text) != "files":
        return html_format(text), None  # (a lone article needs its .html name)
    found = _csv_format(head)
    if found:
        return found, None
    raise ImportFileError(f"Cannot tell what format {name} is in; choose the format explicitly.")


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
    """An aware UTC date-time from an ISO 8601 string; without an offset it is taken as UTC."""
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
            # Year 1 or 9999 with an offset falls outside what a datetime holds in UTC.
            return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
        except (ValueError, OverflowError):
            pass
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


# --- Reading state --------------------------------------------------------------------------

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def parse_flag(value, what: str) -> bool | None:
    """true/false from a JSON boolean, 0/1, or "true"/"false"/"yes"/"no"/"1"/"0" ("": unknown)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ItemProblem(f"{what} {_short(value)} is not true or false.")


def parse_progress(value, what: str, *, percent: bool | None = False) -> float | None:
    """How far an article was read, as a fraction from 0.0 to 1.0 ("" or None: unknown).

    `percent`: False, the value is a fraction (0 to 1); True, a percentage (0 to
    100); None, a fraction, or a percentage if it is above 1. A trailing "%"
    always means a percentage.
    """
    if value is None:
        return None
    text = "" if isinstance(value, bool) else str(value).strip()
    if not text and not isinstance(value, bool):
        return None
    if text.endswith("%"):
        text, percent = text[:-1].strip(), True
    try:
        number = float(text) if 0 < len(text) <= 24 else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ItemProblem(f"{what} {_short(value)} is not a number.")
    if percent or (percent is None and number > 1):
        number /= 100
    if not 0 <= number <= 1:
        scale = "0 and 1" if percent is False else "0% and 100%"
        raise ItemProblem(f"{what} {_short(value)} is not between {scale}.")
    return number


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
            raise ItemProblem(f"'{what}' must be a list of strings, but it holds {type_name(tag)}.")
        tags.append(tag)
    return tags


def highlight_colour(value, where: str) -> str:
    if value is None or value == "":
        return "yellow"
    if isinstance(value, str) and value.strip().lower() in COLOUR_VALUES:
        return value.strip().lower()
    raise ItemProblem(f"{where}: colour {_short(value)} is not one of {', '.join(COLOUR_VALUES)}.")


def lenient_colour(item: ImportedItem, value, where: str) -> str:
    """A highlight's colour; a malformed one is a warning on `item`, and yellow."""
    return optional(item, highlight_colour, value, where, default="yellow", where=where)


# --- Items ----------------------------------------------------------------------------------


def optional(item: ImportedItem, parse: Callable, *args, default=None, where: str = "", **kwargs):
    """parse(*args, **kwargs); if that raises ItemProblem, a warning on `item` and `default`.

    For optional fields: a malformed value is reported and left out, and the
    item is imported without it. `where` ("Highlight 2") prefixes the warning.
    """
    try:
        return parse(*args, **kwargs)
    except ItemProblem as problem:
        warn(item, str(problem), where)
        return default


def warn(item: ImportedItem, message: str, where: str = ""):
    """Add "<where>: <message>; ignored." to the item's warnings."""
    message = message.rstrip(".")
    if where and not message.startswith(where):
        message = f"{where}: {message}"
    item.warnings.append(f"{message}; ignored.")


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
        yield f"Highlight {number}'s author", highlight.author or ""
        for reply_number, reply in enumerate(highlight.replies, 1):
            yield f"Reply {reply_number} to highlight {number}", reply.body
            yield f"Reply {reply_number} to highlight {number}'s author", reply.author or ""
    for number, note in enumerate(item.article_notes, 1):
        yield f"Article note {number}", note.body
        yield f"Article note {number}'s author", note.author or ""
    for read in item.readers:
        yield "A reader's name", read.user


def _scrub(text):
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "")) if isinstance(text, str) else text


def _scrub_item(item: ImportedItem):
    # The report shows these fields: they must be printable and encodable as UTF-8.
    for name in ("title", "url", "content", "filename", "byline", "note"):
        setattr(item, name, _scrub(getattr(item, name)))
    item.tags = [_scrub(tag) for tag in item.tags]
    item.highlights = [
        replace(
            h,
            exact=_scrub(h.exact),
            note=_scrub(h.note),
            prefix=_scrub(h.prefix),
            suffix=_scrub(h.suffix),
            author=_scrub(h.author),
            replies=[_scrub_body(reply) for reply in h.replies],
        )
        for h in item.highlights
    ]
    item.article_notes = [_scrub_body(note) for note in item.article_notes]
    item.readers = [replace(read, user=_scrub(read.user)) for read in item.readers]


def _scrub_body(entry):
    return replace(entry, body=_scrub(entry.body), author=_scrub(entry.author))


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
