from unittest import mock

import pytest
import pytest_asyncio

from app.api import fetch_user


@pytest_asyncio.fixture
async def alice():
    with mock.patch("httpx.AsyncClient.get", return_value=mock.MagicMock()) as get:
        get.return_value.json.return_value = {"name": "alice"}
        yield await fetch_user(1)
