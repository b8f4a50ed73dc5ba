"""What the handlers work with: the database, the clock, the use cases built on them, and a pool
for the work that follows an ack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bot.rules.clock import Clock
from bot.usecases.after_hours.hints import AfterHours
from bot.usecases.log_contact import LogContact
from bot.usecases.nudge_answers import NudgeAnswers
from bot.usecases.ownership import Ownership
from bot.usecases.partners.lists import PartnerLists
from bot.usecases.slack_directory import Profiles, SlackDirectory
from storage import deadline as deadlines
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class Services:
    db: Database
    clock: Clock
    # Work that follows an ack: Slack look-ups and response_url posts. A listener hands it over
    # only when there is some, so the common path pays nothing for it.
    background: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=8, thread_name_prefix="later")
    )

    def __post_init__(self) -> None:
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

    def close(self) -> None:
        """Finish deferred work (replies people are waiting for), then release the database."""
        self.background.shutdown(wait=True)
        self.db.dispose()


def _name(work: Callable[..., Any]) -> str:
    return getattr(work, "__name__", type(work).__name__)
