"""Live updates: what changed in the reader between the fragments a reader has and
the current ones, as htmx out-of-band swaps.

A new highlight changes one paragraph of a long article and adds one entry to
its panel: sending the reader only those (rather than the whole body and panel,
~0.75 MB with 1,000 highlights) keeps a busy team's polls small. The changes
between two versions are worked out once, from the shared fragments
(articles/highlighting.py shared_fragments) and kept in the cache, for every
reader who makes the same step; each reader's own controls are filled in after
(personalise). When the step cannot be described this way (the reader's version
is no longer cached, the article's text changed, a note or an orphan changed)
the whole fragment is sent, as before.
"""

import hashlib
import re
from html import escape

from django.core.cache import cache

from articles.highlighting import (
    CACHE_SECONDS,
    TOKEN_CHARS,
    cached_html,
    fragments_token,
    personal,
    shared_fragments,
)
from articles.panel import ITEM_BREAK, ITEMS_END, ITEMS_START
from newsreader.access import WRITE, can
from newsreader.lib.marks import VOID_TAGS

_ITEM_ID = re.compile(r'\s*<li class="highlight-item" id="item-([0-9]+)"')
_COUNT = re.compile(r'<span class="count">[0-9]+</span>')
_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_BLOCK = "#reader-content > .reader-body > :nth-child({})"


def update(request, article, author_id, since):
    """What a reader who has the fragments named `since` is sent: None when nothing
    changed for them, else the live-update partial's context: the new token, and
    for the body and the panel either their changes or (None) the whole fragment."""
    writer = can(article.viewer_role, WRITE)
    # Most polls find nothing new, or what another reader's poll found: told by
    # small keys alone, without the fragments.
    token = fragments_token(request, article, author_id)
    if token == since:
        return None
    found = known_changes(since, token) if token else None
    if found is None or None in found or since[-1:] != token[-1:]:
        body, panel = shared_fragments(article, request.user, author_id)
        token = f"{body.token}{panel.token}{int(writer)}"
        if token == since:
            return None
        found = changes(since, body, panel, token)
    body_changes, panel_changes = found
    fragments = {"token": token}
    if body_changes is None:
        fragments["body"] = body.html
    if panel_changes is None:
        fragments["panel"] = personal(request, panel.html, writer)
    else:
        panel_changes = personal(request, panel_changes, writer)
    return {"fragments": fragments, "body_changes": body_changes, "panel_changes": panel_changes}


def known_changes(since, token):
    """What changes() found for this step before (for another reader), or None."""
    return cache.get(_key(since, token))


def changes(since, body, panel, token):
    """(body changes, panel changes) taking a reader from `since` (the token they
    have) to `token` (the Fragments `body` and `panel`, as they may see them):
    swaps as HTML ("" for none), or None where the whole fragment must be sent."""
    found = known_changes(since, token)
    if found is None:
        if since[2 * TOKEN_CHARS :] != token[2 * TOKEN_CHARS :]:
            # Their right to write changed: every control with it.
            return None, None
        found = (
            _step(since[:TOKEN_CHARS], body, body_changes),
            _step(since[TOKEN_CHARS : 2 * TOKEN_CHARS], panel, panel_changes),
        )
        cache.set(_key(since, token), found, CACHE_SECONDS)
    return found


def _key(since, token):
    # The shared fragments' step, whoever makes it: writers and readers alike.
    return f"reader:changes:{since[: 2 * TOKEN_CHARS]}:{token[: 2 * TOKEN_CHARS]}"


def _step(old_token, fragment, differ):
    if old_token == fragment.token:
        return ""
    old = cached_html(old_token)
    return None if old is None else differ(old, fragment.html)


def body_changes(old, new):
    """The top-level blocks of the article that differ, each swapped in place."""
    old_blocks, new_blocks = _cached_blocks(old), _cached_blocks(new)
    if old_blocks is None or new_blocks is None or len(old_blocks) != len(new_blocks):
        return None
    return "".join(
        _swapping(block, "outerHTML:" + _BLOCK.format(number))
        for number, (was, block) in enumerate(zip(old_blocks, new_blocks, strict=True), 1)
        if was != block
    )


def panel_changes(old, new):
    """The highlight entries added, changed and removed, and the new count."""
    old_parts, new_parts = _panel_parts(old), _panel_parts(new)
    if old_parts is None or new_parts is None:
        return None
    (old_head, old_items, old_tail), (new_head, new_items, new_tail) = old_parts, new_parts
    if old_tail != new_tail or _COUNT.sub("", old_head) != _COUNT.sub("", new_head):
        return None
    was = dict(old_items)
    now = dict(new_items)
    # Entries keep their order (by position in the text): new ones go between them.
    if [pk for pk, _ in old_items if pk in now] != [pk for pk, _ in new_items if pk in was]:
        return None
    swaps = []
    if len(old_items) != len(new_items):
        count = f"{len(new_items)}"
        swaps.append(f'<span hx-swap-oob="innerHTML:#panel-title .count">{count}</span>')
    swaps.extend(
        f'<div hx-swap-oob="delete:#item-{pk}"></div>' for pk, _ in old_items if pk not in now
    )
    for index, (pk, entry) in enumerate(new_items):
        if pk not in was:
            place = (
                f"afterend:#item-{new_items[index - 1][0]}"
                if index
                else "afterbegin:#annotation-panel .highlight-list"
            )
            swaps.append(f'<div hx-swap-oob="{place}">{entry}</div>')
        elif was[pk] != entry:
            swaps.append(_swapping(entry, "true"))
    return "".join(swaps)


def _swapping(element, how):
    """`element`'s HTML with hx-swap-oob=`how` on its opening tag."""
    return _OPENING.sub(rf'<\1 hx-swap-oob="{escape(how)}"', element, count=1)


def _panel_parts(html):
    """(before the list, [(pk, entry)], after the list) of a shared panel, or None
    when it has no list of highlights."""
    if html.count(ITEMS_START) != 1 or html.count(ITEMS_END) != 1:
        return None
    head, rest = html.split(ITEMS_START)
    items, tail = rest.split(ITEMS_END)
    entries = []
    for entry in items.split(ITEM_BREAK)[1:]:
        match = _ITEM_ID.match(entry)
        if match is None:
            return None
        entries.append((int(match[1]), entry.strip()))
    return head, entries, tail


# A tag of our normal-form HTML, quoted attribute values and all; or a comment.
_TAG = re.compile(
    r"""<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""", re.S
)


def _cached_blocks(body):
    # Each version is the new one of one step and the old one of the next: scanned once.
    key = "reader:blocks:" + hashlib.sha256(body.encode()).hexdigest()
    blocks = cache.get(key)
    if blocks is None:
        blocks = _blocks(body)
        cache.set(key, blocks or [], CACHE_SECONDS)
    return blocks or None


def _blocks(body):
    """The top-level elements inside the reader body's <div>, or None.

    The body is sanitised, normal-form HTML (every element closed, attributes
    quoted), so a scan of its tags finds them; anything unexpected (text outside
    an element, an end tag too many) gives None, and the whole body is sent.
    """
    try:
        inner = body[body.index(">") + 1 : body.rindex("</div>")]
    except ValueError:
        return None
    starts, depth, position = [], 0, 0
    for match in _TAG.finditer(inner):
        if depth == 0 and inner[position : match.start()].strip():
            return None  # text outside any element cannot be swapped by a selector
        closing, name = match.group(1, 2)
        if name is None or name.lower() in VOID_TAGS:
            if name is not None and depth == 0:
                starts.append(match.start())
        elif closing:
            depth -= 1
            if depth < 0:
                return None
        else:
            if depth == 0:
                starts.append(match.start())
            depth += 1
        position = match.end()
    if depth != 0 or not starts or inner[position:].strip():
        return None
    ends = starts[1:] + [len(inner)]
    return [inner[start:end].strip() for start, end in zip(starts, ends, strict=True)]
