"""The "Log a contact" modal's submission: field errors in place, or save and confirm."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot.modal import CALLBACK_ID, ModalContext
from bot.services import Services
from handlers.replies import post_reply, reply_later


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def save_contact(ack: Ack, view: dict, context: BoltContext) -> None:
        modal = ModalContext.load(view.get("private_metadata"))
        errors, reply = logcontact.submit(
            context.team_id, context.user_id, view["state"]["values"], modal
        )
        if errors:
            ack(response_action="errors", errors=errors)
            return
        if reply is not None:
            editing = modal.interaction_id is not None
            extra = {"replace_original": True} if editing else {}
            reply_later(context, modal.response_url, reply, **extra)
        ack()

    app.view(CALLBACK_ID)(ack=save_contact, lazy=[post_reply])
