"""The plain-text cleaner on the benchmark set, and the rules added for it."""

import importlib.util
import json
from pathlib import Path

import pytest

from newsreader.lib.extraction.plaintext import clean_plain_text

ROOT = Path(__file__).resolve().parents[2]
BENCH_SET = Path(__file__).resolve().parents[1] / "fixtures" / "plaintext_bench"
PROSE_1 = (
    "The council met on Tuesday evening to discuss the plans for the new library, "
    "and most members spoke in favour."
)
PROSE_2 = "A final vote is expected next month, after a public consultation closes."


def _bench():
    spec = importlib.util.spec_from_file_location(
        "plaintext_bench", ROOT / "bench" / "plaintext.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def article(*middle):
    return "\n\n".join(["Council backs new library", PROSE_1, *middle, PROSE_2]) + "\n"


# --- The benchmark set ---------------------------------------------------------------------


def test_the_set_has_at_least_thirty_articles_in_several_languages():
    names = sorted(path.stem for path in BENCH_SET.glob("*.txt"))
    assert len(names) >= 30
    for name in names:
        expected = json.loads((BENCH_SET / f"{name}.expected.json").read_text(encoding="utf-8"))
        assert set(expected) == {"title", "byline", "published", "paragraphs"}
    languages = ("german", "french", "spanish", "italian", "dutch", "portuguese")
    assert all(any(language in name for name in names) for language in languages)


def test_the_cleaner_meets_its_targets_on_the_set():
    articles = _bench().score(BENCH_SET)
    pairs = [(w, g) for a in articles for w, g in zip(a["want"], a["got"], strict=True)]
    text_removed = [w for w, g in pairs if w == "text" and g != "text"]
    boilerplate = [g for w, g in pairs if w == "boilerplate"]
    assert text_removed == []
    assert sum(1 for g in boilerplate if g != "text") >= 0.95 * len(boilerplate)


# --- Calls to action and disclaimers ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Get the latest updates in your inbox. Subscribe to our newsletters.",
        "Have a tip? Jo Lane may be reached at jlane@example.com. Follow her on Twitter @jolane.",
        "Like this story? Share it with a friend!",
        "This post contains affiliate links. If you buy through them, we may earn a commission.",
        "Copyright 2025 The Associated Press. All rights reserved. This material may not be"
        " published, broadcast, rewritten or redistributed.",
        "Hat dir der Beitrag gefallen? Dann teile ihn mit deinen Freunden!",
        "Having trouble viewing this email? View it online",
    ],
)
def test_a_line_made_of_prompts_is_removed_however_many_sentences(line):
    result = clean_plain_text(article(line))
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert result.removed == [(line, "prompt")]


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for the class by Friday.",
        "Subscribe to the view that prices will fall and you will be disappointed.",
        "Click here to get more information or download this game.",
        "Share prices fell sharply on Monday after the warning.",
    ],
)
def test_ordinary_sentences_with_prompt_words_stay(line):
    assert line in clean_plain_text(article(line)).paragraphs


@pytest.mark.parametrize(
    "line",
    [
        "Deel op WhatsApp",
        "Teilen auf Facebook",
        "Condividi su Pinterest",
        "Kommentar hinterlassen",
        "Écouter cet article",
        "Manage your subscription | Unsubscribe",
        "Aviso legal | Política de privacidad",
        "Story continues below",
        "Vous aimerez aussi",
        "Archivado en: Educación, Colegios",
        "Previous post: Sowing tomatoes indoors",
        "Drucken",
    ],
)
def test_boilerplate_lines_in_more_languages(line):
    result = clean_plain_text(article(line))
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert [text for text, _ in result.removed] == [line]


# --- Header lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "byline", "published"),
    [
        ("Posted on 12 January 2025 by Hannah Lowe", "Hannah Lowe", "12 January 2025"),
        ("Publié le 18 avril 2025 par Élodie", "Élodie", "18 avril 2025"),
        ("Opinion by Grace Whitfield", "Grace Whitfield", ""),
        ("Updated 6:42 PM EST, March 18, 2025", "", "March 18, 2025"),
        ("Pressemitteilung vom 20.05.2025", "", "20.05.2025"),
        ("Madrid, 16 jun 2025 - 09:45 CEST", "", "16 jun 2025"),
        ("March 2, 2025 · 5 min read", "", "March 2, 2025"),
    ],
)
def test_more_byline_and_dateline_forms(line, byline, published):
    result = clean_plain_text(f"Budget passes\n\n{line}\n\n{PROSE_1}\n")
    assert (result.byline, result.published) == (byline, published)
    assert result.paragraphs == [PROSE_1]


def test_a_note_about_the_author_at_the_end_is_removed():
    text = f"Budget passes\n\nBy Grace Whitfield\n\n{PROSE_1}\n\n{PROSE_2}\n\n" + (
        "Grace Whitfield is a retired teacher and writes a monthly column.\n"
    )
    result = clean_plain_text(text)
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert result.removed[-1][1] == "author"


def test_a_sentence_about_someone_else_at_the_end_stays():
    text = f"Budget passes\n\nBy Grace Whitfield\n\n{PROSE_1}\n\n" + (
        "Jane Smith is the new head of the library board.\n"
    )
    assert (
        clean_plain_text(text).paragraphs[-1] == "Jane Smith is the new head of the library board."
    )
