"""Event-loop lag monitor: how late the event loop runs a timer, measured all the time.

A background task sleeps ``INTERVAL`` seconds again and again; the loop wakes it late by
exactly as long as something blocked it (a ``requests`` call, a ``time.sleep``, a
synchronous driver, CPU work). Each lag is observed into the Prometheus histogram
``LOOP_LAG`` when ``prometheus_client`` is installed; lags of ``WARN_AFTER`` seconds or
more are logged as warnings either way (logger ``__name__``).

Start it with the application, next to the shared clients::

    app = FastAPI(lifespan=loop_monitor_lifespan)             # or Starlette(...)

    @contextlib.asynccontextmanager
    async def lifespan(app):                                   # with other lifespans
        async with loop_monitor_lifespan(app), clients_lifespan(app):
            yield

or ``task = start_loop_monitor()`` in any running loop (``await stop_loop_monitor(task)``).
The histogram is exported by whatever serves the default registry, e.g.
``app.mount("/metrics", prometheus_client.make_asgi_app())``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

__all__ = [
    "INTERVAL",
    "LOOP_LAG",
    "METRIC",
    "WARN_AFTER",
    "lag_stats",
    "loop_monitor_lifespan",
    "monitor_loop_lag",
    "start_loop_monitor",
    "stop_loop_monitor",
]

INTERVAL = 0.25  # seconds between two measurements
WARN_AFTER = 0.1  # seconds of lag logged as a warning
METRIC = "asyncio_event_loop_lag_seconds"
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

logger = logging.getLogger(__name__)


def _histogram():
    """The lag histogram in prometheus_client's default registry; None without the package."""
    try:
        import prometheus_client
    except ImportError:
        return None
    try:
        return prometheus_client.Histogram(
            METRIC, "How late the asyncio event loop ran a timer, in seconds.", buckets=BUCKETS
        )
    except ValueError:  # already registered (this module imported under a second name)
        return prometheus_client.REGISTRY._names_to_collectors.get(METRIC)


LOOP_LAG = _histogram()
_stats = {"count": 0, "max": 0.0, "last": 0.0}


def lag_stats() -> dict[str, float]:
    """Measurements so far in this process: ``count``, ``max`` and ``last`` lag (seconds)."""
    return dict(_stats)


async def monitor_loop_lag(interval: float = INTERVAL, warn_after: float = WARN_AFTER) -> None:
    """Measure the running loop's lag every ``interval`` seconds, until cancelled."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(interval)
        lag = max(0.0, loop.time() - started - interval)
        _stats["count"] += 1
        _stats["last"] = lag
        _stats["max"] = max(_stats["max"], lag)
        if LOOP_LAG is not None:
            LOOP_LAG.observe(lag)
        if lag >= warn_after:
            logger.warning("event loop blocked: a %.0f ms timer ran %.0f ms late", interval * 1000, lag * 1000)


def start_loop_monitor(interval: float = INTERVAL, warn_after: float = WARN_AFTER) -> asyncio.Task:
    """The monitor as a task of the running loop."""
    return asyncio.get_running_loop().create_task(
        monitor_loop_lag(interval, warn_after), name="loop-lag-monitor"
    )


async def stop_loop_monitor(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@contextlib.asynccontextmanager
async def loop_monitor_lifespan(app: object = None) -> AsyncIterator[None]:
    """Run the monitor while the application runs (``FastAPI(lifespan=loop_monitor_lifespan)``)."""
    task = start_loop_monitor()
    try:
        yield
    finally:
        await stop_loop_monitor(task)
