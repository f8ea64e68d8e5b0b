import httpx
import pytest
from app import api


@pytest.mark.respx(assert_all_called=False)
@pytest.mark.asyncio
async def test_items(respx_mock):
    respx_mock.get("http://svc/items").mock(return_value=httpx.Response(200, json=[1]))
    respx_mock.get("http://svc/unused").mock(
        return_value=httpx.Response(200, text="never")
    )
    assert await api.items() == [1]
    assert respx_mock.calls.call_count == 1
