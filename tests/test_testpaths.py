"""The project's tests: discovery, their plugin, and propagation treating them as callers."""

from __future__ import annotations

from pathlib import Path

from asyncmig import propagate
from asyncmig.engine import CodemodSpec
from asyncmig.engine import run as run_engine
from asyncmig.registry import get
from asyncmig.testcallers import Role, roles
from asyncmig.testpaths import TestSuite, find_tests, pytest_settings

HELPER = b"import time\n\n\ndef pause(s):\n    time.sleep(s)\n\n\nasync def handler():\n    pause(1)\n"


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())


def test_testpaths_and_python_files_come_from_the_first_pytest_config(tmp_path: Path) -> None:
    write(tmp_path, {
        "pytest.ini": "[pytest]\ntestpaths = checks\npython_files = check_*.py\n",
        "setup.cfg": "[tool:pytest]\ntestpaths = tests\n",
        "conftest.py": "",
        "checks/check_a.py": "",
        "checks/util.py": "",
        "tests/test_b.py": "",
        "app/test_c.py": "",
    })
    assert pytest_settings(tmp_path)[1] == "pytest.ini"
    suite = find_tests(tmp_path)
    assert suite.files == ("checks/check_a.py", "checks/util.py", "conftest.py")
    assert suite.collects("checks/check_a.py") and not suite.collects("checks/util.py")
    assert suite.plugin == "" and suite.why_not()


def test_without_testpaths_test_files_anywhere_and_test_folders(tmp_path: Path) -> None:
    write(tmp_path, {
        "setup.cfg": "[tool:pytest]\naddopts = -q\n",
        "app/core.py": "",
        "app/core_test.py": "",
        "tests/helpers.py": "",
        "tests/test_x.py": "@pytest.mark.anyio\nasync def test_x(): ...\n",
    })
    suite = find_tests(tmp_path)
    assert suite.files == ("app/core_test.py", "tests/helpers.py", "tests/test_x.py")
    assert (suite.plugin, suite.marker, suite.config) == ("anyio", "anyio", "setup.cfg")


def test_pytest_asyncio_auto_mode_needs_no_marker(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n', "tests/test_a.py": ""})
    suite = find_tests(tmp_path)
    assert (suite.plugin, suite.auto, suite.marker) == ("asyncio", True, "")


def test_roles_say_what_pytest_calls_and_what_cannot_be_async() -> None:
    source = b'''import unittest
import pytest
from functools import lru_cache

def pytest_configure(config): ...

@pytest.fixture
def db(): ...

@pytest.fixture(scope="session")
def server(): ...

@pytest.mark.parametrize("x", [1])
def test_a(x): ...

@lru_cache
def test_cached(): ...

def build(): ...

class TestThing:
    def test_m(self): ...

class Legacy(unittest.TestCase):
    def test_old(self): ...
'''
    suite = TestSuite(("tests/test_a.py",), "asyncio")
    found = roles(source, suite, "tests/test_a.py")
    assert found == {
        "pytest_configure": Role("hook", 5, "it is a pytest hook, which pytest calls synchronously"),
        "db": Role("fixture", 8),
        "server": Role("fixture", 11, "it is a fixture of scope 'session'; an async one needs an event loop of that scope"),
        "test_a": Role("test", 14),
        "test_cached": Role("test", 17, "it is decorated with functools.lru_cache, which may not wrap a coroutine function"),
        "build": Role("helper", 19),
        "TestThing.test_m": Role("test", 22),
        "Legacy.test_old": Role("test", 25, "it is a unittest.TestCase method (make the class an IsolatedAsyncioTestCase by hand)"),
    }


def _phase(root: Path, paths: list[str]):
    spec = CodemodSpec(get("sleep-to-asyncio"), get("sleep-to-asyncio").Options())
    settings = propagate.Settings("propagate")
    specs, env, files = propagate.prepare_paths([spec], None, root, [root / p for p in paths], settings=settings)
    return run_engine(specs, [root / p for p in paths], root, env=env, jobs=1, files=files)


def test_a_test_outside_the_paths_becomes_async_with_the_helper(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\nasyncio_mode = "strict"\n',
        "app/__init__.py": "",
        "app/work.py": HELPER,
        "tests/test_work.py": "from app.work import pause\n\n\ndef test_pause():\n    assert pause(0) is None\n",
    })
    result = _phase(tmp_path, ["app"])
    new = {f.path: f.new for f in result.files if f.status == "changed"}
    assert new["tests/test_work.py"] == (
        b"import pytest\n\nfrom app.work import pause\n\n\n@pytest.mark.asyncio\nasync def test_pause():\n"
        b"    assert await pause(0) is None\n"
    )
    assert b"async def pause" in new["app/work.py"]


def test_without_an_async_plugin_the_helper_stays_sync_and_the_reason_names_the_test(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/__init__.py": "",
        "app/work.py": HELPER,
        "tests/test_work.py": "from app.work import pause\n\n\ndef test_pause():\n    assert pause(0) is None\n",
    })
    result = _phase(tmp_path, ["app"])
    work = next(f for f in result.files if f.path == "app/work.py")
    assert b"await asyncio.to_thread(pause, 1)" in work.new
    assert [s.reason for s in work.skips] == [
        "app.work.pause stays sync: called from the test test_work.test_pause (tests/test_work.py:5), which stays "
        "sync: the project uses no async test plugin (install pytest-asyncio or use anyio's pytest plugin); "
        "offloaded where async code calls it"
    ]
    assert all(f.path != "tests/test_work.py" for f in result.files if f.status == "changed")


def test_tests_the_migration_excludes_still_follow_the_code(tmp_path: Path) -> None:
    # asyncmig init excludes tests from the codemods; a test calling a helper made async
    # would break if it were left as it is, so propagation still moves it.
    write(tmp_path, {
        "pyproject.toml": '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
        "app/__init__.py": "",
        "app/work.py": HELPER,
        "tests/test_work.py": "from app.work import pause\n\n\ndef test_pause():\n    assert pause(0) is None\n",
    })
    spec = CodemodSpec(get("sleep-to-asyncio"), get("sleep-to-asyncio").Options())
    specs, env, files = propagate.prepare_paths(
        [spec], None, tmp_path, [tmp_path / "app"], exclude=["**/tests/**"], settings=propagate.Settings("propagate")
    )
    result = run_engine(specs, [tmp_path / "app"], tmp_path, env=env, jobs=1, files=files)
    new = {f.path: f.new for f in result.files if f.status == "changed"}
    assert new["tests/test_work.py"] == (
        b"from app.work import pause\n\n\nasync def test_pause():\n    assert await pause(0) is None\n"
    )
