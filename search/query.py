"""The search box's language, parsed without Django.

    ferry council          both words (AND), anywhere in one thing
    "battery boats"        a phrase
    ferr*                  a prefix (two characters at least)
    -diesel  -"old fleet"  without: leaves out articles where it appears
    tag:x site:x by:x      filters the library applies (values may be quoted:
    colour:red (color:)      tag:"long reads"); repeated ones accumulate
    is:unread|reading|finished|archived|starred
    in:notes|highlights|articles   where to look (notes: highlight notes,
                                   article notes and replies)

Anything else is words: an unknown `foo:bar`, an operator without a value
(`tag:`), an `is:` or `in:` value not in the lists, a negated operator
(`-tag:x` excludes the words "tag x"). Words are cut where the databases'
tokenisers cut them (anything but letters, digits and marks separates), so
`e-mail` is the phrase "e mail". There is no OR and no grouping: what a
reader types is never syntax the databases see. Both renderings below quote
every word, so `NEAR(`, `title:`, `AND OR NOT` or `^` are only words (or
nothing) there, and parse() never raises.

A query whose terms are all negated has no text (`has_text` False): the
engine then returns the filtered articles in their own order, less those
an excluded term matches ("-ferry" alone: the articles where nothing the
reader may see mentions a ferry). Each database then stems the words its
own way: SQLite's porter stemmer for every text, PostgreSQL the article's
language (which also drops its stop words: "the" finds nothing in English
articles there).
"""

import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 1000
MAX_TERMS = 20
MAX_WORDS_PER_TERM = 12
MAX_VALUE_CHARS = 200
MAX_VALUES_PER_FIELD = 20
MIN_PREFIX_CHARS = 2

# Operator names as typed → the key in Query.fields.
FIELD_NAMES = {
    "tag": "tag",
    "site": "site",
    "by": "by",
    "colour": "colour",
    "color": "colour",
    "is": "is",
    "in": "in",
}
STATES = ("unread", "reading", "finished", "archived", "starred")
# in: values (singular or plural) → the kinds of index entry they search.
PLACES = {
    "articles": ("article",),
    "highlights": ("highlight",),
    "notes": ("note", "article_note", "reply"),
}
_PLACE_NAMES = {**{name: name for name in PLACES}, **{name[:-1]: name for name in PLACES}}
# Fields whose values are names from a fixed list, compared in lower case.
_LOWERED = {"is", "in", "colour"}


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word, or a phrase of words (`text`, one space apart)."""

    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    @property
    def words(self):
        return self.text.split(" ")

    def fts5(self):
        """This term as an FTS5 string: each word is a token of the same tokeniser."""
        return f'"{self.text}"' + ("*" if self.prefix else "")

    def tsquery(self):
        """This term as to_tsquery() input: quoted operands, <-> between phrase words."""
        operands = [f"'{word}'" for word in self.words]
        if self.prefix:
            operands[-1] += ":*"
        return "(" + " <-> ".join(operands) + ")"


@dataclass
class Query:
    terms: list[Term] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)

    @property
    def positive(self):
        return [term for term in self.terms if not term.negated]

    @property
    def negative(self):
        return [term for term in self.terms if term.negated]

    @property
    def has_text(self):
        return bool(self.positive)

    @property
    def kinds(self):
        """The kinds of index entry `in:` asks for, or None for all of them."""
        places = self.fields.get("in")
        if not places:
            return None
        return sorted({kind for place in places for kind in PLACES[place]})

    def fts5_match(self, *, negated=False):
        """An FTS5 MATCH expression: all positive terms, or any negated one (None if none)."""
        terms = self.negative if negated else self.positive
        if not terms:
            return None
        return (" OR " if negated else " AND ").join(term.fts5() for term in terms)

    def tsquery_text(self, *, negated=False):
        """to_tsquery() input for any text search config, like fts5_match()."""
        terms = self.negative if negated else self.positive
        if not terms:
            return None
        return (" | " if negated else " & ").join(term.tsquery() for term in terms)


def parse(q):
    """The Query that the search box's text `q` asks for; never raises."""
    text = _clean(str(q or "")[:MAX_QUERY_CHARS])
    query = Query()
    position, end = 0, len(text)
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        if negated:
            position += 1
            if position >= end or text[position].isspace():
                continue
        if text[position] == '"':
            phrase, position = _quoted(text, position)
            prefix = position < end and text[position] == "*"
            _add_term(query, phrase, negated=negated, quoted=True, prefix=prefix)
            position += prefix
            continue
        chunk_end = position
        while chunk_end < end and not text[chunk_end].isspace() and text[chunk_end] != '"':
            chunk_end += 1
        chunk = text[position:chunk_end]
        name, colon, _ = chunk.partition(":")
        key = FIELD_NAMES.get(name.lower()) if colon else None
        if key and not negated:
            value_start = position + len(name) + 1
            if value_start < end and text[value_start] == '"':
                value, after = _quoted(text, value_start)
            else:
                value, after = text[value_start:chunk_end], chunk_end
            if _add_field(query, key, value):
                position = after
                continue
        prefix = chunk.endswith("*")
        _add_term(query, chunk.rstrip("*"), negated=negated, quoted=False, prefix=prefix)
        position = chunk_end
    return query


def words_of(text):
    """The words the databases' tokenisers would make of `text`, in order.

    Runs of letters, digits and marks (accents stay on their letter), as in
    FTS5's unicode61; everything else separates them. A run of marks alone
    is no word: FTS5 would make an empty phrase of it, which matches nothing.
    """
    words, current, wordy = [], [], False
    for char in text + " ":
        category = unicodedata.category(char)[0]
        if category in "LNM":
            current.append(char)
            wordy = wordy or category != "M"
            continue
        if current and wordy:
            words.append("".join(current))
        current, wordy = [], False
    return words


def _clean(text):
    # Control characters become spaces (a NUL would not even reach
    # PostgreSQL); lone surrogates could not be encoded to send.
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in text)


def _quoted(text, start):
    """(the text between the quote at `start` and the next one, the position after it).
    An unbalanced quote runs to the end."""
    close = text.find('"', start + 1)
    if close == -1:
        return text[start + 1 :], len(text)
    return text[start + 1 : close], close + 1


def _add_term(query, text, *, negated, quoted, prefix):
    words = words_of(text)[:MAX_WORDS_PER_TERM]
    if not words or len(query.terms) >= MAX_TERMS:
        return
    # A one-letter prefix would expand to half the vocabulary: it is a word.
    prefix = prefix and len(words[-1]) >= MIN_PREFIX_CHARS
    term = Term(" ".join(words), phrase=quoted or len(words) > 1, prefix=prefix, negated=negated)
    if term not in query.terms:
        query.terms.append(term)


def _add_field(query, key, value):
    """Record an operator's value; False when it is not one (it is words then)."""
    value = " ".join(value.split())[:MAX_VALUE_CHARS]
    if key in _LOWERED:
        value = value.lower()
    if key == "in":
        value = _PLACE_NAMES.get(value, "")
    if not value or (key == "is" and value not in STATES):
        return False
    values = query.fields.setdefault(key, [])
    if value not in values and len(values) < MAX_VALUES_PER_FIELD:
        values.append(value)
    return True
