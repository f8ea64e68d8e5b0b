import unittest

import pytest

from svc import jobs


@pytest.mark.anyio
async def test_settle():
    assert await jobs.settle(0) == "settled"


@pytest.mark.anyio
async def test_run_job():
    assert await jobs.run_job() == "settled"


class BackoffTest(unittest.TestCase):
    def test_backoff(self):
        self.assertEqual(jobs.backoff(2), 4)
