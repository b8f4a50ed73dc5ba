"""Public holidays: which region's apply to a person, and whether a day is one.

A region is a country code with an optional subdivision, as python-holidays names them:
"DE" (Germany's nationwide holidays), "DE-BY" (Bavaria's too), "JP". A person's stored choice is
None (automatic: the country of their time zone), `OFF` ("none": no public holidays), or a
region code. The automatic country comes from tzdata's `zone.tab`, which names exactly one
country per zone ("Europe/Berlin" → "DE"); an old alias Slack may still give ("Asia/Calcutta",
"US/Pacific") is followed to its zone through the links in tzdata's `tzdata.zi`; a zone without
a country (UTC, "Etc/GMT+3") means no public holidays, never a guess. Holiday dates come from
the `holidays` library, never from a table of our own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Final

import holidays
from babel import Locale

OFF: Final = "none"
# How a person said "no public holidays" or "back to the default", in English and German.
OFF_WORDS = frozenset({"none", "off", "keine", "aus", "kein"})
AUTO_WORDS = frozenset({"auto", "automatic", "automatisch", "default", "standard"})
# Separators between a country and its subdivision: "DE-BY", "DE_BY", "DE/BY", "DE BY".
_SEPARATORS = "-_/ "
# A calendar fills in a year's holidays the first time a day of it is looked up; the cached
# calendars are shared by the web workers and the scheduler's threads, so one fills at a time.
_FILLING = threading.Lock()


@dataclass(frozen=True)
class RegionProblem:
    """Why a typed region is not one: `code` is "unknown_country" or "unknown_subdivision";
    `country` is the country code when it was known, `subdivisions` its subdivisions' codes."""

    code: str
    typed: str
    country: str = ""
    subdivisions: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Zone name → ISO country code, from the `zone.tab` the tzdata package ships (one country
    per zone; comment lines start with "#")."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            countries[fields[2]] = fields[0]
    return countries


@lru_cache(maxsize=1)
def _zone_links() -> dict[str, str]:
    """Alias → the zone it names, from the "L TARGET ALIAS" lines of tzdata's `tzdata.zi`."""
    text = resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
    links: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L":
            links[fields[2]] = fields[1]
    return links


def country_of_zone(tz: str | None) -> str | None:
    """The country `tz` belongs to in `zone.tab` (an alias followed to its zone first), or None
    (UTC, unknown zones)."""
    countries = _zone_countries()
    name = tz or ""
    if name not in countries:
        name = _zone_links().get(name, name)
    return countries.get(name)


def region_of(choice: str | None, tz: str | None) -> str | None:
    """The region whose holidays apply: the chosen one, none when the choice is `OFF`, and with
    no choice the country of `tz` when the library knows its holidays."""
    if choice == OFF:
        return None
    if choice:
        return choice
    country = country_of_zone(tz)
    return country if country is not None and country in _supported() else None


@lru_cache(maxsize=1)
def _supported() -> dict[str, tuple[str, ...]]:
    """Country code → its subdivision codes, for the countries the library knows."""
    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


# The library's languages for holiday names, by the reader's language, best first; a country
# that has none of them names its holidays in its own.
_NAME_LANGUAGES: dict[str, tuple[str, ...]] = {
    "de": ("de", "en_US", "en_GB"),
    "en": ("en_US", "en_GB"),
}


@lru_cache(maxsize=256)
def _calendar(region: str, language: str | None = None) -> holidays.HolidayBase | None:
    """The library's calendar for a stored region code (names in `language`, a language the
    library has for that country), or None when it no longer knows the code (a code stored by
    an older version of the library stays harmless: no holidays)."""
    country, _, subdivision = region.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None, language=language)
    except NotImplementedError:
        return None


def is_public_holiday(region: str | None, day: date) -> bool:
    """Whether `day` is a public holiday in `region` (None: no region, never)."""
    if region is None:
        return False
    calendar = _calendar(region)
    if calendar is None:
        return False
    with _FILLING:
        return day in calendar


def holiday_name(region: str | None, day: date, lang: str = "en") -> str | None:
    """The holiday's name on `day` in `region`, in the reader's language `lang` ("en", "de")
    where the library has it for that country, or None when `day` is not one."""
    if region is None:
        return None
    if not is_public_holiday(region, day):
        return None
    calendar = _calendar(region)
    offered = set(calendar.supported_languages) if calendar is not None else set()
    language = next((lg for lg in _NAME_LANGUAGES.get(lang, ()) if lg in offered), None)
    named = _calendar(region, language) if language else calendar
    if named is None:
        return None
    with _FILLING:
        return named.get(day)


def read_region(typed: str) -> str | RegionProblem:
    """A typed region → its stored code: "de-by", "DE_BY", "de by", "DE-Bayern" → "DE-BY";
    "jp" → "JP"; "DEU" → "DE"; "Deutschland Bayern", "Germany", "Vereinigtes Königreich" by the
    country's English or German name (CLDR's, through Babel). A subdivision may be given by
    code or by the name the library knows it by. Unknown parts are a `RegionProblem` naming
    them."""
    text = typed.strip()
    named = _country_by_name(text)
    if named is not None:
        return _with_subdivision(*named)
    cut = next((i for i, char in enumerate(text) if char in _SEPARATORS), len(text))
    country_typed, rest = text[:cut], text[cut + 1 :].strip()
    country = _country_code(country_typed)
    if country is None:
        return RegionProblem("unknown_country", country_typed or text)
    return _with_subdivision(country, rest)


def _with_subdivision(country: str, rest: str) -> str | RegionProblem:
    if not rest:
        return country
    subdivision = _subdivision_code(country, rest)
    if subdivision is None:
        return RegionProblem("unknown_subdivision", rest, country, _supported()[country])
    return f"{country}-{subdivision}"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Case-folded English and German country names (CLDR's, through Babel) → the library's
    country code, for the countries it has holidays for."""
    supported = _supported()
    names: dict[str, str] = {}
    for language in ("en", "de"):
        for code, name in Locale(language).territories.items():
            if code in supported:
                names.setdefault(name.casefold(), code)
    return names


def _country_by_name(text: str) -> tuple[str, str] | None:
    """The country a text starts with by name, and what follows it ("Deutschland Bayern" →
    ("DE", "Bayern")); the longest name wins, so "United States" is never "United"."""
    words = text.split()
    names = _country_names()
    for end in range(len(words), 0, -1):
        code = names.get(" ".join(words[:end]).casefold())
        if code is not None:
            return code, " ".join(words[end:])
    return None


def _country_code(typed: str) -> str | None:
    """The library's two-letter code for a typed country code (alpha-2 or alpha-3)."""
    if not typed.isascii() or not typed.isalpha():
        return None
    try:
        calendar = holidays.country_holidays(typed.upper())
    except NotImplementedError:
        return None
    code = str(calendar.country)
    return code if code in _supported() else None


def _subdivision_code(country: str, typed: str) -> str | None:
    """A subdivision of `country` by code or by name, case-folded; None when it has none such."""
    wanted = typed.casefold()
    for code in _supported()[country]:
        if code.casefold() == wanted:
            return code
    calendar = holidays.country_holidays(country)
    aliases = getattr(calendar, "subdivisions_aliases", {}) or {}
    for name, code in aliases.items():
        if str(name).casefold() == wanted:
            return str(code)
    return None


def subdivision_name(region: str) -> str | None:
    """The name the holidays library gives a region's subdivision, in the country's own
    language ("DE-BY" → "Bayern", "CH-ZH" → "Zürich"); None for a country alone, or a
    subdivision it names by code only."""
    country, _, subdivision = region.partition("-")
    if not subdivision or country not in _supported():
        return None
    aliases = getattr(holidays.country_holidays(country), "subdivisions_aliases", {}) or {}
    return next((str(name) for name, code in aliases.items() if code == subdivision), None)
