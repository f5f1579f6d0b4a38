"""CSV imports: strict parsing, runaway quotes, headers, encodings, bad values in rows."""

import codecs
import csv
from pathlib import Path

import pytest

from newsreader.lib.formats import ImportFileError, detect_format, parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def write(tmp_path, text, name="input.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def file_error(path, format="auto") -> str:  # noqa: A002
    with pytest.raises(ImportFileError) as info:
        list(parse_file(path, format))
    return str(info.value)


# --- Stray and missing quotes -------------------------------------------------------------------

RUNAWAY = (
    "title,url,tags\n"
    '"Unclosed title,https://a.example/1,x\n'
    "Second,https://a.example/2,y\n"
    "Third,https://a.example/3,z\n"
    'Fourth",https://a.example/4,w\n'
    "Fifth,https://a.example/5,v\n"
)


def test_the_runaway_row_is_valid_csv_that_the_plain_csv_module_silently_swallows():
    # What the check guards against: strict mode accepts this, as one row.
    rows = list(csv.reader(RUNAWAY.splitlines(keepends=True), strict=True))
    assert len(rows) == 3  # header, the swallowing row, Fifth
    assert rows[1][0].startswith("Unclosed title,https://a.example/1,x\nSecond")


def test_a_stray_quote_that_swallows_rows_is_a_file_error(tmp_path):
    message = file_error(write(tmp_path, RUNAWAY))
    assert message == (
        "input.csv, line 2: a quoted field starting on this line runs on to line 5, swallowing "
        "line 3, which looks like a row of its own; a quote mark is probably missing or stray."
    )


def test_the_error_comes_before_any_item_even_when_the_stray_quote_is_late(tmp_path):
    good = "".join(f"Row {n},https://a.example/{n},x\n" for n in range(1, 50))
    path = write(tmp_path, "title,url,tags\n" + good + RUNAWAY.split("\n", 1)[1])
    rows = parse_file(path)
    with pytest.raises(ImportFileError, match="line 51: a quoted field"):
        next(rows)


def test_a_stray_quote_followed_by_text_is_refused_by_strict_mode(tmp_path):
    path = write(tmp_path, 'title,url,tags\n"Quoted" title,https://a.example/1,x\n')
    assert file_error(path) == (
        "input.csv, line 2: this is not well-formed CSV (',' expected after '\"'); "
        "a stray or missing quote mark is the usual cause."
    )


def test_a_quote_never_closed_is_a_file_error_naming_where_it_opened(tmp_path):
    path = write(
        tmp_path, 'title,url,tags\nok,https://a.example/0,x\n"Never closed,https://a.example/1,x\n'
    )
    assert file_error(path) == (
        "input.csv, line 3: a quoted field starting on this line is never closed; "
        "a quote mark is probably missing or stray."
    )


def test_a_row_with_the_wrong_number_of_fields_is_a_file_error(tmp_path):
    path = write(tmp_path, "title,url,tags\nA,https://a.example/1,x\nB,https://a.example/2\n")
    assert file_error(path) == (
        "input.csv, line 3: 2 fields where the header has 3; "
        "is a quote mark or a separator out of place?"
    )


def test_legitimate_multi_line_fields_are_kept(tmp_path):
    text = (
        "title,url,notes\n"
        '"A title\nover lines",https://a.example/1,"First, second, third\n'
        "with a line, that has, commas,\n"
        'and an end"\n'
        "Next,https://a.example/2,\n"
    )
    first, second = items(write(tmp_path, text))
    assert first.title == "A title\nover lines"
    assert first.note == "First, second, third\nwith a line, that has, commas,\nand an end"
    assert (second.source, second.title) == ("input.csv, line 6", "Next")


def test_a_note_quoting_a_whole_row_in_its_last_line_is_not_mistaken_for_a_runaway(tmp_path):
    # The line holding the closing quote is never checked: it may legitimately look like a row.
    text = 'title,url,tags\n"Line one\nline two\nrow",https://a.example/1,x\n'
    (item,) = items(write(tmp_path, text))
    assert item.title == "Line one\nline two\nrow"


def test_a_content_only_csv_with_multi_line_html_is_fine(tmp_path):
    text = 'title,html\nA,"<p>One, two, three</p>\n<p>Four, five</p>\n<p>Six</p>"\n'
    (item,) = items(write(tmp_path, text))
    assert item.content == "<p>One, two, three</p>\n<p>Four, five</p>\n<p>Six</p>"


# --- Headers -----------------------------------------------------------------------------------


def test_missing_required_columns_are_named(tmp_path):
    path = write(tmp_path, "URL,Title,Folder,Timestamp\nhttps://a.example,A,Unread,1\n")
    assert file_error(path, "instapaper") == (
        "input.csv lacks the column(s) selection that a Instapaper export needs; "
        "its first line has: URL, Title, Folder, Timestamp."
    )


def test_a_generic_csv_needs_a_url_or_content_column(tmp_path):
    path = write(tmp_path, "name,link\nA,https://a.example\n")
    assert detect_format(path) == "csv"
    assert file_error(path) == (
        "input.csv needs at least one of the columns url, html, text, markdown; "
        "its first line has: name, link."
    )


def test_a_duplicated_column_is_a_file_error(tmp_path):
    path = write(tmp_path, "title,url,Title\nA,https://a.example,B\n")
    assert file_error(path) == "input.csv: the column 'Title' appears twice in the header."


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_an_empty_file_is_a_file_error(tmp_path, text):
    path = write(tmp_path, text)
    assert "empty" in file_error(path, "csv") or "no header" in file_error(path, "csv")


def test_a_file_that_is_not_csv_at_all_is_refused_by_its_header(tmp_path):
    path = write(tmp_path, '[{"title": "A"}]', name="data.csv")
    assert "needs at least one of the columns" in file_error(path, "csv")


def test_headers_are_case_insensitive_and_trimmed_and_other_columns_ignored(tmp_path):
    path = write(tmp_path, " Title ,URL,Extra\nA,https://a.example/1,whatever\n")
    (item,) = items(path)
    assert (item.title, item.url) == ("A", "https://a.example/1")


def test_semicolon_separated_csv_with_crlf_and_blank_rows(tmp_path):
    text = "title;url;tags\r\n\r\nA;https://a.example/1;x, y\r\n;;\r\nB;https://a.example/2;\r\n"
    first, second = items(write(tmp_path, text))
    assert (first.source, first.title, first.tags) == ("input.csv, line 3", "A", ["x", "y"])
    assert (second.source, second.title) == ("input.csv, line 5", "B")


def test_a_field_larger_than_the_csv_modules_default_limit_is_read(tmp_path):
    html = "<p>" + "word " * 60_000 + "</p>"  # 300 KB, over csv's default 128 KiB
    (item,) = items(write(tmp_path, f'title,html\nLong,"{html}"\n'))
    assert item.content == html


# --- Values in rows ----------------------------------------------------------------------------


def test_a_nul_byte_in_a_field_is_an_item_error_and_the_field_is_scrubbed(tmp_path):
    path = write(tmp_path, "title,url\nA\x00B,https://a.example/1\nC,https://a.example/2\n")
    first, second = items(path)
    assert first.error == "The title contains a NUL byte."
    assert first.title == "AB"
    assert not second.error


def test_a_bad_timestamp_is_a_warning_and_the_row_is_imported(tmp_path):
    header = "title,url,time_added,tags,status\n"
    rows = (
        "A,https://a.example/1,99999999999999999999,,unread\nB,https://a.example/2,1700000000,,\n"
    )
    first, second = items(write(tmp_path, header + rows))
    assert (first.title, first.url, first.added_at, first.error) == (
        "A",
        "https://a.example/1",
        None,
        "",
    )
    assert first.warnings == [
        "time_added '99999999999999999999' is not a usable Unix timestamp; ignored."
    ]
    assert second.added_at is not None and not second.error and not second.warnings


def test_a_url_that_is_not_http_is_an_item_error(tmp_path):
    (item,) = items(write(tmp_path, "title,url\nA,ftp://files.example/a\n"))
    assert item.error == "The URL 'ftp://files.example/a' is not an http(s) web address."


# --- Encodings ---------------------------------------------------------------------------------

POCKET_TEXT = (FIXTURES / "pocket.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (b"", "utf-16"),  # Python writes the BOM
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"", "cp1252"),
    ],
)
def test_encodings(tmp_path, prefix, encoding):
    path = write(tmp_path, prefix + POCKET_TEXT.encode(encoding), name="pocket.csv")
    assert detect_format(path) == "pocket"
    assert items(path) == items(FIXTURES / "pocket.csv")


def test_windows_1252_curly_quotes_and_undefined_bytes(tmp_path):
    data = "title,url\n“Quoted” café,https://a.example/1\n".encode("cp1252")
    data += b"Odd \x81 byte,https://a.example/2\n"
    first, second = items(write(tmp_path, data))
    assert first.title == "“Quoted” café"
    assert second.title == "Odd \x81 byte"


def test_a_utf16_bom_with_broken_text_is_a_file_error(tmp_path):
    data = codecs.BOM_UTF16_LE + "title,url\n".encode("utf-16-le") + b"\x00\xd8A\x00"
    assert file_error(write(tmp_path, data)) == (
        "input.csv starts with a UTF-16 byte-order mark but is not valid UTF-16 text."
    )
