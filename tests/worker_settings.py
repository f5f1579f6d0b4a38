"""Settings for the task workers tests/test_task_workers.py starts: the test settings
with the database backend the app uses (tests run tasks in-process)."""

from tests.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
