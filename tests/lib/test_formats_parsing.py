"""Every import format, parsed from its fixture (tests/fixtures/imports), exactly."""

import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsreader.lib.formats import (
    FORMATS,
    ImportedHighlight,
    ImportedItem,
    detect_format,
    parse_file,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def at(*args, offset_hours=0):
    return datetime(*args, tzinfo=timezone(timedelta(hours=offset_hours)) if offset_hours else UTC)


def zip_directory(directory: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory).as_posix())
    return target


@pytest.fixture
def omnivore_zip(tmp_path):
    return zip_directory(FIXTURES / "omnivore", tmp_path / "omnivore-export.zip")


@pytest.fixture
def files_zip(tmp_path):
    return zip_directory(FIXTURES / "files", tmp_path / "articles.zip")


# --- Detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("articles.jsonl", "jsonl"),
        ("articles.json", "json"),
        ("articles.csv", "csv"),
        ("newsreader-export.json", "newsreader"),
        ("newsreader-v2.json", "newsreader"),
        ("files", "files"),
        ("files/bridges.html", "files"),
        ("files/field-notes.txt", "files"),
        ("files/recipes/sourdough.md", "files"),
        ("bookmarks.html", "bookmarks"),
        ("pocket.csv", "pocket"),
        ("pocket-export", "pocket"),
        ("ril_export.html", "pocket"),
        ("instapaper-export.csv", "instapaper"),
        ("wallabag-export.json", "wallabag"),
        ("omnivore", "omnivore"),
        ("omnivore/metadata_0_to_3.json", "omnivore"),
        ("readwise-reader.csv", "readwise"),
    ],
)
def test_each_fixture_is_detected(name, expected):
    assert detect_format(FIXTURES / name) == expected


def test_zip_archives_are_detected_by_their_listing(omnivore_zip, files_zip):
    assert detect_format(omnivore_zip) == "omnivore"
    assert detect_format(files_zip) == "files"


def test_every_format_is_listed():
    assert FORMATS == (
        "jsonl",
        "json",
        "csv",
        "files",
        "bookmarks",
        "pocket",
        "instapaper",
        "wallabag",
        "omnivore",
        "readwise",
        "newsreader",
    )


# --- Our own documented formats ----------------------------------------------------------------


def test_json_lines():
    tide, trains, shopping, empty = items(FIXTURES / "articles.jsonl")
    assert tide == ImportedItem(
        source="articles.jsonl, line 1",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        content=(
            "<h1>Tide pools at dawn</h1><p>The anemones close when the water leaves them.</p>"
        ),
        content_type="text/html",
        byline="Mara Lind",
        published=date(2024, 3, 1),
        tags=["ecology", "coast"],
        note="Good for the **field guide**.",
        highlights=[
            ImportedHighlight(
                exact="The anemones close",
                note="Check the timing",
                colour="green",
                prefix="dawn",
                suffix=" when the water",
            )
        ],
    )
    assert trains == ImportedItem(
        source="articles.jsonl, line 2",
        title="Night trains are back",
        url="https://rail.example/night-trains",
        published=date(2024, 4, 1),  # the date of a date-time, in its own offset
    )
    # Line 3 is blank: skipped, and the numbering stays that of the file.
    assert shopping == ImportedItem(
        source="articles.jsonl, line 4",
        title="Shopping list",
        content="# Shopping\n\n- flour\n- salt\n",
        content_type="text/markdown",
        tags=["kitchen", "lists"],
    )
    assert empty.source == "articles.jsonl, line 5"
    assert empty.title == "Nothing to import here"
    assert empty.error == "It has neither content nor a URL."


def test_json_array():
    kilns, contours, broken = items(FIXTURES / "articles.json")
    assert kilns == ImportedItem(
        source="articles.json, entry 1",
        title="How kilns are fired",
        content="A kiln is brought up to temperature slowly.\n\nThen it is held there.",
        content_type="text/plain",
        byline="Oskar Brenner",
        published=date(2023, 11, 14),
        tags=["pottery"],
    )
    assert contours == ImportedItem(
        source="articles.json, entry 2",
        url="https://maps.example/contours",
        tags=["maps", "hiking", "geography"],
        added_at=at(2024, 5, 1, 11, 30),  # no offset given: UTC
    )
    # Tags of the wrong shape are a warning: the article is imported without them.
    assert broken == ImportedItem(
        source="articles.json, entry 3",
        title="Broken tags",
        url="https://example.org/broken",
        warnings=["'tags' must be a list of strings, not a number; ignored."],
    )


def test_generic_csv():
    contours, bread, plain, bad_date, nothing = items(FIXTURES / "articles.csv")
    assert contours == ImportedItem(
        source="articles.csv, line 2",
        title="Contour lines explained",
        url="https://maps.example/contours",
        byline="Ines Faro",
        published=date(2024, 5, 1),
        tags=["maps", "hiking", "geography"],
    )
    assert bread == ImportedItem(
        source="articles.csv, line 3",
        title="Bread, slowly",
        content=(
            "<article>\n<h1>Bread, slowly</h1>\n"
            "<p>Mix, rest, fold, rest, fold, rest, shape, proof, bake.</p>\n</article>"
        ),
        content_type="text/html",
        byline='Ada "Flour" Quist',
        published=date(2023, 11, 14),
        tags=["kitchen", "baking"],
        note="A note\nover two lines",
    )
    # The row above spans lines 3 to 7: sources give the line each row starts on.
    assert plain == ImportedItem(
        source="articles.csv, line 8",
        title="Plain notes",
        content="Just plain text.",
        content_type="text/plain",
    )
    # A malformed date is a warning: the row is imported without it.
    assert bad_date == ImportedItem(
        source="articles.csv, line 9",
        title="Bad date",
        url="https://example.org/bad-date",
        warnings=["The published date '14/03/2024' is not an ISO date (YYYY-MM-DD); ignored."],
    )
    assert nothing.source == "articles.csv, line 10"
    assert nothing.error == "It has neither content nor a URL."


def test_newsreader_export():
    logbooks, links, pink = items(FIXTURES / "newsreader-export.json")
    assert logbooks == ImportedItem(
        source="newsreader-export.json, entry 1",
        title="The lighthouse keepers' logbooks",
        url="https://archive.example/lighthouse-logs",
        content=(
            "<article><h1>The lighthouse keepers' logbooks</h1><p>Every entry began with "
            "the weather. Fog was logged by the hour.</p></article>"
        ),
        content_type="text/html",
        byline="Tomas Ek",
        published=date(2022, 8, 15),
        added_at=at(2024, 6, 20, 16, 13, 20),
        read=True,
        archived=True,
        starred=True,
        progress=1.0,
        tags=["history", "sea"],
        note="Use for the **winter issue**.",
        highlights=[
            ImportedHighlight(
                exact="Every entry began with the weather.",
                note="A good opening line",
                colour="yellow",
                suffix=" Fog was logged",
                created_at=at(2024, 6, 21, 8, 0),
            ),
            ImportedHighlight(
                exact="Fog was logged by the hour.", colour="blue", prefix="the weather. "
            ),
        ],
    )
    assert links == ImportedItem(
        source="newsreader-export.json, entry 2",
        title="Unsorted links",
        url="https://links.example/unsorted",
        added_at=at(2024, 6, 22, 7, 30),  # in UTC
        read=False,
        archived=False,
        starred=False,
        progress=0.25,
    )
    # An unknown colour is a warning: the highlight is imported in yellow.
    assert pink == ImportedItem(
        source="newsreader-export.json, entry 3",
        title="A pink highlight",
        url="https://example.net/pink",
        highlights=[ImportedHighlight(exact="pink")],
        warnings=["Highlight 1: colour 'pink' is not one of yellow, green, blue, red; ignored."],
    )


# --- Loose files -------------------------------------------------------------------------------


def test_a_directory_of_files_is_walked_in_order_skipping_hidden_and_other_files():
    found = items(FIXTURES / "files")
    assert [(item.source, item.filename, item.content_type) for item in found] == [
        ("files/bridges.html", "bridges.html", "text/html"),
        ("files/field-notes.txt", "field-notes.txt", "text/plain"),
        ("files/recipes/sourdough.md", "sourdough.md", "text/markdown"),
    ]
    assert found[0].content == (FIXTURES / "files" / "bridges.html").read_bytes()
    assert all(item.title == "" and item.url == "" and not item.error for item in found)


def test_a_zip_of_files(files_zip):
    found = items(files_zip)
    assert [(item.source, item.filename) for item in found] == [
        ("articles.zip: bridges.html", "bridges.html"),
        ("articles.zip: field-notes.txt", "field-notes.txt"),
        ("articles.zip: recipes/sourdough.md", "sourdough.md"),
    ]
    assert found[2].content == (FIXTURES / "files" / "recipes" / "sourdough.md").read_bytes()


def test_a_single_article_file():
    (item,) = items(FIXTURES / "files" / "field-notes.txt")
    assert item == ImportedItem(
        source="field-notes.txt",
        filename="field-notes.txt",
        content=(FIXTURES / "files" / "field-notes.txt").read_bytes(),
        content_type="text/plain",
    )


# --- Other apps' exports ----------------------------------------------------------------------


def test_browser_bookmarks():
    found = items(FIXTURES / "bookmarks.html")
    tide, logbooks, trains, place, contours, bookmarklet, sourdough = found
    assert tide == ImportedItem(
        source="bookmarks.html, line 12",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        added_at=at(2024, 3, 1, 11, 0),
        tags=["ecology", "coast"],
        note="Read before the next low tide",
    )
    # Folders on the way down are tags (outermost first), after the bookmark's own.
    assert logbooks == ImportedItem(
        source="bookmarks.html, line 18",
        title="The lighthouse keepers' logbooks",
        url="https://archive.example/lighthouse-logs",
        added_at=at(2024, 5, 1, 11, 30),
        tags=["Reading", "Long reads"],
    )
    # ADD_DATE in milliseconds is recognised; entities are decoded.
    assert trains == ImportedItem(
        source="bookmarks.html, line 20",
        title="Night trains & sleepers",
        url="https://rail.example/night-trains",
        added_at=at(2024, 4, 1, 10, 0),
        tags=["travel", "Reading"],
    )
    assert place.source == "bookmarks.html, line 22"
    assert place.error.endswith("is not an http(s) web address.")
    # The browsers' own root folders are not tags.
    assert contours.source == "bookmarks.html, line 25"
    assert contours.tags == [] and not contours.error
    assert bookmarklet.source == "bookmarks.html, line 26"
    assert bookmarklet.title == "Pinkify"
    assert bookmarklet.error.endswith("is not an http(s) web address.")
    assert sourdough == ImportedItem(
        source="bookmarks.html, line 30",
        title="Sourdough, the slow way",
        url="https://kitchen.example/sourdough",
        added_at=at(2024, 5, 20, 10, 13, 20),
    )


def test_pocket_csv():
    tide, trains, contours, kitchen, bad = items(FIXTURES / "pocket.csv")
    assert tide == ImportedItem(
        source="pocket.csv, line 2",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        added_at=at(2024, 3, 1, 11, 0),
        tags=["ecology", "coast"],
        read=False,
        archived=False,
    )
    # status "archive": Pocket's archive is its list of read articles.
    assert trains == ImportedItem(
        source="pocket.csv, line 3",
        title="Night trains, sleepers and the timetable",
        url="https://rail.example/night-trains",
        added_at=at(2024, 4, 1, 10, 0),
        read=True,
        archived=True,
    )
    # Pocket puts the URL as the title when it has none: left empty for extraction.
    assert contours == ImportedItem(
        source="pocket.csv, line 4",
        url="https://maps.example/contours",
        added_at=at(2023, 10, 29, 8, 34, 48),
        tags=["maps", "Wandern über Berge"],
        read=False,
        archived=False,
    )
    assert kitchen.url == "https://kitchen.example/notes?tags=a,b"
    assert kitchen.tags == ["kitchen"]
    # A malformed time_added is a warning: the row is imported without it.
    assert bad == ImportedItem(
        source="pocket.csv, line 6",
        title="Bad time",
        url="https://example.org/bad-time",
        read=False,
        archived=False,
        warnings=["time_added 'yesterday' is not a Unix timestamp; ignored."],
    )


def test_pocket_legacy_html():
    assert items(FIXTURES / "ril_export.html") == [
        ImportedItem(
            source="ril_export.html, line 11",
            title="Tide pools at dawn",
            url="https://coastwatch.example/tide-pools",
            added_at=at(2024, 3, 1, 11, 0),
            tags=["ecology", "coast"],
            read=False,
            archived=False,
        ),
        ImportedItem(
            source="ril_export.html, line 12",
            title="Night trains are back",
            url="https://rail.example/night-trains",
            added_at=at(2024, 4, 1, 10, 0),
            read=False,
            archived=False,
        ),
        # Under "Read Archive".
        ImportedItem(
            source="ril_export.html, line 17",
            title="Contour lines & hill shading",
            url="https://maps.example/contours",
            added_at=at(2023, 10, 29, 8, 34, 48),
            tags=["maps", "hiking"],
            read=True,
            archived=True,
        ),
    ]


def test_pocket_zip_of_csv_parts(tmp_path):
    archive = tmp_path / "pocket.zip"
    lines = (FIXTURES / "pocket.csv").read_text().splitlines(keepends=True)
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("part_000010.csv", "".join(lines[:1] + lines[4:5]))
        zf.writestr("part_000002.csv", "".join(lines[:3]))
        zf.writestr("annotations/part_000000.json", "[]")
    assert detect_format(archive) == "pocket"
    found = items(archive)
    assert [(item.source, item.title) for item in found] == [
        ("pocket.zip: part_000002.csv, line 2", "Tide pools at dawn"),
        ("pocket.zip: part_000002.csv, line 3", "Night trains, sleepers and the timetable"),
        ("pocket.zip: part_000010.csv, line 2", "Kitchen notes"),
    ]
    assert found[0].tags == ["ecology", "coast"]


def test_instapaper_csv():
    tide, logbooks, trains, contours = items(FIXTURES / "instapaper-export.csv")
    assert tide == ImportedItem(
        source="instapaper-export.csv, line 2",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        added_at=at(2024, 3, 1, 11, 0),
        highlights=[ImportedHighlight(exact="The anemones close when the water leaves them.")],
        read=False,
        archived=False,
    )  # folder "Unread" is a read state, not a tag
    assert logbooks == ImportedItem(
        source="instapaper-export.csv, line 3",
        title="The lighthouse keepers' logbooks",
        url="https://archive.example/lighthouse-logs",
        added_at=at(2024, 5, 1, 11, 30),
        tags=["Long reads", "history", "sea"],
        highlights=[
            ImportedHighlight(
                exact=(
                    "Every entry began with the weather,\nthen the wind, then the sea.\n\n"
                    "Fog was logged by the hour."
                )
            )
        ],
    )
    # A folder of the user's is a tag, and says nothing of the read state.
    assert (logbooks.read, logbooks.archived, logbooks.starred) == (None, None, None)
    assert trains == ImportedItem(
        source="instapaper-export.csv, line 7",
        title="Night trains are back",
        url="https://rail.example/night-trains",
        added_at=at(2024, 4, 1, 10, 0),
        read=True,
        archived=True,
    )
    # "Starred" is a state too, not a tag.
    assert contours == ImportedItem(
        source="instapaper-export.csv, line 8",
        title="Contour lines explained",
        url="https://maps.example/contours",
        added_at=at(2023, 10, 29, 8, 34, 48),
        starred=True,
    )


def test_wallabag_json():
    tide, trains, logbooks = items(FIXTURES / "wallabag-export.json")
    assert tide == ImportedItem(
        source="wallabag-export.json, entry 1",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        content=(
            "<p>The anemones close when the water leaves them.</p><p>Crabs wait under the weed.</p>"
        ),
        content_type="text/html",
        byline="Mara Lind",
        published=date(2024, 2, 28),
        added_at=at(2024, 3, 1, 12, 0, offset_hours=1),
        tags=["ecology", "coast"],
        read=False,
        archived=False,
        starred=True,
        highlights=[
            ImportedHighlight(
                exact="The anemones close",
                note="Check the timing",
                created_at=at(2024, 3, 1, 13, 0, offset_hours=1),
            ),
            ImportedHighlight(
                exact="Crabs wait under the weed.",
                created_at=at(2024, 3, 1, 13, 5, offset_hours=1),
            ),
        ],
    )
    assert trains == ImportedItem(
        source="wallabag-export.json, entry 2",
        title="Night trains are back",
        url="https://rail.example/night-trains",
        added_at=at(2024, 4, 1, 12, 0, offset_hours=2),
        read=True,
        archived=True,
        starred=False,
    )
    assert logbooks.byline == "Tomas Ek, Lena Ek"
    assert logbooks.published == date(2022, 8, 15)
    assert logbooks.tags == ["history", "sea"]


def _omnivore_expectations(found, prefix):
    tide, letter, contours = found
    content = FIXTURES / "omnivore" / "content"
    assert tide == ImportedItem(
        source=f"{prefix}metadata_0_to_3.json, entry 1",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        content=(content / "tide-pools-at-dawn-18c2f0a1b2c.html").read_bytes(),
        content_type="text/html",
        filename="tide-pools-at-dawn-18c2f0a1b2c.html",
        byline="Mara Lind",
        published=date(2024, 2, 28),
        added_at=at(2024, 3, 1, 11, 0),
        tags=["ecology", "coast"],
        archived=True,  # state "Archived"
        progress=1.0,  # readingProgress 100 (a percentage)
        note="An article note, written before any quote.",
        highlights=[
            ImportedHighlight(
                exact="The anemones close when the water leaves them.",
                note="Check the timing against the tide table.",
            ),
            ImportedHighlight(exact="Crabs wait\n\nunder the weed."),
            ImportedHighlight(exact="A gull watches from the rocks."),
        ],
    )
    # A newsletter: Omnivore's placeholder URL is dropped, the content stays.
    assert letter == ImportedItem(
        source=f"{prefix}metadata_0_to_3.json, entry 2",
        title="Weekly letter No. 12",
        content=(content / "weekly-letter-no-12-18c2f0a1b2d.html").read_bytes(),
        content_type="text/html",
        filename="weekly-letter-no-12-18c2f0a1b2d.html",
        byline="The Harbour Post",
        added_at=at(2024, 5, 1, 11, 30),
        tags=["Newsletter"],
        archived=False,
        progress=0.0,
        highlights=[
            ImportedHighlight(
                exact="Ferries run hourly until October.",
                note="Worth a paragraph in the guide.\n\nAsk about the winter timetable.",
            )
        ],
    )
    assert contours == ImportedItem(
        source=f"{prefix}metadata_0_to_3.json, entry 3",
        title="Contour lines explained",
        url="https://maps.example/contours",
        added_at=at(2023, 10, 29, 8, 34, 48),
        archived=False,
        progress=0.0,
    )


def test_omnivore_zip(omnivore_zip):
    _omnivore_expectations(items(omnivore_zip), "omnivore-export.zip: ")


def test_omnivore_zip_with_everything_in_a_folder(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        source = FIXTURES / "omnivore"
        for path in sorted(source.rglob("*")):
            if path.is_file():
                zf.write(path, "omnivore-2024/" + path.relative_to(source).as_posix())
    found = items(archive)
    assert found[0].source == "export.zip: omnivore-2024/metadata_0_to_3.json, entry 1"
    assert len(found[0].highlights) == 3


def test_omnivore_unzipped_directory():
    _omnivore_expectations(items(FIXTURES / "omnivore"), "omnivore/")


def test_omnivore_metadata_file_alone():
    tide, letter, contours = items(FIXTURES / "omnivore" / "metadata_0_to_3.json")
    assert tide.source == "metadata_0_to_3.json, entry 1"
    assert (tide.url, tide.content, tide.highlights) == (
        "https://coastwatch.example/tide-pools",
        None,
        [],
    )
    # No URL and no content file: nothing to import from.
    assert letter.error == "It has neither content nor a URL."
    assert not contours.error


def test_readwise_reader_csv():
    assert items(FIXTURES / "readwise-reader.csv") == [
        ImportedItem(
            source="readwise-reader.csv, line 2",
            title="Tide pools at dawn",
            url="https://coastwatch.example/tide-pools",
            byline="Mara Lind",
            added_at=at(2024, 3, 1, 11, 0),
            tags=["ecology", "coast"],
            archived=False,  # Location "later"
            progress=0.45,  # Seen True: opened, which need not mean read
        ),
        ImportedItem(
            source="readwise-reader.csv, line 3",
            title="Night trains are back",
            url="https://rail.example/night-trains",
            added_at=at(2024, 4, 1, 10, 0),
            read=False,  # Seen False: never opened
            archived=False,
            progress=0.0,
        ),
        ImportedItem(
            source="readwise-reader.csv, line 4",
            title="The lighthouse keepers' logbooks",
            url="https://archive.example/lighthouse-logs",
            byline="Tomas Ek",
            added_at=at(2024, 5, 1, 11, 30),
            tags=["history", "sea's edge"],
            archived=True,
            progress=1.0,
        ),
    ]


# --- Explicit formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("pocket.csv", "pocket"),
        ("ril_export.html", "pocket"),
        ("instapaper-export.csv", "instapaper"),
        ("readwise-reader.csv", "readwise"),
        ("wallabag-export.json", "wallabag"),
        ("newsreader-export.json", "newsreader"),
        ("bookmarks.html", "bookmarks"),
        ("articles.jsonl", "jsonl"),
        ("files", "files"),
        ("omnivore", "omnivore"),
    ],
)
def test_naming_the_format_gives_what_detection_gives(name, format):  # noqa: A002
    assert items(FIXTURES / name, format) == items(FIXTURES / name)


def test_a_pocket_csv_read_as_generic_csv_keeps_title_and_url():
    first = items(FIXTURES / "pocket.csv", "csv")[0]
    assert (first.title, first.url, first.tags, first.added_at) == (
        "Tide pools at dawn",
        "https://coastwatch.example/tide-pools",
        ["ecology", "coast"],
        None,  # time_added is not a column of the generic CSV
    )
