"""`/rapport`: help, the lists of partners and promises, and the settings and ownership commands
it shares with `/logcontact`; and the Previous/Next buttons of its lists.

Answered inside the ack from the cache. A first-time asker, or a new owner Slack has not told
Rapport about, is looked up after the ack and answered through the response_url, as
`/logcontact` does (`LogContact.look_up_and_answer`): a guest or someone of another organisation
is refused there. A page button replaces the list in place through the action's response_url,
and so do the buttons of the questions before a partner is forgotten ("Forget NAME", Cancel) or
merged into another ("Merge into OTHER", Cancel).

`/rapport digest …` is always answered after the ack: it asks Slack about the channel
(`bot.usecases.digests.subscriptions`); so is a press on its question's buttons (an hour typed
alone), which replaces the question through the action's response_url.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.digest.subscription import ACTION_ANSWER as DIGEST_ACTION_ANSWER
from bot.blocks.partner_card import (
    ACTION_FORGET,
    ACTION_FORGET_CANCEL,
    ACTION_MERGE,
    ACTION_MERGE_CANCEL,
)
from bot.blocks.partner_lists import ACTION_PAGE_NEXT, ACTION_PAGE_PREVIOUS
from bot.blocks.replies import Reply
from bot.parsing.ownership_text import HandOver
from bot.parsing.rapport_text import (
    Digest,
    RenamePartner,
    SetProfile,
    Settings,
    digest_command,
    rapport_request,
)
from bot.slack.delivery import post_reply
from bot.usecases.services import Services
from handlers.after_ack import refusing, tell_zones_from_slack
from handlers.members_only import asker_ids

COMMAND = "/rapport"
# What `/rapport` asks for that may change what the asker's Home shows (lists and cards only
# read): after these the Home is redrawn.
_CHANGES_HOME = (Settings, HandOver, SetProfile, RenamePartner)


def changes_home(text: str) -> bool:
    """Whether `/rapport TEXT` may change the asker's Home."""
    return isinstance(rapport_request(text), _CHANGES_HOME)


def register(app: App, services: Services) -> None:
    lists, logcontact = services.partner_lists, services.logcontact

    def answer_after_look_up(client: WebClient, command: dict, text: str) -> None:
        team, user, url = command["team_id"], command["user_id"], command.get("response_url")
        with refusing(client, url, user):
            reply = logcontact.look_up_and_answer(client, team, user, text, lists)
            post_reply(client, url, user, reply)
        if changes_home(text):
            services.home_changed(client, team, user)

    def answer_digest(client: WebClient, command: dict, digest: Digest) -> None:
        team, user, url = command["team_id"], command["user_id"], command.get("response_url")
        with refusing(client, url, user):
            reply = services.digest_subscriptions.answer(
                client, team, user, command.get("channel_id") or "", digest.text
            )
            post_reply(client, url, user, reply)

    def rapport(ack: Ack, command: dict, client: WebClient) -> None:
        """Answer from the cache inside the ack; otherwise ack now and answer after a look-up."""
        team, user = command["team_id"], command["user_id"]
        text = (command.get("text") or "").strip()
        digest = digest_command(text)
        if digest is not None:
            ack()
            services.later(answer_digest, client, command, digest)
            return
        answer = lists.answer_command(team, user, text, {})
        if answer is None:
            ack()
            services.later(answer_after_look_up, client, command, text)
            return
        ack(**answer.reply.body())
        if answer.profile_is_stale:
            services.later(logcontact.refresh_profile, client, team, user)
        if answer.partner_zones_wanted:
            services.later(
                tell_zones_from_slack, services, client, team, user, command.get("response_url")
            )
        if changes_home(text):
            services.home_changed(client, team, user)

    app.command(COMMAND)(rapport)

    def answer_digest_question(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        """A reading chosen on the question about a `digest on` text: answered after the ack
        (it asks Slack about the channel), replacing the question, so it cannot be pressed
        twice."""
        ack()
        team, user = asker_ids(context)
        channel = body.get("channel")
        channel_id = channel.get("id") if isinstance(channel, dict) else None
        url = body.get("response_url")

        def answer() -> None:
            with refusing(client, url, user):
                reply = services.digest_subscriptions.resume(
                    client, team, user, channel_id or "", action.get("value")
                )
                post_reply(client, url, user, reply, True)

        services.later(answer)

    digest_answers = rf"^{re.escape(DIGEST_ACTION_ANSWER)}_[0-9]+$"
    app.action(re.compile(digest_answers))(answer_digest_question)

    def turn_page(
        ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
    ) -> None:
        """Previous or Next on a list: the page its value names replaces the list."""
        ack()
        reply = lists.page(*asker_ids(context), action.get("value"))
        url = body.get("response_url")
        services.later(post_reply, client, url, context.user_id, reply, True)

    pages = rf"^({re.escape(ACTION_PAGE_NEXT)}|{re.escape(ACTION_PAGE_PREVIOUS)})$"
    app.action(re.compile(pages))(turn_page)

    registry = services.partner_registry

    def answer_question(act: Callable[[str, str, str | None], Reply]) -> Callable[..., None]:
        """ "Forget NAME", "Merge into OTHER" or Cancel on the question before forgetting or
        merging: what the press says replaces the question in place, so its buttons cannot be
        pressed twice."""

        def press(
            ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext
        ) -> None:
            ack()
            reply = act(*asker_ids(context), action.get("value"))
            url = body.get("response_url")
            services.later(post_reply, client, url, context.user_id or "", reply, True)
            # A partner forgotten or merged leaves the asker's list.
            services.home_changed(client, *asker_ids(context))

        return press

    app.action(ACTION_FORGET)(answer_question(registry.forget))
    app.action(ACTION_FORGET_CANCEL)(answer_question(registry.cancel))
    merging = services.partner_merging
    app.action(ACTION_MERGE)(answer_question(merging.merge))
    app.action(ACTION_MERGE_CANCEL)(answer_question(merging.cancel))
