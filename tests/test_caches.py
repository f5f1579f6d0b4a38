"""The shared caches the app runs with: the database's table (the default) and Redis.

Tests otherwise use a per-process memory cache (tests/settings.py); here the
login throttle runs on the caches production uses, where every worker sees
the same counts.
"""

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from newsreader import settings as app_settings

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": app_settings.CACHE_TABLE,
    },
    "throttle": app_settings.THROTTLE_CACHE,
}
REDIS_URL = "redis://127.0.0.1:6379/5"
REDIS_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    "throttle": app_settings.THROTTLE_CACHE,
}


def redis_running():
    try:
        import redis
    except ImportError:
        return False
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    for _ in range(2):
        try:
            return client.ping()
        except redis.ConnectionError:
            # Start it as TOOLCHAIN says, nothing kept on disk; skip if that fails too.
            subprocess.run(
                ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
                + ["--save", "", "--appendonly", "no"],
                check=False,
                capture_output=True,
            )
            time.sleep(0.5)
    return False


def login(client, password, address):
    url = reverse("login")
    return client.post(url, {"username": "olivia", "password": password}, REMOTE_ADDR=address)


def lockout_scenario(owner):
    """Issue 15's attack: 20 wrong passwords from one address, then the owner elsewhere."""
    statuses = [login(Client(), "wrong", "198.51.100.7").status_code for _ in range(20)]
    assert statuses == [200] * 5 + [429] * 15
    assert login(Client(), "pw-olivia", "192.0.2.9").status_code == 302


def test_migrate_makes_the_cache_tables(db):
    tables = connection.introspection.table_names()
    assert app_settings.CACHE_TABLE in tables
    assert app_settings.THROTTLE_CACHE_TABLE in tables


def test_the_database_cache_works_on_its_table(settings, db):
    settings.CACHES = DATABASE_CACHE
    cache.set("k", 1)
    assert cache.incr("k") == 2
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {app_settings.CACHE_TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 1


def test_the_throttle_on_the_database_cache(settings, owner):
    settings.CACHES = DATABASE_CACHE
    lockout_scenario(owner)
    assert _rows(app_settings.THROTTLE_CACHE_TABLE) > 0
    assert _rows(app_settings.CACHE_TABLE) == 0


def _rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def _small(entries):
    default, throttle = (dict(c, OPTIONS={"MAX_ENTRIES": entries}) for c in DATABASE_CACHE.values())
    return {"default": default, "throttle": throttle}


def test_filling_the_shared_cache_does_not_wipe_the_login_counts(settings, owner):
    settings.CACHES = _small(50)
    statuses = [login(Client(), "wrong", "198.51.100.7").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    for n in range(80):  # each reset request with a new address adds rows to the shared cache
        Client().post(reverse("password_reset"), {"email": f"x{n}@example.org"})
    assert login(Client(), "wrong", "198.51.100.7").status_code == 429


def test_a_full_throttle_table_culls_only_expired_counts(settings, owner):
    settings.CACHES = _small(20)
    statuses = [login(Client(), "wrong", "198.51.100.7").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    for n in range(30):  # distinct accounts from distinct addresses: more rows than MAX_ENTRIES
        client = Client()
        data = {"username": f"nobody{n}", "password": "wrong"}
        client.post(reverse("login"), data, REMOTE_ADDR=f"203.0.113.{n}")
    assert _rows(app_settings.THROTTLE_CACHE_TABLE) > 20
    assert login(Client(), "wrong", "198.51.100.7").status_code == 429


@pytest.mark.django_db(transaction=True)
def test_workers_share_the_database_cache_counts(settings, owner):
    # Each thread has its own database connection and its own cache connection,
    # as separate worker processes do: parallel guesses still get exactly 5 checks.
    settings.CACHES = DATABASE_CACHE

    def guess(_):
        try:
            return login(Client(), "wrong", "198.51.100.7").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(guess, range(16)))
    assert sorted(statuses) == [200] * 5 + [429] * 11


def test_the_throttle_on_redis(settings, owner):
    if not redis_running():
        pytest.skip("no Redis server at 127.0.0.1:6379 and none could be started")
    settings.CACHES = REDIS_CACHE
    cache.clear()
    try:
        lockout_scenario(owner)
        # The counts stay on the database, where an evicting Redis cannot drop them.
        assert not any(b"login-throttle" in key for key in _redis_keys())
        assert _rows(app_settings.THROTTLE_CACHE_TABLE) > 0
    finally:
        cache.clear()


def _redis_keys():
    import redis

    return redis.Redis.from_url(REDIS_URL).keys("*")


def configured_cache(**env):
    result = subprocess.run(
        [sys.executable, "-c", "from newsreader import settings as s; print(s.CACHES['default'])"],
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_the_database_cache_is_the_default():
    assert "DatabaseCache" in configured_cache()


def test_redis_url_selects_redis():
    assert f"RedisCache', 'LOCATION': '{REDIS_URL}'" in configured_cache(REDIS_URL=REDIS_URL)
