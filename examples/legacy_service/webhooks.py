"""Webhook delivery: POST the event, retry server errors with exponential back-off."""

import time

import requests


async def deliver_webhook(url, event, attempts=3, backoff=0.05):
    """Returns the last status code (2xx/4xx at once, 5xx after ``attempts`` tries)."""
    status = 0
    for attempt in range(attempts):
        response = requests.post(url, json=event, timeout=10)
        status = response.status_code
        if status < 500:
            return status
        time.sleep(backoff * 2 ** attempt)
    return status
