"""The base every asyncmig codemod derives from.

A codemod is a LibCST ``VisitorBasedCodemodCommand`` (so ``python -m libcst.tool codemod
-x asyncmig.codemods.<module>.<Class>`` runs it too) with:

- ``NAME`` (kebab-case), ``DESCRIPTION`` (one sentence), a frozen ``Options`` dataclass;
- ``PREFILTER``: substrings of which one must occur in a file before it is parsed;
- ``self.change(node, what)`` / ``self.skip(node, reason)`` to report each site.

It prints nothing, writes nothing and keeps no state between files: the engine makes a
new instance per file. ``# asyncmig: skip`` comments are honoured here, in one place,
through :meth:`AsyncCodemod.requested_skip`.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import libcst as cst
from libcst.codemod import Codemod, CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import (
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)
from libcst.metadata.scope_provider import ImportAssignment

from asyncmig.errors import UsageError
from asyncmig.imports import place_new_imports, wrap_long_lines
from asyncmig.models import Change, Environment, FileResult, Skip
from asyncmig.names import Context, dotted, enclosing_context, imported_names, skip_comment_lines

# The engine hands the decoded source here so skip comments need no second codegen.
SOURCE_KEY = "asyncmig.source"
SKIP_BY_REQUEST = "skipped by request (# asyncmig: skip)"
# An Environment setting: the run only counts (changes and skips); imports are not edited.
COUNT_ONLY = "count_only"
# context.scratch key: top-level names of project modules a codemod imports (first party
# for import sorting even before they exist, like a generated client module).
FIRST_PARTY_KEY = "asyncmig.first_party"


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """A codemod without options."""


class AsyncCodemod(VisitorBasedCodemodCommand):
    NAME: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    Options: ClassVar[type] = NoOptions
    PREFILTER: ClassVar[tuple[str, ...]] = ()
    # The cheap ast pass (asyncmig.precheck): a file is parsed with LibCST only when a call
    # in async context resolves to one of AST_TRIGGERS (a trailing "." is a prefix match,
    # e.g. "requests.") or calls a method named in AST_METHODS. AST_SYNC_TOO counts calls
    # in sync code as well (for codemods that report sync sites). Both empty: no ast pass.
    AST_TRIGGERS: ClassVar[frozenset[str]] = frozenset()
    AST_METHODS: ClassVar[frozenset[str]] = frozenset()
    AST_SYNC_TOO: ClassVar[bool] = False
    METADATA_DEPENDENCIES = (
        QualifiedNameProvider,
        ScopeProvider,
        ParentNodeProvider,
        PositionProvider,
    )

    def __init__(
        self,
        context: CodemodContext,
        options: Any = None,
        env: Environment | None = None,
        **cli_options: Any,
    ) -> None:
        super().__init__(context)
        # libcst.tool passes options as keyword arguments (see add_args).
        if options is None:
            given = {k: v for k, v in cli_options.items() if v is not None}
            options = self.parse_options(given)
        self.options = options
        self.env = env or Environment()
        self.changes: list[Change] = []
        self.skips: list[Skip] = []
        self._skip_lines: frozenset[int] = frozenset()
        self._contexts: dict[int, Context] = {}

    # -- what the engine asks before parsing -------------------------------------------
    @classmethod
    def could_change(cls, source: bytes, path: str, env: Environment) -> bool:
        """Cheap substring test: could this file hold a site to rewrite?"""
        phase = env.setting("phase_files")  # propagation edits calls outside the phase's paths
        if phase is not None and path not in phase:
            return False
        if not any(trigger.encode() in source for trigger in cls.PREFILTER):
            return False
        return b"async def" in source or env.has_forced_async(path)

    @classmethod
    def finalize(
        cls, options: Any, env: Environment, root: Path, results: tuple[FileResult, ...]
    ) -> list[FileResult]:
        """Project-level files this codemod adds once per run (e.g. a shared client module)."""
        return []

    @classmethod
    def golden_env(cls, table: Mapping[str, Any], path: str) -> Environment:
        """The Environment a golden case's ``[env]`` table describes.

        ``forced_async`` lists function qualnames (in the case file) made async by
        propagation; every other key is passed through as a setting. Codemods with typed
        settings override this to parse their keys.
        """
        forced = frozenset((path, name) for name in table.get("forced_async", ()))
        settings = tuple((k, v) for k, v in table.items() if k != "forced_async")
        return Environment(forced_async=forced, settings=settings)

    # -- options -----------------------------------------------------------------------
    @classmethod
    def option_fields(cls) -> list[tuple[str, Any, Any]]:
        """(name, type, default) of every option."""
        hints = typing.get_type_hints(cls.Options)
        return [(f.name, hints[f.name], f.default) for f in dataclasses.fields(cls.Options)]

    @classmethod
    def parse_options(cls, raw: Mapping[str, Any]) -> Any:
        """Build ``Options`` from strings (CLI) or TOML values, checking names and types."""
        fields = {name: (tp, default) for name, tp, default in cls.option_fields()}
        unknown = sorted(set(raw) - set(fields))
        if unknown:
            valid = ", ".join(sorted(fields)) or "(none)"
            raise UsageError(
                f"unknown option {', '.join(unknown)} for codemod {cls.NAME}",
                hint=f"valid options: {valid}",
            )
        values = {}
        for key, value in raw.items():
            values[key] = _coerce(cls.NAME, key, value, fields[key][0])
        return cls.Options(**values)

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        # Overridden per class by __init_subclass__ so libcst.tool sees each option.
        pass

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

        def add_args(arg_parser: argparse.ArgumentParser, _cls: type = cls) -> None:
            for name, _tp, default in _cls.option_fields():
                arg_parser.add_argument(
                    f"--{name.replace('_', '-')}",
                    dest=name,
                    default=None,
                    help=f"(default: {default!r})",
                )

        cls.add_args = staticmethod(add_args)  # type: ignore[method-assign]

    # -- the transform -----------------------------------------------------------------
    def transform_module(self, tree: cst.Module) -> cst.Module:
        if self.env.setting(COUNT_ONLY):
            # plan/init count changes and skips; the import passes (a metadata resolution
            # and a full visit each, most of a codemod's time) only shape the text.
            return Codemod.transform_module(self, tree)
        result = super().transform_module(tree)
        # RemoveImportsVisitor, removing a module's first import, leaves the blank line that
        # followed it at the top of the file: drop it, unless the file started that way.
        if result is not tree:
            result = _keep_import_gaps(tree, result)
            width = self.env.setting("line_length")
            result = place_new_imports(tree, result, first_party=self._first_party(), line_length=width)
            result = wrap_long_lines(tree, result, width)
        if result is not tree and result.body and tree.body and not result.header:
            lines = list(result.body[0].leading_lines)
            had_blank = bool(tree.body[0].leading_lines) and tree.body[0].leading_lines[0].comment is None
            while lines and lines[0].comment is None and not had_blank:
                lines.pop(0)
            if len(lines) != len(result.body[0].leading_lines):
                first = result.body[0].with_changes(leading_lines=lines)
                result = result.with_changes(body=[first, *result.body[1:]])
        return result

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        source = self.context.scratch.get(SOURCE_KEY)
        if source is None:
            source = tree.code
        self._skip_lines = skip_comment_lines(source)
        return super().transform_module_impl(tree)

    def import_project_module(self, module: str, name: str, level: int = 0) -> None:
        """Schedule ``from <level dots><module> import <name>`` of a module of this project
        (sorted with the first-party imports)."""
        if not level:
            self.context.scratch.setdefault(FIRST_PARTY_KEY, set()).add(module.split(".")[0])
        AddImportsVisitor.add_needed_import(self.context, module, name, relative=level)

    def _first_party(self) -> frozenset[str]:
        """The project's own top-level names (``[first_party]`` setting) and this file's package."""
        names = set(self.env.setting("first_party") or ()) | set(self.context.scratch.get(FIRST_PARTY_KEY, ()))
        path = PurePosixPath(self.context.filename or "")
        packages = self.env.setting("packages")
        root = Path(str(self.env.setting("root") or "."))
        folder, top = path.parent, None
        while str(folder) not in ("", "."):
            is_package = (
                str(folder) in packages if packages is not None else (root / folder / "__init__.py").is_file()  # type: ignore[operator]
            )
            if not is_package:
                break
            top, folder = folder, folder.parent
        if top is not None:
            names.add(top.name)
        if self.env.setting("root") is not None:
            names |= _top_level_names(str(root))
        return frozenset(names)

    # -- helpers for subclasses --------------------------------------------------------
    def qualified(self, node: cst.CSTNode) -> frozenset[str]:
        """Imported/builtin qualified names of ``node`` (shadowing locals never match)."""
        return imported_names(self.get_metadata(QualifiedNameProvider, node, set()), node)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.get_metadata(ParentNodeProvider, node, None)

    def context_of(self, node: cst.CSTNode) -> Context:
        key = id(node)
        if key not in self._contexts:
            self._contexts[key] = enclosing_context(node, self.parent)
        return self._contexts[key]

    def in_async_context(self, node: cst.CSTNode) -> bool:
        """True when ``node`` runs in the body of an async def (or one made async)."""
        ctx = self.context_of(node)
        if ctx.kind == "async":
            return True
        return ctx.kind == "sync" and self.env.is_forced_async(
            self.context.filename or "", ctx.qualname
        )

    def module_ref(self, node: cst.CSTNode, module: str) -> str | None:
        """The name that refers to ``module`` at ``node``, importing it when needed.

        An existing ``import asyncio`` (or a module-level ``import asyncio as aio``) is
        reused; a free name is imported through ``AddImportsVisitor``; a name bound to
        something else (shadowed) has no safe spelling, and None is returned.
        """
        top = module.split(".")[0]
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is not None:
            bound = scope[top] if top in scope else set()
            if bound:
                if not all(_binds_top(a, top) for a in bound):
                    return None
                if "." in module:
                    AddImportsVisitor.add_needed_import(self.context, module)
                return module
            for assignment in scope.globals.assignments:
                alias = _module_alias(assignment, module)
                if alias and all(_module_alias(a, module) == alias for a in scope[alias]):
                    return alias
        AddImportsVisitor.add_needed_import(self.context, module)
        return module

    def position(self, node: cst.CSTNode) -> tuple[int, int]:
        pos = self.get_metadata(PositionProvider, node, None)
        if pos is None:
            return (0, 0)
        return (pos.start.line, pos.start.column + 1)

    def lines_of(self, node: cst.CSTNode) -> range:
        pos = self.get_metadata(PositionProvider, node, None)
        if pos is None:
            return range(0)
        return range(pos.start.line, pos.end.line + 1)

    def change(self, node: cst.CSTNode, what: str, why: str = "") -> None:
        line, col = self.position(node)
        self.changes.append(Change(line, col, self.NAME, what, why))

    def skip(self, node: cst.CSTNode, reason: str) -> None:
        line, col = self.position(node)
        self.skips.append(Skip(line, col, self.NAME, reason))

    def requested_skip(self, node: cst.CSTNode, lines: range | None = None) -> bool:
        """True (and the skip reported) when a ``# asyncmig: skip`` covers the site.

        The comment counts on any line the site spans (``lines``, default the node's own).
        """
        if not self._skip_lines:
            return False
        span = lines if lines is not None else self.lines_of(node)
        if any(line in self._skip_lines for line in span):
            self.skip(node, SKIP_BY_REQUEST)
            return True
        return False


@functools.lru_cache(maxsize=8)
def _top_level_names(root: str) -> frozenset[str]:
    """Packages and modules at the project root (and under ``src/``): first party, as
    ruff's and isort's default ``src = ["."]`` find them."""
    names = set()
    for folder in (Path(root), Path(root) / "src"):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.suffix == ".py" and entry.stem.isidentifier():
                names.add(entry.stem)
            elif entry.name.isidentifier() and (entry / "__init__.py").is_file():
                names.add(entry.name)
    return frozenset(names)


def import_style(module: cst.Module, package: str | None) -> str | None:
    """How ``module`` imports its own project today: ``"relative"`` when it has a relative
    import, ``"absolute"`` when it imports its top-level ``package`` by name, else None.

    New imports follow it (a person adding an import writes it like the ones above it);
    imports under ``if TYPE_CHECKING:`` / ``try:`` at module level count too.
    """
    found: str | None = None
    for statement in _top_level_statements(module.body):
        for small in statement.body:
            if isinstance(small, cst.ImportFrom):
                if small.relative:
                    return "relative"
                if package and small.module is not None and (dotted(small.module) or "").split(".")[0] == package:
                    found = "absolute"
            elif isinstance(small, cst.Import) and package:
                if any((dotted(alias.name) or "").split(".")[0] == package for alias in small.names):
                    found = "absolute"
    return found


def _top_level_statements(body) -> list[cst.SimpleStatementLine]:
    lines = []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            lines.append(statement)
        elif isinstance(statement, (cst.If, cst.Try)) and isinstance(statement.body, cst.IndentedBlock):
            lines.extend(s for s in statement.body.body if isinstance(s, cst.SimpleStatementLine))
    return lines



def _statement_code(statement: cst.CSTNode) -> str:
    return cst.Module(body=()).code_for_node(statement.with_changes(leading_lines=()))


def _keep_import_gaps(before: cst.Module, after: cst.Module) -> cst.Module:
    """Keep the blank lines of a removed top-level import on whatever now takes its place.

    RemoveImportsVisitor drops a statement with its leading blank lines, gluing the next
    statement (often the import AddImportsVisitor put there) to the previous group.
    """
    after_codes = [_statement_code(s) for s in after.body]
    body = list(after.body)
    previous: str | None = None
    for statement in before.body:
        code = _statement_code(statement)
        if code in after_codes:
            previous = code
            continue
        blank = [line for line in statement.leading_lines if line.comment is None]
        if not isinstance(statement, cst.SimpleStatementLine) or not blank or previous is None:
            continue
        if not all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            continue
        index = after_codes.index(previous) + 1
        if index < len(body) and not body[index].leading_lines:
            body[index] = body[index].with_changes(leading_lines=statement.leading_lines)
    return after.with_changes(body=body) if body != list(after.body) else after


def _binds_top(assignment: Any, top: str) -> bool:
    """``assignment`` is ``import top`` or ``import top.sub`` (which binds ``top``)."""
    if not isinstance(assignment, ImportAssignment) or not isinstance(assignment.node, cst.Import):
        return False
    return any(
        alias.asname is None and alias.evaluated_name.split(".")[0] == top
        for alias in assignment.node.names
    )


def _module_alias(assignment: Any, module: str) -> str | None:
    if not isinstance(assignment, ImportAssignment) or not isinstance(assignment.node, cst.Import):
        return None
    for alias in assignment.node.names:
        if alias.evaluated_name == module and alias.evaluated_alias:
            return alias.evaluated_alias
    return None


def _coerce(codemod: str, key: str, value: Any, tp: Any) -> Any:
    """Convert a CLI string or TOML value to ``tp`` (bool, int, float, str, Literal, Optional)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None or (isinstance(value, str) and value.lower() in ("none", "null", "")):
            if type(None) in args:
                return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(codemod, key, value, arg)
            except UsageError as exc:
                errors.append(exc)
        raise errors[0] if errors else UsageError(f"bad value for {key}")
    if origin is typing.Literal:
        if value in args:
            return value
        raise UsageError(
            f"option {key} of {codemod} must be one of {', '.join(map(repr, args))}, not {value!r}"
        )
    if origin in (tuple, frozenset, list):
        items = value.split(",") if isinstance(value, str) else list(value)
        inner = args[0] if args else str
        converted = [_coerce(codemod, key, item.strip() if isinstance(item, str) else item, inner) for item in items if item != ""]
        return tuple(converted) if origin is tuple else frozenset(converted)
    try:
        if tp is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "yes", "1", "on"):
                return True
            if isinstance(value, str) and value.lower() in ("false", "no", "0", "off"):
                return False
            raise ValueError(value)
        if tp is int:
            if isinstance(value, bool):
                raise ValueError(value)
            number = int(value)
            if number < 0:
                raise ValueError(value)
            return number
        if tp is float:
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if tp is str:
            if not isinstance(value, str):
                raise ValueError(value)
            return value
    except (TypeError, ValueError):
        pass
    else:
        return value
    raise UsageError(f"option {key} of {codemod} expects {getattr(tp, '__name__', tp)}, not {value!r}")
