"""The planner's side of the outbox: what may be due, what the outbox holds for it, and the nudge
rows written for it.

Nothing here reads the contact history: a partner's check-in is selected by the instant its row
keeps (`Partner.check_in_due_at`, kept current by every write that changes contacts), a promise
by its due day, both through indexes. What the outbox already holds is read for those items
alone, not for the whole outbox. Rows go in with one INSERT … SELECT … ON CONFLICT DO NOTHING on
the outbox's unique key, whatever their number: a repeated or concurrent tick writes nothing
twice, and the count of rows that went in is the statement's own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    and_,
    bindparam,
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
from storage.queries.common import AnyRow, is_postgres, rows_changed
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


# The partner's owner, joined only while they can receive nudges.
Owner = aliased(Member, name="owner")


def check_in_candidates(session: Session, horizon: datetime, now: datetime) -> Sequence[AnyRow]:
    """Active partners whose check-in may be due by `horizon` and who have someone to nudge:
    an owner who can receive nudges (active, not a guest), or a colleague with a live claim on
    the partner (`partner_claims`, `until` after `now`) who can. With the instants their due
    day is counted from (`last_check_in`, `first_contact`), and both people's ids and zones
    (`owner_id` / `owner_tz` None when the owner cannot receive nudges, `claimer_id` /
    `claimer_tz` None without such a claim; `bot.rules.nudges.check_in_recipient` picks one).

    Selected by the instant the partner's row keeps (`check_in_due_at`, through
    `ix_partners_status_check_in_due`), not by aggregating its contacts: one index range and
    LEFT JOINs by key, however long the history. `horizon` carries the day's margin a zone may
    need (`bot.rules.zones.ZONE_LEAD`); the rules count the day exactly.
    """
    return session.execute(
        select(
            Partner.id,
            Partner.workspace_id,
            Partner.cadence_days,
            Partner.check_in_snoozed_until,
            Partner.paused_until,
            Owner.id.label("owner_id"),
            Owner.tz.label("owner_tz"),
            Claimer.id.label("claimer_id"),
            Claimer.tz.label("claimer_tz"),
            PartnerClaim.until.label("claim_until"),
            Partner.last_check_in_at.label("last_check_in"),
            Partner.first_contact_at.label("first_contact"),
        )
        .outerjoin(Owner, and_(Owner.id == Partner.owner_id, usable(Owner)))
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
            _check_in_may_be_due(horizon),
            or_(Owner.id.is_not(None), Claimer.id.is_not(None)),
        )
    ).all()


def _check_in_may_be_due(horizon: datetime) -> ColumnElement[bool]:
    return and_(Partner.status == "active", Partner.check_in_due_at <= horizon)


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
        .join(Member, and_(Member.id == Promise.member_id, usable(Member)))
        .where(_promise_may_be_due(horizon))
    ).all()


def _promise_may_be_due(horizon: date) -> ColumnElement[bool]:
    return and_(Promise.status == "open", Promise.promised_by == "us", Promise.due_on <= horizon)


@dataclass(frozen=True)
class EpisodeKey:
    member_id: int
    kind: str
    subject_id: int
    due_on: date


def episode_histories(
    session: Session, check_in_horizon: datetime, promise_horizon: date
) -> dict[EpisodeKey, AnyRow]:
    """Per episode of every item that may be due (the candidates of `check_in_candidates` and
    `promise_candidates` at these horizons): pending or not, how many nudges were sent, and the
    local day of the last one. Rows of other items (hand-overs, check-ins not due, promises
    closed) are not read: the work follows what may be due, not the outbox's size."""
    sent = Nudge.state == "sent"
    may_be_due = or_(
        and_(
            Nudge.kind == "check_in",
            select(Partner.id)
            .where(Partner.id == Nudge.subject_id, _check_in_may_be_due(check_in_horizon))
            .exists(),
        ),
        and_(
            Nudge.kind == "promise",
            select(Promise.id)
            .where(Promise.id == Nudge.subject_id, _promise_may_be_due(promise_horizon))
            .exists(),
        ),
    )
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
        .where(Nudge.state.in_(("pending", "sent")), may_be_due)
        .group_by(Nudge.member_id, Nudge.kind, Nudge.subject_id, Nudge.due_on)
    ).all()
    return {EpisodeKey(r.member_id, r.kind, r.subject_id, r.due_on): r for r in rows}


class NudgeRow(NamedTuple):
    """One outbox row to write: whose, about what, its episode (`due_on`) and its day."""

    workspace_id: int
    member_id: int
    kind: str
    subject_id: int
    due_on: date
    period: date


_COLUMNS = "workspace_id, member_id, kind, subject_id, due_on, period, state, created_at"
_CONFLICT = "ON CONFLICT (member_id, kind, subject_id, period) DO NOTHING"
# PostgreSQL: the rows as one array per column, unnested into a set.
_ADD_POSTGRES = text(
    f"INSERT INTO outbox ({_COLUMNS}) "
    "SELECT w, m, k, s, d, p, 'pending', :created_at FROM unnest("
    "CAST(:workspace_ids AS integer[]), CAST(:member_ids AS integer[]), "
    "CAST(:kinds AS text[]), CAST(:subject_ids AS integer[]), "
    "CAST(:due_ons AS date[]), CAST(:periods AS date[])) AS r(w, m, k, s, d, p) "
    f"{_CONFLICT}"
).bindparams(bindparam("created_at", type_=UTCDateTime))
# SQLite: the rows as one JSON array of arrays; dates as ISO text, as SQLite stores them. The
# WHERE is SQLite's own rule: an upsert's SELECT needs one, or ON CONFLICT reads as a join's ON.
_ADD_SQLITE = text(
    f"INSERT INTO outbox ({_COLUMNS}) "
    "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, "
    "'pending', :created_at FROM json_each(:rows) WHERE true "
    f"{_CONFLICT}"
).bindparams(bindparam("created_at", type_=UTCDateTime))


def add_nudges(session: Session, nudges: Sequence[NudgeRow], now: datetime) -> int:
    """Write nudges to the outbox, pending, created at `now`; how many went in. A row whose
    key (member, kind, subject, period) the outbox holds already is left out, and not counted.

    One statement for all of them, the rows passed as one parameter (arrays on PostgreSQL,
    JSON on SQLite), so neither the statements nor the round trips grow with their number.
    """
    if not nudges:
        return 0
    if is_postgres(session):
        columns = list(zip(*nudges, strict=True))
        result = session.execute(
            _ADD_POSTGRES,
            {
                "created_at": now,
                "workspace_ids": list(columns[0]),
                "member_ids": list(columns[1]),
                "kinds": list(columns[2]),
                "subject_ids": list(columns[3]),
                "due_ons": list(columns[4]),
                "periods": list(columns[5]),
            },
        )
    else:
        rows = json.dumps([[*n[:4], n.due_on.isoformat(), n.period.isoformat()] for n in nudges])
        result = session.execute(_ADD_SQLITE, {"created_at": now, "rows": rows})
    return cast(CursorResult[Any], result).rowcount or 0


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
