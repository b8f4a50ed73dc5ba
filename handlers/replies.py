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
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.models.views import View
from slack_sdk.webhook import WebhookClient

from bot.blocks.nudge_dm import nudge_metadata
from bot.blocks.refusals import refusal
from bot.blocks.replies import Reply, problem
from bot.http.direct_answers import QUIET_SDK_LOG, RESPONSE_URL_TIMEOUT_SECONDS
from bot.slack.people import LookupFailed
from bot.slack.response_urls import allowed_response_url
from bot.texts.reader import Reader
from bot.usecases.members import NotAMember
from bot.usecases.nudge_answers import DmUpdate

log = logging.getLogger(__name__)

# What a Web API or response_url call raises when Slack refuses it or cannot be reached.
DELIVERY_ERRORS = (SlackApiError, OSError)


def failure_code(error: BaseException) -> str:
    """Slack's error code for a refusal, the exception's name for anything else."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or "unknown_error")
    return type(error).__name__


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
        detour = "the response_url is not on Slack's hooks host"
    elif url:
        detour = _post_to_response_url(url, body)
        if detour is None:
            return
    else:
        detour = None
    _by_dm(client, user_id, body["text"], body["blocks"], "a reply", detour or "no response_url")


def _by_dm(
    client: WebClient, user_id: str, text: str, blocks: list[Any], what: str, detour: str
) -> None:
    """Post to the person's DM with Rapport, where `what` could not go as it should have
    (`detour` says why, or "no …" when there was no other way); one log line either way."""
    try:
        client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except DELIVERY_ERRORS as error:
        log.warning(
            "could not deliver %s: %s; chat.postMessage: %s", what, detour, failure_code(error)
        )
        return
    if not detour.startswith("no "):
        log.warning("delivered %s by DM: %s", what, detour)


def _post_to_response_url(url: str, body: dict[str, Any]) -> str | None:
    """None when the response_url took `body`; otherwise why not."""
    try:
        webhook = WebhookClient(url, timeout=RESPONSE_URL_TIMEOUT_SECONDS, logger=QUIET_SDK_LOG)
        response = webhook.send_dict(body)
    except OSError as error:
        return f"the response_url failed ({type(error).__name__})"
    if response.status_code != 200:
        return f"the response_url answered {response.status_code}"
    return None


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
    detour = "no channel"
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, text=reply.text, blocks=blocks)
            return
        except DELIVERY_ERRORS as error:
            detour = f"chat.postEphemeral: {failure_code(error)}"
    _by_dm(client, user_id, reply.text, blocks, "a note", detour)


def update_dm(client: WebClient, update: DmUpdate | None) -> None:
    """Rewrite a nudge DM in place, on the channel and ts stored when it was sent.

    Its metadata is sent again so the message keeps naming its bundle. An update says the same
    as the one before it plus the latest answer, so retrying it after a 429 is safe. When Slack
    refuses (the DM was deleted, the bot left), the answer is saved all the same: the next
    nudge shows it.
    """
    if update is None:
        return
    patient = WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        logger=client.logger,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )
    try:
        patient.chat_update(
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


def open_modal(client: WebClient, trigger_id: str | None, view: View) -> bool:
    """`views.open`; False, logged in one line, when Slack refused it.

    A trigger id lives 3 seconds and opens one modal: one that expired while Rapport asked Slack
    about someone, or a request without one, is refused. The caller tells the person.
    """
    if not trigger_id:
        log.warning("could not open a modal: the request had no trigger_id")
        return False
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except DELIVERY_ERRORS as error:
        log.warning("could not open a modal: views.open: %s", failure_code(error))
        return False
    return True
