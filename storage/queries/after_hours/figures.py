"""After-hours figures: what a member's weekly line is counted from, and their erasure.

The rows of `after_hours_messages` are private to their author: every reader here is asked for
one author's rows (their Slack id) or one member's contacts, never a partner's or a channel's,
so nothing built on them can show one person's figures to another. They are kept
`AFTER_HOURS_KEEP_DAYS` days and deleted in batches; the hints shown (`after_hours_hints`) a
few days. Every query filters by workspace, except housekeeping's, which prunes by age alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import and_, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from storage.models import (
    AfterHoursHint,
    AfterHoursMessage,
    Bundle,
    Interaction,
    Partner,
    SlackPersonRow,
)
from storage.queries.common import AnyRow, rows_changed


def messages_by_author(
    session: Session, workspace_id: int, author_user_id: str, start: datetime, end: datetime
) -> list[AnyRow]:
    """The author's after-hours rows sent in [start, end): partner id, person, instant. A row
    recorded before the person got a partner profile counts for that profile now (matched by
    Slack user id), so one partner is not said twice under two names."""
    profile = aliased(Partner)
    return list(
        session.execute(
            select(
                func.coalesce(AfterHoursMessage.partner_id, profile.id).label("partner_id"),
                AfterHoursMessage.person_user_id,
                AfterHoursMessage.sent_at,
            )
            .outerjoin(
                profile,
                and_(
                    profile.workspace_id == workspace_id,
                    profile.slack_user_id == AfterHoursMessage.person_user_id,
                ),
            )
            .where(
                AfterHoursMessage.workspace_id == workspace_id,
                AfterHoursMessage.author_user_id == author_user_id,
                AfterHoursMessage.sent_at >= start,
                AfterHoursMessage.sent_at < end,
            )
        ).all()
    )


def timed_contacts_logged_by(
    session: Session, workspace_id: int, member_id: int, start: datetime, end: datetime
) -> list[AnyRow]:
    """The contacts `member_id` logged with a time of day in [start, end), with their partner's
    hours: partner id, instant, has_time, direction, and the profile's zone, business start and
    end minutes, days and public holidays."""
    return list(
        session.execute(
            select(
                Interaction.partner_id,
                Interaction.occurred_at,
                Interaction.has_time,
                Interaction.direction,
                Partner.tz,
                Partner.business_start_minute,
                Partner.business_end_minute,
                Partner.business_days,
                Partner.public_holidays,
            )
            .join(Partner, Partner.id == Interaction.partner_id)
            .where(
                Interaction.workspace_id == workspace_id,
                Partner.workspace_id == workspace_id,
                Interaction.member_id == member_id,
                Interaction.has_time.is_(True),
                Interaction.occurred_at >= start,
                Interaction.occurred_at < end,
            )
        ).all()
    )


def told_state(session: Session, bundle_id: str | None) -> str | None:
    """The state of the nudge DM `bundle_id` (None when there is none or it was removed)."""
    if bundle_id is None:
        return None
    return session.scalar(select(Bundle.state).where(Bundle.id == bundle_id))


def erase_after_hours_of(
    session: Session, workspace_id: int, partner_id: int, slack_user_id: str | None = None
) -> int:
    """Delete the after-hours rows of a partner being forgotten; how many went. By name, not
    left to ON DELETE CASCADE, as the partner's other rows (`storage.queries.erasure`); with
    the partner's Slack user id, also the rows recorded before they had a profile."""
    about = AfterHoursMessage.partner_id == partner_id
    if slack_user_id:
        about = or_(about, AfterHoursMessage.person_user_id == slack_user_id)
    return rows_changed(
        session,
        delete(AfterHoursMessage).where(AfterHoursMessage.workspace_id == workspace_id, about),
    )


def move_after_hours(session: Session, workspace_id: int, from_id: int, into_id: int) -> int:
    """Give a merged partner's after-hours rows to the partner that remains; how many moved."""
    return rows_changed(
        session,
        update(AfterHoursMessage)
        .where(
            AfterHoursMessage.workspace_id == workspace_id,
            AfterHoursMessage.partner_id == from_id,
        )
        .values(partner_id=into_id),
    )


def forget_after_hours_before(session: Session, before: datetime, limit: int) -> int:
    """Delete at most `limit` after-hours rows sent before `before`, oldest first; how many."""
    oldest = (
        select(AfterHoursMessage.id)
        .where(AfterHoursMessage.sent_at < before)
        .order_by(AfterHoursMessage.sent_at)
        .limit(limit)
    )
    ids = list(session.scalars(oldest))
    if not ids:
        return 0
    return rows_changed(session, delete(AfterHoursMessage).where(AfterHoursMessage.id.in_(ids)))


def forget_hints_before(session: Session, before: date, limit: int) -> int:
    """Delete at most `limit` records of hints shown on a local day before `before`; how many."""
    key = (
        AfterHoursHint.workspace_id,
        AfterHoursHint.sender_user_id,
        AfterHoursHint.channel_id,
        AfterHoursHint.local_day,
    )
    keys = list(
        session.execute(select(*key).where(AfterHoursHint.local_day < before).limit(limit)).all()
    )
    if not keys:
        return 0
    return rows_changed(
        session, delete(AfterHoursHint).where(tuple_(*key).in_([tuple(k) for k in keys]))
    )


def people_names(session: Session, workspace_id: int, user_ids: Iterable[str]) -> dict[str, str]:
    """The names Slack gave the people `user_ids` (`slack_people`), by Slack id; none for a
    person not cached or cached without a name."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(SlackPersonRow.slack_user_id, SlackPersonRow.name).where(
            SlackPersonRow.workspace_id == workspace_id, SlackPersonRow.slack_user_id.in_(ids)
        )
    )
    return {row.slack_user_id: row.name for row in rows if row.name and row.name.strip()}


def partner_labels(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, tuple[str, str | None]]:
    """Name and organisation of the partners `partner_ids` that still exist, by id."""
    ids = list(set(partner_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Partner.id, Partner.name, Partner.organisation).where(
            Partner.workspace_id == workspace_id, Partner.id.in_(ids)
        )
    )
    return {row.id: (row.name, row.organisation) for row in rows}
