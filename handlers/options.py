"""Suggestions for the modal's partner search (an `external_select`)."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot.blocks.contact_form import PARTNER_ACTION
from bot.usecases.services import Services
from handlers.members_only import asker_ids


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def suggest_partners(ack: Ack, body: dict, context: BoltContext) -> None:
        typed = body.get("value") or ""
        ack(options=logcontact.partner_options(*asker_ids(context), typed))

    app.options(PARTNER_ACTION)(suggest_partners)
