"""What every query module needs: INSERT … ON CONFLICT DO NOTHING in the session's dialect,
the count of rows an UPDATE or DELETE touched, and the type of a row of any columns."""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from sqlalchemy import CursorResult, Delete, Row, Select, Update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    Base,
)

# A row of any number of columns: Row is generic over each column's type, so Row[Any] would be
# a row of exactly one column.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]
# And a SELECT of any number of columns, for the same reason.
AnySelect: TypeAlias = Select[*tuple[Any, ...]]


def plain_rows(session: Session, query: AnySelect, values: dict[str, Any]) -> list[AnyRow]:
    """The rows of a SELECT of columns (no entities), read through the session's connection:
    the same rows as `session.execute(query, values).all()`, without the ORM's handling of
    each result row, which cost a digest more than its database did. Pending changes are
    flushed first, as `Session.execute` would."""
    if session.autoflush:
        session.flush()
    return list(session.connection().execute(query, values).all())


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_or_nothing(session: Session, table: Any, conflict: list[str]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on `conflict`, in the session's dialect."""
    dialect = postgresql if is_postgres(session) else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=conflict)


def insert_ignoring_conflict(
    session: Session, model: type[Base], values: dict[str, Any], conflict: list[str]
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING, so racing requests create a row once; True if it did."""
    statement = insert_or_nothing(session, model, conflict).values(**values)
    # RETURNING says whether a row went in; rowcount is not reliable across drivers here.
    returning = statement.returning(*model.__table__.primary_key)
    return session.execute(returning).first() is not None


def rows_changed(session: Session, statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE; how many rows it matched."""
    # Session.execute is typed to return a Result, but for an UPDATE or DELETE it returns a
    # CursorResult, which is what carries rowcount.
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount or 0
