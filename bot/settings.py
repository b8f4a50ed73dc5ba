"""Settings from the environment (or a `.env` file beside the working directory).

Each command asks only for what it needs: `rapport migrate` needs a database, `rapport serve`
needs tokens too. A missing or malformed setting becomes one `SettingsError` line that names it,
which the CLI prints instead of a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SLACK_API_URL_DEFAULT = "https://slack.com/api/"
DATABASE_URL_DEFAULT = "sqlite:///rapport.db"
PORT_DEFAULT = 3000


class SettingsError(Exception):
    """A setting the chosen mode needs is missing or malformed; the message names it."""


class StartupError(Exception):
    """Rapport cannot start; the message says why and what to do. (Here, beside the settings,
    so that the `rapport` command can name it without importing all of Rapport.)"""


@dataclass(frozen=True)
class Settings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    slack_api_url: str
    database_url: str
    port: int
    # The most posts a second Rapport may send to Slack (nudge DMs and digests); the pace below
    # it is learned from Slack's 429s. None: no ceiling, the learned pace alone.
    dm_per_second: float | None = None

    @property
    def socket_mode(self) -> bool:
        """Socket Mode whenever an app-level token is configured; HTTP otherwise."""
        return self.app_token is not None

    def require_bot_token(self) -> None:
        """Check what the scheduled jobs need: they call Slack, but receive nothing from it."""
        _require_token("SLACK_BOT_TOKEN", self.bot_token, "xoxb-")

    def require_slack(self) -> None:
        """Check the settings `rapport serve` needs in the mode they select."""
        _require_token("SLACK_BOT_TOKEN", self.bot_token, "xoxb-")
        if self.socket_mode:
            _require_token("SLACK_APP_TOKEN", self.app_token, "xapp-")
        elif not self.signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is missing: HTTP mode verifies every request with it "
                "(Basic Information → App Credentials in your Slack app's settings)"
            )


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings; values already in the environment win over the `.env` file."""
    if environ is None:
        if dotenv:
            from dotenv import load_dotenv

            load_dotenv(os.path.join(os.getcwd(), ".env"), override=False)
        environ = os.environ

    def get(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    return Settings(
        bot_token=get("SLACK_BOT_TOKEN"),
        signing_secret=get("SLACK_SIGNING_SECRET"),
        app_token=get("SLACK_APP_TOKEN"),
        slack_api_url=_slack_api_url(get("SLACK_API_URL")),
        database_url=_database_url(get("DATABASE_URL")),
        port=_port(get("PORT")),
        dm_per_second=_rate(get("RAPPORT_DM_PER_SECOND")),
    )


def _require_token(name: str, value: str | None, prefix: str) -> None:
    if not value:
        raise SettingsError(f"{name} is missing: set it in the environment or in .env")
    if not value.startswith(prefix):
        raise SettingsError(f"{name} is malformed: it should start with '{prefix}'")


def _slack_api_url(value: str | None) -> str:
    if value is None:
        return SLACK_API_URL_DEFAULT
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(
            f"SLACK_API_URL is malformed: {value!r} is not an http(s) URL "
            f"(default {SLACK_API_URL_DEFAULT})"
        )
    # slack_sdk appends method names to the base URL, so it must end with a slash.
    return value if value.endswith("/") else value + "/"


def _database_url(value: str | None) -> str:
    if value is None:
        return DATABASE_URL_DEFAULT
    try:
        url = make_url(value)
    except ArgumentError:
        raise SettingsError(
            f"DATABASE_URL is malformed: {value!r} (examples: sqlite:///rapport.db, "
            "postgresql+psycopg://user:password@host/rapport)"
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingsError(
            f"DATABASE_URL names {url.get_backend_name()!r}: Rapport runs on sqlite or postgresql"
        )
    if url.drivername == "postgresql":
        # Rapport installs psycopg 3 only; a bare postgresql:// would ask for psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _port(value: str | None) -> int:
    if value is None:
        return PORT_DEFAULT
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SettingsError(f"PORT is malformed: {value!r} is not a port number (1-65535)")
    return int(value)


def _rate(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        rate = float(value)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= 1000:
        raise SettingsError(
            f"RAPPORT_DM_PER_SECOND is malformed: {value!r} is not a rate (a number above 0, "
            "e.g. 10)"
        )
    return rate
