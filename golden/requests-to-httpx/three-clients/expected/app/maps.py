from .http_clients import get_maps_client

GEOCODE_URL = "https://maps.example.com/geocode/json"


async def get_location(lat, lon, key):
    response = await get_maps_client().get(
        GEOCODE_URL, params={"latlng": f"{lat},{lon}", "key": key}
    )
    if response.is_error:
        return None
    return response.json()["results"][0]
