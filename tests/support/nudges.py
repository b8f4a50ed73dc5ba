"""Nudges driven through the running app: jobs on the test's clock, DMs read back from Slack, and
their buttons pressed as Slack would days later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.blocks.nudge_dm import parse_item_block_id
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.sandbox.timeline import move
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import Jobs
from storage.models import Partner, Promise
from tests.support.app import ALICE, RunningRapport
from tests.support.rows import all_of, only
from tests.support.world import BERLIN

# --- jobs and the clock ---------------------------------------------------------------------------


def jobs_for(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn, **kw: Any) -> Jobs:
    client = WebClient(
        token=slack.bot_token,
        base_url=slack.base_url,
        retry_handlers=[],
        timeout=kw.pop("timeout", 5),
    )
    dispatcher = Dispatcher(
        rapport.db,
        clock,
        client,
        pause=lambda seconds: clock.advance(timedelta(seconds=seconds)),
        **kw,
    )
    return Jobs(rapport.db, clock, dispatcher)


def log(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def travel(clock: ManualClock, jobs: Jobs, to: datetime) -> None:
    move(clock, to, jobs, arrived=lambda _at: None)


def at_berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


# --- the DMs --------------------------------------------------------------------------------------


def dms(
    slack: SlackStandIn, user: str = "U0ALICE", zone: ZoneInfo = BERLIN
) -> list[tuple[datetime, dict[str, Any]]]:
    """The nudge DMs `user` received, with the local instant each arrived."""
    return [
        (datetime.fromtimestamp(float(m["ts"]), zone), m)
        for m in slack.messages(user)
        if (m.get("metadata") or {}).get("event_type") == "rapport_nudge"
    ]


def items_in(message: dict[str, Any]) -> list[tuple[str, int]]:
    """The (kind, subject id) of every item a nudge DM offers answers for."""
    found = []
    for block in message.get("blocks", []):
        parsed = parse_item_block_id(block.get("block_id"))
        if block["type"] == "actions" and parsed:
            found.append(parsed[1:])
    return found


def current(slack: SlackStandIn, message: dict[str, Any]) -> dict[str, Any]:
    """The DM as it reads now, after any updates."""
    return next(m for m in slack.messages(message["channel"]) if m["ts"] == message["ts"])


# --- pressing -------------------------------------------------------------------------------------


def press(
    rapport: RunningRapport,
    message: dict[str, Any],
    kind: str,
    subject: int,
    action_id: str,
    *,
    user: str = ALICE,
    team: str | None = None,
    selected_date: str | None = None,
    option: str | None = None,
    block_id: str | None = None,
) -> str:
    """Press `action_id` on the item (kind, subject) of a DM as Slack would; the response_url."""
    url = rapport.slack.response_url(expired=True)
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id or _block_id(message, kind, subject),
        "action_ts": "1795000100.000200",
    }
    if selected_date is not None:
        action.update(type="datepicker", selected_date=selected_date)
    elif option is not None:
        action.update(type="static_select", selected_option={"value": option})
    else:
        action.update(type="button", value=str(subject))
    team = team or rapport.slack.team_id
    payload = {
        "type": "block_actions",
        "api_app_id": "A0RAPPORT",
        "user": {"id": user, "team_id": team},
        "team": {"id": team},
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": message["channel"],
            "is_ephemeral": False,
        },
        "channel": {"id": message["channel"]},
        "message": message,
        "trigger_id": rapport.slack.new_trigger_id(),
        "response_url": url,
        "actions": [action],
    }
    answer = rapport.sender.interaction(payload)
    assert answer.status == 200, answer.body
    assert rapport.wait_until_idle()
    return url


def _block_id(message: dict[str, Any], kind: str, subject: int) -> str:
    for block in message["blocks"]:
        parsed = parse_item_block_id(block.get("block_id"))
        if parsed and parsed[1:] == (kind, subject):
            return block["block_id"]
    raise AssertionError(f"no answers for {kind} {subject} in the DM")


# --- set-ups --------------------------------------------------------------------------------------


def the_promise(rapport: RunningRapport) -> Promise:
    return only(rapport.db, Promise)


def acme(rapport: RunningRapport) -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == "Acme")


def promise_dm(rapport, clock, slack, jobs) -> tuple[dict[str, Any], int]:
    """Alice's heads-up DM for a quote due Friday 27 November; pressed on Tuesday 1 December."""
    log(rapport, "Acme email promise: send the quote by Friday")
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack)
    promise = the_promise(rapport)
    assert ("promise", promise.id) in items_in(message)
    travel(clock, jobs, at_berlin(2026, 12, 1, 11, 0))
    return current(slack, message), promise.id


def check_in_dm(rapport, clock, slack, jobs) -> tuple[dict[str, Any], int]:
    """Alice's DM for Acme, whose quarterly check-in fell due on Tuesday 24 November."""
    log(rapport, "Acme call 2026-08-26 talked about the rollout")
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(arrived, message)] = dms(slack)
    assert arrived == at_berlin(2026, 11, 26, 9, 0)
    partner = acme(rapport)
    assert ("check_in", partner.id) in items_in(message)
    travel(clock, jobs, at_berlin(2026, 11, 30, 14, 0))
    return current(slack, message), partner.id
