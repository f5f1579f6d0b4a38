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
