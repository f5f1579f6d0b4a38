"""Personal access tokens: made and shown once, stored hashed, expiring, revocable at
once, scoped (read-only tokens cannot change anything), rate-limited; and the
session still works for the app's own pages, with CSRF."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.tokens import MAX_TOKENS_PER_USER, TokenError, issue_token

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_json(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_only_a_hash_of_the_secret_is_stored(owner):
    token, secret = issue_token(owner, name="Script", scope="write")
    assert secret.startswith("nr_") and len(secret) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    assert stored["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["prefix"] == secret[:10]


def test_two_tokens_never_share_a_secret(owner):
    secrets = {issue_token(owner, name=f"t{n}")[1] for n in range(20)}
    assert len(secrets) == 20


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "100"),
        ({"name": "ok", "scope": "admin"}, "reads"),
        ({"name": "ok", "expires_at": timezone.now() - timedelta(days=1)}, "future"),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(owner, kwargs, message):
    with pytest.raises(TokenError, match=message):
        issue_token(owner, **kwargs)


def test_a_user_has_a_bounded_number_of_tokens(owner):
    for n in range(MAX_TOKENS_PER_USER):
        issue_token(owner, name=f"t{n}")
    with pytest.raises(TokenError, match="revoke"):
        issue_token(owner, name="one more")


def test_a_token_acts_as_its_user(client, owner, team):
    _, secret = issue_token(owner, name="Script")
    response = client.get("/api/v1/me/", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == owner.username
    assert response.json()["token_scope"] == "read"
    assert [t["slug"] for t in client.get("/api/v1/teams/", **bearer(secret)).json()["items"]] == [
        team.slug
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nr_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "nr_abc",
        "Bearer " + "x" * 500,
    ],
)
def test_a_wrong_or_malformed_token_is_401(client, owner, header):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_is_401(client):
    response = client.get("/api/v1/articles/")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"status", "code", "message"}


def test_an_expired_token_stops_working(client, owner):
    token, secret = issue_token(owner, name="Short", expires_at=timezone.now() + timedelta(hours=1))
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 401


def test_revoking_takes_effect_at_once(client, owner):
    token, secret = issue_token(owner, name="Leaked")
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    client.force_login(owner)
    client.post(f"/settings/tokens/{token.pk}/revoke/")
    client.logout()
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 401


def test_a_deactivated_users_tokens_stop_working(client, owner):
    _, secret = issue_token(owner, name="Script")
    owner.is_active = False
    owner.save()
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 401


def test_last_use_is_recorded_but_not_on_every_request(client, owner, django_assert_num_queries):
    token, secret = issue_token(owner, name="Script")
    assert token.last_used_at is None
    client.get("/api/v1/me/", **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me/", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first  # within a minute: no write


def test_a_read_only_token_cannot_change_anything(client, owner, team):
    _, secret = issue_token(owner, name="Reader", scope="read")
    assert client.get("/api/v1/articles/", **bearer(secret)).status_code == 200
    response = post_json(client, "/api/v1/articles/", {"text": "Some words."}, **bearer(secret))
    assert response.status_code == 403
    assert "only read" in response.json()["error"]["message"]


def test_a_read_write_token_can(client, owner, team):
    _, secret = issue_token(owner, name="Writer", scope="write")
    response = post_json(
        client, "/api/v1/articles/", {"text": "Some words to keep."}, **bearer(secret)
    )
    assert response.status_code == 201


def test_the_session_works_for_reads_and_needs_csrf_for_writes(owner, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get("/api/v1/articles/").status_code == 200
    refused = post_json(client, "/api/v1/articles/", {"text": "Some words to keep."})
    assert refused.status_code == 403
    client.get("/settings/tokens/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    allowed = post_json(
        client, "/api/v1/articles/", {"text": "Some words to keep."}, HTTP_X_CSRFTOKEN=csrf
    )
    assert allowed.status_code == 201


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_wrong_token_on_a_change_is_401_not_a_csrf_failure(method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        "/api/v1/articles/", "{}", content_type="application/json", **bearer("nr_wrong")
    )
    assert response.status_code in (401, 405)
    if method == "post":
        assert response.status_code == 401


def test_a_token_request_needs_no_csrf(owner, team):
    client = Client(enforce_csrf_checks=True)
    _, secret = issue_token(owner, name="Writer", scope="write")
    response = post_json(client, "/api/v1/articles/", {"text": "Words."}, **bearer(secret))
    assert response.status_code == 201


def test_requests_per_token_are_limited_with_retry_after(client, owner, settings):
    settings.API_RATE_LIMIT = "3/m"
    _, secret = issue_token(owner, name="Busy")
    _, other = issue_token(owner, name="Calm")
    for _ in range(3):
        assert client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    limited = client.get("/api/v1/me/", **bearer(secret))
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    # The limit is the token's: another token of the same user goes on.
    assert client.get("/api/v1/me/", **bearer(other)).status_code == 200


# The settings page


def test_the_settings_page_links_to_tokens_and_the_bookmarklet(client, owner):
    client.force_login(owner)
    page = client.get("/settings/").content.decode()
    assert "/settings/tokens/" in page and "/save/bookmarklet/" in page and "/api/v1/docs/" in page


def test_making_a_token_shows_its_secret_once(client, owner):
    client.force_login(owner)
    response = client.post(
        "/settings/tokens/", {"name": "Extension", "scope": "write", "expires": "30"}
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=owner)
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert token.scope == "write" and token.name == "Extension"
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    later = client.get("/settings/tokens/").content.decode()
    assert secret not in later and token.prefix in later and "Extension" in later
    assert client.get("/api/v1/me/", **bearer(secret)).status_code == 200


def test_a_token_that_never_expires(client, owner):
    client.force_login(owner)
    client.post("/settings/tokens/", {"name": "Forever", "scope": "read", "expires": ""})
    assert ApiToken.objects.get(user=owner).expires_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scope": "read", "expires": "30"},
        {"name": "x", "scope": "read", "expires": "7000"},
    ],
)
def test_a_bad_token_form_says_why_and_keeps_what_was_typed(client, owner, data):
    client.force_login(owner)
    response = client.post("/settings/tokens/", data)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_tokens_leave_the_list(client, owner):
    token, _ = issue_token(owner, name="Old one")
    client.force_login(owner)
    response = client.post(f"/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get("/settings/tokens/").content.decode()
    assert "Revoked the token “Old one”" in page  # the message
    assert "<td>Old one</td>" not in page


def test_nobody_revokes_another_users_token(client, owner, teammate):
    token, secret = issue_token(teammate, name="Theirs")
    client.force_login(owner)
    response = client.post(f"/settings/tokens/{token.pk}/revoke/")
    missing = client.post(f"/settings/tokens/{token.pk + 1000}/revoke/")
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_users_tokens_are_not_listed(client, owner, teammate):
    issue_token(teammate, name="Teammate's script")
    client.force_login(owner)
    assert "Teammate&#x27;s script" not in client.get("/settings/tokens/").content.decode()


def test_the_settings_pages_need_a_login(client):
    for url in ("/settings/", "/settings/tokens/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_revoking_is_post_only(client, owner):
    token, _ = issue_token(owner, name="Script")
    client.force_login(owner)
    assert client.get(f"/settings/tokens/{token.pk}/revoke/").status_code == 405
