import pytest

from app import api


@pytest.fixture
async def client():
    yield await api.connect()


async def test_here(client):
    assert client
