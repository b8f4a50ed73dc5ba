"""Score Rapport's date readers, and dateparser beside them, on the selected corpus cases.

`selection.py` says which cases count and how each is scored; this runs the readers and keeps
the baseline, today's outcome of Rapport's readers per case, that the suite holds them to.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

from bot.parsing.dates import BadDate, parse_due, parse_when, weekday_named, words
from bot.parsing.questions import Question
from tests.corpora.dates.selection import HERE, Lang, Selected, Use

BASELINE = HERE / "baseline.jsonl"
RECORD_COMMAND = ".venv/bin/python bench/date_corpora.py --record"

Outcome = Literal["right", "asked", "unread", "wrong"]
OUTCOMES: tuple[Outcome, ...] = ("right", "asked", "unread", "wrong")
# From best to worst: a question is better than nothing, and nothing better than a wrong day.
RANK: dict[Outcome, int] = {"right": 3, "asked": 2, "unread": 1, "wrong": 0}
READERS = ("rapport", "dateparser")


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    read: date | None = None  # the day read, when one was
    # For a question: which of the rules makes it one (a key of `REQUIRED`), or None
    # when none does and the question is one Rapport asks for a reason of its own.
    required: str | None = None


def _asks(value: object) -> bool:
    """The hook for a reader that answers with a question instead of a day."""
    return hasattr(value, "question")


# The questions the rules require (issue 12, "Never silently wrong"), by what the
# question offers: a weekday beside a date it does not fall on; a numeric date valid both ways
# round, for a member whose locale writes the month first; a bare weekday said on that weekday;
# "next Friday" (or "last Wednesday") where this week's and the other week's differ; a phrase
# that names no day ("ASAP"), answered with quick choices.
REQUIRED = {
    "weekday_date": "a weekday and a date that disagree",
    "both_ways": "a numeric date valid both ways round (month-first member)",
    "weekday_today": "a bare weekday that is today",
    "this_or_other_week": "this week's or the other week's weekday",
    "quick_choices": "no day named: quick choices",
}
_QUICK_CHOICES = frozenset({"question.due_asap", "question.due_few_days", "question.when_few_days"})
# Two numbers joined by "/", "." or "-", with or without a year: "5/12", "3-7-2017", "5.12".
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-]\d{2,4})?(?![\d/-])")


def required_by_rules(question: Question, *, today: date, month_first: bool) -> str | None:
    """Which of the issue's rules a question answers to, from what it offers and the words it is
    about (not from a list of cases); None for a question no rule calls for.

    The checks look at the words themselves: the weekdays they name, the numeric dates in them,
    and at the days offered, so a question asked for one reason cannot pass as another.
    """
    if question.reason in _QUICK_CHOICES:
        return "quick_choices"
    days = [reading.day for reading in question.readings if reading.day is not None]
    if len(days) < 2:
        return None
    named = {
        day for word in words(question.phrase) if (day := weekday_named(word.text)) is not None
    }
    if month_first and any(
        1 <= int(first) <= 12 and 1 <= int(second) <= 12 and first.lstrip("0") != second.lstrip("0")
        for first, second in _NUMERIC_DATE.findall(question.phrase)
    ):
        return "both_ways"
    weekdays_offered = {day.weekday() for day in days}
    disagree = bool(named and weekdays_offered & named and weekdays_offered - named)
    if disagree and question.reason == "question.due_weekday_date":
        return "weekday_date"
    if disagree and question.slot == "when" and _date_beside(question, named, today=today):
        return "weekday_date"
    a_week_apart = len(days) == 2 and abs((days[1] - days[0]).days) == 7
    # A weekday on its own ("on Monday", "last Wednesday"): no number counts weeks from it.
    bare_weekday = weekdays_offered <= named and not any(ch.isdigit() for ch in question.phrase)
    if a_week_apart and question.reason == "question.due_weekday_today":
        return "weekday_today"
    if a_week_apart and question.reason == "question.due_next_weekday":
        return "this_or_other_week"
    if (
        a_week_apart
        and question.slot == "when"
        and bare_weekday
        and len(words(question.phrase)) <= 3
    ):
        return "weekday_today" if today in days else "this_or_other_week"
    return None


def _date_beside(question: Question, named: set[int], *, today: date) -> bool:
    """Whether the words of a when question, without their weekday, are a date that reads to
    one of the days offered not on that weekday: a weekday beside a date it does not fall on,
    not a weekday beside "yesterday" or another phrase."""
    rest = " ".join(
        word.text
        for word in words(question.phrase)
        if weekday_named(word.text) is None and word.key not in {"on", "am", "den", "the", "this"}
    )
    try:
        found = parse_when(rest, today=today, month_first=True) if rest else None
        read = {found[0]} if found else set()
    except Exception as error:
        if not _asks(error):
            return False
        read = {reading.day for reading in error.question.readings if reading.day}  # type: ignore[attr-defined]
    offered = {reading.day for reading in question.readings if reading.day}
    return any(day.weekday() not in named for day in read & offered)


def _asked(error_or_value: Any, *, today: date, month_first: bool) -> Answer:
    question: Question = error_or_value.question
    return Answer(
        "asked", required=required_by_rules(question, today=today, month_first=month_first)
    )


def _judge(case: Selected, read: date | None) -> Answer:
    if read is None:
        return Answer("unread")
    return Answer("right" if read == case.expected else "wrong", read)


def rapport(case: Selected) -> Answer:
    """What Rapport reads: `parse_due` for a promise, `parse_when` for a contact date."""
    # Recognizers-Text writes its English cases for en-US, where 5/12 is May 12: read them as a
    # member whose locale writes dates month first would have them read (asked when valid both
    # ways round).
    month_first = case.lang == "en"
    try:
        if case.use == "promise":
            found: Any = parse_due(case.text, today=case.reference, month_first=month_first)
        else:
            found = parse_when(case.text, today=case.reference, month_first=month_first)
    except Exception as error:
        if _asks(error):
            return _asked(error, today=case.reference, month_first=month_first)
        if isinstance(error, BadDate):
            return Answer("unread")
        raise
    if _asks(found):
        return _asked(found, today=case.reference, month_first=month_first)
    return _judge(case, None if found is None else found[0])


def dateparser_reader(case: Selected) -> Answer:
    """What dateparser reads from the same text: `search_dates` for a promise, the last date it
    finds (as Rapport takes the last); `parse` for a contact date."""
    import dateparser
    from dateparser.search import search_dates

    settings = {
        # Noon, as Rapport's own dateparser fallback: only days are compared.
        "RELATIVE_BASE": datetime.combine(case.reference, time(12)),
        "PREFER_DATES_FROM": "future" if case.use == "promise" else "past",
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case.use == "promise":
                hits = search_dates(case.text, languages=[case.lang], settings=settings)
                found = hits[-1][1] if hits else None
            else:
                found = dateparser.parse(case.text, languages=[case.lang], settings=settings)
    except Exception:
        return Answer("unread")
    return _judge(case, None if found is None else found.date())


def run(
    cases: Sequence[Selected], reader: Callable[[Selected], Answer]
) -> dict[tuple[str, Use], Answer]:
    return {(case.id, case.use): reader(case) for case in cases}


Key = tuple[Lang, Use]
GROUPS: tuple[Key, ...] = (
    ("de", "promise"),
    ("de", "contact"),
    ("en", "promise"),
    ("en", "contact"),
)


def tally(
    cases: Iterable[Selected], answers: dict[tuple[str, Use], Answer]
) -> dict[Key, Counter[Outcome]]:
    """Outcomes counted per language and use."""
    counts: dict[Key, Counter[Outcome]] = {group: Counter() for group in GROUPS}
    for case in cases:
        counts[(case.lang, case.use)][answers[(case.id, case.use)].outcome] += 1
    return counts


# --- the baseline -------------------------------------------------------------------------------


def record(cases: Sequence[Selected], answers: dict[tuple[str, Use], Answer]) -> None:
    lines = []
    for case in cases:
        answer = answers[(case.id, case.use)]
        row = {"id": case.id, "use": case.use, "outcome": answer.outcome}
        if answer.outcome == "wrong":
            row["read"] = str(answer.read)
        # For whoever reads a diff of this file: what was typed and the day meant.
        row |= {"text": case.text, "expected": str(case.expected)}
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    BASELINE.write_text("".join(lines), encoding="utf-8")


def load_baseline(path: Path = BASELINE) -> dict[tuple[str, Use], Outcome]:
    baseline: dict[tuple[str, Use], Outcome] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        baseline[(row["id"], row["use"])] = row["outcome"]
    return baseline


def compare(
    cases: Sequence[Selected],
    answers: dict[tuple[str, Use], Answer],
    baseline: dict[tuple[str, Use], Outcome],
) -> tuple[list[str], list[str]]:
    """Cases that got worse than the baseline, and cases that got better, one line each."""
    worse, better = [], []
    for case in cases:
        key = (case.id, case.use)
        before, now = baseline.get(key), answers[key]
        if before == now.outcome:
            continue
        read = f", read {now.read}" if now.read else ""
        line = (
            f"{case.id} {case.use} ({case.lang}) {case.text!r} on {case.reference}: "
            f"{before} -> {now.outcome}{read}, expected {case.expected}"
        )
        if before is None or RANK[now.outcome] > RANK[before]:
            better.append(line)
        else:
            worse.append(line)
    return worse, better
