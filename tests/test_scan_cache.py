"""The content-hash cache (``asyncmig.cache``) and what it does for ``scan``."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from asyncmig.cache import CACHE_DIR, FileCache
from asyncmig.scan import scan

HOUR_AGO = time.time() - 3600


def write_old(path: Path, text: str) -> None:
    """Write ``text`` with an mtime an hour back (outside the racy window)."""
    path.write_text(text)
    os.utime(path, (HOUR_AGO, HOUR_AGO))


def test_fingerprint_trusts_the_index_only_for_unchanged_stat(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", "x = 1\n")
    digest = hashlib.sha256(b"x = 1\n").hexdigest()
    cache = FileCache(tmp_path, "t", "1")
    assert cache.fingerprint("a.py") == (digest, b"x = 1\n")  # read and hashed
    cache.put(digest, "value")
    cache.save()
    again = FileCache(tmp_path, "t", "1")
    assert again.fingerprint("a.py") == (digest, None)  # the index answered: no read
    assert again.get(digest) == "value"
    write_old(tmp_path / "a.py", "x = 22\n")  # other size
    assert again.fingerprint("a.py") == (hashlib.sha256(b"x = 22\n").hexdigest(), b"x = 22\n")
    assert again.fingerprint("missing.py") == (None, None)


def test_recently_modified_files_are_hashed_again(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")  # mtime: now, inside the racy window
    cache = FileCache(tmp_path, "t", "1")
    cache.fingerprint("a.py")
    cache.save()
    again = FileCache(tmp_path, "t", "1")
    digest, data = again.fingerprint("a.py")
    assert data == b"x = 1\n"  # not trusted: a same-size edit could hide in the same tick


def test_cache_folder_is_git_ignored_and_versioned(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", "x = 1\n")
    cache = FileCache(tmp_path, "t", "1")
    digest, _ = cache.fingerprint("a.py")
    cache.put(digest, [1, 2])
    cache.save()
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    assert FileCache(tmp_path, "t", "2").get(digest) is None  # another format version
    assert FileCache(tmp_path, "t", "1").get(digest) == [1, 2]


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", "x = 1\n")
    cache = FileCache(tmp_path, "t", "1")
    digest, _ = cache.fingerprint("a.py")
    cache.put(digest, "v")
    cache.save()
    for name in ("index.pickle", "values.pickle"):
        (tmp_path / CACHE_DIR / "t" / name).write_bytes(b"\x80garbage")
    fresh = FileCache(tmp_path, "t", "1")
    assert fresh.fingerprint("a.py") == (digest, b"x = 1\n")
    assert fresh.get(digest) is None


def test_disabled_cache_writes_nothing(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", "x = 1\n")
    cache = FileCache(tmp_path, "t", "1", enabled=False)
    digest, _ = cache.fingerprint("a.py")
    cache.put(digest, "v")
    cache.save()
    assert cache.get(digest) is None
    assert not (tmp_path / CACHE_DIR).exists()


def test_values_of_vanished_content_are_pruned(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", "x = 1\n")
    cache = FileCache(tmp_path, "t", "1")
    old, _ = cache.fingerprint("a.py")
    cache.put(old + "\0a.py", "old")
    cache.save()
    write_old(tmp_path / "a.py", "x = 22\n")
    cache = FileCache(tmp_path, "t", "1")
    new, _ = cache.fingerprint("a.py")
    cache.put(new + "\0a.py", "new")
    cache.save()
    values = FileCache(tmp_path, "t", "1")
    assert values.get(new + "\0a.py") == "new"
    assert values.get(old + "\0a.py") is None


ASYNC_SLEEP = "import time\n\nasync def f():\n    time.sleep(1)\n"


def test_rescan_of_an_unchanged_tree_comes_from_the_cache(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", ASYNC_SLEEP)
    write_old(tmp_path / "b.py", "def g():\n    pass\n")
    first = scan(["."], tmp_path, jobs=1)
    assert (first.from_cache, first.parsed) == (False, 2)
    second = scan(["."], tmp_path, jobs=1)
    assert (second.from_cache, second.parsed) == (True, 0)
    assert second.findings == first.findings


def test_only_changed_files_are_parsed_again(tmp_path: Path) -> None:
    write_old(tmp_path / "a.py", ASYNC_SLEEP)
    write_old(tmp_path / "b.py", "import time\n\ndef g():\n    time.sleep(2)\n")
    scan(["."], tmp_path, jobs=1)
    # b.py's helper becomes reached once a.py calls it: contexts are recomputed from cache
    write_old(tmp_path / "a.py", "import time\nfrom b import g\n\nasync def f():\n    g()\n")
    result = scan(["."], tmp_path, jobs=1)
    assert (result.from_cache, result.parsed) == (False, 1)
    assert [(f.path, f.line, f.context) for f in result.findings] == [("b.py", 4, "reached")]


def test_module_names_are_part_of_the_key(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    write_old(tmp_path / "pkg" / "a.py", ASYNC_SLEEP)
    assert [f.function for f in scan(["."], tmp_path, jobs=1).findings] == ["a.f"]
    write_old(tmp_path / "pkg" / "__init__.py", "")  # pkg becomes a package
    assert [f.function for f in scan(["."], tmp_path, jobs=1).findings] == ["pkg.a.f"]


def test_on_loop_only_parses_what_async_code_reaches(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    write_old(tmp_path / "pkg" / "__init__.py", "from .middle import relay\n")
    write_old(tmp_path / "pkg" / "api.py", "from . import relay\n\nasync def handler():\n    relay()\n")
    write_old(tmp_path / "pkg" / "middle.py", "from .leaf import block\n\ndef relay():\n    block()\n")
    write_old(tmp_path / "pkg" / "leaf.py", "import time\n\ndef block():\n    time.sleep(1)\n")
    write_old(tmp_path / "pkg" / "unrelated.py", "import time\n\ndef idle():\n    time.sleep(2)\n")
    full = scan(["."], tmp_path, jobs=1, use_cache=False)
    assert [(f.path, f.context) for f in full.findings] == [("pkg/leaf.py", "reached"), ("pkg/unrelated.py", "sync")]
    for use_cache in (False, True, True):  # cold, then deferred files remembered as such
        loop = scan(["."], tmp_path, jobs=1, use_cache=use_cache, on_loop_only=True)
        assert [(f.path, f.line, f.context) for f in loop.findings] == [("pkg/leaf.py", 4, "reached")]
        assert (loop.files, loop.lines) == (full.files, full.lines)
    cold = scan(["."], tmp_path, jobs=1, use_cache=False, on_loop_only=True)
    assert cold.parsed == 4  # api.py, then __init__.py, middle.py, leaf.py; never unrelated.py
