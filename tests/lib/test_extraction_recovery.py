"""Second chances when the first extraction looks unsure (newsreader/lib/extraction/recovery.py)."""

from lxml import etree
from lxml import html as lxml_html

from newsreader.lib.extraction import recovery, webpage

SENTENCES = [
    "The council met on Tuesday evening to discuss the plans for the new library.",
    "Most members spoke in favour, and a final vote is expected next month.",
    "The building will open on weekends and host a children's reading club.",
    "Residents asked for longer opening hours during the exam season.",
    "The architect presented three designs, each with a garden on the roof.",
    "Construction would start in the spring if the budget is approved.",
    "A public consultation will run for six weeks from the first of June.",
    "The old library will be turned into a community hall and a café.",
]


def paragraphs(start, count, repeat=2):
    return "".join(
        "<p>" + " ".join([SENTENCES[(start + n) % len(SENTENCES)]] * repeat) + "</p>"
        for n in range(count)
    )


def test_prose_paragraphs_leave_out_short_and_link_paragraphs():
    tree = lxml_html.document_fromstring(
        "<html><body><p>Too short.</p>"
        f"<p><a href='/x'>{SENTENCES[0]}</a></p><p>{SENTENCES[1]}</p></body></html>"
    )
    assert [paragraph.text for paragraph in recovery.prose_paragraphs(tree)] == [SENTENCES[1]]


def test_an_extraction_with_little_of_the_prose_is_unsure():
    tree = lxml_html.document_fromstring(f"<html><body>{paragraphs(0, 4)}</body></html>")
    found = recovery.prose_paragraphs(tree)
    total = sum(len(paragraph.text) for paragraph in found)
    assert recovery.is_unsure(int(total * 0.3), found)
    assert not recovery.is_unsure(int(total * 0.9), found)


def test_a_menu_does_not_read_as_prose():
    menu = " ".join(f"Section {n} News Sport Weather Contact" for n in range(80))
    assert not recovery.reads_as_prose(menu)
    assert recovery.reads_as_prose(" ".join(SENTENCES * 8))


def test_a_body_split_around_ads_is_gathered():
    page = (
        "<html><head><title>Library plans</title></head><body><article><h1>Library plans</h1>"
        f"<div class='article-body'>{paragraphs(0, 3)}</div>"
        "<div class='ad-row'><span>Advertisement</span></div>"
        f"<div class='article-body'>{paragraphs(3, 3)}</div>"
        "<div class='ad-row'><span>Advertisement</span></div>"
        f"<div class='article-body'>{paragraphs(6, 2)}</div>"
        "</article></body></html>"
    )
    result = webpage.extract_webpage(page)
    for sentence in SENTENCES:
        assert sentence in result.body_html
    assert "Advertisement" not in result.body_html


def test_twins_far_from_the_container_are_another_article():
    tree = lxml_html.document_fromstring(
        "<html><body><div><div><div><div class='story'>"
        f"{paragraphs(0, 3)}</div></div></div></div>"
        f"<section><div><div><div class='story'>{paragraphs(3, 3)}</div></div></div></section>"
        "</body></html>"
    )
    first = etree.fromstring(
        "<body>" + "".join(f"<p>{text}</p>" for text in _texts(paragraphs(0, 3))) + "</body>"
    )
    assert recovery.split_body_chunks(tree, first, recovery.prose_paragraphs(tree)) is None


def _texts(html):
    return [p.text_content() for p in lxml_html.fragments_fromstring(html)]


class _Document:
    def __init__(self, body):
        self.body = body


def test_a_page_dump_gets_a_second_opinion(monkeypatch):
    """When the first extraction is a menu, a readability-style scorer is asked."""
    menu = " ".join(f"Section {n} News Sport Weather Contact Login" for n in range(60))
    article = "".join(f"<div>{sentence} {sentence}</div>" for sentence in SENTENCES)
    page = f"<html><body><div>{menu}</div><div class='content'>{article}</div></body></html>"
    real = webpage._trafilatura
    calls = []

    def first_a_dump(tree, url, **options):
        calls.append(options)
        if len(calls) == 1:
            return _Document(etree.fromstring(f"<body><p>{menu}</p></body>"))
        return real(tree, url, **options)

    monkeypatch.setattr(webpage, "_trafilatura", first_a_dump)
    result = webpage.extract_webpage(page)
    assert calls == [{}, {"favor_recall": True}]  # the second one reads readability's pick
    assert SENTENCES[0] in result.body_html
    assert "Section 12" not in result.body_html


# --- The container of the kept paragraphs, again on its own ---------------------------------

STEPS = ["Close the valve under the sink.", "Unscrew the old tap.", "Fit the new washer."]


def _blog_post(middle):
    """A post in a container no extractor knows by name, between a menu and a footer."""
    return (
        "<html><body><div class='menu'><a href='/'>Home</a> <a href='/blog'>Blog</a></div>"
        f"<div class='row'><div class='span12 entry'>{middle}</div></div>"
        "<div class='bottom'>© The Plumbers</div></body></html>"
    )


def test_headings_and_lists_left_out_around_the_paragraphs_are_recovered():
    middle = (
        f"<h2>Before you start</h2>{paragraphs(0, 2)}<ul>"
        + "".join(f"<li>{step}</li>" for step in STEPS)
        + f"</ul><h3>Afterwards</h3>{paragraphs(2, 2)}"
    )
    result = webpage.extract_webpage(_blog_post(middle))
    for text in ["Before you start", "Afterwards", *STEPS, SENTENCES[0], SENTENCES[3]]:
        assert text in result.body_html
    assert "Home" not in result.body_html


def test_lists_in_the_cells_of_a_layout_table_are_recovered():
    cells = (
        f"<table><tr><td>{paragraphs(0, 2)}<ul>"
        + "".join(f"<li>{step}</li>" for step in STEPS)
        + f"</ul></td><td>{paragraphs(2, 2)}<ul><li>Run the water.</li>"
        "<li>Check for drips.</li></ul></td></tr></table>"
    )
    result = webpage.extract_webpage(_blog_post(cells))
    for text in [*STEPS, "Check for drips.", SENTENCES[0], SENTENCES[3]]:
        assert text in result.body_html


HEADING = "Before you start: the tools, the parts and the time it takes"


def test_the_container_is_not_read_again_when_its_structure_was_kept():
    tree = lxml_html.document_fromstring(
        f"<html><body><div class='entry'><h2>{HEADING}</h2>{paragraphs(0, 3)}</div></body></html>"
    )
    kept = etree.fromstring(
        f"<body><head rend='h2'>{HEADING}</head>"
        + "".join(f"<p>{text}</p>" for text in _texts(paragraphs(0, 3)))
        + "</body>"
    )
    assert recovery.container_page(kept, recovery.prose_paragraphs(tree)) is None
    kept.remove(kept[0])
    page = recovery.container_page(kept, recovery.prose_paragraphs(tree))
    assert page.find(".//article/div").get("class") == "entry"


def test_a_kept_paragraph_is_recognised_whatever_its_spacing():
    # The page holds the extractor's marks between inline elements; trafilatura's
    # output has plain spaces, or none where it joined two elements.
    page = lxml_html.document_fromstring(
        f"<html><body><p>{SENTENCES[0]} <em>Most</em>\u2e3b\u2e3a<em>members</em> spoke.</p>"
        "</body></html>"
    )
    found = recovery.prose_paragraphs(page)
    extraction = etree.fromstring(
        f"<body><p>{SENTENCES[0]} <hi>Most</hi><hi>members</hi> spoke.</p></body>"
    )
    assert len(recovery.kept_prose(extraction, found)) == 1


def test_a_second_chance_page_is_a_document_of_its_own_made_by_the_pages_parser():
    from newsreader.lib.extraction.webpage import _parse

    tree = _parse(f"<html><body><div class='entry'>{paragraphs(0, 3)}</div></body></html>")
    page = recovery._new_page(tree.find(".//div"))
    # Its own document: XPath from it does not search the page it came from.
    assert page.getroottree().getroot() is page
    # The page's parser, which looks elements up in C (lxml.html's calls Python).
    assert page.getroottree().parser is tree.getroottree().parser
    assert tree.getroottree().parser is not lxml_html.html_parser
