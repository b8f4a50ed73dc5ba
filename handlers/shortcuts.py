"""The "Log as contact" message shortcut: the modal, with the message as the note."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.contact_form import contact_modal
from bot.blocks.replies import problem
from bot.slack.delivery import open_modal, post_reply
from bot.usecases.base import NeedsLookup
from bot.usecases.services import Services
from handlers.after_ack import refusing
from handlers.members_only import asker_ids

CALLBACK_ID = "log_as_contact"


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def open_form(client: WebClient, shortcut: dict, team: str, user: str, people: dict) -> None:
        message = shortcut.get("message") or {}
        author = None if message.get("bot_id") else message.get("user")
        reader, form, modal = logcontact.form_for_message(
            team, user, author, message.get("text") or "", people
        )
        modal.response_url = shortcut.get("response_url")
        view = contact_modal(reader, form, modal)
        if not open_modal(client, shortcut.get("trigger_id"), view):
            refused = problem(reader, "problem.form_not_opened")
            services.later(post_reply, client, shortcut.get("response_url"), user, refused)

    def open_form_after_look_up(client: WebClient, shortcut: dict, team: str, user: str) -> None:
        with refusing(client, shortcut.get("response_url"), user):
            logcontact.admit(client, team, user)
            message = shortcut.get("message") or {}
            author = None if message.get("bot_id") else message.get("user")
            people = logcontact.look_up(client, team, [author]) if author else {}
            open_form(client, shortcut, team, user, people)

    def log_message(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        team, user = asker_ids(context)
        try:
            open_form(client, shortcut, team, user, {})
        except NeedsLookup:
            # The trigger id lives 3 s: look-ups (a few hundred ms) still fit after the ack.
            services.later(open_form_after_look_up, client, shortcut, team, user)

    app.shortcut(CALLBACK_ID)(log_message)
