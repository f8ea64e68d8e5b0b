from shared.net.http_clients import get_client


async def charge(url, amount):
    return (await get_client("default").post(url, json={"amount": amount})).json()
