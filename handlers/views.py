"""Modal submissions: the "Log a contact" form (field errors in place, the form again with a
question about a new partner named like known ones, or save and confirm) and
the App Home's settings form (field errors in place, or save and redraw the Home)."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.contact_form import CALLBACK_ID, ModalContext
from bot.blocks.home.settings_modal import SETTINGS_CALLBACK_ID
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
        submitted = logcontact.submit(*asker_ids(context), values, modal)
        if submitted.errors:
            ack(response_action="errors", errors=submitted.errors)
            return
        if submitted.asking is not None:
            # The same form again, asking about the new partner typed: nothing was saved.
            ack(response_action="update", view=submitted.asking)
            return
        ack()
        reply = submitted.reply
        if reply is not None:
            # An edit replaces the summary it came from; a new contact gets a summary of its own.
            editing = modal.interaction_id is not None
            services.later(post_reply, client, modal.response_url, context.user_id, reply, editing)
        if modal.nudge:
            # Opened by a nudge DM's "Log check-in": the DM shows it was done.
            update = services.nudge_answers.rendered(modal.nudge)
            services.later(update_dm, client, update)
        if modal.digest:
            # Opened by a digest's "Log contact": the channel sees the partner's new state.
            team_id = asker_ids(context)[0]
            services.later(services.digest_buttons.redraw_after_log, client, team_id, modal.digest)
        services.home_changed(client, *asker_ids(context))

    app.view(CALLBACK_ID)(save_contact)

    def save_settings(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
        """The Home's settings form: errors under their fields in the member's language, or
        saved (by the settings command's own step) and the Home redrawn."""
        values = (view.get("state") or {}).get("values") or {}
        team_id, user_id = asker_ids(context)
        errors = services.app_home.save_settings(team_id, user_id, values)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        services.home_changed(client, team_id, user_id)

    app.view(SETTINGS_CALLBACK_ID)(save_settings)
