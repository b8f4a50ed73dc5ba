"""How the database plans a read: the statements some work sends, and a statement explained on
the backend it ran on, so that a test can say which index a read goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


def statements_sent(session: Session, work: Callable[[Session], object]) -> list[tuple[str, Any]]:
    """The statements `work` sends through `session`, each with its parameters, as the driver
    got them."""
    seen: list[tuple[str, Any]] = []
    engine = session.get_bind()

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        work(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


def explained(session: Session, statement: str, parameters: Any) -> str:
    """The plan of a SELECT as the driver got it, as one line of text: SQLite's EXPLAIN QUERY
    PLAN, or PostgreSQL's EXPLAIN with sequential scans discouraged (as a large table would
    discourage them; the test data is small). In the session's transaction."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    else:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
    return " ".join(str(row) for row in rows)


def plan_of(session: Session, read: Callable[[Session], object]) -> str:
    """The plan (`explained`) of the last statement `read` sends through `session`."""
    statement, parameters = statements_sent(session, read)[-1]
    return explained(session, statement, parameters)
