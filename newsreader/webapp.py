"""The web app manifest (installing newsreader, and its share target) and the favicon."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = "icons/icon.svg"
# The colours of static/css/app.css (:root, the light theme): --accent and --bg.
THEME_COLOR = "#0b5cad"
BACKGROUND_COLOR = "#fbfaf7"


@require_safe
@cache_control(max_age=86400)
def manifest(request):
    # Pillow is not installed, so there are no PNG icons: the SVG serves every size.
    data = {
        "name": "newsreader",
        "short_name": "newsreader",
        "description": "Read, highlight and discuss articles with your team.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [{"src": static(ICON), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
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
    """The icon, for browsers that ask for /favicon.ico whatever the page says."""
    path = finders.find(ICON)
    if path is None:
        raise Http404("No icon.")
    return FileResponse(open(path, "rb"), content_type="image/svg+xml")
