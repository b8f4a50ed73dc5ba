"""Slack's answers kept: channels (`conversations.info`), their members
(`conversations.members`) and people (`users.info`), so that a busy shared channel costs one
Slack call per new person or channel, not one per message.

Rows are written by insert-or-update (`ON CONFLICT … DO UPDATE`): two threads that both found
a row missing and asked Slack both write, and neither fails. A channel's member rows are
replaced whole with its row, under the lock that upsert takes on it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ChannelMember, SlackChannel, SlackPersonRow
from storage.queries.common import insert_or_nothing, is_postgres, rows_changed

# Ids per `IN (…)` and rows per multi-row INSERT: well below SQLite's 32,766 bound parameters.
BATCH = 500


@dataclass(frozen=True)
class CachedChannel:
    """A channel's cached row, and its members' ids when the cache holds them all."""

    channel_id: str
    is_private: bool
    is_ext_shared: bool
    is_pending_ext_shared: bool
    member_count: int
    member_ids: frozenset[str] | None
    refreshed_at: datetime


def cached_channel(session: Session, workspace_id: int, channel_id: str) -> CachedChannel | None:
    """The channel as last cached, or None when it is not."""
    row = session.get(SlackChannel, (workspace_id, channel_id))
    if row is None:
        return None
    members: frozenset[str] | None = None
    if row.members_known:
        members = frozenset(
            session.scalars(
                select(ChannelMember.slack_user_id).where(
                    ChannelMember.workspace_id == workspace_id,
                    ChannelMember.channel_id == channel_id,
                )
            )
        )
    return CachedChannel(
        channel_id=row.channel_id,
        is_private=row.is_private,
        is_ext_shared=row.is_ext_shared,
        is_pending_ext_shared=row.is_pending_ext_shared,
        member_count=row.member_count,
        member_ids=members,
        refreshed_at=row.refreshed_at,
    )


def save_channel(
    session: Session,
    workspace_id: int,
    channel_id: str,
    *,
    is_private: bool,
    is_ext_shared: bool,
    is_pending_ext_shared: bool,
    member_count: int,
    member_ids: Collection[str] | None,
    now: datetime,
) -> None:
    """Cache what Slack just said about a channel, replacing what was cached; `member_ids`
    None when Slack's list was not read whole (the channel is too large)."""
    values = {
        "is_private": is_private,
        "is_ext_shared": is_ext_shared,
        "is_pending_ext_shared": is_pending_ext_shared,
        "member_count": member_count,
        "members_known": member_ids is not None,
        "refreshed_at": now,
    }
    _upsert(
        session,
        SlackChannel,
        {"workspace_id": workspace_id, "channel_id": channel_id},
        values,
    )
    session.execute(
        delete(ChannelMember).where(
            ChannelMember.workspace_id == workspace_id, ChannelMember.channel_id == channel_id
        )
    )
    rows = [
        {"workspace_id": workspace_id, "channel_id": channel_id, "slack_user_id": member}
        for member in sorted(member_ids or ())
    ]
    conflict = ["workspace_id", "channel_id", "slack_user_id"]
    for start in range(0, len(rows), BATCH):
        session.execute(insert_or_nothing(session, ChannelMember, conflict), rows[start:][:BATCH])


def add_channel_member(session: Session, workspace_id: int, channel_id: str, user_id: str) -> bool:
    """Someone joined a cached channel: their member row, and one more in its count. False
    (and nothing changed) when the channel is not cached or they were known to be in it."""
    row = _locked_channel(session, workspace_id, channel_id)
    if row is None:
        return False
    if row.members_known:
        statement = insert_or_nothing(
            session, ChannelMember, ["workspace_id", "channel_id", "slack_user_id"]
        ).values(workspace_id=workspace_id, channel_id=channel_id, slack_user_id=user_id)
        returning = statement.returning(ChannelMember.slack_user_id)
        if session.execute(returning).first() is None:
            return False
    row.member_count += 1
    return True


def remove_channel_member(
    session: Session, workspace_id: int, channel_id: str, user_id: str
) -> bool:
    """Someone left a cached channel: their member row goes, and one from its count. False
    (and nothing changed) when the channel is not cached or they were known not to be in it."""
    row = _locked_channel(session, workspace_id, channel_id)
    if row is None:
        return False
    if row.members_known:
        gone = rows_changed(
            session,
            delete(ChannelMember).where(
                ChannelMember.workspace_id == workspace_id,
                ChannelMember.channel_id == channel_id,
                ChannelMember.slack_user_id == user_id,
            ),
        )
        if gone == 0:
            return False
    row.member_count = max(row.member_count - 1, 0)
    return True


def set_channel_sharing(
    session: Session, workspace_id: int, channel_id: str, *, is_ext_shared: bool
) -> bool:
    """A cached channel became shared with another organisation, or stopped being; False when
    it is not cached. An invitation taken or withdrawn is no longer pending either way."""
    return (
        rows_changed(
            session,
            update(SlackChannel)
            .where(SlackChannel.workspace_id == workspace_id, SlackChannel.channel_id == channel_id)
            .values(is_ext_shared=is_ext_shared, is_pending_ext_shared=False),
        )
        > 0
    )


def forget_channel(session: Session, workspace_id: int, channel_id: str) -> bool:
    """Drop a channel and its members from the cache (the next look-up asks Slack afresh);
    False when it was not cached."""
    session.execute(
        delete(ChannelMember).where(
            ChannelMember.workspace_id == workspace_id, ChannelMember.channel_id == channel_id
        )
    )
    return (
        rows_changed(
            session,
            delete(SlackChannel).where(
                SlackChannel.workspace_id == workspace_id, SlackChannel.channel_id == channel_id
            ),
        )
        > 0
    )


def cached_people(
    session: Session, workspace_id: int, user_ids: Iterable[str]
) -> dict[str, SlackPersonRow]:
    """The cached rows of those of `user_ids` Rapport has asked Slack about, by id."""
    wanted = sorted(set(user_ids))
    found: dict[str, SlackPersonRow] = {}
    for start in range(0, len(wanted), BATCH):
        rows = session.scalars(
            select(SlackPersonRow).where(
                SlackPersonRow.workspace_id == workspace_id,
                SlackPersonRow.slack_user_id.in_(wanted[start:][:BATCH]),
            )
        )
        found.update((row.slack_user_id, row) for row in rows)
    return found


def save_person(
    session: Session, workspace_id: int, user_id: str, now: datetime, **profile: Any
) -> None:
    """Cache what `users.info` said about someone (the columns of `SlackPersonRow`: team_id,
    name, tz, locale, is_bot, is_guest, deleted), replacing what was cached."""
    _upsert(
        session,
        SlackPersonRow,
        {"workspace_id": workspace_id, "slack_user_id": user_id},
        {**profile, "refreshed_at": now},
    )


def save_no_such_user(session: Session, workspace_id: int, user_id: str, now: datetime) -> None:
    """Remember that `users.info` knows no user by this id (`user_not_found`), so that a
    message naming it again within a day costs no Slack call: a row of no team, marked deleted
    (`is_no_such_user`), never read as a person."""
    save_person(
        session,
        workspace_id,
        user_id,
        now,
        team_id=None,
        name="",
        tz=None,
        locale=None,
        is_bot=False,
        is_guest=False,
        deleted=True,
    )


def is_no_such_user(row: SlackPersonRow) -> bool:
    """Whether `row` says Slack knew no user by its id (`save_no_such_user`): every real
    profile names a team, so no person is ever mistaken for one."""
    return row.deleted and row.team_id is None


def forget_no_such_user(session: Session, workspace_id: int, user_id: str) -> bool:
    """Drop a "no such user" row of `user_id` (`save_no_such_user`), so that the next look-up
    asks Slack: something showed the user exists (they joined a channel). False when there was
    none."""
    return (
        rows_changed(
            session,
            delete(SlackPersonRow).where(
                SlackPersonRow.workspace_id == workspace_id,
                SlackPersonRow.slack_user_id == user_id,
                SlackPersonRow.deleted.is_(True),
                SlackPersonRow.team_id.is_(None),
            ),
        )
        > 0
    )


def refresh_person(
    session: Session, workspace_id: int, user_id: str, now: datetime, **profile: Any
) -> bool:
    """Update someone already cached (a `user_change`); False, and nothing added, when they
    are not: people are cached when first seen in a shared channel, not before."""
    return (
        rows_changed(
            session,
            update(SlackPersonRow)
            .where(
                SlackPersonRow.workspace_id == workspace_id,
                SlackPersonRow.slack_user_id == user_id,
            )
            .values(**profile, refreshed_at=now),
        )
        > 0
    )


def forget_person(session: Session, workspace_id: int, user_id: str) -> bool:
    """Drop someone Slack no longer knows from the cache; False when they were not in it."""
    return (
        rows_changed(
            session,
            delete(SlackPersonRow).where(
                SlackPersonRow.workspace_id == workspace_id,
                SlackPersonRow.slack_user_id == user_id,
            ),
        )
        > 0
    )


def _locked_channel(session: Session, workspace_id: int, channel_id: str) -> SlackChannel | None:
    """The channel's row, locked until the transaction ends (PostgreSQL: `FOR UPDATE`; SQLite
    has one writer at a time anyway), so that two joins at once both count."""
    return session.scalars(
        select(SlackChannel)
        .where(SlackChannel.workspace_id == workspace_id, SlackChannel.channel_id == channel_id)
        .with_for_update()
    ).one_or_none()


def _upsert(session: Session, model: Any, key: dict[str, Any], values: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE SET values, in the session's dialect."""
    dialect = postgresql if is_postgres(session) else sqlite
    statement = dialect.insert(model).values(**key, **values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: getattr(statement.excluded, name) for name in values},
        )
    )


def forget_people_before(session: Session, before: datetime, limit: int) -> int:
    """Drop at most `limit` people last read from Slack before `before`; how many went. One
    statement for the batch."""
    key = tuple_(SlackPersonRow.workspace_id, SlackPersonRow.slack_user_id)
    stale = (
        select(SlackPersonRow.workspace_id, SlackPersonRow.slack_user_id)
        .where(SlackPersonRow.refreshed_at < before)
        .limit(limit)
    )
    return rows_changed(session, delete(SlackPersonRow).where(key.in_(stale)))


def forget_channels_before(session: Session, before: datetime, limit: int) -> int:
    """Drop at most `limit` channels (and their members) last read from Slack before
    `before`; how many channels went. Two statements for the batch."""
    stale = [
        tuple(row)
        for row in session.execute(
            select(SlackChannel.workspace_id, SlackChannel.channel_id)
            .where(SlackChannel.refreshed_at < before)
            .limit(limit)
        )
    ]
    if not stale:
        return 0
    members = tuple_(ChannelMember.workspace_id, ChannelMember.channel_id)
    session.execute(delete(ChannelMember).where(members.in_(stale)))
    channels = tuple_(SlackChannel.workspace_id, SlackChannel.channel_id)
    return rows_changed(session, delete(SlackChannel).where(channels.in_(stale)))
