"""The reader's server time against a trivial view of the same app, in one run.

Builds a throwaway SQLite database with one article of about 10,000 words and
1,000 highlights, then times requests through Django's full stack (URL
routing, middleware, sessions, auth, templates) with the test client:

    .venv/bin/python bench/reader.py [--requests 300] [--highlights 1000] [--words 10000]

Prints median and p95 milliseconds for /healthz/ (the trivial view: no
session, no template), /login/ (a trivial page: the same base template, CSRF,
no database), a highlight's own page (a small page through the same session,
auth and team-scoped access as the reader), the reader served from its
fragment cache (every view after the first), and the reader rendered from
scratch (cache cleared before each request).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import bench_team, paragraph, setup_django  # noqa: E402


def make_article(words, seed):
    from articles.originals import create_article

    rng = random.Random(seed)
    user, team = bench_team()
    paragraphs, count = [], 0
    while count < words:
        text = paragraph(rng)
        count += len(text.split())
        paragraphs.append(text)
    markdown = "# A long article\n\n" + "\n\n".join(paragraphs)
    return user, create_article(team, markdown, user=user, filename="long.md")


def add_highlights(article, user, count, seed):
    from articles.models import Highlight
    from newsreader.lib.anchoring import describe

    rng = random.Random(seed)
    text, taken, rows = article.text, set(), []
    while len(rows) < count:
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(10, 180)
        if (start, end) in taken or not text[start:end].strip():
            continue
        selector = describe(text, start, end)
        taken.add((start, end))
        rows.append(
            Highlight(
                article=article,
                author=user,
                colour=rng.choice(["yellow", "green", "blue", "red"]),
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                start=selector.start,
                end=selector.end,
                note="A note with *emphasis*." if rng.random() < 0.2 else "",
                note_html="<p>A note with <em>emphasis</em>.</p>" if rng.random() < 0.2 else "",
            )
        )
    Highlight.objects.bulk_create(rows, ignore_conflicts=True)
    article.touch_annotations()


def timed(client, url, requests, before=None):
    samples = []
    for _ in range(requests):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--highlights", type=int, default=1000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        setup_django(str(Path(directory) / "bench.sqlite3"))
        from django.core.cache import cache
        from django.test import Client

        user, article = make_article(options.words, options.seed)
        add_highlights(article, user, options.highlights, options.seed)
        client = Client()
        client.force_login(user)
        reader = f"/articles/{article.pk}/"
        first_highlight = article.highlights.order_by("pk").values_list("pk", flat=True)[0]
        client.get(reader)  # warm the templates and the fragment cache
        client.get("/healthz/")
        anonymous = Client()

        rows = [
            ("/healthz/ (trivial view)", timed(client, "/healthz/", options.requests)),
            ("/login/ (trivial page)", timed(anonymous, "/login/", options.requests)),
            (
                "highlight page (small, logged in)",
                timed(client, f"/highlights/{first_highlight}/", options.requests),
            ),
            ("reader, cached fragments", timed(client, reader, options.requests)),
            (
                "reader, rendered each time",
                timed(client, reader, max(20, options.requests // 10), before=cache.clear),
            ),
        ]
        print(
            f"reader benchmark: {article.word_count:,} words, "
            f"{article.highlights.count():,} highlights, {options.requests} requests"
        )
        header = f"{'view':34} {'median ms':>9} {'p95 ms':>8} {'×healthz':>8} {'×login':>7}"
        print(f"{header} {'×small':>7} {'bytes':>10}")
        baselines = [rows[0][1][0], rows[1][1][0], rows[2][1][0]]
        for label, (median, p95, size) in rows:
            ratios = " ".join(f"{median / base:7.1f}" for base in baselines)
            print(f"{label:34} {median:9.2f} {p95:8.2f} {ratios} {size:10,}")
        print(
            "reproduce: .venv/bin/python bench/reader.py "
            f"--requests {options.requests} --highlights {options.highlights} "
            f"--words {options.words}"
        )


if __name__ == "__main__":
    main()
