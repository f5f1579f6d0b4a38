"""Bounded requests (newsreader/limits.py), in process: what is refused before Django reads."""

import io
import threading
import time

import pytest
from django.conf import settings

from newsreader import limits
from newsreader.security import HEADERS


class Unread(io.BytesIO):
    """A body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def call(environ, app=None):
    answered = {}

    def start_response(status, headers):
        answered["status"], answered["headers"] = status, dict(headers)

    def django(environ, start_response):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"read %d" % len(body)]

    base = {"REQUEST_METHOD": "POST", "PATH_INFO": "/login/", "REMOTE_ADDR": "192.0.2.1"}
    result = limits.bounded_requests(app or django)({**base, **environ}, start_response)
    return answered["status"], answered["headers"], b"".join(result)


def test_a_declared_length_over_the_limit_is_refused_unread():
    status, headers, body = call({"CONTENT_LENGTH": str(500 * 1024 * 1024), "wsgi.input": Unread()})
    assert status.startswith("413")
    assert headers["Connection"] == "close"
    for name, value in HEADERS.items():
        assert headers[name] == value
    assert b"at most 2,621,440 bytes" in body


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/login/", 2.5 * 1024 * 1024),
        ("/admin/imports/importbatch/import/", 101 * 1024 * 1024),
        ("/teams/newsroom/add/files/", 101 * 1024 * 1024),
        ("/teams/newsroom/add/text/", 16 * 1024 * 1024),
        ("/api/v1/articles/", 16 * 1024 * 1024),
        ("/api/v1/articles/files/", 6 * 1024 * 1024),
    ],
)
def test_addresses_that_take_large_bodies_have_their_own_limits(path, allowed):
    assert limits.limit_for(path) == int(allowed)
    status, _, _ = call(
        {"PATH_INFO": path, "CONTENT_LENGTH": str(int(allowed) + 1), "wsgi.input": Unread()}
    )
    assert status.startswith("413")


def test_a_110_mb_staff_upload_is_refused_before_it_is_read():
    length = str(110 * 1024 * 1024)
    path = "/admin/imports/importbatch/import/"
    status, _, _ = call({"PATH_INFO": path, "CONTENT_LENGTH": length, "wsgi.input": Unread()})
    assert status.startswith("413")


def test_django_may_hold_the_largest_text_body():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= limits.TEXT_BODY_BYTES


def test_a_body_within_the_limit_is_passed_through():
    status, _, body = call({"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello")})
    assert (status, body) == ("200 OK", b"read 5")


def test_a_chunked_body_without_a_length_is_refused():
    environ = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": Unread()}
    assert call(environ)[0].startswith("411")


def test_a_junk_length_is_a_400():
    assert call({"CONTENT_LENGTH": "12abc", "wsgi.input": Unread()})[0].startswith("400")


def test_more_body_than_declared_is_refused():
    def greedy(environ, start_response):
        try:
            environ["wsgi.input"].read(100)
        except limits.TooLarge:
            start_response("400 Bad Request", [])
            return [b""]
        start_response("200 OK", [])
        return [b""]

    status, _, _ = call({"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"x" * 100)}, greedy)
    assert status.startswith("413")


def test_a_body_past_its_deadline_is_a_408(monkeypatch):
    clock = iter([0.0, 1000.0, 1000.0, 1000.0])
    monkeypatch.setattr(limits.time, "monotonic", lambda: next(clock))

    def reads(environ, start_response):
        try:
            environ["wsgi.input"].read(5)
        except limits.BodyTimeout:
            start_response("400 Bad Request", [])  # as Django answers a SuspiciousOperation
            return [b""]
        start_response("200 OK", [])
        return [b""]

    status, _, _ = call({"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello")}, reads)
    assert status.startswith("408")


class TrickledBody:
    """gunicorn's body and socket: read(n) blocks until all n bytes came, or the socket is shut."""

    def __init__(self):
        self.shut = threading.Event()

    def read(self, *args):
        self.shut.wait(10)  # a byte a second, never a stall: it would wait for all of them
        return b""

    def gettimeout(self):
        return None

    def settimeout(self, seconds):
        pass

    def shutdown(self, how):
        self.shut.set()


def test_a_read_blocked_past_the_deadline_is_ended_with_a_408(monkeypatch):
    monkeypatch.setattr(limits, "BODY_SECONDS", 0.5)
    body = TrickledBody()

    def reads(environ, start_response):
        try:
            environ["wsgi.input"].read(45)
        except limits.BodyTimeout:
            start_response("400 Bad Request", [])
            return [b""]
        start_response("200 OK", [])
        return [b""]

    started = time.monotonic()
    environ = {"CONTENT_LENGTH": "45", "wsgi.input": body, "gunicorn.socket": body}
    status, _, _ = call(environ, reads)
    assert status.startswith("408")
    assert time.monotonic() - started < 3


def test_a_body_read_in_time_stops_the_timer():
    body = TrickledBody()
    environ = {"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello"), "gunicorn.socket": body}
    status, _, content = call(environ)
    assert status.startswith("200") and content == b"read 5"
    time.sleep(0.1)
    assert not body.shut.is_set()


def test_one_address_may_send_only_a_few_bodies_at_once(settings):
    settings.REQUEST_BODIES_PER_ADDRESS = 2
    in_flight = limits.BodiesInFlight()
    assert in_flight.enter("a") and in_flight.enter("a")
    assert not in_flight.enter("a")
    assert in_flight.enter("b")
    in_flight.leave("a")
    assert in_flight.enter("a")


def test_an_ipv6_client_counts_its_bodies_by_its_64(settings, monkeypatch):
    settings.REQUEST_BODIES_PER_ADDRESS = 1
    entered = []
    monkeypatch.setattr(limits.BodiesInFlight, "enter", lambda self, a: entered.append(a) or True)
    for address in ["2001:db8:1:2::1", "2001:db8:1:2::abcd", "192.0.2.1"]:
        body = {"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello"), "REMOTE_ADDR": address}
        call(body)
    assert entered == ["2001:db8:1:2::/64", "2001:db8:1:2::/64", "192.0.2.1"]


def test_the_client_address_comes_from_a_trusted_proxy_only(settings):
    settings.PROXY_ADDRESSES = ["10.0.0.5"]
    forged = {"REMOTE_ADDR": "198.51.100.9", "HTTP_X_FORWARDED_FOR": "192.0.2.1"}
    assert limits.client_address(forged) == "198.51.100.9"
    proxied = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    # The last entry is the one the proxy added; earlier ones the client could write.
    assert limits.client_address(proxied) == "203.0.113.7"
