import httpx2
from http_clients import get_default_client


async def call(url):
    try:
        (await get_default_client().get(url)).raise_for_status()
    except httpx2.HTTPStatusError:
        return "status"
    except httpx2.ConnectTimeout:
        return "connect timeout"
    except httpx2.ReadTimeout:
        return "read timeout"
    except httpx2.TimeoutException:
        return "timeout"
    except httpx2.TooManyRedirects:
        return "redirects"
    except httpx2.TransportError:
        return "connection"
    except httpx2.HTTPError:
        return "other"
    return "ok"
