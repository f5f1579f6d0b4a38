"""The web app manifest, its share target, and the favicon."""

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

MANIFEST = "/manifest.webmanifest"


@pytest.fixture
def manifest(client, db):
    response = client.get(MANIFEST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def test_the_manifest_describes_the_app(manifest):
    assert manifest["name"] == manifest["short_name"] == "newsreader"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5cad"  # --accent in static/css/app.css
    assert manifest["background_color"] == "#fbfaf7"  # --bg
    assert [icon["type"] for icon in manifest["icons"]] == ["image/svg+xml", *["image/png"] * 2]
    assert [icon["sizes"] for icon in manifest["icons"]] == ["any", "192x192", "512x512"]


def test_the_share_target_is_the_save_page(manifest):
    target = manifest["share_target"]
    assert target == {
        "action": "/save/",
        "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }


def test_what_a_share_sends_lands_on_the_save_page_prefilled(manifest, client, owner):
    client.force_login(owner)
    target = manifest["share_target"]
    shared = {"title": "Harbour news", "text": "Read this", "url": "https://example.org/h"}
    query = urlencode({target["params"][name]: value for name, value in shared.items()})
    response = client.get(f"{target['action']}?{query}")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "articles:save"
    body = response.content.decode()
    assert 'value="https://example.org/h"' in body and 'value="Harbour news"' in body
    assert ">Read this</textarea>" in body


def test_pages_link_the_manifest_and_the_icon(client, owner):
    client.force_login(owner)
    body = client.get(reverse("articles:library")).content.decode()
    assert f'<link rel="manifest" href="{MANIFEST}">' in body
    assert '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">' in body
    assert 'href="/static/icons/icon-32.png" type="image/png"' in body
    assert '<link rel="apple-touch-icon" href="/static/icons/icon-180.png">' in body


def test_the_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code in (200, 301)
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.post("/favicon.ico").status_code == 405


def test_pages_list_the_keyboard_shortcuts_with_the_meanings_in_key_order(client, owner):
    client.force_login(owner)
    body = client.get(reverse("articles:library")).content.decode()
    assert '<dialog id="shortcut-help"' in body
    assert "Highlight as Key point, Evidence, Question, Disagree</dd>" in body
    assert '<details class="site-menu" data-menu>' in body


def test_logged_out_pages_have_neither_the_menu_nor_the_shortcuts(client, db):
    body = client.get("/login/").content.decode()
    assert "shortcut-help" not in body and "site-menu" not in body
    assert 'class="brand"' in body
