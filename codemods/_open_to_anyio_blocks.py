"""open-to-anyio's "one unit off the loop" form: a with block run once in a worker thread.

A ``with open(...)`` block that loops over its file (``for line in f``, a comprehension
over ``f``, ``f.write`` inside a loop) would cost one worker-thread round trip per line
in anyio's per-operation form (a 50,000-line copy: 12.6 s instead of 8 ms). Such a block
moves, unchanged, into a nested sync function that runs once::

    def read_file():
        nonlocal total
        with open(path) as f:
            for line in f:
                total += 1

    await anyio.to_thread.run_sync(read_file)

This module holds the pure analysis of a block (what keeps it from running in a thread,
which names it must hand back) and the builders of the new statements; the codemod
(:mod:`asyncmig.codemods.open_to_anyio`) decides and reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

ParentOf = Callable[[cst.CSTNode], "cst.CSTNode | None"]

# Calls that must run on the event loop's thread (asyncio objects are not thread-safe).
LOOP_MODULES = ("asyncio.", "anyio.", "trio.")
LOOP_METHODS = frozenset(
    {"create_task", "ensure_future", "call_soon", "call_later", "call_at", "put_nowait",
     "get_nowait", "set_result", "set_exception", "add_done_callback", "run_until_complete"}
)
# Builtins whose meaning changes inside a nested function.
FRAME_BUILTINS = frozenset({"super", "locals", "vars", "exec", "eval"})
LOOPS = (cst.For, cst.While)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
NEW_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def walk(node: cst.CSTNode, *, into_scopes: bool = False) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (not inside nested defs, classes, lambdas by default)."""
    for child in node.children:
        yield child
        if into_scopes or not isinstance(child, NEW_SCOPES):
            yield from walk(child, into_scopes=into_scopes)


def loops_over(use: cst.Name, block: cst.With, parent_of: ParentOf) -> bool:
    """``use`` (a name of the block's file) runs once per line or per loop iteration.

    ``for line in f`` and ``[x for x in f]`` iterate the file; ``f.write`` inside a
    ``for``/``while`` body or a comprehension runs once per iteration. The iterable of a
    ``for`` (``for x in f.readlines()``) and a comprehension's first iterable are
    evaluated once.
    """
    child: cst.CSTNode = use
    node = parent_of(use)
    while node is not None and node is not block:
        if isinstance(node, cst.For):
            if child is not node.iter or node.iter is use:
                return True
        elif isinstance(node, cst.While):
            return True
        elif isinstance(node, cst.CompFor):
            if node.iter is use:
                return True
        elif isinstance(node, COMPREHENSIONS):
            first = node.for_in
            if child is not first and not (child is first and _only_in_iter(use, first, parent_of)):
                return True
        child, node = node, parent_of(node)
    return False


def _only_in_iter(use: cst.Name, comp_for: cst.CompFor, parent_of: ParentOf) -> bool:
    node: cst.CSTNode | None = use
    while node is not None and node is not comp_for:
        if node is comp_for.iter:
            return use is not comp_for.iter
        node = parent_of(node)
    return False


def obstacle(
    block: cst.With | cst.SimpleStatementLine, qualified: Callable[[cst.CSTNode], frozenset[str]]
) -> str | None:
    """Why ``block`` (a with block or one statement line) cannot run unchanged in a nested
    sync function (None: it can).

    ``await``/``yield``/``async for``/``async with`` need the coroutine; ``break`` or
    ``continue`` of a loop outside the block would leave the function; ``super()``,
    ``locals()`` and friends see the new function's frame; asyncio calls must stay on
    the loop's thread; ``del`` of a name is not carried back.
    """
    for kind, depth in _walk_with_loops(block.body if isinstance(block, cst.With) else block, 0):
        if isinstance(kind, cst.Await):
            return "the block awaits"
        if isinstance(kind, (cst.Yield,)):
            return "the block yields"
        if isinstance(kind, (cst.For, cst.With)) and kind.asynchronous is not None:
            return "the block holds an async for/async with"
        if isinstance(kind, cst.CompFor) and kind.asynchronous is not None:
            return "the block holds an async comprehension"
        if isinstance(kind, (cst.Break, cst.Continue)) and depth == 0:
            word = "break" if isinstance(kind, cst.Break) else "continue"
            return f"{word} leaves a loop outside the block"
        if isinstance(kind, cst.Del) and _target_names(kind.target):
            return "it deletes a name (del)"  # del x[i] and del x.a are fine
        if isinstance(kind, cst.Call):
            func = kind.func
            if isinstance(func, cst.Name) and func.value in FRAME_BUILTINS:
                if qualified(func) & {f"builtins.{func.value}"}:
                    return f"{func.value}() would see the nested function's frame"
            names = qualified(func)
            loop_bound = sorted(n for n in names if n.startswith(LOOP_MODULES))
            if loop_bound:
                return f"{loop_bound[0]}() must run on the event loop's thread"
            if isinstance(func, cst.Attribute) and func.attr.value in LOOP_METHODS:
                return f".{func.attr.value}() must run on the event loop's thread"
    return None


def _walk_with_loops(node: cst.CSTNode, depth: int) -> Iterator[tuple[cst.CSTNode, int]]:
    """(node, how many loops of the block enclose it), not into nested scopes."""
    for child in node.children:
        yield child, depth
        if isinstance(child, NEW_SCOPES):
            continue
        if isinstance(child, LOOPS):
            for part in child.children:
                # A loop's else runs after it: break/continue there belong to the outer loop.
                inner = depth if part is child.orelse else depth + 1
                yield part, inner
                yield from _walk_with_loops(part, inner)
            continue
        yield from _walk_with_loops(child, depth)


def returns(block: cst.With) -> list[cst.Return]:
    return [n for n in walk(block.body) if isinstance(n, cst.Return)]


def always_returns(suite: cst.BaseSuite | cst.CSTNode) -> bool:
    """Every path through ``suite`` ends in ``return`` or ``raise``."""
    if isinstance(suite, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return bool(suite.body) and always_returns(suite.body[-1])
    if isinstance(suite, cst.SimpleStatementLine):
        return bool(suite.body) and isinstance(suite.body[-1], (cst.Return, cst.Raise))
    if isinstance(suite, (cst.Return, cst.Raise)):
        return True
    if isinstance(suite, cst.If):
        if suite.orelse is None:
            return False
        other = suite.orelse.body if isinstance(suite.orelse, cst.Else) else suite.orelse
        return always_returns(suite.body) and always_returns(other)
    if isinstance(suite, cst.With):
        return always_returns(suite.body)
    if isinstance(suite, cst.Try):
        if suite.finalbody is not None and always_returns(suite.finalbody.body):
            return True
        ends = suite.body if suite.orelse is None else suite.orelse.body
        return (suite.orelse is not None or always_returns(suite.body)) and always_returns(ends) and all(
            always_returns(h.body) for h in suite.handlers
        )
    return False


def definitely_bound(suite: cst.CSTNode) -> set[str]:
    """Names every normal path through ``suite`` binds (a conservative under-estimate)."""
    bound: set[str] = set()
    if isinstance(suite, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        for statement in suite.body:
            bound |= definitely_bound(statement)
        return bound
    if isinstance(suite, cst.SimpleStatementLine):
        for small in suite.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    bound |= _target_names(target.target)
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                bound |= _target_names(small.target)
            elif isinstance(small, cst.AugAssign):
                bound |= _target_names(small.target)
            elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    name = alias.asname.name if alias.asname else alias.name
                    if isinstance(name, cst.Name):
                        bound.add(name.value)
                    elif isinstance(name, cst.Attribute) and alias.asname is None:
                        bound.add(cst.Module([]).code_for_node(name).split(".")[0])
        return bound
    if isinstance(suite, cst.With):
        for item in suite.items:
            if item.asname is not None:
                bound |= _target_names(item.asname.name)
        return bound | definitely_bound(suite.body)
    if isinstance(suite, (cst.FunctionDef, cst.ClassDef)):
        return {suite.name.value}
    if isinstance(suite, (cst.If, cst.While)):
        bound = _walrus_targets(suite.test)  # the test runs at least once
        if isinstance(suite, cst.If) and suite.orelse is not None:
            other = suite.orelse.body if isinstance(suite.orelse, cst.Else) else suite.orelse
            bound |= definitely_bound(suite.body) & definitely_bound(other)
        return bound
    return bound


def _walrus_targets(test: cst.BaseExpression) -> set[str]:
    """Names ``(name := ...)`` always binds when ``test`` is evaluated (not behind and/or)."""
    while isinstance(test, (cst.Comparison, cst.UnaryOperation)):
        test = test.left if isinstance(test, cst.Comparison) else test.expression
    if isinstance(test, cst.NamedExpr):
        return _target_names(test.target) | _walrus_targets(test.value)
    return set()


def _target_names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        names: set[str] = set()
        for element in target.elements:
            value = element.value
            names |= _target_names(value)
        return names
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


class _TagReturns(cst.CSTTransformer):
    """``return x`` → ``return True, x`` (the caller's flag that the block returned)."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        value = updated_node.value or cst.Name("None")
        if isinstance(value, cst.Tuple) and not value.lpar:
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        pair = cst.Tuple([cst.Element(cst.Name("True"), comma=_COMMA), cst.Element(value)], lpar=(), rpar=())
        return updated_node.with_changes(value=pair, whitespace_after_return=cst.SimpleWhitespace(" "))


_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _names_tuple(names: list[str]) -> cst.BaseExpression:
    if len(names) == 1:
        return cst.Name(names[0])
    elements = [cst.Element(cst.Name(n), comma=_COMMA if i < len(names) - 1 else cst.MaybeSentinel.DEFAULT)
                for i, n in enumerate(names)]
    return cst.Tuple(elements, lpar=(), rpar=())


def build(
    block: cst.With | cst.SimpleStatementLine,
    *,
    name: str,
    run_sync: str,
    nonlocals: list[str],
    globals_: list[str],
    exports: list[str],
    returned: str,
    flag_names: tuple[str, str] | None,
    spaced: bool,
) -> cst.FlattenSentinel[cst.BaseStatement]:
    """The nested function and the statements that run it, in place of ``block``.

    ``returned`` is ``"never"``, ``"always"`` or ``"sometimes"`` (the block's ``return``
    statements); ``flag_names`` are the two fresh names of the ``sometimes`` form.
    """
    body: list[cst.BaseStatement] = []
    if globals_:
        body.append(cst.SimpleStatementLine([cst.Global([cst.NameItem(cst.Name(n)) for n in globals_])]))
    if nonlocals:
        body.append(cst.SimpleStatementLine([cst.Nonlocal([cst.NameItem(cst.Name(n)) for n in nonlocals])]))
    moved = block.with_changes(leading_lines=())
    if returned == "sometimes":
        moved = moved.visit(_TagReturns())  # type: ignore[assignment]
    body.append(moved)  # type: ignore[arg-type]
    if returned == "sometimes":
        body.append(_line(cst.Return(cst.parse_expression("False, None"))))
    elif exports:
        body.append(_line(cst.Return(_names_tuple(exports))))

    leading = list(block.leading_lines)
    if not spaced and (not leading or leading[0].comment is not None):
        leading.insert(0, cst.EmptyLine(indent=False))
    function = cst.FunctionDef(
        name=cst.Name(name),
        params=cst.Parameters(),
        body=cst.IndentedBlock(body),
        leading_lines=leading,
    )
    run = cst.Await(cst.Call(cst.parse_expression(run_sync), args=[cst.Arg(cst.Name(name))]))
    after = [cst.EmptyLine(indent=False)]
    statements: list[cst.BaseStatement] = [function]
    if returned == "always":
        statements.append(_line(cst.Return(run), after))
    elif returned == "sometimes":
        assert flag_names is not None
        flag, value = flag_names
        statements.append(_line(cst.Assign([cst.AssignTarget(_names_tuple([flag, value]))], run), after))
        statements.append(
            cst.If(
                test=cst.Name(flag),
                body=cst.IndentedBlock([_line(cst.Return(cst.Name(value)))]),
            )
        )
    elif exports:
        statements.append(_line(cst.Assign([cst.AssignTarget(_names_tuple(exports))], run), after))
    else:
        statements.append(_line(cst.Expr(run), after))
    return cst.FlattenSentinel(statements)


def _line(small: cst.BaseSmallStatement, leading: list[cst.EmptyLine] | None = None) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([small], leading_lines=leading or [])
