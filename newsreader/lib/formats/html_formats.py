"""HTML imports: browser bookmarks (Netscape bookmark file) and Pocket's legacy HTML export.

Both are HTML, not XML (unclosed <DT> and <p> everywhere), so they are read
with the standard library's forgiving html.parser, fed in chunks, items
yielded as they are found. Character references are decoded by the parser.

Browser bookmarks (format "bookmarks"), as Firefox, Chrome, Safari, Edge and
most bookmark services export them::

    <!DOCTYPE NETSCAPE-Bookmark-file-1>
    <META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
    <TITLE>Bookmarks</TITLE>
    <H1>Bookmarks</H1>
    <DL><p>
        <DT><H3 ADD_DATE="…" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>
        <DL><p>
            <DT><H3>Reading</H3>
            <DL><p>
                <DT><A HREF="https://…" ADD_DATE="1700000000" TAGS="a,b">Title</A>
                <DD>A description
            </DL><p>
        </DL><p>
    </DL><p>

Each <A> is an item: HREF the URL, the link text the title, ADD_DATE (Unix
time; milli/microseconds recognised) the time added (a malformed one is a
warning), TAGS (comma-separated) tags, and a <DD> right after it the note.
Bookmarks carry no reading state. Every folder (<H3>) on the way down
to the bookmark becomes a tag too, except the browsers' own root folders
(marked PERSONAL_TOOLBAR_FOLDER or UNFILED_BOOKMARKS_FOLDER, or named like
"Bookmarks bar", "Other bookmarks", "Mobile bookmarks"). Bookmarks that are
not web pages (javascript: bookmarklets, Firefox's place: queries) are
reported as items with an error.

Pocket legacy HTML export (format "pocket"; ril_export.html)::

    <title>Pocket Export</title>
    <h1>Unread</h1>
    <ul>
      <li><a href="https://…" time_added="1500000000" tags="a,b">Title</a></li>
    </ul>
    <h1>Read Archive</h1>
    <ul>…</ul>

Each <a> is an item: href, text (the title), time_added (Unix time: the
time added), tags (comma-separated). The <h1> above its list is its state:
"Unread" is read and archived false, "Read Archive" (or any heading with
"archive" in it) both true; a link under no such heading has no state.

Sources name the line of the tag: "bookmarks.html, line 12".
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from newsreader.lib.formats import (
    ImportedItem,
    decode_bytes,
    make_item,
    optional,
    parse_timestamp,
    split_tags,
)

_NETSCAPE_DOCTYPE = re.compile(r"<!DOCTYPE\s+NETSCAPE-Bookmark-file", re.IGNORECASE)
_POCKET_MARKS = re.compile(
    r"<title>\s*Pocket Export\s*</title>|<a\s[^>]*\btime_added\s*=", re.IGNORECASE
)
_BOOKMARKS_TITLE = re.compile(r"<(title|h1)>\s*Bookmarks\b", re.IGNORECASE)
_BOOKMARK_LINK = re.compile(r"<dt>\s*<a\s[^>]*\badd_date\s*=", re.IGNORECASE)

_ROOT_FOLDER_FLAGS = {"personal_toolbar_folder", "unfiled_bookmarks_folder"}
_ROOT_FOLDER_NAMES = {
    "bookmarks bar",
    "bookmarks toolbar",
    "bookmarks menu",
    "other bookmarks",
    "mobile bookmarks",
    "favorites bar",
    "favourites bar",
}
_COMMA = re.compile(",")


def html_format(text: str) -> str:
    """ "bookmarks", "pocket" or "files" (a single article) for the start of an HTML file."""
    if _NETSCAPE_DOCTYPE.search(text):
        return "bookmarks"
    if _POCKET_MARKS.search(text):
        return "pocket"
    if _BOOKMARKS_TITLE.search(text) and _BOOKMARK_LINK.search(text):
        return "bookmarks"
    return "files"


def _fill_link(item: ImportedItem, link: dict):
    item.url = link["href"]
    item.title = link["title"]
    item.tags = link["tags"]
    item.note = link.get("note", "")
    item.added_at = optional(item, parse_timestamp, link["added"], link["added_name"])
    item.read = item.archived = link.get("archived")


class _LinkParser(HTMLParser):
    """Collects items as tags arrive; `ready` holds those finished so far."""

    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.ready: list[ImportedItem] = []
        self._text: list[str] | None = None
        self._capture = ""  # what _text is collecting: "title", "note" or "folder"
        self._link: dict | None = None  # the <a> being read, or waiting for its <DD>

    def _start_text(self, capture):
        self._text = []
        self._capture = capture

    def _end_text(self) -> str:
        text = " ".join("".join(self._text or []).split())
        self._text = None
        self._capture = ""
        return text

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def _open_link(self, attrs, added_name):
        attributes = dict(attrs)
        self._link = {
            "source": f"{self.name}, line {self.getpos()[0]}",
            "href": (attributes.get("href") or "").strip(),
            "added": attributes.get(added_name.lower()),
            "added_name": added_name,
            "tags": split_tags(attributes.get("tags") or "", _COMMA),
            "title": "",
        }
        self._start_text("title")

    def _finish_link(self):
        if self._link is None:
            return
        if self._capture in ("title", "note"):  # an unclosed <a>, or the <DD> text
            capture = self._capture
            self._link[capture] = self._end_text()
        link, self._link = self._link, None
        self.ready.append(make_item(link["source"], _fill_link, link))

    def close(self):
        super().close()
        self._finish_link()


class _BookmarkParser(_LinkParser):
    def __init__(self, name):
        super().__init__(name)
        self._folders: list[str | None] = []  # one per open <DL>; None: not a tag
        self._folder_title: str | None = None  # set by </H3>, taken by the next <DL>
        self._folder_is_root = False

    def _end_folder(self):
        title = self._end_text()
        root = self._folder_is_root or title.lower() in _ROOT_FOLDER_NAMES
        self._folder_title = None if root or not title else title

    def handle_starttag(self, tag, attrs):
        if tag in ("dt", "dl", "h3", "a"):
            self._finish_link()
            if self._capture == "folder":  # an unclosed <H3>
                self._end_folder()
        if tag == "a":
            self._open_link(attrs, "ADD_DATE")
            self._link["tags"] += [folder for folder in self._folders if folder]
        elif tag == "dd" and self._link is not None and not self._capture:
            self._start_text("note")  # the description of the bookmark just read
        elif tag == "h3":
            self._folder_is_root = any(
                key in _ROOT_FOLDER_FLAGS and (value or "").lower() == "true"
                for key, value in attrs
            )
            self._start_text("folder")
        elif tag == "dl":
            title = self._folder_title
            self._folder_title = None
            self._folders.append(title)

    def handle_endtag(self, tag):
        if tag == "a" and self._capture == "title":
            self._link["title"] = self._end_text()
        elif tag == "h3" and self._capture == "folder":
            self._end_folder()
        elif tag == "dl":
            self._finish_link()
            if self._folders:
                self._folders.pop()


def _pocket_section_state(heading: str) -> bool | None:
    """Whether the links under a heading of Pocket's export are archived (and read)."""
    heading = heading.lower()
    if "archive" in heading:
        return True
    if "unread" in heading:
        return False
    return None


class _PocketParser(_LinkParser):
    def __init__(self, name):
        super().__init__(name)
        self._archived: bool | None = None  # the state of the list being read

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._finish_link()
            self._open_link(attrs, "time_added")
            self._link["archived"] = self._archived
        elif tag == "h1":
            self._finish_link()
            self._start_text("heading")

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self._finish_link()
        elif tag == "h1" and self._capture == "heading":
            self._archived = _pocket_section_state(self._end_text())


def _run(parser: _LinkParser, text: str) -> Iterator[ImportedItem]:
    for start in range(0, len(text), 1 << 16):
        parser.feed(text[start : start + (1 << 16)])
        yield from parser.ready
        parser.ready.clear()
    parser.close()
    yield from parser.ready


def parse_bookmarks(data: bytes, name: str) -> Iterator[ImportedItem]:
    yield from _run(_BookmarkParser(name), decode_bytes(data, name, html=True))


def parse_pocket_html(data: bytes, name: str) -> Iterator[ImportedItem]:
    yield from _run(_PocketParser(name), decode_bytes(data, name, html=True))
