"""The SSRF-safe fetcher (newsreader/lib/fetching.py).

No test here touches the network: refusals are checked with connections made
impossible, and real fetches go to a local server on 127.0.0.1, let through by
the test-only FETCH_ALLOWED_TEST_HOSTS setting, which the apps pass to the
fetcher as its `allowed_hosts` (so do these tests).
"""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings

from newsreader.lib import fetching
from newsreader.lib.fetching import Fetched, FetchError


def fetch(url, **options):
    """The fetcher as the apps call it, with the hosts the settings let through."""
    return fetching.fetch(url, allowed_hosts=django_settings.FETCH_ALLOWED_TEST_HOSTS, **options)


PAGE = b"<!doctype html><title>Hello</title><p>Hello, reader.</p>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Written by the handler, read by the tests: (path, Host header) per request.
    seen: list

    def log_message(self, *args):
        pass

    def send_body(self, body, content_type="text/html; charset=utf-8", status=200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location, status=302):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Host"), dict(self.headers)))
        port = self.server.server_address[1]
        path = self.path
        if path == "/page":
            self.send_body(PAGE)
        elif path == "/text":
            self.send_body(b"plain words", "text/plain")
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            self.redirect(f"/chain/{left - 1}" if left > 1 else "/page")
        elif path.startswith("/slow-chain/"):
            time.sleep(0.2)
            left = int(path.rsplit("/", 1)[1])
            self.redirect(f"/slow-chain/{left - 1}" if left > 1 else "/page")
        elif path == "/absolute-redirect":
            self.redirect(f"http://127.0.0.1:{port}/page", 301)
        elif path == "/to-private":
            self.redirect("http://10.0.0.1/admin")
        elif path == "/to-localhost":
            self.redirect(f"http://localhost:{port}/page", 307)
        elif path == "/to-credentials":
            self.redirect(f"http://user:pass@127.0.0.1:{port}/page")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path == "/no-location":
            self.send_response(302)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/missing":
            self.send_body(b"<p>not here</p>", status=404)
        elif path == "/pdf":
            self.send_body(b"%PDF-1.7", "application/pdf")
        elif path == "/no-type":
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"hi")
        elif path == "/gzip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"\x1f\x8b\x08\x00")
        elif path == "/big":
            self.send_body(b"x" * 5000)
        elif path == "/big-lying":
            # Claims 10 bytes: only those 10 are read, whatever follows.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "10")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        elif path.startswith("/chunked/"):
            size = int(path.rsplit("/", 1)[1])
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(size // 1000):
                self.wfile.write(b"3e8\r\n" + b"c" * 1000 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path.startswith("/until-close/"):
            # No Content-Length, no chunking: the body ends when the server closes.
            size = int(path.rsplit("/", 1)[1])
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"u" * size)
            self.close_connection = True
        elif path == "/slow-headers":
            time.sleep(3)
            self.send_body(PAGE)
        elif path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"a" * 10)
            self.wfile.flush()
            time.sleep(3)
            self.wfile.write(b"a" * 990)
        elif path.startswith("/drip/"):
            # One byte every 50 ms: each read is quick, the whole is slow.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if path.endswith("/length"):
                self.send_header("Content-Length", "1000")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"d")
                self.wfile.flush()
                time.sleep(0.05)
            self.close_connection = True
        else:
            self.send_body(b"?", status=500)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the fetcher hanging up early is expected in several tests


def _start(server):
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return thread


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    httpd = Server(("127.0.0.1", 0), Handler)
    _start(httpd)
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def no_connections(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        pytest.fail("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(fetching, "_open_socket", refuse)


def fake_getaddrinfo(*answers):
    """A getaddrinfo returning the given addresses (one list per call; the last
    one repeats), and recording the names asked for."""
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        calls.append(host)
        ips = answers[min(len(calls), len(answers)) - 1]
        infos = []
        for ip in ips:
            if ":" in ip:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port, 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)))
        return infos

    getaddrinfo.calls = calls
    return getaddrinfo


# Refused before any connection -------------------------------------------------

REFUSED = [
    ("ftp://example.com/file", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("gopher://127.0.0.1:6379/_INFO", "only http and https"),
    ("//example.com/page", "only http and https"),
    ("http://user:pass@example.com/", "user name or password"),
    ("http://user@example.com/", "user name or password"),
    ("http://example.com@10.0.0.1/", "user name or password"),
    ("http://example.com\\evil.com/", "backslash"),
    ("http://example.com/\\..\\", "backslash"),
    ("http://exa mple.com/", "spaces or control"),
    ("http://example.com/\r\nX-Injected: 1", "spaces or control"),
    ("http:///path", "no host"),
    ("http://example.com:0/", "invalid port"),
    ("http://example.com:99999/", "invalid port"),
    ("http://[fe80::1%25eth0]/", "zone"),
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8000/admin/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0x7f.0.0.1/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://017700000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://127.0.0.1./", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
    ("http://[::ffff:7f00:1]/", "IPv4-mapped"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://[2002:7f00:1::]/", "6to4"),
    ("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/", "Teredo"),
    ("http://[64:ff9b::a9fe:a9fe]/", "NAT64"),
    ("http://10.0.0.1/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://100.64.0.1/", "CGNAT"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fc00::1]/", "private"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "address"),
    ("http://192.0.2.1/", "address"),  # documentation range
    ("https://localhost/", "localhost resolves to"),
    ("http://localhost:8000/", "loopback"),
    ("http://LOCALHOST/", "loopback"),
    ("http://999.0.0.1/", "not a valid address"),
    ("http://exa_mple..com/", "not a valid host name"),
]


@pytest.mark.parametrize(("url", "message"), REFUSED)
def test_refused_without_connecting(no_connections, url, message):
    with pytest.raises(FetchError, match=message) as excinfo:
        fetch(url)
    assert str(excinfo.value).startswith("Refused: ")


def test_refusal_message_names_the_address(no_connections):
    with pytest.raises(FetchError) as excinfo:
        fetch("http://10.0.0.5/")
    assert str(excinfo.value) == "Refused: 10.0.0.5 is a private address"
    with pytest.raises(FetchError) as excinfo:
        fetch("http://127.1/")
    assert str(excinfo.value) == "Refused: 127.1 resolves to 127.0.0.1, a loopback address"


def test_name_resolving_to_a_private_address_is_refused(no_connections, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo(["10.0.0.7"]))
    with pytest.raises(FetchError, match=r"intranet\.example resolves to 10\.0\.0\.7, a private"):
        fetch("https://intranet.example/")


@pytest.mark.parametrize(
    "answer",
    [
        ["93.184.216.34", "10.0.0.7"],
        ["10.0.0.7", "93.184.216.34"],
        ["93.184.216.34", "::1"],
        ["2606:2800:220:1:248:1893:25c8:1946", "::ffff:192.168.0.1"],
    ],
)
def test_name_resolving_to_public_and_private_addresses_is_refused(
    no_connections, monkeypatch, answer
):
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo(answer))
    with pytest.raises(FetchError, match="Refused: mixed.example resolves to"):
        fetch("http://mixed.example/")


def test_unresolvable_name_is_an_error(no_connections, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match="Could not find the server nowhere.example"):
        fetch("http://nowhere.example/")


def test_public_address_is_connected_to_directly(monkeypatch):
    # The connection goes to the address that was checked, by address.
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo(["93.184.216.34"]))
    tried = []

    def connect(sock, sockaddr):
        tried.append(sockaddr)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(FetchError, match=r"Could not connect to news\.example"):
        fetch("http://news.example/story")
    assert tried == [("93.184.216.34", 80)]


def test_idn_host_is_encoded(monkeypatch, no_connections):
    getaddrinfo = fake_getaddrinfo(["10.1.2.3"])
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(FetchError, match="private"):
        fetch("http://bücher.example/")
    assert getaddrinfo.calls == ["xn--bcher-kva.example"]


def test_allowed_test_hosts_is_empty_by_default():
    from newsreader import settings as project_settings

    assert project_settings.FETCH_ALLOWED_TEST_HOSTS == []


def test_allowed_test_host_is_matched_by_name_only(settings, no_connections):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    for url in ("http://127.1/", "http://localhost/", "http://[::1]/", "http://2130706433/"):
        with pytest.raises(FetchError, match="loopback"):
            fetch(url)


# Against a local server --------------------------------------------------------


def test_fetches_an_html_page(server):
    result = fetch(server.base + "/page")
    assert result == Fetched(
        url=server.base + "/page", content=PAGE, content_type="text/html; charset=utf-8"
    )
    path, host, headers = server.seen[0]
    assert host == f"127.0.0.1:{server.server_address[1]}"
    assert headers["User-Agent"] == "newsreader/1.0 (+self-hosted reader)"
    assert headers["Accept-Encoding"] == "identity"
    assert headers["Accept"].startswith("text/html")


def test_fetches_plain_text(server):
    result = fetch(server.base + "/text")
    assert (result.content, result.content_type) == (b"plain words", "text/plain")


def test_non_ascii_path_and_query_are_percent_encoded(server):
    with pytest.raises(FetchError, match="The server answered 500"):
        fetch(server.base + "/pagé?q=ü&r=%2F")
    assert server.seen[-1][0] == "/pag%C3%A9?q=%C3%BC&r=%2F"


def test_follows_a_redirect_chain(server):
    result = fetch(server.base + "/chain/3")
    assert result.url == server.base + "/page"
    assert result.content == PAGE
    assert [seen[0] for seen in server.seen] == ["/chain/3", "/chain/2", "/chain/1", "/page"]


def test_follows_an_absolute_redirect(server):
    assert fetch(server.base + "/absolute-redirect").url == server.base + "/page"


def test_five_redirects_are_followed_six_are_not(server):
    assert fetch(server.base + "/chain/5").content == PAGE
    server.seen.clear()
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(server.base + "/chain/6")
    assert len(server.seen) == 6  # the sixth Location is never requested
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(server.base + "/chain/2", max_redirects=1)
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(server.base + "/chain/1", max_redirects=0)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-private", "Refused: 10.0.0.1 is a private address"),
        ("/to-localhost", "Refused: localhost resolves to 127.0.0.1, a loopback address"),
        ("/to-credentials", "user name or password"),
        ("/to-file", "only http and https"),
        ("/no-location", "without a Location"),
    ],
)
def test_redirects_are_checked_at_each_hop(server, path, message):
    with pytest.raises(FetchError, match=message):
        fetch(server.base + path)
    assert len(server.seen) == 1


def test_error_status_is_an_error(server):
    with pytest.raises(FetchError, match="404 Not Found"):
        fetch(server.base + "/missing")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pdf", "content type application/pdf is not HTML or text"),
        ("/no-type", "content type none"),
        ("/gzip", "compressed"),
    ],
)
def test_only_html_and_text_are_accepted(server, path, message):
    with pytest.raises(FetchError, match=message):
        fetch(server.base + path)


def test_body_over_the_cap_is_refused(server):
    assert len(fetch(server.base + "/big", max_bytes=5000).content) == 5000
    with pytest.raises(FetchError, match="larger than 4,999 bytes"):
        fetch(server.base + "/big", max_bytes=4999)


@pytest.mark.parametrize("kind", ["chunked", "until-close"])
def test_body_over_the_cap_is_refused_without_content_length(server, kind):
    assert len(fetch(f"{server.base}/{kind}/3000", max_bytes=3000).content) == 3000
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server.base}/{kind}/6000", max_bytes=3000)
    # A body much larger than the cap is not read to the end.
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server.base}/{kind}/2000000", max_bytes=3000)


def test_content_length_is_not_trusted_for_the_cap(server):
    # Only the declared 10 bytes are read; the rest is never taken as body.
    assert fetch(server.base + "/big-lying", max_bytes=100).content == b"y" * 10


@pytest.mark.parametrize("path", ["/slow-headers", "/slow-body"])
def test_slow_server_times_out(server, path):
    started = time.monotonic()
    with pytest.raises(FetchError, match="Timed out waiting for 127.0.0.1"):
        fetch(server.base + path, timeout=(1, 0.2))
    assert time.monotonic() - started < 2  # not the 3 s the server takes


@pytest.mark.parametrize("path", ["/slow-body", "/drip/length", "/drip/close"])
def test_overall_time_limit(server, monkeypatch, path):
    # Each read is within the read timeout; the fetch as a whole is not.
    monkeypatch.setattr(fetching, "MAX_TOTAL_SECONDS", 0.3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="Timed out waiting for 127.0.0.1"):
        fetch(server.base + path, timeout=(1, 5))
    assert time.monotonic() - started < 2  # not the server's pace


def test_overall_time_limit_covers_all_hops(server, monkeypatch):
    # Each hop takes 0.2 s, well within the limit; four of them do not.
    monkeypatch.setattr(fetching, "MAX_TOTAL_SECONDS", 0.5)
    with pytest.raises(FetchError, match="Timed out"):
        fetch(server.base + "/slow-chain/4", timeout=(1, 5))
    assert len(server.seen) >= 2


def test_refused_connection_is_an_error(settings):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening
        with pytest.raises(FetchError, match="Could not connect to 127.0.0.1"):
            fetch(f"http://127.0.0.1:{port}/")


def test_connects_to_the_address_checked_not_a_second_answer(server, settings, monkeypatch):
    # DNS rebinding: the first answer is checked, a later one would differ.
    settings.FETCH_ALLOWED_TEST_HOSTS = ["rebind.test"]
    port = server.server_address[1]
    getaddrinfo = fake_getaddrinfo(["127.0.0.1"], ["10.9.9.9"])
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    result = fetch(f"http://rebind.test:{port}/page")
    assert result.content == PAGE
    assert getaddrinfo.calls == ["rebind.test"]  # resolved once for the one hop
    assert server.seen[0][1] == f"rebind.test:{port}"  # Host header keeps the name


def test_each_hop_is_resolved_once_and_checked(server, settings, monkeypatch):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["rebind.test", "127.0.0.1"]
    port = server.server_address[1]
    getaddrinfo = fake_getaddrinfo(["127.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert fetch(f"http://rebind.test:{port}/chain/2").url == f"http://rebind.test:{port}/page"
    assert getaddrinfo.calls == ["rebind.test"] * 3


# https -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=secure.test", "-addext", "subjectAltName=DNS:secure.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(settings, certificate, monkeypatch):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    _start(httpd)
    settings.FETCH_ALLOWED_TEST_HOSTS = ["secure.test", "other.test"]
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo(["127.0.0.1"]))
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def trust(monkeypatch, cert):
    def context():
        return ssl.create_default_context(cafile=str(cert))

    monkeypatch.setattr(fetching, "_ssl_context", context)


def test_https_certificate_is_verified(tls_server):
    port = tls_server.server_address[1]
    with pytest.raises(FetchError, match="certificate of secure.test is not valid"):
        fetch(f"https://secure.test:{port}/page", timeout=(1, 1))


def test_https_fetch_checks_the_certificate_against_the_name(tls_server, certificate, monkeypatch):
    trust(monkeypatch, certificate[0])
    port = tls_server.server_address[1]
    result = fetch(f"https://secure.test:{port}/page", timeout=(1, 1))
    assert result.content == PAGE
    assert tls_server.seen[0][1] == f"secure.test:{port}"
    # Same server, same address, another name: the certificate does not match.
    with pytest.raises(FetchError, match="certificate of other.test is not valid"):
        fetch(f"https://other.test:{port}/page", timeout=(1, 1))


def test_https_overall_time_limit(tls_server, certificate, monkeypatch):
    trust(monkeypatch, certificate[0])
    monkeypatch.setattr(fetching, "MAX_TOTAL_SECONDS", 0.3)
    port = tls_server.server_address[1]
    started = time.monotonic()
    with pytest.raises(FetchError, match="Timed out waiting for secure.test"):
        fetch(f"https://secure.test:{port}/drip/length", timeout=(1, 5))
    assert time.monotonic() - started < 2
