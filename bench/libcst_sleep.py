"""The peer for bench/engine.py: the same rewrite as a plain LibCST codemod.

Qualified-name resolution and async context only, as `python -m libcst.tool codemod`
users would write it; run with ``-x libcst_sleep.SleepToAsyncioCommand``.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import QualifiedNameProvider


class SleepToAsyncioCommand(VisitorBasedCodemodCommand):
    DESCRIPTION = "time.sleep(x) in async defs becomes await asyncio.sleep(x)."
    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self, context) -> None:
        super().__init__(context)
        self.stack: list[bool] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(node.asynchronous is not None)

    def leave_FunctionDef(self, original_node, updated_node):
        self.stack.pop()
        return updated_node

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.stack.append(False)

    def leave_Lambda(self, original_node, updated_node):
        self.stack.pop()
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        if not (self.stack and self.stack[-1]):
            return updated_node
        names = self.get_metadata(QualifiedNameProvider, original_node.func, set())
        if not any(n.name == "time.sleep" for n in names):
            return updated_node
        AddImportsVisitor.add_needed_import(self.context, "asyncio")
        return cst.Await(updated_node.with_changes(func=cst.parse_expression("asyncio.sleep")))
