"""The app served as `make serve` serves it: scripts/serve, gunicorn.conf.py, the task worker.

One server for the module (on a throwaway SQLite file, or on a throwaway
PostgreSQL database when DATABASE_URL is set), attacked with slow and
oversized bodies while /healthz/ is timed; logins counted across its two
worker processes; a worker killed mid-flight; then Ctrl-C, which must stop
everything without a traceback.
"""

import contextlib
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS, STALL = 2, 8, 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_postgres(url):
    """A fresh database next to DATABASE_URL's (the role may create databases)."""
    import psycopg

    parts = urlsplit(url)
    # Under pytest-xdist each worker's name is its own, as its test database is (_gw0, ...).
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"{parts.path.lstrip('/')}_serving" + (f"_{worker}" if worker else "")
    with psycopg.connect(maintenance(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def maintenance(url):
    """The server's `postgres` database (DATABASE_URL's own may not exist: tests use test_…)."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def drop_postgres(url, name):
    import psycopg

    with psycopg.connect(maintenance(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, tmp):
        self.port = free_port()
        self.env = {
            "PATH": os.environ["PATH"],
            "SECRET_KEY": "serving-test-" + "k" * 40,
            "WEB_WORKERS": str(WORKERS),
            "WEB_THREADS": str(THREADS),
            "REQUEST_BODY_STALL_SECONDS": str(STALL),
            "MEDIA_ROOT": str(tmp / "media"),
            # Not the checkout's staticfiles/, which other test runs may be reading.
            "STATIC_ROOT": str(tmp / "static"),
            # gunicorn's own log in a file of its own, at info: it names each
            # worker's pid as the worker sees it. `ps` cannot be trusted for that:
            # in a PID namespace whose /proc is the host's (as in some CI
            # sandboxes), the pids it lists are not the ones os.kill reaches.
            "GUNICORN_CMD_ARGS": f"--log-level info --error-logfile {tmp / 'gunicorn.log'}",
        }
        self.gunicorn_log = tmp / "gunicorn.log"
        self.postgres = None
        if os.environ.get("DATABASE_URL"):
            url, name = throwaway_postgres(os.environ["DATABASE_URL"])
            self.env["DATABASE_URL"], self.postgres = url, name
        else:
            self.env["SQLITE_PATH"] = str(tmp / "serving.sqlite3")
        self.output = tmp / "serve.log"
        self.process = subprocess.Popen(
            # As `make run` (`make serve` is the same without --demo).
            [sys.executable, "scripts/serve", "--demo", "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # as a terminal's foreground group
        )
        deadline = time.monotonic() + 240
        while "(shown only this once)" not in self.log():
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.5)

    def log(self):
        return self.output.read_text()

    def request(self, method, path, body=None, headers=None, timeout=10):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def timed_healthz(self):
        start = time.perf_counter()
        status, _, _ = self.request("GET", "/healthz/", timeout=5)
        return status, time.perf_counter() - start

    def gunicorn_workers(self):
        """The pids of the live worker processes, from gunicorn's "Booting worker" lines."""
        log = self.gunicorn_log.read_text() if self.gunicorn_log.exists() else ""
        booted = [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", log)]
        return [pid for pid in booted if alive(pid)]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("serving"))
    yield server
    if server.process.poll() is None:  # a test failed before Ctrl-C: stop it the same way
        os.killpg(server.process.pid, signal.SIGINT)
        try:
            server.process.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
    if server.postgres:
        drop_postgres(os.environ["DATABASE_URL"], server.postgres)


def open_body(server, path, length, first=b"x"):
    """A POST that declares `length` bytes and sends only `first` of them, for now."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        # A CSRF cookie, or Django would refuse the POST without reading its body.
        f"Cookie: csrftoken={'a' * 32}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    sock.sendall(head.encode() + first)
    return sock


def status_of(sock):
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(match.group(1)) if match else None


def test_the_server_started_quietly_with_the_documented_workers(server):
    log = server.log()
    assert "Traceback" not in log
    # The demo login comes last, after everything the start printed.
    assert log.index("is running at") < log.index("username: demo")
    assert log.rstrip().endswith("(shown only this once)")
    assert f"{WORKERS} workers × {THREADS} threads" in server.log()
    assert len(server.gunicorn_workers()) == WORKERS
    gunicorn_log = server.gunicorn_log.read_text()
    assert "Traceback" not in gunicorn_log and "[ERROR]" not in gunicorn_log, gunicorn_log
    assert server.request("GET", "/healthz/")[0] == 200
    assert "GET /healthz/" not in server.log()  # no access log by default


def test_oversized_bodies_are_refused_before_they_are_read(server):
    started = time.perf_counter()
    for path, length in [
        ("/login/", 500 * 1024 * 1024),
        ("/admin/imports/importbatch/import/", 110 * 1024 * 1024),
        ("/teams/newsroom/add/files/", 200 * 1024 * 1024),
    ]:
        sock = open_body(server, path, length)
        assert status_of(sock) == 413, path
        sock.close()
    assert time.perf_counter() - started < 5


def test_a_stalled_body_is_cut_off(server):
    sock = open_body(server, "/login/", 1000, first=b"username=olivia")
    started = time.perf_counter()
    assert status_of(sock) == 408
    assert STALL - 0.5 < time.perf_counter() - started < STALL + 5
    sock.close()


def test_a_trickled_body_is_cut_off_at_its_deadline(server):
    # A byte a second never stalls, and gunicorn's read waits for all 45 bytes:
    # only the deadline (BODY_SECONDS plus a little for the length) may end it.
    from newsreader.limits import BODY_SECONDS

    sock = open_body(server, "/login/", 45)
    started = time.perf_counter()
    stop = threading.Event()

    def trickle():
        with contextlib.suppress(OSError):  # cut off by the server
            while not stop.wait(1):
                sock.sendall(b"x")

    sender = threading.Thread(target=trickle)
    sender.start()
    try:
        assert status_of(sock) == 408
        assert BODY_SECONDS - 0.5 < time.perf_counter() - started < BODY_SECONDS + 5
    finally:
        stop.set()
        sender.join(5)
        sock.close()


def test_healthz_keeps_answering_under_slow_and_oversized_bodies(server, capsys):
    baseline = [server.timed_healthz()[1] for _ in range(10)]
    stop = threading.Event()
    statuses = []

    def trickle():
        # Declares 100 kB, sends a byte every half second: hours, if let through.
        sock = open_body(server, "/login/", 100_000)
        try:
            while not stop.is_set():
                sock.sendall(b"x")
                if stop.wait(0.5):
                    break
        except OSError:
            pass  # cut off by the server
        sock.settimeout(5)
        try:
            statuses.append(status_of(sock))
        except OSError:
            statuses.append(None)
        sock.close()

    slow = [threading.Thread(target=trickle) for _ in range(3 * WORKERS * THREADS // 2)]
    for thread in slow:
        thread.start()
    time.sleep(1)
    under_attack = []
    for _ in range(20):
        big = open_body(server, "/login/", 500 * 1024 * 1024)
        status, seconds = server.timed_healthz()
        assert status == 200
        under_attack.append(seconds)
        assert status_of(big) == 413
        big.close()
        time.sleep(0.1)
    stop.set()
    for thread in slow:
        thread.join(30)
    with capsys.disabled():
        print(
            f"\n/healthz/ median {statistics.median(baseline) * 1000:.1f} ms quiet, "
            f"{statistics.median(under_attack) * 1000:.1f} ms (max "
            f"{max(under_attack) * 1000:.1f} ms) with {len(slow)} slow bodies held "
            f"and 20 oversized ones; slow bodies answered {sorted(statuses, key=str)}"
        )
    assert max(under_attack) < 2
    # Each refusal is one line in the log, not a traceback.
    assert "Traceback" not in server.log() + server.gunicorn_log.read_text()
    # Past REQUEST_BODIES_PER_ADDRESS per worker, the rest were refused at once.
    assert statuses.count(429) >= len(slow) - WORKERS * 4


def alive(pid):
    """Running (a zombie left to an init that does not reap, as in containers, is not)."""
    if os.readlink("/proc/self") != str(os.getpid()):
        # /proc is another PID namespace's: only the signal check means our pids.
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def login_form(server):
    status, headers, body = server.request("GET", "/login/")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def post_login(server, password, cookie, token):
    body = f"csrfmiddlewaretoken={token}&username=olivia&password={password}"
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    return server.request("POST", "/login/", body=body, headers=headers)


def test_the_workers_share_the_login_counts(server):
    cookie, token = login_form(server)
    statuses = [post_login(server, "wrong", cookie, token)[0] for _ in range(8)]
    # Each request on a new connection, to either worker: the count is one.
    assert statuses == [200] * 5 + [429] * 3


def test_a_killed_worker_is_replaced_and_the_app_serves_again(server):
    workers = server.gunicorn_workers()
    os.kill(workers[0], signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        current = server.gunicorn_workers()
        if len(current) == WORKERS and workers[0] not in current:
            break
        time.sleep(0.2)
    assert len(server.gunicorn_workers()) == WORKERS
    assert all(server.request("GET", "/healthz/")[0] == 200 for _ in range(10))


def test_ctrl_c_stops_everything_without_a_traceback(server):
    workers = server.gunicorn_workers()
    before = len(server.log())
    os.killpg(server.process.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends
    assert server.process.wait(30) == 0
    log = server.log()[before:]
    assert "Traceback" not in log and "Segmentation fault" not in log, log
    assert log.rstrip().endswith("newsreader stopped.")
    assert "Traceback" not in server.gunicorn_log.read_text()
    assert not [pid for pid in workers if alive(pid)]


def test_an_unreachable_database_is_a_503_page(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "serving-test-" + "k" * 40,
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/gone",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    # As scripts/serve does first: the page names its hashed static files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "newsreader.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
        start_new_session=True,
    )
    try:
        server = Server.__new__(Server)
        server.port = port
        deadline = time.monotonic() + 30
        while True:
            try:
                assert server.request("GET", "/healthz/")[0] == 200
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        cookie, token = login_form(server)
        status, headers, body = post_login(server, "pw", cookie, token)
        assert status == 503
        assert headers["Retry-After"] == "5"
        assert b"The service is briefly unavailable." in body
        assert b"Traceback" not in body
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
