"""The service's behaviour against a real loopback HTTP server (unchanged by every phase)."""

import json

import fakedb
import pytest

from legacy_service.auth import fetch_token
from legacy_service.notify import notify_integrations
from legacy_service.reports import read_report, write_report
from legacy_service.retry import deliver_with_retry
from legacy_service.service import handle_recording
from legacy_service.store import save_recording
from legacy_service.tests.server import TOKEN, TRANSCRIPT
from legacy_service.transcribe import transcribe
from legacy_service.webhooks import deliver_webhook


@pytest.mark.asyncio
async def test_fetch_token_posts_client_credentials(server):
    token = await fetch_token(server.url, "svc", "s3cret")
    assert token == TOKEN
    [sent] = server.state.received
    assert sent.path == "/oauth/token"
    assert sent.json() == {"grant_type": "client_credentials", "client_id": "svc", "client_secret": "s3cret"}


@pytest.mark.asyncio
async def test_fetch_token_raises_on_a_wrong_secret(server):
    with pytest.raises(Exception) as info:
        await fetch_token(server.url, "svc", "wrong")
    assert "401" in str(info.value)


@pytest.mark.asyncio
async def test_transcribe_uploads_the_recording(server, recording):
    text = await transcribe(server.url, TOKEN, str(recording))
    assert text == TRANSCRIPT
    [sent] = server.state.received
    assert sent.path == "/v1/transcribe"
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert recording.read_bytes() in sent.body
    assert b'filename="recording.wav"' in sent.body


@pytest.mark.asyncio
async def test_webhook_is_delivered_once_when_accepted(server):
    status = await deliver_webhook(f"{server.url}/hooks/customer", {"type": "ping"})
    assert status == 200
    assert server.state.paths() == ["/hooks/customer"]
    assert server.state.received[0].json() == {"type": "ping"}


@pytest.mark.asyncio
async def test_webhook_retries_server_errors(server):
    status = await deliver_webhook(f"{server.url}/hooks/flaky", {"type": "ping"}, backoff=0.01)
    assert status == 200
    assert server.state.attempts["/hooks/flaky"] == 3


@pytest.mark.asyncio
async def test_webhook_gives_up_after_the_last_attempt(server):
    status = await deliver_webhook(f"{server.url}/hooks/down", {"type": "ping"}, attempts=2, backoff=0.01)
    assert status == 503
    assert server.state.attempts["/hooks/down"] == 2


@pytest.mark.asyncio
async def test_every_integration_is_notified(server):
    urls = [f"{server.url}/integrations/{name}" for name in ("crm", "chat", "tickets")]
    results = await notify_integrations(urls, {"type": "ping"})
    assert results == {url: 202 for url in urls}
    assert server.state.paths() == ["/integrations/chat", "/integrations/crm", "/integrations/tickets"]


@pytest.mark.asyncio
async def test_report_round_trip(tmp_path):
    path = await write_report(str(tmp_path), "call-1", {"b": 2, "a": [1, "x"]})
    assert path == str(tmp_path / "call-1.json")
    with open(path) as f:
        assert f.read() == '{\n  "a": [\n    1,\n    "x"\n  ],\n  "b": 2\n}'
    assert await read_report(path) == {"a": [1, "x"], "b": 2}


@pytest.mark.asyncio
async def test_deliver_with_retry_backs_off_until_send_succeeds():
    calls = []

    def send(payload):
        calls.append(payload)
        return len(calls) == 3

    assert await deliver_with_retry(send, {"n": 1}, attempts=3, backoff=0.01) is True
    assert calls == [{"n": 1}] * 3
    assert await deliver_with_retry(lambda payload: False, {}, attempts=2, backoff=0.01) is False


@pytest.mark.asyncio
async def test_save_recording_inserts_a_row(tmp_path):
    dsn = f"memory://{tmp_path.name}"
    await save_recording(dsn, "call-7", "/reports/call-7.json")
    assert fakedb.rows(dsn, "recordings") == [("call-7", "/reports/call-7.json")]


@pytest.mark.asyncio
async def test_handle_recording_end_to_end(server, config, recording, tmp_path):
    result = await handle_recording(config, "call-42", str(recording))
    expected = {
        "recording": "call-42",
        "text": TRANSCRIPT,
        "webhook_status": 200,
        "integrations": {url: 202 for url in config.integration_urls},
    }
    assert result == {"report": str(tmp_path / "reports" / "call-42.json"), **expected}
    with open(result["report"]) as f:
        assert json.load(f) == expected
    assert fakedb.rows(config.database, "recordings") == [("call-42", result["report"])]
    assert server.state.paths() == [
        "/hooks/customer",
        "/integrations/chat",
        "/integrations/crm",
        "/integrations/tickets",
        "/oauth/token",
        "/v1/transcribe",
    ]
