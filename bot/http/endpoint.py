"""`POST /slack/events` and `GET /healthz`: the endpoints behind the front door.

What a request goes through, in order, before any listener runs:

1. `BodyLimit` reads the body, at most 1 MiB (413 beyond); `GuardedHttpProtocol` has already
   bounded the time the client may take to send it, the size of its headers and the number of
   open connections.
2. The signature is checked on the raw bytes (`bot.http.verification`). Any failure is a 401, with
   its reason, timestamp and body length in the log and nothing else: no parsing, no listener,
   no error handler. Bolt's own verification is switched off (`bot.bootstrap`), as it comes later.
   (Refusals are logged a few a minute per kind, then counted: `bot.http.refusal_log`.)
3. The body is parsed, and its fields checked against the shapes Slack sends
   (`bot.http.shapes`); a signed body Slack would never send is a 400. Bolt dispatches this
   parse of the body, not one of its own.
4. A slash command or interaction whose signature was already served is a replay: 200, empty,
   no effect (`Replays`, shared by all workers through the database).
5. Bolt dispatches it in a thread of our own pool, let in a few at a time in order of arrival
   (`bot.http.admission`), under a `storage.deadline.Deadline`: when the
   answer is not ready within `ANSWER_SECONDS` (Slack gives up at 3 s), this layer answers by
   itself, saying whether anything was saved, and the work still running can no longer commit.

`/healthz` says whether Rapport can write to its database, within `HEALTH_SECONDS`, with a fixed
reason code when it cannot (it is unauthenticated: no paths, no error texts).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_starlette_response
from slack_bolt.request.internals import build_context, extract_team_id, extract_user_id
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from bot.blocks.replies import notice
from bot.http.admission import Admission, Slot
from bot.http.asker_language import LATE_LOOKUP_SECONDS, LOOKUP_SECONDS, AskerLocales
from bot.http.direct_answers import answer_by_kind, answers_in_words
from bot.http.refusal_log import RefusalLog
from bot.http.shapes import KINDS as SHAPED_KINDS
from bot.http.shapes import shape_problem
from bot.http.verification import MAX_SKEW_SECONDS, refusal_reason
from bot.slack.clients import before_slack_calls
from bot.slack.delivery import post_reply
from bot.texts.reader import language_of, text
from storage import deadline as deadlines
from storage.db import Database
from storage.deadline import Deadline, DeadlineExceeded, Phase
from storage.queries.received import first_sighting, forget_requests_before

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# Slack shows a timeout after 3 s; the answer leaves well before, network time included.
ANSWER_SECONDS = 2.5
HEALTH_SECONDS = 1.0
# Threads serving requests at once; as many as the PostgreSQL pool has connections.
DISPATCH_THREADS = 32
# How often the signatures of requests past their five minutes are deleted.
PRUNE_EVERY_SECONDS = 60.0
# The kinds of request Slack sends as JSON: the Events API's.
EVENTS_API_KINDS = ("event_callback", "url_verification", "app_rate_limited")
# Slack's form bodies have a dozen fields; a few hundred is no Slack request.
MAX_FORM_FIELDS = 200
# Kinds a log line may name; any other `type` a body claims is logged as "request".
KNOWN_KINDS = frozenset({*SHAPED_KINDS, "slash_command", "ssl_check", "url_verification"})


@dataclass(frozen=True)
class Incoming:
    """A verified request, parsed: its kind ("slash_command", "block_actions", "event_callback",
    …), its fields, and whether Slack sent it form-encoded (commands and interactions)."""

    kind: str
    body: dict[str, Any]
    form: bool


def parse_incoming(content_type: str, raw: bytes) -> Incoming | None:
    """The request as Slack sends it, or None when the body is not in a shape Slack uses.

    Slack sends JSON for the Events API alone; commands and interactions come form-encoded
    (and only those are checked for replays, so a command dressed as JSON must not get in).
    """
    try:
        decoded = raw.decode("utf-8")
        if content_type.startswith("application/json"):
            body = json.loads(decoded)
            if not isinstance(body, dict) or body.get("type") not in EVENTS_API_KINDS:
                return None
            return Incoming(str(body["type"]), body, form=False)
        fields = parse_qs(decoded, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    flat = {name: values[0] for name, values in fields.items()}
    if "payload" in flat:
        try:
            payload = json.loads(flat["payload"])
        except (ValueError, RecursionError):
            return None
        if not isinstance(payload, dict):
            return None
        return Incoming(str(payload.get("type") or ""), payload, form=True)
    if "command" in flat:
        return Incoming("slash_command", flat, form=True)
    if "ssl_check" in flat:
        return Incoming("ssl_check", flat, form=True)
    return None


def bolt_request(request: Request, raw: bytes, incoming: Incoming) -> BoltRequest:
    """Bolt's request for a verified body, carrying the body as Rapport parsed and checked it.

    Bolt would parse the raw body again, its own way: a form body with "payload" anywhere in it
    (a slash command whose text or channel name says "payload") came out empty, and the command
    went unanswered with a 404. Its context starts with a logger, which Bolt's parsing uses for
    a modal submission with several response_urls and, before its app has set one, raised.
    """
    bolt = BoltRequest(body="", query=dict(request.query_params), headers=dict(request.headers))
    bolt.raw_body = raw.decode("utf-8")
    bolt.body = incoming.body
    # Bolt counts a modal's response_urls without looking whether there are any: a null one
    # (the shape allows it) is left out rather than crash the request.
    body = {
        key: value
        for key, value in incoming.body.items()
        if not (key == "response_urls" and value is None)
    }
    bolt.context = build_context(BoltContext({"logger": log}), body)
    return bolt


class Replays:
    """Which signed requests were served before, shared through the database by every worker.

    A signature is valid for five minutes after its timestamp: rows older than that are
    deleted, at most once every `PRUNE_EVERY_SECONDS` of `wall_clock`.
    """

    def __init__(self, db: Database, wall_clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.wall_clock = wall_clock
        self._pruned_at = 0.0
        self._prune_lock = threading.Lock()

    def first_sighting(self, signature: str, stamp: int) -> bool:
        """Record the request signed `signature` at `stamp`; False when it was served before."""
        digest = hashlib.sha256(signature.encode()).hexdigest()
        with self.db.transaction() as session:
            first = first_sighting(session, digest, stamp)
            if self._prune_due():
                cutoff = int(self.wall_clock()) - MAX_SKEW_SECONDS - int(PRUNE_EVERY_SECONDS)
                forget_requests_before(session, cutoff)
        return first

    def _prune_due(self) -> bool:
        now = self.wall_clock()
        with self._prune_lock:
            if now - self._pruned_at < PRUNE_EVERY_SECONDS:
                return False
            self._pruned_at = now
            return True


class SlackEndpoint:
    """`POST /slack/events`: verify, bound, deduplicate, then let Bolt dispatch."""

    def __init__(
        self,
        app: App,
        replays: Replays,
        signing_secret: str,
        *,
        admission: Admission,
        locales: AskerLocales,
        wall_clock: Callable[[], float] = time.time,
        answer_seconds: float = ANSWER_SECONDS,
        pool: ThreadPoolExecutor | None = None,
        reply_pool: ThreadPoolExecutor | None = None,
        refusals: RefusalLog | None = None,
    ) -> None:
        self.app = app
        self.replays = replays
        self.signing_secret = signing_secret
        self.wall_clock = wall_clock
        self.answer_seconds = answer_seconds
        self.pool = pool or ThreadPoolExecutor(DISPATCH_THREADS, thread_name_prefix="dispatch")
        self.admission = admission
        # Its own threads: when the database hangs, the dispatch threads may all be waiting.
        self._owns_reply_pool = reply_pool is None
        self.reply_pool = reply_pool or ThreadPoolExecutor(4, thread_name_prefix="direct-answer")
        # The asker's language, for the answers this layer gives without the request's work.
        self.locales = locales
        # One log of refusals for the endpoint's kinds (the protocol's has its own).
        self.refusals = refusals or RefusalLog()

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        headers = request.headers
        reason = refusal_reason(self.signing_secret, headers, raw, self.wall_clock())
        if reason is not None:
            stamp = headers.get("x-slack-request-timestamp", "")
            self.refusals.warning(
                log,
                reason,
                "refused a request: %s (timestamp %s, %d bytes)",
                reason,
                stamp if stamp.isdigit() and len(stamp) <= 12 else "malformed or missing",
                len(raw),
            )
            return PlainTextResponse("invalid request signature", status_code=401)
        incoming = parse_incoming(headers.get("content-type", ""), raw)
        if incoming is None:
            self.refusals.warning(
                log, "unparsable body", "refused a signed request whose body Slack would not send"
            )
            return PlainTextResponse("malformed request", status_code=400)
        problem = shape_problem(incoming.kind, incoming.body)
        if problem is not None:
            self.refusals.warning(
                log,
                "body not shaped as Slack sends it",
                "refused a signed %s whose %s is not shaped as Slack sends it",
                incoming.kind if incoming.kind in KNOWN_KINDS else "request",
                problem.split(".")[0].split("[")[0],
            )
            return PlainTextResponse("malformed request", status_code=400)
        deadline = Deadline(self.answer_seconds)
        signature = headers["x-slack-signature"]
        request_ts = int(headers["x-slack-request-timestamp"])
        language = _AnswerLanguage(
            self.locales, _asker_of(incoming), deadline, in_words=answers_in_words(incoming.kind)
        )
        try:
            await _by_deadline(self.admission.enter(), deadline, language.look_up_if_unknown)
        except TimeoutError:
            return await self._too_slow(incoming, deadline, language)
        loop = asyncio.get_running_loop()
        slot = Slot()
        serve = (request, raw, incoming, signature, request_ts, deadline, slot)
        work = self.admission.hold_while(
            lambda: loop.run_in_executor(self.pool, self._serve, *serve), slot
        )
        work.add_done_callback(_note_late_failure)
        try:
            answer = await _by_deadline(asyncio.shield(work), deadline, language.look_up_if_unknown)
        except (TimeoutError, DeadlineExceeded):
            return await self._too_slow(incoming, deadline, language)
        self.locales.remember(language.asker, deadline.asker_locale)
        if deadline.locales_changed:  # rare: somebody's language changed
            self.locales.remember_changed(_team_of(incoming), deadline.locales_changed)
        if deadline.cut_short:
            return await self._too_slow(incoming, deadline, language)
        return to_starlette_response(answer)

    def _serve(
        self,
        request: Request,
        raw: bytes,
        incoming: Incoming,
        signature: str,
        stamp: int,
        deadline: Deadline,
        slot: Slot,
    ) -> BoltResponse:
        # Waiting on Slack, the request runs no Python: the next one may go in meanwhile.
        with deadlines.within(deadline), before_slack_calls(slot.give_up):
            if incoming.form:
                try:
                    if not self.replays.first_sighting(signature, stamp):
                        self.refusals.log(
                            logging.INFO,
                            log,
                            "replayed",
                            "ignored a replayed %s",
                            incoming.kind or "request",
                        )
                        return BoltResponse(status=200, body="")
                    deadline.forget_saves()  # only the signature was saved so far
                except SQLAlchemyError:
                    log.error("the database failed while checking for a replay")
                    wordless = not answers_in_words(incoming.kind)
                    locale = None if wordless else self.locales.of_now(_asker_of(incoming))
                    return self._direct(incoming, "problem.database", locale)
            return self.app.dispatch(bolt_request(request, raw, incoming))

    async def _too_slow(
        self, incoming: Incoming, deadline: Deadline, language: _AnswerLanguage
    ) -> Response:
        phase = deadline.expire()
        key = _TOO_SLOW[phase]
        locale = await language.locale()
        log.warning(
            "answered a %s without waiting for the database (%s)", incoming.kind, phase.value
        )
        return to_starlette_response(self._direct(incoming, key, locale))

    def _direct(self, incoming: Incoming, key: str, locale: str | None) -> BoltResponse:
        message = text(language_of(locale), key)
        asker = _asker_of(incoming)

        def post(url: str, text: str) -> None:
            # Through the response_url, or to the person's DM with Rapport when it has expired
            # (a nudge DM pressed days later).
            user = asker[1] if asker else ""
            self.reply_pool.submit(post_reply, self.app.client, url, user, notice(text))

        return answer_by_kind(
            incoming.kind, incoming.body, message, self.app.client.base_url, post=post
        )

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.locales.close()
        self.refusals.flush()  # what was counted since the last summary
        if self._owns_reply_pool:
            self.reply_pool.shutdown(wait=True)  # replies people are waiting for go out first


class _AnswerLanguage:
    """The asker's locale for an answer the web layer gives at a request's deadline: as the
    request read it, else as the database holds it, looked up at most once, from
    `LOOKUP_SECONDS` before the deadline (`_by_deadline`) so that the answer need not wait.

    Not looked up when that answer has no words (`in_words` False: a block suggestion's empty
    options): Slack asks for options again and again as a person types in a select, and each
    lookup would take one of the `LOOKUP_THREADS` from an answer that does speak."""

    def __init__(
        self,
        locales: AskerLocales,
        asker: tuple[str, str] | None,
        deadline: Deadline,
        *,
        in_words: bool = True,
    ) -> None:
        self.locales = locales
        self.asker = asker
        self.deadline = deadline
        self.in_words = in_words
        self.looked_up: Future[str | None] | None = None

    def look_up_if_unknown(self) -> None:
        if self.in_words and self.deadline.asker_locale is None and self.looked_up is None:
            self.looked_up = self.locales.look_up(self.asker)

    async def locale(self) -> str | None:
        if self.deadline.asker_locale is not None:
            return self.deadline.asker_locale
        if not self.in_words:
            return None
        return await self.locales.of(self.asker, self.looked_up, LATE_LOOKUP_SECONDS)


async def _by_deadline(
    awaitable: Awaitable[_T], deadline: Deadline, shortly_before: Callable[[], None]
) -> _T:
    """`awaitable`'s result, or `TimeoutError` when the deadline passes first (and `awaitable`
    cancelled); `shortly_before` runs `LOOKUP_SECONDS` before the deadline if it is still
    waiting then. Cancelled itself, it cancels `awaitable` too, as `asyncio.wait_for` does: a
    wait for admission left running would take a slot nobody gives back."""
    waiting = asyncio.ensure_future(awaitable)
    early = deadline.remaining() - LOOKUP_SECONDS
    if early > 0:
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), early)
        except TimeoutError:
            shortly_before()
        except asyncio.CancelledError:
            waiting.cancel()  # the shield kept it from the cancellation
            raise
    return await asyncio.wait_for(waiting, deadline.remaining())


# What the person is told when the answer is not ready in time, by where the work stood.
_TOO_SLOW = {
    Phase.NOT_COMMITTING: "problem.too_slow",
    Phase.COMMITTING: "problem.outcome_unknown",
    Phase.SAVED: "problem.saved_but_slow",
}


def _asker_of(incoming: Incoming) -> tuple[str, str] | None:
    """The (team id, user id) a command or interaction comes from, read as Bolt reads them
    (`context.team_id`, `context.user_id`): the member its listeners answer. None for an
    event, which nobody is answered about in words (and whose lookups would take the slots of
    those who are)."""
    if not incoming.form:
        return None
    user = extract_user_id(incoming.body)
    team = _team_of(incoming)
    if team is not None and isinstance(user, str):
        return team, user
    return None


def _team_of(incoming: Incoming) -> str | None:
    """The team id a request comes from, read as Bolt reads it (`context.team_id`, the
    workspace the listeners serve it in): a command's `team_id`, an interaction's `team.id`, a
    bare `team`, or `user.team_id` when `team` is null (an app installed org-wide)."""
    team = extract_team_id(incoming.body)
    return team if isinstance(team, str) else None


def _note_late_failure(work: asyncio.Future[BoltResponse]) -> None:
    """Collect the outcome of work whose answer went out without it, so that a failure is
    logged once (a deadline that struck is expected and says nothing new)."""
    if work.cancelled():
        return
    error = work.exception()
    if error is not None and not isinstance(error, DeadlineExceeded):
        log.error("serving a request failed", exc_info=error)


class HealthCheck:
    """`GET /healthz`: can Rapport write to its database? Answered within `seconds`."""

    def __init__(self, db: Database, seconds: float = HEALTH_SECONDS) -> None:
        self.db = db
        self.seconds = seconds
        # One check at a time: when the database hangs, checks do not pile up threads.
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="healthz")
        self._running: asyncio.Future[str | None] | None = None

    async def handle(self, request: Request) -> Response:
        reason = await self.reason()
        body = {"ok": reason is None, "database": "up" if reason is None else "down"}
        if reason is not None:
            body["reason"] = reason
        return JSONResponse(body, status_code=200 if reason is None else 503)

    async def reason(self) -> str | None:
        if self._running is None or self._running.done():
            self._running = asyncio.get_running_loop().run_in_executor(self.pool, self.db.health)
        try:
            return await asyncio.wait_for(asyncio.shield(self._running), self.seconds)
        except TimeoutError:
            return "database_timeout"

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
