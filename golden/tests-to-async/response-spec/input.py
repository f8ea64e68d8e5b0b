from unittest import mock

import requests

from app import api


def make_response(data):
    response = mock.Mock(spec=requests.Response)
    response.json.return_value = data
    return response
