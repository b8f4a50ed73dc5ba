"""Slack people as Rapport sees them: colleagues (members) and external partners.

`users.info` is the only way to learn someone's time zone and locale, and it is a Web API call:
answers are cached (members in the database, refreshed after a day or on `user_change`), and a
request that finds the cache missing someone defers its answer until after the look-up.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.parsing import checks as checked
from bot.rules.people import SlackPerson

# Longest Retry-After believed (seconds): a header asking for more is taken as this much.
RETRY_AFTER_MAX_SECONDS = 3600


class LookupFailed(Exception):
    """Slack did not answer a `users.info` question (rate limit, outage). `retry_after` is the
    seconds Slack asked to wait (its `Retry-After` on a 429), None when it named none."""

    def __init__(self, user_id: str, error: str, retry_after: float | None = None) -> None:
        super().__init__(f"users.info {user_id}: {error}")
        self.user_id = user_id
        self.error = error
        self.retry_after = retry_after


def retry_after_of(error: SlackApiError) -> float | None:
    """The seconds a 429's `Retry-After` header asks to wait (at most RETRY_AFTER_MAX_SECONDS);
    None without a readable one."""
    headers = getattr(error.response, "headers", None) or {}
    value = next((v for k, v in dict(headers).items() if str(k).lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        seconds = float(str(value))
    except ValueError:
        return None
    return min(seconds, RETRY_AFTER_MAX_SECONDS) if seconds >= 0 else None


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
        raise LookupFailed(user_id, code, retry_after_of(error)) from error
    except OSError as error:
        raise LookupFailed(user_id, type(error).__name__) from error
    return person_from_slack(response["user"])
