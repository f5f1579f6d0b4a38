"""Notes are written in Markdown and rendered to HTML once, when they are saved.

CommonMark, with tables, strikethrough and bare links (www.…, https://…)
made into links. Raw HTML in a note is shown as text, not interpreted. Images
are not embedded (a note would otherwise fetch from any server whenever it is
read): each becomes a link to the image with a visible "image not shown".
The rendered HTML is sanitised with an allow-list (links: http, https and
mailto only), so it is safe to show as is. The editor's preview renders
through the same function, so what it shows is what is saved.
"""

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_block.table import table as _table

MAX_NOTE_CHARS = 10_000
# Table cells a note may have in all. A table's rows are padded to its
# header's columns, so a few kilobytes of "|a|a|…" header and short lines
# ask for hundreds of thousands of cells (seconds of work); rows past the
# budget stay text.
MAX_TABLE_CELLS = 2_000

# markdown-it's commonmark preset bounds nesting (maxNesting 20): a note of
# ">>>>…" or "- - - …" cannot build the deep trees that make sanitising slow.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True}).enable(
    ["strikethrough", "table", "linkify"]
)


class _Links(LinkifyIt):
    """Bare links as GitHub makes them: with a scheme (https://…, mailto:…) or
    starting "www.". No guessing beyond that: linkify-it would otherwise make
    "setup.py" and "node.js" links to sites, and any "name@host" an e-mail."""

    def __init__(self):
        super().__init__(options={"fuzzy_link": False, "fuzzy_email": False})
        host_and_path = "^" + self.re["src_host_port_strict"] + self.re["src_path"]
        self.add("www.", {"validate": host_and_path, "normalize": self._www})

    def _www(self, match):
        match.url = "http://" + match.url


_markdown.linkify = _Links()

IMAGE_CLASS = "note-image"
NOT_SHOWN_CLASS = "note-image-note"


def _image(renderer, tokens, idx, options, env):
    """An image as a link to it, saying it is not shown (the text is its alt, else its address)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    label = _markdown.utils.escapeHtml(alt or src)
    href = _markdown.utils.escapeHtml(src)
    return (
        f'<a href="{href}" class="{IMAGE_CLASS}">{label}</a> '
        f'<span class="{NOT_SHOWN_CLASS}">(image not shown)</span>'
    )


def _no_style(renderer, tokens, idx, options, env):
    # A table column's alignment comes as style="text-align:…", which the
    # sanitiser and the CSP would drop anyway: leave it out.
    token = tokens[idx]
    if token.attrs:
        token.attrs.pop("style", None)
    return renderer.renderToken(tokens, idx, options, env)


def _bounded_table(state, start_line, end_line, silent):
    """markdown-it's table rule, given only the rows that fit MAX_TABLE_CELLS."""
    if start_line + 1 >= end_line:
        return False
    # The delimiter row ("|---|:-:|") has the table's columns; its bars bound them.
    delimiter = state.src[state.bMarks[start_line + 1] : state.eMarks[start_line + 1]].strip()
    columns = delimiter.removeprefix("|").removesuffix("|").count("|") + 1
    used = state.env.get("table_cells", 0)
    rows = (MAX_TABLE_CELLS - used) // columns
    if rows < 1:
        return False
    # The header row, the delimiter row, then as many body rows as fit.
    found = _table(state, start_line, min(end_line, start_line + 1 + rows), silent)
    if found and not silent:
        state.env["table_cells"] = used + columns * (state.line - start_line - 1)
    return found


_markdown.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})
_markdown.add_render_rule("image", _image)
for _cell in ("th_open", "td_open"):
    _markdown.add_render_rule(_cell, _no_style)

_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "s",
    "code",
    "pre",
    "a",
    "span",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_note(markdown):
    """Sanitised HTML for a note's Markdown source."""
    return nh3.clean(
        _markdown.render(markdown),
        tags=_TAGS,
        attributes={"a": {"href"}, "ol": {"start"}},
        allowed_classes={"a": {IMAGE_CLASS}, "span": {NOT_SHOWN_CLASS}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    ).strip()
