"""Security headers on every response, our own error pages, private pages kept nowhere,
and `check --deploy` clean with the production variables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from newsreader.security import HEADERS

ROOT = Path(__file__).resolve().parent.parent


def assert_secured(response):
    for name, value in HEADERS.items():
        assert response[name] == value, name
    assert "camera=()" in response["Permissions-Policy"]


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.urls_errors"


def test_pages_carry_the_headers(client, owner):
    client.force_login(owner)
    assert_secured(client.get(reverse("articles:library")))
    assert_secured(client.get(reverse("login")))
    assert_secured(client.get("/healthz/"))


def test_a_bad_host_gets_our_400_with_the_headers(client):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_secured(response)
    assert b"The request could not be understood." in response.content


def test_not_found_is_our_404_with_the_headers(client, owner):
    client.force_login(owner)
    response = client.get("/articles/999999/")
    assert response.status_code == 404
    assert_secured(response)
    assert b"There is nothing here." in response.content


def test_a_csrf_failure_is_our_403_with_the_headers(owner):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "olivia", "password": "x"})
    assert response.status_code == 403
    assert_secured(response)
    assert b"The form could not be sent." in response.content


def test_a_wrong_method_has_the_headers(client):
    response = client.post("/healthz/")
    assert response.status_code == 405
    assert_secured(response)


def test_a_server_error_is_our_500_with_the_headers(failing_urls, db):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert_secured(response)
    assert b"Something went wrong on our side." in response.content
    assert b"Traceback" not in response.content


def test_a_database_outage_is_a_503_page(failing_urls, db):
    response = Client(raise_request_exception=False).get("/database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert_secured(response)
    assert b"The service is briefly unavailable." in response.content


def test_a_value_the_database_cannot_store_is_a_400(failing_urls, db):
    response = Client(raise_request_exception=False).get("/bad-value/")
    assert response.status_code == 400
    assert b"The request could not be understood." in response.content


def test_a_database_that_refuses_connections_is_a_503_not_a_traceback(owner, monkeypatch):
    # The database goes away while someone logs in: every new cursor fails.
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused")

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia"})
    monkeypatch.undo()
    assert response.status_code == 503
    assert b"The service is briefly unavailable." in response.content


def test_the_api_answers_an_outage_in_json(db, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def refused(self, *args, **kwargs):
        raise OperationalError("connection refused")

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refused)
    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION="Bearer some-token")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert_secured(response)


def test_private_pages_are_kept_nowhere(client, owner):
    client.force_login(owner)
    response = client.get(reverse("articles:library"))
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    # htmx keeps no copy of a page in sessionStorage, and drops what it kept.
    assert '"historyCacheSize": 0' in html and 'hx-history="false"' in html


def test_public_responses_keep_their_own_caching(client):
    assert "Cache-Control" not in client.get("/healthz/")
    assert client.get(reverse("manifest"))["Cache-Control"] == "max-age=86400"


def check_deploy(**env):
    base = {"PATH": os.environ["PATH"], "SECRET_KEY": "k" * 20 + "ey-" + "x9" * 20}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_with_the_production_variables():
    result = check_deploy(HTTPS="true", ALLOWED_HOSTS="news.example.org")
    assert result.returncode == 0, result.stderr


def test_check_deploy_fails_without_https():
    result = check_deploy(ALLOWED_HOSTS="news.example.org")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_hsts_and_the_redirect_are_settings():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from newsreader import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
            " s.SECURE_PROXY_SSL_HEADER)",
        ],
        env={
            "PATH": os.environ["PATH"],
            "SECRET_KEY": "x",
            "HTTPS": "true",
            "HSTS_SECONDS": "600",
            "SSL_REDIRECT": "false",
            "HSTS_INCLUDE_SUBDOMAINS": "false",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[:3] == ["600", "False", "False"]
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout
