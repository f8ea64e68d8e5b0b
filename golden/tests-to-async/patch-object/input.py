import unittest.mock as um

import requests

from app.users import lookup


@um.patch.object(requests, "get")
async def test_lookup(get):
    get.return_value.json.return_value = {"id": 1}
    assert await lookup(1) == {"id": 1}
