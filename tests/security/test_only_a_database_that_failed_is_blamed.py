""" "The database did not answer" is said only when it is true: when the database answered and
refused a statement (a constraint, a value it cannot hold), trying again cannot help, and the
user is told something went wrong on Rapport's side instead."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from storage.db import DatabaseFileMissing, database_failed
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.rows import Interaction, Partner, count


@pytest.mark.parametrize(
    ("error", "failed"),
    [
        (OperationalError("SELECT 1", {}, Exception("server closed the connection")), True),
        (PoolTimeout("QueuePool limit reached"), True),
        (DatabaseFileMissing("gone"), True),
        (IntegrityError("INSERT", {}, Exception("duplicate key")), False),
        (DataError("INSERT", {}, Exception("value too long")), False),
        (ProgrammingError("SELECT", {}, Exception("syntax")), False),
    ],
)
def test_only_a_database_that_failed_counts_as_failed(error: Exception, failed: bool) -> None:
    assert database_failed(error) is failed


@pytest.mark.parametrize(
    ("user", "said", "not_said"),
    [
        ("U0ALICE", "Something went wrong on our side", "database did not answer"),
        ("U0JONAS", "Bei uns ist etwas schiefgegangen", "Datenbank hat nicht geantwortet"),
    ],
)
def test_a_refused_statement_is_not_blamed_on_the_database(
    rapport: RunningRapport, user: str, said: str, not_said: str
) -> None:
    assert rapport.command("help", user=user).reply()

    with_refusal = rapport.db.engine
    refused: list[str] = []

    def refuse(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO INTERACTIONS"):
            refused.append(statement)
            raise DataError(statement, {}, Exception("value too long for type"))

    event.listen(with_refusal, "before_cursor_execute", refuse)
    try:
        shown = texts(rapport.command("Acme call kickoff", user=user).reply())
    finally:
        event.remove(with_refusal, "before_cursor_execute", refuse)

    assert refused
    assert said in shown and not_said not in shown
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (0, 0)
