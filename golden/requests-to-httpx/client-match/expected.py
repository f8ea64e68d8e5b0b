from .http_clients import get_client


async def deliver(url, event):
    await get_client("webhooks").post(url, json=event)
