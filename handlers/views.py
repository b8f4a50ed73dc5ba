"""The "Log a contact" modal's submission: field errors in place, or save and confirm."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.contact_form import CALLBACK_ID, ModalContext
from bot.slack.delivery import post_reply
from bot.usecases.services import Services
from handlers.after_ack import update_dm
from handlers.members_only import asker_ids


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def save_contact(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
        modal = ModalContext.load(view.get("private_metadata"))
        # A state without `values` is a shape Slack sends too (bolt-python tests submit one).
        values = (view.get("state") or {}).get("values") or {}
        errors, reply = logcontact.submit(*asker_ids(context), values, modal)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if reply is not None:
            # An edit replaces the summary it came from; a new contact gets a summary of its own.
            editing = modal.interaction_id is not None
            services.later(post_reply, client, modal.response_url, context.user_id, reply, editing)
        if modal.nudge:
            # Opened by a nudge DM's "Log check-in": the DM shows it was done.
            update = services.nudge_answers.rendered(modal.nudge)
            services.later(update_dm, client, update)

    app.view(CALLBACK_ID)(save_contact)
