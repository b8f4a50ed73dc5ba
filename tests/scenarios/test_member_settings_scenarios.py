"""`/logcontact settings` end to end: signed commands to the running app, rows read back after."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.rules.clock import ManualClock
from tests.support.app import RunningRapport, known
from tests.support.blocks import texts
from tests.support.rows import Interaction, Member, Partner, all_of, count
from tests.support.world import BERLIN

ACK_BUDGET_SECONDS = 1.5
H = 60


def member_row(rapport: RunningRapport, user: str = "U0ALICE") -> Member:
    return next(m for m in all_of(rapport.db, Member) if m.slack_user_id == user)


def hours_of(rapport: RunningRapport, user: str = "U0ALICE") -> tuple[int, int, str]:
    member = member_row(rapport, user)
    return member.work_start_minute, member.work_end_minute, member.work_days


def chosen_of(rapport: RunningRapport, user: str = "U0ALICE") -> tuple[str | None, date | None]:
    """The member's stored language choice and away date."""
    member = member_row(rapport, user)
    return member.language, member.away_until


def test_a_first_timer_sees_the_default_hours_after_rapport_asks_slack(rapport) -> None:
    command = rapport.command("settings")

    assert command.answer.body == ""  # not cached yet: acked at once, answered later
    shown = texts(command.later())
    assert "Your settings" in shown
    assert "Rapport will nudge you Mon–Fri, 09:00–18:00 (Europe/Berlin)." in shown
    assert "`/rapport settings hours 8:30-17 days mon-fri`" in shown
    assert hours_of(rapport) == (9 * H, 18 * H, "12345")


def test_a_first_timer_can_change_their_hours_straight_away(rapport) -> None:
    command = rapport.command("settings hours 8-17 days mon-thu")

    shown = texts(command.later())
    assert "Rapport will nudge you Mon–Thu, 08:00–17:00 (Europe/Berlin)." in shown
    assert hours_of(rapport) == (8 * H, 17 * H, "1234")


def test_a_known_member_changes_hours_and_days_inside_the_ack(rapport) -> None:
    known(rapport)
    rapport.slack.reset()

    command = rapport.command("settings hours 8-17 days mon-fri")

    assert command.answer.seconds < ACK_BUDGET_SECONDS
    shown = texts(command.ack)
    assert "Saved your settings." in shown
    assert "Rapport will nudge you Mon–Fri, 08:00–17:00 (Europe/Berlin)." in shown
    assert hours_of(rapport) == (8 * H, 17 * H, "12345")
    assert rapport.slack.calls == []
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (0, 0)


def test_hours_alone_keep_the_days_and_days_alone_keep_the_hours(rapport) -> None:
    known(rapport)

    rapport.command("settings days mon,wed,fri").reply()
    assert hours_of(rapport) == (9 * H, 18 * H, "135")

    shown = texts(rapport.command("settings hours 7:30–16:15").reply())
    assert "Rapport will nudge you Mon, Wed, Fri, 07:30–16:15 (Europe/Berlin)." in shown
    assert hours_of(rapport) == (7 * H + 30, 16 * H + 15, "135")

    again = texts(rapport.command("settings").reply())
    assert "Mon, Wed, Fri, 07:30–16:15" in again
    assert hours_of(rapport) == (7 * H + 30, 16 * H + 15, "135")


def test_a_german_member_is_answered_in_german(rapport) -> None:
    known(rapport, "U0JONAS")

    shown = texts(rapport.command("einstellungen", user="U0JONAS").reply())
    assert "Deine Einstellungen" in shown
    assert "Rapport erinnert dich Mo–Fr, 09:00–18:00 (Europe/Berlin)." in shown
    assert "`/rapport einstellungen arbeitszeit 8:30-17 tage mo-fr`" in shown

    changed = texts(
        rapport.command("einstellungen arbeitszeit 8-17 tage mo-mi, fr", user="U0JONAS").reply()
    )
    assert "Deine Einstellungen sind gespeichert." in changed
    assert "Rapport erinnert dich Mo–Mi, Fr, 08:00–17:00 (Europe/Berlin)." in changed
    assert hours_of(rapport, "U0JONAS") == (8 * H, 17 * H, "1235")


@pytest.mark.parametrize(
    ("user", "text", "expected", "stored"),
    [
        (
            "U0ALICE",
            "einstellungen stunden 10-16 tage di-do",
            "Rapport will nudge you Tue–Thu, 10:00–16:00 (Europe/Berlin).",
            (10 * H, 16 * H, "234"),
        ),
        (
            "U0JONAS",
            "settings days monday-friday hours 08:00–17:30",
            "Rapport erinnert dich Mo–Fr, 08:00–17:30 (Europe/Berlin).",
            (8 * H, 17 * H + 30, "12345"),
        ),
        (
            "U0BOB",
            "Settings hours 9:30-18 days mon,tue,thu",
            "Rapport will nudge you Mon, Tue, Thu, 09:30–18:00 (America/New_York).",
            (9 * H + 30, 18 * H, "124"),
        ),
    ],
)
def test_either_languages_words_work_for_everyone(rapport, user, text, expected, stored) -> None:
    known(rapport, user)

    assert expected in texts(rapport.command(text, user=user).reply())
    assert hours_of(rapport, user) == stored


def test_one_members_change_leaves_the_others_alone(rapport) -> None:
    known(rapport)
    known(rapport, "U0BOB")

    rapport.command("settings hours 6-14 days sat,sun").reply()

    assert hours_of(rapport) == (6 * H, 14 * H, "67")
    assert hours_of(rapport, "U0BOB") == (9 * H, 18 * H, "12345")


def test_the_time_zone_follows_slack_and_the_hours_survive_a_profile_refresh(rapport) -> None:
    known(rapport)
    rapport.command("settings hours 8-16").reply()
    user = {"id": "U0ALICE", "team_id": "T0ACME", "real_name": "Alice Berger", "tz": "Asia/Tokyo"}

    assert rapport.event("Ev1", {"type": "user_change", "user": user}).status == 200

    shown = texts(rapport.command("settings").reply())
    assert "Rapport will nudge you Mon–Fri, 08:00–16:00 (Asia/Tokyo)." in shown
    assert hours_of(rapport) == (8 * H, 16 * H, "12345")


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U0ALICE", "settings 8-17", "“8-17” is not a setting"),
        ("U0ALICE", "settings hours", "Which hours? Give a start and an end after “hours”."),
        ("U0ALICE", "settings hours nine-five", "I couldn't read “nine-five” as working hours"),
        ("U0ALICE", "settings hours 1-5pm", "could mean 01:00–17:00 or 13:00–17:00"),
        ("U0ALICE", "settings hours 8-25", "“25” is not a time of day"),
        ("U0ALICE", "settings hours 8:75-17", "“8:75” is not a time of day"),
        ("U0ALICE", "settings hours 22-6", "22:00–06:00 does not"),
        ("U0ALICE", "settings hours 22-6", "Hours past midnight aren't supported"),
        ("U0ALICE", "settings days", "Which days? Name at least one after “days”."),
        ("U0ALICE", "settings days mon-fry", "I don't know the day “fry”"),
        ("U0ALICE", "settings hours 8-17 hours 9-17", "“hours” comes twice"),
        ("U0JONAS", "einstellungen 8-17", "„8-17“ ist keine Einstellung"),
        ("U0JONAS", "einstellungen arbeitszeit", "Gib nach „arbeitszeit“ Beginn und Ende an."),
        ("U0JONAS", "einstellungen arbeitszeit 17-8", "17:00–08:00 tut das nicht"),
        ("U0JONAS", "einstellungen stunden 8-24:30", "„24:30“ ist keine Uhrzeit"),
        ("U0JONAS", "einstellungen arbeitszeit 6-10pm", "kann 06:00–22:00 oder 18:00–22:00 heißen"),
        ("U0JONAS", "einstellungen tage", "Welche Tage? Nenne nach „tage“ mindestens einen."),
        ("U0JONAS", "einstellungen tage mo-xy", "Den Tag „xy“ kenne ich nicht"),
        ("U0JONAS", "settings days weekdays", "Den Tag „weekdays“ kenne ich nicht"),
    ],
)
def test_bad_input_says_what_was_wrong_with_an_example(rapport, user, text, expected) -> None:
    known(rapport, user)
    rapport.command("settings hours 8-17 days mon-thu", user=user).reply()

    shown = texts(rapport.command(text, user=user).reply())

    assert expected in shown
    if user == "U0JONAS":
        assert "Deine Einstellungen konnte ich nicht ändern." in shown
        assert "Zum Beispiel: `/rapport einstellungen arbeitszeit 8:30-17 tage mo-fr`" in shown
    else:
        assert "I couldn't change your settings." in shown
        assert "For example: `/rapport settings hours 8:30-17 days mon-fri`" in shown
    assert hours_of(rapport, user) == (8 * H, 17 * H, "1234"), "a refused change was stored"
    assert count(rapport.db, Interaction) == 0


def test_a_half_good_request_changes_nothing(rapport) -> None:
    known(rapport)

    shown = texts(rapport.command("settings hours 8-17 days mon-fri, holidays").reply())

    assert "I don't know the day “holidays”" in shown
    assert hours_of(rapport) == (9 * H, 18 * H, "12345")


def test_help_mentions_the_settings_in_both_languages(rapport) -> None:
    english = texts(rapport.command("help").reply())
    german = texts(rapport.command("hilfe", user="U0JONAS").reply())
    assert "`/rapport settings` shows and changes when Rapport may nudge you" in english
    assert "when you are away (`away until 4 Jan`)" in english
    assert "`/rapport einstellungen` zeigt und ändert" in german


def test_settings_help_shows_the_settings(rapport) -> None:
    known(rapport)
    shown = texts(rapport.command("settings help").reply())
    assert "Your settings" in shown
    assert "Rapport will nudge you Mon–Fri, 09:00–18:00 (Europe/Berlin)." in shown


# --- language and holidays -----------------------------------------------------------------------


def test_choosing_german_answers_in_german_at_once_and_from_then_on(rapport) -> None:
    known(rapport)

    chosen = texts(rapport.command("settings language de").reply())

    assert "Deine Einstellungen sind gespeichert." in chosen
    assert "Rapport erinnert dich Mo–Fr, 09:00–18:00 (Europe/Berlin)." in chosen
    assert "Sprache: Deutsch (von Hand gesetzt)." in chosen
    assert chosen_of(rapport) == ("de", None)
    logged = texts(rapport.command("Acme call talked about the launch").reply())
    assert "Dein Kontakt mit *Acme* ist erfasst." in logged


def test_sprache_auto_goes_back_to_the_language_in_slack(rapport) -> None:
    known(rapport)
    rapport.command("settings language german").reply()

    back = texts(rapport.command("einstellungen sprache auto").reply())

    assert "Saved your settings." in back
    assert "Language: English (from Slack)." in back
    assert chosen_of(rapport) == (None, None)
    assert "Logged your contact with *Acme*." in texts(rapport.command("Acme call").reply())


def test_a_german_member_can_choose_english(rapport) -> None:
    known(rapport, "U0JONAS")

    shown = texts(rapport.command("einstellungen sprache englisch", user="U0JONAS").reply())

    assert "Language: English (set by hand)." in shown
    assert "Rapport will nudge you Mon–Fri, 09:00–18:00 (Europe/Berlin)." in shown
    assert chosen_of(rapport, "U0JONAS") == ("en", None)


def test_a_language_chosen_leaves_how_numeric_dates_are_read_to_the_slack_locale(
    rapport,
) -> None:
    # Bob's Slack (en-US) writes the month first: in German answers, "2/3" is still either
    # day. Jonas's (de-DE) writes the day first: in English answers, it is still 2 March.
    known(rapport, "U0BOB")
    known(rapport, "U0JONAS")
    rapport.command("settings language de", user="U0BOB").reply()
    rapport.command("einstellungen sprache englisch", user="U0JONAS").reply()

    asked = texts(rapport.command("Acme call promise: quote by 2/3", user="U0BOB").reply())
    logged = texts(rapport.command("Acme call promise: quote by 2/3", user="U0JONAS").reply())

    assert "*2/3* ist in beiden Reihenfolgen ein Datum" in asked
    assert "Logged your contact" in logged
    assert "due Tuesday, March 2, 2027" in logged


def test_a_numeric_away_date_is_read_by_the_slack_locale_too(rapport) -> None:
    # "2/3" from Bob (en-US) may be 3 February: refused, naming what he typed, not stored as
    # 2 March. From Jonas (de-DE) it is 2 March.
    known(rapport, "U0BOB")
    known(rapport, "U0JONAS")

    bob = texts(rapport.command("settings away until 2/3", user="U0BOB").reply())
    jonas = texts(rapport.command("einstellungen abwesend bis 2/3", user="U0JONAS").reply())

    assert "2/3" in bob and "March" not in bob
    assert "2. März 2027" in jonas


def test_away_until_a_date_is_stored_shown_and_ended_by_back(rapport) -> None:
    known(rapport)

    away = texts(rapport.command("settings away until Jan 4").reply())

    expected = "Away until Monday, January 4, 2027: nudges wait and come in one message that day."
    assert expected in away
    assert chosen_of(rapport) == (None, date(2027, 1, 4))
    assert expected in texts(rapport.command("settings").reply())

    back = texts(rapport.command("settings back").reply())
    assert "Not away: nudges come in your working hours again." in back
    assert chosen_of(rapport) == (None, None)


@pytest.mark.parametrize(
    ("text", "stored", "shown"),
    [
        ("einstellungen urlaub bis 04.01.2027", date(2027, 1, 4), "Montag, 4. Januar 2027"),
        ("einstellungen abwesend bis 4. Januar", date(2027, 1, 4), "Montag, 4. Januar 2027"),
        ("settings away until 2026-12-31", date(2026, 12, 31), "Donnerstag, 31. Dezember 2026"),
        ("einstellungen abwesend bis nächsten Montag", date(2026, 11, 30), "Montag, 30. November"),
    ],
)
def test_a_german_member_sets_holidays_in_either_languages_words(
    rapport, text, stored, shown
) -> None:
    known(rapport, "U0JONAS")

    reply = texts(rapport.command(text, user="U0JONAS").reply())

    assert f"Abwesend bis {shown}" in reply and "Erinnerungen warten" in reply
    assert chosen_of(rapport, "U0JONAS") == (None, stored)


def test_an_away_date_that_has_come_is_shown_as_not_away(rapport, clock: ManualClock) -> None:
    known(rapport)
    rapport.command("settings away until Friday").reply()  # Friday 27 November 2026

    clock.set(datetime(2026, 11, 27, 8, 0, tzinfo=BERLIN))
    shown = texts(rapport.command("settings").reply())

    assert "Your settings" in shown and "Away until" not in shown


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        ("U0ALICE", "settings language", "Which language? Name one after “language”"),
        ("U0ALICE", "settings language fr", "I don't know the language “fr”"),
        ("U0ALICE", "settings away until Jan 4 language klingon", "the language “klingon”"),
        ("U0ALICE", "settings away", "Away until when?"),
        ("U0ALICE", "settings away until whenever", "I couldn't read “whenever” as a day"),
        ("U0ALICE", "settings away until yesterday", "“yesterday” is not after today"),
        ("U0ALICE", "settings away until today", "“today” is not after today"),
        ("U0ALICE", "settings back now", "“now” is not a setting"),
        ("U0JONAS", "einstellungen sprache", "Welche Sprache? Nenne nach „sprache“ eine"),
        ("U0JONAS", "einstellungen sprache französisch", "Die Sprache „französisch“ kenne ich"),
        ("U0JONAS", "einstellungen urlaub bis", "Abwesend bis wann?"),
        ("U0JONAS", "einstellungen abwesend bis 31.02.", "„31.02.“ kann ich nicht als Tag lesen"),
        ("U0JONAS", "einstellungen urlaub bis 1.1.2020", "„1.1.2020“ liegt nicht nach heute"),
    ],
)
def test_a_bad_language_or_away_date_is_answered_and_nothing_is_stored(
    rapport, user, text, expected
) -> None:
    known(rapport, user)
    rapport.command("settings hours 8-17 away until Dec 31", user=user).reply()

    shown = texts(rapport.command(text, user=user).reply())

    assert expected in shown
    if user == "U0JONAS":
        assert "Deine Einstellungen konnte ich nicht ändern." in shown
        assert "Zum Beispiel: `/rapport einstellungen" in shown
    else:
        assert "I couldn't change your settings." in shown
        assert "For example: `/rapport settings" in shown
    assert chosen_of(rapport, user) == (None, date(2026, 12, 31)), "a refused change was stored"
    assert hours_of(rapport, user) == (8 * H, 17 * H, "12345")
