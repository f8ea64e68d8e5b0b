import asyncio

from jobs.retry import attempt


async def run(task):
    ok = await asyncio.to_thread(attempt, task, 3)
    return "done" if ok else "failed"
