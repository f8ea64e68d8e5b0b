"""threads-to-gather: a Thread start/join fan-out in async code becomes ``await asyncio.gather``.

What it does
    Finds, in the body of an ``async def`` (or a function propagation made async), a
    fan-out that creates ``threading.Thread`` objects (``import threading [as th]``,
    ``from threading import Thread [as T]``), starts them all and joins them all, and
    replaces the whole fan-out with one ``await asyncio.gather(...)``. Each thread becomes
    ``asyncio.to_thread(f, *args, **kwargs)``, or ``f(*args, **kwargs)`` when ``f`` is an
    ``async def`` of the module (or listed in the ``async_functions`` setting, or made
    async by propagation). Recognized shapes:

    - a ``for`` loop (nested loops and ``if`` filters too) that creates, starts and appends
      threads to a list initialised just before, then a join loop (or start and join
      loops over the list);
    - a list comprehension or list literal of threads with start/join loops or
      comprehensions;
    - a fixed set ``t1 = Thread(...)``, ``t2 = ...`` started then joined
      (``t1.join()``, or ``for t in (t1, t2): t.join()``);
    - ``with ThreadPoolExecutor(...) as pool:`` using ``pool.map(f, xs)`` (``f`` may be a
      lambda) or ``pool.submit(f, x)`` futures consumed by ``.result()`` (a list
      comprehension, a ``for`` loop over the futures or over ``as_completed(futures)``);
      the ``with`` goes away, ``max_workers`` stays the bound;
    - a thread list handed to a helper of the module that joins it, or starts and joins
      it in chunks (``chunk_threads(threads, size)``: the chunk size becomes the bound);
    - a dedicated executor held in a module constant or ``self.x``: ``list(X.map(f, xs))``
      and ``X.submit(f, a).result()`` are awaited on that executor
      (``asyncio.wrap_future``).

    ``Thread(target=f, args=(a,), kwargs={"k": v})`` and the positional
    ``Thread(None, f, name, (a,), {...})`` are both understood; ``name=`` is dropped.

Why
    ``Thread.join()`` in a coroutine holds the event loop until the slowest thread ends:
    every other request of the process waits. ``await asyncio.gather`` waits only in the
    coroutine that asked.

Example
    ``golden/threads-to-gather/basic``::

        threads = []                                outcomes = await asyncio.gather(
        for url in urls:                                *(asyncio.to_thread(fetch, url, results) for url in urls),
            t = threading.Thread(                       return_exceptions=True,
                target=fetch, args=(url, results))  )
            t.start()                               for outcome in outcomes:
            threads.append(t)                           if isinstance(outcome, Exception):
        for t in threads:                                   logger.error("Exception in task fetch", exc_info=outcome)
            t.join()

Options
    ``errors = "preserve"`` (default) keeps thread semantics: one failing task does not
    fail the fan-out (``return_exceptions=True``) and each exception is logged with its
    traceback, as ``threading.excepthook`` reports it. ``"raise"`` lets the first exception
    propagate. Executor fan-outs always propagate (``future.result()`` and ``map`` already
    raised). ``max_concurrency = N`` bounds the tasks in flight with an
    ``asyncio.Semaphore(N)``; unset, nothing is added.

Left alone (reported as skips)
    daemon threads and threads never joined (fire-and-forget), ``join(timeout)``, thread
    objects that escape the fan-out (returned, stored, passed on, used for anything else),
    ``Thread`` subclasses, a join loop that does other work between joins, a creating
    loop that does other work, an executor used for anything but map/submit, a fan-out in
    sync code, and lines marked ``# asyncmig: skip``.

Fix safety
    Results that targets write into shared dicts or lists are still there after the
    gather; ``map`` keeps the order of its input. The tasks start together at the point
    where the threads were started; statements that stood between the starts and the
    joins now run after the gather (they could not rely on the threads' results before).
    ``as_completed`` consumption becomes submission order, after all tasks finished.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst
import libcst.matchers as m
from libcst.metadata import PositionProvider, QualifiedNameProvider, QualifiedNameSource

from asyncmig.codemod import AsyncCodemod
from asyncmig.errors import UsageError

THREAD = frozenset({"threading.Thread"})
EXECUTOR = frozenset(
    {"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"}
)
AS_COMPLETED = frozenset({"concurrent.futures.as_completed", "concurrent.futures._base.as_completed"})
LINE_LENGTH = 88
WHY = "joining threads in a coroutine blocks the event loop until the slowest one ends"

SYNC_REASON = (
    "thread fan-out in sync code: only async code is rewritten "
    "(make the function async first, or let propagation do it)"
)
DAEMON_REASON = "daemon thread: fire-and-forget work is not a fan-out; left as a thread"
NEVER_JOINED_REASON = "thread started but never joined (fire-and-forget); left as a thread"
TIMEOUT_REASON = "join(timeout) gives up waiting; gather cannot express that safely"
SUBCLASS_REASON = "Thread subclass: its run() and state are not a plain target; migrate by hand"
JOIN_WORK_REASON = "the join loop does other work between joins; migrate by hand"
LOOP_WORK_REASON = "the loop that creates the threads does other work too; migrate by hand"
NO_TARGET_REASON = "Thread without a target= to call"
SPLIT_JOIN_REASON = "threads are joined at different points with other work in between"
SPLIT_BLOCK_REASON = "threads are started in one block and joined in another; migrate by hand"
LAMBDA_REASON = (
    "a lambda target in a loop would see only the last loop value once deferred; "
    "pass the values with args= instead"
)
FOREIGN_LIST_REASON = (
    "threads are appended to a list that comes from elsewhere (no `= []` before the loop); "
    "migrate by hand"
)
STAR_REASON = "Thread(*args/**kwargs) cannot be read; migrate by hand"
MIXED_REASON = "a start/join statement also handles threads outside the fan-out; migrate by hand"
UNRECOGNIZED_REASON = "Thread not part of a recognized start/join fan-out"
EXECUTOR_REASON = "executor used for more than map/submit + result(); migrate by hand"
MAP_TIMEOUT_REASON = (
    "pool.map(..., timeout=...) gives up waiting after the timeout; gather cannot express that "
    "safely (wrap the gather in asyncio.wait_for by hand)"
)


def _escape_reason(name: str, how: str, line: int) -> str:
    return f"thread object {name} escapes the fan-out ({how}, line {line})"


@dataclass(frozen=True)
class Options:
    """``max_concurrency``: tasks in flight at most (None: unbounded); ``errors``: see docs."""

    max_concurrency: int | None = None
    errors: Literal["preserve", "raise"] = "preserve"

    def __post_init__(self) -> None:
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise UsageError(
                "option max_concurrency of threads-to-gather must be at least 1",
                hint="leave it unset for no bound",
            )


# -- the recognized pieces ------------------------------------------------------------
# A gather argument: a task expression, or (task, clauses) spread from a generator.
Element = str | tuple[str, list[str]]


@dataclass
class Task:
    """One thread's work: the call target and its arguments, as source text."""

    target: cst.BaseExpression
    args: list[str]
    call: cst.Call  # the Thread(...) / submit(...) call it came from


@dataclass
class Unit:
    """A thread (``fixed``) or a list of threads (``list``) created in one statement."""

    var: str
    kind: Literal["fixed", "list"]
    create: int
    tasks: list[Task] = field(default_factory=list)  # fixed, or a list literal
    clauses: list[str] = field(default_factory=list)  # ["for u in urls", "if u"]
    init: int | None = None  # `threads = []`
    starts: list[int] = field(default_factory=list)
    joins: list[int] = field(default_factory=list)
    loop_var: str | None = None  # `t` of a creating loop
    problem: tuple[int, str] | None = None  # (statement index, reason)
    bound: str | None = None  # started and joined in chunks of this size by a helper


@dataclass
class Role:
    """What one statement of a block does for the fan-outs."""

    kind: Literal["init", "create", "start", "join", "start_join", "other"]
    vars: tuple[str, ...] = ()
    reason: str | None = None
    bound: str | None = None  # a chunking helper's chunk size: the gather's bound


class ThreadsToGather(AsyncCodemod):
    NAME = "threads-to-gather"
    DESCRIPTION = "Thread start/join and ThreadPoolExecutor fan-outs in async code become await asyncio.gather(...)."
    Options = Options
    PREFILTER = ("Thread",)

    # -- module-level facts ------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._module = node
        self._lines = node.code.splitlines()
        # Thread(...) calls rewritten (or skipped by request), and why the others are left
        # alone: inner blocks are left first, so an outer block's verdict overwrites theirs.
        self._done: set[int] = set()
        self._pending: dict[int, tuple[cst.CSTNode, str, cst.CSTNode]] = {}
        self._async_defs: set[str] = set()
        self._subclasses: set[str] = set()
        self._logger: str | None = None
        for function in _find(node, cst.FunctionDef):  # nested async defs: outer.inner
            if function.asynchronous is not None:
                for qn in self.get_metadata(QualifiedNameProvider, function.name, set()):
                    if qn.source == QualifiedNameSource.LOCAL:
                        self._async_defs.add(qn.name.replace(".<locals>.", "."))
        for stmt in node.body:
            if isinstance(stmt, cst.FunctionDef) and stmt.asynchronous is not None:
                self._async_defs.add(stmt.name.value)
            elif isinstance(stmt, cst.ClassDef):
                if any(self.qualified(base.value) & THREAD for base in stmt.bases):
                    self._subclasses.add(stmt.name.value)
                for item in _body_statements(stmt.body):
                    if isinstance(item, cst.FunctionDef) and item.asynchronous is not None:
                        self._async_defs.add(f"{stmt.name.value}.{item.name.value}")
            elif m.matches(stmt, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())], value=m.Call())])):
                assign = stmt.body[0]
                if "logging.getLogger" in self.qualified(assign.value.func) and self._logger is None:
                    self._logger = assign.targets[0].target.value
        self._held = self._held_executors(node)
        # Thread(...) calls, and the statements around thread or executor calls.
        self._thread_calls: list[cst.Call] = []
        self._interesting: set[int] = set()
        for call in _find(node, cst.Call):
            thread = self._is_thread_like(call)
            if thread:
                self._thread_calls.append(call)
            if thread or self._is_executor(call):
                parent = self.parent(call)
                while parent is not None and id(parent) not in self._interesting:
                    self._interesting.add(id(parent))
                    parent = self.parent(parent)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        verdicts: dict[tuple[int, str], tuple[cst.CSTNode, str, cst.CSTNode]] = {}
        for call in self._thread_calls:
            if id(call) in self._done or not self._is_thread_like(call):
                continue
            if id(call) in self._pending:
                node, reason, stmt = self._pending[id(call)]
            elif self.in_async_context(call):
                reason = self._thread_reason(call)
                if reason is None:
                    chained = self.parent(call)
                    started = isinstance(chained, cst.Attribute) and chained.attr.value == "start"
                    reason = NEVER_JOINED_REASON if started else UNRECOGNIZED_REASON
                node, stmt = call, call
            else:
                continue
            verdicts.setdefault((id(node), reason), (node, reason, stmt))
        asked: set[int] = set()
        for node, reason, stmt in verdicts.values():
            if id(stmt) in asked:
                continue
            if self.requested_skip(stmt):
                asked.add(id(stmt))
                continue
            self.skip(node, reason)
        return updated_node

    # -- executors held beyond one statement -------------------------------------------
    def _held_executors(self, module: cst.Module) -> frozenset[str]:
        """``X`` / ``self.X`` always assigned ``ThreadPoolExecutor(...)`` in this module (a
        dedicated executor created at import or in ``__init__``): as spelled at use."""
        seen: dict[str, bool] = {}
        for assign in _find(module, cst.Assign):
            for target in assign.targets:
                key = None
                if isinstance(target.target, cst.Name):
                    key = target.target.value
                elif m.matches(target.target, m.Attribute(m.Name("self"), m.Name())):
                    key = f"self.{target.target.attr.value}"  # type: ignore[attr-defined]
                if key is not None:
                    ok = isinstance(assign.value, cst.Call) and self._is_executor(assign.value)
                    seen[key] = seen.get(key, True) and ok
        return frozenset(k for k, ok in seen.items() if ok)

    def _held_receiver(self, node: cst.BaseExpression) -> str | None:
        text = _code(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        return text if text in self._held else None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """``list(X.map(f, xs))``, ``for r in X.map(f, xs)`` and ``X.submit(f, a).result()``
        on a held executor ``X`` in async code: awaited, on that same executor
        (``asyncio.wrap_future``), so its bound and threads stay the ones chosen."""
        if not self._held:
            return updated_node
        found = self._held_use(original_node)
        if found is None:
            return updated_node
        what, code = found
        if not self.in_async_context(original_node) or self.requested_skip(original_node):
            return updated_node
        if isinstance(self.parent(original_node), cst.Await):
            return updated_node
        ctx = self._codegen_context(original_node)
        if ctx is None:
            return updated_node
        text = code(ctx)
        new = cst.parse_expression(text)
        from asyncmig.names import needs_parens_when_awaited

        if needs_parens_when_awaited(self.parent(original_node), original_node):
            new = new.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        self.change(original_node, what, WHY)
        return new

    def _held_use(self, call: cst.Call):
        """(what, code builder) for a rewritable use of a held executor, else None."""
        def map_call(node: cst.BaseExpression) -> tuple[str, cst.Call] | None:
            if not m.matches(node, m.Call(func=m.Attribute(attr=m.Name("map")))):
                return None
            receiver = self._held_receiver(node.func.value)  # type: ignore[attr-defined]
            if receiver is None or not _plain_args(node) or len(node.args) < 2:  # type: ignore[attr-defined]
                return None
            return receiver, node  # type: ignore[return-value]

        def gather(receiver: str, mapped: cst.Call):
            def build(ctx: dict) -> str:
                asyncio = ctx["asyncio"]
                its = [_code(a.value) for a in mapped.args[1:]]
                fn = _code(mapped.args[0].value)
                if len(its) == 1:
                    item = self._fresh("item", ctx)
                    args, clause = item, f"for {item} in {its[0]}"
                else:
                    names = [self._fresh(f"item{k + 1}", ctx) for k in range(len(its))]
                    args, clause = ", ".join(names), f"for {', '.join(names)} in zip({', '.join(its)})"
                return f"await {asyncio}.gather(*({asyncio}.wrap_future({receiver}.submit({fn}, {args})) {clause}))"
            return build

        # list(X.map(f, xs))
        if "builtins.list" in self.qualified(call.func) and len(call.args) == 1 and not call.args[0].star:
            inner = map_call(call.args[0].value)
            if inner is not None:
                return f"list({inner[0]}.map(...)) → await asyncio.gather(...) on {inner[0]}", gather(*inner)
            return None
        inner = map_call(call)
        if inner is not None:
            parent = self.parent(call)
            outermost = isinstance(parent, cst.CompFor) and isinstance(
                self.parent(parent), (cst.ListComp, cst.SetComp, cst.DictComp)
            )
            if (isinstance(parent, cst.For) or outermost) and parent.iter is call:  # type: ignore[union-attr]
                return f"{inner[0]}.map(...) → await asyncio.gather(...) on {inner[0]}", gather(*inner)
            return None
        # X.submit(f, a).result()
        if m.matches(call, m.Call(func=m.Attribute(value=m.Call(func=m.Attribute(attr=m.Name("submit"))), attr=m.Name("result")), args=[])):
            submit = call.func.value  # type: ignore[attr-defined]
            receiver = self._held_receiver(submit.func.value)
            if receiver is not None and submit.args and not submit.args[0].star:
                def build(ctx: dict) -> str:
                    return f"await {ctx['asyncio']}.wrap_future({_code(submit)})"
                return f"{receiver}.submit(...).result() → await asyncio.wrap_future(...)", build
        return None

    # -- the fan-outs of one block -----------------------------------------------------
    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        stmts = list(original_node.body)
        if not stmts or not any(self._mentions_threads(s) for s in stmts):
            return updated_node
        edits = list(self._fanouts(stmts, updated_node))
        if not edits:
            return updated_node
        removed = {i for indices, _, _ in edits for i in indices}
        placed = {at: new for _, at, new in edits}
        new_body: list[cst.BaseStatement] = []
        for i, stmt in enumerate(updated_node.body):
            new_body.extend(placed.get(i, ()))
            if i not in removed:
                new_body.append(stmt)
        return updated_node.with_changes(body=new_body)

    def _mentions_threads(self, stmt: cst.CSTNode) -> bool:
        return id(stmt) in self._interesting

    def _fanouts(
        self, stmts: list[cst.BaseStatement], updated: cst.IndentedBlock
    ) -> Iterator[tuple[list[int], int, list[cst.BaseStatement]]]:
        """(indices removed, index where the new statements go, new statements)."""
        # Executors first: a `with ThreadPoolExecutor` statement is self-contained.
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, cst.With) and self._executor_item(stmt) is not None:
                new = self._rewrite_executor(stmt, updated.body[i])
                if new is not None:
                    yield [i], i, new
        units, roles = self._analyse(stmts)
        for group in self._groups(units, roles, stmts):
            new = self._rewrite_group(group, units, roles, stmts)
            if new is not None:
                yield new

    # -- analysis ----------------------------------------------------------------------
    def _analyse(self, stmts: list[cst.BaseStatement]) -> tuple[list[Unit], list[Role]]:
        units: list[Unit] = []
        roles = [Role("other") for _ in stmts]
        for i, stmt in enumerate(stmts):
            unit = self._creation(i, stmt)
            if unit is not None:
                units.append(unit)
                roles[i] = Role("create", (unit.var,))
                continue
            target = _empty_list_target(stmt)
            if target is not None:
                roles[i] = Role("init", (target,))
                continue
            role = self._start_or_join(stmt)
            if role is not None:
                roles[i] = role
        # Tie inits, starts and joins to their units (a name may be reused later on).
        for i, role in enumerate(roles):
            if role.kind == "init":
                later = [u for u in units if u.var == role.vars[0] and u.create > i]
                if later and later[0].init is None:
                    later[0].init = i
            elif role.kind in ("start", "join", "start_join"):
                for var in role.vars:
                    unit = _latest(units, var, i)
                    if unit is None:
                        continue
                    if role.kind in ("start", "start_join"):
                        unit.starts.append(i)
                    if role.kind in ("join", "start_join"):
                        unit.joins.append(i)
                    if role.bound is not None:
                        unit.bound = role.bound
                    if role.reason and unit.problem is None:
                        unit.problem = (i, role.reason)
        for unit in units:
            if unit.problem is None and isinstance(stmts[unit.create], cst.For) and unit.init is None:
                unit.problem = (unit.create, FOREIGN_LIST_REASON)
        return units, roles

    def _creation(self, i: int, stmt: cst.BaseStatement) -> Unit | None:
        """A statement that creates a thread (``fixed``) or a list of threads (``list``)."""
        if isinstance(stmt, cst.For):
            return self._creation_loop(i, stmt)
        if not m.matches(stmt, m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(m.Name())])])):
            return None
        assign = stmt.body[0]
        var = assign.targets[0].target.value
        value = assign.value
        if isinstance(value, cst.Call) and self._is_thread_like(value):
            return self._unit(var, "fixed", i, [value])
        if isinstance(value, cst.ListComp) and isinstance(value.elt, cst.Call) and self._is_thread_like(value.elt):
            if value.for_in.asynchronous is not None:
                return None
            unit = self._unit(var, "list", i, [value.elt])
            unit.clauses = _clauses(value.for_in)
            return self._late_binding(unit)
        if isinstance(value, (cst.List, cst.Tuple)) and value.elements and all(
            isinstance(e, cst.Element) and isinstance(e.value, cst.Call) and self._is_thread_like(e.value)
            for e in value.elements
        ):
            return self._unit(var, "list", i, [e.value for e in value.elements])
        return None

    def _unit(self, var: str, kind: Literal["fixed", "list"], i: int, calls: list[cst.Call]) -> Unit:
        unit = Unit(var, kind, i)
        for call in calls:
            task = self._task(call)
            if isinstance(task, str):
                unit.problem = unit.problem or (i, task)
                task = Task(call.func, [], call)
            unit.tasks.append(task)
        return unit

    @staticmethod
    def _late_binding(unit: Unit) -> Unit:
        """A lambda in a generated generator would run after the loop moved on."""
        if (
            unit.clauses
            and unit.problem is None
            and any(next(_find(t.call, cst.Lambda), None) is not None for t in unit.tasks)
        ):
            unit.problem = (unit.create, LAMBDA_REASON)
        return unit

    def _creation_loop(self, i: int, loop: cst.For) -> Unit | None:
        """``for ...: t = Thread(...); t.start(); threads.append(t)`` (nested fors/ifs too)."""
        clauses: list[str] = []
        node: cst.BaseStatement = loop
        while True:
            if isinstance(node, cst.For):
                if node.asynchronous is not None or node.orelse is not None:
                    return None
                clauses.append(f"for {_code(node.target)} in {_code(node.iter)}")
            elif isinstance(node, cst.If):
                if node.orelse is not None:
                    return None
                clauses.append(f"if {_code(node.test)}")
            body = _body_statements(node.body)
            if len(body) == 1 and isinstance(body[0], (cst.For, cst.If)):
                node = body[0]
                continue
            break
        if not any(self._is_thread_like(c) for c in _find(loop, cst.Call)):
            return None
        leaf = _small_statements(body)
        if leaf is None:
            return self._loop_problem(i, loop, LOOP_WORK_REASON)
        thread_var = list_var = None
        call: cst.Call | None = None
        started = False
        for small in leaf:
            if m.matches(small, m.Assign(targets=[m.AssignTarget(m.Name())], value=m.Call())) and call is None:
                if not self._is_thread_like(small.value):
                    return self._loop_problem(i, loop, LOOP_WORK_REASON)
                thread_var, call = small.targets[0].target.value, small.value
            elif thread_var and _is_method_call(small, thread_var, "start") and not started:
                started = True
            elif m.matches(small, m.Expr(m.Call(func=m.Attribute(m.Name(), m.Name("append")), args=[m.Arg(keyword=None, star="")]))) and list_var is None:
                list_var = small.value.func.value.value
                item = small.value.args[0].value
                if call is None and isinstance(item, cst.Call) and self._is_thread_like(item):
                    call = item
                elif not (thread_var and m.matches(item, m.Name(thread_var))):
                    return self._loop_problem(i, loop, LOOP_WORK_REASON)
            elif thread_var and _is_daemon_statement(small, thread_var):
                return self._loop_problem(i, loop, DAEMON_REASON)
            else:
                return self._loop_problem(i, loop, LOOP_WORK_REASON)
        if call is None:
            return None
        if list_var is None:
            reason = NEVER_JOINED_REASON if started else UNRECOGNIZED_REASON
            return self._loop_problem(i, loop, self._thread_reason(call) or reason)
        unit = self._unit(list_var, "list", i, [call])
        unit.clauses = clauses
        unit.loop_var = thread_var
        if started:
            unit.starts.append(i)
        return self._late_binding(unit)

    def _loop_problem(self, i: int, loop: cst.For, reason: str) -> Unit:
        unit = Unit(f"<loop {i}>", "list", i, problem=(i, reason))
        for call in _find(loop, cst.Call):
            if self._is_thread_like(call):
                unit.tasks.append(Task(call.func, [], call))
        return unit

    def _start_or_join(self, stmt: cst.BaseStatement) -> Role | None:
        """``t.start()``, ``for t in threads: t.join()``, ``[t.join() for t in ts]``..."""
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            small = stmt.body[0]
            for method in ("start", "join"):
                var = _method_call_on_name(small, method)
                if var is not None:
                    return Role(method, (var,), _join_reason(small.value) if method == "join" else None)
            if _is_daemon_statement(small, None):
                var = _daemon_var(small)
                return Role("start", (var,), DAEMON_REASON) if var else None
            helper = self._thread_helper_call(small)
            if helper is not None:
                return helper
            if m.matches(small, m.Expr(m.ListComp(elt=m.Call(func=m.Attribute(m.Name(), m.Name()))))):
                comp = small.value
                if comp.for_in.inner_for_in is not None or comp.for_in.ifs or not isinstance(comp.for_in.target, cst.Name):
                    return None
                method = comp.elt.func.attr.value
                if method not in ("start", "join") or comp.elt.func.value.value != comp.for_in.target.value:
                    return None
                return self._over(comp.for_in.iter, method, _join_reason(comp.elt) if method == "join" else None)
            return None
        if isinstance(stmt, cst.For) and isinstance(stmt.target, cst.Name) and stmt.orelse is None and stmt.asynchronous is None:
            body = _small_statements(_body_statements(stmt.body))
            loop_var = stmt.target.value
            if body is None:
                return None
            calls = [(j, _method_call_on_name(s, "join")) for j, s in enumerate(body)]
            joins = [j for j, var in calls if var == loop_var]
            if joins:
                extra = len(body) > 1
                reason = JOIN_WORK_REASON if extra else _join_reason(body[joins[0]].value)
                return self._over(stmt.iter, "join", reason)
            if len(body) == 1 and _method_call_on_name(body[0], "start") == loop_var:
                return self._over(stmt.iter, "start", None)
            if any(_is_daemon_statement(s, loop_var) for s in body):
                return self._over(stmt.iter, "start", DAEMON_REASON)
        return None

    def _thread_helper_call(self, small: cst.BaseSmallStatement) -> Role | None:
        """``join_all(threads)`` / ``chunk_threads(threads, 8)``: a call of a function of
        this module that only joins (or starts and joins, in chunks) the threads of its
        first parameter. The helper itself stays (others may call it)."""
        if not m.matches(small, m.Expr(m.Call(func=m.Name()))):
            return None
        call = small.value  # type: ignore[attr-defined]
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return None
        if not isinstance(call.args[0].value, cst.Name) or any(a.star for a in call.args):
            return None
        helper = self._module_function(call.func.value)
        if helper is None:
            return None
        shape = _thread_helper_shape(helper)
        if shape is None:
            return None
        var = call.args[0].value.value
        kind, size_param, size_default = shape
        if kind == "join":
            return Role("join", (var,))
        # the chunk size: the call's argument for that parameter, else its default
        params = [p.name.value for p in helper.params.params]
        bound = size_default
        for index, arg in enumerate(call.args[1:], start=1):
            name = arg.keyword.value if arg.keyword is not None else (params[index] if index < len(params) else None)
            if name == size_param:
                bound = _code(arg.value)
        if bound is None:
            return None
        return Role("start_join", (var,), bound=bound)

    def _module_function(self, name: str) -> cst.FunctionDef | None:
        found = [
            stmt for stmt in self._module.body
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name
        ]
        if len(found) != 1 or found[0].asynchronous is not None or found[0].decorators:
            return None
        return found[0]

    @staticmethod
    def _over(iterable: cst.BaseExpression, method: str, reason: str | None) -> Role | None:
        if isinstance(iterable, cst.Name):
            return Role(method, (iterable.value,), reason)  # type: ignore[arg-type]
        if isinstance(iterable, (cst.Tuple, cst.List)) and all(
            isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in iterable.elements
        ):
            return Role(method, tuple(e.value.value for e in iterable.elements), reason)  # type: ignore[arg-type]
        return None

    def _groups(
        self, units: list[Unit], roles: list[Role], stmts: list[cst.BaseStatement]
    ) -> Iterator[list[Unit]]:
        """Units joined in one run of join statements form one fan-out."""
        done: set[int] = set()
        i = 0
        while i < len(roles):
            if roles[i].kind not in ("join", "start_join"):
                i += 1
                continue
            j = i
            while j < len(roles) and roles[j].kind in ("join", "start_join"):
                j += 1
            group: list[Unit] = []
            for k in range(i, j):
                for var in roles[k].vars:
                    unit = _latest(units, var, k)
                    if unit is not None and id(unit) not in done and unit not in group:
                        group.append(unit)
            group.sort(key=lambda u: u.create)
            if not group:
                i = j
                continue
            done.update(id(u) for u in group)
            # Threads started before this join run but joined later: not one fan-out.
            for other in units:
                if id(other) in done or other.problem or not other.starts or not other.joins:
                    continue
                if min(other.starts) < i < min(other.joins):
                    other.problem = (other.create, SPLIT_JOIN_REASON)
                    for u in group:
                        u.problem = u.problem or (u.create, SPLIT_JOIN_REASON)
            i = j
            yield group
        # Everything never joined: report once per unit.
        for unit in units:
            if id(unit) in done:
                continue
            if unit.problem is None:
                reason = NEVER_JOINED_REASON if unit.starts else UNRECOGNIZED_REASON
                if unit.starts and self._joined_elsewhere(unit.var, stmts):
                    reason = SPLIT_BLOCK_REASON
                for task in unit.tasks:
                    reason = self._thread_reason(task.call) or reason
                unit.problem = (unit.create, reason)
            self._report(unit, stmts)

    def _joined_elsewhere(self, var: str, stmts: list[cst.BaseStatement]) -> bool:
        """``var.join()`` or a join loop over ``var`` somewhere else in the function."""
        function = self.context_of(stmts[0]).function
        if function is None:
            return False
        join = m.Call(func=m.Attribute(m.Name(), m.Name("join")))
        for call in _find(function.body, cst.Call):
            if m.matches(call, join) and call.func.value.value == var:  # type: ignore[attr-defined]
                return True
        for loop in _find(function.body, cst.For):
            if m.matches(loop.iter, m.Name(var)) and any(m.matches(c, join) for c in _find(loop.body, cst.Call)):
                return True
        return False

    def _report(self, unit: Unit, stmts: list[cst.BaseStatement]) -> None:
        """Note why a unit is left alone (async code only); an outer block may overrule."""
        stmt = stmts[unit.create]
        if not self.in_async_context(stmt):
            return
        index, reason = unit.problem or (unit.create, UNRECOGNIZED_REASON)
        self._defer([t.call for t in unit.tasks], stmts[index], reason, stmt)

    def _defer(self, calls: list[cst.Call], node: cst.CSTNode, reason: str, stmt: cst.CSTNode) -> None:
        for call in calls:
            self._pending[id(call)] = (node, reason, stmt)

    def _settle(self, group: list[Unit]) -> None:
        for unit in group:
            for task in unit.tasks:
                self._done.add(id(task.call))
                self._pending.pop(id(task.call), None)

    # -- the rewrite of one group ------------------------------------------------------
    def _rewrite_group(
        self, group: list[Unit], units: list[Unit], roles: list[Role], stmts: list[cst.BaseStatement]
    ) -> tuple[list[int], int, list[cst.BaseStatement]] | None:
        anchor = stmts[group[0].create]
        for u in group:
            if not u.starts and u.problem is None:
                u.problem = (u.create, UNRECOGNIZED_REASON)
        problems = [u for u in group if u.problem]
        if not self.in_async_context(anchor):
            if not problems and self.context_of(anchor).kind == "sync":
                self._defer([t.call for u in group for t in u.tasks], anchor, SYNC_REASON, anchor)
            return None
        if problems:
            for u in problems:
                self._report(u, stmts)
            return None
        mine = sorted({i for u in group for i in [u.create, *u.starts, *u.joins] + ([u.init] if u.init is not None else [])})
        # A start/join statement that also handles threads outside the group stays.
        for i in mine:
            if roles[i].kind in ("start", "join", "start_join") and any(
                all(_latest(units, var, i) is not u for u in group) for var in roles[i].vars
            ):
                for u in group:
                    u.problem = (i, MIXED_REASON)
                    self._report(u, stmts)
                return None
        # Every mention of a thread variable must be one of these statements.
        for u in group:
            names = [u.var] + ([u.loop_var] if u.loop_var else [])
            for name in names:
                escape = self._escape(name, stmts, set(mine))
                if escape is not None:
                    u.problem = (u.create, _escape_reason(name, escape[0], escape[1]))
                    self._report(u, stmts)
                    return None
        for i in mine:
            if self.requested_skip(stmts[i]):
                self._settle(group)
                return None
        first_start = min(s for u in group for s in u.starts)
        ctx = self._codegen_context(anchor, logger=self.options.errors == "preserve")
        if ctx is None:
            self._settle(group)
            return None
        bound = str(self.options.max_concurrency) if self.options.max_concurrency else None
        chunks = [u.bound for u in group if u.bound is not None]
        if chunks:  # a helper started and joined them in chunks: at most that many at once
            bound = chunks[0] if bound is None else f"min({bound}, {chunks[0]})"
            if bound.startswith("min(") and bound[4:-1].replace(", ", "").isdigit():
                bound = str(min(int(x) for x in bound[4:-1].split(", ")))
        limiter = self._limiter(bound, ctx)
        elements: list[Element] = []
        targets: list[cst.BaseExpression] = []
        for u in group:
            for task in u.tasks:
                targets.append(task.target)
                self.remove_unused_import_by_node(task.call.func)
            if u.kind == "fixed" or not u.clauses:
                elements.extend(self._task_code(t, ctx) for t in u.tasks)
            else:
                elements.append((self._task_code(u.tasks[0], ctx), u.clauses))
        self._settle(group)
        preserve = self.options.errors == "preserve"
        if not preserve and len(elements) == 1 and isinstance(elements[0], str):
            # One task, errors propagate: no gather needed.
            new = _after(limiter, list(cst.parse_module(f"await {elements[0]}\n").body))
        else:
            new = _after(limiter, self._gather_statements(elements, targets, preserve, ctx, anchor))
        # Comments on the removed statements move to the gather; blank lines of the first.
        leading = _carried_comments([stmts[i] for i in mine], first=stmts[mine[0]])
        new[0] = new[0].with_changes(leading_lines=leading + list(new[0].leading_lines))
        n_threads = sum(len(u.tasks) for u in group)
        what = (
            "Thread start/join fan-out → await asyncio.gather(...)"
            if any(u.clauses for u in group)
            else f"{n_threads} thread{'s' if n_threads > 1 else ''} started and joined → "
            + ("await asyncio.gather(...)" if len(elements) > 1 or preserve else "await asyncio.to_thread(...)")
        )
        self.change(anchor, what, WHY)
        # Drop the group's statements; the gather takes the place of the first start.
        return mine, first_start, new

    def _escape(self, name: str, stmts: list[cst.BaseStatement], allowed: set[int]) -> tuple[str, int] | None:
        """The first mention of ``name`` outside the fan-out statements (how, line).

        Statements of other fan-outs may mention the name: before this one (an earlier
        fan-out reusing ``t``/``threads``), or after it once they bound the name afresh.
        """
        function = self.context_of(stmts[0]).function
        if function is None:
            return None
        own = [stmts[i] for i in sorted(allowed)]
        start = self._start(own[0])
        end = self._end(own[-1])
        roles = self._role_statements(function)
        rebinds = [self._start(n) for n in _bindings(function.body, name)]
        for mention in _mentions(function.body, name, {id(s) for s in own}):
            where = self._start(mention)
            if self._in_any(mention, roles, function) and (
                where < start or any(end < r <= where for r in rebinds)
            ):
                continue
            parent = self.parent(mention)
            how = "used elsewhere"
            if isinstance(parent, cst.Return):
                how = "returned"
            elif isinstance(parent, cst.Arg):
                how = "passed on"
            elif isinstance(parent, (cst.Assign, cst.Element, cst.DictElement, cst.AnnAssign)):
                how = "stored"
            elif isinstance(parent, cst.Yield):
                how = "yielded"
            return how, where[0]
        return None

    def _start(self, node: cst.CSTNode) -> tuple[int, int]:
        pos = self.get_metadata(PositionProvider, node, None)
        return (pos.start.line, pos.start.column) if pos else (0, 0)

    def _end(self, node: cst.CSTNode) -> tuple[int, int]:
        pos = self.get_metadata(PositionProvider, node, None)
        return (pos.end.line, pos.end.column) if pos else (0, 0)

    def _in_any(self, node: cst.CSTNode, ids: set[int], stop: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None and current is not stop:
            if id(current) in ids:
                return True
            current = self.parent(current)
        return False

    def _role_statements(self, function: cst.FunctionDef) -> set[int]:
        """Ids of the statements of ``function`` that create, start or join threads."""
        cache = self.__dict__.setdefault("_roles_cache", {})
        if id(function) not in cache:
            found: set[int] = set()
            for block in _find(function, cst.IndentedBlock):
                for i, stmt in enumerate(block.body):  # type: ignore[attr-defined]
                    if (
                        self._creation(i, stmt) is not None
                        or _empty_list_target(stmt) is not None
                        or self._start_or_join(stmt) is not None
                    ):
                        found.add(id(stmt))
            cache[id(function)] = found
        return cache[id(function)]

    # -- code generation ---------------------------------------------------------------
    def _codegen_context(self, node: cst.CSTNode, logger: bool = False) -> dict[str, str] | None:
        """Names and layout the generated code uses at ``node`` (None: skipped, reported)."""
        # asyncio first: every rewrite uses it, so its import is never left unused.
        asyncio = self.module_ref(node, "asyncio")
        if asyncio is None:
            self.skip(node, "the name asyncio is bound to something else here")
            return None
        log = self._logger
        if logger and log is None:
            logging = self.module_ref(node, "logging")
            if logging is None:
                self.skip(node, "the name logging is bound to something else here")
                return None
            log = f"{logging}.getLogger(__name__)"
        ctx = {"asyncio": asyncio, "logger": log or ""}
        line = self._lines[self.position(node)[0] - 1]
        ctx["indent"] = line[: len(line) - len(line.lstrip())]
        ctx["unit"] = self._module.default_indent
        function = self.context_of(node).function
        used: set[str] = set()
        if function is not None:
            # Attribute names (``fut.result``) cannot clash with a local variable.
            attrs = {id(a.attr) for a in _find(function, cst.Attribute)}
            used = {n.value for n in _find(function, cst.Name) if id(n) not in attrs}
        ctx["used"] = used  # type: ignore[assignment]
        return ctx

    def _fresh(self, base: str, ctx: dict) -> str:
        used = ctx["used"]
        name, n = base, 2
        while name in used or keyword.iskeyword(name):
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        return name

    def _task_code(self, task: Task, ctx: dict) -> str:
        target = _code(task.target)
        if self._is_async_target(task.target):
            call = f"{target}({', '.join(task.args)})"
        else:
            call = f"{ctx['asyncio']}.to_thread({', '.join([target, *task.args])})"
        if "limited" in ctx:
            return f"{ctx['limited']}({call})"
        return call

    def _gather_statements(
        self,
        elements: list[Element],
        targets: Sequence[cst.BaseExpression],
        preserve: bool,
        ctx: dict,
        anchor: cst.CSTNode,
        assign: str | None = None,
    ) -> list[cst.BaseStatement]:
        """``[outcomes =] await asyncio.gather(...)`` [and the loop logging each exception]."""
        indent, unit = ctx["indent"], ctx["unit"]
        lines: list[str] = []
        args: list[Element] = list(elements)
        if preserve:
            args.append("return_exceptions=True")
            outcomes, outcome = self._fresh("outcomes", ctx), self._fresh("outcome", ctx)
            head = f"{outcomes} = "
        else:
            head = f"{assign} = " if assign else ""
        lines += self._gather_lines(head, args, ctx)
        if preserve:
            logger = ctx["logger"]
            names = {_short(t) for t in targets}
            label = f"task {names.pop()}" if len(names) == 1 else "a fan-out task"
            lines += [f"for {outcome} in {outcomes}:", f"{unit}if isinstance({outcome}, Exception):"]
            call = f'{logger}.error("Exception in {label}", exc_info={outcome})'
            if len(indent) + 2 * len(unit) + len(call) <= LINE_LENGTH:
                lines.append(f"{unit}{unit}{call}")
            else:
                lines += [
                    f"{unit}{unit}{logger}.error(",
                    f'{unit}{unit}{unit}"Exception in {label}", exc_info={outcome}',
                    f"{unit}{unit})",
                ]
        module = cst.parse_module("\n".join(lines) + "\n")
        return list(module.body)

    def _gather_lines(
        self, head: str, args: list[Element], ctx: dict, multiline: bool = False
    ) -> list[str]:
        """``head + await asyncio.gather(args)``: one line when it fits, else one per argument.

        Continuation lines are relative: LibCST indents them with the block.
        """
        asyncio, indent, unit = ctx["asyncio"], ctx["indent"], ctx["unit"]
        one_line = f"{head}await {asyncio}.gather({', '.join(map(_inline, args))})"
        if not multiline and len(indent) + len(one_line) <= LINE_LENGTH:
            return [one_line]
        lines = [f"{head}await {asyncio}.gather("]
        for arg in args:
            text = f"{unit}{_inline(arg)},"
            if isinstance(arg, str) or len(indent) + len(text) <= LINE_LENGTH:
                lines.append(text)
            else:
                task, clauses = arg
                lines.append(f"{unit}*(")
                lines.extend(f"{unit}{unit}{part}" for part in [task, *clauses])
                lines.append(f"{unit}),")
        lines.append(")")
        return lines

    def _limiter(self, limit: str | None, ctx: dict) -> list[cst.BaseStatement]:
        """``semaphore = asyncio.Semaphore(N)`` and ``async def limited(task)``, when bounded."""
        if limit is None:
            return []
        asyncio, unit = ctx["asyncio"], ctx["unit"]
        semaphore, limited = self._fresh("semaphore", ctx), self._fresh("limited", ctx)
        ctx["limited"] = limited
        text = "\n".join([
            f"{semaphore} = {asyncio}.Semaphore({limit})",
            "",
            f"async def {limited}(task):",
            f"{unit}async with {semaphore}:",
            f"{unit}{unit}return await task",
            "",
            "",
        ])
        assign, helper = cst.parse_module(text).body
        return [assign, helper.with_changes(leading_lines=[cst.EmptyLine(indent=False)])]

    # -- executors ---------------------------------------------------------------------
    def _executor_item(self, stmt: cst.With) -> tuple[str, cst.Call] | None:
        if stmt.asynchronous is not None or len(stmt.items) != 1:
            return None
        item = stmt.items[0]
        if not (isinstance(item.item, cst.Call) and self._is_executor(item.item)):
            return None
        if item.asname is None or not isinstance(item.asname.name, cst.Name):
            return None
        return item.asname.name.value, item.item

    def _rewrite_executor(self, stmt: cst.With, updated: cst.BaseStatement) -> list[cst.BaseStatement] | None:
        pool, ctor = self._executor_item(stmt)  # type: ignore[misc]
        if not self.in_async_context(stmt):
            if self.context_of(stmt).kind == "sync":
                self.skip(stmt, SYNC_REASON.replace("thread fan-out", "executor fan-out"))
            return None
        if self.requested_skip(stmt):
            return None
        plan = _ExecutorPlan(self, pool, stmt)
        if not plan.ok:
            self.skip(stmt, plan.reason)
            return None
        ctx = self._codegen_context(stmt)
        if ctx is None:
            return None
        bound = _max_workers(ctor)
        if bound is not None and self.options.max_concurrency:
            if bound.isdigit():
                bound = str(min(int(bound), self.options.max_concurrency))
        elif bound is None and self.options.max_concurrency:
            bound = str(self.options.max_concurrency)
        new_body = plan.build(ctx, bound)
        self.remove_unused_import_by_node(ctor.func)
        for node in plan.as_completed:
            self.remove_unused_import_by_node(node)
        self.change(stmt, "ThreadPoolExecutor fan-out → await asyncio.gather(...)", WHY)
        leading = _carried_comments([stmt], first=stmt, header_only=True)
        if new_body:
            new_body[0] = new_body[0].with_changes(leading_lines=leading + list(new_body[0].leading_lines))
        return new_body

    # -- recognizers -------------------------------------------------------------------
    def _is_thread(self, call: cst.Call) -> bool:
        return bool(self.qualified(call.func) & THREAD)

    def _is_executor(self, call: cst.Call) -> bool:
        return bool(self.qualified(call.func) & EXECUTOR)

    def _is_subclass_call(self, call: cst.Call) -> bool:
        if not isinstance(call.func, cst.Name) or call.func.value not in self._subclasses:
            return False
        names = self.get_metadata(QualifiedNameProvider, call.func, set())
        return any(q.source == QualifiedNameSource.LOCAL and q.name == call.func.value for q in names)

    def _is_thread_like(self, call: cst.Call) -> bool:
        return self._is_thread(call) or self._is_subclass_call(call)

    def _thread_reason(self, call: cst.Call) -> str | None:
        """Why this Thread(...) cannot become a task, or None."""
        if self._is_subclass_call(call):
            return SUBCLASS_REASON
        task = self._task(call)
        return task if isinstance(task, str) else None

    def _task(self, call: cst.Call) -> Task | str:
        """The task of ``Thread(...)``, or the reason it has none."""
        if self._is_subclass_call(call):
            return SUBCLASS_REASON
        names = ["group", "target", "name", "args", "kwargs"]
        given: dict[str, cst.BaseExpression] = {}
        for index, arg in enumerate(call.args):
            if arg.star:
                return STAR_REASON
            if arg.keyword is not None:
                given[arg.keyword.value] = arg.value
            elif index < len(names):
                given[names[index]] = arg.value
            else:
                return UNRECOGNIZED_REASON
        daemon = given.get("daemon")
        if daemon is not None and not m.matches(daemon, m.Name("False") | m.Name("None")):
            return DAEMON_REASON
        if "target" not in given or m.matches(given["target"], m.Name("None")):
            return NO_TARGET_REASON
        args: list[str] = []
        if "args" in given:
            value = given["args"]
            if isinstance(value, (cst.Tuple, cst.List)):
                args += [_element_code(e) for e in value.elements]
            else:
                args.append(f"*{_code(value)}")
        if "kwargs" in given and not m.matches(given["kwargs"], m.Name("None")):
            value = given["kwargs"]
            if isinstance(value, cst.Dict) and all(_keyword_key(e) for e in value.elements):
                for e in value.elements:
                    if isinstance(e, cst.StarredDictElement):
                        args.append(f"**{_code(e.value)}")
                    else:
                        args.append(f"{e.key.evaluated_value}={_code(e.value)}")  # type: ignore[union-attr]
            else:
                args.append(f"**{_code(value)}")
        return Task(given["target"], args, call)

    def _is_async_target(self, target: cst.BaseExpression) -> bool:
        """``target`` names an ``async def`` (this module, the setting, or propagation)."""
        known = self.env.setting("async_functions") or frozenset()
        module = self.context.full_module_name or ""
        path = self.context.filename or ""
        if m.matches(target, m.Attribute(m.Name("self") | m.Name("cls"), m.Name())):
            # ``self.method`` inside a method of the class that defines it.
            owner = self.context_of(target).qualname.rpartition(".")[0]
            method = f"{owner}.{target.attr.value}"  # type: ignore[attr-defined]
            if owner and (
                method in self._async_defs
                or self.env.is_forced_async(path, method)
                or (f"{module}.{method}" if module else method) in known  # type: ignore[operator]
            ):
                return True
        for qn in self.get_metadata(QualifiedNameProvider, target, set()):
            if qn.source == QualifiedNameSource.LOCAL:
                name = qn.name.replace(".<locals>.", ".")  # a nested def: outer.inner
                if name in self._async_defs or self.env.is_forced_async(self.context.filename or "", name):
                    return True
                full = f"{module}.{name}" if module else name
            elif qn.source == QualifiedNameSource.IMPORT:
                full = _absolute(qn.name, module)
            else:
                continue
            if full in known:  # type: ignore[operator]
                return True
        return False

    def _line(self, node: cst.CSTNode) -> int:
        return self.position(node)[0]


# -- executor plan --------------------------------------------------------------------
class _ExecutorPlan:
    """How the body of ``with ThreadPoolExecutor() as pool:`` maps onto gathers.

    Each statement of the body is kept, except: ``futs = [pool.submit(f, x) for x in xs]``
    (removed; its gather goes where the futures are consumed), and
    ``pool.map(f, *its)`` / ``[fut.result() for fut in futs]`` / ``for fut in futs:`` /
    ``for fut in as_completed(futs):`` (rewritten). Any other use of ``pool`` or of the
    futures leaves the executor alone.
    """

    def __init__(self, codemod: ThreadsToGather, pool: str, stmt: cst.With) -> None:
        self.cm = codemod
        self.pool = pool
        self.stmt = stmt
        self.ok = True
        self.reason = EXECUTOR_REASON
        self.as_completed: list[cst.CSTNode] = []
        self.body = _body_statements(stmt.body)
        # futures list name -> (task call, clauses)
        self.futures: dict[str, tuple[cst.Call, str]] = {}
        self.plan: list[tuple[str, object]] = []
        for s in self.body:
            self._classify(s)
            if not self.ok:
                return
        consumed = [data[0] for kind, data in self.plan if kind in ("results", "loop")]  # type: ignore[index]
        if sorted(consumed) != sorted(self.futures):
            # Each futures list is consumed exactly once, or its tasks would run twice.
            self._fail()
            return
        # The with statement goes away: nothing after it may still use the pool or futures.
        function = codemod.context_of(stmt).function
        if function is not None:
            for name in [pool, *self.futures]:
                if next(_mentions(function.body, name, {id(stmt)}), None) is not None:
                    self._fail()
                    return

    def _fail(self, reason: str = EXECUTOR_REASON) -> None:
        self.ok = False
        self.reason = reason

    def _submit(self, node: cst.BaseExpression) -> cst.Call | None:
        if m.matches(node, m.Call(func=m.Attribute(m.Name(self.pool), m.Name("submit")))):
            call = node  # type: ignore[assignment]
            if call.args and not call.args[0].star and call.args[0].keyword is None:
                return call
        return None

    def _classify(self, s: cst.BaseStatement) -> None:
        pool = self.pool
        # futs = [pool.submit(f, x) for x in xs]
        if m.matches(s, m.SimpleStatementLine([m.Assign([m.AssignTarget(m.Name())], m.ListComp())])):
            assign = s.body[0]  # type: ignore[attr-defined]
            comp = assign.value
            call = self._submit(comp.elt)
            if call is not None and comp.for_in.asynchronous is None:
                self.futures[assign.targets[0].target.value] = (call, _clauses(comp.for_in))
                self.plan.append(("drop", None))
                return
        # for fut in futs: / for fut in as_completed(futs):
        if isinstance(s, cst.For) and isinstance(s.target, cst.Name) and s.orelse is None and s.asynchronous is None:
            source = s.iter
            if isinstance(source, cst.Call) and self.cm.qualified(source.func) & AS_COMPLETED and len(source.args) == 1:
                self.as_completed.append(source.func)
                source = source.args[0].value
            if isinstance(source, cst.Name) and source.value in self.futures:
                fut = s.target.value
                mentions = list(_mentions(s.body, fut, set()))
                results = [n for n in m.findall(s.body, m.Call(func=m.Attribute(m.Name(fut), m.Name("result")), args=[]))]
                if not results or len(mentions) != len(results):
                    return self._fail()
                self.plan.append(("loop", (source.value, s)))
                return
        if self._uses(s, pool) or any(self._uses(s, f) for f in self.futures):
            # [fut.result() for fut in futs] as a value
            comps = m.findall(s, m.ListComp(elt=m.Call(func=m.Attribute(m.Name(), m.Name("result")), args=[]), for_in=m.CompFor(target=m.Name(), iter=m.Name(), ifs=[], inner_for_in=None)))
            ok_comps = [c for c in comps if c.for_in.iter.value in self.futures and c.elt.func.value.value == c.for_in.target.value]
            all_maps = m.findall(s, m.Call(func=m.Attribute(m.Name(pool), m.Name("map"))))
            if any(a.keyword is not None and a.keyword.value == "timeout" for c in all_maps for a in c.args):
                return self._fail(MAP_TIMEOUT_REASON)
            maps = [c for c in all_maps if _plain_args(c) and len(c.args) >= 2]
            mentions = [n for n in _mentions(s, pool, set())] + [n for f in self.futures for n in _mentions(s, f, set())]
            covered = sum(1 for _ in ok_comps) + len(maps)
            # a lambda as map's function is a task (it runs in the worker either way); any
            # other lambda or def might hold on to the pool
            tasks = {id(c.args[0].value) for c in maps}
            others = [f for f in m.findall(s, m.Lambda() | m.FunctionDef()) if id(f) not in tasks]
            if covered == 0 or len(mentions) != covered or others:
                return self._fail()
            for c in ok_comps:
                self.plan.append(("results", (c.for_in.iter.value, c)))
            for c in maps:
                self.plan.append(("map", (c, self._list_around(c))))
            self.plan.append(("keep", s))
            return
        self.plan.append(("keep", s))

    def _list_around(self, call: cst.Call) -> cst.CSTNode:
        """``list(pool.map(...))`` is replaced whole (gather already returns a list)."""
        arg = self.cm.parent(call)
        outer = self.cm.parent(arg) if isinstance(arg, cst.Arg) else None
        if (
            isinstance(outer, cst.Call)
            and len(outer.args) == 1
            and "builtins.list" in self.cm.qualified(outer.func)
        ):
            return outer
        return call

    def _uses(self, s: cst.CSTNode, name: str) -> bool:
        return any(True for _ in _mentions(s, name, set()))

    def build(self, ctx: dict, bound: str | None) -> list[cst.BaseStatement]:
        cm = self.cm
        out: list[cst.BaseStatement] = []
        prelude = cm._limiter(bound, ctx)

        def gather_expr(elements: list[Element], multiline: bool) -> cst.BaseExpression:
            lines = cm._gather_lines("_ = ", elements, ctx, multiline)
            return cst.parse_module("\n".join(lines) + "\n").body[0].body[0].value  # type: ignore[attr-defined]

        def submit_elements(name: str) -> list[Element]:
            call, clauses = self.futures[name]
            return [(self._task(call, ctx), clauses)]

        elements: dict[cst.CSTNode, list[Element]] = {}
        for kind, data in self.plan:
            if kind == "results":
                name, comp = data  # type: ignore[misc]
                elements[comp] = submit_elements(name)
            elif kind == "map":
                call, replaced = data  # type: ignore[misc]
                its = [_code(a.value) for a in call.args[1:]]  # type: ignore[attr-defined]
                if len(its) == 1:
                    item = cm._fresh("item", ctx)
                    clause, args = f"for {item} in {its[0]}", [item]
                else:
                    args = [cm._fresh(f"item{k + 1}", ctx) for k in range(len(its))]
                    clause = f"for {', '.join(args)} in zip({', '.join(its)})"
                task = self._task_text(call.args[0].value, args, ctx)  # type: ignore[attr-defined]
                elements[replaced] = [(task, [clause])]

        def statement(kind: str, data: object, multiline: bool) -> cst.BaseStatement:
            if kind == "keep":
                replacements = {n: gather_expr(e, multiline) for n, e in elements.items()}
                return data.visit(_Replace(replacements))  # type: ignore[attr-defined]
            name, loop = data  # type: ignore[misc]
            fut = loop.target.value
            body = _body_statements(loop.body)
            first = body[0] if body else None
            result = m.Call(func=m.Attribute(m.Name(fut), m.Name("result")), args=[])
            if m.matches(first, m.SimpleStatementLine([m.Assign([m.AssignTarget(m.Name())], result)])):
                # `size = fut.result()` first: `size` becomes the loop variable.
                target = first.body[0].targets[0].target.value  # type: ignore[union-attr]
                rest = list(loop.body.body)[1:] or [cst.SimpleStatementLine([cst.Pass()])]  # type: ignore[attr-defined]
                new_body = loop.body.with_changes(body=rest).visit(_ResultToName(fut, target))
            else:
                if id(loop) not in loop_names:
                    loop_names[id(loop)] = cm._fresh("result", ctx)
                target = loop_names[id(loop)]
                new_body = loop.body.visit(_ResultToName(fut, target))
            return loop.with_changes(
                target=cst.Name(target), iter=gather_expr(submit_elements(name), multiline), body=new_body
            )

        loop_names: dict[int, str] = {}
        for kind, data in self.plan:
            if kind in ("keep", "loop"):
                new = statement(kind, data, False)
                head = _code(new).lstrip("\n").split("\n")[0]
                if len(ctx["indent"]) + len(head.strip()) > LINE_LENGTH:
                    new = statement(kind, data, True)
                out.append(new)
        return _after(prelude, out) if out else out

    def _task(self, call: cst.Call, ctx: dict) -> str:
        args = [_arg_code(a) for a in call.args[1:]]
        return self._task_text(call.args[0].value, args, ctx)

    def _task_text(self, target: cst.BaseExpression, args: list[str], ctx: dict) -> str:
        task = Task(target, args, cst.Call(func=target))
        return self.cm._task_code(task, ctx)


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, cst.CSTNode]) -> None:
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        return self.replacements.get(original_node, updated_node)


class _ResultToName(cst.CSTTransformer):
    """``fut.result()`` → ``name`` in a loop body."""

    def __init__(self, fut: str, name: str) -> None:
        self.fut, self.name = fut, name

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if m.matches(updated_node, m.Call(func=m.Attribute(m.Name(self.fut), m.Name("result")), args=[])):
            return cst.Name(self.name)
        return updated_node


# -- small helpers --------------------------------------------------------------------
def _max_workers(ctor: cst.Call) -> str | None:
    """The ``max_workers`` of ``ThreadPoolExecutor(...)`` as source text, or None."""
    for index, arg in enumerate(ctor.args):
        if arg.keyword is not None and arg.keyword.value == "max_workers" or arg.keyword is None and not arg.star and index == 0:
            value = arg.value
        else:
            continue
        return None if m.matches(value, m.Name("None")) else _code(value)
    return None


def _inline(element: Element) -> str:
    if isinstance(element, str):
        return element
    task, clauses = element
    return f"*({task} {' '.join(clauses)})"


def _clauses(comp: cst.CompFor) -> list[str]:
    """``for x in xs if x for y in x`` as ["for x in xs", "if x", "for y in x"]."""
    out: list[str] = []
    node: cst.CompFor | None = comp
    while node is not None:
        out.append(f"for {_code(node.target)} in {_code(node.iter)}")
        out.extend(f"if {_code(c.test)}" for c in node.ifs)
        node = node.inner_for_in
    return out


def _latest(units: list[Unit], var: str, index: int) -> Unit | None:
    """The unit named ``var`` created last at or before statement ``index``."""
    found = None
    for unit in units:
        if unit.var == var and unit.create <= index:
            found = unit
    return found


def _after(prelude: list[cst.BaseStatement], stmts: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """``prelude`` (the limiter helper) then ``stmts``, one blank line between them."""
    if not prelude or not stmts:
        return prelude + stmts
    first = stmts[0].with_changes(leading_lines=[cst.EmptyLine(indent=False), *stmts[0].leading_lines])
    return [*prelude, first, *stmts[1:]]


def _element_code(element: cst.BaseElement) -> str:
    star = "*" if isinstance(element, cst.StarredElement) else ""
    return star + _code(element.value)


def _arg_code(arg: cst.Arg) -> str:
    """An argument without its trailing comma: ``x``, ``*xs``, ``k=v``."""
    prefix = f"{arg.keyword.value}=" if arg.keyword is not None else arg.star
    return prefix + _code(arg.value)


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _short(target: cst.BaseExpression) -> str:
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Name):
        return target.value
    return "task"


def _absolute(name: str, module: str) -> str:
    if not name.startswith("."):
        return name
    level = len(name) - len(name.lstrip("."))
    package = module.split(".")[:-level] if module else []
    return ".".join([*package, name.lstrip(".")])


def _body_statements(body: cst.BaseSuite) -> list[cst.BaseStatement]:
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    return [cst.SimpleStatementLine(list(body.body))]  # type: ignore[attr-defined]


def _thread_helper_shape(helper: cst.FunctionDef) -> tuple[str, str | None, str | None] | None:
    """``("join", None, None)`` for ``def f(ts): for t in ts: t.join()``;
    ``("start_join", size_param, default)`` for a helper that starts and joins the threads
    of its first parameter chunk by chunk::

        def chunk_threads(threads, size=8):
            for i in range(0, len(threads), size):
                chunk = threads[i:i + size]
                for t in chunk:
                    t.start()
                for t in chunk:
                    t.join()

    None for anything else (other work, a timeout, a return value)."""
    params = helper.params
    if not params.params or params.star_arg is not cst.MaybeSentinel.DEFAULT and params.star_arg is not None:
        return None
    threads = params.params[0].name.value
    body = _body_statements(helper.body)
    if body and m.matches(body[0], m.SimpleStatementLine([m.Expr(m.SimpleString() | m.ConcatenatedString())])):
        body = body[1:]  # a docstring
    if len(body) != 1 or not isinstance(body[0], cst.For):
        return None
    loop = body[0]
    if loop.orelse is not None or loop.asynchronous is not None or not isinstance(loop.target, cst.Name):
        return None
    inner = _body_statements(loop.body)
    if m.matches(loop.iter, m.Name(threads)):
        small = _small_statements(inner)
        if small is not None and len(small) == 1 and _is_method_call(small[0], loop.target.value, "join"):
            return "join", None, None
        return None
    # for i in range(0, len(threads), size): chunk = threads[i:i + size]; start loop; join loop
    step = m.matches(
        loop.iter,
        m.Call(
            func=m.Name("range"),
            args=[m.Arg(m.Integer("0")), m.Arg(m.Call(func=m.Name("len"), args=[m.Arg(m.Name(threads))])), m.Arg(m.Name() | m.Integer())],
        ),
    )
    if not step or len(inner) != 3:
        return None
    size = loop.iter.args[2].value  # type: ignore[attr-defined]
    index = loop.target.value
    first = inner[0]
    if not m.matches(first, m.SimpleStatementLine([m.Assign([m.AssignTarget(m.Name())], m.Subscript(m.Name(threads)))])):
        return None
    chunk = first.body[0].targets[0].target.value  # type: ignore[attr-defined]
    sliced = first.body[0].value.slice  # type: ignore[attr-defined]
    if len(sliced) != 1 or not isinstance(sliced[0].slice, cst.Slice):
        return None
    window = sliced[0].slice
    if not (m.matches(window.lower, m.Name(index)) and window.step is None and window.upper is not None):
        return None
    upper = _code(window.upper).replace(" ", "")
    if upper not in (f"{index}+{_code(size)}", f"{_code(size)}+{index}"):
        return None
    for stmt, method in zip(inner[1:], ("start", "join")):
        if not (isinstance(stmt, cst.For) and m.matches(stmt.iter, m.Name(chunk)) and isinstance(stmt.target, cst.Name)):
            return None
        small = _small_statements(_body_statements(stmt.body))
        if small is None or len(small) != 1 or not _is_method_call(small[0], stmt.target.value, method):
            return None
    if isinstance(size, cst.Integer):
        return "start_join", None, size.value
    default = next((p.default for p in params.params if p.name.value == size.value), None)
    return "start_join", size.value, _code(default) if default is not None else None


def _small_statements(stmts: list[cst.BaseStatement]) -> list[cst.BaseSmallStatement] | None:
    out: list[cst.BaseSmallStatement] = []
    for s in stmts:
        if not isinstance(s, cst.SimpleStatementLine):
            return None
        out.extend(s.body)
    return out


def _method_call_on_name(small: cst.CSTNode, method: str) -> str | None:
    if m.matches(small, m.Expr(m.Call(func=m.Attribute(m.Name(), m.Name(method))))):
        return small.value.func.value.value  # type: ignore[attr-defined]
    return None


def _is_method_call(small: cst.CSTNode, var: str, method: str) -> bool:
    return m.matches(small, m.Expr(m.Call(func=m.Attribute(m.Name(var), m.Name(method)), args=[])))


def _join_reason(call: cst.Call) -> str | None:
    return TIMEOUT_REASON if call.args else None


def _is_daemon_statement(small: cst.CSTNode, var: str | None) -> bool:
    name = m.Name(var) if var else m.Name()
    return m.matches(
        small,
        m.Assign([m.AssignTarget(m.Attribute(name, m.Name("daemon")))])
        | m.Expr(m.Call(func=m.Attribute(name, m.Name("setDaemon")))),
    )


def _daemon_var(small: cst.CSTNode) -> str | None:
    if isinstance(small, cst.Assign):
        return small.targets[0].target.value.value  # type: ignore[attr-defined]
    if isinstance(small, cst.Expr):
        return small.value.func.value.value  # type: ignore[attr-defined]
    return None


def _empty_list_target(stmt: cst.BaseStatement) -> str | None:
    if m.matches(stmt, m.SimpleStatementLine([m.Assign([m.AssignTarget(m.Name())], m.List(elements=[]) | m.Call(func=m.Name("list"), args=[]))])):
        return stmt.body[0].targets[0].target.value  # type: ignore[attr-defined]
    if m.matches(stmt, m.SimpleStatementLine([m.AnnAssign(m.Name(), value=m.List(elements=[]))])):
        return stmt.body[0].target.value  # type: ignore[attr-defined]
    return None


def _keyword_key(element: cst.BaseDictElement) -> bool:
    if isinstance(element, cst.StarredDictElement):
        return True
    key = element.key  # type: ignore[attr-defined]
    if not isinstance(key, cst.SimpleString):
        return False
    value = key.evaluated_value
    return isinstance(value, str) and value.isidentifier() and not keyword.iskeyword(value)


def _plain_args(call: cst.Call) -> bool:
    return all(not a.star and a.keyword is None for a in call.args)


def _find(node: cst.CSTNode, kind: type) -> Iterator:
    """Every node of type ``kind`` under ``node`` (a plain walk, cheaper than matchers)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kind):
            yield current
        stack.extend(reversed(current.children))


def _binds(target: cst.BaseExpression, name: str) -> bool:
    return any(n.value == name for n in _find(target, cst.Name))


def _mentions(node: cst.CSTNode, name: str, skip_ids: set[int]) -> Iterator[cst.Name]:
    """Loads of ``name`` under ``node``, outside statements in ``skip_ids`` and outside
    loops, comprehensions and functions that bind the name afresh."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if id(current) in skip_ids:
            continue
        if isinstance(current, (cst.For, cst.CompFor)) and _binds(current.target, name):
            stack.append(current.iter)  # evaluated before the name is bound
            continue
        if isinstance(current, (cst.FunctionDef, cst.Lambda)) and current is not node:
            params = current.params
            if any(p.name.value == name for p in [*params.params, *params.posonly_params, *params.kwonly_params]):
                continue
        if isinstance(current, cst.Attribute):
            stack.append(current.value)
            continue
        if isinstance(current, cst.Arg):
            stack.append(current.value)
            continue
        if isinstance(current, cst.Name):
            if current.value == name:
                yield current
            continue
        if isinstance(current, cst.AssignTarget) and m.matches(current.target, m.Name(name)):
            continue
        stack.extend(reversed(current.children))


def _bindings(node: cst.CSTNode, name: str) -> Iterator[cst.CSTNode]:
    """Statements-level targets that bind ``name``: ``name = ...``, ``for name in ...``."""
    for current in _find(node, (cst.AssignTarget, cst.AnnAssign, cst.For, cst.AugAssign)):
        target = current.target
        if isinstance(current, cst.For):
            if _binds(target, name):
                yield target
        elif m.matches(target, m.Name(name)) or (
            isinstance(current, cst.AssignTarget) and isinstance(target, (cst.Tuple, cst.List)) and _binds(target, name)
        ):
            yield target


def _carried_comments(
    stmts: list[cst.BaseStatement], first: cst.BaseStatement, header_only: bool = False
) -> list[cst.EmptyLine]:
    """Comment lines of removed statements (their leading lines, trailing and header
    comments, nested blocks), in source order; blank lines only from ``first``."""
    out: list[cst.EmptyLine] = []

    def comment_line(ws: cst.TrailingWhitespace) -> None:
        if ws.comment is not None:
            out.append(cst.EmptyLine(comment=ws.comment))

    def walk(stmt: cst.BaseStatement, top: bool) -> None:
        for line in getattr(stmt, "leading_lines", ()):
            if line.comment is not None or (top and stmt is first):
                out.append(line)
        if isinstance(stmt, cst.SimpleStatementLine):
            comment_line(stmt.trailing_whitespace)
            return
        body = getattr(stmt, "body", None)
        if isinstance(body, cst.IndentedBlock):
            comment_line(body.header)
            if header_only:
                return
            for child in body.body:
                walk(child, False)
            for line in body.footer:
                if line.comment is not None:
                    out.append(line)
        elif isinstance(body, cst.SimpleStatementSuite):
            comment_line(body.trailing_whitespace)

    for stmt in stmts:
        walk(stmt, True)
    return out
