"""Buttons on the `/logcontact` summary: Undo, Edit, and "did you mean" another partner.

They answer through the action's `response_url`, replacing the summary in place: the summary is
ephemeral, so `chat.update` cannot reach it, and the URL works in DMs and channels alike.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.i18n import Reader
from bot.modal import ModalContext, contact_modal
from bot.replies import ACTION_EDIT, ACTION_MOVE, ACTION_UNDO, Reply, problem
from bot.services import Services
from handlers.replies import post_reply, reply_later


def _numbers(value: str | None, count: int) -> list[int] | None:
    """Ids carried in a button's value ("17" or "17:42"); None when it was tampered with."""
    parts = (value or "").split(":")
    if len(parts) != count or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def respond_later(context: BoltContext, body: dict, reply: Reply) -> None:
        reply_later(context, body.get("response_url"), reply, replace_original=True)

    def undo(ack: Ack, body: dict, action: dict, context: BoltContext) -> None:
        ids = _numbers(action.get("value"), 1)
        reply = (
            logcontact.undo(context.team_id, context.user_id, ids[0])
            if ids
            else problem(Reader(), "problem.unexpected")
        )
        respond_later(context, body, reply)
        ack()

    def move(ack: Ack, body: dict, action: dict, context: BoltContext) -> None:
        ids = _numbers(action.get("value"), 2)
        reply = (
            logcontact.move(context.team_id, context.user_id, ids[0], ids[1])
            if ids
            else problem(Reader(), "problem.unexpected")
        )
        respond_later(context, body, reply)
        ack()

    def edit(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        ids = _numbers(action.get("value"), 1)
        found = logcontact.form_for_edit(context.team_id, context.user_id, ids[0]) if ids else None
        if isinstance(found, tuple):
            reader, form = found
            modal_context = ModalContext(
                interaction_id=ids[0], response_url=body.get("response_url")
            )
            client.views_open(
                trigger_id=body["trigger_id"], view=contact_modal(reader, form, modal_context)
            )
        else:
            respond_later(context, body, found or problem(Reader(), "problem.unexpected"))
        ack()

    app.action(ACTION_UNDO)(ack=undo, lazy=[post_reply])
    app.action(re.compile(rf"^{ACTION_MOVE}_\d+$"))(ack=move, lazy=[post_reply])
    app.action(ACTION_EDIT)(ack=edit, lazy=[post_reply])
