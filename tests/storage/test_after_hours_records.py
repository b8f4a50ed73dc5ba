"""After-hours records on both backends: erased with the partner they name, moved when it is
merged, and pruned by housekeeping after `AFTER_HOURS_KEEP_DAYS` days, in bounded batches, as
the hints shown are after three."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select

import scheduler.housekeeping as housekeeping
from scheduler.housekeeping import forget_old_after_hours
from storage.db import Database
from storage.models import (
    AfterHoursHint,
    AfterHoursMessage,
    ChannelMember,
    Member,
    Partner,
    SlackChannel,
    SlackPersonRow,
    Workspace,
)
from storage.queries.after_hours.figures import messages_by_author
from storage.queries.after_hours.hints import partners_by_slack_user
from storage.queries.erasure import erase_partner, what_forgetting_erases
from storage.queries.merging import merge_history
from storage.queries.slack_cache import save_channel, save_person
from storage.vocabulary import AFTER_HOURS_KEEP_DAYS
from tests.support.after_hours import reached

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _world(db: Database) -> tuple[int, int, int, int]:
    """A workspace, a member and two partners: (workspace, member, Acme, Globex)."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0AFTER", created_at=NOW)
        session.add(workspace)
        session.flush()
        member = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=NOW)
        session.add(member)
        session.flush()
        partners = [
            Partner(
                workspace_id=workspace.id,
                name=name,
                name_key=name.casefold(),
                owner_id=member.id,
                created_at=NOW,
            )
            for name in ("Acme", "Globex")
        ]
        session.add_all(partners)
        session.flush()
        return workspace.id, member.id, partners[0].id, partners[1].id


def _rows(db: Database) -> list[tuple[str, int | None, datetime]]:
    with db.reading() as session:
        return sorted(
            (r.person_user_id, r.partner_id, r.sent_at)
            for r in session.scalars(select(AfterHoursMessage))
        )


def test_forgetting_a_partner_erases_its_records_and_no_others(db: Database) -> None:
    workspace, member, acme, globex = _world(db)
    day = NOW - timedelta(days=3)
    reached(db, "U0ALICE", "U0AIKO", day, day + timedelta(hours=1), partner=acme)
    reached(db, "U0BOB", "U0AIKO", day, partner=acme, channel="C0OTHER")
    reached(db, "U0ALICE", "U0JAN", day, partner=globex)
    reached(db, "U0ALICE", "U0KENJI", day)
    with db.transaction() as session:
        counted = what_forgetting_erases(session, workspace, acme)
        erase_partner(session, workspace, acme, pending_ids=[], member_id=member, now=NOW)
    # The confirmation's counts never show colleagues' after-hours figures.
    assert counted.contacts == counted.promises == 0
    assert _rows(db) == [("U0JAN", globex, day), ("U0KENJI", None, day)]


def test_deleting_a_partner_row_cascades_to_its_records_on_both_backends(db: Database) -> None:
    _, _, acme, globex = _world(db)
    reached(db, "U0ALICE", "U0AIKO", NOW, partner=acme)
    reached(db, "U0ALICE", "U0JAN", NOW, partner=globex)
    with db.transaction() as session:
        session.execute(delete(Partner).where(Partner.id == acme))
    assert _rows(db) == [("U0JAN", globex, NOW)]


def test_merging_moves_the_records_to_the_partner_that_remains(db: Database) -> None:
    workspace, member, acme, globex = _world(db)
    reached(db, "U0ALICE", "U0AIKO", NOW, partner=acme)
    reached(db, "U0ALICE", "U0AIKO", NOW - timedelta(days=1), partner=acme)
    reached(db, "U0ALICE", "U0JAN", NOW, partner=globex)
    reached(db, "U0ALICE", "U0KENJI", NOW)
    with db.transaction() as session:
        merge_history(session, workspace, acme, globex, member_id=member, now=NOW)
        session.execute(delete(Partner).where(Partner.id == acme))
    assert _rows(db) == [
        ("U0AIKO", globex, NOW - timedelta(days=1)),
        ("U0AIKO", globex, NOW),
        ("U0JAN", globex, NOW),
        ("U0KENJI", None, NOW),
    ]


def test_housekeeping_erases_records_older_than_the_keeping_time(db: Database) -> None:
    _world(db)
    keep = timedelta(days=AFTER_HOURS_KEEP_DAYS)
    old = NOW - keep - timedelta(seconds=1)
    young = NOW - keep + timedelta(minutes=1)
    reached(db, "U0ALICE", "U0AIKO", old, NOW - keep - timedelta(days=30))
    reached(db, "U0ALICE", "U0AIKO", young, NOW)
    assert forget_old_after_hours(db, NOW) == 2
    assert [at for _, _, at in _rows(db)] == [young, NOW]
    assert forget_old_after_hours(db, NOW) == 0


def test_a_backlog_goes_in_bounded_batches_over_several_ticks(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(housekeeping, "FORGET_BATCH", 3)
    monkeypatch.setattr(housekeeping, "FORGET_BATCHES", 2)
    _world(db)
    old = NOW - timedelta(days=AFTER_HOURS_KEEP_DAYS + 1)
    reached(db, "U0ALICE", "U0AIKO", *(old - timedelta(minutes=i) for i in range(10)))
    reached(db, "U0ALICE", "U0AIKO", NOW)
    assert forget_old_after_hours(db, NOW) == 6, "two batches of three a tick"
    assert len(_rows(db)) == 5
    assert forget_old_after_hours(db, NOW) == 4
    assert [at for _, _, at in _rows(db)] == [NOW]


def test_hints_shown_more_than_three_days_ago_are_forgotten(db: Database) -> None:
    workspace, _, _, _ = _world(db)
    days = [date(2026, 11, d) for d in (20, 25, 26, 27, 29, 30)]
    with db.transaction() as session:
        session.add_all(
            AfterHoursHint(
                workspace_id=workspace, sender_user_id="U0ALICE", channel_id="C0S", local_day=d
            )
            for d in days
        )
    forget_old_after_hours(db, NOW)
    with db.reading() as session:
        left = sorted(session.scalars(select(AfterHoursHint.local_day)))
    # Today is 30 November in UTC; a sender's local day may be a day ahead or behind.
    assert left == [date(2026, 11, d) for d in (26, 27, 29, 30)]


def test_a_record_made_before_the_person_had_a_profile_counts_for_it_now(db: Database) -> None:
    workspace, _, acme, globex = _world(db)
    with db.transaction() as session:
        session.get_one(Partner, globex).slack_user_id = "U0JAN"
    week = (NOW - timedelta(days=7), NOW)
    reached(db, "U0ALICE", "U0JAN", NOW - timedelta(days=2))  # recorded without a profile
    reached(db, "U0ALICE", "U0AIKO", NOW - timedelta(days=2), partner=acme)
    reached(db, "U0ALICE", "U0KENJI", NOW - timedelta(days=2))
    reached(db, "U0BOB", "U0JAN", NOW - timedelta(days=2), channel="C0OTHER")  # not hers
    reached(db, "U0ALICE", "U0JAN", NOW - timedelta(days=8))  # before the week
    with db.reading() as session:
        rows = messages_by_author(session, workspace, "U0ALICE", *week)
    assert sorted((r.person_user_id, r.partner_id) for r in rows) == [
        ("U0AIKO", acme),
        ("U0JAN", globex),
        ("U0KENJI", None),
    ]


def test_forgetting_a_slack_partner_erases_their_records_from_before_the_profile_and_cache(
    db: Database,
) -> None:
    workspace, member, acme, globex = _world(db)
    day = NOW - timedelta(days=2)
    with db.transaction() as session:
        session.get_one(Partner, acme).slack_user_id = "U0AIKO"
        for person in ("U0AIKO", "U0JAN"):
            save_person(session, workspace, person, NOW, name=person, tz="Asia/Tokyo")
    reached(db, "U0ALICE", "U0AIKO", day)  # before Aiko had a partner profile
    reached(db, "U0ALICE", "U0AIKO", day + timedelta(hours=1), partner=acme)
    reached(db, "U0ALICE", "U0JAN", day, partner=globex)

    with db.transaction() as session:
        erase_partner(session, workspace, acme, pending_ids=[], member_id=member, now=NOW)

    assert _rows(db) == [("U0JAN", globex, day)]
    with db.reading() as session:
        assert session.scalars(select(SlackPersonRow.slack_user_id)).all() == ["U0JAN"]


def test_people_and_channels_unused_for_a_month_leave_the_slack_cache(db: Database) -> None:
    workspace, _, _, _ = _world(db)
    month = timedelta(days=30)
    with db.transaction() as session:
        save_person(session, workspace, "U0OLD", NOW - month - timedelta(hours=1), name="Old")
        save_person(session, workspace, "U0NEW", NOW - month + timedelta(hours=1), name="New")
        for channel, age in (("C0OLD", month + timedelta(hours=1)), ("C0NEW", timedelta(0))):
            save_channel(
                session,
                workspace,
                channel,
                is_private=False,
                is_ext_shared=True,
                is_pending_ext_shared=False,
                member_count=2,
                member_ids=frozenset({"U0ALICE", "U0OLD"}),
                now=NOW - age,
            )

    assert housekeeping.forget_unused_slack_cache(db, NOW) == 2

    with db.reading() as session:
        assert session.scalars(select(SlackPersonRow.slack_user_id)).all() == ["U0NEW"]
        assert session.scalars(select(SlackChannel.channel_id)).all() == ["C0NEW"]
        assert set(session.scalars(select(ChannelMember.channel_id))) == {"C0NEW"}


def test_partners_are_found_by_any_number_of_slack_ids_in_batches(db: Database) -> None:
    """More ids than PostgreSQL takes parameters in one statement (65,535)."""
    workspace, _, acme, globex = _world(db)
    with db.transaction() as session:
        session.get_one(Partner, acme).slack_user_id = "U0AIKO"
        session.get_one(Partner, globex).slack_user_id = "U9ZZZZZ"
    ids = [f"U{n:06d}" for n in range(70_000)] + ["U0AIKO", "U9ZZZZZ"]
    with db.reading() as session:
        found = partners_by_slack_user(session, workspace, ids)
    assert {uid: p.id for uid, p in found.items()} == {"U0AIKO": acme, "U9ZZZZZ": globex}
