from unittest import mock

import pytest
import requests
import responses

from app import api


def test_fetch_user_patch():
    with mock.patch("app.api.requests.get") as get:
        get.return_value.json.return_value = {"name": "bob"}
        assert api.fetch_user(2) == {"name": "bob"}
    get.assert_called_once_with(f"{api.API}/users/2", timeout=5)


@mock.patch.object(requests, "post")
def test_post_event(post):
    post.return_value.status_code = 201
    assert api.post_event("x") == 201
    post.assert_called_once_with(f"{api.API}/events", json={"name": "x"}, timeout=5)


@responses.activate
def test_fetch_user_responses():
    responses.add(responses.GET, f"{api.API}/users/3", json={"name": "carol"}, status=200)
    assert api.fetch_user(3) == {"name": "carol"}


def test_fetch_user_requests_mock(requests_mock):
    requests_mock.get(f"{api.API}/users/4", json={"name": "dan"})
    assert api.fetch_user(4) == {"name": "dan"}
    assert requests_mock.called


def test_alice(alice):
    assert alice == {"name": "alice"}


def test_unrelated():
    assert api.API.startswith("http")


@pytest.mark.asyncio
async def test_profile():
    with mock.patch("app.api.requests.get") as get:
        get.return_value.json.return_value = {"name": "eve"}
        assert await api.profile(5) == {"user": {"name": "eve"}}
