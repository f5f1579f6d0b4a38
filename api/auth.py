"""Who is calling the API: a personal access token, or the app's own session.

A token (`Authorization: Bearer nr_…`) acts as its user with its scope; the
session works for the app's own pages, with Django's CSRF check on writes
(django-ninja's django_auth does it). Either way `request.user` is the user,
and every fetch goes through newsreader/access.py like the HTML views.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from api.models import ApiToken
from api.tokens import token_for_secret


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = token_for_secret(token)
        if found is None:
            return None
        request.user = found.user
        return found


class SignedInSession(SessionAuth):
    """The session of a signed-in user, with Django's CSRF check on changes.

    Only a request that is signed in is checked: one without a session (a
    script whose token is wrong) is told to authenticate (401), not that its
    CSRF token is missing (403)."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


AUTH = [TokenAuth(), SignedInSession()]


def require_write(request):
    """Refuse a change made with a read-only token (the role is checked separately)."""
    token = request.auth
    if isinstance(token, ApiToken) and not token.can_write:
        raise PermissionDenied("This token may only read: make a read-and-write token to change.")


class CallerRateThrottle(SimpleRateThrottle):
    """Requests per token (or per session user), counted in the cache; past the rate
    the API answers 429 with Retry-After."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request):
        # The rate is read per request, so a changed setting applies at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        caller = request.auth
        if isinstance(caller, ApiToken):
            ident = f"token-{caller.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused by authentication anyway
        return self.cache_format % {"scope": self.scope, "ident": ident}
