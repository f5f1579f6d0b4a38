"""Several task workers on one PostgreSQL database share the queue: each task runs
once, whichever worker claims it (django-tasks-db claims with SELECT … FOR UPDATE
SKIP LOCKED). SQLite deployments run one worker (DEPLOYMENT.md)."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tests.worker_tasks import record_run

ROOT = Path(__file__).resolve().parent.parent
TASKS = 200

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several workers need PostgreSQL"),
]


def database_url():
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def test_two_workers_run_every_task_exactly_once(tmp_path):
    runs = tmp_path / "runs"
    backend = DatabaseBackend("default", {"QUEUES": ["default"]})
    for number in range(TASKS):
        backend.enqueue(record_run, [number, str(runs)], {})
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    workers = [
        subprocess.Popen(
            [*command, "--worker-id", f"worker-{n}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
    lines = [line.split() for line in runs.read_text().splitlines()]
    counts = Counter(int(number) for number, _ in lines)
    assert sorted(counts) == list(range(TASKS))
    assert set(counts.values()) == {1}  # none ran twice
    assert len({pid for _, pid in lines}) == 2  # both workers took a share
    statuses = Counter(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {"SUCCESSFUL": TASKS}
