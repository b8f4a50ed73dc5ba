"""SQLite's one write lock goes to the request that arrived first, not to whichever thread the
kernel wakes first."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from storage.turns import ArrivalOrderLock
from tests.support.threads import outcome_in_a_thread

WAIT = 10.0  # seconds a test waits for a thread at most; nothing should come near it
SHORT = 0.01  # seconds a caller waits for a lock it is not meant to get


def wait_for_waiters(lock: ArrivalOrderLock, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while lock.waiting != count:
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_a_free_lock_is_taken_at_once_and_freed_on_release() -> None:
    lock = ArrivalOrderLock()
    assert lock.acquire(5.0, timeout=0)
    assert not lock.acquire(1.0, timeout=0)
    lock.release()
    assert lock.acquire(9.0, timeout=0)


def test_waiters_get_the_lock_by_arrival_not_by_when_they_asked() -> None:
    lock = ArrivalOrderLock()
    lock.acquire(0.0)
    order: list[float] = []

    def writer(arrived: float) -> None:
        lock.acquire(arrived, timeout=WAIT)
        order.append(arrived)
        lock.release()

    threads = []
    for arrived in (3.0, 1.0, 4.0, 2.0):  # asking in this order
        thread = threading.Thread(target=writer, args=(arrived,))
        thread.start()
        threads.append(thread)
        wait_for_waiters(lock, len(threads))
    lock.release()
    for thread in threads:
        thread.join(WAIT)

    assert order == [1.0, 2.0, 3.0, 4.0]


def test_a_waiter_that_runs_out_of_time_holds_nothing_and_is_skipped() -> None:
    lock = ArrivalOrderLock()
    lock.acquire(0.0)
    got: list[bool] = []
    gave_up = threading.Thread(target=lambda: got.append(lock.acquire(1.0, timeout=0.01)))
    gave_up.start()
    gave_up.join(WAIT)
    assert got == [False]
    assert lock.waiting == 0

    later = threading.Thread(target=lambda: got.append(lock.acquire(2.0, timeout=WAIT)))
    later.start()
    wait_for_waiters(lock, 1)
    lock.release()
    later.join(WAIT)

    assert got == [False, True]


class Interrupted(Exception):
    """What a signal handler raises in the main thread (KeyboardInterrupt, SystemExit)."""


def interrupt_after(seconds: float) -> None:
    def handler(*_: object) -> None:
        raise Interrupted

    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def test_a_wait_interrupted_by_an_exception_leaves_no_turn_behind() -> None:
    lock = ArrivalOrderLock()
    holder = threading.Thread(target=lambda: lock.acquire(0.0))
    holder.start()
    holder.join(WAIT)
    previous = signal.getsignal(signal.SIGALRM)
    try:
        interrupt_after(0.05)
        with pytest.raises(Interrupted):
            lock.acquire(1.0)  # the main thread, where signal handlers run
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert lock.waiting == 0

    lock.release()  # handed to no one: free for the next writer
    assert lock.acquire(2.0, timeout=0)


def test_a_thread_asking_again_for_the_lock_it_holds_is_refused_not_left_waiting() -> None:
    lock = ArrivalOrderLock()

    def nested() -> bool:
        lock.acquire(1.0)
        return lock.acquire(2.0)  # no timeout: it would wait for itself forever

    [outcome] = outcome_in_a_thread(nested)

    assert isinstance(outcome, RuntimeError)


def test_a_holder_that_handed_the_lock_on_waits_for_it_like_anyone() -> None:
    lock = ArrivalOrderLock()
    lock.acquire(0.0)
    handed, done = threading.Event(), threading.Event()

    def next_writer() -> None:
        lock.acquire(1.0, timeout=WAIT)
        handed.set()
        done.wait(WAIT)
        lock.release()

    writer = threading.Thread(target=next_writer)
    writer.start()
    wait_for_waiters(lock, 1)
    lock.release()
    # With a wait: asking without one (`timeout=0`) is never refused as re-entrant, so it cannot
    # tell a holder that handed the lock on from one still holding it. Asked at once, before
    # the writer has woken and named itself the holder, and again once it has.
    assert not lock.acquire(2.0, timeout=SHORT)
    assert handed.wait(WAIT)

    assert not lock.acquire(2.0, timeout=SHORT)  # held by the writer now, not by this thread
    done.set()
    writer.join(WAIT)


def test_a_writer_handed_the_lock_is_refused_when_it_asks_again() -> None:
    lock = ArrivalOrderLock()
    lock.acquire(0.0)
    outcomes: list[object] = []

    def next_writer() -> None:
        lock.acquire(1.0, timeout=WAIT)  # waits, then is handed the lock
        try:
            outcomes.append(lock.acquire(2.0, timeout=WAIT))
        except RuntimeError as refused:
            outcomes.append(refused)
        lock.release()

    writer = threading.Thread(target=next_writer, daemon=True)
    writer.start()
    wait_for_waiters(lock, 1)
    lock.release()
    writer.join(WAIT)

    assert not writer.is_alive(), "the writer waits for the lock it holds"
    assert len(outcomes) == 1 and isinstance(outcomes[0], RuntimeError)
