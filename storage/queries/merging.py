"""Merging one partner into another (`/rapport merge NAME into OTHER`): what moves, and the move.

A partner's history is keyed to its id: contacts and promises by `partner_id`, the outbox rows
about it by `subject_id` (a check-in or hand-over names the partner; a promise's nudges name the
promise, which moves with its `partner_id`), edit histories by the id inside their JSON, and
waiting `/logcontact` answers by the choice `p<id>:…`. Moving all of them to the partner that
remains makes its history what it would have been had everything been logged against it: every
day Rapport derives (the last contact, the next check-in) is read from those rows.

A live claim on the partner that goes ("I'll reach out" on a team digest) moves to the one that
remains, unless that one has a live claim of its own; an expired one goes with its partner.

Two outbox rows may then share the outbox's unique key (recipient, kind, subject, period): both
partners had a check-in nudge for one person on one day. One is kept, the answered one first
(what the DM shows and what counts an episode's repeats), else the remaining partner's own.

Every query filters by workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from storage.models import (
    AuditEntry,
    Bundle,
    Interaction,
    Nudge,
    PartnerTrigram,
    PendingCommand,
    Promise,
)
from storage.queries.after_hours.figures import move_after_hours
from storage.queries.common import rows_changed
from storage.queries.erasure import PARTNER_SUBJECT_KINDS, nudges_about, what_forgetting_erases
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.outbox.claims import move_claim


@dataclass(frozen=True)
class Moved:
    """How many rows of each kind move (or moved) to the partner that remains."""

    contacts: int
    promises: int
    pending_nudges: int


def what_merging_moves(session: Session, workspace_id: int, partner_id: int) -> Moved:
    """The counts the confirmation shows: the contacts and promises (both ways, any state) of
    the partner that goes, and its nudges not yet sent."""
    counted = what_forgetting_erases(session, workspace_id, partner_id)
    return Moved(counted.contacts, counted.promises, counted.pending_nudges)


def dm_being_sent(session: Session, workspace_id: int, partner_ids: list[int]) -> bool:
    """Whether a nudge DM about one of the partners is being sent at this moment (its bundle is
    `sending`): the DM's buttons will name the rows as they are, so they are not moved now."""
    return any(
        session.scalar(
            select(
                exists().where(
                    nudges_about(workspace_id, partner_id),
                    Nudge.bundle_id == Bundle.id,
                    Bundle.state == "sending",
                )
            )
        )
        for partner_id in partner_ids
    )


def merge_history(
    session: Session,
    workspace_id: int,
    from_id: int,
    into_id: int,
    *,
    member_id: int,
    now: datetime,
) -> Moved:
    """Move every row about partner `from_id` to partner `into_id` and record who did it
    (`audit_log`: ids and the instant). The partner rows themselves are the caller's: it
    decides what of the profile carries over, and deletes `from_id` after this."""
    counted = what_merging_moves(session, workspace_id, from_id)
    _move_nudges(session, workspace_id, from_id, into_id)
    # "This log created its partner" lets Undo remove the partner with the contact: the
    # partner it created is gone, and the one it now belongs to was not created by it.
    rows_changed(
        session,
        update(Interaction)
        .where(
            Interaction.workspace_id == workspace_id,
            Interaction.partner_id == from_id,
            Interaction.created_partner.is_(True),
        )
        .values(created_partner=False),
    )
    for model in (Promise, Interaction):
        rows_changed(
            session,
            update(model)
            .where(model.workspace_id == workspace_id, model.partner_id == from_id)
            .values(partner_id=into_id),
        )
    # The after-hours records follow, so each author's weekly figures count the partner once.
    move_after_hours(session, workspace_id, from_id, into_id)
    # Someone who said they would reach out to the partner still gets its check-ins.
    move_claim(session, workspace_id, from_id, into_id, now)
    # The partner that remains has the other's contacts now: its health counts them.
    refresh_contact_times(session, [into_id])
    rows_changed(
        session,
        delete(PartnerTrigram).where(
            PartnerTrigram.workspace_id == workspace_id, PartnerTrigram.partner_id == from_id
        ),
    )
    session.add(
        AuditEntry(
            workspace_id=workspace_id,
            member_id=member_id,
            action="merge_partner",
            at=now,
            partner_id=from_id,
            into_partner_id=into_id,
        )
    )
    return counted


def _move_nudges(session: Session, workspace_id: int, from_id: int, into_id: int) -> None:
    """Give the outbox rows naming `from_id` the subject `into_id`, keeping one row per key."""
    naming = Nudge.workspace_id == workspace_id, Nudge.kind.in_(PARTNER_SUBJECT_KINDS)
    theirs = session.scalars(select(Nudge).where(*naming, Nudge.subject_id == from_id)).all()
    if not theirs:
        return
    ours = {
        (n.member_id, n.kind, n.period): n
        for n in session.scalars(select(Nudge).where(*naming, Nudge.subject_id == into_id))
    }
    for nudge in theirs:
        twin = ours.get((nudge.member_id, nudge.kind, nudge.period))
        if twin is None:
            continue
        loser = twin if nudge.answer is not None and twin.answer is None else nudge
        session.delete(loser)
    session.flush()  # the deletes first: the update below must not meet a twin
    rows_changed(
        session,
        update(Nudge).where(*naming, Nudge.subject_id == from_id).values(subject_id=into_id),
    )


def pending_choosing(session: Session, workspace_id: int, partner_id: int) -> list[PendingCommand]:
    """The waiting `/logcontact` texts whose answers chose the partner (`"p<id>:<words>"`), for
    the caller to point at the partner that remains."""
    return list(
        session.scalars(
            select(PendingCommand).where(
                PendingCommand.workspace_id == workspace_id,
                PendingCommand.answers.contains(f'"p{partner_id}:'),
            )
        )
    )
