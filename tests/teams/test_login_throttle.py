"""Login throttling: bursts of wrong passwords per account and per address are refused a while."""

import pytest
from django.test import Client
from django.urls import reverse

from teams import throttle

URL = reverse("login")
REFUSED = b"Too many failed attempts; try again in"


def attempt(client, username, password="wrong", address="198.51.100.7"):  # noqa: S107
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(response):
    return response.status_code == 302


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, at the start of a window; move it with clock.now += seconds."""

    class Clock:
        now = 1_800_000_000.0  # a multiple of 900: a window starts here

    monkeypatch.setattr(throttle, "now", lambda: Clock.now)
    return Clock


def test_five_wrong_passwords_lock_the_account_for_a_while(client, owner, clock):
    for _ in range(5):
        assert attempt(client, "olivia").status_code == 200
    response = attempt(client, "olivia", "pw-olivia")  # even the right password waits
    assert response.status_code == 429
    assert REFUSED + b" 15 minutes." in response.content
    assert "_auth_user_id" not in client.session


def test_the_wait_counts_down(client, owner, clock):
    for _ in range(6):
        attempt(client, "olivia")
    clock.now += 14 * 60 + 5
    assert b"try again in 1 minute." in attempt(client, "olivia").content


def test_the_lock_ends_by_itself(client, owner, clock):
    for _ in range(8):
        attempt(client, "olivia")
    clock.now += 15 * 60
    assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_the_account_count_ignores_case_and_spaces(client, owner, clock):
    for name in ("olivia", "Olivia", "OLIVIA ", "olivia", "oLivia"):
        attempt(client, name)
    assert attempt(client, "olivia", "pw-olivia").status_code == 429


def test_a_locked_account_does_not_lock_others(client, owner, teammate, clock):
    for _ in range(6):
        attempt(client, "olivia")
    assert logged_in(attempt(client, "tariq", "pw-tariq"))


def test_the_account_is_locked_from_every_address(owner, clock):
    for n in range(6):
        attempt(Client(), "olivia", address=f"203.0.113.{n}")
    assert attempt(Client(), "olivia", "pw-olivia", address="192.0.2.9").status_code == 429


def test_a_successful_login_clears_the_account_count(client, owner, clock):
    for _ in range(4):
        attempt(client, "olivia")
    assert logged_in(attempt(client, "olivia", "pw-olivia"))
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "olivia")
    assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_twenty_failures_from_one_address_lock_the_address(owner, clock):
    for n in range(20):
        assert attempt(Client(), f"guess{n}").status_code == 200
    response = attempt(Client(), "olivia", "pw-olivia")
    assert response.status_code == 429 and REFUSED in response.content
    # Another address is not affected.
    assert logged_in(attempt(Client(), "olivia", "pw-olivia", address="192.0.2.9"))


def test_successful_logins_do_not_use_up_the_address(owner, clock, settings):
    settings.LOGIN_THROTTLE_ADDRESS = 3
    for _ in range(10):
        client = Client()
        assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_a_locked_attempt_checks_no_password(client, owner, clock, monkeypatch):
    for _ in range(5):
        attempt(client, "olivia")
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.forms.authenticate", lambda *a, **k: checked.append(k) or None
    )
    assert attempt(client, "olivia", "pw-olivia").status_code == 429
    assert checked == []


def test_the_limits_and_window_are_settings(client, owner, clock, settings):
    settings.LOGIN_THROTTLE_ACCOUNT = 2
    settings.LOGIN_THROTTLE_WINDOW = 60
    attempt(client, "olivia")
    attempt(client, "olivia")
    response = attempt(client, "olivia", "pw-olivia")
    assert b"try again in 1 minute." in response.content
    clock.now += 60
    assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_settings_refuse_junk_limits():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import newsreader.settings"],
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", "LOGIN_THROTTLE_ACCOUNT": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "LOGIN_THROTTLE_ACCOUNT must be at least 1" in result.stderr


def test_the_admin_login_is_throttled_too(client, django_user_model):
    django_user_model.objects.create_superuser("root", password="right-password-1")
    url = reverse("admin:login")
    for _ in range(6):
        client.post(url, {"username": "root", "password": "wrong"})
    response = client.post(url, {"username": "root", "password": "right-password-1"})
    assert response.status_code == 200
    assert b"Too many failed attempts" in response.content
