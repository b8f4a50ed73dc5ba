"""Replies sent after the ack: through the request's `response_url`, as a note only the presser
sees, or as an update of a nudge DM; and the modals listeners open.

Each is a delivery that can fail without anything being wrong with Rapport: a response_url past
its 30 minutes or 5 posts, a user Slack no longer knows, a channel the bot is not in, a trigger
id that expired while Rapport asked Slack about someone. None of them raises: each delivery
tries its fallback, and when something did not go as asked it writes one line to the log, with
Slack's error code and never the text, a token or a URL.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from slack_sdk import WebClient

from bot.blocks.nudge_dm import nudge_metadata
from bot.blocks.replies import problem, refusal
from bot.slack.clients import patient_client
from bot.slack.delivery import DELIVERY_ERRORS, failure_code, post_reply
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader
from bot.usecases.members import NotAMember
from bot.usecases.nudge_answers import DmUpdate
from bot.usecases.services import Services

log = logging.getLogger(__name__)


@contextmanager
def refusing(client: WebClient, url: str | None, user_id: str) -> Iterator[None]:
    """Work after the ack that first asks Slack who the user is: a guest or someone of another
    organisation is told why nothing happened, and a question Slack left unanswered is said to
    have been, instead of failing silently."""
    try:
        yield
    except NotAMember as refused:
        post_reply(client, url, user_id, refusal(refused.reader))
    except LookupFailed as failed:
        log.warning("users.info failed for %s: %s", failed.user_id, failed.error)
        reply = problem(Reader(), "problem.slack", user=failed.user_id, error=failed.error)
        post_reply(client, url, user_id, reply)


def update_dm(client: WebClient, update: DmUpdate | None) -> None:
    """Rewrite a nudge DM in place, on the channel and ts stored when it was sent.

    Its metadata is sent again so the message keeps naming its bundle. An update says the same
    as the one before it plus the latest answer, so retrying it after a 429 is safe. When Slack
    refuses (the DM was deleted, the bot left), the answer is saved all the same: the next
    nudge shows it.
    """
    if update is None:
        return
    try:
        patient_client(client).chat_update(
            channel=update.channel,
            ts=update.ts,
            text=update.reply.text,
            blocks=[block.to_dict() for block in update.reply.blocks],
            metadata=nudge_metadata(update.bundle_id),
        )
    except DELIVERY_ERRORS as error:
        log.warning(
            "could not update nudge DM %s: chat.update: %s", update.bundle_id, failure_code(error)
        )


def tell_zones_from_slack(
    services: Services, client: WebClient, team_id: str, user_id: str, url: str | None
) -> None:
    """After a typed zone was cleared: ask Slack for it, and tell the person who cleared it
    what Slack gave, below the card that still said "not known"."""
    note = services.partner_cards.read_unknown_zones(client, team_id, user_id)
    if note is not None:
        post_reply(client, url, user_id, note)
