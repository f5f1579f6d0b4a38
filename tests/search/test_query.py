"""The search box's language (search/query.py): what each construct means, and
that no input makes it raise. Pure Python: no database."""

from hypothesis import given
from hypothesis import strategies as st

from search.query import MAX_TERMS, Term, parse

# Characters that mean something to the parser or to either database.
SYNTAX = st.lists(
    st.sampled_from(
        list("\"*-:()^+~<>!&|'\\ \t\n_.,;#@")
        + ["NEAR", "AND", "OR", "NOT", "tag", "in", "is", "by", "ab", "é", "日本", "\x00", "😀"]
    )
).map("".join)


def terms(q):
    return [(t.text, t.phrase, t.prefix, t.negated) for t in parse(q).terms]


def test_bare_words_are_all_required():
    query = parse("ferry  council")
    assert terms("ferry  council") == [
        ("ferry", False, False, False),
        ("council", False, False, False),
    ]
    assert query.fts5_match() == '"ferry" AND "council"'
    assert query.tsquery_text() == "('ferry') & ('council')"
    assert query.has_text


def test_quotes_make_a_phrase():
    assert terms('"battery  boats" ferry') == [
        ("battery boats", True, False, False),
        ("ferry", False, False, False),
    ]
    assert parse('"battery boats"').tsquery_text() == "('battery' <-> 'boats')"


def test_an_unbalanced_quote_runs_to_the_end():
    assert terms('ferry "battery boats') == [
        ("ferry", False, False, False),
        ("battery boats", True, False, False),
    ]


def test_a_star_makes_a_prefix_of_two_letters_or_more():
    assert terms("ferr*") == [("ferr", False, True, False)]
    assert parse("ferr*").fts5_match() == '"ferr"*'
    assert parse("ferr*").tsquery_text() == "('ferr':*)"
    assert terms('"harbour fer"*') == [("harbour fer", True, True, False)]
    assert parse('"harbour fer"*').tsquery_text() == "('harbour' <-> 'fer':*)"
    assert terms("f*") == [("f", False, False, False)]
    assert terms("*") == [] and terms("**") == []


def test_a_minus_excludes():
    query = parse('ferry -diesel -"old fleet"')
    assert [t.negated for t in query.terms] == [False, True, True]
    assert query.fts5_match(negated=True) == '"diesel" OR "old fleet"'
    assert query.tsquery_text(negated=True) == "('diesel') | ('old' <-> 'fleet')"
    assert terms("- ferry") == [("ferry", False, False, False)]


def test_only_exclusions_have_no_text():
    query = parse("-ferry")
    assert not query.has_text and query.fts5_match() is None and query.tsquery_text() is None
    assert query.fts5_match(negated=True) == '"ferry"'
    assert not parse("").has_text and not parse("tag:x").has_text


def test_punctuation_inside_a_word_makes_a_phrase():
    assert terms("e-mail") == [("e mail", True, False, False)]
    assert terms("don't") == [("don t", True, False, False)]
    assert terms("(ferry)") == [("ferry", False, False, False)]
    assert terms("...") == []


def test_words_are_letters_digits_and_marks_in_any_script():
    assert terms("Zürich 2030 東京 Straße") == [
        ("Zürich", False, False, False),
        ("2030", False, False, False),
        ("東京", False, False, False),
        ("Straße", False, False, False),
    ]
    # A combining accent stays on its letter; alone it is no word.
    assert terms("cafe\u0301 \u0301") == [("cafe\u0301", False, False, False)]
    assert terms("😀 ✓") == []


def test_field_operators_collect_their_values():
    query = parse('tag:x tag:"long reads" site:example.com by:tariq colour:Red color:blue ferry')
    assert query.fields == {
        "tag": ["x", "long reads"],
        "site": ["example.com"],
        "by": ["tariq"],
        "colour": ["red", "blue"],
    }
    assert terms("tag:x ferry") == [("ferry", False, False, False)]


def test_is_and_in_take_their_own_values():
    query = parse("is:unread is:Starred in:notes in:highlight in:ARTICLES")
    assert query.fields == {
        "is": ["unread", "starred"],
        "in": ["notes", "highlights", "articles"],
    }
    assert parse("in:notes").kinds == ["article_note", "note", "reply"]
    assert parse("in:highlights in:articles").kinds == ["article", "highlight"]
    assert parse("ferry").kinds is None


def test_what_is_not_an_operator_is_words():
    assert terms("foo:bar") == [("foo bar", True, False, False)]
    assert terms("is:bogus") == [("is bogus", True, False, False)]
    assert terms("in:everything") == [("in everything", True, False, False)]
    assert terms("tag:") == [("tag", False, False, False)]
    assert terms("-tag:x") == [("tag x", True, False, True)]
    assert terms("title:ferry") == [("title ferry", True, False, False)]


def test_database_syntax_is_only_words():
    assert parse("NEAR(ferry council)").fts5_match() == '"NEAR ferry" AND "council"'
    assert parse("AND OR NOT").fts5_match() == '"AND" AND "OR" AND "NOT"'
    assert parse("^ferry").fts5_match() == '"ferry"'
    assert parse("'ferry' & !council").tsquery_text() == "('ferry') & ('council')"


def test_repeats_are_kept_once_and_terms_are_capped():
    assert len(parse("ferry ferry").terms) == 1
    query = parse(" ".join(f"w{n}" for n in range(100)))
    assert len(query.terms) == MAX_TERMS
    assert len(parse("x" * 10_000).terms[0].text) == 1000


def test_control_characters_and_surrogates_separate_words():
    assert terms("fer\x00ry a\ud800b") == [
        ("fer", False, False, False),
        ("ry", False, False, False),
        ("a", False, False, False),
        ("b", False, False, False),
    ]
    assert parse("tag:a\x00b").fields == {"tag": ["a"]}


@given(st.one_of(st.text(), SYNTAX))
def test_any_text_parses_into_safe_terms(q):
    query = parse(q)
    assert len(query.terms) <= MAX_TERMS
    for term in query.terms:
        assert isinstance(term, Term) and term.text
        assert all(word and word.strip() == word for word in term.words)
        # Nothing either database would read as syntax inside the quotes.
        assert not set(term.text) & set("\"'\\\x00:*")
    for rendered in (query.fts5_match(), query.tsquery_text(), query.fts5_match(negated=True)):
        assert rendered is None or rendered
    for values in query.fields.values():
        assert values and all(value and "\x00" not in value for value in values)
