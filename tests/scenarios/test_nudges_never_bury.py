"""Nudge DMs bury nothing: thirty promises due the same Friday each appear (at least as a
compact line) in the DM of their heads-up day, those without buttons get them first the next
day, and sixty items of the longest names and notes make one DM the stand-in takes (it refuses
blocks over `STANDIN_LIMIT` characters of text, as Slack does).

Commands go to the running app over signed HTTP; time moves with the test's clock; DMs are read
back from the Slack stand-in. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import UTC, date

import pytest
from sqlalchemy import select

from bot.blocks.budget import STANDIN_LIMIT, text_chars
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Interaction, Member, Nudge, Partner, Promise
from storage.queries.health.contact_times import refresh_contact_times
from storage.vocabulary import NAME_MAX_CHARS, NOTE_MAX_CHARS
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, dms, items_in, jobs_for, log, travel
from tests.support.rows import all_of

THURSDAY, FRIDAY = date(2026, 11, 26), date(2026, 11, 27)


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def promised(message: dict) -> set[str]:
    """The partners (Client NN) whose promise a DM mentions, with buttons or in a line."""
    return set(re.findall(r"\(to \*(Client\d\d)\*\)", texts(message)))


def test_thirty_promises_due_the_same_friday_each_appear_by_their_heads_up_day(
    rapport, clock, slack, jobs
) -> None:
    for i in range(30):
        log(rapport, f"Client{i:02d} email promise: send the signed order by Friday")
    promise_of = {p.partner.name: p.id for p in _promises(rapport)}

    travel(clock, jobs, at_berlin(2026, 12, 1, 17, 0))

    days = {at.date(): message for at, message in dms(slack)}
    assert sorted(days)[:2] == [THURSDAY, FRIDAY]
    thursday, friday = days[THURSDAY], days[FRIDAY]
    # Thursday, the heads-up day: every one of the thirty, most with buttons, the rest in lines.
    assert promised(thursday) == set(promise_of)
    with_buttons = {subject for _, subject in items_in(thursday)}
    assert 10 <= len(with_buttons) < 30
    assert "Also due (with buttons first thing in your next message)" in texts(thursday)
    # Friday, the due day: those Thursday only listed get their buttons first.
    listed_only = set(promise_of.values()) - with_buttons
    assert listed_only <= {subject for _, subject in items_in(friday)}
    assert promised(friday) == set(promise_of)
    for message in days.values():
        assert text_chars(message["blocks"]) <= STANDIN_LIMIT


def test_sixty_items_of_the_longest_names_and_notes_make_one_dm_the_stand_in_takes(
    rapport, clock, slack, jobs
) -> None:
    known(rapport)
    _sixty_of_the_largest(rapport)

    travel(clock, jobs, at_berlin(2026, 11, 26, 12, 0))

    [(_, message)] = dms(slack)
    assert text_chars(message["blocks"]) <= STANDIN_LIMIT and len(message["blocks"]) <= 50
    shown = len(items_in(message))
    listed = texts(message).count("\n• ")
    counted = re.search(r"…and (\d+) more, which come first in your next message", texts(message))
    assert counted is not None
    assert shown >= 5 and listed >= 3 * shown
    assert shown + listed + int(counted.group(1)) == 60
    rows = all_of(rapport.db, Nudge)
    assert sum(1 for n in rows if n.state == "sent") == shown
    assert sum(1 for n in rows if n.state == "pending" and n.bundle_id is None) == 60 - shown


def _promises(rapport: RunningRapport) -> list[Promise]:
    with rapport.db.reading() as session:
        found = list(session.scalars(select(Promise)))
        for promise in found:
            assert promise.partner.name  # loaded while the session is open
        return found


def _sixty_of_the_largest(rapport: RunningRapport) -> None:
    """Thirty partners due a check-in and thirty promises due today, each partner with the
    longest name, organisation and last note, written as rows (no command holds that much)."""
    long = "W" * NAME_MAX_CHARS
    met = at_berlin(2026, 8, 1, 10, 0).astimezone(UTC)
    with rapport.db.transaction() as session:
        alice = session.scalars(select(Member).where(Member.slack_user_id == "U0ALICE")).one()
        for i in range(60):
            partner = Partner(
                workspace_id=alice.workspace_id,
                name=f"{i:02d}{long[2:]}",
                name_key=f"{i:02d}{long[2:]}".casefold(),
                organisation=long,
                organisation_key=long.casefold(),
                owner_id=alice.id,
                created_at=met,
            )
            session.add(partner)
            session.flush()
            session.add(
                Interaction(
                    workspace_id=alice.workspace_id,
                    partner_id=partner.id,
                    member_id=alice.id,
                    occurred_at=met,
                    note="n" * NOTE_MAX_CHARS,
                    created_at=met,
                )
            )
            if i >= 30:
                session.add(
                    Promise(
                        workspace_id=alice.workspace_id,
                        partner_id=partner.id,
                        member_id=alice.id,
                        text="x" * NOTE_MAX_CHARS,
                        due_on=date(2026, 11, 26),
                        status="open",
                        promised_by="us",
                        created_at=met,
                    )
                )
                partner.cadence_days = 3650  # only its promise is due
            refresh_contact_times(session, [partner.id])
