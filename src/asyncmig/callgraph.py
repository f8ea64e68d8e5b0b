"""The project call graph: who calls whom, and in which context code runs (DESIGN §5).

Built from one cheap pass of the standard library's :mod:`ast` per module (DESIGN §7 allows
``ast`` where nothing is rewritten); the per-module result, :class:`ModuleSummary`, is
small, frozen and picklable, so it crosses process pools and is cached by content hash.

Names
    A function is keyed by its *fully qualified name*: ``module.qualname`` where the module
    name comes from the file's path (packages found by walking ``__init__.py`` files, see
    :func:`module_name`) and the qualname is Python's without ``<locals>``:
    ``pkg.api.handlers.Service.fetch``, ``pkg.jobs.run.inner``. A lambda is a function of
    its own, ``outer.<lambda@LINE>``.

Call sites
    Each function lists its outgoing :class:`CallSite` s. ``target`` is the callee's
    dotted name as far as the module itself can tell (imports, relative imports and
    aliases followed; ``self.m()`` / ``cls.m()`` become ``module.Class().m`` /
    ``module.Class.m``; ``x = Client(); x.m()`` becomes ``module.Client().m``; a local
    that shadows a module resolves to nothing and is not listed). :class:`CallGraph`
    resolves targets across modules (re-exports, base classes) with :meth:`CallGraph.resolve`.
    ``how`` says how the callee runs:

    ``call``      called right here, on the caller's thread;
    ``callback``  passed to something that calls it right away on the same thread
                  (``map``, ``sorted(key=...)``, ``loop.call_soon``...);
    ``offload``   passed to ``asyncio.to_thread``, ``loop.run_in_executor``, an
                  executor's ``submit``/``map``, ``anyio.to_thread.run_sync``...;
    ``thread``    the ``target`` of a ``threading.Thread`` / ``Timer``;
    ``value``     passed on as a value (registered, stored): not known to run here.

Contexts
    ``async`` for the body of an ``async def``; ``reached`` for a sync function that some
    async function calls through a chain of ``call``/``callback`` edges between sync
    functions (``offload`` and ``thread`` edges leave the event loop and stop the chain);
    ``sync`` otherwise. Code at module or class level is ``sync``.

The graph is the foundation of async propagation: :meth:`CallGraph.callers_of`,
:meth:`CallGraph.context_of`, :attr:`CallGraph.reached` and
:meth:`CallGraph.reaching` (which sync functions reach given blocking functions).
"""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from asyncmig import sites as _sites

# ``asyncmig.names`` (skip comments) imports LibCST, a second of start-up that an ast-only
# scan should not pay: it is imported only for modules that carry an ``asyncmig:`` comment.
_MARKER = b"asyncmig:"

How = Literal["call", "callback", "offload", "thread", "value"]
Context = Literal["async", "reached", "offloaded", "sync"]

# Target prefix of an offloaded method on an object of unknown type (``*.search``).
DUCK = "*."

# Edges along which a callee runs on the caller's thread (and so on the event loop).
ON_LOOP: frozenset[str] = frozenset({"call", "callback"})

_BUILTINS = frozenset(dir(builtins))
# Decorator methods that register a request handler (FastAPI, Starlette, aiohttp, ...).
HANDLER_DECORATORS = frozenset(
    {
        "get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route",
        "route", "websocket", "websocket_route", "on_event", "middleware", "exception_handler",
        "view",
    }
)
# Calls that register a handler passed to them: ``app.add_api_route("/", f)``, ``Route("/", f)``.
_HANDLER_REGISTRATIONS = frozenset(
    {
        "add_route", "add_api_route", "add_websocket_route", "add_api_websocket_route",
        "add_get", "add_post", "add_put", "add_patch", "add_delete", "add_head", "add_view",
        "add_event_handler", "add_exception_handler", "add_middleware",
    }
)
_HANDLER_CALLS = frozenset(
    {
        "starlette.routing.Route", "starlette.routing.WebSocketRoute", "fastapi.routing.APIRoute",
        "aiohttp.web.get", "aiohttp.web.post", "aiohttp.web.put", "aiohttp.web.patch",
        "aiohttp.web.delete", "aiohttp.web.head", "aiohttp.web.route", "aiohttp.web.view",
    }
)
# Class-based views: methods named after HTTP verbs of subclasses of these run per request.
_VIEW_BASES = ("aiohttp.web.View", "starlette.endpoints.HTTPEndpoint", "starlette.endpoints.WebSocketEndpoint")
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "on_receive", "on_connect"})

# Callee (resolved) → index of the argument that runs elsewhere, and how.
_OFFLOAD_FUNCS: dict[str, tuple[int, How]] = {
    "asyncio.to_thread": (0, "offload"),
    "anyio.to_thread.run_sync": (0, "offload"),
    "anyio.to_process.run_sync": (0, "offload"),
    "starlette.concurrency.run_in_threadpool": (0, "offload"),
    "fastapi.concurrency.run_in_threadpool": (0, "offload"),
    "trio.to_thread.run_sync": (0, "offload"),
}
_OFFLOAD_METHODS: dict[str, tuple[int, How]] = {
    "run_in_executor": (1, "offload"),
    "submit": (0, "offload"),
    "map": (0, "offload"),
    "apply_async": (0, "offload"),
    "imap": (0, "offload"),
    "imap_unordered": (0, "offload"),
    "starmap": (0, "offload"),
}
_THREAD_CTORS = frozenset({"threading.Thread", "threading.Timer", "multiprocessing.Process"})
_CALLBACK_FUNCS = frozenset(
    {
        "builtins.map", "builtins.filter", "builtins.sorted", "builtins.min", "builtins.max",
        "functools.reduce", "itertools.starmap", "itertools.filterfalse", "itertools.takewhile",
        "itertools.dropwhile", "itertools.groupby", "itertools.accumulate",
    }
)
_CALLBACK_METHODS = frozenset({"sort", "call_soon", "call_later", "call_at", "add_done_callback"})
_PARTIAL = frozenset({"functools.partial"})


# ----------------------------------------------------------------------------- records


# Records are NamedTuples, not frozen dataclasses: immutable and picklable all the same,
# but built and unpickled several times faster (a project has hundreds of thousands of
# call sites; they cross process pools and fill the cache).

class CallSite(NamedTuple):
    """One outgoing reference from a function: ``target`` (dotted), where, and ``how``.

    A function passed as an argument (``how`` ``value``) also names the call it is passed
    to (``via``, dotted) and the argument (``arg``: position, or keyword name), so the graph
    can tell when that callee calls its parameter (:meth:`CallGraph.how_of`).
    """

    target: str
    line: int
    col: int  # 1-based (UTF-8 offset + 1)
    how: How
    via: str = ""
    arg: int | str = -1


class ParamUse(NamedTuple):
    """What a function does with one of its parameters: calls it (``call``), hands it to
    a callback runner, an executor or a thread (``callback``/``offload``/``thread``), or
    passes it on to another call (``value``, with ``via`` and ``arg`` as in CallSite).

    ``index`` is the parameter's position (``self`` counts), -1 for keyword-only ones.
    """

    index: int
    name: str
    how: How
    via: str = ""
    arg: int | str = -1


class FunctionInfo(NamedTuple):
    """A ``def``, ``async def`` or lambda of one module.

    ``qualname`` is module-relative (``Class.method``, ``outer.inner``,
    ``outer.<lambda@12>``); ``decorators`` are the decorators' resolved dotted names
    (their source text when unresolved); ``is_handler`` marks an async request handler
    recognized by its decorator or class-based view.
    """

    qualname: str
    line: int
    is_async: bool
    decorators: tuple[str, ...] = ()
    calls: tuple[CallSite, ...] = ()
    is_handler: bool = False
    is_method: bool = False
    param_uses: tuple[ParamUse, ...] = ()


class RawSite(NamedTuple):
    """A blocking call as the module sees it; context and priority come from the graph."""

    kind: str
    line: int
    col: int  # 1-based, in characters
    call: str  # source text, on one line
    function: str  # module-relative qualname of the enclosing function, "" at module level
    timeout: str
    codemod: str | None
    skipped: bool = False  # a ``# asyncmig: skip`` comment on one of its lines
    # the blocking callable is handed to a worker (``run_in_executor(None, requests.get, u)``)
    offloaded: bool = False


class ModuleSummary(NamedTuple):
    """Everything the graph and the scan need from one module."""

    module: str
    path: str
    lines: int
    functions: tuple[FunctionInfo, ...] = ()
    classes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # qualname → base classes (dotted)
    aliases: tuple[tuple[str, str], ...] = ()  # module-level name → dotted target
    handler_refs: tuple[str, ...] = ()  # dotted names registered as request handlers
    sites: tuple[RawSite, ...] = ()
    error: str | None = None  # why the module could not be read (syntax error...)
    skip_file: bool = False


class Edge(NamedTuple):
    """A resolved call-graph edge between two project functions (fully qualified)."""

    caller: str
    callee: str
    line: int
    col: int
    how: How


class Function(NamedTuple):
    """A project function: its fully qualified name, module, file and what it looks like."""

    name: str
    module: str
    path: str
    info: FunctionInfo

    @property
    def is_async(self) -> bool:
        return self.info.is_async


# ----------------------------------------------------------------------------- module names


def module_name(rel: str, has_init) -> tuple[str, bool]:
    """``(module, is_package)`` of a ``/``-separated relative path.

    ``has_init(folder)`` says whether ``folder`` (relative, ``/``-separated) holds an
    ``__init__.py``. The module name climbs folders while they are packages, so
    ``src/pkg/sub/mod.py`` is ``pkg.sub.mod`` (a ``src/`` layout) and a flat
    ``scripts/tool.py`` is ``tool``.
    """
    folder, _, filename = rel.rpartition("/")
    is_package = filename == "__init__.py"
    stem = filename[:-3] if filename.endswith(".py") else filename
    parts: list[str] = [] if is_package else [stem]
    while folder and has_init(folder):
        folder, _, name = folder.rpartition("/")
        parts.append(name)
    if not parts:  # an __init__.py in a folder that is not a package (top level)
        parts = [rel.rpartition("/")[0].rpartition("/")[2] or stem]
    return ".".join(reversed(parts)), is_package


# ----------------------------------------------------------------------------- extraction


class _Frame:
    __slots__ = (
        "qualname", "is_async", "scope", "calls", "cls", "self_name", "self_is_class", "records", "owner",
        "params", "param_uses",
    )

    def __init__(self, qualname, is_async, records, cls=None, owner=None):
        self.qualname = qualname
        self.is_async = is_async
        self.scope: dict[str, str | None] = {}
        self.calls: list[CallSite] = []
        self.cls = cls  # module-relative qualname of the class a method belongs to
        self.self_name: str | None = None
        self.self_is_class = False
        self.records = records  # a real function (module and class bodies are not)
        self.owner = owner if owner is not None else qualname  # site "function"
        self.params: dict[str, int] = {}  # parameter name → position (-1: keyword-only)
        self.param_uses: list[ParamUse] = []


def extract(source: bytes, module: str, path: str, is_package: bool = False) -> ModuleSummary:
    """The :class:`ModuleSummary` of one module's source; never raises on bad input."""
    lines = source.count(b"\n") + (0 if source.endswith(b"\n") or not source else 1)
    skip_file = False
    if _MARKER in source:
        from asyncmig.names import has_skip_file_comment

        skip_file = has_skip_file_comment(source[:8192])
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        return ModuleSummary(module, path, lines, error=f"does not parse: {' '.join(str(exc).split())[:200]}")
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        text = source.decode("latin-1")
    extractor = _Extractor(module, path, is_package, text, source)
    try:
        extractor.run(tree)
    except RecursionError:
        return ModuleSummary(module, path, lines, error="too deeply nested to analyse")
    except Exception as exc:  # never let one odd module stop a whole scan
        return ModuleSummary(module, path, lines, error=f"not analysed ({type(exc).__name__}: {exc})")
    return extractor.summary(lines, skip_file)


_PATH_INSTANCES = frozenset(f"{c}()" for c in _sites._PATH_CLASSES)
_PATH_STR_ATTRS = frozenset({"name", "stem", "suffix", "anchor", "drive", "root"})
_PATH_RETURNING = frozenset(
    {"cwd", "home", "with_name", "with_suffix", "with_stem", "joinpath", "resolve", "absolute", "expanduser",
     "relative_to", "with_segments", "readlink", "rename", "replace"}
)
_STR_RETURNING = frozenset({"as_posix", "as_uri", "read_text", "__fspath__", "__str__"})


def _is_none(node: ast.AST) -> bool:
    return type(node) is ast.Constant and node.value is None


# Nodes that never hold a call, a binding or a scope: not descended into.
_LEAVES = frozenset({ast.Constant, ast.Name, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal})
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "type_comment", "id", "attr", "arg", "name", "asname", "module", "level", "names", "kind", "value_str", "is_async", "conversion", "simple", "lineno", "col_offset"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    return tuple(f for f in kind._fields if f not in _NOT_CHILDREN)


def _without_comment(line: str) -> str:
    """``line`` up to a ``#`` comment (a ``#`` inside a one-line string literal stays)."""
    if "#" not in line:
        return line
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
        index += 1
    return line


class _Extractor:
    def __init__(self, module: str, path: str, is_package: bool, text: str, source: bytes) -> None:
        self.module = module
        self.path = path
        self.package = module if is_package else module.rpartition(".")[0]
        self.source_lines: list[bytes] | None = None
        self.source = source
        self.skip_lines: frozenset[int] = frozenset()
        if _MARKER in source:
            from asyncmig.names import skip_comment_lines

            self.skip_lines = skip_comment_lines(text)
        self.module_frame = _Frame("", False, False, owner="")
        self.frames: list[_Frame] = [self.module_frame]
        self.functions: list[FunctionInfo] = []
        self.classes: list[tuple[str, tuple[str, ...]]] = []
        self.class_bases: dict[str, tuple[str, ...]] = {}
        self.attr_types: dict[str, str] = {}  # "mod.C().x" → type of self.x
        self.thread_classes: set[str] = set()  # dotted names of local Thread subclasses
        self.handler_refs: list[str] = []
        self.sites: list[RawSite] = []
        self.awaited: set[int] = set()
        self.uses_threads = b"threading" in source or b"multiprocessing" in source
        self.uses_executors = b"concurrent" in source or b"Executor" in source
        self.lambda_names: set[str] = set()
        self.return_types: dict[str, str] = {}  # "mod.f" / "mod.C.m" → what a call returns
        self.thread_owners: set[str] = set()  # functions with a ``thread`` site
        self.dispatch = {
            ast.Call: self.visit_Call,
            ast.Import: self.visit_Import,
            ast.ImportFrom: self.visit_ImportFrom,
            ast.FunctionDef: self.visit_FunctionDef,
            ast.AsyncFunctionDef: self.visit_FunctionDef,
            ast.ClassDef: self.visit_ClassDef,
            ast.Lambda: self.visit_Lambda,
            ast.Assign: self.visit_Assign,
            ast.AnnAssign: self.visit_AnnAssign,
            ast.AugAssign: self.visit_AugAssign,
            ast.With: self.visit_With,
            ast.AsyncWith: self.visit_With,
            ast.For: self.visit_For,
            ast.AsyncFor: self.visit_For,
            ast.Await: self.visit_Await,
            ast.comprehension: self.visit_comprehension,
            ast.ExceptHandler: self.visit_ExceptHandler,
            ast.NamedExpr: self.visit_NamedExpr,
        }

    # ---------------------------------------------------------------- driving

    def run(self, tree: ast.Module) -> None:
        self.prebind(tree.body)
        self.prebind_returns(tree.body, "")
        self.visit_body(tree.body)
        self.settle_threads(0, "")

    def prebind_returns(self, body: list[ast.stmt], prefix: str) -> None:
        """``def resolve() -> Path``: what calls of the module's functions and methods return."""
        for stmt in body:
            t = type(stmt)
            if (t is ast.FunctionDef or t is ast.AsyncFunctionDef) and stmt.returns is not None:
                kind = self.annotation_type(stmt.returns)
                if kind is not None:
                    self.return_types[f"{self.module}.{prefix}{stmt.name}"] = kind
            elif t is ast.ClassDef:
                self.prebind_returns(stmt.body, f"{prefix}{stmt.name}.")
    def summary(self, lines: int, skip_file: bool) -> ModuleSummary:
        aliases = tuple(sorted((k, v) for k, v in self.module_frame.scope.items() if v is not None))
        return ModuleSummary(
            module=self.module,
            path=self.path,
            lines=lines,
            functions=tuple(self.functions),
            classes=tuple(self.classes),
            aliases=aliases,
            handler_refs=tuple(dict.fromkeys(self.handler_refs)),
            sites=tuple(self.sites),
            skip_file=skip_file,
        )

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        method = self.dispatch.get(kind)
        if method is not None:
            method(node)
            return
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = _child_fields(kind)
        visit = self.visit
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if type(value) is list:
                for item in value:
                    if type(item) not in _LEAVES and isinstance(item, ast.AST):
                        visit(item)
            elif type(value) not in _LEAVES and isinstance(value, ast.AST):
                visit(value)

    def visit_body(self, nodes: Iterable[ast.AST]) -> None:
        for node in nodes:
            self.visit(node)

    def prebind(self, body: list[ast.stmt]) -> None:
        """Module-level names first (functions may call what is defined below them)."""
        scope = self.module_frame.scope
        for stmt in body:
            t = type(stmt)
            if t is ast.Import or t is ast.ImportFrom:
                self.bind_import(stmt, scope)
            elif t is ast.FunctionDef or t is ast.AsyncFunctionDef or t is ast.ClassDef:
                scope[stmt.name] = f"{self.module}.{stmt.name}"
            elif t is ast.AnnAssign and type(stmt.target) is ast.Name:
                kind = self.annotation_type(stmt.annotation)
                if kind is None and stmt.value is not None:
                    kind = self.value_type(stmt.value)
                if kind is not None or stmt.value is not None:
                    scope[stmt.target.id] = kind
            elif t is ast.Assign:
                # ``session = requests.Session()`` below the functions that use it
                for target in stmt.targets:
                    if type(target) is ast.Name:
                        scope[target.id] = self.value_type(stmt.value)
            elif t is ast.If or t is ast.Try or (hasattr(ast, "TryStar") and t is getattr(ast, "TryStar")):
                for part in (stmt.body, getattr(stmt, "orelse", ()), getattr(stmt, "finalbody", ())):
                    self.prebind(list(part))
                for handler in getattr(stmt, "handlers", ()):
                    self.prebind(handler.body)

    # ---------------------------------------------------------------- names

    @property
    def frame(self) -> _Frame:
        return self.frames[-1]

    def lookup(self, name: str) -> str | None:
        frames = self.frames
        current = frames[-1]
        for frame in reversed(frames):
            if frame is not current and frame.cls is not None and not frame.records:
                continue  # a class body's names are not visible inside its methods
            if name in frame.scope:
                return frame.scope[name]
            if frame.self_name == name:
                cls = f"{self.module}.{frame.cls}"
                return cls if frame.self_is_class else cls + "()"
        if name in _BUILTINS:
            return "builtins." + name
        return None

    def resolve(self, expr: ast.AST) -> str | None:
        t = type(expr)
        if t is ast.Name:
            return self.lookup(expr.id)
        if t is ast.Attribute:
            base = self.resolve(expr.value)
            if base is None:
                return None
            if base in _PATH_INSTANCES:
                # ``Path(p).name`` is a str, ``.parent`` a Path: neither is a method call
                if expr.attr in _PATH_STR_ATTRS:
                    return "builtins.str()"
                if expr.attr == "parent":
                    return "pathlib.Path()"
                if expr.attr == "parents":
                    return "pathlib.Path()[]"
            dotted = f"{base}.{expr.attr}"
            return self.attr_types.get(dotted, dotted)
        if t is ast.Call:
            base = self.resolve(expr.func)
            if base is None:
                return None
            returns = self.return_types
            if returns:
                found = returns.get(base.replace("()", "") if "()." in base else base)
                if found is not None:
                    return found
            if base == "builtins.super":
                return self.super_instance()
            if base in self.thread_classes:
                return "threading.Thread()"
            if base.startswith(_sites._PATH_CLASSES):
                method = base.rpartition(".")[2]
                if method in _PATH_RETURNING:
                    return "pathlib.Path()"
                if method in _STR_RETURNING:
                    return "builtins.str()"
                if method in ("iterdir", "glob", "rglob"):
                    return "pathlib.Path()[]"
            return base + "()"
        if t is ast.BinOp and isinstance(expr.op, ast.Div):
            left = self.resolve(expr.left)
            if left is not None and left.startswith(_sites._PATH_CLASSES):
                return "pathlib.Path()"
            return None
        if t is ast.Subscript:
            base = self.resolve(expr.value)
            if base is not None and base.endswith("[]"):
                return base[:-2]
            return None
        return None

    def super_instance(self) -> str | None:
        """``super()`` in a method: an instance of the class's first base (good enough for
        ``super().method()`` to reach the base's method, or its bases')."""
        for frame in reversed(self.frames):
            if frame.cls is not None and frame.records:
                bases = self.class_bases.get(frame.cls, ())
                return bases[0] + "()" if bases else None
        return None

    def value_type(self, value: ast.AST) -> str | None:
        """What a name bound to ``value`` stands for (a dotted name, an instance, a list)."""
        t = type(value)
        if t is ast.Call or t is ast.Name or t is ast.Attribute or t is ast.BinOp or t is ast.Subscript:
            return self.resolve(value)
        if t is ast.ListComp or t is ast.GeneratorExp or t is ast.SetComp:
            elem = self.value_type(value.elt)
            return elem + "[]" if elem else None
        if t is ast.List or t is ast.Tuple or t is ast.Set:
            if value.elts:
                elems = {self.value_type(e) for e in value.elts}
                if len(elems) == 1:
                    (elem,) = elems
                    return elem + "[]" if elem else None
            return None
        if t is ast.Lambda:
            return None
        return None

    def bind(self, target: ast.AST, value_type: str | None) -> None:
        t = type(target)
        if t is ast.Name:
            frame = self.frame
            frame.scope[target.id] = value_type
            if frame.params:
                frame.params.pop(target.id, None)  # rebound: no longer the parameter
        elif t is ast.Tuple or t is ast.List:
            for elt in target.elts:
                self.bind(elt, None)
        elif t is ast.Starred:
            self.bind(target.value, None)

    def bind_import(self, node: ast.Import | ast.ImportFrom, scope: dict[str, str | None]) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    scope[head] = head
            return
        base = self.absolute(node.module, node.level)
        if base is None:
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            scope[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name

    def absolute(self, module: str | None, level: int) -> str | None:
        if not level:
            return module
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts):
            return None
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        if module:
            parts.append(module)
        return ".".join(parts)

    # ---------------------------------------------------------------- text

    def segment(self, node: ast.AST) -> str:
        if self.source_lines is None:
            self.source_lines = self.source.splitlines()
        lines = self.source_lines
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        if first >= len(lines):
            return ""
        if first == last:
            return lines[first][node.col_offset : node.end_col_offset].decode("utf-8", errors="replace")
        chunk = [lines[first][node.col_offset :]]
        chunk.extend(lines[first + 1 : last])
        chunk.append(lines[last][: node.end_col_offset])
        # On one line: each line stripped, joined by a space except inside brackets' edges.
        text = ""
        for part in chunk:
            piece = _without_comment(part.decode("utf-8", errors="replace")).strip()
            if not piece:
                continue
            if text and not text.endswith(("(", "[", "{")) and not piece.startswith((")", "]", "}")):
                text += " "
            text += piece
        return text

    def column(self, node: ast.AST) -> int:
        if self.source_lines is None:
            self.source_lines = self.source.splitlines()
        line = self.source_lines[node.lineno - 1] if node.lineno - 1 < len(self.source_lines) else b""
        return len(line[: node.col_offset].decode("utf-8", errors="replace")) + 1

    # ---------------------------------------------------------------- visitors

    def visit_Import(self, node: ast.Import) -> None:
        self.bind_import(node, self.frame.scope)

    visit_ImportFrom = visit_Import

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self.frame
        decorators: list[str] = []
        is_handler = False
        is_static = is_classmethod = False
        for dec in node.decorator_list:
            self.visit(dec)
            func = dec.func if isinstance(dec, ast.Call) else dec
            name = self.resolve(func) or self.segment(func)
            decorators.append(name)
            if isinstance(dec, ast.Call) and isinstance(func, ast.Attribute) and func.attr in HANDLER_DECORATORS:
                is_handler = True
            if name in ("builtins.staticmethod",):
                is_static = True
            elif name in ("builtins.classmethod",):
                is_classmethod = True
        args = node.args
        for default in (*args.defaults, *args.kw_defaults):
            if default is not None:
                self.visit(default)
        prefix = self.owner_prefix()
        qualname = f"{prefix}{node.name}"
        is_method = outer.cls is not None and not outer.records
        if is_method and node.name in _VIEW_METHODS and self.class_is_view(outer.cls):
            is_handler = True
        is_async = isinstance(node, ast.AsyncFunctionDef)
        outer.scope[node.name] = f"{self.module}.{qualname}"
        frame = _Frame(qualname, is_async, True, cls=outer.cls if is_method else None)
        positional = [*args.posonlyargs, *args.args]
        if is_method and not is_static and positional:
            frame.self_name = positional[0].arg
            frame.self_is_class = is_classmethod or node.name in ("__new__", "__init_subclass__", "__class_getitem__")
        for arg in (*positional, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is None or arg.arg == frame.self_name:
                continue
            frame.scope[arg.arg] = self.annotation_type(arg.annotation)
        for index, arg in enumerate(positional):
            if arg.arg != frame.self_name:
                frame.params[arg.arg] = index
        for arg in args.kwonlyargs:
            frame.params[arg.arg] = -1
        self.frames.append(frame)
        first_site = len(self.sites)
        self.visit_body(node.body)
        self.frames.pop()
        self.settle_threads(first_site, frame.owner)
        self.functions.append(
            FunctionInfo(
                qualname=qualname,
                line=node.lineno,
                is_async=is_async,
                decorators=tuple(decorators),
                calls=tuple(frame.calls),
                is_handler=is_handler and is_async,
                is_method=is_method,
                param_uses=tuple(dict.fromkeys(frame.param_uses)),
            )
        )

    def owner_prefix(self) -> str:
        owner = self.frame.owner
        return f"{owner}." if owner else ""

    def class_is_view(self, cls: str) -> bool:
        return any(b.startswith(_VIEW_BASES) for b in self.class_bases.get(cls, ()))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer = self.frame
        for dec in node.decorator_list:
            self.visit(dec)
        bases: list[str] = []
        for base in node.bases:
            self.visit(base)
            resolved = self.resolve(base)
            if resolved is not None:
                bases.append(resolved)
        for keyword in node.keywords:
            self.visit(keyword.value)
        qualname = f"{self.owner_prefix()}{node.name}"
        dotted = f"{self.module}.{qualname}"
        outer.scope[node.name] = dotted
        if any(b in ("threading.Thread", "multiprocessing.Process") or b in self.thread_classes for b in bases):
            self.thread_classes.add(dotted)
        self.classes.append((qualname, tuple(bases)))
        self.class_bases[qualname] = tuple(bases)
        self.collect_attr_types(node, dotted, bases)
        frame = _Frame(qualname, False, False, cls=qualname)
        self.frames.append(frame)
        self.visit_body(node.body)
        self.frames.pop()

    def collect_attr_types(self, node: ast.ClassDef, dotted: str, bases: list[str]) -> None:
        """What ``self.x`` is, from the class: ``self.x = Something(...)`` in any method,
        ``self.x = param`` with ``param: Something``, ``self.x: Something`` and class-level
        ``x: Something`` annotations. Attributes of a base class of the same module are
        inherited.
        """
        attr_types = self.attr_types
        for base in bases:
            prefix = f"{base}()."
            for key, kind in list(attr_types.items()):
                if key.startswith(prefix):
                    attr_types[f"{dotted}().{key[len(prefix):]}"] = kind
        for item in node.body:
            if type(item) is ast.AnnAssign and type(item.target) is ast.Name:
                kind = self.annotation_type(item.annotation)
                if kind is not None:
                    attr_types[f"{dotted}().{item.target.id}"] = kind
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            args = item.args
            positional = [*args.posonlyargs, *args.args]
            if not positional:
                continue
            self_name = positional[0].arg
            params = {a.arg: a.annotation for a in (*positional[1:], *args.kwonlyargs) if a.annotation is not None}
            stack = list(item.body)
            while stack:
                stmt = stack.pop()
                t = type(stmt)
                if t is ast.Assign or t is ast.AnnAssign:
                    value = stmt.value
                    targets = stmt.targets if t is ast.Assign else [stmt.target]
                    for target in targets:
                        if not (
                            type(target) is ast.Attribute
                            and type(target.value) is ast.Name
                            and target.value.id == self_name
                        ):
                            continue
                        kind = None
                        if t is ast.AnnAssign:
                            kind = self.annotation_type(stmt.annotation)
                        if kind is None and type(value) is ast.Call:
                            kind = self.resolve(value)
                        elif kind is None and type(value) is ast.Name and value.id in params:
                            kind = self.annotation_type(params[value.id])
                        if kind is not None:
                            attr_types[f"{dotted}().{target.attr}"] = kind
                elif t in (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try):
                    stack.extend(stmt.body)
                    stack.extend(getattr(stmt, "orelse", ()))
                    stack.extend(getattr(stmt, "finalbody", ()))
                    for handler in getattr(stmt, "handlers", ()):
                        stack.extend(handler.body)

    def annotation_type(self, annotation: ast.AST | None) -> str | None:
        """``requests.Session`` as an annotation: an instance, ``requests.Session()``.

        ``Optional[X]``, ``Union[X, None]``, ``X | None`` and ``"X"`` (a string annotation)
        are an ``X`` too: the value is an ``X`` wherever it is used as one.
        """
        t = type(annotation)
        if t is ast.Constant and isinstance(annotation.value, str) and len(annotation.value) < 200:
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
            t = type(annotation)
        if t is ast.BinOp and type(annotation.op) is ast.BitOr:
            left, right = annotation.left, annotation.right
            if _is_none(right):
                return self.annotation_type(left)
            if _is_none(left):
                return self.annotation_type(right)
            return None
        if t is ast.Subscript:
            wrapper = self.resolve(annotation.value)
            inner = annotation.slice
            if wrapper == "typing.Optional":
                return self.annotation_type(inner)
            if wrapper == "typing.Union" and type(inner) is ast.Tuple:
                rest = [e for e in inner.elts if not _is_none(e)]
                return self.annotation_type(rest[0]) if len(rest) == 1 else None
            return None
        if t is not ast.Name and t is not ast.Attribute:
            return None
        resolved = self.resolve(annotation)
        if resolved is None or resolved.startswith("builtins."):
            return None
        return resolved + "()"

    def visit_Lambda(self, node: ast.Lambda, how: How = "value", via: str = "", slot: int | str = -1) -> str:
        outer = self.frame
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None:
                self.visit(default)
        qualname = f"{self.owner_prefix()}<lambda@{node.lineno}>"
        if qualname in self.lambda_names:
            qualname = f"{self.owner_prefix()}<lambda@{node.lineno}:{node.col_offset + 1}>"
        self.lambda_names.add(qualname)
        frame = _Frame(qualname, False, True)
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                frame.scope[arg.arg] = None
        self.frames.append(frame)
        first_site = len(self.sites)
        self.visit(node.body)
        self.frames.pop()
        self.settle_threads(first_site, frame.owner)
        self.functions.append(
            FunctionInfo(
                qualname=qualname, line=node.lineno, is_async=False, calls=tuple(frame.calls),
                param_uses=tuple(dict.fromkeys(frame.param_uses)),
            )
        )
        target = f"{self.module}.{qualname}"
        if outer.records:
            outer.calls.append(
                CallSite(target, node.lineno, node.col_offset + 1, how, via, slot)
                if how == "value" and via
                else CallSite(target, node.lineno, node.col_offset + 1, how)
            )
        return target

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        kind = self.value_type(node.value)
        if type(node.value) is ast.Lambda:
            kind = f"{self.module}.{self.owner_prefix()}<lambda@{node.value.lineno}>"
        for target in node.targets:
            if type(target) is ast.Name:
                self.bind(target, kind)
            else:
                self.visit_target(target)

    def visit_target(self, target: ast.AST) -> None:
        t = type(target)
        if t is ast.Name:
            self.frame.scope[target.id] = None
        elif t is ast.Tuple or t is ast.List:
            for elt in target.elts:
                self.visit_target(elt)
        elif t is ast.Starred:
            self.visit_target(target.value)
        else:
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        # ``_executor: Optional[ThreadPoolExecutor] = None``: the annotation says what it holds
        if node.value is not None:
            self.visit(node.value)
        if type(node.target) is ast.Name:
            kind = self.annotation_type(node.annotation)
            if kind is not None or node.value is not None:
                self.bind(node.target, kind or self.value_type(node.value))
        elif node.value is not None:
            self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if type(node.target) is ast.Name:
            self.frame.scope.setdefault(node.target.id, None)
        else:
            self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.bind(node.target, self.value_type(node.value))

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            expr = item.context_expr
            self.visit(expr)
            if type(expr) is ast.Call and type(node) is ast.With:
                target = self.resolve(expr.func)
                if _sites.is_executor(target):
                    self.add_site("executor", "threads-to-gather", expr, _sites.NO_TIMEOUT)
            if item.optional_vars is not None:
                if type(item.optional_vars) is ast.Name:
                    self.bind(item.optional_vars, self.value_type(expr))
                else:
                    self.visit_target(item.optional_vars)
        self.visit_body(node.body)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        elem = self.value_type(node.iter)
        if type(node.target) is ast.Name:
            self.bind(node.target, elem[:-2] if elem and elem.endswith("[]") else None)
        else:
            self.visit_target(node.target)
        self.visit_body(node.body)
        self.visit_body(node.orelse)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.visit(node.iter)
        elem = self.value_type(node.iter)
        if type(node.target) is ast.Name:
            self.bind(node.target, elem[:-2] if elem and elem.endswith("[]") else None)
        else:
            self.visit_target(node.target)
        for cond in node.ifs:
            self.visit(cond)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.frame.scope[node.name] = None
        self.visit_body(node.body)

    def visit_Await(self, node: ast.Await) -> None:
        if type(node.value) is ast.Call:
            self.awaited.add(id(node.value))
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        frame = self.frame
        func = node.func
        if type(func) is ast.Attribute:
            method: str | None = func.attr
            receiver = self.resolve(func.value)
            target = None
            if receiver is not None:
                target = f"{receiver}.{method}"
                target = self.attr_types.get(target, target)
        else:
            method = receiver = None
            target = self.resolve(func)
        if id(node) not in self.awaited:
            found = _sites.classify(
                target,
                receiver,
                method,
                node,
                uses_threads=self.uses_threads,
                uses_executors=self.uses_executors,
                in_async=frame.is_async,
            )
            if found is None and target is not None and target in self.thread_classes:
                found = ("thread", "threads-to-gather")
            if found is not None:
                kind, codemod = found
                self.add_site(kind, codemod, node, _sites.timeout_of(kind, node, self.segment))
        if type(func) is ast.Name and func.id in frame.params:
            frame.param_uses.append(ParamUse(frame.params[func.id], func.id, "call"))
        elif target is not None and frame.records and not target.startswith("builtins."):
            frame.calls.append(CallSite(target, node.lineno, node.col_offset + 1, "call"))
        # Where do function-valued arguments go?
        offload: tuple[int, How] | None = None
        callback = False
        registers = False
        if target is not None:
            offload = _OFFLOAD_FUNCS.get(target)
            if target in _THREAD_CTORS or target in self.thread_classes:
                offload = (-1, "thread")  # the ``target=`` keyword (or Timer's function)
            callback = target in _CALLBACK_FUNCS
            registers = target in _HANDLER_CALLS
        if method is not None and offload is None:
            offload = _OFFLOAD_METHODS.get(method)
            callback = callback or method in _CALLBACK_METHODS
            registers = registers or method in _HANDLER_REGISTRATIONS
        self.visit(func)
        for index, arg in enumerate(node.args):
            how: How = "callback" if callback else "value"
            if offload is not None and (index == offload[0] or (offload[1] == "thread" and target == "threading.Timer" and index == 1)):
                how = offload[1]
            elif offload is not None and offload[1] == "offload" and index > offload[0]:
                how = "value"
            self.visit_argument(arg, how, registers, node, target, index)
        for keyword in node.keywords:
            how = "callback" if callback else "value"
            if offload is not None and offload[1] == "thread" and keyword.arg in ("target", "function"):
                how = "thread"
            elif offload is not None and keyword.arg in ("func", "fn"):
                how = offload[1]
            self.visit_argument(
                keyword.value, how, registers or keyword.arg == "endpoint", node, target,
                keyword.arg if keyword.arg is not None else -1,
            )

    def visit_argument(
        self,
        arg: ast.AST,
        how: How,
        registers: bool,
        call: ast.Call | None = None,
        via: str | None = None,
        slot: int | str = -1,
    ) -> None:
        t = type(arg)
        frame = self.frame
        if t is ast.Lambda:
            self.visit_Lambda(arg, how, via or "", slot)
            return
        if t is ast.Name or t is ast.Attribute:
            ref = self.resolve(arg)
            # ``v = helper(x); print(v)`` passes helper's result, not helper: a value
            # whose name ends in ``()`` (an instance, a call's result) is no function.
            if ref is not None and not ref.startswith("builtins.") and not ref.endswith(("()", "[]")):
                if frame.records:
                    frame.calls.append(
                        CallSite(ref, arg.lineno, arg.col_offset + 1, how, via or "", slot)
                        if how == "value" and via
                        else CallSite(ref, arg.lineno, arg.col_offset + 1, how)
                    )
                if registers:
                    self.handler_refs.append(ref)
                if how in ("offload", "thread") and call is not None:
                    self.offloaded_site(ref, call)
            elif t is ast.Name and arg.id in frame.params and (how != "value" or via):
                frame.param_uses.append(ParamUse(frame.params[arg.id], arg.id, how, via or "", slot))
            elif t is ast.Attribute and how in ("offload", "thread") and frame.records and ref is None:
                # ``to_thread(retriever.search)`` on an object of unknown class: a method of
                # that name (see CallGraph.offloaded, which looks them up by name)
                frame.calls.append(CallSite(f"{DUCK}{arg.attr}", arg.lineno, arg.col_offset + 1, how))
            self.visit(arg)
            return
        if t is ast.Call and how in ("offload", "thread") and self.resolve(arg.func) in _PARTIAL and arg.args:
            # to_thread(functools.partial(f, x)): f runs off the loop too
            self.visit(arg.func)
            self.visit_argument(arg.args[0], how, registers, call)
            for rest in arg.args[1:]:
                self.visit(rest)
            for keyword in arg.keywords:
                self.visit(keyword.value)
            return
        self.visit(arg)

    def settle_threads(self, start: int, owner: str) -> None:
        """Threads a function starts but never joins are fire-and-forget work (DESIGN §9):
        creating or starting a thread does not block, only ``join()`` does."""
        if owner not in self.thread_owners:
            return
        sites = self.sites
        mine = [i for i in range(start, len(sites)) if sites[i].function == owner]
        if any(sites[i].kind == "thread-join" for i in mine):
            return
        for i in mine:
            if sites[i].kind == "thread":
                sites[i] = sites[i]._replace(kind="fire-and-forget", codemod=None)

    def offloaded_site(self, ref: str, call: ast.Call) -> None:
        """A blocking callable handed to a worker as it is: ``to_thread(time.sleep, 1)``."""
        found = _sites.classify_reference(ref)
        if found is not None:
            kind, codemod = found
            timeout = _sites.timeout_of(kind, call, self.segment) if kind in ("requests", "httpx-sync") else _sites.NOT_APPLICABLE
            self.add_site(kind, codemod, call, timeout, offloaded=True)

    def add_site(self, kind: str, codemod: str | None, node: ast.AST, timeout: str, offloaded: bool = False) -> None:
        first, last = node.lineno, node.end_lineno or node.lineno
        skip_lines = self.skip_lines
        skipped = bool(skip_lines) and any(line in skip_lines for line in range(first, last + 1))
        if kind == "thread":
            self.thread_owners.add(self.frame.owner)
        self.sites.append(
            RawSite(
                kind=kind,
                line=first,
                col=self.column(node),
                call=self.segment(node),
                function=self.frame.owner,
                timeout=timeout,
                codemod=codemod,
                skipped=skipped,
                offloaded=offloaded,
            )
        )


# ----------------------------------------------------------------------------- the graph


@dataclass
class CallGraph:
    """All functions of a project, their call edges, and the context each runs in.

    Build it from module summaries: ``CallGraph.build(summaries)``. Resolution and
    contexts are computed lazily and memoized.
    """

    modules: dict[str, ModuleSummary] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    _memo: dict[str, str | None] = field(default_factory=dict)
    _reached: frozenset[str] | None = None
    _offloaded: frozenset[str] | None = None
    _request_path: frozenset[str] | None = None
    _param_hows: dict[tuple[str, int | str], How | None] = field(default_factory=dict)
    _callers: dict[str, list[Edge]] | None = None
    # Modules known to exist but not loaded (``add``ed) yet: resolution that needs one of
    # them records it in ``wanted`` instead, so a caller can load just those and retry.
    unloaded: set[str] = field(default_factory=set)
    wanted: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, summaries: Iterable[ModuleSummary]) -> CallGraph:
        graph = cls()
        for summary in summaries:
            graph.add(summary)
        return graph

    def add(self, summary: ModuleSummary) -> None:
        """Add one module (later modules with the same name are ignored)."""
        if summary.module in self.modules:
            return
        self.unloaded.discard(summary.module)
        self.wanted.discard(summary.module)
        self.modules[summary.module] = summary
        module = summary.module
        for info in summary.functions:
            name = f"{module}.{info.qualname}"
            self.functions[name] = Function(name, module, summary.path, info)
        for qualname, bases in summary.classes:
            self.classes[f"{module}.{qualname}"] = bases
        self._aliases[module] = dict(summary.aliases)
        self._memo.clear()
        self._param_hows.clear()
        self._reached = self._offloaded = self._request_path = None
        self._callers = None

    # ---------------------------------------------------------------- resolution

    def resolve(self, target: str) -> str | None:
        """The project function a dotted call target runs, or None (outside the project).

        Follows re-exports (``from .impl import f`` in a package), instance markers
        (``mod.Client().get`` → ``mod.Client.get``), base classes, and a class call
        (``mod.Client()`` runs ``mod.Client.__init__``).
        """
        memo = self._memo
        if target in memo:
            return memo[target]
        name = self._lookup(target.replace("()", "").replace("[]", ""), 0)
        if name is not None and name in self.classes:
            name = self._method(name, "__init__", 0)
        result = name if name is not None and name in self.functions else None
        memo[target] = result
        return result

    def _lookup(self, name: str, depth: int) -> str | None:
        if depth > 12:
            return None
        if name in self.functions or name in self.classes:
            return name
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            head = ".".join(parts[:i])
            if head in self.classes:
                if i == len(parts) - 1:
                    return self._method(head, parts[i], depth + 1)
                return None
            if head in self.unloaded:
                self.wanted.add(head)
                return None
            if head in self.modules:
                alias = self._aliases[head].get(parts[i])
                if alias is None or alias == ".".join(parts[: i + 1]):
                    return None
                alias = alias.replace("()", "").replace("[]", "")
                return self._lookup(".".join([alias, *parts[i + 1 :]]), depth + 1)
        return None

    def _method(self, cls: str, attr: str, depth: int) -> str | None:
        if depth > 12:
            return None
        own = f"{cls}.{attr}"
        if own in self.functions:
            return own
        for base in self.classes.get(cls, ()):
            resolved = self._lookup(base, depth + 1)
            if resolved is not None and resolved in self.classes:
                found = self._method(resolved, attr, depth + 1)
                if found is not None:
                    return found
        return None

    # ---------------------------------------------------------------- edges

    def how_of(self, site: CallSite) -> How:
        """How the target of ``site`` runs, seen through the call it is passed to.

        A function passed as an argument is a ``value`` unless the callee it is passed to
        calls that parameter (then it runs right there: ``callback``), hands it to an
        executor or a thread (``offload`` / ``thread``), or passes it on to a callee that
        does: ``with_retry(fetch)`` where ``with_retry`` does ``return func()``.
        """
        if site.how != "value" or not site.via:
            return site.how
        return self._param_how(site.via, site.arg, 0) or "value"

    def _param_how(self, via: str, arg: int | str, depth: int) -> How | None:
        key = (via, arg)
        memo = self._param_hows
        if key in memo:
            return memo[key]
        memo[key] = None  # recursion guard
        found: How | None = None
        callee = self.resolve(via) if depth < 8 else None
        if callee is not None:
            info = self.functions[callee].info
            index = -2
            if isinstance(arg, int) and arg >= 0:
                shift = 0
                if info.is_method and "builtins.staticmethod" not in info.decorators:
                    # bound: ``obj.m(f)``, ``cls.m(f)``, ``Class(f)`` → __init__(self, f)
                    if "()" in via or "builtins.classmethod" in info.decorators or callee.endswith(".__init__"):
                        shift = 1
                index = arg + shift
            hows: set[str] = set()
            for use in info.param_uses:
                if (use.index == index and index >= 0) or use.name == arg:
                    if use.how == "value":
                        forwarded = self._param_how(use.via, use.arg, depth + 1)
                        if forwarded is not None:
                            hows.add(forwarded)
                    else:
                        hows.add(use.how)
            # Running on the caller's thread matters most (it can block the loop).
            for how in ("callback", "offload", "thread"):
                if how in hows or (how == "callback" and "call" in hows):
                    found = how  # type: ignore[assignment]
                    break
        memo[key] = found
        return found

    def calls_of(self, name: str) -> list[Edge]:
        """Resolved outgoing edges of one function (calls leaving the project dropped)."""
        function = self.functions.get(name)
        if function is None:
            return []
        edges = []
        for site in function.info.calls:
            callee = self.resolve(site.target)
            if callee is not None:
                how = site.how if site.how != "value" else self.how_of(site)
                edges.append(Edge(name, callee, site.line, site.col, how))
        return edges

    def callers_of(self, name: str) -> list[Edge]:
        """Every resolved edge into ``name``, sorted by caller and position."""
        if self._callers is None:
            callers: dict[str, list[Edge]] = defaultdict(list)
            for caller in self.functions:
                for edge in self.calls_of(caller):
                    callers[edge.callee].append(edge)
            for edges in callers.values():
                edges.sort(key=lambda e: (e.caller, e.line, e.col))
            self._callers = dict(callers)
        return list(self._callers.get(name, ()))

    # ---------------------------------------------------------------- contexts

    @property
    def reached(self) -> frozenset[str]:
        """Sync functions run on the event loop by some async function (DESIGN §5)."""
        if self._reached is None:
            seen: set[str] = set()
            queue = deque(n for n, f in self.functions.items() if f.info.is_async)
            functions, resolve = self.functions, self.resolve
            while queue:
                for site in functions[queue.popleft()].info.calls:
                    if site.how not in ON_LOOP and (site.how != "value" or self.how_of(site) not in ON_LOOP):
                        continue
                    callee = resolve(site.target)
                    if callee is None or callee in seen or functions[callee].info.is_async:
                        continue
                    seen.add(callee)
                    queue.append(callee)
            self._reached = frozenset(seen)
        return self._reached

    @property
    def offloaded(self) -> frozenset[str]:
        """Sync functions async code runs in a worker thread (DESIGN §9): the targets of
        ``offload`` and ``thread`` edges from async, reached or offloaded functions, and
        the sync functions they call — unless the event loop runs them too (``reached``).

        A method handed over on an object of unknown class (``to_thread(retriever.search)``
        with ``retriever`` built from a parameter) stands for every project method of that
        name: a guess, used only here (never for ``calls_of`` / propagation)."""
        if self._offloaded is None:
            reached, functions = self.reached, self.functions
            by_method: dict[str, list[str]] | None = None
            tops = {m.partition(".")[0] for m in self.modules}
            seen: set[str] = set()
            queue = deque(n for n, f in functions.items() if f.info.is_async or n in reached)
            starts = set(queue)
            while queue:
                current = queue.popleft()
                for site in functions[current].info.calls:
                    how = self.how_of(site)
                    if how in ("offload", "thread") or (how in ON_LOOP and current not in starts):
                        target = site.target
                        callee = None if target.startswith(DUCK) else self.resolve(target)
                        if callee is None and how in ("offload", "thread") and "()." in target and not target.startswith(DUCK):
                            # ``make_scraper().scrape``: a project call's result, type unknown
                            if target.partition(".")[0] in tops:
                                target = DUCK + target.rpartition(".")[2]
                        if target.startswith(DUCK):
                            # an object of unknown class: every project method of that name
                            if by_method is None:
                                by_method = defaultdict(list)
                                for name, function in functions.items():
                                    if function.info.is_method:
                                        by_method[name.rpartition(".")[2]].append(name)
                            callees = by_method.get(target[len(DUCK):], ())
                        else:
                            callees = () if callee is None else (callee,)
                        for callee in callees:
                            if callee in seen or callee in reached or functions[callee].info.is_async:
                                continue
                            seen.add(callee)
                            queue.append(callee)
            self._offloaded = frozenset(seen)
        return self._offloaded

    def context_of(self, name: str) -> Context:
        """``async``, ``reached``, ``offloaded`` or ``sync`` for a fully qualified function name."""
        function = self.functions.get(name)
        if function is None:
            return "sync"
        if function.info.is_async:
            return "async"
        if name in self.reached:
            return "reached"
        return "offloaded" if name in self.offloaded else "sync"

    @property
    def handlers(self) -> frozenset[str]:
        """Async request handlers: decorated routes, class-based views, registered endpoints."""
        found = {n for n, f in self.functions.items() if f.info.is_handler}
        for summary in self.modules.values():
            for ref in summary.handler_refs:
                name = self.resolve(ref)
                if name is not None and self.functions[name].info.is_async:
                    found.add(name)
        return frozenset(found)

    @property
    def request_path(self) -> frozenset[str]:
        """Async handlers and the async functions they call, directly or through others."""
        if self._request_path is None:
            seen = set(self.handlers)
            queue = deque(seen)
            while queue:
                for edge in self.calls_of(queue.popleft()):
                    callee = edge.callee
                    if edge.how in ON_LOOP and callee not in seen and self.functions[callee].info.is_async:
                        seen.add(callee)
                        queue.append(callee)
            self._request_path = frozenset(seen)
        return self._request_path

    def reaching(self, targets: Iterable[str]) -> frozenset[str]:
        """Sync functions that run one of ``targets`` through a chain of sync calls.

        With the functions holding blocking sites as ``targets``, this is the set of
        helpers that block transitively: what propagation would have to make async.
        """
        wanted = set(targets)
        seen: set[str] = set()
        queue = deque(wanted)
        while queue:
            for edge in self.callers_of(queue.popleft()):
                if edge.how not in ON_LOOP or edge.caller in seen:
                    continue
                if self.functions[edge.caller].info.is_async:
                    continue
                seen.add(edge.caller)
                queue.append(edge.caller)
        return frozenset(seen)
