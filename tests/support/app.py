"""The real Rapport app served over HTTP on loopback, for scenario tests.

uvicorn serves `bot.web.create_web_app` exactly as `rapport serve` does; the app's Web API client
points at a `SlackStandIn`; requests are signed with the same secret the app verifies.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from slack_bolt import App

from bot.app import create_app
from bot.clock import ManualClock
from bot.services import Services
from bot.settings import Settings
from bot.slack_requests import (
    Answer,
    SignedSender,
    block_actions,
    event_callback,
    message_shortcut,
    slash_command,
    view_submission,
)
from bot.standin import SlackStandIn
from bot.web import create_web_app
from storage.db import Database

SIGNING_SECRET = "test-signing-secret"
WAIT_SECONDS = 10.0


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_SECONDS) -> Any:
    """Wait for work finishing on another thread (a lazy listener); fail loudly if it never does."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout}s for {condition}")
        pause.wait(0.005)


class RunningRapport:
    """Rapport answering on 127.0.0.1:PORT, with helpers that act like Slack would."""

    def __init__(self, db: Database, clock: ManualClock, slack: SlackStandIn) -> None:
        self.db, self.clock, self.slack = db, clock, slack
        self.settings = Settings(
            bot_token=slack.bot_token,
            signing_secret=SIGNING_SECRET,
            app_token=None,
            slack_api_url=slack.base_url,
            database_url=db.url,
            port=0,
        )
        self.services = Services(db, clock)
        self.app: App = create_app(self.settings, self.services)
        config = uvicorn.Config(
            create_web_app(self.app, db), host="127.0.0.1", port=0, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> RunningRapport:
        self.thread.start()
        wait_for(lambda: self.server.started)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.sender = SignedSender(f"{self.base_url}/slack/events", SIGNING_SECRET)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.listener_runner.listener_executor.shutdown(wait=True)

    # --- acting as Slack -------------------------------------------------------------------------

    def command(self, text: str, *, user: str = "U0ALICE", team: str | None = None) -> Command:
        """Send `/logcontact TEXT` as `user`; the result keeps the response_url to watch."""
        response_url = self.slack.response_url()
        trigger_id = self.slack.new_trigger_id()
        answer = self.sender.form(
            slash_command(
                team_id=team or self.slack.team_id,
                user_id=user,
                text=text,
                response_url=response_url,
                trigger_id=trigger_id,
            )
        )
        return Command(self, answer, response_url)

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0ALICE",
        team: str | None = None,
        response_url: str | None = None,
    ) -> Command:
        url = response_url or self.slack.response_url()
        answer = self.sender.interaction(
            block_actions(
                team_id=team or self.slack.team_id,
                user_id=user,
                action_id=action_id,
                value=value,
                response_url=url,
                trigger_id=self.slack.new_trigger_id(),
            )
        )
        return Command(self, answer, url)

    def submit(
        self, view: dict[str, Any], values: dict[str, Any], *, user: str = "U0ALICE"
    ) -> Answer:
        return self.sender.interaction(
            view_submission(team_id=self.slack.team_id, user_id=user, view=view, values=values)
        )

    def shortcut(self, message: dict[str, Any], *, user: str = "U0ALICE") -> Command:
        url = self.slack.response_url()
        answer = self.sender.interaction(
            message_shortcut(
                team_id=self.slack.team_id,
                user_id=user,
                callback_id="log_as_contact",
                message=message,
                channel_id="C0SHARED",
                response_url=url,
                trigger_id=self.slack.new_trigger_id(),
            )
        )
        return Command(self, answer, url)

    def event(self, event_id: str, event: dict[str, Any], **kwargs: Any) -> Answer:
        return self.sender.event(
            event_callback(team_id=self.slack.team_id, event_id=event_id, event=event), **kwargs
        )


class Command:
    """One request's HTTP answer, and the replies that later reach its response_url."""

    def __init__(self, rapport: RunningRapport, answer: Answer, response_url: str) -> None:
        self.rapport, self.answer, self.response_url = rapport, answer, response_url

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
        posts = wait_for(lambda: self.rapport.slack.responses(self.response_url)[count - 1 :])
        return posts[0]
