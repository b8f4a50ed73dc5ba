"""Start-up checks that end in one clear line instead of a traceback."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.rules.clock import Clock
from bot.settings import Settings
from storage.db import OWNER_ONLY, Database, sqlite_path
from storage.migrate import current_revision, head_revision, upgrade

if TYPE_CHECKING:
    from bot.services import Services
    from scheduler.jobs import Jobs

DISPATCH_TIMEOUT_SECONDS = 10


class StartupError(Exception):
    """Rapport cannot start; the message says why and what to do."""


def first_line(error: Exception) -> str:
    """The driver's own message, first line only: enough for an operator, no traceback."""
    return str(getattr(error, "orig", error)).strip().splitlines()[0]


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
    from bot.app import create_app

    try:
        return create_app(settings, services)
    except BoltError as error:
        raise StartupError(f"Slack did not accept SLACK_BOT_TOKEN: {error}") from None
    except OSError as error:
        raise StartupError(
            f"cannot reach Slack at {settings.slack_api_url} ({error}); check SLACK_API_URL "
            "and the network"
        ) from None


def dispatcher_client(settings: Settings) -> WebClient:
    """The Web API client the dispatcher posts with.

    No retry handlers: a 429 is the dispatcher's to wait out (it records the bundle as not sent
    first), and slack_sdk's connection-error retry could post a DM twice.
    """
    return WebClient(
        token=settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=DISPATCH_TIMEOUT_SECONDS,
        retry_handlers=[],
    )


def build_jobs(settings: Settings, db: Database, clock: Clock) -> Jobs:
    from scheduler.dispatcher import Dispatcher
    from scheduler.jobs import Jobs

    dispatcher = Dispatcher(db, clock, dispatcher_client(settings), pace=settings.dm_per_second)
    return Jobs(db, clock, dispatcher)


@contextmanager
def sole_sqlite_scheduler(db: Database) -> Iterator[None]:
    """Refuse to run a second scheduler on one SQLite file; PostgreSQL allows any number.

    The lock is an flock on a file beside the database, so it ends with the process, crash or not.
    """
    path = db.engine.url.database
    if db.backend != "sqlite" or path in (None, "", ":memory:"):
        yield
        return
    descriptor = os.open(f"{path}.scheduler.lock", os.O_CREAT | os.O_RDWR, OWNER_ONLY)
    with os.fdopen(descriptor, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StartupError(
                f"another Rapport scheduler is running on {path}: SQLite allows one. Stop it, "
                "run `rapport serve --no-scheduler` beside it, or move to PostgreSQL"
            ) from None
        yield
