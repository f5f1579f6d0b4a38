"""Re-extraction keeps highlights: moved with the text, or orphaned, never lost."""

from articles import originals
from articles.highlighting import create_highlight
from articles.models import Article, Highlight
from articles.originals import create_article, reextract_article

NOTE = """# Harbour notes

The ferries carry eleven thousand people a day across the water.

The council voted to replace every diesel boat with a battery boat by 2030.

Opponents said the money would be better spent on a second bridge.
"""


def highlight(article, user, words, colour="yellow"):
    start = article.text.index(words)
    return create_highlight(article, user, start, start + len(words), colour)[0]


def replace_original(article, text):
    Article.objects.filter(pk=article.pk).update(original=text.encode())
    article.refresh_from_db()


def test_highlights_follow_their_words_when_text_is_inserted_before(team, owner):
    article = create_article(team, NOTE, filename="notes.md")
    h = highlight(article, owner, "battery boat")
    replace_original(
        article, NOTE.replace("# Harbour notes\n", "# Harbour notes\n\nA new first paragraph.\n")
    )
    result = reextract_article(article)
    h.refresh_from_db()
    assert (result.moved, result.orphaned) == (1, 0)
    assert article.text[h.start : h.end] == "battery boat"
    assert not h.is_orphan


def test_a_highlight_in_a_removed_paragraph_becomes_an_orphan(team, owner):
    article = create_article(team, NOTE, filename="notes.md")
    gone = highlight(article, owner, "second bridge", "red")
    kept = highlight(article, owner, "eleven thousand people")
    replace_original(
        article,
        NOTE.replace("Opponents said the money would be better spent on a second bridge.\n", ""),
    )
    result = reextract_article(article)
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert result.orphaned == 1
    assert gone.is_orphan and gone.exact == "second bridge" and gone.colour == "red"
    assert article.text[kept.start : kept.end] == "eleven thousand people"
    assert Highlight.objects.count() == 2


def test_an_unchanged_text_keeps_every_highlight_in_place(team, owner):
    article = create_article(team, NOTE, filename="notes.md")
    h = highlight(article, owner, "diesel boat")
    before = (h.start, h.end)
    result = reextract_article(article)
    h.refresh_from_db()
    assert result.kept == 1 and (h.start, h.end) == before


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


def test_reextraction_anchors_again_when_a_highlight_appears_meanwhile(team, owner, monkeypatch):
    note = "# Notes\n\nThe ferries carry eleven thousand people a day.\n\nThe council voted.\n"
    article = create_article(team, note, filename="n.md")
    Article.objects.filter(pk=article.pk).update(
        original=("# Notes\n\nNew first line.\n\n" + note[9:]).encode()
    )
    article.refresh_from_db()
    real_plan, calls = originals.plan_reanchoring, []

    def plan_then_someone_highlights(highlights, text, old_length):
        calls.append(len(highlights))
        if len(calls) == 1:  # a teammate highlights while we anchor
            create_highlight(article, owner, *span(article, "eleven thousand"), "green")
        return real_plan(highlights, text, old_length)

    monkeypatch.setattr(originals, "plan_reanchoring", plan_then_someone_highlights)
    reextract_article(article)
    assert calls == [0, 1]
    highlight = Highlight.objects.get()
    article.refresh_from_db()
    assert article.text[highlight.start : highlight.end] == "eleven thousand"
