"""SQLite's one writer, taken in turn: among a process's threads, then among processes.

SQLite has one writer at a time, and every request writes twice (its replay record, then its
work). With a plain `threading.Lock`, whichever thread the kernel wakes first wins: under 20
concurrent commands a request could lose the race several times over, and its latency was
twice the median at the 99th percentile. `ArrivalOrderLock` hands the lock to the waiter that
arrived first (`storage.deadline.Deadline.arrived_at` for a request; the moment it asks, for
work no one waits on), so requests are served in the order they came; a read transaction
between a request's two writes (the common `/logcontact` reading apart, `Database.reads_apart`)
takes no turn, and the second write keeps the request's place in line. Its holder then takes
`ProcessLock`, the turn among the processes on the same file (`storage.db.Database`).
"""

from __future__ import annotations

import fcntl
import heapq
import itertools
import os
import threading
import time


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


# How long a process waiting for another's write lock sleeps between tries: short, as the
# other's transaction takes a millisecond or two, and growing, so a long one costs few tries.
FIRST_NAP_SECONDS = 0.0001
LONGEST_NAP_SECONDS = 0.001
# Beside a `ProcessLock`'s file: the one its next in line holds while it waits.
NEXT_IN_LINE_SUFFIX = ".next"


class ProcessLock:
    """An exclusive lock shared by every process that opens the same path, handed on fairly:
    the one writer of an SQLite database among several Rapport processes (`rapport serve
    --workers N`, `rapport scheduler` beside `rapport serve`), without SQLite's busy handler,
    which sleeps up to 100 ms at a time.

    Two `flock`s: `<path>` is the lock; `<path>.next` is held by the process waiting for it,
    so the process that just let it go cannot take it straight back (it waits for `.next`
    first) and two processes alternate rather than one starving the other. One thread per
    process asks at a time (the holder of the process's `ArrivalOrderLock`): the object keeps
    the one descriptor it holds, and is no lock among threads itself. A lock held by
    someone else is tried again after naps of `FIRST_NAP_SECONDS` doubling to
    `LONGEST_NAP_SECONDS`, until `timeout`. The files are opened for each turn and closed
    after it (a few microseconds), so nothing stays open between turns; the kernel lets the
    locks go when a process ends, crash or not.
    """

    def __init__(self, path: str, mode: int = 0o600) -> None:
        self.path = path
        self.mode = mode
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None) -> bool:
        """Hold the lock; False when `timeout` seconds (None: without limit) ran out first."""
        until = None if timeout is None else time.monotonic() + timeout
        queue = os.open(self.path + NEXT_IN_LINE_SUFFIX, os.O_CREAT | os.O_RDWR, self.mode)
        try:
            if not _take(queue, until):
                return False
            lock = os.open(self.path, os.O_CREAT | os.O_RDWR, self.mode)
            try:
                got = _take(lock, until)
            except BaseException:
                os.close(lock)
                raise
            if not got:
                os.close(lock)
                return False
            # Named before anything else can raise (a signal's exception), so that `release`
            # closes it: a lock left open would keep every process waiting while this one runs.
            self._fd = lock
        finally:
            os.close(queue)  # the next in line may now wait for the lock itself
        return True

    def release(self) -> None:
        """Let the lock go (closing the file does); nothing when it is not held, so a caller
        may call it on every path, whether `acquire` returned, failed or raised."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def _take(fd: int, until: float | None) -> bool:
    """Lock `fd`, trying again after naps until `until` (a `time.monotonic`; None: no limit)."""
    nap = FIRST_NAP_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            pass
        left = None if until is None else until - time.monotonic()
        if left is not None and left <= 0:
            return False
        time.sleep(nap if left is None else min(nap, left))
        nap = min(nap * 2, LONGEST_NAP_SECONDS)
