"""Shared recognizers: qualified names, async context, skip comments, awaiting.

Codemods match *qualified names* resolved by LibCST (aliases and ``from`` imports work,
shadowing locals do not match), never spellings.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Literal

import libcst as cst
from libcst.metadata import QualifiedName, QualifiedNameSource

SKIP_COMMENT = "asyncmig: skip"
SKIP_FILE_COMMENT = "asyncmig: skip-file"
_SKIP_RE = re.compile(r"#.*\basyncmig:\s*skip\b(?!-)")
_SKIP_FILE_RE = re.compile(r"#.*\basyncmig:\s*skip-file\b")
# How far into a module a skip-file comment may stand (license headers come first).
SKIP_FILE_HEAD_LINES = 30

ContextKind = Literal["async", "sync", "lambda", "genexp", "module", "class"]


def imported_names(
    metadata: dict[cst.CSTNode, object] | object, node: cst.CSTNode
) -> frozenset[str]:
    """Qualified names of ``node`` that come from an import or a builtin.

    ``metadata`` is the result of ``get_metadata(QualifiedNameProvider, node, ...)``.
    Names bound locally (a variable that shadows ``time``) carry source LOCAL and are
    dropped, so a shadowed name never matches.
    """
    names: set[str] = set()
    for qn in metadata or ():  # type: ignore[union-attr]
        assert isinstance(qn, QualifiedName)
        if qn.source in (QualifiedNameSource.IMPORT, QualifiedNameSource.BUILTIN):
            names.add(qn.name)
    return frozenset(names)


@dataclass(frozen=True)
class Context:
    """Where a node executes.

    ``kind`` is ``async`` inside an ``async def`` body, ``sync`` inside a plain ``def``,
    ``lambda``/``genexp`` inside a lambda or generator expression (never awaitable
    in place), ``class``/``module`` at those levels. ``function`` is the nearest
    enclosing def (``None`` at module level); ``qualname`` its dotted name in the module.
    """

    kind: ContextKind
    function: cst.FunctionDef | None
    qualname: str
    inside_async: bool = False  # the nearest enclosing def is async (through lambdas/genexps)


def enclosing_context(node: cst.CSTNode, get_parent) -> Context:
    """Walk the parents of ``node`` to the nearest scope that decides whether it can await.

    ``get_parent`` maps a node to its parent (``ParentNodeProvider`` metadata).
    """
    kind: ContextKind | None = None
    function: cst.FunctionDef | None = None
    inside_async: bool | None = None
    names: list[str] = []
    path: list[cst.CSTNode] = [node]
    current = get_parent(node)
    while current is not None:
        child = path[-1]
        if isinstance(current, cst.FunctionDef):
            # Decorators and defaults run in the enclosing scope, not in the body.
            if child is current.body:
                names.append(current.name.value)
                if inside_async is None:
                    inside_async = current.asynchronous is not None
                if kind is None:
                    kind = "async" if current.asynchronous is not None else "sync"
                    function = current
        elif isinstance(current, cst.Lambda):
            if kind is None and child is current.body:
                kind = "lambda"
        elif isinstance(current, cst.GeneratorExp):
            # The first ``for`` iterable is evaluated eagerly in the enclosing scope.
            if kind is None and not any(p is current.for_in.iter for p in path):
                kind = "genexp"
        elif isinstance(current, cst.ClassDef):
            if child is current.body:
                names.append(current.name.value)
                if kind is None:
                    kind = "class"
        path.append(current)
        current = get_parent(current)
    return Context(kind or "module", function, ".".join(reversed(names)), bool(inside_async))


def skip_comment_lines(source: str) -> frozenset[int]:
    """Lines carrying a ``# asyncmig: skip`` comment (tokenized: strings do not count)."""
    if SKIP_COMMENT not in source:
        return frozenset()
    lines: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT and _SKIP_RE.search(tok.string):
                lines.add(tok.start[0])
    except (tokenize.TokenError, SyntaxError):
        # Fall back to a line test; the engine only gets here for files that parsed.
        for number, line in enumerate(source.splitlines(), 1):
            if _SKIP_RE.search(line):
                lines.add(number)
    return frozenset(lines)


def has_skip_file_comment(head: bytes) -> bool:
    """``# asyncmig: skip-file`` within the module's first lines."""
    if b"asyncmig:" not in head:
        return False
    lines = head.splitlines()[:SKIP_FILE_HEAD_LINES]
    return any(_SKIP_FILE_RE.search(line.decode("latin-1")) for line in lines)


def awaited(expr: cst.BaseExpression) -> cst.Await:
    """``await expr``, keeping the parentheses and whitespace ``expr`` had."""
    return cst.Await(expression=expr.with_changes(lpar=(), rpar=()), lpar=expr.lpar, rpar=expr.rpar)


def needs_parens_when_awaited(parent: cst.CSTNode | None, node: cst.CSTNode) -> bool:
    """``await x`` binds looser than ``.attr``, ``[i]`` and ``(...)`` applied to it."""
    if isinstance(parent, cst.Attribute) and parent.value is node:
        return True
    if isinstance(parent, cst.Subscript) and parent.value is node:
        return True
    if isinstance(parent, cst.Call) and parent.func is node:
        return True
    return False


def dotted(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None
