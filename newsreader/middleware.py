"""A strict Content-Security-Policy on every response.

Article HTML is sanitised on import; the policy is the second wall: no inline
script or style can run even if something slipped through, and only our own
origin serves scripts. Article images may come from anywhere on the web.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: http: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware


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
