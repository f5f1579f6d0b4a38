"""The plain-text cleaner scored line by line on articles with known clean text.

Run from the project root (no Django needed):

    .venv/bin/python bench/plaintext.py [tests/fixtures/plaintext_bench] [--show]

Each article is ``<name>.txt`` (the text as pasted, with its boilerplate) and
``<name>.expected.json``: ``title``, ``byline``, ``published`` and ``paragraphs``
(the clean body text; hard-wrapped lines of a paragraph joined with spaces).

Every non-empty input line gets an expected role and an actual role:

- *text*: the line is the next piece of the body, read in order through the
  expected paragraphs (resp. through the paragraphs ``clean_plain_text`` kept);
- *header*: not text, and it is the title, or the byline or the date with at
  most a few words around them ("By …", "Updated …");
- *boilerplate*: anything else.

Reported: text lines removed (real text lost: the target is zero), boilerplate
lines kept (the target is at least 95 % removed), header lines left in the body,
and articles whose paragraphs came out exactly as expected. ``--show`` lists
every line that was misjudged.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsreader.lib.extraction.plaintext import clean_plain_text  # noqa: E402

DEFAULT_DIR = ROOT / "tests" / "fixtures" / "plaintext_bench"


def one_line(value):
    return " ".join((value or "").split())


def _holds(line, value, extra_words):
    """True if the line is `value` with at most a few words around it ("By …", "Updated …")."""
    return bool(value) and value in line and len(line.split()) <= len(value.split()) + extra_words


def roles(lines, paragraphs, title, byline, published):
    """The role of each line given the body that should (or did) come out of it."""
    body = "\n".join(one_line(paragraph) for paragraph in paragraphs)
    position = 0
    found = []
    for line in lines:
        rest = body[position:].lstrip(" \n")
        skipped = len(body) - position - len(rest)
        if line and rest.startswith(line):
            found.append("text")
            position += skipped + len(line)
        elif line == one_line(title) or _holds(line, byline, 5) or _holds(line, published, 8):
            found.append("header")
        else:
            found.append("boilerplate")
    return found


def score(directory):
    articles = []
    for source in sorted(Path(directory).glob("*.txt")):
        expected = json.loads(source.with_suffix(".expected.json").read_text(encoding="utf-8"))
        text = source.read_text(encoding="utf-8")
        lines = [one_line(line) for line in text.splitlines() if line.strip()]
        result = clean_plain_text(text)
        want = roles(
            lines,
            expected["paragraphs"],
            expected.get("title", ""),
            expected.get("byline", ""),
            expected.get("published", ""),
        )
        got = roles(lines, result.paragraphs, result.title, result.byline, result.published)
        articles.append(
            {
                "name": source.stem,
                "lines": lines,
                "want": want,
                "got": got,
                "exact": [one_line(p) for p in result.paragraphs]
                == [one_line(p) for p in expected["paragraphs"]],
            }
        )
    return articles


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", nargs="?", default=DEFAULT_DIR, type=Path)
    parser.add_argument("--show", action="store_true", help="list every misjudged line")
    args = parser.parse_args(argv)
    articles = score(args.directory)
    pairs = [(w, g) for a in articles for w, g in zip(a["want"], a["got"], strict=True)]
    text = sum(1 for w, _ in pairs if w == "text")
    boilerplate = sum(1 for w, _ in pairs if w == "boilerplate")
    header = sum(1 for w, _ in pairs if w == "header")
    text_removed = sum(1 for w, g in pairs if w == "text" and g != "text")
    boilerplate_kept = sum(1 for w, g in pairs if w == "boilerplate" and g == "text")
    header_kept = sum(1 for w, g in pairs if w == "header" and g == "text")
    exact = sum(1 for a in articles if a["exact"])
    removed_share = (boilerplate - boilerplate_kept) / boilerplate if boilerplate else 1.0
    print(f"{len(articles)} articles from {args.directory}, {len(pairs)} non-empty lines\n")
    print("| lines | count | wrongly judged | |")
    print("|---|---|---|---|")
    print(f"| text (body) | {text} | {text_removed} removed | target 0 |")
    print(
        f"| boilerplate | {boilerplate} | {boilerplate_kept} kept"
        f" | {removed_share:.1%} removed (target ≥ 95 %) |"
    )
    print(f"| header (title, byline, date) | {header} | {header_kept} left in the body | |")
    print(f"\nArticles whose paragraphs match the expected text exactly: {exact}/{len(articles)}")
    if args.show:
        for article in articles:
            for line, want, got in zip(
                article["lines"], article["want"], article["got"], strict=True
            ):
                if (want == "text") != (got == "text"):
                    print(f"  {article['name']}: expected {want}, got {got}: {line[:90]}")
    return 0 if text_removed == 0 and removed_share >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
