"""open-to-anyio: blocking file I/O in async code becomes anyio's async file API.

What it does
    In the body of an ``async def`` (or a function propagation made async):

    - ``with open(p, mode, ...) as f:`` (``builtins.open`` or ``io.open``, any mode and
      arguments, several files in one ``with``, parenthesized ``with``) and
      ``with path.open(...) as f:`` become ``async with await anyio.open_file(...) as f:``.
      Inside the block ``f.read/read1/readline/readlines/readinto/write/writelines/seek/
      tell/flush/truncate(...)`` are awaited, ``f.close()`` becomes ``await f.aclose()``,
      ``for line in f:`` becomes ``async for`` (list/set/dict comprehensions too),
      ``json.load(f, **kw)`` becomes ``json.loads(await f.read(), **kw)`` and
      ``json.dump(obj, f, **kw)`` becomes ``await f.write(json.dumps(obj, **kw))``.
      A ``with`` that also holds other context managers is split, in order, into a
      ``with`` around an ``async with`` (entering order and exit order are unchanged).
    - A ``with`` block that loops over its file (``for line in f``, a comprehension over
      ``f``, ``f.write`` in a loop), calls ``json.dump(obj, f)`` or passes ``f`` to another
      call (csv, pickle, shutil.copyfileobj...) moves unchanged into a nested sync function
      run once by ``await anyio.to_thread.run_sync(read_file)``: per-line awaits would cost
      a worker-thread round trip per line. Names the rest of the function reads come back
      as ``nonlocal`` or returned values; a block that returns hands its value back. A loop
      block that awaits or yields keeps the per-operation form and the change says why.
    - A ``with`` block whose one statement reads or writes the whole file
      (``x = f.read()``, ``return json.load(f)``, ``f.write(s)``) becomes one anyio.Path
      call, ``x = await anyio.Path(p).read_text(...)`` (one worker-thread round trip, not
      three), when open()'s arguments map exactly onto the method's.
    - ``open(p).read()`` / ``open(p, "rb").read()`` / ``open(p, "w").write(s)`` /
      ``open(p, "wb").write(b)`` become ``await anyio.Path(p).read_text()`` etc.;
      ``json.load(open(p))`` becomes ``json.loads(await anyio.Path(p).read_text())``; the
      statement ``json.dump(obj, open(p, "w"))`` runs in a worker thread, its file in a
      ``with`` (``await anyio.Path(p).write_text(json.dumps(obj))`` when it cannot).
    - ``read_text/write_text/read_bytes/write_bytes`` (and ``exists/is_file/is_dir/stat/
      unlink/mkdir/rmdir/touch``) on a ``pathlib.Path`` — ``Path(...)``,
      ``Path(...) / "x"``, ``.parent``, ``.with_suffix(...)`` and the like, a parameter
      annotated ``Path`` or a variable only ever assigned such an expression — become
      ``await anyio.Path(...).read_text(...)`` with the same arguments.
    - With the option ``os_calls`` (on by default): ``os.path.exists/isfile/isdir(p)`` →
      ``await anyio.Path(p).exists()/is_file()/is_dir()``, ``os.path.getsize(p)`` →
      ``(await anyio.Path(p).stat()).st_size``, ``os.remove/unlink(p)`` →
      ``await anyio.Path(p).unlink()``, ``os.listdir(p)`` →
      ``await anyio.to_thread.run_sync(os.listdir, p)`` (the same list of names),
      ``os.makedirs(p, exist_ok=True)`` → ``await anyio.Path(p).mkdir(parents=True,
      exist_ok=True)``, ``os.rename/replace(a, b)`` → ``await anyio.Path(a).rename/replace(b)``,
      ``shutil.copy*/move/rmtree(...)`` → ``await anyio.to_thread.run_sync(shutil.copy2, ...)``.
    - ``upload.file.read()`` on a parameter annotated ``UploadFile`` → ``await upload.read()``
      (``write``, ``seek``, ``close`` too).
    - An await put under ``except:``/``except BaseException:`` that swallows errors is
      reported in the change list: it would swallow the task's cancellation too.

Why
    Every blocking read or write freezes the event loop for its duration (a slow disk or a
    network file system stalls every request of the process). anyio runs each operation
    in a worker thread and awaits it.

Example
    ``golden/open-to-anyio/basic``::

        async def load(path):                     async def load(path):
            with open(path, encoding="utf-8") as f:   async with await anyio.open_file(path, encoding="utf-8") as f:
                return f.read()                           return await f.read()

Left alone (reported as skips)
    - the file object escapes the block (returned, yielded, stored, used inside a nested
      function or lambda, rebound, used after the block), or is passed to another call in
      a block that cannot run in a worker thread;
    - a loop block that cannot run unchanged in a nested function: ``break``/``continue``
      of an outer loop, ``super()``/``locals()``, asyncio calls, ``del``, names read later
      but not always bound, returns in an async generator;
    - ``os.fdopen(...)``; ``open`` bound to something else than the builtin;
    - ``open()`` outside a ``with`` and not a one-line read/write; one-liners whose mode
      or arguments have no ``anyio.Path`` equivalent (append, ``newline=`` on read);
    - sites inside a lambda or generator expression of an async def;
    - lines marked ``# asyncmig: skip``.
    Sync functions are not touched and not reported (``asyncmig scan`` lists them).

Fix safety
    Same bytes on disk and same return values: ``anyio.open_file`` takes ``open``'s
    arguments and its ``AsyncFile`` forwards ``name``, ``mode``, ``closed``... to the
    wrapped file; ``json.dump`` writes the text ``json.dumps`` returns (in one write, so a
    failing encode leaves the file empty instead of half written). ``anyio.Path`` accepts
    ``str`` and ``os.PathLike`` only, so a bytes path or a file descriptor given to
    ``os.path.exists`` and friends would fail after the rewrite; ``Path.exists`` also
    raises ``PermissionError`` where ``os.path.exists`` returns False. Turn ``os_calls``
    off where that matters.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator

import libcst as cst
from libcst.metadata import ScopeProvider

from asyncmig.codemod import SKIP_BY_REQUEST, AsyncCodemod
from asyncmig.codemods import _open_to_anyio_blocks as blocks
from asyncmig.names import awaited, dotted, needs_parens_when_awaited

OPEN_NAMES = frozenset({"builtins.open", "io.open"})
FDOPEN = "os.fdopen"
PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
PATH_CONSTRUCTORS = frozenset({f"{cls}.{m}" for cls in PATH_CLASSES for m in ("home", "cwd")})
# Methods of a Path that return a Path (so ``p.with_suffix(".json").read_text()`` is I/O).
PATH_RETURNING = frozenset(
    {"with_suffix", "with_name", "with_stem", "joinpath", "resolve", "absolute", "expanduser",
     "relative_to"}
)
# How many names/operations deep _is_path follows an expression (cycles end here too).
MAX_PATH_DEPTH = 12
PATH_IO = frozenset({"read_text", "write_text", "read_bytes", "write_bytes"})
# Blocking Path methods anyio.Path has with the same signature and return type (not
# rename/replace, which return an anyio.Path, nor iterdir/glob, which become async iterators).
PATH_QUERIES = frozenset({"exists", "is_file", "is_dir", "stat", "unlink", "mkdir", "rmdir", "touch"})
# AsyncFile's coroutine methods.
AWAITED_METHODS = frozenset(
    {"read", "read1", "readline", "readlines", "readinto", "readinto1", "write", "writelines",
     "seek", "tell", "flush", "truncate"}
)
# Forwarded by AsyncFile.__getattr__ to the wrapped file, cheap and non-blocking.
FORWARDED = frozenset(
    {"name", "mode", "closed", "encoding", "errors", "newlines", "line_buffering",
     "fileno", "isatty", "readable", "writable", "seekable"}
)
# qualified name -> (anyio.Path method, wrap in ``(...).st_size``)
OS_TO_PATH = {
    "os.path.exists": "exists",
    "os.path.isfile": "is_file",
    "os.path.isdir": "is_dir",
    "os.path.getsize": "stat",
    "os.remove": "unlink",
    "os.unlink": "unlink",
}
OS_TO_THREAD = frozenset({"os.listdir"})
# os.makedirs(p, mode, exist_ok) → anyio.Path(p).mkdir(mode, parents=True, exist_ok=...);
# os.rename/replace(a, b) as a statement → anyio.Path(a).rename/replace(b).
OS_TO_PATH_METHOD = {"os.makedirs": "mkdir", "os.rename": "rename", "os.replace": "replace"}
# No anyio equivalent: the same function runs in a worker thread.
SHUTIL_TO_THREAD = frozenset(
    {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree"}
)
# FastAPI/Starlette's UploadFile: ``upload.file`` is its sync (spooled) file; the awaited
# methods of the UploadFile itself run it in a thread once it has rolled over to disk.
UPLOAD_FILE = frozenset(
    {"fastapi.UploadFile", "fastapi.datastructures.UploadFile", "starlette.datastructures.UploadFile"}
)
UPLOAD_METHODS = {"read": (0, 1), "write": (1, 1), "seek": (1, 1), "close": (0, 0)}
SYNC_FILE_MODULES = {"csv": "a csv reader/writer", "pickle": "pickle"}

SKIP_SHADOWED = "open is bound to something else here (not the builtin open); left alone"
SKIP_FDOPEN = (
    "os.fdopen wraps a file descriptor opened elsewhere; left alone "
    "(migrate by hand with anyio.open_file(fd, ...))"
)
SKIP_BARE_OPEN = (
    "open() outside a with statement (the file object's lifetime is not a block); left alone"
)
SKIP_ANYIO = "the name anyio is bound to something else here"
UPLOAD_DESCRIBE = "UploadFile"
SKIP_JSON = "the name json is bound to something else here"


@dataclasses.dataclass(frozen=True)
class Options:
    """``os_calls``: also rewrite os.path.exists/isfile/isdir/getsize, os.remove/unlink, os.listdir."""

    os_calls: bool = True


Plan = Callable[[cst.CSTNode], cst.CSTNode]


class _Escape(Exception):
    """A use of the file object that the rewrite cannot keep correct (the reason)."""


class _PassedOn(_Escape):
    """The file object is an argument of a call that needs a sync file (``callee``)."""

    def __init__(self, reason: str, callee: str) -> None:
        super().__init__(reason)
        self.callee = callee


class OpenToAnyio(AsyncCodemod):
    NAME = "open-to-anyio"
    DESCRIPTION = (
        "Blocking file I/O in async code (open, pathlib read/write, os.path) becomes "
        "anyio's awaited file API."
    )
    Options = Options
    PREFILTER = (
        "open", "read_text", "write_text", "read_bytes", "write_bytes",
        "exists", "isfile", "isdir", "getsize", "remove", "unlink", "listdir",
        "is_file", "is_dir", "stat", "mkdir", "rmdir", "touch", "makedirs", "rename", "replace",
        "shutil",
    )
    # The ast pass: files with none of these calls in async code are not parsed by LibCST.
    AST_TRIGGERS = frozenset(
        {"builtins.open", "io.open", "os.fdopen", *OS_TO_PATH, *OS_TO_THREAD, *OS_TO_PATH_METHOD,
         *SHUTIL_TO_THREAD}
    )
    AST_METHODS = frozenset(
        {"open", "read_text", "write_text", "read_bytes", "write_bytes",
         "exists", "is_file", "is_dir", "stat", "unlink", "mkdir", "rmdir", "touch"}
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # id(original node) -> how to rewrite its updated twin on leave.
        self._plans: dict[int, Plan] = {}
        # Calls already accounted for (rewritten as part of a site or reported).
        self._claimed: set[int] = set()
        # with blocks that move, unchanged, into a nested function run in a worker thread.
        self._threaded: set[int] = set()
        # with blocks rewritten to the per-operation anyio form -> their file names.
        self._async_files: dict[int, list[str]] = {}
        # Names spelled in each function that gets a nested one (new names must not
        # collide), and except handlers already reported for swallowing cancellation.
        self._taken: dict[int, set[str]] = {}
        self._warned_handlers: set[int] = set()
        self._planned_sites: dict[int, cst.CSTNode] = {}

    def in_async_context(self, node: cst.CSTNode) -> bool:
        """Async context, except inside a block that moves to a worker thread."""
        return not self._in_threaded(node) and super().in_async_context(node)

    def _in_threaded(self, node: cst.CSTNode) -> bool:
        current = self.parent(node)
        while current is not None and not isinstance(current, cst.FunctionDef):
            if id(current) in self._threaded:
                return True
            current = self.parent(current)
        return False

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        updated_node = super().on_leave(original_node, updated_node)
        plan = self._plans.pop(id(original_node), None)
        if plan is not None and isinstance(updated_node, cst.CSTNode):
            return plan(updated_node)
        return updated_node

    # -- recognizers -------------------------------------------------------------------
    def _callee_names(self, call: cst.Call) -> frozenset[str]:
        """Qualified names of a call's function when it is a plain dotted name.

        LibCST gives ``open(p).read`` the qualified name ``builtins.open`` (the call is
        transparent), so only Name/Attribute chains are resolved here.
        """
        if dotted(call.func) is None:
            return frozenset()
        return self.qualified(call.func)

    def _opener(self, expr: cst.BaseExpression) -> str | None:
        """What kind of file opener ``expr`` is: open, path-open, fdopen, shadowed or None."""
        if not isinstance(expr, cst.Call):
            return None
        names = self._callee_names(expr)
        if names & OPEN_NAMES:
            return "open"
        if FDOPEN in names:
            return "fdopen"
        if isinstance(expr.func, cst.Name) and expr.func.value == "open":
            return "shadowed"
        if (
            isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "open"
            and self._is_path(expr.func.value)
        ):
            return "path-open"
        return None

    def _is_path(self, expr: cst.BaseExpression, depth: int = 0) -> bool:
        """``expr`` evaluates to a ``pathlib.Path`` (constructor, ``/``, Path methods, names)."""
        if depth > MAX_PATH_DEPTH:
            return False
        if isinstance(expr, cst.Call):
            names = self._callee_names(expr)
            if names & (PATH_CLASSES | PATH_CONSTRUCTORS):
                return True
            func = expr.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in PATH_RETURNING
                and self._is_path(func.value, depth + 1)
            )
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
            return self._is_path(expr.left, depth + 1) or self._is_path(expr.right, depth + 1)
        if isinstance(expr, cst.Attribute) and expr.attr.value == "parent":
            return self._is_path(expr.value, depth + 1)
        if isinstance(expr, cst.Name):
            return self._name_holds_path(expr, depth)
        return False

    def _name_holds_path(self, name: cst.Name, depth: int) -> bool:
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None or name.value not in scope:
            return False
        assignments = scope[name.value]
        if not assignments:
            return False
        for assignment in assignments:
            node = getattr(assignment, "node", None)
            if isinstance(node, cst.Param):
                if node.annotation is None or not (
                    self.qualified(node.annotation.annotation) & PATH_CLASSES
                ):
                    return False
                continue
            if not isinstance(node, cst.Name):
                return False
            parent = self.parent(node)
            if isinstance(parent, cst.AssignTarget):
                statement = self.parent(parent)
                value = statement.value if isinstance(statement, cst.Assign) else None
            elif isinstance(parent, cst.AnnAssign) and parent.target is node:
                value = parent.value
            else:
                return False
            if value is None or not self._is_path(value, depth + 1):
                return False
        return True

    # -- with open(...) as f: ------------------------------------------------------------
    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None:
            return
        kinds = [self._opener(item.item) for item in node.items]
        if not any(kinds):
            return
        for item, kind in zip(node.items, kinds):
            if kind:
                self._claimed.add(id(item.item))
        if not self.in_async_context(node):
            return
        header = range(self.position(node)[0], self.lines_of(node.items[-1]).stop)
        if self.requested_skip(node, header):
            return
        for item, kind in zip(node.items, kinds):
            if kind == "fdopen":
                self.skip(item.item, SKIP_FDOPEN)
                return
            if kind == "shadowed":
                self.skip(item.item, SKIP_SHADOWED)
                return

        kept_per_operation = None
        targets = [item.asname.name for item, kind in zip(node.items, kinds) if kind and item.asname]
        names = [t.value for t in targets if isinstance(t, cst.Name)]
        uses = [use for name in names for use in _names_in(node.body, name)]
        unit = None
        if len(names) == len(targets):
            if any(blocks.loops_over(use, node, self.parent) for use in uses):
                unit = "loops over the file"
            elif any(self._dumps_json_into(use) for use in uses):
                # json.dump's encoder is Python code (with indent=, default=...) that runs
                # as long as the document is big: on the loop thread it stalls the loop.
                unit = "dumps json into the file"
        if unit is not None:
            kept_per_operation = self._thread_form(node, kinds, names, uses, unit)
            if kept_per_operation is None:
                return
        elif (
            kinds in (["open"], ["path-open"])
            and len(names) == len(targets) == 1
            and self._whole_file_form(node, kinds[0], names[0])
        ):
            return

        plans: dict[int, Plan] = {}
        changes: list[tuple[cst.CSTNode, str, str]] = []
        json_calls: list[cst.Call] = []
        for index, (item, kind) in enumerate(zip(node.items, kinds)):
            if not kind:
                continue
            target = item.asname.name if item.asname is not None else None
            if target is not None and not isinstance(target, cst.Name):
                code = cst.Module([]).code_for_node(target)
                self.skip(item.item, f"the file object is bound to {code}, not a plain name; left alone")
                return
            if target is None:
                continue
            try:
                for later in node.items[index + 1:]:
                    if any(True for _ in _names_in(later.item, target.value)):
                        raise _Escape(
                            f"the file object {target.value} is passed to another context "
                            "manager of the with statement; left alone"
                        )
                self._plan_uses(node, target.value, item.item, plans, changes, json_calls)
            except _PassedOn as escape:
                # A sync library gets the sync file it needs when the block runs in a thread.
                if kept_per_operation is None and len(names) == len(targets):
                    unit = f"passes the file to {escape.callee}"
                    if self._thread_form(node, kinds, names, uses, unit, escape=str(escape)) is None:
                        return
                self.skip(item.item, str(escape))
                return
            except _Escape as escape:
                self.skip(item.item, str(escape))
                return
        first = node.items[kinds.index(next(k for k in kinds if k))].item
        json = None
        if json_calls:
            json = self.module_ref(node, "json")
            if json is None:
                self.skip(first, SKIP_JSON)
                return
        anyio = self.module_ref(node, "anyio")
        if anyio is None:
            self.skip(first, SKIP_ANYIO)
            return
        for call in json_calls:
            plans[id(call)] = plans[id(call)](json)  # type: ignore[arg-type, call-arg]
            self.remove_unused_import_by_node(call.func)

        for item, kind in zip(node.items, kinds):
            if kind:
                plans[id(item.item)] = self._open_file_plan(anyio, kind)
                if kind == "open":
                    self.remove_unused_import_by_node(item.item.func)
                spelled = "open(...)" if kind == "open" else "path.open(...)"
                why = "blocking file I/O in async code stalls the event loop"
                if kept_per_operation:
                    why += (
                        f"; the block loops over the file but {kept_per_operation}, so it "
                        "cannot run as one unit in a worker thread: every iteration is a "
                        "worker-thread round trip (slow on large files)"
                    )
                self.change(item.item, f"with {spelled} → async with await anyio.open_file(...)", why)
        self._plans.update(plans)
        for site, what, why in changes:
            self.change(site, what, why)
        self._plans[id(node)] = self._async_with_plan([bool(k) for k in kinds])
        self._async_files[id(node)] = [
            item.asname.name.value  # type: ignore[union-attr]
            for item, kind in zip(node.items, kinds) if kind and item.asname is not None
        ]
        self._warn_swallowed(node)
        for key in plans:
            site = self._planned_sites.get(key)
            if site is not None:
                self._warn_swallowed(site)

    def _open_file_plan(self, anyio: str, kind: str) -> Plan:
        def plan(call: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(call, cst.Call)
            func = cst.parse_expression(f"{anyio}.open_file")
            args = list(call.args)
            if kind == "path-open":
                assert isinstance(call.func, cst.Attribute)
                path = cst.Arg(call.func.value.with_changes(lpar=(), rpar=()))
                if args:
                    path = path.with_changes(
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    )
                args.insert(0, path)
            return awaited(call.with_changes(func=func, args=args))

        return plan

    @staticmethod
    def _async_with_plan(is_file: list[bool]) -> Plan:
        def plan(with_node: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(with_node, cst.With)
            if all(is_file):
                return with_node.with_changes(asynchronous=cst.Asynchronous())
            return _split_with(with_node, is_file)

        return plan

    # -- the block as one unit in a worker thread ------------------------------------------
    def _thread_form(
        self,
        node: cst.With,
        kinds: list[str | None],
        names: list[str],
        uses: list[cst.Name],
        unit: str,
        escape: str | None = None,
    ) -> str | None:
        """Move a block into a nested function run once in a worker thread.

        ``unit`` says why the block must run as one unit ("loops over the file"). Returns
        None when the block was rewritten or reported as a skip, or why it keeps the
        per-operation anyio form (it awaits or yields: a coroutine must run it). With
        ``escape`` (the file is passed to a sync library) every failure is left to the
        caller, which reports the escape.
        """
        first = next(item.item for item, kind in zip(node.items, kinds) if kind)
        if any(line in self._skip_lines for use in uses for line in self.lines_of(use)):
            self.skip(first, SKIP_BY_REQUEST)
            return None
        reason = blocks.obstacle(node, self.qualified)
        if reason is not None and reason.startswith("the block "):
            return reason.removeprefix("the block ")  # awaits, yields, holds an async for
        for outer, files in self._async_files.items():
            used = [n for n in files if any(True for _ in _names_in(node.body, n))]
            if used and self._encloses(outer, node):
                return f"uses {used[0]} of the enclosing async with"
        function = self.context_of(node).function
        assert function is not None
        if reason is None:
            reason, exports, nonlocals, globals_ = self._exports(node, function)
        if reason is None:
            returned = "never"
            if blocks.returns(node):
                returned = "always" if blocks.always_returns(node.body) else "sometimes"
                if any(isinstance(n, cst.Yield) for n in blocks.walk(function.body)):
                    reason = "it returns inside an async generator"
                elif returned == "sometimes" and exports:
                    reason = (
                        f"it returns on some paths and sets {', '.join(exports)}, which "
                        "the function reads later"
                    )
                if returned == "always":
                    exports = []
        if reason is None and exports:
            reason = self._exports_lost(node, function, exports)
        if reason is not None:
            if escape is not None:
                return reason
            self.skip(
                first,
                f"the block {unit} but cannot run as one unit in a worker thread: {reason}; "
                "per-line awaits would make it far slower; left alone",
            )
            return None
        anyio = self.module_ref(node, "anyio")
        if anyio is None:
            if escape is not None:
                return SKIP_ANYIO
            self.skip(first, SKIP_ANYIO)
            return None
        name = self._fresh(_function_name(node, kinds), function)
        flags = None
        if returned == "sometimes":
            flags = (self._fresh("returned", function), self._fresh("result", function))
        build = functools.partial(
            blocks.build,
            name=name,
            run_sync=f"{anyio}.to_thread.run_sync",
            nonlocals=nonlocals,
            globals_=globals_,
            exports=exports,
            returned=returned,
            flag_names=flags,
            spaced=self._spaced(node),
        )
        self._threaded.add(id(node))
        self._plans[id(node)] = build  # type: ignore[assignment]
        back = ""
        if exports:
            back = f", returning {', '.join(exports)}"
        elif nonlocals or globals_:
            back = f" (nonlocal {', '.join(globals_ + nonlocals)})"
        self.change(
            first,
            f"with block that {unit} → def {name}() run once by "
            f"await anyio.to_thread.run_sync({name}){back}",
            "blocking file I/O in async code stalls the event loop; the block runs unchanged in "
            "one worker thread (a sync file, no round trip per line)",
        )
        self._warn_swallowed(node)
        return None

    def _spaced(self, node: cst.BaseStatement) -> bool:
        """A blank line already precedes ``node`` (or it starts its block).

        The nested def of the thread form gets a blank line before it otherwise; the
        statement before may already end with one (an if/else footer).
        """
        parent = self.parent(node)
        if isinstance(parent, (cst.IndentedBlock, cst.Module)):
            index = next(i for i, n in enumerate(parent.body) if n is node)
            if index > 0:
                before = cst.Module([]).code_for_node(parent.body[index - 1])
                return not before.splitlines()[-1].strip()
        return True

    # -- a block that reads or writes the whole file: one anyio.Path call -----------------
    def _whole_file_form(self, node: cst.With, kind: str, name: str) -> bool:
        """``with open(p) as f: x = f.read()`` becomes ``x = await anyio.Path(p).read_text()``.

        A block whose one statement reads the whole file (``f.read()``, ``json.load(f)``)
        or writes it whole (``f.write(s)``) pays three worker-thread round trips in the
        per-operation form (open, the operation, close); the anyio.Path method pays one.
        Only when open()'s arguments map exactly onto the method's (the one-liner rule:
        read_text takes encoding/errors, write_text encoding/errors/newline, the bytes
        methods nothing), the statement is ``x = ...``, ``return ...`` or a bare call, and
        the file's name is used nowhere else in the function. False: not this form.
        """
        body = node.body
        if isinstance(body, cst.IndentedBlock):
            if body.header.comment is not None or any(line.comment for line in body.footer):
                return False
            if len(body.body) != 1 or not isinstance(body.body[0], cst.SimpleStatementLine):
                return False
            smalls = body.body[0].body
        else:
            smalls = body.body
        if len(smalls) != 1:
            return False
        small = smalls[0]
        if not isinstance(small, (cst.Return, cst.Assign, cst.AnnAssign, cst.Expr)):
            return False
        call = small.value
        if not isinstance(call, cst.Call) or call.lpar:
            return False
        lines = self.lines_of(node)
        if any(line in self._skip_lines for line in lines):
            return False  # the per-operation path reports the skip
        load = "json.load" in self._callee_names(call)
        if load:
            first = call.args[0] if call.args else None
            if first is None or first.keyword is not None or first.star or not _is_name(first.value, name):
                return False
            if any(a.keyword is None and not a.star for a in call.args[1:]):
                return False
            operation = "read"
        elif isinstance(call.func, cst.Attribute) and _is_name(call.func.value, name):
            operation = call.func.attr.value
            if operation == "read" and call.args:
                return False
            if operation == "write" and (
                len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star
                or any(isinstance(n, (cst.Await, cst.Yield, cst.NamedExpr)) for n in blocks.walk(call.args[0]))
            ):
                return False
            if operation not in ("read", "write"):
                return False
        else:
            return False
        function = self.context_of(node).function
        if function is None:
            return False
        if sum(1 for _ in _names_in(node.body, name)) != 1 or not _only_with_bound(function, name):
            return False
        opener = node.items[0].item
        assert isinstance(opener, cst.Call)
        mode, extra = _open_arguments(_as_open_call(opener, kind))
        target = _one_liner_target(operation, mode, extra, 1 if operation == "write" else 0)
        if target is None:
            return False
        anyio = self.module_ref(node, "anyio")
        json = self.module_ref(node, "json") if load else None
        if anyio is None or (load and json is None):
            return False
        self._claimed.add(id(call))
        self.remove_unused_import_by_node(opener.func)
        if load:
            self.remove_unused_import_by_node(call.func)

        def plan(with_node: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(with_node, cst.With)
            item = with_node.items[0].item
            assert isinstance(item, cst.Call)
            item = _as_open_call(item, kind)
            leading = list(with_node.leading_lines)
            suite = with_node.body
            if isinstance(suite, cst.IndentedBlock):
                line = suite.body[0]
                assert isinstance(line, cst.SimpleStatementLine)
                statement, trailing = line.body[0], line.trailing_whitespace
                leading += line.leading_lines
            else:
                statement, trailing = suite.body[0], suite.trailing_whitespace
            use = statement.value  # type: ignore[union-attr]
            assert isinstance(use, cst.Call)
            if load:
                read = _anyio_path_call(anyio, item, target, [])
                args = [use.args[0].with_changes(value=read), *use.args[1:]]
                value: cst.BaseExpression = use.with_changes(func=cst.parse_expression(f"{json}.loads"), args=args)
            else:
                data = [cst.Arg(use.args[0].value)] if operation == "write" else []
                value = _anyio_path_call(anyio, item, target, data)
            new = statement.with_changes(value=value)
            return cst.SimpleStatementLine([new], leading_lines=leading, trailing_whitespace=trailing)

        self._plans[id(node)] = plan
        what = "json.load(f)" if load else f"f.{operation}()"
        self.change(
            opener,
            f"with open(...) block that only calls {what} → await anyio.Path(...).{target}(...)",
            "blocking file I/O in async code stalls the event loop; the whole-file method is one "
            f"worker-thread round trip instead of three (open, {operation}, close)",
        )
        self._warn_swallowed(node)
        return True

    def _exports(
        self, node: cst.With, function: cst.FunctionDef
    ) -> tuple[str | None, list[str], list[str], list[str]]:
        """(obstacle, names returned, names declared nonlocal, names declared global).

        A name the block binds is handed back when the rest of the function reads it, or
        when the block reads a value the function bound before: ``nonlocal`` when the
        function keeps a binding of its own outside the block (one not inside another
        ``with open`` block, which may move to a thread too), else returned (it must
        then be bound on every path through the block). Reads inside another ``with``
        that binds the same name (``with open(q) as f`` again) do not count.
        """
        lines = self.lines_of(node)
        inside = lambda n, span=lines: self.position(n)[0] in span  # noqa: E731
        declared: dict[str, str] = {}
        withs: list[cst.With] = []
        for statement in blocks.walk(function.body):
            if isinstance(statement, (cst.Global, cst.Nonlocal)):
                kind = "global" if isinstance(statement, cst.Global) else "nonlocal"
                for item in statement.names:
                    declared[item.name.value] = kind
            elif isinstance(statement, cst.With) and statement is not node:
                withs.append(statement)
        spelled = [n.value for n in blocks.walk(node.body) if isinstance(n, cst.Name)]
        globals_ = [n for n in dict.fromkeys(spelled) if declared.get(n) == "global"]
        nonlocals = [n for n in dict.fromkeys(spelled) if declared.get(n) == "nonlocal"]
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return "its scope is unknown", [], [], []
        own_targets = _with_targets(node)
        file_blocks = [self.lines_of(w) for w in withs if any(self._opener(i.item) for i in w.items)]
        order = {n: i for i, n in reversed(list(enumerate(spelled)))}
        exports: list[str] = []
        for name in sorted({a.name for a in scope.assignments}, key=lambda n: order.get(n, 0)):
            if name in declared:
                continue
            assignments = [a for a in scope.assignments[name] if isinstance(a.node, cst.CSTNode)]
            if not any(inside(a.node) for a in assignments):
                continue
            rebinding = [self.lines_of(w.body) for w in withs if name in _with_targets(w)]
            reads_after = any(
                not inside(ref.node) and not any(inside(ref.node, span) for span in rebinding)
                for a in assignments
                for ref in a.references
            )
            outside = [a.node for a in assignments if not inside(a.node)]
            reads_before = bool(outside) and name not in own_targets and name in spelled
            if not (reads_after or reads_before):
                continue
            kept = [n for n in outside if not any(inside(n, span) for span in file_blocks)]
            if kept:
                nonlocals.append(name)
            elif reads_after:
                exports.append(name)
            else:
                return f"{name} is also set in another with open() block", [], [], []
        bound = blocks.definitely_bound(node)
        missing = [n for n in exports if n not in bound]
        if missing:
            return (
                f"{missing[0]} is read after the block but not set on every path through it",
                [], [], [],
            )
        return None, exports, nonlocals, globals_

    def _exports_lost(self, node: cst.With, function: cst.FunctionDef, exports: list[str]) -> str | None:
        """Returned names are lost when the block fails half way and a try goes on."""
        child: cst.CSTNode = node
        current = self.parent(node)
        while current is not None and current is not function:
            if isinstance(current, cst.Try) and child is current.body:
                for handler in current.handlers:
                    last = handler.body.body[-1] if isinstance(handler.body, cst.IndentedBlock) else None
                    if not blocks.always_returns(handler.body) and not (
                        isinstance(last, cst.SimpleStatementLine)
                        and isinstance(last.body[-1], (cst.Break, cst.Continue))
                    ):
                        return (
                            f"a try around it goes on after an error, when "
                            f"{', '.join(exports)} may have been set half way"
                        )
            child, current = current, self.parent(current)
        return None

    def _dumps_json_into(self, use: cst.Name) -> bool:
        """``use`` is the file argument of ``json.dump(obj, f)``."""
        arg = self.parent(use)
        call = self.parent(arg) if isinstance(arg, cst.Arg) and arg.value is use else None
        if not isinstance(call, cst.Call) or "json.dump" not in self._callee_names(call):
            return False
        index = call.args.index(arg)  # type: ignore[arg-type]
        keyword = arg.keyword  # type: ignore[union-attr]
        return (keyword is not None and keyword.value == "fp") or (keyword is None and index == 1)

    def _encloses(self, outer_id: int, node: cst.CSTNode) -> bool:
        current = self.parent(node)
        while current is not None:
            if id(current) == outer_id:
                return True
            current = self.parent(current)
        return False

    def _fresh(self, base: str, function: cst.FunctionDef) -> str:
        """``base`` (or ``base_2``...) when ``function`` spells no such name anywhere."""
        taken = self._taken.get(id(function))
        if taken is None:
            walked = blocks.walk(function, into_scopes=True)
            taken = self._taken[id(function)] = {n.value for n in walked if isinstance(n, cst.Name)}
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        return name

    # -- cancellation -------------------------------------------------------------------------
    def _warn_swallowed(self, site: cst.CSTNode) -> None:
        """Report an await put under ``except:``/``except BaseException:`` that swallows.

        The await can now raise ``CancelledError`` (a ``BaseException``); a handler that
        neither re-raises nor narrows swallows the cancellation of the task.
        """
        child: cst.CSTNode = site
        current = self.parent(site)
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda)):
            if isinstance(current, cst.Try) and child is current.body:
                for handler in current.handlers:
                    if id(handler) in self._warned_handlers or not self._catches_base(handler):
                        continue
                    if any(isinstance(n, cst.Raise) for n in blocks.walk(handler.body)):
                        continue
                    self._warned_handlers.add(id(handler))
                    spelled = "except:"
                    if handler.type is not None:
                        spelled = f"except {cst.Module([]).code_for_node(handler.type)}:"
                    self.change(
                        site,
                        f"await under the {spelled} at line {self.position(handler)[0]}, which "
                        "swallows errors: it now swallows the task's cancellation too",
                        "asyncio.CancelledError is a BaseException; re-raise it (except "
                        "asyncio.CancelledError: raise) or catch Exception instead",
                    )
            child, current = current, self.parent(current)

    def _catches_base(self, handler: cst.ExceptHandler) -> bool:
        if handler.type is None:
            return True
        types = (
            [e.value for e in handler.type.elements]
            if isinstance(handler.type, cst.Tuple)
            else [handler.type]
        )
        return any("builtins.BaseException" in self.qualified(t) for t in types)

    def _plan_uses(
        self,
        with_node: cst.With,
        name: str,
        opener: cst.Call,
        plans: dict[int, Plan],
        changes: list[tuple[cst.CSTNode, str, str]],
        json_calls: list[cst.Call],
    ) -> None:
        """Plan the rewrite of every use of ``name`` in the block, or raise _Escape.

        json.load/dump sites get a plan *factory* taking the json spelling (resolved once
        every use is known to be safe, so nothing is imported for a skipped block).
        """
        function = self.context_of(with_node).function
        binary = _is_binary(opener)
        for use in _names_in(with_node.body, name):
            parent = self.parent(use)
            if _binds(parent, use):
                raise _Escape(f"the name {name} is rebound inside the with block; left alone")
            if isinstance(parent, cst.Attribute) and parent.attr is use:
                continue
            if isinstance(parent, cst.Arg) and parent.keyword is use:
                continue
            if any(line in self._skip_lines for line in self.lines_of(use)):
                # The block cannot be half async: a skip on any use keeps all of it sync.
                raise _Escape(SKIP_BY_REQUEST)
            ctx = self.context_of(use)
            if ctx.function is not function or ctx.kind in ("lambda", "genexp"):
                raise _Escape(
                    f"the file object {name} is used inside a nested function, lambda or "
                    "generator expression, which cannot await; left alone"
                )
            self._plan_use(use, parent, name, binary, plans, changes, json_calls)
        self._check_after(with_node, name)

    def _plan_use(
        self,
        use: cst.Name,
        parent: cst.CSTNode | None,
        name: str,
        binary: bool,
        plans: dict[int, Plan],
        changes: list[tuple[cst.CSTNode, str, str]],
        json_calls: list[cst.Call],
    ) -> None:
        if isinstance(parent, cst.Attribute):
            attr = parent.attr.value
            call = self.parent(parent)
            called = isinstance(call, cst.Call) and call.func is parent
            if attr in FORWARDED:
                return
            if attr in AWAITED_METHODS or attr == "close":
                if not called:
                    raise _Escape(
                        f"{name}.{attr} is used without being called; its async version "
                        "would need awaiting; left alone"
                    )
                assert isinstance(call, cst.Call)
                plans[id(call)] = self._await_method_plan(call, aclose=attr == "close")
                self._planned_sites[id(call)] = call
                return
            raise _Escape(f"{name}.{attr} has no async counterpart on anyio's AsyncFile; left alone")
        if isinstance(parent, cst.For) and parent.iter is use:
            plans[id(parent)] = lambda node: node.with_changes(asynchronous=cst.Asynchronous())
            self._planned_sites[id(parent)] = parent
            return
        if isinstance(parent, cst.CompFor) and parent.iter is use:
            comprehension = self.parent(parent)
            while isinstance(comprehension, cst.CompFor):
                comprehension = self.parent(comprehension)
            if isinstance(comprehension, cst.GeneratorExp):
                raise _Escape(
                    f"the file object {name} is iterated by a generator expression, which "
                    "would become an async generator; left alone"
                )
            plans[id(parent)] = lambda node: node.with_changes(asynchronous=cst.Asynchronous())
            return
        if isinstance(parent, cst.Arg) and parent.value is use:
            call = self.parent(parent)
            assert isinstance(call, cst.Call)
            self._plan_call_arg(call, parent, name, binary, plans, changes, json_calls)
            return
        raise _Escape(f"the file object {name} escapes the with block ({_role(parent, use)}); left alone")

    def _plan_call_arg(
        self,
        call: cst.Call,
        arg: cst.Arg,
        name: str,
        binary: bool,
        plans: dict[int, Plan],
        changes: list[tuple[cst.CSTNode, str, str]],
        json_calls: list[cst.Call],
    ) -> None:
        names = self._callee_names(call)
        index = call.args.index(arg)
        positional = arg.keyword is None and not arg.star
        is_fp = (arg.keyword is not None and arg.keyword.value == "fp")
        if "json.load" in names and (is_fp or (positional and index == 0)):
            plans[id(call)] = lambda json: self._json_load_plan(json, index)  # type: ignore[assignment]
            json_calls.append(call)
            self._planned_sites[id(call)] = call
            changes.append((call, "json.load(f) → json.loads(await f.read())", "json.load reads a sync file"))
            return
        if "json.dump" in names and (is_fp or (positional and index == 1)):
            statement = self.parent(call)
            if not isinstance(statement, cst.Expr):
                raise _Escape("json.dump(...) is used as a value; left alone")
            plans[id(call)] = lambda json: self._json_dump_plan(json, index)  # type: ignore[assignment]
            json_calls.append(call)
            self._planned_sites[id(call)] = call
            changes.append(
                (call, "json.dump(obj, f) → await f.write(json.dumps(obj))",
                 "json.dump writes to a sync file")
            )
            return
        callee = _callee(names, call)
        for module, what in SYNC_FILE_MODULES.items():
            if any(n.split(".")[0] == module for n in names):
                raise _PassedOn(
                    f"{what} ({callee}) needs a sync file object, not {name}; left alone", callee
                )
        if binary:
            raise _PassedOn(
                f"the binary file object {name} is passed to {callee}, which needs a sync "
                "file; left alone",
                callee,
            )
        raise _PassedOn(
            f"the file object {name} escapes the with block (passed to {callee}); left alone", callee
        )

    def _check_after(self, with_node: cst.With, name: str) -> None:
        """Raise _Escape when ``name`` is read after the block before being bound again."""
        scope = self.get_metadata(ScopeProvider, with_node, None)
        if scope is None or name not in scope:
            return
        end = self.lines_of(with_node).stop
        assignments = scope[name]
        bound_at = sorted(
            self.position(a.node)[0] for a in assignments if isinstance(a.node, cst.CSTNode)
        )
        for assignment in assignments:
            for access in assignment.references:
                line = self.position(access.node)[0]
                if line < end or any(end <= b <= line for b in bound_at):
                    continue
                parent = self.parent(access.node)
                if isinstance(parent, cst.Attribute) and parent.attr.value in FORWARDED:
                    call = self.parent(parent)
                    if not (isinstance(call, cst.Call) and call.func is parent):
                        continue
                raise _Escape(f"the file object {name} is used after the with block; left alone")

    @staticmethod
    def _await_method_plan(original: cst.Call, aclose: bool) -> Plan:
        def plan(call: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            if aclose:
                call = call.with_changes(func=call.func.with_changes(attr=cst.Name("aclose")))
            return awaited(call)

        return plan

    def _json_load_plan(self, json: str, index: int) -> Plan:
        def plan(call: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(call, cst.Call)
            arg = call.args[index]
            read = awaited(cst.Call(cst.Attribute(arg.value, cst.Name("read"))))
            args = list(call.args)
            args[index] = arg.with_changes(value=read)
            return call.with_changes(func=cst.parse_expression(f"{json}.loads"), args=args)

        return plan

    def _json_dump_plan(self, json: str, index: int) -> Plan:
        def plan(call: cst.CSTNode) -> cst.CSTNode:
            assert isinstance(call, cst.Call)
            args = list(call.args)
            removed = args.pop(index)
            if index == len(args) and args:  # it was the last one: keep the closing style
                args[-1] = args[-1].with_changes(comma=removed.comma)
            dumps = call.with_changes(func=cst.parse_expression(f"{json}.dumps"), args=args)
            write = cst.Call(cst.Attribute(removed.value, cst.Name("write")), args=[cst.Arg(dumps)])
            return awaited(write)

        return plan

    # -- awaited method calls, one-liners, pathlib, os -------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if id(node) in self._claimed:
            return
        site = self._site(node)
        if site is None:
            return
        describe, build = site
        if self._in_threaded(node):
            return  # runs in the worker thread with its block
        if not self.in_async_context(node):
            ctx = self.context_of(node)
            if ctx.inside_async and ctx.kind in ("lambda", "genexp"):
                where = "a lambda" if ctx.kind == "lambda" else "a generator expression"
                self.skip(node, f"{describe} inside {where} of an async def cannot be awaited there")
            return
        if self.requested_skip(node):
            return
        if build is None:
            return  # _site reported why
        if describe.startswith(UPLOAD_DESCRIBE):
            what, plan = build(None)
            self.change(node, what, "the UploadFile's sync file blocks the loop once it is on disk")
            self._plans[id(node)] = plan
            self._warn_swallowed(node)
            return
        anyio = self.module_ref(node, "anyio")
        if anyio is None:
            self.skip(node, SKIP_ANYIO)
            return
        built = build(anyio)
        if built is None or isinstance(built, str):
            self.skip(node, built or SKIP_JSON)
            return
        what, plan = built
        self.change(node, what, "blocking file I/O in async code stalls the event loop")
        self._plans[id(node)] = plan
        self._warn_swallowed(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        plan = self._plans.pop(id(original_node), None)
        if plan is None:
            return updated_node
        result = plan(updated_node)
        if updated_node.lpar and not result.lpar:  # assert(os.path.exists(p)) keeps its parens
            result = result.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        parent = self.parent(original_node)
        if (
            isinstance(result, cst.Await)
            and not result.lpar
            and needs_parens_when_awaited(parent, original_node)
        ):
            result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return result  # type: ignore[return-value]

    def _site(self, node: cst.Call):
        """(description, builder) for a rewritable call; builder None when only reported.

        The builder takes the anyio spelling and returns (what, plan).
        """
        func = node.func
        kind = self._opener(node)
        if kind in ("open", "fdopen", "shadowed"):
            self._bare_open(node, kind)
            return None
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in PATH_IO | PATH_QUERIES
            and self._is_path(func.value)
        ):
            return self._path_io(node)
        json_names = self._callee_names(node) & {"json.load", "json.dump"}
        if json_names:
            load = "json.load" in json_names
            for i, arg in enumerate(node.args):
                fp = (arg.keyword is not None and arg.keyword.value == "fp") or (
                    arg.keyword is None and not arg.star and i == (0 if load else 1)
                )
                if fp and isinstance(arg.value, cst.Call) and self._opener(arg.value) == "open":
                    self._claimed.add(id(arg.value))
                    return self._json_one_liner(node, load, arg.value)
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in UPLOAD_METHODS
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value == "file"
            and isinstance(func.value.value, cst.Name)
            and self._is_upload_file(func.value.value)
        ):
            return self._upload_file_call(node)
        if isinstance(func, cst.Attribute) and func.attr.value in ("read", "write"):
            opener = func.value
            if isinstance(opener, cst.Call) and self._opener(opener) == "open":
                self._claimed.add(id(opener))
                return self._one_liner(node, opener)
        if self.options.os_calls:
            names = self._callee_names(node)
            for qn in names:
                if qn in OS_TO_PATH or qn in OS_TO_THREAD:
                    return self._os_call(node, qn)
                if qn in OS_TO_PATH_METHOD or qn in SHUTIL_TO_THREAD:
                    return self._fs_call(node, qn)
        return None

    def _bare_open(self, node: cst.Call, kind: str) -> None:
        """Report an open()/os.fdopen() that no rewrite covers (in async context)."""
        reason = {"open": SKIP_BARE_OPEN, "fdopen": SKIP_FDOPEN, "shadowed": SKIP_SHADOWED}[kind]
        if kind == "shadowed" and not self._in_with_or_io(node):
            return  # somebody's own open(): not file I/O we know about
        if self.in_async_context(node) and not self.requested_skip(node):
            self.skip(node, reason)
        self._claimed.add(id(node))

    def _in_with_or_io(self, node: cst.Call) -> bool:
        parent = self.parent(node)
        if isinstance(parent, cst.WithItem):
            return True
        return isinstance(parent, cst.Attribute) and parent.attr.value in ("read", "write")

    def _one_liner(self, node: cst.Call, opener: cst.Call):
        method = node.func.attr.value  # type: ignore[union-attr]
        describe = f"open(...).{method}(...)"
        mode, extra = _open_arguments(opener)
        target = _one_liner_target(method, mode, extra, len(node.args))
        if target is None:
            if self.in_async_context(node) and not self.requested_skip(node):
                self.skip(
                    node,
                    f"{describe} with these arguments or this mode has no anyio.Path "
                    "equivalent; left alone",
                )
            return None
        codemod = self

        def build(anyio: str):
            codemod.remove_unused_import_by_node(opener.func)

            def plan(call: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                inner = call.func.value
                assert isinstance(inner, cst.Call)
                return _anyio_path_call(anyio, inner, target, list(call.args))

            return f"{describe} → await anyio.Path(...).{target}(...)", plan

        return describe, build

    def _json_one_liner(self, node: cst.Call, load: bool, opener: cst.Call):
        """``json.load(open(p))`` as an anyio.Path read; ``json.dump(obj, open(p, "w"))`` in a
        worker thread, or as an anyio.Path write when the statement cannot move."""
        describe = "json.load(open(...))" if load else "json.dump(obj, open(...))"
        mode, extra = _open_arguments(opener)
        target = _one_liner_target("read" if load else "write", mode, extra, 0 if load else 1)
        if target in ("read_bytes", "write_bytes"):
            target = None if not load else target  # json.dumps returns str
        reason = None
        if target is None:
            reason = f"{describe} with these arguments or this mode has no anyio.Path equivalent; left alone"
        if not load and not isinstance(self.parent(node), cst.Expr):
            reason = "json.dump(...) is used as a value; left alone"
        elif not load and self._threadable_line(node, opener):
            return describe, self._json_dump_in_thread(node, opener)
        if reason is not None:
            if self.in_async_context(node) and not self.requested_skip(node):
                self.skip(node, reason)
            return None
        codemod = self
        index = node.args.index(next(a for a in node.args if a.value is opener))

        def build(anyio: str):
            json = codemod.module_ref(node, "json")
            if json is None:
                return None
            codemod.remove_unused_import_by_node(opener.func)
            codemod.remove_unused_import_by_node(node.func)
            func = cst.parse_expression(f"{json}.loads" if load else f"{json}.dumps")

            def plan(call: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(call, cst.Call)
                args = list(call.args)
                inner = args[index].value
                assert isinstance(inner, cst.Call)
                if load:
                    read = _anyio_path_call(anyio, inner, target, [])
                    args[index] = args[index].with_changes(
                        value=read, keyword=None, equal=cst.MaybeSentinel.DEFAULT
                    )
                    return call.with_changes(func=func, args=args)
                removed = args.pop(index)
                if index == len(args) and args:
                    args[-1] = args[-1].with_changes(comma=removed.comma)
                dumps = call.with_changes(func=func, args=args)
                return _anyio_path_call(anyio, inner, target, [cst.Arg(dumps)])

            spelled = f"json.loads(await anyio.Path(p).{target}())" if load else (
                "await anyio.Path(p).write_text(json.dumps(obj))"
            )
            return f"{describe} → {spelled}", plan

        return describe, build

    def _threadable_line(self, node: cst.Call, opener: cst.Call) -> bool:
        """The statement ``json.dump(...)`` can run, with its file in a with, in a thread.

        It is alone on its line, holds no await, walrus or loop-bound call, and what is
        evaluated before the file is opened (the object) is a name, attribute or constant:
        the with form opens the file first.
        """
        statement = self.parent(node)
        line = self.parent(statement) if statement is not None else None
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return False
        if any(isinstance(n, cst.NamedExpr) for n in blocks.walk(line)):
            return False  # a walrus would bind in the nested function
        before = node.args[: next(i for i, a in enumerate(node.args) if a.value is opener)]
        if not all(_inert(a.value) and not a.star for a in before):
            return False
        return blocks.obstacle(line, self.qualified) is None

    def _json_dump_in_thread(self, node: cst.Call, opener: cst.Call):
        """``json.dump(obj, open(p, "w"), **kw)``, the statement, run once in a worker thread.

        As in a with block that dumps json: the encoder is Python code that runs as long
        as the document is big, so on the loop it stalls it (the old one-liner form,
        ``write_text(json.dumps(obj))``, encoded on the loop). The file gets a with
        statement: the thread keeps a failed call's traceback (and with it an unclosed
        file) until its next job, where the original closed the file as soon as the error
        was handled; with the with, the same bytes are on disk at the same time. Any mode,
        the same chunked writes.
        """
        line = self.parent(self.parent(node))  # type: ignore[arg-type]
        assert isinstance(line, cst.SimpleStatementLine)
        index = next(i for i, a in enumerate(node.args) if a.value is opener)
        codemod = self

        def build(anyio: str):
            function = codemod.context_of(node).function
            assert function is not None
            name = codemod._fresh("write_file", function)
            handle = codemod._fresh("f", function)
            codemod._taken[id(function)].discard(handle)  # local to the nested def: reusable
            codemod._threaded.add(id(line))

            def plan(updated: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(updated, cst.SimpleStatementLine)
                expr = updated.body[0]
                assert isinstance(expr, cst.Expr) and isinstance(expr.value, cst.Call)
                call = expr.value
                args = list(call.args)
                file = args[index].value
                args[index] = args[index].with_changes(value=cst.Name(handle))
                dump = updated.with_changes(
                    body=[expr.with_changes(value=call.with_changes(args=args))], leading_lines=()
                )
                block = cst.With(
                    items=[cst.WithItem(file, asname=cst.AsName(cst.Name(handle)))],
                    body=cst.IndentedBlock([dump]),
                    leading_lines=updated.leading_lines,
                )
                return blocks.build(
                    block,
                    name=name,
                    run_sync=f"{anyio}.to_thread.run_sync",
                    nonlocals=[],
                    globals_=[],
                    exports=[],
                    returned="never",
                    flag_names=None,
                    spaced=codemod._spaced(line),
                )

            codemod._plans[id(line)] = plan
            what = (
                f"json.dump(obj, open(...)) → def {name}() (the same call, its file in a with) "
                f"run once by await anyio.to_thread.run_sync({name})"
            )
            return what, lambda call: call

        return build

    def _path_io(self, node: cst.Call):
        func = node.func
        assert isinstance(func, cst.Attribute)
        method = func.attr.value
        receiver = func.value
        direct = isinstance(receiver, cst.Call) and bool(self._callee_names(receiver) & PATH_CLASSES)
        codemod = self

        def build(anyio: str):
            if direct:
                codemod.remove_unused_import_by_node(receiver.func)  # type: ignore[union-attr]

            def plan(call: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                value = call.func.value
                anyio_path = cst.parse_expression(f"{anyio}.Path")
                if direct and isinstance(value, cst.Call):
                    path = value.with_changes(func=anyio_path)
                else:
                    path = cst.Call(anyio_path, args=[cst.Arg(value.with_changes(lpar=(), rpar=()))])
                return awaited(call.with_changes(func=call.func.with_changes(value=path)))

            return f"Path.{method}(...) → await anyio.Path(...).{method}(...)", plan

        return f"Path.{method}(...)", build

    def _is_upload_file(self, name: cst.Name) -> bool:
        """``name`` is only ever a parameter annotated ``UploadFile``."""
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None or name.value not in scope or not scope[name.value]:
            return False
        for assignment in scope[name.value]:
            node = getattr(assignment, "node", None)
            if not isinstance(node, cst.Param) or node.annotation is None:
                return False
            if not self.qualified(node.annotation.annotation) & UPLOAD_FILE:
                return False
        return True

    def _upload_file_call(self, node: cst.Call):
        """``upload.file.read()`` → ``await upload.read()`` (also write, seek, close)."""
        func = node.func
        assert isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)
        upload = func.value.value
        assert isinstance(upload, cst.Name)
        method = func.attr.value
        low, high = UPLOAD_METHODS[method]
        describe = f"{UPLOAD_DESCRIBE} {upload.value}.file.{method}(...)"
        simple = all(a.keyword is None and not a.star for a in node.args)
        if not (simple and low <= len(node.args) <= high):
            if self.in_async_context(node) and not self.requested_skip(node):
                self.skip(
                    node,
                    f"{upload.value}.file.{method}() with these arguments has no awaited "
                    f"UploadFile.{method}(); left alone",
                )
            return None

        def build(_anyio: object):
            def plan(call: cst.CSTNode) -> cst.CSTNode:
                assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                inner = call.func.value
                assert isinstance(inner, cst.Attribute)
                return awaited(call.with_changes(func=call.func.with_changes(value=inner.value)))

            what = f"{upload.value}.file.{method}(...) → await {upload.value}.{method}(...)"
            return what, plan

        return describe, build

    def _fs_call(self, node: cst.Call, qn: str):
        """os.makedirs/rename/replace as anyio.Path calls; shutil's in a worker thread."""
        describe = f"{qn}(...)"
        args = node.args
        positional = [a for a in args if a.keyword is None and not a.star]
        keywords = {a.keyword.value: a for a in args if a.keyword is not None}
        starred = any(a.star for a in args)
        statement = isinstance(self.parent(node), cst.Expr)
        if qn == "os.makedirs":
            ok = not starred and 1 <= len(positional) <= 3 and set(keywords) <= {"mode", "exist_ok"}
            ok = ok and not (len(positional) >= 2 and "mode" in keywords) and not (
                len(positional) == 3 and "exist_ok" in keywords
            )
        elif qn in OS_TO_PATH_METHOD:
            ok = not starred and len(positional) == 2 and not keywords
        else:
            ok = not starred and bool(positional) and positional == list(args[: len(positional)])
        if not ok:
            self._skip_unmapped_arguments(node, qn)
            return None
        codemod = self

        def build(anyio: str):
            if qn == "os.makedirs" or (qn in OS_TO_PATH_METHOD and statement):
                method = OS_TO_PATH_METHOD[qn]
                codemod.remove_unused_import_by_node(node.func)

                def plan(call: cst.CSTNode) -> cst.CSTNode:
                    assert isinstance(call, cst.Call)
                    first = call.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    path = cst.Call(cst.parse_expression(f"{anyio}.Path"), args=[first])
                    rest = list(call.args[1:])
                    if method == "mkdir":
                        tight = cst.AssignEqual(
                            whitespace_before=cst.SimpleWhitespace(""),
                            whitespace_after=cst.SimpleWhitespace(""),
                        )
                        named = [cst.Arg(cst.Name("True"), keyword=cst.Name("parents"), equal=tight)]
                        if len(rest) == 2:  # makedirs(p, mode, exist_ok)
                            rest[1] = rest[1].with_changes(keyword=cst.Name("exist_ok"), equal=tight)
                        mode = [a for a in rest if a.keyword is None or a.keyword.value == "mode"]
                        exist = [a for a in rest if a.keyword is not None and a.keyword.value == "exist_ok"]
                        rest = mode + named + exist
                    return awaited(cst.Call(cst.Attribute(path, cst.Name(method)), args=_fix_commas(rest)))

                if method == "mkdir":
                    return f"{qn}(p) → await anyio.Path(p).mkdir(parents=True, ...)", plan
                return f"{qn}(a, b) → await anyio.Path(a).{method}(b)", plan

            tools = codemod.module_ref(node, "functools") if len(positional) < len(args) else ""
            if tools is None:
                return "the name functools is bound to something else here"

            def plan(call: cst.CSTNode) -> cst.CSTNode:  # type: ignore[no-redef]
                assert isinstance(call, cst.Call)
                func = call.func.with_changes(lpar=(), rpar=())
                if tools:
                    partial = cst.Call(
                        cst.parse_expression(f"{tools}.partial"),
                        args=_fix_commas([cst.Arg(func), *call.args]),
                    )
                    run_args = [cst.Arg(partial)]
                else:
                    run_args = _fix_commas([cst.Arg(func), *call.args])
                run = cst.Call(cst.parse_expression(f"{anyio}.to_thread.run_sync"), args=run_args)
                return awaited(run)

            spelled = f"functools.partial({qn}, ...)" if tools else f"{qn}, ..."
            return f"{qn}(...) → await anyio.to_thread.run_sync({spelled})", plan

        return describe, build

    def _skip_unmapped_arguments(self, node: cst.Call, qn: str) -> None:
        """Say why an os/shutil call in async code is left alone: its arguments don't map."""
        if self.in_async_context(node) and not self.requested_skip(node):
            self.skip(
                node, f"{qn}() with keyword, starred or extra arguments has no anyio equivalent; left alone"
            )

    def _os_call(self, node: cst.Call, qn: str):
        describe = f"{qn}(...)"
        args = node.args
        simple = all(a.keyword is None and not a.star for a in args)
        ok = simple and (len(args) == 1 or (qn in OS_TO_THREAD and len(args) == 0))
        if not ok:
            self._skip_unmapped_arguments(node, qn)
            return None
        codemod = self

        def build(anyio: str):
            if qn in OS_TO_THREAD:
                def plan(call: cst.CSTNode) -> cst.CSTNode:
                    assert isinstance(call, cst.Call)
                    run_args = [cst.Arg(call.func.with_changes(lpar=(), rpar=()))]
                    if call.args:
                        run_args[0] = run_args[0].with_changes(
                            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                        )
                        run_args.append(call.args[0])
                    run = cst.Call(cst.parse_expression(f"{anyio}.to_thread.run_sync"), args=run_args)
                    return awaited(run)

                return f"{qn}(p) → await anyio.to_thread.run_sync({qn}, p)", plan

            method = OS_TO_PATH[qn]
            codemod.remove_unused_import_by_node(node.func)

            def plan(call: cst.CSTNode) -> cst.CSTNode:  # type: ignore[no-redef]
                assert isinstance(call, cst.Call)
                arg = call.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                path = cst.Call(cst.parse_expression(f"{anyio}.Path"), args=[arg])
                result = awaited(cst.Call(cst.Attribute(path, cst.Name(method))))
                if qn == "os.path.getsize":
                    parens = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                    return cst.Attribute(parens, cst.Name("st_size"), lpar=call.lpar, rpar=call.rpar)
                return result

            if qn == "os.path.getsize":
                return f"{qn}(p) → (await anyio.Path(p).stat()).st_size", plan
            return f"{qn}(p) → await anyio.Path(p).{method}()", plan

        return describe, build


# -- helpers (pure functions of the tree) ------------------------------------------------
def _with_targets(node: cst.With) -> set[str]:
    return {
        item.asname.name.value
        for item in node.items
        if item.asname is not None and isinstance(item.asname.name, cst.Name)
    }


def _function_name(node: cst.With, kinds: list[str | None]) -> str:
    """A name for the nested function from what its files do: read_file, write_file..."""
    roles = []
    for item, kind in zip(node.items, kinds):
        if not kind:
            continue
        opener = item.item
        assert isinstance(opener, cst.Call)
        if kind == "path-open":
            args = opener.args
            mode = "r"
            for i, arg in enumerate(args):
                if (arg.keyword is None and i == 0) or (arg.keyword and arg.keyword.value == "mode"):
                    mode = _string_value(arg.value)  # type: ignore[assignment]
        else:
            mode, _ = _open_arguments(opener)
        if mode is None or "+" in mode:
            roles.append("use")
        elif set(mode) & set("wax"):
            roles.append("write")
        else:
            roles.append("read")
    if sorted(roles) == ["read", "write"]:
        return "copy_file"
    role = roles[0] if len(set(roles)) == 1 else "use"
    return f"{role}_file" if len(roles) == 1 else f"{role}_files"


def _names_in(body: cst.CSTNode, name: str) -> Iterator[cst.Name]:
    found: list[cst.Name] = []

    class Collector(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                found.append(node)

    body.visit(Collector())
    return iter(found)


def _binds(parent: cst.CSTNode | None, use: cst.Name) -> bool:
    """``use`` is a binding of the name (assignment target, loop variable, def...)."""
    if isinstance(parent, (cst.AssignTarget, cst.AsName, cst.Param, cst.Global, cst.Nonlocal)):
        return True
    if isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.target is use:
        return True
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is use:
        return True
    if isinstance(parent, cst.NamedExpr) and parent.target is use:
        return True
    if isinstance(parent, (cst.FunctionDef, cst.ClassDef)) and parent.name is use:
        return True
    return isinstance(parent, cst.Del)


def _role(parent: cst.CSTNode | None, use: cst.Name) -> str:
    if isinstance(parent, cst.Return):
        return "returned"
    if isinstance(parent, (cst.Yield, cst.Await)):
        return "yielded" if isinstance(parent, cst.Yield) else "awaited"
    if isinstance(parent, (cst.Assign, cst.AnnAssign)):
        return "stored"
    if isinstance(parent, cst.Element):
        return "stored in a container"
    if isinstance(parent, cst.DictElement):
        return "stored in a container"
    if isinstance(parent, cst.Arg):
        return "passed on"
    return "used as a value"


def _callee(names: frozenset[str], call: cst.Call) -> str:
    if names:
        return min(names).lstrip(".") + "()"
    spelled = dotted(call.func)
    return f"{spelled}()" if spelled else "a call"


def _as_open_call(call: cst.Call, kind: str) -> cst.Call:
    """``path.open(mode, ...)`` spelled as ``open(path, mode, ...)`` (the same arguments)."""
    if kind != "path-open":
        return call
    assert isinstance(call.func, cst.Attribute)
    path = cst.Arg(call.func.value.with_changes(lpar=(), rpar=()))
    return cst.Call(cst.Name("open"), args=_fix_commas([path, *call.args]))


def _only_with_bound(function: cst.FunctionDef, name: str) -> bool:
    """Every ``name`` in ``function`` is a with target or inside a with block binding it.

    Then no code reads the closed file a with block leaves bound to ``name``; the whole-file
    form, which binds no file, changes nothing anyone sees.
    """
    covered: set[int] = {id(function.name)}  # the def's own name is not a variable of it
    nodes = list(blocks.walk(function, into_scopes=True))
    for node in nodes:
        if isinstance(node, cst.Attribute):
            covered.add(id(node.attr))  # x.f is no read of f
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            covered.add(id(node.keyword))  # nor is g(f=1)
        elif isinstance(node, cst.With):
            targets = [i.asname.name for i in node.items if i.asname is not None]
            if any(_is_name(t, name) for t in targets):
                covered.update(id(t) for t in targets)
                covered.update(id(n) for n in _names_in(node.body, name))
    return all(id(n) in covered for n in nodes if isinstance(n, cst.Name) and n.value == name)


def _inert(expr: cst.BaseExpression) -> bool:
    """A name, an attribute or subscript of one, a constant: evaluating it does no I/O."""
    if isinstance(expr, (cst.Name, cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.Attribute):
        return _inert(expr.value)
    if isinstance(expr, cst.Subscript):
        return _inert(expr.value) and all(
            isinstance(e.slice, cst.Index) and _inert(e.slice.value) for e in expr.slice
        )
    return False


def _is_name(expr: cst.BaseExpression, name: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == name and not expr.lpar


def _string_value(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _open_arguments(call: cst.Call) -> tuple[str | None, set[str]]:
    """(literal mode or None when not literal, other argument names) of an open() call.

    An extra positional argument (buffering...) is reported as ``"*positional"``.
    """
    mode: str | None = "r"
    extra: set[str] = set()
    for i, arg in enumerate(call.args):
        if arg.star:
            extra.add("*star")
        elif arg.keyword is None:
            if i == 1:
                mode = _string_value(arg.value)
            elif i > 1:
                extra.add("*positional")
        elif arg.keyword.value == "mode":
            mode = _string_value(arg.value)
        elif arg.keyword.value == "file":
            extra.add("*file")
        else:
            extra.add(arg.keyword.value)
    if not call.args or call.args[0].keyword is not None or call.args[0].star:
        extra.add("*file")
    return mode, extra


def _anyio_path_call(
    anyio: str, opener: cst.Call, method: str, data: list[cst.Arg]
) -> cst.Await:
    """``await anyio.Path(<file>).<method>(*data, <open's keyword arguments but mode>)``."""
    path_arg = opener.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    path = cst.Call(cst.parse_expression(f"{anyio}.Path"), args=[path_arg])
    args = data + [a for a in opener.args if a.keyword is not None and a.keyword.value != "mode"]
    return awaited(cst.Call(cst.Attribute(path, cst.Name(method)), args=_fix_commas(args)))


def _one_liner_target(method: str, mode: str | None, extra: set[str], n_args: int) -> str | None:
    if mode is None:
        return None
    flags = set(mode)
    if len(flags) != len(mode) or not flags <= set("rwbt"):
        return None
    if method == "read" and n_args == 0 and "r" in flags and "w" not in flags:
        if "b" in flags:
            return "read_bytes" if not extra and "t" not in flags else None
        return "read_text" if extra <= {"encoding", "errors"} else None
    if method == "write" and n_args == 1 and "w" in flags and "r" not in flags:
        if "b" in flags:
            return "write_bytes" if not extra and "t" not in flags else None
        return "write_text" if extra <= {"encoding", "errors", "newline"} else None
    return None


def _fix_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    """Separate args with ", " and leave the last one without a trailing comma."""
    fixed = []
    for i, arg in enumerate(args):
        if i < len(args) - 1:
            if arg.comma is cst.MaybeSentinel.DEFAULT:
                arg = arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        else:
            arg = arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        fixed.append(arg)
    return fixed


def _is_binary(opener: cst.Call) -> bool:
    if isinstance(opener.func, cst.Attribute) and opener.func.attr.value == "open":
        # path.open(mode, ...): the mode is the first argument.
        for i, arg in enumerate(opener.args):
            if (arg.keyword is None and i == 0) or (arg.keyword and arg.keyword.value == "mode"):
                return "b" in (_string_value(arg.value) or "")
        return False
    mode, _ = _open_arguments(opener)
    return "b" in (mode or "")


def _split_with(node: cst.With, is_file: list[bool]) -> cst.With:
    """``with a, open(p) as f, b:`` → nested with / async with groups, same order."""
    groups: list[tuple[bool, list[cst.WithItem]]] = []
    for item, file in zip(node.items, is_file):
        if groups and groups[-1][0] == file:
            groups[-1][1].append(item)
        else:
            groups.append((file, [item]))
    # The header comment (``with a, open(p) as f:  # why``) stays on the first line.
    body: cst.BaseSuite = node.body
    if isinstance(body, cst.IndentedBlock):
        body = body.with_changes(header=cst.TrailingWhitespace())
    for index in range(len(groups) - 1, -1, -1):
        file, items = groups[index]
        items = [*items[:-1], items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        statement = cst.With(
            items=items,
            body=body,
            asynchronous=cst.Asynchronous() if file else None,
        )
        if index == 0:
            if isinstance(statement.body, cst.IndentedBlock) and isinstance(node.body, cst.IndentedBlock):
                statement = statement.with_changes(
                    body=statement.body.with_changes(header=node.body.header)
                )
            return statement.with_changes(leading_lines=node.leading_lines)
        body = cst.IndentedBlock(body=[statement])
    raise AssertionError("unreachable")
