import responses

from app import api


@responses.activate
async def test_get():
    responses.add(responses.GET, "http://svc/items", json=[1, 2], status=200)
    assert await api.items() == [1, 2]
    assert len(responses.calls) == 1


@responses.activate
async def test_post():
    responses.post("http://svc/items", body="created", status=201, headers={"X-Id": "7"})
    assert await api.create("x") == "created"


def reply(request):
    return (200, {}, "ok")


@responses.activate
async def test_callback():
    responses.add(responses.GET, "http://svc/ping", callback=reply)
    assert await api.ping() == "ok"
