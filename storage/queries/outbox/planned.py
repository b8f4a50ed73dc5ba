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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    CursorResult,
    Date,
    Select,
    and_,
    any_,
    bindparam,
    delete,
    func,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from storage.models import (
    Bundle,
    Member,
    Nudge,
    Partner,
    PartnerClaim,
    Promise,
    UTCDateTime,
    check_in_plan_at,
    promise_plan_at,
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

    The same statement turns PostgreSQL's JIT compilation off for the rest of the transaction
    (`set_config(…, true)` is `SET LOCAL`): a tick's statements read and write by index, which
    compiled code does not speed up, and a large tick's statements cost enough to be compiled
    each time (0.3 s of compiling for the outbox histories of a first tick of 100,000 items).
    """
    if not is_postgres(session):
        return True
    return bool(
        session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key), set_config('jit', 'off', true)"),
            {"key": PLANNER_LOCK_KEY},
        ).scalar()
    )


# The tables a planner tick writes: its outbox rows, and the partners' and promises' notes.
PLANNED_TABLES = ("outbox", "partners", "promises")


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
    need (`bot.rules.zones.ZONE_LEAD`); the rules count the day exactly. Everything that may be
    due, whatever the planner decided before: what it looks at on a tick after the upgrade that
    added its notes, and what the planner benchmark and tests check its work against.
    """
    return session.execute(
        select(*_check_in_columns())
        .outerjoin(Owner, _owner_who_can_be_nudged())
        .outerjoin(PartnerClaim, _live_claim(now))
        .outerjoin(Claimer, _claimer_who_can_be_nudged())
        .where(
            _check_in_may_be_due(horizon),
            or_(Owner.id.is_not(None), Claimer.id.is_not(None)),
        )
    ).all()


def _check_in_columns() -> tuple[Any, ...]:
    """What the check-in rules read of a partner and who may be nudged about it: the columns
    `nudges.check_in_day` reads, and the owner's and a live claimer's ids and zones."""
    return (
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


def _promise_columns() -> tuple[Any, ...]:
    """What the promise rules read of a promise and its promiser: its due day, and the zone,
    hours, days and holidays its heads-up day is counted in (`WorkingHours.of`)."""
    return (
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


def _owner_who_can_be_nudged() -> ColumnElement[bool]:
    """The partner's owner, joined only while they can receive nudges (active, not a guest)."""
    return and_(Owner.id == Partner.owner_id, usable(Owner))


def _live_claim(now: datetime) -> ColumnElement[bool]:
    """The partner's claim, joined only while it lives (`until` after `now`)."""
    return and_(
        PartnerClaim.partner_id == Partner.id,
        PartnerClaim.workspace_id == Partner.workspace_id,
        PartnerClaim.until > now,
    )


def _claimer_who_can_be_nudged() -> ColumnElement[bool]:
    """The claim's colleague, joined only while they can receive nudges."""
    return and_(
        Claimer.id == PartnerClaim.member_id,
        Claimer.workspace_id == Partner.workspace_id,
        usable(Claimer),
    )


def _check_in_may_be_due(horizon: datetime) -> ColumnElement[bool]:
    return and_(Partner.status == "active", Partner.check_in_due_at <= horizon)


def promise_candidates(session: Session, horizon: date) -> Sequence[AnyRow]:
    """Our open promises, of active members who are not guests, due by `horizon` (heads-ups
    come before the due day).

    What a partner promised us is context for talking to them, not a task of ours to nudge.
    Everything that may be due, as `check_in_candidates` for check-ins.
    """
    return session.execute(
        select(*_promise_columns())
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


def check_ins_to_look_at(session: Session, horizon: datetime, now: datetime) -> Sequence[AnyRow]:
    """The partners whose check-in the planner has to look at now, whoever is to be nudged:
    the active ones whose noted instant (`storage.models.check_in_plan_at`, the due instant
    when the row's values changed since it was noted) is by `horizon`, and every partner with a
    live claim (a claim is not among the values a row keeps; `status` and `check_in_due_at`
    tell the planner which of those may be due). Each with what `check_in_candidates` gives,
    the owner's id whatever their state (`row_owner_id`), and what the planner noted (`plan_*`).

    Two index ranges in one statement (`ix_partners_check_in_plan`, `ix_partner_claims_until`):
    items whose nudges are pending, spent or not due again yet are not read at all.
    """
    looked_at = select(Partner.id).where(Partner.status == "active", check_in_plan_at() <= horizon)
    # Every live claim, whatever its partner's state: a condition on the partners here would
    # make the database walk every due partner to find the few claimed. The planner passes
    # over the claimed partners that are not active or not due by `horizon`.
    claimed = select(PartnerClaim.partner_id).where(PartnerClaim.until > now)
    ids = union(looked_at, claimed)
    columns = select(
        *_check_in_columns(),
        Partner.status,
        Partner.owner_id.label("row_owner_id"),
        Partner.check_in_due_at,
        Partner.plan_due_at,
        Partner.plan_member_id,
        Partner.plan_snoozed_until,
        Partner.plan_paused_until,
        Partner.plan_again_at,
    )
    if is_postgres(session):
        chosen = columns.select_from(Partner).where(_among(Partner.id, ids))
    else:
        found = ids.subquery()
        chosen = columns.select_from(found).join(Partner, Partner.id == found.c.id)
    return (
        session.connection()
        .execute(
            chosen.outerjoin(Owner, _owner_who_can_be_nudged())
            .outerjoin(PartnerClaim, _live_claim(now))
            .outerjoin(Claimer, _claimer_who_can_be_nudged())
        )
        .all()
    )


def _among(
    column: InstrumentedAttribute[int], ids: Select[Any] | CompoundSelect[Any]
) -> ColumnElement[bool]:
    """PostgreSQL: `column = ANY (ARRAY (ids))`. The ids are found first, on their own, and
    the rows read by key with them, each joined by key to what it needs: a join with the ids
    is planned from the statistics of an index over values the planner itself keeps changing,
    which after a large tick or between two ANALYZEs say hundreds of rows are due when none or
    a few are, and the plan then hashed every member and walked every partner to find them."""
    return column == any_(func.array(ids.scalar_subquery()))


def promises_to_look_at(session: Session, horizon: datetime) -> Sequence[AnyRow]:
    """Our open promises the planner has to look at now: those whose noted instant
    (`storage.models.promise_plan_at`, the due day's start when it or the promiser changed
    since) is by `horizon`, whoever promised them. With what `promise_candidates` gives,
    whether the promiser can receive nudges (`usable`), and what the planner noted (`plan_*`).
    One index range (`ix_promises_plan`) and a join by key (on PostgreSQL the ids first, as
    `check_ins_to_look_at` reads them)."""
    due = (
        Promise.status == "open",
        Promise.promised_by == "us",
        promise_plan_at() <= horizon,
    )
    columns = select(
        *_promise_columns(),
        usable(Member).label("usable"),
        Promise.plan_due_on,
        Promise.plan_member_id,
        Promise.plan_again_at,
    ).join(Member, Member.id == Promise.member_id)
    if is_postgres(session):
        chosen = columns.where(_among(Promise.id, select(Promise.id).where(*due)))
    else:
        chosen = columns.where(*due)
    return session.connection().execute(chosen).all()


class ItemKey(NamedTuple):
    """An item of the outbox for one recipient, all its episodes: (member, kind, subject)."""

    member_id: int
    kind: str
    subject_id: int


# Per episode (due_on) of a key: pending or not, how many sent, the local day of the last one.
_EPISODE_AGGREGATES = """
           max(CASE WHEN o.state = 'pending' THEN 1 ELSE 0 END) AS pending,
           sum(CASE WHEN o.state = 'sent' THEN 1 ELSE 0 END) AS sent,
           max(CASE WHEN o.state = 'sent' THEN b.local_day END) AS last_sent_on
"""
_HISTORY_COLUMNS = "SELECT o.member_id, o.kind, o.subject_id, o.due_on," + _EPISODE_AGGREGATES
_HISTORY_REST = """
    JOIN outbox o ON o.member_id = k.member_id AND o.kind = k.kind AND o.subject_id = k.subject_id
    LEFT JOIN bundles b ON b.id = o.bundle_id
    WHERE o.state IN ('pending', 'sent')
    GROUP BY o.member_id, o.kind, o.subject_id, o.due_on
"""
# PostgreSQL: the keys as one array per column, each driving its own read of the outbox's unique
# index (member, kind, subject, period) through a LATERAL subquery, which the planner cannot
# turn into a join: a plain join of the keys with the outbox is planned from the outbox's
# statistics, and right after a tick that wrote thousands of rows those still say "empty",
# so the join walked the whole outbox once per tick for no key at all (150 ms at 60,000 rows).
_HISTORIES_POSTGRES = text(
    "SELECT k.member_id, k.kind, k.subject_id, h.due_on, h.pending, h.sent, h.last_sent_on "
    "FROM unnest(CAST(:member_ids AS integer[]), CAST(:kinds AS text[]), "
    "CAST(:subject_ids AS integer[])) AS k(member_id, kind, subject_id) "
    "CROSS JOIN LATERAL (SELECT o.due_on,"
    + _EPISODE_AGGREGATES
    + "FROM outbox o LEFT JOIN bundles b ON b.id = o.bundle_id "
    "WHERE o.member_id = k.member_id AND o.kind = k.kind AND o.subject_id = k.subject_id "
    "AND o.state IN ('pending', 'sent') GROUP BY o.due_on) AS h"
).columns(due_on=Date)
# SQLite: the keys as one JSON array, driving the unique index key by key (its planner takes
# json_each's rows as the outer loop whatever the outbox holds).
_HISTORIES_SQLITE = text(
    _HISTORY_COLUMNS
    + "FROM (SELECT value ->> 0 AS member_id, value ->> 1 AS kind, value ->> 2 AS subject_id "
    "FROM json_each(:keys)) AS k" + _HISTORY_REST
).columns(due_on=Date, last_sent_on=Date)


def episode_histories(session: Session, items: Collection[ItemKey]) -> dict[EpisodeKey, AnyRow]:
    """Per episode of these items: pending or not, how many nudges were sent, and the local day
    of the last one. One statement, the keys passed as one parameter (arrays on PostgreSQL,
    JSON on SQLite) and read through the outbox's unique key: other rows are not read."""
    keys = sorted(set(items))
    if is_postgres(session):
        member_ids, kinds, subject_ids = _columns(keys, 3)
        parameters: dict[str, Any] = {
            "member_ids": member_ids,
            "kinds": kinds,
            "subject_ids": subject_ids,
        }
        statement = _HISTORIES_POSTGRES
    else:
        parameters = {"keys": json.dumps([list(key) for key in keys])}
        statement = _HISTORIES_SQLITE
    rows = session.connection().execute(statement, parameters).all()
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
    JSON on SQLite), so neither the statements nor the round trips grow with their number; sent
    when there are none too, so that a tick's statements are the same whatever is due.
    """
    if is_postgres(session):
        workspaces, members, kinds, subjects, due_ons, periods = _columns(nudges, 6)
        result = session.execute(
            _ADD_POSTGRES,
            {
                "created_at": now,
                "workspace_ids": workspaces,
                "member_ids": members,
                "kinds": kinds,
                "subject_ids": subjects,
                "due_ons": due_ons,
                "periods": periods,
            },
        )
    else:
        rows = json.dumps([[*n[:4], n.due_on.isoformat(), n.period.isoformat()] for n in nudges])
        result = session.execute(_ADD_SQLITE, {"created_at": now, "rows": rows})
    return cast(CursorResult[Any], result).rowcount or 0


class CheckInPlan(NamedTuple):
    """What the planner notes in a partner's row: the values it decided from (`due_at` is
    `check_in_due_at`; `member_id` whom it nudges, or the owner when nobody can be) and the
    instant from which to look again, plus ZONE_LEAD (None: not while those values stay)."""

    partner_id: int
    due_at: datetime | None
    member_id: int | None
    snoozed_until: date | None
    paused_until: date | None
    again_at: datetime | None


class PromisePlan(NamedTuple):
    """What the planner notes in a promise's row: its due day and promiser as decided from,
    and the instant to look again, plus ZONE_LEAD and HEADS_UP_LOOKBACK_DAYS (None: not while
    those stay)."""

    promise_id: int
    due_on: date
    member_id: int
    again_at: datetime | None


_NOTE_CHECK_INS_POSTGRES = text(
    "UPDATE partners SET plan_due_at = n.due_at, plan_member_id = n.member_id, "
    "plan_snoozed_until = n.snoozed, plan_paused_until = n.paused, plan_again_at = n.again_at "
    "FROM unnest(CAST(:ids AS integer[]), CAST(:due_ats AS timestamp[]), "
    "CAST(:member_ids AS integer[]), CAST(:snoozed AS date[]), CAST(:paused AS date[]), "
    "CAST(:again_ats AS timestamp[])) AS n(id, due_at, member_id, snoozed, paused, again_at) "
    "WHERE partners.id = n.id"
)
_NOTE_CHECK_INS_SQLITE = text(
    "UPDATE partners SET plan_due_at = n.value ->> 1, plan_member_id = n.value ->> 2, "
    "plan_snoozed_until = n.value ->> 3, plan_paused_until = n.value ->> 4, "
    "plan_again_at = n.value ->> 5 FROM json_each(:rows) AS n WHERE partners.id = n.value ->> 0"
)
_NOTE_PROMISES_POSTGRES = text(
    "UPDATE promises SET plan_due_on = n.due_on, plan_member_id = n.member_id, "
    "plan_again_at = n.again_at FROM unnest(CAST(:ids AS integer[]), "
    "CAST(:due_ons AS date[]), CAST(:member_ids AS integer[]), "
    "CAST(:again_ats AS timestamp[])) AS n(id, due_on, member_id, again_at) "
    "WHERE promises.id = n.id"
)
_NOTE_PROMISES_SQLITE = text(
    "UPDATE promises SET plan_due_on = n.value ->> 1, plan_member_id = n.value ->> 2, "
    "plan_again_at = n.value ->> 3 FROM json_each(:rows) AS n WHERE promises.id = n.value ->> 0"
)


def note_plans(
    session: Session, check_ins: Sequence[CheckInPlan], promises: Sequence[PromisePlan]
) -> None:
    """Note in the rows what the planner decided: one UPDATE … FROM per table, whatever the
    number (sent when there is nothing to note too, so that a tick's statements are the same
    whatever is due), the values passed as one parameter (arrays on PostgreSQL, JSON on SQLite).

    The values decided from are written as they were read, not copied from the row now: a
    write that changed the row meanwhile (on SQLite the tick reads before it takes the write
    lock) then differs from them, and the item is looked at again on the next tick.
    """
    if is_postgres(session):
        ids, due_ats, members, snoozed, paused, again_ats = _columns(check_ins, 6)
        session.execute(
            _NOTE_CHECK_INS_POSTGRES,
            {
                "ids": ids,
                "due_ats": [_naive_utc(v) for v in due_ats],
                "member_ids": members,
                "snoozed": snoozed,
                "paused": paused,
                "again_ats": [_naive_utc(v) for v in again_ats],
            },
        )
        ids, due_ons, members, again_ats = _columns(promises, 4)
        session.execute(
            _NOTE_PROMISES_POSTGRES,
            {
                "ids": ids,
                "due_ons": due_ons,
                "member_ids": members,
                "again_ats": [_naive_utc(v) for v in again_ats],
            },
        )
        return
    check_in_rows = [
        [
            p.partner_id,
            _sqlite_instant(p.due_at),
            p.member_id,
            _iso(p.snoozed_until),
            _iso(p.paused_until),
            _sqlite_instant(p.again_at),
        ]
        for p in check_ins
    ]
    session.execute(_NOTE_CHECK_INS_SQLITE, {"rows": json.dumps(check_in_rows)})
    promise_rows = [
        [p.promise_id, _iso(p.due_on), p.member_id, _sqlite_instant(p.again_at)] for p in promises
    ]
    session.execute(_NOTE_PROMISES_SQLITE, {"rows": json.dumps(promise_rows)})


def _columns(rows: Sequence[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """`rows` as one list per column (`width` empty lists for no rows)."""
    return [list(column) for column in zip(*rows, strict=True)] or [[] for _ in range(width)]


def _naive_utc(instant: datetime | None) -> datetime | None:
    """As `UTCDateTime` stores an instant (naive UTC), for parameters that bypass its type."""
    return None if instant is None else instant.astimezone(UTC).replace(tzinfo=None)


def _sqlite_instant(instant: datetime | None) -> str | None:
    """As SQLAlchemy writes an instant on SQLite, to the microsecond: the planner's noted
    values are compared with the row's as text there, so they must read the same."""
    if instant is None:
        return None
    if instant.tzinfo is not UTC:  # what the database gives back is UTC already
        instant = instant.astimezone(UTC)
    return instant.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def look_again_for_member(session: Session, workspace_id: int, member_id: int) -> None:
    """Have the next tick look at every item nudging this member as one never planned: their
    open promises and the check-ins of the partners they look after. For a change the noted
    values do not show (their zone, working hours or days, public holidays), which moves the
    days their nudges fall on: a heads-up moved earlier comes on its new day, not the noted
    one. Clearing the noted member is enough: it no longer matches, and the item is due by its
    own due instant again (`check_in_plan_at`, `promise_plan_at`)."""
    session.execute(
        update(Promise)
        .where(
            Promise.workspace_id == workspace_id,
            Promise.member_id == member_id,
            Promise.status == "open",
        )
        .values(plan_member_id=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(Partner)
        .where(Partner.workspace_id == workspace_id, Partner.owner_id == member_id)
        .values(plan_member_id=None),
        execution_options={"synchronize_session": False},
    )


def prune(session: Session, before: datetime) -> int:
    """Forget finished nudges and DMs older than `before` (their DMs are in Slack's history).

    Nudges of an item still in the same episode stay, however old: they are what counts its
    unanswered nudges, and forgetting them would start the weekly reminders over.

    Each finished state is one range of `ix_outbox_state_created` / `ix_bundles_state_created`
    (migration 0029): the rows older than `before`, not every finished row of the days kept.
    """
    promise_open = (
        select(Promise.id).where(Promise.id == Nudge.subject_id, Promise.status == "open").exists()
    )
    # The partner's last check-in as its row keeps it (`last_check_in_at`, the latest check-in
    # of its history): one look-up by key per old row, not a search of the contact history.
    checked_in_since = (
        select(Partner.id)
        .where(Partner.id == Nudge.subject_id, Partner.last_check_in_at >= Nudge.due_on)
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
