"""Queries behind the nudge engine: what is due, the outbox, and the DM bundles.

Set-based throughout: the planner reads every partner's check-in state in one aggregate and every
open promise in one select, whatever the number of partners; the dispatcher claims bundles in
batches. Inserts go through ON CONFLICT DO NOTHING on the outbox's unique key, which is what makes
a repeated or concurrent tick harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Subquery,
    and_,
    case,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from storage.models import Bundle, Interaction, Member, Nudge, Partner, Promise, UTCDateTime
from storage.queries import insert_or_nothing, is_postgres

# Any constant works as long as every scheduler uses the same one.
PLANNER_LOCK_KEY = 0x5241_5050  # "RAPP"
FINISHED_STATES = ("sent", "dead", "skipped")


def try_planner_lock(session: Session) -> bool:
    """Whether this transaction may plan: on PostgreSQL one planner at a time across processes.

    The lock ends with the transaction, so a crashed planner never holds it. SQLite needs none:
    one scheduler process is the rule there, and its write transactions are serial anyway.
    """
    if not is_postgres(session):
        return True
    return bool(
        session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": PLANNER_LOCK_KEY}
        ).scalar()
    )


# --- what is due -------------------------------------------------------------------------------


def _plus_days(session: Session, instant: Any, days: Any) -> ColumnElement[Any]:
    if is_postgres(session):
        return instant + func.make_interval(0, 0, 0, days)
    return func.datetime(instant, func.printf("+%d days", days), type_=UTCDateTime)


def _check_in_times(partner_ids: list[int] | None = None) -> Subquery:
    """Per partner: when the last check-in happened and when the first contact did."""
    times = select(
        Interaction.partner_id,
        func.max(case((Interaction.kind == "check-in", Interaction.occurred_at))).label(
            "last_check_in"
        ),
        func.min(Interaction.occurred_at).label("first_contact"),
    )
    if partner_ids is not None:
        times = times.where(Interaction.partner_id.in_(partner_ids))
    return times.group_by(Interaction.partner_id).subquery()


def check_in_candidates(session: Session, horizon: datetime) -> Sequence[Row[Any]]:
    """Active partners of active owners (members, not guests) whose check-in may be due by
    `horizon`, with the instants their due day is counted from. One aggregate over the
    interactions, whatever their number."""
    contacts = _check_in_times()
    since = func.coalesce(contacts.c.last_check_in, contacts.c.first_contact)
    return session.execute(
        select(
            Partner.id,
            Partner.workspace_id,
            Partner.cadence_days,
            Partner.owner_id,
            Partner.check_in_snoozed_until,
            Partner.paused_until,
            Member.tz,
            contacts.c.last_check_in,
            contacts.c.first_contact,
        )
        .join(contacts, contacts.c.partner_id == Partner.id)
        .join(Member, Member.id == Partner.owner_id)
        .where(
            Partner.status == "active",
            Member.active.is_(True),
            Member.is_guest.is_(False),
            _plus_days(session, since, Partner.cadence_days) <= horizon,
        )
    ).all()


def promise_candidates(session: Session, horizon: date) -> Sequence[Row[Any]]:
    """Our open promises, of active members who are not guests, due by `horizon` (heads-ups
    come before the due day).

    What a partner promised us is context for talking to them, not a task of ours to nudge.
    """
    return session.execute(
        select(
            Promise.id,
            Promise.workspace_id,
            Promise.member_id,
            Promise.due_on,
            Member.tz,
            Member.work_start_minute,
            Member.work_end_minute,
            Member.work_days,
        )
        .join(Member, Member.id == Promise.member_id)
        .where(
            Promise.status == "open",
            Promise.promised_by == "us",
            Member.active.is_(True),
            Member.is_guest.is_(False),
            Promise.due_on <= horizon,
        )
    ).all()


@dataclass(frozen=True)
class EpisodeKey:
    member_id: int
    kind: str
    subject_id: int
    due_on: date


def episode_histories(session: Session) -> dict[EpisodeKey, Row[Any]]:
    """For every item the outbox holds, per episode: pending or not, how many nudges were sent,
    and the local day of the last one."""
    sent = Nudge.state == "sent"
    rows = session.execute(
        select(
            Nudge.member_id,
            Nudge.kind,
            Nudge.subject_id,
            Nudge.due_on,
            func.max(case((Nudge.state == "pending", 1), else_=0)).label("pending"),
            func.sum(case((sent, 1), else_=0)).label("sent"),
            func.max(case((sent, Bundle.local_day))).label("last_sent_on"),
        )
        .outerjoin(Bundle, Bundle.id == Nudge.bundle_id)
        .where(Nudge.state.in_(("pending", "sent")))
        .group_by(Nudge.member_id, Nudge.kind, Nudge.subject_id, Nudge.due_on)
    ).all()
    return {EpisodeKey(r.member_id, r.kind, r.subject_id, r.due_on): r for r in rows}


def add_nudges(session: Session, nudges: list[dict[str, Any]]) -> None:
    """Write nudges to the outbox; one already there for the same key is left as it is.

    One executemany, so the number of statements does not grow with the number of nudges.
    """
    if not nudges:
        return
    # The table, not the ORM class: a plain executemany, without the ORM's bulk bookkeeping.
    conflict = ["member_id", "kind", "subject_id", "period"]
    session.execute(insert_or_nothing(session, Nudge.__table__, conflict), nudges)


def count_nudges(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Nudge)) or 0


def prune(session: Session, before: datetime) -> int:
    """Forget finished nudges and DMs older than `before` (their DMs are in Slack's history).

    Nudges of an item still in the same episode stay, however old: they are what counts its
    unanswered nudges, and forgetting them would start the weekly reminders over.
    """
    promise_open = (
        select(Promise.id).where(Promise.id == Nudge.subject_id, Promise.status == "open").exists()
    )
    checked_in_since = (
        select(Interaction.id)
        .where(
            Interaction.partner_id == Nudge.subject_id,
            Interaction.kind == "check-in",
            Interaction.occurred_at >= Nudge.due_on,
        )
        .exists()
    )
    partner_left = ~select(Partner.id).where(Partner.id == Nudge.subject_id).exists()
    episode_over = or_(
        and_(Nudge.kind == "promise", ~promise_open),
        and_(Nudge.kind == "check_in", or_(checked_in_since, partner_left)),
    )
    finished = session.execute(
        delete(Nudge).where(
            Nudge.state.in_(FINISHED_STATES), Nudge.created_at < before, episode_over
        )
    ).rowcount
    session.execute(
        delete(Bundle).where(
            Bundle.state.in_(("sent", "dead")),
            Bundle.created_at < before,
            ~select(Nudge.id).where(Nudge.bundle_id == Bundle.id).exists(),
        )
    )
    return finished or 0


# --- who is waiting for a DM -------------------------------------------------------------------


def waiting_recipients(session: Session) -> Sequence[Row[Any]]:
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
    session: Session, owner: str, now: datetime, lease_until: datetime, limit: int
) -> list[Bundle]:
    """Take up to `limit` bundles nobody holds, for `owner`, until `lease_until`.

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


def held_bundle(session: Session, bundle_id: str, owner: str, now: datetime) -> Bundle | None:
    """The bundle if `owner` still holds its lease (a slow dispatcher may have lost it)."""
    return session.scalars(
        select(Bundle).where(
            Bundle.id == bundle_id,
            Bundle.claimed_by == owner,
            Bundle.lease_until > now,
            Bundle.state.in_(("ready", "sending")),
        )
    ).one_or_none()


def attach_waiting(session: Session, bundle: Bundle) -> None:
    """Put the member's nudges for this day or earlier, not yet in a DM, into this bundle."""
    session.execute(
        update(Nudge)
        .where(
            Nudge.member_id == bundle.member_id,
            Nudge.state == "pending",
            Nudge.bundle_id.is_(None),
            Nudge.period <= bundle.local_day,
        )
        .values(bundle_id=bundle.id)
    )


def nudges_in(session: Session, bundle_id: str) -> list[Nudge]:
    return list(
        session.scalars(
            select(Nudge)
            .where(Nudge.bundle_id == bundle_id, Nudge.state == "pending")
            .order_by(Nudge.kind, Nudge.period, Nudge.id)
        )
    )


def finish_nudges(
    session: Session, ids: Iterable[int], state: str, now: datetime, reason: str | None = None
) -> None:
    ids = list(ids)
    if ids:
        session.execute(
            update(Nudge).where(Nudge.id.in_(ids)).values(state=state, done_at=now, reason=reason)
        )


def finish_bundle(
    session: Session, bundle_id: str, state: str, now: datetime, reason: str | None = None
) -> None:
    """Give every nudge still pending in a bundle the bundle's outcome."""
    session.execute(
        update(Nudge)
        .where(Nudge.bundle_id == bundle_id, Nudge.state == "pending")
        .values(state=state, done_at=now, reason=reason)
    )


def release_nudges(session: Session, bundle_id: str, ids: Iterable[int] | None = None) -> None:
    """Take pending nudges (all, or `ids`) out of a bundle, for another day's DM."""
    chosen = update(Nudge).where(Nudge.bundle_id == bundle_id, Nudge.state == "pending")
    if ids is not None:
        ids = list(ids)
        if not ids:
            return
        chosen = chosen.where(Nudge.id.in_(ids))
    session.execute(chosen.values(bundle_id=None))


# --- what a DM says, read at send time ----------------------------------------------------------


def check_in_subjects(
    session: Session, workspace_id: int, partner_ids: list[int]
) -> list[Row[Any]]:
    """The partners among `partner_ids` in the workspace, with their owner, status, snooze and
    pause, and the instants their check-in due day counts from."""
    if not partner_ids:
        return []
    contacts = _check_in_times(partner_ids)
    return list(
        session.execute(
            select(
                Partner.id,
                Partner.owner_id,
                Partner.status,
                Partner.cadence_days,
                Partner.check_in_snoozed_until,
                Partner.paused_until,
                contacts.c.last_check_in,
                contacts.c.first_contact,
            )
            .join(contacts, contacts.c.partner_id == Partner.id)
            .where(Partner.workspace_id == workspace_id, Partner.id.in_(partner_ids))
            .order_by(Partner.name_key)
        ).all()
    )


def promise_subjects(session: Session, workspace_id: int, promise_ids: list[int]) -> list[Row[Any]]:
    """The promises among `promise_ids` in the workspace, whatever their status."""
    if not promise_ids:
        return []
    return list(
        session.execute(
            select(
                Promise.id,
                Promise.member_id,
                Promise.partner_id,
                Promise.text,
                Promise.due_on,
                Promise.status,
                Promise.drop_reason,
                Promise.promised_by,
            )
            .where(Promise.workspace_id == workspace_id, Promise.id.in_(promise_ids))
            .order_by(Promise.due_on, Promise.id)
        ).all()
    )


def partner_details(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, Row[Any]]:
    """Who the partners are and how to reach them."""
    ids = list(set(partner_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            Partner.id,
            Partner.name,
            Partner.organisation,
            Partner.tz,
            Partner.preferred_channel,
            Partner.language,
            Partner.business_start_minute,
            Partner.business_end_minute,
            Partner.business_days,
        ).where(Partner.workspace_id == workspace_id, Partner.id.in_(ids))
    )
    return {row.id: row for row in rows}


def last_contacts(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, Row[Any]]:
    """Each partner's latest contact: when, how, logged by whom, and its note. One query."""
    ids = list(set(partner_ids))
    if not ids:
        return {}
    ranked = (
        select(
            Interaction.partner_id,
            Interaction.occurred_at,
            Interaction.has_time,
            Interaction.medium,
            Interaction.note,
            Member.slack_user_id.label("by"),
            func.row_number()
            .over(
                partition_by=Interaction.partner_id,
                order_by=(Interaction.occurred_at.desc(), Interaction.id.desc()),
            )
            .label("rank"),
        )
        .join(Member, Member.id == Interaction.member_id)
        .where(Interaction.workspace_id == workspace_id, Interaction.partner_id.in_(ids))
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.partner_id: row for row in rows}


def open_promises_to(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, list[Row[Any]]]:
    """Open promises between each partner and anyone in the workspace, either way, soonest first.

    `promised_by` tells ours ("us") from the partner's ("partner"): a DM lists them apart.
    """
    ids = list(set(partner_ids))
    if not ids:
        return {}
    grouped: dict[int, list[Row[Any]]] = {}
    rows = session.execute(
        select(Promise.id, Promise.partner_id, Promise.text, Promise.due_on, Promise.promised_by)
        .where(
            Promise.workspace_id == workspace_id,
            Promise.partner_id.in_(ids),
            Promise.status == "open",
        )
        .order_by(Promise.due_on, Promise.id)
    )
    for row in rows:
        grouped.setdefault(row.partner_id, []).append(row)
    return grouped


def shown_nudges(session: Session, bundle_id: str) -> list[Row[Any]]:
    """The nudges a sent DM shows, with their answers and who gave them."""
    return list(
        session.execute(
            select(
                Nudge.id,
                Nudge.kind,
                Nudge.subject_id,
                Nudge.answer,
                Nudge.answer_until,
                Nudge.answered_at,
                Member.slack_user_id.label("answered_by"),
            )
            .outerjoin(Member, Member.id == Nudge.answered_by_id)
            .where(Nudge.bundle_id == bundle_id, Nudge.state == "sent")
            .order_by(Nudge.kind, Nudge.period, Nudge.id)
        ).all()
    )


def answer_nudges(
    session: Session,
    bundle_id: str,
    kind: str,
    subject_id: int,
    answer: str,
    by: int | None,
    now: datetime,
    until: date | None = None,
) -> bool:
    """Record an answer on a DM's nudges for one item; False when it was answered already.

    The condition `answer IS NULL` is what makes a second press (or two at once) harmless: the
    second UPDATE finds nothing left to answer, and its caller changes nothing.
    """
    updated = session.execute(
        update(Nudge)
        .where(
            Nudge.bundle_id == bundle_id,
            Nudge.kind == kind,
            Nudge.subject_id == subject_id,
            Nudge.answer.is_(None),
        )
        .values(answer=answer, answer_until=until, answered_by_id=by, answered_at=now)
    ).rowcount
    return bool(updated)


def latest_answer(session: Session, kind: str, subject_id: int) -> Row[Any] | None:
    """The latest answer given to this item in any DM, with who gave it."""
    return session.execute(
        select(Nudge.answer, Nudge.answered_by_id, Nudge.answered_at)
        .where(Nudge.kind == kind, Nudge.subject_id == subject_id, Nudge.answer.is_not(None))
        .order_by(Nudge.answered_at.desc())
        .limit(1)
    ).first()


# --- for operators -----------------------------------------------------------------------------


def unfinished_and_dead(session: Session) -> Sequence[Row[Any]]:
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
