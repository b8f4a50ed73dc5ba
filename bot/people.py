"""Slack people as Rapport sees them: colleagues (members) and external partners.

`users.info` is the only way to learn someone's time zone and locale, and it is a Web API call:
answers are cached (members in the database, refreshed after a day or on `user_change`), and a
request that finds the cache missing someone defers its answer until after the look-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import input_checks as checked
from storage.models import SLACK_ID_MAX_CHARS

MEMBER_CACHE_TTL = timedelta(hours=24)
# A user id is at most as long as the column that keeps it: a longer one is no mention.
MENTION = re.compile(rf"<@([UW][A-Z0-9]{{1,{SLACK_ID_MAX_CHARS - 1}}})(?:\|[^>]*)?>")


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


class LookupFailed(Exception):
    """Slack did not answer a `users.info` question (rate limit, outage)."""

    def __init__(self, user_id: str, error: str) -> None:
        super().__init__(f"users.info {user_id}: {error}")
        self.user_id = user_id
        self.error = error


def person_from_slack(user: dict[str, Any]) -> SlackPerson:
    """What Slack says about someone, made fit for the columns that cache it: the name clipped
    to the longest name, forbidden characters out; a zone, locale or e-mail that is not one
    (or would not fit) is left out rather than cut."""
    profile = user.get("profile") or {}
    named = (
        user.get("real_name")
        or profile.get("real_name")
        or profile.get("display_name")
        or user.get("name")
    )
    return SlackPerson(
        user_id=user["id"],
        team_id=checked.team_id(user.get("team_id") or profile.get("team")),
        name=checked.person_name(named if isinstance(named, str) else None, user["id"]),
        tz=checked.time_zone(user.get("tz")),
        locale=checked.locale(user.get("locale")),
        email=checked.email(profile.get("email")),
        is_bot=bool(user.get("is_bot")) or user["id"] == "USLACKBOT",
        deleted=bool(user.get("deleted")),
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        # Slack marks a single-channel guest with both flags; either one makes a guest.
        is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
    )


def look_up(client: WebClient, user_id: str) -> SlackPerson | None:
    """`users.info` with the locale; None when Slack knows no such user."""
    try:
        response = client.users_info(user=user_id, include_locale=True)
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error")
        if code in ("user_not_found", "users_not_found"):
            return None
        raise LookupFailed(user_id, code) from error
    except OSError as error:
        raise LookupFailed(user_id, type(error).__name__) from error
    return person_from_slack(response["user"])


def mentioned_user(text: str) -> str | None:
    """The user id of a mention at the start of a /logcontact text."""
    match = MENTION.match(text.strip())
    return match.group(1) if match else None


def is_stale(refreshed_at: datetime, now: datetime) -> bool:
    return now - refreshed_at > MEMBER_CACHE_TTL
