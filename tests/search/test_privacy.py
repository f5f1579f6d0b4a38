"""Who finds what: a private highlight's quote, note and replies match only its
author, exclusions never reveal them, and another team's entries never
come back (the library scopes the articles; snippets check the team too)."""

import pytest

from articles.models import Article, Highlight, Reply
from search.engine import match_snippets, rank_articles
from tests.search.support import found, highlight, make_article

TEXT = "The operator plans a new tram line over the bridge, then another one."


@pytest.fixture
def article(team, owner):
    return make_article(team, "Night trams", TEXT)


@pytest.fixture
def private(article, teammate):
    """The teammate's private highlight, with a note and a reply of their own."""
    h = highlight(article, teammate, "new tram line", visibility=Highlight.Visibility.PRIVATE)
    h.set_note("Secret plan about zeppelins")
    Reply(highlight=h, author=teammate).set_body("Ask the mayor about airships")
    return h


@pytest.mark.parametrize("q", ["zeppelins", "airships", '"new tram line" in:highlights'])
def test_only_the_author_matches_their_private_highlight(owner, teammate, private, q):
    assert found(teammate, q) == {"Night trams"}
    assert found(owner, q) == set()


def test_exclusions_do_not_reveal_private_words(owner, teammate, private):
    assert found(owner, "-zeppelins") == {"Night trams"}
    assert found(teammate, "-zeppelins") == set()
    assert found(owner, "bridge -airships") == {"Night trams"}
    assert found(teammate, "bridge -airships") == set()


def test_snippets_leave_private_matches_out(owner, teammate, article, private):
    assert match_snippets(owner, "zeppelins", [article.pk]) == {}
    mine = match_snippets(teammate, "zeppelins", [article.pk])[article.pk]
    assert [(m.kind, m.highlight_id) for m in mine] == [("note", private.pk)]
    assert "<mark>zeppelins</mark>" in mine[0].snippet


def test_a_highlight_made_team_wide_is_found_by_everyone(owner, teammate, private):
    private.set_visibility(Highlight.Visibility.TEAM)
    assert found(owner, "zeppelins") == {"Night trams"}
    assert found(owner, "airships") == {"Night trams"}


def test_an_outsider_finds_nothing_of_the_team(team, owner, outsider, article, private):
    make_article(outsider.memberships.get().team, "Elsewhere", "Another bridge, elsewhere.")
    assert found(outsider, "bridge") == {"Elsewhere"}
    assert found(owner, "bridge") == {"Night trams"}
    # Even given the team's articles, an outsider's snippets stay empty.
    assert match_snippets(outsider, "bridge", [article.pk]) == {}


def test_the_articles_queryset_is_the_scope(team, other_team, owner, article):
    theirs = make_article(other_team, "Elsewhere", "Another bridge, elsewhere.")
    ours = Article.objects.filter(team=team)
    ranked, _ = rank_articles(owner, "bridge", ours)
    assert [pk for pk, _ in ranked] == [article.pk]
    ranked, _ = rank_articles(owner, "-operator", ours)
    assert theirs.pk not in [pk for pk, _ in ranked]


def test_anonymous_users_find_nothing(article):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert rank_articles(anonymous, "bridge", Article.objects.visible_to(anonymous)) == ([], False)
    assert rank_articles(anonymous, "-x", Article.objects.visible_to(anonymous)) == ([], False)
    assert match_snippets(anonymous, "bridge", [article.pk]) == {}
