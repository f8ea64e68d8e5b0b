# asyncmig: skip-file
import requests


async def calls(url):
    requests.get(url)
