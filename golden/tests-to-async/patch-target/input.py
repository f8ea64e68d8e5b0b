from unittest.mock import patch

import pytest

from app import notify


@patch("app.notify.requests.post")
async def test_notify(post):
    post.return_value.status_code = 204
    assert await notify.send("hi") is True
    post.assert_called_once()


class TestRetry:
    async def test_gives_up(self):
        with patch("app.notify.requests.post", side_effect=OSError("down")):
            assert await notify.send("hi") is False

    def test_unrelated(self):
        with patch("app.other.requests.post") as post:
            assert post is not None
