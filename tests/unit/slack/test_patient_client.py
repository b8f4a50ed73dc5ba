"""The patient client waits out a short 429 and tries again, and raises a long one at once
instead of sleeping the thread through it; against the Slack stand-in, no real sleep."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.standin import SlackStandIn
from bot.slack.clients import PATIENT_LONGEST_WAIT_SECONDS, patient_client


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        running.add_channel("C0PATIENT", name="patient", members=[])
        yield running


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """What slack_sdk's retry handler would have slept, recorded instead of slept."""
    waits: list[float] = []
    monkeypatch.setattr(
        "slack_sdk.http_retry.builtin_handlers.time.sleep", lambda seconds: waits.append(seconds)
    )
    return waits


def _client(slack: SlackStandIn) -> WebClient:
    return patient_client(WebClient(token=slack.bot_token, base_url=slack.base_url))


@pytest.mark.parametrize("retry_after", [1, PATIENT_LONGEST_WAIT_SECONDS])
def test_a_short_retry_after_is_waited_out_and_the_call_made_again(
    slack: SlackStandIn, slept: list[float], retry_after: int
) -> None:
    slack.fail_next("chat.postMessage", retry_after=retry_after)
    answer = _client(slack).chat_postMessage(channel="C0PATIENT", text="again")
    assert answer["ok"] and len(slack.messages("C0PATIENT")) == 1
    assert len(slept) == 1 and retry_after <= slept[0] < retry_after + 1


@pytest.mark.parametrize("retry_after", [PATIENT_LONGEST_WAIT_SECONDS + 1, 3600])
def test_a_long_retry_after_is_raised_not_slept(
    slack: SlackStandIn, slept: list[float], retry_after: int
) -> None:
    slack.fail_next("chat.postMessage", retry_after=retry_after)
    with pytest.raises(SlackApiError) as raised:
        _client(slack).chat_postMessage(channel="C0PATIENT", text="later")
    assert raised.value.response.status_code == 429
    assert slept == [] and slack.messages("C0PATIENT") == []
