from unittest import mock

import responses

from app import api


@responses.activate
def test_items():
    responses.add(responses.GET, "http://svc/items", json=[1])


def test_mocked(requests_mock):
    requests_mock.get("http://svc/items", json=[1])


def test_patched():
    with mock.patch("httpx2.AsyncClient.get", return_value=mock.MagicMock()) as get:
        get.return_value.json.return_value = [1]
