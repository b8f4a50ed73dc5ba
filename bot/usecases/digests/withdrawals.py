"""Withdrawals Slack refused, kept until they are made: when to try again and when to stop.

A channel that may have become unfit for partner data (a `channel_shared`, someone joining) is
noted in the event's own transaction (`note_if_showing`), before the ack, when a digest there
still lists partners. The check and the withdrawal run after the ack
(`DigestButtons.withdraw_where_refused`); done, or the channel found fit, the note goes. When
Slack refuses (rate limited, a 5xx, a timeout), the note stays and the delivery job makes the
withdrawal again (`scheduler.withdrawals`), checking the channel afresh each time: a guest who
left meanwhile means nothing is withdrawn. A process that dies after the ack leaves the note,
and the job makes it `NOTED_WAIT` later.

Retries are bounded. A rate limit waits its `Retry-After` and counts no attempt; any other
refusal waits `RETRY_FIRST`, doubling up to `RETRY_LONGEST`, and after `MAX_ATTEMPTS` the
withdrawal ends. So does a refusal no retry can mend: the channel gone, archived or the app
removed from it, the message no longer changeable, or the app's token revoked. An ending is
logged (workspace and channel ids, Slack's word; never a partner), and the digests stay as they
are: Rapport cannot change a message in a channel it is no longer in. Invited back, it is told
so by `member_joined_channel` and checks the channel again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.slack.users import LookupFailed, retry_after_of
from storage.queries.digests.withdrawal import note_withdrawal, showing_in

# A note made with the event is the after-ack work's to finish; the job takes it only this much
# later (the process died, or the work took that long).
NOTED_WAIT = timedelta(minutes=5)
# The wait after a refusal that was no rate limit: doubled with each attempt, at most the longest.
RETRY_FIRST = timedelta(minutes=1)
RETRY_LONGEST = timedelta(minutes=30)
# Refusals (rate limits not counted) before a withdrawal ends: about two hours of trying.
MAX_ATTEMPTS = 8
# What a scheduler holds a withdrawal for while it works on it.
LEASE = timedelta(minutes=5)
# The most digests of one channel read at once, to withdraw or to count for `digest status`:
# a weekly digest's two years.
WITHDRAWN_AT_MOST = 104

# Slack's words for a channel the app can no longer change anything in.
CHANNEL_GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# The app's token no longer works: the app was uninstalled or its token revoked.
TOKEN_BROKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "team_access_not_granted",
        "account_inactive",
    }
)
# Slack will not let the app change the message, however often it asks.
MESSAGE_FROZEN = frozenset({"cant_update_message", "edit_window_closed"})
# The digest's message was deleted: it shows nobody anything any more.
MESSAGE_GONE = frozenset({"message_not_found"})


@dataclass(frozen=True)
class Refusal:
    """Why Slack did not do a withdrawal's work: its word for it (or the exception's name),
    the seconds a 429 asked to wait (None for any other refusal), and whether no retry can
    help (`final`)."""

    error: str
    retry_after: float | None = None
    final: bool = False


@dataclass(frozen=True)
class Outcome:
    """A channel's withdrawal as far as it went: how many digests it withdrew, and why it
    stopped short (None: nothing there shows partners any more, or the channel may read them)."""

    withdrawn: int = 0
    refused: Refusal | None = None
    workspace_id: int | None = None  # the channel's, when a digest there showed partners


def _refusal(code: str, status: int | None, retry_after: float | None) -> Refusal:
    if code in CHANNEL_GONE or code in TOKEN_BROKEN or code in MESSAGE_FROZEN:
        return Refusal(code, final=True)
    if status == 429 or code == "ratelimited":
        return Refusal(code or "ratelimited", max(1.0, retry_after or 1.0))
    return Refusal(code)


def refusal_of(error: BaseException) -> Refusal:
    """A refused Web API call (`SlackApiError`, or an `OSError`: a timeout, a dropped
    connection) as a Refusal."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "unknown_error")
        return _refusal(code, error.response.status_code, retry_after_of(error))
    return Refusal(type(error).__name__)


def refusal_of_lookup(failed: LookupFailed) -> Refusal:
    """A look-up Slack left unanswered (`conversations.info`, its members, `users.info`)."""
    status = 429 if failed.retry_after else None
    return _refusal(failed.error, status, failed.retry_after)


def retry_wait(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` refusals (at least one)."""
    doubled = RETRY_FIRST * 2 ** max(0, min(attempts - 1, 10))
    return min(doubled, RETRY_LONGEST)


def note_if_showing(session: Session, workspace_id: int, channel_id: str, now: datetime) -> bool:
    """In an event's transaction: keep the channel's withdrawal to be made, when a digest there
    still lists partners (the after-ack work finishes it; the job, should that work never
    run). True when noted."""
    if not showing_in(session, workspace_id, channel_id):
        return False
    note_withdrawal(session, workspace_id, channel_id, now, now + NOTED_WAIT)
    return True
