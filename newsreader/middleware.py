"""Small middleware of our own (the security headers are in newsreader/security.py)."""

import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import resolve_url
from django.views.defaults import bad_request
from django_htmx.http import HttpResponseClientRedirect


def htmx_login_redirect(get_response):
    """Send htmx requests of a logged-out user to the login page, whole.

    login_required answers with a 302, which the browser would follow inside
    the htmx request and swap the login form into a fragment. For htmx, the
    redirect becomes HX-Redirect, with `next` set to the page the user was on
    (the request's own URL may be POST-only).
    """

    def middleware(request):
        response = get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response.url.startswith(resolve_url(settings.LOGIN_URL))
        ):
            current = request.htmx.current_url_abs_path or "/"
            location = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': current})}"
            return HttpResponseClientRedirect(location, status=204)
        return response

    return middleware


# "\u0000" in a JSON string: an escape not itself escaped (an even run of backslashes before).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def refuse_nul(get_response):
    """400 for a NUL character in a query parameter or a form field (or JSON string).

    No text of ours may hold one (PostgreSQL's text columns refuse it, so a NUL
    that reached a query was a 500 there), and no browser sends one from a
    form: refused once here rather than in every view that reads a parameter.
    Django's form fields refuse it too; this covers the values views read
    directly.
    """

    def middleware(request):
        if _has_nul(request):
            return bad_request(request, BadRequest("A NUL character in the request."))
        return get_response(request)

    return middleware


def _has_nul(request):
    def in_query(query):
        return any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in query.lists()
        )

    if "\x00" in request.path or in_query(request.GET):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type == "application/json":
        return JSON_NUL.search(request.body) is not None
    if request.content_type == "application/x-www-form-urlencoded":
        return in_query(request.POST)
    # A multipart body is left to its view (parsing it here would take it from the
    # API, which reads the raw body); a NUL that reaches the database from there is
    # a DataError, which newsreader/errors.py answers with a 400 too.
    return False
