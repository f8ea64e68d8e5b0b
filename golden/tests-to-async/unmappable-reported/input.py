from unittest import mock

import requests

from app import api


def test_sent(requests_mock):
    requests_mock.post("http://svc/items", json={})
    api.create_sync("x")
    assert requests_mock.last_request.json() == {"name": "x"}


def test_down():
    with mock.patch("app.api.requests.get", side_effect=requests.ConnectionError):
        assert api.items_sync() == []
