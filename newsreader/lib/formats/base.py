"""What every import format is parsed into: plain data, no database.

A parser reads one input file and yields ImportedItem objects. Problems with
the file as a whole (wrong type, unreadable archive, missing required
columns) raise ImportFileError before or while parsing, and the caller then
writes nothing. Problems with one entry are reported on that item
(`ImportedItem.error`) and the other entries carry on.
"""

from dataclasses import dataclass, field
from datetime import date, datetime


class ImportFileError(ValueError):
    """The file cannot be imported at all; the message says why, for people."""


@dataclass
class ImportedHighlight:
    """A highlight as another app exported it: a quote, and maybe its note."""

    exact: str
    note: str = ""
    colour: str = "yellow"  # one of Highlight.Colour's values
    prefix: str = ""
    suffix: str = ""
    created_at: datetime | None = None


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
