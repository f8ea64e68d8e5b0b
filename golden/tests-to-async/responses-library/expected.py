import responses

from app import api
import httpx
import pytest
import respx


@respx.mock
@pytest.mark.asyncio
async def test_get():
    respx.get("http://svc/items").mock(return_value=httpx.Response(200, json=[1, 2]))
    assert await api.items() == [1, 2]
    assert len(respx.calls) == 1


@respx.mock
@pytest.mark.asyncio
async def test_post():
    respx.post("http://svc/items").mock(
        return_value=httpx.Response(201, text="created", headers={"X-Id": "7"})
    )
    assert await api.create("x") == "created"


def reply(request):
    return (200, {}, "ok")


@responses.activate
@pytest.mark.asyncio
async def test_callback():
    responses.add(responses.GET, "http://svc/ping", callback=reply)
    assert await api.ping() == "ok"
