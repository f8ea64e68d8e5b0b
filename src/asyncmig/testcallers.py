"""Tests as callers: which functions of a test file pytest calls, and whether they can
become async (DESIGN §5, docs/tests.md).

Propagation asks this module about the functions of the project's test files
(:mod:`asyncmig.testpaths`): a test or fixture that calls a helper made async becomes an
async test or fixture under the plugin the project uses; a test helper becomes async when
all its callers do. Anything pytest calls synchronously (hooks, ``unittest.TestCase``
methods, fixtures of a wider scope than a function) keeps the helper sync, and the reason
names the test.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from asyncmig.models import Environment
from asyncmig.testpaths import SETTING, TestSuite, find_tests

Kind = Literal["test", "fixture", "helper", "hook"]

FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})
# Decorators that wrap a coroutine function as well as a plain one.
ASYNC_SAFE_DECORATORS = (
    "pytest.mark.",
    "unittest.mock.patch",
    "mock.patch",
    "responses.activate",
    "respx.mock",
)


@dataclass(frozen=True)
class Role:
    """What a function of a test file is to pytest, and why it cannot be async ("" if it can)."""

    kind: Kind
    line: int
    reason: str = ""


def roles(source: bytes, suite: TestSuite, path: str) -> dict[str, Role]:
    """Module-relative qualname → its role, for the functions of one test file."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    found: dict[str, Role] = {}
    imports = _imports(tree)
    collects = suite.collects(path)
    blocked = suite.why_not()

    def visit(body: list[ast.stmt], prefix: str, cls: ast.ClassDef | None) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                if cls is None:
                    visit(node.body, f"{node.name}.", node)
                continue
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            qualname = f"{prefix}{node.name}"
            decorators = [_dotted(d.func if isinstance(d, ast.Call) else d, imports) for d in node.decorator_list]
            fixture = next((d for d in node.decorator_list if _dotted(d.func if isinstance(d, ast.Call) else d, imports) in FIXTURE_DECORATORS), None)
            is_test = (
                collects
                and node.name.startswith("test")
                and (cls is None or _is_unittest(cls, imports) or (cls.name.startswith("Test") and not _has_init(cls)))
            )
            if node.name.startswith("pytest_") and cls is None:
                found[qualname] = Role("hook", node.lineno, "it is a pytest hook, which pytest calls synchronously")
                continue
            if fixture is None and not is_test:
                found[qualname] = Role("helper", node.lineno)
                continue
            kind: Kind = "fixture" if fixture is not None else "test"
            reason = ""
            if blocked:
                reason = blocked
            elif cls is not None and _is_unittest(cls, imports):
                reason = "it is a unittest.TestCase method (make the class an IsolatedAsyncioTestCase by hand)"
            elif isinstance(fixture, ast.Call) and _scope(fixture) not in ("", "function"):
                reason = f"it is a fixture of scope {_scope(fixture)!r}; an async one needs an event loop of that scope"
            else:
                other = [d for d in decorators if d not in FIXTURE_DECORATORS and not d.startswith(ASYNC_SAFE_DECORATORS)]
                if other:
                    reason = f"it is decorated with {other[0]}, which may not wrap a coroutine function"
            found[qualname] = Role(kind, node.lineno, reason)

    visit(tree.body, "", None)
    return found


def _imports(tree: ast.Module) -> dict[str, str]:
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, imports: dict[str, str]) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(imports.get(node.id, node.id))
    return ".".join(reversed(parts))


def _is_unittest(cls: ast.ClassDef, imports: dict[str, str]) -> bool:
    return any(_dotted(b, imports).endswith("TestCase") for b in cls.bases)


def _has_init(cls: ast.ClassDef) -> bool:
    return any(isinstance(n, ast.FunctionDef) and n.name == "__init__" for n in cls.body)


def _scope(call: ast.Call) -> str:
    for keyword in call.keywords:
        if keyword.arg == "scope" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
        if keyword.arg == "scope":
            return "dynamic"
    return ""


class TestCallers:
    """The functions of the project's test files as propagation sees them."""

    __test__ = False

    def __init__(self, graph, sources: Mapping[str, bytes], suite: TestSuite | None) -> None:
        self.graph = graph
        self.roles: dict[str, Role] = {}
        self.fallback: Mapping[str, str] = {}
        if suite is None:
            return
        by_path: dict[str, dict[str, Role]] = {}
        for name, function in graph.functions.items():
            if not suite.holds(function.path) or function.path not in sources:
                continue
            if function.path not in by_path:
                by_path[function.path] = roles(sources[function.path], suite, function.path)
            role = by_path[function.path].get(function.info.qualname)
            if role is not None:
                self.roles[name] = role

    def holds(self, name: str) -> bool:
        return name in self.roles

    def candidates(self, relevant: set[str], blocking: set[str]) -> set[str]:
        """Sync test functions that call a helper propagation may make async, and the test
        helpers (up their callers in test files) that lead to them."""
        graph = self.graph
        queue = [
            name
            for name in sorted(self.roles)
            if name in blocking
            and not graph.functions[name].is_async
            and any(e.how == "call" and e.callee in relevant for e in graph.calls_of(name))
        ]
        found: set[str] = set()
        while queue:
            name = queue.pop()
            if name in found:
                continue
            found.add(name)
            queue.extend(e.caller for e in graph.callers_of(name) if e.caller in self.roles and e.caller in blocking)
        return found

    def reason(self, name: str, direct: Mapping[str, str]) -> str:
        """Why the test function ``name`` cannot become async, or ``""``."""
        role = self.roles[name]
        if role.reason:
            return role.reason
        if name in direct:
            return f"it blocks itself ({direct[name]}); a test is not migrated by the phase's codemods"
        if role.kind == "helper" and not self.graph.callers_of(name):
            return "it is neither a test nor a fixture and the project never calls it (a plugin may, synchronously)"
        return ""

    def caller_reason(self, name: str, where: str) -> str:
        return f"called from the test {name} ({where}), which stays sync: {self.fallback[name]}"


def suite_for(root: Path) -> TestSuite | None:
    """The project's tests below ``root`` (None when it has none). ``[migration].exclude``
    does not apply: it keeps the phase's codemods off those files, while the tests still
    follow the code they call (docs/tests.md)."""
    suite = find_tests(root)
    return suite if suite.files else None


def with_tests(specs: list, env: Environment, files: list[str] | None, plan, tests: TestSuite | None):
    """The run's specs, Environment and files once the tests take part: the test files
    propagation rewrites join the run, and tests-to-async runs last (its finalize rewrites
    the mocks once the phase's results are known)."""
    if tests is None:
        return specs, env, files
    from asyncmig import registry
    from asyncmig.engine import CodemodSpec

    env = replace(env, settings=(*env.settings, (SETTING, tests)))
    if not any(spec.cls.NAME == "tests-to-async" for spec in specs):
        cls = registry.get("tests-to-async")
        specs = [*specs, CodemodSpec(cls, cls.parse_options({}))]
    if files is None or plan is None:  # report mode: only the mocks follow the code
        return specs, env, files
    planned = [p for p in tests.files if plan.file(p) is not None and p not in files]
    return specs, env, sorted({*files, *planned})


__all__ = ["Role", "TestCallers", "roles", "suite_for", "with_tests"]
