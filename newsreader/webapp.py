"""The web app manifest (installing newsreader, and its share target) and the favicon."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = "icons/icon.svg"
# Drawn from the SVG by scripts/make-app-icons, for what takes no SVG.
FAVICON = "icons/icon-32.png"
PNG_SIZES = (192, 512)
# The colours of static/css/app.css (:root, the light theme): --accent and --bg.
THEME_COLOR = "#0b5cad"
BACKGROUND_COLOR = "#fbfaf7"


@require_safe
@cache_control(max_age=86400)
def manifest(request):
    # The SVG serves every size; the PNGs are for installers that take no SVG.
    pngs = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in PNG_SIZES
    ]
    data = {
        "name": "newsreader",
        "short_name": "newsreader",
        "description": "Read, highlight and discuss articles with your team.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(ICON), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            *pngs,
        ],
        "share_target": {
            "action": reverse("articles:save"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_safe
@cache_control(max_age=86400)
def favicon(request):
    """The icon, for browsers that ask for /favicon.ico whatever the page says.

    A PNG: every browser that asks for /favicon.ico reads PNG, not all read SVG.
    """
    path = finders.find(FAVICON)
    if path is None:
        raise Http404("No icon.")
    return FileResponse(open(path, "rb"), content_type="image/png")
