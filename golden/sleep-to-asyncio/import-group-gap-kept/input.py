"""Polling helpers."""

import os

from time import sleep


async def wait_for(path):
    while not os.path.exists(path):
        sleep(0.5)
