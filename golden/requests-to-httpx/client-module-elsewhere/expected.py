from shared.net.http_clients import get_default_client


async def charge(url, amount):
    return (await get_default_client().post(url, json={"amount": amount})).json()
