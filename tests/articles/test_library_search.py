"""Searching from the library: the results page, its operators combined with the
filters, privacy and team scope, sorting and paging (search/ does the matching)."""

import pytest
from django.db import connection
from django.urls import reverse

from articles import reading
from articles.highlighting import create_highlight
from articles.models import ArticleNote, Reply, Tag
from tests.factories import make_article

URL = reverse("articles:library")


def titles(response):
    assert response.status_code == 200
    return [article.title for article in response.context["page"].cards]


def words_highlight(article, user, word, **options):
    start = article.text.index(word)
    return create_highlight(article, user, start, start + len(word), "yellow", **options)[0]


@pytest.fixture
def corpus(team, other_team, owner, teammate, outsider):
    harbour = make_article(team, "Harbour", paragraphs=2)
    council = make_article(team, "Council minutes", paragraphs=1)
    elsewhere = make_article(other_team, "Elsewhere keepers", paragraphs=1)
    noted = words_highlight(harbour, teammate, "eleven thousand")
    noted.set_note("Ask the lighthouse keepers.")
    Reply(highlight=noted, author=owner).set_body("The keepers know the ferry times.")
    secret = words_highlight(council, teammate, "battery boat", visibility="private")
    secret.set_note("Confidential cormorant count.")
    ArticleNote(article=council, author=owner).set_body("Minutes mention a pelican.")
    hidden = words_highlight(elsewhere, outsider, "harbour")
    hidden.set_note("keepers elsewhere")
    return {"harbour": harbour, "council": council, "noted": noted, "secret": secret}


def test_a_note_word_finds_the_highlight_and_links_to_it(client, owner, corpus):
    client.force_login(owner)
    response = client.get(URL, {"q": "keepers"})
    assert titles(response) == ["Harbour"]
    [card] = response.context["page"].cards
    kinds = {match.kind for match in card.matches}
    assert {"note", "reply"} <= kinds
    html = response.content.decode()
    noted = corpus["noted"]
    assert f'href="/articles/{corpus["harbour"].pk}/#hl-{noted.pk}"' in html
    assert "<mark>keepers</mark>" in html
    assert "Results for “keepers”, best first." in html


def test_others_private_highlights_and_other_teams_never_match(client, owner, teammate, corpus):
    client.force_login(owner)
    assert titles(client.get(URL, {"q": "cormorant"})) == []
    assert titles(client.get(URL, {"q": "elsewhere"})) == []
    client.force_login(teammate)
    assert titles(client.get(URL, {"q": "cormorant"})) == ["Council minutes"]


def test_article_notes_and_in_operator(client, owner, corpus):
    client.force_login(owner)
    assert titles(client.get(URL, {"q": "pelican"})) == ["Council minutes"]
    assert titles(client.get(URL, {"q": "in:highlights pelican"})) == []
    assert titles(client.get(URL, {"q": "in:notes pelican"})) == ["Council minutes"]
    # "harbour" is in both texts, but in no note of this team.
    assert titles(client.get(URL, {"q": "in:notes harbour"})) == []


def test_operators_and_filters_combine(client, owner, teammate, team, corpus):
    harbour, council = corpus["harbour"], corpus["council"]
    harbour.tags.add(Tag.objects.create(team=team, name="Long reads"))
    client.force_login(owner)
    assert set(titles(client.get(URL, {"q": "ferries"}))) == {"Harbour", "Council minutes"}
    assert titles(client.get(URL, {"q": 'ferries tag:"long reads"'})) == ["Harbour"]
    assert titles(client.get(URL, {"q": "ferries", "tag": "Long reads"})) == ["Harbour"]
    by = f"by:{teammate.get_username()}"
    # The teammate's highlight on the council minutes is private: not theirs to show me.
    assert titles(client.get(URL, {"q": f"ferries {by}"})) == ["Harbour"]
    reading.act(harbour, owner, "star")
    assert titles(client.get(URL, {"q": "ferries is:starred"})) == ["Harbour"]
    reading.act(council, owner, "archive")
    assert titles(client.get(URL, {"q": "ferries"})) == ["Harbour"]
    assert set(titles(client.get(URL, {"q": "ferries", "state": "all"}))) == {
        "Harbour",
        "Council minutes",
    }
    assert titles(client.get(URL, {"q": "ferries is:archived"})) == ["Council minutes"]


def test_exclusions_phrases_and_prefixes(client, owner, corpus):
    client.force_login(owner)
    assert titles(client.get(URL, {"q": "ferries -keepers"})) == ["Council minutes"]
    assert titles(client.get(URL, {"q": "-keepers"})) == ["Council minutes"]
    assert titles(client.get(URL, {"q": '"lighthouse keepers"'})) == ["Harbour"]
    assert titles(client.get(URL, {"q": '"keepers lighthouse"'})) == []
    assert titles(client.get(URL, {"q": "lighth*"})) == ["Harbour"]


def test_a_search_sorted_by_title_keeps_its_snippets(client, owner, corpus, settings):
    settings.ARTICLES_PER_PAGE = 1
    client.force_login(owner)
    first = client.get(URL, {"q": "ferries", "sort": "title"})
    assert titles(first) == ["Council minutes"]
    assert first.context["page"].cards[0].matches
    assert "best first" not in first.content.decode()
    second = client.get(URL, {"q": "ferries", "sort": "title", "after": first.context["page"].next})
    assert titles(second) == ["Harbour"]
    assert second.context["page"].next is None


def test_ranked_results_page_by_position(client, owner, team, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(team, f"Story {n}", paragraphs=1)
    client.force_login(owner)
    seen, response = [], client.get(URL, {"q": "ferries"})
    while True:
        seen += titles(response)
        page = response.context["page"]
        if not page.next:
            break
        response = client.get(URL, {"q": "ferries", "after": page.next})
    assert sorted(seen) == [f"Story {n}" for n in range(5)]
    back = client.get(URL, {"q": "ferries", "after": response.context["page"].previous})
    assert len(titles(back)) == 2


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "NEAR(",
        "AND OR NOT",
        "title:x",
        "^",
        "-",
        "tag:",
        "🚢 ferries",
        "x" * 499,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "colour:purple ferries",
        "by:nobody ferries",
        "is:nonsense",
    ],
)
def test_hostile_queries_answer_normally(client, owner, corpus, q):
    client.force_login(owner)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_a_nul_in_the_query_is_a_clear_400(client, owner, corpus):
    # Refused before any view (newsreader/middleware.py refuse_nul): PostgreSQL's
    # text cannot hold one, and no browser's form sends one.
    client.force_login(owner)
    response = client.get(URL, {"q": "\x00ferries"})
    assert response.status_code == 400


def test_htmx_search_gets_the_list(client, owner, corpus):
    client.force_login(owner)
    response = client.get(URL, {"q": "keepers"}, headers={"HX-Request": "true"})
    assert response.content.lstrip().startswith(b'<div id="article-list"')
    assert b"<mark>keepers</mark>" in response.content


def test_search_queries_do_not_grow_with_results(
    client, owner, team, settings, django_assert_num_queries
):
    settings.ARTICLES_PER_PAGE = 10
    client.force_login(owner)
    make_article(team, "One", paragraphs=1)
    # PostgreSQL also looks up the text search configurations in use, for ranking
    # and snippets.
    with django_assert_num_queries(16 if connection.vendor == "sqlite" else 17) as few:
        client.get(URL, {"q": "ferries"})
    for n in range(12):
        make_article(team, f"More {n}", paragraphs=1)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(titles(client.get(URL, {"q": "ferries"}))) == 10


def test_a_very_common_word_ranks_its_newest_matches_but_never_loses_results(
    client, owner, team, settings, monkeypatch
):
    from search import engine

    monkeypatch.setattr(engine, "NEWEST_RANKED", 3)
    for n in range(6):
        make_article(team, f"Story {n}", paragraphs=1)
    client.force_login(owner)
    settings.ARTICLES_PER_PAGE = 2
    # More than 3 match: the first page is ranked among the newest 3.
    first = titles(client.get(URL, {"q": "ferries"}))
    assert set(first) <= {"Story 5", "Story 4", "Story 3"}
    # A page the newest leave short is ranked from all of them.
    settings.ARTICLES_PER_PAGE = 20
    assert sorted(titles(client.get(URL, {"q": "ferries"}))) == [f"Story {n}" for n in range(6)]
