"""Async propagation: blocking work one or more sync calls below async code (DESIGN §5).

In real services the blocking call is rarely written inside the ``async def``: a handler
calls ``_lookup(...)``, a plain ``def`` that calls ``requests.get``. This module decides,
from the project call graph (:mod:`asyncmig.callgraph`), what a phase does about such
helpers; the rewrite itself is the ``async-propagation`` codemod
(``asyncmig.codemods.async_propagation``), which the engine runs on each planned file
before the phase's own codemods.

Which helpers count
    A sync function *blocks* when it holds a blocking site that one of the phase's codemods
    rewrites (the scan's site kinds restricted to those codemods; sites marked
    ``# asyncmig: skip`` do not count) or calls (directly, a callback, through other sync
    functions) one that does: ``graph.reaching``. Only blocking helpers that async code
    runs (``graph.reached``) matter, plus, under ``propagate``, blocking helpers that async
    code hands to ``asyncio.to_thread`` / ``run_in_executor`` (with ``unwrap_offloads``) or
    starts as thread targets (with threads-to-gather in the phase).

``sync_callers = "offload"``
    Every call from async context to a blocking helper becomes
    ``await asyncio.to_thread(helper, *args, **kwargs)``: at the outermost sync boundary
    only (calls between sync helpers stay as they are; the whole chain runs in the worker
    thread), once per chain.

``sync_callers = "propagate"``
    A blocking helper becomes ``async def`` (its sites are then rewritten by the phase's
    codemods, which see it as async context through ``Environment.forced_async``) and
    every call of it is awaited, across modules and up the chain, as long as every use can
    await it (a fixpoint over the project). A helper falls back to offload (and the reason
    is reported at its ``def``) when it is listed in ``keep_sync``, is a generator, a
    lambda, a special method or decorated (other than ``staticmethod``/``classmethod``),
    has an override or overridden method that stays sync, is used where the graph cannot
    follow (a method name called on an untyped receiver, a function stored as a value),
    holds a site the phase's codemods would leave alone (a dry pass), or has a caller that
    cannot await it: sync code that does not block (a sync entry point, module level), a
    callback or value reference, a thread target (unless threads-to-gather turns that
    fan-out into a gather), an executor (unless ``unwrap_offloads``), a generator
    expression, a lambda, a default argument or a decorator. A helper that only blocks
    through helpers that fell back stays sync too (offloaded once, at its async callers).

Never async while it still blocks
    A helper also stays sync (and is offloaded, with the reason) when it would still block
    once async: it holds a site of any kind ``scan`` lists that no codemod of the phase
    rewrites (or one marked ``# asyncmig: skip``), calls a sync function that does,
    passes a blocking helper as a callback or calls one where no ``await`` fits, or calls
    a callable the graph cannot name (a parameter, a local variable, ``t[k]()``,
    ``getattr(o, n)()``). The dry pass checks the rewritten code the same way. A sync
    helper that calls a parameter blocks when a blocking function is passed to it.

The result is a :class:`PropagationPlan`: frozen and picklable, one :class:`FilePlan` per
file with functions to make async, call sites (by 1-based line and UTF-8 column, as the
``ast`` pass reports them) to await, offload or unwrap, and skips with reasons.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from asyncmig.callgraph import (
    ON_LOOP,
    CallGraph,
    Edge,
    ModuleSummary,
    extract,
)
from asyncmig.importroots import names_of_sources
from asyncmig.models import Environment
from asyncmig.precheck import ast_dotted
from asyncmig.sites import BLOCKING_KINDS
from asyncmig import testcallers
from asyncmig.testpaths import TestSuite

Mode = Literal["report", "offload", "propagate"]
Action = Literal["await", "offload", "unwrap"]
# The Environment setting that carries the plan to the codemod.
SETTING = "async-propagation"
CODEMOD = "async-propagation"
# The Environment setting naming the run's own files when the plan edits others too.
PHASE_FILES = "phase_files"

# At most this many dry passes of the phase's codemods under ``propagate``.
_DRY_PASSES = 3
_ALLOWED_DECORATORS = frozenset({"builtins.staticmethod", "builtins.classmethod"})


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Settings:
    """What the plan asks for: ``[migration]`` keys plus the codemod's option."""

    mode: Mode = "report"
    keep_sync: tuple[str, ...] = ()
    unwrap_offloads: bool = False


@dataclass(frozen=True, order=True)
class SitePlan:
    """One call site to rewrite: ``line``/``col`` (1-based, UTF-8 column) of the call, or of
    the target argument for ``unwrap``; ``helper`` the callee's qualified name."""

    line: int
    col: int
    action: Action
    helper: str
    why: str
    # the callee's last name as the call spells it (``fetch`` of ``self.fetch(x)``,
    # ``Client`` of ``Client(x)``): ``a().b()`` and ``a()`` start at the same column
    spelled: str = ""


@dataclass(frozen=True, order=True)
class PlannedSkip:
    line: int
    col: int
    reason: str


@dataclass(frozen=True)
class FilePlan:
    path: str
    make_async: tuple[tuple[str, str], ...] = ()  # (module-relative qualname, why)
    sites: tuple[SitePlan, ...] = ()
    skips: tuple[PlannedSkip, ...] = ()

    def site(self, line: int, col: int, actions: Iterable[str]) -> SitePlan | None:
        for site in self.sites:
            if site.line == line and site.col == col and site.action in actions:
                return site
        return None

    def why_async(self, qualname: str) -> str | None:
        for name, why in self.make_async:
            if name == qualname:
                return why
        return None


@dataclass(frozen=True)
class Decision:
    """A helper and what happens to it, for reports: ``async`` (propagated) or ``offload``."""

    function: str
    path: str
    line: int
    outcome: Literal["async", "offload"]
    why: str


@dataclass(frozen=True)
class PropagationPlan:
    mode: Mode
    files: tuple[FilePlan, ...] = ()
    decisions: tuple[Decision, ...] = ()
    # files a dry pass of the phase must look at: blocking sites of functions made async,
    # thread fan-outs of targets made async
    check: tuple[str, ...] = ()

    def file(self, path: str) -> FilePlan | None:
        for plan in self.files:
            if plan.path == path:
                return plan
        return None

    @property
    def forced_async(self) -> frozenset[tuple[str, str]]:
        return frozenset((f.path, name) for f in self.files for name, _ in f.make_async)

    @property
    def async_functions(self) -> frozenset[str]:
        """Dotted names of the functions made async, by package and by path (the spellings
        codemods resolving imports may use), e.g. for threads-to-gather's gather targets."""
        names = {d.function for d in self.decisions if d.outcome == "async"}
        for path, qualname in self.forced_async:
            module = path.removesuffix(".py")
            module = module.replace("/", ".")
            module = module.removesuffix(".__init__")
            names.add(f"{module}.{qualname}")
        return frozenset(names)

    def environment(self, env: Environment | None = None) -> Environment:
        """``env`` with this plan: made-async functions as forced async (and in the
        ``async_functions`` setting), the plan as a setting."""
        env = env or Environment()
        known = env.setting("async_functions") or frozenset()
        settings = tuple((k, v) for k, v in env.settings if k not in (SETTING, "async_functions"))
        return replace(
            env,
            forced_async=env.forced_async | self.forced_async,
            settings=(*settings, (SETTING, self), ("async_functions", frozenset(known) | self.async_functions)),  # type: ignore[arg-type]
        )


# ----------------------------------------------------------------------------- the ast pass


@dataclass
class _FileFacts:
    """What the graph does not say: where each call sits, module-level calls, generators."""

    # (line, col) of a call → "" when ``await`` may be put there once its function is
    # async, else why not ("a generator expression", ...)
    call_spots: dict[tuple[int, int], str] = field(default_factory=dict)
    # (line, col) of a call or an argument → its last line
    ends: dict[tuple[int, int], int] = field(default_factory=dict)
    skip_lines: frozenset[int] = frozenset()  # lines with ``# asyncmig: skip``
    # calls outside any function: (dotted callee text, line, col, where)
    toplevel_calls: list[tuple[str, int, int, str]] = field(default_factory=list)
    generators: set[str] = field(default_factory=set)
    # (line, col) of an offloaded argument → (form, executor text) when the offload is an
    # awaited ``asyncio.to_thread(f, ...)`` or ``loop.run_in_executor(ex, f, ...)``
    unwrappable: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    loads: dict[str, int] = field(default_factory=dict)  # dotted Load expressions → count
    # every dotted reference: (text, line, col, is the callee of a call)
    refs: list[tuple[str, int, int, bool]] = field(default_factory=list)
    # calls of callables the call graph cannot name, per function (module-relative
    # qualname): (line, col, callee text, what it is): a parameter, a local variable,
    # a subscript or the result of a call (``getattr(o, name)()``)
    dynamic_calls: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)


class _Facts(ast.NodeVisitor):
    def __init__(self) -> None:
        self.facts = _FileFacts()
        self.names: list[str] = []
        # innermost first-class scope: "function", "lambda", "class", "module"
        self.scopes: list[str] = ["module"]
        self.where: list[str] = []  # "" or why await is impossible here
        self.callees: set[int] = set()  # ids of the func expressions of calls
        # per enclosing function: its parameters, and the names its body assigns
        self.bound: list[tuple[frozenset[str], frozenset[str]]] = []

    def spot(self) -> str:
        return self.where[-1] if self.where else ""

    def with_where(self, why: str, nodes: Iterable[ast.AST | None]) -> None:
        self.where.append(why)
        for node in nodes:
            if node is not None:
                self.visit(node)
        self.where.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.with_where("a decorator", node.decorator_list)
        args = node.args
        self.with_where("a default argument", [*args.defaults, *args.kw_defaults])
        params = [*args.posonlyargs, *args.args]
        if self.scopes[-1] == "class" and params:
            params = params[1:]  # self / cls
        params += [*args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a is not None)]
        self.bound.append((frozenset(a.arg for a in params), _assigned_names(node.body)))
        self.names.append(node.name)
        self.scopes.append("function")
        saved, self.where = self.where, []
        finder = _YieldFinder()
        for stmt in node.body:
            finder.visit(stmt)
        if finder.found:
            self.facts.generators.add(".".join(self.names))
        for stmt in node.body:
            self.visit(stmt)
        self.where = saved
        self.scopes.pop()
        self.names.pop()
        self.bound.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def dynamic_callee(self, func: ast.expr) -> str:
        """What an unnamed callee is ("its parameter", ...), or "" when the graph may name it."""
        if isinstance(func, ast.Name):
            for depth, (params, assigned) in enumerate(reversed(self.bound)):
                if func.id in params:
                    return "its parameter" if depth == 0 else "a parameter of an enclosing function"
                if func.id in assigned:
                    return "the local variable" if depth == 0 else "a variable of an enclosing function"
            return ""
        if isinstance(func, ast.Subscript):
            return "the item"
        if isinstance(func, ast.Call):
            return "the result of"
        return ""

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.with_where("a decorator", node.decorator_list)
        self.with_where("a class statement", [*node.bases, *(k.value for k in node.keywords)])
        self.names.append(node.name)
        self.scopes.append("class")
        for stmt in node.body:
            self.visit(stmt)
        self.scopes.pop()
        self.names.pop()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.with_where("a default argument", [*node.args.defaults, *node.args.kw_defaults])
        self.scopes.append("lambda")
        self.with_where("a lambda", [node.body])
        self.scopes.pop()

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        first, *rest = node.generators
        self.visit(first.iter)  # evaluated eagerly, in the enclosing scope
        self.where.append("a generator expression")
        self.visit(first.target)
        for cond in first.ifs:
            self.visit(cond)
        for gen in rest:
            self.visit(gen)
        self.visit(node.elt)
        self.where.pop()

    def visit_Await(self, node: ast.Await) -> None:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, (ast.Attribute, ast.Name)):
            name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id
            if name == "to_thread" and call.args and not isinstance(call.args[0], ast.Starred):
                arg = call.args[0]
                self.facts.unwrappable[(arg.lineno, arg.col_offset + 1)] = ("to_thread", "")
            elif name == "run_in_executor" and len(call.args) >= 2 and not call.keywords and not any(
                isinstance(a, ast.Starred) for a in call.args[:2]
            ):
                arg = call.args[1]
                executor = ast_dotted(call.args[0]) or ast.unparse(call.args[0])
                self.facts.unwrappable[(arg.lineno, arg.col_offset + 1)] = ("run_in_executor", executor)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        key = (node.lineno, node.col_offset + 1)
        self.facts.ends[key] = max(self.facts.ends.get(key, 0), node.end_lineno or node.lineno)
        for arg in node.args[:2]:
            self.facts.ends[(arg.lineno, arg.col_offset + 1)] = node.end_lineno or node.lineno
        text = ast_dotted(node.func)
        if text is None and isinstance(node.func, ast.Attribute):
            text = f"<expr>.{node.func.attr}"  # super().m(), a[0].m(), f().m()
        if text is not None:
            self.facts.refs.append((text, key[0], key[1], True))
            self.callees.add(id(node.func))
        scope = self.scopes[-1]
        if scope == "function" and self.bound:
            what = self.dynamic_callee(node.func)
            if what:
                callee = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
                self.facts.dynamic_calls.setdefault(".".join(self.names), []).append(
                    (node.lineno, node.col_offset + 1, callee, what)
                )
        if scope in ("module", "class"):
            text = ast_dotted(node.func)
            if text is not None:
                where = "module level" if scope == "module" else "a class body"
                self.facts.toplevel_calls.append((text, node.lineno, node.col_offset + 1, self.spot() or where))
            self.facts.call_spots[key] = self.spot() or "module level"
        else:
            self.facts.call_spots[key] = self.spot()
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.facts.loads[node.id] = self.facts.loads.get(node.id, 0) + 1
            if id(node) not in self.callees:
                self.facts.refs.append((node.id, node.lineno, node.col_offset + 1, False))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.ctx, ast.Load):
            text = ast_dotted(node)
            if text is not None:
                self.facts.loads[text] = self.facts.loads.get(text, 0) + 1
            if id(node) not in self.callees:
                ref = text if text is not None else f"<expr>.{node.attr}"
                self.facts.refs.append((ref, node.lineno, node.col_offset + 1, False))
        self.generic_visit(node)


class _YieldFinder(ast.NodeVisitor):
    """A ``yield`` in a function's own body (not in nested defs, lambdas or classes)."""

    found = False

    def visit_Yield(self, node: ast.AST) -> None:
        self.found = True

    visit_YieldFrom = visit_Yield

    def visit_FunctionDef(self, node: ast.AST) -> None:
        pass

    visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = visit_FunctionDef


def _assigned_names(body: list[ast.stmt]) -> frozenset[str]:
    """Names a function body binds by assignment (``for``, ``with``, walrus too), not by
    ``def``, ``class`` or ``import``, and not inside nested functions or classes."""
    found: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(found)


def _facts(source: bytes) -> _FileFacts | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    visitor = _Facts()
    visitor.visit(tree)
    if b"asyncmig:" in source:
        from asyncmig.names import skip_comment_lines

        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = source.decode("latin-1")
        visitor.facts.skip_lines = skip_comment_lines(text)
    return visitor.facts


# ----------------------------------------------------------------------------- analysis


def read_sources(root: Path, files: Iterable[str]) -> dict[str, bytes]:
    sources = {}
    for rel in files:
        try:
            sources[rel] = (root / rel).read_bytes()
        except OSError:
            continue
    return sources


def summaries_of(sources: Mapping[str, bytes]) -> list[ModuleSummary]:
    names = names_of_sources(sources)
    summaries = []
    for rel in sorted(sources):
        module, is_package = names[rel]
        summaries.append(extract(sources[rel], module, rel, is_package))
    return summaries


class _Planner:
    def __init__(
        self,
        sources: Mapping[str, bytes],
        codemods: Iterable[str],
        settings: Settings,
        scope: Iterable[str] | None,
        left_alone: Mapping[tuple[str, int], str] | None = None,
        threaded: Iterable[str] | None = None,
        still_blocking: Mapping[str, str] | None = None,
        tests: TestSuite | None = None,
    ) -> None:
        self.settings = settings
        self.scope = frozenset(sources if scope is None else scope)
        self.paths = self.scope  # the run's own files (its scope without the tests)
        if tests is not None:  # the project's tests are callers too (docs/tests.md)
            self.scope |= frozenset(p for p in tests.files if p in sources)
        self.codemods = frozenset(codemods)
        self.summaries = summaries_of(sources)
        self.graph = CallGraph.build(s for s in self.summaries if s.error is None and not s.skip_file)
        self.facts: dict[str, _FileFacts] = {}
        for summary in self.summaries:
            facts = _facts(sources[summary.path]) if summary.error is None else None
            if facts is not None:
                self.facts[summary.path] = facts
        self.keep_sync = frozenset(settings.keep_sync)
        self.left_alone = dict(left_alone or {})
        self.threaded: frozenset[str] | None = None
        self._ancestors: dict[str, set[str]] | None = None
        self._descendants: dict[str, set[str]] = {}
        self.module_of_path = {s.path: s.module for s in self.summaries}
        self._calls_at: dict[str, dict[tuple[int, int], list[str]]] = {}
        if threaded is not None:
            resolved = (self.graph.resolve(t) for t in threaded)
            self.threaded = frozenset(r for r in resolved if r is not None)
        self.stuck: dict[str, str] = {}
        # helpers the dry pass found still blocking once rewritten → the site
        self.still_after = dict(still_blocking or {})
        # sync functions holding a site no codemod of the phase rewrites → that site
        self.other_sites: dict[str, str] = {}
        # ... and every sync function that runs one of them → that site
        self.still: dict[str, str] = {}
        self.tests = testcallers.TestCallers(self.graph, sources, tests)

    # -- helpers ---------------------------------------------------------------------
    def fn(self, name: str):
        return self.graph.functions[name]

    def rel(self, name: str) -> str:
        function = self.fn(name)
        return name[len(function.module) + 1 :]

    def spot(self, edge: Edge) -> str:
        facts = self.facts.get(self.fn(edge.caller).path)
        if facts is None:
            return "unknown"
        return facts.call_spots.get((edge.line, edge.col), "")

    def spelled(self, edge: Edge) -> str | None:
        """The last name of the callee expression of ``edge`` as the caller wrote it
        (``fetch`` of ``self.fetch(x)``, ``h`` of an aliased ``h(x)``); None when several
        calls start at that column and none is spelled like the target."""
        if edge.how != "call":
            return ""
        caller = self.fn(edge.caller)
        targets = [
            site.target.replace("()", "").replace("[]", "").rpartition(".")[2]
            for site in caller.info.calls
            if (site.line, site.col, site.how) == (edge.line, edge.col, edge.how)
            and self.graph.resolve(site.target) == edge.callee
        ]
        calls = self._calls_at.get(caller.path)
        if calls is None:
            facts = self.facts.get(caller.path)
            if facts is None:
                return None
            calls = defaultdict(list)
            for text, line, col, is_call in facts.refs:
                if is_call:
                    calls[(line, col)].append(text.rpartition(".")[2])
            self._calls_at[caller.path] = calls
        written = calls.get((edge.line, edge.col), [])
        for target in targets:
            if target in written:
                return target
        return written[0] if len(written) == 1 else None

    def is_generator(self, name: str) -> bool:
        function = self.fn(name)
        facts = self.facts.get(function.path)
        return facts is not None and function.info.qualname in facts.generators

    def is_async(self, name: str) -> bool:
        return self.fn(name).is_async

    # -- the analysis -----------------------------------------------------------------
    def blocking_sites(self) -> dict[str, str]:
        """Sync function → a description of its first blocking site the phase rewrites.

        Functions with a site the phase's codemods leave alone go to ``self.stuck`` too;
        functions with a site no codemod of the phase rewrites (or one marked
        ``# asyncmig: skip``) to ``self.other_sites``: they would still block if async.
        """
        found: dict[str, str] = {}
        for summary in self.summaries:
            if summary.module not in self.graph.modules or self.graph.modules[summary.module] is not summary:
                continue
            for site in sorted(summary.sites, key=lambda s: (s.line, s.col)):
                if not site.function or site.kind not in BLOCKING_KINDS:
                    continue
                name = f"{summary.module}.{site.function}"
                function = self.graph.functions.get(name)
                if function is None or function.is_async:
                    continue
                where = f"{site.call} at {summary.path}:{site.line}"
                if site.skipped or site.codemod not in self.codemods:
                    if name not in self.other_sites:
                        why = "marked # asyncmig: skip" if site.skipped else f"no codemod of this phase rewrites {site.kind} calls"
                        self.other_sites[name] = f"{where} ({why})"
                    continue
                left = self.left_alone.get((summary.path, site.line)) or self.left_alone.get((summary.path, 0))
                if left and name not in self.stuck:
                    self.stuck[name] = f"{where} would stay blocking ({left})"
                if name not in found:
                    found[name] = where
        return found

    def still_blocking(self) -> dict[str, str]:
        """Sync function → the site it would still block on once async: one of its own that
        the phase leaves as it is, or one it runs through sync functions."""
        root = dict(self.other_sites)
        queue = sorted(self.other_sites)
        while queue:
            following = []
            for callee in queue:
                for edge in self.graph.callers_of(callee):
                    name = edge.caller
                    if edge.how in ON_LOOP and name not in root and not self.is_async(name):
                        root[name] = root[callee]
                        following.append(name)
            queue = following
        return root

    def dynamic_reason(self, name: str) -> str:
        """A call in ``name`` of a callable the call graph cannot name (a parameter, a local
        variable, ``getattr(...)()``): it may block, so ``name`` would still block."""
        function = self.fn(name)
        facts = self.facts.get(function.path)
        if facts is None:
            return ""
        resolved = {
            (site.line, site.col) for site in function.info.calls if self.graph.resolve(site.target) is not None
        }
        for line, col, callee, what in facts.dynamic_calls.get(function.info.qualname, ()):
            if (line, col) in resolved:
                continue
            return f"calls {what} {callee} ({function.path}:{line}), which may block: the call graph cannot see what it runs"
        return ""

    def callee_reason(self, name: str, made_async: set[str], relevant: set[str]) -> str:
        """A blocking sync callee that ``name``, made async, would still run on the event loop:
        one that is not offloaded (not a helper of this phase), or one passed as a callback,
        called where no ``await`` fits, or a generator."""
        for edge in self.graph.calls_of(name):
            callee = edge.callee
            if edge.how not in ON_LOOP or callee in made_async or self.is_async(callee):
                continue
            where = f"{self.fn(name).path}:{edge.line}"
            if callee not in relevant:
                if callee in self.still:
                    return f"calls {callee} ({where}), which still blocks: {self.still[callee]}"
                continue
            if edge.how == "callback":
                return f"passes {callee}, which blocks, as a callback ({where}): it would run on the event loop"
            if self.is_generator(callee):
                return f"iterates {callee}, a generator that blocks ({where}), on the event loop"
            spot = self.spot(edge)
            if spot:
                return f"calls {callee}, which blocks, in {spot} ({where}), where it cannot be offloaded"
            if self.spelled(edge) is None:
                return f"calls {callee}, which blocks, in a chain of calls that cannot be offloaded ({where})"
        return ""

    def unresolved_refs(self) -> dict[str, list[tuple[str, str, int, bool]]]:
        """Short name → (path, text, line, is_call) of references no graph edge explains."""
        resolved: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for function in self.graph.functions.values():
            for site in function.info.calls:
                resolved[function.path].add((site.line, site.col))
        found: dict[str, list[tuple[str, str, int, bool]]] = defaultdict(list)
        for path, facts in self.facts.items():
            positions = resolved.get(path, set())
            for text, line, col, is_call in facts.refs:
                if (line, col) not in positions:
                    found[text.rpartition(".")[2]].append((path, text, line, is_call))
        return found

    def reference_reason(self, name: str, refs: Mapping[str, list[tuple[str, str, int, bool]]]) -> str:
        """A use of ``name`` the call graph cannot see (it could not be awaited): why, or ''."""
        function = self.fn(name)
        short = function.info.qualname.rpartition(".")[2]
        modules = self.module_of_path
        for path, text, line, is_call in refs.get(short, ()):
            if function.info.is_method:
                if "." in text and is_call:
                    return f"a call of .{short}(...) the call graph cannot resolve may reach it ({path}:{line})"
                if "." in text:
                    return f"referenced as {text} ({path}:{line}), which may call it synchronously"
                continue
            module = modules.get(path)
            if module is not None and self.graph.resolve(f"{module}.{text}") == name:
                if is_call:
                    return f"called at {path}:{line}, where the call graph does not follow it"
                return f"referenced as a value ({path}:{line}), which may call it synchronously"
        return ""

    def toplevel_callers(self) -> dict[str, list[tuple[str, int, str]]]:
        """Callee → (path, line, where) of calls at module or class level (not graph edges)."""
        found: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        for summary in self.summaries:
            facts = self.facts.get(summary.path)
            if facts is None or summary.module not in self.graph.modules:
                continue
            for text, line, _col, where in facts.toplevel_calls:
                callee = self.graph.resolve(f"{summary.module}.{text}")
                if callee is not None:
                    found[callee].append((summary.path, line, where))
        return found

    def plan(self) -> PropagationPlan:
        mode = self.settings.mode
        if mode == "report":
            return PropagationPlan(mode)
        graph = self.graph
        direct = self.blocking_sites()
        self.still = self.still_blocking()
        blocking = set(direct) | set(graph.reaching(direct))
        reached = graph.reached
        # Why each helper blocks: its own site, or the first blocking callee.
        why_blocks: dict[str, str] = dict(direct)
        root: dict[str, str] = dict(direct)  # the blocking site each helper leads to
        self.explain(sorted(direct), blocking, why_blocks, root, direct)
        # A sync helper that calls a parameter runs what its callers pass: with a blocking
        # function (or lambda) passed to it, it blocks too (``retry(lambda: fetch(u), 3)``).
        runs = self.callables_run()
        while True:
            seeds = []
            for runner in sorted(runs):
                for passed, where in runs[runner]:
                    if passed in self.still and runner not in self.still:
                        self.still[runner] = self.still[passed]
                    if runner in blocking or passed not in blocking:
                        continue
                    why_blocks[runner] = f"runs {passed}, passed to it at {where}, which leads to {root[passed]}"
                    root[runner] = root[passed]
                    blocking.add(runner)
                    seeds.append(runner)
                    break
            if not seeds:
                break
            blocking |= graph.reaching(seeds)
            self.explain(seeds, blocking, why_blocks, root, direct)

        unwrap = mode == "propagate" and self.settings.unwrap_offloads
        gathers = mode == "propagate" and "threads-to-gather" in self.codemods
        offloaded_from_async = set()
        for name in blocking:
            for edge in graph.callers_of(name):
                if not self.is_async(edge.caller):
                    continue
                if (unwrap and edge.how == "offload") or (gathers and edge.how == "thread"):
                    offloaded_from_async.add(name)
        relevant = {n for n in blocking if n in reached or n in offloaded_from_async}
        if mode == "propagate":
            relevant |= self.tests.candidates(relevant, blocking)
        # Close over blocking callees: a relevant helper's blocking callees run with it.
        queue = list(relevant)
        while queue:
            for edge in graph.calls_of(queue.pop()):
                if edge.how in ON_LOOP and edge.callee in blocking and edge.callee not in relevant:
                    relevant.add(edge.callee)
                    queue.append(edge.callee)

        fallback: dict[str, str] = {}
        made_async: set[str] = set()
        if mode == "propagate":
            toplevel = self.toplevel_callers()
            refs = self.unresolved_refs()
            made_async = set(relevant)
            self.tests.fallback = fallback
            for name in sorted(made_async):
                reason = self.tests.reason(name, direct) if self.tests.holds(name) else (
                    self.static_reason(name, toplevel)
                    or self.dynamic_reason(name)
                    or self.reference_reason(name, refs)
                )
                if reason:
                    fallback[name] = reason
            made_async -= set(fallback)
            # Worklist to a fixpoint: when a helper stays sync, its callers (which may only
            # have blocked through it), its callees (which lose an async caller) and its
            # overrides are looked at again. Sorted, so the reasons are deterministic.
            pending = set(made_async)
            while pending:
                name = min(pending)
                pending.discard(name)
                if name not in made_async:
                    continue
                reason = (
                    self.caller_reason(name, made_async, direct)
                    or self.callee_reason(name, made_async, relevant)
                    or self.override_reason(name, made_async)
                )
                if not reason:
                    continue
                fallback[name] = reason
                made_async.discard(name)
                neighbours = {e.caller for e in graph.callers_of(name)}
                neighbours |= {e.callee for e in graph.calls_of(name)}
                if self.fn(name).info.is_method:
                    cls, _, method = name.rpartition(".")
                    neighbours |= {f"{c}.{method}" for c in self.related_classes(cls)}
                pending |= neighbours & made_async

        return self.build(mode, relevant, made_async, fallback, why_blocks, unwrap, direct)

    def explain(
        self,
        queue: list[str],
        blocking: set[str],
        why_blocks: dict[str, str],
        root: dict[str, str],
        direct: Mapping[str, str],
    ) -> None:
        """Breadth first from ``queue`` up the sync callers: each blocking helper names its
        nearest blocking callee and the site it leads to."""
        while queue:
            following = []
            for callee in queue:
                for edge in self.graph.callers_of(callee):
                    name = edge.caller
                    if edge.how in ON_LOOP and name in blocking and name not in why_blocks:
                        verb = "runs" if callee in direct else "leads to"
                        why_blocks[name] = f"calls {callee} ({self.fn(name).path}:{edge.line}), which {verb} {root[callee]}"
                        root[name] = root[callee]
                        following.append(name)
            queue = following

    def carried_by_offload(self, edge: Edge, relevant: set[str], made_async: set[str]) -> bool:
        """``edge`` passes a function to a helper that runs it, and that helper is
        offloaded at this call: the function runs in the worker thread too."""
        for site in self.fn(edge.caller).info.calls:
            if (site.line, site.col) != (edge.line, edge.col) or not site.via:
                continue
            runner = self.graph.resolve(site.via)
            if runner is not None and runner in relevant and runner not in made_async:
                return True
        return False

    def callables_run(self) -> dict[str, list[tuple[str, str]]]:
        """Sync helper → the project functions passed to it that it runs right there
        (``retry(lambda: fetch(u), 3)`` where ``retry`` calls its parameter: the call
        graph's ``how_of`` says ``callback``), with where they are passed."""
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        graph = self.graph
        for function in graph.functions.values():
            for site in function.info.calls:
                if site.how != "value" or not site.via or graph.how_of(site) != "callback":
                    continue
                runner, passed = graph.resolve(site.via), graph.resolve(site.target)
                if runner is None or passed is None or self.is_async(runner) or self.is_async(passed):
                    continue
                found[runner].append((passed, f"{function.path}:{site.line}"))
        return found

    def static_reason(self, name: str, toplevel: Mapping[str, list[tuple[str, int, str]]]) -> str:
        function = self.fn(name)
        info = function.info
        short = info.qualname.rsplit(".", 1)[-1]
        if name in self.keep_sync:
            return "listed in keep_sync"
        if function.path not in self.scope:
            return f"{function.path} is outside the paths of this run"
        if name in self.stuck:
            return self.stuck[name]
        if name in self.still_after:
            return self.still_after[name]
        if name in self.other_sites:
            return f"it would still block once async: {self.other_sites[name]}"
        if short.startswith("<lambda"):
            return "a lambda cannot be async"
        if short.startswith("__") and short.endswith("__"):
            return f"{short} is a special method, which Python calls synchronously"
        if self.is_generator(name):
            return "a generator, which would become an async generator"
        others = [d for d in info.decorators if d not in _ALLOWED_DECORATORS]
        if others:
            return f"decorated with {others[0]}, which would wrap a coroutine function"
        for path, line, where in toplevel.get(name, ()):
            return f"called at {where} ({path}:{line})"
        return ""

    def caller_reason(self, name: str, made_async: set[str], direct: Mapping[str, str]) -> str:
        """Why ``name`` cannot become async given the current set, or ''."""
        if name not in direct and not any(
            e.how == "call" and e.callee in made_async for e in self.graph.calls_of(name)
        ):
            return "it only blocks through helpers that stay sync, so it is offloaded as a whole"
        for edge in self.graph.callers_of(name):
            caller = self.fn(edge.caller)
            where = f"{caller.path}:{edge.line}"
            if edge.caller in self.tests.fallback and self.tests.holds(edge.caller):
                return self.tests.caller_reason(edge.caller, where)
            facts = self.facts.get(caller.path)
            if facts is not None and facts.skip_lines and edge.how in ("call", "offload"):
                last = facts.ends.get((edge.line, edge.col), edge.line)
                if any(line in facts.skip_lines for line in range(edge.line, last + 1)):
                    return f"a call at {where} is marked # asyncmig: skip"
            # A call (or an offload to unwrap) outside the run's paths but inside the
            # project is edited there too; anything else there cannot be.
            if caller.path not in self.scope and edge.how not in ("call", "offload"):
                return f"called from {edge.caller} ({where}), outside the paths of this run"
            if edge.how == "call":
                if self.spelled(edge) is None:
                    return f"called at {where} in a chain of calls asyncmig cannot tell apart"
                if not (caller.is_async or edge.caller in made_async):
                    if caller.info.qualname.rsplit(".", 1)[-1].startswith("<lambda"):
                        return f"called in a lambda ({where})"
                    return f"called from sync code: {edge.caller} ({where})"
                spot = self.spot(edge)
                if spot:
                    return f"called in {spot} ({where}), where it cannot be awaited"
            elif edge.how == "callback":
                return f"passed as a callback ({where}), which runs it synchronously"
            elif edge.how == "thread":
                # threads-to-gather in the same phase turns the fan-out into a gather that
                # awaits an async target; confirmed by the dry pass (``thread_ok``).
                if not (
                    "threads-to-gather" in self.codemods
                    and (caller.is_async or edge.caller in made_async)
                    and (self.threaded is None or name not in self.threaded)
                ):
                    return f"a thread target ({where})"
            elif edge.how == "offload":
                if not self.settings.unwrap_offloads:
                    return f"run in an executor ({where}); set unwrap_offloads = true to await it there"
                facts = self.facts.get(caller.path)
                if facts is None or (edge.line, edge.col) not in facts.unwrappable:
                    return f"run in an executor or thread ({where}) in a form that cannot be unwrapped"
                if not (caller.is_async or edge.caller in made_async):
                    return f"run in an executor from sync code: {edge.caller} ({where})"
            else:
                return f"passed on as a value ({where}); whoever receives it may call it synchronously"
        return ""

    def override_reason(self, name: str, made_async: set[str]) -> str:
        function = self.fn(name)
        if not function.info.is_method:
            return ""
        cls, _, method = name.rpartition(".")
        for other in self.related_classes(cls):
            candidate = f"{other}.{method}"
            if candidate in self.graph.functions and candidate not in made_async and not self.is_async(candidate):
                return f"{candidate} overrides or is overridden by it and stays sync"
        return ""

    def related_classes(self, cls: str) -> set[str]:
        """Ancestors and descendants of ``cls`` among the project's classes."""
        if self._ancestors is None:
            graph = self.graph
            direct: dict[str, set[str]] = {}
            for c, bases in graph.classes.items():
                resolved = (graph._lookup(b, 0) for b in bases)
                direct[c] = {r for r in resolved if r is not None and r in graph.classes and r != c}
            ancestors: dict[str, set[str]] = {}
            for c in graph.classes:
                seen: set[str] = set()
                queue = list(direct.get(c, ()))
                while queue:
                    b = queue.pop()
                    if b not in seen:
                        seen.add(b)
                        queue.extend(direct.get(b, ()))
                ancestors[c] = seen
            descendants: dict[str, set[str]] = defaultdict(set)
            for c, above in ancestors.items():
                for a in above:
                    descendants[a].add(c)
            self._ancestors, self._descendants = ancestors, descendants
        return self._ancestors.get(cls, set()) | self._descendants.get(cls, set())

    def build(
        self,
        mode: Mode,
        relevant: set[str],
        made_async: set[str],
        fallback: Mapping[str, str],
        why_blocks: Mapping[str, str],
        unwrap: bool,
        direct: Mapping[str, str],
    ) -> PropagationPlan:
        graph = self.graph
        make: dict[str, list[tuple[str, str]]] = defaultdict(list)
        sites: dict[str, list[SitePlan]] = defaultdict(list)
        skips: dict[str, list[PlannedSkip]] = defaultdict(list)
        decisions: list[Decision] = []
        def async_now(name: str) -> bool:
            return name in made_async or (name in graph.functions and self.is_async(name))

        for name in sorted(relevant):
            function = self.fn(name)
            blocks = why_blocks.get(name, "blocks")
            if name in made_async:
                why = f"{blocks}; every caller awaits it"
                short = function.info.qualname.rsplit(".", 1)[-1]
                if "sync" in short.lower().replace("async", "").split("_"):
                    why += f" (its name, {short}, still says sync: rename it?)"
                make[function.path].append((function.info.qualname, why))
                decisions.append(Decision(name, function.path, function.info.line, "async", why))
            else:
                why = blocks
                generator = self.is_generator(name)
                if name in fallback and not _is_lambda(name) and not self.tests.holds(name):
                    why = f"{blocks}; stays sync: {fallback[name]}"
                    then = "iterate it in a worker thread by hand" if generator else "offloaded where async code calls it"
                    skips[function.path].append(
                        PlannedSkip(function.info.line, 1, f"{name} stays sync: {fallback[name]}; {then}")
                    )
                offloads = 0
                for edge in graph.callers_of(name):
                    caller = self.fn(edge.caller)
                    if caller.path not in self.paths and function.path not in self.paths:
                        continue  # neither end is the run's: `run X one.py` edits nothing else for it
                    if (
                        edge.how == "call"
                        and _is_lambda(edge.caller)
                        and edge.caller not in relevant
                        and async_now(edge.caller.rsplit(".", 1)[0])
                    ):
                        skips[caller.path].append(
                            PlannedSkip(edge.line, edge.col, f"{name} blocks, but the call is in a lambda, where it cannot be awaited")
                        )
                        continue
                    if not async_now(edge.caller) or edge.how not in ("call", "callback"):
                        continue
                    spot = self.spot(edge)
                    if generator and edge.how == "call":
                        skips[caller.path].append(
                            PlannedSkip(edge.line, edge.col, f"{name} is a generator: it blocks while it is iterated, on the event loop, so offloading the call would not help")
                        )
                    elif edge.how == "callback" and self.carried_by_offload(edge, relevant, made_async):
                        continue  # the helper it is passed to is offloaded with it
                    elif edge.how == "callback":
                        skips[caller.path].append(
                            PlannedSkip(edge.line, edge.col, f"{name} blocks and is passed as a callback here; it runs on the event loop (offload the whole call by hand)")
                        )
                    elif spot:
                        skips[caller.path].append(
                            PlannedSkip(edge.line, edge.col, f"{name} blocks, but the call is in {spot}, where it cannot be awaited")
                        )
                    elif self.spelled(edge) is None:
                        skips[caller.path].append(
                            PlannedSkip(edge.line, edge.col, f"{name} blocks, but this chain of calls cannot be told apart; offload it by hand")
                        )
                    else:
                        sites[caller.path].append(SitePlan(edge.line, edge.col, "offload", name, why, self.spelled(edge)))
                        offloads += 1
                if offloads:
                    decisions.append(Decision(name, function.path, function.info.line, "offload", why))

        for name in sorted(made_async):
            for edge in graph.callers_of(name):
                caller = self.fn(edge.caller)
                if edge.how == "call":
                    sites[caller.path].append(
                        SitePlan(edge.line, edge.col, "await", name, f"{name} is now async", self.spelled(edge))
                    )
                elif edge.how == "offload" and unwrap:
                    sites[caller.path].append(
                        SitePlan(edge.line, edge.col, "unwrap", name, f"{name} is now async", self.spelled(edge))
                    )

        if unwrap:
            self.executor_notes(sites, skips)

        for path, planned in sites.items():
            if path not in self.scope:  # a caller outside the run's paths, edited all the same
                sites[path] = [replace(site, why=f"{site.why} (a call outside the paths of this run)") for site in planned]
        files = []
        for path in sorted(set(make) | set(sites) | set(skips)):
            files.append(
                FilePlan(
                    path,
                    tuple(sorted(make.get(path, ()))),
                    tuple(sorted(set(sites.get(path, ())))),
                    tuple(sorted(set(skips.get(path, ())))),
                )
            )
        check = {self.fn(n).path for n in made_async}
        check |= {
            self.fn(e.caller).path for n in made_async for e in graph.callers_of(n) if e.how == "thread"
        }
        return PropagationPlan(mode, tuple(files), tuple(decisions), tuple(sorted(check)))

    def executor_notes(self, sites: Mapping[str, list[SitePlan]], skips: dict[str, list[PlannedSkip]]) -> None:
        """Executors whose every use in the file is unwrapped: reported, not deleted."""
        for path, planned in sites.items():
            facts = self.facts.get(path)
            if facts is None:
                continue
            uses: dict[str, list[SitePlan]] = defaultdict(list)
            for site in planned:
                if site.action != "unwrap":
                    continue
                form, executor = facts.unwrappable.get((site.line, site.col), ("", ""))
                if form == "run_in_executor" and executor not in ("", "None"):
                    uses[executor].append(site)
            module = self.module_of_path.get(path, "")
            for executor, unwrapped in uses.items():
                if executor.endswith("()"):  # run_in_executor(get_pool(), f, x): a factory
                    self.factory_note(module, executor[:-2], unwrapped, path, skips)
                    continue
                shutdowns = [(line, col) for text, line, col, is_call in facts.refs if is_call and text == f"{executor}.shutdown"]
                if facts.loads.get(executor, 0) - len(shutdowns) <= len(unwrapped):
                    first = min(unwrapped)
                    but = f" but by its shutdown (line {shutdowns[0][0]})" if shutdowns else ""
                    skips[path].append(
                        PlannedSkip(first.line, first.col, f"executor {executor} is no longer used here{but}; not deleted (shut it down or remove it by hand)")
                    )
                    for line, col in shutdowns:
                        skips[path].append(
                            PlannedSkip(line, col, f"{executor}.shutdown() shuts down an executor nothing here submits to any more; remove both by hand when nothing else uses it")
                        )

    def factory_note(
        self, module: str, factory: str, unwrapped: list[SitePlan], path: str, skips: dict[str, list[PlannedSkip]]
    ) -> None:
        """A function that made the executor of offloads that were all unwrapped, and that
        nothing else calls: reported at its ``def`` (never deleted)."""
        name = self.graph.resolve(f"{module}.{factory}") if module else None
        if name is None:
            return
        lines = {(path, site.line) for site in unwrapped}
        callers = self.graph.callers_of(name)
        if any((self.fn(e.caller).path, e.line) not in lines for e in callers):
            return
        function = self.fn(name)
        skips[function.path].append(
            PlannedSkip(function.info.line, 1, f"{name} made the executor of offloads that are now awaited directly; nothing calls it any more (remove it, and shut its executor down, by hand)")
        )


def _is_lambda(name: str) -> bool:
    return name.rsplit(".", 1)[-1].startswith("<lambda")


def analyse(
    sources: Mapping[str, bytes],
    codemods: Iterable[str],
    settings: Settings,
    scope: Iterable[str] | None = None,
    left_alone: Mapping[tuple[str, int], str] | None = None,
    threaded: Iterable[str] | None = None,
    still_blocking: Mapping[str, str] | None = None,
    tests: TestSuite | None = None,
) -> PropagationPlan:
    """The propagation plan for a project given as ``{relative path: bytes}`` (no I/O).

    Only files in ``scope`` (default: all) are rewritten: a helper with a caller outside
    it stays sync. ``left_alone`` maps ``(path, line)`` of sites the phase's codemods would
    not rewrite (line 0: the whole file) to why: a helper holding one stays sync.
    ``threaded`` lists the thread targets (dotted) left after threads-to-gather rewrote
    the fan-outs (None: assume it rewrites every one in async code). ``still_blocking``
    maps helpers (dotted) to a site the dry pass found still blocking in them once
    rewritten: they stay sync. ``tests``: the project's tests, callers that may become
    async tests (docs/tests.md).
    """
    if settings.mode == "report":
        return PropagationPlan("report")
    return _Planner(sources, codemods, settings, scope, left_alone, threaded, still_blocking, tests).plan()


def left_alone_by(
    specs: Sequence,
    sources: Mapping[str, bytes],
    plan: PropagationPlan,
    env: Environment,
    root: Path | None = None,
    jobs: int | None = None,
) -> tuple[dict[tuple[str, int], str], set[str], dict[str, str]]:
    """What the phase's codemods would leave blocking in the functions ``plan`` makes async.

    Runs ``specs`` (this codemod first, then the phase's; nothing written) over the files
    ``plan.check`` names, as the engine will (in its process pool when ``root`` is given,
    reading the same files). Returns ``(path, line)`` of each skip of a phase codemod,
    ``(path, 0)`` for a file that cannot be rewritten at all, mapped to the reason; the
    targets (dotted, as the rewritten modules spell them) still run in threads; and the
    functions made async (dotted) in which the rewritten code still holds a blocking site
    (any kind ``scan`` lists), mapped to that site.
    """
    from asyncmig.engine import run, transform_source

    env = plan.environment(env)
    found: dict[tuple[str, int], str] = {}
    threaded: set[str] = set()
    names = names_of_sources(sources)
    still: dict[str, str] = {}
    made = {(path, name) for path, name in plan.forced_async}
    paths = [p for p in plan.check if p in sources]
    if root is not None:
        results = {r.path: r for r in run(specs, [root], root, env=env, jobs=jobs, files=paths).files}
    else:
        results = {p: transform_source(sources[p], p, specs, env) for p in paths}
    for path in paths:
        result = results.get(path)
        if result is None:
            continue
        if result.status in ("error", "skipped"):
            why = result.error or "; ".join(s.reason for s in result.skips if s.codemod == "*")
            found[(path, 0)] = why or "the file cannot be rewritten"
            continue
        for skip in result.skips:
            if skip.codemod != CODEMOD:
                found.setdefault((path, skip.line), f"{skip.codemod}: {skip.reason}")
        module, is_package = names[path]
        after = extract(result.new if result.status == "changed" and result.new else sources[path], module, path, is_package)
        threaded |= {c.target for f in after.functions for c in f.calls if c.how == "thread"}
        # Lines of the rewritten code differ: name the original line of the same call.
        before = extract(sources[path], module, path, is_package)
        original = {(s.function, s.call): s.line for s in reversed(before.sites)}
        for site in sorted(after.sites, key=lambda s: (s.line, s.col)):
            if (path, site.function) in made and site.kind in BLOCKING_KINDS:
                line = original.get((site.function, site.call))
                where = f" at {path}:{line}" if line is not None else ""
                still.setdefault(
                    f"{module}.{site.function}",
                    f"after the phase's codemods, {site.call} ({site.kind}) still blocks in it{where}",
                )
    return found, threaded, still


def prepare(
    specs: Sequence,
    env: Environment | None,
    root: Path,
    files: Sequence[str],
    settings: Settings,
    options: Mapping[str, object] | None = None,
    project: Sequence[str] | None = None,
    tests: TestSuite | None = None,
) -> tuple[list, Environment, PropagationPlan]:
    """The specs and Environment a run needs for ``settings``: the plan's codemod first.

    ``files`` are the run's files relative to ``root`` (the only ones rewritten);
    ``project`` the files the call graph is built from (default: ``files``); ``options``
    the options of the ``async-propagation`` codemod (``gather_comprehensions``);
    ``tests`` the project's tests (callers too, docs/tests.md).
    """
    from asyncmig import registry
    from asyncmig.engine import CodemodSpec

    env = env or Environment()
    if settings.mode == "report":
        return list(specs), env, PropagationPlan("report")
    names = [spec.cls.NAME for spec in specs if spec.cls.NAME != CODEMOD]
    rest = [spec for spec in specs if spec.cls.NAME != CODEMOD]
    cls = registry.get(CODEMOD)
    own = CodemodSpec(cls, cls.parse_options(dict(options or {})))
    project_files = sorted(set(project or ()) | set(files) | set(tests.files if tests else ()))
    sources = read_sources(root, project_files)
    plan = analyse(sources, names, settings, scope=files, tests=tests)
    # A helper the codemods would not fully unblock stays sync: dry passes until the set of
    # helpers made async is stable (it only shrinks; in practice one or two passes).
    left: dict[tuple[str, int], str] = {}
    still: dict[str, str] = {}
    for _ in range(_DRY_PASSES):
        if not plan.forced_async:
            break
        if env.setting("root") is None:
            env = replace(env, settings=(*env.settings, ("root", str(root))))
        more_left, threaded, more_still = left_alone_by([own, *rest], sources, plan, env, root)
        if not (set(more_left) - set(left) or set(more_still) - set(still) or "threads-to-gather" in names):
            break
        left.update(more_left)
        still.update(more_still)
        before = plan.forced_async
        plan = analyse(
            sources, names, settings, scope=files, left_alone=left, threaded=threaded, still_blocking=still, tests=tests
        )
        if plan.forced_async == before:
            break
    return [own, *rest], plan.environment(env), plan


def settings_of(migration: object, mode: str | None = None) -> Settings:
    """Settings from a config ``Migration`` (``mode`` overrides its ``sync_callers``)."""
    return Settings(
        mode=(mode or getattr(migration, "sync_callers", "report")),  # type: ignore[arg-type]
        keep_sync=tuple(getattr(migration, "keep_sync", ())),
        unwrap_offloads=bool(getattr(migration, "unwrap_offloads", False)),
    )


__all__ = [
    "CODEMOD",
    "SETTING",
    "Decision",
    "FilePlan",
    "PlannedSkip",
    "PropagationPlan",
    "Settings",
    "SitePlan",
    "analyse",
    "left_alone_by",
    "prepare",
    "prepare_paths",
    "read_sources",
    "settings_of",
    "summaries_of",
]


def prepare_paths(
    specs: Sequence,
    env: Environment | None,
    root: Path,
    paths: Sequence[str | Path],
    *,
    exclude: Iterable[str] = (),
    project_paths: Sequence[str | Path] = (),
    settings: Settings,
    options: Mapping[str, object] | None = None,
) -> tuple[list, Environment, list[str]]:
    """Discover the run's files (under ``paths``) and the project's (``project_paths`` too),
    then :func:`prepare`. Returns the specs, the Environment and the run's files."""
    from asyncmig.discovery import discover

    files = discover(paths, root, exclude)
    if settings.mode == "report":
        return list(specs), env or Environment(), files
    extra = [Path(root, p) for p in project_paths if Path(root, p).exists()]
    project = sorted(set(files) | set(discover(extra, root, exclude) if extra else ()))
    tests = testcallers.suite_for(root)
    specs, env, plan = prepare(specs, env, root, files, settings, options, project=project, tests=tests)
    specs, env, files = testcallers.with_tests(specs, env, files, plan, tests)
    # Call sites the plan edits outside the run's paths (inside the project): only this
    # plan's codemod touches those files (``phase_files`` keeps the others out).
    outside = sorted({f.path for f in plan.files if f.sites} - set(files))
    if outside:
        env = replace(env, settings=(*env.settings, (PHASE_FILES, frozenset(files))))
    return specs, env, [*files, *outside]
