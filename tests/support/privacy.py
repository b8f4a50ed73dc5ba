"""Watching the logs of a running app for what it was sent: notes, tokens, URLs, secrets.

Rapport keeps private data out of its logs at every level it sets (INFO and up). Every scenario
test's app records what it sends (`Sent`), and `LogCapture` holds every log line written while
the test ran, tracebacks included; at the end of the test, none of what was sent may appear.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

# Shorter strings ("help", "Acme") turn up in log lines by coincidence; what matters is prose.
SHORTEST_PRIVATE = 12
_LOGGERS = ("", "uvicorn", "uvicorn.access", "uvicorn.error")


class Sent:
    """Private strings a test sent to the app."""

    def __init__(self) -> None:
        self._strings: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *strings: str | None) -> None:
        with self._lock:
            self._strings.update(s for s in strings if s and len(s.strip()) >= SHORTEST_PRIVATE)

    def add_values(self, node: Any) -> None:
        """Every `value` a form's state or a message carries, at any depth."""
        self.add(*_values(node))

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(sorted(self._strings))


def _values(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("value", "text") and isinstance(value, str):
                yield value
            else:
                yield from _values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _values(item)


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a record that cannot be formatted is still checked by its parts
            line = f"{record.msg} {record.args}"
        with self._guard:
            self.lines.append(line)


@contextmanager
def capturing_logs() -> Iterator[LogCapture]:
    """Every log line at INFO and up, as `rapport serve` writes them, while the block runs."""
    capture = LogCapture()
    root = logging.getLogger()
    level = root.level
    root.setLevel(min(level, logging.INFO) if level else logging.INFO)
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for logger in loggers:
        logger.addHandler(capture)
    try:
        yield capture
    finally:
        for logger in loggers:
            logger.removeHandler(capture)
        root.setLevel(level)


def leaks(capture: LogCapture, sent: Iterable[str]) -> list[str]:
    """Each private string found in a log line, with the line."""
    found = []
    for secret in sent:
        for line in capture.lines:
            if secret in line:
                found.append(f"{secret!r} in {line[:300]!r}")
                break
    return found
