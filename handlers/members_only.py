"""Only the company's own members use Rapport (see `bot.rules.access` for who counts).

One global middleware, run before any listener, refuses an interaction whose payload says its
user belongs to another organisation (a Slack Connect user pressing a button in a shared
channel), and any request made in a workspace other than the one Rapport is installed in,
without touching the database. A workspace guest is refused where the use case loads
the person asking (`bot.usecases.members.asker`), which raises `NotAMember`; the app's error handler
hands that to `refuse`. Either way the answer has the form the request allows: an ephemeral
reply to a command, an error under a form's first field, no suggestions, or a note through a
button's response_url (in the person's DM with Rapport once that has expired, as on a nudge DM
pressed days later).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient

from bot.blocks.replies import refusal
from bot.http.direct_answers import answer_by_kind, kind_of
from bot.rules.access import from_another_organisation
from bot.rules.people import is_stale
from bot.slack.delivery import post_reply
from bot.texts.reader import Reader
from bot.usecases.members import NotAMember
from bot.usecases.services import Services

log = logging.getLogger(__name__)

# Requests a person makes; events (profile changes) are Slack's news, not anyone's request.
REQUESTS = frozenset(
    (
        "slash_command",
        "block_actions",
        "block_suggestion",
        "view_submission",
        "message_action",
        "shortcut",
    )
)


def register(app: App, services: Services) -> None:
    app.middleware(MembersOnly(services))


class MembersOnly(Middleware):
    """Refuses a person's request from another organisation, or for a workspace Rapport is not
    installed in, before any listener runs; lets everything else through.

    A `Middleware` rather than a function: Bolt hands a function middleware its arguments by
    building every argument it knows of (the payload in eight shapes, `say`, `respond`, …) and
    picking those named, on each request; a `Middleware` is called with the request alone."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body, context = req.body, req.context
        kind = kind_of(body)
        if kind in REQUESTS and from_another_organisation(body, context.team_id):
            log.info("refused a %s from another organisation", kind)
            return answer(self.services, context.client, body, context, None)
        if kind in REQUESTS and not for_this_workspace(context):
            log.info("refused a %s for a workspace Rapport is not installed in", kind)
            return answer(self.services, context.client, body, context, None)
        return next()


def for_this_workspace(context: BoltContext) -> bool:
    """Whether the request acts in the workspace Rapport's bot token belongs to.

    Bolt learns that workspace from `auth.test` when the app starts (`authorize_result`). A
    command naming another team (a person of another organisation whose own team the request
    claims) would otherwise get a workspace of its own in Rapport's database.
    """
    installed = context.authorize_result.team_id if context.authorize_result else None
    return installed is None or context.team_id in (None, installed)


def asker_ids(context: BoltContext) -> tuple[str, str]:
    """The team and user ids of the person behind a command, shortcut, action, view submission
    or options request, as Bolt read them from the payload."""
    # Bolt types both as optional because some events carry neither; a person's request to an
    # app installed in one workspace always carries both. They are passed on unchecked.
    return cast(str, context.team_id), cast(str, context.user_id)


def refuse(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    context: BoltContext,
    refused: NotAMember,
) -> BoltResponse:
    """A guest found in the cache: the refusal, and a fresh look at their profile when it is a
    day old, so that a guest made a member in Slack (an event Rapport missed) gets in."""
    log.info("refused a %s from a workspace guest", kind_of(body))
    if refused.refreshed_at is not None and is_stale(refused.refreshed_at, services.clock.now()):
        services.later(
            services.logcontact.refresh_profile, client, context.team_id, context.user_id
        )
    return answer(services, client, body, context, refused.reader)


def answer(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    context: BoltContext,
    reader: Reader | None,
) -> BoltResponse:
    """The refusal, in `reader`'s language (both languages when it is not known)."""
    reply = refusal(reader)

    def post(url: str, _message: str) -> None:
        services.later(post_reply, client, url, context.user_id or "", reply)

    return answer_by_kind(kind_of(body), body, reply.text, client.base_url, post=post)
