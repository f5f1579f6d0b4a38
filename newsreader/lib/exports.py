"""Writers of the export formats: plain article documents in, text or bytes out.

An article document is a dict in the shape of one entry of "articles" in our
JSON export, version 2 (README.md "Exports", docs/export.schema.json). The Django
side decides what a member may see and builds the documents; everything here
only formats them. The JSON-LD and CSV writers also read two optional keys
the JSON export does not have: "reader_url" on an article (our page for it)
and "id" on highlights, replies and article notes (our addresses for them).

The streaming writers take an iterable of documents and yield pieces of the
file, so a team's export never has to be in memory at once.
"""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from html import escape

from ebooklib import epub
from lxml import html as lxml_html

from newsreader.lib.colours import HIGHLIGHT_COLOURS
from newsreader.lib.markdown import render_note
from newsreader.lib.marks import MarkRange, render_marks

FORMAT_NAME = "newsreader"
FORMAT_VERSION = 2
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEANINGS = dict(HIGHLIGHT_COLOURS)


def meaning_of(colour):
    return MEANINGS.get(colour, colour)


# JSON, our format


def json_document(header: dict, articles: Iterable[dict]) -> Iterator[str]:
    """The export document: `header` ("format", "version", "exported_at", "team")
    and then the articles, written one at a time."""
    opening = json.dumps({**header, "articles": []}, ensure_ascii=False)
    yield opening[: -len("[]}")] + "["
    for n, article in enumerate(articles):
        yield ("," if n else "") + "\n" + json.dumps(article, ensure_ascii=False)
    yield "\n]}\n"


# Markdown, one file per article (Obsidian, Logseq)

# Characters a YAML double-quoted scalar must not hold raw: C0/C1 controls,
# DEL, the Unicode line and paragraph separators and the byte order mark.
_YAML_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def yaml_string(value) -> str:
    """`value` as a YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    quoted = json.dumps(str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _one_line(text):
    return " ".join(str(text).split())


def _quoted_block(text):
    lines = str(text).splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _name(item):
    """The name of whoever wrote `item` as the reader shows it (the username in
    exports made before display names were exported)."""
    return item.get("author_name") or item.get("author") or "former member"


def markdown_file(article: dict) -> str:
    """One article as Markdown with YAML front matter, its highlights as block quotes."""
    front = [
        "---",
        f"title: {yaml_string(article['title'])}",
        f"url: {yaml_string(article['url'])}",
        f"author: {yaml_string(article['byline'])}",
        f"published: {yaml_string(article['published']) if article['published'] else 'null'}",
        f"saved: {yaml_string(article['added_at'])}",
    ]
    tags = article["tags"]
    front += ["tags:", *(f"  - {yaml_string(tag)}" for tag in tags)] if tags else ["tags: []"]
    lines = [*front, "---", "", f"# {_one_line(article['title'])}", ""]
    if article["highlights"]:
        lines += ["## Highlights", ""]
    for highlight in article["highlights"]:
        label = f"**{meaning_of(highlight['colour'])}** · {_name(highlight)}"
        if highlight["visibility"] == "private":
            label += " · private"
        if highlight["is_orphan"]:
            label += " · no longer found in the text"
        lines += [label, "", _quoted_block(highlight["exact"]), ""]
        if highlight["note"]:
            lines += [highlight["note"], ""]
        for reply in highlight["replies"]:
            lines.append(f"- {_name(reply)}: {_one_line(reply['body'])}")
        if highlight["replies"]:
            lines.append("")
    if article["article_notes"]:
        lines += ["## Notes", ""]
    for note in article["article_notes"]:
        lines += [f"**{_name(note)}**", "", note["body"], ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def unique_name(name: str, taken: set) -> str:
    """`name`, or `name-2`, `name-3`… (before the extension) if it is taken; records it."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{extension}"
    taken.add(candidate.lower())
    return candidate


class _Chunks(io.RawIOBase):
    """A write-only, unseekable file that collects what is written until taken."""

    def __init__(self):
        self._parts = []

    def writable(self):
        return True

    def write(self, data):
        self._parts.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_stream(files: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """A ZIP of (name, content) pairs, written as it goes (names made unique)."""
    sink = _Chunks()
    taken = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(unique_name(name, taken), content)
            yield sink.take()
    yield sink.take()


# W3C Web Annotation (JSON-LD)


def _person(item):
    if not item.get("author"):
        return None
    return {"type": "Person", "nickname": item["author"], "name": _name(item)}


def _annotation(fields, creator):
    annotation = {"@context": ANNO_CONTEXT, **fields}
    if creator:
        annotation["creator"] = creator
    return annotation


def highlight_annotation(highlight: dict, source: str, tags=()) -> dict:
    """One highlight (the JSON export's shape) as a Web Annotation of `source`;
    `tags`: TextualBody tagging bodies of its article."""
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": highlight["exact"],
            "prefix": highlight["prefix"],
            "suffix": highlight["suffix"],
        }
    ]
    if not highlight["is_orphan"]:
        selectors.append(
            {
                "type": "TextPositionSelector",
                "start": highlight["start"],
                "end": highlight["end"],
            }
        )
    body = [
        {
            "type": "TextualBody",
            "purpose": "classifying",
            "value": meaning_of(highlight["colour"]),
        }
    ]
    if highlight["note"]:
        body.insert(
            0,
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": highlight["note"],
                "format": "text/markdown",
            },
        )
    fields = {
        "id": highlight["id"],
        "type": "Annotation",
        "motivation": "commenting" if highlight["note"] else "highlighting",
        "created": highlight["created_at"],
        "modified": highlight["updated_at"],
        "body": body + list(tags),
        "target": {"source": source, "selector": selectors},
    }
    return _annotation(fields, _person(highlight))


def annotations(article: dict) -> Iterator[dict]:
    """The article's highlights as Web Annotations, each followed by its replies, then
    its article notes as annotations of the whole page."""
    source = article["url"] or article.get("reader_url", "")
    tags = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in article["tags"]]
    for highlight in article["highlights"]:
        yield highlight_annotation(highlight, source, tags)
        for reply in highlight["replies"]:
            fields = {
                "id": reply["id"],
                "type": "Annotation",
                "motivation": "replying",
                "created": reply["created_at"],
                "modified": reply["updated_at"],
                "body": {"type": "TextualBody", "value": reply["body"], "format": "text/markdown"},
                "target": highlight["id"],
            }
            yield _annotation(fields, _person(reply))
    for note in article["article_notes"]:
        fields = {
            "id": note["id"],
            "type": "Annotation",
            "motivation": "commenting",
            "created": note["created_at"],
            "modified": note["updated_at"],
            "body": {"type": "TextualBody", "value": note["body"], "format": "text/markdown"},
            "target": {"source": source},
        }
        yield _annotation(fields, _person(note))


def jsonld_document(articles: Iterable[dict]) -> Iterator[str]:
    """A JSON array of Web Annotations (each with its own @context), written as it goes."""
    yield "["
    first = True
    for article in articles:
        for annotation in annotations(article):
            yield ("\n" if first else ",\n") + json.dumps(annotation, ensure_ascii=False)
            first = False
    yield "\n]\n"


# CSV of highlights

CSV_COLUMNS = [
    "article",
    "url",
    "quote",
    "meaning",
    "colour",
    "note",
    "author",
    "created",
    "updated",
    "visibility",
    "orphan",
    "replies",
    "author_name",
]
# A spreadsheet takes a cell beginning with one of these for a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: formula starts get a leading single quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_rows(articles: Iterable[dict]) -> Iterator[str]:
    """A CSV file with one row per highlight, written a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def row(values):
        writer.writerow([csv_cell(value) for value in values])
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    yield row(CSV_COLUMNS)
    for article in articles:
        url = article["url"] or article.get("reader_url", "")
        for highlight in article["highlights"]:
            replies = "\n".join(
                f"{_name(reply)}: {reply['body']}" for reply in highlight["replies"]
            )
            yield row(
                [
                    article["title"],
                    url,
                    highlight["exact"],
                    meaning_of(highlight["colour"]),
                    highlight["colour"],
                    highlight["note"],
                    highlight["author"] or "",
                    highlight["created_at"],
                    highlight["updated_at"],
                    highlight["visibility"],
                    "yes" if highlight["is_orphan"] else "no",
                    replies,
                    highlight.get("author_name") or highlight["author"] or "",
                ]
            )


# EPUB

EPUB_CSS = """
mark.hl-yellow { background: #fff3a3; }
mark.hl-green { background: #c8f0c0; }
mark.hl-blue { background: #cfe3ff; }
mark.hl-red { background: #ffd0d0; }
.meta, .who { color: #555; font-size: 0.9em; }
blockquote { margin-left: 1em; padding-left: 0.5em; border-left: 3px solid #ccc; }
"""
# Remote or embedded media: an EPUB must carry its resources, and we keep none.
_MEDIA = ("img", "picture", "video", "audio", "source", "iframe", "object", "embed", "track")


def _without_media(fragment):
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter(*_MEDIA):
        element.drop_tree()
    return lxml_html.tostring(root, encoding="unicode")


def _article_xhtml(article, number):
    """The chapter body: the article with its highlights marked, then the highlights and notes."""
    highlights = article["highlights"]
    ranges = [
        MarkRange(
            highlight["start"],
            highlight["end"],
            attributes=(
                ("class", f"hl hl-{highlight['colour']}"),
                ("title", f"{meaning_of(highlight['colour'])} · {_name(highlight)}"),
            ),
            first_attributes=(("id", f"a{number}-hl{n}"),),
        )
        for n, highlight in enumerate(highlights)
        if not highlight["is_orphan"]
    ]
    body = render_marks(article["extraction"]["html"], ranges)
    meta = " · ".join(
        escape(part) for part in (article["byline"], article["site_name"], article["url"]) if part
    )
    parts = [f"<h1>{escape(article['title'])}</h1>"]
    if meta:
        parts.append(f'<p class="meta">{meta}</p>')
    parts.append(_without_media(body))
    if highlights:
        parts.append("<h2>Highlights</h2>")
    for n, highlight in enumerate(highlights):
        label = escape(f"{meaning_of(highlight['colour'])} · {_name(highlight)}")
        if not highlight["is_orphan"]:
            label = f'<a href="#a{number}-hl{n}">{label}</a>'
        parts.append(f'<p class="who">{label}</p>')
        parts.append(f"<blockquote><p>{escape(highlight['exact'])}</p></blockquote>")
        if highlight["note"]:
            parts.append(render_note(highlight["note"]))
        for reply in highlight["replies"]:
            parts.append(f'<p class="who">{escape(_name(reply))} replied:</p>')
            parts.append(render_note(reply["body"]))
    if article["article_notes"]:
        parts.append("<h2>Notes</h2>")
    for note in article["article_notes"]:
        parts.append(f'<p class="who">{escape(_name(note))}:</p>')
        parts.append(render_note(note["body"]))
    return "<div>" + "\n".join(parts) + "</div>"


def epub_book(articles: Iterable[dict], *, title: str, identifier: str, language="en") -> bytes:
    """An EPUB with one chapter per article, highlights marked and notes after each."""
    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.set_title(title)
    book.set_language(language or "en")
    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=EPUB_CSS
    )
    book.add_item(style)
    chapters = []
    for number, article in enumerate(articles, start=1):
        chapter = epub.EpubHtml(
            title=article["title"] or "Untitled",
            file_name=f"article-{number}.xhtml",
            lang=article["language"] or language or "en",
        )
        chapter.content = _article_xhtml(article, number)
        chapter.add_item(style)
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    out = io.BytesIO()
    epub.write_epub(out, book, {"raise_exceptions": True})
    return out.getvalue()
