"""Turning a file, page or text into an article (articles/originals.py)."""

import pytest

from articles.models import Article
from articles.originals import create_article, reextract_article
from newsreader.lib.extraction import ExtractionError

PAGE = (
    '<html><head><meta charset="iso-8859-1"><title>Café</title></head><body><article>'
    + "<p>Le café “au lait” est servi sur la terrasse chaque matin, dit-on. " * 8
    + "</p></article></body></html>"
)


def test_the_original_is_kept_byte_for_byte(team, owner):
    data = PAGE.encode("cp1252")
    article = create_article(team, data, user=owner, url="https://cafe.example.fr/a")
    article.refresh_from_db()
    assert bytes(article.original) == data
    assert article.original_charset == "windows-1252"
    assert article.kind == "html"
    assert "café “au lait”" in article.text
    assert article.added_by == owner
    assert article.extractor_version


def test_text_given_as_a_string_is_stored_as_utf8_and_says_so(team):
    article = create_article(team, PAGE, content_type="text/html")
    assert bytes(article.original) == PAGE.encode("utf-8")
    assert article.original_content_type == "text/html; charset=utf-8"
    # The page's own (wrong) <meta charset> does not win over what we know.
    assert article.original_charset == "utf-8"
    assert "café “au lait”" in article.text


def test_reextraction_gives_the_same_result(team):
    article = create_article(team, PAGE.encode("cp1252"), url="https://cafe.example.fr/a")
    html, text = article.html, article.text
    reextract_article(article)
    article.refresh_from_db()
    assert (article.html, article.text) == (html, text)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "not a url"])
def test_a_bad_source_url_is_refused_before_anything_is_written(team, url):
    with pytest.raises(ExtractionError, match="Not an http"):
        create_article(team, PAGE, url=url)
    assert not Article.objects.exists()


def test_an_empty_input_writes_nothing(team):
    with pytest.raises(ExtractionError):
        create_article(team, b"")
    assert not Article.objects.exists()
