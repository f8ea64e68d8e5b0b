"""The phase that generates the client module closes the clients with the app (exact output)."""

from __future__ import annotations

import pytest

from asyncmig.engine import CodemodSpec, transform_source
from asyncmig.lifecycle import NAME, WireClients, wire
from asyncmig.models import Change, Environment, FileResult, RunResult

ENV = Environment(settings=(("lifecycle_import", {"app/main.py": ("app.http_clients", 0)}),))
SPEC = CodemodSpec(WireClients, WireClients.parse_options({}))

CASES = {
    "plain": (
        'from fastapi import FastAPI\n\napp = FastAPI(title="svc")\n',
        "from fastapi import FastAPI\n\nfrom app.http_clients import clients_lifespan\n\n"
        'app = FastAPI(title="svc", lifespan=clients_lifespan)\n',
    ),
    "trailing-comma": (
        'from fastapi import FastAPI\n\napp = FastAPI(\n    title="svc",\n    version="1",\n)\n',
        "from fastapi import FastAPI\n\nfrom app.http_clients import clients_lifespan\n\n"
        'app = FastAPI(\n    title="svc",\n    version="1",\n    lifespan=clients_lifespan,\n)\n',
    ),
    "existing-lifespan": (
        "from fastapi import FastAPI\n\nfrom app.boot import lifespan\n\napp = FastAPI(lifespan=lifespan)\n",
        "from contextlib import asynccontextmanager\n\nfrom fastapi import FastAPI\n\n"
        "from app.boot import lifespan\nfrom app.http_clients import clients_lifespan\n\n\n"
        "@asynccontextmanager\nasync def lifespan_with_clients(app):\n"
        "    \"\"\"lifespan, inside the shared HTTP clients' lifespan (they close after it).\"\"\"\n"
        "    async with clients_lifespan(app), lifespan(app) as state:\n        yield state\n\n\n"
        "app = FastAPI(lifespan=lifespan_with_clients)\n",
    ),
    "existing-lifespan-in-a-factory": (  # a nested helper: one blank line around it, none indented
        "from fastapi import FastAPI\n\nfrom app.boot import lifespan\n\n\n"
        "def create_app():\n    routes = []\n    app = FastAPI(routes=routes, lifespan=lifespan)\n    return app\n",
        "from contextlib import asynccontextmanager\n\nfrom fastapi import FastAPI\n\n"
        "from app.boot import lifespan\nfrom app.http_clients import clients_lifespan\n\n\n"
        "def create_app():\n    routes = []\n\n"
        "    @asynccontextmanager\n    async def lifespan_with_clients(app):\n"
        "        \"\"\"lifespan, inside the shared HTTP clients' lifespan (they close after it).\"\"\"\n"
        "        async with clients_lifespan(app), lifespan(app) as state:\n            yield state\n\n"
        "    app = FastAPI(routes=routes, lifespan=lifespan_with_clients)\n    return app\n",
    ),
    "on-event": (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.on_event("startup")\nasync def start():\n    pass\n',
        "from fastapi import FastAPI\n\nfrom app.http_clients import aclose_clients\n\napp = FastAPI()\n"
        'app.add_event_handler("shutdown", aclose_clients)\n\n\n'
        '@app.on_event("startup")\nasync def start():\n    pass\n',
    ),
    "on-shutdown-list": (
        "from starlette.applications import Starlette\n\n\nasync def bye():\n    pass\n\n"
        "app = Starlette(on_shutdown=[bye])\n",
        "from starlette.applications import Starlette\n\nfrom app.http_clients import aclose_clients\n\n\n"
        "async def bye():\n    pass\n\napp = Starlette(on_shutdown=[bye, aclose_clients])\n",
    ),
    "aiohttp": (
        "from aiohttp import web\n\napp = web.Application()\n",
        "from aiohttp import web\n\nfrom app.http_clients import aclose_clients\n\napp = web.Application()\n"
        "app.on_cleanup.append(lambda _app: aclose_clients())\n",
    ),
    "wired-already": (
        "from fastapi import FastAPI\n\nfrom app.http_clients import clients_lifespan\n\n"
        "app = FastAPI(lifespan=clients_lifespan)\n",
        None,
    ),
    "not-an-app": ("from fastapi import APIRouter\n\nrouter = APIRouter()\n", None),
    "shadowed": ("class FastAPI:\n    pass\n\n\napp = FastAPI()\n", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wiring(case):
    source, expected = CASES[case]
    result = transform_source(source.encode(), "app/main.py", [SPEC], ENV)
    if expected is None:
        assert result.status == "unchanged" and not result.skips
        return
    assert result.status == "changed", result
    assert result.new.decode() == expected
    assert [c.codemod for c in result.changes] == [NAME]
    again = transform_source(result.new, "app/main.py", [SPEC], ENV)  # idempotent
    assert again.status == "unchanged"


def test_an_app_built_from_kwargs_is_left_with_a_reason():
    source = b"from fastapi import FastAPI\n\napp = FastAPI(**settings)\n"
    result = transform_source(source, "app/main.py", [SPEC], ENV)
    assert result.status == "unchanged"
    assert [s.reason for s in result.skips] == [
        "the app is built with **kwargs: close the shared HTTP clients by hand (await aclose_clients() when it stops)"
    ]


GENERATED = FileResult(
    "app/http_clients.py",
    "changed",
    (Change(1, 1, "requests-to-httpx", "generated the shared httpx client module"),),
    old=None,
    new=b"# Generated by asyncmig (requests-to-httpx) from the [clients] configuration.\n",
)


def test_wire_adds_the_app_file_and_keeps_the_phases_own_changes(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    main = "import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
    (tmp_path / "app" / "main.py").write_text(main)
    rewritten = FileResult(
        "app/main.py", "changed", (Change(1, 1, "requests-to-httpx", "x"),), old=main.encode(),
        new=b"from fastapi import FastAPI\n\napp = FastAPI()\n",
    )
    result = wire(tmp_path, RunResult(files=(GENERATED, rewritten)), ["app/main.py"], Environment())
    by_path = {f.path: f for f in result.files}
    assert by_path["app/main.py"].old == main.encode()
    assert by_path["app/main.py"].new == (
        b"from fastapi import FastAPI\n\nfrom .http_clients import clients_lifespan\n\n"
        b"app = FastAPI(lifespan=clients_lifespan)\n"
    )
    assert [c.codemod for c in by_path["app/main.py"].changes] == ["requests-to-httpx", "client-lifecycle"]
    assert by_path["app/http_clients.py"].skips == ()


def test_without_an_app_the_client_module_says_where_to_close_the_clients(tmp_path):
    (tmp_path / "jobs.py").write_text("async def run():\n    pass\n")
    result = wire(tmp_path, RunResult(files=(GENERATED,)), ["jobs.py"], Environment())
    (module,) = result.files
    assert [s.reason for s in module.skips] == [
        "no FastAPI, Starlette or aiohttp app found to close the shared HTTP clients: call "
        "`await aclose_clients()` (from http_clients) when the service stops, or run it inside "
        "`async with clients_lifespan(): ...`"
    ]


def test_nothing_is_wired_when_the_module_is_not_new(tmp_path):
    (tmp_path / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    result = RunResult(files=(FileResult("main.py", "unchanged"),))
    assert wire(tmp_path, result, ["main.py"], Environment()) is result


def test_an_app_of_another_top_level_package_is_left_alone(tmp_path):
    for folder in ("svc", "telemetry"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
        (tmp_path / folder / "main.py").write_text("from fastapi import FastAPI\n\napp = FastAPI()\n")
    generated = FileResult("svc/http_clients.py", "changed", GENERATED.changes, old=None, new=GENERATED.new)
    result = wire(tmp_path, RunResult(files=(generated,)), ["svc/main.py", "telemetry/main.py"], Environment())
    assert [f.path for f in result.changed] == ["svc/http_clients.py", "svc/main.py"]
