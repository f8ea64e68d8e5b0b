"""Loopback servers for the per-service client behaviour tests (127.0.0.1, port 0).

``/hook`` (POST) verifies an HMAC-SHA256 signature over the raw body, as a webhook
receiver does (``X-Signature: sha256=<hex>``, secret ``SECRET``): 200 with the parsed event,
or 401. ``/geo?q=...`` answers after ``DELAY`` seconds and counts the requests in flight
(``Server.peak``). ``/whoami`` answers ``{"tls": true}``; ``serve(tls=...)`` wraps the socket
in TLS with a certificate the caller made (trustme), so only a client trusting that CA
gets through.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import ssl
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qsl, urlsplit

SECRET = b"whsec_loopback"
DELAY = 0.05


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def reset(self) -> None:
        with self.lock:
            self.in_flight = self.peak = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _json(self, status: int, value: object) -> None:
        body = json.dumps(value, sort_keys=True).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/geo":
            server = self.server
            with server.lock:
                server.in_flight += 1
                server.peak = max(server.peak, server.in_flight)
            time.sleep(DELAY)
            with server.lock:
                server.in_flight -= 1
            self._json(200, {"q": dict(parse_qsl(url.query)).get("q"), "lat": 48.85})
        elif url.path == "/whoami":
            self._json(200, {"tls": isinstance(self.connection, ssl.SSLSocket)})
        else:
            self._json(404, {"error": url.path})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, self.headers.get("X-Signature", "")):
            self._json(200, {"verified": True, "event": json.loads(body)})
        else:
            self._json(401, {"verified": False})


@contextmanager
def serve(tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, Server]]:
    server = Server(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if tls is not None else "http"
    host = "localhost" if tls is not None else "127.0.0.1"  # the certificate names localhost
    try:
        yield f"{scheme}://{host}:{server.server_address[1]}", server
    finally:
        server.shutdown()
        server.server_close()
