import requests

GEOCODE_URL = "https://maps.example.com/geocode/json"


async def get_location(lat, lon, key):
    response = requests.get(GEOCODE_URL, params={"latlng": f"{lat},{lon}", "key": key})
    if not response.ok:
        return None
    return response.json()["results"][0]
