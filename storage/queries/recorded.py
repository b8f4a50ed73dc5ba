"""When a workspace's rows say they were last written: for a clock that must not go back on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Bundle, Interaction, Partner, Promise


def latest_recorded(session: Session, workspace_id: int) -> datetime | None:
    """The latest instant a row of the workspace was written or settled at (a contact or
    promise logged, a promise resolved, a partner added, a nudge DM sent), or None when it has
    none. Columns that name a time to come (a planned send, a lease) are left out: they say
    nothing of what has happened."""
    columns = (
        (Interaction.created_at, Interaction.workspace_id),
        (Promise.created_at, Promise.workspace_id),
        (Promise.resolved_at, Promise.workspace_id),
        (Partner.created_at, Partner.workspace_id),
        (Bundle.done_at, Bundle.workspace_id),
    )
    found = [
        session.scalar(select(func.max(column)).where(workspace == workspace_id))
        for column, workspace in columns
    ]
    instants = [instant for instant in found if instant is not None]
    return max(instants) if instants else None
