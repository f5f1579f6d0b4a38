"""Bounded requests: a WSGI middleware in front of Django (newsreader/wsgi.py).

A body is refused before any of it is read when its declared Content-Length is
over the limit for its path (413), or when it has no length at all (411:
Django would not read a chunked body anyway). A body that is read is read
against the clock: a client that stalls for REQUEST_BODY_STALL_SECONDS, or whose body takes
longer than BODY_SECONDS plus one second per MIN_BYTES_PER_SECOND, is cut off
(408), even in the middle of a blocked read, so a slow (trickled) body holds
a server thread for a bounded time. The
same reader stops at the limit even if the length lied. One client address may
send at most REQUEST_BODIES_PER_ADDRESS bodies at once to a worker process
(429 past it), so one host cannot take all the threads with slow bodies; an
IPv6 address counts by its /64 (newsreader/lib/addresses.py).

Behind a reverse proxy every request comes from the proxy's address: when it is
one of PROXY_ADDRESSES, the client's address is the last one the proxy added to
X-Forwarded-For, and it replaces REMOTE_ADDR for the whole app (the login
throttle counts by it too). From anyone else the header is ignored: clients
can forge it. In production a
buffering reverse proxy (DEPLOYMENT.md) takes slow clients off the app first;
this is the app's own wall.

Most addresses take small forms and JSON. The few that take large bodies have
their own limits, derived from what the views behind them accept.
"""

import contextlib
import logging
import re
import socket
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.exceptions import SuspiciousOperation

from articles.adding import MAX_FILE_BYTES as ARTICLE_FILE_BYTES
from articles.adding import MAX_FILES as ARTICLE_FILES
from newsreader.lib.addresses import counted_address
from newsreader.lib.extraction import MAX_INPUT_BYTES as PAGE_BYTES
from newsreader.lib.formats import MAX_FILE_BYTES as IMPORT_FILE_BYTES
from newsreader.security import HEADERS

logger = logging.getLogger(__name__)

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
    """wsgi.input, read against a deadline and the limit.

    gunicorn's read(n) blocks until it has all n bytes, and Django reads a form
    in one call: a client trickling a byte now and then (never stalling for
    REQUEST_BODY_STALL_SECONDS) would keep that read blocked for as long as it
    likes. So a timer at the deadline shuts the reading side of the socket,
    which ends a blocked read at once; it is cancelled when the whole body is in.
    """

    def __init__(self, stream, limit, deadline, sock=None):
        self.stream, self.limit, self.deadline = stream, limit, deadline
        self.read_so_far = 0
        self.failure = None
        self.sock = sock
        self.lock = threading.Lock()
        self.cut = False
        self.timer = None
        if sock is not None:
            self.timer = threading.Timer(max(0, deadline - time.monotonic()), self._cut)
            self.timer.daemon = True
            self.timer.start()

    def _cut(self):
        with self.lock:
            if self.timer is None:  # the body came in (or the request ended) meanwhile
                return
            self.cut = True
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RD)

    def stop_timer(self):
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None

    def _fail(self, error):
        self.failure = error
        raise error

    def _call(self, method, *args):
        try:
            data = getattr(self.stream, method)(*args)
        except TimeoutError:  # socket.timeout: nothing came for REQUEST_BODY_STALL_SECONDS
            self._fail(BodyTimeout("The body stalled."))
        except OSError:  # the timer shut the socket under the read
            if not self.cut:
                raise
            data = b""
        self.read_so_far += len(data)
        if self.read_so_far > self.limit:
            self._fail(TooLarge("More body than declared."))
        if self.cut or time.monotonic() > self.deadline:
            self._fail(BodyTimeout("The body came too slowly."))
        if self.read_so_far >= self.limit:
            self.stop_timer()
        return data

    def read(self, *args):
        return self._call("read", *args)

    def readline(self, *args):
        return self._call("readline", *args)

    def __iter__(self):
        while line := self.readline():
            yield line


class Refusal:
    """A short answer to a request whose body is not (all) read, then no more reading.

    gunicorn closes such a connection "gracefully": it reads and discards what
    the client still sends, for up to 2 seconds, in the worker's main thread,
    which meanwhile serves nobody. Once the answer is written (gunicorn then
    calls close()), the reading side is shut, so that linger ends at once.
    """

    def __init__(self, environ, start_response, status, message):
        self.body = f"{message}\n".encode()
        self.sock = environ.get("gunicorn.socket")
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(self.body))),
            # The rest of the body is not read: the connection cannot be reused.
            ("Connection", "close"),
            *HEADERS.items(),
        ]
        start_response(status, headers)

    def __iter__(self):
        yield self.body

    def close(self):
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RD)


def client_address(environ):
    """REMOTE_ADDR, or behind a trusted proxy the address the proxy saw."""
    peer = environ.get("REMOTE_ADDR", "")
    if peer in settings.PROXY_ADDRESSES:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return peer


class BodiesInFlight:
    """Request bodies being received per client address, in this worker process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()

    def enter(self, address):
        with self.lock:
            if self.counts[address] >= settings.REQUEST_BODIES_PER_ADDRESS:
                return False
            self.counts[address] += 1
            return True

    def leave(self, address):
        with self.lock:
            self.counts[address] -= 1
            if self.counts[address] <= 0:
                del self.counts[address]


def bounded_requests(application):
    in_flight = BodiesInFlight()

    def middleware(environ, start_response):
        environ["REMOTE_ADDR"] = address = client_address(environ)
        length_header = environ.get("CONTENT_LENGTH", "")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not length_header:
            return Refusal(environ, start_response, "411 Length Required", "A body needs a length.")
        try:
            length = int(length_header) if length_header else 0
        except ValueError:
            return Refusal(environ, start_response, "400 Bad Request", "Bad Content-Length.")
        limit = limit_for(environ.get("PATH_INFO", ""))
        if length > limit:
            return Refusal(
                environ,
                start_response,
                "413 Content Too Large",
                f"The request is too large: at most {limit:,} bytes here.",
            )
        if length <= 0:
            return application(environ, start_response)
        counted = counted_address(address)  # an IPv6 client: its /64
        if not in_flight.enter(counted):
            return Refusal(
                environ,
                start_response,
                "429 Too Many Requests",
                "Too many requests at once from here.",
            )
        try:
            return _with_bounded_body(application, environ, start_response, length, limit)
        finally:
            in_flight.leave(counted)

    return middleware


def _with_bounded_body(application, environ, start_response, length, limit):
    sock = environ.get("gunicorn.socket")
    deadline = time.monotonic() + BODY_SECONDS + length / MIN_BYTES_PER_SECOND
    previous = sock.gettimeout() if sock is not None else None
    if sock is not None:
        # A read that gets nothing for this long fails.
        sock.settimeout(settings.REQUEST_BODY_STALL_SECONDS)
    stream = BoundedInput(environ["wsgi.input"], min(length, limit), deadline, sock)
    environ["wsgi.input"] = stream
    answered = []
    try:
        result = application(environ, lambda *args: answered.append(args))
    finally:
        stream.stop_timer()
        if sock is not None:
            sock.settimeout(previous)
    if stream.failure is None:
        start_response(*answered[0])
        return result
    if hasattr(result, "close"):
        result.close()
    logger.warning(
        "%s from %s on %s", stream.failure, environ["REMOTE_ADDR"], environ.get("PATH_INFO")
    )
    if isinstance(stream.failure, TooLarge):
        return Refusal(environ, start_response, "413 Content Too Large", "Too much data.")
    return Refusal(environ, start_response, "408 Request Timeout", "The body came too slowly.")
