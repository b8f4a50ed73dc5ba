"""`digest on` reads schedules as people write them and as Rapport writes them, in English and
German: what `digest status` says of any schedule a subscription can hold reads back as that
schedule; `every <weekday>` means weekly on that day unless how often is said too; an interval
a digest does not have is refused naming the two it has; and no question is asked about an
hour while another word of the same text is not understood. No Slack, no database."""

from __future__ import annotations

import re
from itertools import permutations
from pathlib import Path
from zoneinfo import available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.digest.subscription import SubscriptionView, status_reply
from bot.parsing import checks
from bot.parsing.digests.subscription_text import (
    HOUR_SLOT,
    DigestOn,
    DigestProblem,
    digest_request,
)
from bot.parsing.questions import NeedsAnswer
from bot.texts.catalog import TEXTS
from bot.texts.reader import Reader

# Every zone a subscription may hold: typed ones, and any a subscriber's Slack profile gives.
HELD_ZONES = sorted(name for name in available_timezones() if checks.time_zone(name) == name)
READERS = {"en": "en-US", "de": "de-DE"}
# Times where a writer and a reader could part: midnight, a minute past, the last minute, the
# hours either side of noon, and a time with minutes.
SAMPLE_MINUTES = (0, 1, 59, 60, 9 * 60, 11 * 60 + 59, 12 * 60, 12 * 60 + 30, 13 * 60, 23 * 60 + 59)


def _view(
    every: int, weekday: int, minute: int, tz: str, language: str, quiet: str
) -> SubscriptionView:
    return SubscriptionView(
        channel_id="C0TEAM",
        state="active",
        suspended_reason=None,
        every_weeks=every,
        weekday=weekday,
        minute=minute,
        tz=tz,
        language=language,
        quiet=quiet,
        subscriber_name="Alice",
    )


def status_words(reader_lang: str, view: SubscriptionView) -> str:
    """What a reader of `reader_lang` would copy from `digest status` to set the same again:
    the value of the When line ("every other Friday at 16:00 (Europe/Berlin)"), the language
    named on the Language line ("German"), and the option on the quiet line (`quiet line`)."""
    reply = status_reply(Reader(READERS[reader_lang], view.tz), view)
    lines = {
        label.strip("*"): value
        for label, _, value in (line.partition(":* ") for line in reply.text.splitlines())
    }
    when_label, language_label = (
        ("When", "Language") if reader_lang == "en" else ("Wann", "Sprache")
    )
    [quiet_line] = [value for label, value in lines.items() if "`" in value]
    [quiet_option] = re.findall(r"`([^`]+)`", quiet_line)
    return f"{lines[when_label]} {lines[language_label]} {quiet_option}"


def expected(every: int, weekday: int, minute: int, tz: str, language: str, quiet: str) -> DigestOn:
    return DigestOn(every, weekday, minute, tz, language, quiet)


# --- (a) what `digest status` writes reads back ---------------------------------------------


@pytest.mark.parametrize("reader_lang", ["en", "de"])
@pytest.mark.parametrize("every", [1, 2])
@pytest.mark.parametrize("weekday", range(1, 8))
def test_every_schedule_status_writes_reads_back(
    reader_lang: str, every: int, weekday: int
) -> None:
    for minute in SAMPLE_MINUTES:
        for language in ("en", "de"):
            for quiet in ("line", "nothing"):
                for tz in ("Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"):
                    schedule = (every, weekday, minute, tz, language, quiet)
                    words = status_words(reader_lang, _view(*schedule))
                    read = digest_request(f"digest on {words}")
                    assert read == expected(*schedule), (words, read)


@pytest.mark.parametrize("reader_lang", ["en", "de"])
def test_every_zone_a_subscription_can_hold_reads_back(reader_lang: str) -> None:
    """Typed zones (`Europe/Berlin`) and those a Slack profile may give (`Etc/GMT+5`, `GMT`)."""
    assert len(HELD_ZONES) > 400 and "Etc/GMT+5" in HELD_ZONES and "UTC" in HELD_ZONES
    for tz in HELD_ZONES:
        schedule = (2, 5, 16 * 60, tz, "de", "line")
        words = status_words(reader_lang, _view(*schedule))
        assert digest_request(f"digest on {words}") == expected(*schedule), words


@settings(max_examples=300, deadline=None)
@given(
    reader_lang=st.sampled_from(["en", "de"]),
    every=st.sampled_from([1, 2]),
    weekday=st.integers(1, 7),
    minute=st.integers(0, 24 * 60 - 1),
    tz=st.sampled_from(HELD_ZONES),
    language=st.sampled_from(["en", "de"]),
    quiet=st.sampled_from(["line", "nothing"]),
)
def test_any_schedule_reads_back_from_its_status_words(
    reader_lang: str, every: int, weekday: int, minute: int, tz: str, language: str, quiet: str
) -> None:
    schedule = (every, weekday, minute, tz, language, quiet)
    words = status_words(reader_lang, _view(*schedule))
    assert digest_request(f"digest on {words}") == expected(*schedule)
    # Typed in lower case, as people do, it means the same (the zone too, where it is an
    # Area/Location name: those are read in any case).
    if "/" in tz and not tz.startswith("Etc/"):
        assert digest_request(f"digest an {words.lower()}") == expected(*schedule)


@pytest.mark.parametrize(
    ("typed", "schedule"),
    [
        ("every other Friday at 16:00 (Europe/Berlin)", (2, 5, 16 * 60, "Europe/Berlin")),
        ("every other friday", (2, 5, None, None)),
        ("every Monday at 09:00 (UTC)", (1, 1, 9 * 60, "UTC")),
        ("jeden zweiten Dienstag um 08:30 (Europe/Berlin)", (2, 2, 8 * 60 + 30, "Europe/Berlin")),
        ("jeden zweiten dienstag um 8:30", (2, 2, 8 * 60 + 30, None)),
        ("jeden Sonntag um 00:00 (Etc/GMT+5)", (1, 7, 0, "Etc/GMT+5")),
        ("every Sunday at 23:59 (GMT)", (1, 7, 23 * 60 + 59, "GMT")),
    ],
)
def test_the_trial_wordings_read_back(
    typed: str, schedule: tuple[int, int, int | None, str | None]
) -> None:
    every, weekday, minute, tz = schedule
    assert digest_request(f"digest on {typed}") == DigestOn(every, weekday, minute, tz)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        # A zone Rapport holds from a profile reads back in its own spelling only: "etc/gmt+5"
        # (five hours behind UTC, for all its plus) is not offered for typing.
        ("digest on etc/gmt+5", DigestProblem("bad_zone", "etc/gmt+5")),
        ("digest on gmt", DigestProblem("word", "gmt")),
        ("digest on (Mars/Olympus)", DigestProblem("bad_zone", "Mars/Olympus")),
    ],
)
def test_zones_outside_what_is_typed_or_held_are_refused(
    typed: str, problem: DigestProblem
) -> None:
    assert digest_request(typed) == problem


# --- (c) what `every <weekday>` means ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "every", "weekday"),
    [
        # `every` (`each`, `jeden`, `jede`, `jeder`) and a weekday: weekly on that day.
        ("every tuesday", 1, 2),
        ("each Friday", 1, 5),
        ("9 pm every tuesday", 1, 2),
        ("on every thu", 1, 4),
        ("jeden Dienstag", 1, 2),
        ("jeden Mo.", 1, 1),
        ("jeder Freitag", 1, 5),
        ("um 8 uhr jeden mittwoch", 1, 3),
        # An ordinal between them: every other week, on that day.
        ("every other tuesday", 2, 2),
        ("every second Tuesday", 2, 2),
        ("every 2nd tue", 2, 2),
        ("jeden zweiten Dienstag", 2, 2),
        ("jeden 2. Di", 2, 2),
        ("jede zweite woche", 2, None),
        # How often said as well: that wins over the weekly `every` implies.
        ("every tuesday biweekly", 2, 2),
        ("fortnightly, each monday", 2, 1),
        ("alle zwei Wochen jeden Montag", 2, 1),
        ("every 2 weeks on thursdays", 2, 4),
        ("every tuesday weekly", 1, 2),
        ("wöchentlich jeden Freitag", 1, 5),
        # A weekday without `every`, plural or not, moves the day and keeps how often.
        ("tuesday", None, 2),
        ("on thursdays", None, 4),
        ("dienstags", None, 2),
        ("am Freitag", None, 5),
        # How often alone.
        ("weekly", 1, None),
        ("every week", 1, None),
        ("jede Woche", 1, None),
        ("every 7 days", 1, None),
        ("alle 7 Tage", 1, None),
        ("every 1 week", 1, None),
        ("every other week", 2, None),
        ("every two weeks", 2, None),
        ("every fortnight", 2, None),
        ("every 14 days", 2, None),
        ("alle 14 Tage", 2, None),
        ("2 weeks", 2, None),
        ("zwei Wochen", 2, None),
        ("2-wöchentlich", 2, None),
        ("zweiwöchentlich", 2, None),
        ("vierzehntägig", 2, None),
        ("14tägig", 2, None),
        ("bi-weekly", 2, None),
    ],
)
def test_how_often_and_the_day(typed: str, every: int | None, weekday: int | None) -> None:
    found = digest_request(f"digest on {typed}")
    assert isinstance(found, DigestOn), found
    assert (found.every_weeks, found.weekday) == (every, weekday)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("every tuesday every friday", DigestProblem("twice", "every friday", "every tuesday")),
        ("jeden Montag dienstags", DigestProblem("twice", "dienstags", "jeden Montag")),
        ("weekly every other friday", DigestProblem("twice", "every other friday", "weekly")),
        (
            "every other friday biweekly",
            DigestProblem("twice", "biweekly", "every other friday"),
        ),
        ("jeden zweiten Di wöchentlich", DigestProblem("twice", "wöchentlich", "jeden zweiten Di")),
        # `every` leads a day or an interval; alone, or before anything else, it is named.
        ("every", DigestProblem("word", "every")),
        ("tue every", DigestProblem("word", "every")),
        ("every 9:00", DigestProblem("word", "every 9:00")),
        ("jeden morgen", DigestProblem("word", "jeden morgen")),
        ("every other", DigestProblem("word", "every other")),
        ("alle", DigestProblem("word", "alle")),
    ],
)
def test_every_is_never_passed_over(typed: str, problem: DigestProblem) -> None:
    assert digest_request(f"digest on {typed}") == problem


@pytest.mark.parametrize(
    "typed",
    [
        "every 3 weeks",
        "3 weeks",
        "every three weeks",
        "alle 3 Wochen",
        "drei Wochen",
        "dreiwöchentlich",
        "3-wöchig",
        "every third friday",
        "jeden dritten Freitag",
        "every 4th week",
        "daily",
        "täglich",
        "every day",
        "jeden Tag",
        "every other day",
        "every 10 days",
        "alle 2 Tage",
        "monthly",
        "monatlich",
        "every month",
        "alle 2 Monate",
        "quarterly",
        "every 0 weeks",
        "every 999 weeks",
    ],
)
def test_an_interval_a_digest_does_not_have_is_refused_naming_it(typed: str) -> None:
    assert digest_request(f"digest on {typed}") == DigestProblem("interval", typed)
    # Among other options, and before an hour that would otherwise be asked about.
    assert digest_request(f"digest an 9 di {typed} UTC") == DigestProblem("interval", typed)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_interval_refusal_names_words_that_are_read(lang: str) -> None:
    """What the refusal offers instead is understood as offered, and means what it says."""
    text = TEXTS["digest.subscription.problem.interval"][lang]
    offered = [o for o in re.findall(r"`([^`]+)`", text) if o != "{word}"]
    read = [digest_request(f"digest on {option}") for option in offered]
    assert [(r.every_weeks, r.weekday) for r in read if isinstance(r, DigestOn)] == [
        (1, None),
        (2, None),
        (1, 2),
        (2, 2),
    ]


# --- (b) words not understood are refused before any question ---------------------------------


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("digest on every 3 weeks", DigestProblem("interval", "every 3 weeks")),
        ("digest on 3 weeks", DigestProblem("interval", "3 weeks")),
        ("digest an alle 3 wochen", DigestProblem("interval", "alle 3 wochen")),
        ("digest on 9 soonish", DigestProblem("word", "soonish")),
        ("digest an quatsch 9", DigestProblem("word", "quatsch")),
        ("digest on 7 tue fri", DigestProblem("twice", "fri", "tue")),
        ("digest on 9 10:00", DigestProblem("twice", "10:00", "9")),
        ("digest on 10:00 9", DigestProblem("twice", "9", "10:00")),
        ("digest on 9 8", DigestProblem("twice", "8", "9")),
        ("digest an 8 25 uhr", DigestProblem("bad_time", "25 uhr")),
        ("digest on 9 Mars/Olympus", DigestProblem("bad_zone", "Mars/Olympus")),
        ("digest on 9 language", DigestProblem("missing", "language")),
        ("digest an 9 sprache fr", DigestProblem("value", "fr", "sprache")),
        ("digest on 9 14", DigestProblem("bare_number", "14")),
        ("digest on 9 every", DigestProblem("word", "every")),
    ],
)
def test_a_word_not_understood_is_refused_before_the_hour_is_asked(
    typed: str, problem: DigestProblem
) -> None:
    assert digest_request(typed) == problem
    # Whichever reading of the hour is chosen, the same refusal: no answer could have helped.
    for answer in ("540", "1260", "420", "1140", "480", "1200"):
        assert digest_request(typed, {HOUR_SLOT: answer}) == problem


GOOD_OPTIONS = ["biweekly", "tue", "Europe/Berlin", "language de", "quiet nothing"]
BAD_WORDS = ["soonish", "quatsch", "every 3 weeks", "25:00", "mon", "Mars/Olympus", "sprache"]


@settings(max_examples=300, deadline=None)
@given(
    options=st.lists(st.sampled_from(GOOD_OPTIONS), unique=True),
    hour=st.integers(1, 12),
    bad=st.sampled_from(BAD_WORDS),
    data=st.data(),
)
def test_any_text_with_an_hour_alone_asks_only_when_all_else_is_good(
    options: list[str], hour: int, bad: str, data: st.DataObject
) -> None:
    """The hour, good options and one bad word in any order: refused, never asked about; the
    same without the bad word: asked about, and either reading then makes a setting."""
    good = [*options, str(hour)]
    ordered = data.draw(st.permutations(good))
    at = data.draw(st.integers(0, len(ordered)))
    with_bad = [*ordered[:at], bad, *ordered[at:]]
    if bad == "mon" and "tue" not in options:
        with_bad.append("tue")  # "mon" is a problem only as a second weekday
    found = digest_request("digest on " + " ".join(with_bad))
    assert isinstance(found, DigestProblem), (with_bad, found)

    with pytest.raises(NeedsAnswer) as asked:
        digest_request("digest on " + " ".join(ordered))
    for reading in asked.value.question.readings[:2]:
        chosen = digest_request("digest on " + " ".join(ordered), {HOUR_SLOT: reading.value})
        assert isinstance(chosen, DigestOn) and chosen.minute == int(reading.value)


def test_options_in_every_order_read_the_same() -> None:
    options = ["every other friday", "at 16:00", "(Asia/Tokyo)", "Deutsch", "`quiet nothing`"]
    want = DigestOn(2, 5, 16 * 60, "Asia/Tokyo", "de", "nothing")
    for order in permutations(options):
        assert digest_request("digest on " + " ".join(order)) == want, order


# --- the README says what is read --------------------------------------------------------------


def _readme_digest_section() -> str:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    return readme.split("\n## Team digests\n", 1)[1].split("\n### ", 1)[0]


def test_every_word_the_readme_lists_for_digest_on_is_read_as_it_says() -> None:
    section = _readme_digest_section()
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    listed = [snippet for row in rows for snippet in re.findall(r"`([^`]+)`", row)]
    assert len(listed) > 40
    for snippet in listed:
        text = f"digest on {snippet}"
        if snippet == "9":  # an hour alone: asked about, as the table says
            with pytest.raises(NeedsAnswer):
                digest_request(text)
        elif snippet == "14":  # any other number alone: refused, as the table says
            assert digest_request(text) == DigestProblem("bare_number", "14")
        else:
            assert isinstance(digest_request(text), DigestOn), snippet
    commands = [line for line in section.splitlines() if line.startswith("/rapport digest")]
    assert len(commands) >= 4
    for command in commands:
        assert isinstance(digest_request(command.removeprefix("/rapport ")), DigestOn), command
    refused = re.search(r"any other interval \(([^)]*)\)", section.replace("\n", " "))
    assert refused is not None
    intervals = re.findall(r"`([^`]+)`", refused.group(1))
    assert len(intervals) >= 4
    for interval in intervals:
        assert digest_request(f"digest on {interval}") == DigestProblem("interval", interval)
