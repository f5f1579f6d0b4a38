"""Extraction of web pages: boilerplate out, structure and metadata in."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from newsreader.lib.extraction import extract, webpage
from newsreader.lib.extraction.recovery import reads_as_prose

DEMO = Path(__file__).resolve().parents[2] / "articles" / "demo"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
FERRY_URL = "https://courier.example.com/news/2026/10/ferries"


@pytest.fixture(scope="module")
def ferry():
    return extract((DEMO / "harbour-ferries.html").read_bytes(), url=FERRY_URL)


@pytest.fixture(scope="module")
def blog():
    return extract((DEMO / "sqlite-wal.html").read_bytes(), url="https://blog.example.org/p/1")


@pytest.fixture(scope="module")
def museum():
    return extract((FIXTURES / "museum-night.html").read_bytes(), filename="museum-night.html")


def test_it_reads_the_metadata(ferry):
    assert ferry.kind == "html"
    assert ferry.title == "City council votes to electrify the harbour ferries by 2030"
    assert ferry.byline == "Maren Okafor"
    assert ferry.site_name == "The Lakeside Courier"
    assert ferry.published.isoformat() == "2026-10-14"
    assert ferry.language == "en"


@pytest.mark.parametrize(
    "boilerplate",
    [
        "We use cookies",
        "Share on Facebook",
        "Copy link",
        "Advertisement",
        "Sign up for our newsletter",
        "Related stories",
        "North bridge to close",
        "Comments (48)",
        "Who pays when the batteries fail",
        "All rights reserved",
        "Sport",
    ],
)
def test_it_leaves_out_page_furniture(ferry, boilerplate):
    assert boilerplate not in ferry.text
    assert boilerplate not in ferry.html


def test_it_keeps_every_paragraph_of_the_story(ferry):
    caption, *paragraphs = ferry.text.split("\n")
    assert caption.startswith("The 1987 ferry Kestrel")  # the lead image's, above the story
    assert paragraphs[0].startswith("The city council voted 31 to 8")
    assert paragraphs[-1].startswith("Construction of the charging points")
    assert any("buying a prototype" in p for p in paragraphs)
    assert len(paragraphs) == 7


def test_the_title_is_not_repeated_in_the_body(ferry, blog, museum):
    for result in (ferry, blog, museum):
        assert result.title not in result.text


def test_relative_images_are_resolved_against_the_source_url(ferry):
    assert '<img src="https://courier.example.com/images/ferry-at-dawn.jpg"' in ferry.html
    assert 'alt="A diesel ferry leaving the north pier at dawn"' in ferry.html


def test_it_keeps_code_tables_lists_and_headings(blog):
    html = blog.html
    assert "<h2>The problem with the default journal</h2>" in html
    assert "one of them got <code>database is locked</code>. Write-ahead" in html
    assert "<pre>PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;" in html
    assert "<th>Median response</th>" in html
    assert "<td>SQLite, WAL + IMMEDIATE</td>" in html
    assert "<li>More than one application server writing to the same data.</li>" in html
    assert "Share this post" not in blog.text


def test_it_decodes_a_windows_1252_page_and_reads_german(museum):
    assert museum.charset == "windows-1252"
    assert "Straßenbahnhaltestelle" in museum.text
    assert "„Wir hätten die doppelte Zahl an Plätzen vergeben können“" in museum.text
    assert museum.language == "de"
    assert museum.byline == "Lena Brandstätter"
    for boilerplate in ("Cookies", "Anzeige", "Mehr zum Thema", "Kommentare", "Impressum"):
        assert boilerplate not in museum.text
    assert "<li>Neu dabei: das Straßenbahnmuseum im alten Depot</li>" in museum.html


def test_without_a_source_url_relative_links_are_dropped():
    page = (
        "<html><head><title>T</title></head><body><article><h1>T</h1>"
        + "<p>Plenty of words in this paragraph to make it count as content. " * 6
        + '<a href="/internal/path">relative</a> and <a href="https://example.org/x">absolute</a>'
        + "</p></article></body></html>"
    )
    result = extract(page)
    assert 'href="/internal/path"' not in result.html
    assert "<a>relative</a>" in result.html.replace(' rel="noopener noreferrer nofollow"', "")
    assert 'href="https://example.org/x"' in result.html


def test_when_trafilatura_finds_too_little_the_whole_page_is_read(monkeypatch):
    monkeypatch.setattr(webpage, "_trafilatura", lambda html, url, **options: None)
    items = "".join(f"<li>Step {n}: stir the pot and wait a little</li>" for n in range(12))
    page = (
        "<html><head><title>Soup</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<main><h1>Soup</h1><ol>{items}</ol></main><footer>Imprint</footer></body></html>"
    )
    result = webpage.extract_webpage(page)
    assert result.body_html.count("Step ") == 12
    assert "Home" not in result.body_html
    assert "Imprint" not in result.body_html
    assert result.title == "Soup"  # metadata still comes from the page


def test_a_short_trafilatura_result_gets_a_second_opinion_with_favor_recall(monkeypatch):
    calls = []
    real = webpage._trafilatura

    def spy(html, url, **options):
        calls.append(options)
        return real(html, url, **options)

    monkeypatch.setattr(webpage, "_trafilatura", spy)
    webpage.extract_webpage("<html><body><p>Just one short line.</p></body></html>")
    assert calls == [{}, {"favor_recall": True}]


def test_the_excerpt_prefers_the_page_description(ferry):
    assert ferry.excerpt.startswith("The council approved a plan")


def test_counts_follow_the_text(ferry):
    assert 250 < ferry.word_count < 320
    assert ferry.reading_minutes == 1


def test_image_captions_are_shown_under_the_image(ferry):
    caption = "The 1987 ferry Kestrel leaves the north pier. Photo: Courier staff"
    assert re.search(
        f"<figure><img [^>]*><figcaption>{re.escape(caption)}</figcaption></figure>", ferry.html
    )
    assert ferry.html.count("Kestrel leaves the north pier") == 1  # not a paragraph as well
    assert "title=" not in ferry.html


def test_the_title_is_not_repeated_when_the_page_is_laid_out_in_tables():
    story = "".join(
        f"<p>The tram line will be extended by three kilometres, paragraph {n} says, and "
        "four new stops will serve the university campus from the autumn of 2028.</p>"
        for n in range(4)
    )
    page = (
        "<html><head><title>Tram line to reach the university | Metro Daily</title></head>"
        "<body><table><tr><td><a href='/'>Home</a> | <a href='/news'>News</a></td></tr></table>"
        "<table><tr><td><h1>Tram line to reach the university</h1><p>by Nadia Benali<br>"
        f"Monday, 3 March 2025</p>{story}</td></tr></table></body></html>"
    )
    result = extract(page, kind="html")
    assert result.title == "Tram line to reach the university"
    assert "Tram line to reach the university" not in result.text
    assert "Nadia Benali" not in result.text
    assert result.text.startswith("The tram line will be extended")


def test_the_site_header_goes_and_the_lead_image_in_the_article_header_stays():
    story = "".join(
        f"<p>Paragraph {n} of the story says that the night train to the south will run "
        "three times a week from June, with sleeping cars and a dining car.</p>"
        for n in range(4)
    )
    page = (
        "<html><head><title>Night train returns</title></head><body>"
        "<header><a href='/'>The Daily Rail</a> <a href='/subscribe'>Subscribe now</a></header>"
        "<article><header><h1>Night train returns</h1>"
        "<img src='https://rail.example/lead.jpg' alt='The train at dawn'>"
        "<p>By Ada Lin</p></header>"
        f"{story}</article></body></html>"
    )
    result = extract(page, kind="html")
    assert "The Daily Rail" not in result.text
    assert 'src="https://rail.example/lead.jpg"' in result.html
    assert result.text.startswith("Paragraph 0 of the story")


def _page(body):
    return f"<html><head><title>Night ferry</title></head><body>{body}</body></html>"


LINE = (
    "The last boat of the night leaves the north pier at eleven, and the harbour is quiet"
    " but for the engine and the gulls that follow it out past the breakwater."
)


@pytest.mark.parametrize("container", ["body", "article", "div"])
def test_a_paragraph_said_twice_is_kept_twice(container):
    # A refrain, or a page of test paragraphs: trafilatura keeps one copy of
    # identical text unless the repeats are made distinct.
    other = LINE.replace("eleven", "midnight")
    blocks = f"<p>{LINE}</p><p>{other}</p><p>{LINE}</p><p>{LINE}</p>"
    html = _page(blocks if container == "body" else f"<{container}>{blocks}</{container}>")
    result = extract(html, kind="html")
    assert result.text.split("\n") == [LINE, other, LINE, LINE]
    assert "\u2060" not in result.html


def test_repeated_text_blocks_in_divs_are_kept_too():
    html = _page(f"<article><h1>Night ferry</h1><div>{LINE}</div><div>{LINE}</div></article>")
    assert extract(html, kind="html").text.split("\n") == [LINE, LINE]


def test_one_sentence_paragraphs_read_as_prose():
    # Each paragraph a single sentence: its full stop is followed by the next
    # paragraph's text, not a space, and still ends a sentence.
    sentences = [f"{LINE[:-1]}, said the skipper of boat number {n}." for n in range(12)]
    html = _page("<article>" + "".join(f"<p>{s}</p>" for s in sentences) + "</article>")
    assert extract(html, kind="html").text.split("\n") == sentences


@pytest.mark.parametrize(
    "hidden",
    [
        "<p hidden>{}</p>",
        "<p style='DISPLAY: none'>{}</p>",
        "<p style='color: red; visibility:hidden'>{}</p>",
        "<div aria-hidden='true'><p>{}</p></div>",
        "<div role='dialog'><p>{}</p></div>",
        "<ul role='menu'><li role='menuitem'>{}</li></ul>",
    ],
)
def test_what_the_browser_hides_and_interface_widgets_are_left_out(hidden):
    secret = "This modal window can be closed by pressing the Escape key or the close button."
    story = "".join(f"<p>{LINE} ({n})</p>" for n in range(4))
    html = _page(f"<article>{story}{hidden.format(secret)}<p>{LINE} (end)</p></article>")
    result = extract(html, kind="html")
    assert "Escape key" not in result.text
    assert result.text.count("breakwater") == 5


def test_a_page_that_hides_its_article_until_a_script_shows_it_is_still_read():
    story = "".join(f"<p>{LINE} ({n})</p>" for n in range(6))
    html = _page(f"<p>Loading…</p><article style='display:none'>{story}</article>")
    assert extract(html, kind="html").text.count("breakwater") == 6


def test_an_image_inside_a_line_keeps_its_caption_as_its_title_and_its_own_title_goes():
    html = _page(
        "<article><figure><img src='https://x.example/a.jpg' title='tooltip'></figure>"
        f"<p>{LINE}</p><p>{LINE} Here <img src='https://x.example/b.jpg' title='icon'>"
        "<span class='caption'>The harbour bell</span> rings the hour.</p></article>"
    )
    result = extract(html, kind="html")
    assert "tooltip" not in result.html and "icon" not in result.html
    assert 'title="The harbour bell"' in result.html
    assert "<figure" not in result.html
    assert "Here rings the hour." in result.text


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("on <em>Netflix</em> <em>and Hulu</em> now", "on Netflix and Hulu now"),
        ("on <a href='/n'><em>Netflix</em></a> <em>and</em> Hulu", "on Netflix and Hulu"),
        ("source.<sup><a href='#c1'>[17]</a></sup> <a href='/t'>Tristan</a> said", "[17] Tristan"),
        ("on <a href='/n'>Netflix</a>\n   <a href='/h'>Hulu</a> now", "on Netflix Hulu now"),
    ],
)
def test_the_space_between_two_inline_elements_is_kept(line, text):
    # trafilatura trims every tail: a lone space between two inline elements
    # went, the words ran together, and a link wrapping an <em> went too.
    story = "".join(f"<p>{LINE} ({n})</p>" for n in range(3))
    html = _page(f"<article>{story}<p>{LINE} Streaming {line}.</p></article>")
    result = extract(html, kind="html", url="https://x.example/")
    assert text in result.text
    assert "\u2e3b" not in result.text and "\u2e3a" not in result.html
    if "href='/n'" in line:
        assert 'href="https://x.example/n"' in result.html


def test_an_image_alone_in_a_list_item_shows_its_caption_under_it():
    body = etree.fromstring(
        "<body><list><item><graphic src='https://x.example/0.jpg' title='Pier 0'/></item>"
        "<item><p><graphic src='https://x.example/1.jpg' title='Pier 1'/></p></item>"
        "<item>Pier 2 <graphic src='https://x.example/2.jpg' title='Bell'/></item></list></body>"
    )
    html = webpage._body_html(SimpleNamespace(body=body), "")
    assert html == (
        '<ul><li><figure><img src="https://x.example/0.jpg"><figcaption>Pier 0</figcaption>'
        '</figure></li><li><figure><img src="https://x.example/1.jpg"><figcaption>Pier 1'
        '</figcaption></figure></li><li>Pier 2 <img src="https://x.example/2.jpg" title="Bell">'
        "</li></ul>"
    )


def test_the_text_measured_for_the_second_opinion_keeps_sentences_apart():
    body = etree.Element("body")
    for n in range(12):
        etree.SubElement(body, "p").text = f"{LINE[:-1]}, said the skipper of boat {n}."
    text = webpage._text(SimpleNamespace(body=body))
    assert "boat 0. The last" in text
    assert reads_as_prose(text)


def test_text_that_trafilatura_leaves_inside_an_image_follows_the_image():
    body = etree.fromstring(
        "<body><p><graphic src='https://x.example/a.jpg'>Lead text <hi rend='#b'>bold</hi>"
        "</graphic> and the rest.</p></body>"
    )
    html = webpage._body_html(SimpleNamespace(body=body), "")
    assert (
        html
        == '<p><img src="https://x.example/a.jpg">Lead text <strong>bold</strong> and the rest.</p>'
    )


def test_text_after_a_figure_frame_is_kept():
    # The text after a container (here a figure's frame) belongs to the
    # container's parent; trafilatura dropped it with the frame.
    loose = "The flag code sets out no penalty, and the courts have <a href='/x'>protected</a> it."
    story = "".join(f"<p>{LINE} ({n})</p>" for n in range(3))
    frame = "<div class='frame'><figure><img src='https://a.example/f.jpg'></figure></div>"
    html = _page(f"<div class='story'>{story}{frame}{loose}<p>{LINE} (end)</p></div>")
    result = extract(html, kind="html")
    assert "The flag code sets out no penalty, and the courts have protected it." in result.text
    assert result.text.index("(2)") < result.text.index("flag code") < result.text.index("(end)")


def test_a_page_wrapped_in_an_element_of_its_own_is_parsed_once(monkeypatch):
    # Such pages (an archive's <text id=…> around each page) were parsed a
    # second time inside a document of their own, for the same tree.
    calls = []
    real = webpage._load
    monkeypatch.setattr(webpage, "_load", lambda html: calls.append(html) or real(html))
    story = "".join(f"<p>{LINE} ({n})</p>" for n in range(3))
    html = f"<text id='1'><!DOCTYPE html><html><body><article>{story}</article></body></html>"
    assert extract(html, kind="html").text.count("breakwater") == 3
    assert len(calls) == 1


def test_a_table_laying_out_the_page_is_read_as_blocks():
    steps = "".join(f"<li>Step {n}: turn the valve a quarter.</li>" for n in range(3))
    releases = "<table><tr><th>Release</th><th>Date</th></tr><tr><td>4.2</td><td>May</td></tr>"
    cell = f"<p>{LINE} (1)</p><ul>{steps}</ul><p>{LINE} (2)</p>{releases}</table>"
    html = _page(f"<table><tr><td>{cell}</td><td><p>{LINE} (3)</p></td></tr></table>")
    result = extract(html, kind="html")
    assert "Step 2: turn the valve a quarter." in result.text  # lists in cells were dropped
    assert "<td>May</td>" in result.html  # a data table inside stays a table


def test_a_table_inside_a_quote_keeps_its_cells():
    rows = "".join(
        f"<tr><td><a href='/r/{n}'>4.{n}</a></td><td>May 201{n}</td></tr>" for n in range(4)
    )
    story = "".join(f"<p>{LINE} ({n})</p>" for n in range(3))
    html = _page(f"<article>{story}<blockquote><table>{rows}</table></blockquote></article>")
    result = extract(html, kind="html")
    assert "May 2013" in result.text
    assert "<td>May 2013</td>" in result.html
