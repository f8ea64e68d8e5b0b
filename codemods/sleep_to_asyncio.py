"""sleep-to-asyncio: ``time.sleep(x)`` in async code becomes ``await asyncio.sleep(x)``.

What it does
    Rewrites calls that resolve to ``time.sleep`` (``import time``, ``import time as t``,
    ``from time import sleep [as nap]``) in the body of an ``async def`` into
    ``await asyncio.sleep(...)``, importing ``asyncio`` (or reusing ``import asyncio as
    aio``) and dropping the ``time`` import once nothing else uses it.

Why
    ``time.sleep`` parks the whole event loop: every other request of the process waits.
    ``asyncio.sleep`` suspends only the coroutine that asked.

Example
    ``golden/sleep-to-asyncio/basic``::

        async def retry(send):                      async def retry(send):
            for attempt in range(3):                    for attempt in range(3):
                if send():                                  if send():
                    return True                                 return True
                time.sleep(2 ** attempt)                    await asyncio.sleep(2 ** attempt)

Left alone (reported as skips)
    - inside a lambda or generator expression of an async def (``await`` is not allowed
      there, or would turn the generator into an async generator);
    - when the name ``asyncio`` is bound to something else in that scope;
    - lines marked ``# asyncmig: skip``.
    Sync functions are not touched and not reported (``asyncmig scan`` lists them).

Fix safety
    Safe: both sleep at least the given time; ``asyncio.sleep`` also lets other tasks run,
    which is the point. A negative delay raises in ``time.sleep`` and returns at once in
    ``asyncio.sleep``.
"""

from __future__ import annotations

import libcst as cst

from asyncmig.codemod import AsyncCodemod
from asyncmig.names import awaited, needs_parens_when_awaited

TIME_SLEEP = "time.sleep"


class SleepToAsyncio(AsyncCodemod):
    NAME = "sleep-to-asyncio"
    DESCRIPTION = "time.sleep(x) in async code becomes await asyncio.sleep(x)."
    PREFILTER = ("sleep",)
    AST_TRIGGERS = frozenset({TIME_SLEEP})

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if TIME_SLEEP not in self.qualified(original_node.func):
            return updated_node
        if not self.in_async_context(original_node):
            ctx = self.context_of(original_node)
            if ctx.inside_async and ctx.kind in ("lambda", "genexp"):
                where = "a lambda" if ctx.kind == "lambda" else "a generator expression"
                self.skip(original_node, f"time.sleep inside {where} of an async def cannot be awaited there")
            return updated_node
        if self.requested_skip(original_node):
            return updated_node
        parent = self.parent(original_node)
        if isinstance(parent, cst.Await):
            self.skip(original_node, "time.sleep(...) is already awaited (a bug: it returns None)")
            return updated_node
        asyncio = self.module_ref(original_node, "asyncio")
        if asyncio is None:
            self.skip(original_node, "the name asyncio is bound to something else here")
            return updated_node

        self.remove_unused_import_by_node(original_node.func)
        call = updated_node.with_changes(func=cst.parse_expression(f"{asyncio}.sleep"))
        result = awaited(call)
        if needs_parens_when_awaited(parent, original_node) and not result.lpar:
            result = result.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        self.change(original_node, "time.sleep(...) → await asyncio.sleep(...)",
                    "time.sleep blocks the event loop")
        return result
