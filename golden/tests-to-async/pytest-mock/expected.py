from unittest.mock import Mock

import httpx
import pytest


@pytest.fixture
def mock_get_request(mocker):
    mock = Mock()
    mocker.patch("httpx.AsyncClient.get", return_value=mock)
    return mock


@pytest.fixture
def mock_post(mocker):
    return mocker.patch.object(
        httpx.AsyncClient, "post", return_value=mocker.MagicMock()
    )
