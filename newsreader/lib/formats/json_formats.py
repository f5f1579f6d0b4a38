"""JSON imports: JSON Lines, JSON arrays, our own export ("newsreader") and wallabag's export.

Articles (formats "json", "jsonl", and the entries of "newsreader")
--------------------------------------------------------------------
One JSON object per article::

    {
      "title": "A title",                       string
      "url": "https://example.com/a",           string: http(s)
      "html": "<p>…</p>",                       string: content, text/html
      "markdown": "# …",                        string: content, text/markdown
      "text": "…",                              string: content, text/plain
      "byline": "A. Writer",                    string
      "published": "2024-05-01",                ISO date or date-time
      "added_at": "2024-05-02T10:00:00Z",       ISO date-time (UTC when no offset): saved
      "read": true,                             true/false (also 1/0, "yes"/"no")
      "archived": false,                        true/false
      "starred": false,                         true/false
      "progress": 0.4,                          how far it was read, 0 to 1 ("40%" too)
      "tags": ["a", "b"],                       list of strings ("a, b" is accepted too)
      "notes": "Markdown note on the article",  string
      "highlights": [                           list of objects
        {"exact": "quoted text",                required, non-empty
         "note": "…", "colour": "yellow",       colour: yellow, green, blue or red
         "prefix": "…", "suffix": "…",          text just before / after the quote
         "created_at": "2024-05-02T11:00:00Z"}
      ]
    }

Every key is optional, but an article needs content or a URL; of html,
markdown and text the first non-empty one (in that order) is the content.
null counts as absent (read, archived, starred, progress: not said); other
keys are ignored. A malformed title, byline, date, tags, read state, progress,
or a highlight's colour or created_at is left out and reported as a warning
(ImportedItem.warnings); the article is imported without it. A URL, content
or note of the wrong type, or a highlight that is not an object with an
`exact` text, fails that article (ImportedItem.error); the other articles
carry on.

"json" is an array of such objects; "jsonl" has one per line (blank lines are
skipped) and is read line by line.

Our export format ("newsreader", versions 1 and 2)
--------------------------------------------------
A single object wrapping the articles::

    {
      "format": "newsreader",      required, exactly this
      "version": 1,                required: 1 or 2; other versions are refused
      "exported_at": "2025-01-01T12:00:00Z",   informative, optional
      "team": "newsroom",          version 2, informative, optional
      "articles": [ {article}, … ]  required
    }

Version 1's articles are the objects above. Version 2 (what a team export
writes: the whole team's work, so that importing it into an empty team loses
nothing) has, besides title, url, byline, published, added_at, tags, read,
archived, starred and progress as above::

    "original": {"content_base64": "…",          the input exactly as it arrived:
                 "content_type": "text/html; charset=utf-8",   the content, its type
                 "filename": "a.html"},                        and its file name
    "readers": [{"user": "tariq", "read_at": "<ISO>"}],
    "article_notes": [{"author": "olivia", "body": "Markdown",
                       "created_at": "<ISO>", "updated_at": "<ISO>"}],
    "highlights": [{"exact": …, "prefix": …, "suffix": …, "note": …, "colour": …,
                    "start": 120, "end": 132,            TextPositionSelector
                    "is_orphan": false, "visibility": "team",   or "private"
                    "author": "tariq", "created_at": …, "updated_at": …,
                    "replies": [{"author": …, "body": "Markdown",
                                 "created_at": …, "updated_at": …}]}]

An author (of a highlight, reply or note) is a username, or null when the
account no longer exists. "extraction", "site_name", "language", "created_at"
and a highlight's "meaning" are informational: the article is extracted again
from its original. Without an "original" the article is fetched from its URL.
As in version 1, a malformed optional value is a warning and left out:
start/end (the quote alone places the highlight), is_orphan, an author that is
not a string (the importing member's), the times, a reader; a visibility other
than team or private is a warning and the highlight is kept private. Content
that is not valid base64, and a reply or note without a body text, fail the
article.

wallabag ("wallabag"; Export > JSON)
------------------------------------
An array of entries, of which these keys are read::

    {"title": "…", "url": "…", "given_url": "…", "content": "<p>…</p>",
     "tags": ["a", "b"], "published_by": ["A. Writer"],
     "published_at": "2023-02-01T09:00:00+0100", "created_at": "…",
     "annotations": [{"quote": "…", "text": "note", "ranges": […],
                      "created_at": "…"}], …}

`content` (HTML) becomes the content, `url` (or `given_url`) the URL,
`published_by` the byline, `published_at` the published date, `created_at`
the time added; each annotation a highlight: `quote` the exact text, `text`
its note, `created_at` its time (the XPath `ranges` are not used: anchoring
works from the quote). Tags may also be objects with a "label". `is_starred`
(0/1, or true/false) is starred; `is_archived` is both archived and read
(wallabag's "mark as read" is what archives an entry). wallabag has no
progress; reading_time (minutes) and the rest are not imported.

File-level errors (ImportFileError): invalid JSON (with line and column),
nesting too deep for the parser, integers of more than 4300 digits, the wrong
top-level shape. JSON arrays and objects are read whole (within
MAX_FILE_BYTES); JSON Lines are validated line by line in a first pass, in
constant memory, before any item is yielded.
"""

import base64
import binascii
import json
from collections.abc import Callable, Iterator

from newsreader.lib.formats import (
    ImportedHighlight,
    ImportedItem,
    ImportedNote,
    ImportedRead,
    ImportedReply,
    ImportFileError,
    ItemProblem,
    file_encoding,
    get_str,
    json_tags,
    lenient_colour,
    make_item,
    optional,
    parse_date,
    parse_datetime,
    parse_flag,
    parse_progress,
    type_name,
    warn,
)

NEWSREADER_FORMAT = "newsreader"
NEWSREADER_VERSIONS = (1, 2)
VISIBILITIES = ("team", "private")

CONTENT_KEYS = (("html", "text/html"), ("markdown", "text/markdown"), ("text", "text/plain"))
# Keys only wallabag's entries have: enough to tell its export from a generic array.
WALLABAG_KEYS = frozenset({"is_archived", "is_starred", "reading_time", "domain_name"})


def loads(text: str, where: str):
    """json.loads, with every way it can fail turned into an ImportFileError for people."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{where}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise ImportFileError(f"{where}: the JSON is nested too deeply to read.") from None
    except ValueError as exc:  # e.g. an integer longer than sys.get_int_max_str_digits()
        if "digits" in str(exc):
            raise ImportFileError(
                f"{where}: the JSON holds a number too long to read (over 4300 digits)."
            ) from None
        raise ImportFileError(f"{where}: not valid JSON ({exc}).") from None


def shape_format(data, name: str) -> str:
    """Which JSON format a parsed document is: "newsreader", "wallabag" or "json"."""
    if isinstance(data, dict):
        if data.get("format") == NEWSREADER_FORMAT:
            return "newsreader"
        raise ImportFileError(
            f"{name} is a JSON object but not a newsreader export (which has "
            '"format": "newsreader"); a JSON import is an array of articles.'
        )
    if isinstance(data, list):
        objects = [entry for entry in data[:20] if isinstance(entry, dict)]
        if any(WALLABAG_KEYS & entry.keys() for entry in objects):
            return "wallabag"
        if objects and all("slug" in e and "savedAt" in e for e in objects):
            return "omnivore"  # an Omnivore metadata_*.json on its own
        return "json"
    raise ImportFileError(
        f"{name} holds a single JSON {type_name(data).removeprefix('a ')}, "
        "not an array of articles."
    )


# --- Articles (json, jsonl, newsreader) ------------------------------------------------------


def _highlights(item: ImportedItem, value, *, full: bool = False) -> list[ImportedHighlight]:
    """The highlights of an article object; `full`: with version 2's keys too."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ItemProblem(f"'highlights' must be a list, not {type_name(value)}.")
    highlights = []
    for number, entry in enumerate(value, 1):
        where = f"Highlight {number}"
        if not isinstance(entry, dict):
            raise ItemProblem(f"{where} must be an object, not {type_name(entry)}.")
        try:
            exact = get_str(entry, "exact", strip=False)
            note = get_str(entry, "note")
            prefix = get_str(entry, "prefix", strip=False)
            suffix = get_str(entry, "suffix", strip=False)
        except ItemProblem as problem:
            raise ItemProblem(f"{where}: {problem}") from None
        if not exact.strip():
            raise ItemProblem(f"{where} has no 'exact' text.")
        colour = entry.get("colour", entry.get("color"))
        created_at = entry.get("created_at")
        highlight = ImportedHighlight(
            exact=exact,
            note=note,
            colour=lenient_colour(item, colour, where),
            prefix=prefix,
            suffix=suffix,
            created_at=optional(item, parse_datetime, created_at, "created_at", where=where),
        )
        if full:
            _fill_highlight_v2(item, highlight, entry, number)
        highlights.append(highlight)
    return highlights


def _fill_highlight_v2(item: ImportedItem, highlight: ImportedHighlight, entry: dict, number):
    where = f"Highlight {number}"
    position = optional(item, _position, entry.get("start"), entry.get("end"), where=where)
    highlight.start, highlight.end = position or (None, None)
    highlight.is_orphan = bool(
        optional(item, parse_flag, entry.get("is_orphan"), "is_orphan", where=where)
    )
    visibility = entry.get("visibility")
    if visibility is None or visibility in VISIBILITIES:
        highlight.visibility = visibility or "team"
    else:
        highlight.visibility = "private"
        item.warnings.append(
            f"{where}: the visibility {json.dumps(visibility)[:40]} is not team or private; "
            "kept private."
        )
    highlight.author = _author(item, entry, where)
    highlight.updated_at = optional(
        item, parse_datetime, entry.get("updated_at"), "updated_at", where=where
    )
    highlight.replies = [
        ImportedReply(**_written(item, reply, f"Reply {n} to highlight {number}"))
        for n, reply in enumerate(_list(entry, "replies", where), 1)
    ]


MAX_TEXT_POSITION = 10 * 1024 * 1024


def _position(start, end) -> tuple[int, int] | None:
    """(start, end) of a TextPositionSelector; None when neither is given."""
    if start is None and end is None:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise ItemProblem("start and end must be whole numbers.")
    # No canonical text is longer than the extraction's input cap (10 MiB).
    if not 0 <= start < end <= MAX_TEXT_POSITION:
        raise ItemProblem(f"start {start} and end {end} are not a range of the text.")
    return start, end


def _author(item: ImportedItem, entry: dict, where: str) -> str | None:
    """A username; None when the export says nobody (null); "" when it cannot be read."""
    if "author" not in entry:
        return ""
    value = entry["author"]
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    warn(item, f"the author {json.dumps(value)[:40]} is not a username", where)
    return ""


def _list(entry: dict, key: str, where: str) -> list:
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ItemProblem(f"{where}: '{key}' must be a list, not {type_name(value)}.")
    return value


def _written(item: ImportedItem, entry, where: str) -> dict:
    """author, body, created_at and updated_at of a reply or an article note."""
    if not isinstance(entry, dict):
        raise ItemProblem(f"{where} must be an object, not {type_name(entry)}.")
    try:
        body = get_str(entry, "body")
    except ItemProblem as problem:
        raise ItemProblem(f"{where}: {problem}") from None
    if not body:
        raise ItemProblem(f"{where} has no 'body' text.")
    return {
        "author": _author(item, entry, where),
        "body": body,
        "created_at": optional(
            item, parse_datetime, entry.get("created_at"), "created_at", where=where
        ),
        "updated_at": optional(
            item, parse_datetime, entry.get("updated_at"), "updated_at", where=where
        ),
    }


def fill_state(item: ImportedItem, entry: dict):
    """read, archived, starred and progress from an article object's keys of those names."""
    item.read = optional(item, parse_flag, entry.get("read"), "read")
    item.archived = optional(item, parse_flag, entry.get("archived"), "archived")
    item.starred = optional(item, parse_flag, entry.get("starred"), "starred")
    item.progress = optional(item, parse_progress, entry.get("progress"), "progress")


def fill_article(item: ImportedItem, entry):
    """Fill `item` from one article object of our documented JSON shape."""
    if not isinstance(entry, dict):
        raise ItemProblem(f"The entry is {type_name(entry)}, not an object.")
    item.url = get_str(entry, "url")
    for key, content_type in CONTENT_KEYS:
        content = get_str(entry, key, strip=False)
        if content.strip():
            item.content = content
            item.content_type = content_type
            break
    item.note = get_str(entry, "notes")
    _fill_described(item, entry)
    item.highlights = _highlights(item, entry.get("highlights"))


def fill_article_v2(item: ImportedItem, entry):
    """Fill `item` from one article object of our export's version 2."""
    if not isinstance(entry, dict):
        raise ItemProblem(f"The entry is {type_name(entry)}, not an object.")
    item.url = get_str(entry, "url")
    _fill_original(item, entry.get("original"))
    _fill_described(item, entry)
    item.article_notes = [
        ImportedNote(**_written(item, note, f"Article note {number}"))
        for number, note in enumerate(_list(entry, "article_notes", "The article"), 1)
    ]
    item.readers = _readers(item, entry.get("readers"))
    item.highlights = _highlights(item, entry.get("highlights"), full=True)


def _fill_original(item: ImportedItem, original):
    if original is None:
        return
    if not isinstance(original, dict):
        raise ItemProblem(f"'original' must be an object, not {type_name(original)}.")
    encoded = get_str(original, "content_base64")
    try:
        item.content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ItemProblem("The original's 'content_base64' is not valid base64.") from None
    item.content_type = optional(item, get_str, original, "content_type", default="")
    item.filename = optional(item, get_str, original, "filename", default="")


def _readers(item: ImportedItem, value) -> list[ImportedRead]:
    if value is None:
        return []
    if not isinstance(value, list):
        warn(item, f"'readers' must be a list, not {type_name(value)}")
        return []
    readers = []
    for number, entry in enumerate(value, 1):
        where = f"Reader {number}"
        user = entry.get("user") if isinstance(entry, dict) else None
        if not isinstance(user, str) or not user.strip():
            warn(item, "not an object with a 'user' name", where)
            continue
        read_at = optional(item, parse_datetime, entry.get("read_at"), "read_at", where=where)
        readers.append(ImportedRead(user=user.strip(), read_at=read_at))
    return readers


def _fill_described(item: ImportedItem, entry: dict):
    """What describes the article, whatever the version: all optional."""
    item.title = optional(item, get_str, entry, "title", default="")
    item.byline = optional(item, get_str, entry, "byline", default="")
    item.tags = optional(item, json_tags, entry.get("tags"), default=[])
    item.published = optional(item, parse_date, entry.get("published"), "The published date")
    item.added_at = optional(item, parse_datetime, entry.get("added_at"), "added_at")
    fill_state(item, entry)


def _entries(articles: list, name: str, fill) -> Iterator[ImportedItem]:
    for number, entry in enumerate(articles, 1):
        yield make_item(f"{name}, entry {number}", fill, entry)


def parse_json(data, name: str) -> Iterator[ImportedItem]:
    if not isinstance(data, list):
        raise ImportFileError(
            f"{name}: a JSON import is an array of articles, not {type_name(data)}."
        )
    yield from _entries(data, name, fill_article)


def parse_newsreader(data, name: str) -> Iterator[ImportedItem]:
    if not isinstance(data, dict) or data.get("format") != NEWSREADER_FORMAT:
        raise ImportFileError(f'{name} is not a newsreader export (no "format": "newsreader").')
    version = data.get("version")
    if type(version) is not int or version not in NEWSREADER_VERSIONS:  # not true, 1.0 or "1"
        raise ImportFileError(
            f"{name} is a newsreader export of version {json.dumps(version)[:20]}; "
            f"this server reads versions {' and '.join(map(str, NEWSREADER_VERSIONS))}."
        )
    articles = data.get("articles")
    if not isinstance(articles, list):
        raise ImportFileError(
            f'{name}: a newsreader export needs an "articles" list, not {type_name(articles)}.'
        )
    yield from _entries(articles, name, fill_article_v2 if version == 2 else fill_article)


def jsonl_opener(path, name: str) -> Callable:
    encoding, errors = file_encoding(path, name)
    return lambda: open(path, encoding=encoding, errors=errors)  # noqa: SIM115


def _jsonl_objects(open_text: Callable, name: str):
    with open_text() as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            where = f"{name}, line {number}"
            entry = loads(line, where)
            if not isinstance(entry, dict):
                raise ImportFileError(
                    f"{where}: each line must be one JSON object (an article), "
                    f"not {type_name(entry)}."
                )
            yield number, entry


def parse_jsonl(open_text: Callable, name: str) -> Iterator[ImportedItem]:
    """Items from JSON Lines; every line is checked before the first item is yielded."""
    for _ in _jsonl_objects(open_text, name):
        pass
    for number, entry in _jsonl_objects(open_text, name):
        yield make_item(f"{name}, line {number}", fill_article, entry)


# --- wallabag --------------------------------------------------------------------------------


def _wallabag_byline(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list) and all(isinstance(author, str) for author in value):
        return ", ".join(author.strip() for author in value if author.strip())
    raise ItemProblem(f"'published_by' must be a list of names, not {type_name(value)}.")


def _wallabag_annotations(item: ImportedItem, value) -> list[ImportedHighlight]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ItemProblem(f"'annotations' must be a list, not {type_name(value)}.")
    highlights = []
    for number, annotation in enumerate(value, 1):
        where = f"Annotation {number}"
        if not isinstance(annotation, dict):
            raise ItemProblem(f"{where} must be an object, not {type_name(annotation)}.")
        try:
            quote = get_str(annotation, "quote", strip=False)
            note = get_str(annotation, "text")
        except ItemProblem as problem:
            raise ItemProblem(f"{where}: {problem}") from None
        if quote.strip():  # wallabag requires a quote; skip any that lost it
            created_at = annotation.get("created_at")
            highlights.append(
                ImportedHighlight(
                    exact=quote,
                    note=note,
                    created_at=optional(
                        item, parse_datetime, created_at, "created_at", where=where
                    ),
                )
            )
    return highlights


def fill_wallabag(item: ImportedItem, entry):
    if not isinstance(entry, dict):
        raise ItemProblem(f"The entry is {type_name(entry)}, not an object.")
    item.url = get_str(entry, "url") or get_str(entry, "given_url")
    content = get_str(entry, "content", strip=False)
    if content.strip():
        item.content = content
        item.content_type = "text/html"
    item.title = optional(item, get_str, entry, "title", default="")
    item.tags = optional(item, json_tags, entry.get("tags"), default=[])
    item.byline = optional(item, _wallabag_byline, entry.get("published_by"), default="")
    item.published = optional(item, parse_date, entry.get("published_at"), "published_at")
    item.added_at = optional(item, parse_datetime, entry.get("created_at"), "created_at")
    item.archived = optional(item, parse_flag, entry.get("is_archived"), "is_archived")
    item.read = item.archived
    item.starred = optional(item, parse_flag, entry.get("is_starred"), "is_starred")
    item.highlights = _wallabag_annotations(item, entry.get("annotations"))


def parse_wallabag(data, name: str) -> Iterator[ImportedItem]:
    if not isinstance(data, list):
        raise ImportFileError(
            f"{name}: a wallabag export is an array of entries, not {type_name(data)}."
        )
    yield from _entries(data, name, fill_wallabag)
