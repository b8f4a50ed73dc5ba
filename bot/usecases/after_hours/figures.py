"""Last week's after-hours figures in a member's first nudge DM of the week, and nowhere else.

The figures are about the company's own staff, so they stay with the person: they are counted
for one member (their Slack id's rows of `after_hours_messages`, the contacts they logged) and
put only in that member's own nudge DM, as one line, never in a DM of its own. The line is
said once a week, in the first DM of the member's local ISO week that is sent: the member's
`after_hours_week` and `after_hours_told_in` remember the DM that carried it (told once that DM
is `sent`: a DM dropped unsent leaves the line to the next), as `Partner.one_sided_told_in`
does for the one-sided line. What the line said is kept on the DM's bundle (ids and counts,
never names), so a DM updated in place by an answer days later reads the same; a partner
forgotten meanwhile drops out of it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.nudge_dm import AfterHoursFigure
from bot.blocks.replies import partner_label
from bot.rules.after_hours.week import (
    LoggedContact,
    PartnerHours,
    SharedMessage,
    WeekFigure,
    last_week,
    week_figures,
    week_start,
)
from bot.rules.working_hours import WorkingHours
from storage.models import Bundle, Member
from storage.queries.after_hours.figures import (
    messages_by_author,
    partner_labels,
    people_names,
    timed_contacts_logged_by,
    told_state,
)


def after_hours_to_tell(
    session: Session, member: Member, bundle: Bundle, now: datetime
) -> list[AfterHoursFigure]:
    """The figures for `member`'s DM `bundle` being rendered at `now`: last week's, when no DM
    of this week that was sent has said them yet; else none. Marks the week as told in `bundle`
    (also when there is nothing to say: the first DM of the week settles it) and keeps on it
    what it says."""
    hours = WorkingHours.of(member)
    today = hours.today(now)
    week = week_start(today)
    told_elsewhere = member.after_hours_told_in not in (None, bundle.id)
    if (
        member.after_hours_week == week
        and told_elsewhere
        and told_state(session, member.after_hours_told_in) == "sent"
    ):
        bundle.after_hours_said = None
        return []
    start, end = last_week(today, hours.zone)
    figures = _count(session, member, start, end)
    member.after_hours_week, member.after_hours_told_in = week, bundle.id
    bundle.after_hours_said = _said(figures) if figures else None
    return _shown(session, member.workspace_id, bundle.after_hours_said)


def after_hours_told(session: Session, bundle: Bundle) -> list[AfterHoursFigure]:
    """The figures the DM `bundle` said, as it said them (none if it said none)."""
    return _shown(session, bundle.workspace_id, bundle.after_hours_said)


def _count(session: Session, member: Member, start: datetime, end: datetime) -> list[WeekFigure]:
    workspace_id = member.workspace_id
    messages = [
        SharedMessage(row.partner_id, row.person_user_id, row.sent_at)
        for row in messages_by_author(session, workspace_id, member.slack_user_id, start, end)
    ]
    rows = timed_contacts_logged_by(session, workspace_id, member.id, start, end)
    contacts = [LoggedContact(r.partner_id, r.occurred_at, r.has_time, r.direction) for r in rows]
    hours = {
        r.partner_id: PartnerHours(
            r.tz, r.business_start_minute, r.business_end_minute, r.business_days, r.public_holidays
        )
        for r in rows
    }
    return week_figures(messages, contacts, hours, start, end)


def _said(figures: list[WeekFigure]) -> str:
    """What a line says, for the bundle: ids and counts in order, no names."""
    return json.dumps(
        [
            {"partner": f.partner_id, "count": f.count}
            if f.partner_id is not None
            else {"person": f.person_user_id, "count": f.count}
            for f in figures
        ]
    )


def _shown(session: Session, workspace_id: int, said: str | None) -> list[AfterHoursFigure]:
    """The figures of a stored line with today's names: a partner's label, else the name Slack
    gives the person; people without either are said together, last."""
    entries = _entries(said)
    partners = partner_labels(
        session, workspace_id, [e["partner"] for e in entries if "partner" in e]
    )
    names = people_names(session, workspace_id, [e["person"] for e in entries if "person" in e])
    figures = []
    unnamed, unnamed_count = 0, 0
    for entry in entries:
        count = entry["count"]
        if "partner" in entry:
            if entry["partner"] in partners:  # else forgotten since
                figures.append(AfterHoursFigure(partner_label(*partners[entry["partner"]]), count))
        elif (name := names.get(entry["person"])) is not None:
            figures.append(AfterHoursFigure(name, count))
        else:
            unnamed, unnamed_count = unnamed + 1, unnamed_count + count
    if unnamed:
        figures.append(AfterHoursFigure(None, unnamed_count, people=unnamed))
    return figures


def _entries(said: str | None) -> list[dict[str, Any]]:
    """The entries of a stored line; anything not written by `_said` is ignored."""
    if not said:
        return []
    try:
        loaded = json.loads(said)
    except ValueError:
        return []
    entries = []
    for entry in loaded if isinstance(loaded, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("count"), int):
            continue
        if isinstance(entry.get("partner"), int) or isinstance(entry.get("person"), str):
            entries.append(entry)
    return entries
