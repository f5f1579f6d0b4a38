"""What the API takes and gives: typed schemas, from which the OpenAPI schema is made."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from articles.models import Highlight
from newsreader.lib.anchoring import MAX_HIGHLIGHT_CHARS
from newsreader.lib.markdown import MAX_NOTE_CHARS
from teams.models import Membership

Colour = Literal[tuple(Highlight.Colour.values)]
Visibility = Literal[tuple(Highlight.Visibility.values)]
Role = Literal[tuple(Membership.Role.values)]


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    details: list[dict] | None = None


class Error(Schema):
    error: ErrorDetail


# What any operation may answer besides success: a body that does not parse (400),
# no or a bad token (401), refused (403), not found or not yours (404), invalid
# (422), too many requests (429).
ERRORS = {status: Error for status in (400, 401, 403, 404, 422, 429)}


# Who and where


class ReaderSettingsOut(Schema):
    """How the reader shows articles to the caller (changed at /settings/reader/)."""

    theme: Literal["system", "light", "dark", "sepia"]
    font: Literal["serif", "sans"]
    font_size: int = Field(description="Percent of the normal size: 90, 100, 115, 130 or 150.")
    line_width: Literal["narrow", "normal", "wide"]
    line_height: Literal["compact", "normal", "airy"]


class Me(Schema):
    username: str
    display_name: str = Field(description="The name others see: the display name, or username.")
    reader_settings: ReaderSettingsOut
    token_name: str | None = Field(None, description="The token's name, for token requests.")
    token_scope: Literal["read", "write"] | None = None
    token_expires_at: datetime | None = None


class TeamOut(Schema):
    slug: str
    name: str
    role: Role
    can_write: bool


class TeamPage(Schema):
    items: list[TeamOut]
    next: str | None = None


# Articles


class ReadingState(Schema):
    read: bool
    archived: bool
    starred: bool
    progress: float | None = Field(None, ge=0, le=1)


class ArticleOut(Schema):
    id: int
    team: str = Field(description="The team's slug.")
    title: str
    byline: str
    site_name: str
    source_url: str
    published: date | None
    language: str
    excerpt: str
    word_count: int
    reading_minutes: int
    lead_image_url: str
    kind: str
    tags: list[str]
    highlight_count: int = Field(description="Highlights the caller may see.")
    state: ReadingState = Field(description="The caller's own reading state.")
    reader_url: str
    saved_at: datetime
    created_at: datetime
    updated_at: datetime


class ArticleDetail(ArticleOut):
    text: str = Field(description="The canonical text highlights' offsets count in.")
    html: str = Field(description="The sanitised reader HTML.")


class ArticlePage(Schema):
    items: list[ArticleOut]
    next: str | None = Field(None, description="Pass as `cursor` for the next page.")


class QuoteIn(Schema):
    """A passage by its text, as a browser's selection gives it."""

    exact: str = Field(min_length=1, max_length=MAX_HIGHLIGHT_CHARS)
    prefix: str = Field("", max_length=200)
    suffix: str = Field("", max_length=200)
    colour: Colour = "yellow"


class ArticleCreate(Schema):
    """Exactly one of `html`, `text` and `markdown`, or only `url` (fetched by the server)."""

    team: str | None = Field(
        None, max_length=50, description="Slug; by default the last team you worked in."
    )
    url: str = Field("", max_length=2048)
    title: str = Field("", max_length=500)
    html: str | None = Field(None, description="A page as the browser rendered it.")
    text: str | None = None
    markdown: str | None = None
    highlight: QuoteIn | None = Field(None, description="Highlight this passage once saved.")


class CaptureOut(Schema):
    id: int
    url: str
    status: Literal["queued", "fetching", "ready", "failed"]
    reason: str
    article: int | None
    duplicate: bool
    created_at: datetime
    updated_at: datetime


class ArticleUpdate(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    byline: str | None = Field(None, max_length=300)
    source_url: str | None = Field(None, max_length=2048)
    tags: list[str] | None = Field(None, max_length=50)
    read: bool | None = None
    archived: bool | None = None
    starred: bool | None = None
    progress: float | None = Field(None, ge=0, le=1)


# Highlights and what hangs off them


class HighlightOut(Schema):
    id: int
    article: int
    author: str | None = Field(description="The author's username; null for a former member.")
    author_name: str | None = Field(
        description="The name the reader shows: the display name, or the username."
    )
    colour: Colour
    meaning: str
    visibility: Visibility
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    is_orphan: bool = Field(description="Its passage is gone from the text; the quote is kept.")
    removed: bool = Field(description="Removed by a moderator: the passage shows no more.")
    note: str
    note_html: str
    reply_count: int
    url: str = Field(description="The highlight in the reader.")
    created_at: datetime
    updated_at: datetime


class SavedOut(Schema):
    article: ArticleOut | None = None
    capture: CaptureOut | None = Field(None, description="A URL being fetched.")
    duplicate: bool = False
    highlight: HighlightOut | None = None
    highlight_error: str | None = None


class HighlightPage(Schema):
    items: list[HighlightOut]
    next: str | None = None


class HighlightCreate(Schema):
    """By position (`start`, `end` in the article's `text`) or by quote (`exact`)."""

    start: int | None = Field(None, ge=0)
    end: int | None = Field(None, ge=0)
    exact: str | None = Field(None, min_length=1, max_length=MAX_HIGHLIGHT_CHARS)
    prefix: str = Field("", max_length=200)
    suffix: str = Field("", max_length=200)
    colour: Colour = "yellow"
    visibility: Visibility = "team"
    note: str = Field("", max_length=MAX_NOTE_CHARS)


class HighlightUpdate(Schema):
    colour: Colour | None = None
    visibility: Visibility | None = None
    note: str | None = Field(None, max_length=MAX_NOTE_CHARS)


class WrittenIn(Schema):
    # Stripped before the lengths are checked, like the app's form: spaces are no body.
    model_config = ConfigDict(str_strip_whitespace=True)

    body: str = Field(min_length=1, max_length=MAX_NOTE_CHARS)


class ReplyOut(Schema):
    id: int
    highlight: int
    author: str | None = Field(description="The author's username; null for a former member.")
    author_name: str | None = Field(
        description="The name the reader shows: the display name, or the username."
    )
    body: str
    body_html: str
    removed: bool
    created_at: datetime
    updated_at: datetime


class NoteOut(Schema):
    id: int
    article: int
    author: str | None = Field(description="The author's username; null for a former member.")
    author_name: str | None = Field(
        description="The name the reader shows: the display name, or the username."
    )
    body: str
    body_html: str
    created_at: datetime
    updated_at: datetime
