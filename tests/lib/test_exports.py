"""The export writers (newsreader/lib/exports.py): documents in, files out."""

import csv
import io
import json
import zipfile

from lxml import etree

from newsreader.lib import exports


def article(**changes):
    document = {
        "title": "Ferries",
        "url": "https://example.com/ferries",
        "byline": "Ann Writer",
        "site_name": "Harbour News",
        "language": "en",
        "published": "2024-03-05",
        "added_at": "2024-03-06T07:00:00+00:00",
        "created_at": "2024-03-07T07:00:00+00:00",
        "tags": ["ferries", "council"],
        "extraction": {"html": "<p>The ferries carry eleven thousand people.</p>"},
        "reader_url": "https://news.test/articles/1/",
        "article_notes": [
            {
                "id": "https://news.test/articles/1/#note-2",
                "author": "olivia",
                "body": "Worth a follow-up.",
                "created_at": "c",
                "updated_at": "u",
            }
        ],
        "highlights": [
            {
                "id": "https://news.test/highlights/7/",
                "exact": "eleven thousand",
                "prefix": "carry ",
                "suffix": " people",
                "start": 18,
                "end": 33,
                "is_orphan": False,
                "colour": "green",
                "meaning": "Evidence",
                "visibility": "team",
                "author": "tariq",
                "author_name": "Tariq Aziz",
                "note": "Check the **source**.",
                "created_at": "2024-03-08T07:00:00+00:00",
                "updated_at": "2024-03-09T07:00:00+00:00",
                "replies": [
                    {
                        "id": "https://news.test/highlights/7/#reply-3",
                        "author": None,
                        "body": "Done.",
                        "created_at": "c",
                        "updated_at": "u",
                    }
                ],
            }
        ],
    }
    return document | changes


def test_yaml_strings_are_quoted_and_escaped_like_json():
    hostile = 'a "b" \\ c\nd: e\x85\u2028#'
    quoted = exports.yaml_string(hostile)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert "\n" not in quoted and "\x85" not in quoted and "\u2028" not in quoted
    assert json.loads(quoted) == hostile


def test_markdown_has_front_matter_then_labelled_quotes_notes_and_replies():
    text = exports.markdown_file(article(title='Ferries: "the vote"\n---'))
    front, body = text.split("\n---\n", 1)
    assert front.splitlines() == [
        "---",
        'title: "Ferries: \\"the vote\\"\\n---"',
        'url: "https://example.com/ferries"',
        'author: "Ann Writer"',
        'published: "2024-03-05"',
        'saved: "2024-03-06T07:00:00+00:00"',
        "tags:",
        '  - "ferries"',
        '  - "council"',
    ]
    # People by the name the reader shows them by; an export made before display
    # names were exported has only the username.
    assert "**Evidence** · Tariq Aziz\n\n> eleven thousand\n\nCheck the **source**.\n" in body
    assert "- former member: Done." in body
    assert "## Notes\n\n**olivia**\n\nWorth a follow-up.\n" in body


def test_markdown_without_tags_or_date():
    text = exports.markdown_file(article(tags=[], published=None, highlights=[]))
    assert "tags: []" in text and "published: null" in text and "## Highlights" not in text


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert exports.csv_cell(start + "1+1") == "'" + start + "1+1"
    assert exports.csv_cell("1+1") == "1+1"
    assert exports.csv_cell(None) == ""


def test_csv_has_a_row_per_highlight():
    hostile = article()
    hostile["highlights"][0]["note"] = '=HYPERLINK("http://evil")'
    rows = list(csv.reader(io.StringIO("".join(exports.csv_rows([hostile, article()])))))
    assert rows[0] == exports.CSV_COLUMNS
    assert len(rows) == 3
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["note"] == '\'=HYPERLINK("http://evil")'
    assert row["meaning"] == "Evidence" and row["quote"] == "eleven thousand"
    assert row["replies"] == "former member: Done."
    assert row["author"] == "tariq" and row["author_name"] == "Tariq Aziz"


def test_json_document_streams_one_article_at_a_time():
    header = {"format": "newsreader", "version": 2, "exported_at": "x", "team": "newsroom"}
    pieces = list(exports.json_document(header, [article(), article(title="Two")]))
    assert len(pieces) == 4
    document = json.loads("".join(pieces))
    assert document["version"] == 2 and [a["title"] for a in document["articles"]] == [
        "Ferries",
        "Two",
    ]
    assert json.loads("".join(exports.json_document(header, [])))["articles"] == []


def test_annotations_follow_the_web_annotation_model():
    found = json.loads("".join(exports.jsonld_document([article()])))
    highlight, reply, page_note = found
    for annotation in found:
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert annotation["type"] == "Annotation"
        assert {"id", "target", "created", "modified", "body"} <= set(annotation)
    assert highlight["creator"] == {"type": "Person", "nickname": "tariq", "name": "Tariq Aziz"}
    assert page_note["creator"] == {"type": "Person", "nickname": "olivia", "name": "olivia"}
    assert highlight["target"]["source"] == "https://example.com/ferries"
    quote, position = highlight["target"]["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "eleven thousand",
        "prefix": "carry ",
        "suffix": " people",
    }
    assert position == {"type": "TextPositionSelector", "start": 18, "end": 33}
    assert highlight["body"][0] == {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": "Check the **source**.",
        "format": "text/markdown",
    }
    tags = [body["value"] for body in highlight["body"] if body.get("purpose") == "tagging"]
    assert tags == ["ferries", "council"]
    assert reply["motivation"] == "replying" and reply["target"] == highlight["id"]
    assert "creator" not in reply  # a former member
    assert page_note["target"] == {"source": "https://example.com/ferries"}
    assert page_note["motivation"] == "commenting"


def test_an_orphan_keeps_only_its_quote_and_a_page_without_url_points_at_ours():
    document = article(url="")
    document["highlights"][0]["is_orphan"] = True
    annotation, _, _ = exports.annotations(document)
    assert annotation["target"]["source"] == "https://news.test/articles/1/"
    assert [s["type"] for s in annotation["target"]["selector"]] == ["TextQuoteSelector"]


def test_zip_stream_writes_unique_names_to_an_unseekable_stream():
    files = [("a.md", b"one"), ("a.md", b"two"), ("A.md", b"three"), ("b", b"four")]
    data = b"".join(exports.zip_stream(files))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["a.md", "a-2.md", "A-3.md", "b"]
    assert archive.read("a-2.md") == b"two"


def test_epub_marks_the_highlights_and_carries_no_remote_media():
    document = article()
    document["extraction"]["html"] += '<p><img src="https://tracker.test/x.png" alt="x"></p>'
    data = exports.epub_book([document], title="Ferries", identifier="test-1")
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/epub+zip"
    chapter = archive.read("EPUB/article-1.xhtml")
    root = etree.fromstring(chapter)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    marks = root.findall(".//x:mark", ns)
    assert [mark.text for mark in marks] == ["eleven thousand"]
    assert marks[0].get("class") == "hl hl-green"
    assert root.findall(".//x:img", ns) == []
    assert b"<strong>source</strong>" in chapter and b"Worth a follow-up." in chapter
