"""Score Rapport's date readers, and dateparser beside them, on the selected corpus cases.

`selection.py` says which cases count and how each is scored; this runs the readers and keeps
the baseline, today's outcome of Rapport's readers per case, that the suite holds them to.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

from bot.parsing.dates import BadDate, parse_due, parse_when
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


def _asks(value: object) -> bool:
    """The hook for a reader that answers with a question instead of a day."""
    return hasattr(value, "question")


def _judge(case: Selected, read: date | None) -> Answer:
    if read is None:
        return Answer("unread")
    return Answer("right" if read == case.expected else "wrong", read)


def rapport(case: Selected) -> Answer:
    """What Rapport reads: `parse_due` for a promise, `parse_when` for a contact date."""
    try:
        if case.use == "promise":
            # Recognizers-Text writes its English cases for en-US: read them as a member whose
            # locale writes dates month first would have them read (asked when valid both ways).
            month_first = case.lang == "en"
            found: Any = parse_due(case.text, today=case.reference, month_first=month_first)
        else:
            # The English corpus is written as in the US, where 5/12 is May 12.
            found = parse_when(case.text, today=case.reference, month_first=case.lang == "en")
    except Exception as error:
        if _asks(error):
            return Answer("asked")
        if isinstance(error, BadDate):
            return Answer("unread")
        raise
    if _asks(found):
        return Answer("asked")
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
