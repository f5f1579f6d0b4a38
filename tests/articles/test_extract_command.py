import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

PAGE = (
    "<html><head><title>Ferries</title></head><body><article><h1>Ferries</h1>"
    + "<p>The council voted to replace the diesel ferries with battery boats. " * 8
    + '<a href="/more">more</a></p></article></body></html>'
)
MARKDOWN = "# A note\n\nWe meet on **Thursday**.\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "note.md").write_text(MARKDOWN)
    (tmp_path / "page2.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    return tmp_path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("extract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_one_file_gives_one_json_object(files):
    out, _ = run(str(files / "page.html"), "--url", "https://news.example.com/a/b")
    data = json.loads(out)
    assert data["title"] == "Ferries"
    assert "battery boats" in data["text"]
    assert 'href="https://news.example.com/more"' in data["html"]
    assert set(data) == {
        "title", "byline", "site_name", "published", "language",
        "lead_image", "excerpt", "word_count", "text", "html",
    }  # fmt: skip


def test_html_and_text_formats(files):
    html, _ = run(str(files / "note.md"), "--format", "html")
    assert html.strip() == "<p>We meet on <strong>Thursday</strong>.</p>"
    text, _ = run(str(files / "note.md"), "--format", "text")
    assert text.strip() == "We meet on Thursday."


def test_gzip_input_is_read_transparently(files):
    data = json.loads(run(str(files / "page2.html.gz"))[0])
    assert data["title"] == "Ferries"


def test_a_directory_gives_json_lines_in_order_with_paths(files):
    out, _ = run(str(files))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["path"].rsplit("/", 1)[-1] for row in rows] == [
        "note.md",
        "page.html",
        "page2.html.gz",
    ]
    assert rows[0]["title"] == "A note"


def test_a_failing_file_is_reported_and_the_rest_carry_on(files):
    (files / "empty.txt").write_text("   ")
    (files / "broken.html.gz").write_bytes(b"not gzip at all")
    with pytest.raises(SystemExit) as exit_info:
        run(str(files / "empty.txt"), str(files / "broken.html.gz"), str(files / "note.md"))
    assert exit_info.value.code == 1


def test_failures_are_rows_with_an_error(files, capsys):
    (files / "empty.txt").write_text("   ")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("extract", str(files / "empty.txt"), str(files / "note.md"), stdout=out,
                     stderr=StringIO())  # fmt: skip
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0] == {
        "path": str(files / "empty.txt"),
        "error": "No readable text was found in the input.",
    }
    assert rows[1]["title"] == "A note"


def test_a_single_failing_file_is_a_command_error(files):
    (files / "empty.txt").write_text("")
    with pytest.raises(CommandError, match="No readable text"):
        run(str(files / "empty.txt"))


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nope.html"))


def test_a_file_the_extractor_fails_on_does_not_stop_the_run(files, monkeypatch):
    """Any failure inside extraction is that file's error row; later files still come out."""
    from newsreader.lib.extraction import webpage

    real = webpage._main_content

    def fails_on_the_first_page(tree, url, meta):
        if "first" in url:
            raise ValueError("Invalid tag name 'o:p'")
        return real(tree, url, meta)

    monkeypatch.setattr(webpage, "_main_content", fails_on_the_first_page)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("extract", str(files), "--url", "https://example.com/first", stdout=out,
                     stderr=StringIO())  # fmt: skip
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [("error" in row) for row in rows] == [False, True, True]
    assert "could not be read (ValueError: Invalid tag name 'o:p')" in rows[1]["error"]


def test_a_corrupt_gzip_file_is_an_error_row(files):
    good = gzip.compress(PAGE.encode())
    (files / "corrupt.html.gz").write_bytes(good[:20] + b"\xff" * 40 + good[60:])
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("extract", str(files), stdout=out, stderr=StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 4
    assert "error" in rows[0] and rows[0]["path"].endswith("corrupt.html.gz")
