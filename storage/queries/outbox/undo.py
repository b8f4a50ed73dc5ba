"""Undo of an answer given on a nudge DM: what it changed is kept on the DM's outbox rows and
put back, once, with conditional UPDATEs (see `bot.rules.answer_undo` for the kept form).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Nudge, Partner, Promise
from storage.queries.common import rows_changed


def remember_undo(
    session: Session,
    bundle_id: str,
    kind: str,
    subject_id: int,
    by: int,
    at: datetime,
    state: str,
    until: datetime,
) -> None:
    """Keep on the DM's nudges for one item what the answer just recorded (by `by` at `at`)
    changed, and until when it may be undone."""
    session.execute(
        update(Nudge)
        .where(
            Nudge.bundle_id == bundle_id,
            Nudge.kind == kind,
            Nudge.subject_id == subject_id,
            Nudge.answered_by_id == by,
            Nudge.answered_at == at,
        )
        .values(undo_state=state, undo_until=until)
    )


def clear_answer(
    session: Session, bundle_id: str, kind: str, subject_id: int, answer: str, by: int, at: datetime
) -> bool:
    """Take back the answer `answer` given by `by` at `at` on a DM's item; False when it is not
    there any more (undone already, by a press just before this one).

    As `answer_nudges`, the condition on what is recorded makes a second Undo (or two at once)
    harmless: the second UPDATE finds nothing to clear, and its caller restores nothing.
    """
    updated = rows_changed(
        session,
        update(Nudge)
        .where(
            Nudge.bundle_id == bundle_id,
            Nudge.kind == kind,
            Nudge.subject_id == subject_id,
            Nudge.answer == answer,
            Nudge.answered_by_id == by,
            Nudge.answered_at == at,
            Nudge.undo_state.is_not(None),
        )
        .values(_CLEARED),
    )
    return bool(updated)


def clear_copies(
    session: Session,
    workspace_id: int,
    kind: str,
    subject_id: int,
    answer: str,
    by: int,
    at: datetime,
) -> list[str]:
    """Take back the copies of an answer that other DMs listing the same item were given
    (`_copy_settled` copies who answered and when); the ids of their DMs, to draw again."""
    copies = (
        Nudge.workspace_id == workspace_id,
        Nudge.kind == kind,
        Nudge.subject_id == subject_id,
        Nudge.answer == answer,
        Nudge.answered_by_id == by,
        Nudge.answered_at == at,
        Nudge.undo_until.is_(None),
    )
    bundles = session.scalars(
        select(Nudge.bundle_id).where(*copies, Nudge.bundle_id.is_not(None)).distinct()
    ).all()
    session.execute(update(Nudge).where(*copies).values(_CLEARED))
    return sorted(b for b in bundles if b is not None)


def answered_since(
    session: Session, workspace_id: int, kind: str, subject_id: int, bundle_id: str, at: datetime
) -> bool:
    """Whether the item got an answer in another DM after `at` (not a copy of this one)."""
    return (
        session.execute(
            select(Nudge.id)
            .where(
                Nudge.workspace_id == workspace_id,
                Nudge.kind == kind,
                Nudge.subject_id == subject_id,
                Nudge.bundle_id != bundle_id,
                Nudge.answered_at > at,
            )
            .limit(1)
        ).first()
        is not None
    )


# An item's answer taken back: its buttons come back on the next drawing of the DM.
_CLEARED = {
    "answer": None,
    "answer_until": None,
    "answered_by_id": None,
    "answered_at": None,
    "undo_state": None,
    "undo_until": None,
}


def restore(
    session: Session,
    subject: Promise | Partner,
    after: dict[str, Any],
    before: dict[str, Any],
) -> bool:
    """Write `before` on `subject` if its row still reads as `after`; False (nothing written)
    when it changed since, including at this very moment in another transaction: the condition
    is checked by the UPDATE itself, which waits for a concurrent writer on PostgreSQL."""
    model: type[Promise] | type[Partner] = type(subject)
    conditions = [
        getattr(model, name).is_(None) if value is None else getattr(model, name) == value
        for name, value in after.items()
    ]
    changed = rows_changed(
        session,
        update(model)
        .where(model.id == subject.id, model.workspace_id == subject.workspace_id, *conditions)
        .values(before)
        .execution_options(synchronize_session=False),
    )
    # The row in the session still holds what it was read as: read it again when next used.
    session.expire(subject)
    return changed == 1


def forget_spent_undo(session: Session, now: datetime, workspace_id: int | None = None) -> int:
    """Drop the state answers kept for Undo once it can no longer serve: its day is over, or
    its promise is gone (its contact undone, its partner forgotten), so a promise's words are
    kept no longer than Undo needs them. `undo_until` stays: a late press still hears that it
    is too late rather than that the answer was given elsewhere. How many rows it cleared."""
    promise_gone = and_(
        Nudge.kind == "promise",
        ~select(Promise.id).where(Promise.id == Nudge.subject_id).exists(),
    )
    spent = [Nudge.undo_state.is_not(None), or_(Nudge.undo_until <= now, promise_gone)]
    if workspace_id is not None:
        spent.append(Nudge.workspace_id == workspace_id)
    return rows_changed(session, update(Nudge).where(*spent).values(undo_state=None))
