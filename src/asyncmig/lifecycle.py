"""The shared clients are closed when the app stops: the phase that generates the client
module wires it into the project's FastAPI / Starlette / aiohttp app (DESIGN §9).

Per app construction found (``FastAPI(...)``, ``Starlette(...)``, ``aiohttp.web.Application(...)``,
matched by qualified name), in the app's own style:

- ``lifespan=`` already given: composed. A small ``asynccontextmanager`` next to the app
  enters ``clients_lifespan`` around the existing lifespan (whose state it passes on), so
  the app's own shutdown runs first and the clients close after it.
- The app uses startup/shutdown events (``on_startup=``/``on_shutdown=``,
  ``@app.on_event(...)``, ``app.add_event_handler(...)``): giving it a ``lifespan`` would
  switch those handlers off, so ``aclose_clients`` joins them: appended to an
  ``on_shutdown=[...]`` list, else ``app.add_event_handler("shutdown", aclose_clients)``
  after the assignment.
- Otherwise ``lifespan=clients_lifespan``.
- aiohttp: ``app.on_cleanup.append(...)`` after the assignment.

When no app is found (or its construction has a shape this cannot wire safely), the
client module's result carries a skip saying where ``await aclose_clients()`` must go: it
is in the summary, the commit message and the PR body.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import QualifiedNameProvider

from asyncmig.codemod import AsyncCodemod, import_style
from asyncmig.models import Environment, FileResult, RunResult, Skip

NAME = "client-lifecycle"
APPS = {
    "fastapi.FastAPI": "starlette",
    "fastapi.applications.FastAPI": "starlette",
    "starlette.applications.Starlette": "starlette",
    "aiohttp.web.Application": "aiohttp",
    "aiohttp.web_app.Application": "aiohttp",
}
PREFILTER = (b"FastAPI", b"Starlette", b"Application")
COMPOSED = "lifespan_with_clients"
MODULE_SETTING = "client_module"  # the generated module's path, relative to the root


class WireClients(AsyncCodemod):
    """Close the shared HTTP clients when the app stops (see the module docstring)."""

    NAME: ClassVar[str] = NAME
    DESCRIPTION: ClassVar[str] = "wires the shared-client module's lifespan into the app"
    PREFILTER: ClassVar[tuple[str, ...]] = tuple(p.decode() for p in PREFILTER)

    @classmethod
    def could_change(cls, source: bytes, path: str, env: Environment) -> bool:
        return any(word in source for word in PREFILTER)

    def __init__(self, context, options=None, env=None, **kwargs: Any) -> None:
        super().__init__(context, options, env, **kwargs)
        self._events: set[str] = set()  # app variable names with startup/shutdown events
        self._after: dict[int, list[cst.BaseStatement]] = {}  # statement id → lines to add
        self._depth = 0  # enclosing defs and classes: a nested helper gets one blank line, not two

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self._depth -= 1
        return updated

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._depth += 1

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self._depth -= 1
        return updated

    def _spacer(self) -> list[cst.EmptyLine]:
        """Blank lines around a new function, as ruff format puts them (no trailing spaces)."""
        return [cst.EmptyLine(indent=False)] * (1 if self._depth else 2)

    # -- what the module already does with events ------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._module = node
        finder = _EventUses()
        node.visit(finder)
        self._events = finder.names
        self._wired = finder.wired

    def visit_Call(self, node: cst.Call) -> None:
        if self._wired:
            return
        kind = next((APPS[n] for n in self.qualified(node.func) if n in APPS), None)
        if kind is None:
            return
        self._apps = getattr(self, "_apps", [])
        self._apps.append((node, kind))

    # -- the rewrite -------------------------------------------------------------------------
    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        if len(original.body) != 1 or not isinstance(original.body[0], (cst.Assign, cst.AnnAssign)):
            return updated
        statement = original.body[0]
        value = statement.value
        apps = {id(n): kind for n, kind in getattr(self, "_apps", [])}
        if not isinstance(value, cst.Call) or id(value) not in apps:
            return updated
        target = statement.targets[0].target if isinstance(statement, cst.Assign) else statement.target
        if not isinstance(target, cst.Name) or (isinstance(statement, cst.Assign) and len(statement.targets) != 1):
            self.skip(value, _by_hand("the app is not assigned to a plain name"))
            return updated
        kind, app = apps[id(value)], target.value
        new_value, extra = self._wire(value, kind, app)
        if new_value is None and extra is None:
            return updated
        if new_value is not None:
            body = updated.body[0].with_changes(value=new_value)
            updated = updated.with_changes(body=[body])
        if extra:
            if extra.get("before"):  # a function before it: blank lines as ruff format puts them
                updated = updated.with_changes(leading_lines=self._spacer())
            return cst.FlattenSentinel([*extra.get("before", ()), updated, *extra.get("after", ())])
        return updated

    def _wire(self, call: cst.Call, kind: str, app: str):
        if kind == "aiohttp":
            self._import("aclose_clients")
            self.change(call, "the app closes the shared HTTP clients: app.on_cleanup.append(...)")
            line = cst.parse_statement(f"{app}.on_cleanup.append(lambda _app: aclose_clients())\n")
            return None, {"after": [line]}
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        if any(a.star for a in call.args):
            self.skip(call, _by_hand("the app is built with **kwargs"))
            return None, None
        if "lifespan" in keywords:
            existing = keywords["lifespan"].value
            if not isinstance(existing, (cst.Name, cst.Attribute)):
                self.skip(call, _by_hand("its lifespan= is an expression, not a name"))
                return None, None
            if isinstance(existing, cst.Name) and existing.value in ("clients_lifespan", COMPOSED):
                return None, None  # wired already
            spelled = self._module.code_for_node(existing)
            self._import("clients_lifespan")
            AddImportsVisitor.add_needed_import(self.context, "contextlib", "asynccontextmanager")
            helper = cst.parse_module(
                "@asynccontextmanager\n"
                f"async def {COMPOSED}(app):\n"
                f'    """{spelled}, inside the shared HTTP clients\' lifespan (they close after it)."""\n'
                f"    async with clients_lifespan(app), {spelled}(app) as state:\n"
                "        yield state\n"
            ).body
            args = [a.with_changes(value=cst.Name(COMPOSED)) if a is keywords["lifespan"] else a for a in call.args]
            self.change(call, f"lifespan={spelled} → {COMPOSED}: the shared HTTP clients close after it")
            first = helper[0].with_changes(leading_lines=self._spacer())
            return call.with_changes(args=args), {"before": [first]}
        on_shutdown = keywords.get("on_shutdown")
        if on_shutdown is not None:
            if not isinstance(on_shutdown.value, cst.List):
                self.skip(call, _by_hand("its on_shutdown= is not a list literal"))
                return None, None
            self._import("aclose_clients")
            elements = list(on_shutdown.value.elements)
            if elements and elements[-1].comma is cst.MaybeSentinel.DEFAULT:
                elements[-1] = elements[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            elements.append(cst.Element(cst.Name("aclose_clients")))
            args = [
                a.with_changes(value=a.value.with_changes(elements=elements)) if a is on_shutdown else a
                for a in call.args
            ]
            self.change(call, "on_shutdown=[..., aclose_clients]: the shared HTTP clients close with the app")
            return call.with_changes(args=args), None
        if "on_startup" in keywords or app in self._events:
            self._import("aclose_clients")
            self.change(call, f'{app}.add_event_handler("shutdown", aclose_clients) (the app uses events)')
            line = cst.parse_statement(f'{app}.add_event_handler("shutdown", aclose_clients)\n')
            return None, {"after": [line]}
        self._import("clients_lifespan")
        self.change(call, "lifespan=clients_lifespan: the shared HTTP clients close when the app stops")
        args = list(call.args)
        new = cst.Arg(
            cst.Name("clients_lifespan"),
            keyword=cst.Name("lifespan"),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        if args:
            last = args[-1]
            if isinstance(last.comma, cst.Comma):  # a trailing comma: one argument a line
                between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else last.comma
                args = [*args[:-1], last.with_changes(comma=between), new.with_changes(comma=last.comma)]
            else:
                args = [*args[:-1], last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))), new]
        else:
            args = [new]
        return call.with_changes(args=args), None

    def _import(self, name: str) -> None:
        module, level = self.env.setting("lifecycle_import", {}).get(self.context.filename or "", (None, 0))  # type: ignore[union-attr]
        if module is not None:
            self.import_project_module(module, name, level)


class _EventUses(cst.CSTVisitor):
    """Names ``x`` with ``@x.on_event(...)`` or ``x.add_event_handler(...)`` in the module,
    and whether it already closes the clients (a name of the client module is used)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.wired = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in ("on_event", "add_event_handler") and isinstance(node.value, cst.Name):
            self.names.add(node.value.value)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in ("aclose_clients", "clients_lifespan", COMPOSED):
            self.wired = True


def _by_hand(why: str) -> str:
    return f"{why}: close the shared HTTP clients by hand (await aclose_clients() when it stops)"


def wire(root: Path, result: RunResult, files: Sequence[str], env: Environment) -> RunResult:
    """``result`` with the app(s) among ``files`` wired to the client module it generates.

    Only when ``result`` creates the client module (a new file); the app files' bytes are
    taken from ``result`` when the phase rewrote them too.
    """
    from asyncmig.codemods.requests_to_httpx import import_target, is_package
    from asyncmig.engine import CodemodSpec, transform_source

    generated = [f for f in result.files if f.status == "changed" and f.old is None and _is_client_module(f)]
    if not generated:
        return result
    module = generated[0].path
    by_path = {f.path: f for f in result.files}
    sources: dict[str, bytes] = {}
    for rel in files:
        current = by_path.get(rel)
        if current is not None and current.status == "changed" and current.new is not None:
            sources[rel] = current.new
            continue
        try:
            sources[rel] = (root / rel).read_bytes()
        except OSError:
            continue
    def packaged(directory: str) -> bool:
        return is_package(env, directory, root)

    # Only the service the module belongs to: an app in another top-level package (a
    # separate telemetry server, a tool) must not start importing this one.
    home = _home(PurePosixPath(module).parent, packaged)
    candidates = {
        rel: src
        for rel, src in sources.items()
        if any(w in src for w in PREFILTER) and _home(PurePosixPath(rel).parent, packaged) == home
    }
    if not candidates:
        return _note_no_app(result, module)

    targets = {}
    for rel, source in candidates.items():
        style = _style_of(source, rel, packaged) or env.setting("import_style")
        target = import_target(rel, module, packaged, style=style)
        if target is not None:
            targets[rel] = target
    env = dataclasses.replace(env, settings=(*env.settings, ("lifecycle_import", targets), ("root", str(root))))
    spec = CodemodSpec(WireClients, WireClients.parse_options({}))
    files_out = list(result.files)
    wired = False
    for rel, source in sorted(candidates.items()):
        if rel not in targets:
            continue
        outcome = transform_source(source, rel, [spec], env)
        wired = wired or outcome.status == "changed"
        if outcome.status == "changed" or outcome.skips:
            files_out = [f for f in files_out if f.path != rel]
            files_out.append(_merged(by_path.get(rel), rel, source, outcome))
    out = dataclasses.replace(result, files=tuple(sorted(files_out, key=lambda f: f.path)))
    return out if wired else _note_no_app(out, module)


def _home(folder: PurePosixPath, packaged) -> PurePosixPath:
    """The top-level package holding ``folder``, else ``folder`` itself (where a module
    outside packages runs from)."""
    top = None
    while str(folder) not in ("", ".") and packaged(str(folder)):
        top, folder = folder, folder.parent
    return top if top is not None else folder


def _style_of(source: bytes, rel: str, packaged) -> str | None:
    try:
        module = cst.parse_module(source)
    except Exception:
        return None
    folder, top = PurePosixPath(rel).parent, None
    while str(folder) not in ("", ".") and packaged(str(folder)):
        top, folder = folder, folder.parent
    return import_style(module, top.name if top is not None else None)


def _merged(current: FileResult | None, rel: str, source: bytes, outcome: FileResult) -> FileResult:
    """The phase's result for ``rel`` (or none) with the wiring's changes and skips added."""
    base = current or FileResult(rel, "unchanged")
    skips = tuple(sorted((*base.skips, *outcome.skips)))
    if outcome.status != "changed":
        return dataclasses.replace(base, skips=skips)
    old = base.old if base.status == "changed" else source
    changes = tuple(sorted((*base.changes, *outcome.changes)))
    return FileResult(rel, "changed", changes, skips, old=old, new=outcome.new)


def _is_client_module(f: FileResult) -> bool:
    from asyncmig.codemods.requests_to_httpx import GENERATED_HEADER

    return f.new is not None and f.new.startswith(GENERATED_HEADER.encode())


def _note_no_app(result: RunResult, module: str) -> RunResult:
    stem = PurePosixPath(module).stem
    note = Skip(
        1, 1, NAME,
        "no FastAPI, Starlette or aiohttp app found to close the shared HTTP clients: call "
        f"`await aclose_clients()` (from {stem}) when the service stops, or run it inside "
        "`async with clients_lifespan(): ...`",
    )
    files = tuple(
        dataclasses.replace(f, skips=(*f.skips, note)) if f.path == module else f for f in result.files
    )
    return dataclasses.replace(result, files=files)


__all__ = ["APPS", "NAME", "WireClients", "wire"]
