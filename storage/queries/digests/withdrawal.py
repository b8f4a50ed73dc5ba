"""The digests of a channel that still show partners, for withdrawing them when the channel may
no longer read partner data (shared with another organisation, a guest in it); and the channels
whose withdrawal is still to be made (`digest_withdrawals`), leased to one scheduler at a time.

A withdrawal row is keyed by workspace and channel. Each time it is noted it gets a new `mark`;
whoever finishes or puts back the row names the mark it began from, so that work begun before a
later event noted the channel again never deletes what that event asked for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Digest, DigestSubscription, DigestWithdrawal, Workspace
from storage.queries.common import is_postgres, rows_changed


@dataclass(frozen=True)
class ShowingDigest:
    """A posted digest whose message still lists partners: its id, its workspace, its message
    (`ts`), the language and zone it is drawn in, and whether its subscription is suspended
    (the channel was found shared)."""

    id: str
    workspace_id: int
    ts: str
    language: str
    tz: str
    suspended: bool


def posted_showing(
    session: Session, team_id: str, channel_id: str, at_most: int
) -> list[ShowingDigest]:
    """The workspace's digests posted in the channel whose message still lists partners (a
    `ts` and a `shown`), newest first, at most `at_most`; one statement."""
    query = (
        select(
            Digest.id,
            Digest.workspace_id,
            Digest.ts,
            DigestSubscription.language,
            DigestSubscription.tz,
            DigestSubscription.state == "suspended",
        )
        .join(Workspace, Workspace.id == Digest.workspace_id)
        .join(DigestSubscription, DigestSubscription.id == Digest.subscription_id)
        # By the channel's subscription (one a channel), then its digests by their unique
        # (subscription, period): no digest of another channel is read.
        .where(
            Workspace.team_id == team_id,
            DigestSubscription.channel_id == channel_id,
            Digest.channel_id == channel_id,
            Digest.ts.is_not(None),
            Digest.shown.is_not(None),
        )
        .order_by(Digest.period.desc())
        .limit(at_most)
    )
    return [
        ShowingDigest(did, wid, str(ts), language, tz, bool(suspended))
        for did, wid, ts, language, tz, suspended in session.execute(query).all()
    ]


def forget_shown(session: Session, digest_id: str) -> None:
    """The digest's message lists nobody any more (withdrawn): its `shown` goes."""
    session.execute(update(Digest).where(Digest.id == digest_id).values(shown=None))


# --- withdrawals still to be made -----------------------------------------------------------------


@dataclass(frozen=True)
class PendingWithdrawal:
    """A channel whose withdrawal a scheduler leased: where, the mark it began from, and how
    many refusals (not counting rate limits) came before."""

    workspace_id: int
    team_id: str
    channel_id: str
    mark: str
    attempts: int


def showing_in(session: Session, workspace_id: int, channel_id: str) -> bool:
    """Whether a posted digest of the workspace in the channel still lists partners."""
    query = select(Digest.id).where(
        Digest.workspace_id == workspace_id,
        Digest.channel_id == channel_id,
        Digest.ts.is_not(None),
        Digest.shown.is_not(None),
    )
    return bool(session.scalar(select(exists(query))))


def note_withdrawal(
    session: Session,
    workspace_id: int,
    channel_id: str,
    now: datetime,
    not_before: datetime,
    error: str | None = None,
) -> str:
    """Keep the channel's withdrawal to be made at `not_before`, with a new mark (returned):
    a row already there is taken from whoever held it, its attempts kept. One statement."""
    mark = uuid.uuid4().hex
    values: dict[str, Any] = {
        "workspace_id": workspace_id,
        "channel_id": channel_id,
        "mark": mark,
        "not_before": not_before,
        "attempts": 0,
        "claimed_by": None,
        "lease_until": None,
        "error": error,
        "noted_at": now,
    }
    dialect = postgresql if is_postgres(session) else sqlite
    table = DigestWithdrawal.__table__
    again = {"mark": mark, "not_before": not_before, "claimed_by": None, "lease_until": None}
    if error is not None:
        again["error"] = error
    statement = (
        dialect.insert(table)
        .values(**values)
        .on_conflict_do_update(index_elements=["workspace_id", "channel_id"], set_=again)
    )
    session.execute(statement)
    return mark


def withdrawal_mark(session: Session, team_id: str, channel_id: str) -> tuple[int, str] | None:
    """The workspace and the current mark of the channel's withdrawal, if one is kept."""
    row = session.execute(
        select(DigestWithdrawal.workspace_id, DigestWithdrawal.mark)
        .join(Workspace, Workspace.id == DigestWithdrawal.workspace_id)
        .where(Workspace.team_id == team_id, DigestWithdrawal.channel_id == channel_id)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def _this(workspace_id: int, channel_id: str, mark: str) -> Any:
    return and_(
        DigestWithdrawal.workspace_id == workspace_id,
        DigestWithdrawal.channel_id == channel_id,
        DigestWithdrawal.mark == mark,
    )


def finish_withdrawal(session: Session, workspace_id: int, channel_id: str, mark: str) -> bool:
    """The withdrawal begun from `mark` is done: its row goes, unless it was noted again
    meanwhile (then it stays for its next turn). True when it went."""
    gone = delete(DigestWithdrawal).where(_this(workspace_id, channel_id, mark))
    return rows_changed(session, gone) == 1


def put_back_withdrawal(
    session: Session,
    workspace_id: int,
    channel_id: str,
    mark: str,
    not_before: datetime,
    error: str,
    attempts: int,
) -> bool:
    """Slack refused the withdrawal begun from `mark`: it is made again at `not_before`, its
    lease let go. Nothing changes when it was noted again meanwhile (that note's own wait
    stands). True when it was put back."""
    return _put_back(session, _this(workspace_id, channel_id, mark), not_before, error, attempts)


def refused_again(
    session: Session,
    workspace_id: int,
    channel_id: str,
    mark: str,
    not_before: datetime,
    error: str,
    counted: int,
) -> bool:
    """Slack refused the withdrawal begun from `mark` outside the job (an event's own try): it
    is made again at `not_before`, its lease let go, and `counted` (1, or 0 for a rate limit)
    added to the refusals that came before, so that each event's try counts on top of them
    rather than starting the count afresh. Nothing changes when it was noted again meanwhile.
    True when it was put back."""
    this = _this(workspace_id, channel_id, mark)
    return _put_back(session, this, not_before, error, DigestWithdrawal.attempts + counted)


def _put_back(session: Session, this: Any, not_before: datetime, error: str, attempts: Any) -> bool:
    """The one UPDATE of both put-backs: `attempts` is a count, or an expression over the row's."""
    back = (
        update(DigestWithdrawal)
        .where(this)
        .values(
            not_before=not_before,
            error=error,
            attempts=attempts,
            claimed_by=None,
            lease_until=None,
        )
    )
    return rows_changed(session, back) == 1


def claim_withdrawals(
    session: Session, owner: str, now: datetime, lease_until: datetime, limit: int
) -> list[PendingWithdrawal]:
    """Lease up to `limit` due withdrawals nobody holds to `owner` until `lease_until`, oldest
    first; chosen FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite's writes are serial), so that two
    schedulers never take the same channel. Three statements, whatever the number."""
    free = (
        select(DigestWithdrawal.workspace_id, DigestWithdrawal.channel_id)
        .where(
            DigestWithdrawal.not_before <= now,
            or_(DigestWithdrawal.lease_until.is_(None), DigestWithdrawal.lease_until <= now),
        )
        .order_by(DigestWithdrawal.not_before, DigestWithdrawal.workspace_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    chosen = [(int(workspace), str(channel)) for workspace, channel in session.execute(free)]
    if not chosen:
        return []
    key = tuple_(DigestWithdrawal.workspace_id, DigestWithdrawal.channel_id)
    session.execute(
        update(DigestWithdrawal)
        .where(key.in_(chosen))
        .values(claimed_by=owner, lease_until=lease_until)
    )
    rows = session.execute(
        select(
            DigestWithdrawal.workspace_id,
            DigestWithdrawal.channel_id,
            DigestWithdrawal.mark,
            DigestWithdrawal.attempts,
            Workspace.team_id,
        )
        .join(Workspace, Workspace.id == DigestWithdrawal.workspace_id)
        .where(key.in_(chosen))
    )
    leased = {
        (int(w), str(c)): PendingWithdrawal(int(w), str(team), str(c), str(mark), int(attempts))
        for w, c, mark, attempts, team in rows
    }
    return [leased[where] for where in chosen]  # in the order chosen: oldest first


def withdrawal_waits(session: Session, after: datetime, until: datetime) -> list[datetime]:
    """When kept withdrawals fall due within (after, until]."""
    return list(
        session.scalars(
            select(DigestWithdrawal.not_before).where(
                DigestWithdrawal.not_before > after, DigestWithdrawal.not_before <= until
            )
        ).all()
    )


# --- what `digest status` tells of withdrawals (read only) ----------------------------------------


@dataclass(frozen=True)
class KeptWithdrawal:
    """A channel's withdrawal still to be made, as `digest status` tells it: noted when
    (`since`: the first note, kept while it is noted again), tried next when, Slack's word for
    the last refusal (None: not refused yet) and the refusals counted (rate limits not)."""

    since: datetime
    next_try: datetime
    error: str | None
    attempts: int


@dataclass(frozen=True)
class ChannelWithdrawals:
    """The posted digests of a channel's subscription: how many were withdrawn (their message
    replaced, no `shown` kept), what those still showing keep as `shown` (JSON, newest first;
    a quiet week's lists nobody), and the withdrawal kept for the channel, if any."""

    withdrawn: int
    showing: tuple[str, ...]
    kept: KeptWithdrawal | None


def withdrawals_in(
    session: Session, workspace_id: int, subscription_id: int, channel_id: str, at_most: int
) -> ChannelWithdrawals:
    """The subscription's posted digests withdrawn (counted) and still showing (their `shown`,
    at most `at_most`), through the unique (subscription, period); and the workspace's
    withdrawal kept for the channel (its primary key). Three statements."""
    posted = and_(
        Digest.workspace_id == workspace_id,
        Digest.subscription_id == subscription_id,
        Digest.ts.is_not(None),
    )
    withdrawn = session.scalar(
        select(func.count()).select_from(Digest).where(posted, Digest.shown.is_(None))
    )
    showing = session.scalars(
        select(Digest.shown)
        .where(posted, Digest.shown.is_not(None))
        .order_by(Digest.period.desc())
        .limit(at_most)
    ).all()
    row = session.get(DigestWithdrawal, (workspace_id, channel_id))
    kept = (
        None
        if row is None
        else KeptWithdrawal(row.noted_at, row.not_before, row.error, row.attempts)
    )
    return ChannelWithdrawals(int(withdrawn or 0), tuple(str(s) for s in showing), kept)
