"""Fan-out: tell every integration (CRM, chat, ticketing) about an event, in threads."""

import threading

import requests


def _notify(url, event, results):
    response = requests.post(url, json=event, timeout=10)
    results[url] = response.status_code


async def notify_integrations(urls, event):
    """Status code per integration URL."""
    results = {}
    threads = []
    for url in urls:
        t = threading.Thread(target=_notify, args=(url, event, results))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return results
