"""A task for tests/test_task_workers.py: each run leaves a line in a file."""

import os
import time

from django_tasks import task


@task()
def record_run(number, path):
    time.sleep(0.01)  # long enough for the workers to overlap
    # One short O_APPEND write per run: lines from several processes never mix.
    with open(path, "a") as runs:
        runs.write(f"{number} {os.getpid()}\n")
