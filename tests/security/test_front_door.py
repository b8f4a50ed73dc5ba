"""Only Slack gets in: the front door over real HTTP, before any listener runs.

Each attack that once got through is replayed here and must get the answer the design gives it:
401 for every verification failure (nothing parsed, no listener, no error handler, no post to a
response_url the body names), 413 for a body over 1 MiB, 431 for a request line and headers over
16 KiB, a closed connection for a client that stalls, 503 beyond the connection cap, and nothing
at all for a replayed signature.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from bot.blocks.replies import ACTION_UNDO
from bot.http.limits import (
    BODY_LIMIT_BYTES,
    HEADER_LIMIT_BYTES,
    PIPELINE_LIMIT,
    guarded_protocol,
)
from bot.http.refusal_log import BURST as REFUSALS_BURST
from bot.http.refusal_log import WINDOW_SECONDS as REFUSALS_WINDOW_SECONDS
from bot.http.refusal_log import RefusalLog
from bot.http.verification import refusal_reason, sign
from bot.rules.clock import ManualClock
from bot.sandbox.signing import block_actions, slash_command
from bot.sandbox.standin import SlackStandIn
from storage.db import Database
from tests.support.app import SIGNING_SECRET, RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.processes import another_process
from tests.support.rows import Interaction, Partner, count
from tests.support.wire import send

NOW = 1_800_000_000.0


def signed_headers(body: bytes, stamp: str | None = None) -> dict[str, str]:
    stamp = stamp or str(int(time.time()))
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + sign(SIGNING_SECRET, stamp, body),
    }


# --- verification, unit --------------------------------------------------------------------------


def test_a_body_signed_with_the_secret_within_five_minutes_passes() -> None:
    body = b"command=%2Flogcontact&text=Acme"
    headers = {k.lower(): v for k, v in signed_headers(body, str(int(NOW))).items()}
    assert refusal_reason(SIGNING_SECRET, headers, body, NOW) is None
    assert refusal_reason(SIGNING_SECRET, headers, body, NOW + 299) is None


@pytest.mark.parametrize(
    ("stamp", "signature", "reason"),
    [
        (None, "v0=" + "0" * 64, "missing_timestamp"),
        ("", "v0=" + "0" * 64, "missing_timestamp"),
        ("abc", "v0=" + "0" * 64, "malformed_timestamp"),
        ("1800000000.5", "v0=" + "0" * 64, "malformed_timestamp"),
        ("-1800000000", "v0=" + "0" * 64, "malformed_timestamp"),
        ("9" * 40, "v0=" + "0" * 64, "malformed_timestamp"),
        ("١٨٠٠٠٠٠٠٠٠", "v0=" + "0" * 64, "malformed_timestamp"),  # Arabic-Indic digits
        (str(int(NOW) - 301), "v0=" + "0" * 64, "stale_timestamp"),
        (str(int(NOW) + 301), "v0=" + "0" * 64, "future_timestamp"),
        (str(int(NOW)), None, "missing_signature"),
        (str(int(NOW)), "v0=é" + "0" * 63, "malformed_signature"),
        (str(int(NOW)), "v1=" + "0" * 64, "malformed_signature"),
        (str(int(NOW)), "v0=" + "0" * 63, "malformed_signature"),
        (str(int(NOW)), "v0=" + "A" * 64, "malformed_signature"),
        (str(int(NOW)), "v0=" + "0" * 64, "wrong_signature"),
    ],
)
def test_every_kind_of_bad_signature_is_refused_with_its_reason_and_never_raises(
    stamp: str | None, signature: str | None, reason: str
) -> None:
    headers = {}
    if stamp is not None:
        headers["x-slack-request-timestamp"] = stamp
    if signature is not None:
        headers["x-slack-signature"] = signature
    assert refusal_reason(SIGNING_SECRET, headers, b"payload=x", NOW) == reason


def test_a_signature_for_other_bytes_or_another_secret_is_wrong() -> None:
    body = b"text=Acme"
    headers = {k.lower(): v for k, v in signed_headers(body, str(int(NOW))).items()}
    assert refusal_reason(SIGNING_SECRET, headers, body + b" ", NOW) == "wrong_signature"
    assert refusal_reason("another-secret", headers, body, NOW) == "wrong_signature"


# --- verification over HTTP ----------------------------------------------------------------------


def forged_press(rapport: RunningRapport, victim_url: str) -> bytes:
    payload = block_actions(
        team_id=rapport.slack.team_id,
        user_id="U0ALICE",
        action_id=ACTION_UNDO,
        value="1",
        response_url=victim_url,
        trigger_id=rapport.slack.new_trigger_id(),
    )
    return urlencode({"payload": json.dumps(payload)}).encode()


BAD_HEADERS = {
    "no headers": {},
    "non-numeric timestamp": {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
    "non-ASCII signature": {"X-Slack-Signature": "v0=é" + "0" * 63},
    "stale": {"X-Slack-Request-Timestamp": str(int(time.time()) - 400)},
    "future": {"X-Slack-Request-Timestamp": str(int(time.time()) + 400)},
    "wrong": {"X-Slack-Signature": "v0=" + "0" * 64},
}


@pytest.mark.parametrize("case", list(BAD_HEADERS))
def test_an_unverified_press_is_refused_before_any_listener_or_error_handler_acts(
    rapport: RunningRapport, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    rapport.slack.reset()
    victim = rapport.slack.response_url()
    body = forged_press(rapport, victim)
    headers = signed_headers(body) | BAD_HEADERS[case] if case != "no headers" else {}

    with caplog.at_level(logging.INFO):
        status, _ = send(rapport, body, headers)

    assert status == 401
    assert rapport.wait_until_idle()
    assert rapport.slack.responses(victim) == []
    assert rapport.slack.rejected_responses(victim) == []
    assert rapport.slack.calls == []
    refusals = [r.getMessage() for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refusals) == 1
    assert f"{len(body)} bytes" in refusals[0]
    assert victim not in caplog.text and "payload" not in caplog.text


def test_an_unsigned_malformed_payload_is_a_401_without_a_traceback(
    rapport: RunningRapport, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        status, _ = send(rapport, b"payload=x", {})
    assert status == 401
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=x", "application/x-www-form-urlencoded"),
        (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        (b"team_id=T0ACME", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"\xff\xfe", "application/x-www-form-urlencoded"),
    ],
)
def test_a_signed_body_slack_would_never_send_is_a_400(
    rapport: RunningRapport, body: bytes, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        status, _ = send(rapport, body, signed_headers(body), content_type)
    assert status == 400
    assert "Traceback" not in caplog.text


def test_a_verified_press_naming_a_foreign_response_url_never_reaches_it(
    rapport: RunningRapport,
) -> None:
    """Even a signed body cannot make Rapport post somewhere other than Slack's hooks host:
    here the URL names the stand-in's host on another port, and the press fails on purpose."""
    rapport.command("help").reply()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    foreign = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    try:
        body = forged_press(rapport, foreign)
        status, _ = send(rapport, body, signed_headers(body))
        assert status == 200
        assert rapport.wait_until_idle()
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


# --- bounded requests -------------------------------------------------------------------------


def raw_connection(rapport: RunningRapport) -> socket.socket:
    host, port = rapport.base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_declared_body_over_the_limit_is_refused_before_it_is_sent(
    rapport: RunningRapport,
) -> None:
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 104857600\r\n\r\n"
    )
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"connection: close" in answer.lower()


def test_a_streamed_body_over_the_limit_is_cut_off_without_being_read_whole(
    rapport: RunningRapport,
) -> None:
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    sent = 0
    with pytest.raises(OSError):  # the server hangs up long before 100 MB
        while sent < 100 * 1024 * 1024:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    sock.close()
    assert sent < 20 * BODY_LIMIT_BYTES


def test_a_body_just_under_the_limit_is_read_and_verified(rapport: RunningRapport) -> None:
    body = b"x" * (BODY_LIMIT_BYTES - 1)
    status, _ = send(rapport, body, {"X-Slack-Signature": "v0=" + "0" * 64})
    assert status == 401  # read whole, then refused for its signature, not its size


def headers_of(size: int, *, lines: int = 1) -> bytes:
    """`lines` header lines of filler, `size // lines` bytes each (`size` in all when `lines`
    divides it); a line must have room for its name, so at least 8 bytes (9 from the tenth)."""
    each = size // lines
    return b"".join(b"X-F%d: %s\r\n" % (i, b"a" * (each - 7 - len(str(i)))) for i in range(lines))


@pytest.mark.parametrize("lines", [1, 400])
def test_headers_over_the_limit_get_a_431_and_the_connection_is_closed(
    rapport: RunningRapport, lines: int
) -> None:
    """One long header or many short ones: httptools' parser keeps them all, unless stopped."""
    sock = raw_connection(rapport)
    sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
    with pytest.raises(OSError):  # the server hangs up long before 10 MB
        for _ in range(10 * 1024 * 1024 // HEADER_LIMIT_BYTES):
            sock.sendall(headers_of(HEADER_LIMIT_BYTES, lines=lines))
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431")


def test_a_request_line_over_the_limit_gets_a_431(rapport: RunningRapport) -> None:
    sock = raw_connection(rapport)
    sock.sendall(b"POST /slack/events?" + b"a" * (2 * HEADER_LIMIT_BYTES))
    assert read_all(sock).startswith(b"HTTP/1.1 431")
    sock.close()


def test_headers_over_the_limit_in_one_packet_get_a_431_before_the_app_reads_them(
    rapport: RunningRapport,
) -> None:
    """A request whose headers all arrive at once (up to the 256 KiB a read returns) is held to
    the limit too, not only one that is still sending them."""
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n"
        + headers_of(3 * HEADER_LIMIT_BYTES, lines=3)
        + b"Connection: close\r\n\r\npayload=x"
    )
    assert read_all(sock).startswith(b"HTTP/1.1 431")
    sock.close()


def test_trailer_fields_after_a_chunked_body_are_bounded_like_headers(
    rapport: RunningRapport,
) -> None:
    """llhttp hands trailer fields to the same callback as headers: uncounted, each short one
    cost the server some 150 bytes of Python objects, and a few seconds of them gigabytes."""
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
    )
    with pytest.raises(OSError):  # the server hangs up long before 10 MB
        for _ in range(10 * 1024 * 1024 // HEADER_LIMIT_BYTES):
            sock.sendall(b"X: a\r\n" * (HEADER_LIMIT_BYTES // 6))
    sock.close()


@pytest.mark.parametrize(
    ("start", "filler"),
    [(b"0", b"0"), (b"1;", b"e"), (b"1\r\nx\r\n0\r\nX: ", b"a")],
    ids=["chunk-size line", "chunk extension", "one trailer field"],
)
def test_a_chunked_body_s_framing_is_bounded_like_headers(
    rapport: RunningRapport, start: bytes, filler: bytes
) -> None:
    """Bytes that are neither headers nor body (a chunk-size line of leading zeros, a chunk
    extension, one long trailer field, which httptools gathers whole) count towards the header
    limit: h11 refused them beyond 16 KiB, llhttp has no limit."""
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + start
    )
    with pytest.raises(OSError):  # the server hangs up long before 10 MB
        for _ in range(10 * 1024 * 1024 // HEADER_LIMIT_BYTES):
            sock.sendall(filler * HEADER_LIMIT_BYTES)
    sock.close()


def test_trailer_fields_never_join_the_request_s_headers(rapport: RunningRapport) -> None:
    """A trailer is no header: a signature sent after the body is not the request's."""
    body = b"payload=x"
    headers = signed_headers(body)
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n%x\r\n%s\r\n0\r\n"
        % (len(body), body)
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode()
        + b"\r\n"
    )
    assert read_all(sock).startswith(b"HTTP/1.1 401")  # unsigned: the trailers are not read
    sock.close()


def test_pipelined_requests_queue_no_deeper_than_the_limit(rapport: RunningRapport) -> None:
    """httptools parses a whole read at once and uvicorn queues every request in it: 256 KiB
    of 18-byte GETs were some 14,000 requests, 5.5 MiB held per connection (h11 parsed one at
    a time). Those queued within the limit are answered, then the connection is closed."""
    sock = raw_connection(rapport)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 1000)
    answers = read_all(sock).count(b"HTTP/1.1 ")
    sock.close()
    assert 1 < answers <= PIPELINE_LIMIT + 1


def test_pipelined_requests_within_the_limit_are_all_answered(rapport: RunningRapport) -> None:
    sock = raw_connection(rapport)
    sock.sendall(
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * PIPELINE_LIMIT
        + b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert read_all(sock).count(b"HTTP/1.1 200") == PIPELINE_LIMIT + 1
    sock.close()


def test_headers_just_under_the_limit_are_read_and_verified(rapport: RunningRapport) -> None:
    sock = raw_connection(rapport)
    sock.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n"
        + headers_of(HEADER_LIMIT_BYTES - 200, lines=3)
        + b"Connection: close\r\n\r\npayload=x"
    )
    assert read_all(sock).startswith(b"HTTP/1.1 401")  # refused for its signature, not its size
    sock.close()


def test_each_request_on_a_kept_alive_connection_has_the_header_limit_to_itself(
    rapport: RunningRapport,
) -> None:
    """Each request's headers arrive in two pieces, so that the server counts the first while
    they are still open: sent whole, a request's headers end in the chunk that brings them and
    are never counted, and the count could go on from the request before unnoticed."""
    sock = raw_connection(rapport)
    filler = b"a" * (HEADER_LIMIT_BYTES // 2)
    for _ in range(4):  # twice the limit over one connection, half of it per request
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + filler)
        time.sleep(0.05)  # a chunk of its own
        sock.sendall(b"\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        response.read()
        assert response.status == 200
    sock.close()


@pytest.mark.parametrize(
    "request_line",
    [b"GET /healthz", b"GET /healthz HTTP/0.9", b"GET /healthz HTTP/2.0"],
    ids=["HTTP/0.9 without a version", "HTTP/0.9", "HTTP/2.0"],
)
def test_a_request_line_without_an_http_1_version_is_a_400_before_the_app_sees_it(
    rapport: RunningRapport, request_line: bytes
) -> None:
    """llhttp parses `GET /` alone as HTTP/0.9 and `HTTP/2.0` as a version of its own, and
    uvicorn served both (the health check answered 200); h11 refused them with a 400."""
    sock = raw_connection(rapport)
    sock.sendall(request_line + b"\r\n\r\n")
    answer = read_all(sock)  # ends when the server closes the connection
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400")
    assert b"connection: close" in answer.lower()
    assert answer.count(b"HTTP/1.1 ") == 1


def test_an_http_1_0_request_is_still_served(rapport: RunningRapport) -> None:
    sock = raw_connection(rapport)
    sock.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
    assert read_all(sock).startswith(b"HTTP/1.1 200")
    sock.close()


@pytest.mark.parametrize(
    "refused",
    [b"GET /healthz\r\n\r\n", b"GET /healthz HTTP/2.0\r\n\r\n"],
    ids=["HTTP/0.9", "HTTP/2.0"],
)
def test_requests_pipelined_before_a_request_line_without_http_1_are_answered_first(
    rapport: RunningRapport, server_log: pytest.LogCaptureFixture, refused: bytes
) -> None:
    """h11 answered the requests before it, then refused the line with a 400. The connection
    was closed before the first of them was answered, no response having begun, and the log
    said one was under way."""
    sock = raw_connection(rapport)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 2 + refused)
    answer = read_all(sock)
    sock.close()
    assert answer.count(b"HTTP/1.1 200") == 2
    assert answer.count(b"HTTP/1.1 400") == 1 and answer.endswith(b"HTTP/1.x only\n")
    [line] = refusals_logged(server_log)
    assert "answered 400" in line and "under way" not in line


def signed_request(body: bytes) -> bytes:
    """A signed slash command's whole request as it goes over the wire, for tests that send
    more behind it on the same connection."""
    headers = {
        "Host": "x",
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
        **signed_headers(body),
    }
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return b"POST /slack/events HTTP/1.1\r\n" + head.encode() + b"\r\n" + body


def test_a_command_pipelined_before_a_request_line_without_http_1_is_answered(
    rapport: RunningRapport,
) -> None:
    """Its work was done (the contact logged) while its answer was dropped with the
    connection: the person would never have heard of it."""
    rapport.command("help").reply()
    body = command_body(rapport, "Acme call sent ahead of an HTTP/2.0 line")
    sock = raw_connection(rapport)
    sock.sendall(signed_request(body) + b"GET /healthz HTTP/2.0\r\n\r\n")
    answer = read_all(sock)
    sock.close()
    assert rapport.wait_until_idle()
    assert count(rapport.db, Interaction) == 1
    assert answer.startswith(b"HTTP/1.1 200") and b"Acme" in answer
    assert answer.endswith(b"HTTP/1.x only\n")


def test_headers_over_the_limit_trickling_behind_a_command_are_refused_after_its_answer(
    sqlite_db: Database, clock: ManualClock, slack: SlackStandIn
) -> None:
    """A request pipelined behind a command still being served, its headers arriving past the
    limit: the command's answer (here the web layer's own, the database held by another
    process past its deadline) goes out, then the 431; the connection was closed at once,
    the command's answer lost."""
    running = RunningRapport(sqlite_db, clock, slack, answer_seconds=1.0).start()
    other_process = another_process(sqlite_db)
    try:
        running.command("help").reply()
        assert running.wait_until_idle()
        body = command_body(running, "Acme call answered before the refusal")
        sock = raw_connection(running)
        assert other_process.acquire(5)
        sock.sendall(signed_request(body))
        time.sleep(0.1)  # being served
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ")
        for _ in range(2 * HEADER_LIMIT_BYTES // 1024):
            time.sleep(0.005)  # reads of their own
            sock.sendall(b"a" * 1024)
        answer = read_all(sock)
        sock.close()
        other_process.release()
        assert answer.startswith(b"HTTP/1.1 200") and b"Nothing was saved" in answer
        assert answer.count(b"HTTP/1.1 431") == 1 and answer.endswith(b"headers too large\n")
    finally:
        other_process.release()
        running.stop()


@pytest.fixture
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """What the server logs, uvicorn's lines too (its logger does not pass them to the root)."""
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO):
            yield caplog
    finally:
        uvicorn_log.removeHandler(caplog.handler)


def refusals_logged(log: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in log.records if r.name == "bot.http.limits"]


@pytest.mark.parametrize("arrival", ["in one read", "trickling"])
def test_headers_over_the_limit_are_logged_as_such_without_their_values(
    rapport: RunningRapport, server_log: pytest.LogCaptureFixture, arrival: str
) -> None:
    """Not as uvicorn's "Invalid HTTP request received.", which sent operators looking for a
    broken client instead of an oversized request."""
    sock = raw_connection(rapport)
    head = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Secret: hunter2\r\n"
    filler = headers_of(3 * HEADER_LIMIT_BYTES, lines=3)
    if arrival == "in one read":
        sock.sendall(head + filler + b"Content-Length: 9\r\n\r\npayload=x")
    else:
        sock.sendall(head)
        with pytest.raises(OSError):  # the server hangs up long before 10 MB
            for _ in range(10 * 1024 * 1024 // HEADER_LIMIT_BYTES):
                sock.sendall(headers_of(HEADER_LIMIT_BYTES, lines=4))
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431")
    assert "Invalid HTTP request received." not in server_log.text
    [line] = refusals_logged(server_log)
    assert "431" in line and f"{HEADER_LIMIT_BYTES} bytes" in line
    assert "hunter2" not in server_log.text and "aaaa" not in server_log.text


def test_a_full_pipeline_is_logged_once_as_such(
    rapport: RunningRapport, server_log: pytest.LogCaptureFixture
) -> None:
    sock = raw_connection(rapport)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 1000)
    assert read_all(sock).count(b"HTTP/1.1 200") > 1
    sock.close()
    assert "Invalid HTTP request received." not in server_log.text
    [line] = refusals_logged(server_log)
    assert f"{PIPELINE_LIMIT} " in line and "pipelined" in line


def test_a_request_line_without_an_http_1_version_is_logged_as_such(
    rapport: RunningRapport, server_log: pytest.LogCaptureFixture
) -> None:
    sock = raw_connection(rapport)
    sock.sendall(b"GET /healthz?token=hunter2\r\n\r\n")
    assert read_all(sock).startswith(b"HTTP/1.1 400")
    sock.close()
    assert "Invalid HTTP request received." not in server_log.text
    [line] = refusals_logged(server_log)
    assert "HTTP/1" in line and "0.9" in line
    assert "hunter2" not in server_log.text


@pytest.mark.parametrize(
    "request_line",
    [b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"GET /healthz HTTP/3.0\r\nHost: x\r\n\r\n"],
    ids=["HTTP/2 prior knowledge", "HTTP/3.0"],
)
def test_a_request_line_llhttp_stops_at_for_its_version_is_refused_and_logged_as_such(
    rapport: RunningRapport, server_log: pytest.LogCaptureFixture, request_line: bytes
) -> None:
    """HTTP/2's connection preface (`PRI * HTTP/2.0`, what a client speaking HTTP/2 without
    TLS sends first) and a version llhttp refuses stop the parser before any callback can
    refuse them; they are no less request lines without an HTTP/1.x version, which uvicorn
    logged as an invalid request."""
    sock = raw_connection(rapport)
    sock.sendall(request_line)
    answer = read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400") and answer.endswith(b"HTTP/1.x only\n")
    assert "Invalid HTTP request received." not in server_log.text
    [line] = refusals_logged(server_log)
    assert "no HTTP/1.x version" in line


def test_a_request_llhttp_cannot_parse_is_still_uvicorn_s_400(
    rapport: RunningRapport, server_log: pytest.LogCaptureFixture
) -> None:
    sock = raw_connection(rapport)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n")
    assert read_all(sock).startswith(b"HTTP/1.1 400")
    sock.close()
    assert "Invalid HTTP request received." in server_log.text
    assert refusals_logged(server_log) == []


class Monotonic:
    """`time.monotonic` for the front door's log of refusals, as the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_of_unsigned_requests_is_logged_in_a_few_lines_and_a_count(
    db: Database, clock: ManualClock, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Each refusal was one line: 200 cost the attacker a fraction of a second and the log 200
    lines. Now the first few of each kind a minute are logged, the rest counted; a refusal of
    another kind in the middle of the flood is still logged."""
    monotonic = Monotonic()
    running = RunningRapport(db, clock, slack, refusals=RefusalLog(monotonic)).start()
    body = forged_press(running, running.slack.response_url())
    wrong = {"X-Slack-Signature": "v0=" + "0" * 64}
    try:
        with caplog.at_level(logging.INFO):
            for number in range(200):
                assert send(running, body, {})[0] == 401
                if number == 100:
                    assert send(running, body, signed_headers(body) | wrong)[0] == 401
            flood = [r.getMessage() for r in caplog.records if r.name == "bot.http.endpoint"]
            monotonic.now += REFUSALS_WINDOW_SECONDS
            assert send(running, body, {})[0] == 401
    finally:
        running.stop()

    assert len(flood) == REFUSALS_BURST + 1
    assert sum("missing_timestamp" in line for line in flood) == REFUSALS_BURST
    assert sum("wrong_signature" in line for line in flood) == 1
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.http.endpoint"]
    assert lines[len(flood) :] == [
        f"… and {200 - REFUSALS_BURST} more refused requests: missing_timestamp, in the last 60 s",
        f"refused a request: missing_timestamp (timestamp malformed or missing, {len(body)} bytes)",
    ]
    assert "payload" not in caplog.text and "hooks" not in caplog.text


def test_a_flood_of_request_lines_without_http_1_is_logged_in_a_few_lines_and_a_count(
    db: Database, clock: ManualClock, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """The protocol's refusals alike, each connection refused on its own."""
    monotonic = Monotonic()
    protocol = guarded_protocol(refusals=RefusalLog(monotonic))
    running = RunningRapport(db, clock, slack, protocol=protocol).start()

    def refused() -> None:
        sock = raw_connection(running)
        sock.sendall(b"GET /healthz?token=hunter2\r\n\r\n")
        assert read_all(sock).startswith(b"HTTP/1.1 400")
        sock.close()

    try:
        with caplog.at_level(logging.INFO):
            for _ in range(100):
                refused()
            monotonic.now += REFUSALS_WINDOW_SECONDS
            refused()
    finally:
        running.stop()

    lines = refusals_logged(caplog)
    assert len(lines) == REFUSALS_BURST + 2
    assert lines[REFUSALS_BURST] == (
        f"… and {100 - REFUSALS_BURST} more refused requests: no HTTP/1.x version, in the last 60 s"
    )
    assert "no HTTP/1.x version" in lines[-1] and "0.9" in lines[-1]
    assert "hunter2" not in caplog.text


@pytest.fixture
def strict_rapport(db, clock, slack) -> Iterator[RunningRapport]:
    """The app with a short receive deadline and a cap of five connections."""
    protocol = guarded_protocol(max_connections=5, receive_deadline=0.3)
    running = RunningRapport(db, clock, slack, protocol=protocol).start()
    yield running
    running.stop()


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(1024):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


def test_a_connection_that_sends_nothing_is_closed_by_the_receive_deadline(
    strict_rapport: RunningRapport,
) -> None:
    sock = raw_connection(strict_rapport)
    assert closed_within(sock, 3.0)
    sock.close()


def test_a_connection_trickling_header_lines_is_closed_by_the_receive_deadline(
    strict_rapport: RunningRapport,
) -> None:
    sock = raw_connection(strict_rapport)
    sock.sendall(b"POST /slack/events HTTP/1.1\r\n")
    closed = False
    for line in range(40):  # 40 lines, 0.1 s apart: four seconds if nobody stops it
        try:
            sock.sendall(b"X-Trickle-%d: 1\r\n" % line)
        except OSError:
            closed = True
            break
        if closed_within(sock, 0.1):
            closed = True
            break
    sock.close()
    assert closed
    assert line < 20


def test_a_kept_alive_connection_gets_a_fresh_deadline_for_its_next_request(
    strict_rapport: RunningRapport,
) -> None:
    sock = raw_connection(strict_rapport)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.settimeout(3)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # the rest never comes
    assert closed_within(sock, 3.0)
    sock.close()


def test_beyond_the_connection_cap_a_new_connection_gets_a_503_and_the_rest_are_served(
    strict_rapport: RunningRapport,
) -> None:
    idle = [raw_connection(strict_rapport) for _ in range(5)]
    extra = raw_connection(strict_rapport)
    assert read_all(extra).startswith(b"HTTP/1.1 503")
    extra.close()
    for sock in idle:
        sock.close()
    # Once the idle ones are gone (closed by us here, or by the deadline), service resumes.
    for _ in range(50):
        sock = raw_connection(strict_rapport)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = read_all(sock)
        sock.close()
        if answer.startswith(b"HTTP/1.1 200"):
            break
    assert answer.startswith(b"HTTP/1.1 200")


# --- replays ------------------------------------------------------------------------------------


def command_body(rapport: RunningRapport, text: str) -> bytes:
    return urlencode(
        slash_command(
            team_id=rapport.slack.team_id,
            user_id="U0ALICE",
            text=text,
            response_url=rapport.slack.response_url(),
            trigger_id=rapport.slack.new_trigger_id(),
        )
    ).encode()


def test_a_slash_command_sent_ten_times_within_its_five_minutes_is_served_once(
    rapport: RunningRapport,
) -> None:
    rapport.command("help").reply()
    body = command_body(rapport, "Acme call replayed ten times")
    headers = signed_headers(body)

    answers = [send(rapport, body, headers) for _ in range(10)]

    assert answers[0][0] == 200 and b"Logged your contact" in answers[0][1]
    assert answers[1:] == [(200, b"")] * 9
    assert count(rapport.db, Interaction) == 1


def test_a_replayed_press_has_no_effect(rapport: RunningRapport) -> None:
    rapport.command("help").reply()
    logged = rapport.command("Acme call first").reply()
    rapport.command("Acme call second").reply()
    undo = buttons(logged)["Undo"]
    payload = block_actions(
        team_id=rapport.slack.team_id,
        user_id="U0ALICE",
        action_id=undo["action_id"],
        value=undo["value"],
        response_url=rapport.slack.response_url(),
        trigger_id=rapport.slack.new_trigger_id(),
    )
    body = urlencode({"payload": json.dumps(payload)}).encode()
    headers = signed_headers(body)

    assert send(rapport, body, headers)[0] == 200
    assert rapport.wait_until_idle()
    assert count(rapport.db, Interaction) == 1
    assert send(rapport, body, headers) == (200, b"")
    assert rapport.wait_until_idle()
    assert count(rapport.db, Interaction) == 1
    assert count(rapport.db, Partner) == 1


def test_a_replay_to_another_worker_on_the_same_database_is_refused_too(
    rapport: RunningRapport, db, clock, slack
) -> None:
    """Two processes serving one database (`rapport serve --workers N`) share the record."""
    rapport.command("help").reply()
    other = RunningRapport(db, clock, slack).start()
    try:
        body = command_body(rapport, "Acme call sent to two workers")
        headers = signed_headers(body)
        first = send(rapport, body, headers)
        second = send(other, body, headers)
    finally:
        other.stop()
    assert first[0] == 200 and b"Logged your contact" in first[1]
    assert second == (200, b"")
    assert count(rapport.db, Interaction) == 1


def test_the_same_text_sent_again_as_a_new_request_is_logged_again(
    rapport: RunningRapport,
) -> None:
    """Only the same signature is a replay: typing the command twice logs twice."""
    rapport.command("help").reply()
    first = rapport.command("Acme call typed twice").reply()
    second = rapport.command("Acme call typed twice").reply()
    assert "Logged your contact" in texts(first) and "Logged your contact" in texts(second)
    assert count(rapport.db, Interaction) == 2


def test_signatures_past_their_five_minutes_are_forgotten(db, clock, slack) -> None:
    from sqlalchemy import func, select

    from storage.models import SeenRequest

    wall = [time.time()]
    running = RunningRapport(db, clock, slack, wall_clock=lambda: wall[0]).start()
    try:
        old = command_body(running, "help")
        send(running, old, signed_headers(old, str(int(wall[0]))))
        wall[0] += 6 * 60 + 61
        new = command_body(running, "help")
        send(running, new, signed_headers(new, str(int(wall[0]))))
        with db.transaction() as session:
            stamps = session.scalars(select(SeenRequest.request_ts)).all()
            total = session.scalar(select(func.count()).select_from(SeenRequest))
    finally:
        running.stop()
    assert total == 1
    assert stamps == [int(wall[0])]


# --- bodies Slack would not send ----------------------------------------------------------------


def test_a_command_dressed_as_json_is_refused_and_never_served(rapport: RunningRapport) -> None:
    """Slack sends JSON for the Events API only; a command in JSON would skip the replay check."""
    rapport.command("help").reply()
    fields = slash_command(
        team_id=rapport.slack.team_id,
        user_id="U0ALICE",
        text="Acme call sent as JSON",
        response_url=rapport.slack.response_url(),
        trigger_id=rapport.slack.new_trigger_id(),
    )
    for body in ({**fields, "type": ""}, {**fields, "type": "block_actions"}, fields):
        raw = json.dumps(body).encode()
        assert send(rapport, raw, signed_headers(raw), "application/json")[0] == 400
    assert count(rapport.db, Interaction) == 0


def test_deeply_nested_json_is_a_400_not_a_crash(
    rapport: RunningRapport, caplog: pytest.LogCaptureFixture
) -> None:
    raw = b'{"type": "event_callback", "event": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    payload = urlencode({"payload": "[" * 100_000 + "]" * 100_000}).encode()
    with caplog.at_level(logging.INFO):
        assert send(rapport, raw, signed_headers(raw), "application/json")[0] == 400
        assert send(rapport, payload, signed_headers(payload))[0] == 400
    assert "Traceback" not in caplog.text


# --- one workspace ---------------------------------------------------------------------------


def test_a_command_claiming_another_team_is_refused_and_creates_nothing(
    rapport: RunningRapport,
) -> None:
    """A person whose own team a command names (as if Rapport were installed there) is not let
    in: Rapport serves the workspace its bot token belongs to."""
    from storage.models import Member, Workspace

    rapport.slack.add_user("U0XAVIER", team_id="T0EVIL", name="xavier", tz="Europe/Paris")
    for text in ("help", "Acme call hello", "partners unowned", "settings"):
        reply = rapport.command(text, user="U0XAVIER", team="T0EVIL").reply()
        assert "Rapport is for this company's own members" in reply["text"]
    assert count(rapport.db, Workspace) == 0
    assert count(rapport.db, Member) == 0
    assert count(rapport.db, Interaction) == 0


# --- events: once per event id, for a day ---------------------------------------------------------


def test_an_event_delivered_three_times_is_handled_once_and_its_id_forgotten_after_a_day(
    rapport: RunningRapport, clock
) -> None:
    from datetime import timedelta

    from scheduler.housekeeping import forget_old_event_ids
    from storage.models import Member, ProcessedEvent

    rapport.command("help").reply()
    profile = {"id": "U0ALICE", "team_id": rapport.slack.team_id, "tz": "Asia/Tokyo"}
    event = {"type": "user_change", "user": profile}

    def alices_zone() -> str:
        with rapport.db.transaction() as session:
            return session.query(Member).filter_by(slack_user_id="U0ALICE").one().tz

    assert rapport.event("EvThrice", event).status == 200
    assert alices_zone() == "Asia/Tokyo"
    with rapport.db.transaction() as session:  # moved back, to see whether a retry moves it again
        session.query(Member).filter_by(slack_user_id="U0ALICE").one().tz = "Europe/Berlin"
    for retry in ("1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        assert rapport.event("EvThrice", event, headers=headers).status == 200
    assert alices_zone() == "Europe/Berlin"
    assert count(rapport.db, ProcessedEvent) == 1

    assert forget_old_event_ids(rapport.db, clock.now() + timedelta(hours=23)) == 0
    assert forget_old_event_ids(rapport.db, clock.now() + timedelta(days=1, minutes=1)) == 1
    assert count(rapport.db, ProcessedEvent) == 0


# --- the connection cap follows the file descriptors the process may open ------------------------


def test_the_connection_cap_leaves_room_below_a_low_descriptor_limit() -> None:
    import subprocess
    import sys

    probe = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))\n"
        "from bot.http.limits import connection_cap\n"
        "print(connection_cap())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert int(done.stdout) == 1024 - 128
