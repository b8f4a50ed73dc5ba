"""The composition root: the one place that builds Rapport from its settings.

`Rapport` holds what one process runs (the database, the clock, the services the handlers use,
the Bolt app, and the jobs when this process schedules), built the same way by `rapport serve`,
each of its HTTP workers, `rapport scheduler` and `rapport run-jobs`. Start-up problems end in a
`StartupError`, one line that says what to do, never a traceback.

The Bolt app runs with `process_before_response=True`: Bolt runs the whole ack function before
answering Slack, so the reply can travel in the HTTP response itself; work that must follow the
ack (Slack look-ups, response_url posts) goes to `Services.later`.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.error import BoltError, BoltUnhandledRequestError
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

import handlers
from bot.blocks.replies import problem
from bot.http.direct_answers import answer_by_kind, kind_of
from bot.parsing.dates import warm_up
from bot.rules.clock import Clock
from bot.settings import Settings, StartupError
from bot.slack.clients import app_client, dispatcher_client, per_request_client
from bot.texts.reader import Reader
from bot.usecases.members import NotAMember
from bot.usecases.services import Services
from handlers import events, members_only
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import Jobs
from storage.db import OWNER_ONLY, SCHEDULER_LOCK_SUFFIX, Database, side_file, sqlite_path
from storage.deadline import DeadlineExceeded
from storage.migrate import current_revision, head_revision, upgrade

log = logging.getLogger(__name__)


def first_line(error: Exception) -> str:
    """The driver's own message, first line only: enough for an operator, no traceback."""
    return str(getattr(error, "orig", error)).strip().splitlines()[0]


@dataclass
class Rapport:
    """What one process runs; `close()` finishes deferred replies and releases the database."""

    settings: Settings
    db: Database
    clock: Clock
    services: Services
    app: App | None = None
    jobs: Jobs | None = None

    def close(self) -> None:
        self.services.close()


def assemble(settings: Settings, clock: Clock, *, serve: bool, schedule: bool) -> Rapport:
    """Rapport for this process: the Bolt app when it `serve`s Slack, jobs when it `schedule`s.

    Serving needs the bot token and, over HTTP, the signing secret; scheduling only the token.
    """
    if serve:
        settings.require_slack()
        refuse_oauth_environment()
    else:
        settings.require_bot_token()
    db = open_database(settings.database_url)
    services = Services(db, clock)
    rapport = Rapport(settings, db, clock, services)
    if serve:
        warm_up()  # dateparser's first call with language detection takes a second
        rapport.app = build_app(settings, services)
    if schedule:
        rapport.jobs = build_jobs(settings, db, clock)
    return rapport


def open_database(url: str, *, migrate_sqlite: bool = True, create: bool = True) -> Database:
    """Connect and check the schema: SQLite migrates itself, PostgreSQL must be migrated.

    With `create=False` (commands that only look), a missing SQLite file is an error rather
    than a new empty database.
    """
    shown = make_url(url).render_as_string(hide_password=True)
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise StartupError(
            f"there is no database at {path}: check DATABASE_URL and the working directory"
        )
    try:
        db = Database(url)
    except OSError as error:
        raise StartupError(f"cannot create the database at {shown}: {error.strerror}") from None
    try:
        if db.backend == "sqlite" and migrate_sqlite:
            upgrade(db.engine)
            return db
        current, head = current_revision(db.engine), head_revision()
    except SQLAlchemyError as error:
        raise StartupError(f"cannot use the database at {shown}: {first_line(error)}") from None
    if current != head:
        raise StartupError(
            f"the database schema at {shown} is at revision {current or 'none'}, "
            f"Rapport needs {head}: run `rapport migrate` first"
        )
    return db


def refuse_oauth_environment() -> None:
    """Bolt switches itself to OAuth when it sees these variables and then ignores the bot token."""
    if os.environ.get("SLACK_CLIENT_ID") and os.environ.get("SLACK_CLIENT_SECRET"):
        raise StartupError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, but this Rapport runs as a single "
            "workspace with SLACK_BOT_TOKEN: unset them"
        )


def build_app(settings: Settings, services: Services) -> App:
    try:
        return create_app(settings, services)
    except BoltError as error:
        raise StartupError(f"Slack did not accept SLACK_BOT_TOKEN: {error}") from None
    except OSError as error:
        raise StartupError(
            f"cannot reach Slack at {settings.slack_api_url} ({error}); check SLACK_API_URL "
            "and the network"
        ) from None


def build_jobs(settings: Settings, db: Database, clock: Clock) -> Jobs:
    client = dispatcher_client(settings.bot_token, settings.slack_api_url)
    dispatcher = Dispatcher(db, clock, client, pace=settings.dm_per_second)
    # Digests are drawn by `bot.usecases.digests.content.render_digest`, the default renderer,
    # and posted from the DMs' pacer: one workspace budget, under RAPPORT_DM_PER_SECOND too.
    return Jobs(db, clock, dispatcher)


@contextmanager
def scheduler_turn(db: Database) -> Iterator[bool]:
    """Whether this process may run the scheduler, for as long as the block runs: always on
    PostgreSQL (its row locks keep any number apart); on SQLite only when no other process on
    the same file runs one.

    The turn is an flock on a file beside the database, so it ends with the process, crash or
    not, and a process started afterwards (a worker uvicorn restarts) can take it.
    """
    if db.path is None:  # PostgreSQL, or an in-memory SQLite no other process can open
        yield True
        return
    descriptor = os.open(
        side_file(db.path, SCHEDULER_LOCK_SUFFIX), os.O_CREAT | os.O_RDWR, OWNER_ONLY
    )
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # the turn, if it was this process's, ends here


@contextmanager
def sole_sqlite_scheduler(db: Database) -> Iterator[None]:
    """Refuse to run a second scheduler on one SQLite file (`scheduler_turn`); PostgreSQL
    allows any number."""
    with scheduler_turn(db) as mine:
        if not mine:
            raise StartupError(
                f"another Rapport scheduler is running on {db.engine.url.database}: SQLite "
                "allows one. Stop it, run `rapport serve --no-scheduler` beside it, or move to "
                "PostgreSQL"
            )
        yield


class _TokenGivenTwice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns, on every start,
    that the client Rapport gives it (made with that same token) wins: nothing to act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_BOLT_LOG = logging.getLogger("slack_bolt.App")
if not any(isinstance(f, _TokenGivenTwice) for f in _BOLT_LOG.filters):
    _BOLT_LOG.addFilter(_TokenGivenTwice())


def create_app(settings: Settings, services: Services) -> App:
    """The Bolt app with every surface's listeners (`handlers.SURFACES`) and the error handler.

    Only the company's own members get past the front: `handlers.members_only` refuses other
    organisations and other workspaces before any listener runs, and guests where a use case
    loads the person asking.
    """
    app = App(
        client=app_client(settings.bot_token, settings.slack_api_url),
        signing_secret=settings.signing_secret or "",
        process_before_response=True,
        # Over HTTP every request is verified on its raw bytes before Bolt sees it
        # (`bot.web`); Bolt's check would come after parsing and logs failing bodies whole.
        # Over Socket Mode Slack's own connection is the authentication.
        request_verification_enabled=False,
        # This middleware swaps the bot token for a `bot_access_token` found in a payload
        # (workflow functions, which Rapport has none of): a body naming one made every reply
        # fail with `not_authed`.
        attaching_function_token_enabled=False,
        # This one gives event listeners `say`, `set_status` and the like for the threads of
        # Slack's AI apps, which Rapport is not.
        attaching_conversation_kwargs_enabled=False,
        # Kept on: `ssl_check` answers Slack's certificate checks of the command URL (when
        # signed) with an empty 200 and runs no listener, even for a command that carries one;
        # `url_verification` answers the Events API's challenge when the request URL is set;
        # ignoring self events keeps Rapport's own messages from ever reaching a listener.
        #
        # A request no listener takes is handed to the error handler below, which notes its
        # kind in one line, instead of Bolt's warning with a code sample for every one.
        raise_error_for_unhandled_request=True,
    )
    app.middleware(HookedClient())
    handlers.register(app, services)
    app.error(_unexpected_error_handler(services))
    return app


class HookedClient(Middleware):
    """Listeners get a `SlackClient`, as Bolt makes a plain WebClient for each request: the web
    layer's hook then runs before each of their Slack calls (`bot.slack.clients`).

    A `Middleware` rather than a function, for the reason `handlers.members_only.MembersOnly`
    gives: Bolt builds a function middleware's arguments anew on each request."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        context = req.context
        if context.client is not None:
            context["client"] = per_request_client(context.client)
        return next()


def _unexpected_error_handler(services: Services) -> Any:
    def unexpected_error(
        error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> Any:
        """Log the failure, and tell the user plainly instead of letting Slack time out.

        Only verified requests reach Bolt (`bot.web`); a response_url is posted to only on
        Slack's own hooks host. A guest, refused where the asker was loaded, is no failure:
        they are told why, before anything else was read.
        """
        if isinstance(error, NotAMember):
            return members_only.refuse(services, client, body, context, error)
        if isinstance(error, DeadlineExceeded):
            # The web layer has answered already, saying whether anything was saved.
            return None
        if isinstance(error, BoltUnhandledRequestError):
            log.info("no listener for a request of kind %s", _kind_detail(body))
            if kind_of(body) == "event_callback":
                # Slack retries an event answered with anything but a 2xx, and a retry cannot
                # be handled any better: a 200, and no work.
                return BoltResponse(status=200, body="")
            # Bolt's 404 stands: Slack sent something Rapport has no listener for.
            return None
        log.error("unexpected failure", exc_info=error)
        message = problem(_reader_for(services, body), "problem.unexpected").text
        return answer_by_kind(kind_of(body), body, message, client.base_url)

    return unexpected_error


def _kind_detail(body: dict[str, Any]) -> str:
    """The kind of a request, with the event's type for an event when it looks like one Slack
    names ("?" otherwise): nothing a person or a forger wrote."""
    kind = kind_of(body) or "(none)"
    if kind == "event_callback":
        return f"{kind}/{events.event_type(body)}"
    return kind


def _reader_for(services: Services, body: dict[str, Any]) -> Reader:
    """The user's language if the body names them and the database still answers; English
    otherwise."""
    team = body.get("team_id") or _id_of(body.get("team"))
    user = body.get("user_id") or _id_of(body.get("user"))
    if not isinstance(team, str) or not isinstance(user, str):
        return Reader()
    try:
        return services.logcontact.reader_for(team, user)
    except Exception:
        return Reader()


def _id_of(value: Any) -> Any:
    """`value["id"]` for a Slack object, the value itself for a bare id."""
    return value.get("id") if isinstance(value, dict) else value
