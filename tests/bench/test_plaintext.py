"""The plain-text benchmark's scoring (bench/plaintext.py): each line's expected role."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location(
        "plaintext_bench", ROOT / "bench" / "plaintext.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_line_roles_follow_the_expected_body_in_order():
    bench = _bench()
    lines = ["Title", "By Jo Lane", "Share", "First line of a", "paragraph.", "Share"]
    roles = bench.roles(lines, ["First line of a paragraph."], "Title", "Jo Lane", "")
    assert roles == ["header", "header", "boilerplate", "text", "text", "boilerplate"]
