"""No private data in any log line Rapport writes: notes, promise texts, tokens, response URLs,
SQL parameters. (Every scenario test checks what it sent against the logs when it ends, see
the `rapport` fixture; these are the cases built to provoke a leak.)"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from bot.http.verification import sign
from bot.sandbox.signing import slash_command
from tests.support.app import SIGNING_SECRET, RunningRapport
from tests.support.privacy import capturing_logs
from tests.support.wire import send

NOTE = "confidential: Nordwind renegotiates the Hamburg contract"


def test_a_database_error_logs_the_statement_but_never_its_parameters(
    rapport: RunningRapport,
) -> None:
    rapport.command("help").reply()
    with rapport.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE promises"))

    with capturing_logs() as logs:
        reply = rapport.command(f"Acme call {NOTE} promise: send the draft by Friday").reply()

    assert "nothing was saved" in json.dumps(reply).lower()
    joined = "\n".join(logs.lines)
    assert "SQL" in joined or "database" in joined  # the failure itself is logged
    assert "Nordwind" not in joined and "send the draft" not in joined
    assert "parameters hidden" in joined or "[parameters:" not in joined


@pytest.mark.parametrize("stamp_offset", [0, -400, 400])
def test_a_refused_request_logs_its_reason_timestamp_and_length_only(
    rapport: RunningRapport, stamp_offset: int
) -> None:
    response_url = rapport.slack.response_url()
    body = urlencode(
        slash_command(
            team_id=rapport.slack.team_id,
            user_id="U0ALICE",
            text=f"Acme call {NOTE}",
            response_url=response_url,
            trigger_id=rapport.slack.new_trigger_id(),
        )
    ).encode()
    stamp = str(int(time.time()) + stamp_offset)
    signature = "v0=" + sign(SIGNING_SECRET if stamp_offset else "not-the-secret", stamp, body)

    with capturing_logs() as logs:
        status, _ = send(
            rapport, body, {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
        )

    assert status == 401
    [line] = [line for line in logs.lines if "refused a request" in line]
    assert stamp in line and f"{len(body)} bytes" in line
    joined = "\n".join(logs.lines)
    for private in (NOTE, response_url, "deprecated-verification-token", signature):
        assert private not in joined


def test_requests_logged_at_info_never_carry_their_body(rapport: RunningRapport) -> None:
    root = logging.getLogger()
    with capturing_logs() as logs:
        assert root.getEffectiveLevel() <= logging.INFO
        rapport.command("help").reply()
        rapport.command(f"Acme call {NOTE}").reply()
    joined = "\n".join(logs.lines)
    assert NOTE not in joined and "Nordwind" not in joined
