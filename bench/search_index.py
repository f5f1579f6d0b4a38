"""Building the search index, and searching it, at library scale.

Fills a fresh database with N generated articles (~600 words each, from a
30,000-word vocabulary with a Zipf-like spread) and highlights, highlight
notes, replies and article notes (about half as many as articles, together)
through bulk inserts, which send no signals, so the index starts empty. Then:

- rebuild(): the set-based build, timed, and the database's growth;
- rebuild() again: wipe and build (what `manage.py rebuild_search_index` does);
- a few searches over the whole team: rank_articles() for a page, and
  match_snippets() for it.

    .venv/bin/python bench/search_index.py [--articles 100000]
    .venv/bin/python bench/search_index.py --postgres [--database-url postgres://…/postgres]

SQLite runs on a temporary file. --postgres (re)creates a database
`newsreader_search_bench` through the given server URL (the role needs
CREATEDB, as the test role has) and drops it at the end.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import WORDS, bench_team  # noqa: E402

BENCH_DATABASE = "newsreader_search_bench"
SEARCHES = ["ferry", "ferries council", '"battery boat"', "harb*", "ferry -storm", "zzqx"]


def vocabulary(rng, size=30_000):
    syllables = ["ka", "lo", "mi", "ne", "ra", "su", "to", "vi", "be", "do", "gu", "pe", "sha"]
    words = set(WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    words = sorted(words)
    rng.shuffle(words)
    # Zipf-like: the n-th word is drawn about 1/n as often as the first.
    weights, total = [], 0.0
    for n in range(len(words)):
        total += 1 / (n + 1)
        weights.append(total)
    return words, weights


def sentences(rng, count=20_000):
    words, weights = vocabulary(rng)
    return [
        " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(8, 20))).capitalize() + "."
        for _ in range(count)
    ]


def fill(team, user, articles, rng, batch=1000):
    """Bulk-insert the articles and what is on them; returns the counts."""
    from articles.models import Article, ArticleNote, Highlight, Reply

    pool = sentences(rng)
    counts = {"article": 0, "highlight": 0, "note": 0, "reply": 0, "article_note": 0}
    for first in range(0, articles, batch):
        rows = []
        for n in range(first, min(articles, first + batch)):
            text = "\n\n".join(
                " ".join(rng.choices(pool, k=8)) for _ in range(5)
            )  # ~40 sentences, ~560 words
            rows.append(
                Article(
                    team=team,
                    added_by=user,
                    title=f"Story {n}: {pool[n % len(pool)][:60]}",
                    byline="Bench Writer",
                    site_name="bench.example",
                    language="en" if n % 10 else "de",
                    original=b"",
                    kind=Article.Kind.TEXT,
                    html="",
                    text=text,
                    extractor_version="bench",
                )
            )
        created = Article.objects.bulk_create(rows)
        counts["article"] += len(created)
        highlights, notes = [], []
        for article in created[::3]:  # a third of the articles have a highlight
            highlights.append(
                Highlight(
                    article=article,
                    author=user,
                    exact=article.text[200:260],
                    start=200,
                    end=260,
                    note=rng.choice(pool) if rng.random() < 0.33 else "",
                )
            )
            if rng.random() < 0.15:
                notes.append(ArticleNote(article=article, author=user, body=rng.choice(pool)))
        highlights = Highlight.objects.bulk_create(highlights)
        replies = [
            Reply(highlight=h, author=user, body=rng.choice(pool))
            for h in highlights
            if rng.random() < 0.15
        ]
        Reply.objects.bulk_create(replies)
        ArticleNote.objects.bulk_create(notes)
        counts["highlight"] += len(highlights)
        counts["note"] += sum(1 for h in highlights if h.note)
        counts["reply"] += len(replies)
        counts["article_note"] += len(notes)
    return counts


def database_bytes():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA freelist_count")
            pages -= cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def postgres_url(server_url, name):
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_postgres(server_url, drop_only=False):
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")


def setup(options, directory):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    if options.postgres:
        recreate_postgres(options.database_url)
        os.environ["DATABASE_URL"] = postgres_url(options.database_url, BENCH_DATABASE)
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(Path(directory) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def search(user):
    from articles.models import Article
    from search.engine import match_snippets, rank_articles

    articles = Article.objects.visible_to(user).for_list()
    for q in SEARCHES:
        started = time.perf_counter()
        ranked, more = rank_articles(user, q, articles)
        ranked_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        snippets = match_snippets(user, q, [pk for pk, _ in ranked])
        snippet_ms = (time.perf_counter() - started) * 1000
        print(
            f"  {q!r:22} page of {len(ranked):2} (more: {more!s:5}) "
            f"rank {ranked_ms:7.1f} ms, snippets {snippet_ms:6.1f} ms "
            f"({sum(len(m) for m in snippets.values())} matches)"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--database-url",
        default="postgres://newsreader:newsreader@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to create the bench database on",
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup(options, directory)
        try:
            run(options)
        finally:
            if options.postgres and not options.keep:
                from django.db import connections

                connections.close_all()
                recreate_postgres(options.database_url, drop_only=True)


def run(options):
    from django.db import connection

    from search.index import rebuild

    user, team = bench_team()
    started = time.perf_counter()
    counts = fill(team, user, options.articles, random.Random(1))
    print(f"search index benchmark on {connection.vendor} ({connection.Database.__name__})")
    print(
        "generated in {:.0f} s: {}".format(
            time.perf_counter() - started, ", ".join(f"{n:,} {k}" for k, n in counts.items())
        )
    )
    if connection.vendor == "postgresql":
        # What autovacuum would have done by now: without statistics on the
        # new articles the planner walks them one by one instead of the index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    before = database_bytes()
    first = rebuild()
    after = database_bytes()
    print(
        f"rebuild (empty index): {first.total:,} entries in {first.seconds:.1f} s; "
        f"database {before / 2**20:,.0f} MB -> {after / 2**20:,.0f} MB "
        f"(+{(after - before) / 2**20:,.0f} MB)"
    )
    again = rebuild()
    print(f"rebuild (wipe and build): {again.total:,} entries in {again.seconds:.1f} s")
    print("searches over the whole team (a page of 20, then its snippets):")
    search(user)
    print(
        "reproduce: .venv/bin/python bench/search_index.py "
        f"--articles {options.articles}{' --postgres' if options.postgres else ''}"
    )


if __name__ == "__main__":
    main()
