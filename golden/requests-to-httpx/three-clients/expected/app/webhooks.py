import logging

import httpx2
import requests

from .http_clients import get_webhooks_client

log = logging.getLogger(__name__)


async def send_transcript(url, transcript):
    try:
        response = await get_webhooks_client().post(
            url, json={"segments": transcript}, timeout=15
        )
        response.raise_for_status()
    except httpx2.HTTPError as exc:
        log.warning("webhook %s failed: %s", url, exc)
        return False
    return True


def send_from_worker(url, transcript):
    """Sync code (a worker thread) keeps requests."""
    return requests.post(url, json={"segments": transcript}, timeout=15).ok
