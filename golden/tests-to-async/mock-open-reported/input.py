from unittest import mock

from app import store


def test_save():
    m = mock.mock_open()
    with mock.patch("builtins.open", m):
        store.save_sync("out.txt", "data")
    m.assert_called_once_with("out.txt", "w")
