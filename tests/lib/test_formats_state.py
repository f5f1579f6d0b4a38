"""Reading state, saved dates, highlight times and warnings, format by format.

read / archived / starred / progress are None where the source does not say;
a malformed optional value is a warning and the item is imported without it.
"""

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.lib.formats import (
    ImportedHighlight,
    ItemProblem,
    parse_datetime,
    parse_file,
    parse_flag,
    parse_progress,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
U = "https://a.example/1"


def write(tmp_path, content, name):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def state(item):
    return (item.read, item.archived, item.starred, item.progress)


# --- The value parsers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("True", True),
        ("false", False),
        (" yes ", True),
        ("NO", False),
        ("1", True),
        ("0", False),
    ],
)
def test_flags(value, expected):
    assert parse_flag(value, "read") is expected


@pytest.mark.parametrize("value", [2, "maybe", 0.5, [], {}])
def test_what_is_not_a_flag_is_a_problem(value):
    with pytest.raises(ItemProblem, match=r"^read .* is not true or false\.$"):
        parse_flag(value, "read")


@pytest.mark.parametrize(
    ("value", "percent", "expected"),
    [
        (None, False, None),
        ("", False, None),
        (0, False, 0.0),
        (1, False, 1.0),
        ("0.45", False, 0.45),
        ("45%", False, 0.45),
        (45, True, 0.45),
        ("100", True, 1.0),
        (0.45, None, 0.45),
        (45, None, 0.45),  # above 1: a percentage
        (1, None, 1.0),
    ],
)
def test_progress(value, percent, expected):
    assert parse_progress(value, "progress", percent=percent) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "percent", "message"),
    [
        ("half", False, "progress 'half' is not a number."),
        (True, False, "progress 'True' is not a number."),
        ("nan", False, "progress 'nan' is not a number."),
        ("inf", True, "progress 'inf' is not a number."),
        ("1" * 30, False, f"progress '{'1' * 30}' is not a number."),
        (1.5, False, "progress '1.5' is not between 0 and 1."),
        (-0.1, False, "progress '-0.1' is not between 0 and 1."),
        (150, True, "progress '150' is not between 0% and 100%."),
        ("150%", False, "progress '150%' is not between 0% and 100%."),
        (150, None, "progress '150' is not between 0% and 100%."),
    ],
)
def test_what_is_not_a_progress_is_a_problem(value, percent, message):
    with pytest.raises(ItemProblem) as info:
        parse_progress(value, "progress", percent=percent)
    assert str(info.value) == message


def test_date_times_are_aware_and_in_utc():
    moment = parse_datetime("2024-03-01T12:00:00+0100", "created_at")
    assert moment == datetime(2024, 3, 1, 11, 0, tzinfo=UTC)
    assert moment.tzinfo is UTC
    assert parse_datetime("2024-03-01 11:00:00", "created_at").tzinfo is UTC  # naive: UTC


# --- Every fixture: times in UTC, progress within bounds -------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "articles.jsonl",
        "articles.json",
        "articles.csv",
        "newsreader-export.json",
        "bookmarks.html",
        "pocket.csv",
        "pocket-export",
        "ril_export.html",
        "instapaper-export.csv",
        "wallabag-export.json",
        "omnivore",
        "readwise-reader.csv",
    ],
)
def test_every_time_is_aware_utc_and_every_progress_a_fraction(name):
    for item in items(FIXTURES / name):
        times = [item.added_at] + [h.created_at for h in item.highlights]
        assert all(moment is None or moment.tzinfo is UTC for moment in times)
        assert item.progress is None or 0 <= item.progress <= 1
        assert all(flag in (None, True, False) for flag in state(item)[:3])


@pytest.mark.parametrize(
    "name",
    [
        "bookmarks.html",
        "pocket.csv",
        "pocket-export",
        "ril_export.html",
        "instapaper-export.csv",
        "wallabag-export.json",
        "omnivore",
        "readwise-reader.csv",
        "newsreader-export.json",
    ],
)
def test_formats_that_have_a_saved_date_fill_added_at(name):
    found = [item for item in items(FIXTURES / name) if not item.error and not item.warnings]
    assert found and all(item.added_at is not None for item in found)


# --- Generic CSV ---------------------------------------------------------------------------------


def test_generic_csv_state_columns(tmp_path):
    text = (
        "title,url,added_at,read,archived,starred,progress\n"
        "A,https://a.example/1,2024-05-01T12:00:00+02:00,yes,1,false,0.5\n"
        "B,https://a.example/2,,,,,\n"
    )
    first, second = items(write(tmp_path, text, "input.csv"))
    assert state(first) == (True, True, False, 0.5)
    assert first.added_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert state(second) == (None, None, None, None)
    assert not first.warnings and not second.warnings


def test_generic_csv_malformed_state_is_a_warning(tmp_path):
    text = (
        "title,url,published,added_at,read,starred,progress\n"
        "A,https://a.example/1,junk,later,perhaps,yes,lots\n"
    )
    (item,) = items(write(tmp_path, text, "input.csv"))
    assert (item.url, item.error) == ("https://a.example/1", "")
    assert state(item) == (None, None, True, None)
    assert (item.published, item.added_at) == (None, None)
    assert item.warnings == [
        "The published date 'junk' is not an ISO date (YYYY-MM-DD); ignored.",
        "added_at 'later' is not an ISO date-time; ignored.",
        "read 'perhaps' is not true or false; ignored.",
        "progress 'lots' is not a number; ignored.",
    ]


# --- Our JSON formats ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["input.json", "input.jsonl"])
def test_json_article_state(tmp_path, name):
    entry = {
        "url": U,
        "read": True,
        "archived": False,
        "starred": None,
        "progress": "40%",
        "added_at": "2024-05-02T10:00:00Z",
    }
    path = write(tmp_path, [entry] if name.endswith(".json") else entry, name)
    (item,) = items(path)
    assert state(item) == (True, False, None, 0.4)
    assert item.added_at == datetime(2024, 5, 2, 10, 0, tzinfo=UTC)


def test_json_malformed_state_and_highlight_details_are_warnings(tmp_path):
    entry = {
        "url": U,
        "byline": ["A", "B"],
        "read": "sometimes",
        "archived": 2,
        "progress": 3,
        "highlights": [
            {"exact": "kept", "colour": "pink", "created_at": "yesterday"},
            {"exact": "also kept", "created_at": "2024-05-02T12:00:00+02:00"},
        ],
    }
    (item,) = items(write(tmp_path, [entry], "input.json"))
    assert (item.url, item.byline, item.error) == (U, "", "")
    assert state(item) == (None, None, None, None)
    assert item.highlights == [
        ImportedHighlight(exact="kept"),
        ImportedHighlight(exact="also kept", created_at=datetime(2024, 5, 2, 10, 0, tzinfo=UTC)),
    ]
    assert item.warnings == [
        "'byline' must be a string, not a list; ignored.",
        "read 'sometimes' is not true or false; ignored.",
        "archived '2' is not true or false; ignored.",
        "progress '3' is not between 0 and 1; ignored.",
        "Highlight 1: colour 'pink' is not one of yellow, green, blue, red; ignored.",
        "Highlight 1: created_at 'yesterday' is not an ISO date-time; ignored.",
    ]


def test_newsreader_export_state_and_times():
    logbooks, links, _ = items(FIXTURES / "newsreader-export.json")
    assert state(logbooks) == (True, True, True, 1.0)
    assert logbooks.highlights[0].created_at == datetime(2024, 6, 21, 8, 0, tzinfo=UTC)
    assert logbooks.highlights[1].created_at is None
    assert state(links) == (False, False, False, 0.25)


# --- wallabag -----------------------------------------------------------------------------------

WALLABAG = {"is_archived": 0, "is_starred": 0, "url": U, "title": "T"}


@pytest.mark.parametrize(
    ("archived", "starred", "expected"),
    [
        (1, 1, (True, True, True)),
        (0, 0, (False, False, False)),
        (True, False, (True, True, False)),  # booleans, as some versions write them
        (None, None, (None, None, None)),
    ],
)
def test_wallabag_archived_is_read_and_starred(tmp_path, archived, starred, expected):
    entry = {**WALLABAG, "is_archived": archived, "is_starred": starred}
    (item,) = items(write(tmp_path, [entry], "wallabag.json"))
    assert (item.read, item.archived, item.starred) == expected
    assert item.progress is None


def test_wallabag_malformed_values_are_warnings(tmp_path):
    entry = {
        **WALLABAG,
        "is_starred": "often",
        "created_at": "a while ago",
        "published_by": 7,
        "tags": {"a": 1},
        "annotations": [
            {"quote": "kept", "created_at": "x"},
            {"quote": "timed", "created_at": "2024-03-01T13:00:00+0100"},
        ],
    }
    (item,) = items(write(tmp_path, [entry], "wallabag.json"))
    assert (item.url, item.error, item.archived, item.starred) == (U, "", False, None)
    assert (item.added_at, item.byline, item.tags) == (None, "", [])
    assert [(h.exact, h.created_at) for h in item.highlights] == [
        ("kept", None),
        ("timed", datetime(2024, 3, 1, 12, 0, tzinfo=UTC)),
    ]
    assert item.warnings == [
        "'tags' must be a list of strings, not an object; ignored.",
        "'published_by' must be a list of names, not a number; ignored.",
        "created_at 'a while ago' is not an ISO date-time; ignored.",
        "is_starred 'often' is not true or false; ignored.",
        "Annotation 1: created_at 'x' is not an ISO date-time; ignored.",
    ]


def test_wallabag_fixture_highlight_times_are_in_utc():
    tide = items(FIXTURES / "wallabag-export.json")[0]
    assert [h.created_at for h in tide.highlights] == [
        datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        datetime(2024, 3, 1, 12, 5, tzinfo=UTC),
    ]
    assert tide.added_at == datetime(2024, 3, 1, 11, 0, tzinfo=UTC)


# --- Pocket CSV and legacy HTML ------------------------------------------------------------------

POCKET_HEADER = "title,url,time_added,tags,status\n"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("unread", (False, False)),
        ("archive", (True, True)),
        ("Archive", (True, True)),
        ("archived", (True, True)),
        ("", (None, None)),
    ],
)
def test_pocket_status(tmp_path, status, expected):
    path = write(tmp_path, POCKET_HEADER + f"A,{U},1700000000,,{status}\n", "pocket.csv")
    (item,) = items(path)
    assert ((item.read, item.archived), item.starred, item.progress) == (expected, None, None)
    assert not item.warnings


def test_pocket_csv_without_a_status_column(tmp_path):
    path = write(tmp_path, f"title,url,time_added\nA,{U},1700000000\n", "pocket.csv")
    (item,) = items(path, "pocket")
    assert state(item) == (None, None, None, None)


def test_an_unknown_pocket_status_is_a_warning(tmp_path):
    path = write(tmp_path, POCKET_HEADER + f"A,{U},1700000000,,deleted\n", "pocket.csv")
    (item,) = items(path)
    assert (item.url, item.error, item.read, item.archived) == (U, "", None, None)
    assert item.warnings == [
        "status 'deleted' is not one of unread, archive, archived, read; ignored."
    ]


def test_pocket_html_links_under_no_known_heading_have_no_state(tmp_path):
    html = (
        "<title>Pocket Export</title>\n"
        f'<ul><li><a href="{U}" time_added="1700000000">Before any heading</a></li></ul>\n'
        "<h1>Favourites</h1>\n"
        '<ul><li><a href="https://a.example/2" time_added="soon">Odd</a></li></ul>\n'
        "<h1>Read Archive</h1>\n"
        '<ul><li><a href="https://a.example/3" time_added="1700000000">Done</a></li></ul>\n'
    )
    before, odd, done = items(write(tmp_path, html, "ril_export.html"))
    assert (before.read, before.archived) == (None, None)
    assert (odd.read, odd.archived, odd.added_at, odd.error) == (None, None, None, "")
    assert odd.warnings == ["time_added 'soon' is not a Unix timestamp; ignored."]
    assert (done.read, done.archived, done.title) == (True, True, "Done")


# --- Instapaper ----------------------------------------------------------------------------------

INSTAPAPER_HEADER = "URL,Title,Selection,Folder,Timestamp\n"


@pytest.mark.parametrize(
    ("folder", "expected", "tags"),
    [
        ("Unread", (False, False, None), []),
        ("archive", (True, True, None), []),
        ("STARRED", (None, None, True), []),
        ("Recipes", (None, None, None), ["Recipes"]),
        ("", (None, None, None), []),
    ],
)
def test_instapaper_folders(tmp_path, folder, expected, tags):
    path = write(tmp_path, INSTAPAPER_HEADER + f"{U},A,,{folder},1700000000\n", "i.csv")
    (item,) = items(path, "instapaper")
    assert ((item.read, item.archived, item.starred), item.tags) == (expected, tags)
    assert item.progress is None


def test_a_bad_instapaper_timestamp_is_a_warning(tmp_path):
    path = write(tmp_path, INSTAPAPER_HEADER + f"{U},A,Quote,Unread,x\n", "i.csv")
    (item,) = items(path, "instapaper")
    assert (item.error, item.added_at, item.read) == ("", None, False)
    assert item.highlights == [ImportedHighlight(exact="Quote")]
    assert item.warnings == ["Timestamp 'x' is not a Unix timestamp; ignored."]


# --- Readwise Reader ---------------------------------------------------------------------------

READWISE_HEADER = "Title,URL,Document tags,Saved date,Reading progress,Location,Seen\n"


@pytest.mark.parametrize(
    ("progress", "location", "seen", "expected"),
    [
        ("0.45", "later", "True", (None, False, None, 0.45)),
        ("45%", "new", "False", (False, False, None, 0.45)),
        ("45", "shortlist", "", (None, False, None, 0.45)),  # above 1: a percentage
        ("1", "Archive", "True", (None, True, None, 1.0)),
        ("", "feed", "false", (False, False, None, None)),
        ("", "", "", (None, None, None, None)),
    ],
)
def test_readwise_state(tmp_path, progress, location, seen, expected):
    row = f"A,{U},[],2024-03-01 11:00:00+00:00,{progress},{location},{seen}\n"
    (item,) = items(write(tmp_path, READWISE_HEADER + row, "reader.csv"))
    assert state(item) == expected
    assert item.added_at == datetime(2024, 3, 1, 11, 0, tzinfo=UTC)
    assert not item.warnings


def test_readwise_malformed_values_are_warnings(tmp_path):
    row = f"A,{U},[],last week,most of it,inbox,sometimes\n"
    (item,) = items(write(tmp_path, READWISE_HEADER + row, "reader.csv"))
    assert (item.url, item.error) == (U, "")
    assert state(item) == (None, None, None, None)
    assert item.warnings == [
        "Saved date 'last week' is not an ISO date-time; ignored.",
        "Reading progress 'most of it' is not a number; ignored.",
        "Location 'inbox' is not one of new, later, shortlist, feed, archive; ignored.",
        "Seen 'sometimes' is not true or false; ignored.",
    ]


# --- Omnivore ----------------------------------------------------------------------------------


def omnivore(tmp_path, **fields):
    entry = {"slug": "a", "url": U, "title": "A", "savedAt": "2024-03-01T11:00:00.000Z", **fields}
    path = tmp_path / "o.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata_0_to_1.json", json.dumps([entry]))
    (item,) = items(path)
    return item


@pytest.mark.parametrize(
    ("fields", "archived", "progress"),
    [
        ({"state": "Archived", "readingProgress": 100}, True, 1.0),
        ({"state": "Active", "readingProgress": 37.5}, False, 0.375),
        ({"state": "Unknown"}, None, None),
        ({"state": "SUCCEEDED", "readingProgress": 0}, False, 0.0),
        ({"state": "CONTENT_NOT_FETCHED"}, False, None),
        ({"state": "ARCHIVED", "readingProgressPercent": 50}, True, 0.5),
        ({"state": "Active", "isArchived": True}, True, None),  # the flag wins
        ({}, None, None),
    ],
)
def test_omnivore_state_and_progress(tmp_path, fields, archived, progress):
    item = omnivore(tmp_path, **fields)
    assert state(item) == (None, archived, None, progress)
    assert item.added_at == datetime(2024, 3, 1, 11, 0, tzinfo=UTC)
    assert not item.warnings


def test_omnivore_malformed_values_are_warnings(tmp_path):
    item = omnivore(
        tmp_path,
        state="Snoozed",
        readingProgress="most",
        labels=7,
        savedAt="then",
        publishedAt="2024-13-45",
    )
    assert (item.url, item.title, item.error) == (U, "A", "")
    assert (item.archived, item.progress, item.tags, item.added_at) == (None, None, [], None)
    assert item.warnings == [
        "'labels' must be a list of strings, not a number; ignored.",
        "publishedAt '2024-13-45' is not an ISO date (YYYY-MM-DD); ignored.",
        "savedAt 'then' is not an ISO date-time; ignored.",
        'state "Snoozed" is not Archived, Active or Unknown; ignored.',
        "readingProgress 'most' is not a number; ignored.",
    ]


def test_omnivore_highlights_have_no_times():
    # Omnivore's highlights/<slug>.md carries no dates.
    tide = items(FIXTURES / "omnivore")[0]
    assert tide.highlights and all(h.created_at is None for h in tide.highlights)


# --- Bookmarks ---------------------------------------------------------------------------------


def test_bookmarks_have_a_saved_date_and_no_state():
    for item in items(FIXTURES / "bookmarks.html"):
        assert state(item) == (None, None, None, None)
    assert items(FIXTURES / "bookmarks.html")[0].added_at == datetime(2024, 3, 1, 11, tzinfo=UTC)


# --- Errors stay errors ------------------------------------------------------------------------


def test_warnings_do_not_hide_an_error(tmp_path):
    entry = {"title": "No way to import", "published": "junk", "read": "x"}
    (item,) = items(write(tmp_path, [entry], "input.json"))
    assert item.error == "It has neither content nor a URL."
    assert item.warnings == [
        "The published date 'junk' is not an ISO date (YYYY-MM-DD); ignored.",
        "read 'x' is not true or false; ignored.",
    ]
