"""What a nudge DM says, read when it is sent or redrawn: its items, the partners' context
(details, last contact, open promises), and the answers given with its buttons.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from storage.models import (
    Interaction,
    Member,
    Nudge,
    Partner,
    PartnerClaim,
    Promise,
)
from storage.queries.common import AnyRow, plain_rows, rows_changed
from storage.queries.outbox.claims import Claimer, usable


def check_in_subjects(session: Session, workspace_id: int, partner_ids: list[int]) -> list[AnyRow]:
    """The partners among `partner_ids` in the workspace that have contacts, with their owner,
    status, snooze and pause, and the instants their check-in due day counts from (the contact
    times the partner's row keeps: no read of its history); and who may receive their check-in
    nudges: `usable_owner_id` (the owner, None when they cannot receive nudges),
    `owner_user_id` (their Slack id, whatever their state), and any claim (`claimer_id`, None
    when the claimer cannot receive nudges; `claim_until`, None without a claim)."""
    if not partner_ids:
        return []
    owner = aliased(Member, name="owner")
    return list(
        session.execute(
            select(
                Partner.id,
                Partner.owner_id,
                Partner.status,
                Partner.cadence_days,
                Partner.check_in_snoozed_until,
                Partner.paused_until,
                # Kept in the partner's row by every write that changes its contacts.
                Partner.last_check_in_at.label("last_check_in"),
                Partner.first_contact_at.label("first_contact"),
                owner.slack_user_id.label("owner_user_id"),
                case((usable(owner), owner.id)).label("usable_owner_id"),
                Claimer.id.label("claimer_id"),
                PartnerClaim.until.label("claim_until"),
            )
            .outerjoin(owner, owner.id == Partner.owner_id)
            .outerjoin(
                PartnerClaim,
                and_(
                    PartnerClaim.partner_id == Partner.id,
                    PartnerClaim.workspace_id == Partner.workspace_id,
                ),
            )
            .outerjoin(
                Claimer,
                and_(
                    Claimer.id == PartnerClaim.member_id,
                    Claimer.workspace_id == Partner.workspace_id,
                    usable(Claimer),
                ),
            )
            .where(
                Partner.workspace_id == workspace_id,
                Partner.id.in_(partner_ids),
                # A partner with no contacts left has no check-in to speak of, as before.
                Partner.first_contact_at.is_not(None),
            )
            .order_by(Partner.name_key)
        ).all()
    )


# The reads of a DM's promises and partners run for every nudge DM sent (and each one redrawn):
# built once, with the workspace and ids bound when they run (an expanding IN), and read as
# plain rows through the session's connection (`plain_rows`): building them, and the ORM's
# handling of their rows, cost the dispatcher more than running them.
_WORKSPACE = bindparam("dr_workspace", type_=Integer)
_IDS = bindparam("dr_ids", expanding=True, type_=Integer)
_PROMISE_SUBJECTS = (
    select(
        Promise.id,
        Promise.member_id,
        Promise.partner_id,
        Promise.text,
        Promise.due_on,
        Promise.status,
        Promise.drop_reason,
        Promise.promised_by,
    )
    .where(Promise.workspace_id == _WORKSPACE, Promise.id.in_(_IDS))
    .order_by(Promise.due_on, Promise.id)
)
_PARTNER_DETAILS = select(
    Partner.id,
    Partner.name,
    Partner.organisation,
    Partner.tz,
    Partner.preferred_channel,
    Partner.language,
    Partner.business_start_minute,
    Partner.business_end_minute,
    Partner.business_days,
    Partner.public_holidays,
).where(Partner.workspace_id == _WORKSPACE, Partner.id.in_(_IDS))
_OPEN_PROMISES_TO = (
    select(Promise.id, Promise.partner_id, Promise.text, Promise.due_on, Promise.promised_by)
    .where(
        Promise.workspace_id == _WORKSPACE,
        Promise.partner_id.in_(_IDS),
        Promise.status == "open",
    )
    .order_by(Promise.due_on, Promise.id)
)


def promise_subjects(session: Session, workspace_id: int, promise_ids: list[int]) -> list[AnyRow]:
    """The promises among `promise_ids` in the workspace, whatever their status."""
    if not promise_ids:
        return []
    values = {"dr_workspace": workspace_id, "dr_ids": list(promise_ids)}
    return plain_rows(session, _PROMISE_SUBJECTS, values)


def partner_details(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, AnyRow]:
    """Who the partners are and how to reach them."""
    ids = list(set(partner_ids))
    if not ids:
        return {}
    rows = plain_rows(session, _PARTNER_DETAILS, {"dr_workspace": workspace_id, "dr_ids": ids})
    return {row.id: row for row in rows}


# Read for every nudge DM sent: built once (building the window and its subquery cost more
# than running it), with the workspace and partner ids bound when it runs.
_RANKED = (
    select(
        Interaction.partner_id,
        Interaction.occurred_at,
        Interaction.has_time,
        Interaction.medium,
        Interaction.note,
        Member.slack_user_id.label("by"),
        func.row_number()
        .over(
            partition_by=Interaction.partner_id,
            order_by=(Interaction.occurred_at.desc(), Interaction.id.desc()),
        )
        .label("rank"),
    )
    .join(Member, Member.id == Interaction.member_id)
    .where(
        Interaction.workspace_id == bindparam("lc_workspace", type_=Integer),
        Interaction.partner_id.in_(bindparam("lc_partners", expanding=True, type_=Integer)),
    )
    .subquery()
)
_LAST_CONTACTS = select(_RANKED).where(_RANKED.c.rank == 1)


def last_contacts(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, AnyRow]:
    """Each partner's latest contact: when, how, logged by whom, and its note. One query."""
    ids = list(set(partner_ids))
    if not ids:
        return {}
    values = {"lc_workspace": workspace_id, "lc_partners": ids}
    return {row.partner_id: row for row in plain_rows(session, _LAST_CONTACTS, values)}


def open_promises_to(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, list[AnyRow]]:
    """Open promises between each partner and anyone in the workspace, either way, soonest first.

    `promised_by` tells ours ("us") from the partner's ("partner"): a DM lists them apart.
    """
    ids = list(set(partner_ids))
    if not ids:
        return {}
    grouped: dict[int, list[AnyRow]] = {}
    values = {"dr_workspace": workspace_id, "dr_ids": ids}
    for row in plain_rows(session, _OPEN_PROMISES_TO, values):
        grouped.setdefault(row.partner_id, []).append(row)
    return grouped


def shown_nudges(session: Session, bundle_id: str) -> list[AnyRow]:
    """The nudges a sent DM shows, with their answers and who gave them."""
    return list(
        session.execute(
            select(
                Nudge.id,
                Nudge.kind,
                Nudge.subject_id,
                Nudge.period,
                Nudge.answer,
                Nudge.answer_until,
                Nudge.answered_at,
                Nudge.answered_by_id,
                Member.slack_user_id.label("answered_by"),
                Nudge.undo_state,
                Nudge.undo_until,
            )
            .outerjoin(Member, Member.id == Nudge.answered_by_id)
            .where(Nudge.bundle_id == bundle_id, Nudge.state == "sent")
            .order_by(Nudge.kind, Nudge.period, Nudge.id)
        ).all()
    )


def answer_nudges(
    session: Session,
    bundle_id: str,
    kind: str,
    subject_id: int,
    answer: str,
    by: int | None,
    now: datetime,
    until: date | None = None,
) -> bool:
    """Record an answer on a DM's nudges for one item; False when it was answered already.

    The condition `answer IS NULL` is what makes a second press (or two at once) harmless: the
    second UPDATE finds nothing left to answer, and its caller changes nothing.
    """
    updated = rows_changed(
        session,
        update(Nudge)
        .where(
            Nudge.bundle_id == bundle_id,
            Nudge.kind == kind,
            Nudge.subject_id == subject_id,
            Nudge.answer.is_(None),
        )
        .values(answer=answer, answer_until=until, answered_by_id=by, answered_at=now),
    )
    return bool(updated)


def latest_answer(session: Session, kind: str, subject_id: int) -> AnyRow | None:
    """The latest answer given to this item in any DM, with who gave it."""
    return session.execute(
        select(Nudge.answer, Nudge.answered_by_id, Nudge.answered_at)
        .where(Nudge.kind == kind, Nudge.subject_id == subject_id, Nudge.answer.is_not(None))
        .order_by(Nudge.answered_at.desc())
        .limit(1)
    ).first()
