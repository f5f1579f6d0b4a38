"""Who gets what from every API route: a new route cannot escape this table.

The same rules as the HTML views (tests/articles/test_access_matrix.py), through
the same access module: each role calls with its own read-and-write token;
outsiders get exactly the body a missing object gets; anonymous callers get
401; read-only tokens get 403 on every change; the wrong method is a JSON 405.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.tokens import issue_token
from api.urls import api
from tests.articles.test_access_matrix import MEMBERS, ROLES, url_names

ALL = dict.fromkeys(MEMBERS, 200)
WRITERS = {"owner": 200, "admin": 200, "member": 200, "readonly": 403}
CREATE = {"owner": 201, "admin": 201, "member": 201, "readonly": 403}
AUTHOR_ONLY = {"owner": 403, "admin": 403, "member": 200, "readonly": 403}
AUTHOR_DELETES = {"owner": 403, "admin": 403, "member": 204, "readonly": 403}
AUTHOR_OR_MODERATOR = {"owner": 204, "admin": 204, "member": 204, "readonly": 403}


def team_slug(world, missing):
    return "no-such-team" if missing else world["team"].slug


# url name: (method, object the path takes, body (or a function of world and missing), by role)
MATRIX = {
    "api:me": ("get", None, None, ALL),
    "api:team_list": ("get", None, None, ALL),
    "api:article_list": ("get", None, None, ALL),
    "api:article_create": (
        "post",
        None,
        lambda w, missing: {"team": team_slug(w, missing), "text": "Words to keep, new."},
        CREATE,
    ),
    "api:article_upload": ("post", None, "upload", CREATE),
    "api:article_detail": ("get", "article", None, ALL),
    "api:article_update": ("patch", "article", {"title": "Ferries, again"}, WRITERS),
    "api:article_delete": (
        "delete",
        "article",
        None,
        {"owner": 204, "admin": 204, "member": 204, "readonly": 403},
    ),
    "api:capture_detail": ("get", "capture", None, ALL),
    "api:article_highlights": ("get", "article", None, ALL),
    "api:highlight_create": ("post", "article", {"exact": "carry"}, CREATE),
    "api:team_highlights": ("get", "team", None, ALL),
    "api:highlight_detail": ("get", "highlight", None, ALL),
    "api:highlight_update": ("patch", "highlight", {"colour": "red"}, AUTHOR_ONLY),
    "api:highlight_delete": ("delete", "highlight", None, AUTHOR_OR_MODERATOR),
    "api:reply_list": ("get", "highlight", None, ALL),
    "api:reply_create": ("post", "highlight", {"body": "Me too"}, CREATE),
    "api:reply_detail": ("get", "reply", None, ALL),
    "api:reply_update": ("patch", "reply", {"body": "Edited"}, AUTHOR_ONLY),
    "api:reply_delete": ("delete", "reply", None, AUTHOR_OR_MODERATOR),
    "api:note_list": ("get", "article", None, ALL),
    "api:note_create": ("post", "article", {"body": "A note"}, CREATE),
    "api:note_detail": ("get", "note", None, ALL),
    "api:note_update": ("patch", "note", {"body": "Edited"}, AUTHOR_ONLY),
    "api:note_delete": ("delete", "note", None, AUTHOR_DELETES),
    "api:article_export": ("get", "article", None, ALL),
    "api:team_export": ("get", "team", None, ALL),
}
# Open to anyone: the schema and its docs describe the API, not anyone's data.
PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}
EXTRA_ARGS = {"api:article_export": ["json"], "api:team_export": ["json"]}


def test_every_api_route_is_in_the_matrix():
    names = {name for name in url_names() if name.startswith("api:")}
    assert names - PUBLIC == set(MATRIX), sorted(names ^ (set(MATRIX) | PUBLIC))


def test_every_operation_of_the_schema_is_in_the_matrix():
    operations = {
        (method, path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops
    }
    covered = set()
    for name, (method, target, _, _) in MATRIX.items():
        covered.add((method, _path_template(name, target)))
    assert operations == covered


def _path_template(name, target):
    args = {None: [], "team": ["SLUG"]}.get(target, [123456])
    url = reverse(name, args=args + EXTRA_ARGS.get(name, []))
    return url.replace("123456", "{pk}").replace("SLUG", "{slug}").replace("/json/", "/{fmt}/")


def url_for(world, name, missing=False):
    _, target, _, _ = MATRIX[name]
    if target is None:
        args = []
    elif target == "team":
        args = [team_slug(world, missing)]
    else:
        args = [world[target].pk + (10_000 if missing else 0)]
    return reverse(name, args=args + EXTRA_ARGS.get(name, []))


def call(client, world, name, *, secret=None, missing=False):
    method, _, data, _ = MATRIX[name]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    url = url_for(world, name, missing)
    if callable(data):
        data = data(world, missing)
    if data == "upload":
        upload = SimpleUploadedFile("a.txt", b"Words from a file.", "text/plain")
        return client.post(url, {"file": upload, "team": team_slug(world, missing)}, **headers)
    if data is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **headers
    )


@pytest.fixture
def secrets(world):
    return {
        role: issue_token(user, name="Matrix", scope="write")[1]
        for role, user in world["users"].items()
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_it_should(client, world, secrets, name, role):
    _, target, data, expected = MATRIX[name]
    secret = secrets.get(role)
    response = call(client, world, name, secret=secret)
    if role == "anonymous":
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
    elif role == "outsider":
        if target is None and not callable(data) and data != "upload":
            # Their own view of the API: nothing of this team in it.
            assert response.status_code in (200, 201), response.content[:300]
            assert b"Ferries" not in response.content and b"newsroom" not in response.content
        else:
            missing = call(client, world, name, secret=secret, missing=True)
            assert response.status_code == missing.status_code == 404, response.content[:300]
            assert response.content == missing.content
    else:
        assert response.status_code == expected[role], response.content[:300]
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"status", "code", "message"}


@pytest.mark.parametrize("name", sorted(n for n, entry in MATRIX.items() if entry[0] != "get"))
def test_a_read_only_token_is_refused_every_change(client, world, name):
    secret = issue_token(world["users"]["owner"], name="Reader", scope="read")[1]
    response = call(client, world, name, secret=secret)
    assert response.status_code == 403
    assert "only read" in response.json()["error"]["message"]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_wrong_method_is_a_json_405(client, world, secrets, name):
    url = url_for(world, name)
    response = client.put(url, HTTP_AUTHORIZATION=f"Bearer {secrets['owner']}")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_schema_and_its_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    # Swagger UI from our own static files: nothing from a CDN.
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()
