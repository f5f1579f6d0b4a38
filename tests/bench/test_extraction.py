"""The extraction benchmark's metric (bench/extraction.py), as the dataset's README defines it."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "extraction_bench", ROOT / "bench" / "extraction.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shingles_are_four_word_tokens_with_counts(bench):
    assert bench.shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert bench.shingles("a b") == {("a", "b"): 1}  # shorter than a shingle: one short one
    assert bench.shingles("") == {}


def test_page_counts_are_normalised(bench):
    tp, fp, fn = bench.page_counts("a b c d e f", "a b c d e x")
    assert (tp, fp, fn) == pytest.approx((0.5, 0.25, 0.25))
    assert tp + fp + fn == pytest.approx(1)


def test_page_scores_follow_the_readme(bench):
    assert bench.page_scores(1.0, 0.0, 0.0) == (1.0, 1.0)
    assert bench.page_scores(0.0, 0.0, 1.0) == (0.0, 0.0)  # empty prediction
    assert bench.page_scores(0.5, 0.25, 0.25) == pytest.approx((2 / 3, 2 / 3))


def test_f1_is_taken_from_the_mean_precision_and_recall(bench):
    rows = [
        {"precision": 1.0, "recall": 0.5, "exact": False},
        {"precision": 0.5, "recall": 1.0, "exact": True},
    ]
    precision, recall, f1, accuracy = bench.summarise(rows)
    assert (precision, recall, accuracy) == (0.75, 0.75, 0.5)
    assert f1 == pytest.approx(0.75)


def test_readability_html_becomes_text_block_by_block(bench):
    assert bench.html_to_text("<div><p>One <b>two</b></p><p>three</p></div>") == "One two\nthree"


def test_a_headline_needs_two_sources_to_be_established(bench):
    html = (
        '<html><head><meta property="og:title" content="Ferries change times | Courier">'
        "</head><body><h1>Ferries change times</h1></body></html>"
    )
    assert bench.headline_of(html) is None  # og:title and <h1> differ
    html = html.replace(" | Courier", "")
    assert bench.headline_of(html) == "Ferries change times"
