"""The server error page, which tells a database outage from a bug.

Django calls handler500 while the exception is being handled, from whichever
layer it came (a view, a middleware, a template). A database that cannot be
reached (OperationalError: refused, timed out, too many connections;
InterfaceError: a connection gone) is an outage, not a bug: 503 with
Retry-After, so clients and load balancers retry instead of reporting an error.
Everything else is Django's own 500 page (templates/500.html). Both pages stand
alone: no request context, no database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
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
