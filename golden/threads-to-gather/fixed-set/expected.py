import asyncio
import logging


def load_users(out):
    out["users"] = ["ada", "linus"]


def load_orders(out, day, *, limit=10):
    out["orders"] = list(range(limit))


async def dashboard(day):
    out = {}
    outcomes = await asyncio.gather(
        asyncio.to_thread(load_users, out),
        asyncio.to_thread(load_orders, out, day, limit=50),
        return_exceptions=True,
    )
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Exception in a fan-out task", exc_info=outcome
            )
    return out
