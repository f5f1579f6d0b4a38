"""The REST API, /api/v1/: one NinjaAPI over the routers of this package.

The OpenAPI 3.1 schema is served at /api/v1/openapi.json and browsable at
/api/v1/docs/ (Swagger UI from django-ninja's own static files, no CDN).
"""

from django.http import JsonResponse
from django.urls import path, re_path
from ninja import NinjaAPI

from api import articles, discussion, errors, exports, highlights, teams
from api.auth import AUTH, CallerRateThrottle

api = NinjaAPI(
    title="newsreader API",
    version="1",
    description=(
        "Articles, highlights, replies, notes and exports of the teams you belong to. "
        "Authenticate with `Authorization: Bearer <token>`: make a token on your settings "
        "page (/settings/tokens/). Another team's object answers 404 like a missing one; "
        "read-only members and read-only tokens get 403 on changes. Errors are "
        '`{"error": {"status", "code", "message"}}`.'
    ),
    auth=AUTH,
    throttle=[CallerRateThrottle()],
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (teams, articles, highlights, discussion, exports):
    api.add_router("/", module.router)


def unknown(request, rest=""):
    """Addresses under /api/ that name nothing answer in the API's shape too."""
    return JsonResponse(errors.body(404, "No such API address."), status=404)


urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]
