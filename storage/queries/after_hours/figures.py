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

from sqlalchemy import Integer, String, and_, bindparam, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from storage.models import (
    AfterHoursHint,
    AfterHoursMessage,
    Bundle,
    Interaction,
    Partner,
    SlackPersonRow,
    UTCDateTime,
)
from storage.queries.common import AnyRow, plain_rows, rows_changed

# Both reads run for every member's first nudge DM of the week, thousands a minute when a
# workspace's DMs go out: they are built once, with the values bound when they run.
_PROFILE = aliased(Partner)
_WORKSPACE = bindparam("ah_workspace", type_=Integer)
_START = bindparam("ah_start", type_=UTCDateTime)
_END = bindparam("ah_end", type_=UTCDateTime)
_BY_AUTHOR = (
    select(
        func.coalesce(AfterHoursMessage.partner_id, _PROFILE.id).label("partner_id"),
        AfterHoursMessage.person_user_id,
        AfterHoursMessage.sent_at,
    )
    .outerjoin(
        _PROFILE,
        and_(
            _PROFILE.workspace_id == _WORKSPACE,
            _PROFILE.slack_user_id == AfterHoursMessage.person_user_id,
        ),
    )
    .where(
        AfterHoursMessage.workspace_id == _WORKSPACE,
        AfterHoursMessage.author_user_id == bindparam("ah_author", type_=String),
        AfterHoursMessage.sent_at >= _START,
        AfterHoursMessage.sent_at < _END,
    )
)
_TIMED_CONTACTS = (
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
        Interaction.workspace_id == _WORKSPACE,
        Partner.workspace_id == _WORKSPACE,
        Interaction.member_id == bindparam("ah_member", type_=Integer),
        Interaction.has_time.is_(True),
        Interaction.occurred_at >= _START,
        Interaction.occurred_at < _END,
    )
)


def messages_by_author(
    session: Session, workspace_id: int, author_user_id: str, start: datetime, end: datetime
) -> list[AnyRow]:
    """The author's after-hours rows sent in [start, end): partner id, person, instant. A row
    recorded before the person got a partner profile counts for that profile now (matched by
    Slack user id), so one partner is not said twice under two names."""
    values = {"ah_workspace": workspace_id, "ah_author": author_user_id}
    return plain_rows(session, _BY_AUTHOR, values | {"ah_start": start, "ah_end": end})


def timed_contacts_logged_by(
    session: Session, workspace_id: int, member_id: int, start: datetime, end: datetime
) -> list[AnyRow]:
    """The contacts `member_id` logged with a time of day in [start, end), with their partner's
    hours: partner id, instant, has_time, direction, and the profile's zone, business start and
    end minutes, days and public holidays."""
    values = {"ah_workspace": workspace_id, "ah_member": member_id}
    return plain_rows(session, _TIMED_CONTACTS, values | {"ah_start": start, "ah_end": end})


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
