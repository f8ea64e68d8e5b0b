from unittest import mock

import responses

from app import cli


@responses.activate
def test_main():
    responses.add(responses.GET, "http://svc/x", json={})
    with mock.patch("app.cli.requests.get") as get:
        cli.main()
        get.assert_called_once()
