"""A local stand-in for the Slack Web API, served on loopback.

The app reaches Slack only through slack_sdk's `WebClient` (and `WebhookClient` for response URLs).
Pointing that client's `base_url` here lets the `rapport shell` sandbox and every scenario test run
the real code paths -- bearer tokens, form and JSON bodies, Slack's error names, Block Kit limits,
rate limiting, trigger expiry -- without a network or a workspace. It answers as Slack does rather
than "ok" to everything, so a call Slack would reject fails here too.

Error names follow Slack's method reference (docs.slack.dev/reference/methods/<method>). Where the
reference is silent the choice is noted beside the code.

Only the standard library is used, so the sandbox needs nothing beyond the app's own dependencies.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import copy
import itertools
import json
import logging
import random
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks.budget import STANDIN_LIMIT, text_chars

__all__ = ["ApiCall", "SlackStandIn"]

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
HOME_VIEW_BYTES_MAX = 250_000  # views.publish: `view_too_large` above, as JSON
VIEW_TEXT_MAX = 24  # title, submit and close of a modal
PRIVATE_METADATA_MAX = 3000
UPDATE_TEXT_MAX = 4000  # chat.update's documented msg_too_long threshold
POST_TEXT_TRUNCATE = 40000  # chat.postMessage truncates rather than failing
TRIGGER_LIFETIME_S = 3.0
VIEW_STACK_MAX = 3  # a root view plus two pushes
RESPONSE_URL_MAX_POSTS = 5
RESPONSE_URL_LIFETIME_S = 30 * 60
HISTORY_LIMIT_MAX = 999  # Slack's documented maximum; non-Marketplace apps get 15
DND_USERS_MAX = 50

_LIMIT_NOT_A_NUMBER = "[ERROR] limit must be a number [json-pointer:/limit]"
_VIEW_TEXTS = ("title", "submit", "close")
_TRIGGER_RE = re.compile(r"^\d+\.\d+\.[0-9a-f]+$")
# Fields Slack accepts as JSON-encoded strings in form bodies.
_JSON_FIELDS = ("blocks", "attachments", "view", "metadata")


@dataclass(frozen=True)
class ApiCall:
    """One Web API call as the stand-in saw it, kept so tests can assert on what the app sent."""

    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    at: float


@dataclass(frozen=True)
class _Fault:
    """What an injected fault does to one call.

    Slack can fail a call before it acts (nothing happened), after it acted (the message is
    posted, yet the answer says it failed) or answer so late that the client has given up. A
    sender that retries must cope with all three without losing or doubling a message, so each
    is expressible here.
    """

    status: int = HTTPStatus.OK
    error: str | None = None  # None: the method's own answer goes out
    retry_after: int | None = None
    after_effect: bool = False  # the method runs first; its answer is then replaced
    stall_s: float = 0.0  # the answer is held back this long after the method ran

    @property
    def takes_effect(self) -> bool:
        return self.error is None or self.after_effect

    def answer(self) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Status, body and headers of the failure this fault answers with."""
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        return self.status, {"ok": False, "error": self.error}, headers


# What chaos picks from, evenly: the keys are those of `SlackStandIn.chaos_counts`.
_CHAOS_KINDS = ("ratelimited", "error", "error_after_effect", "stall")


@dataclass
class _Chaos:
    fraction: float
    methods: frozenset[str]
    rng: random.Random
    stall_s: float

    def roll(self) -> str | None:
        """The kind of fault for the next call, or None for a normal answer."""
        if self.rng.random() >= self.fraction:
            return None
        return self.rng.choice(_CHAOS_KINDS)


@dataclass
class _RateLimit:
    """A sliding window: at most `calls` accepted calls in any `per_us` microseconds.

    Time is kept in integer microseconds so that a manual clock moved by exactly the window
    lets the next call through, with no float rounding in between.
    """

    calls: int
    per_us: int
    per_channel: bool
    windows: dict[str, deque[int]] = field(default_factory=dict)

    def wait_us(self, key: str, now_us: int) -> int:
        """Microseconds until a call under `key` would be accepted; 0 if it is accepted now."""
        window = self.windows.get(key)
        if window is None:
            return 0
        while window and window[0] <= now_us - self.per_us:
            window.popleft()
        if len(window) < self.calls:
            return 0
        return window[0] + self.per_us - now_us

    def admit(self, key: str, now_us: int) -> None:
        self.windows.setdefault(key, deque()).append(now_us)


@dataclass
class _ResponseUrl:
    created: float
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


class _ApiError(Exception):
    """A Slack error answer: `{"ok": false, "error": ...}` plus optional extra fields."""

    def __init__(self, error: str, *, messages: Iterable[str] = ()) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


def _truthy(value: Any) -> bool:
    """Slack reads booleans as "1"/"true" in forms and query strings, as real booleans in JSON."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def _as_str(value: Any) -> str:
    return "" if value is None else str(value)


def _tz_fields(tz: str, tz_offset: int | None) -> dict[str, Any]:
    try:
        now = datetime.now(UTC).astimezone(ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError):
        # A zone this machine does not know is passed on as given, as Slack would.
        return {"tz": tz, "tz_label": tz, "tz_offset": tz_offset or 0}
    offset = now.utcoffset()
    computed = int(offset.total_seconds()) if offset is not None else 0
    return {
        "tz": tz,
        "tz_label": now.tzname() or tz,
        "tz_offset": computed if tz_offset is None else tz_offset,
    }


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _unb64(cursor: str, prefix: str) -> str:
    try:
        decoded = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise _ApiError("invalid_cursor") from exc
    if not decoded.startswith(prefix):
        raise _ApiError("invalid_cursor")
    return decoded[len(prefix) :]


def _block_errors(blocks: Any, *, limit: int, pointer: str) -> list[str]:
    """Slack-style `[ERROR] ... [json-pointer:...]` messages for a blocks array; empty when valid.

    slack_sdk's block models carry Block Kit's limits (section text 3,000, header 150, ...);
    `to_dict()` runs the validators of a block and of everything nested in it.
    """
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{pointer}]"]
    if len(blocks) > limit:
        return [f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]"]
    errors: list[str] = []
    seen_ids: set[str] = set()
    for index, raw in enumerate(blocks):
        where = f"{pointer}/{index}"
        if not isinstance(raw, dict) or "type" not in raw:
            errors.append(f"[ERROR] missing required field: type [json-pointer:{where}]")
            continue
        try:
            block = Block.parse(copy.deepcopy(raw))
            if block is None:
                errors.append(
                    f"[ERROR] unsupported type: {raw['type']} [json-pointer:{where}/type]"
                )
                continue
            block.to_dict()
        except (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError) as exc:
            errors.append(f"[ERROR] {exc} [json-pointer:{where}]")
            continue
        block_id = raw.get("block_id")
        if isinstance(block_id, str):
            if block_id in seen_ids:
                errors.append(f"[ERROR] duplicate block_id [json-pointer:{where}/block_id]")
            seen_ids.add(block_id)
    return errors


def _view_errors(view: Mapping[str, Any]) -> list[str]:
    """Slack-style messages for a view; modal limits are checked by hand for precise pointers,
    then slack_sdk's `View` catches whatever else its validators know about."""
    errors: list[str] = []
    view_type = view.get("type")
    if view_type not in ("modal", "home"):
        return ["[ERROR] must be one of modal, home [json-pointer:/view/type]"]
    if view_type == "modal" and not view.get("title"):
        errors.append("[ERROR] missing required field: title [json-pointer:/view/title]")
    for name in _VIEW_TEXTS:
        part = view.get(name)
        text = part.get("text") if isinstance(part, dict) else part
        if isinstance(text, str) and len(text) > VIEW_TEXT_MAX:
            errors.append(
                f"[ERROR] must be less than {VIEW_TEXT_MAX + 1} characters "
                f"[json-pointer:/view/{name}/text]"
            )
    metadata = view.get("private_metadata")
    if isinstance(metadata, str) and len(metadata) > PRIVATE_METADATA_MAX:
        errors.append(
            f"[ERROR] must be less than {PRIVATE_METADATA_MAX + 1} characters "
            "[json-pointer:/view/private_metadata]"
        )
    errors += _block_errors(view.get("blocks", []), limit=VIEW_BLOCKS_MAX, pointer="/view/blocks")
    if errors:
        return errors
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError, ValueError, AttributeError) as exc:
        errors.append(f"[ERROR] {exc} [json-pointer:/view]")
    return errors


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops bursts of connections, and a dropped SYN costs
    # the client a one-second retransmit: concurrent tests would measure that, not the app.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], standin: SlackStandIn) -> None:
        self.standin = standin
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        # The default writes every request to stderr, which drowns test output.
        log.debug("standin: " + format, *args)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, headers, body = self.server.standin._dispatch(
            self.path, dict(self.headers.items()), raw
        )
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # A client that gave up (a timeout test) is not an error of the stand-in.
            log.debug("standin: client went away before the answer to %s", self.path)


class SlackStandIn:
    """A Slack workspace on 127.0.0.1 that answers Web API calls the way Slack does.

    Use as a context manager or call `start()`/`stop()`. State (users, channels, messages, views)
    lives in memory behind one lock; the HTTP server serves each request on its own thread.
    """

    def __init__(
        self,
        *,
        team_id: str = "T0ACME",
        team_name: str = "Acme",
        bot_token: str = "xoxb-standin",
        app_token: str = "xapp-standin",
        bot_user_id: str = "U0BOT",
        host: str = LOOPBACK,
        port: int = 0,
        app_id: str = "A0RAPPORT",
        message_clock: Callable[[], datetime] | None = None,
        history_limit_max: int = HISTORY_LIMIT_MAX,
    ) -> None:
        """`message_clock` dates new messages (their `ts`); the sandbox passes Rapport's movable
        clock so that a message and the app agree on when it was written. Real time otherwise.
        Rate limits (`limit_rate`) measure their windows by the same clock, so a test that moves
        it can exercise "1 call a minute" without sleeping.

        `history_limit_max` caps the messages one conversations.history call returns. Slack
        documents 999, but apps distributed outside the Marketplace get 15: pass 15 to hold the
        app to that rule.
        """
        if host != LOOPBACK:
            # The stand-in accepts any caller holding its well-known tokens: never expose it.
            raise ValueError(f"SlackStandIn binds to {LOOPBACK} only, not {host!r}")
        if history_limit_max < 1:
            raise ValueError(f"history_limit_max must be at least 1, not {history_limit_max}")
        self.team_id = team_id
        self.team_name = team_name
        self.bot_token = bot_token
        self.app_token = app_token
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.app_id = app_id
        self.host = host
        self.port = port
        self.socket_mode_url: str | None = None
        # Slack's 3 s; a test of the expiry path may shorten it rather than sleep.
        self.trigger_lifetime_s = TRIGGER_LIFETIME_S
        self._message_clock = message_clock
        self._history_limit_max = history_limit_max
        # Runs on the server thread before the answer goes out, so by the time the client has
        # its answer the hook has seen the call.
        self.on_call: Callable[[ApiCall], None] | None = None
        self.calls: list[ApiCall] = []

        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._dm_of_user: dict[str, str] = {}
        self._user_of_dm: dict[str, str] = {}
        self._opened_dms: set[str] = set()
        self._messages: list[dict[str, Any]] = []
        self._ephemerals: list[dict[str, Any]] = []
        self._view_log: list[dict[str, Any]] = []
        self._live_views: dict[str, dict[str, Any]] = {}
        self._view_by_external_id: dict[str, str] = {}
        self._view_stack: list[str] = []
        # Each user's Home tab: every version published, newest last.
        self._home_views: dict[str, list[dict[str, Any]]] = {}
        self._triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._chaos: _Chaos | None = None
        self._chaos_counts: dict[str, int] = dict.fromkeys(_CHAOS_KINDS, 0)
        self._rate_limits: dict[str, list[_RateLimit]] = {}
        self._rate_limited: dict[str, int] = {}
        # Set while stopped: a stalled answer waits on it, so stop() does not leave threads
        # sleeping out their stall.
        self._stopped = threading.Event()
        self._dnd: dict[str, tuple[int, int]] = {}
        self._last_ts_us = 0
        self._ids = itertools.count(1)
        self._handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "dnd.teamInfo": self._dnd_team_info,
            "apps.connections.open": self._apps_connections_open,
        }
        # Slack lists its own bot user among the workspace's members.
        self.add_user(bot_user_id, name="rapport", real_name="Rapport", is_bot=True)

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> SlackStandIn:
        if self._server is not None:
            return self
        self._stopped.clear()
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            # stop() waits up to one poll interval; tests start one stand-in each.
            kwargs={"poll_interval": 0.01},
            name=f"slack-standin-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        self._stopped.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Ends with a slash: slack_sdk appends the method name to it."""
        return f"{self._root_url()}/api/"

    def _root_url(self) -> str:
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://{self.host}:{self.port}"

    # ---------------------------------------------------------------- workspace set-up

    def add_user(
        self,
        user_id: str,
        *,
        team_id: str | None = None,
        name: str,
        real_name: str | None = None,
        tz: str | None = "Europe/Berlin",
        tz_offset: int | None = None,
        locale: str = "en-US",
        deleted: bool = False,
        is_bot: bool = False,
        email: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        display_name: str | None = None,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
    ) -> dict[str, Any]:
        """Add (or replace) a user; `team_id` other than the stand-in's makes a Slack Connect user.

        `tz=None` leaves `tz`, `tz_label` and `tz_offset` out, as Slack does for some external
        profiles, so the app's fallback path gets exercised.

        `is_restricted` makes a multi-channel guest of the workspace, `is_ultra_restricted` a
        single-channel guest; Slack sets `is_restricted` for both kinds, and so does this.
        """
        team = team_id or self.team_id
        profile: dict[str, Any] = {
            "real_name": real_name or name,
            "display_name": display_name if display_name is not None else name,
            "team": team,
        }
        if email is not None:
            profile["email"] = email
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": team,
            "name": name,
            "real_name": real_name or name,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_app_user": False,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": is_restricted or is_ultra_restricted,
            "is_ultra_restricted": is_ultra_restricted,
            "updated": int(time.time()),
            "profile": profile,
            "locale": locale,
        }
        if team != self.team_id:
            user["is_stranger"] = False
        if tz is not None:
            user.update(_tz_fields(tz, tz_offset))
        with self._lock:
            self._users[user_id] = user
            return copy.deepcopy(user)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        members: Iterable[str] = (),
        is_ext_shared: bool = False,
        is_pending_ext_shared: bool = False,
        is_private: bool = False,
        bot_is_member: bool = True,
    ) -> dict[str, Any]:
        """Add (or replace) a channel, public unless `is_private`; `members` are the people in it
        besides the bot."""
        channel = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_private": is_private,
            "is_archived": False,
            "is_ext_shared": is_ext_shared,
            "is_pending_ext_shared": is_pending_ext_shared,
            "is_shared": is_ext_shared,
            "is_member": bot_is_member,
            "members": list(members),
        }
        with self._lock:
            self._channels[channel_id] = channel
            return copy.deepcopy(channel)

    def add_group_dm(self, channel_id: str, *, members: Iterable[str]) -> dict[str, Any]:
        """Add a group DM (an mpim) of `members` and the bot: conversations.info says
        `is_mpim`, as Slack does, and it takes slash commands like a channel."""
        people = list(members)
        self.add_channel(
            channel_id, name="mpdm-" + "--".join(people), members=people, is_private=True
        )
        with self._lock:
            stored = self._channels[channel_id]
            stored.update({"is_mpim": True, "is_group": False, "is_channel": False})
            return copy.deepcopy(stored)

    def update_channel(
        self,
        channel_id: str,
        *,
        join: Iterable[str] = (),
        leave: Iterable[str] = (),
        is_ext_shared: bool | None = None,
        is_pending_ext_shared: bool | None = None,
        is_archived: bool | None = None,
        bot_is_member: bool | None = None,
    ) -> dict[str, Any]:
        """Change a channel added before: people join or leave it, it becomes shared or not, it
        is archived (or restored), the bot is removed from it (or invited back)."""
        with self._lock:
            channel = self._channels[channel_id]
            gone = set(leave)
            members = [m for m in channel["members"] if m not in gone]
            members += [m for m in join if m not in members]
            channel["members"] = members
            if is_ext_shared is not None:
                channel["is_ext_shared"] = channel["is_shared"] = is_ext_shared
            if is_pending_ext_shared is not None:
                channel["is_pending_ext_shared"] = is_pending_ext_shared
            if is_archived is not None:
                channel["is_archived"] = is_archived
            if bot_is_member is not None:
                channel["is_member"] = bot_is_member
            return copy.deepcopy(channel)

    def add_message(
        self,
        channel: str,
        *,
        user: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
        thread_ts: str | None = None,
        subtype: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Put a message written by a person into a conversation (no Web API call is recorded):
        a reply in `thread_ts`'s thread, with `subtype` ("thread_broadcast", "file_share") and
        the `files` shared, as Slack stores them.

        Lets tests build history and check that the app cannot edit other people's messages.
        """
        with self._lock:
            channel_id = self._dm_for(channel) if channel.startswith(("U", "W")) else channel
            message: dict[str, Any] = {
                "type": "message",
                "channel": channel_id,
                "user": user,
                "team": self._users.get(user, {}).get("team_id", self.team_id),
                "text": text,
                "ts": self._next_ts(),
            }
            if blocks:
                message["blocks"] = copy.deepcopy(blocks)
            if metadata:
                message["metadata"] = copy.deepcopy(metadata)
            if thread_ts:
                message["thread_ts"] = thread_ts
            if subtype:
                message["subtype"] = subtype
            if files:
                message["files"] = copy.deepcopy(files)
            self._messages.append(message)
            return copy.deepcopy(message)

    def set_dnd(self, user: str, start_ts: int | None, end_ts: int | None) -> None:
        """Schedule Do Not Disturb for `user` as dnd.teamInfo reports it; None clears it."""
        with self._lock:
            if start_ts is None or end_ts is None:
                self._dnd.pop(user, None)
            else:
                self._dnd[user] = (int(start_ts), int(end_ts))

    def new_trigger_id(self) -> str:
        """A trigger id in Slack's format that views.open/push accept once, for 3 s of real time."""
        with self._lock:
            trigger = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(8)}"
            self._triggers[trigger] = time.monotonic()
            return trigger

    def response_url(self, *, expired: bool = False) -> str:
        """A fresh response URL that records what is posted to it (5 posts within 30 minutes);
        `expired` gives one whose 30 minutes are over, as a button pressed days later has."""
        token = secrets.token_hex(12)
        created = time.monotonic() - (RESPONSE_URL_LIFETIME_S + 1 if expired else 0)
        with self._lock:
            self._response_urls[token] = _ResponseUrl(created=created)
        return f"{self._root_url()}/response/{token}"

    # ---------------------------------------------------------------- fault injection

    @property
    def methods(self) -> tuple[str, ...]:
        """The Web API methods the stand-in answers, sorted: those a fault can be scripted for."""
        return tuple(sorted(self._handlers))

    def fail_next(
        self,
        method: str,
        *,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        after_effect: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with `error` and HTTP `status`.

        A 429 carries `Retry-After` as Slack's does; the call is recorded as failed. With
        `after_effect` the call first takes effect exactly as a success would (chat.postMessage
        stores its message) and only the answer is the failure: Slack does post and then answer
        500 at times, and a sender that simply retries then posts twice.

        Faults scripted here and with `stall_next` form one queue per method, used in the order
        they were scripted; a call refused by `limit_rate` leaves the queue alone.
        """
        fault = _Fault(status, error, retry_after, after_effect=after_effect)
        self._script(method, fault, times)

    def stall_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Let the next `times` calls of `method` take effect at once, then hold each answer back
        for `seconds` of real time.

        A client with a shorter timeout gives up although its message was posted: the case
        where a retry must not post again. The call is recorded (as ok) when it takes effect,
        not when the answer finally goes out, and other calls are served meanwhile.
        """
        if seconds < 0:
            raise ValueError(f"a stall cannot be negative: {seconds}")
        self._script(method, _Fault(stall_s=seconds), times)

    def _script(self, method: str, fault: _Fault, times: int) -> None:
        if times < 1:
            raise ValueError(f"times must be at least 1, not {times}")
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def set_chaos(
        self,
        fraction: float,
        *,
        methods: Iterable[str] = ("chat.postMessage",),
        seed: int = 0,
        stall_seconds: float = 1.0,
    ) -> None:
        """From now on fail each call of `methods` with probability `fraction` (0 turns it off).

        A failing call gets, chosen evenly: a 429 with Retry-After 1 (no effect), a 500
        internal_error before the effect, a 500 internal_error after it, or a stall of
        `stall_seconds` after it -- every way a send can go wrong, mixed, for soak tests of a
        sender. The draws come from `random.Random(seed)`, so the same calls in the same order
        fail the same way on every run. Scripted faults (`fail_next`, `stall_next`) come first
        and rate-limited calls draw nothing. `chaos_counts` says what chaos did.
        """
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must lie between 0 and 1, not {fraction}")
        if stall_seconds < 0:
            raise ValueError(f"a stall cannot be negative: {stall_seconds}")
        chosen = frozenset([methods] if isinstance(methods, str) else methods)
        with self._lock:
            if fraction == 0 or not chosen:
                self._chaos = None
                return
            self._chaos = _Chaos(fraction, chosen, random.Random(seed), stall_seconds)

    @property
    def chaos_counts(self) -> dict[str, int]:
        """How many calls chaos failed, by kind: ratelimited, error, error_after_effect, stall.

        Counts add up across `set_chaos` calls (turning chaos off keeps them readable) until
        `reset()`.
        """
        with self._lock:
            return dict(self._chaos_counts)

    def limit_rate(
        self, method: str, calls: int, per_seconds: float, *, per_channel: bool = False
    ) -> None:
        """Accept at most `calls` calls of `method` in any `per_seconds`, as Slack's limits do.

        A call over the limit is answered 429 `ratelimited` with Retry-After (whole seconds,
        rounded up, at least 1) and has no effect. With `per_channel` the window is kept per
        conversation (a user id counts as the bot's DM with that user), as Slack's 1 message a
        second per channel on chat.postMessage is. Several limits on one method all apply: a
        call must pass every one, and counts in them only when accepted.

        Windows run on `message_clock` when the stand-in has one, on `time.monotonic()`
        otherwise.
        """
        if calls < 1:
            raise ValueError(f"calls must be at least 1, not {calls}")
        per_us = round(per_seconds * 1_000_000)
        if per_us <= 0:
            raise ValueError(f"per_seconds must be positive, not {per_seconds}")
        with self._lock:
            limit = _RateLimit(calls, per_us, per_channel)
            self._rate_limits.setdefault(method, []).append(limit)

    def clear_rate_limits(self) -> None:
        """Lift every rate limit (`rate_limited_count` keeps what they did)."""
        with self._lock:
            self._rate_limits.clear()

    def rate_limited_count(self, method: str) -> int:
        """How many calls of `method` the `limit_rate` limits answered 429."""
        with self._lock:
            return self._rate_limited.get(method, 0)

    def set_delay(self, method: str, seconds: float) -> None:
        """Make `method` answer only after `seconds` (0 removes the delay)."""
        with self._lock:
            if seconds > 0:
                self._delays[method] = seconds
            else:
                self._delays.pop(method, None)

    def reset(self) -> None:
        """Forget calls, messages, views, responses and injected faults; keep users and channels.

        Faults, delays, chaos and rate limits go too (with their counts), so one test's injected
        failure cannot leak into the next.
        """
        with self._lock:
            self.calls.clear()
            self._messages.clear()
            self._ephemerals.clear()
            self._view_log.clear()
            self._live_views.clear()
            self._view_by_external_id.clear()
            self._view_stack.clear()
            self._home_views.clear()
            self._triggers.clear()
            self._used_triggers.clear()
            self._response_urls.clear()
            self._faults.clear()
            self._delays.clear()
            self._chaos = None
            self._chaos_counts = dict.fromkeys(_CHAOS_KINDS, 0)
            self._rate_limits.clear()
            self._rate_limited.clear()
            self._opened_dms.clear()

    # ---------------------------------------------------------------- inspection

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Stored messages (as last updated), oldest first; a user id selects the bot's DM."""
        with self._lock:
            if channel is not None and channel.startswith(("U", "W")):
                channel = self._dm_for(channel)
            return [
                copy.deepcopy(message)
                for message in self._messages
                if channel is None or message["channel"] == channel
            ]

    def ephemerals(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Accepted chat.postEphemeral messages, oldest first."""
        with self._lock:
            return [
                copy.deepcopy(message)
                for message in self._ephemerals
                if channel is None or message["channel"] == channel
            ]

    def views(self) -> list[dict[str, Any]]:
        """Every view opened, pushed or updated, each version separately, newest last."""
        with self._lock:
            return copy.deepcopy(self._view_log)

    def home_views(self, user: str) -> list[dict[str, Any]]:
        """Every Home tab view published for `user` (`views.publish`), newest last."""
        with self._lock:
            return copy.deepcopy(self._home_views.get(user, []))

    def responses(self, url: str) -> list[dict[str, Any]]:
        """JSON bodies a response URL accepted, in order."""
        with self._lock:
            entry = self._response_urls.get(url.rstrip("/").rsplit("/", 1)[-1])
            return copy.deepcopy(entry.accepted) if entry else []

    def rejected_responses(self, url: str) -> list[dict[str, Any]]:
        """Bodies a response URL refused (used up, expired, invalid), in order."""
        with self._lock:
            entry = self._response_urls.get(url.rstrip("/").rsplit("/", 1)[-1])
            return copy.deepcopy(entry.rejected) if entry else []

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM id with `user_id`, the same one conversations.open returns."""
        with self._lock:
            return self._dm_for(user_id)

    # ---------------------------------------------------------------- HTTP plumbing

    def _dispatch(
        self, raw_path: str, headers: Mapping[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        if parts.path.startswith("/api/"):
            return self._api(parts.path[len("/api/") :], parts.query, headers, raw)
        if parts.path.startswith("/response/"):
            return self._post_response(parts.path[len("/response/") :], raw)
        return _json(HTTPStatus.NOT_FOUND, {"ok": False, "error": "not_found"})

    def _api(
        self, method: str, query: str, headers: Mapping[str, str], raw: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        lowered = {name.lower(): value for name, value in headers.items()}
        status: int = HTTPStatus.OK
        extra_headers: dict[str, str] = {}
        stall = 0.0
        try:
            args = self._parse_args(query, lowered.get("content-type", ""), raw)
        except _ApiError as exc:
            args, body = {}, exc.body()
        else:
            token = self._token(lowered.get("authorization", ""), args)
            with self._lock:
                delay = self._delays.get(method, 0.0)
            if delay:
                time.sleep(delay)  # outside the lock: other calls go on meanwhile
            with self._lock:
                status, body, extra_headers, stall = self._answer(method, args, token)
        call = ApiCall(method, args, bool(body["ok"]), body.get("error"), time.time())
        with self._lock:
            self.calls.append(call)
        self._notify(call)
        if stall:
            # Outside the lock, and after recording: the call has taken effect, only its answer
            # is late. stop() cuts the wait short.
            self._stopped.wait(stall)
        return _json(status, body, extra_headers)

    def _answer(
        self, method: str, args: dict[str, Any], token: str
    ) -> tuple[int, dict[str, Any], dict[str, str], float]:
        """Status, body, headers and stall of one call, effects applied; under the lock.

        Rate limits come first, as Slack's sit in front of its methods. Then a scripted fault,
        else a chaos draw; a fault that takes effect lets the method run and replaces or delays
        its answer.
        """
        now_us = self._rate_clock_us()
        wait_us = self._rate_wait_us(method, args, now_us)
        if wait_us:
            self._rate_limited[method] = self._rate_limited.get(method, 0) + 1
            retry_after = max(1, -(-wait_us // 1_000_000))  # whole seconds, rounded up
            return (
                HTTPStatus.TOO_MANY_REQUESTS,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(retry_after)},
                0.0,
            )
        fault = self._take_fault(method) or self._chaos_fault(method)
        if fault is not None and not fault.takes_effect:
            return *fault.answer(), 0.0
        status, body = self._run(method, args, token)
        self._admit(method, args, now_us)
        if fault is None:
            return status, body, {}, 0.0
        if fault.error is not None:
            return *fault.answer(), 0.0
        return status, body, {}, fault.stall_s

    def _run(self, method: str, args: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
        """The method's own answer: what Slack says when nothing goes wrong on its side."""
        if method not in self._handlers:
            return HTTPStatus.NOT_FOUND, {"ok": False, "error": "unknown_method"}
        try:
            self._check_token(method, token)
            return HTTPStatus.OK, {"ok": True, **self._handlers[method](args)}
        except _ApiError as exc:
            return HTTPStatus.OK, exc.body()

    def _notify(self, call: ApiCall) -> None:
        hook = self.on_call
        if hook is None:
            return
        try:
            hook(call)
        except Exception:
            # A broken hook must not turn into a dropped connection that looks like a Slack outage.
            log.exception("SlackStandIn.on_call hook failed for %s", call.method)

    @staticmethod
    def _parse_args(query: str, content_type: str, raw: bytes) -> dict[str, Any]:
        args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        if raw:
            if content_type.split(";")[0].strip().lower() == "application/json":
                try:
                    body = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise _ApiError("invalid_json") from exc
                if not isinstance(body, dict):
                    raise _ApiError("json_not_object")
                args.update(body)
            else:
                args.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        for name in _JSON_FIELDS:
            value = args.get(name)
            if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
                # Invalid JSON stays a string: the method answers with its own format error.
                with contextlib.suppress(json.JSONDecodeError):
                    args[name] = json.loads(value)
        return args

    @staticmethod
    def _token(authorization: str, args: dict[str, Any]) -> str:
        # Slack also accepts the token as an argument; it never belongs in the recorded args.
        from_args = _as_str(args.pop("token", ""))
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return from_args

    def _check_token(self, method: str, token: str) -> None:
        if not token:
            raise _ApiError("not_authed")
        wanted = self.app_token if method == "apps.connections.open" else self.bot_token
        if token == wanted:
            return
        if token in (self.bot_token, self.app_token):
            # A real token of the other kind: Slack names that, rather than calling it invalid.
            raise _ApiError("not_allowed_token_type")
        raise _ApiError("invalid_auth")

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue.popleft()
        if not queue:
            del self._faults[method]
        return fault

    def _chaos_fault(self, method: str) -> _Fault | None:
        chaos = self._chaos
        if chaos is None or method not in chaos.methods:
            return None
        kind = chaos.roll()
        if kind is None:
            return None
        self._chaos_counts[kind] += 1
        if kind == "ratelimited":
            return _Fault(HTTPStatus.TOO_MANY_REQUESTS, "ratelimited", retry_after=1)
        if kind == "stall":
            return _Fault(stall_s=chaos.stall_s)
        return _Fault(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "internal_error",
            after_effect=kind == "error_after_effect",
        )

    def _rate_clock_us(self) -> int:
        """Now in integer microseconds, on the message clock if there is one."""
        if self._message_clock is None:
            return time.monotonic_ns() // 1000
        # Rounding recovers the clock's exact microsecond from the float timestamp.
        return round(self._message_clock().timestamp() * 1_000_000)

    def _rate_keys(self, method: str, args: dict[str, Any]) -> list[tuple[_RateLimit, str]]:
        """Each limit on `method` with the window key this call counts under."""
        limits = self._rate_limits.get(method, [])
        if not limits:
            return []
        channel = self._limit_channel(_as_str(args.get("channel")))
        return [(limit, channel if limit.per_channel else "") for limit in limits]

    def _rate_wait_us(self, method: str, args: dict[str, Any], now_us: int) -> int:
        """Microseconds until every limit on `method` would accept this call; 0 if they do."""
        keyed = self._rate_keys(method, args)
        return max((limit.wait_us(key, now_us) for limit, key in keyed), default=0)

    def _admit(self, method: str, args: dict[str, Any], now_us: int) -> None:
        for limit, key in self._rate_keys(method, args):
            limit.admit(key, now_us)

    def _limit_channel(self, channel: str) -> str:
        """The conversation a per-channel limit counts `channel` under, without Slack's errors:
        a known user id is the bot's DM with them, a name its channel, anything else itself."""
        if channel.startswith(("U", "W")) and channel in self._users:
            return self._dm_for(channel)
        if channel in self._channels:
            return channel
        by_name = channel.removeprefix("#")
        found = next((c for c in self._channels.values() if c["name"] == by_name), None)
        return str(found["id"]) if found is not None else channel

    def _post_response(self, token: str, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        """Slack's response_url: JSON in, at most 5 posts within 30 minutes."""
        body: Any  # whatever JSON was posted; only an object is accepted below
        try:
            body = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        with self._lock:
            entry = self._response_urls.get(token)
            if entry is None:
                return _text(HTTPStatus.NOT_FOUND, "no_service")
            error: str | None = None
            if time.monotonic() - entry.created > RESPONSE_URL_LIFETIME_S:
                status, error = HTTPStatus.NOT_FOUND, "expired_url"
            elif len(entry.accepted) >= RESPONSE_URL_MAX_POSTS:
                status, error = HTTPStatus.NOT_FOUND, "used_url"
            elif not isinstance(body, dict):
                status, error = HTTPStatus.BAD_REQUEST, "invalid_payload"
            elif "blocks" in body and _block_errors(
                body["blocks"], limit=MESSAGE_BLOCKS_MAX, pointer="/blocks"
            ):
                status, error = HTTPStatus.BAD_REQUEST, "invalid_blocks"
            elif (
                not body.get("text") and not body.get("blocks") and not body.get("delete_original")
            ):
                status, error = HTTPStatus.BAD_REQUEST, "no_text"
            if error is not None:
                entry.rejected.append({"error": error, "body": body})
                return _text(status, error)
            entry.accepted.append(body)
        return _json(HTTPStatus.OK, {"ok": True})

    # ---------------------------------------------------------------- helpers on state

    def _next_ts(self) -> str:
        """Slack-style "seconds.micros" from the message clock, strictly increasing so ts stay
        unique (a clock that stands still still gives each message its own ts)."""
        if self._message_clock is None:
            now_us = time.time_ns() // 1000
        else:
            now_us = int(self._message_clock().timestamp() * 1_000_000)
        micros = max(now_us, self._last_ts_us + 1)
        self._last_ts_us = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _dm_for(self, user_id: str) -> str:
        """One stable D-id per user, derived from its id (U0ALICE -> D0ALICE) for readability."""
        existing = self._dm_of_user.get(user_id)
        if existing is not None:
            return existing
        candidate = "D" + user_id[1:]
        while candidate in self._user_of_dm:
            candidate += "X"
        self._dm_of_user[user_id] = candidate
        self._user_of_dm[candidate] = user_id
        return candidate

    def _dm_user(self, channel: str) -> str | None:
        """The user whose DM with the bot `channel` is, if it is one."""
        user = self._user_of_dm.get(channel)
        if user is not None:
            return user
        for user_id in self._users:
            unassigned = "D" + user_id[1:] == channel and user_id not in self._dm_of_user
            if unassigned and self._dm_for(user_id) == channel:
                return user_id
        return None

    def _conversation(self, channel: str, *, allow_user_id: bool) -> str:
        """Resolve `channel` as Slack would for the bot, or raise its error."""
        if not channel:
            raise _ApiError("channel_not_found")
        if channel.startswith(("U", "W")):
            if not allow_user_id or channel not in self._users:
                raise _ApiError("channel_not_found")
            return self._dm_for(channel)
        if channel[:1] == "D":
            if self._dm_user(channel) is None:
                # Unknown, or a DM between two people the bot cannot see into.
                raise _ApiError("channel_not_found")
            return channel
        found = self._channels.get(channel)
        if found is None:
            by_name = channel.removeprefix("#")
            found = next((c for c in self._channels.values() if c["name"] == by_name), None)
        if found is None:
            raise _ApiError("channel_not_found")
        if not found["is_member"]:
            raise _ApiError("not_in_channel")
        return str(found["id"])

    @staticmethod
    def _content(
        args: dict[str, Any], *, required: bool = True, budget: bool = False
    ) -> tuple[str, list[Any] | None]:
        """Text and blocks of a message, with Slack's errors for missing or invalid blocks;
        with `budget`, `msg_blocks_too_long` for blocks holding more text than Slack has been
        seen to take (`bot.blocks.budget.STANDIN_LIMIT`, as `chat.postMessage` and
        `chat.update` refuse)."""
        text = _as_str(args.get("text"))
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            raise _ApiError("invalid_blocks_format")
        if blocks is not None:
            errors = _block_errors(blocks, limit=MESSAGE_BLOCKS_MAX, pointer="/blocks")
            if errors:
                if not isinstance(blocks, list):
                    raise _ApiError("invalid_blocks_format", messages=errors)
                raise _ApiError("invalid_blocks", messages=errors)
            if budget and text_chars(blocks) > STANDIN_LIMIT:
                raise _ApiError("msg_blocks_too_long")
        if required and not text and not blocks and not args.get("attachments"):
            raise _ApiError("no_text")
        return text, blocks

    @staticmethod
    def _metadata(value: Any) -> dict[str, Any] | None:
        """Message metadata as an object; {} means "none" (and clears it on chat.update)."""
        if value is None or value == "" or value == {}:
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise _ApiError("invalid_metadata_format") from exc
        if not isinstance(value, dict):
            raise _ApiError("invalid_metadata_format")
        if not isinstance(value.get("event_type"), str) or not isinstance(
            value.get("event_payload", {}), dict
        ):
            raise _ApiError("invalid_metadata_schema")
        return copy.deepcopy(value)

    def _bot_message(self, text: str) -> dict[str, Any]:
        return {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": text,
        }

    @staticmethod
    def _public(message: dict[str, Any]) -> dict[str, Any]:
        shown = copy.deepcopy(message)
        shown.pop("channel", None)
        return shown

    def _user_object(self, user: dict[str, Any], *, include_locale: bool) -> dict[str, Any]:
        shown = copy.deepcopy(user)
        if not include_locale:
            shown.pop("locale", None)
        return shown

    # ---------------------------------------------------------------- Web API methods

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{self.team_name.lower()}.slack.com/",
            "team": self.team_name,
            "user": self._users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        # A missing `user` is answered user_not_found too: Slack documents no other error for it.
        user = self._users.get(_as_str(args.get("user")))
        if user is None:
            raise _ApiError("user_not_found")
        return {"user": self._user_object(user, include_locale=_truthy(args.get("include_locale")))}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        members = [u for u in self._users.values() if u["team_id"] == self.team_id]
        cursor = _as_str(args.get("cursor"))
        start = 0
        if cursor:
            after = _unb64(cursor, "user:")
            ids = [u["id"] for u in members]
            if after not in ids:
                raise _ApiError("invalid_cursor")
            start = ids.index(after)
        try:
            limit = int(args.get("limit") or 0)
        except (TypeError, ValueError) as exc:
            raise _ApiError("invalid_arguments", messages=[_LIMIT_NOT_A_NUMBER]) from exc
        end = len(members) if limit <= 0 else start + limit
        page = members[start:end]
        next_cursor = _b64("user:" + members[end]["id"]) if end < len(members) else ""
        include_locale = _truthy(args.get("include_locale"))
        return {
            "members": [self._user_object(u, include_locale=include_locale) for u in page],
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = _as_str(args.get("channel"))
        users = args.get("users")
        if isinstance(users, list):
            users = ",".join(users)
        wanted = [u.strip() for u in _as_str(users).split(",") if u.strip()]
        if channel and not wanted:
            if channel[:1] != "D" or self._dm_user(channel) is None:
                raise _ApiError("channel_not_found")
            return {"channel": {"id": channel}}
        if not wanted:
            raise _ApiError("users_list_not_supplied")
        if len(wanted) > 1:
            # Group DMs are outside what the app uses; say so instead of faking one.
            raise _ApiError(
                "invalid_arguments", messages=["[ERROR] this stand-in opens 1:1 DMs only"]
            )
        user = self._users.get(wanted[0])
        if user is None:
            raise _ApiError("user_not_found")
        if user["deleted"]:
            raise _ApiError("user_disabled")
        dm = self._dm_for(user["id"])
        result: dict[str, Any] = {"channel": {"id": dm}}
        if dm in self._opened_dms:
            result.update(no_op=True, already_open=True)
        self._opened_dms.add(dm)
        if _truthy(args.get("return_im")):
            result["channel"].update(is_im=True, user=user["id"], is_open=True)
        return result

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        # A user id is not a conversation here: history needs the D-id (posting by user id works).
        channel = self._conversation(_as_str(args.get("channel")), allow_user_id=False)
        oldest = self._ts_arg(args, "oldest", "invalid_ts_oldest")
        latest = self._ts_arg(args, "latest", "invalid_ts_latest")
        inclusive = _truthy(args.get("inclusive"))
        try:
            limit = min(int(args.get("limit") or 100), self._history_limit_max)
        except (TypeError, ValueError) as exc:
            raise _ApiError("invalid_arguments", messages=[_LIMIT_NOT_A_NUMBER]) from exc
        cursor = _as_str(args.get("cursor"))
        if cursor:
            latest, inclusive = float(_unb64(cursor, "next_ts:")), True

        def in_range(ts: float) -> bool:
            above = ts >= oldest if inclusive else ts > oldest
            below = latest is None or (ts <= latest if inclusive else ts < latest)
            return above and below

        found = [
            m
            for m in self._messages
            if m["channel"] == channel
            # Replies live in conversations.replies, unless also sent to the channel.
            and (m.get("thread_ts", m["ts"]) == m["ts"] or m.get("subtype") == "thread_broadcast")
            and in_range(float(m["ts"]))
        ]
        found.sort(key=lambda m: float(m["ts"]), reverse=True)
        page, rest = found[:limit], found[limit:]
        include_metadata = _truthy(args.get("include_all_metadata"))
        shown = []
        for message in page:
            public = self._public(message)
            if not include_metadata:
                public.pop("metadata", None)
            shown.append(public)
        result: dict[str, Any] = {"messages": shown, "has_more": bool(rest), "pin_count": 0}
        if rest:
            result["response_metadata"] = {"next_cursor": _b64("next_ts:" + rest[0]["ts"])}
        return result

    @staticmethod
    def _ts_arg(args: dict[str, Any], name: str, error: str) -> Any:
        value = args.get(name)
        if value in (None, ""):
            return 0.0 if name == "oldest" else None
        try:
            return float(value)
        except (TypeError, ValueError) as exc:
            raise _ApiError(error) from exc

    def _known_channel(self, args: dict[str, Any]) -> dict[str, Any]:
        """A channel the bot may read about: private ones only when it is a member, as Slack."""
        found = self._channels.get(_as_str(args.get("channel")))
        if found is None or (found["is_private"] and not found["is_member"]):
            raise _ApiError("channel_not_found")
        return found

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        found = self._known_channel(args)
        channel = {key: value for key, value in found.items() if key != "members"}
        if _truthy(args.get("include_num_members")):
            # Slack counts the bot among the members when it is in the channel.
            channel["num_members"] = len(found["members"]) + (1 if found["is_member"] else 0)
        return {"channel": copy.deepcopy(channel)}

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        found = self._known_channel(args)
        members = list(found["members"])
        if found["is_member"]:
            members.append(self.bot_user_id)
        cursor = _as_str(args.get("cursor"))
        start = 0
        if cursor:
            after = _unb64(cursor, "member:")
            if after not in members:
                raise _ApiError("invalid_cursor")
            start = members.index(after)
        try:
            limit = int(args.get("limit") or 100)
        except (TypeError, ValueError) as exc:
            raise _ApiError("invalid_arguments", messages=[_LIMIT_NOT_A_NUMBER]) from exc
        end = start + max(1, min(limit, 1000))
        next_cursor = _b64("member:" + members[end]) if end < len(members) else ""
        return {
            "members": members[start:end],
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        # Posting to a deactivated user's id succeeds on Slack too (python-slack-sdk#1156).
        channel = self._conversation(_as_str(args.get("channel")), allow_user_id=True)
        if self._channels.get(channel, {}).get("is_archived"):
            raise _ApiError("is_archived")  # read, but not written to, as Slack
        text, blocks = self._content(args, budget=True)
        metadata = self._metadata(args.get("metadata"))
        message = self._bot_message(text[:POST_TEXT_TRUNCATE])
        message["ts"] = self._next_ts()
        if blocks:
            message["blocks"] = copy.deepcopy(blocks)
        if metadata is not None:
            message["metadata"] = metadata
        thread_ts = _as_str(args.get("thread_ts"))
        if thread_ts:
            message["thread_ts"] = thread_ts
        self._messages.append({"channel": channel, **message})
        return {"channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        # chat.update wants the D-id; a user id does not name a conversation here.
        channel = self._conversation(_as_str(args.get("channel")), allow_user_id=False)
        ts = _as_str(args.get("ts"))
        message = next(
            (m for m in self._messages if m["channel"] == channel and m["ts"] == ts), None
        )
        if message is None:
            raise _ApiError("message_not_found")
        if message.get("user") != self.bot_user_id:
            raise _ApiError("cant_update_message")
        text, blocks = self._content(args, required=False, budget=True)
        if not text and blocks is None and "attachments" not in args:
            raise _ApiError("no_text")
        if len(text) > UPDATE_TEXT_MAX:
            raise _ApiError("msg_too_long")
        if "text" in args:
            message["text"] = text
        # Slack keeps the old blocks only when neither blocks nor text is given.
        if blocks is not None:
            if blocks:
                message["blocks"] = copy.deepcopy(blocks)
            else:
                message.pop("blocks", None)
        elif "text" in args:
            message.pop("blocks", None)
        if "metadata" in args:
            metadata = self._metadata(args["metadata"])
            if metadata is None:
                message.pop("metadata", None)
            else:
                message["metadata"] = metadata
        return {
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": self._public(message),
        }

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._conversation(_as_str(args.get("channel")), allow_user_id=True)
        user = _as_str(args.get("user"))
        if channel[:1] == "D":
            in_channel = self._dm_user(channel) == user
        else:
            in_channel = user in self._channels[channel]["members"]
        if not in_channel:
            raise _ApiError("user_not_in_channel")
        text, blocks = self._content(args)
        ts = self._next_ts()
        message: dict[str, Any] = {"channel": channel, "user": user, "ts": ts, "text": text}
        if blocks:
            message["blocks"] = copy.deepcopy(blocks)
        self._ephemerals.append(message)
        return {"message_ts": ts}

    def _use_trigger(self, args: dict[str, Any]) -> str:
        """Check a trigger id as Slack does; the caller marks it used once the call succeeds."""
        trigger = _as_str(args.get("trigger_id"))
        if not trigger:
            raise _ApiError(
                "invalid_arguments",
                messages=["[ERROR] missing required field: trigger_id [json-pointer:/trigger_id]"],
            )
        if not _TRIGGER_RE.match(trigger) or trigger not in self._triggers:
            raise _ApiError("invalid_trigger_id")
        if trigger in self._used_triggers:
            raise _ApiError("exchanged_trigger_id")
        if time.monotonic() - self._triggers[trigger] > self.trigger_lifetime_s:
            raise _ApiError("expired_trigger_id")
        return trigger

    @staticmethod
    def _view_arg(args: dict[str, Any], *, types: tuple[str, ...] = ("modal",)) -> dict[str, Any]:
        view = args.get("view")
        if view is None or view == "":
            raise _ApiError(
                "invalid_arguments",
                messages=["[ERROR] missing required field: view [json-pointer:/view]"],
            )
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments", messages=["[ERROR] view must be a JSON object"])
        errors = _view_errors(view)
        if not errors and view.get("type") not in types:
            errors = [f"[ERROR] must be one of {', '.join(types)} [json-pointer:/view/type]"]
        if errors:
            raise _ApiError("invalid_arguments", messages=errors)
        return view

    def _store_view(
        self, view: dict[str, Any], *, view_id: str, root: str, previous: str | None
    ) -> dict[str, Any]:
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root,
            "previous_view_id": previous,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            **{key: copy.deepcopy(view[key]) for key in _VIEW_TEXTS if key in view},
            "blocks": copy.deepcopy(view.get("blocks", [])),
        }
        external_id = stored["external_id"]
        if external_id:
            self._view_by_external_id[external_id] = view_id
        self._live_views[view_id] = stored
        self._view_log.append(copy.deepcopy(stored))
        return copy.deepcopy(stored)

    def _check_external_id(self, view: dict[str, Any], *, own_id: str | None = None) -> None:
        external_id = view.get("external_id")
        if external_id and self._view_by_external_id.get(external_id, own_id) != own_id:
            raise _ApiError("duplicate_external_id")

    def _new_view_id(self) -> str:
        return f"V{next(self._ids):09d}"

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._use_trigger(args)
        view = self._view_arg(args)
        self._check_external_id(view)
        view_id = self._new_view_id()
        self._used_triggers.add(trigger)
        self._view_stack = [view_id]
        return {"view": self._store_view(view, view_id=view_id, root=view_id, previous=None)}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        trigger = self._use_trigger(args)
        view = self._view_arg(args)
        if not self._view_stack:
            raise _ApiError("not_found")  # nothing open to push onto
        if len(self._view_stack) >= VIEW_STACK_MAX:
            raise _ApiError("push_limit_reached")
        self._check_external_id(view)
        view_id = self._new_view_id()
        self._used_triggers.add(trigger)
        previous = self._view_stack[-1]
        self._view_stack.append(view_id)
        stored = self._store_view(
            view, view_id=view_id, root=self._view_stack[0], previous=previous
        )
        return {"view": stored}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = _as_str(args.get("view_id"))
        external_id = _as_str(args.get("external_id"))
        if not view_id and not external_id:
            raise _ApiError(
                "invalid_arguments", messages=["[ERROR] either view_id or external_id is required"]
            )
        if not view_id:
            view_id = self._view_by_external_id.get(external_id, "")
        current = self._live_views.get(view_id)
        if current is None:
            raise _ApiError("not_found")
        view = self._view_arg(args, types=("modal", "home"))
        wanted_hash = _as_str(args.get("hash"))
        if wanted_hash and wanted_hash != current["hash"]:
            raise _ApiError("hash_conflict")
        self._check_external_id(view, own_id=view_id)
        stored = self._store_view(
            view,
            view_id=view_id,
            root=current["root_view_id"],
            previous=current["previous_view_id"],
        )
        return {"view": stored}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        """A user's Home tab: one view per user, its id kept across publishes; a view over
        250 kB of JSON is refused (`view_too_large`), and a `hash` that is not the current
        one's (`hash_conflict`), as Slack does."""
        user_id = _as_str(args.get("user_id"))
        if not user_id:
            raise _ApiError(
                "invalid_arguments",
                messages=["[ERROR] missing required field: user_id [json-pointer:/user_id]"],
            )
        if user_id not in self._users:
            raise _ApiError("user_not_found")
        view = self._view_arg(args, types=("home",))
        if len(json.dumps(view).encode()) > HOME_VIEW_BYTES_MAX:
            raise _ApiError("view_too_large")
        published = self._home_views.setdefault(user_id, [])
        wanted_hash = _as_str(args.get("hash"))
        if wanted_hash and (not published or wanted_hash != published[-1]["hash"]):
            raise _ApiError("hash_conflict")
        view_id = published[-1]["id"] if published else self._new_view_id()
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": "home",
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "blocks": copy.deepcopy(view.get("blocks", [])),
        }
        published.append(stored)
        return {"view": copy.deepcopy(stored)}

    def _dnd_team_info(self, args: dict[str, Any]) -> dict[str, Any]:
        users = args.get("users")
        if isinstance(users, list):
            users = ",".join(users)
        wanted = [u.strip() for u in _as_str(users).split(",") if u.strip()]
        if not wanted:
            wanted = [u for u, user in self._users.items() if user["team_id"] == self.team_id]
        elif len(wanted) > DND_USERS_MAX:
            # Slack takes at most 50 users a call; it documents no error name for more.
            raise _ApiError(
                "invalid_arguments",
                messages=[f"[ERROR] no more than {DND_USERS_MAX} users allowed"],
            )
        statuses: dict[str, dict[str, Any]] = {}
        for user in wanted:
            if user not in self._users:
                continue  # Slack leaves out users it cannot report on
            start, end = self._dnd.get(user, (1, 1))
            statuses[user] = {
                "dnd_enabled": user in self._dnd,
                "next_dnd_start_ts": start,
                "next_dnd_end_ts": end,
            }
        return {"users": statuses}

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not self.socket_mode_url:
            raise _ApiError("internal_error")  # no Socket Mode endpoint to hand out
        return {"url": self.socket_mode_url}


def _json(
    status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    return (
        int(status),
        {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        json.dumps(body).encode("utf-8"),
    )


def _text(status: int, body: str) -> tuple[int, dict[str, str], bytes]:
    # Slack's hooks answer errors in plain text ("used_url", "no_service").
    return int(status), {"Content-Type": "text/plain; charset=utf-8"}, body.encode("utf-8")
