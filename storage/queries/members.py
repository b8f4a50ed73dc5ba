"""Workspaces and the members who use Rapport in them (a cache of Slack's `users.info`), and
when a workspace's rows say they were last written (for a clock that must not go back on them)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.orm import Session

from storage import deadline as deadlines
from storage.models import (
    Bundle,
    Interaction,
    Member,
    Partner,
    Promise,
    Workspace,
    preferred_locale,
)
from storage.queries.common import insert_ignoring_conflict
from storage.queries.outbox.planned import look_again_for_member


def workspace_for(session: Session, team_id: str, now: datetime) -> Workspace:
    """The workspace of `team_id`, created on its first request."""
    workspace = find_workspace(session, team_id)
    if workspace is not None:
        return workspace
    insert_ignoring_conflict(
        session, Workspace, {"team_id": team_id, "created_at": now}, ["team_id"]
    )
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()


def find_workspace(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def member_of_team(session: Session, team_id: str, slack_user_id: str) -> Member | None:
    """The member behind a request, found by the team and user ids Slack sends, in one query.

    The request's deadline learns their locale, so that an answer the web layer must give on
    its own, when the database is too slow, is in their language.
    """
    member = session.scalars(
        _MEMBER_OF_TEAM, {"team_id": team_id, "slack_user_id": slack_user_id}
    ).one_or_none()
    if member is not None:
        _tell_deadline(member)
    return member


# Any SELECT, whatever its columns.
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _tell_deadline(member: AnyMember) -> None:
    """Let the request's deadline (if any) know the asker's locale, for the answer the web layer
    gives on its own when the database is too slow."""
    deadline = deadlines.current()
    if deadline is not None:
        deadline.asker_locale = member.preferred_locale


def _of_team(query: _Query) -> _Query:
    """`query` narrowed to the member with a Slack team id and user id, bound at execution."""
    return query.join(Workspace, Member.workspace_id == Workspace.id).where(
        Workspace.team_id == bindparam("team_id"),
        Member.slack_user_id == bindparam("slack_user_id"),
    )


# Built once: every request from a member starts with it, and building it cost more than
# running it.
_MEMBER_OF_TEAM = _of_team(select(Member))


@dataclass(frozen=True)
class MemberRow:
    """A member as `member_row_of_team` reads them: the columns answering a command reads (who
    they are, their workspace, how to speak to them, whether they may ask), not an entity. For
    a use that only reads these, loading the entity cost more than its query."""

    id: int
    workspace_id: int
    slack_user_id: str
    tz: str
    locale: str
    language: str | None
    is_guest: bool
    refreshed_at: datetime

    @property
    def preferred_locale(self) -> str:
        """As `Member.preferred_locale`."""
        return preferred_locale(self.language, self.locale)


# A member as an entity or as the columns of one: what code that only reads them takes.
AnyMember: TypeAlias = Member | MemberRow


def member_row_of_team(session: Session, team_id: str, slack_user_id: str) -> MemberRow | None:
    """`member_of_team` as a `MemberRow`: the same query, its columns read on the session's
    connection, without building an entity."""
    row = (
        session.connection()
        .execute(_MEMBER_ROW_OF_TEAM, {"team_id": team_id, "slack_user_id": slack_user_id})
        .one_or_none()
    )
    if row is None:
        return None
    member = MemberRow(*row)
    _tell_deadline(member)
    return member


# `MemberRow`'s fields, in their order, as the columns of `Member` they are read from: a field
# added to the one is read by the other.
_MEMBER_ROW_OF_TEAM = _of_team(
    select(*(getattr(Member, field.name) for field in fields(MemberRow)))
)


def member_as_it_stands(
    session: Session, member_id: int
) -> Row[bool, datetime, str, str, str | None] | None:
    """What of a member may have changed since an earlier transaction read them, as a row:
    `is_guest`, `refreshed_at`, `tz`, `locale`, `language`; None when they are gone. One
    primary-key read, for a write that trusts an earlier read (`LogContact` reading apart)."""
    return session.connection().execute(_AS_IT_STANDS, {"id": member_id}).one_or_none()


# Built once: read by every command logged apart, under the write lock.
_AS_IT_STANDS = select(
    Member.is_guest, Member.refreshed_at, Member.tz, Member.locale, Member.language
).where(Member.id == bindparam("id"))


def preferred_locale_of(session: Session, team_id: str, slack_user_id: str) -> str | None:
    """The locale a member is spoken to in (`Member.preferred_locale`), by the team and user
    ids Slack sends; None for someone Rapport has not met. Tells no deadline: the web layer
    asks it on the side (`bot.http.asker_language`), from shortly before a request's deadline
    or when the request's own reads failed, for the answer it gives on its own."""
    row = (
        session.connection()
        .execute(_LANGUAGE_OF_TEAM, {"team_id": team_id, "slack_user_id": slack_user_id})
        .one_or_none()
    )
    return None if row is None else preferred_locale(row.language, row.locale)


_LANGUAGE_OF_TEAM = _of_team(select(Member.language, Member.locale))


def find_member(session: Session, workspace_id: int, slack_user_id: str) -> Member | None:
    return session.scalars(
        select(Member).where(
            Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id
        )
    ).one_or_none()


def save_member(
    session: Session, workspace_id: int, slack_user_id: str, now: datetime, **profile: Any
) -> Member:
    """Create or refresh a member from their Slack profile; settings they chose are kept."""
    insert_ignoring_conflict(
        session,
        Member,
        {"workspace_id": workspace_id, "slack_user_id": slack_user_id, "refreshed_at": now},
        ["workspace_id", "slack_user_id"],
    )
    member = find_member(session, workspace_id, slack_user_id)
    assert member is not None
    moved = "tz" in profile and profile["tz"] != member.tz
    for field, value in profile.items():
        setattr(member, field, value)
    member.refreshed_at = now
    # The web layer's own answers to their later requests speak the language read here.
    deadlines.locale_changed(slack_user_id, member.preferred_locale)
    if moved:
        # A new zone moves the days and instants their nudges fall on.
        look_again_for_member(session, workspace_id, member.id)
    return member


def latest_recorded(session: Session, workspace_id: int) -> datetime | None:
    """The latest instant a row of the workspace was written or settled at (a contact or
    promise logged, a promise resolved, a partner added, a nudge DM sent), or None when it has
    none. Columns that name a time to come (a planned send, a lease) are left out: they say
    nothing of what has happened."""
    columns = (
        (Interaction.created_at, Interaction.workspace_id),
        (Promise.created_at, Promise.workspace_id),
        (Promise.resolved_at, Promise.workspace_id),
        (Partner.created_at, Partner.workspace_id),
        (Bundle.done_at, Bundle.workspace_id),
    )
    found = [
        session.scalar(select(func.max(column)).where(workspace == workspace_id))
        for column, workspace in columns
    ]
    instants = [instant for instant in found if instant is not None]
    return max(instants) if instants else None
