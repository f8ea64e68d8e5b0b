"""tests-to-async: the project's tests follow the code a phase migrated (docs/tests.md).

What it does
    Runs after the phase's codemods, over the project's tests (:mod:`asyncmig.testpaths`),
    knowing what the phase did to the code they test:

    - a test (fixture) propagation made ``async def`` gets the marker of the plugin the
      project uses: ``@pytest.mark.asyncio`` (none in pytest-asyncio's auto mode or under a
      module ``pytestmark``), ``@pytest.mark.anyio``; a fixture under pytest-asyncio's
      strict mode becomes ``@pytest_asyncio.fixture``;
    - ``mock.patch("pkg.mod.requests.post")`` / ``patch("requests.post")`` /
      ``patch.object(requests, "post")`` over code that now awaits the shared client become
      patches of the client call, ``patch("httpx.AsyncClient.post",
      return_value=MagicMock())``: an ``AsyncMock`` the code awaits, whose result stands for
      the response as the old mock did;
    - ``Mock(spec=requests.Response)`` → ``Mock(spec=httpx.Response)``;
    - the ``responses`` library (``@responses.activate``, ``responses.add(responses.GET,
      url, json=..., status=...)``, ``responses.get(url, ...)``) → respx
      (``@respx.mock``, whose global router, like ``responses``, does not assert every route was called; ``respx.get(url).mock(
      return_value=httpx.Response(200, json=...))``);
    - the ``requests_mock`` fixture → respx's ``respx_mock`` fixture, routes the same way.

Why
    Once the code awaits ``get_client().post(...)`` a patch of ``requests.post`` no longer
    intercepts anything: the test fails, or reaches the network.

Left alone (reported, per test)
    - mocks of a verb the tested code still calls through requests in places (the patch
      must catch both), a patch of the whole ``requests`` module, ``side_effect`` with a
      requests exception, ``responses`` callbacks/matchers/passthrough,
      ``requests_mock.last_request`` / ``request_history`` and other attributes respx
      spells differently;
    - ``mock_open`` in a test when the phase moved file I/O to anyio: the assertions on
      ``open(path, "w")`` describe the old implementation (docs/tests.md).

Fix safety
    The client patch replaces the method on ``httpx.AsyncClient`` for the test's duration,
    as the old patch replaced ``requests.post``: every client is intercepted. respx routes
    match on the method and URL; unmatched requests raise, so no test reaches the network.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import libcst as cst
import libcst.matchers as m
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from asyncmig.codemod import AsyncCodemod
from asyncmig.models import Environment, FileResult, Skip
from asyncmig.testpaths import SETTING as TESTS, TestSuite

NAME = "tests-to-async"
FACTS = "asyncmig.tests.facts"
LIBRARY = "asyncmig.tests.library"  # golden cases: the library the migrated code uses
NO_RESPX = "the code now uses httpx2, which respx does not mock: rewrite this test's {what} by hand (e.g. patch the client call)"
VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
INSTALL = "the rewritten tests use respx: add it to the project's test dependencies (pip install respx)"
_RESPONSES_KEYS = {"json": "json", "body": "content", "status": "status", "headers": "headers"}
_REQUESTS_MOCK_KEYS = {"json": "json", "text": "text", "content": "content", "status_code": "status", "headers": "headers"}


def client_call(verb: str, env: Environment) -> tuple[str, str]:
    """(module, dotted target) a patch of the shared client's ``verb`` call names.

    The one place that knows how migrated code spells the client call: the client
    module's library (``httpx2`` or ``httpx``, as requests-to-httpx picks it) and its
    ``AsyncClient``.
    """
    library = http_library(env)
    return library, f"{library}.AsyncClient.{verb}"


def http_library(env: Environment) -> str:
    """The HTTP library the migrated code uses (a golden case names it)."""
    given = env.setting(LIBRARY)
    if isinstance(given, str):
        return given
    from asyncmig.codemods.requests_to_httpx import clients_of, library_of

    return library_of(clients_of(env), Path(str(env.setting("root") or ".")))


@dataclass(frozen=True)
class Facts:
    """What the phase did, as the test rewrite needs it (one per run, picklable)."""

    migrated: tuple[tuple[str, tuple[str, ...]], ...] = ()  # module → verbs no longer via requests
    left: tuple[tuple[str, tuple[str, ...]], ...] = ()  # module → verbs still via requests
    file_io: bool = False  # the phase moved file I/O to anyio somewhere
    made_async: tuple[tuple[str, str], ...] = ()  # (path, qualname) propagation made async

    def verdict(self, verb: str, modules: tuple[str, ...]) -> str:
        """``rewrite``, ``mixed`` (reported), or ``""`` (left: the code still uses requests)."""
        migrated = {m for m, verbs in self.migrated if verb in verbs or verb == "*"}
        left = {m for m, verbs in self.left if verb in verbs}
        if modules:
            named = set(modules)
            hit = {m for m in migrated if any(m == n or m.startswith(f"{n}.") or n.startswith(f"{m}.") for n in named)}
            still = {m for m in left if any(m == n or m.startswith(f"{n}.") or n.startswith(f"{m}.") for n in named)}
            if hit and still:
                return "mixed"
            return "rewrite" if hit else ""
        if migrated and left:
            return "mixed"
        return "rewrite" if migrated else ""


def _requests_verbs(source: bytes) -> set[str] | None:
    """The verbs a module calls through requests (``*`` for a session), None if unparsable."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    aliases, verbs = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name == "requests"}
        elif isinstance(node, ast.ImportFrom) and node.module == "requests":
            verbs |= {a.name for a in node.names if a.name in VERBS}
            if any(a.name in ("Session", "session") for a in node.names):
                verbs.add("*")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            if node.attr in VERBS:
                verbs.add(node.attr)
            elif node.attr in ("Session", "session"):
                verbs.add("*")
    return verbs


def facts_of(results: tuple[FileResult, ...], env: Environment, module_of: Mapping[str, str]) -> Facts:
    migrated, left = [], []
    file_io = False
    for result in results:
        if result.status != "changed" or result.old is None or result.new is None:
            continue
        codemods = {c.codemod for c in result.changes}
        file_io = file_io or "open-to-anyio" in codemods
        if "requests-to-httpx" not in codemods:
            continue
        before, after = _requests_verbs(result.old), _requests_verbs(result.new)
        if before is None or after is None:
            continue
        module = module_of.get(result.path, result.path[:-3].replace("/", "."))
        gone = before - after
        if gone or before:
            migrated.append((module, tuple(sorted(gone or {"*"}))))
        if after:
            left.append((module, tuple(sorted(after))))
    plan = env.setting("async-propagation")
    made = []
    for file in getattr(plan, "files", ()):
        made.extend((file.path, qualname) for qualname, _why in file.make_async)
    return Facts(tuple(migrated), tuple(left), file_io, tuple(sorted(made)))


class TestsToAsync(AsyncCodemod):
    """The project's tests follow the code (see the module docstring)."""

    __test__ = False
    NAME = NAME
    DESCRIPTION = "The project's tests follow the migrated code: async tests, client patches, respx."

    @classmethod
    def could_change(cls, source: bytes, path: str, env: Environment) -> bool:
        facts = env.setting(FACTS)
        if not isinstance(facts, Facts):
            return False  # the engine runs it from finalize, once the phase's results are known
        return any(p == path for p, _ in facts.made_async) or any(
            word in source for word in (b"requests", b"responses", b"mock_open")
        )

    @classmethod
    def golden_env(cls, table: Mapping[str, Any], path: str) -> Environment:
        suite = TestSuite((path,), table.get("plugin", "asyncio"), bool(table.get("auto", False)))
        facts = Facts(
            migrated=tuple((m, tuple(v)) for m, v in table.get("migrated", {}).items()),
            left=tuple((m, tuple(v)) for m, v in table.get("left", {}).items()),
            file_io=bool(table.get("file_io", False)),
            made_async=tuple((path, q) for q in table.get("made_async", ())),
        )
        library = str(table.get("library", "httpx"))
        return Environment(settings=((TESTS, suite), (FACTS, facts), (LIBRARY, library)))

    @classmethod
    def finalize(cls, options: Any, env: Environment, root: Path, results: tuple[FileResult, ...]) -> list[FileResult]:
        suite = env.setting(TESTS)
        if not isinstance(suite, TestSuite) or not suite.files:
            return []
        from asyncmig.engine import CodemodSpec, transform_source
        from asyncmig.importroots import names_of_sources

        by_path = {r.path: r for r in results}
        sources = {}
        for path in suite.files:
            prior = by_path.get(path)
            if prior is not None and prior.status == "changed" and prior.new is not None:
                sources[path] = prior.new
            else:
                try:
                    sources[path] = (root / path).read_bytes()
                except OSError:
                    continue
        changed = {r.path: r.new or b"" for r in results if r.status == "changed"}
        names = names_of_sources({**changed, **sources})
        module_of = {p: names[p][0] for p in changed}
        facts = facts_of(results, env, module_of)
        own = replace(env, settings=(*env.settings, (FACTS, facts)))
        spec = CodemodSpec(cls, options)
        out = []
        told = False
        for path, source in sorted(sources.items()):
            if not cls.could_change(source, path, own):
                continue
            result = transform_source(source, path, [spec], own)
            if result.status != "changed" and not result.skips:
                continue
            prior = by_path.get(path)
            skips = list(result.skips)
            if not told and result.status == "changed" and b"respx" in (result.new or b"") and b"respx" not in source:
                skips.append(Skip(1, 1, NAME, INSTALL))
                told = True
            if prior is not None:
                result = FileResult(
                    path,
                    "changed" if result.status == "changed" or prior.status == "changed" else prior.status,
                    prior.changes + result.changes,
                    prior.skips + tuple(skips),
                    old=prior.old if prior.old is not None else source,
                    new=result.new if result.status == "changed" else prior.new,
                )
            else:
                result = replace(result, skips=tuple(skips))
            out.append(result)
        return out

    # -- the per-file rewrite ---------------------------------------------------------
    def __init__(self, context: Any, options: Any = None, env: Environment | None = None, **kw: Any) -> None:
        super().__init__(context, options, env, **kw)
        suite = self.env.setting(TESTS)
        facts = self.env.setting(FACTS)
        self.suite = suite if isinstance(suite, TestSuite) else TestSuite()
        self.facts = facts if isinstance(facts, Facts) else Facts()
        path = context.filename or ""
        self.made = {q for p, q in self.facts.made_async if p == path}
        self.names: list[str] = []
        self.module_marker = False
        self.imports: tuple[str, ...] = ()
        self.responses_left: list[bool] = []  # per enclosing function: its responses stay
        self.respx = http_library(self.env) == "httpx"  # respx mocks httpx only

    def visit_Module(self, node: cst.Module) -> None:
        code = node.code
        self.module_marker = any(
            line.startswith("pytestmark") and ("asyncio" in line or "anyio" in line) for line in code.splitlines()
        )
        try:
            tree = ast.parse(code)
        except SyntaxError:
            tree = ast.Module(body=[], type_ignores=[])
        found = []
        for stmt in tree.body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
                found.append(stmt.module)
                found.extend(f"{stmt.module}.{a.name}" for a in stmt.names)
            elif isinstance(stmt, ast.Import):
                found.extend(a.name for a in stmt.names)
        self.imports = tuple(found)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.names.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.names.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.names.append(node.name.value)
        self.responses_left.append(self.unmapped_responses(node))

    def unmapped_responses(self, node: cst.FunctionDef) -> bool:
        """Reports each use of ``responses`` in ``node`` respx has no spelling for here; True
        when there is one (the function's responses are then left as a whole)."""
        found = False
        for call in m.findall(node.body, m.Call()):
            names = {n.rpartition(".")[2] for n in self.qualified(call.func) if n.startswith("responses.")}
            if not names or not isinstance(call.func, cst.Attribute):
                continue
            reason = ""
            if names & {"add", *VERBS}:
                args = list(call.args)
                if "add" in names:
                    method = _responses_method(args[0].value) if args and not args[0].keyword else None
                    args = args[1:]
                    if method is None:
                        reason = "responses.add without a literal method has no respx rewrite here"
                if not reason:
                    mapped = _response_args(args, _RESPONSES_KEYS, "url")
                    if isinstance(mapped, str):
                        reason = f"responses.{min(names)} with {mapped} has no respx rewrite here"
            else:
                reason = f"responses.{min(names)} has no respx rewrite here"
            if not self.respx:
                if self._mock_verbs_migrated(None):
                    self.skip(call, NO_RESPX.format(what="responses"))
                return True
            if reason:
                found = True
                self.skip(call, f"{reason}; the test keeps responses, rewrite it by hand")
        return found

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        qualname = ".".join(self.names)
        self.names.pop()
        self.responses_left.pop()
        if original_node.asynchronous is None or qualname not in self.made:
            return self.leave_test_mocks(original_node, updated_node)
        updated_node = self.leave_test_mocks(original_node, updated_node)
        decorators = list(updated_node.decorators)
        fixture = next(
            (i for i, d in enumerate(original_node.decorators) if self._dotted(d.decorator) == "pytest.fixture"), None
        )
        if fixture is not None:
            if self.suite.plugin == "asyncio" and not self.suite.auto:
                AddImportsVisitor.add_needed_import(self.context, "pytest_asyncio")
                old = decorators[fixture]
                target = old.decorator
                new = cst.Attribute(cst.Name("pytest_asyncio"), cst.Name("fixture"))
                decorators[fixture] = old.with_changes(
                    decorator=target.with_changes(func=new) if isinstance(target, cst.Call) else new
                )
                self.change(original_node.name, f"@pytest.fixture → @pytest_asyncio.fixture on {qualname}", "the fixture is now async (strict mode)")
            return updated_node.with_changes(decorators=decorators)
        marker = self.suite.marker
        if not marker or self.module_marker:
            return updated_node
        if any(self._dotted(d.decorator) == f"pytest.mark.{marker}" for d in original_node.decorators):
            return updated_node
        AddImportsVisitor.add_needed_import(self.context, "pytest")
        decorators.append(cst.Decorator(cst.parse_expression(f"pytest.mark.{marker}")))
        self.change(original_node.name, f"@pytest.mark.{marker} on {qualname}", f"{qualname} is now async")
        return updated_node.with_changes(decorators=decorators)

    def _dotted(self, node: cst.BaseExpression) -> str:
        target = node.func if isinstance(node, cst.Call) else node
        names = self.qualified(target)
        return min(names) if names else ""

    # -- mocks ------------------------------------------------------------------------
    def leave_test_mocks(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        params = [p for p in updated.params.params if p.name.value == "requests_mock"]
        if not params or self.facts.verdict("*", self.imports) == "" and not self._mock_verbs_migrated(updated):
            return updated
        if not self.respx:
            self.skip(original.name, NO_RESPX.format(what="requests_mock"))
            return updated
        unmapped = _RequestsMockCheck()
        updated.body.visit(unmapped)
        if unmapped.reason:
            self.skip(original.name, f"{'.'.join([*self.names, original.name.value])}: requests_mock {unmapped.reason} has no respx rewrite here; rewrite the test by hand")
            return updated
        body = updated.body.visit(_RequestsMockToRespx(self))
        new_params = [p.with_changes(name=cst.Name("respx_mock")) if p.name.value == "requests_mock" else p for p in updated.params.params]
        AddImportsVisitor.add_needed_import(self.context, "pytest")
        decorators = [*updated.decorators, cst.Decorator(cst.parse_expression("pytest.mark.respx(assert_all_called=False)"))]
        self.change(original.name, "requests_mock fixture → respx_mock", "the code now calls the shared httpx client")
        return updated.with_changes(params=updated.params.with_changes(params=new_params), body=body, decorators=decorators)

    def _mock_verbs_migrated(self, node: cst.FunctionDef) -> bool:
        return any(self.facts.verdict(v, self.imports) == "rewrite" for v in VERBS)

    def leave_Decorator(self, original_node: cst.Decorator, updated_node: cst.Decorator) -> cst.Decorator:
        target = updated_node.decorator
        if "responses.activate" not in self.qualified(original_node.decorator):
            return updated_node
        if self.responses_left and self.responses_left[-1]:
            return updated_node
        if self.facts.verdict("*", self.imports) == "" and not any(
            self.facts.verdict(v, self.imports) == "rewrite" for v in VERBS
        ):
            return updated_node
        respx = self.module_ref(original_node, "respx")
        if respx is None:
            return updated_node
        self.remove_unused_import_by_node(target)
        self.change(original_node, "@responses.activate → @respx.mock", "the code now calls the shared httpx client")
        return updated_node.with_changes(decorator=cst.parse_expression(f"{respx}.mock"))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        names = self.qualified(original_node.func) | _mocker(original_node.func)
        if names & {"unittest.mock.patch", "mock.patch"}:
            return self.leave_patch(original_node, updated_node, obj=False)
        if names & {"unittest.mock.patch.object", "mock.patch.object"}:
            return self.leave_patch(original_node, updated_node, obj=True)
        if names & {"unittest.mock.Mock", "unittest.mock.MagicMock", "unittest.mock.create_autospec"}:
            return self.leave_spec(original_node, updated_node)
        if names & {"unittest.mock.mock_open"} and self.facts.file_io:
            self.skip(original_node, "mock_open stands for open(), which the migrated code no longer calls (anyio); its assertions describe the old implementation: rewrite the test by hand (e.g. with tmp_path)")
            return updated_node
        responses = {n.rpartition(".")[2] for n in names if n.startswith("responses.")}
        if responses & {"add", *VERBS}:
            return self.leave_responses(original_node, updated_node, responses)
        return updated_node

    def leave_patch(self, original: cst.Call, updated: cst.Call, obj: bool) -> cst.BaseExpression:
        args = list(updated.args)
        if obj:
            if len(args) < 2 or "requests" not in self.qualified(original.args[0].value):
                return updated
            verb = _string(args[1].value)
            module = ()
        else:
            target = _string(args[0].value) if args else None
            if target is None:
                return updated
            head, _, verb = target.rpartition(".")
            if head == "requests" or head.endswith(".requests"):
                module = (head[: -len(".requests")],) if head != "requests" else ()
            elif target.endswith(".requests") or target == "requests":
                self.skip(original, f"patch({target!r}) replaces the whole requests module; the code now calls the shared client: patch its calls instead")
                return updated
            else:
                return updated
        if verb not in VERBS:
            return updated
        verdict = self.facts.verdict(verb, module)
        if verdict == "mixed":
            self.skip(original, f"the code under test calls requests.{verb} in places and the shared client in others: one patch cannot stand for both")
            return updated
        if verdict != "rewrite":
            return updated
        if any(a.keyword and a.keyword.value == "side_effect" and "requests" in cst.Module([]).code_for_node(a.value) for a in args):
            self.skip(original, f"side_effect raises a requests exception; the migrated code catches httpx's: rewrite it by hand")
            return updated
        library, dotted = client_call(verb, self.env)
        AddImportsVisitor.add_needed_import(self.context, library) if obj else None
        rest = args[2:] if obj else args[1:]
        if obj:
            self.remove_unused_import_by_node(original.args[0].value)
            first = [args[0].with_changes(value=cst.parse_expression(dotted.rpartition(".")[0])), args[1]]
        else:
            quote = args[0].value.quote if isinstance(args[0].value, cst.SimpleString) else '"'
            first = [args[0].with_changes(value=cst.SimpleString(f"{quote}{dotted}{quote}"))]
        if not any(a.keyword and a.keyword.value in ("new", "return_value", "side_effect", "new_callable") for a in rest):
            mock = self.mock_spelling(original)
            if first[-1].comma is cst.MaybeSentinel.DEFAULT and not rest:
                first[-1] = first[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            rest = [
                *rest,
                cst.Arg(
                    keyword=cst.Name("return_value"),
                    value=cst.parse_expression(f"{mock}()"),
                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
                ),
            ]
            if len(rest) > 1 and rest[-2].comma is cst.MaybeSentinel.DEFAULT:
                rest[-2] = rest[-2].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        self.change(original, f"patch of requests.{verb} → patch of {dotted}", "the code now awaits the shared client's call (an AsyncMock)")
        return updated.with_changes(args=[*first, *rest])

    def mock_spelling(self, patch: cst.Call) -> str:
        """How this file names ``unittest.mock.MagicMock``: through the module the patch is
        spelled with (``mock.patch`` → ``mock.MagicMock``), else imported by name."""
        func = patch.func
        while isinstance(func, cst.Attribute) and func.attr.value in ("patch", "object"):
            func = func.value
        if func is not patch.func and isinstance(func, (cst.Name, cst.Attribute)):
            base = cst.Module([]).code_for_node(func)
            if self.qualified(func) & {"unittest.mock", "mock"} or _mocker(patch.func):
                return f"{base}.MagicMock"
        AddImportsVisitor.add_needed_import(self.context, "unittest.mock", "MagicMock")
        return "MagicMock"

    def leave_spec(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        args = list(updated.args)
        for i, arg in enumerate(original.args):
            if arg.keyword and arg.keyword.value in ("spec", "spec_set") or (i == 0 and not arg.keyword and "create_autospec" in str(self.qualified(original.func))):
                if "requests.Response" in self.qualified(arg.value) or "requests.models.Response" in self.qualified(arg.value):
                    if self.facts.verdict("*", self.imports) == "" and not self._mock_verbs_migrated(None):
                        return updated
                    httpx = self.module_ref(original, "httpx")
                    if httpx is None:
                        return updated
                    self.remove_unused_import_by_node(arg.value)
                    args[i] = args[i].with_changes(value=cst.parse_expression(f"{httpx}.Response"))
                    self.change(original, "a Mock of requests.Response → of httpx.Response", "the code now gets httpx responses")
        return updated.with_changes(args=args)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if original_node.attr.value != "calls" or "responses.calls" not in self.qualified(original_node):
            return updated_node
        if self.responses_left and self.responses_left[-1] or not self._mock_verbs_migrated(None):
            return updated_node
        respx = self.module_ref(original_node, "respx")
        if respx is None:
            return updated_node
        self.remove_unused_import_by_node(original_node)
        return cst.parse_expression(f"{respx}.calls")

    def leave_responses(self, original: cst.Call, updated: cst.Call, names: set[str]) -> cst.BaseExpression:
        if not isinstance(original.func, cst.Attribute) or (self.responses_left and self.responses_left[-1]):
            return updated
        if self.facts.verdict("*", self.imports) == "" and not self._mock_verbs_migrated(None):
            return updated
        args = list(original.args)
        if "add" in names:
            if not args or args[0].keyword:
                return updated
            method = _responses_method(args[0].value)
            args = args[1:]
        else:
            method = original.func.attr.value.upper()
        mapped = _response_args(args, _RESPONSES_KEYS, "url")
        if method is None or isinstance(mapped, str):
            return updated  # reported by unmapped_responses
        respx = self.module_ref(original, "respx")
        httpx = self.module_ref(original, "httpx")
        if respx is None or httpx is None:
            return updated
        self.remove_unused_import_by_node(original.func)
        self.change(original, f"responses.{'add' if 'add' in names else method.lower()}(...) → respx.{method.lower()}(...).mock(...)", "the code now calls the shared httpx client")
        return _respx_route(respx, httpx, method, *mapped)


class _RequestsMockCheck(cst.CSTVisitor):
    """Finds a use of the ``requests_mock`` fixture respx spells differently."""

    MAPPED = frozenset({*VERBS, "called", "call_count"})

    def __init__(self) -> None:
        self.reason = ""

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == "requests_mock" and node.attr.value not in self.MAPPED:
            self.reason = self.reason or f".{node.attr.value}"

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "requests_mock":
            mapped = _response_args(list(node.args), _REQUESTS_MOCK_KEYS, "url")
            if isinstance(mapped, str):
                self.reason = self.reason or f".{func.attr.value}(..., {mapped})"


class _RequestsMockToRespx(cst.CSTTransformer):
    def __init__(self, owner: TestsToAsync) -> None:
        self.owner = owner

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if isinstance(updated_node.value, cst.Name) and updated_node.value.value == "requests_mock":
            if updated_node.attr.value in ("called", "call_count"):
                return cst.parse_expression(f"respx_mock.calls.{updated_node.attr.value}")
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "requests_mock":
            mapped = _response_args(list(original_node.args), _REQUESTS_MOCK_KEYS, "url")
            if isinstance(mapped, str):
                return updated_node
            httpx = "httpx"
            AddImportsVisitor.add_needed_import(self.owner.context, "httpx")
            return _respx_route("respx_mock", httpx, func.attr.value.upper(), *mapped)
        return updated_node


def _mocker(func: cst.BaseExpression) -> set[str]:
    """pytest-mock's ``mocker.patch`` / ``mocker.patch.object``, as the mock names they wrap."""
    names = []
    while isinstance(func, cst.Attribute):
        names.append(func.attr.value)
        func = func.value
    if isinstance(func, cst.Name) and func.value == "mocker" and names[-1:] == ["patch"]:
        return {".".join(["unittest.mock", *reversed(names)])}
    return set()


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _responses_method(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Attribute) and node.attr.value.upper() in {v.upper() for v in VERBS}:
        return node.attr.value.upper()
    value = _string(node)
    return value.upper() if value and value.lower() in VERBS else None


def _response_args(args: list[cst.Arg], keys: Mapping[str, str], url_key: str):
    """(url, status, [(httpx keyword, value)]) of a mock's arguments, or the first argument
    that has no httpx.Response spelling."""
    url = None
    status: cst.BaseExpression | None = None
    kept: list[tuple[str, cst.BaseExpression]] = []
    for i, arg in enumerate(args):
        key = arg.keyword.value if arg.keyword else None
        if arg.star:
            return "**kwargs"
        if key is None:
            if i == 0:
                url = arg.value
                continue
            return "a positional argument"
        if key == url_key:
            url = arg.value
        elif key not in keys:
            return f"{key}="
        elif keys[key] == "status":
            status = arg.value
        else:
            name = keys[key]
            if name == "content" and isinstance(arg.value, cst.SimpleString) and not arg.value.prefix.lower().startswith("b"):
                name = "text"
            kept.append((name, arg.value))
    if url is None:
        return "no URL"
    return url, status, kept


def _respx_route(
    respx: str,
    httpx: str,
    method: str,
    url: cst.BaseExpression,
    status: cst.BaseExpression | None,
    kept: list[tuple[str, cst.BaseExpression]],
) -> cst.BaseExpression:
    eq = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    response_args = [cst.Arg(status or cst.Integer("200"))]
    response_args += [cst.Arg(keyword=cst.Name(k), value=v, equal=eq) for k, v in kept]
    response_args = [a.with_changes(comma=comma) for a in response_args[:-1]] + response_args[-1:]
    response = cst.Call(cst.parse_expression(f"{httpx}.Response"), response_args)
    route = cst.Call(cst.parse_expression(f"{respx}.{method.lower()}"), [cst.Arg(url)])
    return cst.Call(
        cst.Attribute(route, cst.Name("mock")),
        [cst.Arg(keyword=cst.Name("return_value"), value=response, equal=eq)],
    )


__all__ = ["FACTS", "Facts", "TestsToAsync", "client_call", "facts_of"]
