"""Requests as Slack sends them to Rapport: form-encoded or JSON, signed with the signing secret.

The sandbox shell and the scenario tests reach the app through this module, so they exercise the
same HTTP path, signature check included, that a real workspace does.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


@dataclass(frozen=True)
class Answer:
    """The app's HTTP response and how long it took."""

    status: int
    body: str
    seconds: float

    def json(self) -> dict[str, Any]:
        return json.loads(self.body) if self.body else {}


class SignedSender:
    """Posts signed requests to `POST /slack/events`."""

    def __init__(self, url: str, signing_secret: str, *, timeout: float = 10.0) -> None:
        self.url = url
        self.verifier = SignatureVerifier(signing_secret)
        self.timeout = timeout

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": stamp,
                # The SDK returns None only when given no timestamp.
                "X-Slack-Signature": signature
                or cast(str, self.verifier.generate_signature(timestamp=stamp, body=body)),
                **(headers or {}),
            },
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        return Answer(status, text, time.perf_counter() - started)

    def form(self, fields: dict[str, str], **kwargs: Any) -> Answer:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Answer:
        return self.form({"payload": json.dumps(payload)}, **kwargs)

    def event(self, envelope: dict[str, Any], **kwargs: Any) -> Answer:
        return self.post(json.dumps(envelope), "application/json", **kwargs)


def slash_command(
    *,
    team_id: str,
    user_id: str,
    text: str,
    response_url: str,
    trigger_id: str,
    channel_id: str = "C0TEAM",
    command: str = "/logcontact",
    user_name: str = "",
) -> dict[str, str]:
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": team_id.lower(),
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else "general",
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0RAPPORT",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def block_actions(
    *,
    team_id: str,
    user_id: str,
    action_id: str,
    response_url: str,
    trigger_id: str,
    value: str | None = None,
    selected_option: dict[str, Any] | None = None,
    selected_date: str | None = None,
    block_id: str = "actions",
    channel_id: str = "C0TEAM",
    message_ts: str | None = None,
    is_ephemeral: bool = True,
    message: dict[str, Any] | None = None,
    user_team_id: str | None = None,
    menu_type: str = "static_select",
) -> dict[str, Any]:
    """A press on a message: a button (`value`), a menu's option or a date picker's day.

    Slack adds `message`, the message as it reads now with its metadata, when the press was on a
    message everyone in the channel sees; for an ephemeral one it has no copy to send.
    `user_team_id` is the presser's own team when it is not `team_id` (a Slack Connect user).
    `menu_type` is the element an option was chosen in: "static_select", or "overflow" (the ⋯
    menu), whose choice Slack sends the same way, as `selected_option`.
    """
    container: dict[str, Any] = {
        "type": "message",
        "channel_id": channel_id,
        "is_ephemeral": is_ephemeral,
    }
    if message_ts:
        container["message_ts"] = message_ts
    payload: dict[str, Any] = {
        "type": "block_actions",
        "api_app_id": "A0RAPPORT",
        "user": {"id": user_id, "team_id": user_team_id or team_id},
        "team": {"id": team_id},
        "container": container,
        "channel": {"id": channel_id},
        "trigger_id": trigger_id,
        "response_url": response_url,
        "actions": [_action(action_id, block_id, value, selected_option, selected_date, menu_type)],
    }
    if message is not None:
        payload["message"] = message
    return payload


def _action(
    action_id: str,
    block_id: str,
    value: str | None,
    selected_option: dict[str, Any] | None,
    selected_date: str | None,
    menu_type: str = "static_select",
) -> dict[str, Any]:
    """One action as Slack describes it: only a button has a `value` of its own."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id}
    if selected_option is not None:
        return {**action, "type": menu_type, "selected_option": selected_option}
    if selected_date is not None:
        return {**action, "type": "datepicker", "selected_date": selected_date}
    return {**action, "type": "button", "value": value or ""}


def view_actions(
    *,
    team_id: str,
    user_id: str,
    action_id: str,
    trigger_id: str,
    view: dict[str, Any],
    value: str | None = None,
    selected_option: dict[str, Any] | None = None,
    selected_date: str | None = None,
    block_id: str = "actions",
    menu_type: str = "static_select",
) -> dict[str, Any]:
    """A press on a view (a Home tab, or a modal's own buttons) as Slack sends it: the
    container names the view (`type` "view", `view_id`), `view` is the view as Slack holds it
    (its id, hash and state), and there is no channel, no message and no `response_url`,
    since there is no message to answer in."""
    return {
        "type": "block_actions",
        "api_app_id": "A0RAPPORT",
        "user": {"id": user_id, "team_id": team_id},
        "team": {"id": team_id},
        "container": {"type": "view", "view_id": view.get("id", "")},
        "trigger_id": trigger_id,
        "view": view,
        "actions": [_action(action_id, block_id, value, selected_option, selected_date, menu_type)],
    }


def app_home_opened(
    *, user_id: str, channel_id: str, event_ts: str, view: dict[str, Any] | None
) -> dict[str, Any]:
    """The event of someone opening the app's Home tab: `view` is the view Slack last got
    published for them (with its `hash`), left out when there is none yet, as Slack does."""
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel_id,
        "tab": "home",
        "event_ts": event_ts,
    }
    if view is not None:
        event["view"] = view
    return event


def view_submission(
    *,
    team_id: str,
    user_id: str,
    view: dict[str, Any],
    values: dict[str, Any],
    user_team_id: str | None = None,
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """A submission of `view` (as the app opened it) with the user's `values` in its state.

    Slack gives every submission a trigger id of its own, so two submissions of the same form
    with the same values are still two different requests.
    """
    return {
        "type": "view_submission",
        "api_app_id": "A0RAPPORT",
        "trigger_id": trigger_id or f"{time.time():.6f}.{secrets.token_hex(8)}",
        "user": {"id": user_id, "team_id": user_team_id or team_id},
        "team": {"id": team_id},
        "view": {
            **view,
            "id": view.get("id", "V0MODAL"),
            "team_id": team_id,
            "app_installed_team_id": team_id,
            "state": {"values": values},
        },
        "response_urls": [],
    }


def message_shortcut(
    *,
    team_id: str,
    user_id: str,
    callback_id: str,
    message: dict[str, Any],
    channel_id: str,
    response_url: str,
    trigger_id: str,
    user_team_id: str | None = None,
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": callback_id,
        "team": {"id": team_id},
        "user": {"id": user_id, "team_id": user_team_id or team_id},
        "channel": {"id": channel_id},
        "message": message,
        "message_ts": message.get("ts", ""),
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def block_suggestion(
    *, team_id: str, user_id: str, action_id: str, value: str, user_team_id: str | None = None
) -> dict[str, Any]:
    return {
        "type": "block_suggestion",
        "team": {"id": team_id},
        "user": {"id": user_id, "team_id": user_team_id or team_id},
        "action_id": action_id,
        "block_id": "partner",
        "value": value,
    }


def event_callback(
    *,
    team_id: str,
    event_id: str,
    event: dict[str, Any],
    event_time: int | None = None,
    is_ext_shared_channel: bool | None = None,
) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": "A0RAPPORT",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [
            {"team_id": team_id, "user_id": "U0BOT", "is_bot": True, "enterprise_id": None}
        ],
        "event": event,
    }
    if is_ext_shared_channel is not None:
        envelope["is_ext_shared_channel"] = is_ext_shared_channel
    return envelope


def message_event(
    *,
    channel: str,
    user: str,
    user_team: str,
    text: str,
    ts: str,
    thread_ts: str | None = None,
    subtype: str | None = None,
    files: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A person's new message in a channel; in a Slack Connect channel `user_team` is the
    author's own workspace, which may differ from the workspace the event is delivered to.
    `thread_ts` makes it a reply in that thread, `subtype` "thread_broadcast" one sent to the
    channel too, "file_share" (with `files`) a file shared with `text` as its comment."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": channel,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "team": user_team,
        "user_team": user_team,
        "source_team": user_team,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    if subtype is not None:
        event["subtype"] = subtype
    if files:
        event["files"] = files
    return event
