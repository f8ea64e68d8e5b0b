"""An identity provider behind TLS, its CA given by the environment (REQUESTS_CA_BUNDLE)."""

import requests


async def whoami(base):
    response = requests.get(f"{base}/whoami", timeout=5)
    return response.status_code, response.json()
