"""The reader's panel entries, rendered once for everyone who sees the same
highlights, and made personal per request.

A team's readers of an article mostly see the same highlights: rendering the
panel once per annotation version for all of them (articles/highlighting.py
annotation_fragments) is what keeps a busy team's reader cheap. What differs
between them is small: which entries are their own (the "Edit" link instead
of "Reply", their notes' editors, "Only mine" in the filter). The shared
render marks those parts with slots that name the author, and personalise()
keeps or drops each for the user at hand.

The entries are written here rather than in the template: a panel with 1,000
highlights through the template language took ~200 ms, most of the reader's
cold render; this takes a few.
"""

import re
import unicodedata
from html import escape
from urllib.parse import quote as _urlencode  # the urlencode filter

from django.urls import reverse
from django.utils.text import Truncator

from newsreader.lib.colours import HIGHLIGHT_COLOURS

# Made of NUL, which stored content may still hold (rows written before the
# checks on input, or through a path without one): every stored value the
# shared panel shows goes through _esc() or inert(), which replace it, so a
# note, a reply, a tag or a name cannot open or close a slot for a teammate.
# A slot holds what only some readers see: its author (mine), everyone else
# (theirs), readers who may write (writers), or both at once (own controls).
_MINE = "\x00mine:{}\x00"
_THEIRS = "\x00theirs:{}\x00"
WRITERS = "\x00w\x00"
_WRITER_MINE = "\x00wm:{}\x00"
_WRITER_THEIRS = "\x00wt:{}\x00"
SLOT_END = "\x00end\x00"
# Where the list of entries starts and ends, and each entry (for articles/live.py).
ITEMS_START, ITEMS_END, ITEM_BREAK = "\x00items\x00", "\x00/items\x00", "\x00item\x00"
_MARKERS = re.compile("\x00(?:(?:mine|theirs|wm|wt):[0-9]*|w|end|items|/items|item)\x00")
_WRITER_SLOTS = re.compile("\x00(?:w|wm:[0-9]*|wt:[0-9]*)\x00.*?\x00end\x00", re.DOTALL)

COLOUR_LABELS = dict(HIGHLIGHT_COLOURS)
QUOTE_CHARS = 160  # what the panel shows of a quote


def mine(author_id, html=""):
    """`html` for `author_id` only (with no `html`: the opening of such a slot)."""
    return _slot(_MINE, author_id, html)


def theirs(author_id, html=""):
    """`html` for everyone but `author_id`."""
    return _slot(_THEIRS, author_id, html)


def writer_mine(author_id, html=""):
    """`html` for `author_id` while they may write."""
    return _slot(_WRITER_MINE, author_id, html)


def writer_theirs(author_id, html=""):
    """`html` for everyone else who may write."""
    return _slot(_WRITER_THEIRS, author_id, html)


def _slot(opening, author_id, html):
    opening = opening.format(author_id or "")
    return f"{opening}{html}{SLOT_END}" if html else opening


def personalise(html, user_id, can_write):
    """The shared panel as `user_id` sees it: their own parts kept, others' dropped,
    the writers' parts kept only if they may write (and the markers of
    articles/live.py gone)."""
    # A few passes in the regex engine, no Python per slot: a panel of 1,000
    # entries has 2,000 of them.
    me = int(user_id)
    own, others = ("mine|wm", "theirs|wt") if can_write else ("mine", "theirs")
    if not can_write:
        html = _WRITER_SLOTS.sub("", html)
    html = re.sub(f"\x00(?:{own}):(?!{me}\x00)[0-9]*\x00.*?\x00end\x00", "", html, flags=re.DOTALL)
    html = re.sub(f"\x00(?:{others}):{me}\x00.*?\x00end\x00", "", html, flags=re.DOTALL)
    return _MARKERS.sub("", html)


def inert(value):
    """`value` with no NUL: stored text or HTML that cannot forge a slot's marker."""
    return value.replace("\x00", "\ufffd")


def _esc(value):
    return inert(escape(value))


def _quote(exact):
    # Django's truncatechars, without its cost (a loop over every character, for
    # combining marks) where there can be none.
    if len(exact) <= QUOTE_CHARS:
        quote = unicodedata.normalize("NFC", exact)
    elif exact.isascii():
        quote = exact[: QUOTE_CHARS - 1] + "…"
    else:
        quote = Truncator(exact).chars(QUOTE_CHARS)
    return _esc(quote)


def author_name(entry):
    return entry.author_name or "former member"


def entries_html(entries, *, orphans=False):
    """The <li> of each highlight (rows from highlighting._panel_rows), joined.

    The same markup as the reader always had, entry by entry: the quote (a link
    to its mark, unless an orphan), its note and tags, who wrote it with the
    link to its thread, and its replies.
    """
    detail = reverse("articles:highlight-detail", args=[0])[: -len("0/")]
    notebook = reverse("articles:notebook")
    parts = []
    add = parts.append
    for entry in entries:
        pk = entry.pk
        add(f'{ITEM_BREAK}<li class="highlight-item" id="item-{pk}">\n')
        if entry.removed_at is not None:
            add('    <p class="removed">Highlight removed by a moderator.</p>\n')
        else:
            colour = entry.colour
            label = COLOUR_LABELS.get(colour, colour)
            if orphans:
                add(
                    f'      <p class="highlight-quote hl-{colour}"><span class="colour-label">'
                    f"{label}</span><q>{_quote(entry.exact)}</q></p>\n"
                )
            else:
                private = " · only you" if entry.visibility == "private" else ""
                add(
                    f'      <a class="highlight-quote hl-{colour}" href="#hl-{pk}" '
                    f'data-highlight-link="{pk}"><span class="colour-label">{label}{private}'
                    f"</span><q>{_quote(entry.exact)}</q></a>\n"
                )
            if entry.note_html:
                add(f'    <div class="note">{inert(entry.note_html)}</div>\n')
            if entry.tags:
                links = "".join(
                    f'<li><a href="{notebook}?tag={_urlencode(name)}">{_esc(name)}</a></li>'
                    for name in entry.tags
                )
                add(f'    <ul class="tags" aria-label="Tags of the highlight">{links}</ul>\n')
        name = entry.author_name
        initial = _esc(name[:1].upper()) if name else "?"
        add(
            f'  <p class="highlight-meta"><span class="initials" aria-hidden="true">{initial}'
            f"</span>{_esc(author_name(entry))}"
        )
        # The thread link, for readers who may write: "Reply", or their own controls.
        add(f'{WRITERS} · <a href="{detail}{pk}/" data-edit-highlight="{pk}">{SLOT_END}')
        if entry.removed_at is None and entry.author_id is not None:
            own = "Edit" if entry.note else "Note, colour…"
            add(writer_mine(entry.author_id, own) + writer_theirs(entry.author_id, "Reply"))
        else:
            add(f"{WRITERS}Reply{SLOT_END}")
        add(f"{WRITERS}</a>{SLOT_END}")
        add("</p>\n")
        if entry.replies:
            add('  <ol class="reply-list" aria-label="Replies">\n')
            for reply in entry.replies:
                add(f'        <li class="reply" id="reply-{reply.pk}">\n')
                if reply.removed_at is not None:
                    add('          <p class="removed">Reply removed by a moderator.</p>')
                else:
                    add(
                        f'          <div class="note">{inert(reply.body_html)}</div>'
                        f'<p class="highlight-meta">{_esc(author_name(reply))}</p>'
                    )
                add("\n        </li>\n")
            add("    </ol>\n")
        add("</li>")
    return "".join(parts)
