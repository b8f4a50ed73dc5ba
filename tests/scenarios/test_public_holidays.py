"""Public holidays end to end: the member setting over signed HTTP, and nudge DMs that wait for
the next working day (the injected clock walks across Christmas and New Year; no sleeps)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.nudges import at_berlin, dms, jobs_for, log, travel
from tests.support.rows import Member, Partner, all_of

RAPPORT = "/rapport"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def stored(rapport: RunningRapport, user: str = "U0ALICE") -> str | None:
    member = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == user)
    return member.public_holidays


def arrival_days(slack: SlackStandIn, user: str = "U0ALICE") -> list[date]:
    return [at.date() for at, _ in dms(slack, user)]


def walk(clock: ManualClock, jobs: Jobs, first: date, last: date) -> None:
    """Every day from `first` to `last`, the jobs run at noon and in the evening in Berlin."""
    day = first
    while day <= last:
        for hour in (12, 20):
            travel(clock, jobs, at_berlin(day.year, day.month, day.day, hour, 0))
            jobs.run_once()
        day += timedelta(days=1)


# --- the setting ----------------------------------------------------------------------------------


def test_the_default_comes_from_the_time_zone_and_a_region_is_set_and_shown(rapport) -> None:
    known(rapport)

    shown = texts(rapport.command("settings", command=RAPPORT).reply())
    assert "Public holidays: DE (Germany), from your time zone Europe/Berlin;" in shown
    assert "`/rapport settings public-holidays DE-BY`" in shown
    assert stored(rapport) is None

    saved = texts(rapport.command("settings public-holidays de-by", command=RAPPORT).reply())
    assert "Saved your settings." in saved
    assert "Public holidays: DE-BY (Germany, Bayern), set by hand; no nudges on them." in saved
    assert stored(rapport) == "DE-BY"

    off = texts(rapport.command("settings public-holidays none").reply())  # /logcontact too
    assert "Public holidays: none, set by hand; nudges come on public holidays too." in off
    assert stored(rapport) == "none"

    back = texts(rapport.command("settings public-holidays auto", command=RAPPORT).reply())
    assert "Public holidays: DE (Germany), from your time zone Europe/Berlin;" in back
    assert stored(rapport) is None


def test_a_german_member_sets_feiertage_and_reads_the_answer_in_german(rapport) -> None:
    known(rapport, "U0JONAS")

    saved = texts(
        rapport.command("einstellungen feiertage DE-BE", user="U0JONAS", command=RAPPORT).reply()
    )
    assert "Deine Einstellungen sind gespeichert." in saved
    assert (
        "Feiertage: DE-BE (Deutschland, Berlin), von Hand gesetzt; an ihnen keine Erinnerungen."
        in saved
    )
    assert stored(rapport, "U0JONAS") == "DE-BE"

    off = texts(rapport.command("einstellungen feiertage keine", user="U0JONAS").reply())
    assert "Feiertage: keine, von Hand gesetzt; Erinnerungen kommen auch an Feiertagen." in off
    assert stored(rapport, "U0JONAS") == "none"


def test_a_zone_without_a_country_has_no_holidays_until_a_region_is_chosen(rapport, slack) -> None:
    slack.add_user("U0NOMAD", name="nomad", real_name="Noor Nomad", tz="UTC")
    known(rapport, "U0NOMAD")

    shown = texts(rapport.command("settings", user="U0NOMAD", command=RAPPORT).reply())
    assert "Public holidays: none, since your time zone UTC belongs to no country" in shown

    chosen = texts(rapport.command("settings public-holidays JP", user="U0NOMAD").reply())
    assert "Public holidays: JP (Japan), set by hand" in chosen


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        (
            "U0ALICE",
            "settings public-holidays XX",
            "I don't know public holidays for the country “XX”",
        ),
        (
            "U0ALICE",
            "settings public-holidays DE-XY",
            "DE has no region “XY”. Its regions: BB, BE, BW, BY,",
        ),
        (
            "U0ALICE",
            "settings public-holidays",
            "Which public holidays? After “public-holidays”, give a country code",
        ),
        (
            "U0ALICE",
            "settings public-holidays JP-Tokyo",
            "JP has no regions with holidays of their own, so “Tokyo” cannot be one",
        ),
        (
            "U0JONAS",
            "einstellungen feiertage Bayern",
            "Für das Land „Bayern“ kenne ich keine Feiertage",
        ),
        (
            "U0JONAS",
            "einstellungen feiertage DE-Bavaria",
            "DE hat keine Region „Bavaria“. Seine Regionen: BB, BE, BW, BY,",
        ),
        ("U0JONAS", "einstellungen feiertage", "Welche Feiertage? Gib nach „feiertage“"),
        (
            "U0JONAS",
            "einstellungen feiertage DE-BY feiertage DE",
            "„feiertage“ steht zweimal da",
        ),
    ],
)
def test_a_bad_region_is_answered_clearly_and_nothing_changes(
    rapport, user: str, text: str, expected: str
) -> None:
    known(rapport, user)
    rapport.command("settings public-holidays DE-HH hours 8-17", user=user).reply()

    shown = texts(rapport.command(text, user=user, command=RAPPORT).reply())

    assert expected in shown
    if user == "U0JONAS":
        assert "Deine Einstellungen konnte ich nicht ändern." in shown
        assert "`/rapport einstellungen" in shown
    else:
        assert "I couldn't change your settings." in shown
        assert "`/rapport settings" in shown
    assert stored(rapport, user) == "DE-HH", "a refused change was stored"
    member = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == user)
    assert (member.work_start_minute, member.work_end_minute) == (8 * 60, 17 * 60)


# --- nudges across the holidays -------------------------------------------------------------------


def test_no_dm_on_christmas_in_berlin_and_the_28ths_dm_carries_what_was_due(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call 2026-09-26")  # + 90 days: check-in due Friday 25 December
    log(rapport, "Globex email promise: send the signed contract by 2026-12-26")
    travel(clock, jobs, at_berlin(2026, 12, 23, 20, 0))
    assert dms(slack) == []

    walk(clock, jobs, date(2026, 12, 24), date(2026, 12, 28))

    # The promise's heads-up comes on Thursday 24th, the last working day before it is due.
    assert arrival_days(slack) == [date(2026, 12, 24), date(2026, 12, 28)]
    [(_, eve), (arrived, monday)] = dms(slack)
    assert "send the signed contract" in texts(eve)
    assert arrived == at_berlin(2026, 12, 28, 9, 0)
    shown = texts(monday)
    assert "*Acme*" in shown  # the check-in due on the 25th
    assert "send the signed contract" in shown  # due on the 26th, a holiday and a Saturday


def test_a_member_without_public_holidays_gets_the_dm_on_christmas_day(
    rapport, clock, slack, jobs
) -> None:
    rapport.command("settings public-holidays none").reply()
    log(rapport, "Acme call 2026-09-26")  # check-in due Friday 25 December
    log(rapport, "Globex email promise: send the signed contract by 2026-12-28")

    walk(clock, jobs, date(2026, 12, 23), date(2026, 12, 28))

    # Heads-up on Friday 25th (the last working day before Monday), with the check-in.
    assert arrival_days(slack) == [date(2026, 12, 25), date(2026, 12, 28)]
    [(arrived, christmas), _] = dms(slack)
    assert arrived == at_berlin(2026, 12, 25, 9, 0)
    assert "*Acme*" in texts(christmas) and "send the signed contract" in texts(christmas)


def test_new_year_waits_for_monday_and_a_heads_up_comes_on_new_years_eve(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call 2026-10-03")  # + 90 days: check-in due Friday 1 January 2027
    log(rapport, "Globex email promise: send the signed contract by 2027-01-04")

    walk(clock, jobs, date(2026, 12, 30), date(2027, 1, 4))

    assert arrival_days(slack) == [date(2026, 12, 31), date(2027, 1, 4)]
    [(_, eve), (_, monday)] = dms(slack)
    assert "send the signed contract" in texts(eve)
    assert "*Acme*" in texts(monday)


def test_epiphany_is_a_day_off_in_bavaria_and_a_working_day_in_berlin(
    rapport, clock, slack, jobs
) -> None:
    rapport.command("settings public-holidays DE-BY").reply()
    rapport.command("einstellungen feiertage DE-BE", user="U0JONAS").reply()
    log(rapport, "Acme call 2026-10-08")  # + 90 days: Wednesday 6 January 2027
    log(rapport, "Globex call 2026-10-08", user="U0JONAS")

    walk(clock, jobs, date(2027, 1, 5), date(2027, 1, 7))

    assert arrival_days(slack, "U0ALICE") == [date(2027, 1, 7)]
    assert arrival_days(slack, "U0JONAS") == [date(2027, 1, 6)]


def test_the_clock_skips_to_the_morning_after_the_holidays(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme email promise: send the quote by Friday")
    travel(clock, jobs, at_berlin(2026, 12, 24, 19, 0))
    until = at_berlin(2027, 1, 10, 0, 0)
    assert jobs.next_due(clock.now(), until) == at_berlin(2026, 12, 28, 9, 0)

    rapport.command("settings public-holidays none").reply()
    assert jobs.next_due(clock.now(), until) == at_berlin(2026, 12, 25, 9, 0)


# --- a partner's public holidays ------------------------------------------------------------------


def partner_holidays(rapport: RunningRapport, name: str = "Acme") -> str | None:
    return next(p for p in all_of(rapport.db, Partner) if p.name == name).public_holidays


def test_a_partners_public_holidays_are_set_shown_and_refused_when_unknown(rapport) -> None:
    log(rapport, "Acme call kickoff")
    rapport.command("partner Acme set tz Asia/Tokyo", command=RAPPORT).reply()

    shown = texts(rapport.command("partner Acme", command=RAPPORT).reply())
    assert "JP (Japan), from their time zone" in shown
    assert partner_holidays(rapport) is None

    saved = texts(
        rapport.command("partner Acme set public-holidays DE-BY", command=RAPPORT).reply()
    )
    assert "DE-BY (Germany, Bayern), set by hand" in saved
    assert partner_holidays(rapport) == "DE-BY"

    refused = texts(
        rapport.command("partner Acme set feiertage DE-Bavaria", command=RAPPORT).reply()
    )
    assert "DE has no region “Bavaria”. Its regions: BB, BE, BW, BY," in refused
    assert partner_holidays(rapport) == "DE-BY"

    german = texts(
        rapport.command("partner Acme set feiertage keine", user="U0JONAS", command=RAPPORT).reply()
    )
    assert "keine (von Hand gesetzt)" in german
    assert partner_holidays(rapport) == "none"

    rapport.command("partner Acme set public-holidays auto", command=RAPPORT).reply()
    assert partner_holidays(rapport) is None


def test_the_card_says_when_today_is_a_public_holiday_for_the_partner(rapport, clock) -> None:
    log(rapport, "Acme call kickoff")
    rapport.command("partner Acme set tz Asia/Tokyo", command=RAPPORT).reply()
    clock.set(at_berlin(2026, 12, 31, 20, 0))  # 04:00 on New Year's Day in Tokyo

    shown = texts(rapport.command("partner Acme", command=RAPPORT).reply())
    assert "(a public holiday there today: New Year's Day)" in shown


def test_the_edit_profile_form_sets_and_refuses_public_holidays(rapport) -> None:
    log(rapport, "Acme call kickoff")
    message = rapport.command("partner Acme", command=RAPPORT).reply()
    button = buttons(message)["Edit profile"]
    rapport.click(button["action_id"], button.get("value"))
    [view] = rapport.slack.views()
    block = next(b for b in view["blocks"] if b["block_id"] == "holidays")
    assert block["label"]["text"] == "Public holidays"
    assert block["hint"]["text"].startswith("Country and region, like DE-BY or JP")

    bad = rapport.submit(view, state_from(view, holidays="XX-YY"))
    assert bad.json()["response_action"] == "errors"
    assert "the country “XX”" in bad.json()["errors"]["holidays"]
    assert partner_holidays(rapport) is None

    good = rapport.submit(view, state_from(view, holidays="us ny"))
    assert good.status == 200
    assert rapport.wait_until_idle()
    assert partner_holidays(rapport) == "US-NY"
