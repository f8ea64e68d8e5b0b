"""Per-service clients keep requests' bytes, trust and bounds: original vs migrated, on both libraries.

``tests/behaviour/clients_sample/service`` (three services calling ``requests`` from async
code: a signed webhook, a geocoder called 20 times at once, an identity provider behind
TLS) is copied and migrated with ``asyncmig run requests-to-httpx`` under a three-client
migrations.toml (``webhooks``, ``maps`` with ``max_concurrency = 4``, ``auth``), once with
``library = "httpx"`` and once with ``"httpx2"``. Against loopback servers:

- the webhook receiver verifies an HMAC over the raw body: it accepts both the original
  and the migrated call (httpx's own compact JSON would be rejected: the control);
- the TLS server's CA is known only through ``REQUESTS_CA_BUNDLE``: both get through (a
  client with the library's default trust does not: the control);
- 20 gathered geocoder calls: the same results, the server never sees more than 4 in
  flight, and the event loop never stalls 50 ms.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import load_module, measure

SAMPLE = Path(__file__).resolve().parent / "behaviour" / "clients_sample"
server = load_module(SAMPLE / "server.py", "clients_sample_server", register=True)
trustme = pytest.importorskip("trustme")

LIBRARIES = [
    "httpx",
    pytest.param("httpx2", marks=pytest.mark.skipif(
        importlib.util.find_spec("httpx2") is None, reason="httpx2 needs Python 3.11+")),
]
EVENT = {"type": "transcript.created", "text": "Zoë à la café", "segments": [1, 2.5, None]}


@pytest.fixture(scope="module")
def ca_bundle(tmp_path_factory):
    """A private CA (as a corporate network has) and the environment that names it."""
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "corporate-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    patch = pytest.MonkeyPatch()
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE"):
        patch.delenv(name, raising=False)
    patch.setenv("REQUESTS_CA_BUNDLE", str(path))
    yield ca
    patch.undo()


@pytest.fixture(scope="module")
def tls_url(ca_bundle):
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca_bundle.issue_cert("localhost").configure_cert(context)
    with server.serve(tls=context) as (url, _server):
        yield url


@pytest.fixture(scope="module")
def http():
    with server.serve() as running:
        yield running


@pytest.fixture(scope="module", params=LIBRARIES)
def migration(request, tmp_path_factory, ca_bundle):
    """(library, original package, migrated package, migrated sources by file name)."""
    library = request.param
    package = f"csample_{library}"
    work = tmp_path_factory.mktemp(f"clients_{library}")
    shutil.copytree(SAMPLE / "service", work / package)
    config = (SAMPLE / "migrations.toml.in").read_text()
    (work / "migrations.toml").write_text(config.replace("@LIBRARY@", library).replace("@PACKAGE@", package))
    (work / ".git").mkdir()  # the plan's repository root
    proc = subprocess.run(
        [sys.executable, "-m", "asyncmig", "--config", "migrations.toml", "run", "requests-to-httpx", package],
        cwd=work, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 skips, 0 errors" in proc.stderr + proc.stdout, proc.stderr
    originals = {
        name: load_module(SAMPLE / "service" / f"{name}.py", f"csample_original_{name}")
        for name in ("webhooks", "maps", "auth")
    }
    sys.path.insert(0, str(work))
    try:  # the environment (REQUESTS_CA_BUNDLE) is read when the client module is imported
        migrated = {name: importlib.import_module(f"{package}.{name}") for name in originals}
        clients = importlib.import_module(f"{package}.http_clients")
    finally:
        sys.path.remove(str(work))
    sources = {p.name: p.read_text() for p in (work / package).glob("*.py")}
    yield library, originals, migrated, clients, sources
    for name in [n for n in sys.modules if n.startswith(package)]:
        del sys.modules[name]


def test_call_sites_read_like_the_hand_written_module(migration) -> None:
    library, _originals, _migrated, _clients, sources = migration
    assert sources["webhooks.py"].splitlines()[4:9] == [
        "import json",
        "",
        "from .http_clients import get_webhooks_client",
        "",
        "",
    ]
    assert (  # past 88 columns: split the way ruff format splits it
        "    response = await get_webhooks_client().post(\n"
        '        url, json=event, headers={"X-Signature": sign(secret, event)}, timeout=5\n'
        "    )\n"
    ) in sources["webhooks.py"]
    assert '    response = await get_maps_client().get(\n        f"{base}/geo", params={"q": query}, timeout=5\n    )\n' in sources["maps.py"]
    assert '    response = await get_auth_client().get(f"{base}/whoami", timeout=5)' in sources["auth.py"]
    module = sources["http_clients.py"]
    for name in ("default", "webhooks", "maps", "auth"):
        assert f"def get_{name}_client() -> {library}.AsyncClient:\n" in module
    assert '        "max_concurrency": 4,\n' in module
    assert "async def aclose_clients() -> None:" in module
    assert not any("import requests" in sources[n] for n in ("webhooks.py", "maps.py", "auth.py"))


async def _aclose(clients) -> None:
    await clients.aclose_clients()


@pytest.mark.asyncio
async def test_the_receiver_verifies_the_signed_webhook_before_and_after(migration, http) -> None:
    _library, originals, migrated, clients, _sources = migration
    url = f"{http[0]}/hook"
    expected = await originals["webhooks"].deliver(url, server.SECRET, EVENT)
    try:
        got = await migrated["webhooks"].deliver(url, server.SECRET, EVENT)
    finally:
        await _aclose(clients)
    assert expected == (200, {"verified": True, "event": EVENT})
    assert got == expected


@pytest.mark.asyncio
async def test_control_httpx_own_json_bytes_fail_the_signature(migration, http) -> None:
    library = importlib.import_module(migration[0])
    signature = migration[1]["webhooks"].sign(server.SECRET, EVENT)
    async with library.AsyncClient() as plain:
        response = await plain.post(f"{http[0]}/hook", json=EVENT, headers={"X-Signature": signature})
    assert response.status_code == 401  # compact JSON: not the bytes that were signed


@pytest.mark.asyncio
async def test_tls_with_the_ca_from_requests_ca_bundle_before_and_after(migration, tls_url) -> None:
    _library, originals, migrated, clients, _sources = migration
    expected = await originals["auth"].whoami(tls_url)
    try:
        got = await migrated["auth"].whoami(tls_url)
    finally:
        await _aclose(clients)
    assert expected == got == (200, {"tls": True})


@pytest.mark.asyncio
async def test_control_the_library_default_trust_rejects_that_ca(migration, tls_url) -> None:
    library = importlib.import_module(migration[0])
    async with library.AsyncClient() as plain:
        with pytest.raises(library.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await plain.get(f"{tls_url}/whoami")


@pytest.mark.asyncio
async def test_twenty_gathered_calls_stay_within_max_concurrency(migration, http) -> None:
    _library, originals, migrated, clients, _sources = migration
    base, running = http
    queries = [f"place {i}" for i in range(20)]
    running.reset()
    expected = [await originals["maps"].geocode(base, q) for q in queries]
    assert running.peak == 1  # requests: one at a time, the loop blocked
    stalls = []
    for _attempt in range(3):  # a busy shared machine delays wake-ups: the best of three counts
        running.reset()
        try:  # cold: the client, its connections and the first requests are measured too
            got, stall, elapsed = await measure(
                asyncio.gather(*(migrated["maps"].geocode(base, q) for q in queries))
            )
        finally:
            await _aclose(clients)
        assert got == expected
        assert running.peak == 4, f"peak in flight {running.peak}, max_concurrency is 4"
        assert elapsed >= 5 * server.DELAY  # 20 calls, 4 at a time
        stalls.append(stall)
        if stall < 0.05:
            break
    assert min(stalls) < 0.05, f"the event loop stalled {[round(s * 1000) for s in stalls]} ms"


@pytest.mark.asyncio
async def test_the_blocking_original_stalls_the_loop(migration, http) -> None:
    """The stall measurement sees blocking: the originals hold the loop for the whole call."""
    originals = migration[1]
    _result, stall, _ = await measure(originals["maps"].geocode(http[0], "x"))
    assert stall >= server.DELAY * 0.8
