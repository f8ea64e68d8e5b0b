"""What counts as a blocking call: the site kinds of DESIGN §6 and their recognizers.

Recognition works on *resolved dotted names* produced by the call-graph extractor
(:mod:`asyncmig.callgraph`): imports and aliases are already followed, a local variable
that shadows a module resolves to nothing, and an instance is written with ``()`` after
the name of what built it — ``requests.Session().get`` is the ``get`` method of a
``requests.Session()`` object, ``pathlib.Path().read_text`` a Path's ``read_text``.

A few methods are recognized by name where the receiver's type cannot be known
statically, only when nothing says otherwise: ``x.join()`` without a positional argument
in a module that uses threads, ``f.result()`` in a module that uses executors, and
``x.read_text()``-style calls that only ``pathlib``-like objects have. Awaited calls are
never sites (``await q.join()`` is asyncio's).
"""

from __future__ import annotations

import ast
from typing import Literal

Kind = Literal[
    "requests", "httpx-sync", "thread", "thread-join", "executor", "open", "path-io", "sleep", "subprocess",
    "fire-and-forget",
]

KINDS: tuple[Kind, ...] = (
    "requests",
    "httpx-sync",
    "thread",
    "thread-join",
    "executor",
    "open",
    "path-io",
    "sleep",
    "subprocess",
    "fire-and-forget",
)
# Kinds that block the thread they run on. ``thread`` (a thread of a fan-out its function
# joins) and ``fire-and-forget`` (a thread started and never joined there, or a daemon)
# are listed for the migration, but creating or starting a thread does not block: only
# the ``thread-join`` does. These never fail ``check`` nor make a function "blocking".
BLOCKING_KINDS: frozenset[str] = frozenset(KINDS) - {"thread", "fire-and-forget"}

# kind → the codemod that rewrites it (DESIGN §6 ``codemod``); None: no codemod yet.
CODEMOD_OF_KIND: dict[str, str | None] = {
    "requests": "requests-to-httpx",
    "httpx-sync": "requests-to-httpx",
    "thread": "threads-to-gather",
    "thread-join": "threads-to-gather",
    "executor": "threads-to-gather",
    "open": "open-to-anyio",
    "path-io": "open-to-anyio",
    "sleep": "sleep-to-asyncio",
    "subprocess": None,
    "fire-and-forget": None,
}

# What the timeout column says when a call has no timeout argument.
NO_TIMEOUT = "none"
NOT_APPLICABLE = "-"

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
_SESSION_METHODS = HTTP_VERBS | {"send"}
_HTTPX_CLIENT_METHODS = HTTP_VERBS | {"send", "stream"}

_REQUESTS: frozenset[str] = frozenset(
    {f"requests.{v}" for v in HTTP_VERBS}
    | {f"requests.api.{v}" for v in HTTP_VERBS}
    | {f"requests.Session().{m}" for m in _SESSION_METHODS}
    | {f"requests.session().{m}" for m in _SESSION_METHODS}
    | {f"requests.sessions.Session().{m}" for m in _SESSION_METHODS}
)
# Blocking HTTP through the standard library or urllib3: same kind, no codemod.
_OTHER_HTTP: frozenset[str] = frozenset(
    {
        "urllib.request.urlopen",
        "urllib3.request",
        "urllib3.PoolManager().request",
        "urllib3.PoolManager().urlopen",
        "urllib3.PoolManager().request_encode_url",
        "urllib3.PoolManager().request_encode_body",
        "http.client.HTTPConnection().request",
        "http.client.HTTPConnection().getresponse",
        "http.client.HTTPSConnection().request",
        "http.client.HTTPSConnection().getresponse",
    }
)
# httpx2 is httpx's maintained continuation (the same API): its sync calls block alike.
_HTTPX: frozenset[str] = frozenset(
    {f"{lib}.{v}" for lib in ("httpx", "httpx2") for v in HTTP_VERBS | {"stream"}}
    | {f"{lib}.Client().{m}" for lib in ("httpx", "httpx2") for m in _HTTPX_CLIENT_METHODS}
)
_THREADS = frozenset({"threading.Thread", "threading.Timer"})
_JOINABLE = frozenset(
    {"threading.Thread()", "threading.Timer()", "multiprocessing.Process()", "multiprocessing.Pool()"}
)
_EXECUTORS = frozenset(
    {"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor"}
)
_EXECUTOR_WAITS = frozenset({"concurrent.futures.wait", "concurrent.futures.as_completed"})
_EXECUTOR_METHODS = frozenset({"map", "shutdown"})
_OPEN = frozenset({"builtins.open", "io.open", "io.open_code", "codecs.open", "os.fdopen"})
# File-system calls of os and shutil that block on the disk (open-to-anyio migrates them).
_FS_CALLS = frozenset(
    {
        "os.remove", "os.unlink", "os.listdir", "os.makedirs", "os.rename", "os.replace",
        "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
        "shutil.rmtree",
    }
)
_PATH_CLASSES = ("pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath")
_PATH_INSTANCES = frozenset(f"{c}()" for c in _PATH_CLASSES)
PATH_IO_METHODS = frozenset(
    {
        "read_text", "write_text", "read_bytes", "write_bytes", "exists", "is_file", "is_dir",
        "is_symlink", "is_mount", "is_socket", "is_fifo", "is_block_device", "is_char_device",
        "stat", "lstat", "mkdir", "rmdir", "unlink", "rename", "replace", "touch", "iterdir",
        "glob", "rglob", "samefile", "chmod", "lchmod", "owner", "group",
        "readlink", "symlink_to", "hardlink_to", "walk", "resolve", "absolute", "expanduser",
    }
)
# Methods no other common object has: recognized on any receiver that is not awaited.
_PATH_ONLY_METHODS = frozenset({"read_text", "write_text", "read_bytes", "write_bytes"})
_OS_PATH_MODULES = ("os.path.", "posixpath.", "ntpath.", "genericpath.")
# os.path functions that only compute on strings; every other one asks the system (the
# file system, the current directory or the password database), as ruff's ASYNC240 says.
OS_PATH_PURE = frozenset(
    {
        "join", "split", "splitext", "splitdrive", "splitroot", "dirname", "basename",
        "commonpath", "commonprefix", "isabs", "isreserved", "normcase", "normpath",
        "expandvars", "fspath",
    }
)
_SUBPROCESS = frozenset(
    {
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.getoutput", "subprocess.getstatusoutput", "subprocess.Popen",
        "subprocess.Popen().wait", "subprocess.Popen().communicate",
        "os.system", "os.popen", "os.posix_spawn", "os.posix_spawnp",
        "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe",
        "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe",
        "os.wait", "os.wait3", "os.wait4", "os.waitid", "os.waitpid",
    }
)
# Receivers that have a ``join()``/``result()`` of their own that is not a thread's.
_NOT_THREADS = ("queue.", "asyncio.", "os.", "posixpath.", "ntpath.", "builtins.", "shlex.", "multiprocessing.Queue", "multiprocessing.JoinableQueue")


# Callees known by their name alone, in the order they are checked: (names, kind, codemod).
_NAMED: tuple[tuple[frozenset[str], Kind, str | None], ...] = (
    (_REQUESTS, "requests", "requests-to-httpx"),
    (_HTTPX, "httpx-sync", "requests-to-httpx"),
    (_OTHER_HTTP, "requests", None),
    (frozenset({"time.sleep"}), "sleep", "sleep-to-asyncio"),
    (_OPEN, "open", "open-to-anyio"),
    (_FS_CALLS, "path-io", "open-to-anyio"),
    (_SUBPROCESS, "subprocess", None),
    (_THREADS, "thread", "threads-to-gather"),
    (_EXECUTOR_WAITS, "executor", "threads-to-gather"),
)
# The kinds whose callables block when a worker calls them as handed over (a reference).
_BLOCK_BY_THEMSELVES = frozenset({"requests", "httpx-sync", "sleep", "open", "subprocess"})


def classify(
    target: str | None,
    receiver: str | None,
    method: str | None,
    node: ast.Call,
    *,
    uses_threads: bool,
    uses_executors: bool,
    in_async: bool = False,
) -> tuple[Kind, str | None] | None:
    """The kind of a (not awaited) call, and the codemod that rewrites it; None: not a site.

    ``target`` is the resolved dotted name of the callee (None when unknown), ``receiver``
    the resolved name of what a method is called on, ``method`` the method's name when the
    callee is an attribute. ``uses_threads`` / ``uses_executors`` say whether the module
    imports ``threading``/``multiprocessing`` or ``concurrent.futures``; ``in_async`` that
    the call is in an ``async def``, where ``f.result()`` of an unknown ``f`` is an asyncio
    future's (which never blocks).
    """
    if target is not None:
        for names, kind, codemod in _NAMED:
            if target in names:
                return kind, codemod
        if (
            target.startswith(_OS_PATH_MODULES)
            and target.count(".") == 2 - target.startswith(("posixpath.", "ntpath.", "genericpath."))
            and target.rpartition(".")[2] not in OS_PATH_PURE
        ):
            return "path-io", "open-to-anyio"
        if method is not None and (receiver in _PATH_INSTANCES or receiver in _PATH_CLASSES):
            if method == "open":
                return "open", "open-to-anyio"
            if method in PATH_IO_METHODS:
                return "path-io", "open-to-anyio"
    if method is None:
        return None
    if method == "join":
        positional = len(node.args)
        if receiver in _JOINABLE and positional <= 1:
            return "thread-join", "threads-to-gather"
        if (
            positional == 0
            and uses_threads
            and all(k.arg == "timeout" for k in node.keywords)
            and (receiver is None or not receiver.startswith(_NOT_THREADS))
        ):
            return "thread-join", "threads-to-gather"
        return None
    if method == "result":
        if receiver is not None and receiver.endswith(".submit()"):
            return "executor", "threads-to-gather"
        if (
            uses_executors
            and not in_async
            and receiver is None
            and len(node.args) <= 1
            and all(k.arg == "timeout" for k in node.keywords)
        ):
            return "executor", "threads-to-gather"
        return None
    if method in _EXECUTOR_METHODS and receiver is not None:
        if receiver.endswith("()") and receiver[:-2] in _EXECUTORS:
            return "executor", "threads-to-gather"
        return None
    if method in _PATH_ONLY_METHODS and (receiver is None or not receiver.startswith(("anyio.", "trio."))):
        return "path-io", "open-to-anyio"
    return None


def classify_reference(target: str) -> tuple[Kind, str | None] | None:
    """The kind of a blocking callable named without a call, as handed to a worker
    (``loop.run_in_executor(None, requests.get, url)``, ``to_thread(time.sleep, 1)``)."""
    for names, kind, codemod in _NAMED:
        if target in names and kind in _BLOCK_BY_THEMSELVES:
            return kind, codemod
    return None


def is_executor(target: str | None) -> bool:
    """``ThreadPoolExecutor(...)`` / ``ProcessPoolExecutor(...)`` (a ``with`` on it waits)."""
    return target in _EXECUTORS


def timeout_of(kind: str, node: ast.Call, text) -> str:
    """The timeout column: the call's timeout argument as written, else ``none``.

    ``text(expr)`` returns an expression's source. For ``sleep`` it is the duration (how
    long the call blocks); for file and path I/O there is no timeout (``-``). httpx has
    a 5 s default timeout of its own.
    """
    if kind in ("open", "path-io", "thread", "fire-and-forget"):
        return NOT_APPLICABLE
    if kind == "sleep":
        return text(node.args[0]) if node.args else NO_TIMEOUT
    for keyword in node.keywords:
        if keyword.arg == "timeout":
            value = keyword.value
            if isinstance(value, ast.Constant) and value.value is None:
                return NO_TIMEOUT
            return text(value)
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in ("join", "result") and len(node.args) == 1:
        return text(node.args[0])
    if kind == "httpx-sync":
        return "default (5s)"
    return NO_TIMEOUT
