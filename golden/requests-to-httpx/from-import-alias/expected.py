from http_clients import get_default_client


async def publish(url, event):
    await get_default_client().post(url, json=event, timeout=5)
