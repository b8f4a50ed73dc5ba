"""Texts waiting for their author to choose a reading: kept an hour, the author's alone."""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import PendingCommand
from storage.queries.common import rows_changed


def add_pending(
    session: Session,
    workspace_id: int,
    member_id: int,
    text: str,
    answers: dict[str, str],
    now: datetime,
) -> str:
    """Keep `text` and the answers given so far; returns the id the buttons carry."""
    pending_id = secrets.token_hex(16)
    session.add(
        PendingCommand(
            id=pending_id,
            workspace_id=workspace_id,
            member_id=member_id,
            text=text,
            answers=json.dumps(answers),
            created_at=now,
        )
    )
    return pending_id


def pending_of(
    session: Session, workspace_id: int, member_id: int, pending_id: str, since: datetime
) -> tuple[str, dict[str, str]] | None:
    """The member's own waiting text and its answers, if it is younger than `since`."""
    row = session.scalars(
        select(PendingCommand).where(
            PendingCommand.id == pending_id,
            PendingCommand.workspace_id == workspace_id,
            PendingCommand.member_id == member_id,
            PendingCommand.created_at >= since,
        )
    ).one_or_none()
    if row is None:
        return None
    answers = json.loads(row.answers)
    return row.text, {str(k): str(v) for k, v in answers.items()}


def drop_pending(session: Session, pending_id: str) -> bool:
    """Forget a waiting text once it is answered; False when it was gone already."""
    return rows_changed(session, delete(PendingCommand).where(PendingCommand.id == pending_id)) > 0


def forget_pending_before(session: Session, before: datetime) -> int:
    """Drop waiting texts kept since before `before`; how many went."""
    return rows_changed(session, delete(PendingCommand).where(PendingCommand.created_at < before))
