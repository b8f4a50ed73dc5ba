"""People as Slack describes them, and how long what Slack said about them stays true."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

MEMBER_CACHE_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class SlackPerson:
    """What `users.info` told us about someone."""

    user_id: str
    team_id: str | None
    name: str
    tz: str | None
    locale: str | None
    email: str | None
    is_bot: bool
    deleted: bool
    is_admin: bool
    # A guest of the workspace (Slack's multi- or single-channel guest), not one of its members.
    is_guest: bool = False

    def member_profile(self) -> dict[str, Any]:
        """The fields a `Member` row caches; a missing zone or locale keeps what was there."""
        profile: dict[str, Any] = {
            "name": self.name,
            "is_admin": self.is_admin,
            "is_guest": self.is_guest,
            "active": not self.deleted,
        }
        if self.tz:
            profile["tz"] = self.tz
        if self.locale:
            profile["locale"] = self.locale
        return profile


def is_stale(refreshed_at: datetime, now: datetime) -> bool:
    return now - refreshed_at > MEMBER_CACHE_TTL
