"""The App Home: the view a member sees when they open Rapport's Home tab.

The view is read in one transaction from the lists' own queries
(`storage.queries.partner_lists`): the member's partners in the list's order with their health
(`bot.usecases.partners.health.health_of`, as lists and cards read it), and their open
promises both ways, overdue first. The member is loaded as every use case loads the asker
(`bot.usecases.members.asker`): a workspace guest or someone of another organisation gets no
view at all, so nothing about a partner is read for them. Someone not cached yet is admitted
through Slack first (`admit`, `/logcontact`'s look-up), so a first-time member sees the
welcome.

Opening the tab again and again must not turn into a burst of `views.publish` calls: a member's
Home is published at most once per `COALESCE_SECONDS` of the injected clock (`claim`); a
later open within that window publishes nothing, since the view published moments ago is
still current.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.home.view import (
    HOME_PROMISES_MAX,
    HomeData,
    HomePartner,
    home_view,
    partner_rows_wanted,
)
from bot.blocks.partner_lists import OpenPromise
from bot.rules.clock import Clock
from bot.rules.nudges import MAX_UNANSWERED
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader, reader_of
from bot.usecases import members
from bot.usecases.base import UseCase
from bot.usecases.members import NotAMember
from bot.usecases.partners.health import health_of
from bot.usecases.partners.reliability import own_reliability
from storage.db import Database
from storage.models import Member
from storage.queries.partner_lists import (
    PartnerFilter,
    count_partners,
    count_promises,
    partner_page,
    promise_page,
)

log = logging.getLogger(__name__)

COALESCE_SECONDS = 5
Admit = Callable[[WebClient, str, str], None]


class AppHome(UseCase):
    """The Home tab's view for one member; `admit` caches a first-time member (or raises
    `NotAMember` / `LookupFailed`), as `LogContact.admit` does."""

    def __init__(self, db: Database, clock: Clock, admit: Admit) -> None:
        super().__init__(db, clock)
        self._admit = admit
        self._lock = threading.Lock()
        # (workspace, user) -> when their Home was last claimed for publishing.
        self._published_at: dict[tuple[str, str], datetime] = {}

    def claim(self, team_id: str, user_id: str) -> bool:
        """Whether to publish this member's Home now: False within `COALESCE_SECONDS` of the
        last claim. Claims older than the window are dropped, so the map holds only the
        members who opened the tab within the last few seconds."""
        now = self.clock.now()
        window = timedelta(seconds=COALESCE_SECONDS)
        with self._lock:
            for key, at in list(self._published_at.items()):
                if now - at >= window:
                    del self._published_at[key]
            if (team_id, user_id) in self._published_at:
                return False
            self._published_at[(team_id, user_id)] = now
            return True

    def view_for(self, client: WebClient, team_id: str, user_id: str) -> dict[str, Any] | None:
        """The member's Home view; None (logged, without data) for someone who is not one of
        the company's members or whom Slack could not be asked about."""
        try:
            view = self._read(team_id, user_id)
            if view is None:
                self._admit(client, team_id, user_id)
                view = self._read(team_id, user_id)
        except NotAMember:
            log.info("no App Home for %s: not one of the company's members", user_id)
            return None
        except LookupFailed as failed:
            log.info("no App Home for %s: Slack did not answer (%s)", user_id, failed.error)
            return None
        if view is None:
            log.info("no App Home for %s: not cached after admission", user_id)
        return view

    def _read(self, team_id: str, user_id: str) -> dict[str, Any] | None:
        """The view from the database alone; None when the member is not cached."""
        with self.db.transaction() as session:
            member = members.asker(session, team_id, user_id)
            if member is None:
                return None
            reader = reader_of(member)
            now = self.clock.now()
            return home_view(reader, _home_data(session, member, reader, now), now)


def _home_data(session: Session, member: Member, reader: Reader, now: datetime) -> HomeData:
    """Four statements of the lists' queries (the promises first, since their count decides
    how many partner rows the view has room for) and one for the member's own reliability."""
    today = reader.today(now)
    workspace_id = member.workspace_id
    promises_total, _overdue = count_promises(session, workspace_id, member.id, today)
    promises = [
        OpenPromise(r.text, r.due_on, r.promised_by, r.partner_name, r.partner_organisation)
        for r in promise_page(session, workspace_id, member.id, offset=0, limit=HOME_PROMISES_MAX)
    ]
    mine = PartnerFilter(owner_id=member.id)
    partners_total = count_partners(session, workspace_id, mine)
    rows = (
        partner_page(
            session,
            workspace_id,
            mine,
            today=today,
            offset=0,
            limit=partner_rows_wanted(len(promises)),
            reminders=MAX_UNANSWERED,
        )
        if partners_total
        else []
    )
    partners = [HomePartner(r.name, r.organisation, health_of(r, reader, now)) for r in rows]
    figure = own_reliability(session, member, today)
    return HomeData(partners, partners_total, promises, promises_total, figure)
