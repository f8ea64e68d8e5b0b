from ..http_clients import get_default_client


async def load(url):
    return (await get_default_client().get(url)).json()
