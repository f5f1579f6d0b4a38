"""Imports from a ZIP archive or a directory: loose article files, Omnivore's export, Pocket's ZIP.

Containers
----------
A ZIP file and a directory are both read as a *container* of members, in
memory: nothing is ever extracted, and member names are only shown, never
used as filesystem paths (a member called "../../etc/x.html" is just a name).

Limits, all checked before the first item is yielded (every member that will
be read is read once up front, counting the bytes it actually inflates to;
sizes in ZIP headers are never trusted), each an ImportFileError:

* at most MAX_ARCHIVE_MEMBERS entries (for a ZIP, the count in its end
  record is checked before the central directory is loaded, and so is the
  directory's size);
* at most MAX_ARCHIVE_BYTES read in all;
* no member inflating more than MAX_COMPRESSION_RATIO times its compressed
  size once past RATIO_CHECK_MIN_BYTES (a "ZIP bomb");
* a damaged archive (bad CRC, truncated data, an unsupported compression
  method).

Per member, reported as an item with an error (the rest carries on):

* symbolic links (ZIP: Unix mode bits in external_attr; directory: lstat);
* encrypted ZIP members (flag bit 0x1);
* archives inside the archive (.zip, .tar, .gz, .7z, … or ZIP bytes under an
  article's name): not opened.

Skipped silently: directories, hidden files and folders (".DS_Store",
".git/"), macOS "__MACOSX/" resource forks and, for the "files" format, any
member that is not an article file.

Loose files (format "files"): every .html, .htm, .txt, .md and .markdown
member, sorted by name; the content is the file's bytes (its encoding is
settled by extraction), typed by extension; the title is left to extraction.
A single such file is accepted too.

Omnivore (format "omnivore"; the ZIP Omnivore's exporter mailed in 2024)::

    metadata_0_to_20.json, metadata_20_to_40.json, …   arrays of entries:
        {"id", "slug", "title", "description", "author", "url", "state",
         "readingProgress", "thumbnail", "labels": ["a", …],
         "savedAt", "updatedAt", "publishedAt"}           (ISO date-times)
    content/<slug>.html       the readable HTML of the entry
    highlights/<slug>.md      its highlights, if any

  url, title, author (byline), labels (tags; strings or {"name"} objects),
  savedAt (time added) and publishedAt (published date) are imported;
  Omnivore's placeholder URLs for newsletters ("https://omnivore.app/no_url…")
  are dropped. `state` is what Omnivore's exporter wrote: "Archived"
  (archived), "Active" (not archived) or "Unknown" (not said); the library's
  own state names ("SUCCEEDED", "CONTENT_NOT_FETCHED": not archived;
  "ARCHIVED") are read too, and a boolean `isArchived`, if an export has one,
  wins. `readingProgress` is a percentage, 0 to 100 (Omnivore's
  readingProgressBottomPercent; `readingProgressPercent` is read too), and
  becomes the progress. Omnivore has no read flag and no favourites, so read
  and starred are not said. The files may sit in one folder inside the ZIP; an unzipped
  export (a directory) and a lone metadata_*.json file (no content or
  highlights then) are read too. The highlights file is what Omnivore wrote
  for each highlight, joined by blank lines::

      > {quote, its blank lines written as "> "}

      #label #label          (the highlight's labels, if any: not imported)

      {the note, if any}

  so: a block starting with ">" starts a highlight (">" markers dropped,
  later lines of the block belong to the quote too); a following block of
  "#label" words is skipped; other following blocks are its note. Text before
  the first quote is the article's note (Omnivore wrote article notes as bare
  text). A note written after a highlight cannot be told from that
  highlight's own note: Omnivore's format does not say. The file has no
  times, so these highlights have no created_at.

Pocket ZIP (format "pocket"; the export Pocket mailed from late 2024)::

    part_000000.csv, part_000001.csv, …       each a Pocket CSV (see csv_formats)
    annotations/part_000000.json, …           the highlights, if any:
        [{"url": "https://…", "title": "…",
          "highlights": [{"quote": "…", "created_at": 1547165505}, …]}, …]

  Each annotations entry's highlights are attached to the article with that
  URL (compared exactly, then with the scheme and host in lower case, the
  fragment and a trailing "/" dropped): `quote` is the exact text,
  `created_at` its time (Unix seconds, or an ISO date-time; a malformed one is
  a warning). Assumed variants, read too: "highlights" under the name
  "annotations", a quote under "text", a "note" on a highlight, the article's
  URL under "given_url" or "resolved_url". Highlights with an empty quote are
  skipped. An entry whose URL no CSV row has becomes an item of its own (URL,
  title and highlights) with a warning saying so; an entry that is not an
  object or has no URL is an item with an error. Several entries for one URL
  are merged; a URL listed on several CSV rows gets the highlights on its
  first. An annotations file that is not a JSON array is a file error. Other
  members are not read.
"""

import contextlib
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit, urlunsplit

from newsreader.lib.formats import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_COMPRESSION_RATIO,
    RATIO_CHECK_MIN_BYTES,
    ImportedHighlight,
    ImportedItem,
    ImportFileError,
    ItemProblem,
    decode_bytes,
    finish_item,
    get_str,
    json_tags,
    make_item,
    optional,
    parse_date,
    parse_datetime,
    parse_flag,
    parse_progress,
    parse_timestamp,
    printable,
    read_limited,
    type_name,
)
from newsreader.lib.formats.csv_formats import bytes_opener, parse_csv
from newsreader.lib.formats.json_formats import loads

ARTICLE_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}
ARCHIVE_SUFFIXES = {".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar"}
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# A ZIP central directory bigger than this is refused before it is loaded.
MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024

_METADATA = re.compile(r"(?:^|/)metadata_[^/]*\.json$", re.IGNORECASE)
_POCKET_PART = re.compile(r"(?:^|/)part_\d+\.csv$", re.IGNORECASE)
_POCKET_ANNOTATIONS = re.compile(r"(?:^|/)annotations/[^/]*\.json$", re.IGNORECASE)
_OMNIVORE_NO_URL = "https://omnivore.app/no_url"


@dataclass
class Member:
    name: str  # for people: "content/x.html"; never a filesystem path
    kind: str  # "file", "symlink" or "encrypted"
    ref: object  # the ZipInfo, or the Path inside the directory

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name


def is_zip(path: Path) -> bool:
    """Whether the file at `path` starts with a ZIP signature (whatever its name)."""
    with open(path, "rb") as stream:
        return stream.read(4).startswith(ZIP_MAGIC)


def _natural_key(name: str):
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _is_junk(name: str) -> bool:
    parts = [part for part in name.split("/") if part]
    if not parts or parts[0] == "__MACOSX":
        return True
    return any(part.startswith(".") and part not in (".", "..") for part in parts)


class _Budget:
    """Counts every byte read from a container against MAX_ARCHIVE_BYTES."""

    def __init__(self, label):
        self.label = label
        self.total = 0

    def add(self, count):
        self.total += count
        if self.total > MAX_ARCHIVE_BYTES:
            raise ImportFileError(
                f"{self.label}: its files add up to more than "
                f"{MAX_ARCHIVE_BYTES // (1024 * 1024)} MB; import it in parts."
            )


# --- ZIP --------------------------------------------------------------------------------------


def _end_record_counts(path: Path) -> tuple[int, int] | None:
    """(entries, central directory bytes) as a ZIP's end record states them, if found."""
    size = path.stat().st_size
    with open(path, "rb") as stream:
        tail_size = min(size, 22 + 65535)
        stream.seek(size - tail_size)
        tail = stream.read(tail_size)
        position = tail.rfind(b"PK\x05\x06")
        if position < 0 or len(tail) - position < 22:
            return None
        entries, directory_size = struct.unpack_from("<2xHI", tail, position + 8)
        if entries != 0xFFFF and directory_size != 0xFFFFFFFF:
            return entries, directory_size
        locator = position - 20  # ZIP64: a locator right before points at the real record
        if locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
            return None
        (record_offset,) = struct.unpack_from("<Q", tail, locator + 8)
        if record_offset > size - 56:
            return None
        stream.seek(record_offset)
        record = stream.read(56)
        if record[:4] != b"PK\x06\x06":
            return None
        return struct.unpack_from("<QQ", record, 32)


class ZipContainer:
    def __init__(self, path: Path, label: str):
        self.label = label
        self.budget = _Budget(label)
        counts = _end_record_counts(path)
        if counts and counts[0] > MAX_ARCHIVE_MEMBERS:
            raise self._too_many(counts[0])
        if counts and counts[1] > MAX_CENTRAL_DIRECTORY_BYTES:
            raise ImportFileError(f"{label}: its table of contents is too large to read.")
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
            raise ImportFileError(f"{label} is not a readable ZIP archive ({exc}).") from None
        infos = self._zip.infolist()
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            self._zip.close()
            raise self._too_many(len(infos))
        self._members = []
        for info in infos:
            name = info.filename
            if not info.flag_bits & 0x800:  # not flagged UTF-8: often UTF-8 all the same
                with contextlib.suppress(UnicodeError):
                    name = name.encode("cp437").decode("utf-8")
            name = printable(name.replace("\\", "/"))
            if info.is_dir() or _is_junk(name):
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                kind = "symlink"
            elif info.flag_bits & 0x1:
                kind = "encrypted"
            else:
                kind = "file"
            self._members.append(Member(name, kind, info))

    def _too_many(self, count):
        return ImportFileError(
            f"{self.label} has {count:,} entries; the limit is {MAX_ARCHIVE_MEMBERS:,}."
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._zip.close()

    def members(self) -> list[Member]:
        return list(self._members)

    def source(self, member: Member) -> str:
        return f"{self.label}: {member.name}"

    def read(self, member: Member) -> bytes:
        info = member.ref
        chunks, size = [], 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(1 << 16):
                    size += len(chunk)
                    self.budget.add(len(chunk))
                    if size > RATIO_CHECK_MIN_BYTES and size > MAX_COMPRESSION_RATIO * max(
                        info.compress_size, 1
                    ):
                        raise ImportFileError(
                            f"{self.source(member)} inflates more than "
                            f"{MAX_COMPRESSION_RATIO}:1, like a ZIP bomb; the archive is refused."
                        )
                    chunks.append(chunk)
        except ImportFileError:
            raise
        except NotImplementedError as exc:
            raise ImportFileError(
                f"{self.source(member)} is compressed in a way this server cannot read ({exc})."
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
            raise ImportFileError(
                f"{self.source(member)} cannot be read: the archive is damaged ({exc})."
            ) from None
        return b"".join(chunks)


# --- Directories ------------------------------------------------------------------------------


class DirContainer:
    def __init__(self, path: Path, label: str):
        self.label = label
        self.budget = _Budget(label)
        self._members = []
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
            for filename in sorted(files):
                if filename.startswith("."):
                    continue
                full = Path(root, filename)
                name = printable(full.relative_to(path).as_posix())
                kind = "symlink" if full.is_symlink() else "file"
                self._members.append(Member(name, kind, full))
                if len(self._members) > MAX_ARCHIVE_MEMBERS:
                    raise ImportFileError(
                        f"{label} holds more than {MAX_ARCHIVE_MEMBERS:,} files; "
                        "import it in parts."
                    )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass

    def members(self) -> list[Member]:
        return list(self._members)

    def source(self, member: Member) -> str:
        return f"{self.label}/{member.name}"

    def read(self, member: Member) -> bytes:
        # Called only for regular files (symlinks are reported, never followed).
        try:
            data = read_limited(member.ref, self.source(member))
        except OSError as exc:
            raise ImportFileError(
                f"{self.source(member)} cannot be read ({exc.strerror or exc})."
            ) from None
        self.budget.add(len(data))
        return data


def open_container(path: Path):
    return DirContainer(path, path.name) if path.is_dir() else ZipContainer(path, path.name)


def container_format(members: list[Member]) -> str:
    """ "omnivore", "pocket" or "files", from the names in a ZIP or directory."""
    names = [member.name for member in members]
    if any(_METADATA.search(name) for name in names):
        return "omnivore"
    if any(_POCKET_PART.search(name) for name in names):
        return "pocket"
    return "files"


def _member_problem(member: Member) -> str:
    if member.kind == "symlink":
        return "It is a symbolic link; links are not followed."
    if member.kind == "encrypted":
        return "It is encrypted; encrypted files cannot be imported."
    return ""


def _validate(container, members: list[Member]):
    """Read every member once, so any container-level error comes before the first item."""
    for member in members:
        if member.kind == "file":
            container.read(member)
    container.budget.total = 0


# --- Loose article files ----------------------------------------------------------------------


def file_item(source: str, filename: str, data: bytes) -> ImportedItem:
    """An item for one article file's bytes (content type from its extension)."""
    suffix = PurePosixPath(filename).suffix.lower()
    item = ImportedItem(
        source=source,
        filename=filename,
        content=data,
        content_type=ARTICLE_TYPES.get(suffix, ""),
    )
    if data.startswith(ZIP_MAGIC):
        item.error = "It is a ZIP archive, not an article; archives inside archives are not opened."
    elif b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        item.error = "It contains a NUL byte: it is not a text file."
    elif not data.strip():
        item.error = "It is empty."
    return finish_item(item)


def _error_item(source: str, filename: str, message: str) -> ImportedItem:
    return finish_item(ImportedItem(source=source, filename=filename, error=message))


def parse_files_container(container) -> Iterator[ImportedItem]:
    members = sorted(container.members(), key=lambda member: _natural_key(member.name))
    wanted = [
        member
        for member in members
        if member.suffix in ARTICLE_TYPES or member.suffix in ARCHIVE_SUFFIXES
    ]
    if not wanted:
        raise ImportFileError(
            f"{container.label} holds no .html, .htm, .txt or .md files to import."
        )
    articles = [member for member in wanted if member.suffix in ARTICLE_TYPES]
    _validate(container, articles)
    for member in wanted:
        source = container.source(member)
        problem = _member_problem(member)
        if not problem and member.suffix in ARCHIVE_SUFFIXES:
            problem = "It is an archive inside the archive; it is not opened."
        if problem:
            yield _error_item(source, member.basename, problem)
        else:
            yield file_item(source, member.basename, container.read(member))


def parse_files(path: Path) -> Iterator[ImportedItem]:
    """Format "files": a directory, a ZIP archive, or one article file."""
    if path.is_dir() or is_zip(path):
        with open_container(path) as container:
            yield from parse_files_container(container)
        return
    if path.suffix.lower() not in ARTICLE_TYPES:
        raise ImportFileError(
            f"{path.name}: the files format takes .html, .htm, .txt or .md files, "
            "a directory or a ZIP archive of them."
        )
    yield file_item(path.name, printable(path.name), read_limited(path, path.name))


# --- Omnivore ---------------------------------------------------------------------------------

_LABELS_LINE = re.compile(r"#\S+(?:\s+#\S+)*")


def parse_omnivore_highlights(text: str) -> tuple[str, list[ImportedHighlight]]:
    """(article note, highlights) from an Omnivore highlights/<slug>.md file."""
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    article_notes: list[str] = []
    highlights: list[tuple[list[str], list[str]]] = []  # (quote lines, note blocks)
    for block in blocks:
        if block[0].lstrip().startswith(">"):
            quote = []
            for line in block:
                stripped = line.lstrip()
                if stripped.startswith(">"):
                    stripped = stripped[1:]
                    stripped = stripped[1:] if stripped.startswith(" ") else stripped
                    quote.append(stripped.rstrip())
                else:
                    quote.append(line.rstrip())  # a lazy continuation of the quote
            highlights.append((quote, []))
            continue
        text_block = "\n".join(line.rstrip() for line in block).strip()
        if highlights:
            if not highlights[-1][1] and _LABELS_LINE.fullmatch(text_block):
                continue  # the highlight's labels: not imported
            highlights[-1][1].append(text_block)
        else:
            article_notes.append(text_block)
    result = []
    for quote, notes in highlights:
        exact = "\n".join(quote).strip()
        if exact:
            result.append(ImportedHighlight(exact=exact, note="\n\n".join(notes)))
    return "\n\n".join(article_notes), result


# Omnivore's state, as its exporter wrote it or as its library stores it: archived?
_OMNIVORE_STATES = {
    "archived": True,
    "active": False,
    "succeeded": False,
    "content_not_fetched": False,
    "contentnotfetched": False,
    "unknown": None,
}


def _omnivore_archived(entry: dict) -> bool | None:
    if entry.get("isArchived") is not None:
        return parse_flag(entry.get("isArchived"), "isArchived")
    state = entry.get("state")
    if state is None or state == "":
        return None
    key = state.strip().lower() if isinstance(state, str) else None
    if key not in _OMNIVORE_STATES:
        raise ItemProblem(f"state {json.dumps(state)[:60]} is not Archived, Active or Unknown.")
    return _OMNIVORE_STATES[key]


def _fill_omnivore(item: ImportedItem, entry, content: bytes | None, highlights: str | None):
    if not isinstance(entry, dict):
        raise ItemProblem(f"The entry is {type_name(entry)}, not an object.")
    url = get_str(entry, "url")
    item.url = "" if url.startswith(_OMNIVORE_NO_URL) else url
    item.title = optional(item, get_str, entry, "title", default="")
    item.byline = optional(item, get_str, entry, "author", default="")
    item.tags = optional(item, json_tags, entry.get("labels"), "labels", default=[])
    item.published = optional(item, parse_date, entry.get("publishedAt"), "publishedAt")
    item.added_at = optional(item, parse_datetime, entry.get("savedAt"), "savedAt")
    item.archived = optional(item, _omnivore_archived, entry)
    progress = entry.get("readingProgress", entry.get("readingProgressPercent"))
    item.progress = optional(item, parse_progress, progress, "readingProgress", percent=True)
    if content is not None and content.strip():
        item.content = content
        item.content_type = "text/html"
        item.filename = f"{get_str(entry, 'slug')}.html"
    if highlights:
        item.note, item.highlights = parse_omnivore_highlights(highlights)


def _slug(entry) -> str:
    slug = entry.get("slug") if isinstance(entry, dict) else None
    return slug if isinstance(slug, str) else ""


def parse_omnivore_metadata(data, name: str) -> Iterator[ImportedItem]:
    """A lone metadata_*.json: the entries, without content or highlights."""
    if not isinstance(data, list):
        raise ImportFileError(f"{name}: Omnivore metadata is an array of entries.")
    for number, entry in enumerate(data, 1):
        yield make_item(f"{name}, entry {number}", _fill_omnivore, entry, None, None)


def parse_omnivore_container(container) -> Iterator[ImportedItem]:
    members = container.members()
    metadata = sorted(
        (member for member in members if _METADATA.search(member.name)),
        key=lambda member: _natural_key(member.name),
    )
    if not metadata:
        raise ImportFileError(
            f"{container.label} has no metadata_*.json file: it is not an Omnivore export."
        )
    by_name = {member.name: member for member in members}
    # Validation pass: every metadata file parsed, every file it refers to read once.
    documents = []
    for member in metadata:
        if member.kind != "file":
            raise ImportFileError(f"{container.source(member)}: {_member_problem(member)}")
        where = container.source(member)
        entries = loads(decode_bytes(container.read(member), where), where)
        if not isinstance(entries, list):
            raise ImportFileError(f"{where}: Omnivore metadata is an array of entries.")
        base = member.name.rsplit("/", 1)[0] + "/" if "/" in member.name else ""
        documents.append((member, base, entries))
        for entry in entries:
            slug = _slug(entry)
            for path in (f"{base}content/{slug}.html", f"{base}highlights/{slug}.md"):
                if slug and path in by_name and by_name[path].kind == "file":
                    data = container.read(by_name[path])
                    if path.endswith(".md"):
                        decode_bytes(data, container.source(by_name[path]))
    container.budget.total = 0
    for member, base, entries in documents:
        for number, entry in enumerate(entries, 1):
            source = f"{container.source(member)}, entry {number}"
            slug = _slug(entry)
            parts = {
                "content": by_name.get(f"{base}content/{slug}.html") if slug else None,
                "highlights": by_name.get(f"{base}highlights/{slug}.md") if slug else None,
            }
            problem = ""
            for part in parts.values():
                if part is not None and part.kind != "file":
                    problem = problem or f"{part.name}: {_member_problem(part)}"
            content = highlights = None
            if parts["content"] is not None and parts["content"].kind == "file":
                content = container.read(parts["content"])
            if parts["highlights"] is not None and parts["highlights"].kind == "file":
                part = parts["highlights"]
                highlights = decode_bytes(container.read(part), container.source(part))
            item = make_item(source, _fill_omnivore, entry, content, highlights)
            if problem and not item.error:
                item.error = problem
            yield item


def parse_omnivore(path: Path, data=None) -> Iterator[ImportedItem]:
    """Format "omnivore": the export ZIP, an unzipped export, or one metadata JSON file."""
    if data is not None:
        yield from parse_omnivore_metadata(data, path.name)
        return
    if path.is_dir() or is_zip(path):
        with open_container(path) as container:
            yield from parse_omnivore_container(container)
        return
    where = path.name
    data = loads(decode_bytes(read_limited(path, where), where), where)
    yield from parse_omnivore_metadata(data, where)


# --- Pocket ZIP -------------------------------------------------------------------------------


def _pocket_url_key(url: str) -> str:
    """`url` as annotations are matched to articles: scheme and host lower-cased, no
    fragment, no trailing "/"."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


@dataclass
class _PocketAnnotations:
    """The highlights of one article in Pocket's annotations files (entries merged by URL)."""

    source: str  # the first entry's: "pocket.zip: annotations/part_000000.json, entry 3"
    url: str
    title: str = ""
    highlights: list[ImportedHighlight] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: bool = False


def _pocket_created_at(value, what):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return parse_timestamp(value, what)
    if isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
        return parse_timestamp(value, what)
    return parse_datetime(value, what)


def _fill_pocket_annotation(holder: ImportedItem, entry):
    """Fill `holder` (url, title, highlights, warnings) from one annotations entry."""
    if not isinstance(entry, dict):
        raise ItemProblem(f"The annotations entry is {type_name(entry)}, not an object.")
    for key in ("url", "given_url", "resolved_url"):
        url = entry.get(key)
        if isinstance(url, str) and url.strip():
            holder.url = url.strip()
            break
    else:
        raise ItemProblem("The annotations entry has no 'url': its highlights match no article.")
    holder.title = optional(holder, get_str, entry, "title", default="")
    highlights = entry.get("highlights", entry.get("annotations"))
    if highlights is None:
        return
    if not isinstance(highlights, list):
        raise ItemProblem(f"'highlights' must be a list, not {type_name(highlights)}.")
    for number, highlight in enumerate(highlights, 1):
        where = f"Pocket highlight {number}"
        if not isinstance(highlight, dict):
            raise ItemProblem(f"{where} must be an object, not {type_name(highlight)}.")
        try:
            quote = get_str(highlight, "quote" if "quote" in highlight else "text", strip=False)
            note = get_str(highlight, "note")
        except ItemProblem as problem:
            raise ItemProblem(f"{where}: {problem}") from None
        if not quote.strip():
            continue  # Pocket writes some highlights with an empty quote: nothing to keep
        created_at = optional(
            holder, _pocket_created_at, highlight.get("created_at"), "created_at", where=where
        )
        holder.highlights.append(ImportedHighlight(exact=quote, note=note, created_at=created_at))


def _pocket_annotations(container, members) -> tuple[dict, list[ImportedItem]]:
    """({url key: _PocketAnnotations}, items for entries that are unusable)."""
    found: dict[str, _PocketAnnotations] = {}
    unusable = []
    for member in members:
        where = container.source(member)
        entries = loads(decode_bytes(container.read(member), where), where)
        if not isinstance(entries, list):
            raise ImportFileError(
                f"{where}: Pocket's annotations are an array of articles, not {type_name(entries)}."
            )
        for number, entry in enumerate(entries, 1):
            source = f"{where}, entry {number}"
            holder = ImportedItem(source=source)
            try:
                _fill_pocket_annotation(holder, entry)
            except ItemProblem as problem:
                holder.error = str(problem)
                holder.highlights = []
                unusable.append(finish_item(holder))
                continue
            key = _pocket_url_key(holder.url)
            if key in found:
                found[key].highlights += holder.highlights
                found[key].warnings += holder.warnings
            else:
                found[key] = _PocketAnnotations(
                    source, holder.url, holder.title, holder.highlights, holder.warnings
                )
    return found, unusable


def _attach_annotations(item: ImportedItem, annotations: dict) -> ImportedItem:
    found = annotations.get(_pocket_url_key(item.url)) if item.url else None
    if found is None or found.used:
        return item
    found.used = True
    item.highlights += found.highlights
    item.warnings += found.warnings
    return finish_item(item)  # the checks again, now on the highlights too


def parse_pocket_container(container) -> Iterator[ImportedItem]:
    members = sorted(container.members(), key=lambda member: _natural_key(member.name))
    parts = [member for member in members if _POCKET_PART.search(member.name)]
    notes = [member for member in members if _POCKET_ANNOTATIONS.search(member.name)]
    if not parts:
        raise ImportFileError(f"{container.label} has no part_*.csv file: not a Pocket export.")
    for member in parts + notes:
        if member.kind != "file":
            raise ImportFileError(f"{container.source(member)}: {_member_problem(member)}")
    # Validation pass: each part read and its CSV checked (parse_csv checks a whole
    # part before yielding; this checks all parts before the first item), and the
    # annotations read (kept: they are small).
    for member in parts:
        source = container.source(member)
        for _ in parse_csv("pocket", bytes_opener(container.read(member), source), source):
            break
    annotations, unusable = _pocket_annotations(container, notes)
    container.budget.total = 0
    for member in parts:
        source = container.source(member)
        for item in parse_csv("pocket", bytes_opener(container.read(member), source), source):
            yield _attach_annotations(item, annotations)
    for found in annotations.values():
        if not found.used:
            item = ImportedItem(
                source=found.source,
                url=found.url,
                title=found.title,
                highlights=found.highlights,
                warnings=found.warnings,
            )
            item.warnings.insert(0, "Pocket's annotations list this URL, but its CSV does not.")
            yield finish_item(item)
    yield from unusable
