"""What waits in the outbox for one person, and why: the sandbox says so after moving the clock.

A nudge held for a public holiday or outside working hours does not show in the chat, and
without this the sandbox could only say that nothing arrived, as if nothing had fallen due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.rules.public_holidays import holiday_name
from bot.rules.working_hours import WorkingHours
from storage.models import Nudge
from storage.queries.members import find_member, find_workspace

Why = Literal["holiday", "away", "day_off", "hours", "due"]


@dataclass(frozen=True)
class Waiting:
    """`count` nudges not yet sent to the person; `why` they wait (`holiday` names the holiday
    in `holiday`); `next_at`, the UTC instant their working hours next open (None: no
    working days at all, or it goes out on the next tick)."""

    count: int
    why: Why
    holiday: str | None
    next_at: datetime | None


def waiting_for(session: Session, team_id: str, user_id: str, now: datetime) -> Waiting | None:
    """The nudges waiting for `user_id` at `now`, or None when Rapport does not know them."""
    workspace = find_workspace(session, team_id)
    member = find_member(session, workspace.id, user_id) if workspace is not None else None
    if workspace is None or member is None:
        return None
    count = session.scalar(
        select(func.count())
        .select_from(Nudge)
        .where(
            Nudge.workspace_id == workspace.id,
            Nudge.member_id == member.id,
            Nudge.state == "pending",
        )
    )
    hours = WorkingHours.of(member)
    today = hours.today(now)
    lang = "de" if member.preferred_locale.lower().startswith("de") else "en"
    holiday = holiday_name(hours.region, today, lang)
    if holiday is not None:
        why: Why = "holiday"
    elif member.away_until is not None and today < member.away_until:
        why = "away"
    elif str(today.isoweekday()) not in hours.days:
        why = "day_off"
    elif not hours.is_at_work(now):
        why = "hours"
    else:
        return Waiting(int(count or 0), "due", None, None)
    after = now
    if why == "away" and member.away_until is not None:
        after = max(now, hours.window_opens(member.away_until))
    return Waiting(int(count or 0), why, holiday, hours.next_window(after))


# Holidays a move of the clock passed are listed up to this many; the rest are counted.
HOLIDAYS_LISTED = 8


def holidays_passed(
    session: Session, team_id: str, user_id: str, start: datetime, end: datetime
) -> list[tuple[date, str]]:
    """The person's public holidays that were working days otherwise, after `start`'s local
    day and before `end`'s (the day the clock stops on is said on its own): the days a nudge
    DM was held, each with its name in the person's language."""
    workspace = find_workspace(session, team_id)
    member = find_member(session, workspace.id, user_id) if workspace is not None else None
    if member is None:
        return []
    hours = WorkingHours.of(member)
    if hours.region is None:
        return []
    lang = "de" if member.preferred_locale.lower().startswith("de") else "en"
    passed = []
    day = hours.today(start) + timedelta(days=1)
    while day < hours.today(end):
        name = holiday_name(hours.region, day, lang)
        if name is not None and str(day.isoweekday()) in hours.days:
            passed.append((day, name))
        day += timedelta(days=1)
    return passed
