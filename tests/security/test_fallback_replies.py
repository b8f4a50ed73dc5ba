"""Replies that take a detour when Slack refuses the first way, and what is left when every way
is refused: the request is still answered, nothing raises, and the log has one line for it, with
Slack's error code and no text, token or URL of the reply.
"""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

import bot.usecases.contacts
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Promise
from tests.support.app import RunningRapport
from tests.support.blocks import buttons
from tests.support.nudges import check_in_dm, jobs_for, press, promise_dm
from tests.support.watch import watching_failures

REFUSED = {"status": 200, "retry_after": None}


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def lines_from(watch, logger: str) -> list[str]:
    return [line for line in watch.warnings if line.startswith(f"{logger}: ")]


def known(rapport: RunningRapport) -> dict:
    """Alice, cached, with one logged contact; its summary."""
    rapport.command("help").reply()
    return rapport.command("Acme call talked prices").reply()


def test_a_reply_whose_response_url_and_dm_are_both_refused_is_logged_once(rapport) -> None:
    summary = known(rapport)
    undo = buttons(summary)["Undo"]
    rapport.slack.fail_next("chat.postMessage", error="channel_not_found", **REFUSED)

    with watching_failures() as watch:
        clicked = rapport.click(
            undo["action_id"], undo["value"], response_url=rapport.slack.response_url(expired=True)
        )
        assert clicked.answer.status == 200
        assert rapport.wait_until_idle()

        assert watch.failures == []
        [line] = lines_from(watch, "bot.slack.delivery")
    assert line == (
        "bot.slack.delivery: could not deliver a reply: the response_url answered 404; "
        "chat.postMessage: channel_not_found"
    )
    assert "Acme" not in line and "hooks" not in line and "xoxb" not in line


def test_a_reply_that_took_the_dm_detour_says_so_in_one_line(rapport) -> None:
    summary = known(rapport)
    undo = buttons(summary)["Undo"]

    with watching_failures() as watch:
        rapport.click(
            undo["action_id"], undo["value"], response_url=rapport.slack.response_url(expired=True)
        )
        assert rapport.wait_until_idle()

        assert watch.failures == []
        assert lines_from(watch, "bot.slack.delivery") == [
            "bot.slack.delivery: delivered a reply by DM: the response_url answered 404"
        ]
    [dm] = rapport.slack.messages("U0ALICE")
    assert "Undone" in dm["text"] or "undone" in dm["text"]


def test_a_note_refused_as_ephemeral_and_as_dm_is_logged_once(rapport, clock, slack, jobs) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    slack.fail_next("chat.postEphemeral", error="channel_not_found", **REFUSED)
    slack.fail_next("chat.postMessage", error="cannot_dm_bot", **REFUSED)

    with watching_failures() as watch:
        press(rapport, message, "check_in", partner_id, "nudge_kept", block_id="nudge|x|promise|1")

        assert watch.failures == []
        assert lines_from(watch, "bot.slack.delivery") == [
            "bot.slack.delivery: could not deliver a note: chat.postEphemeral: channel_not_found; "
            "chat.postMessage: cannot_dm_bot"
        ]


def test_an_answer_is_kept_when_slack_refuses_to_update_the_dm(rapport, clock, slack, jobs) -> None:
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    slack.fail_next("chat.update", error="message_not_found", **REFUSED)

    with watching_failures() as watch:
        press(rapport, message, "promise", promise_id, "nudge_kept")

        assert watch.failures == []
        [line] = lines_from(watch, "handlers.after_ack")
    bundle = r"[0-9a-f-]{36}"
    assert re.fullmatch(
        rf"handlers.after_ack: could not update nudge DM {bundle}: chat.update: message_not_found",
        line,
    )
    with rapport.db.transaction() as session:
        assert session.scalars(select(Promise.status)).one() == "kept"


def test_the_error_handlers_answer_survives_a_refused_response_url(rapport, monkeypatch) -> None:
    summary = known(rapport)
    undo = buttons(summary)["Undo"]

    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(bot.usecases.contacts, "undo", broken)

    with watching_failures() as watch:
        clicked = rapport.click(
            undo["action_id"], undo["value"], response_url=rapport.slack.response_url(expired=True)
        )
        assert clicked.answer.status == 200
        assert rapport.wait_until_idle()
        # The bug itself is an ERROR with its traceback, as it should be; nothing else is.
        assert watch.failures == ["ERROR bot.bootstrap: unexpected failure [RuntimeError: a bug]"]
        wait_for_line(watch, "bot.slack.delivery: a response_url answered 404")


def wait_for_line(watch, line: str) -> None:
    """The direct answer is posted by a thread of its own, which nothing else waits for."""
    from bot.sandbox.loopback import wait_for

    wait_for(lambda: line in watch.warnings)
    assert (
        sum(1 for seen in watch.warnings if seen.startswith("bot.slack.delivery: a response_url"))
        == 1
    )


def test_the_sdks_own_error_lines_do_not_repeat_rapports() -> None:
    from bot.slack.clients import QUIET_SDK_LOG

    assert not QUIET_SDK_LOG.isEnabledFor(logging.ERROR)
