"""Article-body extraction quality and speed: ours against open-source references, in one run.

Run from the project root (no Django needed):

    .venv/bin/python bench/extraction.py [DATASET ...]
        [--json results.json] [--compare old.json] [--only ours,trafilatura]
        [--repeat 3] [--clock cpu|wall] [--limit N] [--titles]

Each DATASET (by default the three development sets in
``../shared/data/extraction/``: scrapinghub, readability, cleanportaleval, all
in one run, with an overview of ours against the best reference on each) is a
directory laid out like the Scrapinghub/Zyte article-extraction
benchmark: ``ground-truth.json`` (``{id: {"articleBody": ..., "url": ...}}``) and
``html/<id>.html.gz`` (UTF-8).

Systems, each given every page in turn (the order rotates from page to page so
that no system always runs on a warm cache):

- ``ours``: ``newsreader.lib.extraction.extract()`` — the function the app and the
  ``manage.py extract`` command call — on the page's bytes with its URL; the
  scored text is the extraction's canonical text (``.text``).
- ``trafilatura``: ``trafilatura.extract(html)`` with default settings except
  ``include_comments=False``, as in the benchmark's own runner.
- ``trafilatura-precision``: the same with ``favor_precision=True``.
- ``readability-lxml``: ``Document(html).summary(html_partial=True)``, turned
  into text block by block.

The metric is the benchmark's, as its README states it: tokens are the matches
of ``\\w+``; per page, the multisets of 4-token shingles of the truth and the
prediction give TP (shared), FP (extra in the prediction) and FN (missing),
normalised by their sum so that every page weighs the same; per-page precision
TP/(TP+FP) and recall TP/(TP+FN), 1.0 when FP = FN = 0 and 0.0 when TP = FP = 0
(resp. TP = FN = 0); dataset precision and recall are the means over pages and
F1 = 2PR/(P+R) of those means. (The benchmark's evaluate.py leaves a page with
an empty prediction out of the precision mean; the README's rule counts it as
0, which can only lower a score, so that is what is used here.) Accuracy is
the share of pages whose token lists are identical.

Before each run of every system, the caches of pure functions of a page's
text are emptied: the extractor's (of boilerplate, byline and date lines, and
of site names) and those trafilatura and htmldate keep of lines and date
strings. Every run sees the page for the first time, as the first run of a
page does.

Time per page is the process's CPU time by default (every system is single-
threaded, and CPU time does not count the time other programs on the machine
take; ``--clock wall`` measures wall-clock time instead), the fastest of
``--repeat`` runs (3 by default), each started after a garbage collection so
that no system pays for another's garbage; the table shows the median and the
total. The runs are passes over the whole set, so that a page's runs are
spread over the benchmark rather than back to back. ``--json`` writes
per-page scores (and texts) for every system; ``--compare`` reads such a
file and lists the pages where our F1 changed most.
``--titles`` also scores our titles against each page's headline where the page
itself establishes one (see ``headline_of``), and counts the pages whose text
starts with the title again.
"""

import argparse
import gc
import gzip
import html as html_lib
import json
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htmldate import extractors, validators  # noqa: E402
from lxml import etree  # noqa: E402
from lxml import html as lxml_html  # noqa: E402
from trafilatura import utils  # noqa: E402

from newsreader.lib.extraction import clear_caches, extract  # noqa: E402

# The caches the libraries keep of a page's text (lines, date strings): emptied
# before every run, as ours are. (trafilatura's runs and ours share them.)
LIBRARY_CACHES = (
    utils.line_processing,
    utils.trim,
    extractors.try_date_expr,
    validators._parse_and_validate,
    validators.filter_ymd_candidate,
)

TOKEN = re.compile(r"\w+")
SHINGLE = 4


# --- The metric ------------------------------------------------------------------


def tokens(text):
    return TOKEN.findall(text or "")


def shingles(text):
    words = tokens(text)
    # A text shorter than one shingle is one short shingle (as in the benchmark).
    count = max(1, len(words) - SHINGLE + 1)
    return Counter(tuple(words[i : i + SHINGLE]) for i in range(count) if words[i : i + SHINGLE])


def page_counts(truth, prediction):
    """Normalised (TP, FP, FN) of one page."""
    expected, found = shingles(truth), shingles(prediction)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_scores(tp, fp, fn):
    """(precision, recall) of one page, with the README's rules for empty sides."""
    if fp == fn == 0:
        return 1.0, 1.0
    precision = 0.0 if tp == fp == 0 else tp / (tp + fp)
    recall = 0.0 if tp == fn == 0 else tp / (tp + fn)
    return precision, recall


def summarise(rows):
    """Dataset precision, recall, F1 and accuracy from per-page rows."""
    precision = statistics.mean(row["precision"] for row in rows)
    recall = statistics.mean(row["recall"] for row in rows)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.mean(1.0 if row["exact"] else 0.0 for row in rows)
    return precision, recall, f1, accuracy


# --- The systems -------------------------------------------------------------------


def run_ours(raw, html, url):
    return extract(raw, url=url, kind="html").text


def run_trafilatura(raw, html, url, **options):
    import trafilatura

    return trafilatura.extract(html, include_comments=False, **options) or ""


def run_trafilatura_precision(raw, html, url):
    return run_trafilatura(raw, html, url, favor_precision=True)


_BLOCKS = frozenset(
    ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption")
    + ("figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main")
    + ("nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul")
)


def html_to_text(fragment):
    """Text of an HTML fragment, with a line break at every block boundary."""
    if not fragment.strip():
        return ""
    root = lxml_html.fromstring(fragment)
    parts = []

    def walk(element):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.tail:
                parts.append(element.tail)
            return
        block = element.tag in _BLOCKS
        if element.tag in ("script", "style"):
            parts.append("\n" if block else "")
        else:
            if block:
                parts.append("\n")
            parts.append(element.text or "")
            for child in element:
                walk(child)
            if block:
                parts.append("\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def run_readability(raw, html, url):
    from readability import Document

    return html_to_text(Document(html).summary(html_partial=True))


SYSTEMS = {
    "ours": run_ours,
    "trafilatura": run_trafilatura,
    "trafilatura-precision": run_trafilatura_precision,
    "readability-lxml": run_readability,
}
REFERENCES = [name for name in SYSTEMS if name != "ours"]


# --- Titles --------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _words(value):
    return [word.casefold() for word in TOKEN.findall(value or "")]


def _json_ld_headlines(tree):
    found = []

    def visit(node):
        if isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith(("Article", "BlogPosting")) for k in kinds):
                headline = node.get("headline")
                if isinstance(headline, str) and headline.strip():
                    found.append(html_lib.unescape(headline))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            visit(json.loads(script.text_content() or "null", strict=False))
        except (ValueError, RecursionError):
            continue
    return found


def headline_of(html):
    """The page's own headline, when two independent places of the page agree on it.

    Candidates: the schema.org headline of an Article in JSON-LD, the
    ``og:title``/``twitter:title`` meta, and the text of each ``<h1>`` of the
    body. A headline is *established* when at least two different kinds of
    source carry the same words (case and punctuation ignored); otherwise the
    page is left out of the title score.
    """
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    sources = {
        "json-ld": _json_ld_headlines(tree),
        "meta": [
            element.get("content", "")
            for element in tree.xpath(
                "//meta[@property='og:title' or @name='twitter:title' or @property='twitter:title']"
            )
        ],
        "h1": [_SPACE.sub(" ", h1.text_content()).strip() for h1 in tree.xpath("//body//h1")],
    }
    votes = {}
    for kind, values in sources.items():
        for value in values:
            key = tuple(_words(value))
            if key:
                votes.setdefault(key, {})[kind] = _SPACE.sub(" ", value).strip()
    agreed = [texts for texts in votes.values() if len(texts) >= 2]
    if not agreed:
        return None
    best = max(agreed, key=len)
    return best.get("h1") or next(iter(best.values()))


def title_report(pages, results):
    """Exact-words title accuracy over the pages whose headline is established."""
    established = correct = repeated = 0
    misses = []
    for page in pages:
        ours = results[page["id"]]["ours"]
        title, text = ours.get("title", ""), ours.get("text", "")
        first_lines = text.split("\n")[:3]
        if title and any(_words(line) == _words(title) for line in first_lines):
            repeated += 1
        headline = headline_of(page["html"])
        if headline is None:
            continue
        established += 1
        if _words(title) == _words(headline):
            correct += 1
        else:
            misses.append((page["id"], headline, title))
    return established, correct, repeated, misses


# --- Running ------------------------------------------------------------------------


def load_pages(dataset, limit=None):
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((dataset / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            {
                "id": page_id,
                "url": truth[page_id].get("url", ""),
                "truth": truth[page_id].get("articleBody", ""),
                "raw": raw,
                "html": raw.decode("utf-8", errors="replace"),
            }
        )
    return pages


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def _run_once(name, page, clock):
    """(text, title, error, milliseconds) of one system on one page, seen for the first time."""
    text, title, error = "", "", ""
    clear_caches()  # no run profits from an earlier run of the page
    for cached in LIBRARY_CACHES:
        cached.cache_clear()
    gc.collect()  # no system pays for the garbage another one left
    started = clock()
    try:
        if name == "ours":
            extraction = extract(page["raw"], url=page["url"], kind="html")
            text, title = extraction.text, extraction.title
        else:
            text = SYSTEMS[name](page["raw"], page["html"], page["url"])
    except Exception as exc:  # a failure scores as an empty prediction
        text, error = "", f"{type(exc).__name__}: {exc}"
    return text, title, error, (clock() - started) * 1000


def run(pages, systems, repeat, clock=time.process_time):
    """Every system on every page, `repeat` times over; a page's time is its fastest run.

    The repeats are passes over the whole set rather than runs back to back,
    so that a page's runs are spread over the benchmark: a spell when the
    machine runs slower (another program, the processor's clock) then weighs
    on no page's time more than on another's.
    """
    outcome, best = {}, {}
    for _ in range(repeat):
        for index, page in enumerate(pages):
            order = systems[index % len(systems) :] + systems[: index % len(systems)]
            for name in order:
                text, title, error, elapsed = _run_once(name, page, clock)
                key = (page["id"], name)
                outcome[key] = (text, title, error)
                best[key] = min(best.get(key, elapsed), elapsed)
    results = {}
    for page in pages:
        results[page["id"]] = {}
        for name in systems:
            text, title, error = outcome[page["id"], name]
            tp, fp, fn = page_counts(page["truth"], text)
            precision, recall = page_scores(tp, fp, fn)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            row = {
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "exact": tokens(page["truth"]) == tokens(text),
                "ms": best[page["id"], name],
                "text": text,
            }
            if name == "ours":
                row["title"] = title
            if error:
                row["error"] = error
            results[page["id"]][name] = row
    return results


def table(pages, results, systems):
    lines = [
        "| system | precision | recall | F1 | accuracy | median ms/page | total s |",
        "|---|---|---|---|---|---|---|",
    ]
    summary = {}
    for name in systems:
        rows = [results[page["id"]][name] for page in pages]
        precision, recall, f1, accuracy = summarise(rows)
        times = [row["ms"] for row in rows]
        summary[name] = {"f1": f1, "median_ms": statistics.median(times)}
        lines.append(
            f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {accuracy:.3f}"
            f" | {statistics.median(times):.1f} | {sum(times) / 1000:.1f} |"
        )
    references = [name for name in systems if name != "ours"]
    if "ours" in summary and references:
        best = max(references, key=lambda name: summary[name]["f1"])
        ours = summary["ours"]
        lines.append("")
        lines.append(
            f"ours / best reference ({best}): F1 {ours['f1'] / summary[best]['f1']:.3f}×"
            f" ({ours['f1']:.3f} vs {summary[best]['f1']:.3f})"
        )
        if "trafilatura" in summary:
            ratio = ours["median_ms"] / summary["trafilatura"]["median_ms"]
            lines.append(f"ours / trafilatura median time: {ratio:.2f}×")
    return "\n".join(lines), summary


def compare(pages, results, old_path, dataset, show=15):
    old = json.loads(Path(old_path).read_text(encoding="utf-8"))
    old = old[dataset]["pages"] if dataset in old else old.get("pages", {})
    changes = []
    for page in pages:
        before = old.get(page["id"], {}).get("ours")
        if before is None:
            continue
        after = results[page["id"]]["ours"]
        changes.append((after["f1"] - before["f1"], page["id"], before["f1"], after["f1"]))
    changes.sort()
    worse = [change for change in changes if change[0] < -1e-9]
    better = [change for change in changes if change[0] > 1e-9]
    print(f"\nCompared with {old_path}: {len(better)} pages better, {len(worse)} worse")
    for delta, page_id, before, after in worse[:show] + better[::-1][:show]:
        print(f"  {delta:+.3f}  {before:.3f} → {after:.3f}  {page_id[:16]}")


SHARED = ROOT.parent / "shared" / "data" / "extraction"
DEFAULT_SETS = ("scrapinghub", "readability", "cleanportaleval")


def empty_results(pages, results):
    """Pages with a non-empty truth where ours gave no text."""
    return [
        page["id"]
        for page in pages
        if tokens(page["truth"]) and not tokens(results[page["id"]]["ours"]["text"])
    ]


def one_set(dataset, systems, args):
    pages = load_pages(dataset, args.limit)
    for name in systems:  # imports and lazy initialisation outside the timings
        SYSTEMS[name](pages[0]["raw"], pages[0]["html"], pages[0]["url"])
    results = run(pages, systems, max(1, args.repeat), CLOCKS[args.clock])
    text, summary = table(pages, results, systems)
    print(f"\n## {dataset.name}: {len(pages)} pages; {args.clock} time, fastest of {args.repeat}\n")
    print(text)
    for page in pages:
        for name, row in results[page["id"]].items():
            if "error" in row:
                print(f"  error: {name} on {page['id'][:16]}: {row['error']}")
    if "ours" in systems:
        summary["ours"]["empty"] = empty_results(pages, results)
    if args.titles and "ours" in systems:
        established, correct, repeated, misses = title_report(pages, results)
        print(
            f"\nTitles: {correct}/{established} correct where the page establishes its"
            f" headline ({correct / max(1, established):.1%});"
            f" title repeated at the top of the text on {repeated}/{len(pages)} pages"
        )
        for page_id, headline, title in misses:
            print(f"  {page_id[:16]}  page: {headline!r}\n{'':20}ours: {title!r}")
    if args.compare and "ours" in systems:
        compare(pages, results, args.compare, dataset.name)
    return pages, results, summary


def overview(summaries, systems):
    """One line per set: ours beside the best reference, the time ratio, empty results."""
    lines = [
        "| set | ours F1 | best reference | its F1 | ours ≥ best | ours / trafilatura time"
        " | empty results |",
        "|---|---|---|---|---|---|---|",
    ]
    references = [name for name in systems if name != "ours"]
    for name, summary in summaries.items():
        ours = summary["ours"]
        best = max(references, key=lambda system: summary[system]["f1"])
        ratio = (
            f"{ours['median_ms'] / summary['trafilatura']['median_ms']:.2f}×"
            if "trafilatura" in summary
            else "–"
        )
        verdict = "yes" if ours["f1"] >= summary[best]["f1"] else "no"
        lines.append(
            f"| {name} | {ours['f1']:.3f} | {best} | {summary[best]['f1']:.3f} | {verdict}"
            f" | {ratio} | {len(ours['empty'])} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "datasets",
        type=Path,
        nargs="*",
        help=f"dataset directories (default: {', '.join(DEFAULT_SETS)} from {SHARED})",
    )
    parser.add_argument("--json", type=Path, help="write per-page results to this file")
    parser.add_argument("--compare", type=Path, help="a --json file of an earlier run")
    parser.add_argument(
        "--only", default=",".join(SYSTEMS), help="comma-separated systems (default: all)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="keep each page's fastest of N")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu", help="how to time")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id) of each set")
    parser.add_argument("--titles", action="store_true", help="also score our titles")
    args = parser.parse_args(argv)

    systems = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in systems if name not in SYSTEMS]
    if unknown:
        parser.error(f"unknown systems: {', '.join(unknown)} (known: {', '.join(SYSTEMS)})")
    datasets = args.datasets or [SHARED / name for name in DEFAULT_SETS]
    warnings.simplefilter("ignore")
    summaries, everything = {}, {}
    for dataset in datasets:
        _, results, summary = one_set(dataset, systems, args)
        summaries[dataset.name] = summary
        everything[dataset.name] = {"summary": summary, "pages": results}
    if "ours" in systems and len(systems) > 1:
        print("\n## All sets\n")
        print(overview(summaries, systems))
    if args.json:
        args.json.write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
