"""Extraction of web pages: boilerplate out, structure and metadata in."""

from pathlib import Path

import pytest

from newsreader.lib.extraction import extract, webpage

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
    paragraphs = ferry.text.split("\n")
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


def test_image_captions_become_the_image_title(ferry):
    assert "Kestrel leaves the north pier" not in ferry.text
    assert (
        'title="The 1987 ferry Kestrel leaves the north pier. Photo: Courier staff"' in ferry.html
    )


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
