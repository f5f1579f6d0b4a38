"""The engine the library calls (search/engine.py): pages, scores, snippets, and
that no input, however hostile, fails in either database."""

import pytest
from django.db import connection
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, ArticleNote, Tag
from search.engine import MAX_NOTE_MATCHES, match_snippets, rank_articles, render_snippet
from search.index import MARK_END, MARK_START
from search.models import SearchEntry
from search.query import parse
from tests.search.support import highlight, make_article

HOSTILE = [
    "",
    '"',
    '"""',
    'ferry"',
    "*",
    "-",
    "--ferry",
    "-*",
    'NEAR("ferry" "boat", 2)',
    "NEAR(",
    "AND OR NOT",
    "ferry OR boat",
    "^ferry",
    "title:ferry",
    "body:",
    "{title body}: ferry",
    "ferry:*",
    "'ferry' & !boat | (x",
    "ferry <-> boat",
    "a\\b",
    "\x00",
    "ferry\x00boat",
    "😀 🚢",
    "x" * 10_000,
    "ferry " * 5_000,
    "-ferry " * 100,
    "tag:" + "x" * 500,
    "\ud800",
    "\ue000ferry\ue001",
    "in:notes in:highlights colour:' OR 1=1 --",
    "is:unread",
    ")))(((",
    "%s %(x)s %%",
]


def ranked_ids(user, q, articles=None, **kwargs):
    articles = Article.objects.visible_to(user) if articles is None else articles
    ranked, more = rank_articles(user, q, articles, **kwargs)
    return [pk for pk, _ in ranked], more


@pytest.fixture
def many(team):
    """25 articles with the same text: equal scores, so newest id first."""
    return [make_article(team, f"Story {n}", "The ferry crossing at dawn.") for n in range(25)]


def test_pages_follow_each_other_newest_first_among_equals(owner, many):
    ids = sorted((a.pk for a in many), reverse=True)
    assert ranked_ids(owner, "ferry", limit=10) == (ids[:10], True)
    assert ranked_ids(owner, "ferry", offset=10, limit=10) == (ids[10:20], True)
    assert ranked_ids(owner, "ferry", offset=20, limit=10) == (ids[20:], False)
    assert ranked_ids(owner, "ferry", offset=100) == ([], False)


def test_the_library_queryset_may_carry_annotations_and_filters(team, owner, many):
    tag = Tag.objects.create(team=team, name="long reads")
    many[3].tags.add(tag)
    articles = (
        Article.objects.visible_to(owner)
        .annotate(highlight_total=Count("highlights"))
        .for_list()
        .filter(tags__name="long reads")
    )
    assert ranked_ids(owner, "ferry", articles) == ([many[3].pk], False)
    # A slice is a scope too.
    newest_two = Article.objects.visible_to(owner).order_by("-id")[:2]
    assert ranked_ids(owner, "ferry", newest_two) == ([many[24].pk, many[23].pk], False)


def test_without_text_the_page_keeps_the_librarys_order(owner, team, many):
    other = make_article(team, "Elsewhere", "The tram at night.")
    articles = Article.objects.visible_to(owner).order_by("title", "id")
    everything = list(articles.values_list("pk", flat=True))
    assert ranked_ids(owner, "", articles, limit=100) == (everything, False)
    assert ranked_ids(owner, "tag:x", articles, limit=100) == (everything, False)
    ranked, more = rank_articles(owner, "-ferry", articles, limit=5)
    assert ranked == [(other.pk, 0.0)] and not more
    ranked, more = rank_articles(owner, "-tram", articles, offset=5, limit=5)
    assert [pk for pk, _ in ranked] == everything[6:11] and more


def test_an_excluded_word_in_a_highlight_or_note_excludes_the_article(team, owner, teammate):
    article = make_article(team, "Ferries", "The ferry crossing at dawn.")
    make_article(team, "Trams", "The tram crossing at dawn.")
    assert ranked_ids(owner, "crossing -diesel")[0] == ranked_ids(owner, "crossing")[0]
    highlight(article, teammate, "ferry crossing").set_note("Still diesel")
    assert ranked_ids(owner, "crossing -diesel")[0] == [article.pk + 1]


def test_a_title_only_match_still_shows_the_text(team, owner):
    article = make_article(team, "Zeppelins", "Airships return to the city skyline.")
    matches = match_snippets(owner, "zeppelins", [article.pk])[article.pk]
    assert [(m.kind, str(m.snippet)) for m in matches] == [
        ("article", "Airships return to the city skyline.")
    ]


def test_snippets_are_escaped_text_with_marks_only(team, owner):
    text = (
        "Before <script>alert('x')</script> & after, the ferry "
        f"crossing {MARK_START}not a mark{MARK_END} ends."
    )
    article = make_article(team, "Escapes", text)
    (match,) = match_snippets(owner, "ferry", [article.pk])[article.pk]
    assert str(match.snippet) == (
        "Before &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; after, the "
        "<mark>ferry</mark> crossing not a mark ends."
    )
    assert SearchEntry.objects.get(article=article).body.count(MARK_START) == 0


def test_a_long_text_gets_a_window_around_the_match(team, owner):
    words = " ".join(f"word{n}" for n in range(200))
    article = make_article(team, "Long", f"{words} the ferry crossing {words}")
    (match,) = match_snippets(owner, "ferry", [article.pk])[article.pk]
    text = str(match.snippet)
    assert "<mark>ferry</mark>" in text
    assert text.startswith("…") and text.endswith("…")
    assert 20 <= len(text.split()) <= 40


def test_one_text_snippet_and_a_few_notes_per_article_best_first(team, owner, teammate):
    article = make_article(
        team, "Ferries", "One ferry. Two ferry. Three ferry. Four ferry. Five ferry. Six."
    )
    for n, words in enumerate(
        ["One ferry", "Two ferry", "Three ferry", "Four ferry", "Five ferry"]
    ):
        highlight(article, teammate, words, colour="green" if n % 2 else "yellow")
    ArticleNote(article=article, author=owner).set_body("A ferry note")
    matches = match_snippets(owner, "ferry", [article.pk])[article.pk]
    assert [m.kind for m in matches].count("article") == 1
    assert len(matches) == 1 + MAX_NOTE_MATCHES
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    quotes = match_snippets(owner, "ferry in:highlights colour:green", [article.pk])[article.pk]
    assert {(m.kind, m.colour) for m in quotes} == {("highlight", "green")}
    assert all(m.highlight_id == m.object_id for m in quotes) and len(quotes) == 2
    assert {m.author_id for m in quotes} == {teammate.pk}


def test_snippets_need_text_and_ids(team, owner):
    article = make_article(team, "Ferries", "The ferry.")
    assert match_snippets(owner, "-ferry", [article.pk]) == {}
    assert match_snippets(owner, "ferry", []) == {}
    assert match_snippets(owner, "tram", [article.pk]) == {}


def test_a_huge_text_is_indexed_up_to_the_limit(team, owner):
    # 1.6 million characters of distinct words: past PostgreSQL's 1 MB tsvector.
    words = " ".join(f"w{n:07d}" for n in range(200_000))
    article = make_article(team, "Huge", f"ferry {words} tramway")
    assert ranked_ids(owner, "ferry")[0] == [article.pk]
    assert ranked_ids(owner, "tramway")[0] == []


def test_render_snippet_balances_marks():
    assert render_snippet(f"a {MARK_START}b{MARK_END} c") == "a <mark>b</mark> c"
    assert render_snippet(f"{MARK_END}a {MARK_START}b") == "a <mark>b</mark>"
    assert render_snippet(f"{MARK_START}{MARK_START}a{MARK_END}{MARK_END}") == "<mark>a</mark>"
    assert render_snippet("  a\n\n b  ") == "a b"


@pytest.fixture
def searchable(team, owner, teammate):
    article = make_article(team, "Ferries", 'The ferry crossing at dawn, "quoted" & more.')
    highlight(article, teammate, "ferry crossing").set_note("Note: *why* NEAR the quay?")
    return article


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_give_an_ordinary_answer(owner, searchable, q):
    ranked, more = rank_articles(owner, q, Article.objects.visible_to(owner))
    assert isinstance(ranked, list) and more in (True, False)
    assert isinstance(match_snippets(owner, q, [searchable.pk]), dict)


QUERY_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            list("\"*-:()^+~<>!&|'\\ _.,;") + ["NEAR", "AND", "OR", "NOT", "ferry", "in:", "ab"]
        ),
        max_size=30,
    ).map("".join),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=QUERY_TEXT)
def test_any_query_runs_in_the_database(owner, searchable, q):
    query = parse(q)
    with connection.cursor() as cursor:
        # Each rendering, straight to the database, must be valid syntax there.
        for negated in (False, True):
            if connection.vendor == "sqlite":
                expression = query.fts5_match(negated=negated)
                if expression:
                    cursor.execute(
                        "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [expression]
                    )
            else:
                text = query.tsquery_text(negated=negated)
                if text:
                    for config in ("english", "german", "simple"):
                        cursor.execute("SELECT to_tsquery(%s::regconfig, %s)", [config, text])
    rank_articles(owner, query, Article.objects.visible_to(owner))
    match_snippets(owner, query, [searchable.pk])
