"""The partner card's buttons and forms: Log contact, Edit profile (and its submission), Hand
over (and its submission), Pause / Resume, the pages of older contacts and of all open promises,
Received / Drop on each of the partner's promises to us; and Show card under a hand-over told
of in a nudge DM.

The card is an ephemeral message, so what a button changes comes back through the action's
`response_url`, replacing the card in place; a form's submission replaces the card it was
opened from (its response_url travels in the form's `private_metadata`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.blocks.contact_form import contact_modal
from bot.blocks.nudge_dm import ACTION_SHOW_CARD
from bot.blocks.partner_card import (
    ACTION_EDIT,
    ACTION_HAND_OVER,
    ACTION_LOG,
    ACTION_PAGE,
    ACTION_PAUSE,
    ACTION_PROMISES,
    ACTION_RESUME,
    ACTION_SHOW,
    ACTION_SHOW_NEAR,
    ACTION_THEIR_PROMISE,
)
from bot.blocks.partner_profile_form import (
    HAND_OVER_CALLBACK,
    PROFILE_CALLBACK,
    CardContext,
    chosen_owner,
)
from bot.blocks.replies import Reply, problem
from bot.slack.delivery import open_modal, post_reply
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader
from bot.usecases.services import Services
from handlers.after_ack import tell_zones_from_slack
from handlers.members_only import asker_ids


def register(app: App, services: Services) -> None:
    cards = services.partner_cards

    def replace_card(client: WebClient, url: str | None, user: str, reply: Reply) -> None:
        services.later(post_reply, client, url, user, reply, True)

    def card_button(
        act: Callable[[str, str, str | None], Reply], redraws: bool = False
    ) -> Callable[..., None]:
        """A listener that answers with the card (or a page of it) in place of the card;
        `redraws`: the press changes what the presser's Home shows (their Home is redrawn)."""

        def press(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
        ) -> None:
            ack()
            # A button sends its value; a menu, the option chosen.
            value = action.get("value") or (action.get("selected_option") or {}).get("value")
            reply = act(*asker_ids(context), value)
            replace_card(client, body.get("response_url"), context.user_id or "", reply)
            if redraws:
                services.home_changed(client, *asker_ids(context))

        return press

    def show_from_dm(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        """Show card under a hand-over in a nudge DM: the card comes as a message of its own,
        so the DM and its other items stay as they are."""
        ack()
        reply = cards.show(*asker_ids(context), action.get("value"))
        services.later(post_reply, client, body.get("response_url"), context.user_id or "", reply)

    app.action(ACTION_SHOW_CARD)(show_from_dm)

    for action_id, act, redraws in (
        (ACTION_PAUSE, cards.pause, True),
        (ACTION_RESUME, cards.resume, True),
        (ACTION_PAGE, cards.page, False),
        (ACTION_PROMISES, cards.promises, False),
        (ACTION_SHOW, cards.show, False),
        (ACTION_THEIR_PROMISE, cards.their_promise, True),
    ):
        app.action(action_id)(card_button(act, redraws))
    # "Did you mean …?" under a name that found no partner: the card of the one pressed.
    app.action(re.compile(rf"^{ACTION_SHOW_NEAR}_\d+$"))(card_button(cards.show, False))

    def opened(
        client: WebClient, body: dict, context: BoltContext, reader: Reader, view: View
    ) -> None:
        """Open a form; when Slack refuses, say so below the card, which stays."""
        if not open_modal(client, body.get("trigger_id"), view):
            refused = problem(reader, "problem.form_not_opened")
            services.later(post_reply, client, body.get("response_url"), context.user_id, refused)

    def log_contact(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        ack()
        url = body.get("response_url")
        found = cards.contact_form(*asker_ids(context), action.get("value"), url)
        if isinstance(found, Reply):
            replace_card(client, url, context.user_id or "", found)
            return
        reader, form, modal = found
        opened(client, body, context, reader, contact_modal(reader, form, modal))

    def form_button(act: Callable[..., tuple[Reader, View] | Reply]) -> Callable[..., None]:
        def press(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
        ) -> None:
            ack()
            url = body.get("response_url")
            found = act(*asker_ids(context), action.get("value"), url)
            if isinstance(found, Reply):
                replace_card(client, url, context.user_id or "", found)
                return
            reader, view = found
            opened(client, body, context, reader, view)

        return press

    app.action(ACTION_LOG)(log_contact)
    app.action(ACTION_EDIT)(form_button(cards.profile_form))
    app.action(ACTION_HAND_OVER)(form_button(cards.hand_over_form))

    def save_profile(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
        # A state without `values` is a shape Slack sends too (bolt-python tests submit one).
        values = (view.get("state") or {}).get("values") or {}
        metadata = view.get("private_metadata")
        errors, reply = cards.save_profile(*asker_ids(context), metadata, values)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if reply is not None:
            url = CardContext.load(metadata).response_url
            team, user = asker_ids(context)

            def card_then_zones() -> None:
                # One job, in this order: the note on what Slack gave goes below the card, and
                # two jobs of the after-ack pool may run in either order.
                post_reply(client, url, context.user_id or "", reply, replace_original=True)
                # A typed zone emptied with none of Slack's cached: ask Slack now, not tomorrow.
                tell_zones_from_slack(services, client, team, user, url)

            services.later(card_then_zones)
            services.home_changed(client, team, user)

    def hand_over(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        team, user = asker_ids(context)
        metadata = view.get("private_metadata")
        new_owner = chosen_owner((view.get("state") or {}).get("values") or {})
        url = CardContext.load(metadata).response_url
        reply = cards.hand_over(team, user, metadata, new_owner, {})
        if reply is not None:
            replace_card(client, url, user, reply)
            services.home_changed(client, team, user)
            return
        services.later(hand_over_after_look_up, client, team, user, metadata, new_owner, url)

    def hand_over_after_look_up(
        client: WebClient,
        team: str,
        user: str,
        metadata: str | None,
        new_owner: str | None,
        url: str | None,
    ) -> None:
        """The new owner was not cached: Slack is asked about them first."""
        try:
            people = services.logcontact.look_up(client, team, [new_owner] if new_owner else [])
        except LookupFailed as failed:
            reader = services.logcontact.reader_for(team, user)
            said = problem(reader, "problem.slack", user=failed.user_id, error=failed.error)
            post_reply(client, url, user, said, True)
            return
        reply = cards.hand_over(team, user, metadata, new_owner, people)
        post_reply(client, url, user, reply or problem(Reader(), "problem.unexpected"), True)
        services.home_changed(client, team, user)

    app.view(PROFILE_CALLBACK)(save_profile)
    app.view(HAND_OVER_CALLBACK)(hand_over)
