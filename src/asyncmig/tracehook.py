"""The detector ``asyncmig trace`` installs in every Python process of a traced command.

Standard library only, and importable on its own: ``asyncmig trace`` copies this file next
to a ``sitecustomize.py`` on ``PYTHONPATH``, so it runs in interpreters that do not have
asyncmig installed. Nothing happens unless ``ASYNCMIG_TRACE_DIR`` names the run's folder.

How a stall is seen
    ``asyncio.events.Handle._run`` (every callback and task step of asyncio's own event
    loop) is wrapped to note when the loop thread starts and ends a callback. While a
    callback runs, blocking work on that thread is noted with its stack:

    - audit events that block (``open``, blocking ``socket.connect`` and DNS look-ups,
      ``subprocess.Popen``, ``os.system``, file-system changes, ``sqlite3.connect``);
    - calls of ``time.sleep``, ``threading.Thread.start/join`` and
      ``concurrent.futures.Future.result`` (wrapped: they raise no audit event);
    - stack samples a watchdog thread takes (``sys._current_frames()``) while a callback
      has been running for longer than its period: blocking inside C extensions, lock
      waits and CPU work have no event of their own.

    A callback that ran for at least the threshold is a *stall*; its time is split between
    the sites noted in it, in order (each site owns the time until the next one starts).

Where a site is
    The project frame nearest the blocking call — where the project calls out of its own
    code, into a library or a driver — with the call below it. Project files are the ones
    ``asyncmig trace`` lists in ``config.json``; without a project frame, the nearest other
    frame under the root (a test, a script), else the nearest library frame. Blocking done
    by asyncio itself (its executor shut-down joins, its subprocess transport) is not a site.

Each process writes ``p<pid>.json`` into the run's folder at exit, before a signal ends it
(SIGTERM, or a server re-raising it after its shut-down), and every quarter second while
something changed (so even a process killed with SIGKILL keeps nearly all it saw).
"""

import atexit
import json
import os
import sys
import threading
import time
from time import perf_counter

ENV = "ASYNCMIG_TRACE_DIR"
FORMAT = 1

_HERE = __file__
_STDLIB = os.path.dirname(os.__file__) + os.sep
_LIBRARY_MARKERS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)
# Modules whose frames on the stack mean "while serving a request".
_REQUEST_MODULES = (
    "uvicorn.protocols", "hypercorn.protocol", "daphne.", "granian.", "starlette.routing",
    "fastapi.routing", "aiohttp.web_protocol", "aiohttp.web_app", "sanic.", "quart.",
    "litestar.", "django.core.handlers",
)
# Audit events that block the calling thread; sockets only when in blocking mode.
_AUDIT_EVENTS = frozenset(
    {
        "open", "socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
        "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "subprocess.Popen",
        "os.system", "os.posix_spawn", "os.spawn", "os.fork", "os.listdir", "os.scandir",
        "os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.truncate", "os.chmod",
        "os.utime", "os.link", "os.symlink", "shutil.copyfile", "shutil.rmtree",
        "shutil.move", "glob.glob", "sqlite3.connect", "urllib.Request", "time.sleep",
    }
)
_SOCKET_EVENTS = frozenset({"socket.connect", "socket.sendto"})
_CO_ASYNC = 0x80 | 0x200  # CO_COROUTINE | CO_ASYNC_GENERATOR
_MAX_FRAMES = 96
_MAX_STACK_LINES = 40
# A stall with nothing noted in it is listed from this long on (shorter ones are noise).
_UNATTRIBUTED_FLOOR = 0.005
_FLUSH_EVERY = 0.25  # seconds: how stale the file of a process killed with SIGKILL may be

_get_ident = threading.get_ident
_current_frames = sys._current_frames
_getframe = sys._getframe
_sleep = time.sleep


class _LoopThread:
    """What one thread that runs asyncio callbacks is doing now."""

    __slots__ = ("start", "seq", "events")

    def __init__(self):
        self.start = 0.0  # perf_counter() when the running callback began; 0: none
        self.seq = 0
        self.events = None  # [(t, event, leaf, frames)] noted during the running callback


class _Tracer:
    def __init__(self, folder, config):
        self.folder = folder
        self.root = os.path.realpath(config["root"]) + os.sep
        self.threshold = float(config.get("threshold_ms", 20.0)) / 1000.0
        self.period = max(0.002, min(self.threshold / 2, 0.010))
        self.project = frozenset(config.get("files", ()))
        self.threads = {}  # thread id → _LoopThread
        self.scopes = {}  # co_filename → (scope, shown path)
        self.sites = {}  # (scope, path, line, call) → aggregate
        self.unattributed = {}  # callback → [count, total, worst]
        self.stalls = 0
        self.dirty = False
        self.watchdog = None
        self.lock = threading.Lock()

    # ------------------------------------------------------------------ noting

    def note(self, state, event, frame, leaf=None):
        stack = _frames(frame)
        entry = (perf_counter(), event, leaf, stack)
        events = state.events
        if events is None:
            state.events = [entry]
        else:
            events.append(entry)

    def ensure_watchdog(self):
        if self.watchdog is None:
            self.watchdog = threading.Thread(target=self.watch, name="asyncmig-trace", daemon=True)
            self.watchdog.start()

    def watch(self):
        flushed = perf_counter()
        while True:
            _sleep(self.period)
            try:
                flushed = self.sample(flushed)
            except Exception:  # noqa: BLE001 — one bad sample must not end the watchdog
                pass

    def sample(self, flushed):
        """Sample each loop thread whose callback has run for a period; flush each second."""
        now = perf_counter()
        for tid, state in list(self.threads.items()):
            start, seq = state.start, state.seq
            if not start or now - start < self.period:
                continue
            frame = _current_frames().get(tid)
            if frame is None:
                continue
            entry = (perf_counter(), "sample", None, _frames(frame))
            if state.seq != seq or not state.start:
                continue  # the callback ended meanwhile
            events = state.events
            if events is None:
                state.events = [entry]
            else:
                events.append(entry)
        if self.dirty and now - flushed >= _FLUSH_EVERY:
            flushed = now
            self.write()
        return flushed

    # ------------------------------------------------------------------ recording

    def finish(self, events, started, ended, handle):
        """A callback ran for at least the threshold: split its time between its sites."""
        duration = ended - started
        runs = []  # [site, t0]
        for t, event, leaf, stack in sorted(events, key=lambda e: e[0]):
            site = self.site_of(event, leaf, stack)
            if site is None:
                continue
            # One call of a wrapped function is one run; audit events and samples at the
            # same place as the run before belong to it (a connect, then its reads).
            if runs and runs[-1][0]["where"] == site["where"] and (leaf is None or event == "sample"):
                last = runs[-1][0]
                if last["call"] is None:
                    site["events"] = last["events"] + site["events"]
                    runs[-1][0] = last = site
                for name in site["events"]:
                    if name not in last["events"]:
                        last["events"].append(name)
                continue
            runs.append([site, t])
        if events and not runs:
            return  # only asyncio's own blocking
        with self.lock:
            self.stalls += 1
            self.dirty = True
            if not runs:
                self.unattributed_stall(handle, duration)
                return
            for i, (site, t0) in enumerate(runs):
                begin = started if i == 0 else t0
                end = runs[i + 1][1] if i + 1 < len(runs) else ended
                self.add(site, max(0.0, end - begin), duration)

    def unattributed_stall(self, handle, duration):
        try:
            text = repr(handle)
        except Exception:
            text = type(handle).__name__
        text = text if len(text) <= 160 else text[:159] + "…"
        entry = self.unattributed.setdefault(text, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += duration
        entry[2] = max(entry[2], duration)

    def add(self, site, blocked, stall):
        key = site["where"] + (site["call"],)
        agg = self.sites.get(key)
        if agg is None:
            agg = self.sites[key] = {
                "scope": site["scope"], "path": site["path"], "line": site["line"],
                "function": site["function"], "module": site["module"], "call": site["call"],
                "context": site["context"], "request": False, "events": [], "count": 0,
                "total_ms": 0.0, "worst_ms": 0.0, "worst_stall_ms": 0.0, "stack": [],
            }
        agg["count"] += 1
        agg["total_ms"] += blocked * 1000.0
        agg["request"] = agg["request"] or site["request"]
        for name in site["events"]:
            if name not in agg["events"]:
                agg["events"].append(name)
        if blocked * 1000.0 >= agg["worst_ms"]:
            agg["worst_ms"] = blocked * 1000.0
            agg["stack"] = site["stack"]()
        agg["worst_stall_ms"] = max(agg["worst_stall_ms"], stall * 1000.0)

    def site_of(self, event, leaf, stack):
        """The site of one noted event: its nearest project (else other, else library) frame."""
        chosen = None
        best = 9
        for i, (code, _line, _module) in enumerate(stack):
            rank = _RANK.get(self.scope(code.co_filename)[0], 9)
            if rank < best:
                best, chosen = rank, i
                if rank == 0:
                    break
        if chosen is None:
            return None
        inner = stack[:chosen]
        if any((m or "").startswith("asyncio.") for _c, _l, m in inner):
            return None  # asyncio's own work (executor shut-down, subprocess transport)
        code, line, module = stack[chosen]
        scope, path = self.scope(code.co_filename)
        if any(c.co_filename.startswith("<frozen importlib") for c, _l2, _m in inner):
            event = leaf = "import"  # a module imported on the loop (a lazy import)
        if inner:
            below_code, _l, below_module = inner[-1]
            call = f"{below_module or '?'}.{_qualname(below_code)}"
        elif event == "sample":
            call = leaf
        else:
            call = leaf or event
        request = any((m or "").startswith(_REQUEST_MODULES) for _c, _l, m in stack)
        return {
            "where": (scope, path, line),
            "scope": "outside" if scope == "other" else scope,
            "path": path,
            "line": line,
            "function": _qualname(code),
            "module": module,
            "call": call,
            "context": "async" if code.co_flags & _CO_ASYNC else "sync",
            "request": request,
            "events": [] if event == "sample" else [leaf or event],
            "stack": lambda: self.stack_lines(stack),
        }

    def scope(self, filename):
        known = self.scopes.get(filename)
        if known is not None:
            return known
        if filename.startswith("<"):
            known = ("frozen", filename)
        else:
            real = os.path.realpath(filename)
            marker = next((m for m in _LIBRARY_MARKERS if m in real), None)
            if marker is not None:  # an installed package, even in a venv inside the root
                known = ("library", _posix(real.split(marker, 1)[1]))
            elif real in self.project:
                known = ("project", _posix(real[len(self.root):]))
            elif real.startswith(_STDLIB):
                known = ("stdlib", "<stdlib>/" + _posix(real[len(_STDLIB):]))
            elif real.startswith(self.root):
                known = ("other", _posix(real[len(self.root):]))
            else:
                known = ("library", _posix(real))
        self.scopes[filename] = known
        return known

    def stack_lines(self, stack):
        """``path:line in function``, outermost first (as a traceback reads)."""
        lines = [f"{self.scope(c.co_filename)[1]}:{n} in {_qualname(c)}" for c, n, _m in reversed(stack)]
        if len(lines) > _MAX_STACK_LINES:
            cut = len(lines) - _MAX_STACK_LINES
            lines = lines[:5] + [f"... {cut} frames ..."] + lines[5 + cut:]
        return lines

    # ------------------------------------------------------------------ output

    def write(self):
        with self.lock:
            payload = {
                "format": FORMAT,
                "pid": os.getpid(),
                "argv": list(sys.argv),
                "python": sys.version.split()[0],
                "threshold_ms": self.threshold * 1000.0,
                "loop_threads": len(self.threads),
                "callbacks": sum(state.seq for state in self.threads.values()),
                "stalls": self.stalls,
                "uvloop": "uvloop" in sys.modules,
                "sites": list(self.sites.values()),
                "unattributed": [
                    {"callback": k, "count": v[0], "total_ms": v[1] * 1000.0, "worst_ms": v[2] * 1000.0}
                    for k, v in self.unattributed.items()
                ],
            }
            self.dirty = False
        target = os.path.join(self.folder, f"p{os.getpid()}.json")
        try:
            tmp = f"{target}.{_get_ident()}.tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(payload, handle)
            os.replace(tmp, target)
        except OSError:
            pass

    def after_fork(self):
        self.threads.clear()
        self.sites.clear()
        self.unattributed.clear()
        self.stalls = 0
        self.watchdog = None
        self.lock = threading.Lock()


_RANK = {"project": 0, "other": 1, "library": 2}
_TRACER = None


def _qualname(code):
    return getattr(code, "co_qualname", code.co_name)


def _posix(path):
    return path.replace(os.sep, "/")


def _frames(frame):
    """``[(code, line, module)]`` innermost first, without this module's own frames."""
    out = []
    n = 0
    while frame is not None and n < _MAX_FRAMES:
        code = frame.f_code
        if code.co_filename != _HERE:
            out.append((code, frame.f_lineno, frame.f_globals.get("__name__")))
        frame = frame.f_back
        n += 1
    return out


# ---------------------------------------------------------------------- patches


def _patch_handle(events_module):
    handle_class = events_module.Handle
    original = handle_class._run
    tracer = _TRACER
    threads = tracer.threads
    threshold = tracer.threshold
    floor = max(threshold, _UNATTRIBUTED_FLOOR)

    def _run(self):
        state = threads.get(_get_ident())
        if state is None:
            state = threads[_get_ident()] = _LoopThread()
            tracer.ensure_watchdog()
        if state.start:  # a loop run from inside a callback: the outer one is timed
            return original(self)
        state.seq += 1
        state.start = started = perf_counter()
        try:
            return original(self)
        finally:
            ended = perf_counter()
            state.start = 0.0
            events = state.events
            if events is not None:
                state.events = None
            if ended - started >= threshold and (events is not None or ended - started >= floor):
                try:
                    tracer.finish(events or [], started, ended, self)
                except Exception:  # noqa: BLE001 — the detector must never break the loop
                    pass

    _run.__wrapped__ = original
    handle_class._run = _run


def _blocking(name, original):
    """``original`` noting itself as ``name`` when called on a loop thread in a callback."""
    tracer = _TRACER

    def wrapper(*args, **kwargs):
        state = tracer.threads.get(_get_ident())
        if state is not None and state.start:
            try:
                tracer.note(state, name, _getframe(1), name)
            except Exception:  # noqa: BLE001 — never in the way of the call itself
                pass
        return original(*args, **kwargs)

    wrapper.__wrapped__ = original
    wrapper.__name__ = getattr(original, "__name__", name)
    wrapper.__qualname__ = getattr(original, "__qualname__", name)
    wrapper.__doc__ = getattr(original, "__doc__", None)
    return wrapper


def _patch_futures(base_module):
    future = base_module.Future
    future.result = _blocking("concurrent.futures.Future.result", future.result)


def _audit(event, args):
    if event not in _AUDIT_EVENTS:
        return
    state = _TRACER.threads.get(_get_ident())
    if state is None or not state.start:
        return
    try:
        if event in _SOCKET_EVENTS and args[0].gettimeout() == 0.0:
            return  # a non-blocking socket: asyncio's own
        _TRACER.note(state, event, _getframe(1))
    except Exception:  # noqa: BLE001 — an audit hook that raises would fail the operation
        pass


class _AfterImport:
    """Patches a module right after it is first imported (asyncio may never be)."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.get(name)
        if patch is None:
            return None
        import importlib.util

        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        patches = self.patches

        class _Loader:
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                loader.exec_module(module)
                patches.pop(name, None)
                patch(module)

        spec.loader = _Loader()
        return spec


def _write_before_dying():
    """atexit does not run when a signal ends the process: write the report first.

    Servers re-raise SIGTERM after a graceful shut-down (``signal.raise_signal``, as
    uvicorn does); a process with no SIGTERM handler of its own gets one that writes and
    then dies of the signal as it would have.
    """
    import signal

    original = signal.raise_signal

    def raise_signal(signum):
        try:
            _TRACER.write()
        except Exception:  # noqa: BLE001
            pass
        original(signum)

    signal.raise_signal = raise_signal

    def on_term(signum, frame):
        try:
            _TRACER.write()
        finally:
            signal.signal(signum, signal.SIG_DFL)
            original(signum)

    try:
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, on_term)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM here
        pass


def install():
    """Start tracing this process when ``ASYNCMIG_TRACE_DIR`` is set (else do nothing)."""
    global _TRACER
    folder = os.environ.get(ENV)
    if not folder or _TRACER is not None:
        return
    try:
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError):
        return
    _TRACER = _Tracer(folder, config)
    if sys.version_info < (3, 12):  # time.sleep raises an audit event from 3.12 on
        time.sleep = _blocking("time.sleep", time.sleep)
    threading.Thread.start = _blocking("threading.Thread.start", threading.Thread.start)
    threading.Thread.join = _blocking("threading.Thread.join", threading.Thread.join)
    patches = {"asyncio.events": _patch_handle, "concurrent.futures._base": _patch_futures}
    for name in list(patches):
        if name in sys.modules:
            patches.pop(name)(sys.modules[name])
    if patches:
        sys.meta_path.insert(0, _AfterImport(patches))
    sys.addaudithook(_audit)
    atexit.register(_TRACER.write)
    _write_before_dying()
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_TRACER.after_fork)
