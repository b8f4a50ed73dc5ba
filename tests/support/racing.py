"""Requests raced against each other: each from its own thread, all released at one moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def at_once(count: int, act: Callable[[int], T]) -> list[T]:
    """`act(0)` … `act(count - 1)`, each in its own thread, released together."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = act(i)
        except BaseException as error:  # handed to the test, which fails on it
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == [], failures
    return results
