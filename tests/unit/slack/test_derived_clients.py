"""Every client Rapport derives from the app's reaches Slack the same way: through the same
proxy, with the same TLS context and headers, at the same URL."""

from __future__ import annotations

import ssl
from collections.abc import Callable

import pytest
from slack_sdk import WebClient

from bot.slack.clients import (
    LOOKUP_TIMEOUT_SECONDS,
    SlackClient,
    lookup_client,
    patient_client,
    per_request_client,
)

DERIVED: list[Callable[[WebClient], SlackClient]] = [
    per_request_client,
    patient_client,
    lookup_client,
]


def configured() -> WebClient:
    return WebClient(
        token="xoxb-1",
        base_url="https://slack.example/api/",
        ssl=ssl.create_default_context(),
        proxy="http://proxy.example:3128",
        headers={"X-Company": "acme"},
    )


@pytest.mark.parametrize("derive", DERIVED, ids=lambda d: d.__name__)
def test_a_derived_client_keeps_how_the_app_client_reaches_slack(
    derive: Callable[[WebClient], SlackClient],
) -> None:
    client = configured()
    derived = derive(client)
    assert isinstance(derived, SlackClient)
    assert (derived.token, derived.base_url) == (client.token, client.base_url)
    assert derived.ssl is client.ssl
    assert derived.proxy == client.proxy
    assert derived.headers == client.headers


def test_each_derived_client_changes_only_what_it_is_for() -> None:
    client = configured()
    assert lookup_client(client).timeout == LOOKUP_TIMEOUT_SECONDS
    assert lookup_client(client).retry_handlers == []
    assert patient_client(client).timeout == client.timeout
    assert len(patient_client(client).retry_handlers) == 1
    assert per_request_client(client).retry_handlers == client.retry_handlers
