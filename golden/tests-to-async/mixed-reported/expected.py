from unittest import mock


def test_pull():
    with mock.patch("app.sync.requests.get") as get:
        get.return_value.json.return_value = []


def test_module():
    with mock.patch("app.sync.requests") as requests:
        requests.get.return_value.json.return_value = []
