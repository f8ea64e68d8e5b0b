import requests


def download(url):
    response = requests.get(url, stream=True, timeout=5)
    return b"".join(response.iter_content(1024))


def status(url):
    return requests.head(url, timeout=5).status_code
