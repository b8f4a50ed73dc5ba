"""The Slack app manifests: valid for Slack, and granting exactly what the code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "slack" / "slack-manifest.schema.json"
MANIFESTS = ["manifest.yml", "manifest.socket.yml"]
CODE = [p for d in ("bot", "handlers", "scheduler", "storage") for p in (ROOT / d).rglob("*.py")]
# The stand-in imitates Slack; it calls nothing.
CODE = [p for p in CODE if p.name != "standin.py"]

# Bot scope each Web API method needs (None: no scope, e.g. views.* act on a trigger).
METHOD_SCOPES: dict[str, str | None] = {
    "auth_test": None,
    "users_info": "users:read",
    "users_list": "users:read",
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "views_open": None,
    "views_update": None,
    "views_push": None,
    "conversations_open": "im:write",
    "conversations_history": "im:history",
    "dnd_teamInfo": "dnd:read",
}
# Scope each subscribed event needs.
EVENT_SCOPES = {"user_change": "users:read", "app_home_opened": None, "message": "channels:history"}


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text())


def source() -> str:
    return "\n".join(p.read_text() for p in CODE)


@pytest.mark.parametrize("name", MANIFESTS)
def test_manifest_is_valid_for_slack(name: str) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(load(name), schema)


def test_both_manifests_describe_the_same_app() -> None:
    http, socket = load("manifest.yml"), load("manifest.socket.yml")
    assert http["oauth_config"] == socket["oauth_config"]
    assert (
        http["settings"]["event_subscriptions"]["bot_events"]
        == (socket["settings"]["event_subscriptions"]["bot_events"])
    )
    strip = lambda commands: [{k: v for k, v in c.items() if k != "url"} for c in commands]  # noqa: E731
    assert strip(http["features"]["slash_commands"]) == socket["features"]["slash_commands"]
    assert http["features"]["shortcuts"] == socket["features"]["shortcuts"]
    assert socket["settings"]["socket_mode_enabled"] is True
    assert http["settings"]["socket_mode_enabled"] is False


def test_http_manifest_sends_everything_to_slack_events() -> None:
    http = load("manifest.yml")
    urls = [c["url"] for c in http["features"]["slash_commands"]]
    urls += [http["settings"]["event_subscriptions"]["request_url"]]
    urls += [http["settings"]["interactivity"]["request_url"]]
    urls += [http["settings"]["interactivity"]["message_menu_options_url"]]
    assert {url.rsplit("/", 2)[-2:] == ["slack", "events"] for url in urls} == {True}


def test_every_web_api_method_the_code_calls_has_its_scope() -> None:
    called = set(re.findall(r"client\.([a-z]+_[A-Za-z]+)\(", source()))
    assert called, "found no Web API calls: the scan is broken"
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add these methods and their scopes to METHOD_SCOPES: {unknown}"
    for name in MANIFESTS:
        scopes = set(load(name)["oauth_config"]["scopes"]["bot"])
        missing = {m: METHOD_SCOPES[m] for m in called if METHOD_SCOPES[m] not in (None, *scopes)}
        assert not missing, f"{name} lacks scopes for {missing}"


def test_every_event_the_code_listens_to_is_subscribed_with_its_scope() -> None:
    events = set(re.findall(r"app\.event\(\"([a-z_]+)\"\)", source()))
    assert events, "found no event listeners: the scan is broken"
    for name in MANIFESTS:
        manifest = load(name)
        subscribed = set(manifest["settings"]["event_subscriptions"]["bot_events"])
        assert events <= subscribed, f"{name} misses events {events - subscribed}"
        scopes = set(manifest["oauth_config"]["scopes"]["bot"])
        assert {EVENT_SCOPES[e] for e in events} - {None} <= scopes


def test_the_command_and_the_shortcut_match_the_listeners() -> None:
    from bot.blocks.contact_form import CALLBACK_ID as MODAL_CALLBACK  # noqa: F401 - the modal is not in manifests
    from handlers.commands import COMMAND
    from handlers.rapport_command import COMMAND as RAPPORT
    from handlers.shortcuts import CALLBACK_ID

    for name in MANIFESTS:
        manifest = load(name)
        commands = manifest["features"]["slash_commands"]
        assert [c["command"] for c in commands] == [COMMAND, RAPPORT]
        assert {c["should_escape"] for c in commands} == {True}
        rapport = commands[1]
        assert (
            rapport["usage_hint"]
            == "help | partners | partner NAME | promises | settings | forget NAME"
        )
        assert rapport["description"]
        assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == [CALLBACK_ID]


def test_both_manifests_ask_for_partners_email_addresses() -> None:
    """Slack shares a Slack Connect partner's e-mail address only with `users:read.email`
    (without it `users.info` leaves `profile.email` out), and `/rapport partners search` looks
    in e-mail addresses."""
    for name in MANIFESTS:
        assert "users:read.email" in load(name)["oauth_config"]["scopes"]["bot"]
