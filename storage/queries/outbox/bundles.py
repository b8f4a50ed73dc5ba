"""The dispatcher's side of the outbox: who is waiting for a DM, and the DMs (bundles) claimed,
sent and finished, in batches.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.models import (
    Bundle,
    Member,
    Nudge,
    UTCDateTime,
)
from storage.queries.common import AnyRow, insert_or_nothing, plain_rows


def waiting_recipients(session: Session) -> Sequence[AnyRow]:
    """Active members (not guests) with nudges not yet in a DM: the earliest day one is for,
    their hours, and the day they are back when away (their nudges wait for it)."""
    member = (
        Member.id,
        Member.workspace_id,
        Member.slack_user_id,
        Member.tz,
        Member.work_start_minute,
        Member.work_end_minute,
        Member.work_days,
        Member.public_holidays,
        Member.away_until,
    )
    return session.execute(
        select(*member, func.min(Nudge.period).label("first_period"))
        .join(Nudge, Nudge.member_id == Member.id)
        .where(
            Nudge.state == "pending",
            Nudge.bundle_id.is_(None),
            Member.active.is_(True),
            Member.is_guest.is_(False),
        )
        .group_by(*member)
    ).all()


def days_with_a_dm(session: Session, since: date) -> set[tuple[int, date]]:
    """(member, local day) pairs that already have their DM, from `since` on."""
    rows = session.execute(
        select(Bundle.member_id, Bundle.local_day).where(Bundle.local_day >= since)
    )
    return {(row.member_id, row.local_day) for row in rows}


def add_bundles(session: Session, bundles: list[dict[str, Any]]) -> None:
    """Open today's DM for each member; a member who has one for that day keeps it."""
    if not bundles:
        return
    conflict = ["member_id", "local_day"]
    session.execute(insert_or_nothing(session, Bundle, conflict), bundles)


def claim_bundles(
    session: Session,
    owner: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
    skipping: Collection[int] = (),
) -> list[Bundle]:
    """Take up to `limit` bundles nobody holds, for `owner`, until `lease_until`, none of the
    workspaces `skipping` (waiting for a send slot).

    FOR UPDATE SKIP LOCKED lets concurrent dispatchers each take different bundles without
    waiting for one another; the lease is what another dispatcher respects after this
    transaction ends. (SQLite ignores FOR UPDATE; its writes are serial.)
    """
    claimable = (
        select(Bundle.id)
        .where(
            Bundle.state.in_(("ready", "sending")),
            or_(Bundle.not_before.is_(None), Bundle.not_before <= now),
            or_(Bundle.lease_until.is_(None), Bundle.lease_until <= now),
        )
        .order_by(Bundle.created_at, Bundle.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if skipping:
        claimable = claimable.where(Bundle.workspace_id.not_in(skipping))
    ids = list(session.scalars(claimable))
    if not ids:
        return []
    session.execute(
        update(Bundle).where(Bundle.id.in_(ids)).values(claimed_by=owner, lease_until=lease_until)
    )
    return list(
        session.scalars(
            select(Bundle).where(Bundle.id.in_(ids)).order_by(Bundle.created_at, Bundle.id)
        )
    )


def hold_bundles(session: Session, ids: Collection[str], until: datetime) -> None:
    """Give back the lease on bundles `ids`: claimable again, by any dispatcher, from `until`."""
    session.execute(
        update(Bundle)
        .where(Bundle.id.in_(list(ids)))
        .values(not_before=until, lease_until=None)
        .execution_options(synchronize_session=False)
    )


# The three reads and writes of preparing a DM run once for every DM: built once, with the
# DM's values bound when they run.
_HELD = select(Bundle).where(
    Bundle.id == bindparam("h_bundle", type_=String),
    Bundle.claimed_by == bindparam("h_owner", type_=String),
    Bundle.lease_until > bindparam("h_now", type_=UTCDateTime),
    Bundle.state.in_(("ready", "sending")),
)
_ATTACH = (
    update(Nudge)
    .where(
        Nudge.member_id == bindparam("a_member", type_=Integer),
        Nudge.state == "pending",
        Nudge.bundle_id.is_(None),
        Nudge.period <= bindparam("a_day", type_=Date),
    )
    .values(bundle_id=bindparam("a_bundle", type_=String))
    # No nudge of the member is loaded yet: nothing in the session to bring up to date.
    .execution_options(synchronize_session=False)
)
# Only read (the DM's items are looked up from it, and its nudges changed by id): plain rows
# of the columns the dispatcher needs, not entities the ORM would track.
_IN_BUNDLE = (
    select(
        Nudge.id,
        Nudge.kind,
        Nudge.subject_id,
        Nudge.period,
        Nudge.actor_id,
        Nudge.handed_to_id,
    )
    .where(Nudge.bundle_id == bindparam("n_bundle", type_=String), Nudge.state == "pending")
    .order_by(Nudge.kind, Nudge.period, Nudge.id)
)


def held_bundle(session: Session, bundle_id: str, owner: str, now: datetime) -> Bundle | None:
    """The bundle if `owner` still holds its lease (a slow dispatcher may have lost it)."""
    values = {"h_bundle": bundle_id, "h_owner": owner, "h_now": now}
    return session.scalars(_HELD, values).one_or_none()


def attach_waiting(session: Session, bundle: Bundle) -> None:
    """Put the member's nudges for this day or earlier, not yet in a DM, into this bundle.

    Through the session's connection, as `plain_rows` reads: the same UPDATE without the ORM's
    handling of it (it synchronises nothing), which cost more than running it. Pending changes
    are flushed first, as `Session.execute` would."""
    values = {"a_member": bundle.member_id, "a_day": bundle.local_day, "a_bundle": bundle.id}
    if session.autoflush:
        session.flush()
    session.connection().execute(_ATTACH, values)


def nudges_in(session: Session, bundle_id: str) -> list[AnyRow]:
    """The bundle's pending nudges, by kind, day and id: id, kind, subject, period (the day it
    is for), and for a hand-over who moved the partner (`actor_id`) and to whom."""
    return plain_rows(session, _IN_BUNDLE, {"n_bundle": bundle_id})


def finish_nudges(
    session: Session, ids: Iterable[int], state: str, now: datetime, reason: str | None = None
) -> None:
    ids = list(ids)
    if ids:
        session.execute(
            update(Nudge).where(Nudge.id.in_(ids)).values(state=state, done_at=now, reason=reason)
        )


def drop_nudges(session: Session, ids: Iterable[int]) -> None:
    """Delete pending nudges never sent: nothing was told, so nothing needs remembering, and
    their (recipient, kind, subject, period) is free to be planned again."""
    ids = list(ids)
    if ids:
        session.execute(delete(Nudge).where(Nudge.id.in_(ids), Nudge.state == "pending"))


# A bundle's outcome, given to its nudges still pending: run for every DM delivered, so built
# once, with the bundle's values bound when it runs.
_BUNDLE_NUDGES_DONE = (
    update(Nudge)
    .where(Nudge.bundle_id == bindparam("b_bundle"), Nudge.state == "pending")
    .values(state=bindparam("b_state"), done_at=bindparam("b_now"), reason=bindparam("b_reason"))
)


def finish_bundle(
    session: Session, bundle_id: str, state: str, now: datetime, reason: str | None = None
) -> None:
    """Give every nudge still pending in a bundle the bundle's outcome. Through the session's
    connection (`_BUNDLE_NUDGES_DONE`): the session must hold none of the bundle's nudges."""
    values = {"b_bundle": bundle_id, "b_state": state, "b_now": now, "b_reason": reason}
    session.connection().execute(_BUNDLE_NUDGES_DONE, values)


# Marking a DM sent runs once for every DM delivered: its statements are built once and run
# on the session's connection with the DM's values (no ORM bookkeeping, nothing to synchronise).
_BUNDLE_SENT = (
    update(Bundle)
    .where(Bundle.id == bindparam("b_bundle"))
    .values(
        state="sent",
        channel_id=bindparam("b_channel"),
        ts=bindparam("b_ts"),
        done_at=bindparam("b_now"),
        lease_until=None,
        error=None,
    )
)
_DM_CHANNEL = (
    update(Member)
    .where(
        Member.id == bindparam("b_member"),
        or_(Member.dm_channel_id.is_(None), Member.dm_channel_id != bindparam("b_channel")),
    )
    .values(dm_channel_id=bindparam("b_channel"))
)


def mark_bundle_sent(
    session: Session, bundle_id: str, member_id: int, channel: str, ts: str, now: datetime
) -> None:
    """Slack posted the DM `bundle_id` as `ts` in `channel`: the bundle is `sent`, its pending
    nudges with it, and the member's DM channel is remembered (written only when it changed).

    Three UPDATEs and no read, through the session's connection: the session must hold no
    changes to these rows (the dispatcher marks a DM sent in a transaction of its own).
    """
    values = {
        "b_bundle": bundle_id,
        "b_member": member_id,
        "b_channel": channel,
        "b_ts": ts,
        "b_now": now,
        "b_state": "sent",
        "b_reason": None,
    }
    connection = session.connection()
    connection.execute(_BUNDLE_SENT, values)
    connection.execute(_BUNDLE_NUDGES_DONE, values)
    connection.execute(_DM_CHANNEL, values)


def release_nudges(session: Session, bundle_id: str, ids: Iterable[int] | None = None) -> None:
    """Take pending nudges (all, or `ids`) out of a bundle, for another day's DM."""
    if ids is not None:
        ids = list(ids)
        if not ids:
            return  # most DMs: checked before building the statement, which costs more
    chosen = update(Nudge).where(Nudge.bundle_id == bundle_id, Nudge.state == "pending")
    if ids is not None:
        chosen = chosen.where(Nudge.id.in_(ids))
    session.execute(chosen.values(bundle_id=None))


def unfinished_and_dead(session: Session) -> Sequence[AnyRow]:
    """Nudges still to be delivered and those given up on, with whom they are for and why."""
    return session.execute(
        select(
            Nudge.id,
            Nudge.kind,
            Nudge.subject_id,
            Nudge.period,
            Nudge.state,
            Nudge.reason,
            Member.slack_user_id,
            Bundle.state.label("dm_state"),
            Bundle.not_before,
            Bundle.error,
        )
        .join(Member, Member.id == Nudge.member_id)
        .outerjoin(Bundle, Bundle.id == Nudge.bundle_id)
        .where(Nudge.state.in_(("pending", "dead")))
        .order_by(Nudge.state.desc(), Nudge.period, Nudge.id)
    ).all()


@dataclass(frozen=True)
class Waiting:
    """Nudges not yet delivered: for the recipient's working hours, or for a retry."""

    for_working_hours: int
    for_retry: int


def waiting_summary(session: Session) -> Waiting:
    unbundled = Nudge.bundle_id.is_(None)
    row = session.execute(
        select(
            func.coalesce(func.sum(case((unbundled, 1), else_=0)), 0),
            func.coalesce(func.sum(case((unbundled, 0), else_=1)), 0),
        ).where(Nudge.state == "pending")
    ).one()
    return Waiting(int(row[0]), int(row[1]))
