"""The one source of "now".

Rules and handlers take a clock instead of calling `datetime.now()`, so tests and the sandbox can
move time without touching the system clock (request signatures keep real time regardless).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until moved; never moves backwards."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("time only moves forwards")
        with self._lock:
            self._now += by
            return self._now

    def set(self, to: datetime) -> datetime:
        if to.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware instant")
        with self._lock:
            if to < self._now:
                raise ValueError("time only moves forwards")
            self._now = to.astimezone(UTC)
            return self._now


class OffsetClock:
    """The system clock shifted to start at `start`: `rapport run-jobs --at` runs "as if it were
    then", while Retry-After waits and leases still pass in real time."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("OffsetClock needs a timezone-aware start")
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset
