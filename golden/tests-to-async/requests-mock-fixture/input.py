from app import api


async def test_items(requests_mock):
    requests_mock.get("http://svc/items", json=[1], status_code=200)
    requests_mock.get("http://svc/unused", text="never")
    assert await api.items() == [1]
    assert requests_mock.call_count == 1
