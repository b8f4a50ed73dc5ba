"""The last away day: the settings command and the Home's settings modal take days up to
2199-12-31 (the date reader's last year) and refuse later ones in the same words, EN and DE;
and a member whose stored away day is far later (saved before the bound) never stops the jobs:
the clock's window search ends at the end of the calendar instead of overflowing."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from bot.blocks.home.settings_modal import AWAY
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from storage.models import Member as MemberRow
from tests.scenarios.test_app_home import logged, opened
from tests.scenarios.test_app_home_redraw import member, open_settings, values
from tests.support.app import RunningRapport
from tests.support.nudges import jobs_for, travel

ALICE, JONAS = "U0ALICE", "U0JONAS"
TOO_FAR = {
    "en": "“{}” is too far ahead: the day you are back can be 2199-12-31 at the latest.",
    "de": "„{}“ liegt zu weit in der Zukunft: der Tag, an dem du zurück bist, kann "
    "spätestens der 2199-12-31 sein.",
}


@pytest.mark.parametrize(
    ("user", "lang", "typed"),
    [
        (ALICE, "en", "settings away until 9999-12-31"),
        (ALICE, "en", "settings away until 1.1.2200"),
        (JONAS, "de", "einstellungen abwesend bis 31.12.9999"),
        (JONAS, "de", "einstellungen urlaub bis 2200-01-01"),
    ],
)
def test_the_command_and_the_modal_refuse_a_day_past_the_last_alike(
    rapport: RunningRapport, user: str, lang: str, typed: str
) -> None:
    logged(rapport, "Acme call kickoff" if lang == "en" else "Acme Anruf Auftakt", user=user)
    said = rapport.command(typed, user=user).reply()["text"]
    value = typed.split()[-1]
    assert TOO_FAR[lang].format(value) in said, said

    opened(rapport, user)
    modal = open_settings(rapport, user)
    answer = rapport.submit(
        modal, values("9-17", ["1", "2", "3", "4", "5"], lang, away="9999-12-31"), user=user
    )
    assert answer.json()["errors"][AWAY] == TOO_FAR[lang].format("9999-12-31")
    assert member(rapport, user).away_until is None


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_last_day_itself_is_taken_by_both(rapport: RunningRapport, lang: str) -> None:
    user = ALICE if lang == "en" else JONAS
    logged(rapport, "Acme call kickoff" if lang == "en" else "Acme Anruf Auftakt", user=user)
    typed = (
        "settings away until 2199-12-31"
        if lang == "en"
        else "einstellungen abwesend bis 31.12.2199"
    )
    rapport.command(typed, user=user).reply()
    assert member(rapport, user).away_until == date(2199, 12, 31)

    opened(rapport, user)
    modal = open_settings(rapport, user)
    answer = rapport.submit(
        modal, values("9-17", ["1", "2", "3", "4", "5"], lang, away="2199-12-30"), user=user
    )
    assert answer.status == 200 and not answer.body
    assert member(rapport, user).away_until == date(2199, 12, 30)


@pytest.mark.parametrize("picked", ["2026-W53-7", "20261231", "+2026-12-31"])
def test_a_day_in_a_shape_no_date_picker_sends_is_refused(
    rapport: RunningRapport, picked: str
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    modal = open_settings(rapport)
    answer = rapport.submit(modal, values("9-17", ["1", "2", "3", "4", "5"], "en", away=picked))
    assert answer.json()["errors"][AWAY] == "Choose one of the options offered."


@pytest.mark.parametrize(
    ("away", "work_days"),
    [(date(9999, 12, 31), "12345"), (date(9999, 12, 31), "6"), (date(2199, 12, 31), "67")],
)
def test_jobs_run_for_a_member_away_until_the_end_of_the_calendar(
    rapport: RunningRapport,
    clock: ManualClock,
    slack: SlackStandIn,
    away: date,
    work_days: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    jobs = jobs_for(rapport, clock, slack)
    logged(rapport, "Acme email promise: send the quote by Friday")
    with rapport.db.transaction() as session:
        session.execute(
            update(MemberRow)
            .where(MemberRow.slack_user_id == ALICE)
            .values(away_until=away, work_days=work_days, tz="America/Los_Angeles")
        )
    # The sandbox's clock and the tests move through `Jobs.next_due`, which asks each member's
    # next window after their away day.
    travel(clock, jobs, clock.now() + timedelta(days=10))
    # Away: not one nudge, and no job failed on the way (a failure raises, or is logged).
    assert slack.calls_to("chat.postMessage") == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
