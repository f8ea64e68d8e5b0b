from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden expected files from the codemods' current output (review the diff!).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="module")
def price_server_url():
    """A loopback price server for one test module (see tests/support.py)."""
    from support import price_server

    with price_server().serve() as url:
        yield url
