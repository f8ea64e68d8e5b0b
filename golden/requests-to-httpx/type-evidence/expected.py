from typing import Optional, Tuple, Union

import httpx2
import requests

from http_clients import get_default_client

TIMEOUT = 30
PAIR: Tuple[float, float] = (3.0, 30.0)


class Settings:
    REQUEST_TIMEOUT: int = 20
    RETRIES = 3


settings = Settings()


async def upload(url, chunk: bytearray, blob: bytes, form: dict, extra: Optional[bytes] = None, timeout: int = 10):
    await get_default_client().post(url, content=bytes(chunk), timeout=timeout)
    await get_default_client().post(url, content=blob, timeout=TIMEOUT)
    await get_default_client().post(
        url, data=form, timeout=httpx2.Timeout(PAIR[1], connect=PAIR[0])
    )
    await get_default_client().post(
        url, content=extra, timeout=settings.REQUEST_TIMEOUT
    )


async def choose(url, fast, body, spec: Union[float, Tuple[float, float]], wait=5):
    if fast:
        limit = 2
    else:
        limit = 2.5
    await get_default_client().get(url, timeout=limit)
    await get_default_client().get(url, timeout=wait)
    requests.get(url, timeout=spec)
    requests.post(url, data=body)
    requests.get(url, timeout=settings.lookup("timeout"))


class Uploader:
    timeout: float = 5.0

    def __init__(self, base: str, memo: memoryview):
        self.base = base
        self.memo = memo

    async def send(self):
        await get_default_client().post(
            self.base, content=bytes(self.memo), timeout=self.timeout
        )
        requests.post(self.base, data=self.base, timeout=self.missing)
