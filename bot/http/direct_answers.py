"""Answers given in place of a listener's: when the database is too slow, when a listener
failed, or when the person may not use Rapport. Each is shaped for the kind of request.

A slash command is answered in the HTTP response; a form submission under its first input; a
block suggestion with no options; a button press or shortcut, which Slack expects an empty 200
for, through its response_url (only on Slack's hooks host, see `bot.slack.response_urls`).
Events and anything else get a 503, so that Slack delivers them again later.

The response_url post runs on a thread of its own unless the caller passes `post` (the app's
pool for work after the ack, which finishes it before the process stops).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse

from bot.slack.delivery import post_quietly
from bot.slack.response_urls import allowed_response_url

log = logging.getLogger(__name__)

_WITH_RESPONSE_URL = ("block_actions", "message_action", "shortcut")


def kind_of(body: dict[str, Any]) -> str:
    """The kind of a parsed Slack request body: its `type`, or "slash_command"."""
    if "command" in body and "type" not in body:
        return "slash_command"
    return str(body.get("type") or "")


def answers_in_words(kind: str) -> bool:
    """Whether `answer_by_kind` tells the person anything for `kind`: not for a block
    suggestion (no options) nor for an event (a 503), whose askers' language is not needed."""
    return kind in ("slash_command", "view_submission", *_WITH_RESPONSE_URL)


def answer_by_kind(
    kind: str,
    body: dict[str, Any],
    message: str,
    api_base_url: str,
    post: Callable[[str, str], None] | None = None,
) -> BoltResponse:
    """Tell the person behind `body` the mrkdwn `message`, in the form `kind` allows;
    `post(url, message)` sends it to a response_url already checked, when that is the form."""
    if kind == "slash_command":
        return json_response({"response_type": "ephemeral", "text": message})
    if kind == "view_submission":
        view = body.get("view")
        block = first_input_block(view.get("blocks") if isinstance(view, dict) else None)
        if block is None:
            return BoltResponse(status=200, body="")
        return json_response({"response_action": "errors", "errors": {block: message}})
    if kind == "block_suggestion":
        return json_response({"options": []})
    if kind in _WITH_RESPONSE_URL:
        url = body.get("response_url")
        if allowed_response_url(url, api_base_url):
            if post is not None:
                post(url, message)
            else:
                threading.Thread(
                    target=post_quietly, args=(url, message), name="direct-answer", daemon=True
                ).start()
        return BoltResponse(status=200, body="")
    return BoltResponse(status=503, body="")


def first_input_block(blocks: Any) -> str | None:
    """The block id of a view's first input, where Slack can show an error."""
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def json_response(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200,
        body=json.dumps(payload),
        headers={"content-type": "application/json;charset=utf-8"},
    )
