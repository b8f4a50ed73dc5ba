"""The app factory: one Bolt app, its Web API client, and every surface's listeners.

`process_before_response=True` makes Bolt run the whole ack function before answering Slack, so
the reply can travel in the HTTP response itself; work that must follow the ack (Slack look-ups,
response_url posts) goes to `Services.later`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.i18n import Reader
from bot.replies import problem
from bot.services import Services
from bot.settings import Settings
from handlers import actions, commands, events, nudge_buttons, options, shortcuts, views

log = logging.getLogger(__name__)
SURFACES = (commands, actions, nudge_buttons, views, options, shortcuts, events)


def create_client(settings: Settings) -> WebClient:
    """The one Web API client; Bolt copies its base URL into every per-request client."""
    return WebClient(token=settings.bot_token, base_url=settings.slack_api_url)


def create_app(settings: Settings, services: Services) -> App:
    app = App(
        client=create_client(settings),
        signing_secret=settings.signing_secret or "",
        process_before_response=True,
        request_verification_enabled=not settings.socket_mode,
    )
    for surface in SURFACES:
        surface.register(app, services)
    app.error(_unexpected_error_handler(services))
    return app


def _unexpected_error_handler(services: Services) -> Any:
    def unexpected_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        """Log the failure, and tell the user plainly instead of letting Slack time out."""
        log.error("unexpected failure", exc_info=error)
        reader = _reader_for(services, body)
        reply = problem(reader, "problem.unexpected")
        kind = body.get("type") or ("slash_command" if "command" in body else None)
        if kind == "slash_command":
            return _json(reply.body())
        if kind == "view_submission":
            return _json({"response_action": "errors", "errors": {"partner": reply.text}})
        if kind in ("block_actions", "message_action") and body.get("response_url"):
            WebhookClient(body["response_url"]).send_dict(reply.body())
            return BoltResponse(status=200, body="")
        return None

    return unexpected_error


def _json(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200,
        body=json.dumps(payload),
        headers={"content-type": "application/json;charset=utf-8"},
    )


def _reader_for(services: Services, body: dict[str, Any]) -> Reader:
    """The user's language if the database still answers; English otherwise."""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    try:
        return services.logcontact.reader_for(team or "", user or "")
    except Exception:
        return Reader()
