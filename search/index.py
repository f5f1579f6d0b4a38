"""Keeping the search index (search.models.SearchEntry) in step with what it indexes.

Entries are never edited from Python objects: each kind is written from the
rows it indexes by one INSERT … SELECT, for any number of them at once — a
highlight after an edit, an article and everything on it after a restore,
an import's chunk, or the whole database. The SELECTs hold the rules of what
is searchable (nothing in the trash or under an article in the trash, nothing
a moderator removed), so every path applies the same ones.

ORM writes reach here through signals (connect_signals(), at the bottom),
which look at `update_fields` to do only what a change needs. Bulk writes
that send no signals (imports/batches.py) call index_articles() themselves.
Deleting something for good needs nothing here: the entries' foreign keys
cascade.
"""

import time
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_save

from articles.models import Article, ArticleNote, Highlight, Reply
from search.models import SearchEntry

Kind = SearchEntry.Kind

# The characters search/engine.py marks matches with in snippets: private-use
# code points, taken out of everything indexed so that no text can fake a mark.
MARK_START, MARK_END = "\ue000", "\ue001"
# Bodies are indexed up to this many characters (some 30,000 words): a
# PostgreSQL tsvector must stay under 1 MB, and both databases index the same.
MAX_BODY_CHARS = 200_000
# Ids per statement, well under SQLite's limit on parameters.
CHUNK = 500

# Primary language subtag → PostgreSQL text search configuration (all of
# these ship with PostgreSQL 14+, the oldest Django 5.2 supports).
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
DEFAULT_CONFIG = "simple"


def text_search_config(language):
    """The configuration for an article's `language` ("de-CH" → "german"); what
    the SQL below computes (the same rule, for tests and the command line)."""
    language = language or ""
    if len(language) != 2 and language[2:3] not in ("-", "_"):
        return DEFAULT_CONFIG
    return LANGUAGE_CONFIGS.get(language[:2].lower(), DEFAULT_CONFIG)


# What each kind is made from. Columns, in the order of _COLUMNS: the kind's
# SELECT list. Aliases: a article, h highlight, r reply, n article note.
_COLUMNS = (
    "kind",
    "team_id",
    "article_id",
    "object_id",
    "highlight_id",
    "reply_id",
    "article_note_id",
    "author_id",
    "private_to",
    "colour",
    "title",
    "body",
    "config",
)
_LIVE_ARTICLE = "a.deleted_at IS NULL"
_LIVE_HIGHLIGHT = f"{_LIVE_ARTICLE} AND h.deleted_at IS NULL AND h.removed_at IS NULL"
# A private highlight's author, or 0 (nobody) once they are gone: never NULL,
# which would make it the team's.
_PRIVATE_TO = "CASE WHEN h.visibility = %s THEN COALESCE(h.author_id, 0) END"


@dataclass(frozen=True)
class _Source:
    tables: str
    live: str
    columns: tuple  # the SELECT list after kind and team_id; "{body:x}" marks a body
    private: bool = False


_SOURCES = {
    Kind.ARTICLE: _Source(
        "{article} a",
        _LIVE_ARTICLE,
        (
            "a.id",
            "a.id",
            "NULL",
            "NULL",
            "NULL",
            "a.added_by_id",
            "NULL",
            "''",
            "{clean:a.title || ' ' || a.byline || ' ' || a.site_name}",
            "{body:a.text}",
        ),
    ),
    Kind.HIGHLIGHT: _Source(
        "{highlight} h JOIN {article} a ON a.id = h.article_id",
        _LIVE_HIGHLIGHT,
        ("a.id", "h.id", "h.id", "NULL", "NULL", "h.author_id", _PRIVATE_TO, "h.colour", "''")
        + ("{body:h.exact}",),
        private=True,
    ),
    Kind.NOTE: _Source(
        "{highlight} h JOIN {article} a ON a.id = h.article_id",
        f"{_LIVE_HIGHLIGHT} AND h.note <> ''",
        ("a.id", "h.id", "h.id", "NULL", "NULL", "h.author_id", _PRIVATE_TO, "h.colour", "''")
        + ("{body:h.note}",),
        private=True,
    ),
    Kind.REPLY: _Source(
        "{reply} r JOIN {highlight} h ON h.id = r.highlight_id "
        "JOIN {article} a ON a.id = h.article_id",
        f"{_LIVE_HIGHLIGHT} AND r.deleted_at IS NULL AND r.removed_at IS NULL",
        ("a.id", "r.id", "h.id", "r.id", "NULL", "r.author_id", _PRIVATE_TO, "h.colour", "''")
        + ("{body:r.body}",),
        private=True,
    ),
    Kind.ARTICLE_NOTE: _Source(
        "{article_note} n JOIN {article} a ON a.id = n.article_id",
        f"{_LIVE_ARTICLE} AND n.deleted_at IS NULL",
        ("a.id", "n.id", "NULL", "NULL", "n.id", "n.author_id", "NULL", "''", "''")
        + ("{body:n.body}",),
    ),
}
ALL_KINDS = tuple(_SOURCES)
HIGHLIGHT_KINDS = (Kind.HIGHLIGHT, Kind.NOTE, Kind.REPLY)


@dataclass(frozen=True)
class _Scope:
    """Which entries to replace: those whose `entry_column` is one of the ids,
    made again from the rows whose `source_column` is."""

    source_column: str
    entry_column: str


ARTICLES = _Scope("a.id", "article_id")
TEAMS = _Scope("a.team_id", "team_id")
HIGHLIGHTS = _Scope("h.id", "highlight_id")
REPLIES = _Scope("r.id", "reply_id")
ARTICLE_NOTES = _Scope("n.id", "article_note_id")


def _tables(connection):
    quote = connection.ops.quote_name
    return {
        "entry": quote(SearchEntry._meta.db_table),
        "article": quote(Article._meta.db_table),
        "highlight": quote(Highlight._meta.db_table),
        "reply": quote(Reply._meta.db_table),
        "article_note": quote(ArticleNote._meta.db_table),
    }


def _clean(expression):
    """`expression` without the snippet marks, cut to MAX_BODY_CHARS."""
    return f"replace(replace(substr({expression}, 1, {MAX_BODY_CHARS:d}), %s, ''), %s, '')"


def _config_sql():
    """SQL for text_search_config(a.language), and its parameters."""
    cases = " ".join("WHEN %s THEN %s" for _ in LANGUAGE_CONFIGS)
    sql = (
        "CASE WHEN length(a.language) = 2 OR substr(a.language, 3, 1) IN ('-', '_') "
        f"THEN CASE lower(substr(a.language, 1, 2)) {cases} ELSE %s END ELSE %s END"
    )
    params = [value for pair in LANGUAGE_CONFIGS.items() for value in pair]
    return sql, [*params, DEFAULT_CONFIG, DEFAULT_CONFIG]


def _insert_sql(tables, kind):
    """INSERT … SELECT making every entry of `kind` (a WHERE for the scope follows)."""
    source = _SOURCES[kind]
    select, params = ["%s", "a.team_id"], [kind.value]
    for column in source.columns:
        if column.startswith("{body:") or column.startswith("{clean:"):
            select.append(_clean(column[column.index(":") + 1 : -1]))
            params += [MARK_START, MARK_END]
        else:
            select.append(column)
            if column == _PRIVATE_TO:
                params.append(Highlight.Visibility.PRIVATE.value)
    config, config_params = _config_sql()
    select.append(config)
    params += config_params
    sql = (
        f"INSERT INTO {tables['entry']} ({', '.join(_COLUMNS)}) "  # noqa: S608 - no input
        f"SELECT {', '.join(select)} FROM {source.tables.format(**tables)} WHERE {source.live}"
    )
    return sql, params


def _replace(kinds, scope=None, ids=None, *, using=DEFAULT_DB_ALIAS):
    """Delete the entries of `kinds` in the scope and make them again; {kind: count}.

    No scope: all of them (ids are then ignored).
    """
    connection = connections[using]
    tables = _tables(connection)
    counts = dict.fromkeys(kinds, 0)
    chunks = [None] if scope is None else _chunks(ids)
    kind_marks = ", ".join("%s" for _ in kinds)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for chunk in chunks:
            if chunk is None:
                where, delete_where, values = "", "", []
            else:
                marks = ", ".join("%s" for _ in chunk)
                where = f" AND {scope.source_column} IN ({marks})"
                delete_where = f" AND {scope.entry_column} IN ({marks})"
                values = list(chunk)
            cursor.execute(
                f"DELETE FROM {tables['entry']} WHERE kind IN ({kind_marks}){delete_where}",  # noqa: S608
                [kind.value for kind in kinds] + values,
            )
            for kind in kinds:
                sql, params = _insert_sql(tables, kind)
                cursor.execute(sql + where, params + values)
                counts[kind] += cursor.rowcount
    return counts


def _chunks(ids):
    ids = sorted({int(pk) for pk in ids})
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def index_articles(article_ids, *, using=DEFAULT_DB_ALIAS):
    """(Re)index these articles and everything on them; {kind: entries made}.

    The bulk path: an import calls it with a chunk's new articles. An article
    in the trash (or gone) ends up with no entries.
    """
    return _replace(ALL_KINDS, ARTICLES, article_ids, using=using)


def index_article_text(article_ids, *, using=DEFAULT_DB_ALIAS):
    """Only the articles' own entries (after their title or text changed)."""
    return _replace([Kind.ARTICLE], ARTICLES, article_ids, using=using)


def index_highlights(highlight_ids, kinds=HIGHLIGHT_KINDS, *, using=DEFAULT_DB_ALIAS):
    """These highlights' quotes, notes and replies (or the `kinds` of them asked)."""
    return _replace(list(kinds), HIGHLIGHTS, highlight_ids, using=using)


def index_replies(reply_ids, *, using=DEFAULT_DB_ALIAS):
    return _replace([Kind.REPLY], REPLIES, reply_ids, using=using)


def index_article_notes(note_ids, *, using=DEFAULT_DB_ALIAS):
    return _replace([Kind.ARTICLE_NOTE], ARTICLE_NOTES, note_ids, using=using)


def update_highlight_attributes(highlight_ids, *, using=DEFAULT_DB_ALIAS):
    """Copy the highlights' colour and visibility onto their entries (quote, note,
    replies) in place: what a recolour or a visibility change needs, leaving
    the full-text index alone (neither title nor body changes)."""
    connection = connections[using]
    tables = _tables(connection)
    for chunk in _chunks(highlight_ids):
        marks = ", ".join("%s" for _ in chunk)
        of_entry = f"FROM {tables['highlight']} h WHERE h.id = {tables['entry']}.highlight_id"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {tables['entry']} SET "  # noqa: S608 - no input
                f"colour = (SELECT h.colour {of_entry}), "
                f"private_to = (SELECT {_PRIVATE_TO} {of_entry}) "
                f"WHERE highlight_id IN ({marks})",
                [Highlight.Visibility.PRIVATE.value, *chunk],
            )


@dataclass
class Rebuilt:
    """What rebuild() made: {kind: entries}, and how long it took."""

    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self):
        return sum(self.counts.values())


def rebuild(team=None, *, using=DEFAULT_DB_ALIAS):
    """Wipe the index (of `team`, or all of it) and make it again, in set-based SQL."""
    started = time.perf_counter()
    if team is None:
        counts = _replace(ALL_KINDS, using=using)
    else:
        counts = _replace(ALL_KINDS, TEAMS, [getattr(team, "pk", team)], using=using)
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and team is None:
            # Merge the index's segments into one: smaller, and faster to query.
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {_tables(connection)['entry']}")
    return Rebuilt(
        {kind.value: count for kind, count in counts.items()}, time.perf_counter() - started
    )


# Signals: what each ORM write changes in the index.

# An article's own entry is made of these; the others need everything again.
_ARTICLE_ENTRY_FIELDS = {"title", "byline", "site_name", "text", "added_by", "added_by_id"}
_ARTICLE_ALL_FIELDS = {"language", "deleted_at", "team", "team_id"}
# A highlight's entries carry these in place; the others change what is indexed.
_HIGHLIGHT_ATTRIBUTES = {"colour", "visibility"}
_HIGHLIGHT_CONTENT = {"exact", "note", "deleted_at", "removed_at", "author", "author_id"}
_HIGHLIGHT_CONTENT |= {"article", "article_id"}
_BODY_CONTENT = {"body", "deleted_at", "removed_at", "author", "author_id"}


def _changed(created, update_fields):
    """The fields a save may have changed: None for all of them."""
    return None if created or update_fields is None else set(update_fields)


def article_saved(sender, instance, created, update_fields=None, raw=False, using=None, **kw):
    if raw:
        return
    changed = _changed(created, update_fields)
    if created:
        # Nothing can be on an article that did not exist.
        index_article_text([instance.pk], using=using)
    elif changed is None or changed & _ARTICLE_ALL_FIELDS:
        index_articles([instance.pk], using=using)
    elif changed & _ARTICLE_ENTRY_FIELDS:
        index_article_text([instance.pk], using=using)


def highlight_saved(sender, instance, created, update_fields=None, raw=False, using=None, **kw):
    if raw:
        return
    changed = _changed(created, update_fields)
    if created:
        index_highlights([instance.pk], [Kind.HIGHLIGHT, Kind.NOTE], using=using)
    elif changed is None or changed & _HIGHLIGHT_CONTENT:
        if changed is not None and (changed & _HIGHLIGHT_CONTENT) == {"note"}:
            index_highlights([instance.pk], [Kind.NOTE], using=using)
        else:
            index_highlights([instance.pk], using=using)
    elif changed & _HIGHLIGHT_ATTRIBUTES:
        update_highlight_attributes([instance.pk], using=using)


def reply_saved(sender, instance, created, update_fields=None, raw=False, using=None, **kw):
    changed = _changed(created, update_fields)
    if not raw and (changed is None or changed & _BODY_CONTENT):
        index_replies([instance.pk], using=using)


def article_note_saved(sender, instance, created, update_fields=None, raw=False, using=None, **kw):
    changed = _changed(created, update_fields)
    if not raw and (changed is None or changed & _BODY_CONTENT):
        index_article_notes([instance.pk], using=using)


def connect_signals():
    for model, receiver in (
        (Article, article_saved),
        (Highlight, highlight_saved),
        (Reply, reply_saved),
        (ArticleNote, article_note_saved),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}")
