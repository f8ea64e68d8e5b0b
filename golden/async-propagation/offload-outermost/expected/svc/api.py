import asyncio

from svc.service import describe, load_all


async def list_records(keys):
    return await asyncio.to_thread(load_all, keys)


async def summary(keys):
    return {"text": await asyncio.to_thread(describe, keys)}
