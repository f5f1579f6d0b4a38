import pytest

from newsreader.lib.extraction import MAX_INPUT_BYTES, ExtractionError, detect_kind, extract


@pytest.mark.parametrize(
    ("data", "content_type", "filename", "kind"),
    [
        (b"anything", "text/html; charset=utf-8", "", "html"),
        (b"anything", "application/xhtml+xml", "", "html"),
        (b"anything", "text/markdown", "", "markdown"),
        (b"anything", "", "page.HTM", "html"),
        (b"anything", "", "notes.md", "markdown"),
        (b"<html><p>x</p></html>", "", "notes.txt", "text"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "", "", "html"),
        (b"<!-- saved --><html lang=en>", "", "", "html"),
        (b"Some words <p>first</p> and <p>second</p>", "", "", "html"),
        (b"# Title\n\nSome **bold** text\n\n- item\n", "", "", "markdown"),
        (b"# Title\n\nSome **bold** text", "text/plain", "", "markdown"),
        (b"Title\n\nJust a paragraph of text.\n", "", "", "text"),
        (b"An email: a < b and c > d.", "", "", "text"),
    ],
)
def test_it_detects_the_kind_of_input(data, content_type, filename, kind):
    assert detect_kind(data, content_type=content_type, filename=filename) == kind


def test_markdown_is_rendered_and_read_like_html():
    result = extract(
        "# Notes\n\nA *first* paragraph.\n\n```\ncode()\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        filename="notes.md",
    )
    assert result.kind == "markdown"
    assert result.title == "Notes"
    assert result.html.startswith("<p>A <em>first</em> paragraph.</p>")
    assert "<pre><code>code()</code></pre>" in result.html
    assert "<td>1</td>" in result.html
    assert result.text == "A first paragraph.\ncode()\na\nb\n1\n2"


def test_markdown_without_a_heading_takes_its_first_line_as_title_and_keeps_it():
    result = extract("Just a short note about the meeting.\n\nSecond paragraph.", kind="markdown")
    assert result.title == "Just a short note about the meeting."
    assert result.text.startswith("Just a short note")


def test_json_output_has_the_documented_keys():
    result = extract("# T\n\nBody text here.", kind="markdown")
    assert list(result.as_json()) == [
        "title",
        "byline",
        "site_name",
        "published",
        "language",
        "lead_image",
        "excerpt",
        "word_count",
        "text",
        "html",
    ]


def test_too_large_input_is_refused_with_its_size():
    with pytest.raises(ExtractionError, match="limit is 10,485,760 bytes"):
        extract(b"x" * (MAX_INPUT_BYTES + 1))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "text"),
        (b"   \n\n  ", "text"),
        (b"<html><body><script>x()</script></body></html>", "html"),
        (b"<html><body><p> </p></body></html>", "html"),
        (b"<!-- nothing -->", "markdown"),
    ],
)
def test_input_without_readable_text_is_refused(data, kind):
    with pytest.raises(ExtractionError, match="No readable text"):
        extract(data, kind=kind)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ExtractionError, match="Unknown input kind"):
        extract(b"x", kind="pdf")


def test_excerpt_and_counts():
    words = " ".join(["word"] * 700)
    result = extract(f"# T\n\n{words}", kind="markdown")
    assert result.word_count == 700
    assert result.reading_minutes == 3
    assert result.excerpt.endswith("…") and len(result.excerpt) <= 281
