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
# Written by `asyncmig init` from a scan of this repository; edit freely.

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
# phase 1, http: requests / sync httpx calls made directly in async code become awaited
# calls on the shared httpx.AsyncClient (app/api/http_clients.py).
# Now: 1 site in 1 file.
name = "http"
codemods = ["requests-to-httpx"]
# verify = "python -m pytest -q"   # run on the phase branch by apply --verify

[[phases]]
# phase 2, fan-out: Thread start/join and ThreadPoolExecutor fan-outs in async code
# become await asyncio.gather(...).
# Now: 1 site in 1 file.
name = "fan-out"
codemods = ["threads-to-gather"]
# verify = "python -m pytest -q"   # run on the phase branch by apply --verify

[[phases]]
# phase 3, file-io: open(), pathlib and os.path file I/O in async code becomes anyio
# (async with await anyio.open_file, await anyio.Path(...)).
# Now: 1 site in 1 file.
name = "file-io"
codemods = ["open-to-anyio"]
# verify = "python -m pytest -q"   # run on the phase branch by apply --verify

[[phases]]
# phase 4, sleeps: time.sleep in async code becomes await asyncio.sleep.
# Now: 1 site in 1 file.
name = "sleeps"
codemods = ["sleep-to-asyncio"]
# verify = "python -m pytest -q"   # run on the phase branch by apply --verify
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
    assert done.stderr.splitlines()[-5:] == [
        "  1. http (requests-to-httpx): 1 site",
        "  2. fan-out (threads-to-gather): 1 site",
        "  3. file-io (open-to-anyio): 1 site",
        "  4. sleeps (sleep-to-asyncio): 1 site",
        "next: asyncmig plan, then asyncmig apply --phase 1 --dry-run",
    ]
    plan = load_plan(repo / "migrations.toml")  # what init writes is a valid plan
    assert [(p.name, p.codemods) for p in plan.phases] == [
        ("http", ("requests-to-httpx",)),
        ("fan-out", ("threads-to-gather",)),
        ("file-io", ("open-to-anyio",)),
        ("sleeps", ("sleep-to-asyncio",)),
    ]
    assert tomlkit.parse(text)["clients"]["default"]["module"] == "app/api/http_clients.py"


def test_init_leaves_out_codemods_without_sites(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/__init__.py": "", "svc/jobs.py": APP["app/files.py"]})
    asyncmig(repo, "init")
    plan = load_plan(repo / "migrations.toml")
    assert [(p.number, p.name, p.codemods) for p in plan.phases] == [
        (1, "file-io", ("open-to-anyio",)),
        (2, "sleeps", ("sleep-to-asyncio",)),
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
    assert done.stderr.splitlines() == [
        "nothing to migrate in the 1 Python files here; migrations.toml not written:",
        "  no blocking call (requests, threads, open, time.sleep, ...) in the 1 Python files here: "
        "nothing to migrate",
    ]
    assert not (repo / "migrations.toml").exists()


def test_init_writes_where_config_points(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/jobs.py": APP["app/files.py"]})
    asyncmig(repo, "--config", str(repo / "svc" / "plan.toml"), "init")
    plan = load_plan(repo / "svc" / "plan.toml")
    assert plan.migration.paths == (".",)
    assert plan.migration.name == "svc"


def test_init_leaves_out_a_phase_whose_every_site_is_left_alone_and_plan_repeats_why(tmp_path, asyncmig):
    streaming = (
        "import requests\n\n\nasync def download(url):\n"
        "    return requests.get(url, stream=True, timeout=5).iter_content()\n"
    )
    repo = make(tmp_path / "repo", {"svc/__init__.py": "", "svc/dl.py": streaming})
    done = asyncmig(repo, "init")
    assert not (repo / "migrations.toml").exists()
    lines = done.stderr.splitlines()
    assert lines[0] == "nothing to migrate in the 2 Python files here; migrations.toml not written:"
    assert lines[1].startswith("  phase http (requests-to-httpx) would change nothing: every site is left alone: 1 × ")
    assert "stream=" in lines[1]
    shown = asyncmig(repo, "plan", check=2).stderr
    assert "asyncmig init found nothing to migrate in this code" in shown
    assert "phase http (requests-to-httpx) would change nothing" in shown
    assert "asyncmig init writes" not in shown  # plan does not send the user back to init


def test_plan_without_a_plan_points_to_init_when_there_is_something_to_migrate(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/jobs.py": APP["app/files.py"]})
    shown = asyncmig(repo, "plan", check=2).stderr
    assert "asyncmig init writes a starter plan" in shown


OFFLOADED = """\
import asyncio

import requests


def fetch(url):
    return requests.get(url, timeout=10).json()


async def search(url):
    return await asyncio.to_thread(fetch, url)
"""


def test_init_gives_offloaded_http_helpers_a_phase_that_unwraps(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", {"svc/__init__.py": "", "svc/search.py": OFFLOADED})
    asyncmig(repo, "init")
    plan = load_plan(repo / "migrations.toml")
    assert [(p.name, p.sync_callers, p.unwrap_offloads) for p in plan.phases] == [
        ("http-offloaded", "propagate", True)
    ]
    assert plan.clients[0].module == "svc/http_clients.py"
    text = (repo / "migrations.toml").read_text()
    assert "# phase 1, http-offloaded: sync helpers that use requests and run through" in text
    assert "# Now: 3 sites in 1 file." in text


RUNS_FROM_FOLDER = {
    # The app starts in backend/ (no __init__.py): its packages import each other by name.
    "backend/main.py": "from routers import auth\n",
    "backend/routers/__init__.py": "",
    "backend/routers/auth.py": (
        "import requests\n\nfrom utils.store import save\n\n\n"
        "async def login(url):\n    save(url)\n    return requests.post(url, timeout=5).json()\n"
    ),
    "backend/utils/__init__.py": "",
    "backend/utils/store.py": "def save(x):\n    return x\n",
    "backend/utils/hooks.py": (
        "import requests\n\n\nasync def ping(url):\n    return requests.get(url, timeout=5).status_code\n"
    ),
}


def test_the_client_module_is_importable_from_every_call_site(tmp_path, asyncmig):
    repo = make(tmp_path / "repo", RUNS_FROM_FOLDER)
    asyncmig(repo, "init")
    plan = load_plan(repo / "migrations.toml")
    assert plan.clients[0].module == "backend/http_clients.py"
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "initial")
    diff = asyncmig(repo, "apply", "--phase", "1", "--dry-run").stdout
    assert diff.count("+from http_clients import get_default_client") == 2
    skips = [line for line in asyncmig(repo, "apply", "--phase", "1", "--dry-run").stderr.splitlines() if line.startswith("skip ")]
    assert len(skips) == 1 and skips[0].startswith("skip backend/http_clients.py:1: no FastAPI, Starlette or aiohttp app")


def test_plan_after_init_reuses_the_counted_files(tmp_path, asyncmig):
    from asyncmig.planner import count_phases

    repo = make(tmp_path / "repo", APP)
    asyncmig(repo, "init")
    plan = load_plan(repo / "migrations.toml")
    counted = count_phases(plan, plan.phases)
    assert {n: (r.n_changes, r.parsed) for n, r in counted.items()} == {1: (1, 0), 2: (1, 0), 3: (1, 0), 4: (1, 0)}
