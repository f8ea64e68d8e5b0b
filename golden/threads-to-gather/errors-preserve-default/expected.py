import asyncio
import logging


def send(hook, payload):
    hook.post(payload)


async def broadcast(hooks, payload):
    outcomes = await asyncio.gather(
        *(asyncio.to_thread(send, hook, payload) for hook in hooks),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in task send", exc_info=outcome
            )
