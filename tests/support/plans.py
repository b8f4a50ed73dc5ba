"""How the database plans a read: the last statement a read sends, explained on the backend it
ran on, so that a test can say which index a read goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


def plan_of(session: Session, read: Callable[[Session], object]) -> str:
    """The plan of the last statement `read` sends through `session`, as one line of text:
    SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with sequential scans discouraged
    (as a large table would discourage them; the test data is small). Run in the session's
    transaction."""
    seen: list[tuple[str, Any]] = []
    engine = session.get_bind()

    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        read(session)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = seen[-1]
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    else:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
    return " ".join(str(row) for row in rows)
