"""gunicorn's settings for newsreader; gunicorn reads ./gunicorn.conf.py by itself.

Threads, not one request per process: a gthread worker answers up to `threads`
requests at once, and its main thread keeps idle and slow-to-start connections
in a poller instead of a thread. A request body is read against the clock
(newsreader/limits.py: refused beyond its size, cut off when it stalls or
trickles), so a few slow clients hold a few threads for seconds, not the site.
In production a buffering reverse proxy takes slow clients off the app entirely
(DEPLOYMENT.md).

Sizing (WEB_WORKERS, WEB_THREADS): one worker process per core, 8 threads
each. Requests mostly wait on the database and the network, where Python
threads run in parallel; rendering holds the GIL, which more processes would
share out. On PostgreSQL each thread may keep a connection open: workers ×
threads (16 here) must stay under the server's max_connections.
"""

import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("WEB_WORKERS", os.cpu_count() or 1)
threads = _int("WEB_THREADS", 8)
# A worker process that stops answering its arbiter for this long is replaced
# (a hung process; a slow request in one thread does not trip it).
timeout = 30
# Ctrl-C or SIGTERM: requests in progress get this long to finish.
graceful_timeout = 10
# Idle kept-alive connections close after this long (they wait in the poller).
keepalive = 5
# The request line and headers stay small (gunicorn's defaults, stated).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Access log: off by default (ACCESS_LOG=- prints it); errors go to stderr.
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# No control socket in ~/.gunicorn (gunicorn ≥ 25 opens one by default).
control_socket_disable = True
