import httpx
from http_clients import get_client


async def call(url):
    try:
        (await get_client("default").get(url)).raise_for_status()
    except httpx.HTTPStatusError:
        return "status"
    except httpx.ConnectTimeout:
        return "connect timeout"
    except httpx.ReadTimeout:
        return "read timeout"
    except httpx.TimeoutException:
        return "timeout"
    except httpx.TooManyRedirects:
        return "redirects"
    except httpx.TransportError:
        return "connection"
    except httpx.HTTPError:
        return "other"
    return "ok"
