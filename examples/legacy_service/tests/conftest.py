"""Fixtures: one loopback server for the session, reset before each test."""

import pytest

from legacy_service.settings import ServiceConfig
from legacy_service.tests.server import WAV, LoopbackServer


@pytest.fixture(scope="session")
def _server():
    with LoopbackServer() as server:
        yield server


@pytest.fixture
def server(_server):
    _server.state.reset()
    return _server


@pytest.fixture
def recording(tmp_path):
    path = tmp_path / "call-42.wav"
    path.write_bytes(WAV)
    return path


@pytest.fixture
def config(server, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    return ServiceConfig(
        api_url=server.url,
        webhook_url=f"{server.url}/hooks/customer",
        reports_dir=str(reports),
        database=f"memory://{tmp_path.name}",
        integration_urls=tuple(f"{server.url}/integrations/{name}" for name in ("crm", "chat", "tickets")),
    )
