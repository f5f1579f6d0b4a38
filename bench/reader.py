"""The reader's server time against a trivial view of the same app, in one run.

Builds a throwaway SQLite database with one article of about 10,000 words and
1,000 highlights, then times requests through Django's full stack (URL
routing, middleware, sessions, auth, templates) with the test client:

    .venv/bin/python bench/reader.py [--requests 300] [--highlights 1000] [--words 10000]
        [--readers 10] [--rounds 10] [--cache database|redis://127.0.0.1:6379/6]

Prints median and p95 milliseconds for /healthz/ (the trivial view: no
session, no template), /login/ (a trivial page: the same base template, CSRF,
no database), a highlight's own page (a small page through the same session,
auth and team-scoped access as the reader), the reader served from its
fragment cache (every view after the first), and the reader rendered from
scratch (cache cleared before each request).

Then a busy team: `--readers` teammates have the article open and poll for
changes (as their readers do every few seconds) while one member highlights,
`--rounds` times. Printed per new highlight: the CPU time of the annotator's
request and of every poll, also in cold renders of the reader; the bytes sent
to the readers and to the annotator; and a poll's CPU time when nothing is new.
Twice: a team of members only, and one with a read-only member and one who
has a private highlight (each sees other highlights or controls, so each is
rendered apart). The cache is the shared one the app uses in production: the
database cache, or Redis with `--cache redis://...`.
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
    """(median ms, p95 ms, median CPU ms, bytes): CPU time is what other load on a
    shared machine disturbs least."""
    samples, cpu = [], []
    for _ in range(requests):
        if before:
            before()
        started, began = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - began) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    return statistics.median(samples), p95, statistics.median(cpu), len(response.content)


def team_of(team, readers, read_only, private, prefix):
    """`readers` logged-in teammates: the last `read_only` of them read-only, the first
    `private` with a private highlight of their own (each sees highlights no one else does)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from teams.models import Membership

    clients = []
    for n in range(readers):
        user = get_user_model().objects.create_user(f"reader-{prefix}{n}")
        role = Membership.Role.READ_ONLY if n >= readers - read_only else Membership.Role.MEMBER
        Membership.objects.create(team=team, user=user, role=role)
        client = Client()
        client.force_login(user)
        clients.append((client, user, n < private))
    return clients


def _token(html):
    return html.split("/updates/?since=")[1].split('"')[0].split("&")[0]


def busy_team(article, annotator, clients, rounds, seed):
    """One member highlights `rounds` times; after each, every reader polls once (as
    their open reader does every few seconds). Returns figures per new highlight."""
    from articles.highlighting import create_highlight, text_stamp

    rng = random.Random(seed)
    reader_url = f"/articles/{article.pk}/"
    updates = f"/articles/{article.pk}/updates/"
    tokens = []
    for _, user, private in clients:
        if private:
            start = rng.randrange(0, len(article.text) - 100)
            create_highlight(article, user, start, start + 20, "blue", visibility="private")
    for client, _, _ in clients:
        tokens.append(_token(client.get(reader_url).content.decode()))
    cpu, sent, annotator_sent, idle = [], [], [], []
    annotate = f"/articles/{article.pk}/highlights/"
    for _ in range(rounds):
        start = rng.randrange(0, len(article.text) - 200)
        began = time.process_time()
        response = annotator.post(
            annotate,
            {"start": start, "end": start + 40, "colour": "green", "stamp": text_stamp(article)},
            headers={"HX-Request": "true"},
        )
        assert response.status_code in (200, 201), response.status_code
        annotator_sent.append(len(response.content))
        total = 0
        for index, (client, _, _) in enumerate(clients):
            response = client.get(updates, {"since": tokens[index]}, headers={"HX-Request": "true"})
            assert response.status_code == 200, response.status_code
            tokens[index] = _token(response.content.decode())
            total += len(response.content)
        cpu.append((time.process_time() - began) * 1000)
        sent.append(total)
        began = time.process_time()
        for index, (client, _, _) in enumerate(clients):
            response = client.get(updates, {"since": tokens[index]}, headers={"HX-Request": "true"})
            assert response.status_code == 204, response.status_code
        idle.append((time.process_time() - began) * 1000 / len(clients))
    return {
        "cpu": statistics.median(cpu),
        "sent": statistics.median(sent),
        "annotator": statistics.median(annotator_sent),
        "idle": statistics.median(idle),
    }


def cold_cpu(client, url, requests):
    """Median CPU milliseconds of rendering the reader with nothing cached."""
    from django.core.cache import cache

    samples = []
    for _ in range(requests):
        cache.clear()
        began = time.process_time()
        assert client.get(url).status_code == 200
        samples.append((time.process_time() - began) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--highlights", type=int, default=1000)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--readers", type=int, default=10, help="teammates polling")
    parser.add_argument("--read-only", type=int, default=1, help="of them read-only")
    parser.add_argument("--private", type=int, default=1, help="of them with a private highlight")
    parser.add_argument("--rounds", type=int, default=10, help="new highlights while they poll")
    parser.add_argument(
        "--cache",
        default="database",
        help="the shared cache: database (the default), or a redis:// URL",
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        if options.cache == "database":
            backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}
            backend["LOCATION"] = "bench_cache"
        else:
            backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
            backend["LOCATION"] = options.cache
        setup_django(str(Path(directory) / "bench.sqlite3"), CACHES={"default": backend})
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client

        call_command("createcachetable", verbosity=0)
        cache.clear()

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
        print(f"{header} {'×small':>7} {'CPU ms':>7} {'CPU ×small':>10} {'bytes':>10}")
        baselines = [rows[0][1][0], rows[1][1][0], rows[2][1][0]]
        for label, (median, p95, cpu, size) in rows:
            ratios = " ".join(f"{median / base:7.1f}" for base in baselines)
            cpu_ratio = cpu / rows[2][1][2]
            print(
                f"{label:34} {median:9.2f} {p95:8.2f} {ratios} {cpu:7.2f} {cpu_ratio:10.1f} "
                f"{size:10,}"
            )
        cold = cold_cpu(client, reader, max(10, options.requests // 20))
        teams = [
            ("all members", team_of(article.team, options.readers, 0, 0, "a")),
            (
                f"{options.read_only} read-only, {options.private} with a private highlight",
                team_of(article.team, options.readers, options.read_only, options.private, "b"),
            ),
        ]
        figures = [busy_team(article, client, teams[0][1], options.rounds, options.seed)]
        figures.append(busy_team(article, client, teams[1][1], options.rounds, options.seed + 1))
        print(
            f"\n{options.readers} teammates polling while one member highlights, "
            f"{options.rounds} times (CPU of this process; cache: {options.cache}); "
            f"a cold render of the reader: {cold:.1f} CPU ms"
        )
        print(f"{'per new highlight':44} " + " ".join(f"{name:>36}" for name, _ in teams))
        rows = [
            ("CPU ms (the annotator's POST and the polls)", "{cpu:.1f}"),
            ("  in cold renders", "{renders:.2f}"),
            ("bytes sent to the readers", "{sent:,.0f}"),
            ("  per reader", "{per_reader:,.0f}"),
            ("bytes of the annotator's own answer", "{annotator:,.0f}"),
            ("CPU ms of a poll with nothing new", "{idle:.2f}"),
        ]
        for label, form in rows:
            values = [
                form.format(
                    **figure,
                    renders=figure["cpu"] / cold,
                    per_reader=figure["sent"] / options.readers,
                )
                for figure in figures
            ]
            print(f"{label:44} " + " ".join(f"{value:>36}" for value in values))
        print(
            "reproduce: .venv/bin/python bench/reader.py "
            f"--requests {options.requests} --highlights {options.highlights} "
            f"--words {options.words} --readers {options.readers} --rounds {options.rounds}"
        )


if __name__ == "__main__":
    main()
