"""Schemathesis against the served OpenAPI schema: generated requests to every
operation, as a member with a read-and-write token, must never get a 5xx nor a
response that breaks the schema (status codes, content types, bodies).

CI runs a few examples per operation; a longer run:
    SCHEMATHESIS_EXAMPLES=200 .venv/bin/python -m pytest tests/api/test_schema.py
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.tokens import issue_token
from articles.highlighting import create_highlight
from articles.models import ArticleNote, Reply
from articles.originals import create_article
from newsreader.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_connection():
    """The WSGI app runs in the test's thread and transaction: it must not close the
    connection after each request (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def secret(db, team, teammate, keep_connection, settings):
    """Something to find: an article with a highlight, a reply and a note."""
    settings.API_RATE_LIMIT = "100000/m"
    article = create_article(
        team, "# Ferries\n\nThe ferries carry people a day.\n", filename="a.md"
    )
    highlight = create_highlight(article, teammate, 4, 11, "yellow")[0]
    reply = Reply(highlight=highlight, author=teammate)
    reply.set_body("A reply")
    note = ArticleNote(article=article, author=teammate)
    note.set_body("A note")
    return issue_token(teammate, name="Schemathesis", scope="write")[1]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_no_schema_violations(case, secret):
    # Not `positive_data_acceptance`: a request can fit the schema and still mean
    # nothing (a made-up cursor, a .png file), and the API says so with a 422.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        excluded_checks=[positive_data_acceptance],
    )
