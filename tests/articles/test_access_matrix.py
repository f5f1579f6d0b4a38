"""Who gets what, for every URL of the app: a new URL cannot escape this table.

Each URL name maps to the method it answers, the objects it takes and the
status each role gets. Writes are sent as htmx requests (their real use), so
success is 200/201/204 rather than a redirect. Outsiders must get exactly the
response of a missing object; anonymous users are sent to log in.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.highlighting import create_highlight, delete_highlight
from articles.models import ArticleNote, Capture, Reply, Tag
from articles.originals import create_article
from teams.models import Membership, Team
from tests.teams.test_access import MATRIX as TEAMS_MATRIX
from tests.teams.test_access import PUBLIC as TEAMS_PUBLIC

HX = {"HX-Request": "true"}
ROLES = ["owner", "admin", "member", "readonly", "outsider", "anonymous"]
MEMBERS = ["owner", "admin", "member", "readonly"]

# URLs outside the team-scoped app: authentication, the health check and the
# Django admin (its own permission system, staff only).
# The web app manifest and the favicon are public.
# Resetting a forgotten password is for people who cannot log in
# (tests/teams/test_accounts.py).
NOT_TEAM_SCOPED = {
    "login",
    "logout",
    "healthz",
    "manifest",
    "favicon",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# A user's own settings and API tokens: theirs alone, whatever their roles
# (tests/api/test_tokens.py: another user's token answers like a missing one;
# tests/teams/test_accounts.py and test_reader_settings.py).
USER_SCOPED = {
    "settings:settings",
    "settings:token-list",
    "settings:token-revoke",
    "settings:display-name",
    "settings:email",
    "settings:reader-settings",
    "settings:password-change",
}

ALL = dict.fromkeys(MEMBERS, 200)
WRITERS_CREATE = {"owner": 201, "admin": 201, "member": 201, "readonly": 403}
AUTHOR_ONLY = {"owner": 403, "admin": 403, "member": 200, "readonly": 403}
MODERATORS = {"owner": 200, "admin": 200, "member": 403, "readonly": 403}
WRITERS = {"owner": 200, "admin": 200, "member": 200, "readonly": 403}
# Renaming, merging and deleting a team's tags redirect back to the tag list.
TAG_MANAGERS = {"owner": 302, "admin": 302, "member": 403, "readonly": 403}

# name: (method, the object whose pk the URL takes, POST data, status by role)
MATRIX = {
    "articles:library": ("get", None, None, ALL),
    "articles:article-detail": ("get", "article", None, ALL),
    "articles:article-updates": ("get", "article", None, ALL),
    "articles:article-read": ("post", "article", {}, dict.fromkeys(MEMBERS, 204)),
    # One's own reading state: read-only members keep theirs too.
    "articles:article-progress": (
        "post",
        "article",
        {"progress": "0.5"},
        dict.fromkeys(MEMBERS, 204),
    ),
    "articles:article-state": ("post", "article", {"action": "star"}, ALL),
    "articles:article-tag-add": ("post", "article", {"name": "Harbours"}, WRITERS),
    "articles:article-tag-remove": ("post", "article", {}, WRITERS),
    "articles:highlight-tag-add": ("post", "highlight", {"name": "Quotes"}, AUTHOR_ONLY),
    "articles:highlight-tag-remove": ("post", "highlight", {}, AUTHOR_ONLY),
    "articles:notebook": ("get", None, None, ALL),
    "articles:tag-list": ("get", "team", None, ALL),
    "articles:tag-rename": ("post", "tag", {"name": "Boats"}, TAG_MANAGERS),
    "articles:tag-merge": ("post", "tag", "merge", TAG_MANAGERS),
    "articles:tag-delete": ("post", "tag", {"confirm": "yes"}, TAG_MANAGERS),
    "articles:highlight-create": ("post", "article", "selection", WRITERS_CREATE),
    # "Highlight it" after saving from the bookmarklet: a passage by its text.
    "articles:highlight-quote": ("post", "article", {"exact": "people a day"}, WRITERS_CREATE),
    "articles:highlight-restore": (
        "post",
        "article",
        "undo",
        {"owner": 422, "admin": 422, "member": 200, "readonly": 403},
    ),
    "articles:note-create": ("post", "article", {"body": "A note"}, WRITERS_CREATE),
    "articles:note-preview": ("post", "article", {"body": "**A** note"}, WRITERS),
    "articles:highlight-detail": ("get", "highlight", None, ALL),
    "articles:highlight-recolour": ("post", "highlight", {"colour": "red"}, AUTHOR_ONLY),
    "articles:highlight-note": ("post", "highlight", {"note": "Changed"}, AUTHOR_ONLY),
    "articles:highlight-visibility": (
        "post",
        "highlight",
        {"visibility": "private"},
        AUTHOR_ONLY,
    ),
    "articles:highlight-delete": ("post", "highlight", {"confirm": "yes"}, AUTHOR_ONLY),
    "articles:highlight-remove": ("post", "highlight", {}, MODERATORS),
    "articles:reply-create": ("post", "highlight", {"body": "Me too"}, WRITERS_CREATE),
    "articles:reply-update": ("post", "reply", {"body": "Edited"}, AUTHOR_ONLY),
    "articles:reply-delete": (
        "post",
        "reply",
        {},
        {"owner": 200, "admin": 200, "member": 200, "readonly": 403},
    ),
    "articles:article-trash": ("get", "article", None, ALL),
    "articles:trash-restore": (
        "post",
        "article",
        "restore",
        {"owner": 422, "admin": 422, "member": 200, "readonly": 403},
    ),
    "articles:trash-empty": (
        "post",
        "article",
        {"confirm": "yes"},
        {"owner": 302, "admin": 302, "member": 403, "readonly": 403},
    ),
    "articles:note-update": ("post", "note", {"body": "Edited"}, AUTHOR_ONLY),
    "articles:note-delete": ("post", "note", {"confirm": "yes"}, AUTHOR_ONLY),
    "articles:article-export": ("get", "article", None, ALL),
    # Adding articles: "team" URLs take the team's slug.
    "articles:capture-create": ("post", "team", {"url": "https://example.org/a"}, WRITERS),
    "articles:article-paste": ("post", "team", {"text": "Plain words to keep."}, WRITERS),
    "articles:article-upload": ("post", "team", "upload", WRITERS),
    "articles:capture-detail": ("get", "capture", None, ALL),
    "articles:capture-retry": ("post", "capture", {}, WRITERS),
    "articles:capture-dismiss": ("post", "capture", {}, WRITERS),
    # Saving from other sites (a GET asks first: tests/articles/test_saving.py); no team in
    # the URL: the current team, or the one chosen, and outsiders save into their own.
    "articles:save": ("post", None, {"url": "https://example.org/shared"}, WRITERS),
    "articles:bookmarklet": ("get", None, None, ALL),
    "articles:article-edit": (
        "post",
        "article",
        {"title": "Ferries, again", "byline": "", "source_url": ""},
        WRITERS,
    ),
    "articles:article-delete": (
        "post",
        "article",
        {"confirm": "yes"},
        {"owner": 302, "admin": 302, "member": 302, "readonly": 403},
    ),
}
# URLs that answer both GET and POST: the wrong method is another one.
BOTH_METHODS = {"articles:save"}
# Arguments some URLs take after the object's pk (every format: tests/articles/test_exports.py).
EXTRA_ARGS = {
    "articles:article-export": ["json"],
    "articles:article-tag-remove": lambda world: [world["tag"].pk],
    "articles:highlight-tag-remove": lambda world: [world["tag"].pk],
}


def url_names(patterns=None, namespace=""):
    """Every named URL of the project, as "namespace:name"."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    """Article URLs are checked here, team URLs in tests/teams/test_access.py and API
    routes in tests/api/test_access.py (same rules)."""
    from tests.api.test_access import MATRIX as API_MATRIX
    from tests.api.test_access import PUBLIC as API_PUBLIC

    names = {name for name in url_names() if not name.startswith("admin:")}
    team_urls = {entry[0] for entry in TEAMS_MATRIX} | TEAMS_PUBLIC
    api_urls = set(API_MATRIX) | API_PUBLIC
    missing = names - set(MATRIX) - NOT_TEAM_SCOPED - team_urls - api_urls - USER_SCOPED
    assert not missing, f"add these URLs to an access matrix: {sorted(missing)}"


@pytest.fixture
def world(django_user_model):
    team = Team.objects.create(name="Newsroom", slug="newsroom")
    other = Team.objects.create(name="Elsewhere", slug="elsewhere")
    users = {}
    for role, membership_role, in_team in (
        ("owner", Membership.Role.OWNER, team),
        ("admin", Membership.Role.ADMIN, team),
        ("member", Membership.Role.MEMBER, team),
        ("readonly", Membership.Role.READ_ONLY, team),
        ("outsider", Membership.Role.OWNER, other),
    ):
        users[role] = django_user_model.objects.create_user(role)
        Membership.objects.create(team=in_team, user=users[role], role=membership_role)
    article = create_article(
        team, "# Ferries\n\nThe ferries carry eleven thousand people a day.\n", filename="a.md"
    )
    start = article.text.index("eleven")
    highlight = create_highlight(article, users["member"], start, start + 6, "yellow")[0]
    highlight.set_note("A note")
    gone = create_highlight(article, users["member"], start + 7, start + 15, "blue")[0]
    reply = Reply(highlight=highlight, author=users["member"])
    reply.set_body("A reply")
    note = ArticleNote(article=article, author=users["member"])
    note.set_body("An article note")
    capture = Capture.objects.create(
        team=team, url="https://example.org/gone", normalized_url="https://example.org/gone"
    )
    capture.set_status(Capture.Status.FAILED, reason="Not found")
    tag, other_tag = (
        Tag.objects.create(team=team, name="ferries"),
        Tag.objects.create(team=team, name="rivers"),
    )
    article.tags.add(tag)
    highlight.tags.add(tag)
    return {
        "tag": tag,
        "other_tag": other_tag,
        "users": users,
        "team": team,
        "capture": capture,
        "article": article,
        "highlight": highlight,
        "reply": reply,
        "note": note,
        "undo": delete_highlight(gone, users["member"]),
        "restore": {"kind": "highlight", "id": gone.pk},
        "selection": {"start": start + 16, "end": start + 22, "colour": "green"},
    }


def url_for(world, name, missing=False):
    _, target, _, _ = MATRIX[name]
    if target is None:
        args = []
    elif target == "team":
        args = ["no-such-team" if missing else world["team"].slug]
    else:
        args = [world[target].pk + (10_000 if missing else 0)]
    extra = EXTRA_ARGS.get(name, [])
    return reverse(name, args=args + (extra(world) if callable(extra) else extra))


def request(client, world, name, missing=False):
    method, _, data, _ = MATRIX[name]
    url = url_for(world, name, missing)
    if method == "get":
        return client.get(url)
    if data == "selection":
        data = world["selection"]
    elif data == "undo":
        data = {"token": world["undo"]}
    elif data == "restore":
        data = world["restore"]
    elif data == "merge":
        data = {"into": world["other_tag"].pk}
    elif data == "upload":
        data = {"files": SimpleUploadedFile("a.txt", b"Words from a file.", "text/plain")}
    return client.post(url, data, headers=HX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_it_should(client, world, name, role):
    _, target, _, expected = MATRIX[name]
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = request(client, world, name)
    if role == "anonymous":
        assert response.status_code in (204, 302)
        location = response.get("HX-Redirect") or response.get("Location")
        assert location.startswith("/login/"), location
    elif role == "outsider":
        if target is None:  # their own library: nothing of this team in it
            assert response.status_code == 200
            assert b"Ferries" not in response.content
        else:
            missing = request(client, world, name, missing=True)
            assert response.status_code == missing.status_code == 404
            assert response.content == missing.content
    else:
        assert response.status_code == expected[role], response.content[:300]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_wrong_method_is_refused(client, world, name):
    method, _, _, _ = MATRIX[name]
    client.force_login(world["users"]["owner"])
    url = url_for(world, name)
    if name in BOTH_METHODS:
        wrong = client.put(url)
    else:
        wrong = client.post(url) if method == "get" else client.get(url)
    assert wrong.status_code == 405
