from unittest import mock

from app import api
import httpx


def make_response(data):
    response = mock.Mock(spec=httpx.Response)
    response.json.return_value = data
    return response
