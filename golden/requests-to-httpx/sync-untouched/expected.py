import requests


def fetch(url):
    return requests.get(url, stream=True).raw


class Client:
    def post(self, url):
        return requests.post(url, data=self.body)
