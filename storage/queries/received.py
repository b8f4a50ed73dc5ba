"""What Slack sent already: Events API ids handled, and signatures of requests served."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    delete,
)
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
    """Record a request's signature digest; False when it was served before (a replay)."""
    return insert_ignoring_conflict(
        session,
        SeenRequest,
        {"signature": signature, "request_ts": request_ts},
        ["signature"],
    )


def forget_requests_before(session: Session, request_ts: int) -> int:
    """Drop signatures stamped before `request_ts` (Unix seconds); how many went."""
    return rows_changed(session, delete(SeenRequest).where(SeenRequest.request_ts < request_ts))
