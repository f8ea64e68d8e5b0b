"""migrations.toml → typed Plan / Phase / ClientConfig (DESIGN §4).

The types below are the contract every part of asyncmig reads; loading and validation
live in this module too (see ``load_plan``).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from asyncmig.errors import ConfigError, UsageError

SyncCallers = Literal["report", "offload", "propagate"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_KEEPALIVE = 20
DEFAULT_CLIENT_MODULE = "http_clients.py"
DEFAULT_EXECUTOR_MODULE = "executors.py"
HTTP_LIBRARIES = ("httpx", "httpx2")
JSON_BODIES = ("requests", "httpx")


@dataclass(frozen=True)
class ClientConfig:
    """One ``[clients.<name>]`` table: a shared ``httpx.AsyncClient`` and where it is used."""

    name: str = "default"
    module: str | None = None  # generated module path, relative to the repository root
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float | None = None
    read_timeout: float | None = None
    write_timeout: float | None = None
    pool_timeout: float | None = None
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_keepalive_connections: int = DEFAULT_MAX_KEEPALIVE
    match: tuple[str, ...] = ()  # globs of call-site files that use this client
    max_concurrency: int | None = None  # in-flight requests of this client per event loop
    json_body: str = "requests"  # json= bytes: "requests" (json.dumps defaults) | "httpx" (compact)
    library: str | None = None  # [clients] library: httpx | httpx2; None = what the project uses


@dataclass(frozen=True)
class ExecutorConfig:
    """One ``[executors.<name>]`` table: a dedicated thread pool for matching offloads."""

    name: str
    max_workers: int
    match: tuple[str, ...] = ()  # qualified names of helpers (``app.jobs.*``) run there
    module: str | None = None  # generated module path, relative to the repository root


@dataclass(frozen=True)
class MonitorConfig:
    """The ``[monitor]`` table: the generated event-loop lag monitor (docs/trace.md)."""

    module: str  # generated module path, relative to the repository root
    interval: float = 0.25  # seconds between two measurements
    warn_after: float = 0.1  # seconds of lag logged as a warning


@dataclass(frozen=True)
class Phase:
    number: int  # 1-based, file order
    name: str
    codemods: tuple[str, ...]
    options: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()  # codemod → options
    paths: tuple[str, ...] | None = None  # narrower than Migration.paths
    verify: str | None = None
    line: int | None = None  # where the phase starts in migrations.toml
    # Per-phase propagation settings; None: the value of [migration] (Plan.settings_of).
    sync_callers: SyncCallers | None = None
    keep_sync: tuple[str, ...] | None = None
    unwrap_offloads: bool | None = None
    python: str | None = None  # the interpreter verify runs with; None: [migration].python

    def options_for(self, codemod: str) -> dict[str, object]:
        for name, values in self.options:
            if name == codemod:
                return dict(values)
        return {}


@dataclass(frozen=True)
class PhaseSettings:
    """The propagation settings one phase runs with (DESIGN §5, §9): its own, else [migration]'s."""

    sync_callers: SyncCallers = "report"
    keep_sync: tuple[str, ...] = ()
    unwrap_offloads: bool = False


@dataclass(frozen=True)
class Migration:
    name: str = "migration"
    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    base: str | None = None  # None: the current branch
    branch_prefix: str = "asyncmig/"
    sync_callers: SyncCallers = "report"
    keep_sync: tuple[str, ...] = ()
    unwrap_offloads: bool = False
    # folders that are on sys.path when the project runs (module names); None: detected
    import_roots: tuple[str, ...] | None = None
    python: str | None = None  # the interpreter verify commands run with (None: the user's)


@dataclass(frozen=True)
class Plan:
    path: str  # the migrations.toml, absolute
    root: str  # the directory paths are relative to (the file's directory)
    sha256: str  # of the file's bytes: the Asyncmig-Plan trailer
    migration: Migration = field(default_factory=Migration)
    clients: tuple[ClientConfig, ...] = ()
    phases: tuple[Phase, ...] = ()
    executors: tuple[ExecutorConfig, ...] = ()
    monitor: MonitorConfig | None = None

    def phase(self, number: int) -> Phase:
        """Phase ``number`` (1-based); out of range is a ConfigError listing the valid ones."""
        if not 1 <= number <= len(self.phases):
            listed = ", ".join(f"{p.number} ({p.name})" for p in self.phases)
            raise ConfigError(
                f"phase {number} is out of range: this plan has phases 1..{len(self.phases)}",
                path=self.path,
                key="phases",
                hint=f"phases: {listed}",
            )
        return self.phases[number - 1]

    def branch(self, phase: Phase) -> str:
        """``<branch_prefix>phase-<N>-<slug(name)>``."""
        return phase_branch(self.migration, phase)

    def paths_of(self, phase: Phase) -> tuple[str, ...]:
        return phase.paths or self.migration.paths

    def settings_of(self, phase: Phase) -> PhaseSettings:
        """``sync_callers``, ``keep_sync`` and ``unwrap_offloads`` of ``phase``, defaulting to
        ``[migration]``'s (a phase's ``keep_sync`` replaces the migration's list)."""
        m = self.migration
        return PhaseSettings(
            sync_callers=phase.sync_callers if phase.sync_callers is not None else m.sync_callers,
            keep_sync=phase.keep_sync if phase.keep_sync is not None else m.keep_sync,
            unwrap_offloads=phase.unwrap_offloads if phase.unwrap_offloads is not None else m.unwrap_offloads,
        )


# -- finding and loading --------------------------------------------------------------------

CONFIG_NAME = "migrations.toml"

_MIGRATION_KEYS = {
    "name": str,
    "paths": list,
    "exclude": list,
    "base": str,
    "branch_prefix": str,
    "sync_callers": str,
    "keep_sync": list,
    "unwrap_offloads": bool,
    "import_roots": list,
    "python": str,
}
_CLIENT_KEYS = {
    "module": str,
    "timeout": float,
    "connect_timeout": float,
    "read_timeout": float,
    "write_timeout": float,
    "pool_timeout": float,
    "max_connections": int,
    "max_keepalive_connections": int,
    "match": list,
    "max_concurrency": int,
    "json_body": str,
}
_PHASE_KEYS = {
    "name": str,
    "codemods": list,
    "options": dict,
    "paths": list,
    "verify": str,
    "sync_callers": str,
    "keep_sync": list,
    "unwrap_offloads": bool,
    "python": str,
}
_CLIENTS_KEYS = {"library": str}  # [clients] keys that are not a client's table
_EXECUTOR_KEYS = {"max_workers": int, "match": list, "module": str}
_MONITOR_KEYS = {"module": str, "interval": float, "warn_after": float}
_SYNC_CALLERS = ("report", "offload", "propagate")


def find_config(start: Path) -> Path | None:
    """The nearest ``migrations.toml`` in ``start`` or a parent, up to the repository root."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (directory / ".git").exists():
            return None  # never read a plan from outside the repository
    return None


def load_plan(path: Path, codemods: Mapping[str, type] | None = None) -> Plan:
    """Read and validate ``path``; every problem is a ConfigError naming file, line and key.

    ``codemods`` maps known codemod names to their classes (default: the registry).
    """
    path = Path(path).resolve()
    try:
        data_bytes = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the plan: {exc.strerror or exc}", path=str(path)) from exc
    return plan_from_bytes(path, data_bytes, codemods)


def plan_from_bytes(path: Path, data_bytes: bytes, codemods: Mapping[str, type] | None = None) -> Plan:
    """The plan ``data_bytes`` would be once written at ``path`` (``init`` checks its text
    this way before writing it)."""
    path = Path(path).resolve()
    try:
        text = data_bytes.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8 text", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ConfigError(f"broken TOML: {exc}", path=str(path), line=line) from exc
    if codemods is None:
        from asyncmig import registry

        codemods = registry.codemods()
    return _Loader(path, text, data, codemods).plan(hashlib.sha256(data_bytes).hexdigest())


def slugify(name: str) -> str:
    """``"File I/O & sleeps"`` → ``"file-i-o-sleeps"``: the branch-name part of a phase."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def phase_branch(migration: Migration, phase: Phase) -> str:
    return f"{migration.branch_prefix}phase-{phase.number}-{slugify(phase.name)}"


def branch_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid git branch name (git check-ref-format rules), or None."""
    if not name:
        return "it is empty"
    if name.startswith("-"):
        return "it starts with '-'"
    if name == "@":
        return "'@' alone is not allowed"
    bad = [c for c in name if ord(c) < 32 or ord(c) == 127 or c in " ~^:?*[\\"]
    if bad:
        return f"it contains {bad[0]!r}"
    if ".." in name or "@{" in name or "//" in name:
        return "it contains '..', '@{' or '//'"
    if name.startswith("/") or name.endswith(("/", ".")):
        return "it starts or ends with '/' or ends with '.'"
    for part in name.split("/"):
        if part.startswith(".") or part.endswith(".lock"):
            return f"the component {part!r} starts with '.' or ends with '.lock'"
    return None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _line_index(text: str) -> dict[tuple, int]:
    """Where each table and key starts: ``(table path..., key) → line`` (1-based).

    Array-of-tables entries are indexed (``("phases", 0, "name")``); tomllib keeps no
    positions, so this small scanner finds them for error messages.
    """
    index: dict[tuple, int] = {}
    counters: dict[tuple, int] = {}
    table: tuple = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            parts = _split_key(header.group(2))
            if header.group(1) == "[[":
                count = counters.get(parts, -1) + 1
                counters[parts] = count
                table = (*parts, count)
            else:
                # [phases.options.x] belongs to the latest [[phases]] entry.
                resolved: list = []
                for i, part in enumerate(parts):
                    resolved.append(part)
                    prefix = tuple(parts[: i + 1])
                    if prefix in counters:
                        resolved.append(counters[prefix])
                table = tuple(resolved)
            index.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            full = (*table, *_split_key(key.group(1)))
            index.setdefault(full, number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
    return index


def default_monitor_module(migration: Migration) -> str:
    """Where the loop-lag monitor goes without ``[monitor] module``: the first migrated folder."""
    return f"{migration.paths[0].rstrip('/')}/loop_monitor.py".removeprefix("./")


class _Loader:
    def __init__(self, path: Path, text: str, data: dict, codemods: Mapping[str, type]) -> None:
        self.path = path
        self.data = data
        self.codemods = codemods
        self.lines = _line_index(text)
        self.root = path.parent
        self.repo = _repository_root(self.root)

    # -- errors ------------------------------------------------------------------------
    def line(self, *where: Any) -> int | None:
        for end in range(len(where), 0, -1):
            found = self.lines.get(tuple(where[:end]))
            if found is not None:
                return found
        return None

    def error(self, where: tuple, message: str, hint: str | None = None) -> ConfigError:
        key = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in where)
        key = key.replace(".[", "[")
        if where and where[0] == "phases" and len(where) > 1 and isinstance(where[1], int):
            key = f"phases[{where[1] + 1}]" + key[len(f"phases[{where[1]}]"):]
        return ConfigError(message, path=str(self.path), line=self.line(*where), key=key or None, hint=hint)

    def check_keys(self, table: Mapping, allowed: Mapping[str, type], where: tuple) -> None:
        for key in table:
            if key not in allowed:
                raise self.error(
                    (*where, key),
                    f"unknown key {key!r}",
                    hint=f"valid keys here: {', '.join(sorted(allowed))}",
                )

    def typed(self, value: Any, tp: type, where: tuple) -> Any:
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        ok = isinstance(value, tp) and not (tp in (int, float) and isinstance(value, bool))
        if not ok:
            names = {str: "a string", list: "an array", bool: "true or false", float: "a number",
                     int: "an integer", dict: "a table"}
            raise self.error(where, f"expected {names.get(tp, tp.__name__)}, got {value!r}")
        return value

    def strings(self, value: Any, where: tuple) -> tuple[str, ...]:
        self.typed(value, list, where)
        for item in value:
            if not isinstance(item, str) or not item:
                raise self.error(where, f"expected an array of non-empty strings, got {item!r} in it")
        return tuple(value)

    def inside(self, value: str, where: tuple, *, must_exist: bool = True) -> str:
        """A path relative to the plan's folder that stays inside the repository."""
        if Path(value).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", value):
            raise self.error(where, f"{value!r} is absolute", hint="paths are relative to the plan's folder")
        if ".." in Path(value).parts:
            raise self.error(where, f"{value!r} escapes the repository with '..'")
        full = self.root / value
        if must_exist and not full.exists():
            raise self.error(where, f"{value!r} does not exist", hint=f"relative to {self.root.name}/")
        real = full.resolve()
        if real != self.repo and self.repo not in real.parents:
            raise self.error(where, f"{value!r} leads outside the repository (a symlink?)")
        return Path(value).as_posix()

    def interpreter(self, value: Any, where: tuple) -> str:
        """An interpreter path: absolute, or relative to the plan's folder (it may not exist
        yet, e.g. a virtual environment CI creates; verify checks it)."""
        value = self.typed(value, str, where).strip()
        if not value:
            raise self.error(where, "python is empty", hint="leave it out to use the environment asyncmig runs in")
        return value

    def sync_callers(self, value: str, where: tuple) -> str:
        if value not in _SYNC_CALLERS:
            raise self.error(where, f"sync_callers must be one of {', '.join(_SYNC_CALLERS)}, not {value!r}")
        return value

    # -- sections ----------------------------------------------------------------------
    def plan(self, sha256: str) -> Plan:
        self.check_keys(
            self.data,
            {"migration": dict, "clients": dict, "executors": dict, "phases": list, "monitor": dict},
            (),
        )
        migration = self.migration(self.data.get("migration", {}))
        clients = self.clients(self.data.get("clients", {}))
        executors = self.executors(self.data.get("executors", {}))
        phases = self.phases(self.data.get("phases"), migration)
        return Plan(
            path=str(self.path),
            root=str(self.root),
            sha256=sha256,
            migration=migration,
            clients=clients,
            phases=phases,
            executors=executors,
            monitor=self.monitor(self.data["monitor"], migration) if "monitor" in self.data else None,
        )

    def migration(self, table: Any) -> Migration:
        where = ("migration",)
        self.typed(table, dict, where)
        self.check_keys(table, _MIGRATION_KEYS, where)
        values: dict[str, Any] = {}
        for key, tp in _MIGRATION_KEYS.items():
            if key in table:
                values[key] = self.typed(table[key], tp, (*where, key))
        if "name" in values and not values["name"].strip():
            raise self.error((*where, "name"), "the migration name is empty")
        if "paths" in values:
            paths = self.strings(values["paths"], (*where, "paths"))
            if not paths:
                raise self.error((*where, "paths"), "paths is empty", hint='use ["."] for everything')
            values["paths"] = tuple(self.inside(p, (*where, "paths")) for p in paths)
        if "import_roots" in values:
            roots = self.strings(values["import_roots"], (*where, "import_roots"))
            values["import_roots"] = tuple(self.inside(p, (*where, "import_roots")) for p in roots)
        for key in ("exclude", "keep_sync"):
            if key in values:
                values[key] = self.strings(values[key], (*where, key))
        if "sync_callers" in values:
            self.sync_callers(values["sync_callers"], (*where, "sync_callers"))
        if "python" in values:
            values["python"] = self.interpreter(values["python"], (*where, "python"))
        if "base" in values:
            problem = branch_name_problem(values["base"])
            if problem:
                raise self.error((*where, "base"), f"invalid branch name {values['base']!r}: {problem}")
        if "branch_prefix" in values:
            prefix = values["branch_prefix"]
            problem = branch_name_problem(prefix + "phase-1-x") if prefix else None
            if problem:
                raise self.error((*where, "branch_prefix"), f"invalid branch prefix {prefix!r}: {problem}")
        return Migration(**values)

    def identifier(self, name: str, where: tuple, what: str) -> None:
        """``name`` becomes part of a Python function name (``get_<name>_client``)."""
        if not name.isidentifier() or name.startswith("_"):
            suggestion = re.sub(r"\W+", "_", name).strip("_")
            hint = f"e.g. [{where[0]}.{suggestion}]" if suggestion.isidentifier() else None
            raise self.error(
                where,
                f"{what} name {name!r} is not a Python identifier: it names the generated "
                f"function get_{name}_{what}()",
                hint=hint or "use letters, digits and '_', not starting with a digit",
            )

    def clients(self, table: Any) -> tuple[ClientConfig, ...]:
        self.typed(table, dict, ("clients",))
        library = None
        if "library" in table:
            library = self.typed(table["library"], str, ("clients", "library"))
            if library not in HTTP_LIBRARIES:
                raise self.error(
                    ("clients", "library"),
                    f"library must be one of {', '.join(HTTP_LIBRARIES)}, not {library!r}",
                )
        clients = []
        for name, body in table.items():
            where = ("clients", name)
            if name in _CLIENTS_KEYS:
                continue
            if not isinstance(body, dict):
                raise self.error(
                    where,
                    f"unknown key {name!r}",
                    hint=f"[clients] takes {', '.join(sorted(_CLIENTS_KEYS))} and one [clients.<name>] table per client",
                )
            self.identifier(name, where, "client")
            self.check_keys(body, _CLIENT_KEYS, where)
            values: dict[str, Any] = {"name": name, "library": library}
            for key, tp in _CLIENT_KEYS.items():
                if key not in body:
                    continue
                value = self.typed(body[key], tp, (*where, key))
                if tp in (int, float) and value <= 0:
                    raise self.error((*where, key), f"{key} must be positive, not {value!r}")
                values[key] = value
            if "module" in values:
                module = values["module"]
                if not module.endswith(".py"):
                    raise self.error((*where, "module"), f"module {module!r} must be a .py file path")
                values["module"] = self.inside(module, (*where, "module"), must_exist=False)
            if "match" in values:
                values["match"] = self.strings(values["match"], (*where, "match"))
            if "json_body" in values and values["json_body"] not in JSON_BODIES:
                raise self.error(
                    (*where, "json_body"),
                    f"json_body must be one of {', '.join(JSON_BODIES)}, not {values['json_body']!r}",
                )
            clients.append(ClientConfig(**values))
        if library is not None and not clients:
            clients.append(ClientConfig(library=library))
        return tuple(clients)

    def executors(self, table: Any) -> tuple[ExecutorConfig, ...]:
        self.typed(table, dict, ("executors",))
        executors = []
        for name, body in table.items():
            where = ("executors", name)
            self.typed(body, dict, where)
            self.identifier(name, where, "executor")
            self.check_keys(body, _EXECUTOR_KEYS, where)
            if "max_workers" not in body:
                raise self.error(where, f"executor {name!r} has no max_workers", hint="e.g. max_workers = 4")
            workers = self.typed(body["max_workers"], int, (*where, "max_workers"))
            if workers <= 0:
                raise self.error((*where, "max_workers"), f"max_workers must be positive, not {workers!r}")
            match = self.strings(body.get("match", []), (*where, "match"))
            if not match:
                raise self.error(
                    (*where, "match") if "match" in body else where,
                    f"executor {name!r} matches no helper",
                    hint='match = ["app.jobs.*", "process_conversation"] (qualified names, * wildcards)',
                )
            module = None
            if "module" in body:
                module = self.typed(body["module"], str, (*where, "module"))
                if not module.endswith(".py"):
                    raise self.error((*where, "module"), f"module {module!r} must be a .py file path")
                module = self.inside(module, (*where, "module"), must_exist=False)
            executors.append(ExecutorConfig(name=name, max_workers=workers, match=match, module=module))
        return tuple(executors)
    def monitor(self, table: Any, migration: Migration) -> MonitorConfig:
        where = ("monitor",)
        self.typed(table, dict, where)
        self.check_keys(table, _MONITOR_KEYS, where)
        values: dict[str, Any] = {}
        for key, tp in _MONITOR_KEYS.items():
            if key in table:
                values[key] = self.typed(table[key], tp, (*where, key))
                if tp is float and values[key] <= 0:
                    raise self.error((*where, key), f"{key} must be positive, not {values[key]!r}")
        module = values.get("module") or default_monitor_module(migration)
        if not module.endswith(".py"):
            raise self.error((*where, "module"), f"module {module!r} must be a .py file path")
        values["module"] = self.inside(module, (*where, "module"), must_exist=False)
        return MonitorConfig(**values)

    def phases(self, table: Any, migration: Migration) -> tuple[Phase, ...]:
        if table is None:
            raise self.error((), "no [[phases]]: a plan needs at least one phase")
        if not isinstance(table, list) or not all(isinstance(p, dict) for p in table):
            raise self.error(("phases",), "phases must be an array of tables ([[phases]])")
        if not table:
            raise self.error(("phases",), "no [[phases]]: a plan needs at least one phase")
        phases: list[Phase] = []
        names: dict[str, int] = {}
        for index, body in enumerate(table):
            where = ("phases", index)
            number = index + 1
            self.check_keys(body, _PHASE_KEYS, where)
            if "name" not in body:
                raise self.error(where, f"phase {number} has no name")
            name = self.typed(body["name"], str, (*where, "name"))
            if not slugify(name):
                raise self.error((*where, "name"), f"phase name {name!r} has no letters or digits")
            if name in names:
                raise self.error(
                    (*where, "name"), f"duplicate phase name {name!r} (phase {names[name]} has it too)"
                )
            names[name] = number
            if "codemods" not in body:
                raise self.error(where, f"phase {number} ({name}) lists no codemods")
            codemods = self.strings(body["codemods"], (*where, "codemods"))
            if not codemods:
                raise self.error((*where, "codemods"), f"phase {number} ({name}) lists no codemods")
            for codemod in codemods:
                if codemod not in self.codemods:
                    raise self.error(
                        (*where, "codemods"),
                        f"unknown codemod {codemod!r}",
                        hint=f"known codemods: {', '.join(sorted(self.codemods)) or '(none)'}",
                    )
            if len(set(codemods)) != len(codemods):
                raise self.error((*where, "codemods"), "a codemod is listed twice")
            options = self.phase_options(body.get("options", {}), codemods, where)
            paths = None
            if "paths" in body:
                raw = self.strings(body["paths"], (*where, "paths"))
                if not raw:
                    raise self.error((*where, "paths"), "paths is empty (leave it out to use [migration].paths)")
                paths = tuple(self.inside(p, (*where, "paths")) for p in raw)
            verify = None
            if "verify" in body:
                verify = self.typed(body["verify"], str, (*where, "verify")).strip() or None
            settings: dict[str, Any] = {}
            if "sync_callers" in body:
                value = self.typed(body["sync_callers"], str, (*where, "sync_callers"))
                settings["sync_callers"] = self.sync_callers(value, (*where, "sync_callers"))
            if "keep_sync" in body:
                settings["keep_sync"] = self.strings(body["keep_sync"], (*where, "keep_sync"))
            if "unwrap_offloads" in body:
                settings["unwrap_offloads"] = self.typed(body["unwrap_offloads"], bool, (*where, "unwrap_offloads"))
            if "python" in body:
                settings["python"] = self.interpreter(body["python"], (*where, "python"))
            phase = Phase(
                number=number,
                name=name,
                codemods=codemods,
                options=options,
                paths=paths,
                verify=verify,
                line=self.line(*where),
                **settings,
            )
            branch = phase_branch(migration, phase)
            problem = branch_name_problem(branch)
            if problem:
                raise self.error((*where, "name"), f"branch {branch!r} is not a valid git branch name: {problem}")
            phases.append(phase)
        return tuple(phases)

    def phase_options(self, table: Any, codemods: tuple[str, ...], where: tuple) -> tuple:
        where = (*where, "options")
        self.typed(table, dict, where)
        parsed = []
        for codemod, values in table.items():
            if codemod not in codemods and codemod != "async-propagation":  # runs with sync_callers
                raise self.error(
                    (*where, codemod),
                    f"options for {codemod!r}, which this phase does not run",
                    hint=f"this phase runs: {', '.join(codemods)}",
                )
            self.typed(values, dict, (*where, codemod))
            cls = self.codemods[codemod]
            try:
                cls.parse_options(values)
            except UsageError as exc:
                raise self.error((*where, codemod), exc.message, hint=exc.hint) from exc
            parsed.append((codemod, tuple(values.items())))
        return tuple(parsed)


def _repository_root(start: Path) -> Path:
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate.resolve()
    return start.resolve()
