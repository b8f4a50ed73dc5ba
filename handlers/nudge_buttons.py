"""Answers on nudge DMs: Log check-in, Snooze, Pause; Kept, Need more time, Drop; Received or
Drop on a promise the partner made to us; Undo of an answer until the end of the working day.

They may be pressed days after the DM arrived, when its `response_url` has long expired: the DM
is updated with `chat.update` on the channel and ts stored when it was sent, and anything only the
presser needs to know goes to them as an ephemeral note.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.contact_form import contact_modal
from bot.blocks.drop_form import DROP_CALLBACK_ID
from bot.blocks.nudge_dm import BLOCK_PREFIX
from bot.blocks.replies import problem
from bot.slack.delivery import open_modal, tell
from bot.usecases.nudge_answers import Outcome, Press
from bot.usecases.services import Services
from handlers.after_ack import update_dm

ANSWERS = re.compile(r"^nudge_(check_in|snooze|pause|kept|more_time|drop|their_promise|undo)$")


def _choice(action: dict) -> str | None:
    """What the press chose: a date from a datepicker, an option from a menu, else nothing."""
    option = action.get("selected_option") or {}
    return action.get("selected_date") or option.get("value") or action.get("value")


def register(app: App, services: Services) -> None:
    answers = services.nudge_answers

    def follow_up(
        client: WebClient, channel: str | None, team: str, user: str, outcome: Outcome
    ) -> None:
        """Notes and DM updates after an answer, and the answerer's Home redrawn (a promise
        kept or dropped, a check-in snoozed: the Home shows them)."""
        if outcome.notice is not None:
            services.later(tell, client, channel, user, outcome.notice)
        if outcome.bundle_id is not None:
            update = answers.rendered(outcome.bundle_id, outcome.problems)
            services.later(update_dm, client, update)
        # Other DMs that showed a copy of an answer now undone get their buttons back too.
        for other in outcome.others:
            services.later(update_dm, client, answers.rendered(other))
        services.home_changed(client, team, user)

    def answer(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        press = Press(
            team_id=context.team_id or "",
            user_id=context.user_id or "",
            block_id=action.get("block_id"),
            action_id=action["action_id"],
            choice=_choice(action),
        )
        outcome = answers.press(press)
        channel = (body.get("container") or {}).get("channel_id")
        if outcome.check_in is not None:
            reader, form, modal = outcome.check_in
            view = contact_modal(reader, form, modal)
        elif outcome.drop is not None:
            reader, view = outcome.drop
        else:
            follow_up(client, channel, press.team_id, press.user_id, outcome)
            return
        if not open_modal(client, body.get("trigger_id"), view):
            refused = problem(reader, "problem.form_not_opened")
            services.later(tell, client, channel, press.user_id, refused)

    def drop(ack: Ack, view: dict, client: WebClient, context: BoltContext) -> None:
        values = (view.get("state") or {}).get("values") or {}
        reason = ((values.get("reason") or {}).get("reason_input") or {}).get("value")
        error, outcome = answers.drop(
            context.team_id or "", context.user_id or "", view.get("private_metadata"), reason
        )
        if error:
            ack(response_action="errors", errors={"reason": error})
            return
        ack()
        follow_up(client, None, context.team_id or "", context.user_id or "", outcome)

    app.action({"action_id": ANSWERS, "block_id": re.compile(rf"^{BLOCK_PREFIX}\|")})(answer)
    app.view(DROP_CALLBACK_ID)(drop)
