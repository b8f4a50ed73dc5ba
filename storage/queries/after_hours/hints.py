"""After-hours messages in shared channels, the hints shown for them, and hint mutes.

What is written here is the least the feature needs: when, in which channel, by whom and whom it
reached (`after_hours_messages`), never a message's text; the day a hint was shown
(`after_hours_hints`, so a second one that day cannot be); and the mutes people chose.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import (
    AfterHoursHint,
    AfterHoursMessage,
    HintMute,
    Partner,
    SlackPersonRow,
)
from storage.queries.common import insert_ignoring_conflict, rows_changed
from storage.vocabulary import HINTS_EVERYWHERE

# Ids per query: well under every database's limit of bound parameters.
_BATCH = 500


def partners_by_slack_user(
    session: Session, workspace_id: int, user_ids: Collection[str]
) -> dict[str, Partner]:
    """The partner profiles whose Slack user id is one of `user_ids`, by that id; asked in
    batches, so that no number of ids runs over a database's limit of parameters (65,535 on
    PostgreSQL)."""
    wanted = sorted(set(user_ids))
    found: dict[str, Partner] = {}
    for start in range(0, len(wanted), _BATCH):
        rows = session.scalars(
            select(Partner).where(
                Partner.workspace_id == workspace_id,
                Partner.slack_user_id.in_(wanted[start : start + _BATCH]),
            )
        )
        found.update({row.slack_user_id: row for row in rows if row.slack_user_id})
    return found


def record_reached(
    session: Session,
    workspace_id: int,
    *,
    author: str,
    channel_id: str,
    sent_at: datetime,
    reached: Iterable[tuple[str, int | None]],
) -> int:
    """One row per person reached (their user id and partner id); a row already there (the same
    message seen again) is left as it is. How many went in."""
    written = 0
    for person, partner_id in reached:
        written += insert_ignoring_conflict(
            session,
            AfterHoursMessage,
            {
                "workspace_id": workspace_id,
                "author_user_id": author,
                "channel_id": channel_id,
                "person_user_id": person,
                "partner_id": partner_id,
                "sent_at": sent_at,
            },
            ["workspace_id", "channel_id", "sent_at", "person_user_id"],
        )
    return written


def hints_muted(session: Session, workspace_id: int, user_id: str, channel_id: str) -> bool:
    """Whether `user_id` muted hints in `channel_id` or everywhere."""
    found = session.scalars(
        select(HintMute.channel_id).where(
            HintMute.workspace_id == workspace_id,
            HintMute.slack_user_id == user_id,
            HintMute.channel_id.in_((channel_id, HINTS_EVERYWHERE)),
        )
    ).first()
    return found is not None


def claim_hint(
    session: Session, workspace_id: int, sender: str, channel_id: str, local_day: date
) -> bool:
    """Record the day's hint for `sender` in `channel_id`; False when one was shown already."""
    return insert_ignoring_conflict(
        session,
        AfterHoursHint,
        {
            "workspace_id": workspace_id,
            "sender_user_id": sender,
            "channel_id": channel_id,
            "local_day": local_day,
        },
        ["workspace_id", "sender_user_id", "channel_id", "local_day"],
    )


def hint_shown(session: Session, workspace_id: int, sender: str, channel_id: str) -> bool:
    """Whether a hint was shown to `sender` in `channel_id` on a day still kept."""
    return (
        session.scalars(
            select(AfterHoursHint.channel_id).where(
                AfterHoursHint.workspace_id == workspace_id,
                AfterHoursHint.sender_user_id == sender,
                AfterHoursHint.channel_id == channel_id,
            )
        ).first()
        is not None
    )


def release_hint(
    session: Session, workspace_id: int, sender: str, channel_id: str, local_day: date
) -> bool:
    """Take back the day's hint claimed by `claim_hint` (it could not be shown); False when
    there was none."""
    return (
        rows_changed(
            session,
            delete(AfterHoursHint).where(
                AfterHoursHint.workspace_id == workspace_id,
                AfterHoursHint.sender_user_id == sender,
                AfterHoursHint.channel_id == channel_id,
                AfterHoursHint.local_day == local_day,
            ),
        )
        > 0
    )


def mute(session: Session, workspace_id: int, user_id: str, scope: str, now: datetime) -> bool:
    """Mute hints for `user_id` in a channel, or everywhere (`HINTS_EVERYWHERE`); False when
    they already were."""
    return insert_ignoring_conflict(
        session,
        HintMute,
        {
            "workspace_id": workspace_id,
            "slack_user_id": user_id,
            "channel_id": scope,
            "muted_at": now,
        },
        ["workspace_id", "slack_user_id", "channel_id"],
    )


def unmute(session: Session, workspace_id: int, user_id: str, scope: str | None = None) -> int:
    """Take back a mute (`scope`), or every mute of `user_id` (None); how many went."""
    statement = delete(HintMute).where(
        HintMute.workspace_id == workspace_id, HintMute.slack_user_id == user_id
    )
    if scope is not None:
        statement = statement.where(HintMute.channel_id == scope)
    return rows_changed(session, statement)


def mutes_of(session: Session, workspace_id: int, user_id: str) -> list[str]:
    """The scopes `user_id` muted hints in, `HINTS_EVERYWHERE` first, then channels by id."""
    scopes = session.scalars(
        select(HintMute.channel_id).where(
            HintMute.workspace_id == workspace_id, HintMute.slack_user_id == user_id
        )
    )
    return sorted(scopes, key=lambda scope: (scope != HINTS_EVERYWHERE, scope))


def cached_locale(session: Session, workspace_id: int, user_id: str) -> str | None:
    """The Slack locale cached for someone seen in a shared channel, if any."""
    return session.scalars(
        select(SlackPersonRow.locale).where(
            SlackPersonRow.workspace_id == workspace_id, SlackPersonRow.slack_user_id == user_id
        )
    ).first()
