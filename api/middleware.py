"""Errors under /api/ in the API's JSON shape, whoever produced them.

The routers answer in that shape themselves (api/errors.py); this catches
what answers before or after them: django-ninja's 405 for a wrong method,
and Django's own 500 page.
"""

import json

from api.errors import body

MESSAGES = {
    404: "No such API address.",
    405: "This address does not take this method.",
    500: "Something went wrong on the server; it has been logged.",
}


def json_errors(get_response):
    def middleware(request):
        response = get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(
                ("application/json", "application/ld+json")
            )
            and not response.streaming
        ):
            status = response.status_code
            message = MESSAGES.get(status, "The request could not be answered.")
            response.content = json.dumps(body(status, message))
            response["Content-Type"] = "application/json"
        return response

    return middleware
