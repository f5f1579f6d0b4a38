"""Bounded requests: a WSGI middleware in front of Django (newsreader/wsgi.py).

A body is refused before any of it is read when its declared Content-Length is
over the limit for its path (413), or when it has no length at all (411:
Django would not read a chunked body anyway). A body that is read is read
against the clock: a client that stalls for STALL_SECONDS, or whose body takes
longer than BODY_SECONDS plus one second per MIN_BYTES_PER_SECOND, is cut off
(408), so a slow (trickled) body holds a server thread for a bounded time. The
same reader stops at the limit even if the length lied. In production a
buffering reverse proxy (DEPLOYMENT.md) takes slow clients off the app first;
this is the app's own wall.

Most addresses take small forms and JSON. The few that take large bodies have
their own limits, derived from what the views behind them accept.
"""

import re
import time

from django.core.exceptions import SuspiciousOperation

from articles.adding import MAX_FILE_BYTES as ARTICLE_FILE_BYTES
from articles.adding import MAX_FILES as ARTICLE_FILES
from newsreader.lib.extraction import MAX_INPUT_BYTES as PAGE_BYTES
from newsreader.lib.formats import MAX_FILE_BYTES as IMPORT_FILE_BYTES
from newsreader.security import HEADERS

MIB = 1024 * 1024
# Everything else: forms, notes, highlights, JSON (Django's own default size).
DEFAULT_MAX_BYTES = int(2.5 * MIB)
# Room for a multipart body's boundaries and other fields besides the files.
FORM_OVERHEAD = 1 * MIB
# Pages and pasted text are encoded in a form or JSON: up to 10 MiB of page,
# with room for escaping (each non-ASCII character grows in either).
TEXT_BODY_BYTES = PAGE_BYTES + 6 * MIB
LIMITS = [
    # The staff import page (imports/admin.py): one file as large as the parsers take.
    (re.compile(r"^/admin/imports/importbatch/import/$"), IMPORT_FILE_BYTES + FORM_OVERHEAD),
    # Adding files to a team's library: up to ARTICLE_FILES of ARTICLE_FILE_BYTES.
    (re.compile(r"^/teams/[^/]+/add/files/$"), ARTICLE_FILES * ARTICLE_FILE_BYTES + FORM_OVERHEAD),
    (re.compile(r"^/api/v1/articles/files/$"), ARTICLE_FILE_BYTES + FORM_OVERHEAD),
    # Pasted text and pages saved by the extension or the API.
    (re.compile(r"^/teams/[^/]+/add/text/$"), TEXT_BODY_BYTES),
    (re.compile(r"^/api/v1/articles/$"), TEXT_BODY_BYTES),
]
# The largest body Django itself may hold in memory (settings.DATA_UPLOAD_MAX_MEMORY_SIZE).
LARGEST_TEXT_BODY = TEXT_BODY_BYTES

STALL_SECONDS = 10
BODY_SECONDS = 20
MIN_BYTES_PER_SECOND = 50_000


def limit_for(path):
    for pattern, limit in LIMITS:
        if pattern.match(path):
            return limit
    return DEFAULT_MAX_BYTES


# SuspiciousOperation, so that Django answers 400 where they interrupt its parsing
# (any other exception would be a 500); the middleware then answers 408 or 413.
class BodyTimeout(SuspiciousOperation):
    """The client sent its body too slowly, or stopped sending it."""


class TooLarge(SuspiciousOperation):
    """The client sent more than its Content-Length, or than the limit."""


class BoundedInput:
    """wsgi.input, read against a deadline and the limit."""

    def __init__(self, stream, limit, deadline, sock):
        self.stream, self.limit, self.deadline, self.sock = stream, limit, deadline, sock
        self.read_so_far = 0
        self.failure = None

    def _fail(self, error):
        self.failure = error
        raise error

    def _call(self, method, *args):
        try:
            data = getattr(self.stream, method)(*args)
        except TimeoutError:  # socket.timeout: nothing came for STALL_SECONDS
            self._fail(BodyTimeout("The body stalled."))
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            self._fail(TooLarge("More body than declared."))
        if time.monotonic() > self.deadline:
            self._fail(BodyTimeout("The body came too slowly."))
        return data

    def read(self, *args):
        return self._call("read", *args)

    def readline(self, *args):
        return self._call("readline", *args)

    def __iter__(self):
        while line := self.readline():
            yield line


def _refusal(start_response, status, message):
    body = f"{message}\n".encode()
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        # The rest of the body is not read: the connection cannot be reused.
        ("Connection", "close"),
        *HEADERS.items(),
    ]
    start_response(status, headers)
    return [body]


def bounded_requests(application):
    def middleware(environ, start_response):
        length_header = environ.get("CONTENT_LENGTH", "")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not length_header:
            return _refusal(start_response, "411 Length Required", "A body needs a length.")
        try:
            length = int(length_header) if length_header else 0
        except ValueError:
            return _refusal(start_response, "400 Bad Request", "Bad Content-Length.")
        limit = limit_for(environ.get("PATH_INFO", ""))
        if length > limit:
            return _refusal(
                start_response,
                "413 Content Too Large",
                f"The request is too large: at most {limit:,} bytes here.",
            )
        if length <= 0:
            return application(environ, start_response)
        sock = environ.get("gunicorn.socket")
        deadline = time.monotonic() + BODY_SECONDS + length / MIN_BYTES_PER_SECOND
        stream = BoundedInput(environ["wsgi.input"], min(length, limit), deadline, sock)
        environ["wsgi.input"] = stream
        previous = sock.gettimeout() if sock is not None else None
        if sock is not None:
            sock.settimeout(STALL_SECONDS)  # a read that gets nothing for this long fails
        answered = []
        try:
            result = application(environ, lambda *args: answered.append(args))
        finally:
            if sock is not None:
                sock.settimeout(previous)
        if stream.failure is None:
            start_response(*answered[0])
            return result
        if hasattr(result, "close"):
            result.close()
        if isinstance(stream.failure, TooLarge):
            return _refusal(start_response, "413 Content Too Large", "Too much data.")
        return _refusal(start_response, "408 Request Timeout", "The body came too slowly.")

    return middleware
