"""Hand-over announcements in the outbox: written in the hand-over's transaction, read when
the DM is rendered.

One row per (recipient, kind, partner, local day), as every outbox row. A partner moved again
the same day updates that row rather than adding one, so a recipient hears of the latest move
once: a row still waiting takes the new actor; a row skipped at send time (the partner was no
longer theirs) waits again; a row already sent or given up on stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member, Nudge
from storage.queries.common import AnyRow


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

    Callers hold the partner's row lock (`partner_for_update`), so two hand-overs of one
    partner never write its rows at once; on SQLite the single writer does the same.
    """
    row = session.scalars(
        select(Nudge).where(
            Nudge.member_id == member_id,
            Nudge.kind == kind,
            Nudge.subject_id == partner_id,
            Nudge.period == day,
        )
    ).first()
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
