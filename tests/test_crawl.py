"""Every address of the URL configuration, with real ids and with junk, with malformed
query parameters and form fields: never a 5xx.

The routes are read from the resolver, so a new view is crawled without being
listed here; the only list is of values for path parameters, by name.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver

from api.tokens import issue_token
from articles.highlighting import create_highlight
from articles.models import ArticleNote, Capture, Highlight, Reply, Tag
from teams.membership import invite
from teams.models import Membership
from tests.factories import make_article

# Values that have given 500s somewhere: a digit that is not ASCII, an integer
# over 64 bits, a NUL, a long string, an empty one, a float that overflows.
JUNK = ["²", "9" * 30, "\x00", "a" * 3000, "", "1e309", "-1", "2024-13-45"]
# Every query parameter and form field name the app reads, and Django admin's.
NAMES = [
    *("who", "since", "page", "after", "before", "q", "tag", "sort", "colour", "member"),
    *("article", "ids", "alone", "invite", "next", "url", "title", "text", "selection"),
    *("format", "kind", "visibility", "state", "read", "starred", "archived", "limit"),
    *("cursor", "team", "scope", "status", "start", "end", "exact", "prefix", "suffix"),
    *("stamp", "note", "body", "confirm", "token", "id", "progress", "action", "name"),
    *("into", "role", "expires", "from", "o", "p", "e", "all", "_changelist_filters"),
]
# Addresses that end a session or remove what later addresses need: crawled last.
LAST = re.compile(r"delete|remove|leave|logout|empty|revoke|dismiss|merge")


def routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    found = sorted(set(walk(get_resolver().url_patterns)), key=lambda r: (bool(LAST.search(r)), r))
    # Regular-expression routes (old admin addresses, the API's catch-all): one example each.
    return [r for r in found if not r.startswith("^") and "(?P" not in r] + [
        "admin/articles/team/",
        "admin/articles/importbatch/1/change/",
        "api/nothing/here/",
    ]


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill(route, values):
    def value(match):
        converter, name = match.group(1) or "str", match.group(2)
        return str(values(route, converter, name))

    return "/" + PARAMETER.sub(value, route)


@pytest.fixture
def world(team, owner, teammate, django_user_model):
    """One of everything, owned by the owner's team, and a superuser for the admin."""
    article = make_article(team, user=owner)
    highlight = create_highlight(article, owner, 0, 20, Highlight.Colour.YELLOW)[0]
    reply = Reply(highlight=highlight, author=teammate)
    reply.set_body("A reply")
    note = ArticleNote(article=article, author=owner)
    note.set_body("A note")
    tag = Tag.objects.create(team=team, name="harbour")
    capture = Capture.objects.create(
        team=team, added_by=owner, url="https://example.org/", normalized_url="example.org/"
    )
    invitation, token = invite(team, owner, Membership.Role.MEMBER)
    api_token, _ = issue_token(owner, name="crawl")
    admin = django_user_model.objects.create_superuser("root", password="root-password-1")
    ids = {
        "articles": article.pk,
        "highlights": highlight.pk,
        "replies": reply.pk,
        "notes": note.pk,
        "tags": tag.pk,
        "captures": capture.pk,
        "members": Membership.objects.get(user=teammate).pk,
        "invitations": invitation.pk,
        "tokens": api_token.pk,
    }
    return {"ids": ids, "tag": tag.pk, "slug": team.slug, "token": token, "admin": admin}


def real_values(world):
    def values(route, converter, name):
        if name == "slug":
            return world["slug"]
        if name == "tag_pk":
            return world["tag"]
        if name == "fmt":
            return "markdown"
        if name == "token":
            return world["token"]
        segments = [s for s in route.split("/") if s and not s.startswith("<")]
        for segment in reversed(segments):
            if segment in world["ids"]:
                return world["ids"][segment]
        return 1

    return values


def junk_values(route, converter, name):
    return {"int": "9" * 30, "slug": "nobody", "path": "no/such/thing"}.get(converter, "²")


def crawl(client, urls, methods, failures, values_list=JUNK):
    for url in urls:
        for value in values_list:
            params = {name: value for name in NAMES}
            params["tag"] = [value, value]  # a parameter given twice
            for method in methods:
                if method == "GET":
                    response = client.get(url, params)
                elif method == "PATCH":
                    response = client.patch(url, {"title": value}, content_type="application/json")
                else:
                    response = client.post(url, params)
                if response.status_code >= 500:
                    failures.append(f"{method} {url} {value[:10]!r}: {response.status_code}")


def test_no_address_answers_5xx_to_a_member(world, owner):
    client = Client(raise_request_exception=False)
    failures = []
    for route in routes():
        if route.startswith("admin/"):
            continue
        client.force_login(owner)  # an earlier logout must not hide the rest
        methods = ["GET", "POST"] + (["PATCH"] if route.startswith("api/") else [])
        crawl(client, [fill(route, real_values(world))], methods, failures)
        crawl(client, [fill(route, junk_values)], methods, failures, JUNK[:3])
    assert failures == [], "\n".join(failures)


def test_no_admin_address_answers_5xx_to_staff(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["admin"])
    failures = []
    for route in routes():
        if route.startswith("admin/") and "logout" not in route:
            crawl(client, [fill(route, real_values(world))], ["GET"], failures, JUNK[:4])
    assert failures == [], "\n".join(failures)


def test_no_address_answers_5xx_to_anyone(world):
    client = Client(raise_request_exception=False)
    failures = []
    for route in routes():
        crawl(client, [fill(route, junk_values)], ["GET", "POST"], failures, JUNK[:2])
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("who", ["²", "9" * 30, "-1", "me", "", "٣"])
def test_the_reader_and_its_updates_take_any_who(world, owner, who):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    article = world["ids"]["articles"]
    assert client.get(f"/articles/{article}/", {"who": who}).status_code == 200
    updates = client.get(f"/articles/{article}/updates/", {"who": who, "since": "x"})
    assert updates.status_code == 200


def test_a_user_model_is_crawled(world):
    # (The fixture's superuser exists: the admin crawl above is not vacuous.)
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_a_nul_character_is_a_400_wherever_it_is(world, owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    article = world["ids"]["articles"]
    assert client.get("/", {"q": "a\x00b"}).status_code == 400
    form = "application/x-www-form-urlencoded"  # as a browser posts a form without files
    tags = client.post(f"/articles/{article}/tags/", "name=a%00", content_type=form)
    assert tags.status_code == 400
    api = f"/api/v1/articles/{article}/"
    patch = client.patch(api, '{"title": "a\\u0000"}', content_type="application/json")
    assert patch.status_code == 400
    assert patch["Content-Type"].startswith("application/json")


def test_an_escaped_backslash_before_u0000_is_text(world, owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    api = f"/api/v1/articles/{world['ids']['articles']}/"
    response = client.patch(api, '{"title": "a\\\\u0000"}', content_type="application/json")
    assert response.status_code != 400
