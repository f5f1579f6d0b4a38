"""CSV imports: our generic CSV, and the CSV exports of Pocket, Instapaper and Readwise Reader.

Header names are matched case-insensitively, after trimming; columns not named
below are ignored. The separator is the one of `,` `;` and tab that the header
line uses most (outside quotes), `,` if none. Every data row must have exactly
as many fields as the header; blank rows are skipped.

Generic CSV (format "csv")::

    title,url,html,text,markdown,byline,published,tags,notes
      [,added_at,read,archived,starred,progress]

  Any subset, but at least one of url, html, text, markdown. `html`, `markdown`
  and `text` (the first non-empty, in that order) become the content, typed
  text/html, text/markdown and text/plain. `published` is an ISO date or
  date-time, `added_at` an ISO date-time, `tags` a string separated by commas,
  semicolons or pipes, `notes` the article's note. `read`, `archived` and
  `starred` are true/false (yes/no, 1/0; empty: not said), `progress` a
  fraction from 0 to 1 ("45%" is read as a percentage).

Pocket (format "pocket"; the 2024-25 export, a CSV or a ZIP of CSV parts)::

    title,url,time_added,cursor,tags,status     (cursor is absent in some exports)

  Required: title, url, time_added. `time_added` is Unix time (the time
  added); `tags` are separated by `|`. `status` is "unread" (read and archived
  false) or "archive" (both true: Pocket's archive is its list of read
  articles, headed "Read Archive" in its older export); "archived" and "read"
  are taken for "archive" too, and any other value is a warning. Pocket's CSV
  has no favourite flag and no progress; `cursor` is not imported. A title
  equal to the URL (Pocket's placeholder) is left empty.

Instapaper (format "instapaper"; Settings > Export > CSV)::

    URL,Title,Selection,Folder,Timestamp[,Tags]

  All five required. `Selection` (text selected when saving) becomes a
  highlight; `Timestamp` is Unix time (the time added); `Tags`, in newer
  exports, a list written like '["a", "b"]'. `Folder` is either one of
  Instapaper's built-in lists, which are states: "Unread" (read and archived
  false), "Archive" (both true: Instapaper archives what has been read),
  "Starred" (starred; read state not said), or a folder of the user's, which
  becomes a tag (read state not said). The export has no progress.

Readwise Reader (format "readwise"; Reader's "Export library" CSV)::

    Title,URL,ID,Author,Document tags,Saved date,Reading progress,Location,Seen,...

  Required: Title, URL. `Author` becomes the byline, `Document tags` (written
  like "['a', 'b']") the tags, `Saved date` (ISO date-time) the time added.
  `Reading progress` is the progress, a fraction from 0 to 1 (a value above 1,
  or one ending in "%", is read as a percentage). `Location` is where Reader
  keeps the document: "archive" is archived; "new", "later", "shortlist" and
  "feed" are not (another value is a warning). `Seen` (True/False) is assumed
  to say whether the document was ever opened, which is not the same as read:
  False means unread, True leaves the read state unsaid. Reader's library
  export has no favourite flag and no highlights.

Strictness. Rows are read with the csv module in strict mode, so a quote mark
that closes a field and is followed by anything but a separator or the end of
the line is an error, and so is a quoted field still open at the end of the
file. One mistake strict mode cannot see: a stray opening quote whose field
runs on over following rows until some later quote happens to close it,
silently swallowing those rows. A quoted field may legitimately span lines (a
selection or note with line breaks), so the check is exact rather than a
guess about line counts: every physical line after the first of a record
starts inside a quoted field, so one with no lone quote mark (`""` is an
escaped quote) is wholly that field's content. If such a line, parsed on its
own, has exactly the header's number of fields with a web address in the URL
column, it is taken for a swallowed row and the file is refused. (A line
that closes a field, or opens another, is never taken for a row: a
legitimate multi-line first column looks exactly like a runaway there. The
one false alarm left is a multi-line note that contains a whole row of this
file, URL included, on a line of its own.) Inputs without a URL column
(content-only CSV) get strict mode and the field-count check only.

The whole file is validated (and its encoding settled) before the first item
is yielded, so structural errors never come after items; this costs a second
pass over the file, in constant memory.

The csv module's field size limit (process-wide) is raised, never lowered, to
MAX_CSV_FIELD_CHARS so that an article's HTML fits in one field.
"""

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsreader.lib.formats import (
    ImportedHighlight,
    ImportedItem,
    ImportFileError,
    ItemProblem,
    decode_bytes,
    file_encoding,
    list_literal_tags,
    make_item,
    optional,
    parse_date,
    parse_datetime,
    parse_flag,
    parse_progress,
    parse_timestamp,
    printable,
    split_tags,
)

MAX_CSV_FIELD_CHARS = 16 * 1024 * 1024

CONTENT_COLUMNS = (("html", "text/html"), ("markdown", "text/markdown"), ("text", "text/plain"))

_URLISH = re.compile(r"\s*https?://\S", re.IGNORECASE)
_PIPE = re.compile(r"\|")


@dataclass(frozen=True)
class CsvSpec:
    label: str
    required: tuple[str, ...] = ()
    required_any: tuple[str, ...] = ()
    url_column: str = "url"


# --- Reading rows ----------------------------------------------------------------------------


def path_opener(path, name: str) -> Callable:
    """A function opening the CSV file at `path` afresh, in the encoding it turned out to use."""
    encoding, errors = file_encoding(path, name)
    return lambda: open(path, encoding=encoding, errors=errors, newline="")  # noqa: SIM115


def bytes_opener(data: bytes, name: str) -> Callable:
    text = decode_bytes(data, name)
    return lambda: io.StringIO(text, newline="")


class _Tap:
    """Hands lines to csv.reader and remembers the ones the current record took."""

    def __init__(self, lines):
        self._lines = lines
        self.taken = []

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._lines)
        self.taken.append(line)
        return line


def sniff_delimiter(line: str) -> str:
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=counts.__getitem__)  # ties go to ","
    return best if counts[best] else ","


def _raise_field_limit():
    if csv.field_size_limit() < MAX_CSV_FIELD_CHARS:
        csv.field_size_limit(MAX_CSV_FIELD_CHARS)


def _header_keys(row: list[str], name: str, spec: CsvSpec) -> list[str]:
    names = [field.strip().lstrip("\ufeff").strip() for field in row]
    keys = []
    for number, column in enumerate(names, 1):
        key = column.lower()
        if not key:
            key = f"#{number}"
        elif key in keys:
            raise ImportFileError(f"{name}: the column {column!r} appears twice in the header.")
        keys.append(key)
    shown = printable(", ".join(names))
    shown = shown if len(shown) <= 300 else shown[:300] + "…"
    missing = [column for column in spec.required if column not in keys]
    if missing:
        raise ImportFileError(
            f"{name} lacks the column(s) {', '.join(missing)} that a {spec.label} needs; "
            f"its first line has: {shown}."
        )
    if spec.required_any and not any(column in keys for column in spec.required_any):
        raise ImportFileError(
            f"{name} needs at least one of the columns {', '.join(spec.required_any)}; "
            f"its first line has: {shown}."
        )
    return keys


def _check_runaway(taken, start, name, delimiter, width, url_index):
    for offset, line in enumerate(taken[1:], 1):
        # Every line after a record's first starts inside a quoted field; with no lone
        # quote mark on it, the whole line is that field's content.
        if '"' in line.replace('""', ""):
            continue
        try:
            fields = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(fields) == width and _URLISH.match(fields[url_index]):
            raise ImportFileError(
                f"{name}, line {start}: a quoted field starting on this line runs on to line "
                f"{start + len(taken) - 1}, swallowing line {start + offset}, which looks like "
                "a row of its own; a quote mark is probably missing or stray."
            )


def csv_rows(open_text: Callable, name: str, spec: CsvSpec) -> Iterator[tuple[int, dict]]:
    """(line number, {lower-case column: value}) for each data row; structure errors raise."""
    _raise_field_limit()
    with open_text() as stream:
        lines = iter(stream)
        try:
            first = next(lines, None)
            if first is None:
                raise ImportFileError(f"{name} is empty.")
            delimiter = sniff_delimiter(first)
            tap = _Tap(itertools.chain([first], lines))
            reader = csv.reader(tap, delimiter=delimiter, strict=True)
            keys = url_index = None
            while True:
                start = reader.line_num + 1
                tap.taken.clear()
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    if "unexpected end of data" in str(exc):
                        raise ImportFileError(
                            f"{name}, line {start}: a quoted field starting on this line is "
                            "never closed; a quote mark is probably missing or stray."
                        ) from None
                    raise ImportFileError(
                        f"{name}, line {reader.line_num}: this is not well-formed CSV ({exc}); "
                        "a stray or missing quote mark is the usual cause."
                    ) from None
                if not any(field.strip() for field in row):
                    continue
                if keys is None:
                    keys = _header_keys(row, name, spec)
                    if spec.url_column in keys:
                        url_index = keys.index(spec.url_column)
                    continue
                if len(row) != len(keys):
                    raise ImportFileError(
                        f"{name}, line {start}: {len(row)} fields where the header has "
                        f"{len(keys)}; is a quote mark or a separator out of place?"
                    )
                if url_index is not None and len(tap.taken) > 2:
                    _check_runaway(tap.taken, start, name, delimiter, len(keys), url_index)
                yield start, dict(zip(keys, row, strict=True))
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{name} is not readable text ({exc.reason}).") from None
    if keys is None:
        raise ImportFileError(f"{name} has no header line.")


def read_header(text: str) -> list[str] | None:
    """The lower-case column names on the first non-blank line of `text`, if it parses."""
    lines = text.splitlines(keepends=True)
    for line in lines[:20]:
        if line.strip():
            try:
                row = next(csv.reader([line], delimiter=sniff_delimiter(line)))
            except (csv.Error, StopIteration):
                return None
            return [field.strip().lstrip("\ufeff").strip().lower() for field in row]
    return None


def format_for_header(columns) -> str | None:
    """Which CSV format a header belongs to, or None if it has none of the known columns."""
    columns = set(columns)
    if {"url", "selection", "folder", "timestamp"} <= columns:
        return "instapaper"
    if "document tags" in columns or {"saved date", "reading progress"} <= columns:
        return "readwise"
    if {"url", "time_added"} <= columns:
        return "pocket"
    if columns & {"url", "html", "text", "markdown"}:
        return "csv"
    return None


# --- The formats -----------------------------------------------------------------------------

GENERIC = CsvSpec("CSV import", required_any=("url", "html", "text", "markdown"))
POCKET = CsvSpec("Pocket export", required=("title", "url", "time_added"))
INSTAPAPER = CsvSpec(
    "Instapaper export", required=("url", "title", "selection", "folder", "timestamp")
)
READWISE = CsvSpec("Readwise Reader export", required=("title", "url"))


def _generic(item: ImportedItem, row: dict):
    item.title = row.get("title", "").strip()
    item.url = row.get("url", "").strip()
    for column, content_type in CONTENT_COLUMNS:
        if row.get(column, "").strip():
            item.content = row[column]
            item.content_type = content_type
            break
    item.byline = row.get("byline", "").strip()
    item.tags = split_tags(row.get("tags", ""))
    item.note = row.get("notes", "").strip()
    item.published = optional(item, parse_date, row.get("published"), "The published date")
    item.added_at = optional(item, parse_datetime, row.get("added_at"), "added_at")
    item.read = optional(item, parse_flag, row.get("read"), "read")
    item.archived = optional(item, parse_flag, row.get("archived"), "archived")
    item.starred = optional(item, parse_flag, row.get("starred"), "starred")
    item.progress = optional(item, parse_progress, row.get("progress"), "progress")


# Pocket's status: (read, archived).
_POCKET_STATES = {
    "unread": (False, False),
    "archive": (True, True),
    "archived": (True, True),
    "read": (True, True),
}


def _state(value: str, states: dict, what: str):
    """The states entry for `value` (case-insensitive; "" gives None)."""
    key = value.strip().lower()
    if not key:
        return None
    if key not in states:
        shown = printable(value.strip()[:60])
        raise ItemProblem(f"{what} {shown!r} is not one of {', '.join(states)}.")
    return states[key]


def _pocket(item: ImportedItem, row: dict):
    item.url = row["url"].strip()
    title = row["title"].strip()
    item.title = "" if title == item.url else title
    item.tags = split_tags(row.get("tags", ""), _PIPE)
    item.added_at = optional(item, parse_timestamp, row["time_added"], "time_added")
    state = optional(item, _state, row.get("status", ""), _POCKET_STATES, "status")
    if state:
        item.read, item.archived = state


# Instapaper's built-in folders: (read, archived, starred).
_INSTAPAPER_FOLDERS = {
    "unread": (False, False, None),
    "archive": (True, True, None),
    "starred": (None, None, True),
}


def _instapaper(item: ImportedItem, row: dict):
    item.url = row["url"].strip()
    item.title = row["title"].strip()
    folder = row["folder"].strip()
    if folder.lower() in _INSTAPAPER_FOLDERS:
        item.read, item.archived, item.starred = _INSTAPAPER_FOLDERS[folder.lower()]
    elif folder:
        item.tags.append(folder)
    item.tags.extend(list_literal_tags(row.get("tags", "")))
    selection = row["selection"].strip()
    if selection:
        item.highlights.append(ImportedHighlight(exact=selection))
    item.added_at = optional(item, parse_timestamp, row["timestamp"], "Timestamp")


# Reader's Location: whether it is archived.
_READWISE_LOCATIONS = {
    "new": False,
    "later": False,
    "shortlist": False,
    "feed": False,
    "archive": True,
}


def _readwise(item: ImportedItem, row: dict):
    item.url = row["url"].strip()
    item.title = row["title"].strip()
    item.byline = row.get("author", "").strip()
    item.tags = list_literal_tags(row.get("document tags", ""))
    item.added_at = optional(item, parse_datetime, row.get("saved date"), "Saved date")
    item.progress = optional(
        item, parse_progress, row.get("reading progress"), "Reading progress", percent=None
    )
    item.archived = optional(item, _state, row.get("location", ""), _READWISE_LOCATIONS, "Location")
    seen = optional(item, parse_flag, row.get("seen"), "Seen")
    item.read = False if seen is False else None


FORMATS = {
    "csv": (GENERIC, _generic),
    "pocket": (POCKET, _pocket),
    "instapaper": (INSTAPAPER, _instapaper),
    "readwise": (READWISE, _readwise),
}


def parse_csv(fmt: str, open_text: Callable, name: str) -> Iterator[ImportedItem]:
    """Items from a CSV in format `fmt` ("csv", "pocket", "instapaper" or "readwise").

    `open_text` opens the text afresh (see path_opener, bytes_opener); the
    whole file is validated before the first item is yielded.
    """
    spec, fill = FORMATS[fmt]
    for _ in csv_rows(open_text, name, spec):
        pass
    for line, row in csv_rows(open_text, name, spec):
        yield make_item(f"{name}, line {line}", fill, row)
