"""The app factory: one Bolt app, its Web API client, and every surface's listeners.

`process_before_response=True` makes Bolt run the whole ack function before answering Slack, so
the reply can travel in the HTTP response itself; work that must follow the ack (Slack look-ups,
response_url posts) goes to `Services.later`.

Only the company's own members get past the front: `handlers.members_only` refuses other
organisations before any listener runs, and guests where a use case loads the person asking.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient

from bot.blocks.replies import problem
from bot.http.direct_answers import answer_by_kind, kind_of
from bot.services import Services
from bot.settings import Settings
from bot.slack.clients import QUIET_SDK_LOG
from bot.texts.reader import Reader
from bot.usecases.members import NotAMember
from handlers import (
    actions,
    commands,
    events,
    members_only,
    nudge_buttons,
    options,
    shortcuts,
    views,
)
from storage.deadline import DeadlineExceeded

log = logging.getLogger(__name__)
SURFACES = (commands, actions, nudge_buttons, views, options, shortcuts, events)


def create_client(settings: Settings) -> WebClient:
    """The one Web API client; Bolt copies its base URL and logger into every per-request client.

    Every call a listener makes is caught where it is made and logged there in one line.
    """
    return WebClient(
        token=settings.bot_token, base_url=settings.slack_api_url, logger=QUIET_SDK_LOG
    )


class _TokenGivenTwice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns, on every start,
    that the client Rapport gives it (made with that same token) wins: nothing to act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_BOLT_LOG = logging.getLogger("slack_bolt.App")
if not any(isinstance(f, _TokenGivenTwice) for f in _BOLT_LOG.filters):
    _BOLT_LOG.addFilter(_TokenGivenTwice())


def create_app(settings: Settings, services: Services) -> App:
    app = App(
        client=create_client(settings),
        signing_secret=settings.signing_secret or "",
        process_before_response=True,
        # Over HTTP every request is verified on its raw bytes before Bolt sees it
        # (`bot.web`); Bolt's check would come after parsing and logs failing bodies whole.
        # Over Socket Mode Slack's own connection is the authentication.
        request_verification_enabled=False,
        # This middleware swaps the bot token for a `bot_access_token` found in a payload
        # (workflow functions, which Rapport has none of): a body naming one made every reply
        # fail with `not_authed`.
        attaching_function_token_enabled=False,
        # This one gives event listeners `say`, `set_status` and the like for the threads of
        # Slack's AI apps, which Rapport is not.
        attaching_conversation_kwargs_enabled=False,
        # Kept on: `ssl_check` answers Slack's certificate checks of the command URL (when
        # signed) with an empty 200 and runs no listener, even for a command that carries one;
        # `url_verification` answers the Events API's challenge when the request URL is set;
        # ignoring self events keeps Rapport's own messages from ever reaching a listener.
        #
        # A request no listener takes is handed to the error handler below, which notes its
        # kind in one line, instead of Bolt's warning with a code sample for every one.
        raise_error_for_unhandled_request=True,
    )
    members_only.register(app, services)
    for surface in SURFACES:
        surface.register(app, services)
    app.error(_unexpected_error_handler(services))
    return app


def _unexpected_error_handler(services: Services) -> Any:
    def unexpected_error(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> Any:
        """Log the failure, and tell the user plainly instead of letting Slack time out.

        Only verified requests reach Bolt (`bot.web`); a response_url is posted to only on
        Slack's own hooks host. A guest, refused where the asker was loaded, is no failure:
        they are told why, before anything else was read.
        """
        if isinstance(error, NotAMember):
            return members_only.refuse(services, client, body, context, error)
        if isinstance(error, DeadlineExceeded):
            # The web layer has answered already, saying whether anything was saved.
            return None
        if isinstance(error, BoltUnhandledRequestError):
            # Bolt's 404 stands: Slack sent something Rapport has no listener for.
            log.info("no listener for a request of kind %s", _kind_detail(body))
            return None
        log.error("unexpected failure", exc_info=error)
        message = problem(_reader_for(services, body), "problem.unexpected").text
        return answer_by_kind(kind_of(body), body, message, client.base_url)

    return unexpected_error


def _kind_detail(body: dict[str, Any]) -> str:
    """The kind of a request, with the event's type for an event: nothing a person wrote."""
    kind = kind_of(body) or "(none)"
    event = body.get("event")
    if kind == "event_callback" and isinstance(event, dict):
        return f"{kind}/{event.get('type')}"
    return kind


def _reader_for(services: Services, body: dict[str, Any]) -> Reader:
    """The user's language if the body names them and the database still answers; English
    otherwise."""
    team = body.get("team_id") or _id_of(body.get("team"))
    user = body.get("user_id") or _id_of(body.get("user"))
    if not isinstance(team, str) or not isinstance(user, str):
        return Reader()
    try:
        return services.logcontact.reader_for(team, user)
    except Exception:
        return Reader()


def _id_of(value: Any) -> Any:
    """`value["id"]` for a Slack object, the value itself for a bare id."""
    return value.get("id") if isinstance(value, dict) else value
