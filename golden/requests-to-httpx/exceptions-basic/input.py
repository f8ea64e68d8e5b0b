import requests


async def call(url):
    try:
        requests.get(url).raise_for_status()
    except requests.exceptions.HTTPError:
        return "status"
    except requests.exceptions.ConnectTimeout:
        return "connect timeout"
    except requests.exceptions.ReadTimeout:
        return "read timeout"
    except requests.exceptions.Timeout:
        return "timeout"
    except requests.exceptions.TooManyRedirects:
        return "redirects"
    except requests.exceptions.ConnectionError:
        return "connection"
    except requests.exceptions.RequestException:
        return "other"
    return "ok"
