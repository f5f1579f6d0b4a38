"""Small builders for tests: articles go through the real extraction."""

from articles.originals import create_article

PARAGRAPH = (
    "The harbour ferries carry eleven thousand people a day across the water, "
    "and the council has voted to replace every one of them with a battery boat. "
)


def make_article(team, title="A story", *, paragraphs=3, user=None, url=""):
    # Markdown keeps these tests independent of the web page heuristics.
    markdown = f"# {title}\n\n" + "\n\n".join(
        f"{PARAGRAPH} Paragraph {n}." for n in range(paragraphs)
    )
    return create_article(team, markdown, user=user, url=url, filename="story.md")
