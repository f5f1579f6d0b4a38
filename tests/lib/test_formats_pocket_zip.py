"""Pocket's ZIP export: CSV parts, and the highlights in annotations/*.json attached by URL."""

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.lib.formats import (
    ImportedHighlight,
    ImportedItem,
    ImportFileError,
    detect_format,
    parse_file,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
EXPORT = FIXTURES / "pocket-export"
HEADER = "title,url,time_added,cursor,tags,status\n"


def at(*args):
    return datetime(*args, tzinfo=UTC)


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def file_error(path, format="auto") -> str:  # noqa: A002
    with pytest.raises(ImportFileError) as info:
        list(parse_file(path, format))
    return str(info.value)


def zip_directory(directory: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory).as_posix())
    return target


def pocket_zip(tmp_path, rows, annotations, name="annotations/part_000000.json"):
    path = tmp_path / "pocket.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("part_000000.csv", HEADER + "".join(rows))
        if annotations is not None:
            text = annotations if isinstance(annotations, str) else json.dumps(annotations)
            zf.writestr(name, text)
    return path


def row(url, title="A", status="unread"):
    return f"{title},{url},1700000000,1,,{status}\n"


@pytest.fixture
def export_zip(tmp_path):
    return zip_directory(EXPORT, tmp_path / "pocket.zip")


# --- The fixture ---------------------------------------------------------------------------------


def test_the_export_is_detected_zipped_and_unzipped(export_zip):
    assert detect_format(export_zip) == "pocket"
    assert detect_format(EXPORT) == "pocket"


def test_highlights_are_attached_to_their_articles(export_zip):
    tide, trains, contours, kitchen, logbooks = items(export_zip)
    # Two annotations entries for one URL are merged; the empty quote is skipped.
    assert tide == ImportedItem(
        source="pocket.zip: part_000000.csv, line 2",
        title="Tide pools at dawn",
        url="https://coastwatch.example/tide-pools",
        added_at=at(2024, 3, 1, 11, 0),
        tags=["ecology", "coast"],
        read=False,
        archived=False,
        highlights=[
            ImportedHighlight(
                exact="The anemones close when the water leaves them.",
                created_at=at(2024, 3, 2, 11, 0),
            ),
            ImportedHighlight(exact="Crabs wait under the weed.", created_at=at(2024, 3, 2, 12, 0)),
        ],
    )
    assert (trains.title, trains.highlights, trains.read, trains.archived) == (
        "Night trains, sleepers and the timetable",
        [],
        True,
        True,
    )
    # The CSV's "https://Maps.example/contours/" matches the annotations' URL.
    assert contours.url == "https://Maps.example/contours/"
    assert contours.highlights == [
        ImportedHighlight(
            exact="Every contour line is a level walk.", created_at=at(2023, 10, 29, 9, 0)
        )
    ]
    assert (kitchen.source, kitchen.highlights) == ("pocket.zip: part_000001.csv, line 3", [])
    # Highlights for an article the CSV does not list: an item of their own, with a warning.
    assert logbooks == ImportedItem(
        source="pocket.zip: annotations/part_000000.json, entry 4",
        title="The lighthouse keepers' logbooks",
        url="https://archive.example/lighthouse-logs",
        highlights=[
            ImportedHighlight(
                exact="Fog was logged by the hour.", created_at=at(2024, 5, 1, 13, 30)
            )
        ],
        warnings=["Pocket's annotations list this URL, but its CSV does not."],
    )


def test_the_unzipped_export_gives_the_same_items(export_zip):
    zipped = items(export_zip)
    unzipped = items(EXPORT)
    assert [item.source for item in unzipped] == [
        "pocket-export/part_000000.csv, line 2",
        "pocket-export/part_000000.csv, line 3",
        "pocket-export/part_000001.csv, line 2",
        "pocket-export/part_000001.csv, line 3",
        "pocket-export/annotations/part_000000.json, entry 4",
    ]
    for a, b in zip(zipped, unzipped, strict=True):
        a.source = b.source
        assert a == b


def test_naming_the_format_gives_what_detection_gives(export_zip):
    assert items(export_zip, "pocket") == items(export_zip)


# --- Matching and variants -----------------------------------------------------------------------


def test_urls_match_ignoring_case_of_scheme_and_host_a_fragment_and_a_trailing_slash(tmp_path):
    rows = [row("HTTPS://A.example/Page/#top"), row("https://a.example/page")]
    annotations = [{"url": "https://a.example/Page", "highlights": [{"quote": "q"}]}]
    first, second = items(pocket_zip(tmp_path, rows, annotations))
    assert [h.exact for h in first.highlights] == ["q"]
    assert second.highlights == []  # the path's case matters


def test_a_url_on_two_rows_gets_the_highlights_once(tmp_path):
    rows = [row("https://a.example/1", "First"), row("https://a.example/1", "Again")]
    annotations = [{"url": "https://a.example/1", "highlights": [{"quote": "q"}]}]
    first, second = items(pocket_zip(tmp_path, rows, annotations))
    assert ([h.exact for h in first.highlights], second.highlights) == (["q"], [])


def test_variants_of_the_structure_are_read(tmp_path):
    annotations = [
        {
            "given_url": "https://a.example/1",
            "annotations": [
                {"text": "by text", "note": "a note", "created_at": "2024-05-01 10:00:00"},
                {"quote": "ISO with offset", "created_at": "2024-05-01T12:00:00+02:00"},
                {"quote": "seconds as a string", "created_at": "1700000000"},
                {"quote": "no time"},
            ],
        }
    ]
    (item,) = items(pocket_zip(tmp_path, [row("https://a.example/1")], annotations))
    assert item.highlights == [
        ImportedHighlight(exact="by text", note="a note", created_at=at(2024, 5, 1, 10, 0)),
        ImportedHighlight(exact="ISO with offset", created_at=at(2024, 5, 1, 10, 0)),
        ImportedHighlight(exact="seconds as a string", created_at=at(2023, 11, 14, 22, 13, 20)),
        ImportedHighlight(exact="no time"),
    ]
    assert not item.warnings and not item.error


def test_annotations_in_several_files_and_folders_are_all_read(tmp_path):
    path = tmp_path / "pocket.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Pocket/part_000000.csv", HEADER + row("https://a.example/1"))
        for number in (0, 1):
            entry = {"url": "https://a.example/1", "highlights": [{"quote": f"q{number}"}]}
            zf.writestr(f"Pocket/annotations/part_00000{number}.json", json.dumps([entry]))
    (item,) = items(path)
    assert [h.exact for h in item.highlights] == ["q0", "q1"]


def test_a_zip_without_annotations_still_imports(tmp_path):
    (item,) = items(pocket_zip(tmp_path, [row("https://a.example/1")], None))
    assert (item.highlights, item.error) == ([], "")


# --- Problems ------------------------------------------------------------------------------------


def test_a_malformed_highlight_time_is_a_warning(tmp_path):
    annotations = [
        {"url": "https://a.example/1", "highlights": [{"quote": "q", "created_at": "?"}]}
    ]
    (item,) = items(pocket_zip(tmp_path, [row("https://a.example/1")], annotations))
    assert item.highlights == [ImportedHighlight(exact="q")]
    assert item.warnings == ["Pocket highlight 1: created_at '?' is not an ISO date-time; ignored."]
    assert not item.error


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ("just a string", "The annotations entry is a string, not an object."),
        (
            {"title": "No URL", "highlights": [{"quote": "q"}]},
            "The annotations entry has no 'url': its highlights match no article.",
        ),
        (
            {"url": "https://a.example/1", "highlights": {"quote": "q"}},
            "'highlights' must be a list, not an object.",
        ),
        (
            {"url": "https://a.example/1", "highlights": ["q"]},
            "Pocket highlight 1 must be an object, not a string.",
        ),
        (
            {"url": "https://a.example/1", "highlights": [{"quote": 5}]},
            "Pocket highlight 1: 'quote' must be a string, not a number.",
        ),
    ],
)
def test_an_unusable_annotations_entry_is_an_item_with_an_error(tmp_path, entry, error):
    path = pocket_zip(tmp_path, [row("https://a.example/1")], [entry])
    article, problem = items(path)
    assert (article.error, article.highlights) == ("", [])  # the article still imports
    assert problem.source == "pocket.zip: annotations/part_000000.json, entry 1"
    assert (problem.error, problem.highlights) == (error, [])


def test_a_nul_in_a_quote_fails_the_article_it_belongs_to(tmp_path):
    annotations = [{"url": "https://a.example/1", "highlights": [{"quote": "a\u0000b"}]}]
    (item,) = items(pocket_zip(tmp_path, [row("https://a.example/1")], annotations))
    assert item.error == "Highlight 1 contains a NUL byte."
    assert item.highlights == [ImportedHighlight(exact="ab")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "pocket.zip: annotations/part_000000.json: not valid JSON"),
        (
            '{"url": "https://a.example/1"}',
            "pocket.zip: annotations/part_000000.json: Pocket's annotations are an array of "
            "articles, not an object.",
        ),
    ],
)
def test_an_annotations_file_that_is_not_an_array_is_a_file_error(tmp_path, text, message):
    path = pocket_zip(tmp_path, [row("https://a.example/1")], text)
    generator = parse_file(path)
    with pytest.raises(ImportFileError) as info:
        next(generator)  # before the first item
    assert str(info.value).startswith(message)


def test_an_encrypted_annotations_file_is_a_file_error(tmp_path):
    path = pocket_zip(tmp_path, [row("https://a.example/1")], [])
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the last member's entry: the annotations
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))
    assert file_error(path) == (
        "pocket.zip: annotations/part_000000.json: "
        "It is encrypted; encrypted files cannot be imported."
    )
