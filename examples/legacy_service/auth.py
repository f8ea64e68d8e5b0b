"""OAuth client-credentials token for the speech API."""

import requests


async def fetch_token(api_url, client_id, client_secret):
    response = requests.post(
        f"{api_url}/oauth/token",
        json={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]
