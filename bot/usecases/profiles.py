"""Profiles Slack tells about: members and Slack Connect partners, kept current."""

from __future__ import annotations

from typing import Any

from bot.parsing.checks import forbidden_character
from bot.slack.users import person_from_slack
from bot.usecases.base import UseCase
from storage.queries.members import find_member, find_workspace, save_member
from storage.queries.partners import find_partner_by_slack_user
from storage.queries.received import claim_event
from storage.vocabulary import EVENT_ID_MAX_CHARS


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
            if partner is not None and person.tz:
                partner.tz = person.tz
