"""Searching: ranking a library's articles by a query, and the snippets of what matched.

The library view filters its articles first (team, tags, states… from the
query's fields) and hands the queryset over; this module adds the text. An
article matches when one entry of it that the user may see matches every
positive term: its text (title, byline and site name count), a highlight's
quote, a highlight's note, an article note or a reply — limited to the
kinds `in:` asks for and, with `colour:`, to highlights of those colours
and their notes and replies. It is left out when any entry of it the user
sees in that scope matches an excluded term. Entries under another member's
private highlight never match (`private_to`).

Each database does the matching its own way, always with the query's text
as parameters: SQLite an FTS5 MATCH with bm25 (title ten times the body),
PostgreSQL a tsquery built with every text search configuration in use (so
"ferries" finds "ferry" in English articles and the simple configuration
finds exact words in others) and ts_rank.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.index import MARK_END, MARK_START
from search.models import SearchEntry
from search.query import Query, parse
from teams.models import Membership

Kind = SearchEntry.Kind

SNIPPET_WORDS = 30
MAX_NOTE_MATCHES = 3  # highlights, notes and replies shown under an article
TITLE_WEIGHT = 10.0  # SQLite's bm25 column weight; PostgreSQL: weight A against B
# A query that matches more entries than this ranks the newest this many: ranking
# every one of 70,000 matches of a common word cost a second at 100,000 articles,
# and ranks so many barely differ. When those leave a page short (filters, a
# small team in a large index), the page is ranked from all matches.
NEWEST_RANKED = 2000
_MARKS = re.compile(f"([{MARK_START}{MARK_END}])")


@dataclass(frozen=True)
class Match:
    """Something of an article that matched, to show under it in the results."""

    kind: str
    object_id: int
    highlight_id: int | None  # the reader links to #hl-<id>
    colour: str
    author_id: int | None
    snippet: str  # SafeString: escaped text, matched words in <mark>
    score: float


def rank_articles(user, query, articles, *, offset=0, limit=20):
    """([(article_id, score)], more) for a page of `articles` matching `query`.

    `query`: a search.query.Query or the text of one. `articles`: an Article
    queryset already filtered by the caller, embedded as a subquery. Best
    first (the best-scoring entry of each article; ties newest id first);
    `more` says whether another page follows.

    A query with no text (only exclusions, or nothing) ranks nothing: the
    page is then `articles` in their own order, less those an excluded term
    matches, each with score 0.0 — so the caller can always use this.
    """
    query = _as_query(query)
    offset, limit = max(0, int(offset)), max(0, int(limit))
    if not query.has_text:
        if query.negative:
            articles = exclude_matching(user, query, articles)
        page = list(articles.values_list("pk", flat=True)[offset : offset + limit + 1])
        return [(pk, 0.0) for pk in page[:limit]], len(page) > limit
    try:
        scope_sql, scope_params = _correlated(articles, "e.article_id")
    except EmptyResultSet:
        return [], False
    connection = connections[articles.db]
    with connection.cursor() as cursor:
        configs = _configs(connection, cursor)
        # Ranked among the newest NEWEST_RANKED matches first: all of them when
        # fewer match, and otherwise a common word costs a bounded ranking. Only
        # when that leaves the page short (filters, a small team in a big index)
        # are all matches ranked.
        scope = (scope_sql, scope_params, offset, limit)
        rows, complete = _ranked(cursor, connection, user, query, configs, *scope, NEWEST_RANKED)
        if len(rows) <= limit and not complete:
            rows, _ = _ranked(cursor, connection, user, query, configs, *scope, None)
    return [(pk, float(score)) for pk, score in rows[:limit]], len(rows) > limit


def _ranked(
    cursor, connection, user, query, configs, scope_sql, scope_params, offset, limit, newest
):
    matching = _matching(connection, query, configs, newest=newest)
    filters, filter_params = _filters("e", user, query)
    # The caller's articles as a correlated EXISTS: probed for each match by
    # its primary key, where IN (…) would list the whole filtered library first.
    # With `newest`, each row also says how many matches were taken: fewer than
    # asked for means every match was ranked.
    taken = ", (SELECT COUNT(*) FROM hits)" if newest else ""
    sql = (
        f"{matching.with_sql} SELECT e.article_id, MAX({matching.score}) AS score{taken} "  # noqa: S608 - parameters only
        f"FROM {matching.source} WHERE {matching.condition} "
        f"AND EXISTS ({scope_sql}) AND {filters}"
    )
    params = [*matching.params, *scope_params, *filter_params]
    if query.negative:
        excluded, excluded_params = _excluded(connection, user, query, configs)
        sql += f" AND e.article_id NOT IN ({excluded})"
        params += excluded_params
    sql += " GROUP BY e.article_id ORDER BY score DESC, e.article_id DESC LIMIT %s OFFSET %s"
    cursor.execute(sql, [*params, limit + 1, offset])
    rows = cursor.fetchall()
    if not newest:
        return rows, True
    # No row, no count: take it as incomplete (a second, full ranking).
    complete = bool(rows) and rows[0][2] < newest
    return [row[:2] for row in rows], complete


def exclude_matching(user, query, articles):
    """`articles` less those where an entry the user sees matches an excluded term."""
    query = _as_query(query)
    if not query.negative:
        return articles
    connection = connections[articles.db]
    with connection.cursor() as cursor:
        configs = _configs(connection, cursor)
    excluded, params = _excluded(connection, user, query, configs)
    return articles.exclude(pk__in=RawSQL(excluded, params))  # noqa: S611 - parameters only


def matching_articles(user, query, articles):
    """`articles` that match `query`'s text, in their own order: a search that the
    library sorts by date or title instead of by rank (nothing is scored)."""
    query = _as_query(query)
    articles = exclude_matching(user, query, articles)
    if not query.has_text:
        return articles
    connection = connections[articles.db]
    entry = _entry_table(connection)
    filters, filter_params = _filters("e", user, query)
    if connection.vendor == "sqlite":
        sql = (
            f"SELECT e.article_id FROM search_fts JOIN {entry} e ON e.id = search_fts.rowid "  # noqa: S608 - parameters only
            f"WHERE search_fts MATCH %s AND {filters}"
        )
        params = [query.fts5_match(), *filter_params]
    else:
        with connection.cursor() as cursor:
            configs = _configs(connection, cursor)
        tsquery, tsquery_params = _tsquery(query.tsquery_text(), configs)
        sql = f"SELECT e.article_id FROM {entry} e WHERE e.document @@ {tsquery} AND {filters}"  # noqa: S608 - parameters only
        params = [*tsquery_params, *filter_params]
    return articles.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - parameters only


def match_snippets(user, query, article_ids, *, using=DEFAULT_DB_ALIAS):
    """{article_id: [Match]} of what matched the query's text in these articles.

    Per article, best first: at most one snippet of its text (when its text
    or title matched: a title match shows the text's beginning) and up to
    MAX_NOTE_MATCHES highlights, notes and replies. Privacy and `in:` /
    `colour:` as for rank_articles. Nothing for a query without text.
    """
    query = _as_query(query)
    ids = sorted({int(pk) for pk in article_ids})
    if not query.has_text or not ids:
        return {}
    # The ids come from the caller: only the user's teams' entries answer.
    teams_sql, teams_params = (
        Membership.objects.filter(user_id=user.pk).values("team_id").query.sql_with_params()
    )
    connection = connections[using]
    with connection.cursor() as cursor:
        configs = _configs(connection, cursor)
        marks = ", ".join("%s" for _ in ids)
        entry_ids = None
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT id FROM {_entry_table(connection)} WHERE article_id IN ({marks})",  # noqa: S608 - parameters only
                ids,
            )
            entry_ids = [entry_id for (entry_id,) in cursor.fetchall()]
        matching = _matching(connection, query, configs, entry_ids=entry_ids)
        filters, filter_params = _filters("e", user, query)
        cursor.execute(
            f"{matching.with_sql} SELECT e.id, e.article_id, e.kind, e.object_id, "  # noqa: S608 - parameters only
            f"e.highlight_id, e.colour, e.author_id, {matching.score} "
            f"FROM {matching.source} WHERE {matching.condition} "
            f"AND e.article_id IN ({marks}) AND e.team_id IN ({teams_sql}) AND {filters}",
            [*matching.params, *ids, *teams_params, *filter_params],
        )
        chosen = _best(cursor.fetchall())
        if not chosen:
            return {}
        entry_ids = [row[0] for row in chosen]
        snippets = _SNIPPETS[connection.vendor](connection, cursor, query, configs, entry_ids)
    found = {}
    for entry_id, article_id, kind, object_id, highlight_id, colour, author_id, score in chosen:
        snippet = render_snippet(cut_snippet(*snippets.get(entry_id, ("", set()))))
        match = Match(kind, object_id, highlight_id, colour, author_id, snippet, float(score))
        found.setdefault(article_id, []).append(match)
    return found


def render_snippet(raw):
    """HTML of a database's snippet: the text escaped, whitespace collapsed, and
    the matches — between MARK_START and MARK_END, which nothing indexed
    contains — in <mark>."""
    html, open_mark = [], False
    for part in _MARKS.split(" ".join(raw.split())):
        if part == MARK_START:
            html.append("" if open_mark else "<mark>")
            open_mark = True
        elif part == MARK_END:
            html.append("</mark>" if open_mark else "")
            open_mark = False
        else:
            html.append(escape(part))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 - escaped above, our own tags only


def _as_query(query):
    return query if isinstance(query, Query) else parse(query)


def _correlated(articles, column):
    """(sql, params) of `articles` narrowed to the one whose pk is `column` of the
    outer query: for EXISTS (…). Raises EmptyResultSet for none()."""
    if articles.query.is_sliced:  # a slice can be neither filtered nor reordered
        articles = articles.model._base_manager.filter(pk__in=articles.values("pk"))
    articles = articles.order_by().filter(pk=RawSQL(column, []))  # noqa: S611 - a column name of ours
    return articles.values("pk").query.sql_with_params()


def _filters(alias, user, query):
    """What the user may see, in the scope the query's `in:` and `colour:` ask for."""
    sql = [f"({alias}.private_to IS NULL OR {alias}.private_to = %s)"]
    params = [user.pk or 0]
    for column, values in (("kind", query.kinds), ("colour", query.fields.get("colour"))):
        if values:
            sql.append(f"{alias}.{column} IN ({', '.join('%s' for _ in values)})")
            params += values
    return " AND ".join(sql), params


def _best(rows):
    """The rows match_snippets shows, best first: per article, one of its text
    and up to MAX_NOTE_MATCHES others."""
    chosen, texts, notes = [], set(), {}
    for row in sorted(rows, key=lambda row: (-row[7], row[0])):
        article_id, kind = row[1], row[2]
        if kind == Kind.ARTICLE:
            if article_id in texts:
                continue
            texts.add(article_id)
        else:
            if notes.get(article_id, 0) >= MAX_NOTE_MATCHES:
                continue
            notes[article_id] = notes.get(article_id, 0) + 1
        chosen.append(row)
    return chosen


# The two databases. A "matching" says how to find the entries (alias e)
# that match all of a query's positive terms, and how well: a WITH clause
# before the SELECT, the FROM, a WHERE condition and a score (higher is
# better), with their parameters in that order.


@dataclass(frozen=True)
class _Matching:
    with_sql: str
    source: str
    condition: str
    score: str
    params: list


def _entry_table(connection):
    return connection.ops.quote_name(SearchEntry._meta.db_table)


def _configs(connection, cursor):
    """PostgreSQL: the text search configurations the index uses (a loose
    index scan: one probe per configuration, however many entries)."""
    if connection.vendor != "postgresql":
        return []
    entry = _entry_table(connection)
    cursor.execute(
        f"WITH RECURSIVE configs(config) AS (SELECT min(config) FROM {entry} "  # noqa: S608
        f"UNION ALL SELECT (SELECT min(config) FROM {entry} WHERE config > configs.config) "
        "FROM configs WHERE configs.config IS NOT NULL) "
        "SELECT config FROM configs WHERE config IS NOT NULL"
    )
    return [config for (config,) in cursor.fetchall()]


def _tsquery(text, configs):
    """SQL for `text` (to_tsquery() input) as a tsquery under each configuration, OR-ed."""
    if not configs:
        return "''::tsquery", []
    sql = " || ".join("to_tsquery(%s::regconfig, %s)" for _ in configs)
    return f"({sql})", [value for config in configs for value in (config, text)]


def _matching(connection, query, configs, *, newest=None, entry_ids=None):
    """How to find the matching entries; `newest`: only that many, the newest;
    `entry_ids`: only among these (SQLite then scores nothing else)."""
    entry = _entry_table(connection)
    if connection.vendor == "sqlite":
        # bm25() only works in a query of the FTS table itself: hence the CTE,
        # materialised so that it is not folded into the grouping query.
        # FTS5 walks its matches by rowid, so the newest come without a sort.
        cut = " ORDER BY rowid DESC LIMIT %s" if newest else ""
        within, within_params = "", []
        if entry_ids is not None:
            # A list of rowids FTS5 looks up one by one; a subquery here it
            # would test against every match of the words.
            marks = ", ".join("%s" for _ in entry_ids) or "NULL"
            within = f" AND rowid IN ({marks})"
            within_params = list(entry_ids)
        return _Matching(
            with_sql=(
                "WITH hits AS MATERIALIZED (SELECT rowid AS id, "  # noqa: S608 - parameters only
                f"bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS rank "
                f"FROM search_fts WHERE search_fts MATCH %s{within}{cut})"
            ),
            source=f"hits JOIN {entry} e ON e.id = hits.id",
            condition="1 = 1",
            score="-hits.rank",
            params=[query.fts5_match(), *within_params, *([newest] if newest else [])],
        )
    tsquery, params = _tsquery(query.tsquery_text(), configs)
    if newest:
        # The newest matches by id first; ts_rank (which reads each document)
        # only for those.
        return _Matching(
            with_sql=(
                f"WITH hits AS MATERIALIZED (SELECT h.id FROM {entry} h "  # noqa: S608 - parameters only
                f"WHERE h.document @@ {tsquery} ORDER BY h.id DESC LIMIT %s)"
            ),
            source=f"hits JOIN {entry} e ON e.id = hits.id",
            condition="1 = 1",
            score=f"ts_rank(e.document, {tsquery}, 1)",
            params=[*params, newest, *params],
        )
    return _Matching(
        with_sql="",
        source=f"{entry} e",
        condition=f"e.document @@ {tsquery}",
        # Normalised by the entry's length (1 + log), so that a short quote
        # that matches is not buried under long articles that do.
        score=f"ts_rank(e.document, {tsquery}, 1)",
        params=[*params, *params],
    )


def _excluded(connection, user, query, configs):
    """(sql, params): the ids of articles an excluded term matches for `user`."""
    entry = _entry_table(connection)
    filters, filter_params = _filters("x", user, query)
    if connection.vendor == "sqlite":
        return (
            f"SELECT x.article_id FROM search_fts JOIN {entry} x ON x.id = search_fts.rowid "  # noqa: S608 - parameters only
            f"WHERE search_fts MATCH %s AND {filters}",
            [query.fts5_match(negated=True), *filter_params],
        )
    tsquery, params = _tsquery(query.tsquery_text(negated=True), configs)
    return (
        f"SELECT x.article_id FROM {entry} x WHERE x.document @@ {tsquery} AND {filters}",  # noqa: S608 - parameters only
        [*params, *filter_params],
    )


def _sqlite_snippets(connection, cursor, query, configs, entry_ids):
    marks = ", ".join("%s" for _ in entry_ids)
    # highlight() gives the whole body (column 1) with the matches marked.
    cursor.execute(
        "SELECT rowid, highlight(search_fts, 1, %s, %s) FROM search_fts "  # noqa: S608 - parameters only
        f"WHERE search_fts MATCH %s AND rowid IN ({marks})",
        [MARK_START, MARK_END, query.fts5_match(), *entry_ids],
    )
    return {
        entry_id: (_MARKS.sub("", marked), _marked_words(marked))
        for entry_id, marked in cursor.fetchall()
    }


def _postgresql_snippets(connection, cursor, query, configs, entry_ids):
    # ts_headline() leaves out what its parser takes for HTML tags (and some
    # punctuation): it only says which words matched, the body is cut here.
    entry = _entry_table(connection)
    tsquery, params = _tsquery(query.tsquery_text(), configs)
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
    marks = ", ".join("%s" for _ in entry_ids)
    cursor.execute(
        f"SELECT e.id, e.body, ts_headline(e.config::regconfig, e.body, {tsquery}, %s) "  # noqa: S608 - parameters only
        f"FROM {entry} e WHERE e.id IN ({marks})",  # noqa: S608 - no input
        [*params, options, *entry_ids],
    )
    return {entry_id: (body, _marked_words(marked)) for entry_id, body, marked in cursor.fetchall()}


_WORD = re.compile(r"\w+")
_MARKED = re.compile(f"{MARK_START}([^{MARK_END}]*){MARK_END}")


def _marked_words(marked):
    """The words (in lower case) a database marked in a text."""
    return {word.casefold() for span in _MARKED.findall(marked) for word in _WORD.findall(span)}


def cut_snippet(body, words, size=SNIPPET_WORDS):
    """About `size` words of `body` around where most of `words` (lower case) are,
    those marked (MARK_START, MARK_END), with an ellipsis where text was left
    out; the beginning when none is there. The same on both databases."""
    tokens = list(_WORD.finditer(body))
    if not tokens:
        return body.strip()[:300]
    hits = [n for n, token in enumerate(tokens) if token.group().casefold() in words]
    marked = set(hits)
    start = 0
    if hits:
        # The window holding the most hits, then centred on the first and last of them.
        best, count, first = 0, 0, 0
        for last, hit in enumerate(hits):
            while hit - hits[first] >= size:
                first += 1
            if last - first + 1 > count:
                best, count = first, last - first + 1
        middle = (hits[best] + hits[best + count - 1]) // 2
        start = max(0, min(len(tokens) - size, middle - size // 2))
    end = min(len(tokens), start + size)
    # With the punctuation right before the first word and after the last.
    left = tokens[start].start()
    while left > 0 and not body[left - 1].isspace():
        left -= 1
    right = tokens[end - 1].end()
    while right < len(body) and not body[right].isspace():
        right += 1
    parts, at = [], left
    for n in range(start, end):
        if n in marked:
            token = tokens[n]
            parts += [body[at : token.start()], MARK_START, token.group(), MARK_END]
            at = token.end()
    parts.append(body[at:right])
    before = "…" if start > 0 else ""
    after = "…" if end < len(tokens) else ""
    return before + "".join(parts) + after


_SNIPPETS = {"sqlite": _sqlite_snippets, "postgresql": _postgresql_snippets}
