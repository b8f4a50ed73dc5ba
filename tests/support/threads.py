"""Work run in a thread of its own, for tests of locks a thread could wait on for ever."""

from __future__ import annotations

import threading
from collections.abc import Callable

WAIT = 10.0  # seconds the work may take; a thread still running then is stuck


def outcome_in_a_thread(work: Callable[[], object]) -> list[object]:
    """What `work` returned or raised (an `Exception`), run in a daemon thread of its own, as a
    scheduler job is: a thread stuck waiting for itself then fails the test instead of hanging
    it, and is left behind when the tests end."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(WAIT)
    assert not thread.is_alive(), "the thread waits for a lock it holds"
    return outcome
