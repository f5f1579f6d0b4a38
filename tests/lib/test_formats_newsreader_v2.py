"""Our own export, version 2 (newsreader/lib/formats/json_formats.py): everything a team
export carries is parsed, and malformed values are warnings or errors as documented."""

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsreader.lib.formats import (
    ImportedHighlight,
    ImportedItem,
    ImportedNote,
    ImportedRead,
    ImportedReply,
    parse_file,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
FIXTURE = FIXTURES / "newsreader-v2.json"


def at(*args):
    return datetime(*args, tzinfo=UTC)


def parse(tmp_path, articles):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "newsreader", "version": 2, "articles": articles}))
    return list(parse_file(path))


def article(**fields):
    return {
        "title": "A story",
        "original": {
            "content_base64": base64.b64encode(b"<p>Some words to read.</p>").decode(),
            "content_type": "text/html; charset=utf-8",
            "filename": "a.html",
        },
        **fields,
    }


def test_the_fixture_is_parsed_whole():
    ferries, harbour = parse_file(FIXTURE)
    original = json.loads(FIXTURE.read_text())["articles"]
    assert ferries == ImportedItem(
        source="newsreader-v2.json, entry 1",
        title="Ferries go electric",
        url="https://news.example/ferries",
        content=base64.b64decode(original[0]["original"]["content_base64"]),
        content_type="text/html; charset=utf-8",
        filename="ferries.html",
        byline="Mara Lind",
        published=date(2024, 3, 5),
        added_at=at(2024, 3, 6, 8, 0),
        tags=["ferries", "council"],
        read=True,
        archived=False,
        starred=True,
        progress=0.4,
        readers=[
            ImportedRead("olivia", at(2024, 3, 6, 9, 0)),
            ImportedRead("tariq", at(2024, 3, 7, 10, 30)),
        ],
        article_notes=[
            ImportedNote(
                "olivia",
                "Follow up with the **port authority**.",
                at(2024, 3, 6, 9, 5),
                at(2024, 3, 6, 9, 15),
            ),
            ImportedNote(
                "tariq",
                "The budget figures are on page 4.",
                at(2024, 3, 7, 10, 40),
                at(2024, 3, 7, 10, 40),
            ),
        ],
        highlights=[
            ImportedHighlight(
                exact="replace the harbour's diesel ferries with battery boats",
                note="The *decision* itself.",
                colour="yellow",
                prefix="The council voted on Tuesday to ",
                suffix=".\nThe first boat arrives in spri",
                created_at=at(2024, 3, 6, 9, 1),
                start=32,
                end=87,
                visibility="team",
                author="olivia",
                updated_at=at(2024, 3, 6, 9, 20),
                replies=[
                    ImportedReply(
                        "tariq",
                        "Which budget cycle was this?",
                        at(2024, 3, 7, 10, 35),
                        at(2024, 3, 7, 10, 36),
                    ),
                    ImportedReply(
                        "olivia",
                        "The third, in **2023**.",
                        at(2024, 3, 7, 11, 0),
                        at(2024, 3, 7, 11, 0),
                    ),
                ],
            ),
            ImportedHighlight(
                exact="replace the harbour's diesel ferries with battery boats",
                colour="blue",
                prefix="The council voted on Tuesday to ",
                suffix=".\nThe first boat arrives in spri",
                created_at=at(2024, 3, 7, 10, 31),
                start=32,
                end=87,
                author="tariq",
                updated_at=at(2024, 3, 7, 10, 31),
            ),
            ImportedHighlight(
                exact="eleven minutes",
                note="Check against the timetable.",
                colour="green",
                prefix="ing, and the crossing will take ",
                suffix=", as it does now.\nCharging happe",
                created_at=at(2024, 3, 6, 9, 2),
                start=150,
                end=164,
                visibility="private",
                author="olivia",
                updated_at=at(2024, 3, 6, 9, 2),
            ),
            ImportedHighlight(
                exact="the old ferries will be sold to a museum",
                note="This was cut from the article.",
                colour="red",
                prefix="Tuesday's vote also decided that ",
                suffix=". The museum",
                created_at=at(2024, 3, 7, 10, 32),
                start=88,
                end=128,
                is_orphan=True,
                author="tariq",
                updated_at=at(2024, 3, 8, 12, 0),
                # null: the account is gone; the reply stays, without an author.
                replies=[
                    ImportedReply(
                        None,
                        "It is in the minutes, though.",
                        at(2024, 3, 8, 12, 30),
                        at(2024, 3, 8, 12, 30),
                    )
                ],
            ),
        ],
    )
    assert harbour.content.startswith(b"# Harbour notes\n")
    assert (harbour.content_type, harbour.filename) == (
        "text/markdown; charset=utf-8",
        "harbour.md",
    )
    assert (harbour.url, harbour.published, harbour.progress) == ("", None, None)
    assert (harbour.read, harbour.archived, harbour.starred) == (False, True, False)
    assert harbour.readers == [ImportedRead("tariq", at(2024, 4, 2, 8, 0))]
    assert harbour.article_notes == []
    assert [(h.exact, h.author, h.visibility, len(h.replies)) for h in harbour.highlights] == [
        ("keeps a log of every boat", "tariq", "team", 0),
        ("Most days the log fills a page", "olivia", "private", 0),
        ("on regatta days it fills four", "olivia", "team", 1),
    ]
    assert not ferries.warnings and not harbour.warnings
    assert not ferries.error and not harbour.error


def test_version_1_keys_of_version_2_are_not_read_as_content(tmp_path):
    # Version 2 carries the article as its original; "html" is not a version 2 key.
    (item,) = parse(tmp_path, [{"url": "https://example.com/a", "html": "<p>Words</p>"}])
    assert item.content is None and item.url == "https://example.com/a"


def test_without_an_original_the_article_is_fetched(tmp_path):
    (item,) = parse(tmp_path, [{"title": "T", "url": "https://example.com/a"}])
    assert (item.error, item.content, item.url) == ("", None, "https://example.com/a")


def test_content_that_is_not_base64_fails_the_article(tmp_path):
    (item,) = parse(tmp_path, [article(original={"content_base64": "not base64!"})])
    assert item.error == "The original's 'content_base64' is not valid base64."


@pytest.mark.parametrize(
    ("highlight", "expected", "warning"),
    [
        (
            {"start": "12", "end": 20},
            {"start": None, "end": None},
            "Highlight 1: start and end must be whole numbers; ignored.",
        ),
        (
            {"start": 20, "end": 20},
            {"start": None, "end": None},
            "Highlight 1: start 20 and end 20 are not a range of the text; ignored.",
        ),
        (
            {"visibility": "secret"},
            {"visibility": "private"},
            'Highlight 1: the visibility "secret" is not team or private; kept private.',
        ),
        (
            {"author": 7},
            {"author": ""},
            "Highlight 1: the author 7 is not a username; ignored.",
        ),
        (
            {"updated_at": "yesterday"},
            {"updated_at": None},
            "Highlight 1: updated_at 'yesterday' is not an ISO date-time; ignored.",
        ),
        (
            {"is_orphan": "maybe"},
            {"is_orphan": False},
            "Highlight 1: is_orphan 'maybe' is not true or false; ignored.",
        ),
    ],
)
def test_a_malformed_optional_value_of_a_highlight_is_a_warning(
    tmp_path, highlight, expected, warning
):
    (item,) = parse(tmp_path, [article(highlights=[{"exact": "words", **highlight}])])
    assert not item.error
    assert item.warnings == [warning]
    for key, value in expected.items():
        assert getattr(item.highlights[0], key) == value


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"highlights": [{"exact": "words", "replies": [{"author": "tariq"}]}]},
            "Reply 1 to highlight 1 has no 'body' text.",
        ),
        (
            {"highlights": [{"exact": "words", "replies": [{"body": 3}]}]},
            "Reply 1 to highlight 1: 'body' must be a string, not a number.",
        ),
        (
            {"highlights": [{"exact": "words", "replies": "yes"}]},
            "Highlight 1: 'replies' must be a list, not a string.",
        ),
        ({"article_notes": ["a note"]}, "Article note 1 must be an object, not a string."),
        ({"article_notes": [{"body": "  "}]}, "Article note 1 has no 'body' text."),
        (
            {"highlights": [{"exact": "words", "note": 5}]},
            "Highlight 1: 'note' must be a string, not a number.",
        ),
        (
            {"highlights": [{"exact": "words", "replies": [{"body": "a\x00b"}]}]},
            "Reply 1 to highlight 1 contains a NUL byte.",
        ),
    ],
)
def test_words_that_cannot_be_read_fail_the_article(tmp_path, fields, error):
    (item,) = parse(tmp_path, [article(**fields)])
    assert item.error == error


def test_a_malformed_reader_is_left_out_with_a_warning(tmp_path):
    readers = [{"user": "tariq"}, {"user": ""}, "olivia", {"user": "rita", "read_at": "soon"}]
    (item,) = parse(tmp_path, [article(readers=readers)])
    assert item.readers == [ImportedRead("tariq"), ImportedRead("rita")]
    assert item.warnings == [
        "Reader 2: not an object with a 'user' name; ignored.",
        "Reader 3: not an object with a 'user' name; ignored.",
        "Reader 4: read_at 'soon' is not an ISO date-time; ignored.",
    ]


def test_version_1_is_read_as_before(tmp_path):
    path = tmp_path / "v1.json"
    path.write_text(
        json.dumps(
            {
                "format": "newsreader",
                "version": 1,
                "articles": [
                    {
                        "html": "<p>Words</p>",
                        "highlights": [{"exact": "Words", "start": 0, "end": 5, "author": "x"}],
                    }
                ],
            }
        )
    )
    (item,) = parse_file(path)
    # Version 1 has no positions, authors or threads: such keys are not read.
    assert item.highlights == [ImportedHighlight(exact="Words")]
    assert (item.content, item.content_type) == ("<p>Words</p>", "text/html")
