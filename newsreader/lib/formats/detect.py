"""Telling an input's format ("auto"): by its extension, then by sniffing its content.

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

import json
from pathlib import Path

from newsreader.lib.formats.archives import (
    ARTICLE_TYPES,
    DirContainer,
    ZipContainer,
    container_format,
    is_zip,
)
from newsreader.lib.formats.base import ImportFileError
from newsreader.lib.formats.common import decode_bytes, decode_head, read_limited
from newsreader.lib.formats.csv_formats import format_for_header, read_header
from newsreader.lib.formats.html_formats import html_format
from newsreader.lib.formats.json_formats import loads, shape_format

HEAD_BYTES = 64 * 1024
_ARTICLE_KEYS = {"url", "html", "text", "markdown"}


def load_json(path: Path, name: str):
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
    columns = read_header(decode_head(head))
    return format_for_header(columns) if columns else None


def sniff(path: Path, name: str):
    """(format, the parsed JSON document if one had to be read, else None)."""
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
