"""Polling helpers."""

import os

import asyncio


async def wait_for(path):
    while not os.path.exists(path):
        await asyncio.sleep(0.5)
