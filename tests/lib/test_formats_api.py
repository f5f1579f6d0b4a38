"""The import formats' public API (newsreader/lib/formats).

parse_file, detect_format, iter_inputs; HTML inputs' encodings.
"""

import codecs
import inspect
import os
from pathlib import Path

import pytest

from newsreader.lib import formats
from newsreader.lib.formats import ImportFileError, detect_format, iter_inputs, parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def file_error(path, format="auto") -> str:  # noqa: A002
    with pytest.raises(ImportFileError) as info:
        list(parse_file(path, format))
    return str(info.value)


# --- parse_file --------------------------------------------------------------------------------


def test_parse_file_is_a_lazy_generator(tmp_path):
    generator = parse_file(tmp_path / "missing.csv")
    assert inspect.isgenerator(generator)  # nothing has happened yet
    with pytest.raises(ImportFileError, match=r"^missing.csv: no such file or directory\.$"):
        next(generator)


def test_an_unknown_format_is_refused():
    message = file_error(FIXTURES / "pocket.csv", "xml")
    assert message.startswith("Unknown import format 'xml': expected one of ('jsonl', 'json',")


def test_formats_reading_one_file_refuse_directories_and_archives(tmp_path):
    assert file_error(FIXTURES / "files", "csv") == (
        "files is a directory; the csv format reads a single file."
    )
    archive = tmp_path / "a.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty ZIP
    assert (
        file_error(archive, "json")
        == "a.zip is a ZIP archive; the json format reads a single file."
    )


def test_files_over_the_size_limit_are_refused(monkeypatch):
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 100)
    size = (FIXTURES / "pocket.csv").stat().st_size
    assert file_error(FIXTURES / "pocket.csv") == (
        f"pocket.csv is {size:,} bytes; the limit is 100 bytes."
    )


def test_the_limits_are_public():
    assert formats.MAX_FILE_BYTES == 100 * 1024 * 1024
    assert formats.MAX_ARCHIVE_MEMBERS == 10_000
    assert formats.MAX_ARCHIVE_BYTES == 500 * 1024 * 1024
    assert formats.MAX_COMPRESSION_RATIO == 100


@pytest.mark.parametrize(
    "name",
    [
        "articles.jsonl",
        "articles.json",
        "articles.csv",
        "newsreader-export.json",
        "newsreader-v2.json",
        "files",
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
def test_every_item_names_its_source(name):
    found = items(FIXTURES / name)
    assert found
    for item in found:
        assert item.source.startswith(name)
        assert item.source != name or name.endswith((".html", ".txt", ".md"))


# --- detect_format -----------------------------------------------------------------------------


def test_csv_without_an_extension_is_known_by_its_header(tmp_path):
    path = tmp_path / "export"
    path.write_bytes((FIXTURES / "instapaper-export.csv").read_bytes())
    assert detect_format(path) == "instapaper"


def test_bookmarks_without_the_doctype_are_known_by_title_and_links(tmp_path):
    path = tmp_path / "bookmarks.html"
    text = (FIXTURES / "bookmarks.html").read_text()
    path.write_text(text.replace("<!DOCTYPE NETSCAPE-Bookmark-file-1>", ""))
    assert detect_format(path) == "bookmarks"


def test_an_html_article_is_a_single_file(tmp_path):
    assert detect_format(FIXTURES / "files" / "bridges.html") == "files"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("mystery", b"\x89PNG\r\n\x1a\n....", "Cannot tell what format mystery is in"),
        ("article", b"<html><p>An article without a name</p></html>", "Cannot tell"),
        ("empty.json", b"", "empty.json is empty."),
        ("blank.csv", b"  \n", "blank.csv is empty."),
    ],
)
def test_what_cannot_be_told_is_a_file_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=f"^{message}"):
        detect_format(path)


def test_a_missing_path_is_a_file_error(tmp_path):
    with pytest.raises(ImportFileError, match="^nope: no such file or directory"):
        detect_format(tmp_path / "nope")


# --- HTML inputs ---------------------------------------------------------------------------------

BOOKMARKS = (FIXTURES / "bookmarks.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-16"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_bookmarks_in_unicode_encodings(tmp_path, prefix, encoding):
    path = tmp_path / "bookmarks.html"
    path.write_bytes(prefix + BOOKMARKS.encode(encoding))
    assert detect_format(path) == "bookmarks"
    assert items(path) == items(FIXTURES / "bookmarks.html")


def test_windows_1252_bookmarks_and_pocket_html(tmp_path):
    bookmarks = tmp_path / "bookmarks.html"
    text = BOOKMARKS.replace("charset=UTF-8", "charset=windows-1252")
    bookmarks.write_bytes(
        text.replace("Tide pools at dawn", "Tide pools — “dawn”").encode("cp1252")
    )
    assert items(bookmarks)[0].title == "Tide pools — “dawn”"
    pocket = tmp_path / "ril_export.html"
    text = (FIXTURES / "ril_export.html").read_text().replace("Tide pools", "Gezeitentümpel")
    pocket.write_bytes(text.encode("cp1252"))
    assert detect_format(pocket) == "pocket"
    assert items(pocket)[0].title == "Gezeitentümpel at dawn"


def test_a_nul_in_a_bookmark_is_an_item_error(tmp_path):
    path = tmp_path / "bookmarks.html"
    path.write_text(BOOKMARKS.replace("Tide pools at dawn", "Tide\x00pools"))
    found = items(path)
    assert found[0].error == "The title contains a NUL byte."
    assert found[0].title == "Tidepools"
    assert not found[1].error


U1 = "https://a.example/1"


def test_unclosed_bookmark_tags_and_odd_markup(tmp_path):
    path = tmp_path / "bookmarks.html"
    path.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://a.example/1" ADD_DATE="nonsense">Unclosed\n'
        "<DT><H3>Folder<DL><p>\n"
        '<DT><A HREF="https://a.example/2">Two</A><DD>Note <b>bold</b>\n'
        "</DL></DL></DL><p>\n"
        '<DT><A HREF="https://a.example/3" ADD_DATE="">Three</A>\n'
    )
    one, two, three = items(path)
    # A malformed ADD_DATE is a warning: the bookmark is imported without it.
    assert (one.title, one.url, one.added_at, one.error) == ("Unclosed", U1, None, "")
    assert one.warnings == ["ADD_DATE 'nonsense' is not a Unix timestamp; ignored."]
    assert (two.title, two.tags, two.note) == ("Two", ["Folder"], "Note bold")
    assert (three.title, three.tags, three.added_at, three.error) == ("Three", [], None, "")


# --- iter_inputs -------------------------------------------------------------------------------


def test_iter_inputs_walks_directories_in_order_and_yields_files_as_given(tmp_path):
    root = tmp_path / "exports"
    (root / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    for name in ("b/z.csv", "b/a.json", "c.html", ".DS_Store", ".git/config"):
        (root / name).write_text("x")
    os.symlink(root / "c.html", root / "link.html")
    single = tmp_path / "single.csv"
    missing = tmp_path / "missing.csv"
    assert list(iter_inputs([single, root, missing])) == [
        single,
        root / "b" / "a.json",
        root / "b" / "z.csv",
        root / "c.html",
        missing,  # parse_file will say it is missing
    ]
