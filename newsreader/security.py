"""Security headers on every response, error pages and refusals included.

The middleware sits first in MIDDLEWARE, so it also sees the responses Django
makes from exceptions raised further in (a bad Host header's 400 comes from
SecurityMiddleware itself, which is why the policy used to be missing there).
Refusals made before Django (newsreader/limits.py) use the same HEADERS.

The Content-Security-Policy is strict: article HTML is sanitised on import; the
policy is the second wall: no inline script or style can run even if something
slipped through, and only our own origin serves scripts. Article images may
come from anywhere on the web.
"""

from django.utils.cache import has_vary_header

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
# Powerful browser features the app never uses, off for it and anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
# Pages for someone logged in show their team's private notes: no copy kept anywhere.
PRIVATE = "private, no-store"


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # A response that depends on the session (it says Vary: Cookie) is someone's own.
        if has_vary_header(response, "Cookie") and "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE
        return response

    return middleware
