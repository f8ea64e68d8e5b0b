from typing import Optional, Tuple, Union

import requests

TIMEOUT = 30
PAIR: Tuple[float, float] = (3.0, 30.0)


class Settings:
    REQUEST_TIMEOUT: int = 20
    RETRIES = 3


settings = Settings()


async def upload(url, chunk: bytearray, blob: bytes, form: dict, extra: Optional[bytes] = None, timeout: int = 10):
    requests.post(url, data=chunk, timeout=timeout)
    requests.post(url, data=blob, timeout=TIMEOUT)
    requests.post(url, data=form, timeout=PAIR)
    requests.post(url, data=extra, timeout=settings.REQUEST_TIMEOUT)


async def choose(url, fast, body, spec: Union[float, Tuple[float, float]], wait=5):
    if fast:
        limit = 2
    else:
        limit = 2.5
    requests.get(url, timeout=limit)
    requests.get(url, timeout=wait)
    requests.get(url, timeout=spec)
    requests.post(url, data=body)
    requests.get(url, timeout=settings.lookup("timeout"))


class Uploader:
    timeout: float = 5.0

    def __init__(self, base: str, memo: memoryview):
        self.base = base
        self.memo = memo

    async def send(self):
        requests.post(self.base, data=self.memo, timeout=self.timeout)
        requests.post(self.base, data=self.base, timeout=self.missing)
