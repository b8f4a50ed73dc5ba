"""The planner's side of the outbox: what is due, and the nudge rows written for it.

Set-based throughout: the planner reads every partner's check-in state in one aggregate and every
open promise in one select, whatever the number of partners. Inserts go through ON CONFLICT DO
NOTHING on the outbox's unique key, which is what makes a repeated or concurrent tick harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Subquery,
    and_,
    case,
    delete,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from storage.models import (
    Bundle,
    Interaction,
    Member,
    Nudge,
    Partner,
    PartnerClaim,
    Promise,
    UTCDateTime,
)
from storage.queries.common import AnyRow, insert_or_nothing, is_postgres, rows_changed
from storage.queries.outbox.claims import Claimer, usable

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


def _plus_days(session: Session, instant: ColumnElement[Any], days: Any) -> ColumnElement[Any]:
    if is_postgres(session):
        return instant + func.make_interval(0, 0, 0, days)
    return func.datetime(instant, func.printf("+%d days", days), type_=UTCDateTime)


def check_in_times(partner_ids: list[int] | None = None) -> Subquery:
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


def check_in_candidates(session: Session, horizon: datetime, now: datetime) -> Sequence[AnyRow]:
    """Active partners whose check-in may be due by `horizon` and who have someone to nudge:
    an owner who can receive nudges (active, not a guest), or a colleague with a live claim on
    the partner (`partner_claims`, `until` after `now`) who can. With the instants their due
    day is counted from, and both people's ids and zones (`owner_id` / `owner_tz` None when
    the owner cannot receive nudges, `claimer_id` / `claimer_tz` None without such a claim;
    `bot.rules.nudges.check_in_recipient` picks one). One aggregate over the interactions and
    LEFT JOINs, whatever the number of partners and claims."""
    contacts = check_in_times()
    since = func.coalesce(contacts.c.last_check_in, contacts.c.first_contact)
    owner = aliased(Member, name="owner")
    return session.execute(
        select(
            Partner.id,
            Partner.workspace_id,
            Partner.cadence_days,
            Partner.check_in_snoozed_until,
            Partner.paused_until,
            owner.id.label("owner_id"),
            owner.tz.label("owner_tz"),
            Claimer.id.label("claimer_id"),
            Claimer.tz.label("claimer_tz"),
            PartnerClaim.until.label("claim_until"),
            contacts.c.last_check_in,
            contacts.c.first_contact,
        )
        .join(contacts, contacts.c.partner_id == Partner.id)
        .outerjoin(owner, and_(owner.id == Partner.owner_id, usable(owner)))
        .outerjoin(
            PartnerClaim,
            and_(
                PartnerClaim.partner_id == Partner.id,
                PartnerClaim.workspace_id == Partner.workspace_id,
                PartnerClaim.until > now,
            ),
        )
        .outerjoin(
            Claimer,
            and_(
                Claimer.id == PartnerClaim.member_id,
                Claimer.workspace_id == Partner.workspace_id,
                usable(Claimer),
            ),
        )
        .where(
            Partner.status == "active",
            or_(owner.id.is_not(None), Claimer.id.is_not(None)),
            _plus_days(session, since, Partner.cadence_days) <= horizon,
        )
    ).all()


def promise_candidates(session: Session, horizon: date) -> Sequence[AnyRow]:
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
            Member.public_holidays,
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


def episode_histories(session: Session) -> dict[EpisodeKey, AnyRow]:
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
    finished = rows_changed(
        session,
        delete(Nudge).where(
            Nudge.state.in_(FINISHED_STATES), Nudge.created_at < before, episode_over
        ),
    )
    session.execute(
        delete(Bundle).where(
            Bundle.state.in_(("sent", "dead")),
            Bundle.created_at < before,
            ~select(Nudge.id).where(Nudge.bundle_id == Bundle.id).exists(),
        )
    )
    return finished or 0
