"""The real Rapport app served over HTTP on loopback, for scenario tests.

A thin layer over `bot.sandbox.loopback`, which the `rapport shell` sandbox runs on too: Alice is
the default user, and `Command` adds the waits a test makes for replies that come later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.rules.clock import ManualClock
from bot.sandbox.loopback import Exchange, LoopbackRapport
from bot.sandbox.signing import Answer
from bot.sandbox.standin import SlackStandIn
from storage.db import Database
from tests.support.privacy import Sent

SIGNING_SECRET = "test-signing-secret"
ALICE = "U0ALICE"

__all__ = ["ALICE", "SIGNING_SECRET", "Command", "RunningRapport", "known"]


# How long a request may wait for the database before the front door answers without it. Slack
# allows 3 seconds and `rapport serve` answers after 2.5 (`ANSWER_SECONDS`); a test suite
# running on every core at once can stall one request that long, so the scenarios allow more
# (below the 10 seconds the signed-request sender waits for an answer).
# The tests of that bound set their own (`tests/security/test_database_deadline.py`).
TEST_ANSWER_SECONDS = 8.0


class RunningRapport(LoopbackRapport):
    """Rapport answering on 127.0.0.1:PORT; requests come from Alice unless a test says so."""

    def __init__(
        self, db: Database, clock: ManualClock, slack: SlackStandIn, **front_door: Any
    ) -> None:
        front_door.setdefault("answer_seconds", TEST_ANSWER_SECONDS)
        super().__init__(db, clock, slack, signing_secret=SIGNING_SECRET, **front_door)
        self.sent = Sent()
        self.sent.add(SIGNING_SECRET, slack.bot_token)

    def start(self) -> RunningRapport:
        super().start()
        return self

    def command(self, text: str, *, user: str = ALICE, **kwargs: Any) -> Command:
        """Send `/logcontact TEXT` as `user`; the result keeps the response_url to watch."""
        self.sent.add(text)
        exchange = super().command(text, user=user, **kwargs)
        self.sent.add(exchange.response_url)
        return Command.of(self, exchange)

    def click(self, action_id: str, value: str, *, user: str = ALICE, **kwargs: Any) -> Command:
        exchange = super().click(action_id, value, user=user, **kwargs)
        self.sent.add(exchange.response_url)
        return Command.of(self, exchange)

    def submit(
        self, view: dict[str, Any], values: dict[str, Any], *, user: str = ALICE, **kwargs: Any
    ) -> Answer:
        self.sent.add_values(values)
        return super().submit(view, values, user=user, **kwargs)

    def shortcut(self, message: dict[str, Any], *, user: str = ALICE, **kwargs: Any) -> Command:
        self.sent.add(message.get("text"))
        exchange = super().shortcut(message, user=user, **kwargs)
        self.sent.add(exchange.response_url)
        return Command.of(self, exchange)

    def event(self, event_id: str, event: dict[str, Any], **kwargs: Any) -> Answer:
        self.sent.add(event.get("text"))
        return super().event(event_id, event, **kwargs)

    def suggest(self, action_id: str, typed: str, *, user: str = ALICE, **kwargs: Any) -> Answer:
        return super().suggest(action_id, typed, user=user, **kwargs)


@dataclass(frozen=True)
class Command(Exchange):
    """One request's HTTP answer, and the replies that later reach its response_url."""

    rapport: RunningRapport

    @classmethod
    def of(cls, rapport: RunningRapport, exchange: Exchange) -> Command:
        return cls(exchange.answer, exchange.response_url, rapport)

    @property
    def ack(self) -> dict[str, Any]:
        assert self.answer.status == 200, (self.answer.status, self.answer.body)
        return self.answer.json()

    def reply(self) -> dict[str, Any]:
        """The user-visible reply: the ack's body, or else the first response_url post."""
        body = self.ack
        if body.get("text") or body.get("blocks"):
            return body
        return self.later()

    def later(self, count: int = 1) -> dict[str, Any]:
        """The `count`th post to this request's response_url, once the deferred work is done."""
        assert self.rapport.wait_until_idle(), "work deferred past the ack never finished"
        posts = self.rapport.slack.responses(self.response_url)
        assert len(posts) >= count, f"expected {count} response_url post(s), got {posts}"
        return posts[count - 1]


def known(rapport: RunningRapport, user: str = ALICE) -> None:
    """Make `user` a cached member, as after their first command."""
    assert rapport.command("help", user=user).reply()
