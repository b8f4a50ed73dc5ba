"""What the planner notes in partners' and promises' rows (migration 0028): a tick plans what
the rules want for every item that may be due, then leaves each alone until its moment comes or
a value it decided from changes; the outbox's rows go in set-based and are counted exactly. On
both backends, with recipients in Berlin, Tokyo and Los Angeles (a day apart at times)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update

from bot.rules.nudges import (
    HEADS_UP_LOOKBACK_DAYS,
    check_in_day,
    check_in_recipient,
    promise_nudge,
)
from bot.rules.working_hours import WorkingHours
from bot.rules.zones import ZONE_LEAD, zone
from scheduler.planner import plan
from storage.db import Database
from storage.models import Interaction, Member, Nudge, Partner, Promise, Workspace
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.outbox.planned import (
    ItemKey,
    NudgeRow,
    add_nudges,
    check_in_candidates,
    check_ins_to_look_at,
    episode_histories,
    promise_candidates,
    promises_to_look_at,
    try_planner_lock,
)
from tests.support.plans import plan_of, statements_sent

# Monday 30 November 2026, 23:30 UTC: already Tuesday in Berlin and Tokyo, still Monday in LA.
NOW = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
ZONES = ("Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles")
PARTNERS = 36
PROMISES = 30


def _world(db: Database) -> dict[str, Any]:
    """Three members (one per zone; the Los Angeles one inactive), partners with one contact
    each between 95 and 86 days ago (cadence 90: some due, some not yet, a few paused), and our
    open promises due from 20 days ago to 20 days ahead (a few the partner's, a few kept)."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0PLAN", created_at=NOW - timedelta(days=400))
        session.add(workspace)
        session.flush()
        members = [
            Member(
                workspace_id=workspace.id,
                slack_user_id=f"U0M{i}",
                tz=tz,
                active=i != 2,
                refreshed_at=NOW,
            )
            for i, tz in enumerate(ZONES)
        ]
        session.add_all(members)
        session.flush()
        partner_ids = list(
            session.scalars(
                insert(Partner).returning(Partner.id),
                [
                    {
                        "workspace_id": workspace.id,
                        "name": f"P{i}",
                        "name_key": f"p{i}",
                        "organisation_key": "",
                        "cadence_days": 90,
                        "status": "paused" if i % 11 == 5 else "active",
                        "owner_id": members[i % 3].id,
                        "created_at": NOW - timedelta(days=300),
                    }
                    for i in range(PARTNERS)
                ],
            )
        )
        session.execute(
            insert(Interaction),
            [
                {
                    "workspace_id": workspace.id,
                    "partner_id": pid,
                    "member_id": members[i % 3].id,
                    # Every 6 hours from 95 days ago: due from 5 days ago to 4 days ahead,
                    # at every hour of the zones' days.
                    "occurred_at": NOW - timedelta(days=95) + timedelta(hours=6 * i + i % 5),
                    "kind": "check-in" if i % 2 else "contact",
                    "created_at": NOW,
                }
                for i, pid in enumerate(partner_ids)
            ],
        )
        refresh_contact_times(session, partner_ids)
        promise_ids = list(
            session.scalars(
                insert(Promise).returning(Promise.id),
                [
                    {
                        "workspace_id": workspace.id,
                        "partner_id": partner_ids[i],
                        "member_id": members[i % 3].id,
                        "text": f"send the quote #{i}",
                        "due_on": NOW.date() + timedelta(days=i - 20 + (i % 3)),
                        "status": "kept" if i % 13 == 7 else "open",
                        "promised_by": "partner" if i % 9 == 4 else "us",
                        "created_at": NOW - timedelta(days=40),
                    }
                    for i in range(PROMISES)
                ],
            )
        )
    return {
        "workspace": workspace.id,
        "members": [m.id for m in members],
        "partners": partner_ids,
        "promises": promise_ids,
    }


def _wanted(db: Database, now: datetime) -> set[NudgeRow]:
    """What the rules want for every item that may be due, on an empty outbox: read by the
    queries that select everything that may be due, not the planner's."""
    wanted = set()
    with db.reading() as session:
        horizon = now + ZONE_LEAD
        for p in check_in_candidates(session, horizon, now):
            recipient = check_in_recipient(p.owner_id, p.claimer_id, p.claim_until, now)
            assert recipient is not None
            in_zone = zone(p.claimer_tz if recipient == p.claimer_id else p.owner_tz)
            due = check_in_day(p, in_zone)
            if due is not None and due <= now.astimezone(in_zone).date():
                wanted.add(NudgeRow(p.workspace_id, recipient, "check_in", p.id, due, due))
        days = horizon.date() + timedelta(days=HEADS_UP_LOOKBACK_DAYS)
        for r in promise_candidates(session, days):
            hours = WorkingHours.of(r)
            planned = promise_nudge(r.due_on, hours.today(now), hours, None)
            if planned is not None:
                wanted.add(
                    NudgeRow(
                        r.workspace_id, r.member_id, "promise", r.id, planned.due_on, planned.period
                    )
                )
    return wanted


def _outbox(db: Database) -> set[NudgeRow]:
    with db.reading() as session:
        rows = session.execute(
            select(
                Nudge.workspace_id,
                Nudge.member_id,
                Nudge.kind,
                Nudge.subject_id,
                Nudge.due_on,
                Nudge.period,
            )
        ).all()
    return {NudgeRow(*row) for row in rows}


def _looked_at(db: Database, now: datetime) -> tuple[set[int], set[int]]:
    with db.reading() as session:
        horizon = now + ZONE_LEAD
        partners = {p.id for p in check_ins_to_look_at(session, horizon, now)}
        lookback = timedelta(days=HEADS_UP_LOOKBACK_DAYS)
        promises = {p.id for p in promises_to_look_at(session, horizon + lookback)}
    return partners, promises


def test_a_tick_plans_what_the_rules_want_and_the_next_looks_at_nothing(db: Database) -> None:
    _world(db)
    wanted = _wanted(db, NOW)
    assert {r.kind for r in wanted} == {"check_in", "promise"}  # the world has both due

    first = plan(db, NOW)

    assert _outbox(db) == wanted
    assert first.planned == len(wanted)
    assert _looked_at(db, NOW) == (set(), set())
    assert plan(db, NOW).planned == 0
    assert plan(db, NOW + timedelta(minutes=5)).planned == 0
    assert _outbox(db) == wanted


def test_items_come_back_on_their_day_and_nothing_is_missed_or_repeated(db: Database) -> None:
    """Hour by hour for nine days, nudges left pending: every tick plans exactly what has
    become due since (a check-in's day in its owner's zone, a heads-up, a due day, the first
    overdue day), though each item is looked at only when its moment comes; a pending nudge is
    never repeated."""
    _world(db)
    everything: set[NudgeRow] = set()
    for hours in range(0, 24 * 9):
        later = NOW + timedelta(hours=hours)
        everything |= _wanted(db, later)
        plan(db, later)
        assert _outbox(db) == everything, later
    assert len(everything) > len(_wanted(db, NOW))  # the nine days brought new ones


def test_a_change_to_what_was_decided_from_brings_the_item_back(db: Database) -> None:
    world = _world(db)
    plan(db, NOW)
    assert _looked_at(db, NOW) == (set(), set())
    members, partners, promises = world["members"], world["partners"], world["promises"]
    with db.reading() as session:
        due_partners = session.scalars(
            select(Partner.id).where(
                Partner.status == "active", Partner.check_in_due_at <= NOW + ZONE_LEAD
            )
        ).all()
        open_promises = session.scalars(
            select(Promise.id).where(Promise.status == "open", Promise.promised_by == "us")
        ).all()
    snoozed, paused, handed, contacted = due_partners[:4]
    moved, passed_on = open_promises[:2]
    new_owner = members[1] if _owner(db, handed) == members[0] else members[0]
    with db.transaction() as session:
        tomorrow = NOW.date() + timedelta(days=1)
        for pid, values in (
            (snoozed, {"check_in_snoozed_until": tomorrow}),
            (paused, {"paused_until": tomorrow}),
            (handed, {"owner_id": new_owner}),
        ):
            session.execute(update(Partner).where(Partner.id == pid).values(**values))
        session.add(
            Interaction(
                workspace_id=world["workspace"],
                partner_id=contacted,
                member_id=members[0],
                occurred_at=NOW - timedelta(days=89, hours=23),
                kind="check-in",
                created_at=NOW,
            )
        )
        refresh_contact_times(session, [contacted])
        session.execute(
            update(Promise).where(Promise.id == moved).values(due_on=NOW.date() + timedelta(days=2))
        )
        owner = session.scalar(select(Promise.member_id).where(Promise.id == passed_on))
        other = next(m for m in members[:2] if m != owner)
        session.execute(update(Promise).where(Promise.id == passed_on).values(member_id=other))

    partners_back, promises_back = _looked_at(db, NOW)

    assert partners_back == {snoozed, paused, handed, contacted}
    assert promises_back == {moved, passed_on}
    assert set(partners) >= partners_back and set(promises) >= promises_back
    plan(db, NOW)
    assert _looked_at(db, NOW) == (set(), set())


def _owner(db: Database, partner_id: int) -> int | None:
    with db.reading() as session:
        return session.scalar(select(Partner.owner_id).where(Partner.id == partner_id))


def test_an_item_nobody_can_be_nudged_about_is_looked_at_again_the_next_day(db: Database) -> None:
    """Not on every tick meanwhile: from the next day on in UTC (half an hour after NOW)."""
    world = _world(db)
    plan(db, NOW)
    los_angeles = world["members"][2]  # inactive: their partners and promises wait
    with db.reading() as session:
        waiting = set(
            session.scalars(
                select(Partner.id).where(
                    Partner.owner_id == los_angeles,
                    Partner.status == "active",
                    Partner.check_in_due_at <= NOW + ZONE_LEAD,
                )
            )
        )
    assert waiting
    assert not waiting & _looked_at(db, NOW + timedelta(minutes=25))[0]
    with db.transaction() as session:
        session.execute(update(Member).where(Member.id == los_angeles).values(active=True))

    assert waiting <= _looked_at(db, NOW + timedelta(minutes=30))[0]
    plan(db, NOW + timedelta(minutes=30))
    planned_for = {r.subject_id for r in _outbox(db) if r.member_id == los_angeles}
    assert waiting & planned_for


def test_rows_go_in_once_and_only_new_ones_are_counted(db: Database) -> None:
    world = _world(db)
    member, partner = world["members"][0], world["partners"][0]
    rows = [
        NudgeRow(1, member, "check_in", partner, date(2026, 11, 1), date(2026, 11, d))
        for d in range(1, 6)
    ]
    with db.transaction() as session:
        assert add_nudges(session, rows[:3], NOW) == 3
    with db.transaction() as session:
        assert add_nudges(session, rows, NOW) == 2
        assert add_nudges(session, rows, NOW) == 0
        assert add_nudges(session, [], NOW) == 0
    assert _outbox(db) == set(rows)


def test_the_planners_reads_use_its_indexes(db: Database) -> None:
    """Each read the planner makes of partners and promises goes through its expression
    index, on both backends (PostgreSQL told to avoid a scan, as it would on a large table)."""
    _world(db)
    plan(db, NOW)
    horizon = NOW + ZONE_LEAD
    reads = {
        "ix_partners_check_in_plan": lambda s: check_ins_to_look_at(s, horizon, NOW),
        "ix_promises_plan": lambda s: promises_to_look_at(
            s, horizon + timedelta(days=HEADS_UP_LOOKBACK_DAYS)
        ),
    }
    for index, read in reads.items():
        with db.reading() as session:
            explained = plan_of(session, read)
        assert index in explained, explained


# PostgreSQL alone: what it reads depends on its statistics; SQLite's planner keeps no such.
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_the_outbox_is_read_for_the_items_looked_at_alone_whatever_its_statistics_say(
    db: Database,
) -> None:
    """Statistics saying the outbox is empty when a first tick has just written 60,000 rows,
    then a tick that looks at no item, or at one: the database reads the outbox's rows for
    those items and no others. (A join of the keys with the outbox, planned from such
    statistics, walked the whole outbox on every tick: 60,000 rows for no item.)"""
    world = _world(db)
    member, partners = world["members"][0], world["partners"]
    # As many rows as a first tick at the benchmark's full size writes: 1,000 subjects' 60 days
    # (the outbox's subject ids need no partner row).
    rows = [
        NudgeRow(
            1, member, "check_in", subject, date(2026, 11, 1), date(2026, 11, 1) + timedelta(d)
        )
        for subject in [partners[0], *range(100_001, 101_000)]
        for d in range(60)
    ]
    with db.transaction() as session:
        assert add_nudges(session, rows, NOW) == len(rows)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # Statistics taken when the outbox was empty and had pages (a VACUUM after its rows were
        # deleted), before a tick wrote these: pages, but no rows in them. Autovacuum corrects
        # this within a minute or so; a tick at once is planned from it.
        connection.exec_driver_sql(
            "UPDATE pg_class SET reltuples = 0, relpages = pg_relation_size(oid) / 8192 "
            "WHERE oid = 'outbox'::regclass"
        )
    for items in ([], [ItemKey(member, "check_in", partners[0])]):
        with db.reading() as session:
            statement, parameters = statements_sent(
                session, lambda s, keys=items: episode_histories(s, keys)
            )[-1]
            plan_ = (
                session.connection()
                .exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
                .scalar_one()
            )
        read = _rows_read(plan_[0]["Plan"], "outbox")
        assert read == 60 * len(items), f"{read} outbox rows read for {len(items)} items"


def _rows_read(node: dict[str, Any], table: str) -> int:
    """The rows the nodes of an EXPLAIN ANALYZE plan read from `table`, all loops counted."""
    own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == table else 0
    return own + sum(_rows_read(child, table) for child in node.get("Plans", []))


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_tick_compiles_nothing_and_leaves_the_connection_as_it_was(db: Database) -> None:
    """The planner's lock turns JIT compilation off for its own transaction alone."""
    with db.reading() as session:
        before = session.execute(text("SHOW jit")).scalar_one()
    with db.transaction() as session:
        assert try_planner_lock(session)
        assert session.execute(text("SHOW jit")).scalar_one() == "off"
    with db.reading() as session:
        assert session.execute(text("SHOW jit")).scalar_one() == before


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_large_tick_has_the_tables_it_wrote_vacuumed_at_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tick writing at least `VACUUM_AFTER_ROWS` rows (lowered here to what the test world
    plans) leaves the outbox, partners and promises vacuumed and analysed, so that the next
    tick does not read the entries its notes left dead; a smaller tick leaves them to
    autovacuum."""
    _world(db)

    def vacuumed() -> set[str]:
        with db.reading() as session:
            rows = session.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL "
                    "AND relname IN ('outbox', 'partners', 'promises')"
                )
            )
            return {name for (name,) in rows}

    monkeypatch.setattr("scheduler.planner.VACUUM_AFTER_ROWS", 10_000)
    assert plan(db, NOW).planned > 0
    assert vacuumed() == set()
    monkeypatch.setattr("scheduler.planner.VACUUM_AFTER_ROWS", 1)
    plan(db, NOW + timedelta(days=1))
    assert vacuumed() == {"outbox", "partners", "promises"}
