"""Buttons on Rapport's ephemeral answers: the `/logcontact` summary's Undo, Edit and "did you
mean" another partner, the readings offered by a question, Take over on the list of unowned
partners, and the after-hours hint's Mute (in this channel, everywhere) and its Undo; and the
App Home's own buttons: Previous/Next on "My partners" and "Edit settings"; and the menu on
each partner of a team digest (I'll reach out, Log contact, Take over).

They answer through the action's `response_url`, replacing the message in place: it is
ephemeral, so `chat.update` cannot reach it, and the URL works in DMs and channels alike. (The
nudge DM's answers, pressed days later, are in `nudge_buttons`.) A digest is a channel message
everyone reads: its menu answers the presser alone (an ephemeral post to the response_url) and
redraws the digest with `chat.update` (`bot.usecases.digests.buttons`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.after_hours.hint import ACTION_MUTE_CHANNEL, ACTION_MUTE_EVERYWHERE, ACTION_UNMUTE
from bot.blocks.contact_form import ModalContext, contact_modal
from bot.blocks.digest.message import ACTION_DIGEST_MENU
from bot.blocks.home.view import ACTION_HOME_PAGE, ACTION_HOME_SETTINGS
from bot.blocks.ownership import ACTION_TAKE_OVER
from bot.blocks.questions import ACTION_ANSWER
from bot.blocks.replies import (
    ACTION_EDIT,
    ACTION_MOVE,
    ACTION_UNDO,
    Reply,
    parse_undo_value,
    problem,
)
from bot.parsing.checks import row_id
from bot.slack.delivery import open_modal, post_reply
from bot.texts.reader import Reader
from bot.usecases.base import NeedsLookup
from bot.usecases.digests.buttons import Pressed
from bot.usecases.services import Services
from handlers.after_ack import refusing
from handlers.members_only import asker_ids


def _numbers(value: str | None, count: int) -> list[int] | None:
    """Ids carried in a button's value ("17" or "17:42"); None when it was tampered with."""
    ids = [row_id(part) for part in (value or "").split(":")]
    if len(ids) != count or None in ids:
        return None
    return [number for number in ids if number is not None]


def register(app: App, services: Services) -> None:
    logcontact = services.logcontact

    def replace_summary(client: WebClient, body: dict, context: BoltContext, reply: Reply) -> None:
        """Replace the summary in place, then redraw the presser's Home: each of these
        presses changed a contact, a promise or who owns a partner."""
        url = body.get("response_url")
        services.later(post_reply, client, url, context.user_id, reply, True)
        services.home_changed(client, *asker_ids(context))

    def summary_button(ids_in_value: int, act: Callable[..., Reply]) -> Callable[..., None]:
        """A listener that acts on the ids in the button's value and replaces the summary."""

        def press(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
        ) -> None:
            ack()
            ids = _numbers(action.get("value"), ids_in_value)
            reply = (
                act(*asker_ids(context), *ids) if ids else problem(Reader(), "problem.unexpected")
            )
            replace_summary(client, body, context, reply)

        return press

    def edit(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        ids = _numbers(action.get("value"), 1)
        row = ids[0] if ids else None
        found = logcontact.form_for_edit(*asker_ids(context), row) if row is not None else None
        if isinstance(found, tuple):
            reader, form = found
            modal = ModalContext(interaction_id=row, response_url=body.get("response_url"))
            view = contact_modal(reader, form, modal)
            if not open_modal(client, body.get("trigger_id"), view):
                # The summary stays as it is; the note comes below it.
                refused = problem(reader, "problem.form_not_opened")
                url = body.get("response_url")
                services.later(post_reply, client, url, context.user_id, refused)
            return
        reply = found or problem(Reader(), "problem.unexpected")
        replace_summary(client, body, context, reply)

    def undo(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        """Undo: "ID" after logging (the contact goes), "ID:EDIT" after an edit (it is put back
        as it was before that edit)."""
        ack()
        found = parse_undo_value(action.get("value"))
        reply = (
            logcontact.undo(*asker_ids(context), *found)
            if found
            else problem(Reader(), "problem.unexpected")
        )
        replace_summary(client, body, context, reply)

    app.action(ACTION_UNDO)(undo)
    app.action(re.compile(rf"^{ACTION_MOVE}_\d+$"))(summary_button(2, logcontact.move))
    app.action(ACTION_EDIT)(edit)

    def take_over(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        """Take a partner over from the unowned list; the list comes back as it is now."""
        ack()
        reply = services.ownership.take_over(*asker_ids(context), action.get("value"))
        replace_summary(client, body, context, reply)

    app.action(ACTION_TAKE_OVER)(take_over)

    def answer_question(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        """A reading chosen on a question: the contact is logged (or the next question asked)
        in place of the question."""
        ack()
        reply = logcontact.resume(*asker_ids(context), action.get("value"))
        replace_summary(client, body, context, reply)

    app.action(re.compile(rf"^{ACTION_ANSWER}_\d+$"))(answer_question)

    def hint_mute(on: bool) -> Callable[..., None]:
        """Mute or unmute after-hours hints; the hint is replaced by what was done."""

        def press(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
        ) -> None:
            ack()
            team_id, user_id = asker_ids(context)
            change = services.after_hours.unmute if on else services.after_hours.mute
            reply = change(team_id, user_id, action.get("value"))
            services.later(post_reply, client, body.get("response_url"), user_id, reply, True)

        return press

    app.action(ACTION_MUTE_CHANNEL)(hint_mute(on=False))
    app.action(ACTION_MUTE_EVERYWHERE)(hint_mute(on=False))
    app.action(ACTION_UNMUTE)(hint_mute(on=True))

    def home_page(ack: Ack, action: dict, client: WebClient, context: BoltContext) -> None:
        """Previous or Next on the Home: that page is published at once (a value no button
        carries shows the first)."""
        ack()
        team_id, user_id = asker_ids(context)
        services.app_home.turned(team_id, user_id, action.get("value"))
        services.later(services.app_home.publish, client, team_id, user_id)

    def home_settings(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        """ "Edit settings" on the Home: the settings modal, filled in. A guest or someone of
        another organisation gets nothing; a modal Slack refused to open is logged (a Home
        has no response_url to say so through, and the button stays to press again)."""
        ack()
        view = services.app_home.settings_form(*asker_ids(context))
        if view is not None:
            open_modal(client, body.get("trigger_id"), view)

    app.action(re.compile(rf"^{ACTION_HOME_PAGE}_(previous|next)$"))(home_page)
    app.action(ACTION_HOME_SETTINGS)(home_settings)

    def digest_menu(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        """An option of a partner's menu on a team digest: I'll reach out and Take over answer
        the presser ephemerally and redraw the digest for everyone (where its channel may
        still be shown it); Take over redraws the presser's Home too; Log contact opens the
        contact form about the partner. Someone new to Rapport is admitted through Slack
        first (after the ack), as a first command is."""
        ack()
        team_id, user_id = asker_ids(context)
        value = (action.get("selected_option") or {}).get("value")
        try:
            pressed = services.digest_buttons.press(
                team_id, user_id, value, body.get("response_url")
            )
        except NeedsLookup:
            services.later(press_after_admission, client, body, team_id, user_id, value)
            return
        answer_digest_press(client, body, team_id, user_id, pressed)

    def press_after_admission(
        client: WebClient, body: dict, team_id: str, user_id: str, value: str | None
    ) -> None:
        """Ask Slack who the presser is (a guest or someone of another organisation is told
        why nothing happened), then press again."""
        url = body.get("response_url")
        with refusing(client, url, user_id):
            services.logcontact.admit(client, team_id, user_id)
            pressed = services.digest_buttons.press(team_id, user_id, value, url)
            answer_digest_press(client, body, team_id, user_id, pressed)

    def answer_digest_press(
        client: WebClient, body: dict, team_id: str, user_id: str, pressed: Pressed
    ) -> None:
        url = body.get("response_url")
        if pressed.form is not None:
            form, modal = pressed.form
            view = contact_modal(pressed.reader, form, modal)
            if not open_modal(client, body.get("trigger_id"), view):
                refused = problem(pressed.reader, "problem.form_not_opened")
                services.later(post_reply, client, url, user_id, refused)
            return
        services.later(services.digest_buttons.answer, client, url, user_id, pressed)
        if pressed.home_changed:
            services.home_changed(client, team_id, user_id)

    app.action(ACTION_DIGEST_MENU)(digest_menu)
