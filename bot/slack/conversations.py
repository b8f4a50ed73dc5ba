"""What Slack says about a channel: `conversations.info` and `conversations.members`.

A channel's facts decide whether a message in it can reach someone of another organisation
(it is shared, or small enough that a plain message reaches everyone). Both methods need
`channels:read` (public channels) or `groups:read` (private ones); an install made before
Rapport asked for them answers `missing_scope` until it is reinstalled, and that is logged
once per method and process (`note_missing_scope`), not once per message.

Everything here is bounded: members are listed in pages of `MEMBERS_PAGE` and at most
`MEMBERS_PAGES_MAX` pages, and only for channels of at most `MEMBERS_LISTED_MAX` members;
every id Slack lists is checked (`bot.parsing.checks.slack_id`) before anyone stores it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.parsing import checks as checked
from bot.slack.users import LookupFailed, retry_after_of

log = logging.getLogger(__name__)

# Members are listed only for channels this small: 5 pages of 200. A larger channel is known by
# its count alone (`ChannelFacts.member_ids` None).
MEMBERS_PAGE = 200
MEMBERS_PAGES_MAX = 5
MEMBERS_LISTED_MAX = MEMBERS_PAGE * MEMBERS_PAGES_MAX

# What Slack answers for a channel the bot cannot see: it is not in it (a private channel shows
# as not found), or the channel is gone.
NOT_VISIBLE = frozenset({"channel_not_found", "not_in_channel"})

# The bot scopes each method Rapport calls about channels and people needs, for the advice
# logged when Slack answers `missing_scope`.
SCOPES_NEEDED = {
    "conversations.info": "channels:read, groups:read",
    "conversations.members": "channels:read, groups:read",
    "users.info": "users:read",
}
# Slack names the missing scopes in `needed`; only a value shaped like scope names is logged.
_SCOPE_NAMES = re.compile(r"[a-z][a-z.:_,-]{0,200}")

_warned: set[str] = set()
_warned_lock = threading.Lock()


@dataclass(frozen=True)
class ChannelFacts:
    """What Rapport knows about a channel the bot is in."""

    channel_id: str
    is_private: bool
    is_ext_shared: bool
    is_pending_ext_shared: bool
    member_count: int  # as Slack counts (num_members), the bot included
    member_ids: frozenset[str] | None  # None when larger than MEMBERS_LISTED_MAX
    # As read from Slack just now; the cache keeps neither (a cached channel has the defaults).
    is_archived: bool = False
    bot_is_member: bool = True


class ChannelLookupFailed(LookupFailed):
    """Slack did not answer a question about a channel (rate limit, outage, missing scope).

    A `LookupFailed`, so that one `except` covers every look-up Slack left unanswered;
    `user_id` holds the channel id there.
    """

    def __init__(
        self, method: str, channel_id: str, error: str, retry_after: float | None = None
    ) -> None:
        Exception.__init__(self, f"{method} {channel_id}: {error}")
        self.user_id = channel_id
        self.channel_id = channel_id
        self.method = method
        self.error = error
        self.retry_after = retry_after


def note_missing_scope(method: str, needed: object = None) -> bool:
    """Log, once per method and process, that Slack refused `method` for want of a scope and
    that the app must be reinstalled to grant it; True when this call logged it."""
    scopes = SCOPES_NEEDED.get(method, "")
    if isinstance(needed, str) and _SCOPE_NAMES.fullmatch(needed):
        scopes = needed
    with _warned_lock:
        if method in _warned:
            return False
        _warned.add(method)
    log.warning(
        "%s answered missing_scope: Rapport's install lacks the bot scope %s; reinstall the app "
        "from its manifest to grant it (see the README, Set-up for a real workspace). Until "
        "then shared channels go unwatched.",
        method,
        scopes or "it needs",
    )
    return True


def channel_info(client: WebClient, channel_id: str) -> ChannelFacts | None:
    """The channel's facts from Slack, its members listed when there are at most
    `MEMBERS_LISTED_MAX`; None when Slack says the bot cannot see the channel.

    Raises `ChannelLookupFailed` when Slack did not answer (rate limit, outage, missing scope)
    or answered with something no channel is.
    """
    answer = _call(
        "conversations.info",
        channel_id,
        lambda: client.conversations_info(channel=channel_id, include_num_members=True),
    )
    if answer is None:
        return None
    channel = answer.get("channel")
    if not isinstance(channel, dict) or channel.get("id") not in (None, channel_id):
        raise ChannelLookupFailed("conversations.info", channel_id, "unexpected_answer")
    counted = channel.get("num_members")
    count = counted if isinstance(counted, int) and not isinstance(counted, bool) else None
    members: frozenset[str] | None = None
    if count is None or count <= MEMBERS_LISTED_MAX:
        members = channel_members(client, channel_id)
        if count is None:
            # Slack left the count out: the listing is the count, or more than it can hold.
            count = len(members) if members is not None else MEMBERS_LISTED_MAX + 1
    return ChannelFacts(
        channel_id=channel_id,
        is_private=_flag(channel, "is_private") or _flag(channel, "is_group"),
        is_ext_shared=_flag(channel, "is_ext_shared"),
        is_pending_ext_shared=_flag(channel, "is_pending_ext_shared"),
        member_count=max(count, 0),
        member_ids=members,
        is_archived=_flag(channel, "is_archived"),
        # Slack leaves `is_member` out of some answers (an app's own DM); only False counts.
        bot_is_member=channel.get("is_member") is not False,
    )


def channel_members(client: WebClient, channel_id: str) -> frozenset[str] | None:
    """Every member's id, in pages of `MEMBERS_PAGE`; None when the channel has more than
    `MEMBERS_PAGES_MAX` pages of them, or Slack lists something that is no user id (a list
    Rapport cannot trust whole is not used at all: a member left out would be a person
    wrongly thought absent).

    Raises `ChannelLookupFailed` when Slack did not answer, including when the bot cannot
    see the channel here although `conversations.info` just could.
    """
    found: set[str] = set()
    cursor = ""
    for _page in range(MEMBERS_PAGES_MAX):
        # slack_sdk leaves out arguments that are None: the first page has no cursor.
        def page(after: str | None = cursor or None) -> SlackResponse:
            return client.conversations_members(
                channel=channel_id, limit=MEMBERS_PAGE, cursor=after
            )

        answer = _call("conversations.members", channel_id, page)
        if answer is None:
            raise ChannelLookupFailed("conversations.members", channel_id, "channel_not_found")
        listed = answer.get("members")
        if not isinstance(listed, list):
            raise ChannelLookupFailed("conversations.members", channel_id, "unexpected_answer")
        ids = [checked.slack_id(member) for member in listed]
        if any(member is None for member in ids):
            log.warning("conversations.members listed an id that is no Slack id; not used")
            return None
        found.update(member for member in ids if member is not None)
        metadata = answer.get("response_metadata")
        following = metadata.get("next_cursor") if isinstance(metadata, dict) else None
        if not isinstance(following, str) or not following:
            return frozenset(found)
        cursor = following
    return None


def _call(method: str, channel_id: str, ask: Callable[[], SlackResponse]) -> dict[str, Any] | None:
    """One Web API call about a channel: Slack's answer, or None when the bot cannot see it."""
    try:
        response = ask()
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error")
        if code in NOT_VISIBLE:
            return None
        if code == "missing_scope":
            note_missing_scope(method, error.response.get("needed"))
        raise ChannelLookupFailed(method, channel_id, str(code), retry_after_of(error)) from error
    except OSError as error:
        raise ChannelLookupFailed(method, channel_id, type(error).__name__) from error
    data = response.data
    if not isinstance(data, dict):
        raise ChannelLookupFailed(method, channel_id, "unexpected_answer")
    return data


def _flag(channel: dict[str, Any], name: str) -> bool:
    return channel.get(name) is True
