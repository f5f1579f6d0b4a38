"""What the search tests share: articles with a given text and language, and
highlights of words in them, made through the app's own workflows."""

from articles.highlighting import create_highlight
from articles.models import Article
from search.engine import rank_articles


def make_article(team, title, text, *, language="en", user=None, **fields):
    """An article with exactly this text (no extraction: the tests choose the words)."""
    return Article.objects.create(
        team=team,
        added_by=user,
        title=title,
        text=text,
        html=f"<p>{text}</p>",
        original=text.encode(),
        kind=Article.Kind.TEXT,
        extractor_version="test",
        language=language,
        **fields,
    )


def highlight(article, user, words, colour="yellow", *, visibility=None):
    start = article.text.index(words)
    return create_highlight(
        article, user, start, start + len(words), colour, visibility=visibility
    )[0]


def found(user, q, articles=None):
    """The titles of every article `q` finds for `user` (all pages)."""
    articles = Article.objects.visible_to(user) if articles is None else articles
    ranked, more = rank_articles(user, q, articles, limit=1000)
    assert not more
    titles = dict(
        Article.all_objects.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", "title")
    )
    return {titles[pk] for pk, _ in ranked}
