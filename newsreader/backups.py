"""Backups of the database, and restoring one (manage.py backup / restore).

SQLite: SQLite's online backup API, page by page through SQLite itself, so the
copy is consistent while the app keeps reading and writing (a file copy of a
live WAL database can miss what is still in the -wal file, or tear a page).
PostgreSQL: pg_dump's custom format, restored by pg_restore in one transaction.

The database only: media (import uploads) live in MEDIA_ROOT or the bucket
(DEPLOYMENT.md says how to keep those).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that could not be done, with why."""


def _database(alias="default"):
    settings = connections[alias].settings_dict
    engine = settings["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("sqlite3", "postgresql"):
        raise BackupError(f"Backups are for SQLite and PostgreSQL, not {engine}.")
    return engine, settings


def default_name(alias="default"):
    engine, _ = _database(alias)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return f"newsreader-{stamp}.{'sqlite3' if engine == 'sqlite3' else 'dump'}"


def backup(destination, alias="default"):
    """Write a consistent copy of the database to `destination` (a path); returns it."""
    engine, settings = _database(alias)
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already: name a new file.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Absolute: a name starting with "-" is never taken for an option.
    partial = destination.resolve().with_name(destination.name + ".partial")
    try:
        # Made here, readable by its owner only: a backup holds password hashes,
        # sessions and private notes. SQLite and pg_dump write into it as it is.
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        if engine == "sqlite3":
            _sqlite_copy(settings["NAME"], partial)
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], settings)
        # Only a finished copy takes the name: an interrupted one is never mistaken for it.
        partial.rename(destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def restore(source, alias="default"):
    """Replace the database's contents with the backup at `source`.

    Stop the app servers and workers first: requests running meanwhile would
    write into a database about to be replaced.
    """
    engine, settings = _database(alias)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    connections[alias].close()
    if engine == "sqlite3":
        _check_sqlite(source)
        _sqlite_copy(source, settings["NAME"])
    else:
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, str(source.resolve())], settings, database_flag="--dbname")
    # The reader's cache keys are version numbers (articles/highlighting.py _keys),
    # which count again from the backup's: a shared cache (Redis, the database's
    # table) would serve what was rendered from the discarded history under them.
    try:
        cache.clear()
    except DatabaseError as error:
        # A backup older than the cache's table (newsreader/cache): migrate makes it, empty.
        raise BackupError(
            f"Restored, but the cache could not be emptied ({error}): "
            "run manage.py migrate before starting the app."
        ) from None


def _sqlite_copy(source, destination):
    # The backup API through SQLite itself, which knows about the WAL and locks.
    with sqlite3.connect(_read_only(source), uri=True) as reading:
        writing = sqlite3.connect(destination)
        try:
            reading.backup(writing)
        finally:
            writing.close()
    reading.close()


def _read_only(path):
    # A URI, so the path is escaped: "?", "#" and "%" are URI syntax.
    return Path(path).resolve().as_uri() + "?mode=ro"


def _check_sqlite(path):
    try:
        with sqlite3.connect(_read_only(path), uri=True) as database:
            result = database.execute("PRAGMA integrity_check").fetchone()[0]
            database.execute("SELECT 1 FROM django_migrations LIMIT 1")
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a newsreader SQLite backup: {error}") from None
    finally:
        database.close()
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")


def _run(command, settings, database_flag="--dbname"):
    """Run a PostgreSQL client program against the configured database."""
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    try:
        # The programs are ours; the only input is the operator's settings and path.
        result = subprocess.run(  # noqa: S603
            [*command, f"{database_flag}={settings['NAME']}"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client).") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
