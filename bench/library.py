"""The library at scale: its pages and its search against a trivial page, on
SQLite and PostgreSQL, in one run.

For each database, in a process of its own (Django's settings are set up
once per process), builds a throwaway database (a SQLite file, or the
PostgreSQL database `newsreader_bench`, created and dropped here) with one
team of N generated articles (300 to 1,500 words each, from a seeded Zipfian
vocabulary), about one highlight per two articles (notes, replies, private
ones), tags, sites, and the bench member's reading states. Then it builds
the search index, and times requests through Django's full stack with the
test client, logged in as the bench member:

    bash scripts/postgres-up  # for PostgreSQL
    .venv/bin/python bench/library.py [--db sqlite|postgres|both] [--articles 100000]
        [--requests 50] [--explain 1] [--sqlite-analyze]

Prints, per database: how long generating and indexing took and how much the
index added to the database, then median and p95 milliseconds of each page
and its p95 as a multiple of the trivial page's p95 (/settings/: the same
session, auth and base template; /healthz/ is shown for reference) against
the target (library pages ≤ 2×, search ≤ 3×; index build < 5 minutes).
Library pages are timed twice: as a repeat view is served (from the
library's page cache, on for the benchmark as in production, though
tests.settings turns it off) and rendered (the cache cleared before each
request: the first view after anything in the team changed). Then the SQL
queries of one rendered and one cached request, the rendered one's SQL time
and the cards on the page; the heaviest query of each page and where in the
app it is made; and the plans of the heaviest queries of the slowest library
page and the slowest search (EXPLAIN QUERY PLAN; EXPLAIN (ANALYZE, BUFFERS)
on PostgreSQL).

PostgreSQL gets VACUUM ANALYZE after the bulk load, as autovacuum would soon
do; SQLite gets no ANALYZE, as the app runs none (--sqlite-analyze: with one).
"""

import argparse
import importlib.util
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import WORDS, bench_team, setup_django  # noqa: E402

POSTGRES_URL = "postgres://newsreader:newsreader@127.0.0.1:5432/newsreader_bench"
# The words searched for, kept out of the generated vocabulary and put in on purpose.
COMMON_WORD = "harbour"  # in most articles
RARE_WORD = "quinquireme"  # in RARE_ARTICLES articles
PHRASE = ("tidal", "lagoon")  # together in 1% of articles, apart in some more
NOTE_WORD = "sandpiper"  # in NOTE_WORD_NOTES highlight notes, nowhere else
RARE_ARTICLES = 10
NOTE_WORD_NOTES = 20
SPECIAL = {COMMON_WORD, RARE_WORD, NOTE_WORD, *PHRASE}
CHUNK = 1000  # articles generated and inserted at a time
TARGETS = {"library": 2.0, "search": 3.0}
INDEX_TARGET_SECONDS = 300


# The data.


class Vocabulary:
    """WORDS first, then pronounceable made-up words, drawn with Zipf's law (word
    r about 1/r as often as the first): text whose words have a realistic spread."""

    def __init__(self, rng, size=8000):
        onsets = [*"bcdfghklmnprstvw", "br", "cr", "dr", "fl", "gr", "pl", "st", "tr", "ch", "sh"]
        codas = ["", "", "", "n", "r", "s", "l", "t", "nd", "rk", "st"]
        words = [word for word in dict.fromkeys(WORDS) if word not in SPECIAL]
        known = set(words) | SPECIAL
        while len(words) < size:
            word = "".join(
                rng.choice(onsets) + rng.choice("aeiou") + rng.choice(codas)
                for _ in range(rng.randint(1, 3))
            )
            if len(word) >= 3 and word not in known:
                known.add(word)
                words.append(word)
        self.words = words
        self.cum_weights = list(itertools.accumulate(1 / rank for rank in range(1, size + 1)))

    def draw(self, rng, count):
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)


def prose(rng, words):
    """Paragraphs (a list of str) of sentences made of `words`, in order."""
    paragraphs, sentences, position = [], [], 0
    limit = rng.randint(3, 7)
    while position < len(words):
        length = rng.randint(8, 18)
        sentence = " ".join(words[position : position + length])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        position += length
        if len(sentences) == limit or position >= len(words):
            paragraphs.append(" ".join(sentences))
            sentences, limit = [], rng.randint(3, 7)
    return paragraphs


def article_words(rng, vocabulary, index, plan):
    """The words of article `index`, with the searched-for words put in as `plan` says."""
    words = vocabulary.draw(rng, int(rng.triangular(300, 1500, 600)))
    half = len(words) // 2

    def put(word, low=0, high=None):
        words[rng.randrange(low, high or len(words))] = word

    if rng.random() < 0.7:
        for _ in range(rng.randint(1, 6)):
            put(COMMON_WORD)
    if index in plan["rare"]:
        put(RARE_WORD)
    if index in plan["phrase"]:
        spot = rng.randrange(0, len(words) - 1)
        words[spot : spot + 2] = PHRASE
    elif rng.random() < 0.06:  # both words, far apart: not the phrase
        put(PHRASE[0], 0, half - 5)
        put(PHRASE[1], half + 5)
    elif rng.random() < 0.05:
        put(rng.choice(PHRASE))
    return words


def make_sites(rng, vocabulary):
    kinds = ["Times", "Post", "Review", "Weekly", "Journal", "Daily", "Observer", "Gazette"]
    names = dict.fromkeys(
        f"The {rng.choice(vocabulary.words[40:2000]).capitalize()} {rng.choice(kinds)}"
        for _ in range(60)
    )
    return list(names)[:50]


def make_tags(rng, team, vocabulary):
    from articles.models import Tag

    names = dict.fromkeys(rng.sample(vocabulary.words[30:3000], 180))
    while len(names) < 200:
        names[" ".join(rng.sample(vocabulary.words[30:600], 2))] = None
    return Tag.objects.bulk_create(Tag(team=team, name=name) for name in names)


def zipf_weights(count):
    return list(itertools.accumulate(1 / rank for rank in range(1, count + 1)))


def build_article(rng, vocabulary, index, team, user, sites, plan, now):
    from articles.models import Article
    from newsreader.lib import extraction
    from newsreader.lib.fingerprints import content_hash, normalise_url

    words = article_words(rng, vocabulary, index, plan)
    paragraphs = prose(rng, words)
    text = "\n".join(paragraphs)
    html = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    title = " ".join(vocabulary.draw(rng, rng.randint(3, 9))).capitalize()
    saved_at = now - timedelta(days=6 * 365 * rng.random() ** 1.5, seconds=rng.randrange(86400))
    site = rng.choices(sites, cum_weights=plan["site_weights"])[0]
    url = "" if rng.random() < 0.1 else f"https://{site.lower().replace(' ', '')}.example/{index}"
    published = None
    if rng.random() < 0.85:
        published = (saved_at - timedelta(days=int(rng.expovariate(1 / 30)))).date()
    return Article(
        team=team,
        added_by=user,
        source_url=url,
        normalized_url=normalise_url(url),
        content_hash=content_hash(title, text),
        original=f"<html><body><article>{html}</article></body></html>".encode(),
        original_content_type="text/html",
        kind=Article.Kind.HTML,
        title=title,
        byline=" ".join(vocabulary.draw(rng, 2)).title(),
        site_name=site,
        published=published,
        language="en",
        html=html,
        text=text,
        excerpt=text[:300],
        word_count=len(words),
        reading_minutes=max(1, round(len(words) / 230)),
        extractor_version=extraction.EXTRACTOR_VERSION,
        extracted_at=saved_at,
        created_at=saved_at,
        saved_at=saved_at,
    )


def highlights_of(rng, vocabulary, article, index, members, plan):
    """Highlights (unsaved) of one article: about one per two articles overall."""
    from articles.models import Highlight
    from newsreader.lib.anchoring import describe
    from newsreader.lib.markdown import render_note

    bench, ana, ben = members
    count = rng.choices([0, 1, 2, 3, 4], weights=[70, 15, 8, 4, 3])[0]
    note_word = index in plan["note_word"]
    count = max(count, 1) if note_word else count
    text, rows, taken = article.text, [], set()
    while len(rows) < count:
        start = rng.randrange(0, max(1, len(text) - 220))
        start = text.find(" ", start) + 1
        end = text.find(" ", start + rng.randint(20, 200))
        if end == -1 or (start, end) in taken:
            continue
        taken.add((start, end))
        selector = describe(text, start, end)
        author = rng.choices(members, weights=[50, 30, 20])[0]
        private = rng.random() < {ana: 0.08, bench: 0.02}.get(author, 0)
        note = ""
        if note_word and not rows:
            note = f"Compare the {NOTE_WORD} with " + " ".join(vocabulary.draw(rng, 8))
        elif rng.random() < 0.3:
            note = " ".join(vocabulary.draw(rng, rng.randint(5, 25))).capitalize() + "."
        rows.append(
            Highlight(
                article=article,
                author=author,
                visibility=Highlight.Visibility.PRIVATE if private else Highlight.Visibility.TEAM,
                colour=rng.choice(Highlight.Colour.values),
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                start=selector.start,
                end=selector.end,
                note=note,
                note_html=render_note(note) if note else "",
                created_at=article.saved_at + timedelta(hours=rng.randint(1, 500)),
            )
        )
    return rows


def discussion_of(rng, vocabulary, highlights, articles, members):
    """Replies under some notes, and a few article notes (unsaved)."""
    from articles.models import ArticleNote, Reply
    from newsreader.lib.markdown import render_note

    def body():
        text = " ".join(vocabulary.draw(rng, rng.randint(4, 30))).capitalize() + "."
        return {"body": text, "body_html": render_note(text)}

    replies = [
        Reply(highlight=highlight, author=rng.choice(members), **body())
        for highlight in highlights
        if highlight.note and highlight.visibility == "team" and rng.random() < 0.25
        for _ in range(rng.randint(1, 2))
    ]
    notes = [
        ArticleNote(article=article, author=rng.choice(members), **body())
        for article in articles
        if rng.random() < 0.01
    ]
    return replies, notes


def reading_of(rng, articles, members, now):
    """The bench member's reads and states of some articles, and the others' reads."""
    from articles.models import ArticleRead, ArticleState

    bench = members[0]
    reads, states = [], []
    for article in articles:
        read = rng.random() < 0.3
        if read:
            reads.append(ArticleRead(article=article, user=bench, read_at=article.saved_at))
        archived, starred = rng.random() < 0.05, rng.random() < 0.03
        if read or archived or starred or rng.random() < 0.05:
            progress = (1.0 if rng.random() < 0.5 else round(rng.random(), 2)) if read else None
            states.append(
                ArticleState(
                    article=article,
                    user=bench,
                    progress=progress,
                    opened_at=article.saved_at + timedelta(hours=1) if read else None,
                    archived_at=now if archived else None,
                    starred_at=now if starred else None,
                )
            )
        for other in members[1:]:
            if rng.random() < 0.1:
                reads.append(ArticleRead(article=article, user=other, read_at=article.saved_at))
    return reads, states


def generate(team, members, count, seed):
    """N articles and everything on them, a chunk at a time; counts of what was made."""
    from django.db import transaction

    from articles.models import Article, ArticleNote, ArticleRead, ArticleState, Highlight, Reply

    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    sites = make_sites(rng, vocabulary)
    tags = make_tags(rng, team, vocabulary)
    tag_weights = zipf_weights(len(tags))
    plan = {
        "rare": set(rng.sample(range(count), min(count, RARE_ARTICLES))),
        "phrase": set(rng.sample(range(count), max(1, count // 100))),
        "note_word": set(rng.sample(range(count), min(count, NOTE_WORD_NOTES))),
        "site_weights": zipf_weights(len(sites)),
    }
    now = datetime.now(UTC)
    made = dict.fromkeys(["articles", "highlights", "replies", "article notes", "tag links"], 0)
    made.update(dict.fromkeys(["reads", "states"], 0))
    Through = Article.tags.through
    for first in range(0, count, CHUNK):
        indexes = range(first, min(count, first + CHUNK))
        user = members[0]
        articles = [
            build_article(rng, vocabulary, i, team, user, sites, plan, now) for i in indexes
        ]
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            highlights = [
                row
                for i, article in zip(indexes, articles, strict=True)
                for row in highlights_of(rng, vocabulary, article, i, members, plan)
            ]
            Highlight.objects.bulk_create(highlights)
            replies, notes = discussion_of(rng, vocabulary, highlights, articles, members)
            Reply.objects.bulk_create(replies)
            ArticleNote.objects.bulk_create(notes)
            links = [
                Through(article_id=article.pk, tag_id=tag.pk)
                for article in articles
                for tag in {
                    *rng.choices(tags, cum_weights=tag_weights, k=rng.choice([0, 0, 1, 1, 2, 3]))
                }
            ]
            Through.objects.bulk_create(links)
            reads, states = reading_of(rng, articles, members, now)
            ArticleRead.objects.bulk_create(reads)
            ArticleState.objects.bulk_create(states)
        for name, rows in zip(
            made, [articles, highlights, replies, notes, links, reads, states], strict=True
        ):
            made[name] += len(rows)
        if (first // CHUNK) % 10 == 9:
            print(f"  {first + CHUNK:,} articles", flush=True)
    return made


# Sizes.


def database_size(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return os.path.getsize(connection.settings_dict["NAME"])


def search_tables_size(connection):
    """Bytes of the search tables with their indexes (None if it cannot tell)."""
    from django.db import OperationalError

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'search%'"
            )
            return int(cursor.fetchone()[0])
        try:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%'")
        except OperationalError:  # a SQLite built without dbstat
            return None
        return cursor.fetchone()[0]


# Requests.


def timed(client, url, requests, before=None, warm_up=3):
    """(median ms, p95 ms) of `requests` GETs after `warm_up`, `before()` (untimed)
    before each."""
    samples = []
    for n in range(warm_up + requests):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        if n >= warm_up:
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def caller():
    """Where in the app a query is made: its innermost frame outside Django and bench/."""
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts and path.parent.name != "bench":
            return f"{path.relative_to(ROOT)}:{frame.lineno} {frame.name}"
    return "?"


def with_queries(client, url):
    """(response, [(ms, where, sql, params)]) of one GET, its queries timed."""
    from django.db import connection

    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            queries.append((ms, caller(), sql, params))

    with connection.execute_wrapper(record):
        response = client.get(url)
    return response, queries


def pages(team):
    """(label, kind, url, expected words in the results) of every page timed."""
    from django.db.models import Count

    from articles.library import cursor_for
    from articles.models import Article, Tag

    ordered = Article.objects.filter(team=team).order_by("-saved_at", "-id").only("saved_at")
    total = ordered.count()
    middle, last = ordered[total // 2], ordered[max(0, total - 11)]
    tags = Tag.objects.filter(team=team).annotate(n=Count("articles")).order_by("-n", "name")
    tag = tags[min(2, len(tags) - 1)]
    sites = (
        Article.objects.filter(team=team)
        .values("site_name")
        .annotate(n=Count("id"))
        .order_by("-n", "site_name")
    )
    site = sites[min(9, len(sites) - 1)]["site_name"]

    def url(**query):
        return "/?" + urlencode(query) if query else "/"

    phrase = " ".join(PHRASE)
    deep = url(after=cursor_for(middle, sort=""))
    return [
        ("/healthz/ (no session)", "reference", "/healthz/", None),
        ("/settings/ (trivial page)", "trivial", "/settings/", None),
        ("library, first page", "library", url(), None),
        (f"library, page at {total // 2:,}", "library", deep, None),
        ("library, last page", "library", url(after=cursor_for(last, sort="")), None),
        (f"tag={tag.name} ({tag.n:,}), unread", "library", url(tag=tag.name, state="unread"), None),
        (f"site ({sites[min(9, len(sites) - 1)]['n']:,}), by title", "library",
         url(site=site, sort="title"), None),
        (f"search {COMMON_WORD} (common)", "search", url(q=COMMON_WORD), COMMON_WORD),
        (f"search {RARE_WORD} (rare)", "search", url(q=RARE_WORD), RARE_WORD),
        (f'search "{phrase}" (phrase)', "search", url(q=f'"{phrase}"'), PHRASE[0]),
        (f"search {NOTE_WORD} (notes)", "search", url(q=NOTE_WORD), NOTE_WORD),
    ]  # fmt: skip


def cards_of(response):
    return response.content.decode().count('class="article-card"')


def check(kind, response, word):
    """What is wrong with a page's answer, or "" (cards are the article list's items)."""
    cards = cards_of(response)
    if kind in TARGETS and cards == 0:
        return "no articles on the page"
    if word == NOTE_WORD and 'class="match match-note"' not in response.content.decode():
        return "no note among the matches"
    return ""


def measure(client, label, kind, url, word, requests):
    """One row of the table: timings, queries and what went wrong, if anything.

    Library pages are timed twice: as a repeat view serves them (from the
    library's page cache, when the app has one) and rendered, the cache
    cleared before each request (the first view after anything changed).
    Queries are those of one rendered request, and of one cached one.
    """
    from django.core.cache import cache

    row = {"label": label, "kind": kind, "url": url, "error": ""}
    try:
        cache.clear()
        response, queries = with_queries(client, url)
        if response.status_code != 200:
            row["error"] = f"HTTP {response.status_code}"
            return row
        row["queries"] = len(queries)
        row["sql_ms"] = sum(query[0] for query in queries)
        slowest = sorted(queries, key=lambda query: query[0], reverse=True)[:3]
        row["heaviest"] = [(ms, where, sql) for ms, where, sql, _ in slowest]
        row["_slowest"] = slowest  # with parameters, for explain_slowest()
        row["error"] = check(kind, response, word)
        row["cards"] = cards_of(response) if kind in TARGETS else ""
        if kind in TARGETS:
            row["cached_queries"] = len(with_queries(client, url)[1])
            row["cached"] = timed(client, url, requests)
        row["rendered"] = timed(client, url, requests, before=cache.clear)
    except Exception as error:  # noqa: BLE001 - a page that fails is reported in its row
        row["error"] = f"{type(error).__name__}: {error}"[:200]
    return row


def explain(connection, sql, params):
    """The plan of one query, as lines."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return [line for (line,) in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        rows, depth = cursor.fetchall(), {0: 0}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        return lines


# One database, in this process.


def run(db, options):
    # whitenoise looks for collected static files, which the benchmark does not need.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        os.environ.pop("DATABASE_URL", None)
        if db == "postgres":
            recreate_postgres(options.postgres_url)
            os.environ["DATABASE_URL"] = options.postgres_url
        try:
            setup_django(str(Path(directory) / "bench.sqlite3"))
            result = bench(db, options)
        finally:
            if db == "postgres":
                from django.db import connections

                connections.close_all()
                recreate_postgres(options.postgres_url, create=False)
    result["seconds"] = time.perf_counter() - started
    return result


def recreate_postgres(url, create=True):
    """Drop the bench database (and make it again, empty): never the test suite's."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "newsreader", "postgres", "template0", "template1"):
        raise SystemExit(f"Refusing to drop the database {name!r}: pick a throwaway name.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def gather_statistics(connection, sqlite_analyze):
    """What PostgreSQL's autovacuum does soon after a bulk write (statistics, the
    visibility map), and how long it took. SQLite: nothing (None), as in the app,
    which never runs ANALYZE, unless `sqlite_analyze` (to see what that changes)."""
    statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    if connection.vendor == "sqlite" and not sqlite_analyze:
        return None
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return {"statement": statement, "seconds": time.perf_counter() - started}


def bench(db, options):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    import newsreader.settings as production
    from articles.models import Article
    from teams.models import Membership

    user, team = bench_team()
    members = [user]
    for name in ("ana", "ben"):
        member = get_user_model().objects.create_user(name)
        Membership.objects.create(team=team, user=member, role=Membership.Role.MEMBER)
        members.append(member)
    build = {"database": connection.vendor, "size_empty": database_size(connection)}

    print(f"[{db}] generating {options.articles:,} articles", flush=True)
    started = time.perf_counter()
    build["made"] = generate(team, members, options.articles, options.seed)
    build["generate_seconds"] = time.perf_counter() - started
    build["statistics"] = [gather_statistics(connection, options.sqlite_analyze)]
    started = time.perf_counter()
    Article.objects.all().count_annotations()
    build["count_seconds"] = time.perf_counter() - started
    build["statistics"].append(gather_statistics(connection, options.sqlite_analyze))
    build["size_data"] = database_size(connection)

    if importlib.util.find_spec("search.index") and hasattr(
        importlib.import_module("search.index"), "rebuild"
    ):
        from search.index import rebuild

        print(f"[{db}] building the search index", flush=True)
        started = time.perf_counter()
        rebuilt = rebuild()
        build["index_seconds"] = time.perf_counter() - started
        build["index_entries"] = dict(rebuilt.counts)
        build["size_indexed"] = database_size(connection)
        build["search_tables"] = search_tables_size(connection)
    else:
        build["index_error"] = "search.index.rebuild is not there: no index built"

    # tests.settings turns the library's page cache off; the app runs with it.
    settings.LIBRARY_CACHE_SECONDS = getattr(production, "LIBRARY_CACHE_SECONDS", 0)
    build["page_cache_seconds"] = settings.LIBRARY_CACHE_SECONDS
    client = Client()
    client.force_login(user)
    print(f"[{db}] timing {options.requests} requests per page", flush=True)
    rows = [measure(client, *page, options.requests) for page in pages(team)]
    if not importlib.util.find_spec("search.engine"):
        for row in rows:
            if row["kind"] == "search" and row["error"]:
                row["error"] = "search.engine missing: " + row["error"]
    plans = explain_slowest(connection, rows, options.explain)
    return {"db": db, "articles": options.articles, "build": build, "rows": rows, "plans": plans}


def explain_slowest(connection, rows, count):
    """The plans of the heaviest queries of the `count` slowest library pages and
    the `count` slowest searches (by p95)."""
    plans, slowest = [], []
    for kind in TARGETS:
        timed_rows = [row for row in rows if "rendered" in row and row["kind"] == kind]
        slowest += sorted(timed_rows, key=lambda row: row["rendered"][1], reverse=True)[:count]
    for row in slowest:
        for ms, where, sql, params in row["_slowest"][:2]:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            try:
                lines = explain(connection, sql, params)
            except Exception as error:  # noqa: BLE001 - a plan is a nicety
                lines = [f"(no plan: {type(error).__name__}: {error})"]
            plans.append({"label": row["label"], "ms": ms, "where": where, "sql": sql})
            plans[-1].update(params=repr(params)[:300], plan=lines)
    for row in rows:
        row.pop("_slowest", None)
    return plans


# Output.


def mb(size):
    return f"{size / 1e6:,.1f} MB" if size is not None else "?"


def report(result):
    build, rows = result["build"], result["rows"]
    made = ", ".join(f"{count:,} {name}" for name, count in build["made"].items())
    print(f"\n== {result['db']} ({build['database']}): {made}")
    vacuum = ""
    if build["statistics"][0]:
        spent = " and ".join(f"{run['seconds']:.1f} s" for run in build["statistics"])
        vacuum = f", {build['statistics'][0]['statement']} before and after: {spent}"
    print(
        f"generated in {build['generate_seconds']:.1f} s, count_annotations "
        f"{build['count_seconds']:.1f} s{vacuum}; database {mb(build['size_data'])} "
        f"(empty: {mb(build['size_empty'])})"
    )
    if "index_seconds" in build:
        verdict = "PASS" if build["index_seconds"] < INDEX_TARGET_SECONDS else "FAIL"
        entries = sum(build["index_entries"].values())
        print(
            f"search index: built in {build['index_seconds']:.1f} s (target < "
            f"{INDEX_TARGET_SECONDS} s: {verdict}), {entries:,} entries "
            f"({', '.join(f'{n:,} {kind}' for kind, n in build['index_entries'].items())}); "
            f"database {mb(build['size_data'])} → {mb(build['size_indexed'])} "
            f"(+{mb(build['size_indexed'] - build['size_data'])}), "
            f"search tables {mb(build['search_tables'])}"
        )
    else:
        print(f"search index: {build['index_error']}")
    print(f"library page cache: {build.get('page_cache_seconds', 0)} s (LIBRARY_CACHE_SECONDS)")
    baseline = next((row for row in rows if row["kind"] == "trivial" and "rendered" in row), None)
    baseline = baseline["rendered"][1] if baseline else float("nan")
    print(f"{'':35}{'cached (a repeat view)':^24}  {'rendered (cache cleared)':^24}")
    timing = f"{'median':>7} {'p95':>7} {'×triv':>7}"
    header = f"{'page':34} {timing}  {timing} {'target':>6} {'cached':>6} {'render':>6}"
    print(f"{header} {'queries':>7} {'SQL ms':>7} {'cards':>5}")
    for row in rows:
        if "rendered" not in row:
            print(f"{row['label']:34} {'ERROR':>7}  {row['error']}")
            continue
        target = TARGETS.get(row["kind"])
        columns, verdicts = [], []
        for name in ("cached", "rendered"):
            if name not in row:
                columns.append(f"{'':7} {'':7} {'':7}")
                continue
            median, p95 = row[name]
            ratio = p95 / baseline
            columns.append(f"{median:7.1f} {p95:7.1f} {ratio:7.1f}")
            verdicts.append(("PASS" if ratio <= target else "FAIL") if target else "")
        if row["error"]:
            verdicts = ["WRONG", "WRONG"]
        verdicts = (verdicts + ["", ""])[:2]
        limit = f"≤{target:g}×" if target else ""
        queries = f"{row['queries']}" + (f"/{row['cached_queries']}" if target else "")
        print(
            f"{row['label']:34} {columns[0]}  {columns[1]} {limit:>6} {verdicts[0]:>6} "
            f"{verdicts[1]:>6} {queries:>7} {row['sql_ms']:7.1f} {row['cards']:>5}"
        )
        if row["error"]:
            print(f"{'':36}{row['error']}")
    print("\nheaviest query of each page (one request): ms, share of its SQL time, made in")
    for row in rows:
        if row.get("heaviest"):
            ms, where, _ = row["heaviest"][0]
            share = ms / row["sql_ms"] if row["sql_ms"] else 0
            print(f"  {row['label']:34} {ms:8.1f} {share:5.0%}  {where}")
    for plan in result["plans"]:
        print(f"\nslow query of “{plan['label']}”, {plan['ms']:.1f} ms once, from {plan['where']}:")
        print("  " + plan["sql"][:1500])
        print("  params: " + plan["params"])
        print("\n".join("    " + line for line in plan["plan"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", type=int, default=1, help="slowest pages of a kind to explain")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument(
        "--sqlite-analyze", action="store_true", help="run ANALYZE on SQLite too (the app does not)"
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.only:
        result = run(options.only, options)
        if options.json:
            Path(options.json).write_text(json.dumps(result))
        else:
            report(result)
        return

    databases = ["sqlite", "postgres"] if options.db == "both" else [options.db]
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for db in databases:
            output = Path(directory) / f"{db}.json"
            arguments = [
                f"--{name.replace('_', '-')}" + ("" if value is True else f"={value}")
                for name, value in vars(options).items()
                if name not in ("only", "json", "db") and value is not False
            ]
            subprocess.run(  # noqa: S603 - our own script, our arguments
                [sys.executable, __file__, *arguments, "--only", db, "--json", str(output)],
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(output.read_text()))
    print(f"\nlibrary benchmark: {options.articles:,} articles, {options.requests} requests a page")
    for result in results:
        report(result)
    analyze = " --sqlite-analyze" if options.sqlite_analyze else ""
    print(
        "\nreproduce: .venv/bin/python bench/library.py "
        f"--db {options.db} --articles {options.articles} --requests {options.requests} "
        f"--explain {options.explain}{analyze}"
    )


if __name__ == "__main__":
    main()
