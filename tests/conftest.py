"""Fixtures: a fixed clock, a Slack stand-in, and a fresh database per test on both backends.

Every scenario runs twice, on SQLite and on a real PostgreSQL server started for the session.
Both start from a template migrated once, so a test costs a file copy or a CREATE DATABASE.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.sandbox.workspace import bypass_proxies
from storage.db import Database
from storage.migrate import is_current, upgrade
from storage.queries.health.drift import drift
from tests.support.app import RunningRapport
from tests.support.postgres import PostgresServer
from tests.support.privacy import capturing_logs, leaks
from tests.support.world import NOW, TEAM

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
_database_names = itertools.count()

# Everything the tests talk to is on loopback, which a proxy from the environment cannot reach.
bypass_proxies()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    if os.environ.get("RAPPORT_TEST_POSTGRES") == "off":
        pytest.skip("RAPPORT_TEST_POSTGRES=off")
    bindir = PostgresServer.find_bindir()
    if bindir is None:
        pytest.fail(
            "PostgreSQL server binaries not found: run the test command (bash tests/run.sh), "
            "which installs Debian's postgresql package, or `apt-get install -y postgresql`"
        )
    server = PostgresServer(bindir).start()
    template = Database(server.create_database("rapport_template"))
    upgrade(template.engine)
    template.dispose()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "rapport.db"
    template = Database(f"sqlite:///{path}")
    upgrade(template.engine)
    template.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database of the test's own, as a file: for what only SQLite has (its
    write locks in and among processes), whichever backends the run covers."""
    shutil.copy(sqlite_template, tmp_path / "rapport.db")
    db = Database(f"sqlite:///{tmp_path / 'rapport.db'}")
    yield db
    db.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "rapport.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    name = f"test_{next(_database_names)}"
    url = server.create_database(name, template="rapport_template")
    yield url
    server.drop_database(name)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The test's database; afterwards, every partner's contact times must still be what its
    history says (`storage.queries.health.drift`): a write that forgot to keep them fails the
    test that made it."""
    database = Database(database_url)
    yield database
    found = []
    try:
        # A test of an older migration leaves its database at that revision: nothing to check.
        if is_current(database.engine):
            with database.reading() as session:
                found = list(drift(session))
    finally:
        database.dispose()
    assert not found, f"contact times differ from the history: {found[:3]}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def slack(clock: ManualClock) -> Iterator[SlackStandIn]:
    """A workspace with colleagues in Berlin and New York and partners in Tokyo and London.

    Messages are dated by the test's clock, so a nudge's `ts` says when, in the test's time, it
    arrived.
    """
    with SlackStandIn(team_id=TEAM, message_clock=clock.now) as standin:
        standin.add_user("U0ALICE", name="alice", real_name="Alice Berger", tz="Europe/Berlin")
        standin.add_user(
            "U0JONAS", name="jonas", real_name="Jonas Weber", tz="Europe/Berlin", locale="de-DE"
        )
        standin.add_user("U0BOB", name="bob", real_name="Bob Miller", tz="America/New_York")
        standin.add_user(
            "U0KENJI",
            team_id="T0PARTNER",
            name="kenji",
            real_name="Kenji Sato",
            tz="Asia/Tokyo",
            locale="ja-JP",
            email="kenji@partner.example",
        )
        standin.add_user(
            "U0EMMA", team_id="T0BRIT", name="emma", real_name="Emma Clarke", tz="Europe/London"
        )
        standin.add_channel("C0TEAM", name="partners-team", members=["U0ALICE", "U0JONAS", "U0BOB"])
        standin.add_channel(
            "C0SHARED",
            name="acme-partners",
            members=["U0ALICE", "U0KENJI", "U0EMMA"],
            is_ext_shared=True,
        )
        yield standin


@pytest.fixture
def rapport(db: Database, clock: ManualClock, slack: SlackStandIn) -> Iterator[RunningRapport]:
    """The app, and afterwards a check that nothing private it was sent reached a log line."""
    with capturing_logs() as logs:
        running = RunningRapport(db, clock, slack).start()
        yield running
        running.stop()
    found = leaks(logs, running.sent)
    assert not found, "private data in the logs:\n" + "\n".join(found)
