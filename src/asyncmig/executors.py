"""Dedicated executors (``[executors.<name>]``): which offloads run where, and their module.

Seed 002's target — "no use of default asyncio executor"; a critical executor of 2–4
workers never shared with best-effort work — as configuration::

    [executors.critical]
    max_workers = 4
    match = ["app.conversations.process_conversation", "app.storage.*"]

An offload async propagation writes for a helper whose qualified name matches (``*``
wildcards; a pattern without a dot also matches the last name) becomes
``await run_in_critical_executor(helper, x)`` instead of ``await asyncio.to_thread(helper,
x)``, imported from a generated ``executors.py`` (``[executors.<name>].module``; else
beside the shared HTTP client module; else in the call site's top-level package).
"""

from __future__ import annotations

import fnmatch
import re
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Callable

from asyncmig import generated
from asyncmig.config import DEFAULT_EXECUTOR_MODULE, ClientConfig, ExecutorConfig
from asyncmig.models import Environment, FileResult

SETTING = "executors"
HEADER = generated.header("async-propagation", "executors")
# An offload's change: ``helper(...) → await run_in_<name>_executor(helper, ...)``.
OFFLOAD = re.compile(r"→ await (run_in_\w+_executor)\(")


def executors_of(env: Environment) -> tuple[ExecutorConfig, ...]:
    return tuple(env.setting(SETTING) or ())  # type: ignore[arg-type]


def executor_for(executors: tuple[ExecutorConfig, ...], helper: str) -> ExecutorConfig | None:
    """The first executor whose ``match`` patterns name ``helper`` (a qualified name)."""
    last = helper.rpartition(".")[2]
    for executor in executors:
        for pattern in executor.match:
            if fnmatch.fnmatchcase(helper, pattern) or ("." not in pattern and fnmatch.fnmatchcase(last, pattern)):
                return executor
    return None


def runner_name(executor: str) -> str:
    """``run_in_critical_executor`` for ``[executors.critical]``."""
    return f"run_in_{executor}_executor"


def module_path(env: Environment, path: str, is_pkg: Callable[[str], bool]) -> str:
    """Where the executors module lives for a call site in ``path``."""
    for executor in executors_of(env):
        if executor.module:
            return PurePosixPath(executor.module).as_posix()
    from asyncmig.codemods.requests_to_httpx import Options, client_module_path, clients_of

    clients = clients_of(env)
    beside = client_module_path(clients, Options(), path, is_pkg) if _configured(clients) else None
    if beside is None:
        beside = client_module_path((ClientConfig(),), Options(), path, is_pkg)
    return (PurePosixPath(beside).parent / DEFAULT_EXECUTOR_MODULE).as_posix()


def _configured(clients: tuple[ClientConfig, ...]) -> bool:
    return any(c.module for c in clients)


def render(executors: tuple[ExecutorConfig, ...]) -> bytes:
    template = resources.files("asyncmig.codemods").joinpath("templates/executors.py.tmpl")
    names = [n for e in executors for n in (f"get_{e.name}_executor", runner_name(e.name))]
    public = sorted(["EXECUTOR_WORKERS", "executors_lifespan", "get_executor", "run_in_executor",
                     "shutdown_executors", *names])
    body = (
        template.read_text(encoding="utf-8")
        .replace("@ALL@", "__all__ = [\n" + "".join(f'    "{n}",\n' for n in public) + "]")
        .replace("@EXECUTORS@", "".join(f'    "{e.name}": {e.max_workers},\n' for e in executors))
        .replace("@GETTERS@", "\n\n".join(_functions(e) for e in executors))
        .replace("@EXAMPLE@", runner_name(executors[0].name))
    )
    return generated.with_header(HEADER, body)


def _functions(executor: ExecutorConfig) -> str:
    name = executor.name
    return (
        f"def get_{name}_executor() -> ThreadPoolExecutor:\n"
        f'    """The ``{name}`` pool ({executor.max_workers} workers)."""\n'
        f'    return get_executor("{name}")\n'
        "\n\n"
        f"async def {runner_name(name)}(\n"
        "    func: Callable[..., T], /, *args: Any, **kwargs: Any\n"
        ") -> T:\n"
        f'    """Run ``func(*args, **kwargs)`` on the ``{name}`` pool; await its result."""\n'
        f'    return await run_in_executor("{name}", func, *args, **kwargs)\n'
    )


def finalize(codemod: str, env: Environment, root: Path, results: tuple[FileResult, ...]) -> list[FileResult]:
    """Write (or update) the executors module when this run routed an offload to one."""
    executors = executors_of(env)
    if not executors:
        return []
    from asyncmig.codemods.requests_to_httpx import is_package

    modules: dict[str, None] = {}
    for result in results:
        if result.status == "changed" and any(
            c.codemod == codemod and OFFLOAD.search(c.what) for c in result.changes
        ):
            modules[module_path(env, result.path, lambda d: is_package(env, d, root))] = None
    produced = []
    for module in modules:
        file = generated.module_file(
            root, module, render(executors),
            codemod=codemod, kind="executors module",
            why="offloaded helpers that match [executors] run on its pools",
            provides="the run_in_<name>_executor() functions",
        )
        if file is not None:
            produced.append(file)
    return produced
