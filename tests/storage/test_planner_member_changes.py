"""A change the planner's notes do not show, to a member's working days, hours, holidays or
zone, has the next tick look at their items again: a heads-up moved earlier comes on its new
day, not on the day noted before the change. On both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.parsing.settings_text import SettingsChange
from bot.usecases.member_settings import apply_change
from scheduler.planner import plan
from storage.db import Database
from storage.models import Member, Nudge, Partner, Promise, Workspace
from storage.queries.members import save_member

MONDAY = date(2026, 12, 7)
TUESDAY_MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
WEDNESDAY_MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def _promise_due_monday(db: Database) -> int:
    """A member in Berlin working Monday to Friday, with a promise due next Monday: its
    heads-up is the Friday before."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0MOVE", created_at=TUESDAY_MORNING)
        session.add(workspace)
        session.flush()
        member = Member(
            workspace_id=workspace.id,
            slack_user_id="U0ANNA",
            tz="Europe/Berlin",
            work_days="12345",
            refreshed_at=TUESDAY_MORNING,
        )
        partner = Partner(
            workspace_id=workspace.id,
            name="Acme",
            name_key="acme",
            organisation_key="",
            created_at=TUESDAY_MORNING,
        )
        session.add_all([member, partner])
        session.flush()
        partner.owner_id = member.id
        session.add(
            Promise(
                workspace_id=workspace.id,
                partner_id=partner.id,
                member_id=member.id,
                text="send the quote",
                due_on=MONDAY,
                status="open",
                promised_by="us",
                created_at=TUESDAY_MORNING,
            )
        )
        return member.id


def _heads_ups(db: Database) -> list[date]:
    with db.reading() as session:
        return list(session.scalars(select(Nudge.period).where(Nudge.kind == "promise")))


def _member(session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    assert member is not None
    return member


def test_fewer_working_days_bring_the_heads_up_forward_to_the_new_last_working_day(
    db: Database,
) -> None:
    member_id = _promise_due_monday(db)
    assert plan(db, TUESDAY_MORNING).planned == 0  # Friday's heads-up is not due yet

    with db.transaction() as session:
        apply_change(_member(session, member_id), SettingsChange(days="123"))  # Mon to Wed

    assert plan(db, WEDNESDAY_MORNING).planned == 1
    assert _heads_ups(db) == [date(2026, 12, 2)]


def test_without_the_change_the_heads_up_waits_for_friday(db: Database) -> None:
    _promise_due_monday(db)
    assert plan(db, TUESDAY_MORNING).planned == 0
    assert plan(db, WEDNESDAY_MORNING).planned == 0
    assert plan(db, datetime(2026, 12, 4, 8, 0, tzinfo=UTC)).planned == 1
    assert _heads_ups(db) == [date(2026, 12, 4)]


def test_a_new_zone_from_slack_has_the_items_looked_at_again(db: Database) -> None:
    member_id = _promise_due_monday(db)
    assert plan(db, TUESDAY_MORNING).planned == 0
    with db.transaction() as session:
        member = _member(session, member_id)
        save_member(session, member.workspace_id, "U0ANNA", TUESDAY_MORNING, tz="Asia/Tokyo")
        same = save_member(session, member.workspace_id, "U0ANNA", TUESDAY_MORNING, tz="Asia/Tokyo")
        assert same.tz == "Asia/Tokyo"
        noted = session.scalar(select(Promise.plan_member_id))
    assert noted is None
    with db.transaction() as session:
        apply_change(_member(session, member_id), SettingsChange(days="1"))  # Mondays only
    # Tokyo, Mondays only: the last working day before Monday the 7th is Monday the 30th,
    # passed; the heads-up goes on the first tick, which is today's.
    assert plan(db, WEDNESDAY_MORNING).planned == 1
