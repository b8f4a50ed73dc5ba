"""Replies sent after the ack: through the request's `response_url`, as a note only the presser
sees, or as an update of a nudge DM."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.access import NotAMember, refusal
from bot.direct_answers import RESPONSE_URL_TIMEOUT_SECONDS
from bot.i18n import Reader
from bot.nudge_answers import DmUpdate
from bot.nudge_message import nudge_metadata
from bot.people import LookupFailed
from bot.replies import Reply, problem
from bot.response_urls import allowed_response_url

log = logging.getLogger(__name__)


def post_reply(
    client: WebClient,
    url: str | None,
    user_id: str,
    reply: Reply,
    replace_original: bool = False,
) -> None:
    """Post to the response_url; to the user's DM with the bot when there is none or it failed.

    `replace_original` swaps the message the button sat on (a summary after Undo or Edit).
    """
    body = reply.body(replace_original=True) if replace_original else reply.body()
    if url and not allowed_response_url(url, client.base_url):
        log.warning("ignored a response_url that is not on Slack's hooks host")
        url = None
    if url:
        response = WebhookClient(url, timeout=RESPONSE_URL_TIMEOUT_SECONDS).send_dict(body)
        if response.status_code == 200:
            return
        log.warning("response_url answered %s", response.status_code)
    client.chat_postMessage(channel=user_id, text=body["text"], blocks=body["blocks"])


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


def tell(client: WebClient, channel: str | None, user_id: str, reply: Reply) -> None:
    """A note only `user_id` sees, where they pressed; in their DM with Rapport if that fails."""
    blocks = [block.to_dict() for block in reply.blocks]
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, text=reply.text, blocks=blocks)
            return
        except SlackApiError as error:
            log.warning("chat.postEphemeral refused: %s", error.response.get("error"))
    client.chat_postMessage(channel=user_id, text=reply.text, blocks=blocks)


def update_dm(client: WebClient, update: DmUpdate | None) -> None:
    """Rewrite a nudge DM in place, on the channel and ts stored when it was sent.

    Its metadata is sent again so the message keeps naming its bundle. An update says the same
    as the one before it plus the latest answer, so retrying it after a 429 is safe.
    """
    if update is None:
        return
    patient = WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )
    patient.chat_update(
        channel=update.channel,
        ts=update.ts,
        text=update.reply.text,
        blocks=[block.to_dict() for block in update.reply.blocks],
        metadata=nudge_metadata(update.bundle_id),
    )
