import pytest

from app import jobs


@pytest.fixture
async def job():
    return await jobs.create()


async def test_run(job):
    assert await jobs.run(job) == "done"
