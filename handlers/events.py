"""Events: keep what Rapport cached about people and channels in step with Slack, and watch
messages in channels shared with another organisation.

- `user_change`: the member, the Slack Connect partner and the directory's row of the person;
- `member_joined_channel`, `member_left_channel`: a cached channel's members and count;
- `channel_shared`, `channel_unshared`: whether a cached channel is shared with another
  organisation; `channel_shared` also suspends the channel's digest subscription, and its
  subscriber is told by DM after the ack;
- after `channel_shared`, and after someone (the bot too, invited back) joins a channel where
  a digest still shows partners, the channel is checked after the ack and, if it may no longer
  read partner data (shared, a guest in it), those digests are withdrawn
  (`DigestButtons.withdraw_where_refused`); the check is noted in the event's transaction
  and kept until made, so that Slack refusing it or a crash after the ack loses nothing
  (`bot.usecases.digests.withdrawals`);
- `app_home_opened` on the Home tab (the event also comes for the Messages tab, which is left
  alone): the member's Home (`bot.usecases.partners.home`) is published after the ack, again
  within a few seconds only when it changed, with the event's `view.hash` when Slack sent one; a
  guest or someone of another organisation gets none;
- `message` (in public and private channels): read for its facts, never its text, and
  acknowledged at once; the look-ups, the after-hours decision and the hint run after the ack
  on a small pool of their own (`Services.after_hours_later`, calls with a short timeout), so a
  busy shared channel never makes Slack wait, nor anyone else's reply. Edits, deletions, joins,
  bot posts and messages outside channels are dropped before anything is handed over.

Each is handled once per `event_id`: the id is claimed in the same transaction as the change
(`bot.usecases.slack_directory`), so a retry of an event handled before (Slack sends one, with
`X-Slack-Retry-Num`, when an answer took over 3 s) changes nothing. That transaction is all the
ack waits for: none of these events needs a Slack call.

An event for a workspace other than the installed one, or one whose fields are not what Slack
sends (a missing channel, an id that is no Slack id), is answered 200 (a retry could not make
it better) with one log line, and changes nothing. Log lines name the event's type and the
retry number, never the payload.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.parsing import checks as checked
from bot.slack.clients import lookup_client
from bot.usecases.after_hours.hints import NEVER_COUNTS, read_message
from bot.usecases.digests.subscriptions import Suspension, tell_suspended
from bot.usecases.services import Services

log = logging.getLogger(__name__)

# Slack retries an event at most 3 times; a header with more digits is not Slack's.
_RETRY_DIGITS_MAX = 2
# An event type as Slack names them ("member_joined_channel"); anything else is logged as "?".
_EVENT_TYPE = re.compile(r"[a-z_.]{1,64}")
# Any event type at all (also one that is no string Slack sends); matched after every other.
_ANY_EVENT_TYPE = re.compile(r".*", re.DOTALL)
Listener = Callable[[dict, dict, WebClient, BoltContext, BoltRequest], None]


class MembershipChange(Protocol):
    """`SlackDirectory.member_joined` or `member_left`."""

    def __call__(
        self,
        team_id: str,
        event_id: str,
        channel_id: str,
        user_id: str,
        *,
        bot_user_id: str | None,
    ) -> bool: ...


@dataclass(frozen=True)
class Delivery:
    """An event for the installed workspace, with the ids every handler needs."""

    team_id: str
    event_id: str
    bot_user_id: str | None


def event_type(body: dict[str, Any]) -> str:
    """The event's type for a log line when it looks like one Slack names, else "?": a
    forged body's type is never written to the log."""
    event = body.get("event")
    kind = event.get("type") if isinstance(event, dict) else None
    return kind if isinstance(kind, str) and _EVENT_TYPE.fullmatch(kind) else "?"


def delivery(body: dict[str, Any], context: BoltContext, request: BoltRequest) -> Delivery | None:
    """The event's workspace and id when it is for the installed workspace and carries an id
    Slack sends; None (logged) otherwise. A retry is logged with its number. The workspace is
    the delivery's (`authorizations`, as Bolt's context reads it), never the envelope's
    `team_id`, which in a shared channel may name the other organisation."""
    kind = event_type(body)
    retry = _retry_number(request)
    if retry is not None:
        log.info("%s event delivered again by Slack (retry %s)", kind, retry)
    installed = context.authorize_result.team_id if context.authorize_result else None
    team_id = checked.slack_id(context.team_id)
    if team_id is None or (installed is not None and team_id != installed):
        log.info("ignored a %s event for a workspace Rapport is not installed in", kind)
        return None
    event_id = body.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        log.info("ignored a %s event without an event id", kind)
        return None
    return Delivery(team_id, event_id, context.bot_user_id)


def _retry_number(request: BoltRequest) -> str | None:
    values = request.headers.get("x-slack-retry-num") or []
    if not values:
        return None
    number = values[0]
    digits = isinstance(number, str) and number.isdigit() and len(number) <= _RETRY_DIGITS_MAX
    return number if digits else "malformed"


def ids_of(event: dict[str, Any], *names: str) -> tuple[str, ...] | None:
    """The event's fields `names`, each a Slack id; None when one is missing or no Slack id."""
    found = tuple(checked.slack_id(event.get(name)) for name in names)
    if any(value is None for value in found):
        return None
    return tuple(value for value in found if value is not None)


def register(app: App, services: Services) -> None:
    directory = services.slack_directory

    def user_changed(body: dict, event: dict, context: BoltContext, request: BoltRequest) -> None:
        """A member changed zone, locale or left; update what Rapport cached about them."""
        got = delivery(body, context, request)
        if got is None:
            return
        user = event.get("user")
        if not isinstance(user, dict) or checked.slack_id(user.get("id")) is None:
            log.info("ignored a user_change event without a user id Slack sends")
            return
        services.profiles.changed(got.team_id, got.event_id, user)

    def membership(change: MembershipChange, *, joining: bool = False) -> Listener:
        """A listener recording a member joining or leaving a channel; someone `joining` may
        be a guest, so the channel's posted digests are then checked (`withdraw_digests`); the
        bot itself joining (invited back) may now withdraw what it could not while out."""

        def listener(
            body: dict, event: dict, client: WebClient, context: BoltContext, request: BoltRequest
        ) -> None:
            got = delivery(body, context, request)
            if got is None:
                return
            ids = ids_of(event, "channel", "user")
            if ids is None:
                log.info("ignored a %s event without a channel and user Slack sends", event["type"])
                return
            channel_id, user_id = ids
            change(got.team_id, got.event_id, channel_id, user_id, bot_user_id=got.bot_user_id)
            if joining:
                withdraw_digests(client, got.team_id, channel_id)

        return listener

    def sharing(change: Callable[[str, str, str, WebClient], bool]) -> Callable[..., None]:
        def listener(
            body: dict, event: dict, client: WebClient, context: BoltContext, request: BoltRequest
        ) -> None:
            got = delivery(body, context, request)
            if got is None:
                return
            ids = ids_of(event, "channel")
            if ids is None:
                log.info("ignored a %s event without a channel Slack sends", event["type"])
                return
            change(got.team_id, got.event_id, ids[0], client)

        return listener

    def shared(team_id: str, event_id: str, channel_id: str, client: WebClient) -> bool:
        """The channel is shared: its digest, if any, is suspended and its subscriber told by
        DM after the ack."""

        def told(suspension: Suspension) -> None:
            services.later(tell_suspended, client, suspension)

        changed = directory.channel_shared(team_id, event_id, channel_id, told)
        withdraw_digests(client, team_id, channel_id)
        return changed

    def withdraw_digests(client: WebClient, team_id: str, channel_id: str) -> None:
        """After the ack: the channel's posted digests stop showing partners if it may no
        longer read them (`DigestButtons.withdraw_where_refused`)."""
        services.later(services.digest_buttons.withdraw_where_refused, client, team_id, channel_id)

    def unshared(team_id: str, event_id: str, channel_id: str, _client: WebClient) -> bool:
        return directory.channel_unshared(team_id, event_id, channel_id)

    def message(
        body: dict[str, Any], client: WebClient, context: BoltContext, request: BoltRequest
    ) -> None:
        """A message in a shared channel: perhaps an after-hours hint for its sender. A message
        passed over is logged with the reason, never its payload: at debug for the everyday
        kinds that never count (edits, joins, bots, DMs), at info for a malformed one."""
        got = delivery(body, context, request)
        if got is None:
            return
        event = read_message(body, got.team_id)
        if isinstance(event, str):
            level = logging.DEBUG if event == NEVER_COUNTS else logging.INFO
            log.log(level, "message event dropped: %s", event)
            return
        services.after_hours_later(services.after_hours.message, lookup_client(client), event)

    def home_opened(
        body: dict[str, Any],
        event: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        request: BoltRequest,
    ) -> None:
        """The Home tab opened: its view is read and published after the ack (a first-time
        member is looked up in Slack first). Within the coalescing window of the last publish
        for the same member it is published only when it differs from that one
        (`AppHome.publish`): nobody opens the tab to a view older than what Rapport knows."""
        got = delivery(body, context, request)
        if got is None:
            return
        if event.get("tab") != "home":
            log.debug("app_home_opened for a tab other than Home: nothing to publish")
            return
        ids = ids_of(event, "user")
        if ids is None:
            log.info("ignored an app_home_opened event without a user Slack sends")
            return
        shown = event.get("view")
        view_hash = shown.get("hash") if isinstance(shown, dict) else None
        services.app_home.claim(got.team_id, ids[0], view_hash)
        services.later(services.app_home.publish, client, got.team_id, ids[0])

    def unhandled(body: dict[str, Any]) -> None:
        """Every other event type a subscription may bring (Slack adds some, an app manifest
        may grow): acknowledged with 200 and nothing done, since Slack retries any other answer
        and Bolt's own for an event no listener takes is a 404."""
        log.info("no work for an event of type %s; acknowledged", event_type(body))

    app.event("user_change")(user_changed)
    app.event("message")(message)
    app.event("app_home_opened")(home_opened)
    app.event("member_joined_channel")(membership(directory.member_joined, joining=True))
    app.event("member_left_channel")(membership(directory.member_left))
    app.event("channel_shared")(sharing(shared))
    app.event("channel_unshared")(sharing(unshared))
    # Last: taken only by event types none of the above handles.
    app.event(_ANY_EVENT_TYPE)(unhandled)
