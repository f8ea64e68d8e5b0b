from unittest import mock

import pytest

from app.api import fetch_user


@pytest.fixture
def alice():
    with mock.patch("app.api.requests.get") as get:
        get.return_value.json.return_value = {"name": "alice"}
        yield fetch_user(1)
