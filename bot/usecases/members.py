"""The person asking: loaded from the cache, refused when they may not use Rapport.

A refusal is the exception `NotAMember`, turned into an answer shaped for the request where the
request is answered (`bot.blocks.replies.refusal`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from bot.texts.reader import Reader, reader_of
from storage.models import Member
from storage.queries.members import (
    MemberRow,
    member_as_it_stands,
    member_of_team,
    member_row_of_team,
)

# The person asking, as an entity or as its columns: what `_members_only` hands back.
_Asker = TypeVar("_Asker", Member, MemberRow)


class NotAMember(Exception):
    """The person asking is not one of the company's members: tell them so, change nothing.

    `reader` is their language when Rapport knows it; `refreshed_at` is when their cached
    profile was last read from Slack (None when they are not cached), so a guest who was made a
    member since is let in once the daily refresh has seen it.
    """

    def __init__(self, reader: Reader | None = None, refreshed_at: datetime | None = None):
        super().__init__("not one of the company's members")
        self.reader = reader
        self.refreshed_at = refreshed_at


class AskerChanged(Exception):
    """The member read in an earlier transaction has another language or zone by the time of
    the write: what was read from them (dates, the reply's language) no longer holds."""


def asker(session: Session, team_id: str, user_id: str) -> Member | None:
    """The member behind a request, from the cache; None when Slack must be asked first.

    The one way use cases load the person asking: a member cached as a guest is refused here,
    before anything else is read.
    """
    return _members_only(member_of_team(session, team_id, user_id))


def asker_row(session: Session, team_id: str, user_id: str) -> MemberRow | None:
    """`asker` as the member's columns (`MemberRow`), for a use that only reads them: the same
    query and the same refusal of a guest, without building an entity."""
    return _members_only(member_row_of_team(session, team_id, user_id))


def still_a_member(session: Session, member: MemberRow) -> None:
    """Refuse (`NotAMember`) a member read in an earlier transaction (`LogContact` reading
    apart) who has been cached as a guest since: one transaction would have refused them, and
    the write must not save for them nor answer them with the partner's contacts.
    `AskerChanged` when their language or zone changed since: the text was read in the old
    ones, where one transaction reads it in the new."""
    now = member_as_it_stands(session, member.id)
    if now is None:
        return
    if now.is_guest:
        raise NotAMember(reader_of(member), now.refreshed_at)
    if (now.tz, now.locale, now.language) != (member.tz, member.locale, member.language):
        raise AskerChanged


def _members_only(member: _Asker | None) -> _Asker | None:
    """`member` as found (None: not cached); `NotAMember` when they are cached as a guest."""
    if member is not None and member.is_guest:
        raise NotAMember(reader_of(member), member.refreshed_at)
    return member
