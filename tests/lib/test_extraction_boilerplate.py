"""Signals that remove page furniture around trafilatura.

The code under test: newsreader/lib/extraction/boilerplate.py.
"""

from lxml import etree
from lxml import html as lxml_html

from newsreader.lib.extraction import extract
from newsreader.lib.extraction.boilerplate import clean_body, fold_captions, keep_embedded_posts

PROSE = (
    "The harbour authority approved the new ferry timetable on Tuesday after a long debate, "
    "and the first boats will follow it from the start of next month."
)
PROSE_2 = (
    "Commuters on the northern route gain two early crossings, while the late evening boat "
    "on Sundays is dropped for lack of passengers over the past two winters."
)


def body(*blocks):
    return etree.fromstring("<body>" + "".join(blocks) + "</body>")


def texts(element):
    return [" ".join("".join(child.itertext()).split()) for child in element]


def p(text):
    return f"<p>{text}</p>"


# --- Header ----------------------------------------------------------------------


def test_the_headline_and_what_comes_before_it_go():
    result = clean_body(
        body(p("Transport"), '<head rend="h1">Ferries change times</head>', p(PROSE)),
        title="Ferries change times",
    )
    assert texts(result) == [PROSE]


def test_the_headline_is_found_inside_a_layout_table():
    table = (
        '<table><row><cell><head rend="h1">Ferries change times</head>'
        f"<p>{PROSE}</p></cell></row></table>"
    )
    result = clean_body(body(table, p(PROSE_2)), title="Ferries change times")
    assert "Ferries change times" not in "".join(result.itertext())
    assert PROSE in "".join(result.itertext())


def test_an_image_after_the_headline_stays():
    result = clean_body(
        body('<head rend="h1">Ferries</head>', '<graphic src="a.jpg"/>', p(PROSE)), title="Ferries"
    )
    assert [child.tag for child in result] == ["graphic", "p"]


def test_a_heading_repeating_the_description_is_the_standfirst():
    standfirst = "Two early crossings are added and a Sunday boat is dropped"
    result = clean_body(
        body('<head rend="h2">' + standfirst + "</head>", p(PROSE)),
        description=standfirst + ".",
    )
    assert texts(result) == [PROSE]


def test_a_paragraph_repeating_the_description_is_kept():
    result = clean_body(body(p(PROSE), p(PROSE_2)), description=PROSE)
    assert texts(result) == [PROSE, PROSE_2]


def test_byline_and_date_lines_at_the_top_go():
    result = clean_body(
        body(p("Updates"), p("by Maren Okafor<lb/>Monday, 14 October 2026"), p(PROSE)),
        title="X",
    )
    assert texts(result) == ["Updates", PROSE]


def test_the_header_ends_at_the_first_paragraph_of_prose():
    result = clean_body(body(p(PROSE), p("By Maren Okafor")))
    assert texts(result) == [PROSE, "By Maren Okafor"]


# --- Boilerplate lines ------------------------------------------------------------------


def test_boilerplate_lines_go_in_several_languages():
    lines = [
        "Share on Facebook",
        "Advertisement",
        "Anzeige",
        "Lire aussi : Le festival fête ses trente ans",
        "Sign up for our newsletter",
        "Follow us on Twitter and Facebook.",
        "Get the latest news in your inbox. Subscribe to our daily briefing.",
        "All rights reserved",
        "... more",
    ]
    result = clean_body(body(p(PROSE), *map(p, lines), p(PROSE_2)))
    assert texts(result) == [PROSE, PROSE_2]


def test_a_caption_ending_with_a_credit_goes():
    caption = "Commuters queue at the north pier on Monday morning. (AP Photo/Jane Doe)"
    result = clean_body(body(p(PROSE), p(caption), p(PROSE_2)))
    assert texts(result) == [PROSE, PROSE_2]


def test_separators_and_ordinary_sentences_stay():
    lines = ["___", "Share prices rose after the announcement, the operator said."]
    result = clean_body(body(p(PROSE), *map(p, lines), p(PROSE_2)))
    assert texts(result) == [PROSE, *lines, PROSE_2]


# --- Related-story runs -------------------------------------------------------------------


def test_an_announcer_and_the_links_after_it_go():
    result = clean_body(
        body(
            p(PROSE),
            p("Don't miss"),
            p('<ref target="/a">Bridge to close for repairs</ref>'),
            p('<ref target="/b">Lifeboat crew honoured</ref>'),
            p(PROSE_2),
        )
    )
    assert texts(result) == [PROSE, PROSE_2]


def test_the_text_after_an_announcer_stays():
    lines = ["Up next", "Thunder: Host the Lakers on Friday."]
    result = clean_body(body(p(PROSE), *map(p, lines), p(PROSE_2)))
    assert texts(result) == [PROSE, "Thunder: Host the Lakers on Friday.", PROSE_2]


# --- Link blocks ------------------------------------------------------------------------------


def test_a_trailing_run_of_links_and_teasers_goes():
    teasers = (
        '<list rend="ul"><item><ref target="/a">Bridge to close</ref>'
        '<head rend="h4">Repairs start in May</head></item>'
        '<item><ref target="/b">Crew honoured</ref><head rend="h4">A rescue in the storm</head>'
        "</item></list>"
    )
    result = clean_body(
        body(p(PROSE), p(PROSE_2), '<head rend="h2">More from the city</head>', teasers)
    )
    assert texts(result) == [PROSE, PROSE_2]


def test_a_closing_list_of_footnotes_with_back_links_stays():
    # Each note opens with a link back to where it is cited ("^"): not a headline.
    notes = (
        '<list rend="ol"><item><ref target="#cite-1">^</ref> "Ferry timetables, 1998-2024". '
        '<ref target="https://archive.example.org/t">Harbour archive</ref>. Retrieved 2025.</item>'
        '<item><ref target="#cite-2">^</ref> Okafor, M. (2026). '
        '<ref target="https://courier.example.com/f">"Night boats"</ref>.</item></list>'
    )
    result = clean_body(body(p(PROSE), p(PROSE_2), '<head rend="h2">References</head>', notes))
    assert texts(result)[2:] == [
        "References",
        '^ "Ferry timetables, 1998-2024". Harbour archive. Retrieved 2025.'
        '^ Okafor, M. (2026). "Night boats".',
    ]


def test_two_paragraphs_of_links_in_the_article_go():
    result = clean_body(
        body(
            p(PROSE),
            p('<ref target="https://other.example/a">Ferry fares frozen</ref>'),
            p('<ref target="https://other.example/b">Pier reopens</ref>'),
            p(PROSE_2),
        ),
        url="https://news.example/story",
    )
    assert texts(result) == [PROSE, PROSE_2]


def test_a_lone_headline_linking_to_the_same_site_is_a_promotion():
    promotion = p('<ref target="https://www.news.example/apps">GET THE NEWS APP HERE</ref>')
    result = clean_body(body(p(PROSE), promotion, p(PROSE_2)), url="https://news.example/story")
    assert texts(result) == [PROSE, PROSE_2]


def test_a_lone_link_to_another_site_stays():
    product = p('<ref target="https://shop.example/kettle">Stainless steel kettle</ref>')
    result = clean_body(body(p(PROSE), product, p(PROSE_2)), url="https://news.example/story")
    assert texts(result) == [PROSE, "Stainless steel kettle", PROSE_2]


def test_a_link_showing_its_address_stays():
    address = p('<ref target="https://example.org/report">https://example.org/report</ref>')
    result = clean_body(body(p(PROSE), p(PROSE_2), address))
    assert texts(result)[-1] == "https://example.org/report"


# --- Captions and embedded posts, on the page ----------------------------------------------


def test_a_figcaption_becomes_the_image_title():
    tree = lxml_html.document_fromstring(
        "<html><body><figure><img src='a.jpg'><figcaption>The pier at dawn. Photo: Staff"
        "</figcaption></figure></body></html>"
    )
    fold_captions(tree)
    assert tree.find(".//img").get("title") == "The pier at dawn. Photo: Staff"
    assert tree.find(".//figcaption") is None


def test_a_caption_named_by_its_class_next_to_an_image_is_folded():
    tree = lxml_html.document_fromstring(
        "<html><body><div class='media'><div><img src='a.jpg'></div>"
        "<p class='image__credit'>Getty Images</p></div><p>Text stays.</p></body></html>"
    )
    fold_captions(tree)
    assert tree.find(".//img").get("title") == "Getty Images"
    assert tree.text_content().strip() == "Text stays."


def test_a_caption_and_its_credit_do_not_run_together():
    tree = lxml_html.document_fromstring(
        "<html><body><figure><img src='a.jpg'><figcaption><span>Patients sought treatment"
        "</span><span class='article__credit'>Credit: EPA</span></figcaption></figure>"
        "<figure><img src='b.jpg'><figcaption>The pier<br>at dawn<small>Staff</small>"
        "</figcaption></figure></body></html>"
    )
    fold_captions(tree)
    first, second = tree.iter("img")
    assert first.get("title") == "Patients sought treatment Credit: EPA"
    assert second.get("title") == "The pier at dawn Staff"


def test_a_caption_four_levels_from_its_image_is_folded():
    tree = lxml_html.document_fromstring(
        "<html><body><div><div class='media'><div class='wrap'><div><img src='a.jpg'></div>"
        "</div></div><div class='media-caption'>A credit-card-sized computer</div></div>"
        "<p>Text stays.</p></body></html>"
    )
    fold_captions(tree)
    assert tree.find(".//img").get("title") == "A credit-card-sized computer"


def test_a_caption_is_claimed_by_the_first_image_near_it():
    tree = lxml_html.document_fromstring(
        "<html><body><div><div><img src='a.jpg'></div><div><img src='b.jpg'></div>"
        "<p class='caption'>Two piers</p></div></body></html>"
    )
    fold_captions(tree)
    first, second = tree.iter("img")
    assert (first.get("title"), second.get("title")) == ("Two piers", None)


def test_an_embedded_post_loses_the_names_that_hide_it():
    tree = lxml_html.document_fromstring(
        "<html><body><div class='social-embed'><blockquote class='twitter-tweet'>"
        "<p>Meth. We are on it.</p></blockquote></div></body></html>"
    )
    keep_embedded_posts(tree)
    assert tree.find(".//blockquote").get("class") is None
    assert tree.find(".//body/div").get("class") is None


def test_extraction_keeps_an_embedded_tweet_and_shows_captions_under_their_image():
    page = (
        "<html><head><title>Quotes</title></head><body><article><h1>Quotes</h1>"
        f"<p>{PROSE}</p>"
        "<div class='social-embed'><blockquote class='twitter-tweet'><p>The ferries are late "
        "again this morning and nobody has told us why.</p>— Jane (@jane) May 3, 2026"
        "</blockquote></div>"
        "<figure><img src='https://news.example/a.jpg'><figcaption>The north pier</figcaption>"
        f"</figure><p>{PROSE_2}</p></article></body></html>"
    )
    result = extract(page, kind="html")
    assert "nobody has told us why" in result.text
    assert "<figcaption>The north pier</figcaption></figure>" in result.html
    assert result.text.count("The north pier") == 1


# --- Slideshows -----------------------------------------------------------------------------


def _slides(numbers, image=""):
    return (
        '<list rend="ul">'
        + "".join(
            f'<item><head rend="h2">{number} Story {number}</head>{image}'
            f"<p>A caption of another story's photo, number {number}.</p></item>"
            for number in numbers
        )
        + "</list>"
    )


def test_a_slideshows_legends_without_pictures_go_with_its_title():
    result = clean_body(
        body(
            p(PROSE),
            '<head rend="h2">Business news in pictures</head>',
            _slides(["1/50", "2/50", "3/50", "4/50"]),
            p(PROSE_2),
        )
    )
    assert texts(result) == [PROSE, PROSE_2]


def test_numbered_lists_that_are_not_a_slideshow_stay():
    recipe = '<list rend="ul"><item>1/2 cup of flour</item><item>1/2 cup of milk</item>' + (
        "<item>1/4 teaspoon of salt</item></list>"
    )
    pictures = _slides(["1 of 3", "2 of 3", "3 of 3"], image='<graphic src="a.jpg"/>')
    result = clean_body(body(p(PROSE), recipe, p(PROSE_2), pictures))
    assert len(result) == 4


# --- Menus laid out as tables ---------------------------------------------------------------


def _links(count):
    return "".join(f'<ref target="/s/{n}">Section {n}</ref><lb/>' for n in range(count))


def test_a_table_of_links_goes_unless_it_has_text_of_its_own():
    sources = (
        "<table><row><cell>Report</cell><cell>"
        + _links(1)
        + "</cell></row>"
        + ("<row><cell>Minutes of the meeting</cell><cell>" + _links(1) + "</cell></row></table>")
    )
    menu = f"<table><row><cell>{_links(6)}</cell></row></table>"
    result = clean_body(body(p(PROSE), sources, menu, p(PROSE_2)))
    assert texts(result) == [PROSE, "ReportSection 0Minutes of the meetingSection 0", PROSE_2]


def test_headings_after_the_closing_links_go_with_them():
    links = '<list rend="ul">' + "".join(
        f'<item><ref target="/s/{n}">Another story {n}</ref></item>' for n in range(3)
    )
    result = clean_body(
        body(
            p(PROSE),
            p(PROSE_2),
            links + "</list>",
            '<head rend="h2">From Around the Web</head>',
            '<head rend="h5">Presented by a sponsor</head>',
        )
    )
    assert texts(result) == [PROSE, PROSE_2]


def test_a_closing_heading_with_no_links_before_it_stays():
    result = clean_body(body(p(PROSE), p(PROSE_2), '<head rend="h2">Notes</head>'))
    assert texts(result) == [PROSE, PROSE_2, "Notes"]
