from unittest import mock

import httpx
import pytest
import respx

from app import api


@pytest.mark.asyncio
async def test_fetch_user_patch():
    with mock.patch("httpx.AsyncClient.get", return_value=mock.MagicMock()) as get:
        get.return_value.json.return_value = {"name": "bob"}
        assert await api.fetch_user(2) == {"name": "bob"}
    get.assert_called_once_with(f"{api.API}/users/2", timeout=5)


@mock.patch.object(httpx.AsyncClient, "post", return_value=mock.MagicMock())
@pytest.mark.asyncio
async def test_post_event(post):
    post.return_value.status_code = 201
    assert await api.post_event("x") == 201
    post.assert_called_once_with(f"{api.API}/events", json={"name": "x"}, timeout=5)


@respx.mock
@pytest.mark.asyncio
async def test_fetch_user_responses():
    respx.get(f"{api.API}/users/3").mock(
        return_value=httpx.Response(200, json={"name": "carol"})
    )
    assert await api.fetch_user(3) == {"name": "carol"}


@pytest.mark.respx(assert_all_called=False)
@pytest.mark.asyncio
async def test_fetch_user_requests_mock(respx_mock):
    respx_mock.get(f"{api.API}/users/4").mock(
        return_value=httpx.Response(200, json={"name": "dan"})
    )
    assert await api.fetch_user(4) == {"name": "dan"}
    assert respx_mock.calls.called


def test_alice(alice):
    assert alice == {"name": "alice"}


def test_unrelated():
    assert api.API.startswith("http")


@pytest.mark.asyncio
async def test_profile():
    with mock.patch("httpx.AsyncClient.get", return_value=mock.MagicMock()) as get:
        get.return_value.json.return_value = {"name": "eve"}
        assert await api.profile(5) == {"user": {"name": "eve"}}
