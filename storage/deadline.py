"""A time limit for the database work of one web request, kept by the client.

Slack waits 3 seconds for an answer. PostgreSQL's `statement_timeout` is enforced by the server,
so it never fires when the server itself is frozen; only the client can promise an answer in
time. The web layer gives each request a `Deadline` and stops waiting for it when it passes;
`Database.transaction()` consults the deadline of the thread it runs in, so that work still
running when the answer has gone out can never commit afterwards, and the answer can say
truthfully whether anything was saved:

- the deadline passed before COMMIT was sent: the transaction rolls back; nothing was saved;
- it passed while COMMIT was on its way, or after a COMMIT whose answer was lost (the connection
  failed): the outcome is unknown (the server may have committed);
- it passed after a COMMIT succeeded, while the answer was still being put together: saved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum


class Phase(Enum):
    """Where a request's database work stood when its deadline passed."""

    NOT_COMMITTING = "not_committing"  # nothing was sent to COMMIT: nothing was saved
    COMMITTING = "committing"  # COMMIT was sent, its answer not come (yet, or lost): unknown
    SAVED = "saved"  # a COMMIT succeeded; what came after (a read, a reply) was too slow


class DeadlineExceeded(Exception):
    """The request's deadline passed; `phase` says whether anything may have been saved."""

    def __init__(self, phase: Phase) -> None:
        super().__init__(phase.value)
        self.phase = phase


class Deadline:
    """A point in monotonic time after which a request's answer has gone out without waiting.

    `expire()` is called by whoever stops waiting (the web layer); `committing()` wraps a COMMIT.
    Both take one lock, so a COMMIT either starts before the deadline is declared passed (and
    the answer says "unknown") or not at all (and the answer says "nothing saved").
    `commit_lost()` keeps the answer "unknown" after a COMMIT whose answer never came, however
    late the deadline passes.
    """

    def __init__(self, seconds: float, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        # When the request came (monotonic seconds): SQLite's write lock goes to the oldest.
        self.arrived_at = monotonic()
        self.ends_at = self.arrived_at + seconds
        self._lock = threading.Lock()
        self._expired = False
        self._committing = False
        self._saved = False
        # A COMMIT was sent and its answer lost: the server may have committed, so however late
        # the deadline passes, "nothing was saved" would be a guess.
        self._commit_lost = False
        # Set once work was refused for lack of time: its answer, whatever it says, is not
        # the truth about what happened, and the web layer answers instead.
        self.cut_short = False
        # The Slack locale of the person being answered, once a query has found them: the web
        # layer's own answer, when it stops waiting, is written in their language.
        self.asker_locale: str | None = None
        # Slack user id → the locale to speak to them in, for those whose language this request
        # changed (a language chosen in their settings, a Slack profile read anew): the web
        # layer remembers it for its own answers to their later requests.
        self.locales_changed: dict[str, str] = {}

    def remaining(self) -> float:
        """Seconds left, never below zero."""
        return max(0.0, self.ends_at - self._monotonic())

    @property
    def expired(self) -> bool:
        return self._expired or self.remaining() <= 0

    def check(self) -> None:
        """Raise `DeadlineExceeded` when there is no time left to start more work."""
        if self.expired:
            raise self.exceeded()

    def exceeded(self) -> DeadlineExceeded:
        """The error for work cut short before its COMMIT; the request is marked `cut_short`."""
        self.cut_short = True
        return DeadlineExceeded(Phase.NOT_COMMITTING)

    @property
    def saved(self) -> bool:
        """Whether a COMMIT of this request's work has succeeded."""
        return self._saved

    def forget_saves(self) -> None:
        """Bookkeeping was committed (the request's signature), not the request's work."""
        with self._lock:
            self._saved = False

    def commit_lost(self) -> None:
        """The COMMIT being sent lost its answer (the connection failed): its outcome stays
        unknown. The work may still be putting its own answer together when the deadline
        passes, and the web layer's answer must then say "cannot tell" too."""
        with self._lock:
            self._commit_lost = True

    def expire(self) -> Phase:
        """Declare the deadline passed; returns where the work stood at that moment."""
        with self._lock:
            self._expired = True
            if self._committing or self._commit_lost:
                return Phase.COMMITTING
            return Phase.SAVED if self._saved else Phase.NOT_COMMITTING

    @contextmanager
    def committing(self) -> Iterator[None]:
        """Around a COMMIT: refused once the deadline has passed, marked while it runs."""
        with self._lock:
            if self.expired:
                raise self.exceeded()
            self._committing = True
        committed = False
        try:
            yield
            committed = True
        finally:
            with self._lock:
                self._committing = False
                self._saved = self._saved or committed


_current = threading.local()


def current() -> Deadline | None:
    """The deadline of the request this thread is serving; None outside web requests."""
    return getattr(_current, "deadline", None)


def locale_changed(slack_user_id: str, locale: str, *, asker: bool = False) -> None:
    """Tell the request being served that `slack_user_id` is now spoken to in `locale`
    (`asker`: they are the person asking, whose answer follows it at once). Outside a web
    request there is nothing to tell."""
    deadline = current()
    if deadline is None:
        return
    deadline.locales_changed[slack_user_id] = locale
    if asker:
        deadline.asker_locale = locale


@contextmanager
def within(deadline: Deadline) -> Iterator[Deadline]:
    """Run the body with `deadline` as this thread's current deadline."""
    previous = current()
    _current.deadline = deadline
    try:
        yield deadline
    finally:
        _current.deadline = previous
