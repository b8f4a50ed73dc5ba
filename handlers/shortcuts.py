"""The "Log as contact" message shortcut: the modal, with the message as the note."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.logcontact import NeedsLookup
from bot.modal import contact_modal
from bot.services import Services

CALLBACK_ID = "log_as_contact"


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def open_form(client: WebClient, shortcut: dict, context: BoltContext, people: dict) -> None:
        message = shortcut.get("message") or {}
        author = None if message.get("bot_id") else message.get("user")
        reader, form, modal = logcontact.form_for_message(
            context.team_id, context.user_id, author, message.get("text") or "", people
        )
        modal.response_url = shortcut.get("response_url")
        client.views_open(
            trigger_id=shortcut["trigger_id"], view=contact_modal(reader, form, modal)
        )

    def log_message(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
        try:
            open_form(client, shortcut, context, {})
        except NeedsLookup:
            context["look_up"] = True
        ack()

    def log_message_after_look_up(shortcut: dict, client: WebClient, context: BoltContext) -> None:
        if not context.get("look_up"):
            return
        logcontact.ensure_member(client, context.team_id, context.user_id)
        author = (shortcut.get("message") or {}).get("user")
        people = logcontact.look_up(client, context.team_id, [author]) if author else {}
        open_form(client, shortcut, context, people)

    app.shortcut(CALLBACK_ID)(ack=log_message, lazy=[log_message_after_look_up])
