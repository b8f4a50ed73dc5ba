"""`/logcontact`: log a contact from one line of text, open the form, or explain usage."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.logcontact import NeedsLookup
from bot.modal import ModalContext, contact_modal
from bot.replies import Reply
from bot.services import Services
from handlers.replies import post_reply, reply_later

COMMAND = "/logcontact"


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def open_form(client: WebClient, command: dict, people: dict) -> None:
        reader, form, _ = logcontact.form_for_message(
            command["team_id"], command["user_id"], None, "", people
        )
        context = ModalContext(response_url=command.get("response_url"))
        client.views_open(
            trigger_id=command["trigger_id"], view=contact_modal(reader, form, context)
        )

    def log_contact(ack: Ack, command: dict, client: WebClient, context: BoltContext) -> None:
        """Answer from the cache inside the ack; otherwise ack now and answer after a look-up."""
        text = (command.get("text") or "").strip()
        try:
            if not text:
                open_form(client, command, {})
                ack()
                return
            answer = logcontact.answer_command(command["team_id"], command["user_id"], text, {})
        except NeedsLookup:
            answer = None
        if answer is None:
            context["look_up"] = True
            ack()
            return
        context["refresh_profile"] = answer.profile_is_stale
        ack(**answer.reply.body())

    def log_contact_after_look_up(command: dict, client: WebClient, context: BoltContext) -> None:
        team, user = command["team_id"], command["user_id"]
        text = (command.get("text") or "").strip()
        if context.get("refresh_profile"):
            logcontact.refresh_profile(client, team, user)
        if not context.get("look_up"):
            return
        if not text:
            logcontact.ensure_member(client, team, user)
            open_form(client, command, {})
            return
        reply: Reply = logcontact.look_up_and_answer(client, team, user, text)
        reply_later(context, command.get("response_url"), reply)
        post_reply(context, client)

    app.command(COMMAND)(ack=log_contact, lazy=[log_contact_after_look_up])
