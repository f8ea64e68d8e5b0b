import unittest.mock as um

from app.users import lookup
import httpx
import pytest


@um.patch.object(httpx.AsyncClient, "get", return_value=um.MagicMock())
@pytest.mark.asyncio
async def test_lookup(get):
    get.return_value.json.return_value = {"id": 1}
    assert await lookup(1) == {"id": 1}
