"""Sync helpers, as a service grows them: they call ``requests`` and are called from async code."""

import requests


def get_price(base, item):
    response = requests.get(f"{base}/price", params={"item": item}, timeout=5)
    response.raise_for_status()
    return response.json()["price"]


def basket_total(base, items):
    total = 0
    for item in items:
        total += get_price(base, item)
    return total
