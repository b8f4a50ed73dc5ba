"""Contacts (interactions) and the promises logged with them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from storage.models import (
    Interaction,
    Promise,
)


def find_interaction(
    session: Session, workspace_id: int, interaction_id: int, *, for_update: bool = False
) -> Interaction | None:
    """The contact; `for_update` locks it until the transaction ends and reads it afresh, so
    two changes of one contact at once (Undo and Undo, Edit and Undo) run one after the other."""
    query = select(Interaction).where(
        Interaction.workspace_id == workspace_id, Interaction.id == interaction_id
    )
    if for_update:
        query = query.with_for_update(of=Interaction).execution_options(populate_existing=True)
    return session.scalars(query).one_or_none()


def promises_of(session: Session, workspace_id: int, interaction_id: int) -> list[Promise]:
    return list(
        session.scalars(
            select(Promise)
            .where(Promise.workspace_id == workspace_id, Promise.interaction_id == interaction_id)
            .order_by(Promise.id)
        )
    )


def add_promise(
    session: Session,
    interaction: Interaction,
    *,
    text: str,
    due_on: date,
    now: datetime,
    promised_by: str = "us",
) -> Promise:
    # Linked by relationship, so a new contact and its promise go in with one flush.
    promise = Promise(
        workspace_id=interaction.workspace_id,
        partner_id=interaction.partner_id,
        member_id=interaction.member_id,
        interaction=interaction,
        text=text,
        due_on=due_on,
        status="open",
        created_at=now,
        promised_by=promised_by,
    )
    session.add(promise)
    return promise
