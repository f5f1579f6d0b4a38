"""Every API error has one shape:

    {"error": {"status": 404, "code": "not_found", "message": "No such article."}}

`message` is meant for people (the extension shows it as is); `code` for
programs; validation errors add `details` (where and what). A missing object
and another team's object give exactly the same body.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import DatabaseError, DataError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from newsreader.errors import vanished

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


# Pieces of a validation error's location that name our parameters, not the caller's fields.
LOCATION_WORDS = {"body", "query", "path", "form", "file", "data", "filters"}


class ApiError(HttpError):
    """An error with a message for people and, optionally, a specific code."""

    def __init__(self, status, message, code=None):
        super().__init__(status, message)
        self.code = code


def body(status, message, code=None, **extra):
    return {
        "error": {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message,
            **extra,
        }
    }


def install(api):
    """Register the handlers on a NinjaAPI."""

    def respond(request, status, message, code=None, **extra):
        return api.create_response(request, body(status, message, code, **extra), status=status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, str(exc) or "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = respond(
            request,
            401,
            "Authenticate with `Authorization: Bearer <token>` (a token from your settings page).",
        )
        response["WWW-Authenticate"] = 'Bearer realm="newsreader"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return respond(request, 429, "Too many requests for this token: slow down and retry.")

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        details = [
            {"where": [str(part) for part in error.get("loc", ())], "message": error.get("msg", "")}
            for error in exc.errors
        ]
        first = (
            details[0] if details else {"where": [], "message": "The request was not understood."}
        )
        # ["body", "data", "text"] → "text": where in the caller's own terms.
        where = ".".join(part for part in first["where"] if part not in LOCATION_WORDS)
        message = f"{where}: {first['message']}" if where else first["message"]
        return respond(request, 422, message, details=details)

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return respond(request, exc.status_code, exc.message, exc.code)

    @api.exception_handler(DatabaseError)
    @api.exception_handler(ObjectDoesNotExist)
    def gone(request, exc):
        # Deleted between the access check and the write (newsreader/errors.py); else a bug.
        if vanished(exc):
            return respond(request, 404, "It was deleted meanwhile.")
        if isinstance(exc, DataError):
            return respond(request, 400, "A value in the request cannot be stored.")
        raise exc

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return respond(request, exc.status_code, str(exc))
