"""What Slack sent already: Events API ids handled, and signatures of requests served."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    ProcessedEvent,
    SeenRequest,
)
from storage.queries.common import insert_ignoring_conflict, rows_changed


def claim_event(session: Session, event_id: str, team_id: str, now: datetime) -> bool:
    """Record an Events API id; False when it was handled before (Slack retried it)."""
    return insert_ignoring_conflict(
        session,
        ProcessedEvent,
        {"event_id": event_id, "team_id": team_id, "received_at": now},
        ["event_id"],
    )


def forget_events_before(session: Session, before: datetime) -> int:
    """Drop event ids received before `before`; how many went."""
    return rows_changed(session, delete(ProcessedEvent).where(ProcessedEvent.received_at < before))


def first_sighting(session: Session, signature: str, request_ts: int) -> bool:
    """Record a request's signature digest; False when it was served before (a replay).

    Every command and interaction starts with it, so its statement is built once per backend
    (`insert_ignoring_conflict` builds one for each call, which cost more than running it)."""
    connection = session.connection()  # a Core statement: none of the ORM's execution
    statement = _FIRST_SIGHTING[connection.dialect.name]
    values = {"signature": signature, "request_ts": request_ts}
    # RETURNING says whether a row went in; rowcount is not reliable across drivers here.
    return connection.execute(statement, values).first() is not None


_SEEN: Any = SeenRequest.__table__
_FIRST_SIGHTING = {
    backend.dialect.name: backend.insert(_SEEN)
    .on_conflict_do_nothing(index_elements=["signature"])
    .returning(_SEEN.c.signature)
    for backend in (postgresql, sqlite)
}


def forget_requests_before(session: Session, request_ts: int) -> int:
    """Drop signatures stamped before `request_ts` (Unix seconds); how many went."""
    return rows_changed(session, delete(SeenRequest).where(SeenRequest.request_ts < request_ts))
