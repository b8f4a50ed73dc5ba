"""Messages in channels shared with another organisation, and the after-hours hint's buttons.

A `message` event is read (its facts, never its text) and acknowledged at once; the look-ups,
the decision and the hint run after the ack (`Services.later`), so that a busy shared channel
never makes Slack wait. Edits, deletions, joins, bot posts and messages outside channels are
dropped before anything is handed over. The mute buttons answer the presser through the
button's response_url, replacing the hint with a confirmation that carries an Undo.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.blocks.after_hours import ACTION_MUTE_CHANNEL, ACTION_MUTE_EVERYWHERE, ACTION_UNMUTE
from bot.slack.delivery import post_reply
from bot.usecases.after_hours import read_message
from bot.usecases.services import Services
from handlers.events import delivery
from handlers.members_only import asker_ids


def register(app: App, services: Services) -> None:
    def message(
        body: dict[str, Any], client: WebClient, context: BoltContext, request: BoltRequest
    ) -> None:
        event = read_message(body)
        if event is None:
            return
        # The installed workspace's event (a retry logged with its number), as for other events.
        got = delivery(body, context, request)
        if got is None or got.team_id != event.team_id:
            return
        services.later(services.after_hours.message, client, event)

    def press(on: bool) -> Any:
        def answer(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            client: WebClient,
            context: BoltContext,
        ) -> None:
            ack()
            team_id, user_id = asker_ids(context)
            change = services.after_hours.unmute if on else services.after_hours.mute
            reply = change(team_id, user_id, action.get("value"))
            if reply is not None:
                services.later(post_reply, client, body.get("response_url"), user_id, reply, True)

        return answer

    app.event("message")(message)
    app.action(ACTION_MUTE_CHANNEL)(press(on=False))
    app.action(ACTION_MUTE_EVERYWHERE)(press(on=False))
    app.action(ACTION_UNMUTE)(press(on=True))
