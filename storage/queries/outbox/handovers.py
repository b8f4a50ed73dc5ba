"""Hand-over announcements in the outbox: written in the hand-over's transaction, read when
the DM is rendered.

One row per (recipient, kind, partner, local day), as every outbox row. A partner moved again
the same day updates that row rather than adding one, so a recipient hears of the latest move
once: a row still waiting takes the new actor; a skipped row (the move was undone before it
was sent) waits again; a row already sent or given up on stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Bundle, Member, Nudge
from storage.queries.common import AnyRow

# A move that undoes one the recipient has not yet heard of cancels it instead of being told.
OPPOSITE = {"handed_over": "handed_away", "handed_away": "handed_over"}


def announce(
    session: Session,
    *,
    workspace_id: int,
    member_id: int,
    kind: str,
    partner_id: int,
    day: date,
    actor_id: int,
    handed_to_id: int,
    now: datetime,
) -> None:
    """Tell `member_id` of a hand-over of `partner_id` on their local `day`.

    When the recipient has an announcement of the opposite move that day not yet on its way
    (the partner came to them and left again, or left and came back, before they heard), that
    one is cancelled and nothing is added: a day's net change is what they hear of. One already
    on its way or sent stands, and this move is told after it.

    Callers hold the partner's row lock (`partner_for_update`), so two hand-overs of one
    partner never write its rows at once; the rows read here are locked too, so a dispatcher
    putting one into a DM at this moment is waited for and seen.
    """
    opposite = _announcement(session, member_id, OPPOSITE[kind], partner_id, day)
    if opposite is not None and _not_yet_on_its_way(session, opposite, now):
        opposite.state, opposite.done_at = "skipped", now
        opposite.reason = "undone the same day"
        return
    row = _announcement(session, member_id, kind, partner_id, day)
    if row is None:
        session.add(
            Nudge(
                workspace_id=workspace_id,
                member_id=member_id,
                kind=kind,
                subject_id=partner_id,
                due_on=day,
                period=day,
                state="pending",
                created_at=now,
                actor_id=actor_id,
                handed_to_id=handed_to_id,
            )
        )
        return
    if row.state == "skipped":
        row.state, row.bundle_id, row.done_at, row.reason = "pending", None, None, None
    if row.state == "pending":
        row.actor_id, row.handed_to_id = actor_id, handed_to_id


def _announcement(
    session: Session, member_id: int, kind: str, partner_id: int, day: date
) -> Nudge | None:
    return session.scalars(
        select(Nudge)
        .where(
            Nudge.member_id == member_id,
            Nudge.kind == kind,
            Nudge.subject_id == partner_id,
            Nudge.period == day,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def _not_yet_on_its_way(session: Session, row: Nudge, now: datetime) -> bool:
    """Pending and in no DM a dispatcher holds: cancelling it cannot take back what Slack shows."""
    if row.state != "pending":
        return False
    if row.bundle_id is None:
        return True
    bundle = session.scalars(
        select(Bundle)
        .where(Bundle.id == row.bundle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if bundle is None:
        return True
    return bundle.state == "ready" and (bundle.lease_until is None or bundle.lease_until <= now)


def people_of(
    session: Session, workspace_id: int, member_ids: Iterable[int | None]
) -> dict[int, str]:
    """The Slack user ids of members of the workspace (who moved a partner, and to whom)."""
    ids = {i for i in member_ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(Member.id, Member.slack_user_id).where(
            Member.workspace_id == workspace_id, Member.id.in_(ids)
        )
    )
    return {row.id: row.slack_user_id for row in rows}


def hand_over_rows(session: Session, bundle_id: str) -> list[AnyRow]:
    """The announcements a sent DM showed, with who moved the partner and to whom."""
    return list(
        session.execute(
            select(Nudge.id, Nudge.kind, Nudge.subject_id, Nudge.actor_id, Nudge.handed_to_id)
            .where(
                Nudge.bundle_id == bundle_id,
                Nudge.state == "sent",
                Nudge.kind.in_(("handed_over", "handed_away")),
            )
            .order_by(Nudge.kind, Nudge.id)
        ).all()
    )
