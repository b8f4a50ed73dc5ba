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

# Bot scope each Web API method needs (None: no scope, e.g. views.* act on a trigger); a tuple
# where the method needs one scope per kind of channel (public and private) and Rapport asks
# about both.
METHOD_SCOPES: dict[str, str | tuple[str, ...] | None] = {
    "auth_test": None,
    "users_info": "users:read",
    "users_list": "users:read",
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "views_open": None,
    "views_update": None,
    "views_push": None,
    "views_publish": None,
    "conversations_open": "im:write",
    "conversations_history": "im:history",
    "dnd_teamInfo": "dnd:read",
    "conversations_info": ("channels:read", "groups:read"),
    "conversations_members": ("channels:read", "groups:read"),
}
CHANNEL_READ = ("channels:read", "groups:read")
# Each event a listener takes (`app.event("…")`): the manifest's bot events that deliver it,
# and the bot scopes those need. `message` arrives from public and private channels alike.
EVENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "user_change": (("user_change",), ("users:read",)),
    "app_home_opened": (("app_home_opened",), ()),
    "message": (("message.channels", "message.groups"), ("channels:history", "groups:history")),
    "member_joined_channel": (("member_joined_channel",), CHANNEL_READ),
    "member_left_channel": (("member_left_channel",), CHANNEL_READ),
    "channel_shared": (("channel_shared",), CHANNEL_READ),
    "channel_unshared": (("channel_unshared",), CHANNEL_READ),
}
# What watching shared channels needs (issue 14): granted and subscribed in both manifests.
SHARED_CHANNEL_SCOPES = {"channels:history", "groups:history", "channels:read", "groups:read"}
SHARED_CHANNEL_EVENTS = {
    "message.channels",
    "message.groups",
    "member_joined_channel",
    "member_left_channel",
    "channel_shared",
    "channel_unshared",
}


def needed(scopes: str | tuple[str, ...] | None) -> set[str]:
    if scopes is None:
        return set()
    return {scopes} if isinstance(scopes, str) else set(scopes)


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
        missing = {m: METHOD_SCOPES[m] for m in called if not needed(METHOD_SCOPES[m]) <= scopes}
        assert not missing, f"{name} lacks scopes for {missing}"


def test_every_event_the_code_listens_to_is_subscribed_with_its_scope() -> None:
    events = set(re.findall(r"app\.event\(\"([a-z_]+)\"\)", source()))
    assert events, "found no event listeners: the scan is broken"
    unknown = events - EVENTS.keys()
    assert not unknown, f"add these events, their subscriptions and scopes to EVENTS: {unknown}"
    for name in MANIFESTS:
        manifest = load(name)
        subscribed = set(manifest["settings"]["event_subscriptions"]["bot_events"])
        scopes = set(manifest["oauth_config"]["scopes"]["bot"])
        for event in events:
            deliveries, event_scopes = EVENTS[event]
            assert set(deliveries) <= subscribed, f"{name} does not subscribe to {deliveries}"
            assert set(event_scopes) <= scopes, f"{name} lacks scopes {event_scopes} for {event}"


def test_every_subscribed_event_has_its_scopes() -> None:
    """Slack refuses to save a manifest whose events lack their scopes; this says which."""
    delivered_by = {d: scopes for deliveries, scopes in EVENTS.values() for d in deliveries}
    for name in MANIFESTS:
        manifest = load(name)
        subscribed = manifest["settings"]["event_subscriptions"]["bot_events"]
        scopes = set(manifest["oauth_config"]["scopes"]["bot"])
        unknown = set(subscribed) - delivered_by.keys()
        assert not unknown, f"{name}: add {unknown} to EVENTS with the scopes they need"
        for event in subscribed:
            assert set(delivered_by[event]) <= scopes, f"{name}: {event} lacks its scopes"


@pytest.mark.parametrize("name", MANIFESTS)
def test_both_manifests_watch_shared_channels(name: str) -> None:
    manifest = load(name)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= SHARED_CHANNEL_SCOPES
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) >= SHARED_CHANNEL_EVENTS


def test_the_missing_scope_advice_names_the_scopes_the_manifests_grant() -> None:
    from bot.slack.conversations import SCOPES_NEEDED

    for method, scopes in SCOPES_NEEDED.items():
        named = {scope.strip() for scope in scopes.split(",")}
        assert named == needed(METHOD_SCOPES[method.replace(".", "_")]), method
        for name in MANIFESTS:
            assert named <= set(load(name)["oauth_config"]["scopes"]["bot"])


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
