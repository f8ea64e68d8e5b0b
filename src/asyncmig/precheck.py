"""A cheap ``ast`` pass that tells whether a file holds a call worth a LibCST parse.

LibCST's parse plus metadata costs ~50x an ``ast.parse``; most files that pass the
substring prefilter (they mention ``sleep`` and ``async def``) have no site at all. This
pass resolves call names through the file's imports (a superset: every import anywhere in
the file counts, shadowing is ignored) and collects the calls made lexically inside async
functions, so a codemod that declares ``AST_TRIGGERS`` / ``AST_METHODS`` is run only when
one of them occurs. It must never say "no" where LibCST would find a site.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class CallIndex:
    """Resolved callee names and method names of calls, by context."""

    async_calls: set[str] = field(default_factory=set)
    async_methods: set[str] = field(default_factory=set)
    any_calls: set[str] = field(default_factory=set)
    any_methods: set[str] = field(default_factory=set)

    def matches(self, triggers: frozenset[str], methods: frozenset[str], sync_too: bool) -> bool:
        calls = self.any_calls if sync_too else self.async_calls
        names = self.any_methods if sync_too else self.async_methods
        if names & methods:
            return True
        for call in calls:
            if call in triggers:
                return True
            for trigger in triggers:
                if trigger.endswith(".") and call.startswith(trigger):
                    return True
        return False


class _Collector(ast.NodeVisitor):
    def __init__(self, forced: frozenset[str]) -> None:
        self.forced = forced
        self.imports: dict[str, set[str]] = {}
        self.raw_async: set[str] = set()
        self.raw_any: set[str] = set()
        self.index = CallIndex()
        self.names: list[str] = []
        self.async_depth: list[bool] = [False]

    def _bind(self, local: str, target: str) -> None:
        self.imports.setdefault(local, set()).add(target)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self._bind(alias.asname, alias.name)
            else:
                top = alias.name.split(".")[0]
                self._bind(top, top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = ("." * node.level) + (node.module or "")
        for alias in node.names:
            self._bind(alias.asname or alias.name, f"{module}.{alias.name}")

    def _function(self, node: ast.AST, name: str, is_async: bool) -> None:
        self.names.append(name)
        forced = ".".join(self.names) in self.forced
        self.async_depth.append(is_async or forced)
        self.generic_visit(node)
        self.async_depth.pop()
        self.names.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for expr in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if expr is not None:
                self.visit(expr)
        self.names.append(node.name)
        forced = ".".join(self.names) in self.forced
        self.names.pop()
        self._body(node, node.name, forced)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        for expr in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if expr is not None:
                self.visit(expr)
        self._body(node, node.name, True)

    def _body(self, node: ast.AST, name: str, is_async: bool) -> None:
        self.names.append(name)
        self.async_depth.append(is_async)
        for stmt in node.body:  # type: ignore[attr-defined]
            self.visit(stmt)
        self.async_depth.pop()
        self.names.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.visit(expr)
        self.names.append(node.name)
        self.async_depth.append(False)
        for stmt in node.body:
            self.visit(stmt)
        self.async_depth.pop()
        self.names.pop()

    def visit_Call(self, node: ast.Call) -> None:
        in_async = self.async_depth[-1]
        name = ast_dotted(node.func)
        if name is not None:
            self.raw_any.add(name)
            if in_async:
                self.raw_async.add(name)
        if isinstance(node.func, ast.Attribute):
            self.index.any_methods.add(node.func.attr)
            if in_async:
                self.index.async_methods.add(node.func.attr)
        self.generic_visit(node)

    def resolve(self) -> CallIndex:
        for raw, out in ((self.raw_async, self.index.async_calls), (self.raw_any, self.index.any_calls)):
            for name in raw:
                head, _, rest = name.partition(".")
                targets = self.imports.get(head)
                if targets:
                    out.update(t + ("." + rest if rest else "") for t in targets)
                out.add(name)
                if not rest:
                    # A bare name may still be the builtin where the import is local to
                    # another scope: keep the builtin too (a superset is safe).
                    out.add(f"builtins.{name}")
        return self.index


def ast_dotted(expr: ast.AST) -> str | None:
    """``a.b.c`` for an ast Name/Attribute chain, else None (the ast twin of names.dotted)."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None


def index_calls(source: bytes, forced: frozenset[str] = frozenset()) -> CallIndex | None:
    """The file's call index, or None when ``ast`` cannot parse it (LibCST will report why)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    collector = _Collector(forced)
    collector.visit(tree)
    return collector.resolve()
