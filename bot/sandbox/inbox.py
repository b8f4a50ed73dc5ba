"""What reached people since the last look: replies, DMs, channel posts, opened modals and
published Home tabs.

Rapport answers in several ways: inside the HTTP ack, later through a response_url, by
chat.postMessage or chat.postEphemeral, by rewriting a message it sent with chat.update, by
opening a modal, or by publishing someone's Home tab (views.publish). The stand-in records
each; the inbox hands every new one out exactly once, so the shell prints each message once,
and a rewritten one again as it now reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.sandbox.standin import SlackStandIn

Kind = Literal["response", "refused", "ephemeral", "message", "updated", "view", "home"]


@dataclass(frozen=True)
class Arrival:
    """One thing Rapport sent. `viewer` is who sees it (None: everyone in `channel`); for a
    reply through a response_url, `channel` is where the command or press that asked for it
    was made (None: the viewer's DM with Rapport); for a Home tab, `body` is the view as it
    reads now and `viewer` whose Home it is."""

    kind: Kind
    body: dict[str, Any]
    viewer: str | None = None
    channel: str | None = None


class Inbox:
    """New arrivals in the stand-in, oldest first within each way of sending."""

    def __init__(self, slack: SlackStandIn) -> None:
        self._slack = slack
        self._urls: dict[str, tuple[str, str | None]] = {}  # response_url -> (user, channel)
        self._taken: dict[str, tuple[int, int]] = {}  # response_url -> (accepted, rejected) seen
        self._messages_seen = {(m["channel"], m["ts"]) for m in slack.messages()}
        self._ephemerals_seen = len(slack.ephemerals())
        self._updates_seen = len(slack.calls_to("chat.update"))
        self._views_seen = len(slack.views())
        self._publishes_seen = len(slack.calls_to("views.publish"))

    def watch(self, response_url: str, viewer: str, channel: str | None = None) -> None:
        """Look for replies at `response_url`, which answers `viewer` in `channel` (None: the
        DM with Rapport, where commands are typed unless said otherwise)."""
        self._urls[response_url] = (viewer, channel)
        self._taken.setdefault(response_url, (0, 0))

    def collect(self) -> list[Arrival]:
        arrivals: list[Arrival] = []
        for url, (viewer, channel) in self._urls.items():
            accepted, rejected = self._slack.responses(url), self._slack.rejected_responses(url)
            seen_accepted, seen_rejected = self._taken[url]
            arrivals += [
                Arrival("response", body, viewer, channel) for body in accepted[seen_accepted:]
            ]
            arrivals += [
                Arrival("refused", entry, viewer, channel) for entry in rejected[seen_rejected:]
            ]
            self._taken[url] = (len(accepted), len(rejected))
        ephemerals = self._slack.ephemerals()
        for message in ephemerals[self._ephemerals_seen :]:
            arrivals.append(Arrival("ephemeral", message, message["user"], message["channel"]))
        self._ephemerals_seen = len(ephemerals)
        bot = self._slack.bot_user_id
        updated = self._updated()
        posted: list[Arrival] = []
        for message in self._slack.messages():
            key = (message["channel"], message["ts"])
            if key in self._messages_seen:
                continue
            self._messages_seen.add(key)
            if message.get("user") == bot:  # people's own posts are what the shell just did
                posted.append(Arrival("message", message, channel=message["channel"]))
        new = {(arrival.channel, arrival.body["ts"]) for arrival in posted}
        # Rewritten messages first: new ones sit below them in Slack, and `:click` presses on the
        # message drawn last.
        arrivals += [a for a in updated if (a.channel, a.body["ts"]) not in new]
        arrivals += posted
        views = self._slack.views()
        arrivals += [Arrival("view", view) for view in views[self._views_seen :]]
        self._views_seen = len(views)
        arrivals += self._homes()
        return arrivals

    def _homes(self) -> list[Arrival]:
        """Home tabs published since the last look, each person's once and as it reads now
        (several publishes in one look are one change to see)."""
        calls = self._slack.calls_to("views.publish")
        users: list[str] = []
        for call in calls[self._publishes_seen :]:
            user = str(call.args.get("user_id", ""))
            if call.ok and user and user not in users:
                users.append(user)
        self._publishes_seen = len(calls)
        arrivals = []
        for user in users:
            published = self._slack.home_views(user)
            if published:
                arrivals.append(Arrival("home", published[-1], viewer=user))
        return arrivals

    def _updated(self) -> list[Arrival]:
        """Messages rewritten since the last look, each once and as it reads now.

        A message first posted in this same look already shows its latest version, so the caller
        leaves those out.
        """
        calls = self._slack.calls_to("chat.update")
        keys: list[tuple[str, str]] = []
        for call in calls[self._updates_seen :]:
            key = (str(call.args.get("channel", "")), str(call.args.get("ts", "")))
            if call.ok and key not in keys:
                keys.append(key)
        self._updates_seen = len(calls)
        if not keys:
            return []
        current = {(m["channel"], m["ts"]): m for m in self._slack.messages()}
        return [Arrival("updated", current[key], channel=key[0]) for key in keys if key in current]
