"""One SSRF-safe fetcher for article URLs.

Every page the server downloads on a user's behalf goes through `fetch()`:

- only http and https; URLs with a user name or password, backslashes,
  control characters or no host are refused;
- the host is resolved once per hop and *every* address is checked: private,
  loopback, link-local, multicast, reserved, CGNAT (100.64.0.0/10),
  unspecified and any other not globally routable address is refused. Odd IPv4
  spellings (`127.1`, `2130706433`, `0x7f.0.0.1`, `017700000001`) are read the
  way the C library reads them, so they are checked as the address they mean;
  IPv6 addresses carrying an IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64)
  are checked for the embedded address too;
- the connection goes to the checked address (the name is not resolved again,
  so a DNS answer cannot change between check and use); the Host header and,
  for https, the certificate check use the name;
- redirects are not followed blindly: each Location goes through all of the
  above again, at most `max_redirects` hops;
- separate connect and read timeouts, plus an overall limit for the fetch;
- at most `max_bytes` of body (Content-Length is only used to refuse early);
- only HTML and text content types, no compressed bodies.

`allowed_hosts` names hosts that skip the address check. It exists for tests
with a local HTTP server: the apps pass `settings.FETCH_ALLOWED_TEST_HOSTS`,
which must stay empty in production.

`fetch_and_extract()` is the slow half of importing one entry (fetch when
there is no content, then extract) as a plain function of plain arguments, so
that it can run in a worker process that has no database and no Django.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from newsreader.lib import extraction

USER_AGENT = "newsreader/1.0 (+self-hosted reader)"
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8"
ALLOWED_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown"}
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# However slowly a server answers (one byte just inside each read timeout), a
# whole fetch, redirects included, never takes longer than this.
MAX_TOTAL_SECONDS = 60
_CHUNK = 64 * 1024

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Characters allowed in a host name once it is IDNA-encoded.
_HOST_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$")
# Hosts that the C library (inet_aton) reads as an IPv4 address: 1 to 4 parts,
# each decimal, octal (leading 0) or hex (0x).
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$")
# Characters kept as they are in the request target; the rest is %-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


class FetchError(Exception):
    """A fetch was refused or failed; the message is meant for people."""


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    content: bytes
    content_type: str  # e.g. "text/html; charset=utf-8"


@dataclass
class _Target:
    url: str
    scheme: str
    host: str  # lower-case, IDNA-encoded, without brackets
    port: int
    request_target: str  # path and query, as sent on the request line
    ip_literal: ipaddress.IPv4Address | ipaddress.IPv6Address | None


def fetch(
    url, *, max_bytes=10 * 1024 * 1024, timeout=(5, 15), max_redirects=5, allowed_hosts=()
) -> Fetched:
    """Fetch an HTML or text page from `url`, refusing anything unsafe.

    `timeout` is `(connect, read)` in seconds, or one number for both.
    `allowed_hosts`: host names let through the address check (tests only). Raises
    `FetchError` when the URL, an address, a redirect, the status, the content
    type or the size is refused, and when the server cannot be reached in time.
    """
    connect_timeout, read_timeout = _timeouts(timeout)
    allowed = {str(host).lower().strip("[]") for host in allowed_hosts or ()}
    deadline = time.monotonic() + MAX_TOTAL_SECONDS
    current = url.strip() if isinstance(url, str) else url
    for hop in range(max_redirects + 1):
        target = _parse(current)
        addresses = _resolve(target, allowed)
        result = _request(
            target,
            addresses,
            max_bytes=max_bytes,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            deadline=deadline,
        )
        if isinstance(result, Fetched):
            return result
        location = result
        if hop == max_redirects:
            break
        current = urljoin(target.url, location)
    raise FetchError(f"Refused: too many redirects (more than {max_redirects})")


# URL checks ------------------------------------------------------------------


def _parse(url) -> _Target:
    if not isinstance(url, str) or not url:
        raise FetchError("Refused: no address given")
    if "\\" in url:
        raise FetchError("Refused: the address contains a backslash")
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        raise FetchError("Refused: the address contains spaces or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(f"Refused: the address is malformed ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}: " if scheme else ""
        raise FetchError(f"Refused: only http and https addresses can be fetched, not {shown}{url}")
    if "@" in parts.netloc:
        raise FetchError("Refused: addresses with a user name or password are not fetched")
    try:
        port = parts.port
    except ValueError:
        raise FetchError("Refused: the address has an invalid port") from None
    if port is None:
        port = 443 if scheme == "https" else 80
    elif port == 0:
        raise FetchError("Refused: the address has an invalid port")
    host, ip_literal = _host(parts.hostname or "", bracketed=parts.netloc.startswith("["))
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if not path.startswith("/"):
        path = "/" + path
    request_target = path + ("?" + quote(parts.query, safe=_QUERY_SAFE) if parts.query else "")
    return _Target(url, scheme, host, port, request_target, ip_literal)


def _host(hostname: str, *, bracketed: bool):
    """The host name to connect to and, for an address literal, the address."""
    if not hostname:
        raise FetchError("Refused: the address has no host")
    if bracketed:
        if "%" in hostname:
            raise FetchError("Refused: IPv6 zone identifiers are not allowed")
        try:
            return hostname, ipaddress.IPv6Address(hostname)
        except ValueError:
            raise FetchError(f"Refused: {hostname} is not a valid IPv6 address") from None
    try:
        ascii_host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError(f"Refused: {hostname} is not a valid host name") from None
    if not _HOST_NAME.match(ascii_host):
        raise FetchError(f"Refused: {hostname} is not a valid host name")
    if _NUMERIC_HOST.match(ascii_host):
        # Read as the C library would (`127.1`, `2130706433`, `0x7f.0.0.1`),
        # so the check does not depend on the resolver.
        try:
            packed = socket.inet_aton(ascii_host.rstrip("."))
        except OSError:
            raise FetchError(f"Refused: {hostname} is not a valid address") from None
        return ascii_host, ipaddress.IPv4Address(packed)
    return ascii_host, None


# Address checks --------------------------------------------------------------


def address_refusal(ip) -> str | None:
    """Why `ip` may not be fetched from (e.g. "a private address"), or None."""
    ip = ipaddress.ip_address(ip)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = []
        if ip.ipv4_mapped is not None:
            embedded.append((ip.ipv4_mapped, "IPv4-mapped"))
        if ip.sixtofour is not None:
            embedded.append((ip.sixtofour, "6to4"))
        if ip.teredo is not None:
            server, client = ip.teredo
            embedded += [(server, "Teredo"), (client, "Teredo")]
        if ip in _NAT64:
            embedded.append((ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64"))
        for inner, kind in embedded:
            reason = address_refusal(inner)
            if reason:
                return f"an {kind} address of {inner}, {reason}"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "a shared (CGNAT) address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "a non-public address"
    return None


def _refuse(host: str, ip, reason: str):
    if host == str(ip):
        raise FetchError(f"Refused: {ip} is {reason}")
    raise FetchError(f"Refused: {host} resolves to {ip}, {reason}")


def _resolve(target: _Target, allowed_hosts: set[str]) -> list[tuple[int, tuple]]:
    """(family, sockaddr) pairs for the target, every one of them checked."""
    allowed = target.host.rstrip(".") in allowed_hosts
    if target.ip_literal is not None:
        ip = target.ip_literal
        if not allowed:
            reason = address_refusal(ip)
            if reason:
                _refuse(target.host, ip, reason)
        if ip.version == 4:
            return [(socket.AF_INET, (str(ip), target.port))]
        return [(socket.AF_INET6, (str(ip), target.port, 0, 0))]
    try:
        infos = socket.getaddrinfo(
            target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (OSError, UnicodeError):
        raise FetchError(f"Could not find the server {target.host}") from None
    addresses = []
    for family, _type, _proto, _canonname, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        try:
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        except ValueError:
            raise FetchError(f"Refused: {target.host} resolves to an unknown address") from None
        if not allowed:
            reason = address_refusal(ip)
            if reason:
                _refuse(target.host, ip, reason)
        if (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    if not addresses:
        raise FetchError(f"Could not find the server {target.host}")
    return addresses


# Connections -----------------------------------------------------------------


def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _open_socket(addresses, connect_timeout: float) -> socket.socket:
    """Connect to the first checked address that answers, without resolving."""
    last_error: OSError | None = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(connect_timeout)
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        return sock
    assert last_error is not None
    raise last_error


class _Watchdog:
    """Cuts the connection when the fetch's overall time is up.

    Socket timeouts bound each wait for data, not a server that sends one byte
    just inside every timeout; this bounds the whole exchange.
    """

    def __init__(self, seconds: float):
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket):
        # A duplicate: wrapping in TLS detaches the original socket object,
        # and shutting down any descriptor of a connection cuts it.
        with self._lock:
            self._sock = sock.dup()
            if self.expired:
                self._cut()

    def cancel(self):
        self._timer.cancel()
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None

    def _expire(self):
        with self._lock:
            self.expired = True
            self._cut()

    def _cut(self):
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an already checked address (`addresses`)."""

    def __init__(self, host, port, *, addresses, connect_timeout, read_timeout, watchdog):
        super().__init__(host, port, timeout=connect_timeout)
        self._addresses = addresses
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._watchdog = watchdog

    def connect(self):
        sock = _open_socket(self._addresses, self._connect_timeout)
        self._watchdog.watch(sock)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = self._wrap(sock)
        sock.settimeout(self._read_timeout)
        self.sock = sock

    def _wrap(self, sock):
        return sock


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def _wrap(self, sock):
        # The certificate is checked against the name, not the address.
        try:
            return _ssl_context().wrap_socket(sock, server_hostname=self.host.rstrip("."))
        except BaseException:
            sock.close()
            raise


def _request(target, addresses, *, max_bytes, connect_timeout, read_timeout, deadline):
    """Fetched for a page, or the Location (str) of a redirect."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"Timed out waiting for {target.host}")
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    watchdog = _Watchdog(remaining)
    conn = connection_class(
        target.host,
        target.port,
        addresses=addresses,
        connect_timeout=min(connect_timeout, remaining),
        read_timeout=read_timeout,
        watchdog=watchdog,
    )
    response = None
    try:
        conn.request(
            "GET",
            target.request_target,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": ACCEPT,
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        result = _handle(response, target, max_bytes)
        if watchdog.expired:  # a body cut short can look complete
            raise TimeoutError
        return result
    except FetchError:
        raise
    except Exception as exc:
        if watchdog.expired:
            raise FetchError(f"Timed out waiting for {target.host}") from None
        if isinstance(exc, TimeoutError):
            raise FetchError(f"Timed out waiting for {target.host}") from None
        if isinstance(exc, ssl.SSLCertVerificationError):
            detail = exc.verify_message or exc.reason or exc
            raise FetchError(f"The certificate of {target.host} is not valid ({detail})") from None
        if isinstance(exc, ssl.SSLError):
            raise FetchError(f"Secure connection to {target.host} failed ({exc.reason})") from None
        if isinstance(exc, http.client.HTTPException):
            name = type(exc).__name__
            raise FetchError(f"The server {target.host} sent a broken answer ({name})") from None
        if isinstance(exc, OSError):
            detail = exc.strerror or type(exc).__name__
            raise FetchError(f"Could not connect to {target.host} ({detail})") from None
        raise
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
        conn.close()


def _handle(response, target: _Target, max_bytes: int):
    if response.status in REDIRECT_STATUSES:
        location = response.getheader("Location")
        if not location:
            raise FetchError(f"The server answered {response.status} without a Location")
        return location.strip()
    if not 200 <= response.status < 300:
        raise FetchError(f"The server answered {response.status} {response.reason}".rstrip())
    content_type = response.getheader("Content-Type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type not in ALLOWED_CONTENT_TYPES:
        shown = media_type or "none"
        raise FetchError(f"Refused: content type {shown} is not HTML or text")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchError(f"Refused: the server sent a compressed ({encoding}) page")
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(f"Refused: the page is larger than {_size(max_bytes)}")
    return Fetched(
        url=target.url, content=_read_capped(response, max_bytes), content_type=content_type
    )


def _read_capped(response, max_bytes: int) -> bytes:
    """At most max_bytes of body; refuses a body that is longer."""
    chunks = []
    total = 0
    while total <= max_bytes:
        chunk = response.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise FetchError(f"Refused: the page is larger than {_size(max_bytes)}")
    return b"".join(chunks)


def _timeouts(timeout) -> tuple[float, float]:
    if isinstance(timeout, tuple | list):
        connect, read = timeout
    else:
        connect = read = timeout
    if connect is None or read is None or connect <= 0 or read <= 0:
        raise ValueError("fetch() needs positive connect and read timeouts")
    return float(connect), float(read)


def _size(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n:,} bytes"


def fetch_and_extract(url, content, content_type, filename, allowed_hosts=()):
    """(content bytes, content type, Extraction), or (None, None, error message).

    Fetches `url` only when there is no `content`.
    """
    try:
        if content is None:
            fetched = fetch(url, allowed_hosts=allowed_hosts)
            content, content_type = fetched.content, fetched.content_type
        result = extraction.extract(
            bytes(content), content_type=content_type, url=url, filename=filename
        )
    except (extraction.ExtractionError, FetchError) as error:
        return None, None, str(error)
    return bytes(content), content_type, result
