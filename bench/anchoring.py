"""Benchmark for newsreader/lib/anchoring.py: re-anchoring highlights after text changes.

Run from the project root (no Django needed):

    .venv/bin/python bench/anchoring.py [--articles 40] [--highlights 40] [--seed 2024]
                                        [--show wrong,orphaned] [--only d,g,i] [--no-timing]

It generates English-like articles (a fixed word list, sentence patterns, names
and places with accents, curly and straight quotes, dashes, parentheses, a few
emoji, and stock phrases that recur across paragraphs), picks random
non-overlapping highlights of 2 to 80 words inside a paragraph, applies one
perturbation while keeping an origin map (for every character of the new text,
the old offset it came from, or -1 when it is new; a replaced word keeps the
origin of the word it replaced), and compares anchor_many's answers with the
ground truth: the span of the highlighted characters in the new text.

Perturbations:
  (a) 3 new paragraphs inserted at random block boundaries;
  (b) 20% of the paragraphs removed (their highlights should become orphans);
  (c) 3 whitespace/punctuation edits within 40 characters of each highlight
      (curly/straight quotes, comma to dash or semicolon, line break or
      no-break space for a space, dropped parenthesis, hyphen to space, ...);
  (d) 1-2 words replaced within 32 characters before and/or after each
      highlight (never inside one);
  (e) one word inside each highlight replaced;
  (f) two copies of each highlight's quote (a 4-6 word phrase of long ones)
      inserted elsewhere, at least 40 characters away from any highlight;
  (g) all of the above: (f), (a), (b), then (c) with one edit, (d), (e);
  (h) (b), then two copies or near-copies (one word changed) of every removed
      highlight's quote left elsewhere: a deleted highlight must not move onto
      its look-alike;
  (i) the word right before and the word right after each highlight replaced,
      and half the time one more word on each side within the 32 characters of
      context (punctuation next to a word is kept): the quote is intact, its
      context changed on both sides.

Counted over highlights whose characters survived: exact (same span as the
truth), approx (overlaps it), orphaned, wrong (placed, not overlapping); over
removed highlights: correctly orphaned, or wrong (placed anyway).
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from newsreader.lib.anchoring import anchor, anchor_many, describe  # noqa: E402

# --------------------------------------------------------------------------- generator


def _words(block):
    return block.split()


NOUNS = _words(
    """council government minister budget report river city school hospital
village company market price worker farmer teacher doctor student family
election vote policy plan road bridge train station harbour museum library
court judge lawyer police officer festival season weather storm flood drought
energy power plant factory engine software network phone data survey study
scientist researcher university laboratory experiment result figure decade
century region province border island coast mountain forest park garden
bakery café restaurant kitchen recipe bread cheese wine coffee tea festival
ministry agency union strike wage rent housing tenant landlord mayor
committee inquiry scandal decision appeal law rule tax fee loan bank
investor share profit loss debt growth crisis recovery trade export import"""
)

VERBS = _words(
    """approved rejected announced delayed expanded reduced increased praised
criticised questioned reviewed examined published confirmed denied warned
reported proposed suggested demanded promised opened closed visited built
repaired replaced funded supported opposed challenged measured tested
described discovered revealed ignored followed welcomed celebrated"""
)

ADJECTIVES = _words(
    """new old large small local national regional public private
recent early late annual final first second major minor modest ambitious
controversial popular quiet busy rural urban coastal northern southern
eastern western costly cheap rapid slow careful detailed independent
unexpected familiar rare common narrow broad fragile sturdy naïve"""
)

ADVERBS = _words(
    """quickly slowly carefully quietly openly briefly widely sharply
firmly largely mostly nearly rarely often recently finally"""
)

PREPOSITIONS = _words("in on near across after before during despite without under over")

DETERMINERS = _words("the a this that every each another their its our")

NAMES = """Maria Okafor|Chen Wei|Jonas Berg|Amélie Laurent|Priya Nair|Tomás Ruiz|
Zoë Fischer|Kwame Mensah|Sofia Rossi|Henrik Dahl|Aiko Tanaka|Omar Haddad""".replace("\n", "").split(
    "|"
)

PLACES = """Lyon|São Paulo|Bergen|Kraków|Nairobi|Osaka|Valparaíso|Galway|Tbilisi|
Porto|Marrakesh|Tromsø""".replace("\n", "").split("|")

STOCK_PHRASES = [
    "according to the latest figures",
    "the minister said on Tuesday",
    "in the coming weeks",
    "it is not yet clear whether",
    "officials declined to comment",
    "for the first time in a decade",
    "the report found that",
    "local residents say",
    "as the council put it",
    "under the new rules",
    "critics argue that",
    "a spokesperson for the agency",
]

EMOJI = ["🌍", "📈", "🚆", "☕", "🙂"]


class Generator:
    def __init__(self, rng):
        self.rng = rng

    def word(self, kind):
        return self.rng.choice(kind)

    def noun_phrase(self):
        r = self.rng.random()
        if r < 0.15:
            return self.rng.choice(NAMES)
        if r < 0.25:
            return "the " + self.rng.choice(NOUNS) + " in " + self.rng.choice(PLACES)
        if r < 0.35:
            return f"{self.rng.randint(2, 900)} {self.rng.choice(NOUNS)}s"
        words = [self.rng.choice(DETERMINERS)]
        if self.rng.random() < 0.6:
            words.append(self.rng.choice(ADJECTIVES))
        words.append(self.rng.choice(NOUNS))
        if self.rng.random() < 0.2:
            words[-1] += "’s" if self.rng.random() < 0.5 else "'s"
            words.append(self.rng.choice(NOUNS))
        return " ".join(words)

    def clause(self):
        parts = [self.noun_phrase()]
        if self.rng.random() < 0.25:
            parts.append(self.rng.choice(ADVERBS))
        parts.append(self.rng.choice(VERBS))
        parts.append(self.noun_phrase())
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            parts.append(self.rng.choice(PREPOSITIONS))
            parts.append(self.noun_phrase())
        return " ".join(parts)

    def sentence(self):
        rng = self.rng
        body = self.clause()
        r = rng.random()
        if r < 0.2:
            body = rng.choice(STOCK_PHRASES) + ", " + body
        elif r < 0.35:
            body = body + ", " + rng.choice(STOCK_PHRASES)
        if rng.random() < 0.3:
            body += rng.choice((", and ", ", but ", "; ", " — ", ", while ")) + self.clause()
        if rng.random() < 0.1:
            body += " (" + self.noun_phrase() + ")"
        if rng.random() < 0.08:
            body = "“" + body[0].upper() + body[1:] + ",” said " + rng.choice(NAMES)
        if rng.random() < 0.02:
            body += " " + rng.choice(EMOJI)
        end = rng.choice(".......?!")
        return body[0].upper() + body[1:] + end

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def heading(self):
        words = [self.rng.choice(ADJECTIVES), self.rng.choice(NOUNS), "in", self.rng.choice(PLACES)]
        return " ".join(words).capitalize()

    def article(self, words):
        blocks = [self.heading()]
        count = 0
        while count < words:
            block = self.heading() if self.rng.random() < 0.08 else self.paragraph()
            blocks.append(block)
            count += len(block.split())
        return "\n".join(blocks)


# --------------------------------------------------------------------------- highlights


def paragraph_spans(text):
    spans = []
    start = 0
    for block in text.split("\n"):
        spans.append((start, start + len(block)))
        start += len(block) + 1
    return spans


def word_spans(text, start, end):
    """Whole words (runs of non-whitespace) lying entirely inside [start, end)."""
    spans = []
    index = start
    while index < end and index > 0 and not text[index - 1].isspace():
        index += 1  # started inside a word: skip to its end
    while index < end:
        while index < end and text[index].isspace():
            index += 1
        if index >= end:
            break
        word_end = index
        while word_end < len(text) and not text[word_end].isspace():
            word_end += 1
        if word_end > end:
            break
        spans.append((index, word_end))
        index = word_end
    return spans


def pick_highlights(rng, text, count):
    """Random, non-overlapping highlights of 2 to 80 words inside one paragraph each."""
    paragraphs = [span for span in paragraph_spans(text) if span[1] - span[0] > 80]
    taken = []
    highlights = []
    attempts = 0
    while len(highlights) < count and attempts < count * 50:
        attempts += 1
        p_start, p_end = rng.choice(paragraphs)
        words = word_spans(text, p_start, p_end)
        r = rng.random()
        if r < 0.45:
            size = rng.randint(2, 6)
        elif r < 0.7:
            size = rng.randint(7, 15)
        elif r < 0.9:
            size = rng.randint(16, 30)
        else:
            size = rng.randint(31, 80)
        size = min(size, len(words))
        first = rng.randint(0, len(words) - size)
        start, end = words[first][0], words[first + size - 1][1]
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        if rng.random() < 0.3:
            end = min(end + 1, p_end)  # the selection grabbed the following space
        selector = describe(text, start, end)
        taken.append((selector.start, selector.end))
        highlights.append(selector)
    return highlights


# --------------------------------------------------------------------------- perturbations


class Doc:
    """A text being edited, with the old offset each character came from (-1: new)."""

    def __init__(self, text):
        self.chars = list(text)
        self.origin = list(range(len(text)))

    @property
    def text(self):
        return "".join(self.chars)

    def replace(self, start, end, new, keep_origin=True):
        old = self.origin[start:end]
        if keep_origin and old:
            origins = [old[min(k, len(old) - 1)] for k in range(len(new))]
        else:
            origins = [-1] * len(new)
        self.chars[start:end] = list(new)
        self.origin[start:end] = origins

    def paragraphs(self):
        return paragraph_spans(self.text)


def insert_paragraphs(rng, doc, gen, count=3):
    for _ in range(count):
        spans = doc.paragraphs()
        index = rng.randint(0, len(spans))
        new = gen.paragraph()
        if index == len(spans):
            doc.replace(len(doc.chars), len(doc.chars), "\n" + new, keep_origin=False)
        else:
            doc.replace(spans[index][0], spans[index][0], new + "\n", keep_origin=False)


def remove_paragraphs(rng, doc, fraction=0.2):
    spans = doc.paragraphs()
    chosen = sorted(rng.sample(range(1, len(spans)), max(1, int((len(spans) - 1) * fraction))))
    for index in reversed(chosen):
        start, end = spans[index]
        doc.replace(start - 1, end, "")  # with the newline before it


def spans_of(doc, highlights):
    first, last = {}, {}
    for i, o in enumerate(doc.origin):
        if o != -1:
            first.setdefault(o, i)
            last[o] = i
    text = doc.chars
    result = []
    for h in highlights:
        origins = [o for o in range(h.start, h.end) if o in first]
        if not origins:
            result.append(None)
            continue
        start = min(first[o] for o in origins)
        end = max(last[o] for o in origins) + 1
        # A replaced character that became whitespace is not part of a highlight.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        result.append((start, end) if end > start else None)
    return result


PUNCTUATION_EDITS = [
    ("'", "’"),
    ("’", "'"),
    (", ", " — "),
    (", ", "; "),
    (", ", " "),
    (". ", "! "),
    (". ", "… "),
    (" ", "\n"),
    (" ", "\u00a0"),
    (" ", ", "),
    ("“", '"'),
    ("”", '"'),
    (" (", " — "),
    (")", ""),
    ("-", " "),
    (" ", ""),
]


def punctuation_changes(rng, doc, highlights, per_highlight=3):
    for span in spans_of(doc, highlights):
        if span is None:
            continue
        low, high = max(0, span[0] - 40), min(len(doc.chars), span[1] + 40)
        for _ in range(per_highlight):
            text = doc.text
            for _attempt in range(10):
                old, new = rng.choice(PUNCTUATION_EDITS)
                at = text.find(old, rng.randint(low, max(low, high - 1)), high)
                if at != -1 and not (old == " " and new == "" and at > 0 and text[at - 1] in ".,"):
                    doc.replace(at, at + len(old), new)
                    break


def _word_at(text, start, end, rng):
    words = [w for w in word_spans(text, start, end) if text[w[0] : w[1]].isalpha()]
    return rng.choice(words) if words else None


def change_words_near(rng, doc, highlights):
    """Replace 1-2 words within 32 characters before and/or after each highlight.

    Words inside any highlight are left alone (that is perturbation (e)).
    """
    for index in range(len(highlights)):
        spans = spans_of(doc, highlights)
        span = spans[index]
        if span is None:
            continue
        taken = [other for other in spans if other]
        sides = rng.choice(("before", "after", "both"))
        for side in ("before", "after"):
            if sides not in (side, "both"):
                continue
            for _ in range(rng.randint(1, 2)):
                text = doc.text
                if side == "before":
                    start, end = max(0, span[0] - 32), span[0]
                else:
                    start, end = span[1], min(len(text), span[1] + 32)
                words = [
                    w
                    for w in word_spans(text, start, end)
                    if text[w[0] : w[1]].isalpha()
                    and not any(w[0] < b and a < w[1] for a, b in taken)
                ]
                if not words:
                    continue
                w = rng.choice(words)
                new = rng.choice(NOUNS + ADJECTIVES)
                doc.replace(w[0], w[1], new, keep_origin=False)
                shift = len(new) - (w[1] - w[0])
                span = (span[0] + shift, span[1] + shift) if side == "before" else span
                taken = [(a + shift, b + shift) if a >= w[1] else (a, b) for a, b in taken]


def _letters(text, word):
    """The span of a word without the punctuation around it ("said," -> "said")."""
    start, end = word
    while start < end and not text[start].isalpha():
        start += 1
    while end > start and not text[end - 1].isalpha():
        end -= 1
    return (start, end) if end > start and text[start:end].isalpha() else None


def change_context_words(rng, doc, highlights):
    """Replace the words right before and right after each highlight, and half the
    time one more word on each side within the context window; never inside a
    highlight (the quote stays intact)."""
    for index in range(len(highlights)):
        spans = spans_of(doc, highlights)
        span = spans[index]
        if span is None:
            continue
        taken = [other for other in spans if other]
        for side in ("before", "after"):
            for nth in range(1 + (rng.random() < 0.5)):
                text = doc.text
                if side == "before":
                    start, end = max(0, span[0] - 32), span[0]
                else:
                    start, end = span[1], min(len(text), span[1] + 32)
                words = [
                    core
                    for core in (_letters(text, w) for w in word_spans(text, start, end))
                    if core and not any(core[0] < b and a < core[1] for a, b in taken)
                ]
                if side == "before":
                    words.reverse()  # nearest first
                if len(words) <= nth:
                    continue
                w = words[0] if nth == 0 else rng.choice(words[1:])
                old = text[w[0] : w[1]].lower()
                new = rng.choice([word for word in NOUNS + ADJECTIVES if word != old])
                doc.replace(w[0], w[1], new, keep_origin=False)
                shift = len(new) - (w[1] - w[0])
                span = (span[0] + shift, span[1] + shift) if side == "before" else span
                taken = [(a + shift, b + shift) if a >= w[1] else (a, b) for a, b in taken]


def change_word_inside(rng, doc, highlights):
    for index in range(len(highlights)):
        # Spans are taken afresh: a replacement of another length moves the rest.
        span = spans_of(doc, highlights)[index]
        if span is None:
            continue
        text = doc.text
        word = _word_at(text, span[0], span[1], rng)
        if word is None:
            continue
        old = text[word[0] : word[1]]
        new = rng.choice([w for w in NOUNS + ADJECTIVES + VERBS if w != old.lower()])
        doc.replace(word[0], word[1], new)


def add_repeats(rng, doc, highlights, protect=None, copies=2, alter=False):
    """Insert copies of each highlight's quote (or of a 4-6 word phrase of a long one)
    between two words elsewhere: at least 40 characters away from any highlight.
    With `alter`, half the copies have one word changed (similar, not equal)."""
    protect = highlights if protect is None else protect
    for h in highlights:
        words = h.exact.split()
        if len(h.exact) <= 80:
            phrase = h.exact
        else:
            size = rng.randint(4, 6)
            first = rng.randint(0, len(words) - size)
            phrase = " ".join(words[first : first + size])
        if alter and rng.random() < 0.5:
            parts = phrase.split()
            index = rng.randrange(len(parts))
            parts[index] = rng.choice(NOUNS + ADJECTIVES)
            phrase = " ".join(parts)
        for _ in range(copies):
            text = doc.text
            taken = [span for span in spans_of(doc, protect) if span]
            for _attempt in range(200):
                at = rng.randrange(1, len(text) - 1)
                if text[at] == " " and not any(a - 40 <= at < b + 40 for a, b in taken):
                    doc.replace(at, at + 1, " " + phrase + " ", keep_origin=False)
                    break


def remove_with_copies(rng, doc, highlights):
    """Remove paragraphs, leaving copies or near-copies (one word changed) of their
    highlights' quotes (short ones whole, long ones a 4-6 word phrase) elsewhere."""
    remove_paragraphs(rng, doc)
    lost = [h for h, span in zip(highlights, spans_of(doc, highlights), strict=True) if not span]
    add_repeats(rng, doc, lost, protect=highlights, alter=True)


def perturb(name, rng, doc, gen, highlights):
    if name == "a":
        insert_paragraphs(rng, doc, gen)
    elif name == "b":
        remove_paragraphs(rng, doc)
    elif name == "c":
        punctuation_changes(rng, doc, highlights)
    elif name == "d":
        change_words_near(rng, doc, highlights)
    elif name == "e":
        change_word_inside(rng, doc, highlights)
    elif name == "f":
        add_repeats(rng, doc, highlights)
    elif name == "g":
        add_repeats(rng, doc, highlights)
        insert_paragraphs(rng, doc, gen)
        remove_paragraphs(rng, doc)
        punctuation_changes(rng, doc, highlights, per_highlight=1)
        change_words_near(rng, doc, highlights)
        change_word_inside(rng, doc, highlights)
    elif name == "h":
        remove_with_copies(rng, doc, highlights)
    elif name == "i":
        change_context_words(rng, doc, highlights)


PERTURBATIONS = [
    ("a", "paragraphs inserted"),
    ("b", "paragraphs removed"),
    ("c", "whitespace/punctuation"),
    ("d", "words changed near"),
    ("e", "word changed inside"),
    ("f", "repeated phrases added"),
    ("g", "all combined"),
    ("h", "removed, (near-)copies left"),
    ("i", "context words changed"),
]


# --------------------------------------------------------------------------- evaluation


def classify(result, truth):
    if truth is None:
        return "orphan_ok" if result is None else "wrong"
    if result is None:
        return "orphaned"
    if (result.start, result.end) == truth:
        return "exact"
    if result.start < truth[1] and truth[0] < result.end:
        return "approx"
    return "wrong"


def run(args):
    rows = []
    wrong_examples = []
    shown = {}
    for key, label in PERTURBATIONS:
        if args.only and key not in args.only:
            continue
        counts = dict.fromkeys(("exact", "approx", "orphaned", "wrong", "orphan_ok"), 0)
        removed = 0
        elapsed = 0.0
        total = 0
        for number in range(args.articles):
            rng = random.Random(f"{args.seed}-{key}-{number}")
            gen = Generator(rng)
            text = gen.article(rng.randint(1500, 4000))
            highlights = pick_highlights(rng, text, args.highlights)
            doc = Doc(text)
            perturb(key, rng, doc, gen, highlights)
            new_text = doc.text
            truths = spans_of(doc, highlights)
            began = time.perf_counter()
            results = anchor_many(highlights, new_text, old_length=len(text))
            elapsed += time.perf_counter() - began
            for h, result, truth in zip(highlights, results, truths, strict=True):
                outcome = classify(result, truth)
                counts[outcome] += 1
                removed += truth is None
                total += 1
                if outcome in args.show and shown.get((key, outcome), 0) < args.show_count:
                    shown[(key, outcome)] = shown.get((key, outcome), 0) + 1
                    wrong_examples.append((key, outcome, h, result, truth, new_text))
        rows.append((key, label, total, removed, counts, elapsed / total))
    return rows, wrong_examples


def percent(part, whole):
    return f"{100 * part / whole:6.2f}%" if whole else "     —"


def _row(label, total, removed, c, per):
    surviving = total - removed
    recovered = c["exact"] + c["approx"]
    return (
        f"{label:<32} {total:>5} {c['exact']:>6} {c['approx']:>6} "
        f"{c['orphaned']:>6} {c['wrong']:>5} {percent(recovered, surviving):>9} "
        f"{removed:>7} {c['orphan_ok']:>7} {percent(c['wrong'], total):>7} {per * 1000:>6.3f}"
    )


def print_table(rows):
    header = (
        f"{'perturbation':<32} {'n':>5} {'exact':>6} {'approx':>6} {'orphan':>6} "
        f"{'wrong':>5} {'recovered':>9} {'removed':>7} {'orph.ok':>7} {'wrong%':>7} {'ms/hl':>6}"
    )
    print(header)
    print("-" * len(header))
    sums = dict.fromkeys(("exact", "approx", "orphaned", "wrong", "orphan_ok"), 0)
    all_total = all_removed = 0
    all_time = 0.0
    for key, label, total, removed, c, per in rows:
        print(_row(f"({key}) {label}", total, removed, c, per))
        all_total += total
        all_removed += removed
        all_time += per * total
        for name in sums:
            sums[name] += c[name]
    print("-" * len(header))
    print(_row("overall", all_total, all_removed, sums, all_time / max(1, all_total)))
    correct = sums["exact"] + sums["approx"] + sums["orphan_ok"]
    print(
        f"correct overall (recovered, or removed and orphaned): {correct}/{all_total} = "
        f"{percent(correct, all_total)}; wrong placements overall: "
        f"{sums['wrong']}/{all_total} = {percent(sums['wrong'], all_total)}"
    )
    print(
        "recovered = (exact + approx) / highlights whose text survived; "
        "orph.ok = removed highlights correctly orphaned; "
        "wrong = placed not overlapping the truth, or placed although removed"
    )


def timing(args):
    rng = random.Random(f"{args.seed}-timing")
    gen = Generator(rng)
    text = gen.article(10_000)
    highlights = pick_highlights(rng, text, 1000)
    print()
    print(
        f"anchor_many timing: {len(text.split())} words, {len(text):,} characters, "
        f"{len(highlights)} highlights"
    )
    cases = [("unchanged text", text)]
    doc = Doc(text)
    insert_paragraphs(rng, doc, gen, count=5)
    cases.append(("paragraphs inserted (a)", doc.text))
    doc = Doc(text)
    perturb("g", rng, doc, gen, highlights)
    cases.append(("all combined (g)", doc.text))
    doc = Doc(text)
    change_word_inside(rng, doc, highlights)
    punctuation_changes(rng, doc, highlights, per_highlight=1)
    cases.append(("every highlight edited (c+e)", doc.text))
    for label, new_text in cases:
        best = None
        for _ in range(3):
            began = time.perf_counter()
            results = anchor_many(highlights, new_text, old_length=len(text))
            took = time.perf_counter() - began
            best = took if best is None else min(best, took)
        methods = {}
        for result in results:
            name = result.method if result else "orphan"
            methods[name] = methods.get(name, 0) + 1
        summary = ", ".join(f"{name} {count}" for name, count in sorted(methods.items()))
        print(f"  {label:<30} {best * 1000:8.1f} ms total  ({summary})")
    sample = highlights[:100]
    began = time.perf_counter()
    for selector in sample:
        anchor(selector, new_text, old_length=len(text))
    took = time.perf_counter() - began
    print(
        f"  anchor() one at a time, no shared work: {took / len(sample) * 1000:.2f} ms per "
        "highlight (every highlight edited)"
    )


def show_examples(examples):
    for key, outcome, h, result, truth, new_text in examples:
        print(f"\n[{key}] {outcome}: exact={h.exact!r} prefix={h.prefix!r} suffix={h.suffix!r}")
        if truth:
            print(f"   truth={truth} {new_text[max(0, truth[0] - 32) : truth[1] + 32]!r}")
        else:
            print("   truth=removed")
        if result:
            print(f"   got={result} {new_text[result.start : result.end]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="articles per perturbation")
    parser.add_argument("--highlights", type=int, default=40, help="highlights per article")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--show", default="", help="outcomes to print examples of, e.g. wrong,orphaned"
    )
    parser.add_argument("--show-count", type=int, default=5, help="examples per outcome")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--only", default="", help="perturbations to run, e.g. d,g,i (all)")
    args = parser.parse_args()
    args.show = set(filter(None, args.show.split(",")))
    args.only = set(filter(None, args.only.split(",")))
    command = (
        ".venv/bin/python bench/anchoring.py "
        f"--articles {args.articles} --highlights {args.highlights} --seed {args.seed}"
    )
    if args.only:
        command += " --only " + ",".join(sorted(args.only))
    print(f"reproduce: {command}\n")
    rows, wrong = run(args)
    print_table(rows)
    if wrong:
        show_examples(wrong)
    if not args.no_timing:
        timing(args)


if __name__ == "__main__":
    main()
