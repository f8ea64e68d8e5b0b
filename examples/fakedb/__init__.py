"""A stand-in for a synchronous database driver (think psycopg2, pymysql, a cloud SDK).

The service calls it from async code, and it blocks the calling thread on every round trip
to its "server", as a real driver does inside its C extension. asyncmig's static scan
does not read it (it is not one of the migration's paths, like an installed package), so
only ``asyncmig trace`` can show the service stalling its event loop here.
"""

from __future__ import annotations

import threading
import time

ROUND_TRIP = 0.002  # seconds each request to the server takes
_tables: dict[str, list[tuple]] = {}
_lock = threading.Lock()

__all__ = ["Connection", "connect", "rows"]


class Connection:
    """A connection to the database at ``dsn``; ``execute`` stores rows in memory."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._round_trip()  # the handshake

    def _round_trip(self) -> None:
        time.sleep(ROUND_TRIP)  # waiting on the server's socket

    def execute(self, statement: str, params: tuple = ()) -> None:
        """``INSERT INTO <table> ...`` appends ``params`` to that table."""
        self._round_trip()
        words = statement.split()
        if len(words) >= 3 and words[0].upper() == "INSERT" and words[1].upper() == "INTO":
            with _lock:
                _tables.setdefault(f"{self.dsn}/{words[2]}", []).append(tuple(params))

    def close(self) -> None:
        self._round_trip()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def connect(dsn: str) -> Connection:
    return Connection(dsn)


def rows(dsn: str, table: str) -> list[tuple]:
    """What ``execute`` stored in ``table`` (for tests)."""
    with _lock:
        return list(_tables.get(f"{dsn}/{table}", ()))
