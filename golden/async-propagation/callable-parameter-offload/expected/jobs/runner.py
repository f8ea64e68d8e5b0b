from jobs.retry import attempt
import asyncio


async def run(task):
    ok = await asyncio.to_thread(attempt, task, 3)
    return "done" if ok else "failed"
