"""async-propagation: sync helpers that block under async code are made async or offloaded.

What it does
    Carries out the plan :mod:`asyncmig.propagate` computes from the project call graph
    when ``sync_callers`` is ``offload`` or ``propagate`` (DESIGN §5). Per file it:

    - turns a planned ``def helper`` into ``async def helper``;
    - awaits each planned call of a helper that became async: ``helper(x)`` →
      ``await helper(x)``, ``self.helper(x)`` → ``await self.helper(x)``, in list/set/dict
      comprehensions too (``[await helper(x) for x in xs]``, or with the option
      ``gather_comprehensions`` a list comprehension whose element is the call becomes
      ``await asyncio.gather(*(helper(x) for x in xs))``, which runs them concurrently);
    - offloads each planned call from async code to a helper that stays sync:
      ``helper(x, k=1)`` → ``await asyncio.to_thread(helper, x, k=1)`` (bound methods
      stay bound: ``asyncio.to_thread(self.helper, x)``);
    - unwraps ``await asyncio.to_thread(helper, x)`` / ``await loop.run_in_executor(ex,
      helper, x)`` into ``await helper(x)`` when ``helper`` became async (with
      ``unwrap_offloads``).

    The engine runs it before the phase's codemods, which then rewrite the blocking sites
    inside the helpers made async.

Why
    Most blocking calls of a real service sit in sync helpers its handlers call. Awaiting
    them all the way up keeps the loop free; where a helper must stay sync, running it
    in a worker thread at the outermost async call keeps the loop free too.

Example
    ``golden/async-propagation/basic`` (two modules)::

        # helpers.py                            # helpers.py
        def pause(seconds):                     async def pause(seconds):
            time.sleep(seconds)                     await asyncio.sleep(seconds)

        # app.py                                # app.py
        async def handler():                    async def handler():
            pause(1)                                await pause(1)

Left alone (reported)
    - helpers that stay sync under ``propagate``, with the reason, at their ``def``;
    - calls in a lambda, a generator expression, a default argument or a decorator, and
      helpers passed as callbacks from async code (the call cannot be awaited in place);
    - executors whose last use was unwrapped (reported, never deleted; a
      ``loop = asyncio.get_running_loop()`` left without a use goes);
    - lines marked ``# asyncmig: skip``.

Fix safety
    Offloading moves the helper to a worker thread: thread-local state and code that
    expects the loop's thread (``asyncio.get_running_loop()`` in the helper) behave
    differently. Propagation changes the helper's signature for every caller inside the
    project; callers outside it (public APIs) must be listed in ``keep_sync``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import ScopeProvider

from asyncmig import executors
from asyncmig.codemod import SOURCE_KEY, AsyncCodemod, import_style
from asyncmig.models import Environment, Skip
from asyncmig.names import awaited, needs_parens_when_awaited
from asyncmig.propagate import SETTING, FilePlan, PropagationPlan, SitePlan


_LOOP_GETTERS = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.events.get_running_loop", "asyncio.events.get_event_loop"})


@dataclass(frozen=True)
class Options:
    gather_comprehensions: bool = False  # [f(x) for x in xs] → await asyncio.gather(*(f(x) for ...))


class AsyncPropagation(AsyncCodemod):
    NAME = "async-propagation"
    DESCRIPTION = "Sync helpers that block under async code become async (awaited up the chain) or are offloaded."
    Options = Options

    @classmethod
    def could_change(cls, source: bytes, path: str, env: Environment) -> bool:
        plan = env.setting(SETTING)
        return isinstance(plan, PropagationPlan) and plan.file(path) is not None

    def __init__(self, context: Any, options: Any = None, env: Environment | None = None, **kw: Any) -> None:
        super().__init__(context, options, env, **kw)
        plan = self.env.setting(SETTING)
        self.plan: FilePlan | None = (
            plan.file(context.filename or "") if isinstance(plan, PropagationPlan) else None
        )
        self.lines: list[str] = []
        self.tree: cst.Module = cst.Module(body=[])
        self.names: list[str] = []
        self.gathered: set[int] = set()  # ids of calls a gather will take as they are
        # ids of the ``loop`` Names of ``loop.run_in_executor(...)`` calls planned to unwrap
        self.unwrapped_loops: set[int] = set()

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if self.plan is None:
            return tree
        self.tree = tree  # how the module imports its own package (for new imports)
        source = self.context.scratch.get(SOURCE_KEY)
        self.lines = (source if source is not None else tree.code).splitlines(keepends=True)
        for skip in self.plan.skips:
            self.skips.append(Skip(skip.line, self.char_col(skip.line, skip.col), self.NAME, skip.reason))
        return super().transform_module_impl(tree)

    # -- positions ---------------------------------------------------------------------
    def char_col(self, line: int, byte_col: int) -> int:
        if not 1 <= line <= len(self.lines):
            return byte_col
        return len(self.lines[line - 1].encode("utf-8")[: byte_col - 1].decode("utf-8", "replace")) + 1

    def byte_pos(self, node: cst.CSTNode) -> tuple[int, int]:
        line, col = self.position(node)
        if 1 <= line <= len(self.lines):
            col = len(self.lines[line - 1][: col - 1].encode("utf-8")) + 1
        return line, col

    def planned(self, node: cst.CSTNode, *actions: str) -> SitePlan | None:
        """The site planned at ``node`` (a callee or an offloaded argument), if any.

        ``a().b()`` and ``a()`` start at the same column: the spelling tells them apart.
        """
        if self.plan is None:
            return None
        line, col = self.byte_pos(node)
        site = self.plan.site(line, col, actions)
        if site is None or not site.spelled:
            return site
        if isinstance(node, cst.Attribute):
            last = node.attr.value
        elif isinstance(node, cst.Name):
            last = node.value
        else:
            return None
        return site if last == site.spelled else None

    # -- defs --------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.names.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.names.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.names.append(node.name.value)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        qualname = ".".join(self.names)
        self.names.pop()
        why = self.plan.why_async(qualname) if self.plan else None
        if why is None or original_node.asynchronous is not None:
            return updated_node
        self.change(original_node.name, f"def {qualname} → async def {qualname}", why)
        return updated_node.with_changes(asynchronous=cst.Asynchronous())

    # -- a loop variable left unused by unwrapping ------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "run_in_executor"
            and isinstance(func.value, cst.Name)
            and len(node.args) > 1
            and not node.args[1].star
            and self.planned(node.args[1].value, "unwrap")
            and isinstance(self.parent(node), cst.Await)
            and self.in_async_context(node)
            and not self.requested_skip(node)
        ):
            self.unwrapped_loops.add(id(func.value))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """``loop = asyncio.get_running_loop()`` whose every use was an unwrapped
        ``loop.run_in_executor(...)`` goes (it would be an unused variable). Decided when
        the block is left: every call in it has been seen by then."""
        if not self.unwrapped_loops or len(original_node.body) != len(updated_node.body):
            return updated_node
        keep = [
            new for old, new in zip(original_node.body, updated_node.body)
            if not (isinstance(old, cst.SimpleStatementLine) and self.dead_loop(old))
        ]
        if len(keep) == len(updated_node.body):
            return updated_node
        return updated_node.with_changes(body=keep or [cst.SimpleStatementLine([cst.Pass()])])

    def dead_loop(self, line: cst.SimpleStatementLine) -> bool:
        if len(line.body) != 1:
            return False
        assign = line.body[0]
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(assign.value, cst.Call)
            and not assign.value.args
            and self.qualified(assign.value.func) & _LOOP_GETTERS
        ):
            return False
        name = assign.targets[0].target
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None or len(scope.assignments[name.value]) != 1:
            return False
        accesses = list(scope.accesses[name.value])
        if not accesses or any(id(a.node) not in self.unwrapped_loops for a in accesses):
            return False
        self.change(line, f"{name.value} = asyncio.get_running_loop() → removed (no use left)", "every run_in_executor on it was unwrapped")
        self.remove_unused_import_by_node(assign.value.func)
        return True

    # -- calls -------------------------------------------------------------------------
    def visit_ListComp(self, node: cst.ListComp) -> None:
        if not self.options.gather_comprehensions or not isinstance(node.elt, cst.Call):
            return
        if self.planned(node.elt.func, "await") and self.in_async_context(node):
            self.gathered.add(id(node.elt))

    def leave_ListComp(self, original_node: cst.ListComp, updated_node: cst.ListComp) -> cst.BaseExpression:
        if id(original_node.elt) not in self.gathered:
            return updated_node
        site = self.planned(original_node.elt.func, "await")
        if site is None:
            return updated_node
        asyncio = None
        if not _has_await_or_async_for(updated_node):  # a generator with await would be async
            asyncio = self.module_ref(original_node, "asyncio")
        if asyncio is None:  # await each call in place instead
            self.change(original_node.elt, f"{_name(site)}(...) → await {_name(site)}(...)", site.why)
            return updated_node.with_changes(elt=awaited(updated_node.elt))
        genexp = cst.GeneratorExp(elt=updated_node.elt, for_in=updated_node.for_in)
        call = cst.Call(
            func=cst.parse_expression(f"{asyncio}.gather"),
            args=[cst.Arg(value=genexp, star="*")],
            lpar=updated_node.lpar,
            rpar=updated_node.rpar,
        )
        self.change(original_node, f"[{_name(site)}(...) for ...] → await asyncio.gather(*({_name(site)}(...) for ...))", site.why)
        result = awaited(call)
        parent = self.parent(original_node)
        if needs_parens_when_awaited(parent, original_node) and not result.lpar:
            result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return result

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.plan is None:
            return updated_node
        unwrap = self.leave_offload_call(original_node, updated_node)
        if unwrap is not None:
            return unwrap
        site = self.planned(original_node.func, "await", "offload")
        if site is None or id(original_node) in self.gathered:
            return updated_node
        if not self.in_async_context(original_node):
            ctx = self.context_of(original_node)
            where = {"lambda": "a lambda", "genexp": "a generator expression"}.get(ctx.kind, "sync code")
            self.skip(original_node, f"{site.helper} is called in {where}, where it cannot be awaited")
            return updated_node
        if self.requested_skip(original_node):
            return updated_node
        parent = self.parent(original_node)
        if isinstance(parent, cst.Await):
            return updated_node
        name = _name(site)
        if site.action == "await":
            result = awaited(updated_node)
            self.change(original_node, f"{name}(...) → await {name}(...)", site.why)
        else:
            runner = self.executor_runner(original_node, site)  # [executors]: a dedicated pool
            if runner is None:
                asyncio = self.module_ref(original_node, "asyncio")
                if asyncio is None:
                    self.skip(original_node, "the name asyncio is bound to something else here")
                    return updated_node
                runner = f"{asyncio}.to_thread"
            gap = updated_node.whitespace_before_args  # one argument a line stays so
            after = gap if isinstance(gap, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
            first = cst.Arg(
                value=updated_node.func,
                comma=cst.Comma(whitespace_after=after) if updated_node.args else cst.MaybeSentinel.DEFAULT,
            )
            call = updated_node.with_changes(func=cst.parse_expression(runner), args=[first, *updated_node.args])
            result = awaited(call)
            shown = "asyncio.to_thread" if runner.endswith(".to_thread") else runner
            self.change(original_node, f"{name}(...) → await {shown}({name}, ...)", site.why)
        if needs_parens_when_awaited(parent, original_node) and not result.lpar:
            result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return result

    def executor_runner(self, node: cst.CSTNode, site: SitePlan) -> str | None:
        """``run_in_<name>_executor`` when ``[executors]`` routes ``site.helper``, imported here."""
        executor = executors.executor_for(executors.executors_of(self.env), site.helper)
        if executor is None:
            return None
        from asyncmig.codemods.requests_to_httpx import _top_package, import_target, is_package

        path = self.context.filename or ""
        is_pkg = lambda directory: is_package(self.env, directory)  # noqa: E731
        top = _top_package(PurePosixPath(path).parent, is_pkg)
        style = import_style(self.tree, top.name if top is not None else None) or self.env.setting("import_style")
        target = import_target(path, executors.module_path(self.env, path, is_pkg), is_pkg, style=style)
        runner = executors.runner_name(executor.name)
        scope = self.get_metadata(ScopeProvider, node, None)
        if target is None or (scope is not None and runner in scope and not _imported(scope, runner)):
            return None  # no importable module, or the name means something else: the default pool
        AddImportsVisitor.add_needed_import(self.context, target[0], runner, relative=target[1])
        return runner

    @classmethod
    def finalize(cls, options: Any, env: Environment, root: Any, results: tuple) -> list:
        return executors.finalize(cls.NAME, env, root, results)

    def leave_offload_call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
        """``asyncio.to_thread(f, ...)`` / ``loop.run_in_executor(ex, f, ...)`` → ``f(...)``."""
        func = original.func
        if "asyncio.to_thread" in self.qualified(func):
            index = 0
        elif isinstance(func, cst.Attribute) and func.attr.value == "run_in_executor":
            index = 1
        else:
            return None
        if len(original.args) <= index or original.args[index].star:
            return None
        site = self.planned(original.args[index].value, "unwrap")
        if site is None:
            return None
        if not isinstance(self.parent(original), cst.Await) or not self.in_async_context(original):
            self.skip(original, f"{site.helper} is now async, but this offload is not awaited in async code")
            return None
        if self.requested_skip(original):
            return None
        rest = list(updated.args[index + 1 :])
        if index == 0:
            self.remove_unused_import_by_node(func)
        what = "asyncio.to_thread" if index == 0 else "run_in_executor"
        self.change(original, f"{what}({_name(site)}, ...) → {_name(site)}(...)", site.why)
        return updated.with_changes(func=updated.args[index].value, args=rest)


def _imported(scope: Any, name: str) -> bool:
    return all(isinstance(getattr(a, "node", None), cst.ImportFrom) for a in scope[name])


def _has_await_or_async_for(node: cst.ListComp) -> bool:
    if m.findall(node, m.Await()):
        return True
    comp: cst.CompFor | None = node.for_in
    while comp is not None:
        if comp.asynchronous is not None:
            return True
        comp = comp.inner_for_in
    return False


def _name(site: SitePlan) -> str:
    return site.helper.rsplit(".", 1)[-1]
