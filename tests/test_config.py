"""migrations.toml: defaults, typed values, and every error naming file, line and key."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from asyncmig import registry
from asyncmig.config import (
    ClientConfig,
    ExecutorConfig,
    Migration,
    Phase,
    PhaseSettings,
    branch_name_problem,
    find_config,
    load_plan,
    slugify,
)
from asyncmig.errors import ConfigError

FULL = """\
[migration]
name = "legacy-service"
paths = ["app"]
exclude = ["**/tests/**"]
base = "main"
branch_prefix = "mig/"
sync_callers = "offload"
keep_sync = ["app.api.public"]
unwrap_offloads = true

[clients.default]
module = "app/http_clients.py"
timeout = 30
connect_timeout = 5.0
max_connections = 50
max_keepalive_connections = 10

[clients.webhooks]
timeout = 10.0
match = ["**/webhooks.py"]

[[phases]]
name = "http"
codemods = ["requests-to-httpx"]

[[phases]]
name = "Fan out!"
codemods = ["threads-to-gather"]
[phases.options.threads-to-gather]
max_concurrency = 8

[[phases]]
name = "file-io"
codemods = ["open-to-anyio", "sleep-to-asyncio"]
paths = ["app/storage"]
verify = "pytest -q"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "app" / "storage").mkdir(parents=True, exist_ok=True)
    path = tmp_path / "migrations.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_plan(path)
    assert info.value.exit_code == 2
    return str(info.value).replace(str(path), "migrations.toml")


def test_full_plan_is_typed(tmp_path):
    path = write(tmp_path, FULL)
    plan = load_plan(path)
    assert plan.path == str(path)
    assert plan.root == str(tmp_path)
    assert plan.sha256 == hashlib.sha256(FULL.encode()).hexdigest()
    assert plan.migration == Migration(
        name="legacy-service",
        paths=("app",),
        exclude=("**/tests/**",),
        base="main",
        branch_prefix="mig/",
        sync_callers="offload",
        keep_sync=("app.api.public",),
        unwrap_offloads=True,
    )
    assert plan.clients == (
        ClientConfig(
            name="default",
            module="app/http_clients.py",
            timeout=30.0,
            connect_timeout=5.0,
            max_connections=50,
            max_keepalive_connections=10,
        ),
        ClientConfig(name="webhooks", timeout=10.0, match=("**/webhooks.py",)),
    )
    assert plan.phases == (
        Phase(1, "http", ("requests-to-httpx",), line=22),
        Phase(2, "Fan out!", ("threads-to-gather",), (("threads-to-gather", (("max_concurrency", 8),)),), line=26),
        Phase(3, "file-io", ("open-to-anyio", "sleep-to-asyncio"), paths=("app/storage",), verify="pytest -q", line=32),
    )
    assert [plan.branch(p) for p in plan.phases] == ["mig/phase-1-http", "mig/phase-2-fan-out", "mig/phase-3-file-io"]
    assert plan.paths_of(plan.phases[0]) == ("app",)
    assert plan.paths_of(plan.phases[2]) == ("app/storage",)
    assert plan.phases[1].options_for("threads-to-gather") == {"max_concurrency": 8}


def test_defaults(tmp_path):
    plan = load_plan(write(tmp_path, '[[phases]]\nname = "sleeps"\ncodemods = ["sleep-to-asyncio"]\n'))
    assert plan.migration == Migration()
    assert plan.migration.paths == (".",)
    assert plan.clients == ()
    assert plan.branch(plan.phases[0]) == "asyncmig/phase-1-sleeps"


PHASE = '[[phases]]\nname = "sleeps"\ncodemods = ["sleep-to-asyncio"]\n'

ERRORS = [
    pytest.param(
        '[migration]\nname = "x"\nname = "y"\n',
        "migrations.toml:3: broken TOML: Cannot overwrite a value (at line 3, column 11)",
        id="broken-toml",
    ),
    pytest.param(
        '[migration]\nname = "x"\nbranch = "y"\n' + PHASE,
        "migrations.toml:3: [migration.branch] unknown key 'branch'\n"
        "  hint: valid keys here: base, branch_prefix, exclude, import_roots, keep_sync, name, paths, python, sync_callers, unwrap_offloads",
        id="unknown-key",
    ),
    pytest.param(
        PHASE + "[extra]\na = 1\n",
        "migrations.toml:4: [extra] unknown key 'extra'\n  hint: valid keys here: clients, executors, migration, monitor, phases",
        id="unknown-top-level-table",
    ),
    pytest.param(
        PHASE + '\n[[phases]]\nname = "http"\ncodemods = ["requests-to-http"]\n',
        "migrations.toml:7: [phases[2].codemods] unknown codemod 'requests-to-http'\n"
        "  hint: known codemods: {known}",
        id="unknown-codemod",
    ),
    pytest.param(
        PHASE + PHASE,
        "migrations.toml:5: [phases[2].name] duplicate phase name 'sleeps' (phase 1 has it too)",
        id="duplicate-phase-name",
    ),
    pytest.param(
        '[migration]\npaths = ["../elsewhere"]\n' + PHASE,
        "migrations.toml:2: [migration.paths] '../elsewhere' escapes the repository with '..'",
        id="dotdot-escape",
    ),
    pytest.param(
        '[migration]\npaths = ["/etc"]\n' + PHASE,
        "migrations.toml:2: [migration.paths] '/etc' is absolute\n  hint: paths are relative to the plan's folder",
        id="absolute-path",
    ),
    pytest.param(
        PHASE + 'paths = ["out"]\n',
        "migrations.toml:4: [phases[1].paths] 'out' leads outside the repository (a symlink?)",
        id="symlink-escape",
    ),
    pytest.param(
        PHASE + 'paths = ["missing"]\n',
        "migrations.toml:4: [phases[1].paths] 'missing' does not exist\n  hint: relative to {root}/",
        id="missing-path",
    ),
    pytest.param(
        '[migration]\nbase = "main branch"\n' + PHASE,
        "migrations.toml:2: [migration.base] invalid branch name 'main branch': it contains ' '",
        id="invalid-base-branch",
    ),
    pytest.param(
        '[migration]\nbranch_prefix = "mig..x/"\n' + PHASE,
        "migrations.toml:2: [migration.branch_prefix] invalid branch prefix 'mig..x/': it contains '..', '@{' or '//'",
        id="invalid-branch-prefix",
    ),
    pytest.param(
        '[[phases]]\nname = "!!!"\ncodemods = ["sleep-to-asyncio"]\n',
        "migrations.toml:2: [phases[1].name] phase name '!!!' has no letters or digits",
        id="unsluggable-name",
    ),
    pytest.param(
        '[migration]\nsync_callers = "ignore"\n' + PHASE,
        "migrations.toml:2: [migration.sync_callers] sync_callers must be one of report, offload, propagate, not 'ignore'",
        id="sync-callers",
    ),
    pytest.param(
        '[migration]\nunwrap_offloads = "yes"\n' + PHASE,
        "migrations.toml:2: [migration.unwrap_offloads] expected true or false, got 'yes'",
        id="wrong-type",
    ),
    pytest.param(
        '[migration]\nname = "x"\n',
        "migrations.toml: no [[phases]]: a plan needs at least one phase",
        id="no-phases",
    ),
    pytest.param(
        '[[phases]]\ncodemods = ["sleep-to-asyncio"]\n',
        "migrations.toml:1: [phases[1]] phase 1 has no name",
        id="phase-without-name",
    ),
    pytest.param(
        '[[phases]]\nname = "x"\ncodemods = []\n',
        "migrations.toml:3: [phases[1].codemods] phase 1 (x) lists no codemods",
        id="empty-codemods",
    ),
    pytest.param(
        PHASE + "[phases.options.sleep-to-asyncio]\nmax_concurrency = 3\n",
        "migrations.toml:4: [phases[1].options.sleep-to-asyncio] unknown option max_concurrency for codemod sleep-to-asyncio\n"
        "  hint: valid options: (none)",
        id="unknown-option",
    ),
    pytest.param(
        PHASE + "[phases.options.threads-to-gather]\nmax_concurrency = 3\n",
        "migrations.toml:4: [phases[1].options.threads-to-gather] options for 'threads-to-gather', which this phase does not run\n"
        "  hint: this phase runs: sleep-to-asyncio",
        id="options-for-another-codemod",
    ),
    pytest.param(
        '[clients.default]\ntimeout = -1\n' + PHASE,
        "migrations.toml:2: [clients.default.timeout] timeout must be positive, not -1.0",
        id="negative-timeout",
    ),
    pytest.param(
        '[clients.default]\nmodule = "../clients.py"\n' + PHASE,
        "migrations.toml:2: [clients.default.module] '../clients.py' escapes the repository with '..'",
        id="client-module-escape",
    ),
    pytest.param(
        '[clients.default]\nretries = 3\n' + PHASE,
        "migrations.toml:2: [clients.default.retries] unknown key 'retries'\n"
        "  hint: valid keys here: connect_timeout, json_body, match, max_concurrency, max_connections, "
        "max_keepalive_connections, module, pool_timeout, read_timeout, timeout, write_timeout",
        id="unknown-client-key",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ERRORS)
def test_errors_name_file_line_and_key(tmp_path, text, expected):
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "out").symlink_to(outside)
    known = ", ".join(sorted(registry.codemods()))
    assert error_of(tmp_path, text) == expected.replace("{root}", tmp_path.name).replace("{known}", known)


def test_phase_out_of_range(tmp_path):
    plan = load_plan(write(tmp_path, PHASE))
    with pytest.raises(ConfigError) as info:
        plan.phase(2)
    assert str(info.value) == (
        f"{plan.path}: [phases] phase 2 is out of range: this plan has phases 1..1\n  hint: phases: 1 (sleeps)"
    )
    with pytest.raises(ConfigError):
        plan.phase(0)
    assert plan.phase(1).name == "sleeps"


def test_unreadable_plan(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_plan(tmp_path / "migrations.toml")
    assert str(info.value) == f"{tmp_path / 'migrations.toml'}: cannot read the plan: No such file or directory"


def test_find_config_walks_up_to_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    assert find_config(deep) is None
    (tmp_path / "migrations.toml").write_text(PHASE)  # above the repository: never read
    assert find_config(deep) is None
    (repo / "migrations.toml").write_text(PHASE)
    assert find_config(deep) == repo / "migrations.toml"
    (repo / "a" / "migrations.toml").write_text(PHASE)
    assert find_config(deep) == repo / "a" / "migrations.toml"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("asyncmig/phase-1-http", None),
        ("feature/x.y", None),
        ("", "it is empty"),
        ("-x", "it starts with '-'"),
        ("a b", "it contains ' '"),
        ("a~1", "it contains '~'"),
        ("a:b", "it contains ':'"),
        ("a..b", "it contains '..', '@{' or '//'"),
        ("a@{1}", "it contains '..', '@{' or '//'"),
        ("a/", "it starts or ends with '/' or ends with '.'"),
        ("a.", "it starts or ends with '/' or ends with '.'"),
        ("a/.hidden", "the component '.hidden' starts with '.' or ends with '.lock'"),
        ("a.lock/b", "the component 'a.lock' starts with '.' or ends with '.lock'"),
    ],
)
def test_branch_names(name, problem):
    assert branch_name_problem(name) == problem


def test_slugify():
    assert slugify("File I/O & sleeps") == "file-i-o-sleeps"
    assert slugify("  HTTP  ") == "http"


def test_plan_hash_is_of_the_bytes(tmp_path):
    path = write(tmp_path, PHASE)
    first = load_plan(path).sha256
    path.write_text(PHASE + "# a comment changes the plan's identity\n")
    assert load_plan(path).sha256 != first
    assert os.path.basename(load_plan(path).path) == "migrations.toml"


PER_PHASE = """\
[migration]
sync_callers = "offload"
keep_sync = ["app.api.public"]

[[phases]]
name = "http"
codemods = ["requests-to-httpx"]

[[phases]]
name = "http-offloaded"
codemods = ["requests-to-httpx"]
sync_callers = "propagate"
unwrap_offloads = true

[[phases]]
name = "sleeps"
codemods = ["sleep-to-asyncio"]
sync_callers = "report"
keep_sync = []
"""


def test_per_phase_settings_default_to_migration(tmp_path):
    plan = load_plan(write(tmp_path, PER_PHASE))
    first, second, third = plan.phases
    assert (first.sync_callers, first.keep_sync, first.unwrap_offloads) == (None, None, None)
    assert plan.settings_of(first) == PhaseSettings("offload", ("app.api.public",), False)
    assert plan.settings_of(second) == PhaseSettings("propagate", ("app.api.public",), True)
    assert plan.settings_of(third) == PhaseSettings("report", (), False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            PHASE + 'sync_callers = "later"\n',
            "migrations.toml:4: [phases[1].sync_callers] sync_callers must be one of report, offload, "
            "propagate, not 'later'",
            id="phase-sync-callers",
        ),
        pytest.param(
            PHASE + "unwrap_offloads = 1\n",
            "migrations.toml:4: [phases[1].unwrap_offloads] expected true or false, got 1",
            id="phase-unwrap-type",
        ),
        pytest.param(
            PHASE + 'keep_sync = "app.f"\n',
            "migrations.toml:4: [phases[1].keep_sync] expected an array, got 'app.f'",
            id="phase-keep-sync-type",
        ),
    ],
)
def test_per_phase_setting_errors(tmp_path, text, expected):
    assert error_of(tmp_path, text) == expected

# -- [clients] library, max_concurrency and [executors] ------------------------------------------
CLIENT_ERRORS = [
    pytest.param(
        '[clients.my-hooks]\ntimeout = 5\n' + PHASE,
        "migrations.toml:1: [clients.my-hooks] client name 'my-hooks' is not a Python identifier: it names "
        "the generated function get_my-hooks_client()\n  hint: e.g. [clients.my_hooks]",
        id="client-name-not-identifier",
    ),
    pytest.param(
        '[clients.2fa]\ntimeout = 5\n' + PHASE,
        "migrations.toml:1: [clients.2fa] client name '2fa' is not a Python identifier: it names the "
        "generated function get_2fa_client()\n  hint: use letters, digits and '_', not starting with a digit",
        id="client-name-digit",
    ),
    pytest.param(
        '[clients]\nlibrary = "aiohttp"\n' + PHASE,
        "migrations.toml:2: [clients.library] library must be one of httpx, httpx2, not 'aiohttp'",
        id="unknown-library",
    ),
    pytest.param(
        '[clients]\ntimeout = 5\n' + PHASE,
        "migrations.toml:2: [clients.timeout] unknown key 'timeout'\n"
        "  hint: [clients] takes library and one [clients.<name>] table per client",
        id="client-setting-outside-a-client",
    ),
    pytest.param(
        '[clients.default]\nmax_concurrency = 0\n' + PHASE,
        "migrations.toml:2: [clients.default.max_concurrency] max_concurrency must be positive, not 0",
        id="max-concurrency-zero",
    ),
    pytest.param(
        '[clients.default]\njson_body = "compact"\n' + PHASE,
        "migrations.toml:2: [clients.default.json_body] json_body must be one of requests, httpx, not 'compact'",
        id="json-body",
    ),
    pytest.param(
        '[executors.critical]\nmatch = ["app.*"]\n' + PHASE,
        "migrations.toml:1: [executors.critical] executor 'critical' has no max_workers\n  hint: e.g. max_workers = 4",
        id="executor-without-workers",
    ),
    pytest.param(
        '[executors.critical]\nmax_workers = 2\n' + PHASE,
        "migrations.toml:1: [executors.critical] executor 'critical' matches no helper\n"
        '  hint: match = ["app.jobs.*", "process_conversation"] (qualified names, * wildcards)',
        id="executor-without-match",
    ),
    pytest.param(
        '[executors."db pool"]\nmax_workers = 2\nmatch = ["x"]\n' + PHASE,
        "migrations.toml:1: [executors.db pool] executor name 'db pool' is not a Python identifier: it names "
        "the generated function get_db pool_executor()\n  hint: e.g. [executors.db_pool]",
        id="executor-name",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLIENT_ERRORS)
def test_client_and_executor_errors(tmp_path, text, expected):
    assert error_of(tmp_path, text) == expected


def test_library_concurrency_and_executors_load(tmp_path):
    text = (
        '[clients]\nlibrary = "httpx2"\n\n[clients.default]\ntimeout = 15\n\n'
        '[clients.webhooks]\ntimeout = 5\nmax_concurrency = 16\nmatch = ["**/webhooks.py"]\n\n'
        '[executors.critical]\nmax_workers = 4\nmatch = ["app.conversations.*"]\n' + PHASE
    )
    plan = load_plan(write(tmp_path, text))
    assert plan.clients == (
        ClientConfig(name="default", timeout=15.0, library="httpx2"),
        ClientConfig(name="webhooks", timeout=5.0, max_concurrency=16, match=("**/webhooks.py",), library="httpx2"),
    )
    assert plan.executors == (ExecutorConfig(name="critical", max_workers=4, match=("app.conversations.*",)),)
    only_library = load_plan(write(tmp_path, '[clients]\nlibrary = "httpx"\n' + PHASE))
    assert only_library.clients == (ClientConfig(library="httpx"),)
