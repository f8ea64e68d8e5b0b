from http_clients import get_client


async def publish(url, event):
    await get_client("default").post(url, json=event, timeout=5)
