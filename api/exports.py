"""Exports through the API: the same files, and the same visibility, as the app's
export links (articles/exports.py), for a token as for a session."""

from ninja import Router

from api.errors import ApiError
from api.schemas import ERRORS
from articles import exports

router = Router(tags=["exports"])

FORMATS = ", ".join(f"`{name}`" for name in exports.FORMATS)
FILE = {200: {"description": "The export file.", "content": {"application/octet-stream": {}}}}


@router.get(
    "/articles/{int:pk}/export/{fmt}/",
    response={**ERRORS},
    openapi_extra={"responses": FILE},
    summary="Export an article",
    description=f"One of {FORMATS}.",
)
def article_export(request, pk: int, fmt: str):
    return exports.article_export(request, pk, fmt)


@router.get(
    "/teams/{slug}/export/{fmt}/",
    response={**ERRORS},
    openapi_extra={"responses": FILE},
    summary="Export a team's articles",
    description=f"One of {FORMATS}; `ids` (comma-separated) narrows it to those articles.",
)
def team_export(request, slug: str, fmt: str, ids: str = ""):
    response = exports.team_export(request, slug, fmt)
    if response.status_code == 400:
        # The app's view answers bad `ids` in plain text; the API answers in its shape.
        raise ApiError(400, response.content.decode())
    return response
