"""Module names from the import roots a project really uses (DESIGN §9).

A file's module name is its path relative to an *import root*, a folder on ``sys.path`` when
the project runs. The ``__init__.py`` climb alone (:func:`asyncmig.callgraph.module_name`)
gets namespace portions wrong: with ``backend/utils/__init__.py`` but no
``backend/utils/conversations/__init__.py``, ``backend/utils/conversations/location.py`` is
``utils.conversations.location`` to the code that imports it, not ``location``.

The rules, in order, for each file:

1. ``import_roots`` given (``[migration] import_roots``): the name relative to the deepest
   of those folders that holds the file.
2. The project's absolute imports say which names exist (``import a.b``, ``from a.b import
   c`` names ``a.b`` and ``a.b.c``): of the names the file would have under each folder
   above it, one the project imports wins. When several do, the folder from which most of
   the project's imports resolve wins (then the shallower one). A folder that is itself
   a package is never such a root.
3. Otherwise (nobody imports it) the ``__init__.py`` climb, passing over folders without
   ``__init__.py`` that lie inside a package (PEP 420 portions): a script keeps its short
   name (``tools/cli.py`` is ``cli``), as it has when it runs.

Two files never share a name silently: when they would, the one the imports name (else the
first by path) keeps it and the others are named by their full path from the project
root; each such case is reported in :attr:`ModuleNames.collisions`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# ``import a.b as c, d`` and ``from a.b import (c, d)`` at the start of a line; the cheap
# way to know what a file imports without parsing it (a docstring line that looks like an
# import only adds a name the project may not have, which never renames a file wrongly
# unless a file of that name exists).
_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]+))",
    re.MULTILINE,
)
_COMMENT = re.compile(rb"#[^\n]*")
_IDENT = re.compile(r"[A-Za-z_]\w*\Z")


def imported_names(source: bytes) -> tuple[str, ...]:
    """Absolute module names ``source`` imports; ``from a import b`` gives ``a`` and ``a.b``."""
    if b"import" not in source:
        return ()
    found: list[str] = []
    # ``find`` the word, then match the pattern at that line's start: several times faster
    # than scanning every line start of the file with the pattern.
    find, match_at = source.find, _IMPORT.match
    position = find(b"import")
    seen = -1
    while position >= 0:
        start = source.rfind(b"\n", 0, position) + 1
        position = find(b"import", position + 6)
        if start == seen:
            continue
        seen = start
        match = match_at(source, start)
        if match is None:
            continue
        module, names, plain = match.groups()
        if module is not None:
            text = module.decode("ascii", "replace")
            found.append(text)
            names = _COMMENT.sub(b"", names).strip(b"()").replace(b"\\", b" ")
            for part in names.split(b","):
                name = part.split()
                if name and name[0] != b"*":
                    found.append(f"{text}.{name[0].decode('ascii', 'replace')}")
        else:
            for part in plain.replace(b"\\", b" ").split(b","):
                name = part.split()
                if name:
                    found.append(name[0].decode("ascii", "replace"))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class ModuleNames:
    """``names[rel] = (module, is_package)`` for every file, and the names that collided."""

    names: dict[str, tuple[str, bool]] = field(default_factory=dict)
    # (module, kept path, renamed paths): files that would have shared one module name
    collisions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def __getitem__(self, rel: str) -> tuple[str, bool]:
        return self.names[rel]


def _candidates(rel: str) -> tuple[list[tuple[str, str]], bool]:
    """``[(root folder, module name), ...]`` from the deepest root up, and is_package."""
    stem = rel[:-3] if rel.endswith(".py") else rel
    parts = stem.split("/")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    out = []
    folders = len(rel.split("/")) - 1
    for k in range(folders, -1, -1):
        name_parts = parts[k:]
        if not name_parts or not all(_IDENT.match(p) for p in name_parts):
            continue
        out.append(("/".join(parts[:k]), ".".join(name_parts)))
    return out, is_package


def _climb(rel: str, has_init: Callable[[str], bool]) -> str:
    """The root of rule 3: the parent of the topmost package above the file, or its folder."""
    folder = rel.rpartition("/")[0]
    top = None
    current = folder
    while current:
        if has_init(current):
            top = current
        current = current.rpartition("/")[0]
    if top is None:
        return folder
    return top.rpartition("/")[0]


def _inside(rel: str, root: str) -> bool:
    return not root or rel.startswith(root + "/")


def module_names(
    rels: Sequence[str],
    imports: Mapping[str, Iterable[str]],
    *,
    has_init: Callable[[str], bool] | None = None,
    import_roots: Sequence[str] | None = None,
) -> ModuleNames:
    """Name every file of ``rels`` (``/``-separated, relative to the project root).

    ``imports[rel]`` are the absolute names file ``rel`` imports (:func:`imported_names`);
    ``has_init(folder)`` says whether a folder holds an ``__init__.py`` (default: one of
    ``rels`` is that file); ``import_roots`` (folders relative to the project root, ``""``
    or ``"."`` for the root itself) replace the detection for the files they hold.
    """
    if has_init is None:
        inits = {r.rpartition("/")[0] for r in rels if r.rpartition("/")[2] == "__init__.py"}
        has_init = inits.__contains__
    explicit = sorted({"" if r in (".", "./") else r.strip("/") for r in import_roots or ()}, key=len, reverse=True)
    referenced: set[str] = set()
    for names in imports.values():
        referenced.update(names)
    # A folder that is itself a package (holds ``__init__.py``) is no import root: a name
    # from there (``arxiv`` for ``pkg/retrievers/arxiv/``) would only ever match an
    # unrelated third-party import of the same name.
    candidates = {}
    for rel in rels:
        options, is_package = _candidates(rel)
        candidates[rel] = ([(r, n) for r, n in options if not r or not has_init(r)], is_package)
    score: dict[str, int] = defaultdict(int)
    for rel, (options, _) in candidates.items():
        for root, name in options:
            if name in referenced:
                score[root] += 1

    chosen: dict[str, tuple[str, bool, bool]] = {}  # rel → (name, is_package, named by an import)
    for rel in rels:
        options, is_package = candidates[rel]
        name = None
        by_import = False
        for root in explicit:
            if _inside(rel, root):
                name = next((n for r, n in _candidates(rel)[0] if r == root), None)
                break
        if name is None and not any(_inside(rel, root) for root in explicit):
            imported = [(score[root], -len(root), name) for root, name in options if name in referenced]
            if imported:
                name = max(imported)[2]
                by_import = True
        if name is None:
            root = _climb(rel, has_init)
            name = next((n for r, n in _candidates(rel)[0] if r == root), None)
        if name is None:  # a folder name that is no identifier: the path itself
            stem = rel[:-3] if rel.endswith(".py") else rel
            name = stem.removesuffix("/__init__").replace("/", ".")
        chosen[rel] = (name, is_package, by_import)

    by_name: dict[str, list[str]] = defaultdict(list)
    for rel, (name, _, _) in chosen.items():
        by_name[name].append(rel)
    names = {rel: (name, is_package) for rel, (name, is_package, _) in chosen.items()}
    collisions = []
    taken = set(by_name)
    for name, holders in sorted(by_name.items()):
        if len(holders) < 2:
            continue
        # Python itself prefers a package to a module of the same name.
        holders.sort(key=lambda r: (not chosen[r][1], not chosen[r][2], r))
        kept, *others = holders
        renamed = []
        for rel in others:
            stem = rel[:-3] if rel.endswith(".py") else rel
            full = stem.removesuffix("/__init__").replace("/", ".")
            if full in taken:
                full = f"{full}@{rel}"
            taken.add(full)
            names[rel] = (full, chosen[rel][1])
            renamed.append(rel)
        collisions.append((name, kept, tuple(renamed)))
    return ModuleNames(names, tuple(collisions))


def names_of_sources(sources: Mapping[str, bytes], import_roots: Sequence[str] | None = None) -> ModuleNames:
    """:func:`module_names` of files given by content (``{rel: source}``)."""
    rels = sorted(sources)
    return module_names(rels, {rel: imported_names(sources[rel]) for rel in rels}, import_roots=import_roots)
