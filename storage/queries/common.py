"""What every query module needs: INSERT … ON CONFLICT DO NOTHING in the session's dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    Base,
)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_or_nothing(session: Session, table: Any, conflict: list[str]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on `conflict`, in the session's dialect."""
    dialect = postgresql if is_postgres(session) else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=conflict)


def insert_ignoring_conflict(
    session: Session, model: type[Base], values: dict[str, Any], conflict: list[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING, so racing requests create a row once."""
    statement = insert_or_nothing(session, model, conflict).values(**values)
    # RETURNING says whether a row went in; rowcount is not reliable across drivers here.
    returning = statement.returning(*model.__table__.primary_key.columns)
    return session.execute(returning).first() is not None
