"""The project's own tests: which files pytest collects and which async plugin they use.

Propagation treats the tests as callers (a sync test of a helper made async becomes an
async test), and the tests-to-async codemod rewrites their mocks; both need to know

- the test files: below pytest's ``testpaths`` when the project sets them (else the whole
  project), files named like ``python_files`` (default ``test_*.py`` and ``*_test.py``),
  every ``conftest.py``, and the other modules of a ``tests``/``test`` folder (helpers);
- the plugin an async test runs under: pytest-asyncio (``asyncio_mode = "auto"`` needs no
  marker, else ``@pytest.mark.asyncio``) or anyio (``@pytest.mark.anyio``), whichever the
  project already uses. With neither, a test cannot become async (it stays as it is and
  the helper it calls stays sync).

The pytest configuration is read the way pytest finds it: ``pytest.ini``, then
``pyproject.toml`` (``[tool.pytest.ini_options]``), ``tox.ini`` (``[pytest]``),
``setup.cfg`` (``[tool:pytest]``); the first that holds a pytest section wins.
"""

from __future__ import annotations

import configparser
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from asyncmig.discovery import discover

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - 3.10
    import tomli as tomllib  # type: ignore[no-redef]

Plugin = Literal["asyncio", "anyio", ""]

# An Environment setting: the TestSuite of the run (None: tests are not looked at).
SETTING = "asyncmig.tests"
DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
TEST_FOLDERS = frozenset({"tests", "test", "testing"})
_ASYNCIO_USE = re.compile(rb"pytest\.mark\.asyncio\b|\bpytest_asyncio\b|asyncio_mode")
_ANYIO_USE = re.compile(rb"pytest\.mark\.anyio\b|\banyio_backend\b")


@dataclass(frozen=True)
class TestSuite:
    """The project's tests as propagation and the tests codemod see them."""

    __test__ = False  # not a pytest test class

    files: tuple[str, ...] = ()  # relative paths: test modules, conftest.py, test helpers
    plugin: Plugin = ""  # the async test plugin the project uses ("" for none)
    auto: bool = False  # pytest-asyncio's auto mode: async tests need no marker
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    config: str = ""  # where the pytest settings were read ("" for pytest's defaults)

    def holds(self, path: str) -> bool:
        return path in self.files

    def collects(self, path: str) -> bool:
        """Is ``path`` a module pytest collects tests from (not a helper, not conftest)?"""
        name = PurePosixPath(path).name
        return path in self.files and any(fnmatch.fnmatch(name, p) for p in self.python_files)

    def is_conftest(self, path: str) -> bool:
        return path in self.files and PurePosixPath(path).name == "conftest.py"

    @property
    def marker(self) -> str:
        """The marker an async test needs (``""``: none, auto mode)."""
        if self.plugin == "asyncio" and not self.auto:
            return "asyncio"
        return "anyio" if self.plugin == "anyio" else ""

    def why_not(self) -> str:
        """Why no test can become async, or ``""``."""
        if not self.plugin:
            return "the project uses no async test plugin (install pytest-asyncio or use anyio's pytest plugin)"
        return ""


def pytest_settings(root: Path) -> tuple[dict[str, str | list[str]], str]:
    """pytest's ini options of the project at ``root`` and the file they came from."""
    ini = root / "pytest.ini"
    if ini.is_file():
        found = _ini_section(ini, "pytest")
        if found is not None:
            return found, "pytest.ini"
    project = root / "pyproject.toml"
    if project.is_file():
        try:
            data = tomllib.loads(project.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            data = {}
        table = data.get("tool", {}).get("pytest", {})
        options = table.get("ini_options", table) if isinstance(table, dict) else None
        if isinstance(options, dict) and options:
            return {k: v for k, v in options.items() if isinstance(v, (str, list))}, "pyproject.toml"
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        path = root / name
        if path.is_file():
            found = _ini_section(path, section)
            if found is not None:
                return found, name
    return {}, ""


def _ini_section(path: Path, section: str) -> dict[str, str | list[str]] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return None
    if not parser.has_section(section):
        return None
    return {key: value for key, value in parser.items(section)}


def _words(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return tuple(value.split())


def find_tests(root: Path, files: list[str] | None = None) -> TestSuite:
    """The project's tests below ``root`` (``files``: the project's Python files, when the
    caller has discovered them already)."""
    root = root.resolve()
    options, config = pytest_settings(root)
    testpaths = tuple(p.strip("/") for p in _words(options.get("testpaths")) if p.strip("/"))
    python_files = _words(options.get("python_files")) or DEFAULT_PYTHON_FILES
    if files is None:
        files = discover([root], root)
    tests = []
    for path in files:
        pure = PurePosixPath(path)
        name = pure.name
        if testpaths and not any(path == t or path.startswith(f"{t}/") for t in testpaths):
            folder = str(pure.parent)
            if name != "conftest.py" or not (folder == "." or any(t.startswith(f"{folder}/") for t in testpaths)):
                continue
        if (
            name == "conftest.py"
            or any(fnmatch.fnmatch(name, p) for p in python_files)
            or (TEST_FOLDERS & set(pure.parts[:-1]))
            or testpaths
        ):
            tests.append(path)
    plugin, auto = _plugin(root, tests, options)
    return TestSuite(tuple(sorted(tests)), plugin, auto, python_files, config)


def _plugin(root: Path, tests: list[str], options: dict) -> tuple[Plugin, bool]:
    mode = str(options.get("asyncio_mode", "")).strip().lower()
    if mode == "auto":
        return "asyncio", True
    asyncio_uses = anyio_uses = 0
    for path in tests:
        try:
            source = (root / path).read_bytes()
        except OSError:
            continue
        asyncio_uses += len(_ASYNCIO_USE.findall(source))
        anyio_uses += len(_ANYIO_USE.findall(source))
    if mode == "strict" and not anyio_uses:
        return "asyncio", False
    if anyio_uses > asyncio_uses:
        return "anyio", False
    if asyncio_uses:
        return "asyncio", False
    return "", False


__all__ = ["SETTING", "TestSuite", "find_tests", "pytest_settings"]
