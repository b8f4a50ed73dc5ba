"""Watching a running app for failures it only writes down: ERROR log lines and tracebacks.

An HTTP answer can look fine while a listener, a deferred reply or uvicorn itself logged a
traceback on the way. `FailureWatch` collects every log record at ERROR or above, and every
record carrying a traceback, from the root logger and from uvicorn's (which does not pass its
records on to the root), and every exception that escaped a thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

# uvicorn's loggers keep their records to themselves (propagate is off).
_LOGGERS = ("", "uvicorn", "uvicorn.access")


class FailureWatch(logging.Handler):
    """Failures seen since the last `clear()`, as lines fit for an assertion message."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.failures: list[str] = []
        self.warnings: list[str] = []
        self._lock_failures = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR and not record.exc_info:
            if record.levelno >= logging.WARNING:
                with self._lock_failures:
                    self.warnings.append(f"{record.name}: {record.getMessage()}")
            return
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line += f" [{type(error).__name__}: {error}]"
        with self._lock_failures:
            self.failures.append(line)

    def thread_failed(self, args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        summary = "".join(traceback.format_exception_only(args.exc_type, args.exc_value)).strip()
        with self._lock_failures:
            self.failures.append(f"uncaught in thread {name}: {summary}")

    def clear(self) -> None:
        with self._lock_failures:
            self.failures.clear()
            self.warnings.clear()

    def taken(self) -> list[str]:
        """The failures so far, and a fresh start."""
        with self._lock_failures:
            seen = list(self.failures)
            self.failures.clear()
            self.warnings.clear()
        return seen


@contextmanager
def watching_failures() -> Iterator[FailureWatch]:
    watch = FailureWatch()
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for logger in loggers:
        logger.addHandler(watch)
    previous_hook = threading.excepthook
    threading.excepthook = watch.thread_failed
    try:
        yield watch
    finally:
        threading.excepthook = previous_hook
        for logger in loggers:
            logger.removeHandler(watch)
