"""Log lines about refused requests, bounded: a flood of refusals must not flood the log.

A client that cannot get in could still fill the disk, or bury the lines an operator needs, by
sending what the front door refuses: each refusal was one line, and 500 cost 0.12 s to send.
So each *kind* of refusal ("wrong_signature", "headers too large", "replayed", …) gets its own
window of `WINDOW_SECONDS`: its first `BURST` refusals in it are logged as they come; the rest
are only counted, and one summary line says how many were left out:

    … and 4,812 more refused requests: wrong_signature, in the last 60 s

Kinds are counted apart so that one flood hides no other refusal (a flood of forged signatures
must not hide the stale timestamps of a server whose clock has drifted).

The summary is written by the next refusal after the window ended, of any kind, or by `flush`
(at shutdown): no timer, so no thread of its own and nothing that needs an event loop, as
refusals are logged from uvicorn's event loop and from the dispatch threads alike. A summary may
come late when refusals stop altogether, and then says so ("in 60 s that ended … ago").

Why not a `logging.Filter` keyed on the record's template (`record.msg`), or a library such as
`log-rate-limit`: one template carries several kinds (all seven signature failures share one
line, the 431 and the version's 400 another), a filter cannot log its own summary without
passing through itself, and a filter on a logger is lost when logging is configured anew. The
kind is said where the refusal is, which is plain to read, and this is all the code there is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# One minute is how far back an operator reading the log looks for what is happening now, and
# a genuine problem (a wrong signing secret, a drifted clock) shows within it.
WINDOW_SECONDS = 60.0
# Enough lines to tell one client's repeated mistake from a pattern (each line carries its
# details: the timestamp, the body's length); with the summary, a kind costs at most 6 lines a
# minute, about 8,600 a day (some 1 MB), however many refusals there are.
BURST = 5


@dataclass
class _Window:
    """One kind's current window: where its lines go, when it began, and what it logged."""

    logger: logging.Logger
    level: int
    began: float
    logged: int = 0
    left_out: int = 0


class RefusalLog:
    """Logs refusals per kind, `burst` of them per `window` seconds of `clock`, then a count.

    Thread-safe: the lock guards the counts only; the lines are written outside it, so a slow
    log handler delays the refusal it writes and no other."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        window: float = WINDOW_SECONDS,
        burst: int = BURST,
    ) -> None:
        self.clock = clock
        self.window = window
        self.burst = burst
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def warning(self, logger: logging.Logger, kind: str, message: str, *args: object) -> None:
        """`logger.warning(message, *args)`, unless `kind` has had its `burst` in this window."""
        self._record(logging.WARNING, logger, kind, message, args)

    def log(
        self, level: int, logger: logging.Logger, kind: str, message: str, *args: object
    ) -> None:
        """`logger.log(level, message, *args)`, unless `kind` has had its `burst` in this
        window."""
        self._record(level, logger, kind, message, args)

    def _record(
        self, level: int, logger: logging.Logger, kind: str, message: str, args: tuple[object, ...]
    ) -> None:
        """Log or count the refusal; before it, the summaries of windows that have ended."""
        now = self.clock()
        with self._lock:
            summaries = self._close_ended(now)
            current = self._windows.setdefault(kind, _Window(logger, level, now))
            shown = current.logged < self.burst
            if shown:
                current.logged += 1
            else:
                current.left_out += 1
        for line in summaries:
            line()
        if shown:
            # The line names the refusal's own place in the code, as it did, not this one's.
            logger.log(level, message, *args, stacklevel=3)

    def flush(self) -> None:
        """Write the summary of every window that left refusals out, ended or not (at
        shutdown, when no refusal will come to write them)."""
        with self._lock:
            summaries = self._close_ended(self.clock(), everything=True)
        for line in summaries:
            line()

    def _close_ended(self, now: float, *, everything: bool = False) -> list[Callable[[], None]]:
        """Forget the windows ended by `now` (all of them if `everything`); the summaries of
        those that left refusals out, to be written once the lock is released. Called with the
        lock held."""
        ended = [
            kind
            for kind, window in self._windows.items()
            if everything or now - window.began >= self.window
        ]
        closed = [(kind, self._windows.pop(kind)) for kind in ended]
        return [self._summary(kind, window, now) for kind, window in closed if window.left_out]

    def _summary(self, kind: str, ended: _Window, now: float) -> Callable[[], None]:
        """The line that says how many refusals of `kind` its window left out, and when."""
        elapsed = now - ended.began
        if elapsed <= self.window + 1:  # written as the window ends, or cut short by `flush`
            span = f"in the last {_duration(min(elapsed, self.window))}"
        else:
            span = f"in {_duration(self.window)} that ended {_duration(elapsed - self.window)} ago"
        count = f"{ended.left_out:,}"
        return lambda: ended.logger.log(
            ended.level, "… and %s more refused requests: %s, %s", count, kind, span
        )


def _duration(seconds: float) -> str:
    """A span as an operator reads it: whole seconds from 10 s, tenths below, milliseconds
    below one second. A flood cut short by `flush` at shutdown often lasted less than a
    second (500 refusals took 0.12 s), which whole seconds showed as "0 s"."""
    if seconds >= 10:
        return f"{seconds:.0f} s"
    if seconds >= 1:
        return f"{seconds:.1f} s"
    return f"{seconds * 1000:.0f} ms"
