"""One small corpus, the same expected answers on SQLite and PostgreSQL (CI runs
the suite on both). The expected titles are literals: a change in either
engine's behaviour shows up as a failure on that database."""

import pytest

from articles.models import Article, ArticleNote, Reply
from search.engine import match_snippets, rank_articles
from tests.search.support import found, highlight, make_article

FERRIES = "Harbour ferries"
BATTERY = "Battery boats"
TRAMS = "Night trams"
LIBRARY = "Library hours"
FAEHREN = "Fähren im Hafen"
UNTITLED = "Untitled notes"


@pytest.fixture
def corpus(team, owner, teammate):
    make_article(
        team,
        FERRIES,
        "The harbour ferries carry eleven thousand people a day across the water. "
        "Each ferry crossing takes twelve minutes.",
    )
    battery = make_article(
        team,
        BATTERY,
        "The council voted to replace every diesel boat with a battery boat by 2030. "
        "Charging points will be built at the quay.",
    )
    trams = make_article(
        team,
        TRAMS,
        "Night trams run until four in the morning. "
        "The operator plans a new tram line over the bridge.",
    )
    library = make_article(
        team,
        LIBRARY,
        "The public libraries stay open until midnight during exam season. "
        "Students asked for quieter reading rooms.",
    )
    make_article(
        team,
        FAEHREN,
        "Die Fähren im Hafen fahren jede Stunde. Der Kapitän kennt jeden.",
        language="de",
    )
    make_article(team, UNTITLED, "Random thoughts about bicycles and e-mail lists.", language="")

    quiet = highlight(library, owner, "quieter reading rooms", "yellow")
    quiet.set_note("Ask about the ferry timetable too")
    diesel = highlight(battery, teammate, "diesel boat", "red")
    Reply(highlight=diesel, author=owner).set_body("Electric ferries are cheaper to run")
    ArticleNote(article=trams, author=owner).set_body("Compare with the harbour plan")


EVERYTHING = {FERRIES, BATTERY, TRAMS, LIBRARY, FAEHREN, UNTITLED}

QUERIES = [
    # A stemmed English word, in texts, notes and replies alike.
    ("ferry", {FERRIES, LIBRARY, BATTERY}),
    ("ferries", {FERRIES, LIBRARY, BATTERY}),
    ("libraries", {LIBRARY}),
    ("bridge trams", {TRAMS}),
    # A phrase, in order.
    ('"battery boat"', {BATTERY}),
    ('"boat battery"', set()),
    # A prefix.
    ("ferr*", {FERRIES, LIBRARY, BATTERY}),
    ("quay charg*", {BATTERY}),
    # Every word, in one thing.
    ("council battery", {BATTERY}),
    ("council midnight", set()),
    # Exclusions.
    ("harbour -ferries", {TRAMS}),
    ('harbour -"ferry crossing"', {TRAMS}),
    ("-ferry", EVERYTHING - {FERRIES, LIBRARY, BATTERY}),
    # Where to look.
    ("quieter in:highlights", {LIBRARY}),
    ("quieter in:notes", set()),
    ("quieter in:articles", {LIBRARY}),
    ("timetable in:notes", {LIBRARY}),
    ("timetable in:articles", set()),
    ("cheaper in:notes", {BATTERY}),
    ("plan in:notes", {TRAMS}),
    ("boat colour:red", {BATTERY}),
    ("boat color:blue", set()),
    # Punctuation inside a word, accents, other languages, titles.
    ("e-mail", {UNTITLED}),
    ("Fähren", {FAEHREN}),
    ("fahren hafen", {FAEHREN}),
    ("untitled", {UNTITLED}),
    ("kapitan", {FAEHREN}),
]


@pytest.mark.parametrize("q,expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_the_same_answers_on_both_databases(corpus, owner, q, expected):
    assert found(owner, q) == expected


def test_a_title_and_repeated_words_rank_first(corpus, owner):
    ranked, _ = rank_articles(owner, "ferry", Article.objects.visible_to(owner))
    titles = dict(Article.objects.values_list("pk", "title"))
    assert titles[ranked[0][0]] == FERRIES
    assert [score for _, score in ranked] == sorted((score for _, score in ranked), reverse=True)
    assert all(score > 0 for _, score in ranked)


def test_snippets_mark_the_matched_words(corpus, owner):
    ranked, _ = rank_articles(owner, "diesel", Article.objects.visible_to(owner))
    ((pk, _),) = ranked
    matches = match_snippets(owner, "diesel", [pk])[pk]
    assert {(m.kind, str(m.snippet)) for m in matches} == {
        ("highlight", "<mark>diesel</mark> boat"),
        (
            "article",
            "The council voted to replace every <mark>diesel</mark> boat with a battery boat "
            "by 2030. Charging points will be built at the quay.",
        ),
    }
