"""JSON imports: malformed, deep and huge input, shapes, field types, NULs, encodings."""

import codecs
import json
from datetime import date
from pathlib import Path

import pytest

from newsreader.lib.formats import ImportedHighlight, ImportFileError, detect_format, parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def write(tmp_path, content, name="input.json"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def items(path, format="auto"):  # noqa: A002
    return list(parse_file(path, format))


def file_error(path, format="auto") -> str:  # noqa: A002
    with pytest.raises(ImportFileError) as info:
        list(parse_file(path, format))
    return str(info.value)


# --- File-level errors ---------------------------------------------------------------------------


def test_malformed_json_says_where(tmp_path):
    path = write(tmp_path, '[\n  {"title": "A"}\n  {"title": "B"}\n]')
    assert file_error(path) == (
        "input.json: not valid JSON (Expecting ',' delimiter at line 3, column 3)."
    )


def test_deeply_nested_json_is_a_file_error_not_a_crash(tmp_path):
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert file_error(path) == "input.json: the JSON is nested too deeply to read."
    assert file_error(path, "json") == "input.json: the JSON is nested too deeply to read."


def test_a_huge_number_is_a_file_error(tmp_path):
    path = write(tmp_path, '[{"title": "A", "url": "https://a.example", "n": ' + "9" * 5000 + "}]")
    assert file_error(path) == (
        "input.json: the JSON holds a number too long to read (over 4300 digits)."
    )


def test_json_lines_are_all_checked_before_the_first_item(tmp_path):
    lines = [json.dumps({"title": f"A{n}", "url": f"https://a.example/{n}"}) for n in range(3)]
    path = write(tmp_path, "\n".join([*lines, "{not json}", *lines]), name="input.jsonl")
    generator = parse_file(path)
    with pytest.raises(ImportFileError) as info:
        next(generator)
    assert str(info.value) == (
        "input.jsonl, line 4: not valid JSON (Expecting property name enclosed in double "
        "quotes at line 1, column 2)."
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[" * 100_000, "input.jsonl, line 2: the JSON is nested too deeply to read."),
        ("1" * 5000, "input.jsonl, line 2: the JSON holds a number too long to read"),
        ('"just a string"', "input.jsonl, line 2: each line must be one JSON object"),
    ],
)
def test_json_lines_errors_name_the_line(tmp_path, line, message):
    path = write(tmp_path, '{"url": "https://a.example"}\n' + line + "\n", name="input.jsonl")
    assert file_error(path).startswith(message)


def test_a_json_object_that_is_not_our_export_is_refused(tmp_path):
    path = write(tmp_path, {"items": [{"url": "https://a.example"}]})
    message = file_error(path)
    assert message.startswith("input.json is a JSON object but not a newsreader export")
    assert file_error(path, "json") == (
        "input.json: a JSON import is an array of articles, not an object."
    )


def test_a_json_scalar_is_refused(tmp_path):
    assert file_error(write(tmp_path, "42")) == (
        "input.json holds a single JSON number, not an array of articles."
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"format": "newsreader", "version": 3, "articles": []},
            "input.json is a newsreader export of version 3; this server reads versions 1 and 2.",
        ),
        (
            {"format": "newsreader", "version": "1", "articles": []},
            'input.json is a newsreader export of version "1"; this server reads versions 1 and 2.',
        ),
        (
            {"format": "newsreader", "version": True, "articles": []},
            "input.json is a newsreader export of version true; "
            "this server reads versions 1 and 2.",
        ),
        (
            {"format": "newsreader", "version": 1},
            'input.json: a newsreader export needs an "articles" list, not null.',
        ),
        (
            {"format": "other", "version": 1, "articles": []},
            'input.json is not a newsreader export (no "format": "newsreader").',
        ),
    ],
)
def test_newsreader_export_wrapper_is_validated(tmp_path, document, message):
    assert file_error(write(tmp_path, document), "newsreader") == message


def test_wallabag_needs_an_array(tmp_path):
    assert file_error(write(tmp_path, {"entries": []}), "wallabag") == (
        "input.json: a wallabag export is an array of entries, not an object."
    )


# --- Items ---------------------------------------------------------------------------------------


U = "https://a.example"


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ("just a string", "The entry is a string, not an object."),
        ({"url": [U]}, "'url' must be a string, not a list."),
        ({"url": U, "notes": 5}, "'notes' must be a string, not a number."),
        ({"url": U, "highlights": {"exact": "x"}}, "'highlights' must be a list, not an object."),
        ({"url": U, "highlights": ["x"]}, "Highlight 1 must be an object, not a string."),
        ({"url": U, "highlights": [{"note": "n"}]}, "Highlight 1 has no 'exact' text."),
        (
            {"url": U, "highlights": [{"exact": "x", "note": 3}]},
            "Highlight 1: 'note' must be a string, not a number.",
        ),
        (
            {"url": "javascript:alert(1)"},
            "The URL 'javascript:alert(1)' is not an http(s) web address.",
        ),
        ({"url": "http://[::1"}, "The URL 'http://[::1' is not valid."),
        ({"title": "Only a title", "html": "   "}, "It has neither content nor a URL."),
    ],
)
def test_item_errors(tmp_path, entry, error):
    good = {"title": "Fine", "url": "https://a.example/fine"}
    first, second = items(write(tmp_path, [entry, good]))
    assert first.source == "input.json, entry 1"
    assert first.error == error
    assert not second.error  # the others carry on


@pytest.mark.parametrize(
    ("entry", "warning"),
    [
        ({"title": 5, "url": U}, "'title' must be a string, not a number; ignored."),
        (
            {"url": U, "tags": [1]},
            "'tags' must be a list of strings, but it holds a number; ignored.",
        ),
        (
            {"url": U, "published": 20240501},
            "The published date must be an ISO date string, not a number; ignored.",
        ),
        (
            {"url": U, "published": "May 1st"},
            "The published date 'May 1st' is not an ISO date (YYYY-MM-DD); ignored.",
        ),
        ({"url": U, "added_at": "soon"}, "added_at 'soon' is not an ISO date-time; ignored."),
        (
            {"url": U, "highlights": [{"exact": "x", "created_at": "x"}]},
            "Highlight 1: created_at 'x' is not an ISO date-time; ignored.",
        ),
    ],
)
def test_malformed_optional_fields_are_warnings_and_the_article_is_imported(
    tmp_path, entry, warning
):
    good = {"title": "Fine", "url": "https://a.example/fine"}
    first, second = items(write(tmp_path, [entry, good]))
    assert first.source == "input.json, entry 1"
    assert (first.url, first.error, first.warnings) == (U, "", [warning])
    assert (first.title, first.tags, first.published, first.added_at) == ("", [], None, None)
    assert [h.exact for h in first.highlights] == [h["exact"] for h in entry.get("highlights", [])]
    assert not second.error and not second.warnings


def test_nulls_count_as_absent_and_unknown_keys_are_ignored(tmp_path):
    entry = dict.fromkeys(["title", "tags", "html", "published", "highlights"])
    entry.update({"url": U, "id": 7, "extra": {"deep": [1]}})
    (item,) = items(write(tmp_path, [entry]))
    assert (item.title, item.tags, item.content, item.error) == ("", [], None, "")


def test_html_wins_over_markdown_over_text(tmp_path):
    (item,) = items(write(tmp_path, [{"text": "t", "markdown": "m", "html": "<p>h</p>"}]))
    assert (item.content, item.content_type) == ("<p>h</p>", "text/html")
    (item,) = items(write(tmp_path, [{"text": "t", "markdown": "m", "html": ""}]))
    assert (item.content, item.content_type) == ("m", "text/markdown")


def test_highlight_colours(tmp_path):
    highlights = [{"exact": "a"}, {"exact": "b", "color": "Red"}, {"exact": "c", "colour": None}]
    entry = {"url": U, "highlights": highlights}
    (item,) = items(write(tmp_path, [entry]))
    assert [h.colour for h in item.highlights] == ["yellow", "red", "yellow"]


def test_tags_are_trimmed_and_deduplicated(tmp_path):
    (item,) = items(write(tmp_path, [{"url": "https://a.example", "tags": [" a ", "b", "a", ""]}]))
    assert item.tags == ["a", "b"]


def test_wallabag_tags_as_objects_and_given_url(tmp_path):
    entry = {
        "is_archived": 0,
        "title": "T",
        "url": None,
        "given_url": "https://a.example/given",
        "tags": [{"id": 1, "label": "one", "slug": "one"}],
        "annotations": [{"quote": ""}],
    }
    assert detect_format(write(tmp_path, [entry])) == "wallabag"
    (item,) = items(write(tmp_path, [entry]))
    assert (item.url, item.tags, item.highlights) == ("https://a.example/given", ["one"], [])


# --- NUL bytes and lone surrogates ------------------------------------------------------------


def test_a_nul_in_a_field_is_an_item_error_and_the_item_is_scrubbed(tmp_path):
    path = write(
        tmp_path,
        '[{"title": "A\\u0000B", "url": "https://a.example"}, {"url": "https://b.example"}]',
    )
    first, second = items(path)
    assert first.error == "The title contains a NUL byte."
    assert first.title == "AB"
    assert not second.error


def test_a_lone_surrogate_is_an_item_error_and_the_item_stays_printable(tmp_path):
    text = (
        '[{"url": "https://a.example", "tags": ["ok", "bad\\udc80"],'
        ' "highlights": [{"exact": "quote", "note": "\\ud800 note"}]}]'
    )
    (item,) = items(write(tmp_path, text))
    assert item.error == "A tag contains an invalid character (a lone UTF-16 surrogate)."
    assert item.tags == ["ok", "bad\ufffd"]
    assert item.highlights == [ImportedHighlight(exact="quote", note="\ufffd note")]
    for value in (item.title, item.url, item.error, *item.tags, item.highlights[0].note):
        value.encode("utf-8")  # the report can show every field


def test_a_surrogate_pair_written_as_escapes_is_fine(tmp_path):
    (item,) = items(write(tmp_path, '[{"title": "\\ud83d\\ude00", "url": "https://a.example"}]'))
    assert (item.title, item.error) == ("😀", "")


def test_a_nul_in_json_lines(tmp_path):
    path = write(tmp_path, '{"url": "https://a.example", "notes": "x\\u0000"}\n', name="a.jsonl")
    (item,) = items(path)
    assert item.error == "The note contains a NUL byte."


# --- Encodings and detection -----------------------------------------------------------------

ARTICLE = {"title": "Café “naïve” — Größe", "url": "https://a.example", "published": "2024-05-01"}


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (b"", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (b"", "cp1252"),
    ],
)
@pytest.mark.parametrize("name", ["input.json", "input.jsonl"])
def test_encodings(tmp_path, prefix, encoding, name):
    text = json.dumps([ARTICLE] if name.endswith(".json") else ARTICLE, ensure_ascii=False)
    path = write(tmp_path, prefix + text.encode(encoding), name=name)
    (item,) = items(path)
    assert (item.title, item.published, item.error) == (ARTICLE["title"], date(2024, 5, 1), "")


def test_json_lines_with_crlf(tmp_path):
    path = write(
        tmp_path,
        b'{"url": "https://a.example"}\r\n\r\n{"url": "https://b.example"}\r\n',
        name="a.jsonl",
    )
    assert [item.source for item in items(path)] == ["a.jsonl, line 1", "a.jsonl, line 3"]


def test_json_lines_named_json_are_detected(tmp_path):
    path = write(tmp_path, '{"url": "https://a.example"}\n{"url": "https://b.example"}\n')
    assert detect_format(path) == "jsonl"
    assert len(items(path)) == 2


def test_a_single_article_object_on_one_line_is_json_lines(tmp_path):
    path = write(tmp_path, '{"title": "A", "url": "https://a.example"}')
    assert detect_format(path) == "jsonl"
    (item,) = items(path)
    assert item.source == "input.json, line 1"


def test_json_without_an_extension_is_sniffed(tmp_path):
    path = write(tmp_path, (FIXTURES / "wallabag-export.json").read_bytes(), name="export")
    assert detect_format(path) == "wallabag"
    path = write(tmp_path, (FIXTURES / "newsreader-export.json").read_bytes(), name="backup")
    assert detect_format(path) == "newsreader"
