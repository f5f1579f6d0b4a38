"""Login throttling that slows guessing down without locking the owner out.

Failed logins are counted in the "throttle" cache (shared by every worker: a
database table of its own, where other traffic cannot push the counts out and
only expired ones are culled; newsreader/cache/backends.py), per fixed window of
LOGIN_THROTTLE_WINDOW seconds (15 minutes by default), three ways:

- per account *and* client address: past LOGIN_THROTTLE_ACCOUNT failures (5),
  that address may not try that account again until the window ends;
- per client address (REMOTE_ADDR; an IPv6 address by its /64, which one
  client may fill with addresses at will): past LOGIN_THROTTLE_ADDRESS failures (20)
  on any accounts, that address may not log in at all until the window ends;
- per account, from every address: past LOGIN_THROTTLE_SLOW failures (10), the
  account is being guessed at from several places, and every login to it takes
  the slow path: the password is checked only when the same address submits
  again after a delay (2 s, doubling with every LOGIN_THROTTLE_SLOW further
  failures, at most LOGIN_THROTTLE_MAX_DELAY seconds). The delay is kept per
  address, so an attacker cannot use up the owner's turn.

The forms that confirm a change with the current password (the e-mail
address, the password) check it under the same counts (check_password), so a
signed-in browser left open is no faster way to guess it.

Refusals only ever fall on the addresses that made the failures, so nobody can
lock someone else out: the right password from any other address gets in, at
worst after the delay. (An e-mailed sign-in link would be the other slow path;
a self-hosted server often has no mail set up, and a delay needs none.)

A refused or delayed attempt checks no password. An attempt is counted before
its password is checked (an atomic cache increment), so guesses sent in
parallel cannot slip past a limit; a successful login takes its attempt back
and clears its account-and-address count (not the account's: the owner logging
in does not end an attack).

The address counted is REMOTE_ADDR, as the WSGI middleware in front of Django
(newsreader/limits.py) leaves it: the address of whoever opened the connection,
except when that is a reverse proxy listed in PROXY_ADDRESSES, whose last
X-Forwarded-For entry (the address the proxy saw) replaces it. This module
never reads X-Forwarded-For itself, and from any other peer the header is
ignored, since any client can forge it. Behind a proxy left out of
PROXY_ADDRESSES every client would share the proxy's address count.
"""

import hashlib
import math
import time

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

from newsreader.lib.addresses import counted_address

FIRST_DELAY = 2  # seconds, on the slow path
THROTTLE = "throttle"  # the cache alias (settings.CACHES)


def now():
    """The current time; tests move it forward."""
    return time.time()


def _key(kind, value, window=None):
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"login-throttle:{kind}:{digest}" + ("" if window is None else f":{window}")


class Wait(Exception):
    """This attempt is not checked; `seconds` until the next one may be."""

    def __init__(self, seconds, slowed):
        self.seconds = max(1, math.ceil(seconds))
        self.slowed = slowed


class LoginThrottle:
    """The attempt counts of one login: its account, its address, and both."""

    def __init__(self, username, address):
        self.length = settings.LOGIN_THROTTLE_WINDOW
        self.window = int(now() // self.length)
        account = username.strip().lower()
        address = counted_address(address) or "unknown"  # an IPv6 client: its /64
        self.account = _key("account", account, self.window)
        self.address = _key("address", address, self.window)
        self.pair = _key("pair", f"{account}\n{address}", self.window)
        # When this address may next be heard on the slow path (no window: it
        # outlives a window's end, or the wait would start again every window).
        self.turn = _key("turn", f"{account}\n{address}")

    def attempt(self):
        """Count an attempt about to be checked; raises Wait when it may not be."""
        self._refuse_if_over(caches[THROTTLE].get_many([self.pair, self.address]))
        failures = caches[THROTTLE].get(self.account, 0)
        if failures >= settings.LOGIN_THROTTLE_SLOW:
            self._take_turn(self._delay(failures))
        counts = {self.pair: self._count(self.pair), self.address: self._count(self.address)}
        self._refuse_if_over(counts)

    def failed(self):
        self._count(self.account)

    def succeeded(self):
        """The right password: the address starts afresh on the account, its attempt back."""
        caches[THROTTLE].delete(self.pair)
        self._count(self.address, -1)

    def _refuse_if_over(self, counts):
        if (
            counts.get(self.pair, 0) > settings.LOGIN_THROTTLE_ACCOUNT
            or counts.get(self.address, 0) > settings.LOGIN_THROTTLE_ADDRESS
        ):
            raise Wait((self.window + 1) * self.length - now(), slowed=False)

    def _delay(self, failures):
        doublings = (failures - settings.LOGIN_THROTTLE_SLOW) // settings.LOGIN_THROTTLE_SLOW
        return min(settings.LOGIN_THROTTLE_MAX_DELAY, FIRST_DELAY * 2 ** min(doublings, 16))

    def _take_turn(self, delay):
        """Pass when this address waited its delay; otherwise start (or go on) waiting."""
        ready = caches[THROTTLE].get(self.turn)
        # delete() says whether this request removed the turn: of several parallel
        # attempts that find it due, one goes through and the others wait again.
        if ready is not None and ready <= now() and caches[THROTTLE].delete(self.turn):
            return
        if ready is None or ready <= now():
            ready = now() + delay
            # The turn stays due for a window, then the address starts waiting again.
            if not caches[THROTTLE].add(self.turn, ready, timeout=math.ceil(delay) + self.length):
                ready = caches[THROTTLE].get(self.turn) or ready
        raise Wait(ready - now(), slowed=True)

    def _count(self, key, delta=1):
        return increment(key, delta, timeout=2 * self.length, alias=THROTTLE)


def increment(key, delta, timeout, alias="default"):
    """Add `delta` to the count at `key` (missing: 0) atomically, in any cache; the new count.

    Redis and memory caches increment atomically themselves. Django's database
    cache reads and writes back (and resets the timeout to its default), so two
    workers could both read 4 and write 5: there the row is locked first
    (SQLite's IMMEDIATE transactions lock the whole database anyway).
    """
    backend = caches[alias]
    if not isinstance(backend, DatabaseCache):
        # add() is a no-op when the key exists; incr() is atomic in the cache.
        backend.add(key, 0, timeout=timeout)
        try:
            return backend.incr(key, delta)
        except ValueError:  # evicted between the two calls
            backend.set(key, max(delta, 0), timeout=timeout)
            return max(delta, 0)
    alias = router.db_for_write(backend.cache_model_class)
    connection = connections[alias]
    backend.add(key, 0, timeout=timeout)  # the row to lock
    with transaction.atomic(using=alias):
        if connection.features.has_select_for_update:
            table = connection.ops.quote_name(backend._table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT 1 FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                    [backend.make_and_validate_key(key)],
                )
        count = max(backend.get(key, 0) + delta, 0)
        backend.set(key, count, timeout=timeout)
    return count


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _in_words(seconds):
    if seconds < 60:
        return f"{seconds} second" if seconds == 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def check_password(form, user, password, address):
    """Whether `password` is `user`'s, checked under the login throttle.

    Forms that confirm an action with the current password (changing the e-mail
    address or the password) would otherwise let whoever finds a signed-in
    browser guess at full speed: these guesses count against the account and
    the address as a login's do, and a refused or delayed one raises the login's
    ValidationError (with form.retry_after set) and checks nothing.
    """
    throttle = LoginThrottle(user.get_username(), address)
    try:
        throttle.attempt()
    except Wait as wait:
        form.retry_after = wait.seconds
        code = "slowed" if wait.slowed else "throttled"
        message = ThrottledAuthenticationForm.error_messages[code]
        raise forms.ValidationError(
            message, code=code, params={"wait": _in_words(wait.seconds)}
        ) from None
    if user.check_password(password):
        throttle.succeeded()
        return True
    throttle.failed()
    return False


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form under the throttle (see the module)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed attempts; try again in %(wait)s.",
        "slowed": (
            "This account has had many failed logins, so logins to it are slowed down: "
            "enter your password again in %(wait)s."
        ),
    }
    # Seconds before trying again, when the attempt was not checked (Retry-After);
    # `slowed`: that wait is the slow path's (the page counts it down), not a refusal.
    retry_after = None
    slowed = False

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        throttle = LoginThrottle(username, client_address(self.request))
        try:
            throttle.attempt()
        except Wait as wait:
            self.retry_after, self.slowed = wait.seconds, wait.slowed
            code = "slowed" if wait.slowed else "throttled"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"wait": _in_words(wait.seconds)}
            ) from None
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.failed()  # the attempt stays counted against the address
            raise
        throttle.succeeded()
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin site's login form, under the same throttle (staff accounts most of all)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": ThrottledAuthenticationForm.error_messages["throttled"],
        "slowed": ThrottledAuthenticationForm.error_messages["slowed"],
    }
