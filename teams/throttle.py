"""Login throttling: a burst of failed logins is refused for a while.

Attempts are counted in the cache, per fixed window of LOGIN_THROTTLE_WINDOW
seconds (15 minutes by default), twice:

- per account (the username as typed, case-insensitively): over
  LOGIN_THROTTLE_ACCOUNT failed attempts (5), further attempts are refused;
- per client address (REMOTE_ADDR): over LOGIN_THROTTLE_ADDRESS (20).

A refusal says "Too many failed attempts; try again in N minutes" and checks
no password. It ends with the window, by itself: nobody is locked out for
good. An attempt is counted before its password is checked (an atomic cache
increment), so guesses sent in parallel cannot slip past the limit; a
successful login takes its attempt back and clears the account's count.

REMOTE_ADDR is the address of whoever opened the connection. Behind a
reverse proxy that is the proxy, and every client would share one address
count: the proxy (or the WSGI server) must put the client's address in
REMOTE_ADDR. X-Forwarded-For is not read, since any client can forge it.

The counts live in the default cache. Django's default local-memory cache is
per process: with several worker processes each counts on its own, so the
effective limits are multiplied by the number of workers; configure a shared
cache (Redis, Memcached) where that matters.
"""

import contextlib
import hashlib
import math
import time

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache


def now():
    """The current time; tests move it forward."""
    return time.time()


def _key(kind, value, window):
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"login-throttle:{kind}:{digest}:{window}"


class LoginThrottle:
    """The attempt counts of one login: its account and its client address."""

    def __init__(self, username, address):
        self.length = settings.LOGIN_THROTTLE_WINDOW
        self.window = int(now() // self.length)
        self.account = _key("account", username.strip().lower(), self.window)
        self.address = _key("address", address or "unknown", self.window)

    def attempt(self):
        """Count an attempt; the seconds to wait if it is over a limit, else 0."""
        over_account = self._count(self.account) > settings.LOGIN_THROTTLE_ACCOUNT
        over_address = self._count(self.address) > settings.LOGIN_THROTTLE_ADDRESS
        if over_account or over_address:
            return (self.window + 1) * self.length - now()
        return 0

    def succeeded(self):
        """A right password: the account starts afresh and the address gets its attempt back."""
        cache.delete(self.account)
        with contextlib.suppress(ValueError):  # gone from the cache meanwhile
            cache.decr(self.address)

    def _count(self, key):
        # add() is a no-op when the key exists; incr() is atomic in the cache.
        cache.add(key, 0, timeout=2 * self.length)
        try:
            return cache.incr(key)
        except ValueError:  # evicted between the two calls
            cache.set(key, 1, timeout=2 * self.length)
            return 1


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing bursts of failed attempts (see the module)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed attempts; try again in %(wait)s.",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        throttle = LoginThrottle(username, client_address(self.request))
        wait = throttle.attempt()
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"},
            )
        cleaned = super().clean()  # raises on a wrong password: the attempt stays counted
        throttle.succeeded()
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin site's login form, under the same throttle (staff accounts most of all)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": ThrottledAuthenticationForm.error_messages["throttled"],
    }
