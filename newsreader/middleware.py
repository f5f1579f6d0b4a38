"""Small middleware of our own (the security headers are in newsreader/security.py)."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url
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
