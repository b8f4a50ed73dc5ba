"""A lock granted in order of arrival: the oldest waiting request writes next.

SQLite has one writer at a time, and every request writes twice (its replay record, then its
work). With a plain `threading.Lock`, whichever thread the kernel wakes first wins: under 20
concurrent commands a request could lose the race several times over, and its latency was
twice the median at the 99th percentile. Handing the lock to the waiter that arrived first
(`storage.deadline.Deadline.arrived_at` for a request; the moment it asks, for work no one
waits on) serves requests in the order they came.
"""

from __future__ import annotations

import heapq
import itertools
import threading


class ArrivalOrderLock:
    """A mutual-exclusion lock handed to the waiter with the earliest `arrived` (any float that
    orders callers, e.g. a monotonic time); ties in order of asking. Not re-entrant: the
    holder asking again (a transaction inside another) is refused with `RuntimeError` rather
    than left waiting for itself, for ever or until its deadline, with every writer behind it;
    asking without waiting (`timeout=0`) gets False as from anyone."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._owner: int | None = None  # the holding thread's ident
        self._waiting: list[tuple[float, int, threading.Event]] = []
        self._order = itertools.count()

    @property
    def waiting(self) -> int:
        """How many callers wait for the lock now."""
        with self._mutex:
            return len(self._waiting)

    def acquire(self, arrived: float, timeout: float | None = None) -> bool:
        """Wait for the lock, behind every waiter with an earlier `arrived`, at most `timeout`
        seconds (None: without limit); False when the time ran out first, with nothing held.

        Raises `RuntimeError` when this thread holds the lock already and would wait
        (`timeout` other than 0)."""
        me = threading.get_ident()
        with self._mutex:
            if self._held and self._owner == me and timeout != 0:
                raise RuntimeError("this thread already holds the write lock")
            if not self._held:
                self._held, self._owner = True, me
                return True
            turn = (arrived, next(self._order), threading.Event())
            heapq.heappush(self._waiting, turn)
        try:
            if turn[2].wait(timeout):
                with self._mutex:
                    self._owner = me
                return True
        except BaseException:
            # A signal's exception in the main thread: a turn left in line would be handed
            # the lock later, and no one would ever release it.
            if self._withdraw(turn):
                self.release()
            raise
        return self._withdraw(turn)

    def _withdraw(self, turn: tuple[float, int, threading.Event]) -> bool:
        """Leave the line; True when the lock was handed over just before (and is held)."""
        with self._mutex:
            if turn[2].is_set():
                self._owner = threading.get_ident()
                return True
            self._waiting.remove(turn)
            heapq.heapify(self._waiting)
            return False

    def release(self) -> None:
        """Hand the lock to the earliest waiter, or free it when none waits."""
        with self._mutex:
            self._owner = None  # the next holder names itself when it wakes
            if self._waiting:
                heapq.heappop(self._waiting)[2].set()
            else:
                self._held = False
