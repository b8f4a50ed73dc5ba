"""The Slack stand-in answers a real slack_sdk client the way Slack does, errors included.

Scenario tests trust the stand-in to reject what Slack rejects; these tests pin that down with the
same clients the app uses (WebClient with base_url, WebhookClient for response URLs).
"""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.rules.clock import ManualClock
from bot.sandbox.standin import ApiCall, SlackStandIn

BOT_TOKEN = "xoxb-standin"
APP_TOKEN = "xapp-standin"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        running.add_user("U0ALICE", name="alice", real_name="Alice Meyer", email="alice@acme.test")
        running.add_user("U0BOB", name="bob", real_name="Bob Berg", locale="de-DE")
        running.add_user(
            "U0KENJI",
            team_id="T0PARTNER",
            name="kenji",
            real_name="Kenji Sato",
            tz="Asia/Tokyo",
            locale="ja-JP",
        )
        running.add_user("U0NOTZ", team_id="T0PARTNER", name="notz", tz=None)
        running.add_channel("C0TEAM", name="partners-team", members=["U0ALICE", "U0BOB"])
        running.add_channel("C0OTHER", name="elsewhere", members=["U0ALICE"], bot_is_member=False)
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=standin.base_url)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))


@pytest.fixture
def timed(clock: ManualClock) -> Iterator[SlackStandIn]:
    """A stand-in whose rate-limit windows run on a manual clock, so no test sleeps them out."""
    with SlackStandIn(message_clock=clock.now) as running:
        running.add_user("U0ALICE", name="alice")
        running.add_user("U0BOB", name="bob")
        running.add_channel("C0TEAM", name="partners-team", members=["U0ALICE", "U0BOB"])
        yield running


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Log a contact", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "log_contact",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [section("Who did you talk to?")],
        **extra,
    }


# ------------------------------------------------------------------ set-up and auth


def test_refuses_any_host_but_loopback() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        SlackStandIn(host="0.0.0.0")


def test_base_url_ends_with_slash(standin: SlackStandIn) -> None:
    assert standin.base_url == f"http://127.0.0.1:{standin.port}/api/"


def test_auth_test_names_the_bot(client: WebClient) -> None:
    response = client.auth_test()
    assert response["team_id"] == "T0ACME"
    assert response["team"] == "Acme"
    assert response["user_id"] == "U0BOT"
    assert response["bot_id"] == "B0BOT"
    assert response["url"].startswith("https://")


def test_missing_token_is_not_authed(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(base_url=standin.base_url).auth_test()
    assert slack_error(excinfo) == "not_authed"


def test_wrong_token_is_invalid_auth(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token="xoxb-wrong", base_url=standin.base_url).users_info(user="U0ALICE")
    assert slack_error(excinfo) == "invalid_auth"
    call = standin.calls[-1]
    assert (call.method, call.ok, call.error) == ("users.info", False, "invalid_auth")
    assert call.args == {"user": "U0ALICE"}


def test_app_token_is_not_a_bot_token(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token=APP_TOKEN, base_url=standin.base_url).chat_postMessage(
            channel="U0ALICE", text="hi"
        )
    assert slack_error(excinfo) == "not_allowed_token_type"


def test_unknown_method(client: WebClient, standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.scheduleMessage", json={"channel": "U0ALICE", "text": "later"})
    assert slack_error(excinfo) == "unknown_method"
    assert excinfo.value.response.status_code == 404
    assert standin.calls_to("chat.scheduleMessage")[0].error == "unknown_method"


def test_apps_connections_open_needs_app_token_and_a_url(standin: SlackStandIn) -> None:
    app_client = WebClient(token=APP_TOKEN, base_url=standin.base_url)
    with pytest.raises(SlackApiError) as excinfo:
        app_client.apps_connections_open(app_token=APP_TOKEN)
    assert slack_error(excinfo) == "internal_error"

    standin.socket_mode_url = "ws://127.0.0.1:9/link"
    assert app_client.apps_connections_open(app_token=APP_TOKEN)["url"] == "ws://127.0.0.1:9/link"

    with pytest.raises(SlackApiError) as excinfo:
        WebClient(token=BOT_TOKEN, base_url=standin.base_url).api_call("apps.connections.open")
    assert slack_error(excinfo) == "not_allowed_token_type"


# ------------------------------------------------------------------ users


def test_users_info_external_user_keeps_team_and_locale_on_request(client: WebClient) -> None:
    user = client.users_info(user="U0KENJI", include_locale=True)["user"]
    assert user["team_id"] == "T0PARTNER"
    assert user["tz"] == "Asia/Tokyo"
    assert user["tz_offset"] == 9 * 3600
    assert user["locale"] == "ja-JP"
    assert user["is_stranger"] is False
    assert user["profile"]["real_name"] == "Kenji Sato"

    assert "locale" not in client.users_info(user="U0KENJI")["user"]


def test_users_info_marks_multi_and_single_channel_guests(
    standin: SlackStandIn, client: WebClient
) -> None:
    standin.add_user("U0GUEST", name="gast", is_restricted=True)
    standin.add_user("U0SINGLE", name="single", is_ultra_restricted=True)

    guest = client.users_info(user="U0GUEST")["user"]
    single = client.users_info(user="U0SINGLE")["user"]
    member = client.users_info(user="U0ALICE")["user"]

    assert (guest["is_restricted"], guest["is_ultra_restricted"]) == (True, False)
    # Slack sets is_restricted for single-channel guests too.
    assert (single["is_restricted"], single["is_ultra_restricted"]) == (True, True)
    assert (member["is_restricted"], member["is_ultra_restricted"]) == (False, False)
    assert guest["team_id"] == single["team_id"] == standin.team_id


def test_users_info_omits_tz_when_profile_has_none(client: WebClient) -> None:
    user = client.users_info(user="U0NOTZ")["user"]
    assert "tz" not in user
    assert "tz_offset" not in user


def test_users_info_own_user(client: WebClient) -> None:
    user = client.users_info(user="U0ALICE")["user"]
    assert user["team_id"] == "T0ACME"
    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)
    assert user["profile"]["email"] == "alice@acme.test"
    assert "is_stranger" not in user


@pytest.mark.parametrize("user", ["U0NOBODY", ""])
def test_users_info_unknown_or_missing_user(client: WebClient, user: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user=user)
    assert slack_error(excinfo) == "user_not_found"


def test_users_list_pages_own_team_only(client: WebClient) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = client.users_list(limit=2, cursor=cursor, include_locale=True)
        pages += 1
        seen += [member["id"] for member in page["members"]]
        assert all("locale" in member for member in page["members"])
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == ["U0BOT", "U0ALICE", "U0BOB"]
    assert pages == 2


def test_users_list_bad_cursor(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.users_list(cursor="not-a-cursor")
    assert slack_error(excinfo) == "invalid_cursor"


# ------------------------------------------------------------------ DMs and messages


def test_dm_id_is_stable(client: WebClient, standin: SlackStandIn) -> None:
    first = client.conversations_open(users="U0ALICE")
    second = client.conversations_open(users=["U0ALICE"])
    assert first["channel"]["id"] == second["channel"]["id"] == "D0ALICE"
    assert second["already_open"] is True

    posted = client.chat_postMessage(channel="U0ALICE", text="hello")
    assert posted["channel"] == "D0ALICE"
    assert standin.dm_channel("U0ALICE") == "D0ALICE"
    assert standin.messages("U0ALICE")[0]["text"] == "hello"


def test_conversations_open_errors(client: WebClient, standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_open(users="U0NOBODY")
    assert slack_error(excinfo) == "user_not_found"

    standin.add_user("U0GONE", name="gone", deleted=True)
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_open(users="U0GONE")
    assert slack_error(excinfo) == "user_disabled"


def test_post_message_to_channel(client: WebClient, standin: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="C0TEAM", text="hi", blocks=[section("*hi*")])
    stored = standin.messages("C0TEAM")
    assert stored == [
        {
            "channel": "C0TEAM",
            "type": "message",
            "user": "U0BOT",
            "bot_id": "B0BOT",
            "app_id": "A0RAPPORT",
            "team": "T0ACME",
            "text": "hi",
            "ts": posted["ts"],
            "blocks": [section("*hi*")],
        }
    ]
    assert posted["message"]["text"] == "hi"


def test_ts_is_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C0TEAM", text=str(i))["ts"] for i in range(5)]
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 5
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)
    assert abs(float(stamps[0]) - time.time()) < 60


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("C0NOWHERE", "channel_not_found"),
        ("U0NOBODY", "channel_not_found"),
        ("D0STRANGERS", "channel_not_found"),
        ("C0OTHER", "not_in_channel"),
    ],
)
def test_post_message_channel_errors(client: WebClient, channel: str, error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=channel, text="hi")
    assert slack_error(excinfo) == error


def test_an_archived_channel_is_read_but_not_posted_to(
    client: WebClient, standin: SlackStandIn
) -> None:
    client.chat_postMessage(channel="C0TEAM", text="before")
    standin.update_channel("C0TEAM", is_archived=True)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0TEAM", text="after")

    assert slack_error(excinfo) == "is_archived"
    assert client.conversations_info(channel="C0TEAM")["channel"]["is_archived"] is True
    history = client.conversations_history(channel="C0TEAM")["messages"]
    assert [m["text"] for m in history] == ["before"]


def test_the_bot_removed_from_a_channel_can_no_longer_post_there(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.update_channel("C0TEAM", bot_is_member=False)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0TEAM", text="hi")

    assert slack_error(excinfo) == "not_in_channel"
    assert client.conversations_info(channel="C0TEAM")["channel"]["is_member"] is False
    standin.update_channel("C0TEAM", bot_is_member=True)
    assert client.chat_postMessage(channel="C0TEAM", text="back")["ok"]


def test_post_message_needs_text_or_blocks(client: WebClient) -> None:
    # slack_sdk warns about the missing text before sending; the stand-in must then refuse.
    with pytest.raises(SlackApiError) as excinfo, pytest.warns(UserWarning, match="text"):
        client.chat_postMessage(channel="C0TEAM", text="")
    assert slack_error(excinfo) == "no_text"


def test_more_than_50_blocks_are_invalid(client: WebClient, standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(
            channel="C0TEAM", text="many", blocks=[section(str(i)) for i in range(51)]
        )
    assert slack_error(excinfo) == "invalid_blocks"
    assert excinfo.value.response["response_metadata"]["messages"]
    assert standin.messages() == []

    client.chat_postMessage(channel="C0TEAM", text="ok", blocks=[section("x")] * 50)


def test_section_text_over_3000_chars_is_invalid(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0TEAM", text="long", blocks=[section("x" * 3001)])
    assert slack_error(excinfo) == "invalid_blocks"
    assert "/blocks/0" in excinfo.value.response["response_metadata"]["messages"][0]

    client.chat_postMessage(channel="C0TEAM", text="long", blocks=[section("x" * 3000)])


def test_unknown_block_type_is_invalid(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0TEAM", text="?", blocks=[{"type": "no_such_block"}])
    assert slack_error(excinfo) == "invalid_blocks"


def test_metadata_comes_back_only_with_include_all_metadata(client: WebClient) -> None:
    metadata = {"event_type": "rapport_nudge", "event_payload": {"bundle": "b-1"}}
    posted = client.chat_postMessage(channel="U0ALICE", text="2 things", metadata=metadata)
    client.chat_postMessage(channel="U0ALICE", text="later, no metadata")

    history = client.conversations_history(channel=posted["channel"], include_all_metadata=True)
    newest, oldest = history["messages"]
    assert newest["text"] == "later, no metadata"
    assert "metadata" not in newest
    assert oldest["metadata"] == metadata
    assert oldest["ts"] == posted["ts"]

    plain = client.conversations_history(channel=posted["channel"])
    assert all("metadata" not in message for message in plain["messages"])


def test_history_by_user_id_is_channel_not_found(client: WebClient) -> None:
    client.chat_postMessage(channel="U0ALICE", text="hi")
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel="U0ALICE")
    assert slack_error(excinfo) == "channel_not_found"


def test_history_limit_and_cursor(client: WebClient) -> None:
    for i in range(5):
        client.chat_postMessage(channel="C0TEAM", text=str(i))
    first = client.conversations_history(channel="C0TEAM", limit=3)
    assert [m["text"] for m in first["messages"]] == ["4", "3", "2"]
    assert first["has_more"] is True
    rest = client.conversations_history(
        channel="C0TEAM", limit=3, cursor=first["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in rest["messages"]] == ["1", "0"]
    assert rest["has_more"] is False


def test_form_encoded_post_with_metadata_string(client: WebClient, standin: SlackStandIn) -> None:
    metadata = {"event_type": "rapport_nudge", "event_payload": {"bundle": "b-2"}}
    client.api_call(
        "chat.postMessage",
        data={
            "channel": "C0TEAM",
            "text": "form",
            "blocks": json.dumps([section("form")]),
            "metadata": json.dumps(metadata),
        },
    )
    [stored] = standin.messages("C0TEAM")
    assert stored["metadata"] == metadata
    assert stored["blocks"] == [section("form")]


def test_form_encoded_view(client: WebClient, standin: SlackStandIn) -> None:
    response = client.api_call(
        "views.open",
        data={"trigger_id": standin.new_trigger_id(), "view": json.dumps(modal())},
    )
    assert response["view"]["callback_id"] == "log_contact"


def test_concurrent_posts_get_unique_ts(standin: SlackStandIn) -> None:
    def post(worker: int) -> list[str]:
        client = WebClient(token=BOT_TOKEN, base_url=standin.base_url)
        return [
            client.chat_postMessage(channel="C0TEAM", text=f"{worker}-{i}")["ts"] for i in range(10)
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        stamps = [ts for batch in pool.map(post, range(8)) for ts in batch]
    assert len(set(stamps)) == 80
    assert len(standin.messages("C0TEAM")) == 80
    assert len(standin.calls_to("chat.postMessage")) == 80


def test_get_with_query_params(client: WebClient) -> None:
    response = client.api_call("users.info", http_verb="GET", params={"user": "U0BOB"})
    assert response["user"]["name"] == "bob"


def test_chat_update(client: WebClient, standin: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="U0ALICE", text="before", blocks=[section("b")])
    updated = client.chat_update(channel=posted["channel"], ts=posted["ts"], text="after")
    assert updated["text"] == "after"
    [stored] = standin.messages(posted["channel"])
    assert stored["text"] == "after"
    assert "blocks" not in stored  # text without blocks replaces the blocks, as on Slack


def test_chat_update_errors(client: WebClient, standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C0TEAM", ts="1795000000.000100", text="x")
    assert slack_error(excinfo) == "message_not_found"

    theirs = standin.add_message("C0TEAM", user="U0ALICE", text="mine")
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C0TEAM", ts=theirs["ts"], text="edited by the bot")
    assert slack_error(excinfo) == "cant_update_message"


def test_post_ephemeral(client: WebClient, standin: SlackStandIn) -> None:
    response = client.chat_postEphemeral(channel="C0TEAM", user="U0ALICE", text="only you")
    assert response["message_ts"]
    assert standin.ephemerals("C0TEAM")[0]["user"] == "U0ALICE"
    assert standin.messages("C0TEAM") == []


@pytest.mark.parametrize(
    ("channel", "user", "error"),
    [
        ("C0TEAM", "U0KENJI", "user_not_in_channel"),
        ("C0OTHER", "U0ALICE", "not_in_channel"),
        ("D0STRANGERS", "U0ALICE", "channel_not_found"),
        ("C0NOWHERE", "U0ALICE", "channel_not_found"),
    ],
)
def test_post_ephemeral_errors(client: WebClient, channel: str, user: str, error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postEphemeral(channel=channel, user=user, text="psst")
    assert slack_error(excinfo) == error


# ------------------------------------------------------------------ views


def test_views_open_update_push(client: WebClient, standin: SlackStandIn) -> None:
    opened = client.views_open(trigger_id=standin.new_trigger_id(), view=modal())["view"]
    assert opened["id"].startswith("V")
    assert opened["hash"]

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Saved"))[
        "view"
    ]
    assert updated["id"] == opened["id"]
    assert updated["title"]["text"] == "Saved"

    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Stale"))
    assert slack_error(excinfo) == "hash_conflict"

    pushed = client.views_push(trigger_id=standin.new_trigger_id(), view=modal("Details"))["view"]
    assert pushed["previous_view_id"] == opened["id"]
    assert pushed["root_view_id"] == opened["id"]

    assert [view["title"]["text"] for view in standin.views()] == [
        "Log a contact",
        "Saved",
        "Details",
    ]


def test_trigger_is_good_once(client: WebClient, standin: SlackStandIn) -> None:
    trigger = standin.new_trigger_id()
    client.views_open(trigger_id=trigger, view=modal())
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=trigger, view=modal())
    assert slack_error(excinfo) == "exchanged_trigger_id"


def test_expired_trigger(client: WebClient, standin: SlackStandIn) -> None:
    standin.trigger_lifetime_s = 0.05
    trigger = standin.new_trigger_id()
    time.sleep(0.1)
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=trigger, view=modal())
    assert slack_error(excinfo) == "expired_trigger_id"


def test_made_up_trigger(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1234.5678.abcdef", view=modal())
    assert slack_error(excinfo) == "invalid_trigger_id"


def test_view_limits_are_enforced(client: WebClient, standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=standin.new_trigger_id(), view=modal("x" * 25))
    assert slack_error(excinfo) == "invalid_arguments"
    messages = excinfo.value.response["response_metadata"]["messages"]
    assert any("/view/title/text" in message for message in messages)

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(
            trigger_id=standin.new_trigger_id(), view=modal(private_metadata="x" * 3001)
        )
    assert slack_error(excinfo) == "invalid_arguments"

    too_many = modal(blocks=[section(str(i)) for i in range(101)])
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=standin.new_trigger_id(), view=too_many)
    assert slack_error(excinfo) == "invalid_arguments"


def test_views_update_unknown_view(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id="V404", view=modal())
    assert slack_error(excinfo) == "not_found"


def home(*texts: str) -> dict[str, Any]:
    return {"type": "home", "blocks": [section(text) for text in texts]}


def test_views_publish_keeps_each_users_home(client: WebClient, standin: SlackStandIn) -> None:
    first = client.views_publish(user_id="U0ALICE", view=home("one"))["view"]
    second = client.views_publish(user_id="U0ALICE", view=home("two"), hash=first["hash"])["view"]
    client.views_publish(user_id="U0BOB", view=home("Bob's"))

    assert second["id"] == first["id"]
    assert second["type"] == "home"
    published = standin.home_views("U0ALICE")
    assert [view["blocks"][0]["text"]["text"] for view in published] == ["one", "two"]
    assert [view["blocks"][0]["text"]["text"] for view in standin.home_views("U0BOB")] == ["Bob's"]
    assert standin.home_views("U0NOTZ") == []
    # Home views are no modals: the modal log is untouched.
    assert standin.views() == []

    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id="U0ALICE", view=home("stale"), hash=first["hash"])
    assert slack_error(excinfo) == "hash_conflict"


def test_views_publish_refuses_what_slack_refuses(client: WebClient) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"user_id": "U0NOBODY", "view": home("x")}, "user_not_found"),
        ({"user_id": "U0ALICE", "view": modal()}, "invalid_arguments"),
        ({"user_id": "U0ALICE", "view": home(*[str(i) for i in range(101)])}, "invalid_arguments"),
        ({"user_id": "U0ALICE", "view": home("x" * 3001)}, "invalid_arguments"),
        ({"user_id": "", "view": home("x")}, "invalid_arguments"),
        # 100 sections of 2,600 characters: valid blocks, but over 250 kB.
        ({"user_id": "U0ALICE", "view": home(*["x" * 2600] * 100)}, "view_too_large"),
    ]
    for args, error in cases:
        with pytest.raises(SlackApiError) as excinfo:
            client.api_call("views.publish", json=args)
        assert slack_error(excinfo) == error, args
    # Exactly the limit is fine.
    client.views_publish(user_id="U0ALICE", view=home(*[str(i) for i in range(100)]))


# ------------------------------------------------------------------ dnd


def test_dnd_team_info(client: WebClient, standin: SlackStandIn) -> None:
    standin.set_dnd("U0ALICE", 1795000000, 1795030000)
    users = client.dnd_teamInfo(users=["U0ALICE", "U0BOB"])["users"]
    assert users["U0ALICE"] == {
        "dnd_enabled": True,
        "next_dnd_start_ts": 1795000000,
        "next_dnd_end_ts": 1795030000,
    }
    assert users["U0BOB"]["dnd_enabled"] is False


# ------------------------------------------------------------------ faults


def test_rate_limit_answers_429_with_retry_after(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0TEAM", text="hi")
    response = excinfo.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response["error"] == "ratelimited"
    assert standin.calls_to("chat.postMessage")[-1].error == "ratelimited"

    client.chat_postMessage(channel="C0TEAM", text="hi")  # the next one goes through


def test_retry_handler_waits_out_the_rate_limit(standin: SlackStandIn) -> None:
    standin.fail_next("users.info", retry_after=0)
    client = WebClient(
        token=BOT_TOKEN,
        base_url=standin.base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert client.users_info(user="U0ALICE")["ok"]
    assert [call.ok for call in standin.calls_to("users.info")] == [False, True]


def test_server_error_injection(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("users.info", error="internal_error", status=500, retry_after=None, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.users_info(user="U0ALICE")
        assert excinfo.value.response.status_code == 500
        assert "Retry-After" not in excinfo.value.response.headers
    assert client.users_info(user="U0ALICE")["ok"]


def test_delay_makes_the_client_time_out(standin: SlackStandIn) -> None:
    standin.set_delay("users.info", 0.5)
    impatient = WebClient(token=BOT_TOKEN, base_url=standin.base_url, timeout=0.1)
    with pytest.raises(Exception) as excinfo:  # urllib reports timeouts as several types
        impatient.users_info(user="U0ALICE")
    assert "timed out" in str(excinfo.value).lower()


def test_on_call_hook_and_reset(client: WebClient, standin: SlackStandIn) -> None:
    seen: list[ApiCall] = []
    standin.on_call = seen.append
    client.chat_postMessage(channel="C0TEAM", text="hi")
    assert [call.method for call in seen] == ["chat.postMessage"]
    assert seen[0].args["channel"] == "C0TEAM"
    assert "token" not in seen[0].args

    standin.reset()
    assert standin.calls == []
    assert standin.messages() == []
    assert client.users_info(user="U0ALICE")["ok"]  # users survive a reset


def test_failure_after_effect_posts_and_answers_500(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="U0ALICE", text="posted anyway")
    response = excinfo.value.response
    assert response.status_code == 500
    assert response["error"] == "internal_error"
    assert "Retry-After" not in response.headers
    assert [m["text"] for m in standin.messages("U0ALICE")] == ["posted anyway"]
    [call] = standin.calls_to("chat.postMessage")
    assert (call.ok, call.error) == (False, "internal_error")

    client.chat_postMessage(channel="U0ALICE", text="next")  # one call only
    assert len(standin.messages("U0ALICE")) == 2


def test_failure_before_effect_stores_nothing(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", error="internal_error", status=500)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="U0ALICE", text="lost")
    assert standin.messages() == []


def test_ratelimited_after_effect_keeps_retry_after(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail_next("chat.postMessage", retry_after=3, after_effect=True, times=2)
    for text in ("one", "two"):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel="C0TEAM", text=text)
        assert excinfo.value.response.status_code == 429
        assert excinfo.value.response.headers["Retry-After"] == "3"
    assert [m["text"] for m in standin.messages("C0TEAM")] == ["one", "two"]


def test_stall_times_the_client_out_after_the_message_is_stored(standin: SlackStandIn) -> None:
    standin.stall_next("chat.postMessage", 2.0)
    impatient = WebClient(
        token=BOT_TOKEN, base_url=standin.base_url, timeout=0.2, retry_handlers=[]
    )
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        impatient.chat_postMessage(channel="U0ALICE", text="slow")
    # The stalled answer holds no lock: the stand-in is inspected and serves the next calls
    # while it still waits.
    started = time.monotonic()
    assert [m["text"] for m in standin.messages("U0ALICE")] == ["slow"]
    [call] = standin.calls_to("chat.postMessage")
    assert (call.ok, call.error) == (True, None)
    client = WebClient(token=BOT_TOKEN, base_url=standin.base_url, timeout=5)
    assert client.users_info(user="U0ALICE")["ok"]
    client.chat_postMessage(channel="U0ALICE", text="quick")  # the stall was for one call
    assert time.monotonic() - started < 1.0


def test_stall_answer_arrives_late_for_a_patient_client(standin: SlackStandIn) -> None:
    standin.stall_next("chat.postMessage", 0.3)
    client = WebClient(token=BOT_TOKEN, base_url=standin.base_url, timeout=5)
    started = time.monotonic()
    posted = client.chat_postMessage(channel="C0TEAM", text="late")
    assert time.monotonic() - started >= 0.3
    assert posted["ts"] == standin.messages("C0TEAM")[0]["ts"]


def test_scripted_faults_are_used_in_order(client: WebClient, standin: SlackStandIn) -> None:
    standin.fail_next("chat.postMessage", error="internal_error", status=500)
    standin.stall_next("chat.postMessage", 0.05)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C0TEAM", text="first")
    client.chat_postMessage(channel="C0TEAM", text="second")
    assert [call.ok for call in standin.calls_to("chat.postMessage")] == [False, True]
    assert [m["text"] for m in standin.messages("C0TEAM")] == ["second"]


def _chaos_run(client: WebClient, count: int) -> list[str]:
    outcomes: list[str] = []
    for i in range(count):
        try:
            client.chat_postMessage(channel="C0TEAM", text=str(i))
        except SlackApiError as exc:
            outcomes.append(f"{exc.response.status_code} {exc.response['error']}")
        else:
            outcomes.append("ok")
    return outcomes


def test_chaos_mixes_every_kind_of_failure_deterministically(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.set_chaos(0.5, seed=7, stall_seconds=0.01)
    started = time.monotonic()
    outcomes = _chaos_run(client, 60)
    elapsed = time.monotonic() - started
    counts = standin.chaos_counts
    assert elapsed >= counts["stall"] * 0.01  # stalls hold their answers back
    assert set(counts) == {"ratelimited", "error", "error_after_effect", "stall"}
    assert all(n > 0 for n in counts.values()), counts
    assert outcomes.count("429 ratelimited") == counts["ratelimited"]
    assert outcomes.count("500 internal_error") == counts["error"] + counts["error_after_effect"]
    assert (
        outcomes.count("ok")
        == 60 - counts["ratelimited"] - counts["error"] - counts["error_after_effect"]
    )
    stored = len(standin.messages("C0TEAM"))
    assert stored == outcomes.count("ok") + counts["error_after_effect"]
    assert client.users_info(user="U0ALICE")["ok"]  # other methods are left alone

    standin.reset()
    assert standin.chaos_counts == dict.fromkeys(counts, 0)
    assert _chaos_run(client, 20) == ["ok"] * 20  # reset turned it off
    standin.set_chaos(0.5, seed=7, stall_seconds=0.01)
    assert _chaos_run(client, 60) == outcomes  # same seed, same failures
    assert standin.chaos_counts == counts


def test_chaos_zero_turns_it_off(client: WebClient, standin: SlackStandIn) -> None:
    standin.set_chaos(1.0, methods=["users.info"], stall_seconds=0.01)
    for _ in range(4):
        with contextlib.suppress(SlackApiError):
            client.users_info(user="U0ALICE")
    assert sum(standin.chaos_counts.values()) == 4  # every call drew a fault
    standin.set_chaos(0)
    assert all(client.users_info(user="U0ALICE")["ok"] for _ in range(10))
    assert sum(standin.chaos_counts.values()) == 4  # turning it off keeps the counts


def test_chaos_rejects_a_fraction_outside_0_to_1(standin: SlackStandIn) -> None:
    with pytest.raises(ValueError, match="fraction"):
        standin.set_chaos(1.5)


# ------------------------------------------------------------------ rate limits


def _post_status(client: WebClient, channel: str) -> tuple[int, str | None]:
    """HTTP status and Retry-After of one chat.postMessage."""
    try:
        response = client.chat_postMessage(channel=channel, text="hi")
    except SlackApiError as exc:
        return exc.response.status_code, exc.response.headers.get("Retry-After")
    return response.status_code, None


def test_rate_limit_per_channel(clock: ManualClock, timed: SlackStandIn) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=timed.base_url)
    timed.limit_rate("chat.postMessage", 1, 1, per_channel=True)
    assert _post_status(client, "C0TEAM") == (200, None)
    assert _post_status(client, "C0TEAM") == (429, "1")
    assert _post_status(client, "#partners-team") == (429, "1")  # the same channel by name
    assert _post_status(client, "U0ALICE") == (200, None)
    assert _post_status(client, "D0ALICE") == (429, "1")  # a user id counts as the DM
    assert len(timed.messages("C0TEAM")) == 1
    assert timed.calls_to("chat.postMessage")[1].error == "ratelimited"

    clock.advance(timedelta(milliseconds=999))
    assert _post_status(client, "C0TEAM") == (429, "1")
    clock.advance(timedelta(milliseconds=1))
    assert _post_status(client, "C0TEAM") == (200, None)
    assert timed.rate_limited_count("chat.postMessage") == 4
    assert timed.rate_limited_count("users.info") == 0


def test_every_limit_applies_and_refused_calls_count_in_none(
    clock: ManualClock, timed: SlackStandIn
) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=timed.base_url)
    timed.limit_rate("chat.postMessage", 1, 1, per_channel=True)
    timed.limit_rate("chat.postMessage", 3, 1)
    assert _post_status(client, "C0TEAM")[0] == 200
    assert _post_status(client, "C0TEAM")[0] == 429  # per channel; not counted workspace-wide
    assert _post_status(client, "U0ALICE")[0] == 200
    assert _post_status(client, "U0BOB")[0] == 200
    timed.add_channel("C0MORE", name="more")
    assert _post_status(client, "C0MORE")[0] == 429  # workspace-wide: three in this second
    assert len(timed.messages()) == 3
    clock.advance(timedelta(seconds=1))
    assert _post_status(client, "C0MORE")[0] == 200


def test_one_call_a_minute_says_how_long_to_wait(clock: ManualClock, timed: SlackStandIn) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=timed.base_url)
    timed.limit_rate("conversations.history", 1, 60)
    dm = client.conversations_open(users="U0ALICE")["channel"]["id"]
    assert client.conversations_history(channel=dm)["ok"]
    clock.advance(timedelta(seconds=10, milliseconds=500))
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel=dm)
    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "50"  # 49.5 s rounds up
    assert excinfo.value.response.data == {"ok": False, "error": "ratelimited"}
    clock.advance(timedelta(seconds=49))
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_history(channel=dm)
    assert excinfo.value.response.headers["Retry-After"] == "1"  # 0.5 s rounds up
    clock.advance(timedelta(milliseconds=500))
    assert client.conversations_history(channel=dm)["ok"]
    assert timed.rate_limited_count("conversations.history") == 2


def test_rate_limited_call_leaves_scripted_faults_queued(timed: SlackStandIn) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=timed.base_url)
    timed.limit_rate("chat.postMessage", 1, 60)
    assert _post_status(client, "C0TEAM")[0] == 200
    timed.fail_next("chat.postMessage", error="internal_error", status=500)
    assert _post_status(client, "C0TEAM") == (429, "60")
    timed.clear_rate_limits()
    assert _post_status(client, "C0TEAM")[0] == 500
    assert _post_status(client, "C0TEAM")[0] == 200
    assert timed.rate_limited_count("chat.postMessage") == 1  # clearing keeps the count


def test_reset_lifts_rate_limits(timed: SlackStandIn) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=timed.base_url)
    timed.limit_rate("chat.postMessage", 1, 60)
    _post_status(client, "C0TEAM")
    assert _post_status(client, "C0TEAM")[0] == 429
    timed.reset()
    assert timed.rate_limited_count("chat.postMessage") == 0
    assert [_post_status(client, "C0TEAM")[0] for _ in range(3)] == [200] * 3


def test_rate_limit_on_real_time(client: WebClient, standin: SlackStandIn) -> None:
    standin.limit_rate("users.info", 2, 0.2)
    assert client.users_info(user="U0ALICE")["ok"]
    assert client.users_info(user="U0ALICE")["ok"]
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U0ALICE")
    assert excinfo.value.response.headers["Retry-After"] == "1"  # never less than a second
    time.sleep(0.2)
    assert client.users_info(user="U0ALICE")["ok"]


@pytest.mark.parametrize(("calls", "per_seconds"), [(0, 1), (1, 0), (1, -1)])
def test_rate_limit_needs_a_positive_limit(
    standin: SlackStandIn, calls: int, per_seconds: float
) -> None:
    with pytest.raises(ValueError):
        standin.limit_rate("chat.postMessage", calls, per_seconds)


# ------------------------------------------------------------------ history limit


def test_history_limit_max_caps_a_page() -> None:
    with SlackStandIn(history_limit_max=15) as strict, SlackStandIn() as lenient:
        for standin in (strict, lenient):
            standin.add_channel("C0TEAM", name="team")
            client = WebClient(token=BOT_TOKEN, base_url=standin.base_url)
            for i in range(20):
                client.chat_postMessage(channel="C0TEAM", text=str(i))
        strict_page = WebClient(token=BOT_TOKEN, base_url=strict.base_url).conversations_history(
            channel="C0TEAM", limit=100
        )
        lenient_page = WebClient(token=BOT_TOKEN, base_url=lenient.base_url).conversations_history(
            channel="C0TEAM", limit=100
        )
    assert len(strict_page["messages"]) == 15
    assert strict_page["has_more"] is True
    assert len(lenient_page["messages"]) == 20
    assert lenient_page["has_more"] is False


# ------------------------------------------------------------------ response_url


def test_response_url_takes_five_posts(standin: SlackStandIn) -> None:
    url = standin.response_url()
    webhook = WebhookClient(url)
    for i in range(5):
        response = webhook.send(text=f"reply {i}", response_type="ephemeral")
        assert response.status_code == 200
    sixth = webhook.send(text="one too many")
    assert sixth.status_code == 404
    assert sixth.body == "used_url"

    bodies = standin.responses(url)
    assert [body["text"] for body in bodies] == [f"reply {i}" for i in range(5)]
    assert bodies[0]["response_type"] == "ephemeral"
    assert standin.rejected_responses(url)[0]["error"] == "used_url"


def test_response_url_records_replace_original(standin: SlackStandIn) -> None:
    url = standin.response_url()
    WebhookClient(url).send(text="done", replace_original=True, blocks=[section("done")])
    [body] = standin.responses(url)
    assert body["replace_original"] is True
    assert body["blocks"] == [section("done")]


def test_unknown_response_url(standin: SlackStandIn) -> None:
    response = WebhookClient(standin.base_url.replace("/api/", "/response/nope")).send(text="x")
    assert response.status_code == 404
    assert response.body == "no_service"


def test_plain_http_get_without_token(standin: SlackStandIn) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{standin.port}/api/auth.test") as answer:
        assert json.load(answer) == {"ok": False, "error": "not_authed"}


def test_message_ts_follow_the_message_clock_and_stay_unique() -> None:
    """The sandbox dates messages by its movable clock; a clock standing still still gives
    every message its own ts."""
    fixed = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    with SlackStandIn(message_clock=lambda: fixed) as standin:
        standin.add_user("U0ALICE", name="alice")
        first = standin.add_message("U0ALICE", user="U0ALICE", text="one")
        second = standin.add_message("U0ALICE", user="U0ALICE", text="two")

    assert first["ts"] == f"{fixed.timestamp():.6f}"
    micros = [int(message["ts"].replace(".", "")) for message in (first, second)]
    assert micros[1] - micros[0] == 1
