"""What several benchmarks share: a freshly migrated database on either backend, and the figures
they print (percentiles, peak RSS).

PostgreSQL is the throwaway server the tests start (`tests.support.postgres`): a new cluster on
a free loopback port, deleted afterwards. Without its binaries a benchmark says so and skips that
backend rather than failing.
"""

from __future__ import annotations

import resource
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.db import Database
from storage.migrate import upgrade


@contextmanager
def migrated_database(backend: str, name: str) -> Iterator[Database | None]:
    """A new database called `name` on `backend` ("sqlite" or "postgresql"), migrated to the
    head revision; None when PostgreSQL's server binaries are missing (a line says so). The
    database, and the server or folder holding it, is gone afterwards."""
    server = None
    folder = tempfile.TemporaryDirectory(prefix="rapport-bench-")
    try:
        if backend == "postgresql":
            from tests.support.postgres import PostgresServer

            bindir = PostgresServer.find_bindir()
            if bindir is None:
                print("\npostgresql: no server binaries (apt-get install -y postgresql); skipped")
                yield None
                return
            server = PostgresServer(bindir).start()
            url = server.create_database(name)
        else:
            url = f"sqlite:///{Path(folder.name) / f'{name}.db'}"
        db = Database(url)
        upgrade(db.engine)
        try:
            yield db
        finally:
            db.dispose()
    finally:
        if server is not None:
            server.stop()
        folder.cleanup()


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0–1) of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
