"""requests-to-httpx details the golden harness cannot show (golden cases cover the rest)."""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext

from asyncmig import registry
from asyncmig.codemods.requests_to_httpx import Options, RequestsToHttpx
from asyncmig.config import ClientConfig
from asyncmig.models import Environment

PROPAGATED = '''import requests


class Repo:
    def load(self, url):
        return requests.get(url).json()

    def keep(self, url):
        return requests.get(url).json()
'''


def test_functions_made_async_by_propagation_are_async_context() -> None:
    """Propagation (DESIGN §5) turns Repo.load into an async def; this codemod only rewrites
    its body (the engine's compile check needs the def rewritten too, so no golden case)."""
    env = Environment(
        forced_async=frozenset({("repo.py", "Repo.load")}), settings=(("packages", frozenset()),)
    )
    codemod = RequestsToHttpx(CodemodContext(filename="repo.py"), Options(), env)
    out = codemod.transform_module(cst.parse_module(PROPAGATED)).code
    assert out == PROPAGATED.replace(
        "import requests\n", "import requests\n\nfrom http_clients import get_default_client\n"
    ).replace(
        "    def load(self, url):\n        return requests.get(url).json()",
        '    def load(self, url):\n        return (await get_default_client().get(url)).json()',
    )
    assert [c.line for c in codemod.changes] == [6]
    assert codemod.skips == []


def test_registered_with_its_options() -> None:
    assert registry.get("requests-to-httpx") is RequestsToHttpx
    assert RequestsToHttpx.option_fields() == [("module", str, ""), ("sessions", bool, True)]
    assert RequestsToHttpx.parse_options({"sessions": "false"}) == Options(sessions=False)


def test_sessions_option_off_leaves_sessions_alone() -> None:
    source = (
        "import requests\n\n\nasync def f(url):\n"
        "    with requests.Session() as s:\n        return s.get(url).json()\n"
    )
    env = Environment(settings=(("packages", frozenset()),))
    codemod = RequestsToHttpx(CodemodContext(filename="m.py"), Options(sessions=False), env)
    assert codemod.transform_module(cst.parse_module(source)).code == source
    assert codemod.changes == []


def test_the_generated_module_is_never_a_call_site_candidate() -> None:
    from asyncmig.codemods.requests_to_httpx import render_client_module

    module = render_client_module(())
    assert b"async def" in module and b"httpx" in module
    assert not RequestsToHttpx.could_change(module, "app/http_clients.py", Environment())


def test_except_star_clauses_map_too() -> None:
    """``except*`` (3.11+ syntax; LibCST parses it on every version, no compile here)."""
    source = (
        "import requests\n\n\nasync def f(url):\n    try:\n        requests.get(url)\n"
        "    except* requests.RequestException:\n        pass\n"
    )
    env = Environment(settings=(("packages", frozenset()), ("clients", (ClientConfig(library="httpx"),))))
    codemod = RequestsToHttpx(CodemodContext(filename="m.py"), Options(), env)
    assert codemod.transform_module(cst.parse_module(source)).code == (
        "import httpx\nfrom http_clients import get_default_client\n\n\nasync def f(url):\n    try:\n"
        '        await get_default_client().get(url)\n    except* httpx.HTTPError:\n        pass\n'
    )
