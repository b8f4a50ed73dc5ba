"""Profiles Slack tells about: members and Slack Connect partners, kept current."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.parsing.checks import forbidden_character
from bot.rules.people import SlackPerson
from bot.slack.users import LookupFailed, look_up, person_from_slack
from bot.usecases.base import UseCase
from storage.db import Database
from storage.models import Partner
from storage.queries.members import find_member, find_workspace, save_member
from storage.queries.partners import find_partner, find_partner_by_slack_user, partners_to_refresh
from storage.queries.received import claim_event
from storage.vocabulary import EVENT_ID_MAX_CHARS

log = logging.getLogger(__name__)


class Profiles(UseCase):
    """Profiles Slack tells about: members and Slack Connect partners, kept current."""

    def changed(self, team_id: str, event_id: str, user: dict[str, Any]) -> None:
        """Refresh the member or the Slack Connect partner behind `user`, once per event id.

        People Rapport has never seen are not added: a profile is cached when it is first
        needed.
        """
        if not event_id or len(event_id) > EVENT_ID_MAX_CHARS or forbidden_character(event_id):
            return  # no event id Slack sends: nothing to remember it by
        person = person_from_slack(user)
        now = self.clock.now()
        with self.db.transaction() as session:
            workspace = find_workspace(session, team_id)
            if workspace is None or not claim_event(session, event_id, team_id, now):
                return
            if find_member(session, workspace.id, person.user_id) is not None:
                save_member(session, workspace.id, person.user_id, now, **person.member_profile())
            partner = find_partner_by_slack_user(session, workspace.id, person.user_id)
            if partner is not None:
                refresh_partner(partner, person, now)


def refresh_partner(partner: Partner, person: SlackPerson | None, now: datetime) -> None:
    """Bring a Slack Connect partner's cached zone up to date with what Slack just said.

    A zone typed in the partner's profile wins over Slack's and is kept; Slack's own is taken
    whenever Slack names one. `person` None (Slack no longer knows the user) changes nothing
    but the time of asking, so the next refresh is a day away.
    """
    partner.profile_refreshed_at = now
    if person is not None and person.tz and partner.tz_source != "typed":
        partner.tz, partner.tz_source = person.tz, "slack"


REFRESH_AFTER = timedelta(days=1)


def refresh_partners(db: Database, client: WebClient, now: datetime, limit: int) -> int:
    """Ask Slack again about the Slack Connect partners last read more than a day ago, `limit`
    at most (the rest wait for the next tick); how many were asked.

    Slack may not send `user_change` for people of another organisation, so this is how their
    zone stays current. Calls happen outside any transaction. Slack not answering (a rate
    limit, an outage) ends the round: those partners are asked on a later tick.
    """
    with db.reading() as session:
        due = partners_to_refresh(session, now - REFRESH_AFTER, limit)
    asked = 0
    for row in due:
        try:
            person = look_up(client, row.slack_user_id)
        except LookupFailed:
            log.warning("partner profile refresh stopped: Slack did not answer")
            break
        asked += 1
        with db.transaction() as session:
            partner = find_partner(session, row.workspace_id, row.id)
            if partner is not None:
                refresh_partner(partner, person, now)
    return asked
