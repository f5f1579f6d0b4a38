"""Import throughput against raw extraction throughput, in one run.

Generates a JSON Lines batch of N articles (HTML pages with page furniture,
each different), then, each in its own process so peak memory is its own:

- raw: extract() every page, nothing else (the ceiling for an import);
- import: the real import (stage_batch + run_batch) into a fresh SQLite
  database, timing extraction and database work separately.

    .venv/bin/python bench/import.py [--articles 10000]

Prints articles per second, the ratio import/raw, peak memory (max RSS) of
each process, and the share of import time spent extracting versus writing.
Run it with two sizes to see that memory does not grow with the batch.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import bench_team, paragraph, setup_django  # noqa: E402


def page(n, rng):
    paragraphs = "".join(
        f"<p>{paragraph(rng, sentences=(3, 6), words=(8, 16))} Article {n}.</p>"
        for _ in range(rng.randint(6, 12))
    )
    return (
        f"<html><head><title>Story {n}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>Story {n}</h1><div class='share'>Share on Facebook · Tweet</div>"
        f"{paragraphs}<aside>Related: other stories</aside></article>"
        "<footer>© Newsroom. All rights reserved.</footer></body></html>"
    )


def generate(path, count, seed=1):
    rng = random.Random(seed)
    with open(path, "w") as out:
        for n in range(count):
            row = {
                "title": f"Story {n}",
                "url": f"https://news.example.com/{n}",
                "html": page(n, rng),
            }
            out.write(json.dumps(row) + "\n")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_raw(path):
    from newsreader.lib.extraction import extract

    started = time.perf_counter()
    count = 0
    with open(path) as lines:
        for line in lines:
            row = json.loads(line)
            extract(row["html"].encode(), url=row["url"])
            count += 1
    return {"seconds": time.perf_counter() - started, "count": count, "peak_mb": peak_mb()}


def run_import(path, database):
    workers = int(os.environ.get("BENCH_IMPORT_WORKERS", "2"))
    setup_django(database, IMPORT_WORKERS=workers)
    from django.conf import settings

    from imports import batches as importing

    user, team = bench_team()

    spent = {"extract": 0.0, "prepare": 0.0, "write": 0.0, "stage": 0.0}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    # In-process, "extract" is fetching and extraction; with worker processes
    # it happens there, and "prepare" (building the articles) includes the wait.
    if not settings.IMPORT_WORKERS:  # a worker process gets the function by name
        importing.fetch_and_extract = timed("extract", importing.fetch_and_extract)
    importing._prepare = timed("prepare", importing._prepare)
    importing._write_chunk = timed("write", importing._write_chunk)
    started = time.perf_counter()
    batch = importing.stage_batch(team, user, [{"name": path.name, "path": path}], "jsonl")
    spent["stage"] = time.perf_counter() - started
    batch = importing.run_batch(batch)
    total = time.perf_counter() - started
    return {
        "seconds": total,
        "count": batch.created_count,
        "failed": batch.failed_count,
        "peak_mb": peak_mb(),
        **spent,
    }


def child(mode, path, database):
    result = run_raw(path) if mode == "raw" else run_import(path, database)
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument(
        "--workers", type=int, default=2, help="IMPORT_WORKERS for the import (0: in-process)"
    )
    parser.add_argument("--child", choices=["raw", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.child, Path(options.path), options.database)

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "batch.jsonl"
        generate(path, options.articles)
        results = {}
        for mode in ("raw", "import"):
            output = subprocess.run(  # noqa: S603 - our own script, our arguments
                [sys.executable, __file__, "--child", mode, "--path", str(path),
                 "--database", str(Path(directory) / "bench.sqlite3")],
                capture_output=True, text=True, check=True, cwd=ROOT,
                env={**os.environ, "BENCH_IMPORT_WORKERS": str(options.workers)},
            ).stdout  # fmt: skip
            results[mode] = json.loads(output.strip().splitlines()[-1])
    raw, imported = results["raw"], results["import"]
    raw_rate = raw["count"] / raw["seconds"]
    import_rate = imported["count"] / imported["seconds"]
    print(f"import benchmark: {options.articles:,} generated articles (JSON Lines, HTML pages)")
    print(f"{'':28} {'articles/s':>11} {'seconds':>9} {'peak MB':>8}")
    print(f"{'raw extraction':28} {raw_rate:11.1f} {raw['seconds']:9.1f} {raw['peak_mb']:8.0f}")
    imported_row = f"{import_rate:11.1f} {imported['seconds']:9.1f} {imported['peak_mb']:8.0f}"
    print(f"{'import (stage + run)':28} {imported_row}")
    print(f"import / raw throughput: {import_rate / raw_rate:.2f}")
    total = imported["seconds"]
    print(
        f"import time: extraction {imported['extract'] / total:.0%}, "
        f"building articles and anchoring {imported['prepare'] / total:.0%}, "
        f"database writes {imported['write'] / total:.0%}, staging {imported['stage'] / total:.0%}"
    )
    print(f"created {imported['count']:,}, failed {imported['failed']:,}")
    print(f"import workers: {options.workers} (raw extraction: 1 process; peaks: main process)")
    print(
        "reproduce: .venv/bin/python bench/import.py "
        f"--articles {options.articles} --workers {options.workers}"
    )


if __name__ == "__main__":
    main()
