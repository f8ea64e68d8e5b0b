from ..net.clients import get_default_client


async def fetch(url):
    return (await get_default_client().get(url)).json()
