from .http_clients import get_webhooks_client


async def deliver(url, event):
    await get_webhooks_client().post(url, json=event)
