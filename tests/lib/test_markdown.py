"""Notes in full Markdown (newsreader/lib/markdown.py): what renders, and what never does."""

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.lib.markdown import MAX_NOTE_CHARS, MAX_TABLE_CELLS, render_note

LINK_REL = 'rel="noopener noreferrer nofollow ugc"'


def test_headings_render_as_headings():
    assert render_note("# Title\n\n### Smaller") == "<h1>Title</h1>\n<h3>Smaller</h3>"


def test_tables_render_without_inline_styles():
    html = render_note("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<th>a</th>" in html and "<td>2</td>" in html
    # Column alignment would be a style attribute, which the CSP refuses.
    assert "style" not in html


def test_strikethrough_renders():
    assert render_note("~~gone~~") == "<p><s>gone</s></p>"


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("see https://example.org/a?b=1.", "https://example.org/a?b=1"),
        ("see www.example.org today", "http://www.example.org"),
        ("mailto:me@example.org", "mailto:me@example.org"),
    ],
)
def test_bare_links_become_links(text, href):
    assert f'<a href="{href}" {LINK_REL}>' in render_note(text)


@pytest.mark.parametrize("text", ["setup.py and node.js", "ask me@example.org", "`www.x.org`"])
def test_file_names_handles_and_code_stay_text(text):
    assert "<a " not in render_note(text)


def test_images_become_links_that_say_they_are_not_shown():
    html = render_note('![A *chart*](https://example.org/c.png "Title")')
    assert "<img" not in html
    assert f'<a href="https://example.org/c.png" class="note-image" {LINK_REL}>A chart</a>' in html
    assert '<span class="note-image-note">(image not shown)</span>' in html


def test_an_image_without_alt_text_shows_its_address():
    assert ">https://example.org/c.png</a>" in render_note("![](https://example.org/c.png)")


def test_an_image_with_a_dangerous_address_links_nowhere():
    html = render_note("![x](javascript:alert(1)) ![y](data:image/png;base64,AAAA)")
    assert "javascript" not in html.replace("javascript:alert(1)", "") or "href" not in html
    assert not re.search(r'href="(javascript|data):', html)


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "<javascript:alert(1)>",
        "[x](vbscript:msgbox(1))",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
        "<style>body{display:none}</style>",
        "<iframe src=https://evil.example></iframe>",
        '[x](https://ok.example "t" onmouseover=alert(1))',
        "| <script>x</script> | b |\n|---|---|\n| ![i](javascript:x) | [l](javascript:y) |",
    ],
)
def test_nothing_active_survives(markdown):
    html = render_note(markdown)
    assert not re.search(r"<(script|img|iframe|style)\b", html), html
    assert not re.search(r"<[^>]*\son\w+=", html), html
    assert not re.search(r'href="\s*(javascript|vbscript|data):', html, re.I), html


@pytest.mark.parametrize(
    "markdown",
    [
        "|a|b|\n|-|-|\n" + "|x|y|\n" * 1600,
        # Short lines padded to a wide header: hundreds of thousands of cells unbounded.
        "|" + "a|" * 100 + "\n|" + "-|" * 100 + "\n" + "x\n" * 4000,
        ("|" + "a|" * 20 + "\n|" + "-|" * 20 + "\n" + "x\n" * 60 + "\n") * 30,
    ],
)
def test_tables_are_bounded(markdown):
    # The cell count is the bound; the time limit only catches a runaway (an
    # unbounded render of these took seconds on a quiet machine, minutes loaded).
    started = time.perf_counter()
    html = render_note(markdown)
    assert time.perf_counter() - started < 20
    assert html.count("<td>") + html.count("<th>") <= MAX_TABLE_CELLS


def test_rows_past_the_budget_stay_text():
    html = render_note("|a|b|\n|-|-|\n" + "|x|y|\n" * 1200)
    assert html.count("<tr>") == MAX_TABLE_CELLS // 2
    assert "|x|y|" in html


@pytest.mark.parametrize("opener", [">", "- ", "1. ", "* > "])
def test_deep_nesting_is_bounded(opener):
    # markdown-it stops nesting at 20 levels: no tree deep enough to slow the sanitiser.
    started = time.perf_counter()
    html = render_note(opener * (MAX_NOTE_CHARS // len(opener)) + "deep")
    assert time.perf_counter() - started < 5
    assert html.count("<blockquote>") + html.count("<li>") <= 40


_PIECES = list("abc <>/\"'=:()[]!*_~`#|-\n\\&;\t") + [
    "javascript:",
    "onerror=",
    "<script>",
    "<img ",
    "](",
    "www.",
    "https://",
]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=200).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWNISH)
def test_any_text_renders_without_a_script_or_handler(markdown):
    html = render_note(markdown)
    assert not re.search(r"<(script|img|iframe|style|object|embed)\b", html, re.I)
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I)
    assert not re.search(r'href="\s*javascript:', html, re.I)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_renders(markdown):
    assert isinstance(render_note(markdown), str)
