"""Erasing a partner and everything about it (`/rapport forget`), and what that would erase.

A partner's data lives in its own row and in rows keyed to it: its name's trigrams, its contacts,
the promises both ways, the after-hours records of messages that reached it, and the outbox rows
(nudges) about it, which name it by id only (`subject_id`: the partner for a check-in, a promise
for a promise) and have no foreign key to follow. Waiting `/logcontact` texts (`pending_commands`)
are keyed to nobody; the use case picks those that name the partner and passes their ids. Bundles
(one nudge DM each) hold ids, states and Slack's message coordinates, never a name: a DM left with
no nudge is settled by the dispatcher (nothing to send) or pruned by housekeeping like any other.

Every query filters by workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    AuditEntry,
    Interaction,
    Nudge,
    Partner,
    PartnerTrigram,
    PendingCommand,
    Promise,
)
from storage.queries.after_hours.figures import erase_after_hours_of
from storage.queries.common import rows_changed
from storage.queries.outbox.undo import forget_spent_undo
from storage.queries.slack_cache import forget_person
from storage.vocabulary import HAND_OVER_KINDS

# Outbox kinds whose subject is a partner id (a promise nudge's subject is a promise id).
PARTNER_SUBJECT_KINDS = ("check_in", *HAND_OVER_KINDS)


@dataclass(frozen=True)
class Erased:
    """How many rows of each kind go (or went) with a partner."""

    contacts: int
    promises: int
    pending_nudges: int
    nudges: int


def _promise_ids(workspace_id: int, partner_id: int) -> Select[int]:
    return select(Promise.id).where(
        Promise.workspace_id == workspace_id, Promise.partner_id == partner_id
    )


def nudges_about(workspace_id: int, partner_id: int) -> ColumnElement[bool]:
    """The outbox rows about the partner: its check-ins, its hand-over announcements (whose
    subject is the partner too) and its promises' nudges."""
    return and_(
        Nudge.workspace_id == workspace_id,
        or_(
            and_(Nudge.kind.in_(PARTNER_SUBJECT_KINDS), Nudge.subject_id == partner_id),
            and_(
                Nudge.kind == "promise",
                Nudge.subject_id.in_(_promise_ids(workspace_id, partner_id)),
            ),
        ),
    )


def what_forgetting_erases(session: Session, workspace_id: int, partner_id: int) -> Erased:
    """The counts a confirmation shows: contacts, promises (both ways, any state), nudges not
    yet sent and nudges of any state."""
    contacts = session.scalar(
        select(func.count())
        .select_from(Interaction)
        .where(Interaction.workspace_id == workspace_id, Interaction.partner_id == partner_id)
    )
    promises = session.scalar(
        select(func.count())
        .select_from(Promise)
        .where(Promise.workspace_id == workspace_id, Promise.partner_id == partner_id)
    )
    about = nudges_about(workspace_id, partner_id)
    nudges = session.scalar(select(func.count()).select_from(Nudge).where(about))
    pending = session.scalar(
        select(func.count()).select_from(Nudge).where(about, Nudge.state == "pending")
    )
    return Erased(contacts or 0, promises or 0, pending or 0, nudges or 0)


def pending_texts(session: Session, workspace_id: int) -> list[tuple[str, str]]:
    """Every waiting `/logcontact` text of the workspace (kept an hour at most, so few): id and
    text, for the caller to tell which name a partner."""
    rows = session.execute(
        select(PendingCommand.id, PendingCommand.text).where(
            PendingCommand.workspace_id == workspace_id
        )
    )
    return [(row.id, row.text) for row in rows]


def contacts_remembering(session: Session, workspace_id: int, partner_id: int) -> list[Interaction]:
    """The workspace's contacts whose edit history (`interactions.before_edit`, JSON written
    with `json.dumps` defaults) names the partner, as the partner before an edit or as the one
    an edit created: candidates for the caller, which reads the JSON, to drop those entries.
    A quote inside a note is escaped in the JSON, so only Rapport's own keys match."""
    return list(
        session.scalars(
            select(Interaction).where(
                Interaction.workspace_id == workspace_id,
                Interaction.before_edit.is_not(None),
                or_(
                    Interaction.before_edit.contains(f'"partner_id": {partner_id},'),
                    Interaction.before_edit.contains(f'"created_partner": {partner_id},'),
                ),
            )
        )
    )


def erase_partner(
    session: Session,
    workspace_id: int,
    partner_id: int,
    *,
    pending_ids: list[str],
    member_id: int,
    now: datetime,
) -> Erased:
    """Delete the partner and every row about it, the waiting texts `pending_ids` with them, and
    record who did it (`audit_log`: ids and the instant, nothing personal). The children go
    first and by name, not left to ON DELETE CASCADE: the outbox has no foreign key to follow,
    and the counts say what went."""
    counted = what_forgetting_erases(session, workspace_id, partner_id)
    rows_changed(session, delete(Nudge).where(nudges_about(workspace_id, partner_id)))
    rows_changed(
        session,
        delete(Promise).where(
            Promise.workspace_id == workspace_id, Promise.partner_id == partner_id
        ),
    )
    rows_changed(
        session,
        delete(Interaction).where(
            Interaction.workspace_id == workspace_id, Interaction.partner_id == partner_id
        ),
    )
    rows_changed(
        session,
        delete(PartnerTrigram).where(
            PartnerTrigram.workspace_id == workspace_id, PartnerTrigram.partner_id == partner_id
        ),
    )
    # Colleagues' after-hours figures about the partner: private to each of them, so never
    # counted in what the confirmation shows, but erased with the partner all the same.
    slack_user_id = session.scalar(
        select(Partner.slack_user_id).where(
            Partner.workspace_id == workspace_id, Partner.id == partner_id
        )
    )
    erase_after_hours_of(session, workspace_id, partner_id, slack_user_id)
    if slack_user_id:
        # What Slack said of them (name, zone), cached for shared channels: asked again, if
        # ever, when they next write there.
        forget_person(session, workspace_id, slack_user_id)
    if pending_ids:
        rows_changed(
            session,
            delete(PendingCommand).where(
                PendingCommand.workspace_id == workspace_id, PendingCommand.id.in_(pending_ids)
            ),
        )
    rows_changed(
        session,
        delete(Partner).where(Partner.workspace_id == workspace_id, Partner.id == partner_id),
    )
    # A promise of the partner deleted before (its contact undone) no longer names the partner,
    # so its nudges were not found above: the words its answer kept for Undo go now.
    forget_spent_undo(session, now, workspace_id)
    session.add(
        AuditEntry(
            workspace_id=workspace_id,
            member_id=member_id,
            action="forget_partner",
            at=now,
            partner_id=partner_id,
        )
    )
    return counted
