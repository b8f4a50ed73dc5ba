"""Delivering a reply after the ack: through the request's response_url (on Slack's hooks host
only), as a note only the presser sees, or in the person's DM with Rapport when neither works.
Every failure is logged once, with Slack's error code and never the text."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from slack_sdk.webhook import WebhookClient

from bot.blocks.replies import Reply
from bot.slack.clients import QUIET_SDK_LOG, RESPONSE_URL_TIMEOUT_SECONDS
from bot.slack.response_urls import allowed_response_url

log = logging.getLogger(__name__)

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
    detour: str | None
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


def post_quietly(url: str, message: str) -> None:
    """Post an ephemeral `message` to a response_url already checked; failures are logged."""
    try:
        response = WebhookClient(
            url, timeout=RESPONSE_URL_TIMEOUT_SECONDS, logger=QUIET_SDK_LOG
        ).send_dict({"response_type": "ephemeral", "replace_original": False, "text": message})
    except Exception as error:
        log.warning("could not post to a response_url: %s", type(error).__name__)
        return
    if response.status_code != 200:
        log.warning("a response_url answered %s", response.status_code)
