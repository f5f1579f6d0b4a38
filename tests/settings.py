"""Test settings: the real settings, with a throwaway key and fast defaults."""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from newsreader.settings import *  # noqa: E402,F403

# Manifest storage needs collectstatic first; tests serve static files plainly.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Imports extract in this process (tests monkeypatch it); bench/import.py uses workers.
IMPORT_WORKERS = 0

# A file, not SQLite's shared-cache in-memory database: that one locks whole
# tables and ignores the busy timeout, so concurrency tests would measure it
# instead of the WAL + IMMEDIATE set-up the app runs with.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"newsreader-test-{os.getpid()}.sqlite3")
    }

# Tests read the library's context, which a cached page does not have: its cache
# is on only in tests/articles/test_freshness.py, which checks that it goes stale.
LIBRARY_CACHE_SECONDS = 0

# Each test process keeps its cache in memory: query counts pinned by tests stay those of
# the code under test, and tests without the database may use the cache. The shared
# caches the app runs with (the database's, Redis) are tested where that matters
# (tests/test_caches.py, tests/test_serving.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}
