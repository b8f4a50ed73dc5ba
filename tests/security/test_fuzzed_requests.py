"""Malformed requests, signed and unsigned, sent over real HTTP to the running app.

Headers and bodies Slack would never send: timestamps that are no number, not ASCII or far off,
signatures of any shape, any content type, random bytes, truncated JSON, form bodies whose
`payload` is junk, and signed JSON of Slack's kinds with fields of any type. The answer is
401 for what is not signed, 400 for a signed body Slack would never send, 413 for one too big,
200 or 404 for a signed body in a shape Slack uses; never a 5xx. None of them leaves an ERROR
line or a traceback in the log: a refusal is one warning, and a signed body in Slack's shape
with odd values (retouched corpus bodies) is answered by the listeners as any other.

Each test runs a bounded number of examples against one app per backend, so the suite stays
fast; Hypothesis keeps any failing example for the next run.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.http.limits import BODY_LIMIT_BYTES
from tests.support.app import SIGNING_SECRET, RunningRapport
from tests.support.corpus import CORPUS
from tests.support.watch import watching_failures

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
UNSIGNED_ANSWERS = {400, 401, 413}
SIGNED_ANSWERS = {200, 400, 404, 413}


def corpus_bodies() -> list[tuple[str, str]]:
    """(content type, encoded body) of a sample of corpus files, a few of each kind."""
    chosen: list[tuple[str, str]] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.json"))[:4]:
            case = json.loads(path.read_text(encoding="utf-8"))
            body = case["body"]
            if case["content_type"] == "json":
                chosen.append(("application/json", json.dumps(body)))
            elif isinstance(body, str):
                chosen.append(("application/x-www-form-urlencoded", body))
            else:
                fields = {
                    k: json.dumps(v) if k == "payload" and not isinstance(v, str) else v
                    for k, v in body.items()
                }
                chosen.append(("application/x-www-form-urlencoded", urlencode(fields)))
    return chosen


SAMPLES = corpus_bodies()
ADDRESSED = [
    json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(CORPUS.glob("*/*.rapport.json"))
    if "ssl-check" not in path.name
]
KINDS = [
    "block_actions",
    "view_submission",
    "view_closed",
    "block_suggestion",
    "message_action",
    "shortcut",
    "event_callback",
    "url_verification",
    "interactive_message",
    "dialog_submission",
    "",
]
FIELDS = [
    "team",
    "user",
    "channel",
    "enterprise",
    "view",
    "actions",
    "event",
    "authorizations",
    "response_url",
    "response_urls",
    "trigger_id",
    "container",
    "state",
    "message",
    "callback_id",
    "action_id",
    "block_id",
    "value",
    "team_id",
    "user_id",
    "event_id",
    "is_ext_shared_channel",
    "is_enterprise_install",
    "function_data",
    "bot_access_token",
    "challenge",
]

# --- strategies -------------------------------------------------------------------------------

# Header values of any printable text, non-ASCII included (sent as UTF-8 bytes).
header_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
id_like = st.sampled_from(["T0ACME", "U0ALICE", "U0KENJI", "C0TEAM", "", "nudge|x|promise|1"])
field_values = (
    json_values
    | id_like
    | st.dictionaries(st.sampled_from(["id", "type", "callback_id", "values", "user"]), json_values)
    | st.lists(st.dictionaries(st.sampled_from(["action_id", "block_id", "value"]), id_like))
)


@st.composite
def slack_shaped(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON object of one of Slack's kinds whose fields have any type."""
    body: dict[str, Any] = {"type": draw(st.sampled_from(KINDS))}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=8, unique=True)):
        body[name] = draw(field_values)
    return body


@st.composite
def truncated_sample(draw: st.DrawFn) -> tuple[str, bytes]:
    content_type, body = draw(st.sampled_from(SAMPLES))
    raw = body.encode()
    return content_type, raw[: draw(st.integers(0, max(len(raw) - 1, 0)))]


@st.composite
def junk_payload_form(draw: st.DrawFn) -> tuple[str, bytes]:
    junk = draw(
        st.text(max_size=60)
        | json_values.map(json.dumps)
        | slack_shaped().map(lambda b: json.dumps(b)[: len(json.dumps(b)) // 2])
    )
    extra = draw(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))
    body = "payload=" + quote(junk) + ("&" + urlencode(extra) if extra else "")
    return "application/x-www-form-urlencoded", body.encode()


@st.composite
def slash_command_form(draw: st.DrawFn) -> tuple[str, bytes]:
    fields = {"command": draw(st.sampled_from(["/logcontact", "/other", ""]))}
    for name in draw(
        st.lists(
            st.sampled_from(["team_id", "user_id", "text", "trigger_id", "response_url"]),
            unique=True,
        )
    ):
        fields[name] = draw(st.text(max_size=30) | id_like)
    return "application/x-www-form-urlencoded", urlencode(fields).encode()


def text_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to the strings inside a JSON value."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in text_leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in text_leaves(v, (*path, i))]
    return [path] if isinstance(value, str) else []


@st.composite
def retouched_case(draw: st.DrawFn) -> tuple[str, bytes]:
    """A corpus body addressed to Rapport with one string in it replaced: Slack's shape, any
    value (a date that is none, an id of another kind, a private_metadata of junk)."""
    case = json.loads(json.dumps(draw(st.sampled_from(ADDRESSED))))
    body = case["body"]
    if case["content_type"] == "form" and isinstance(body.get("payload"), dict):
        target = body["payload"]
    else:
        target = body
    leaves = text_leaves(target)
    if leaves:
        *parents, last = draw(st.sampled_from(leaves))
        node = target
        for step in parents:
            node = node[step]
        node[last] = draw(
            st.text(max_size=40)
            | st.sampled_from(["2026-02-30", "not a date", "25:61", "{", "nudge|x|y|z", "-1", "0"])
            | id_like
        )
    if case["content_type"] == "json":
        return "application/json", json.dumps(body).encode()
    fields = {k: json.dumps(v) if k == "payload" else v for k, v in body.items()}
    return "application/x-www-form-urlencoded", urlencode(fields).encode()


any_content_type = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data; boundary=x",
        ]
    ),
    header_text,
)
any_body = st.one_of(
    st.tuples(any_content_type, st.binary(max_size=600)),
    truncated_sample(),
    junk_payload_form(),
    st.tuples(any_content_type, json_values.map(lambda v: json.dumps(v).encode())),
    st.tuples(st.just("application/json"), slack_shaped().map(lambda b: json.dumps(b).encode())),
    slack_shaped().map(
        lambda b: (
            "application/x-www-form-urlencoded",
            urlencode({"payload": json.dumps(b)}).encode(),
        )
    ),
    slash_command_form(),
    retouched_case(),
)


@dataclass(frozen=True)
class Signing:
    """How a request is signed: `kind` names the way, `stamp` and `signature` what is sent."""

    kind: str
    stamp: str | None = None
    signature: str | None = None

    def headers(self, body: bytes) -> dict[str, str | None]:
        now = str(int(time.time()))
        if self.kind == "valid":
            return {"x-slack-request-timestamp": now, "x-slack-signature": sign(now, body)}
        if self.kind == "stale":
            stamp = str(int(time.time()) - 6 * 60)
            return {"x-slack-request-timestamp": stamp, "x-slack-signature": sign(stamp, body)}
        if self.kind == "other_secret":
            return {
                "x-slack-request-timestamp": now,
                "x-slack-signature": sign(now, body, secret="not-the-secret"),
            }
        if self.kind == "signed_as_other_stamp":
            # A good signature for a timestamp other than the one sent.
            return {
                "x-slack-request-timestamp": self.stamp if self.stamp is not None else now,
                "x-slack-signature": sign(str(int(now) - 1), body),
            }
        return {"x-slack-request-timestamp": self.stamp, "x-slack-signature": self.signature}


def sign(stamp: str, body: bytes, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + stamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


stamps = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15).map(str),
    st.just(""),
    header_text,
    st.builds(lambda: str(int(time.time()))),
)
signatures = st.one_of(
    st.none(),
    st.just(""),
    st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: "v0=" + h),
    st.text("0123456789abcdef", max_size=70).map(lambda h: "v0=" + h),
    st.text("0123456789ABCDEF", min_size=64, max_size=64).map(lambda h: "v0=" + h),
    header_text,
)
unsigned = st.one_of(
    st.builds(Signing, st.just("raw"), stamps, signatures),
    st.sampled_from([Signing("stale"), Signing("other_secret")]),
    st.builds(Signing, st.just("signed_as_other_stamp"), stamps),
)


# --- sending ----------------------------------------------------------------------------------


def post(
    rapport: RunningRapport,
    body: bytes,
    headers: dict[str, str | None],
    *,
    declared_length: int | None = None,
) -> int:
    """POST /slack/events with exactly these headers (None leaves one out); the status."""
    url = urlsplit(rapport.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Length", str(declared_length or len(body)))
        for name, value in headers.items():
            if value is not None:
                connection.putheader(name, value.encode("utf-8"))
        connection.endheaders(body)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def headers_for(content_type: str | None, signing: Signing, body: bytes) -> dict[str, str | None]:
    return {"content-type": content_type, **signing.headers(body)}


@pytest.fixture
def watch():
    with watching_failures() as watch:
        yield watch


@FUZZ
@given(request=any_body, signing=unsigned)
def test_an_unsigned_or_badly_signed_request_is_refused_quietly(
    rapport: RunningRapport, watch, request: tuple[str | None, bytes], signing: Signing
) -> None:
    content_type, body = request
    status = post(rapport, body, headers_for(content_type, signing, body))

    assert status in UNSIGNED_ANSWERS
    assert watch.taken() == []


@FUZZ
@given(request=any_body)
def test_a_signed_request_of_any_shape_gets_no_server_error(
    rapport: RunningRapport, watch, request: tuple[str | None, bytes]
) -> None:
    content_type, body = request
    status = post(rapport, body, headers_for(content_type, Signing("valid"), body))
    assert rapport.wait_until_idle()

    assert status in SIGNED_ANSWERS
    assert watch.taken() == []


def test_a_body_over_the_limit_is_refused_before_its_signature_is_read(rapport, watch) -> None:
    body = b"payload=%7B%7D"
    headers = headers_for("application/x-www-form-urlencoded", Signing("valid"), body)

    status = post(rapport, body, headers, declared_length=BODY_LIMIT_BYTES + 1)

    assert status == 413
    assert watch.taken() == []
