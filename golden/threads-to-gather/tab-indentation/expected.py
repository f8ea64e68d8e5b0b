import asyncio
import logging


def work(n, out):
	out.append(n)


async def run(numbers):
	out = []
	semaphore = asyncio.Semaphore(2)

	async def limited(task):
		async with semaphore:
			return await task

	outcomes = await asyncio.gather(
		*(limited(asyncio.to_thread(work, n, out)) for n in numbers),
		return_exceptions=True,
	)
	for outcome in outcomes:
		if isinstance(outcome, Exception):
			logging.getLogger(__name__).error("Exception in task work", exc_info=outcome)
	return out
