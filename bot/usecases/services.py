"""What the handlers work with: the database, the clock, the use cases built on them, and a pool
for the work that follows an ack."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient

from bot.rules.clock import Clock
from bot.usecases.after_hours.hints import AfterHours
from bot.usecases.digests.buttons import DigestButtons
from bot.usecases.digests.subscriptions import DigestSubscriptions
from bot.usecases.log_contact import LogContact
from bot.usecases.nudge_answers import NudgeAnswers
from bot.usecases.ownership import Ownership
from bot.usecases.partners.home import AppHome, Redraw
from bot.usecases.partners.lists import PartnerLists
from bot.usecases.slack_directory import Profiles, SlackDirectory
from storage import deadline as deadlines
from storage.db import Database

log = logging.getLogger(__name__)


class BoundedPool:
    """A few threads of its own for one kind of work, and a bound on how much of it may wait:
    work beyond the bound is refused (`submit` False; the caller logs and drops it), so that a
    flood of it neither delays other work nor grows without end. Counts the work in flight, so
    that a caller can wait until it is done (`wait_until_idle`)."""

    def __init__(self, workers: int, waiting: int, name: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._slots = threading.BoundedSemaphore(workers + waiting)
        self._in_flight = 0
        self._changed = threading.Condition()

    def submit(self, run: Callable[[], None]) -> bool:
        """Queue `run`; False, and nothing queued, when the pool is full or shut down."""
        if not self._slots.acquire(blocking=False):
            return False
        with self._changed:
            self._in_flight += 1

        def tracked() -> None:
            try:
                run()
            finally:
                self._done()

        try:
            self._pool.submit(tracked)
        except RuntimeError:  # shut down
            self._done()
            return False
        return True

    def _done(self) -> None:
        self._slots.release()
        with self._changed:
            self._in_flight -= 1
            self._changed.notify_all()

    def wait_until_idle(self, timeout: float) -> bool:
        """True once nothing runs or waits here; False if `timeout` (seconds) passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._in_flight == 0, timeout)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class SkipCounter:
    """Messages skipped for a full after-hours pool, told in one warning a minute with their
    count: a flood must not become a flood of log lines too."""

    EVERY_SECONDS = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0
        self._told_at = float("-inf")

    def add(self) -> None:
        with self._lock:
            self._count += 1
            if time.monotonic() - self._told_at < self.EVERY_SECONDS:
                return
        self.flush()

    def flush(self) -> None:
        """Tell the count not told yet (at shutdown, so that no skip goes untold)."""
        with self._lock:
            count, self._count, self._told_at = self._count, 0, time.monotonic()
        if count:
            log.warning(
                "after-hours check skipped for %d message(s): too many waiting for look-ups", count
            )


# After-hours work (look-ups, the decision, the hint) runs on threads of its own: stalled Slack
# look-ups must not hold up the replies people wait for on `background` (Undo, Mute, refusals).
# Two threads, and up to 200 messages waiting; beyond that a message is skipped (the hint is a
# courtesy, and a backlog that deep means Slack is not answering anyway).
AFTER_HOURS_WORKERS = 2
AFTER_HOURS_WAITING = 200
# How often (real seconds) a thread looks for Home redraws whose coalescing window has passed
# by the injected clock; the thread runs only while one is waiting.
REDRAW_POLL_SECONDS = 1.0


@dataclass
class Services:
    db: Database
    clock: Clock
    # Work that follows an ack: Slack look-ups and response_url posts. A listener hands it over
    # only when there is some, so the common path pays nothing for it.
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=8, thread_name_prefix="later")
    )

    after_hours_pool: BoundedPool = field(
        default_factory=lambda: BoundedPool(
            AFTER_HOURS_WORKERS, AFTER_HOURS_WAITING, name="after-hours"
        )
    )

    def __post_init__(self) -> None:
        self._skipped = SkipCounter()
        # Every use case has this shape (`bot.usecases.base.UseCase`): the database and clock in,
        # one transaction per call, what to answer out.
        self.logcontact = LogContact(self.db, self.clock)
        self.nudge_answers = NudgeAnswers(self.db, self.clock)
        self.ownership = Ownership(self.db, self.clock)
        self.partner_lists = PartnerLists(self.db, self.clock)
        self.profiles = Profiles(self.db, self.clock)
        self.slack_directory = SlackDirectory(self.db, self.clock)
        self.after_hours = AfterHours(self.db, self.clock, self.slack_directory)
        self.partner_cards = self.partner_lists.cards
        self.partner_registry = self.partner_lists.registry
        self.partner_merging = self.partner_lists.merging
        self.app_home = AppHome(self.db, self.clock, self.logcontact.admit)
        self._redrawer: threading.Thread | None = None
        self._redrawer_lock = threading.Lock()
        self._closing = threading.Event()
        self.digest_buttons = DigestButtons(self.db, self.clock, self.slack_directory)
        self.digest_subscriptions = DigestSubscriptions(
            self.db, self.clock, self.logcontact.admit, self.slack_directory
        )

    def home_changed(self, client: WebClient, team_id: str, user_id: str) -> None:
        """The member changed something their Home shows (a contact, a promise, a setting, a
        partner taken over or handed on): their Home is published again after the ack, or
        once the coalescing window has passed, and only if they opened it (`AppHome.changed`).
        Handlers call this after their use case returned; it never blocks the ack."""
        redraw = self.app_home.changed(client, team_id, user_id)
        if redraw is Redraw.NOW:
            self.later(self.app_home.publish, client, team_id, user_id)
        elif redraw is Redraw.WAITING:
            self._watch_redraws()

    def redraw_due(self) -> None:
        """Publish the waiting Home redraws whose window has passed (the redraw thread calls
        this; the sandbox too, right after it moves its clock)."""
        for client, team_id, user_id in self.app_home.due():
            self.later(self.app_home.publish, client, team_id, user_id)

    def stop_redraws(self) -> None:
        """No more Home redraws from the thread (shutting down): one waiting is dropped, and
        the next opening of that Home draws it."""
        self._closing.set()

    def _watch_redraws(self) -> None:
        """Start the thread that publishes waiting redraws, unless it runs; it ends once none
        waits (decided under the same lock, so a redraw added meanwhile starts a new one)."""
        with self._redrawer_lock:
            if self._redrawer is not None or self._closing.is_set():
                return
            self._redrawer = threading.Thread(
                target=self._redraw_loop, name="home-redraw", daemon=True
            )
            self._redrawer.start()

    def _redraw_loop(self) -> None:
        while not self._closing.wait(REDRAW_POLL_SECONDS):
            try:
                self.redraw_due()
            except Exception:
                log.exception("Home redraws failed; the next look tries again")
            with self._redrawer_lock:
                if not self.app_home.waiting():
                    self._redrawer = None
                    return
        with self._redrawer_lock:
            self._redrawer = None

    def later(self, work: Callable[..., Any], *args: Any) -> None:
        """Run `work` after the ack; failures are logged, never lost silently.

        Not when the request's deadline has passed before anything was saved: the person is
        told that nothing was, and work done now would contradict it (the request is marked
        cut short, so the web layer says so even if the listener's own answer made it in time).
        """
        deadline = deadlines.current()
        if deadline is not None and deadline.expired and not deadline.saved:
            deadline.cut_short = True
            log.info("dropped deferred %s: the request's deadline passed", _name(work))
            return

        def run() -> None:
            try:
                work(*args)
            except Exception:
                log.exception("deferred %s failed", _name(work))

        self.background.submit(run)

    def after_hours_later(self, work: Callable[..., Any], *args: Any) -> None:
        """Run after-hours `work` after the ack on its own pool; skipped, in one log line, when
        that pool has as much waiting as it may hold. Failures are logged."""

        def run() -> None:
            try:
                work(*args)
            except Exception:
                log.exception("deferred %s failed", _name(work))

        if not self.after_hours_pool.submit(run):
            self._skipped.add()

    def close(self) -> None:
        """Finish deferred work (replies people are waiting for), then release the database."""
        self.stop_redraws()
        self.background.shutdown(wait=True)
        # Hints queued for look-ups are a courtesy: at shutdown they are dropped, not waited for.
        self.after_hours_pool.shutdown(wait=True, cancel_futures=True)
        self._skipped.flush()
        self.db.dispose()


def _name(work: Callable[..., Any]) -> str:
    return getattr(work, "__name__", type(work).__name__)
