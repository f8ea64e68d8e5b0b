"""A real HTTP server on 127.0.0.1 that plays the service's collaborators.

It runs in its own thread, so a blocking client in the event loop's thread still gets its
answer (slowly): exactly what the service does in production. ``delay`` makes every
answer take that long, like a slow remote API.

- ``POST /oauth/token``           → ``{"access_token": ...}`` (401 for a wrong secret)
- ``POST /v1/transcribe``         → ``{"text": ...}`` (401 without the bearer token)
- ``POST /hooks/<name>``          → 200; ``/hooks/flaky`` answers 503 twice first,
                                    ``/hooks/down`` always 503
- ``POST /integrations/<name>``   → 202
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "tok-legacy-123"
SECRET = "s3cret"
TRANSCRIPT = "hello from the loopback speech api"


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class State:
    delay: float = 0.0
    received: list = field(default_factory=list)
    attempts: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self, delay: float = 0.0) -> None:
        with self.lock:
            self.delay = delay
            self.received.clear()
            self.attempts.clear()

    def paths(self) -> list:
        with self.lock:
            return sorted(r.path for r in self.received)


class _Handler(BaseHTTPRequestHandler):
    state: State  # set on the subclass made per server

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        state = self.state
        with state.lock:
            state.received.append(Received(self.path, dict(self.headers), body))
            attempt = state.attempts[self.path] = state.attempts.get(self.path, 0) + 1
            delay = state.delay
        if delay:
            time.sleep(delay)
        status, payload = self.route(body, attempt)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self, body: bytes, attempt: int):
        path = self.path
        if path == "/oauth/token":
            sent = json.loads(body or b"{}")
            if sent.get("client_secret") != SECRET:
                return 401, {"error": "invalid_client"}
            return 200, {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}
        if path == "/v1/transcribe":
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401, {"error": "unauthorized"}
            if b"RIFF" not in body or b"multipart/form-data" not in self.headers.get("Content-Type", "").encode():
                return 400, {"error": "expected a multipart upload of a WAV file"}
            return 200, {"text": TRANSCRIPT}
        if path == "/hooks/flaky":
            return (503, {"error": "try later"}) if attempt <= 2 else (200, {"ok": True})
        if path == "/hooks/down":
            return 503, {"error": "down"}
        if path.startswith("/hooks/"):
            return 200, {"ok": True}
        if path.startswith("/integrations/"):
            return 202, {"queued": True}
        return 404, {"error": "not found"}


class LoopbackServer:
    """``with LoopbackServer() as server: server.url`` — stopped on exit."""

    def __init__(self) -> None:
        self.state = State()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="loopback", daemon=True)

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(32))


def wait_until_serving(url: str, process=None, timeout: float = 60.0) -> None:
    """Return once ``url`` answers; raise when ``process`` (a Popen) exits or time runs out."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode}) before {url} answered") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout:g} s") from None
            time.sleep(0.1)
