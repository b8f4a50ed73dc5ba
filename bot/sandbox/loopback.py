"""The real Rapport app served on 127.0.0.1, reached the way Slack reaches it.

uvicorn serves `bot.web.create_web_app` exactly as `rapport serve` does; the app's Web API client
points at a `SlackStandIn`; every request is signed with the secret the app verifies. The sandbox
shell and the scenario tests both stand on this, so what they show is what production runs.

The work Rapport defers past the ack (Slack look-ups, response_url posts) runs on a
`TrackedExecutor`, so a caller can wait until it is finished instead of polling for its effects
and guessing how long to wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import uvicorn
from slack_bolt import App

from bot.bootstrap import create_app
from bot.http.admission import Admission
from bot.http.endpoint import ANSWER_SECONDS
from bot.http.refusal_log import RefusalLog
from bot.rules.clock import ManualClock
from bot.sandbox.signing import (
    Answer,
    SignedSender,
    block_actions,
    block_suggestion,
    event_callback,
    message_shortcut,
    slash_command,
    view_actions,
    view_submission,
)
from bot.sandbox.standin import LOOPBACK, SlackStandIn
from bot.settings import Settings
from bot.usecases.services import Services
from bot.web import create_web_app, server_config
from storage.db import Database

# What Slack knows about Rapport from its manifest; tests/sandbox/test_sandbox_boundary.py holds
# them to the manifest and the listeners.
COMMAND = "/logcontact"
SHORTCUT_CALLBACK_ID = "log_as_contact"
WAIT_SECONDS = 10.0


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_SECONDS) -> Any:
    """Wait for something another thread does; `TimeoutError` names it if it never happens."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting after {timeout}s for {condition}")
        pause.wait(0.005)


class TrackedExecutor(ThreadPoolExecutor):
    """The pool for work after the ack (`Services.later`), counting the work in flight.

    A listener hands its deferred work over before it returns, so once the HTTP answer is in
    hand, "nothing in flight" means everything that request set off has finished.
    """

    def __init__(self, max_workers: int = 8, name: str = "later") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=name)
        self._in_flight = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._changed:
            self._in_flight += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._changed:
            self._in_flight -= 1
            self._changed.notify_all()

    def wait_until_idle(self, timeout: float = WAIT_SECONDS) -> bool:
        """True once no deferred work is running or queued; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._in_flight == 0, timeout)


@dataclass(frozen=True)
class Exchange:
    """One request's HTTP answer, and the response_url its later replies go to."""

    answer: Answer
    response_url: str


class PromptServer(uvicorn.Server):
    """uvicorn as `rapport serve` runs it, but one that stops at once when asked.

    uvicorn looks whether it should stop every 100 ms and then sleeps another 100 ms for its
    connections to close: some 0.15 s of idle time per stop, and a loopback server is started
    and stopped for every scenario test, thousands of times a run. This one is woken when asked
    to stop and waits for its connections and tasks only as long as they take (10 s at most).
    """

    STOP_WAIT_SECONDS = 10.0

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            # One wait stands for ten of uvicorn's ticks, so its Date header stays current.
            counter = (counter + 10) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    def stop(self) -> None:
        """Ask the server to stop, from any thread."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(wake.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        give_up = time.monotonic() + self.STOP_WAIT_SECONDS
        while self.server_state.connections or self.server_state.tasks:
            if time.monotonic() > give_up:
                for task in self.server_state.tasks:
                    task.cancel()
                break
            await asyncio.sleep(0.002)
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()


class LoopbackRapport:
    """Rapport answering on 127.0.0.1:PORT, with methods that act as Slack would."""

    def __init__(
        self,
        db: Database,
        clock: ManualClock,
        slack: SlackStandIn,
        *,
        signing_secret: str,
        answer_seconds: float = ANSWER_SECONDS,
        wall_clock: Callable[[], float] = time.time,
        protocol: type[asyncio.Protocol] | None = None,
        admission: Admission | None = None,
        refusals: RefusalLog | None = None,
    ) -> None:
        """`answer_seconds`, `wall_clock`, `protocol`, `admission` and `refusals` tune the front
        door (`bot.web`, `bot.http.limits`, `bot.http.admission`, `bot.http.refusal_log`) for
        tests of its bounds; by default it is as `rapport serve` has it."""
        self.db, self.clock, self.slack = db, clock, slack
        self.signing_secret = signing_secret
        self.settings = Settings(
            bot_token=slack.bot_token,
            signing_secret=signing_secret,
            app_token=None,
            slack_api_url=slack.base_url,
            database_url=db.url,
            port=0,
        )
        self.deferred = TrackedExecutor()
        self.dispatching = TrackedExecutor(max_workers=32, name="dispatch")
        self.services = Services(db, clock, background=self.deferred)
        self.app: App = create_app(self.settings, self.services)
        web = create_web_app(
            self.app,
            db,
            signing_secret=signing_secret,
            answer_seconds=answer_seconds,
            wall_clock=wall_clock,
            dispatch_pool=self.dispatching,
            reply_pool=self.deferred,
            admission=admission,
            refusals=refusals,
        )
        config = server_config(web, host=LOOPBACK, port=0, log_level="warning")
        if protocol is not None:
            config.http = protocol
        self.server = PromptServer(config)
        self.thread = threading.Thread(target=self.server.run, name="rapport-http", daemon=True)

    def start(self) -> LoopbackRapport:
        self.thread.start()
        wait_for(lambda: self.server.started)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://{LOOPBACK}:{port}"
        self.sender = SignedSender(f"{self.base_url}/slack/events", self.signing_secret)
        return self

    def stop(self) -> None:
        self.server.stop()
        self.thread.join(timeout=10)
        self.services.stop_redraws()
        self.dispatching.shutdown(wait=True)
        self.services.after_hours_pool.shutdown(wait=True)
        self.deferred.shutdown(wait=True)  # replies people are waiting for go out first
        self.app.listener_runner.listener_executor.shutdown(wait=True)

    def wait_until_idle(self, timeout: float = WAIT_SECONDS) -> bool:
        """Wait until the work the app deferred past its acks is done, and any request still
        being served after its answer went out (a passed deadline); False on timeout. Home
        redraws whose coalescing window the clock has moved past are handed over first, as
        the redraw thread would within a second."""
        deadline = time.monotonic() + timeout
        self.dispatching.wait_until_idle(timeout)
        self.services.redraw_due()
        return (
            self.dispatching.wait_until_idle(timeout)
            and self.services.after_hours_pool.wait_until_idle(
                max(0.0, deadline - time.monotonic())
            )
            and self.deferred.wait_until_idle(max(0.0, deadline - time.monotonic()))
        )

    # --- acting as Slack -------------------------------------------------------------------------

    def command(
        self,
        text: str,
        *,
        user: str,
        team: str | None = None,
        channel: str = "C0TEAM",
        command: str = COMMAND,
    ) -> Exchange:
        """`COMMAND TEXT` (`/logcontact` unless told) typed by `user` in `channel`."""
        response_url = self.slack.response_url()
        answer = self.sender.form(
            slash_command(
                team_id=team or self.slack.team_id,
                user_id=user,
                text=text,
                response_url=response_url,
                trigger_id=self.slack.new_trigger_id(),
                channel_id=channel,
                command=command,
            )
        )
        return Exchange(answer, response_url)

    def click(
        self,
        action_id: str,
        value: str | None = None,
        *,
        user: str,
        team: str | None = None,
        response_url: str | None = None,
        block_id: str = "actions",
        channel: str = "C0TEAM",
        message_ts: str | None = None,
        is_ephemeral: bool = True,
        selected_option: dict[str, Any] | None = None,
        selected_date: str | None = None,
        message: dict[str, Any] | None = None,
        user_team: str | None = None,
        menu_type: str = "static_select",
    ) -> Exchange:
        """A press by `user` on a message in `channel`: a button, or a menu's option
        (`selected_option`, chosen in a `menu_type` element) or a date picker's day
        (`selected_date`). `user_team` is the presser's own team when it is not the
        workspace's (a Slack Connect user)."""
        url = response_url or self.slack.response_url()
        answer = self.sender.interaction(
            block_actions(
                team_id=team or self.slack.team_id,
                user_id=user,
                action_id=action_id,
                value=value,
                response_url=url,
                trigger_id=self.slack.new_trigger_id(),
                block_id=block_id,
                channel_id=channel,
                message_ts=message_ts,
                is_ephemeral=is_ephemeral,
                selected_option=selected_option,
                selected_date=selected_date,
                message=message,
                user_team_id=user_team,
                menu_type=menu_type,
            )
        )
        return Exchange(answer, url)

    def press_on_view(
        self,
        action_id: str,
        view: dict[str, Any],
        *,
        user: str,
        value: str | None = None,
        block_id: str = "actions",
        selected_option: dict[str, Any] | None = None,
        selected_date: str | None = None,
        menu_type: str = "static_select",
    ) -> Answer:
        """A press by `user` on `view` (their Home tab, as the stand-in holds it): Slack sends
        it without a response_url, so Rapport answers by publishing or opening a view."""
        return self.sender.interaction(
            view_actions(
                team_id=self.slack.team_id,
                user_id=user,
                action_id=action_id,
                trigger_id=self.slack.new_trigger_id(),
                view=view,
                value=value,
                selected_option=selected_option,
                selected_date=selected_date,
                block_id=block_id,
                menu_type=menu_type,
            )
        )

    def submit(
        self,
        view: dict[str, Any],
        values: dict[str, Any],
        *,
        user: str,
        user_team: str | None = None,
    ) -> Answer:
        """`view` (as the app opened it) saved by `user` with `values` as its state."""
        return self.sender.interaction(
            view_submission(
                team_id=self.slack.team_id,
                user_id=user,
                view=view,
                values=values,
                user_team_id=user_team,
                trigger_id=self.slack.new_trigger_id(),
            )
        )

    def shortcut(
        self,
        message: dict[str, Any],
        *,
        user: str,
        channel: str = "C0SHARED",
        user_team: str | None = None,
    ) -> Exchange:
        """The "Log as contact" message shortcut, run by `user` on `message` in `channel`."""
        url = self.slack.response_url()
        answer = self.sender.interaction(
            message_shortcut(
                team_id=self.slack.team_id,
                user_id=user,
                callback_id=SHORTCUT_CALLBACK_ID,
                message=message,
                channel_id=channel,
                response_url=url,
                trigger_id=self.slack.new_trigger_id(),
                user_team_id=user_team,
            )
        )
        return Exchange(answer, url)

    def suggest(
        self, action_id: str, typed: str, *, user: str, user_team: str | None = None
    ) -> Answer:
        """What an external select offers while `user` types `typed` into it."""
        return self.sender.interaction(
            block_suggestion(
                team_id=self.slack.team_id,
                user_id=user,
                action_id=action_id,
                value=typed,
                user_team_id=user_team,
            )
        )

    def event(
        self,
        event_id: str,
        event: dict[str, Any],
        *,
        event_time: int | None = None,
        is_ext_shared_channel: bool | None = None,
        **send: Any,
    ) -> Answer:
        """An Events API delivery; `send` goes to the sender (headers, timestamp, signature)."""
        envelope = event_callback(
            team_id=self.slack.team_id,
            event_id=event_id,
            event=event,
            event_time=event_time,
            is_ext_shared_channel=is_ext_shared_channel,
        )
        return self.sender.event(envelope, **send)
