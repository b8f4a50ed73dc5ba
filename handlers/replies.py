"""Replies sent after the ack, through the request's `response_url`."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.replies import Reply

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
    if url:
        response = WebhookClient(url).send_dict(body)
        if response.status_code == 200:
            return
        log.warning("response_url answered %s: %s", response.status_code, response.body)
    client.chat_postMessage(channel=user_id, text=body["text"], blocks=body["blocks"])
