from requests import post as send


async def publish(url, event):
    send(url, json=event, timeout=5)
