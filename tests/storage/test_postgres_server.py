"""The test set-up can start a real PostgreSQL server, copy databases from a template and stop.

A machine without the server binaries fails here with the install hint instead of silently
skipping every PostgreSQL test; RAPPORT_TEST_POSTGRES=off is the explicit way to skip.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests.support.postgres import INSTALL_HINT, PostgresServer, postgres_disabled

pytestmark = pytest.mark.postgres


def bindir_or_stop() -> Path:
    bindir = PostgresServer.find_bindir()
    if bindir is None:
        if postgres_disabled():
            pytest.skip("RAPPORT_TEST_POSTGRES=off and no PostgreSQL server binaries installed")
        pytest.fail(INSTALL_HINT, pytrace=False)
    return bindir


def scalar(url: str, query: str) -> object:
    # NullPool: a pooled connection left open would block using the database as a template.
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(query)).scalar_one()
    finally:
        engine.dispose()


def test_server_starts_copies_a_template_and_stops() -> None:
    server = PostgresServer(bindir_or_stop())
    server.start()
    try:
        assert server.startup_seconds is not None
        assert server.startup_seconds < 10, f"slow start: {server.startup_seconds:.1f}s"
        port = server.port
        assert server.admin_url == f"postgresql+psycopg://rapport@127.0.0.1:{port}/postgres"

        template_url = server.create_database("rapport_template")
        engine = sa.create_engine(template_url, poolclass=NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text("create table marker (id int primary key)"))
            connection.execute(sa.text("insert into marker values (42)"))
        engine.dispose()

        copy_url = server.create_database("rapport_copy", template="rapport_template")
        assert copy_url.endswith("/rapport_copy")
        assert scalar(copy_url, "select id from marker") == 42
        version = scalar(copy_url, "select version()")
        assert isinstance(version, str) and version.startswith("PostgreSQL")

        server.drop_database("rapport_copy")
        server.drop_database("rapport_template")
        names = scalar(
            server.admin_url,
            "select count(*) from pg_database where datname like 'rapport_%'",
        )
        assert names == 0
    finally:
        server.stop()

    with socket.socket() as probe, pytest.raises(OSError):
        probe.settimeout(1)
        probe.connect(("127.0.0.1", port))


def test_missing_binaries_are_reported_with_the_install_hint(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="apt-get install -y postgresql"):
        PostgresServer(tmp_path).start()
