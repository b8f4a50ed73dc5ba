"""Bounds on what a client may make the HTTP server hold: body size, time, connections.

uvicorn has none of the three on its own: no request-body limit; no deadline for receiving a
request (its keep-alive timer starts only after a response, so a connection that sends nothing,
or one header line every few seconds, is kept forever); and `limit_concurrency` answers 503 only
once a request's headers are parsed, so idle connections still pile up until the process runs
out of file descriptors. Rapport adds them where they belong:

- `BodyLimit`, an ASGI middleware, answers 413 to a body over `BODY_LIMIT_BYTES`, at once when
  `Content-Length` says so and after counting when the body streams in chunks, and reads each
  body whole (up to the limit) before the app sees it. Memory per request stays bounded.
- `GuardedHttpProtocol`, uvicorn's httptools protocol with a receive deadline, a header limit
  and a connection cap: a connection that has not delivered a complete request within
  `RECEIVE_DEADLINE_SECONDS` is closed (408 when nothing was answered yet); a request line and
  headers over `HEADER_LIMIT_BYTES` get a 431 (llhttp, the parser, sets no limit of its own),
  whether they trickle in or arrive in one read; a chunked body's framing (size lines,
  extensions, trailer fields) counts towards the same limit, and trailers are dropped, as h11
  dropped them; no more than `PIPELINE_LIMIT` requests are queued behind the one being
  answered (the connection closes after them); and beyond `MAX_CONNECTIONS` a new connection
  gets a 503 and is closed before it costs anything more. A request line without an HTTP/1.x
  version (HTTP/0.9's bare `GET /`, which llhttp accepts, or `HTTP/2.0`, HTTP/2's connection
  preface among them) gets a 400 and the connection is closed before the app sees it, as h11
  did. Either refusal of a request pipelined behind others comes after their answers, as h11's
  did: closing at once dropped them, after their work was done.

Each request the protocol refuses is logged in one line of Rapport's own that says what was
refused and why, never a header's value or the body: uvicorn would log each as "Invalid HTTP
request received.", which sends an operator looking for a broken client. The lines are bounded
per kind of refusal (`bot.http.refusal_log`): a flood of them gets a few lines and a count.

The parser is httptools (llhttp, in C) rather than h11 (pure Python): the same `/logcontact`
costs about 0.45 ms less server CPU with it, an eighth of the whole request (README, benchmarks).

A reverse proxy in front (see the README) still does what a single process cannot, such as
limits per client address.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bot.http.refusal_log import RefusalLog

log = logging.getLogger(__name__)

# Slack's largest payloads (a view submission of a 100-block modal, a block action carrying the
# whole message) stay far below this.
BODY_LIMIT_BYTES = 1024 * 1024
# A request line and headers longer than this are refused: Slack's come to about 1 KiB. The
# figure is h11's own default limit, which Rapport had before it parsed with httptools.
HEADER_LIMIT_BYTES = 16 * 1024
# Requests a client may send ahead on one connection while an earlier one is answered (Slack
# sends none ahead); each queued request holds its parsed headers and scope.
PIPELINE_LIMIT = 16
# Slack delivers a whole request in milliseconds; a client still sending after this is stalling.
RECEIVE_DEADLINE_SECONDS = 5.0
# Open connections served at once; each costs a file descriptor and some kilobytes.
MAX_CONNECTIONS = 4000
# Descriptors kept free for the database, log files and Slack's API when the cap is derived.
RESERVED_DESCRIPTORS = 128

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: read each HTTP body whole, up to `limit` bytes, or answer 413."""

    def __init__(self, app: ASGIApp, limit: int = BODY_LIMIT_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await _too_large(send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > self.limit:
                await _too_large(send)
                return
            more = message.get("more_body", False)
        await self.app(scope, _replay(bytes(body), receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _too_large(send: Send) -> None:
    # "Connection: close" makes uvicorn drop the connection after answering, instead of reading
    # (and discarding) the rest of a body that may be hundreds of megabytes.
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": b"request body too large"})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then waits for a disconnect."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def connection_cap() -> int:
    """`MAX_CONNECTIONS`, or fewer when the process may not open that many descriptors.

    The soft descriptor limit is first raised to the hard one, as servers commonly do.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, MAX_CONNECTIONS * 2)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(16, min(MAX_CONNECTIONS, soft - RESERVED_DESCRIPTORS))


_SERVICE_UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n"
    b"connection: close\r\n\r\nbusy\n"
)
_HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
    b"content-length: 17\r\nconnection: close\r\n\r\nheaders too large\n"
)
_NOT_HTTP_1 = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 14\r\n"
    b"connection: close\r\n\r\nHTTP/1.x only\n"
)
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\ncontent-length: 8\r\n"
    b"connection: close\r\n\r\ntimeout\n"
)


# The kind of refusal each logged answer is counted as (`RefusalLog`).
_KIND_OF_ANSWER = {_HEADERS_TOO_LARGE: "headers too large", _NOT_HTTP_1: "no HTTP/1.x version"}


def _kind_of(answer: bytes) -> str:
    """The kind a refusal answered `answer` is counted as; by its status code for an answer
    not named above, rather than fail while refusing."""
    return _KIND_OF_ANSWER.get(answer) or f"answered {answer[9:12].decode()}"


# What llhttp says when it stops at a request line's version, before any callback could refuse
# it: HTTP/2's connection preface (`PRI * HTTP/2.0`), and a version it does not take (HTTP/3.0).
_VERSION_ERRORS = frozenset({"Pause on PRI/Upgrade", "Invalid HTTP version"})


class _Refused(Exception):
    """Raised from a parser callback to stop llhttp at once, once the protocol has noted why
    it refuses the request. httptools turns it into an `HttpParserError`, which `_feed`
    answers."""


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for receiving each request, a limit on its
    headers and a connection cap.

    The deadline starts when a connection opens, and again when the first bytes of a further
    request arrive on a kept-alive connection; it ends when the request's body is complete. The
    header limit is kept twice: by the bytes of a request that are not its body (a header
    still arriving, which httptools gathers whole before handing it on, and a chunked body's
    framing), counted after each read, and by the request line and fields the parser hands on
    (headers that arrive in one read, stopped before the app is started, and trailers).

    Besides the callbacks, it relies on these of uvicorn's internals: `parser`, `cycle`,
    `pipeline`, `flow`, `connections`, `loop`, `logger` and the methods `_feed` calls as
    uvicorn's `data_received` does (hence the upper bound on uvicorn in pyproject.toml).
    """

    receive_deadline: float = RECEIVE_DEADLINE_SECONDS
    max_connections: int = MAX_CONNECTIONS
    header_limit: int = HEADER_LIMIT_BYTES
    pipeline_limit: int = PIPELINE_LIMIT
    # Shared by the server's connections (`guarded_protocol` gives each server its own).
    refusals: RefusalLog = RefusalLog()

    # asyncio.Protocol takes any BaseTransport; uvicorn's HttpToolsProtocol narrows it likewise.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._receive_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._field_bytes = 0
        self._body_bytes = 0  # of the chunk being parsed
        self._began = False  # whether a request began in the chunk being parsed
        # The answer to a request a parser callback refused, and why, for `_feed`.
        self._refusal: tuple[bytes, str] | None = None
        # That answer, once the requests before the refused one are answered (`_parser_stopped`).
        self._answer_when_done: bytes | None = None
        self._pipeline_full = False
        self._in_headers = True
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.write(_SERVICE_UNAVAILABLE)
            transport.close()
            return
        self._start_receive_timer()

    def data_received(self, data: bytes) -> None:
        if self._answer_when_done is not None:
            return  # a request was refused (`_refuse_in_turn`): nothing after it is parsed
        if self._receive_timer is None and self._between_requests():
            self._start_receive_timer()
        self._body_bytes, self._began = 0, False
        self._feed(data)
        if not (self._began or self._pipeline_full or self.transport.is_closing()):
            # What of this chunk was not body was request line, headers or a chunked body's
            # framing (size lines, extensions, trailers), all of which llhttp takes unbounded.
            # (A chunk in which a request begins may hold others before it: not counted, as
            # what it holds of this one is at most one read, and its fields are counted. Once
            # the pipeline is full, the parser reads nothing more: the queued are answered.)
            self._header_bytes += len(data) - self._body_bytes
            if self._header_bytes > self.header_limit:
                why = (
                    f"its request line, headers and chunk framing exceed {self.header_limit} bytes"
                )
                self._refuse_in_turn(_HEADERS_TOO_LARGE, why)
                return
        if self._receive_timer is not None and self._request_received():
            self._receive_timer.cancel()
            self._receive_timer = None

    def on_url(self, url: bytes) -> None:
        self._count_fields(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        # Name, value, ": " and CRLF, as on the wire.
        self._count_fields(len(name) + len(value) + 4)
        if self._in_headers:
            super().on_header(name, value)
        # Else a trailer field after a chunked body: uvicorn would append it to the headers the
        # app has already been given, where a signature sent after the body would be read as
        # the request's own. Slack sends none; h11 dropped them; so are they here.

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        super().on_body(body)

    def on_headers_complete(self) -> None:
        # llhttp reads a request line without a version (`GET /`) as HTTP/0.9, and takes
        # HTTP/2.0 too; uvicorn would serve either as HTTP/1.1. h11 answered them 400.
        # (Still in its headers: refused before it has a cycle, as `_refuse_in_turn` reads.)
        if self._refuse_version():
            raise _Refused
        self._in_headers = False
        super().on_headers_complete()

    def _refuse_version(self) -> bool:
        """Note the request's refusal when its version, as llhttp read it, is not HTTP/1.x."""
        version = self.parser.get_http_version()
        if version.startswith("1."):
            return False
        why = f"its request line has no HTTP/1.x version (llhttp read HTTP/{version})"
        self._refusal = (_NOT_HTTP_1, why)
        return True

    def on_message_begin(self) -> None:
        if len(self.pipeline) >= self.pipeline_limit:
            # llhttp would parse (and uvicorn queue) every request in this read and the next.
            self._pipeline_full = True
            self.refusals.warning(
                log,
                "pipeline full",
                "refused a request beyond %d pipelined on one connection: those are answered, "
                "then the connection is closed",
                self.pipeline_limit,
            )
            raise _Refused
        # A further request on a kept-alive connection: its headers are counted afresh.
        self._in_headers, self._header_bytes, self._field_bytes = True, 0, 0
        self._began = True
        super().on_message_begin()

    def _feed(self, data: bytes) -> None:
        """uvicorn's `data_received`, except that a request a parser callback refused is
        answered as the callback said, and logged by it in Rapport's words: uvicorn logs every
        stop of the parser as "Invalid HTTP request received.", whatever stopped it."""
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # As uvicorn does (Rapport has no WebSocket route: the app refuses the handshake).
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as error:
            if str(error) in _VERSION_ERRORS and self._refusal is None:
                self._refuse_version()
            self._parser_stopped()

    def _parser_stopped(self) -> None:
        """Answer the request the parser stopped at: refused by a callback, or unparsable."""
        if self._pipeline_full:
            # The requests queued are answered; the connection closes after the last of them
            # and reads nothing more: the parser stopped where the next request began, and
            # stops again at once on what arrives while reading resumes between answers.
            self.flow.pause_reading()
            self.cycle.keep_alive = False
        elif self._refusal is not None:
            answer, why = self._refusal
            self._refuse_in_turn(answer, why)
        else:
            message = "Invalid HTTP request received."
            self.refusals.warning(self.logger, "unparsable request", message)
            self.send_400_response(message)

    def _count_fields(self, size: int) -> None:
        """Count what the parser hands on; stop it (before the app is started, when still in
        the headers) once the request's line and fields are over the limit."""
        self._field_bytes += size
        if self._field_bytes > self.header_limit:
            fields = "headers" if self._in_headers else "trailer fields"
            why = f"its request line and {fields} exceed {self.header_limit} bytes"
            self._refusal = (_HEADERS_TOO_LARGE, why)
            raise _Refused

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._answer_when_done is None or self.transport.is_closing():
            return
        if self._between_requests():
            self.transport.write(self._answer_when_done)
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._receive_timer is not None:
            self._receive_timer.cancel()
            self._receive_timer = None
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _request_received(self) -> bool:
        return (
            self.cycle is not None
            and not self.cycle.response_complete
            and not (self.cycle.more_body)
        )

    def _start_receive_timer(self) -> None:
        self._receive_timer = self.loop.call_later(self.receive_deadline, self._too_slow)

    def _too_slow(self) -> None:
        self._receive_timer = None
        if not self.transport.is_closing():
            self._refuse(_REQUEST_TIMEOUT)

    def _refuse_in_turn(self, answer: bytes, why: str) -> None:
        """Refuse a request with `answer` after the requests pipelined before it, as h11 did:
        closing while they are still being answered would drop their answers, after their work
        may have been done. Nothing more is read meanwhile (`data_received`), and the answer
        goes out when the last of them is complete (`on_response_complete`). What arrives
        meanwhile is read and dropped rather than left unread, which would make the close a
        reset that can destroy those answers in the client's buffers. A request refused once
        its headers were complete (its chunk framing, its trailers) is the one being answered:
        the connection closes at once."""
        if self._between_requests() or not self._in_headers:
            self._refuse(answer, why)
            return
        self._answer_when_done = answer
        self.refusals.warning(
            log,
            _kind_of(answer),
            "refused a request: %s; answered %s after the requests before it, connection closed",
            why,
            answer[9:12].decode(),
        )

    def _refuse(self, answer: bytes, why: str | None = None) -> None:
        """Write `answer` (a whole HTTP response) and close; only close while a response is
        under way, which another written into it would garble. Log `why` a request was
        refused, when there was one (a connection that sent nothing is no news)."""
        between = self._between_requests()
        if why is not None:
            done = f"answered {answer[9:12].decode()}" if between else "a response was under way"
            self.refusals.warning(
                log,
                _kind_of(answer),
                "refused a request: %s; %s, connection closed",
                why,
                done,
            )
        if between:
            self.transport.write(answer)
        self.transport.close()


def guarded_protocol(
    *,
    max_connections: int | None = None,
    receive_deadline: float = RECEIVE_DEADLINE_SECONDS,
    header_limit: int = HEADER_LIMIT_BYTES,
    refusals: RefusalLog | None = None,
) -> type[GuardedHttpProtocol]:
    """The protocol class for one server, with its connection cap, receive deadline, header
    limit and log of refusals (its own by default)."""
    return type(
        "GuardedHttpProtocol",
        (GuardedHttpProtocol,),
        {
            "max_connections": connection_cap() if max_connections is None else max_connections,
            "receive_deadline": receive_deadline,
            "header_limit": header_limit,
            "refusals": refusals or RefusalLog(),
        },
    )
