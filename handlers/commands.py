"""`/logcontact`: log a contact from one line of text, open the form, or explain usage.

A first-time user is answered after the ack, once Slack has said who they are: a workspace guest
or someone of another organisation is then refused through the response_url.
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.contact_form import ModalContext, contact_modal
from bot.blocks.replies import Reply, problem
from bot.slack.delivery import open_modal, post_reply
from bot.usecases.base import NeedsLookup
from bot.usecases.services import Services
from handlers.after_ack import refusing

COMMAND = "/logcontact"


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def open_form(client: WebClient, command: dict) -> Reply | None:
        """Open the form; what to tell the asker instead when Slack refused to open it."""
        reader, form = logcontact.blank_form(command["team_id"], command["user_id"])
        context = ModalContext(response_url=command.get("response_url"))
        if open_modal(client, command.get("trigger_id"), contact_modal(reader, form, context)):
            return None
        return problem(reader, "problem.form_not_opened")

    def answer_after_look_up(client: WebClient, command: dict, text: str) -> None:
        team, user, url = command["team_id"], command["user_id"], command.get("response_url")
        with refusing(client, url, user):
            if not text:
                logcontact.admit(client, team, user)
                reply = open_form(client, command)
            else:
                reply = logcontact.look_up_and_answer(client, team, user, text)
            if reply is not None:
                post_reply(client, url, user, reply)
        if text:
            services.home_changed(client, team, user)

    def log_contact(ack: Ack, command: dict, client: WebClient) -> None:
        """Answer from the cache inside the ack; otherwise ack now and answer after a look-up."""
        team, user = command["team_id"], command["user_id"]
        text = (command.get("text") or "").strip()
        try:
            if not text:
                refused = open_form(client, command)
                if refused is None:
                    ack()
                else:
                    ack(**refused.body())
                return
            answer = logcontact.answer_command(team, user, text, {})
        except NeedsLookup:
            answer = None
        if answer is None:
            ack()
            services.later(answer_after_look_up, client, command, text)
            return
        ack(**answer.reply.body())
        if answer.profile_is_stale:
            services.later(logcontact.refresh_profile, client, team, user)
        # A contact, a setting or an owner may have changed: the Home shows them.
        services.home_changed(client, team, user)

    app.command(COMMAND)(log_contact)
