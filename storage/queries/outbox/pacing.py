"""A workspace's posting budget as the dispatchers share it: its row read for update, made on
first use, and written back (`bot.rules.pacing` decides what goes in it; these only store).

One row per workspace (`PostingPace`). It is read and written once per grant of send slots (a
quarter second's worth: at most about four times a second by a sender, once per claimed batch
at a hundred a second) and once per 429; above four posts a second, never once per post. The
row is locked while a grant is decided (FOR UPDATE on PostgreSQL; SQLite's writes are serial),
so two processes never get the same slots.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import PostingPace
from storage.queries.common import insert_ignoring_conflict


def locked_pace(session: Session, workspace_id: int, first: dict[str, Any]) -> PostingPace:
    """The workspace's row, locked until the transaction ends; made from `first` (the columns
    but the key) when the workspace has none yet. Another process making it at the same time
    is no error: its row is the one returned."""
    row = _locked(session, workspace_id)
    if row is None:
        insert_ignoring_conflict(
            session, PostingPace, {**first, "workspace_id": workspace_id}, ["workspace_id"]
        )
        row = _locked(session, workspace_id)
        assert row is not None, "just made, by this process or another"
    return row


def store_pace(row: PostingPace, values: dict[str, Any]) -> None:
    """Write `values` (columns but the key, `updated_at` among them) to the locked row."""
    for name, value in values.items():
        setattr(row, name, value)


def _locked(session: Session, workspace_id: int) -> PostingPace | None:
    statement = (
        select(PostingPace)
        .where(PostingPace.workspace_id == workspace_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).first()
