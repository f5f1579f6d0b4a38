"""A local web site for tests that fetch or open pages: never the internet.

    with serve({"/page": PAGE}) as site:      # other paths answer 404
        fetch(f"{site.url}/page")
    with serve(default=PAGE) as site: ...     # every path answers PAGE

A page is bytes (served as HTML) or (status, content type, bytes). The query
string is ignored. `site.methods` records the methods that came in; anything
but GET and HEAD is refused with 405.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


@dataclass
class Site:
    url: str
    methods: set = field(default_factory=set)


def _answer(page):
    if isinstance(page, bytes):
        return 200, HTML, page
    return page


@contextmanager
def serve(pages=None, *, default=None):
    pages = pages or {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.server.site.methods.add(self.command)
            page = pages.get(self.path.split("?")[0], default)
            status, kind, body = _answer(page) if page is not None else (404, "text/plain", b"gone")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_HEAD = do_GET

        def do_POST(self):
            self.server.site.methods.add(self.command)
            self.send_error(405)

        do_PUT = do_PATCH = do_DELETE = do_POST

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.site = Site(f"http://127.0.0.1:{httpd.server_address[1]}")
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.site
    finally:
        httpd.shutdown()
        httpd.server_close()
