"""Parsing import files into ImportedItem objects: pure Python, no database.

    FORMATS                      the format names parse_file takes (besides "auto")
    detect_format(path) -> str   which format `path` is in; ImportFileError if it can't tell
    parse_file(path, format="auto") -> Iterator[ImportedItem]
    iter_inputs(paths) -> Iterator[Path]   files as given, directories walked (sorted)

parse_file is a generator. Problems with the file as a whole raise
ImportFileError; every format validates the whole input (structure, archive
limits) before yielding its first item, but the caller should still treat an
ImportFileError at any point as "discard everything from this file". Problems
with one entry are reported on that item (`error`), and the rest carry on.

The formats and the structures they are assumed to have are documented in:
csv_formats (csv, pocket, instapaper, readwise), json_formats (jsonl, json,
newsreader, wallabag), html_formats (bookmarks, pocket's legacy HTML),
archives (files, omnivore, pocket's ZIP, and the ZIP/directory limits) and
detect (how "auto" decides). Every item has a `source` naming the file and
the line or entry ("pocket.csv, line 57", "export.zip: content/x.html",
"wallabag.json, entry 12"); common.finish_item applies the checks all items
get (NUL bytes and lone surrogates, http(s) URLs, content or a URL).
"""

import os
from collections.abc import Iterator
from pathlib import Path

from newsreader.lib.formats.archives import (
    is_zip,
    parse_files,
    parse_omnivore,
    parse_pocket_container,
)
from newsreader.lib.formats.archives import open_container as _open_container
from newsreader.lib.formats.base import ImportedHighlight, ImportedItem, ImportFileError
from newsreader.lib.formats.common import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    printable,
    read_limited,
)
from newsreader.lib.formats.csv_formats import parse_csv, path_opener
from newsreader.lib.formats.detect import load_json, sniff
from newsreader.lib.formats.html_formats import parse_bookmarks, parse_pocket_html
from newsreader.lib.formats.json_formats import (
    jsonl_opener,
    parse_json,
    parse_jsonl,
    parse_newsreader,
    parse_wallabag,
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
    "detect_format",
    "iter_inputs",
    "parse_file",
]

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
    if path.is_dir() or is_zip(path):
        with _open_container(path) as container:
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
