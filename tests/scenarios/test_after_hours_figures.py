"""Last week's after-hours figures, end to end over signed HTTP with the injected clock, on
SQLite and PostgreSQL, in English and German. Today is Wednesday 25 November 2026, 10:00 in
Berlin; last week was Monday 16 to Sunday 22 November, this week ends on Sunday 29th.

- a member's first nudge DM of their week carries one line with last week's count per partner
  (shared-channel records by them, and contacts they logged with a time outside the partner's
  hours), once a week, told only once a DM carrying it was sent;
- the line never makes a DM of its own and is not there when there is nothing to count;
- a DM updated in place by an answer days later still reads the same;
- no other member, not the partner's owner, no partner list, card or promise list, and no
  other member's DM ever shows a person's figures.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.blocks.nudge_dm import ACTION_KEPT
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Bundle, Member
from tests.support.after_hours import partner_id_of, person, reached
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, current, dms, items_in, jobs_for, press, travel

ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"
NEW_YORK = ZoneInfo("America/New_York")
RAPPORT = "/rapport"
MOON = ":crescent_moon:"
SCHEDULED_SEND = (
    "Next time, click the arrow next to the send button and pick a later time (on mobile, press "
    "and hold the send button), so the message arrives in their business hours."
)
# What would give a person's figures away, in either language.
GIVEAWAYS = (
    MOON,
    # The line's own words: "(outside their business hours)" is a card's and a nudge's too.
    "you reached people outside their business hours",
    "Leute außerhalb ihrer Geschäftszeiten erreicht",
    "Emma Clarke",
)


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def log(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    known(rapport, user)
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def lines_of(message: dict[str, Any]) -> list[str]:
    """The after-hours lines a DM says, in its blocks; its notification text must agree."""
    found = [t for t in texts(message).splitlines() if MOON in t]
    assert all(line in message["text"] for line in found)
    assert (MOON in message["text"]) == bool(found)
    return found


def by_day(slack: SlackStandIn, user: str = ALICE, zone: ZoneInfo | None = None) -> dict:
    """The after-hours lines of each nudge DM `user` received, by (month, day) it arrived."""
    zone = zone or ZoneInfo("Europe/Berlin")
    return {(at.month, at.day): lines_of(dm) for at, dm in dms(slack, user, zone)}


def acme_in_tokyo(rapport: RunningRapport) -> int:
    """Bob looks after Acme, whose profile says Tokyo (Monday to Friday, 09:00 to 18:00)."""
    log(rapport, "Acme call gave 2026-11-02", user=BOB)
    reply = rapport.command("partner Acme set tz Asia/Tokyo", user=BOB, command=RAPPORT).reply()
    assert "Asia/Tokyo" in texts(reply) + reply["text"], reply["text"]
    return partner_id_of(rapport.db, "Acme")


def test_the_first_dm_of_the_week_says_last_weeks_figures_once(rapport, clock, slack, jobs) -> None:
    acme = acme_in_tokyo(rapport)
    # This week, Alice reached Acme's Kenji twice in the shared channel, Emma (no partner
    # profile, named by Slack) once, and someone Slack has told nothing about once.
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 24, 20, 0), partner=acme)
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 26, 21, 0), partner=acme)
    reached(rapport.db, ALICE, "U0EMMA", at_berlin(2026, 11, 27, 23, 0))
    person(rapport.db, "U0EMMA", "Emma Clarke", at_berlin(2026, 11, 25, 10, 0))
    reached(rapport.db, ALICE, "U0STRANGER", at_berlin(2026, 11, 29, 23, 30))
    # Last week once, and the week before that once (never said).
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 18, 22, 0), partner=acme)
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 13, 22, 0), partner=acme)
    # Another member's records are theirs alone.
    reached(rapport.db, JONAS, "U0KENJI", at_berlin(2026, 11, 24, 22, 0), partner=acme)
    # Contacts Alice logged with a time: 17:00 in Berlin is 01:00 in Tokyo, 23:30 is 07:30;
    # 09:00 is 17:00 there (at work); one Acme started and one without a time never count.
    log(rapport, "Acme call yesterday 17:00 went through the pilot")
    log(rapport, "Acme call yesterday 23:30")
    log(rapport, "Acme call yesterday 9:00")
    log(rapport, "Acme call received yesterday 18:00")
    log(rapport, "Acme call 2026-11-24")
    for due in ("tomorrow", "Friday", "Monday", "Tuesday"):
        log(rapport, f"Globex call promise: send part {due} by {due}")

    # Wednesday's DM (a heads-up for tomorrow) is the first of the week.
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))
    assert by_day(slack) == {
        (11, 25): [
            f"{MOON} Just for you: last week you reached people outside their business hours: "
            f"Acme once. {SCHEDULED_SEND}"
        ],
        (11, 26): [],
    }

    travel(clock, jobs, at_berlin(2026, 12, 1, 17, 0))
    said = by_day(slack)
    assert said[(11, 26)] == said[(11, 27)] == [], "said once a week"
    assert said[(11, 30)] == [
        f"{MOON} Just for you: last week you reached people outside their business hours: "
        f"Acme 4 times, Emma Clarke once, someone at another organisation once. {SCHEDULED_SEND}"
    ]
    assert said[(12, 1)] == []

    # An answer days later draws the DM again: it still says what it said.
    monday = next(dm for at, dm in dms(slack) if (at.month, at.day) == (11, 30))
    travel(clock, jobs, at_berlin(2026, 12, 3, 11, 0))
    promise = next(subject for kind, subject in items_in(monday) if kind == "promise")
    press(rapport, monday, "promise", promise, ACTION_KEPT)
    pressed = current(slack, monday)
    assert pressed != monday
    assert lines_of(pressed) == said[(11, 30)]


def test_no_one_else_ever_sees_a_persons_figures(rapport, clock, slack, jobs) -> None:
    acme = acme_in_tokyo(rapport)
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 24, 20, 0), partner=acme)
    reached(rapport.db, ALICE, "U0EMMA", at_berlin(2026, 11, 27, 23, 0))
    person(rapport.db, "U0EMMA", "Emma Clarke", at_berlin(2026, 11, 25, 10, 0))
    log(rapport, "Acme call yesterday 17:00")
    log(rapport, "Globex call promise: send the plan by Tuesday")  # a heads-up on Monday
    # Bob looks after Acme and Jonas works beside Alice: both have DMs of their own every day.
    for due in ("tomorrow", "Friday", "Monday", "Tuesday"):
        log(rapport, f"Acme call promise: send part {due} by {due}", user=BOB)
        log(rapport, f"Globex anruf versprochen: Teil {due} bis {due}", user=JONAS)

    travel(clock, jobs, at_berlin(2026, 12, 1, 17, 0))
    [monday] = [lines for (month, day), lines in by_day(slack).items() if (month, day) == (11, 30)]
    assert len(monday) == 1 and "Acme twice, Emma Clarke once." in monday[0]
    for user, zone in ((BOB, NEW_YORK), (JONAS, None)):
        theirs = dms(slack, user, zone or ZoneInfo("Europe/Berlin"))
        assert len(theirs) >= 4, "a DM every working day"
        assert all(_clean(texts(dm) + dm["text"]) for _, dm in theirs), user

    views = []
    for user in (BOB, JONAS, ALICE):
        for words in ("partners", "partners all", "partner Acme", "promises", "partner Globex"):
            reply = rapport.command(words, user=user, command=RAPPORT).reply()
            views.append((user, words, texts(reply) + "\n" + reply["text"]))
    assert any("Acme" in shown for _, words, shown in views if words == "partner Acme")
    leaked = [(user, words) for user, words, shown in views if not _clean(shown)]
    assert leaked == []

    with rapport.db.reading() as session:
        saying = session.execute(
            select(Member.slack_user_id)
            .join(Bundle, Bundle.member_id == Member.id)
            .where(Bundle.after_hours_said.is_not(None))
        ).all()
    assert {row.slack_user_id for row in saying} == {ALICE}


def _clean(shown: str) -> bool:
    return not any(word in shown for word in GIVEAWAYS)


def test_in_german_the_line_is_in_the_readers_words(rapport, clock, slack, jobs) -> None:
    acme = acme_in_tokyo(rapport)
    reached(rapport.db, JONAS, "U0KENJI", *(at_berlin(2026, 11, 23 + d, 22, 0) for d in range(3)))
    reached(rapport.db, JONAS, "U0KENJI", at_berlin(2026, 11, 28, 12, 0), partner=acme)
    log(rapport, "Acme anruf gestern 23:30", user=JONAS)
    log(rapport, "Globex anruf versprochen: Angebot schicken bis Montag", user=JONAS)
    travel(clock, jobs, at_berlin(2026, 11, 30, 17, 0))
    assert by_day(slack, JONAS)[(11, 30)] == [
        f"{MOON} Nur für dich: Letzte Woche hast du Leute außerhalb ihrer Geschäftszeiten "
        "erreicht: Acme zweimal, jemand aus einer anderen Organisation 3-mal. Nächstes Mal: "
        "Klicke auf den Pfeil neben dem Senden-Knopf und wähle eine spätere Zeit (am Handy: den "
        "Senden-Knopf gedrückt halten), damit die Nachricht in ihren Geschäftszeiten ankommt."
    ]


def test_the_line_never_makes_a_dm_and_waits_for_the_first_one_of_the_week(
    rapport, clock, slack, jobs
) -> None:
    acme = acme_in_tokyo(rapport)
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 25, 22, 0), partner=acme)
    known(rapport, ALICE)
    travel(clock, jobs, at_berlin(2026, 12, 1, 17, 0))
    assert dms(slack) == [], "figures alone are no reason for a DM"
    log(rapport, "Globex call promise: send the deck by Thursday")  # a heads-up on Wednesday
    log(rapport, "Globex call promise: send the plan by Friday")
    travel(clock, jobs, at_berlin(2026, 12, 3, 17, 0))
    said = by_day(slack)
    assert list(said) == [(12, 2), (12, 3)]
    assert said[(12, 2)] and "Acme once" in said[(12, 2)][0]
    assert said[(12, 3)] == []


def test_nothing_to_count_says_nothing(rapport, clock, slack, jobs) -> None:
    acme = acme_in_tokyo(rapport)
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 30, 0, 30), partner=acme)  # this week
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 15, 23, 30), partner=acme)  # before
    log(rapport, "Acme call yesterday 9:30")  # 17:30 in Tokyo: at work
    log(rapport, "Globex call promise: send the deck by Monday")
    travel(clock, jobs, at_berlin(2026, 11, 30, 17, 0))
    assert by_day(slack) == {(11, 27): [], (11, 30): []}


def test_a_dm_that_was_never_sent_leaves_the_line_to_the_next(rapport, clock, slack, jobs) -> None:
    acme = acme_in_tokyo(rapport)
    reached(rapport.db, ALICE, "U0KENJI", at_berlin(2026, 11, 25, 22, 0), partner=acme)
    log(rapport, "Globex call promise: send the deck by Tuesday")  # heads-up on Monday
    log(rapport, "Globex call promise: send the plan by December 2")
    travel(clock, jobs, at_berlin(2026, 11, 30, 8, 59))
    # Monday's DM is refused until it is given up on: it was rendered with the line, not sent.
    slack.fail_next(
        "chat.postMessage", error="invalid_blocks", status=200, retry_after=None, times=6
    )
    travel(clock, jobs, at_berlin(2026, 11, 30, 17, 0))
    assert dms(slack) == []
    with rapport.db.reading() as session:
        assert session.scalars(select(Bundle.state)).all() == ["dead"]
    travel(clock, jobs, at_berlin(2026, 12, 1, 17, 0))
    said = by_day(slack)
    assert list(said) == [(12, 1)]
    assert said[(12, 1)] and "Acme once" in said[(12, 1)][0]
