"""manage.py backup and restore: a backup taken while the app runs brings back
what was lost, on SQLite (the online backup API) and PostgreSQL (pg_dump)."""

import os
import sqlite3
import stat
import subprocess

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from newsreader import backups
from teams.models import Team
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_brings_back_what_was_lost(tmp_path, capsys):
    team = Team.objects.create(name="Kept", slug="kept")
    article = make_article(team, "Ferries")
    target = tmp_path / "nightly"
    target.mkdir()
    call_command("backup", str(target))
    (backup,) = target.iterdir()
    assert f"to {backup}" in capsys.readouterr().out
    # Lost (and something new) after the backup...
    Article.all_objects.filter(pk=article.pk).delete()
    Team.objects.create(name="Later", slug="later")
    call_command("restore", str(backup), "--yes")
    # ...and back, as it was when the backup was taken.
    assert Article.objects.get(pk=article.pk).title == "Ferries"
    assert article.text == Article.objects.get(pk=article.pk).text
    assert not Team.objects.filter(slug="later").exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup file")
def test_a_sqlite_backup_is_a_whole_database_even_in_wal_mode(tmp_path):
    Team.objects.create(name="Kept", slug="kept")
    assert connection.cursor().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    backup = tmp_path / "copy.sqlite3"
    call_command("backup", str(backup))
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT name FROM articles_team").fetchall() == [("Kept",)]
    copy.close()


def test_it_never_overwrites_a_file_nor_restores_junk(tmp_path):
    existing = tmp_path / "taken"
    existing.write_text("mine")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    assert existing.read_text() == "mine"
    with pytest.raises(CommandError):
        call_command("restore", str(existing), "--yes")
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing"), "--yes")
    assert Team.objects.count() == 0 or Team.objects.exists()  # the database still answers


def test_restore_asks_first(tmp_path, monkeypatch):
    backup = tmp_path / "b"
    call_command("backup", str(backup))
    Team.objects.create(name="Kept", slug="kept")
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(backup))
    assert Team.objects.filter(slug="kept").exists()


def test_restore_empties_the_cache(tmp_path):
    # On a shared cache, versions counted again from the backup's would name
    # panels rendered from the history the restore discarded.
    backup = tmp_path / "b"
    call_command("backup", str(backup))
    cache.set("reader:panel:1:1.0:3::", "rendered before the restore")
    call_command("restore", str(backup), "--yes")
    assert cache.get("reader:panel:1:1.0:3::") is None


def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    # It holds password hashes, sessions and private notes.
    backup = tmp_path / "b"
    previous = os.umask(0o022)
    try:
        call_command("backup", str(backup))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_paths_with_uri_characters_back_up_and_restore(tmp_path):
    folder = tmp_path / "odd ?#%41 name"
    folder.mkdir()
    team = Team.objects.create(name="Kept", slug="kept")
    backup = folder / "b?x#y%25"
    call_command("backup", str(backup))
    assert backup.is_file()
    team.delete()
    call_command("restore", str(backup), "--yes")
    assert Team.objects.filter(slug="kept").exists()


def test_pg_dump_and_pg_restore_get_absolute_paths(tmp_path, monkeypatch):
    # "-b" given to the commands as it is would be read as an option.
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backups, "_database", lambda alias: ("postgresql", {"NAME": "db"}))
    monkeypatch.setattr(backups.subprocess, "run", run)
    monkeypatch.chdir(tmp_path)
    backups.backup("-b")
    backups.restore("-b")
    dump, restore = calls
    assert f"--file={tmp_path / '-b.partial'}" in dump
    assert restore[-2] == str(tmp_path / "-b")
