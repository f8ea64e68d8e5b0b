"""The ast pass must never rule out a file LibCST would change."""

from __future__ import annotations

import pytest

from asyncmig.precheck import index_calls

SLEEP = frozenset({"time.sleep"})


@pytest.mark.parametrize(
    "source",
    [
        "import time\nasync def f():\n    time.sleep(1)\n",
        "import time as t\nasync def f():\n    t.sleep(1)\n",
        "from time import sleep as nap\nasync def f():\n    nap(1)\n",
        "async def f():\n    from time import sleep\n    sleep(1)\n",
        "async def f():\n    g(lambda: time.sleep(1))\nimport time\n",
        "import time\nclass C:\n    async def m(self):\n        [time.sleep(i) for i in x]\n",
        "import time\ndef outer():\n    async def inner():\n        time.sleep(1)\n",
    ],
)
def test_finds_async_sites(source: str) -> None:
    index = index_calls(source.encode())
    assert index is not None and index.matches(SLEEP, frozenset(), sync_too=False)


@pytest.mark.parametrize(
    "source",
    [
        "import time\ndef f():\n    time.sleep(1)\n",
        "import time\nasync def f(x=time.sleep(0)):\n    pass\n",
        "import time\nasync def f():\n    def g():\n        time.sleep(1)\n",
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n",
    ],
)
def test_rules_out_files_without_async_sites(source: str) -> None:
    index = index_calls(source.encode())
    assert index is not None and not index.matches(SLEEP, frozenset(), sync_too=False)


def test_forced_async_function_counts() -> None:
    source = b"import time\nclass C:\n    def m(self):\n        time.sleep(1)\n"
    assert not index_calls(source).matches(SLEEP, frozenset(), False)
    assert index_calls(source, frozenset({"C.m"})).matches(SLEEP, frozenset(), False)


def test_methods_and_prefixes() -> None:
    index = index_calls(b"import requests as r\nasync def f(p):\n    r.post('u')\n    p.read_text()\n")
    assert index.matches(frozenset({"requests."}), frozenset(), False)
    assert index.matches(frozenset(), frozenset({"read_text"}), False)
    assert not index.matches(frozenset({"httpx."}), frozenset({"write_text"}), False)


def test_sync_too() -> None:
    index = index_calls(b"import threading\ndef f():\n    threading.Thread(target=g).start()\n")
    assert not index.matches(frozenset({"threading.Thread"}), frozenset(), False)
    assert index.matches(frozenset({"threading.Thread"}), frozenset(), True)


def test_unparseable_gives_none() -> None:
    assert index_calls(b"def f(:\n") is None
