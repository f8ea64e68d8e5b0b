"""A content-hash cache in ``.asyncmig_cache/`` (DESIGN §7), cheap to validate.

One cache per *namespace* (a tool and the version of its data format)::

    cache = FileCache(root, "scan", version="3")
    digest, data = cache.fingerprint("pkg/mod.py")   # data: the bytes when they were read
    summary = cache.get(digest)                       # a value stored for that content
    cache.put(digest, summary)
    cache.get_result(key) / cache.put_result(key, value)  # one whole-run value
    cache.save()

Validation costs one ``stat`` per file: the index maps each relative path to
``(size, mtime_ns, sha256)`` and a file is read and hashed again only when its size or
modification time changed, or when it was modified so close to the last save that a
same-size edit within the file system's timestamp granularity could hide (git's "racy
clean" rule). Values are keyed by content, so a file renamed or restored keeps its entry.

The folder holds a ``.gitignore`` of ``*`` (as ruff's and pytest's caches do) so it never
shows in ``git status``. Everything is written atomically; a cache that cannot be read
(corrupt, another version, no permission) is treated as empty, and one that cannot be
written is skipped silently: the cache only ever makes a run faster.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

CACHE_DIR = ".asyncmig_cache"
# A file modified this close (ns) before the index was written is hashed again.
RACY_WINDOW_NS = 2_000_000_000


class FileCache:
    """Content-keyed values for the files of one project root, in one namespace."""

    def __init__(self, root: Path, namespace: str, version: str = "1", *, enabled: bool = True) -> None:
        self.root = Path(root)
        self._root = str(self.root)
        self.directory = self.root / CACHE_DIR / namespace
        self.version = version
        self.enabled = enabled
        self._index: dict[str, tuple[int, int, str]] = {}
        self._index_time = 0
        self._index_dirty = False
        self._values: dict[str, Any] | None = None  # loaded on first use
        self._values_dirty = False
        self._used: set[str] = set()
        if enabled:
            loaded = self._load("index.pickle")
            if isinstance(loaded, tuple) and len(loaded) == 2:
                self._index_time, self._index = loaded

    # ---------------------------------------------------------------- files

    def fingerprint(self, rel: str) -> tuple[str | None, bytes | None]:
        """``(sha256, data)`` of a file; ``data`` is None when the index answered.

        ``(None, None)`` when the file cannot be read.
        """
        path = os.path.join(self._root, rel)
        try:
            stat = os.stat(path)
        except OSError:
            return None, None
        entry = self._index.get(rel)
        if (
            entry is not None
            and entry[0] == stat.st_size
            and entry[1] == stat.st_mtime_ns
            and stat.st_mtime_ns < self._index_time - RACY_WINDOW_NS
        ):
            self._used.add(entry[2])
            return entry[2], None
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None, None
        digest = hashlib.sha256(data).hexdigest()
        if self.enabled:
            self._index[rel] = (len(data), stat.st_mtime_ns, digest)
            self._index_dirty = True
        self._used.add(digest)
        return digest, data

    # ---------------------------------------------------------------- values

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored for ``key``, else ``default``.

        Keys are a content digest, or a digest, a NUL and whatever else the value depends
        on (``f"{digest}\\0{path}"``); values of digests no indexed file has are pruned.
        """
        if not self.enabled:
            return default
        if self._values is None:
            loaded = self._load("values.pickle")
            self._values = loaded if isinstance(loaded, dict) else {}
        self._used.add(key)
        return self._values.get(key, default)

    def put(self, key: str, value: Any) -> None:
        if not self.enabled:
            return
        if self._values is None:
            self.get(key)
        assert self._values is not None
        self._values[key] = value
        self._used.add(key)
        self._values_dirty = True

    def get_result(self, key: str) -> Any:
        """A whole-run value stored under ``key`` (e.g. a digest of every input), or None."""
        if not self.enabled:
            return None
        loaded = self._load("result.pickle")
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == key:
            return loaded[1]
        return None

    def put_result(self, key: str, value: Any) -> None:
        if self.enabled:
            self._dump("result.pickle", (key, value))

    def save(self) -> None:
        """Write what changed; values no file of the index refers to any more are dropped."""
        if not self.enabled or not (self._index_dirty or self._values_dirty):
            return
        if self._values is not None and self._values_dirty:
            live = {entry[2] for entry in self._index.values()} | self._used
            self._values = {
                k: v for k, v in self._values.items() if k in live or k.partition("\0")[0] in live
            }
            self._dump("values.pickle", self._values)
        # Stamp the index before writing it: files changed after this moment get re-hashed.
        self._dump("index.pickle", (time.time_ns(), self._index))
        self._index_dirty = self._values_dirty = False

    # ---------------------------------------------------------------- storage

    def _load(self, name: str) -> Any:
        try:
            with open(self.directory / name, "rb") as handle:
                header = pickle.load(handle)
                if header != ("asyncmig-cache", self.version):
                    return None
                return pickle.load(handle)
        except Exception:  # a cache is never worth a crash: corrupt, missing, old format
            return None

    def _dump(self, name: str, value: Any) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            top = self.root / CACHE_DIR
            ignore = top / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Automatically created by asyncmig.\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(("asyncmig-cache", self.version), handle, protocol=pickle.HIGHEST_PROTOCOL)
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.directory / name)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # read-only checkout, full disk: run without a cache
