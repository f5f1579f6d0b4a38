"""Errors that are not bugs: a database outage (503) and a row deleted meanwhile (404).

The server error page tells a database outage from a bug.

Django calls handler500 while the exception is being handled, from whichever
layer it came (a view, a middleware, a template). A database that cannot be
reached (OperationalError: refused, timed out, too many connections;
InterfaceError: a connection gone) is an outage, not a bug: 503 with
Retry-After, so clients and load balancers retry instead of reporting an error.
Everything else is Django's own 500 page (templates/500.html). Both pages stand
alone: no request context, no database.

A row can go between a view's access check and its write: a teammate deletes
the article (or the highlight) while someone highlights, notes or replies on
it. The write then fails in the database (a foreign key to nothing, an update
of no row, a lookup of what is gone): that request's object no longer exists,
and the answer is the 404 of any missing object, not a 500.
"""

import sys

from django.core.exceptions import BadRequest, ObjectDoesNotExist
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

RETRY_SECONDS = 5


@requires_csrf_token
def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
    return django_server_error(request, template_name)


# Django's own words when a save(update_fields=...) or a forced update found no row.
NO_ROW = (
    "Save with update_fields did not affect any rows.",
    "Forced update did not affect any rows.",
)


def vanished(error):
    """Whether a database error says that a row the request wrote to, or under, is gone."""
    if isinstance(error, ObjectDoesNotExist):
        return True
    if isinstance(error, IntegrityError):
        # PostgreSQL (psycopg's ForeignKeyViolation) and SQLite say it their own ways.
        cause = error.__cause__
        return type(
            cause
        ).__name__ == "ForeignKeyViolation" or "FOREIGN KEY constraint failed" in str(error)
    return isinstance(error, DatabaseError) and str(error) in NO_ROW


def gone_is_not_found(get_response):
    """A view that failed because its object was deleted meanwhile answers 404; one
    that failed on a value the database cannot store, 400."""

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if vanished(exception):
            raise Http404("It was deleted meanwhile.") from exception
        if isinstance(exception, DataError):
            # A value the column cannot take (a NUL, a number out of range): bad input.
            raise BadRequest("A value in the request cannot be stored.") from exception
        return None

    middleware.process_exception = process_exception
    return middleware
