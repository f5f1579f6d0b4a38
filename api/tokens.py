"""Personal access tokens: making them, and finding the one a request presents.

A secret is 32 random bytes (URL-safe, with a recognisable "nr_" prefix so
secret scanners and people can tell what it is). It is stored as its SHA-256:
the secret has far more entropy than any password, so a slow password hash
would add cost to every API request and no safety.
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from api.models import ApiToken

SECRET_PREFIX = "nr_"  # noqa: S105 - a marker, not a secret
PREFIX_CHARS = 10  # of the secret, shown in the token list
MAX_TOKENS_PER_USER = 50
# How often last_used_at is written: not on every request of a busy script.
LAST_USE_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be made; the message is meant for people."""


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user, *, name, scope=ApiToken.Scope.READ, expires_at=None):
    """A new token for `user`: (ApiToken, secret). The secret is not kept anywhere."""
    name = (name or "").strip()
    if not name:
        raise TokenError("Give the token a name, so you know later what uses it.")
    if len(name) > 100:
        raise TokenError("A token's name is at most 100 characters.")
    if scope not in ApiToken.Scope.values:
        raise TokenError("A token either reads only or reads and writes.")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("The expiry date must be in the future.")
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= MAX_TOKENS_PER_USER:
        raise TokenError(f"You have {MAX_TOKENS_PER_USER} tokens: revoke one first.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=secret[:PREFIX_CHARS],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    return token, secret


def token_for_secret(secret):
    """The usable token whose secret this is (with its user), or None."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(key_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
