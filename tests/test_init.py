"""``asyncmig init``: a commented starter plan, phases in migration order, only codemods with sites."""

from __future__ import annotations

from pathlib import Path

import tomlkit
from test_apply import _cli_env, asyncmig, git  # noqa: F401 - shared CLI fixtures

from asyncmig.config import load_plan

APP = {
    "app/__init__.py": "",
    "app/files.py": """\
import time


async def archive(path, data):
    with open(path, "w") as f:
        f.write(data)
    time.sleep(0.1)
""",
    "app/fanout.py": """\
import threading


def ping(url):
    return url


async def ping_all(urls):
    threads = []
    for url in urls:
        t = threading.Thread(target=ping, args=(url,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
""",
    "app/api/__init__.py": "",
    "app/api/hooks.py": """\
import requests


async def send(url, event):
    return requests.post(url, json=event, timeout=10).status_code
""",
    "tests/test_files.py": "import time\n\n\nasync def test_slow():\n    time.sleep(1)\n",
}

EXPECTED = """\
# asyncmig migration plan: one phase = one stacked branch (asyncmig plan).
# Written by `asyncmig init` from a dry run over this repository; edit freely.

[migration]
name = "repo"
paths = ["."] # roots to migrate, relative to this file
exclude = ["**/tests/**", "**/test_*.py", "**/conftest.py"] # globs left alone; .gitignore is honoured too
base = "main" # phase 1 branches from here
branch_prefix = "asyncmig/" # branches are "<prefix>phase-<N>-<name>"
sync_callers = "report" # report | offload | propagate: blocking code in sync helpers

[clients.default]
module = "app/api/http_clients.py" # generated shared httpx.AsyncClient module
timeout = 30.0
connect_timeout = 5.0
max_connections = 100
max_keepalive_connections = 20

[[phases]]
# phase 1: blocking HTTP calls → awaited calls on a shared httpx.AsyncClient (requests-to-httpx: 1 site)
name = "http"
codemods = ["requests-to-httpx"]
# verify = "pytest -q"   # run on the phase branch with apply --verify

[[phases]]
# phase 2: Thread start/join fan-outs → await asyncio.gather(...) (threads-to-gather: 1 site)
name = "fan-out"
codemods = ["threads-to-gather"]
# verify = "pytest -q"   # run on the phase branch with apply --verify

[[phases]]
# phase 3: open()/Path I/O → anyio; time.sleep → asyncio.sleep (open-to-anyio: 1 site, sleep-to-asyncio: 1 site)
name = "file-io"
codemods = ["open-to-anyio", "sleep-to-asyncio"]
# verify = "pytest -q"   # run on the phase branch with apply --verify
"""


def make(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "init", "-q", "-b", "main")
    return root


def test_init_writes_phases_in_migration_order(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", APP)
    done = asyncmig(repo / "app", "init")  # from a subfolder: written at the repository root
    text = (repo / "migrations.toml").read_text()
    assert text == EXPECTED
    assert done.stderr.splitlines()[-4:] == [
        "  1. http: requests-to-httpx (1)",
        "  2. fan-out: threads-to-gather (1)",
        "  3. file-io: open-to-anyio (1), sleep-to-asyncio (1)",
        "next: asyncmig plan, then asyncmig apply --phase 1 --dry-run",
    ]
    plan = load_plan(repo / "migrations.toml")  # what init writes is a valid plan
    assert [(p.name, p.codemods) for p in plan.phases] == [
        ("http", ("requests-to-httpx",)),
        ("fan-out", ("threads-to-gather",)),
        ("file-io", ("open-to-anyio", "sleep-to-asyncio")),
    ]
    assert tomlkit.parse(text)["clients"]["default"]["module"] == "app/api/http_clients.py"


def test_init_leaves_out_codemods_without_sites(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/__init__.py": "", "svc/jobs.py": APP["app/files.py"]})
    asyncmig(repo, "init")
    plan = load_plan(repo / "migrations.toml")
    assert [(p.number, p.name, p.codemods) for p in plan.phases] == [
        (1, "file-io", ("open-to-anyio", "sleep-to-asyncio"))
    ]
    assert plan.clients == ()


def test_init_refuses_to_overwrite_unless_forced(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/jobs.py": APP["app/files.py"]})
    (repo / "migrations.toml").write_text("# mine\n")
    done = asyncmig(repo, "init", check=2)
    assert "migrations.toml already exists" in done.stderr
    assert "--force overwrites it" in done.stderr
    assert (repo / "migrations.toml").read_text() == "# mine\n"
    asyncmig(repo, "init", "--force")
    assert load_plan(repo / "migrations.toml").phases[0].name == "file-io"


def test_init_writes_nothing_without_sites(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/ok.py": "async def f():\n    return 1\n"})
    done = asyncmig(repo, "init")
    assert "no codemod has a site to rewrite in the 1 Python files here" in done.stderr
    assert not (repo / "migrations.toml").exists()


def test_init_writes_where_config_points(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/jobs.py": APP["app/files.py"]})
    asyncmig(repo, "--config", str(repo / "svc" / "plan.toml"), "init")
    plan = load_plan(repo / "svc" / "plan.toml")
    assert plan.migration.paths == (".",)
    assert plan.migration.name == "svc"
