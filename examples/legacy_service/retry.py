"""Delivery with retries: the back-off sleeps block the event loop."""

import time


async def deliver_with_retry(send, payload, attempts=3, backoff=0.2):
    for attempt in range(attempts):
        if send(payload):
            return True
        time.sleep(backoff * 2 ** attempt)
    return False
