"""Start-up checks that end in one clear line instead of a traceback."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.error import BoltError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from storage.db import Database
from storage.migrate import current_revision, head_revision, upgrade

if TYPE_CHECKING:
    from bot.services import Services


class StartupError(Exception):
    """Rapport cannot start; the message says why and what to do."""


def first_line(error: Exception) -> str:
    """The driver's own message, first line only: enough for an operator, no traceback."""
    return str(getattr(error, "orig", error)).strip().splitlines()[0]


def open_database(url: str, *, migrate_sqlite: bool = True) -> Database:
    """Connect and check the schema: SQLite migrates itself, PostgreSQL must be migrated."""
    db = Database(url)
    shown = make_url(url).render_as_string(hide_password=True)
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
