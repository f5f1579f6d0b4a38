"""The app under load, served as in production: gunicorn (gthread workers) and the
task worker, on SQLite or PostgreSQL.

    .venv/bin/python bench/load.py [--seconds 20] [--users 25]
        [--database-url postgres://newsreader:newsreader@127.0.0.1:5432/newsreader_load]

Builds a fresh database (a throwaway SQLite file, or the PostgreSQL database
named, which is dropped and made again), two teams sharing 25 members with a
few articles each, starts gunicorn and `manage.py db_worker`, logs every member
in over HTTP and has each run a mixed flow for a bounded time: the library, the
reader, a new highlight, a note, a reply, a live-update poll, a search and an
export, with `/healthz/` and a small logged-in page (a highlight's page)
measured in the same run. Then it checks that every write the app answered as
done exists exactly once, and prints median, p95 and p99 milliseconds per
endpoint beside the small page, and the answers by status. It exits with 1
after any 5xx (or request left without an answer) and any write lost or
stored twice: tests/bench/test_load.py runs it for a few seconds.
"""

import argparse
import collections
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "load-password-1"  # noqa: S105 - throwaway members of a throwaway database
# Run by `manage.py shell` in the fresh database: two teams sharing the members,
# three articles each with a few highlights (something to reply to from the start).
SEED = """
import random, sys
from django.contrib.auth import get_user_model
from articles.highlighting import create_highlight
from articles.originals import create_article
from teams.models import Membership, Team
sys.path.insert(0, "bench")
from common import paragraph

rng = random.Random(1)
teams = [Team.objects.create(name=f"Load {n}", slug=f"load-{n}") for n in range(2)]
for n in range(USERS):
    user = get_user_model().objects.create_user(f"member{n}", password=PASSWORD)
    Membership.objects.create(team=teams[n % 2], user=user, role=Membership.Role.MEMBER)
for team in teams:
    owner = team.memberships.first().user
    for a in range(3):
        text = "\\n\\n".join(paragraph(rng) for _ in range(40))
        article = create_article(team, f"# Ferries {a}\\n\\n{text}", user=owner, filename="f.md")
        for start in range(0, 1000, 100):
            create_highlight(article, owner, start, start + 20, "yellow")
"""
# Whether each write the app answered as done is in the database exactly once.
CHECK = """
import json
from django.db.models import Count
from articles.models import ArticleNote, Highlight, Reply

writes = json.loads(WRITES)
def once(model, markers):
    rows = model.objects.filter(body__in=markers).values_list("body").annotate(n=Count("id"))
    counts = dict(rows)
    return [sum(1 for marker in markers if counts.get(marker) == 1), len(markers)]
twins = Highlight.objects.values("article", "author", "start", "end").annotate(n=Count("id"))
print(json.dumps({
    "note": once(ArticleNote, writes["note"]),
    "reply": once(Reply, writes["reply"]),
    "highlight": [
        Highlight.objects.filter(pk__in=writes["highlight"]).count(),
        len(set(writes["highlight"])),
    ],
    "duplicate highlights": twins.filter(n__gt=1).count(),
}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


class Member:
    """One logged-in member's session, doing what a reader does."""

    def __init__(self, base, name, results, writes, rng):
        self.base, self.name, self.rng = base, name, rng
        self.results, self.writes = results, writes
        self.http = requests.Session()
        self.articles, self.highlights, self.tokens, self.stamps = [], [], {}, {}

    def call(self, label, method, path, **kwargs):
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, timeout=30, **kwargs)
            status = response.status_code
        except requests.RequestException as error:
            response, status = None, type(error).__name__
        self.results.append((label, status, (time.perf_counter() - started) * 1000))
        return response

    def post(self, label, path, data):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "HX-Request": "true"}
        return self.call(label, "POST", path, data=data, headers=headers)

    def log_in(self):
        page = self.http.get(self.base + "/login/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        data = {"username": self.name, "password": PASSWORD, "csrfmiddlewaretoken": token}
        response = self.http.post(self.base + "/login/", data=data, timeout=30)
        library = self.http.get(self.base + "/", timeout=30).text
        self.articles = sorted(set(map(int, re.findall(r'href="/articles/(\d+)/"', library))))
        assert response.ok and self.articles, f"{self.name} could not log in"

    def read(self):
        pk = self.rng.choice(self.articles)
        response = self.call("reader", "GET", f"/articles/{pk}/")
        if response is not None and response.ok:
            page = response.text
            self.tokens[pk] = re.search(r"/updates/\?since=([0-9a-f]+)", page)[1]
            self.stamps[pk] = re.search(r'name="stamp" value="([^"]+)"', page)[1]
            found = re.findall(r'data-highlight-id="(\d+)"', page)
            self.highlights = sorted(set(map(int, found)))[:50] or self.highlights
        return pk

    def step(self):
        action = self.rng.choices(
            ["library", "reader", "highlight", "note", "reply", "poll", "search", "export"],
            weights=[2, 3, 2, 1, 1, 6, 1, 1],
        )[0]
        if action == "library":
            self.call("library", "GET", "/")
        elif action == "reader":
            self.read()
        elif action == "poll" and self.tokens:
            pk = self.rng.choice(list(self.tokens))
            response = self.call(
                "live-update poll",
                "GET",
                f"/articles/{pk}/updates/",
                params={"since": self.tokens[pk]},
                headers={"HX-Request": "true"},
            )
            if response is not None and response.status_code == 200:
                found = re.search(r"/updates/\?since=([0-9a-f]+)", response.text)
                self.tokens[pk] = found[1] if found else self.tokens[pk]
        elif action == "highlight" and self.stamps:
            pk = self.rng.choice(list(self.stamps))
            start = self.rng.randrange(0, 2000)
            data = {
                "start": start,
                "end": start + self.rng.randint(5, 60),
                "colour": "green",
                "stamp": self.stamps[pk],
            }
            response = self.post("highlight", f"/articles/{pk}/highlights/", data)
            if response is not None and response.status_code == 201:
                saved = re.search(
                    r'"id":\s*(\d+)', response.headers.get("HX-Trigger-After-Settle", "")
                )
                self.writes["highlight"].append(int(saved[1]))
        elif action == "note" and self.articles:
            marker = f"note {uuid.uuid4().hex}"
            pk = self.rng.choice(self.articles)
            response = self.post("note", f"/articles/{pk}/notes/", {"body": marker})
            if response is not None and response.status_code == 201:
                self.writes["note"].append(marker)
        elif action == "reply" and self.highlights:
            marker = f"reply {uuid.uuid4().hex}"
            pk = self.rng.choice(self.highlights)
            response = self.post("reply", f"/highlights/{pk}/replies/", {"body": marker})
            if response is not None and response.status_code == 201:
                self.writes["reply"].append(marker)
        elif action == "search":
            self.call("search", "GET", "/", params={"q": self.rng.choice(["ferry", "harbour"])})
        elif action == "export" and self.articles:
            pk = self.rng.choice(self.articles)
            self.call("export", "GET", f"/articles/{pk}/export/markdown/")
        if self.highlights and self.rng.random() < 0.15:
            self.call("small page (a highlight's)", "GET", f"/highlights/{self.highlights[0]}/")
        if self.rng.random() < 0.15:
            self.call("/healthz/", "GET", "/healthz/")

    def run(self, until):
        self.read()
        while time.monotonic() < until:
            self.step()


def check_writes(env, writes):
    """Each write the app answered as done, found exactly once in the database."""
    script = CHECK.replace("WRITES", repr(json.dumps(writes)))
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--database-url", default="", help="PostgreSQL (else SQLite)")
    options = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="newsreader-load-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsreader.settings",
        "SECRET_KEY": "load-" + "x" * 50,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(Path(directory) / "media"),
        # Not the checkout's staticfiles/, which `make serve` or another run may be serving.
        "STATIC_ROOT": str(Path(directory) / "static"),
        "PYTHONPATH": str(ROOT),
        # 25 members log in from one address: failures would be counted, successes not.
        "LOGIN_THROTTLE_ADDRESS": "1000",
    }
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
        name = options.database_url.rsplit("/", 1)[1].split("?")[0]
        admin = options.database_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["/usr/bin/psql", admin, "-qc", sql], check=True)  # noqa: S603
        database = "PostgreSQL"
    else:
        env["SQLITE_PATH"] = str(Path(directory) / "load.sqlite3")
        database = "SQLite"
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    seed = SEED.replace("USERS", str(options.users)).replace("PASSWORD", repr(PASSWORD))
    manage(env, "shell", "-c", seed)

    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our gunicorn, our arguments
        [str(Path(PYTHON).parent / "gunicorn"), "newsreader.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(options.workers), "-k", "gthread", "--threads", str(options.threads),
         "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "db_worker", "-v0"], cwd=ROOT, env=env, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if requests.get(base + "/healthz/", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        results, writes = [], {"highlight": [], "note": [], "reply": []}
        members = [
            Member(base, f"member{n}", results, writes, random.Random(n))
            for n in range(options.users)
        ]
        for member in members:
            member.log_in()
        until = time.monotonic() + options.seconds
        threads = [threading.Thread(target=m.run, args=(until,)) for m in members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    checked = check_writes(env, writes)
    report(database, options, results, checked)
    # A failure for CI: a 5xx or no answer, or a write lost or made twice.
    failed = any(not isinstance(status, int) or status >= 500 for _, status, _ in results)
    lost = any(checked[kind][0] != checked[kind][1] for kind in ("highlight", "note", "reply"))
    sys.exit(1 if failed or lost or checked["duplicate highlights"] else 0)


def report(database, options, results, checked):
    by_label = collections.defaultdict(list)
    statuses = collections.Counter()
    for label, status, ms in results:
        statuses[(label, status)] += 1
        if isinstance(status, int) and status < 400:
            by_label[label].append(ms)
    small = statistics.median(by_label["small page (a highlight's)"] or [1])
    print(
        f"load: {database}, {options.users} members of 2 teams, {options.seconds:.0f} s, "
        f"gunicorn {options.workers} gthread workers × {options.threads} threads + db_worker; "
        f"{len(results):,} requests"
    )
    print(
        f"{'endpoint':28} {'n':>6} {'median ms':>9} {'p95 ms':>8} {'p99 ms':>8} {'p95 ×small':>10}"
    )
    for label in sorted(by_label, key=lambda name: -len(by_label[name])):
        samples = sorted(by_label[label])
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
        p99 = samples[max(0, int(len(samples) * 0.99) - 1)]
        small_p95 = sorted(by_label["small page (a highlight's)"] or [1])
        small_p95 = small_p95[max(0, int(len(small_p95) * 0.95) - 1)]
        print(
            f"{label:28} {len(samples):6} {statistics.median(samples):9.1f} {p95:8.1f} "
            f"{p99:8.1f} {p95 / small_p95:10.2f}"
        )
    print("answers by status: " + ", ".join(
        f"{label} {status}: {count}" for (label, status), count in sorted(statuses.items(), key=str)
    ))  # fmt: skip
    errors = sum(c for (_, s), c in statuses.items() if not isinstance(s, int) or s >= 500)
    print(f"5xx or no answer: {errors}")
    for kind in ("highlight", "note", "reply"):
        found, written = checked[kind]
        print(f"{kind} writes the app answered as done: {written}; found exactly once: {found}")
    print(f"highlights stored twice for one author and range: {checked['duplicate highlights']}")
    print(f"(small page median: {small:.1f} ms)")


if __name__ == "__main__":
    main()
