"""A web page's metadata, read from its parsed tree (newsreader/lib/extraction/metadata.py)."""

import datetime
import json

import pytest
from lxml import html as lxml_html

from newsreader.lib.extraction.metadata import read_metadata, strip_site_name


def page(head="", body="", lang="en"):
    return lxml_html.document_fromstring(
        f'<html lang="{lang}"><head>{head}</head><body>{body}<p>Text.</p></body></html>'
    )


def json_ld(data):
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- Title ---------------------------------------------------------------------------------


def test_the_visible_headline_wins_when_the_metadata_confirms_it():
    tree = page(
        "<title>Ferries change times | The Courier</title>",
        "<h1>The Courier</h1><h1>Ferries change times</h1>",
    )
    assert read_metadata(tree).title == "Ferries change times"


def test_a_logo_in_an_h1_is_not_the_title():
    tree = page(
        "<title>September open thread - The Giving Blog</title>",
        "<h1>The Giving Blog</h1>",
    )
    assert read_metadata(tree).title == "September open thread"


def test_without_a_confirmed_h1_the_metadata_title_loses_the_site_name():
    tree = page(
        '<meta property="og:title" content="Ferries change times – The Courier">'
        '<meta property="og:site_name" content="The Courier">',
        "<h1>Subscribe today</h1>",
    )
    assert read_metadata(tree).title == "Ferries change times"


def test_the_json_ld_headline_counts_as_a_metadata_title():
    tree = page(
        json_ld({"@type": "NewsArticle", "headline": "Bridge reopens after repairs"}),
        "<h1>Bridge reopens after repairs</h1>",
    )
    assert read_metadata(tree).title == "Bridge reopens after repairs"


def test_a_page_with_only_an_h1_gets_it_as_title():
    assert read_metadata(page(body="<h1>Soup</h1>")).title == "Soup"


def test_a_logo_h1_with_a_decorated_site_name_is_not_the_title():
    tree = page(
        '<meta property="og:site_name" content="The Courier">'
        "<title>Ferries change times - The Courier Online</title>",
        "<h1>The Courier Online</h1>",
    )
    assert read_metadata(tree).title == "Ferries change times"


def test_an_h1_differing_only_in_case_and_punctuation_is_confirmed_and_wins():
    tree = page(
        '<meta property="og:site_name" content="The Courier">'
        "<title>Ferry news - Courier Online</title>",
        "<h1>Ferry News!</h1>",
    )
    assert read_metadata(tree).title == "Ferry News!"


def test_the_site_name_part_matches_og_site_name_without_its_article():
    tree = page(
        '<meta property="og:site_name" content="The Courier"><title>Ferry news - Courier</title>'
    )
    metadata = read_metadata(tree, "https://news.example/ferry")
    assert (metadata.title, metadata.site_name) == ("Ferry news", "The Courier")


def test_the_json_ld_publisher_names_the_site():
    tree = page(
        json_ld({"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Courier"}})
        + "<title>The Courier | Ferry news</title>"
    )
    metadata = read_metadata(tree, "https://news.example/ferry")
    assert (metadata.title, metadata.site_name) == ("Ferry news", "Courier")


def test_without_a_site_name_the_part_of_the_title_matching_the_host_is_the_site():
    tree = page("<title>Ferry news - Courier</title>")
    metadata = read_metadata(tree, "https://www.courier.example/news/ferry")
    assert (metadata.title, metadata.site_name) == ("Ferry news", "Courier")


def test_without_a_site_name_application_name_is_matched_too():
    tree = page(
        '<meta name="application-name" content="Courier"><title>Ferry news | Courier</title>'
    )
    metadata = read_metadata(tree, "https://cdn.example/ferry")
    assert (metadata.title, metadata.site_name) == ("Ferry news", "Courier")


def test_a_site_part_spelt_as_a_host_name_leaves_the_host_as_the_site_name():
    tree = page("<title>Ferry news — www.courier.example</title>")
    metadata = read_metadata(tree, "https://www.courier.example/ferry")
    assert (metadata.title, metadata.site_name) == ("Ferry news", "courier.example")


def test_a_known_site_name_missing_from_the_title_keeps_the_title_whole():
    tree = page(
        '<meta property="og:site_name" content="The Verge">'
        "<title>Apple - the company that changed phones</title>"
    )
    assert read_metadata(tree).title == "Apple - the company that changed phones"


def test_a_title_that_is_only_the_site_name_gives_way_to_the_next_title():
    tree = page(
        '<meta property="og:site_name" content="The Courier">'
        '<meta property="og:title" content="The Courier">'
        "<title>Ferry news | The Courier</title>"
    )
    assert read_metadata(tree).title == "Ferry news"


def test_a_title_that_is_only_the_site_name_gives_way_to_an_h1():
    tree = page('<meta property="og:title" content="The Courier">', "<h1>Ferry news</h1>")
    assert read_metadata(tree, "https://courier.example/").title == "Ferry news"


def test_a_title_that_is_only_the_site_name_is_kept_when_there_is_nothing_else():
    tree = page('<meta property="og:site_name" content="The Courier"><title>The Courier</title>')
    assert read_metadata(tree).title == "The Courier"
    tree = page('<meta property="og:site_name" content="The Courier">', "<h1>Courier</h1>")
    assert read_metadata(tree).title == "Courier"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Ferries change times | The Courier", "The Courier", "Ferries change times"),
        ("The Courier: Ferries change times", "The Courier", "Ferries change times"),
        ("Ferries change times - News Nation", "", "Ferries change times"),
        (
            "Star Wars: the review – shoots for the moon - VG247",
            "VG247",
            "Star Wars: the review – shoots for the moon",
        ),
        ("What a year of sourdough taught me", "", "What a year of sourdough taught me"),
    ],
)
def test_strip_site_name(title, site, expected):
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        # A leading article, case and decorations around the name do not matter.
        ("Ferry news - Courier", ["The Courier"], "Ferry news"),
        ("Ferry news | THE COURIER", ["Courier"], "Ferry news"),
        ("Ferry news – Courier Online", ["The Courier"], "Ferry news"),
        ("Ferry news | Courier.com", ["The Courier"], "Ferry news"),
        ("Ferry news - Courier News", ["Courier"], "Ferry news"),
        ("Ferry news — De Morgen", ["De Morgen"], "Ferry news"),
        ("Die Zeit: Ferry news", ["Zeit Online"], "Ferry news"),
        ("Ferry news | L'Express", ["Express"], "Ferry news"),
        ("Ferry news - TechCrunch", ["Tech Crunch"], "Ferry news"),
        # A site name given as a host name or URL matches its labels.
        ("Ferry news - Courier", ["courier.example.com"], "Ferry news"),
        ("Ferry news - Courier", ["https://www.courier.example/"], "Ferry news"),
        ("Ferry news | Courier-Mail", ["couriermail.example"], "Ferry news"),
        ("Ferry news | BBC News", ["bbc.co.uk"], "Ferry news"),
        ("Ferry news — www.courier.example", ["courier.example"], "Ferry news"),
        # At the start, at the end, at both ends; a name that holds a separator.
        ("Courier | Ferry news", ["The Courier"], "Ferry news"),
        ("The Courier: Ferry news", ["The Courier"], "Ferry news"),
        ("The Courier - Ferry news", ["The Courier"], "Ferry news"),
        ("Courier | Ferry news | The Courier", ["The Courier"], "Ferry news"),
        ("Ferry news | Courier | The Courier", ["The Courier"], "Ferry news"),
        (
            "Ferry news - Remember 80/90 - Memorabilia",
            ["Remember 80/90 - Memorabilia"],
            "Ferry news",
        ),
        # Any of several names; the separators inside the headline stay.
        ("Ferry news | Harbour Media", ["The Courier", "Harbour Media"], "Ferry news"),
        ("Review: a quiet triumph - The Courier", ["The Courier"], "Review: a quiet triumph"),
        (
            "Ferries - the new timetable | The Courier",
            ["The Courier"],
            "Ferries - the new timetable",
        ),
    ],
)
def test_strip_site_name_removes_the_part_that_names_the_site(title, names, expected):
    assert strip_site_name(title, *names) == expected


@pytest.mark.parametrize(
    ("title", "names"),
    [
        # No part is the site: a real part of the headline is never guessed away.
        ("Apple - the company that changed phones", ["The Verge"]),
        ("Review: a quiet triumph", ["The Courier"]),
        ("Ferry news - Courier Mail", ["The Courier"]),
        ("Courier drivers strike - Harbour plans", ["The Courier"]),
        ("Ferry news | Online", ["Courier Online"]),
        ("Ferry news | The", ["The Courier"]),
        ("Ferry news - Example", ["courier.example"]),
        ("Ferry news: Courier drivers strike", ["The Courier"]),
        # Only the site's name: nothing else to show.
        ("The Courier", ["The Courier"]),
        ("Courier | The Courier", ["The Courier"]),
        ("The Courier:", ["The Courier"]),
        # Without a name, a colon never separates a guessed site name, and a guess
        # leaves three words or more.
        ("Review: a quiet triumph", []),
        ("Review : a quiet triumph", []),
        ("Ferry news - Courier", []),
    ],
)
def test_strip_site_name_keeps_a_title_without_a_site_part(title, names):
    assert strip_site_name(title, *names) == title


def test_strip_site_name_guesses_only_when_told_to_or_without_names():
    title = "How we built it: a task framework - Dropbox"
    assert strip_site_name(title) == "How we built it: a task framework"
    assert strip_site_name(title, "fakehost") == title
    assert strip_site_name(title, "fakehost", guess=True) == "How we built it: a task framework"
    assert strip_site_name(title, guess=False) == title
    assert strip_site_name("Apple - the company that changed phones") == (
        "the company that changed phones"  # a guess: the reason a known name turns guessing off
    )


# --- Byline, site, date, language, image, description -------------------------------------------


def test_json_ld_people_are_the_byline_and_organisations_are_not():
    tree = page(
        json_ld(
            {
                "@type": "NewsArticle",
                "author": [
                    {"@type": "Person", "name": "Maren Okafor"},
                    {"@type": "Organization", "name": "The Courier"},
                ],
            }
        )
    )
    assert read_metadata(tree).byline == "Maren Okafor"


def test_a_byline_on_the_page_loses_its_prefix_and_date():
    tree = page(body='<p class="byline">By Lena Brandt | 14 October 2026</p>')
    assert read_metadata(tree).byline == "Lena Brandt"


@pytest.mark.parametrize(
    "body",
    [
        '<p class="byline">Someone Else</p><a rel="author" href="/p/9">Lena Brandt</a>',
        '<div class="author-name">Someone Else</div><p class="post byline">Lena Brandt</p>',
        '<a href="/authors/se">Someone Else</a><span class="authorName">Lena Brandt</span>',
        '<a href="/about">Someone Else</a><a href="/author/lb">Lena Brandt</a>',
    ],
)
def test_the_most_explicit_byline_element_wins_wherever_it_stands(body):
    assert read_metadata(page(body=body)).byline == "Lena Brandt"


def test_the_meta_author_is_used_when_there_is_no_json_ld():
    assert read_metadata(page('<meta name="author" content="By Jonas Keller">')).byline == (
        "Jonas Keller"
    )


def test_site_name_falls_back_to_the_host():
    tree = page()
    assert read_metadata(tree, "https://www.courier.example/news/1").site_name == "courier.example"
    tree = page('<meta property="og:site_name" content="The Courier">')
    assert read_metadata(tree, "https://www.courier.example/news/1").site_name == "The Courier"


@pytest.mark.parametrize(
    ("head", "body", "url", "expected"),
    [
        (
            '<meta property="article:published_time" content="2026-10-14T08:30:00Z">',
            "",
            "",
            "2026-10-14",
        ),
        (json_ld({"@type": "BlogPosting", "datePublished": "2025-01-12"}), "", "", "2025-01-12"),
        ("", "", "https://example.org/2019/11/19/story/", "2019-11-19"),
        ("", '<time datetime="2024-03-03T10:00">March 3</time>', "", "2024-03-03"),
    ],
)
def test_published_date(head, body, url, expected):
    published = read_metadata(page(head, body), url).published
    assert published == datetime.date.fromisoformat(expected)


def test_language_lead_image_and_description():
    tree = page(
        '<meta property="og:image" content="https://cdn.example/a.jpg">'
        '<meta name="description" content="Plain description.">'
        '<meta property="og:description" content="The preferred description.">',
        lang="de-AT",
    )
    metadata = read_metadata(tree)
    assert metadata.language == "de-AT"
    assert metadata.lead_image == "https://cdn.example/a.jpg"
    assert metadata.description == "The preferred description."
