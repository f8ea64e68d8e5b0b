from unittest.mock import Mock

import pytest
import requests


@pytest.fixture
def mock_get_request(mocker):
    mock = Mock()
    mocker.patch("requests.get", return_value=mock)
    return mock


@pytest.fixture
def mock_post(mocker):
    return mocker.patch.object(requests, "post")
