import pytest

from newsreader.lib import extraction
from newsreader.lib.extraction import MAX_INPUT_BYTES, ExtractionError, detect_kind, extract
from newsreader.lib.extraction.webpage import WebPage


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


# --- The title is not repeated at the top of the body ------------------------------------

STORY = "".join(
    f"<p>Paragraph {n} says the ferry will run three times a week from June, with a new "
    "timetable, two more boats and a later last crossing on Fridays.</p>"
    for n in range(4)
)
IMAGE = '<img src="https://courier.example/ferry.jpg" alt="The ferry at dawn">'


def courier_page(body, title="Ferry news | The Courier"):
    return (
        f'<html><head><title>{title}</title><meta property="og:site_name" content="The Courier">'
        f"</head><body><article>{body}{STORY}</article></body></html>"
    )


@pytest.mark.parametrize(
    "heading",
    [
        "Ferry news",
        "Ferry news | The Courier",
        "Ferry news – Courier Online",
        "“FERRY NEWS!”",
        "Ferry  news.",
    ],
)
def test_a_heading_repeating_the_title_is_dropped(heading):
    result = extract(courier_page(f"<h2>{heading}</h2>"), kind="html")
    assert result.title == "Ferry news"
    assert result.text.startswith("Paragraph 0 says")


def test_a_heading_repeating_the_title_after_an_image_is_dropped():
    result = extract(courier_page(f"<figure>{IMAGE}</figure><h2>Ferry news</h2>"), kind="html")
    assert result.text.startswith("Paragraph 0 says")


@pytest.mark.parametrize("heading", ["What the new timetable means", "Ferry", "Ferry news times"])
def test_a_heading_that_is_not_the_title_stays(heading):
    result = extract(courier_page(f"<h2>{heading}</h2>"), kind="html")
    assert result.text.startswith(heading)


def test_a_heading_that_is_the_only_text_stays():
    page = "<html><head><title>Ferry news</title></head><body><h1>Ferry news</h1></body></html>"
    result = extract(page, kind="html")
    assert (result.title, result.text) == ("Ferry news", "Ferry news")


# Through the body's last step alone: a stand-in for the web page reader returns the body.


@pytest.fixture
def page_body(monkeypatch):
    def read(body, title="Ferry news", site_name="The Courier"):
        page = WebPage(body_html=body, title=title, site_name=site_name)
        monkeypatch.setattr(extraction, "extract_webpage", lambda html, url: page)
        return extract("<html><body><p>replaced</p></body></html>", kind="html")

    return read


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("<h1>Ferry news</h1>", "Ferry news"),
        ("<h2>Ferry News!</h2>", "Ferry news"),
        ("<h3>‘Ferry’ — news</h3>", "Ferry news"),
        ("<h1>E-mail scams rise</h1>", "Email scams rise"),
        ("<h1>Ferry news | The Courier</h1>", "Ferry news"),
        ("<h1>Ferry news</h1>", "Ferry news - Courier"),
        ("<h1>Ferry news</h1>", "Ferry news | courier.example"),
        ("<p>Ferry news</p>", "Ferry news"),
    ],
)
def test_the_first_block_repeating_the_title_goes(page_body, heading, title):
    result = page_body(heading + STORY, title=title)
    assert result.html.startswith("<p>Paragraph 0 says")


@pytest.mark.parametrize(
    "start",
    [
        IMAGE,
        f"<p>{IMAGE}</p>",
        f"<figure>{IMAGE}<figcaption>The ferry at dawn. Photo: Courier staff</figcaption></figure>",
        f"<div><p></p>{IMAGE}</div><hr>",
    ],
)
def test_a_title_heading_after_elements_without_text_goes_and_they_stay(page_body, start):
    result = page_body(f"{start}<h2>Ferry news</h2>{STORY}")
    assert "Ferry news" not in result.text
    assert 'src="https://courier.example/ferry.jpg"' in result.html
    assert result.text.endswith("on Fridays.")


@pytest.mark.parametrize(
    ("start", "text"),
    [
        ("<h2>Ferry timetable</h2>", "Ferry timetable\n"),  # not the title
        ("<h2>Ferry news: the timetable</h2>", "Ferry news: the timetable\n"),  # more than it
        ("<p>Ferry news today.</p><h2>Ferry news</h2>", "Ferry news today.\nFerry news\n"),
        (f"<div><p>Updated Friday</p>{IMAGE}</div><h2>Ferry news</h2>", "Updated Friday\nFerry"),
        (f"{IMAGE}<p>Ferry news</p>", "Ferry news\n"),  # only a heading may follow an image
        ("<ul><li>Ferry news</li></ul>", "Ferry news\n"),  # a list item is not a heading
    ],
)
def test_a_block_that_does_not_repeat_the_title_at_the_top_stays(page_body, start, text):
    assert page_body(start + STORY).text.startswith(text)


@pytest.mark.parametrize("body", ["<h1>Ferry news</h1>", f"{IMAGE}<h1>Ferry news</h1>"])
def test_a_title_heading_that_is_the_only_text_stays(page_body, body):
    assert page_body(body).text == "Ferry news"


def test_markdown_keeps_a_heading_that_is_all_there_is():
    result = extract("# Ferry news\n", kind="markdown")
    assert (result.title, result.html) == ("Ferry news", "<h1>Ferry news</h1>")


def test_markdown_takes_a_heading_after_an_image_as_title_and_drops_it():
    result = extract(
        "![The ferry](https://courier.example/ferry.jpg)\n\n# Ferry news\n\nThe ferry runs.",
        kind="markdown",
    )
    assert result.title == "Ferry news"
    assert result.html.startswith('<p><img src="https://courier.example/ferry.jpg"')
    assert result.text == "The ferry runs."
