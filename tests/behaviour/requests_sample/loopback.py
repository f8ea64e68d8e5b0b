"""A loopback HTTP server for the requests-to-httpx behaviour tests (127.0.0.1, port 0).

Endpoints: ``/json`` (POST: echoes the JSON body), ``/query`` (echoes the query string),
``/redirect`` (302 → ``/final``), ``/final``, ``/missing`` (404), ``/echo`` (POST: echoes the
raw body and its content type), ``/slow`` (answers after 300 ms), ``/flaky?key=K`` (503 on
the first two calls per key, then 200), ``/set-cookie`` and ``/cookies`` (echoes the Cookie
header). HEAD works on every GET endpoint.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qsl, urlsplit

SLOW_SECONDS = 0.3


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    flaky: Counter = Counter()
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(value, sort_keys=True).encode(), headers=headers)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        if url.path == "/query":
            self._json(200, {"query": sorted(parse_qsl(url.query)), "method": self.command})
        elif url.path == "/redirect":
            self._send(302, b"", headers={"Location": "/final"})
        elif url.path == "/final":
            self._json(200, {"final": True})
        elif url.path == "/missing":
            self._json(404, {"error": "not found"})
        elif url.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._json(200, {"slow": True})
        elif url.path == "/flaky":
            with self.lock:
                self.flaky[query.get("key", "")] += 1
                count = self.flaky[query.get("key", "")]
            if count <= 2:
                self._json(503, {"attempt": count})
            else:
                self._json(200, {"attempt": count})
        elif url.path == "/set-cookie":
            self._json(200, {"set": True}, headers={"Set-Cookie": "session=abc; Path=/"})
        elif url.path == "/cookies":
            self._json(200, {"cookie": self.headers.get("Cookie")})
        else:
            self._json(404, {"error": url.path})

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path == "/json":
            self._json(200, {"received": json.loads(body), "type": self.headers.get("Content-Type")})
        elif url.path == "/echo":
            self._send(200, body, "application/octet-stream",
                       {"X-Received-Type": self.headers.get("Content-Type") or ""})
        else:
            self._json(404, {"error": url.path})

    do_PUT = do_POST


@contextmanager
def serve() -> Iterator[str]:
    """Run the server in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
