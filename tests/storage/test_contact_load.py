"""The over-contact line after a logged contact reads a count and the newest few contacts
(`bot.usecases.contacts.contact_load`), not the whole window: what it says must be what the
rule says over every contact (`bot.rules.relationships.contact_balance.over_contact`), on both
backends, in zones whose clocks change at or near midnight, with contacts on either side of the
window's first instant, and however many contacts the window holds."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.blocks.replies import LOAD_NAMED_MAX
from bot.rules.relationships.contact_balance import (
    over_contact,
    query_since,
    window_start,
)
from bot.rules.zones import zone
from bot.usecases.contacts import contact_load, window_from
from storage.db import Database
from storage.models import Interaction, Member, Partner, Workspace
from storage.queries.contacts import load_since, started_since
from storage.queries.health.contact_times import refresh_contact_times
from tests.support.plans import plan_of

ADDED = datetime(1989, 1, 1, tzinfo=UTC)
KINDS = ("contact", "contact", "check-in", "problem")
DIRECTIONS = ("gave", "mutual", "received")
# (zone, the first day of the window): ordinary days, a clock set back at midnight (Santiago,
# 5 April 2026), forward at midnight (Havana, 8 March 2026), and one where the local day goes
# back just after the window's first midnight (Goose Bay, 28 October 1990: 00:01 back to
# 23:01), where the first instant does not bound the window and every contact is read.
CASES = [
    ("Europe/Berlin", date(2026, 11, 17)),
    ("America/Santiago", date(2026, 4, 5)),
    ("America/Havana", date(2026, 3, 8)),
    ("Pacific/Kiritimati", date(2026, 6, 1)),
    ("America/Goose_Bay", date(1990, 10, 28)),
]


def _setup(session: Session, tz: str) -> tuple[Member, Member, Partner]:
    workspace = Workspace(team_id="T0LOAD", created_at=ADDED)
    session.add(workspace)
    session.flush()
    alice = Member(workspace_id=workspace.id, slack_user_id="U0ALICE", refreshed_at=ADDED, tz=tz)
    bob = Member(workspace_id=workspace.id, slack_user_id="U0BOB", refreshed_at=ADDED, tz=tz)
    partner = Partner(
        workspace_id=workspace.id,
        name="Acme",
        name_key="acme",
        organisation_key="",
        created_at=ADDED,
    )
    session.add_all([alice, bob, partner])
    session.flush()
    return alice, bob, partner


def _add(
    session: Session, member: Member, partner: Partner, when: datetime, kind: str, direction: str
) -> Interaction:
    contact = Interaction(
        workspace_id=member.workspace_id,
        partner_id=partner.id,
        member_id=member.id,
        occurred_at=when,
        kind=kind,
        direction=direction,
        medium="call",
        created_at=when,
    )
    session.add(contact)
    session.flush()
    return contact


def _says_what_the_full_read_says(
    session: Session,
    alice: Member,
    partner: Partner,
    new: Interaction,
    now: datetime,
    today: date,
    tz: str,
) -> bool:
    """The line after `new` (`contact_load`, its bounded read) counts and names what the rule
    says over every contact of the window (`load_since`, the full read), at the partner's
    threshold; True when there is a line."""
    threshold = partner.max_contacts
    found = contact_load(session, alice, partner, new, now)
    rows = load_since(session, alice.workspace_id, partner.id, query_since(today, zone(tz)))
    expected = over_contact(new.id, rows, today, zone(tz), threshold)
    if expected is None:
        assert found is None, (threshold, found)
        return False
    assert found is not None, threshold
    assert (found.count, found.threshold) == (expected.count, expected.threshold)
    assert [(row.id, row.by) for row in found.others[:LOAD_NAMED_MAX]] == [
        (row.id, row.by) for row in expected.others[:LOAD_NAMED_MAX]
    ]
    return True


@pytest.mark.parametrize(("tz", "first"), CASES)
@pytest.mark.parametrize("contacts", [0, 3, 40])
def test_the_line_counts_and_names_what_the_rule_says(
    db: Database, tz: str, first: date, contacts: int
) -> None:
    rng = random.Random(f"{tz}{contacts}")
    today = first + timedelta(days=13)
    start = datetime.combine(first, time(0), tzinfo=zone(tz)).astimezone(UTC)
    now = datetime.combine(today, time(15), tzinfo=zone(tz)).astimezone(UTC)
    with db.transaction() as session:
        alice, bob, partner = _setup(session, tz)
        # Around the window's first instant, to the second, whichever way they count.
        for offset in (-3600, -1, 0, 1, 60, 3600, 5400):
            _add(session, bob, partner, start + timedelta(seconds=offset), "contact", "gave")
        for _ in range(contacts):
            when = start + timedelta(minutes=rng.randrange(-2 * 24 * 60, 14 * 24 * 60))
            who = rng.choice((alice, bob))
            _add(session, who, partner, when, rng.choice(KINDS), rng.choice(DIRECTIONS))
        new = _add(session, alice, partner, now, "contact", "gave")
        refresh_contact_times(session, [partner.id])
        for threshold in (None, 2, 3, 10, 10_000, -1):
            partner.max_contacts = threshold
            _says_what_the_full_read_says(session, alice, partner, new, now, today, tz)


def test_the_first_instant_bounds_the_window_except_where_the_day_goes_back() -> None:
    for tz, first in CASES:
        today = first + timedelta(days=13)
        start = window_from(today, tz)
        if tz == "America/Goose_Bay":
            assert start is None
            continue
        assert start is not None
        assert window_start(today) == first
        for minutes in range(-24 * 60, 24 * 60, 7):
            instant = start + timedelta(minutes=minutes)
            assert (instant >= start) == (instant.astimezone(zone(tz)).date() >= first)


@pytest.mark.parametrize(("tz", "first"), CASES[:3])
@pytest.mark.parametrize("back", [0, 3, 13])
def test_a_back_dated_contact_among_many_on_the_same_noon_says_what_the_rule_says(
    db: Database, tz: str, first: date, back: int
) -> None:
    """Contacts given only a date all hold that day's noon (ties broken by when they were
    logged), the new one logged `back` days ago behind newer ones, and another partner's and
    another workspace's contacts beside them: the count and the names are the rule's."""
    rng = random.Random(f"{tz}{back}")
    today = first + timedelta(days=13)
    now = datetime.combine(today, time(17), tzinfo=zone(tz)).astimezone(UTC)
    with db.transaction() as session:
        alice, bob, partner = _setup(session, tz)
        other = Partner(
            workspace_id=alice.workspace_id,
            name="Beta",
            name_key="beta",
            organisation_key="",
            created_at=ADDED,
        )
        elsewhere = Workspace(team_id="T0ELSE", created_at=ADDED)
        session.add_all([other, elsewhere])
        session.flush()
        carol = Member(
            workspace_id=elsewhere.id, slack_user_id="U0CAROL", refreshed_at=ADDED, tz=tz
        )
        theirs = Partner(
            workspace_id=elsewhere.id,
            name="Acme",
            name_key="acme",
            organisation_key="",
            created_at=ADDED,
        )
        session.add_all([carol, theirs])
        session.flush()
        for day in range(14):
            noon = datetime.combine(first + timedelta(days=day), time(12), tzinfo=zone(tz))
            for _ in range(rng.randrange(0, 4)):
                who = rng.choice((alice, bob))
                _add(session, who, partner, noon, rng.choice(KINDS), rng.choice(DIRECTIONS))
            _add(session, alice, other, noon, "contact", "gave")
            _add(session, carol, theirs, noon, "contact", "gave")
        noon = datetime.combine(today - timedelta(days=back), time(12), tzinfo=zone(tz))
        new = _add(session, alice, partner, noon.astimezone(UTC), "contact", "mutual")
        refresh_contact_times(session, [partner.id, other.id, theirs.id])
        lines = 0
        for threshold in (None, 2, 5, 7, 30):
            partner.max_contacts = threshold
            lines += _says_what_the_full_read_says(session, alice, partner, new, now, today, tz)
        assert lines >= 2  # the default and a low threshold warn: the comparison was made


def test_the_newest_contacts_and_their_count_come_from_the_index_without_a_sort(
    db: Database,
) -> None:
    """Contacts logged for the same moment (a day without a time) are ordered as logged by the
    index itself, so the newest few need no sort of the whole window, and the count reads no
    contact's row (on PostgreSQL, sequential scans discouraged as a large table would)."""
    with db.transaction() as session:
        alice, _, partner = _setup(session, "Europe/Berlin")
        moment = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        session.add_all(
            Interaction(
                workspace_id=partner.workspace_id,
                partner_id=partner.id,
                member_id=alice.id,
                occurred_at=moment,
                kind="contact",
                direction="mutual",
                created_at=moment,
            )
            for _ in range(40)
        )
        session.flush()
        refresh_contact_times(session, [partner.id])
        read = lambda s: started_since(  # noqa: E731
            s,
            partner.workspace_id,
            partner.id,
            moment - timedelta(days=14),
            not_direction="received",
            not_kind="problem",
            newest=LOAD_NAMED_MAX,
        )
        plan = plan_of(session, read)

    assert "ix_interactions_partner_occurred" in plan, plan
    if db.backend == "sqlite":
        assert "TEMP B-TREE" not in plan, plan
        assert "COVERING INDEX ix_interactions_partner_occurred" in plan, plan
    else:
        assert "Sort" not in plan, plan
