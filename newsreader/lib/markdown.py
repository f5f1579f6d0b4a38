"""Notes are written in Markdown and rendered to HTML once, when they are saved.

Raw HTML in a note is shown as text, not interpreted; the rendered HTML is
sanitised with a small allow-list (links: http, https and mailto only), so it
is safe to show as is.
"""

import nh3
from markdown_it import MarkdownIt

MAX_NOTE_CHARS = 10_000

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(
    "strikethrough"
)
_TAGS = {"p", "br", "em", "strong", "del", "code", "pre", "a", "ul", "ol", "li", "blockquote"}


def render_note(markdown):
    """Sanitised HTML for a note's Markdown source."""
    return nh3.clean(
        _markdown.render(markdown),
        tags=_TAGS,
        attributes={"a": {"href"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    ).strip()
