"""Texts waiting for their author to choose a reading: kept an hour, the author's alone."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
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


def take_pending(
    session: Session,
    workspace_id: int,
    member_id: int,
    pending_id: str,
    since: datetime,
    fits: Callable[[str], bool] = lambda _text: True,
) -> tuple[str, dict[str, str]] | None:
    """The member's own waiting text and its answers, taken by deleting it, if it is younger
    than `since` and `fits` it (a question's press answers only its own kind of text). Of two
    presses at once (two answers, or an answer and Cancel) only the one whose delete took the
    row gets it; on PostgreSQL the other's delete waits for the first to commit, then finds
    none."""
    waiting = pending_of(session, workspace_id, member_id, pending_id, since)
    if waiting is None or not fits(waiting[0]) or not drop_pending(session, pending_id):
        return None
    return waiting


def forget_pending_before(session: Session, before: datetime) -> int:
    """Drop waiting texts kept since before `before`; how many went."""
    return rows_changed(session, delete(PendingCommand).where(PendingCommand.created_at < before))
