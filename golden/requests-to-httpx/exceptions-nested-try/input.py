import requests


async def call(url, log):
    try:
        try:
            r = requests.get(url)
            r.raise_for_status()
        except requests.HTTPError as e:
            log(e.response.status_code)
            raise
        finally:
            log("done")
    except requests.RequestException:
        return None
    try:
        log("no request here")
    except requests.RequestException:
        pass
