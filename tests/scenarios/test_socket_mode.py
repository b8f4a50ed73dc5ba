"""Socket Mode: the same app, reached over a WebSocket instead of HTTP.

A loopback WebSocket server plays Slack's side: the stand-in's `apps.connections.open` hands out
its address, it says hello, delivers a slash command envelope, and reads the app's ack.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from websockets.sync.server import ServerConnection, serve

from bot.bootstrap import create_app
from bot.sandbox.signing import slash_command
from bot.settings import Settings
from bot.usecases.services import Services
from storage.queries.members import save_member, workspace_for


class SlackSocket:
    """Slack's end of a Socket Mode connection, delivering one envelope per test."""

    def __init__(self) -> None:
        self.envelopes: queue.Queue[dict] = queue.Queue()
        self.acks: queue.Queue[dict] = queue.Queue()
        self.server = serve(self._session, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _session(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        envelope = self.envelopes.get(timeout=10)
        connection.send(json.dumps(envelope))
        for raw in connection:
            message = json.loads(raw)
            if message.get("envelope_id") == envelope["envelope_id"]:
                self.acks.put(message)
                return

    def __enter__(self) -> SlackSocket:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture
def socket_slack(slack) -> Iterator[SlackSocket]:
    with SlackSocket() as socket:
        slack.socket_mode_url = socket.url
        yield socket


def test_a_slash_command_over_socket_mode_is_answered_in_the_ack(
    db, clock, slack, socket_slack
) -> None:
    settings = Settings(
        bot_token=slack.bot_token,
        signing_secret=None,
        app_token=slack.app_token,
        slack_api_url=slack.base_url,
        database_url=db.url,
        port=0,
    )
    with db.transaction() as session:  # Alice has used Rapport before: her profile is cached
        workspace = workspace_for(session, slack.team_id, clock.now())
        save_member(session, workspace.id, "U0ALICE", clock.now(), tz="Europe/Berlin")
    app = create_app(settings, Services(db, clock))
    handler = SocketModeHandler(app, settings.app_token)
    payload = slash_command(
        team_id=slack.team_id,
        user_id="U0ALICE",
        text="help",
        response_url=slack.response_url(),
        trigger_id=slack.new_trigger_id(),
    )
    socket_slack.envelopes.put(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "payload": payload,
            "accepts_response_payload": True,
        }
    )
    handler.connect()
    try:
        ack = socket_slack.acks.get(timeout=10)
    finally:
        handler.close()

    assert [c.method for c in slack.calls_to("apps.connections.open")] == ["apps.connections.open"]
    assert ack["envelope_id"] == "env-1"
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "Logging contacts with Rapport" in ack["payload"]["text"]
