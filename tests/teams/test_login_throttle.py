"""Login throttling: guessing is refused at the guessing address and slowed on the
account, and the owner always gets in with the right password."""

import pytest
from django.test import Client
from django.urls import reverse

from teams import throttle

URL = reverse("login")
REFUSED = b"Too many failed attempts; try again in"
SLOWED = b"logins to it are slowed down: enter your password again in"


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


def guess_from_many_addresses(count, username="olivia"):
    for n in range(count):
        assert attempt(Client(), username, address=f"203.0.113.{n}").status_code == 200


# The lockout of issue 15: wrong passwords sent from one address kept the owner out.


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(client, owner, clock):
    for _ in range(20):
        attempt(Client(), "olivia")
    # The attacker keeps going through the window; the owner logs in from elsewhere.
    for _ in range(6):
        clock.now += 150
        attempt(Client(), "olivia")
        owner_client = Client()
        assert logged_in(attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9"))


def test_the_guessing_address_is_refused_that_account_for_the_window(client, owner, clock):
    for _ in range(5):
        assert attempt(client, "olivia").status_code == 200
    response = attempt(client, "olivia", "pw-olivia")  # even the right password waits there
    assert response.status_code == 429
    assert REFUSED + b" 15 minutes." in response.content
    assert response["Retry-After"] == "900"
    assert b"data-retry-after" not in response.content  # the form stays usable for others
    assert "_auth_user_id" not in client.session


def test_the_wait_counts_down(client, owner, clock):
    for _ in range(6):
        attempt(client, "olivia")
    clock.now += 14 * 60 + 5
    assert b"try again in 55 seconds." in attempt(client, "olivia").content


def test_the_refusal_ends_by_itself(client, owner, clock):
    for _ in range(8):
        attempt(client, "olivia")
    clock.now += 15 * 60
    assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_the_account_count_ignores_case_and_spaces(client, owner, clock):
    for name in ("olivia", "Olivia", "OLIVIA ", "olivia", "oLivia"):
        attempt(client, name)
    assert attempt(client, "olivia", "pw-olivia").status_code == 429


def test_a_refused_account_does_not_refuse_others(client, owner, teammate, clock):
    for _ in range(6):
        attempt(client, "olivia")
    assert logged_in(attempt(client, "tariq", "pw-tariq"))


def test_a_successful_login_clears_the_count_of_its_address(client, owner, clock):
    for _ in range(4):
        attempt(client, "olivia")
    assert logged_in(attempt(client, "olivia", "pw-olivia"))
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "olivia")
    assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_twenty_failures_from_one_address_refuse_the_address(owner, clock):
    for n in range(20):
        assert attempt(Client(), f"guess{n}").status_code == 200
    response = attempt(Client(), "olivia", "pw-olivia")
    assert response.status_code == 429 and REFUSED in response.content
    # Another address is not affected.
    assert logged_in(attempt(Client(), "olivia", "pw-olivia", address="192.0.2.9"))


# Guessing from many addresses: the account's logins are slowed, never refused.


def test_guessing_from_many_addresses_slows_the_account_down(owner, clock, monkeypatch):
    guess_from_many_addresses(10)
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.forms.authenticate", lambda *a, **k: checked.append(k) or None
    )
    response = attempt(Client(), "olivia", "pw-olivia", address="192.0.2.9")
    assert response.status_code == 429
    assert SLOWED + b" 2 seconds." in response.content
    assert response["Retry-After"] == "2"
    assert checked == []  # no password is checked before the wait
    # With JavaScript, the button waits those seconds (static/js/login-wait.js).
    assert b'data-retry-after="2"' in response.content and b"login-wait.js" in response.content


def test_the_owner_gets_in_from_a_fresh_address_after_the_delay(owner, clock):
    guess_from_many_addresses(10)
    owner_client = Client()
    assert attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9").status_code == 429
    clock.now += 1
    # Too early: still waiting, and the early try costs nothing.
    assert attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9").status_code == 429
    clock.now += 1
    assert logged_in(attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9"))


def test_the_delay_grows_with_the_failures_up_to_a_limit(owner, clock, settings):
    settings.LOGIN_THROTTLE_MAX_DELAY = 30
    guess_from_many_addresses(10)
    delays = []
    for n in range(40):
        # Each address waits its turn, then guesses wrong.
        address = f"198.18.0.{n}"
        first = attempt(Client(), "olivia", address=address)
        delays.append(int(first["Retry-After"]))
        clock.now += delays[-1]
        assert attempt(Client(), "olivia", address=address).status_code == 200
    assert delays[0] == 2 and delays[10] == 4 and delays[20] == 8 and delays[30] == 16
    # 300 s later, still in the window: 50 failures.
    assert attempt(Client(), "olivia", address="192.0.2.200")["Retry-After"] == "30"


def test_an_attacker_cannot_use_up_the_owners_turn(owner, clock):
    guess_from_many_addresses(10)
    owner_client = Client()
    attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9")
    for _ in range(5):  # the attacker's own turns, at its own addresses
        attempt(Client(), "olivia", address="203.0.113.99")
    clock.now += 2
    assert logged_in(attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9"))


def test_parallel_attempts_on_a_due_turn_pass_one_at_a_time(owner, clock, settings):
    guess_from_many_addresses(10)
    first = throttle.LoginThrottle("olivia", "192.0.2.9")
    with pytest.raises(throttle.Wait):
        first.attempt()
    clock.now += 2
    passed = 0
    for _ in range(3):  # three requests that all read the turn as due
        try:
            throttle.LoginThrottle("olivia", "192.0.2.9").attempt()
            passed += 1
        except throttle.Wait:
            pass
    assert passed == 1


def test_an_owner_logging_in_does_not_end_the_slow_path(owner, clock):
    guess_from_many_addresses(10)
    owner_client = Client()
    attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9")
    clock.now += 2
    assert logged_in(attempt(owner_client, "olivia", "pw-olivia", address="192.0.2.9"))
    assert attempt(Client(), "olivia", address="203.0.113.200").status_code == 429


def test_the_slow_path_ends_with_the_window(owner, clock):
    guess_from_many_addresses(10)
    clock.now += 15 * 60
    assert logged_in(attempt(Client(), "olivia", "pw-olivia", address="192.0.2.9"))


# Limits, settings and the admin.


def test_successful_logins_do_not_use_up_the_address(owner, clock, settings):
    settings.LOGIN_THROTTLE_ADDRESS = 3
    for _ in range(10):
        client = Client()
        assert logged_in(attempt(client, "olivia", "pw-olivia"))


def test_a_refused_attempt_checks_no_password(client, owner, clock, monkeypatch):
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


@pytest.mark.parametrize(
    "name", ["LOGIN_THROTTLE_ACCOUNT", "LOGIN_THROTTLE_SLOW", "LOGIN_THROTTLE_MAX_DELAY"]
)
def test_settings_refuse_junk_limits(name):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import newsreader.settings"],
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", name: "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"{name} must be at least 1" in result.stderr


def test_the_admin_login_is_throttled_too(client, django_user_model):
    django_user_model.objects.create_superuser("root", password="right-password-1")
    url = reverse("admin:login")
    for _ in range(6):
        client.post(url, {"username": "root", "password": "wrong"})
    response = client.post(url, {"username": "root", "password": "right-password-1"})
    assert response.status_code == 200
    assert b"Too many failed attempts" in response.content


# Forms that confirm an action with the current password are guessed at as slowly.

EMAIL = reverse("settings:email")
CHANGE = reverse("settings:password-change")


def change_email(client, password, address="198.51.100.7"):
    data = {"email": "attacker@example.org", "password": password}
    return client.post(EMAIL, data, REMOTE_ADDR=address)


def change_password(client, password, address="198.51.100.7"):
    data = {"old_password": password, "new_password1": "x-ferry-93", "new_password2": "x-ferry-93"}
    return client.post(CHANGE, data, REMOTE_ADDR=address)


@pytest.mark.parametrize("post", [change_email, change_password])
def test_a_signed_in_browser_guesses_the_password_no_faster(client, owner, clock, post):
    client.force_login(owner)
    statuses = [post(client, "wrong").status_code for _ in range(7)]
    assert statuses == [422] * 5 + [429] * 2
    response = post(client, "pw-olivia")  # not checked: nothing changes
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert REFUSED in response.content
    owner.refresh_from_db()
    assert owner.email == "" and owner.check_password("pw-olivia")
    # The owner, from elsewhere, still gets through.
    assert post(client, "pw-olivia", address="192.0.2.9").status_code == 302


@pytest.mark.parametrize("post", [change_email, change_password])
def test_guesses_there_count_with_the_logins(client, owner, clock, post):
    client.force_login(owner)
    for _ in range(3):
        assert post(client, "wrong").status_code == 422
    for _ in range(2):
        assert attempt(Client(), "olivia").status_code == 200
    assert attempt(Client(), "olivia").status_code == 429


def test_an_ipv6_client_counts_by_its_64(client, owner, clock):
    # Every address of a /64 is the same client: a fresh one each time gets nowhere.
    statuses = [
        attempt(Client(), "olivia", address=f"2001:db8:1:2::{n:x}").status_code for n in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2
    assert logged_in(attempt(Client(), "olivia", "pw-olivia", address="2001:db8:1:3::1"))
