import asyncio
import logging

from net.work import ping


async def check_all(hosts):
    results = {}
    outcomes = await asyncio.gather(
        *(ping(host, results) for host in hosts),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in task ping", exc_info=outcome
            )
    return results
