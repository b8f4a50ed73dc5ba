"""How a refused digest withdrawal is read: a rate limit waits its Retry-After, a channel or
token Slack will not let the app use ends it at once (whatever Retry-After came along), and
anything else is tried again after a wait that doubles up to the longest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.slack.conversations import ChannelLookupFailed
from bot.usecases.digests.withdrawals import (
    RETRY_FIRST,
    RETRY_LONGEST,
    Refusal,
    refusal_of,
    refusal_of_lookup,
    retry_wait,
)


def _refused(error: str, status: int, retry_after: str | None = None) -> SlackApiError:
    headers = {"Retry-After": retry_after} if retry_after else {}
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.update",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers,
        status_code=status,
    )
    return SlackApiError(error, response)


@pytest.mark.parametrize(
    ("error", "status", "retry_after", "read"),
    [
        ("ratelimited", 429, "7", Refusal("ratelimited", 7.0)),
        ("ratelimited", 429, None, Refusal("ratelimited", 1.0)),
        ("internal_error", 500, None, Refusal("internal_error")),
        ("service_unavailable", 503, "30", Refusal("service_unavailable")),
        ("not_in_channel", 200, None, Refusal("not_in_channel", final=True)),
        ("is_archived", 200, None, Refusal("is_archived", final=True)),
        ("channel_not_found", 200, None, Refusal("channel_not_found", final=True)),
        ("token_revoked", 200, "5", Refusal("token_revoked", final=True)),
        ("invalid_auth", 200, None, Refusal("invalid_auth", final=True)),
        ("cant_update_message", 200, None, Refusal("cant_update_message", final=True)),
        ("edit_window_closed", 200, None, Refusal("edit_window_closed", final=True)),
    ],
)
def test_a_refused_call_is_read_by_its_word_and_status(
    error: str, status: int, retry_after: str | None, read: Refusal
) -> None:
    assert refusal_of(_refused(error, status, retry_after)) == read


def test_a_timeout_is_tried_again() -> None:
    assert refusal_of(TimeoutError("timed out")) == Refusal("TimeoutError")


def test_a_lookup_slack_left_unanswered() -> None:
    limited = ChannelLookupFailed("conversations.info", "C0TEAM", "ratelimited", 12)
    assert refusal_of_lookup(limited) == Refusal("ratelimited", 12.0)
    down = ChannelLookupFailed("conversations.info", "C0TEAM", "internal_error")
    assert refusal_of_lookup(down) == Refusal("internal_error")
    revoked = ChannelLookupFailed("conversations.info", "C0TEAM", "token_revoked", 3)
    assert refusal_of_lookup(revoked) == Refusal("token_revoked", final=True)


def test_the_wait_doubles_up_to_the_longest() -> None:
    waits = [retry_wait(attempts) for attempts in range(1, 12)]
    assert waits[:3] == [RETRY_FIRST, RETRY_FIRST * 2, RETRY_FIRST * 4]
    assert max(waits) == RETRY_LONGEST == waits[-1]
    assert waits == sorted(waits)
    assert retry_wait(10_000) == RETRY_LONGEST
    assert retry_wait(0) == RETRY_FIRST >= timedelta(minutes=1)
