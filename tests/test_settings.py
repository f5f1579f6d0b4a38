import pytest
from django.core.exceptions import ImproperlyConfigured

from newsreader.settings import database_from_url, env_bool, env_int


def test_database_url_is_parsed():
    config = database_from_url("postgres://u%40x:p%2Fw@db.local:6543/news?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("u@x", "p/w")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.local", "6543", "news")
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://h/db", "postgres://h", "sqlite:///x.db"])
def test_a_database_url_we_cannot_use_is_an_error(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_booleans_and_integers_fail_loudly_on_junk(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG")
    monkeypatch.setenv("FLAG", "on")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be an integer"):
        env_int("COUNT", 1)


def test_debug_off_without_a_secret_key_refuses_to_start():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import newsreader.settings"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY_FILE": "/nonexistent"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_key_can_come_from_a_file(tmp_path):
    from newsreader.settings import secret_key_from_file

    (tmp_path / "key").write_text("s3cret-from-file\n")
    assert secret_key_from_file(tmp_path / "key") == "s3cret-from-file"
    assert secret_key_from_file(tmp_path / "missing") == ""


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
