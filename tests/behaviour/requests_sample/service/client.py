"""Outbound HTTP calls of a small service, written with requests inside async handlers."""

import requests


async def post_json(base, payload):
    r = requests.post(base + "/json", json=payload, timeout=5)
    r.raise_for_status()
    return r.json()


async def search(base, query):
    return requests.get(base + "/query", {"q": query, "page": 2}, timeout=5).json()


async def follow(base):
    r = requests.get(base + "/redirect", timeout=5)
    return r.status_code, r.json(), len(r.history), r.url.endswith("/final")


async def no_follow(base):
    r = requests.get(base + "/redirect", allow_redirects=False, timeout=5)
    return r.status_code, r.headers["Location"]


async def head_info(base):
    r = requests.head(base + "/redirect", timeout=5)
    return r.status_code, r.headers.get("Location"), r.content


async def missing(base):
    r = requests.get(base + "/missing", timeout=5)
    return r.ok, r.status_code, r.reason, r.json()


async def redirect_ok(base):
    r = requests.get(base + "/redirect", allow_redirects=False, timeout=5)
    return r.ok


async def upload_raw(base, text):
    r = requests.post(base + "/echo", data=text.encode(), headers={"Content-Type": "text/plain"}, timeout=5)
    return r.content, r.headers["X-Received-Type"]


async def upload_form(base):
    r = requests.put(base + "/echo", data={"a": "1", "b": "two words"}, timeout=(2, 5))
    return r.content, r.headers["X-Received-Type"]


async def fetch_with_retry(base, key, attempts=4):
    for attempt in range(attempts):
        try:
            r = requests.get(base + "/flaky", params={"key": key}, timeout=5)
            r.raise_for_status()
            return attempt, r.json()
        except requests.exceptions.RequestException:
            continue
    return attempts, None


async def not_found_error(base):
    try:
        requests.get(base + "/missing", timeout=5).raise_for_status()
    except requests.HTTPError as e:
        return "http error", e.response.status_code
    return "no error", None


async def refused(port):
    try:
        requests.get(f"http://127.0.0.1:{port}/", timeout=5)
    except requests.ConnectionError:
        return "connection error"
    return "connected"


async def cookies(base):
    requests.get(base + "/set-cookie", timeout=5)
    return requests.get(base + "/cookies", timeout=5).json()


async def session_calls(base):
    with requests.Session() as s:
        a = s.get(base + "/query", params={"x": "1"}, timeout=5).json()
        b = s.post(base + "/json", json={"y": 2}, timeout=5).json()
    return a, b


async def slow(base):
    r = requests.get(base + "/slow", timeout=5)
    return r.status_code


def sync_probe(base):
    return requests.get(base + "/final", timeout=5).json()
