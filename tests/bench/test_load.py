"""A few seconds of bench/load.py: the app served by gunicorn and the task worker,
members writing at once, no 5xx and no write lost or made twice."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_load_run_loses_nothing():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--seconds", "3", "--users", "6"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5xx or no answer: 0" in result.stdout
    assert "highlights stored twice for one author and range: 0" in result.stdout
