"""A Slack workspace on this machine: the real app, a stand-in Slack, seeded people, a clock.

Nothing here needs a network or a token. The signing secret and bot token are made up per run,
the database is SQLite in a temporary folder (or a file the user names, to keep it), and the
clock stands still until the user moves it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.bootstrap import open_database
from bot.parsing.dates import warm_up
from bot.rules.clock import ManualClock
from bot.sandbox.loopback import LoopbackRapport
from bot.sandbox.standin import SlackStandIn
from bot.sandbox.timeline import Jobs
from storage.db import Database, side_file
from storage.queries.members import find_workspace, latest_recorded

TEAM_ID = "T0SANDBOX"
YOU = "U0YOU"
LOCALES = {"en": "en-US", "de": "de-DE"}


@dataclass(frozen=True)
class Person:
    """Someone in the sandbox's Slack: a colleague in the workspace or an external partner."""

    user_id: str
    username: str
    real_name: str
    tz: str
    locale: str
    team_id: str = TEAM_ID
    email: str | None = None
    guest: bool = False  # a workspace guest (Slack's `is_restricted`), not a colleague
    deleted: bool = False  # deactivated: they left the company (Slack's `deleted`)

    @property
    def external(self) -> bool:
        """From another organisation, reached through a Slack Connect channel."""
        return self.team_id != TEAM_ID

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def answers_to(self, key: str) -> bool:
        """Whether `key` names this person: id, username, full name or first name."""
        wanted = key.strip().lstrip("@").casefold()
        names = {self.user_id, self.username, self.real_name, self.real_name.split()[0]}
        return wanted in {name.casefold() for name in names}


@dataclass(frozen=True)
class Channel:
    channel_id: str
    name: str
    members: tuple[str, ...]
    shared: bool = False
    archived: bool = False


@dataclass(frozen=True)
class SeedMessage:
    channel_id: str
    user_id: str
    text: str  # Slack-escaped, as Slack stores it


def seed_people(*, name: str, lang: str) -> list[Person]:
    """You in Berlin, colleagues in New York, Berlin and Lisbon, partners in Tokyo and London."""
    name = name.strip() or "You"
    username = name.split()[0].casefold()
    return [
        Person(YOU, username, name, "Europe/Berlin", LOCALES[lang]),
        Person("U0BOB", "bob", "Bob Miller", "America/New_York", "en-US"),
        Person(
            "U0KENJI",
            "kenji",
            "Kenji Sato",
            "Asia/Tokyo",
            "ja-JP",
            team_id="T0OSAKA",
            email="kenji@osaka-robotics.example",
        ),
        Person(
            "U0EMMA",
            "emma",
            "Emma Clarke",
            "Europe/London",
            "en-GB",
            team_id="T0BRIGHTON",
            email="emma@brighton-freight.example",
        ),
        Person("U0LENA", "lena", "Lena Wolf", "Europe/Berlin", "de-DE"),
        Person("U0RUI", "rui", "Rui Costa", "Europe/Lisbon", "en-GB"),
    ]


# Two channels shared with the partners' organisations: a small one, where every message is
# read by everyone (at most 5 members with the bot), and a large one, where only a mention or
# @here/@channel/@everyone reaches someone.
CHANNELS = [
    Channel("C0TEAM", "partners-team", (YOU, "U0BOB")),
    Channel("C0SHARED", "acme-partners", (YOU, "U0BOB", "U0KENJI", "U0EMMA"), shared=True),
    Channel(
        "C0COMMUNITY",
        "acme-community",
        (YOU, "U0BOB", "U0LENA", "U0RUI", "U0KENJI", "U0EMMA"),
        shared=True,
    ),
]
SEED_MESSAGES = [
    SeedMessage(
        "C0COMMUNITY",
        "U0LENA",
        "Welcome to the partner community: news, releases and questions go here.",
    ),
    SeedMessage(
        "C0SHARED", "U0EMMA", "Thanks for the call! I'll send the January schedule next week."
    ),
]


class ClockFileError(ValueError):
    """A kept sandbox's clock file that cannot be read; the message is one line for the user."""


def clock_file(db_path: Path) -> Path:
    """Where a kept sandbox's clock is saved: beside its database, `rapport.db.clock.json`.

    A side file rather than a table: the sandbox's clock is no part of Rapport's schema, and the
    database stays one `rapport serve` could open. Beside the file a symlink leads to, as the
    lock files are: a database opened under two names (the file, a link to it) has one clock,
    and a run under one name never resumes at an instant before the rows of a run under the
    other.
    """
    return Path(side_file(db_path, ".clock.json"))


def saved_clock(db_path: Path) -> datetime | None:
    """The instant a kept sandbox's clock stopped at, or None when it was never saved.

    Raises ClockFileError when the file is there but unreadable: starting at the real time
    instead could move the clock back before what the database already holds.
    """
    path = clock_file(db_path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as failure:
        raise ClockFileError(f"cannot read the sandbox clock in {path}: {failure}") from None
    try:
        instant = datetime.fromisoformat(json.loads(raw)["now"])
    except (ValueError, TypeError, KeyError) as failure:
        raise ClockFileError(
            f"the sandbox clock in {path} is unreadable ({type(failure).__name__}); "
            "fix or delete it to start at the real time"
        ) from None
    if instant.tzinfo is None:
        raise ClockFileError(f"the sandbox clock in {path} has no time zone")
    return instant.astimezone(UTC)


def save_clock(db_path: Path, instant: datetime) -> None:
    """Keep `instant` beside the database, replacing the file at once (never half written)."""
    path = clock_file(db_path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps({"now": instant.astimezone(UTC).isoformat()}), encoding="utf-8")
    os.replace(partial, path)


class Sandbox:
    """The sandbox workspace, running once `start()` returns; `stop()` (or `with`) ends it.

    `db_path` keeps the database in that file across runs; by default it lives in a temporary
    folder that `stop()` deletes. A kept sandbox keeps its clock too (`clock_file`): reopened,
    it resumes where the last run stopped, or at `start` if one is given and later; never
    earlier.
    """

    def __init__(
        self,
        *,
        name: str = "You",
        lang: str = "en",
        db_path: Path | None = None,
        start: datetime | None = None,
        jobs: Jobs | None = None,
    ) -> None:
        if lang not in LOCALES:
            raise ValueError(f"lang must be one of {', '.join(LOCALES)}, not {lang!r}")
        self.people = seed_people(name=name, lang=lang)
        self.channels = list(CHANNELS)
        # Rapport's own planner and dispatcher unless a caller brings its own.
        self.jobs: Jobs | None = jobs
        # Whole minutes: the prompt shows minutes, and seconds would only blur what "now" is.
        first = (start or datetime.now(UTC)).replace(second=0, microsecond=0)
        # A kept database resumes its clock where it stood (the sandbox's time stands still
        # while no shell runs); a `start` given is taken only if later: rows the database holds
        # were written at the saved instant or before, and the clock never goes back on them.
        self.resumed = saved_clock(db_path) if db_path is not None else None
        # Set when a kept database had no clock file but rows from later than `start`.
        self.caught_up: datetime | None = None
        if self.resumed is not None:
            first = max(self.resumed, first) if start is not None else self.resumed
        self.clock = ManualClock(first)
        self._folder: Path | None = None
        self.kept = db_path is not None
        if db_path is None:
            self._folder = Path(tempfile.mkdtemp(prefix="rapport-sandbox-"))
            db_path = self._folder / "rapport.db"
        self.db_path = db_path
        self.db: Database | None = None
        self.slack: SlackStandIn | None = None
        self._rapport: LoopbackRapport | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        try:
            return self._start()
        except BaseException:
            self.stop()  # nothing half-started left behind: no server, no temporary folder
            raise

    def _start(self) -> Sandbox:
        self.db = open_database(f"sqlite:///{self.db_path}")
        if self.kept and self.resumed is None:
            self._catch_up(self.db)
        warm_up()
        self.slack = SlackStandIn(
            team_id=TEAM_ID,
            team_name="Sandbox",
            # Made up per run: nothing outside this process can hold them.
            bot_token=f"xoxb-sandbox-{secrets.token_hex(12)}",
            app_token=f"xapp-sandbox-{secrets.token_hex(12)}",
            message_clock=self.clock.now,
        ).start()
        self._seed(self.slack)
        self._rapport = LoopbackRapport(
            self.db, self.clock, self.slack, signing_secret=secrets.token_hex(32)
        ).start()
        if self.jobs is None:
            self.jobs = self._scheduled_jobs(self.db, self.slack)
        return self

    def _scheduled_jobs(self, db: Database, slack: SlackStandIn) -> Jobs:
        """The real planner and dispatcher, posting to the stand-in; Retry-After moves the clock."""
        from scheduler.dispatcher import Dispatcher
        from scheduler.jobs import Jobs as ScheduledJobs

        client = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])

        def pause(seconds: float) -> None:
            self.clock.advance(timedelta(seconds=seconds))

        return ScheduledJobs(db, self.clock, Dispatcher(db, self.clock, client, pause=pause))

    def _catch_up(self, db: Database) -> None:
        """A kept database without a clock file (deleted, or kept before there was one): the
        clock starts no earlier than the latest row the database records, to the next minute."""
        with db.reading() as session:
            workspace = find_workspace(session, TEAM_ID)
            latest = latest_recorded(session, workspace.id) if workspace else None
        if latest is not None and latest > self.clock.now():
            minute = latest.replace(second=0, microsecond=0)
            self.caught_up = self.clock.set(
                minute if minute == latest else minute + timedelta(minutes=1)
            )

    def save_clock(self) -> None:
        """Keep the clock's instant beside a kept database, for the next run to resume."""
        if self.kept and self.db is not None:
            save_clock(self.db_path, self.clock.now())

    def stop(self) -> None:
        self.save_clock()
        if self._rapport is not None:
            self._rapport.stop()
            self._rapport = None
        if self.slack is not None:
            self.slack.stop()
            self.slack = None
        if self.db is not None:
            self.db.dispose()
            self.db = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def rapport(self) -> LoopbackRapport:
        if self._rapport is None:
            raise RuntimeError("the sandbox is not started")
        return self._rapport

    @property
    def standin(self) -> SlackStandIn:
        if self.slack is None:
            raise RuntimeError("the sandbox is not started")
        return self.slack

    # --- who is who ------------------------------------------------------------------------------

    def person(self, key: str) -> Person | None:
        return next((p for p in self.people if p.answers_to(key)), None)

    def person_by_id(self, user_id: str) -> Person | None:
        return next((p for p in self.people if p.user_id == user_id), None)

    def channel(self, key: str) -> Channel | None:
        wanted = key.strip().lstrip("#").casefold()
        return next(
            (c for c in self.channels if wanted in (c.name.casefold(), c.channel_id.casefold())),
            None,
        )

    def channel_by_id(self, channel_id: str) -> Channel | None:
        return next((c for c in self.channels if c.channel_id == channel_id), None)

    def dm_recipient(self, channel_id: str) -> Person | None:
        """Whose DM with Rapport `channel_id` is; None for a channel."""
        return next(
            (p for p in self.people if self.standin.dm_channel(p.user_id) == channel_id), None
        )

    def set_locale(self, person: Person, locale: str) -> tuple[Person, dict[str, Any]]:
        """Change someone's Slack language; returns them and their profile as Slack now has it."""
        changed = replace(person, locale=locale)
        self.people = [changed if p.user_id == person.user_id else p for p in self.people]
        return changed, self._add_user(self.standin, changed)

    def add_guest(self, name: str) -> Person:
        """A new workspace guest called `name` (a multi-channel guest, Slack's `is_restricted`),
        in no channel yet; Slack knows them at once (users.info, users.list)."""
        words = name.split()
        username = re.sub(r"[^\w.-]", "", words[0].casefold()) if words else ""
        if not username:
            raise ValueError(f"{name!r} is no name")
        user_id = "U0G" + re.sub(r"[^A-Z0-9]", "", username.upper())[:8]
        if self.person(username) is not None or self.person_by_id(user_id) is not None:
            raise ValueError(f"someone here is called {username} already")
        you = self.people[0]
        guest = Person(user_id, username, " ".join(words), you.tz, "en-US", guest=True)
        self.people.append(guest)
        self._add_user(self.standin, guest)
        return guest

    def join(self, channel: Channel, person: Person) -> Channel:
        """`person` joins `channel`, in the stand-in's members as in the sandbox's."""
        joined = replace(channel, members=(*channel.members, person.user_id))
        self.standin.update_channel(channel.channel_id, join=[person.user_id])
        return self._replace_channel(joined)

    def share(self, channel: Channel) -> Channel:
        """`channel` becomes shared with another organisation (`is_ext_shared`)."""
        self.standin.update_channel(channel.channel_id, is_ext_shared=True)
        return self._replace_channel(replace(channel, shared=True))

    def archive(self, channel: Channel) -> Channel:
        """`channel` is archived: read, but not written to, as Slack keeps it."""
        self.standin.update_channel(channel.channel_id, is_archived=True)
        return self._replace_channel(replace(channel, archived=True))

    def deactivate(self, person: Person) -> tuple[Person, dict[str, Any]]:
        """`person` leaves the company: Slack deactivates their account (`deleted`); returns
        them and their profile as Slack now has it (what its `user_change` event carries)."""
        gone = replace(person, deleted=True)
        self.people = [gone if p.user_id == person.user_id else p for p in self.people]
        return gone, self._add_user(self.standin, gone)

    def _replace_channel(self, changed: Channel) -> Channel:
        self.channels = [
            changed if c.channel_id == changed.channel_id else c for c in self.channels
        ]
        return changed

    # --- seeding ---------------------------------------------------------------------------------

    def _seed(self, slack: SlackStandIn) -> None:
        for person in self.people:
            self._add_user(slack, person)
        for channel in self.channels:
            slack.add_channel(
                channel.channel_id,
                name=channel.name,
                members=list(channel.members),
                is_ext_shared=channel.shared,
            )
        for message in SEED_MESSAGES:
            slack.add_message(message.channel_id, user=message.user_id, text=message.text)

    @staticmethod
    def _add_user(slack: SlackStandIn, person: Person) -> dict[str, Any]:
        return slack.add_user(
            person.user_id,
            team_id=person.team_id,
            name=person.username,
            real_name=person.real_name,
            tz=person.tz,
            locale=person.locale,
            email=person.email,
            is_restricted=person.guest,
            deleted=person.deleted,
        )


PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)


def bypass_proxies() -> None:
    """Make this process ignore proxies from the environment; for `rapport shell` and `demo` only.

    Everything the sandbox talks to is on 127.0.0.1, but slack_sdk sends every call through
    HTTPS_PROXY or HTTP_PROXY when set (it does not read NO_PROXY), and a proxy cannot reach this
    machine's loopback. An empty value means "no proxy" to slack_sdk and urllib alike.
    """
    for name in PROXY_VARIABLES:
        if os.environ.get(name):
            os.environ[name] = ""
