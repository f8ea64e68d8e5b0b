from ..net.clients import get_client


async def fetch(url):
    return (await get_client("default").get(url)).json()
