"""Replies sent after the ack, from a lazy listener.

An ack function that has a reply for a `response_url` leaves it in the context (`reply_url`,
`reply`); Bolt deep-copies the context into the lazy listener, which posts it once the HTTP
response to Slack is on its way.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.replies import Reply

log = logging.getLogger(__name__)


def reply_later(context: BoltContext, url: str | None, reply: Reply, **extra: Any) -> None:
    context["reply_url"] = url
    context["reply"] = reply.body(**extra)


def post_reply(context: BoltContext, client: WebClient) -> None:
    """Post the reply an ack function left; to the user's DM when there is no response_url."""
    body = context.get("reply")
    if not body:
        return
    url = context.get("reply_url")
    if url:
        response = WebhookClient(url).send_dict(body)
        if response.status_code == 200:
            return
        log.warning("response_url answered %s: %s", response.status_code, response.body)
    user = context.get("user_id")
    if user:
        client.chat_postMessage(channel=user, text=body["text"], blocks=body["blocks"])
