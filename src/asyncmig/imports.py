"""Where a codemod's new imports go, so the diff reads like a person wrote it.

``AddImportsVisitor`` puts a new import after the module's last import. When the module's
imports are sorted the isort / ruff ``I`` way — groups separated by blank lines in section
order (``__future__``, standard library, third party, first party, relative), and inside a
group ``import x`` lines before ``from x import y`` lines, each by module name, case
folded — the new import moves into its group at its sorted place (a new group in section
order when the file has none for it). Imports that are not sorted stay where
``AddImportsVisitor`` put them: asyncmig does not re-sort a file. A new ``from x import y``
longer than the project's line length is wrapped as ruff format wraps it::

    from pkg.very.long.module import (
        name,
    )
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable

import libcst as cst

from asyncmig.names import dotted

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
DEFAULT_LINE_LENGTH = 88
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"__future__"}


def place_new_imports(
    before: cst.Module, after: cst.Module, *, first_party: Iterable[str] = (), line_length: int | None = None
) -> cst.Module:
    """``after`` with the top-level imports it added (relative to ``before``) in their
    sorted places, when ``before``'s imports are sorted; long new lines wrapped."""
    first_party = frozenset(first_party)
    old = Counter(_code(s) for s in before.body)
    body = list(after.body)
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import(body[end]):
        end += 1
    added, existing = [], []
    for index in range(start, end):
        code = _code(body[index])
        if old[code]:
            old[code] -= 1
            existing.append(body[index])
        else:
            added.append(body[index])
    if not added:
        return after
    groups = _groups(existing)
    region = body[start:end]
    if groups and _sorted(_groups(_import_block(before)), first_party):
        placed = groups
        for statement in added:
            placed = _insert(placed, statement, first_party)
        head = existing[0]
        moved = placed[0][0] is not head
        if not (moved and any(line.comment is not None for line in head.leading_lines)):
            region = _join(placed, head.leading_lines)  # (a comment heading the block stays first)
    new = {_code(s) for s in added}
    width = line_length or DEFAULT_LINE_LENGTH
    region = [_wrapped(s, width) if _code(s) in new else s for s in region]
    return after.with_changes(body=[*body[:start], *region, *body[end:]])


# -- reading the import block ----------------------------------------------------------------


def _import_block(module: cst.Module) -> list[cst.SimpleStatementLine]:
    """The module's leading imports (after a docstring): what "sorted" is judged on."""
    body = list(module.body)
    start = 1 if body and _is_docstring(body[0]) else 0
    block = []
    for statement in body[start:]:
        if not _is_import(statement):
            break
        block.append(statement)
    return block


def _is_import(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _code(statement: cst.CSTNode) -> str:
    return cst.Module(body=()).code_for_node(statement.with_changes(leading_lines=()))


def _groups(statements: list[cst.SimpleStatementLine]) -> list[list[cst.SimpleStatementLine]]:
    groups: list[list[cst.SimpleStatementLine]] = []
    for statement in statements:
        blank = any(line.comment is None for line in statement.leading_lines)
        if not groups or blank:
            groups.append([statement])
        else:
            groups[-1].append(statement)
    return groups


def _module(statement: cst.SimpleStatementLine) -> tuple[str, int]:
    node = statement.body[0]
    if isinstance(node, cst.Import):
        return (dotted(node.names[0].name) or ""), 0
    level = len(node.relative)
    return (dotted(node.module) or ""), level



def section(statement: cst.SimpleStatementLine, first_party: frozenset[str]) -> int:
    name, level = _module(statement)
    top = name.split(".")[0]
    if level:
        return LOCAL
    if top == "__future__":
        return FUTURE
    if top in first_party:
        return FIRST_PARTY
    if top in _STDLIB:
        return STDLIB
    return THIRD_PARTY


def _key(statement: cst.SimpleStatementLine) -> tuple:
    name, level = _module(statement)
    is_from = isinstance(statement.body[0], cst.ImportFrom)
    return (int(is_from), -level, name.lower())


def _sorted(groups: list[list[cst.SimpleStatementLine]], first_party: frozenset[str]) -> bool:
    """Every group one section, sorted inside, the sections in order."""
    last = -1
    for group in groups:
        sections = {section(s, first_party) for s in group}
        if len(sections) != 1:
            return False
        (current,) = sections
        if current <= last:
            return False
        last = current
        keys = [_key(s) for s in group]
        if keys != sorted(keys):
            return False
    return True


# -- placing ---------------------------------------------------------------------------------


def _insert(groups, statement, first_party):
    statement = statement.with_changes(leading_lines=())
    wanted = section(statement, first_party)
    for index, group in enumerate(groups):
        current = section(group[0], first_party)
        if current == wanted:
            key = _key(statement)
            at = next((i for i, s in enumerate(group) if _key(s) > key), len(group))
            return [*groups[:index], [*group[:at], statement, *group[at:]], *groups[index + 1 :]]
        if current > wanted:
            return [*groups[:index], [statement], *groups[index:]]
    return [*groups, [statement]]


def _join(groups, first_leading) -> list[cst.SimpleStatementLine]:
    """The groups as statements: the block keeps its first leading lines, each later group
    starts after one blank line, comments above a statement stay with it."""
    out = []
    for number, group in enumerate(groups):
        for position, statement in enumerate(group):
            comments = [line for line in statement.leading_lines if line.comment is not None]
            if number == 0 and position == 0:
                lines = list(first_leading)
            elif position == 0:
                lines = [cst.EmptyLine(), *comments]
            else:
                lines = comments
            out.append(statement.with_changes(leading_lines=lines))
    return out


def _wrapped(statement: cst.SimpleStatementLine, line_length: int) -> cst.SimpleStatementLine:
    """A new ``from x import a, b`` past the line length, parenthesized one name a line."""
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        return statement
    if len(_code(statement).rstrip("\n")) <= line_length:
        return statement
    names = ",\n".join(
        "    " + cst.Module(body=()).code_for_node(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        for alias in node.names
    )
    module = "." * len(node.relative) + (dotted(node.module) or "")
    wrapped = cst.parse_statement(f"from {module} import (\n{names},\n)\n")
    return wrapped.with_changes(leading_lines=statement.leading_lines)




# -- long rewritten lines --------------------------------------------------------------------


def wrap_long_lines(before: cst.Module, after: cst.Module, line_length: int | None = None) -> cst.Module:
    """``after`` with each one-line statement a codemod rewrote past the line length split
    the way ruff format splits it: its outermost call's arguments on their own line, or one
    argument a line with a trailing comma when they do not fit either::

        response = await get_client("default").post(
            "https://api.example.com/v1/oauth/token", content=body, headers=headers
        )

    Statements found unchanged in ``before`` are never touched, and neither is one whose
    outermost expression is not a call with arguments.
    """
    width = line_length or DEFAULT_LINE_LENGTH
    if all(len(line) <= width for line in after.code.splitlines()):
        return after
    original = _StatementCodes()
    before.visit(original)
    return after.visit(_Wrapper(original.codes, width, len(after.default_indent.expandtabs())))


class _StatementCodes(cst.CSTVisitor):
    def __init__(self) -> None:
        self.codes: set[str] = set()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.codes.add(_code(node))


class _Wrapper(cst.CSTTransformer):
    def __init__(self, original: set[str], width: int, indent: int) -> None:
        self.original, self.width, self.indent, self.depth = original, width, indent, 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.depth += 1

    def leave_IndentedBlock(self, original_node, updated_node):
        self.depth -= 1
        return updated_node

    def leave_SimpleStatementLine(self, original_node, updated_node):
        code = _code(updated_node)
        margin = self.depth * self.indent
        if code.count("\n") != 1 or margin + len(code.rstrip("\n")) <= self.width or code in self.original:
            return updated_node
        wrapped = _split_call(updated_node, code, margin, self.width)
        return updated_node if wrapped is None else wrapped.with_changes(leading_lines=updated_node.leading_lines)


def _split_call(statement: cst.SimpleStatementLine, code: str, margin: int, width: int):
    if len(statement.body) != 1:
        return None
    small = statement.body[0]
    value = getattr(small, "value", None)
    if isinstance(value, cst.Await):
        value = value.expression
    if not isinstance(value, cst.Call) or not value.args or any(
        isinstance(a.comma, cst.Comma) and "\n" in _node(a.comma) for a in value.args
    ):
        return None
    call = _node(value)
    at = code.rfind(call)
    if at < 0:
        return None
    head, tail = code[:at], code[at + len(call):]
    func = _node(value.func)
    args = [_node(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip() for a in value.args]
    hugged = ", ".join(args)
    if margin + 4 + len(hugged) <= width:
        text = f"{head}{func}(\n    {hugged}\n){tail}"
    else:
        text = f"{head}{func}(\n" + "".join(f"    {a},\n" for a in args) + f"){tail}"
    if margin + len(f"{head}{func}(") > width:
        return None
    try:
        return cst.parse_statement(text)
    except cst.ParserSyntaxError:
        return None


def _node(node: cst.CSTNode) -> str:
    return cst.Module(body=()).code_for_node(node)


__all__ = ["DEFAULT_LINE_LENGTH", "place_new_imports", "section", "wrap_long_lines"]
