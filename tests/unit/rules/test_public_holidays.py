"""Public holidays as days off: the region that applies, the library's dates, and what
`WorkingHours` makes of them (no window on a holiday, heads-ups before it)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.rules.nudges import heads_up_day
from bot.rules.public_holidays import (
    OFF,
    RegionProblem,
    country_of_zone,
    holiday_name,
    is_public_holiday,
    read_region,
    region_of,
    subdivision_name,
)
from bot.rules.working_hours import WorkingHours, outside_partner_hours

BERLIN = ZoneInfo("Europe/Berlin")
H = 60


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("tz", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("Europe/Busingen", "DE"),  # a German enclave with a zone of its own
        ("Asia/Tokyo", "JP"),
        ("America/New_York", "US"),
        ("Europe/Zurich", "CH"),
        ("Europe/Copenhagen", "DK"),  # linked to Berlin's rules, listed as Denmark's
        ("Asia/Calcutta", "IN"),  # an old alias, followed to Asia/Kolkata
        ("US/Pacific", "US"),
        ("UTC", None),
        ("Etc/GMT+3", None),
        ("", None),
        (None, None),
        ("Not/AZone", None),
    ],
)
def test_a_zone_names_its_country_from_zone_tab(tz: str | None, country: str | None) -> None:
    assert country_of_zone(tz) == country


def test_the_region_is_the_choice_or_none_or_the_zones_country() -> None:
    assert region_of(None, "Europe/Berlin") == "DE"
    assert region_of("DE-BY", "Asia/Tokyo") == "DE-BY"
    assert region_of(OFF, "Europe/Berlin") is None
    assert region_of(None, "UTC") is None
    assert region_of(None, "Etc/GMT-14") is None


@pytest.mark.parametrize(
    ("region", "day", "holiday"),
    [
        ("DE", date(2026, 12, 25), True),
        ("DE", date(2026, 12, 26), True),
        ("DE", date(2027, 1, 1), True),
        ("DE", date(2026, 12, 24), False),  # Christmas Eve is a working day in law
        ("DE", date(2026, 10, 3), True),
        ("DE-BY", date(2027, 1, 6), True),  # Epiphany: Bavaria, not Berlin
        ("DE-BE", date(2027, 1, 6), False),
        ("DE", date(2027, 1, 6), False),
        ("DE-BE", date(2027, 3, 8), True),  # Women's Day: Berlin only
        ("DE-BY", date(2027, 3, 8), False),
        ("JP", date(2027, 1, 1), True),
        ("US", date(2026, 11, 26), True),  # Thanksgiving
        ("DE", date(2026, 11, 26), False),
        (None, date(2026, 12, 25), False),
    ],
)
def test_the_library_says_which_days_are_holidays(
    region: str | None, day: date, holiday: bool
) -> None:
    assert is_public_holiday(region, day) is holiday


def test_a_holiday_has_a_name_in_the_readers_language_and_a_working_day_none() -> None:
    assert holiday_name("DE", date(2026, 12, 25), "de") == "Erster Weihnachtstag"
    assert holiday_name("DE", date(2026, 12, 25), "en") == "Christmas Day"
    # Japan's holidays have no German names in the library: English rather than Japanese.
    assert holiday_name("JP", date(2027, 1, 1), "de") == "New Year's Day"
    assert holiday_name("DE", date(2026, 12, 24)) is None
    assert holiday_name(None, date(2026, 12, 25)) is None


def test_a_region_stored_by_an_older_library_means_no_holidays_not_a_crash() -> None:
    assert is_public_holiday("QQ-ZZ", date(2026, 12, 25)) is False


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DE-BY", "DE-BY"),
        ("de-by", "DE-BY"),
        ("de_by", "DE-BY"),
        ("de by", "DE-BY"),
        ("DE/BY", "DE-BY"),
        ("DE-Bayern", "DE-BY"),  # a subdivision by the name the library knows it by
        ("de", "DE"),
        ("DEU", "DE"),  # three letters name the same country
        ("jp", "JP"),
        ("US-ca", "US-CA"),
        ("GB-SCT", "GB-SCT"),
        # A country by its English or German name, and what follows it as its subdivision.
        ("Deutschland", "DE"),
        ("germany", "DE"),
        ("Deutschland Bayern", "DE-BY"),
        ("Germany BY", "DE-BY"),
        ("Österreich", "AT"),
        ("Schweiz Zürich", "CH-ZH"),
        ("Vereinigtes Königreich", "GB"),
        ("United States California", "US-CA"),  # the longest name: never "United" alone
        ("Japan", "JP"),
    ],
)
def test_a_typed_region_is_read_to_the_librarys_code(typed: str, code: str) -> None:
    assert read_region(typed) == code


def test_an_unknown_country_is_named() -> None:
    assert read_region("XX") == RegionProblem("unknown_country", "XX")
    assert read_region("Bavaria") == RegionProblem("unknown_country", "Bavaria")
    assert read_region("United") == RegionProblem("unknown_country", "United")
    assert read_region("4-2") == RegionProblem("unknown_country", "4")


def test_an_unknown_subdivision_after_a_country_name_is_named_with_the_countrys() -> None:
    problem = read_region("Deutschland Narnia")
    assert isinstance(problem, RegionProblem)
    assert (problem.code, problem.typed, problem.country) == ("unknown_subdivision", "Narnia", "DE")


def test_a_subdivision_is_named_as_the_library_names_it() -> None:
    assert subdivision_name("DE-BY") == "Bayern"
    assert subdivision_name("US-CA") == "California"
    assert subdivision_name("JP") is None


def test_an_unknown_region_of_a_known_country_lists_the_countrys_regions() -> None:
    problem = read_region("DE-XY")
    assert isinstance(problem, RegionProblem)
    assert (problem.code, problem.typed, problem.country) == ("unknown_subdivision", "XY", "DE")
    assert {"BY", "BE", "NW"} <= set(problem.subdivisions)


# --- working hours -------------------------------------------------------------------------------


def office(region: str | None) -> WorkingHours:
    return WorkingHours(9 * H, 18 * H, "12345", "Europe/Berlin", region)


def test_a_public_holiday_is_no_working_day_and_nobody_is_at_work_on_it() -> None:
    assert not office("DE").is_working_day(date(2026, 12, 25))
    assert not office("DE").is_at_work(berlin(2026, 12, 25, 10))
    assert office(None).is_at_work(berlin(2026, 12, 25, 10))
    assert office("DE").is_at_work(berlin(2026, 12, 24, 10))


def test_the_next_window_after_christmas_eve_is_the_monday_after() -> None:
    # 25 Friday and 26 Saturday are holidays, 27 a Sunday.
    assert office("DE").next_window(berlin(2026, 12, 24, 19)) == berlin(2026, 12, 28, 9)
    assert office(None).next_window(berlin(2026, 12, 24, 19)) == berlin(2026, 12, 25, 9)
    assert office("DE").next_opening(berlin(2026, 12, 24, 9)) == berlin(2026, 12, 28, 9)


def test_new_year_is_skipped_and_epiphany_only_in_bavaria() -> None:
    assert office("DE").next_window(berlin(2026, 12, 31, 18)) == berlin(2027, 1, 4, 9)
    assert office("DE-BY").next_window(berlin(2027, 1, 5, 18)) == berlin(2027, 1, 7, 9)
    assert office("DE-BE").next_window(berlin(2027, 1, 5, 18)) == berlin(2027, 1, 6, 9)


def test_a_run_of_holidays_longer_than_a_week_still_finds_the_next_window() -> None:
    # Working only on Fridays in Japan: Golden Week has no Friday off in 2027, New Year does.
    fridays = WorkingHours(9 * H, 18 * H, "5", "Asia/Tokyo", "JP")
    after = datetime(2026, 12, 31, 0, 0, tzinfo=UTC)
    opens = fridays.next_window(after)
    assert opens is not None
    local = opens.astimezone(ZoneInfo("Asia/Tokyo"))
    assert local.isoweekday() == 5 and not is_public_holiday("JP", local.date())


def test_a_heads_up_comes_on_the_last_working_day_before_the_holidays() -> None:
    # Due Monday 28 December: Thursday 24th in Germany, Friday 25th with no holidays.
    assert heads_up_day(date(2026, 12, 28), office("DE")) == date(2026, 12, 24)
    assert heads_up_day(date(2026, 12, 28), office(None)) == date(2026, 12, 25)
    assert heads_up_day(date(2027, 1, 4), office("DE")) == date(2026, 12, 31)


class _Person:
    """A member row's columns as `WorkingHours.of` reads them."""

    def __init__(self, tz: str, public_holidays: str | None) -> None:
        self.work_start_minute, self.work_end_minute, self.work_days = 9 * H, 18 * H, "12345"
        self.tz, self.public_holidays = tz, public_holidays


def test_working_hours_of_a_person_resolve_their_region() -> None:
    assert WorkingHours.of(_Person("Europe/Berlin", None)).region == "DE"
    assert WorkingHours.of(_Person("Europe/Berlin", "DE-BY")).region == "DE-BY"
    assert WorkingHours.of(_Person("Europe/Berlin", OFF)).region is None
    assert WorkingHours.of(_Person("UTC", None)).region is None
    assert WorkingHours.of(_Person("UTC", None)).is_at_work(datetime(2026, 12, 25, 10, tzinfo=UTC))


# --- a partner's hours, for after-hours hints -----------------------------------------------------

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args: int) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("instant", "holidays", "outside"),
    [
        (tokyo(2027, 1, 5, 10, 0), None, False),  # a Tuesday morning
        (tokyo(2027, 1, 5, 23, 10), None, True),  # the same night
        (tokyo(2027, 1, 9, 10, 0), None, True),  # a Saturday
        (tokyo(2027, 1, 1, 10, 0), None, True),  # New Year's Day, from the zone's country
        (tokyo(2027, 1, 1, 10, 0), OFF, False),  # no public holidays chosen
        (tokyo(2027, 1, 6, 10, 0), "DE-BY", True),  # Epiphany for a partner counted in Bavaria
        (tokyo(2027, 1, 6, 10, 0), None, False),
    ],
)
def test_an_instant_is_outside_a_partners_hours_on_their_holidays(
    instant: datetime, holidays: str | None, outside: bool
) -> None:
    assert outside_partner_hours(instant, tz="Asia/Tokyo", public_holidays=holidays) is outside


def test_a_partners_own_hours_and_days_are_used_when_set() -> None:
    late = tokyo(2027, 1, 5, 19, 0)
    assert outside_partner_hours(late, tz="Asia/Tokyo")
    assert not outside_partner_hours(late, tz="Asia/Tokyo", start=10 * H, end=20 * H)
    saturday = tokyo(2027, 1, 9, 10, 0)
    assert not outside_partner_hours(saturday, tz="Asia/Tokyo", days="123456")


def test_a_partner_without_a_known_zone_is_never_judged_outside() -> None:
    night = datetime(2027, 1, 5, 23, 0, tzinfo=UTC)
    assert not outside_partner_hours(night, tz=None)
    assert not outside_partner_hours(night, tz="Mars/Olympus")
    assert outside_partner_hours(night, tz="UTC")  # UTC is a zone: 23:00 is after hours
    assert not outside_partner_hours(datetime(2026, 12, 25, 10, tzinfo=UTC), tz="UTC")
