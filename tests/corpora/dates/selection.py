"""Which cases of the public date corpora count, and what Rapport is given for each.

The rule, decided before anything was measured (and committed on its own, with its output):

A case counts when the corpus annotates exactly one expression in its input, that expression
names one calendar day (no range, time, date with a time, duration or recurring set), the corpus
resolves it to a day that exists, it names no holiday, and the corpus does not itself dispute it.
It is then scored in up to two uses:

- **promise**: against the corpus's *future* reading, when that day is the reference day or
  later (a due date cannot be in the past);
- **contact**: against the corpus's *past* reading, when that day is the reference day or
  earlier (a contact cannot be in the future).

A use whose day is more than ten years from the reference day is left out (no contact or due
date is that far). Duckling gives one reading only, the next occurrence whenever there is a
choice; so a Duckling day on or before the reference day is the same in both directions, and a
Duckling day after it has no past reading and no contact use. Of cases alike in language, texts,
reference day and readings, the first counts and the others are duplicates.

What the readers are given, the same for Rapport and for dateparser:

- promise: the corpus's input as written (for Recognizers-Text the whole sentence, for Duckling
  the expression); a promise is free text with a due date somewhere in it, and the sentence keeps
  the words its author put before the date ("on", "am", "by", "für"). No words are added: the
  promise reader reads only date words and lead words, so "send it" in front would change nothing.
- contact: the annotated expression as written in the input, with the word just before it when
  that word is "on" or "am" (the lead a contact date may carry); a contact date is typed as a
  phrase of its own.

How each is scored: Rapport's promise reader is `parse_due(text, today=reference)`, its contact
reader `parse_when(text, today=reference)`. The answer is *right* when the day read is the day
expected; *asked* when the reader answers with a question instead of a day (a return value or an
exception with a `question` attribute; no reader does that yet); *unread* when it returns None or
raises BadDate; *silently wrong* when it returns another day. dateparser, the library a user
would pick instead, gets the same texts with `languages=[lang]`, `RELATIVE_BASE` noon of the
reference day (as in Rapport's own dateparser fallback; only days are compared) and
`PREFER_DATES_FROM` "future" for a promise and "past" for a contact: `search_dates` for a promise
(the last date it finds, as Rapport takes the last), `parse` for a contact.

`python -m tests.corpora.dates.selection` writes `selected.jsonl` (one line per scored case and
use) and `excluded.jsonl` (every case or use left out, with its reason); `--check` only says
whether the files are current. Every annotated case of the source files is in one or the other.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent
SELECTED = HERE / "selected.jsonl"
EXCLUDED = HERE / "excluded.jsonl"

Lang = Literal["en", "de"]
Use = Literal["promise", "contact"]
USES: tuple[Use, ...] = ("promise", "contact")

RECOGNIZERS_FILES = ("DateParser", "DateTimeModel", "MergedParser")
RECOGNIZERS_LANGUAGES: dict[str, Lang] = {"English": "en", "German": "de"}
MAX_DAYS_AWAY = 3653  # ten years

REASONS = {
    "no expression": "the corpus finds no date or time in the input (a negative case)",
    "several expressions": "the corpus finds more than one date or time expression in the input",
    "not a single day": "a range, a time, a date with a time, a duration or a recurring set",
    "no reference time": "the case gives no reference time to resolve against",
    "no valid date": "the corpus resolves it to no existing day (30 February, a fifth Sunday)",
    "holiday": "names a holiday, which Rapport does not read",
    "disputed": "the corpus's own comment says the case should be removed",
    "duplicate": "same language, texts, reference day and readings as an earlier case",
    "past for a promise": "its future reading is before the reference day: no due date",
    "future for a contact": "its past reading is after the reference day: no contact date",
    "no past reading": "the corpus gives only the future reading, which is after the reference day",
    "too far": "more than ten years from the reference day",
}

# Holidays and other named days of the calendar, as they occur in these corpora; matched as
# whole words in the casefolded expression. Duckling marks its own holidays, so they need no entry.
_HOLIDAY = re.compile(
    r"\b(christmas|easter|new year|black friday|earth day|saint patrick|st\.? patrick"
    r"|independence day|workers' day|labou?r day|thanksgiving|valentine|halloween|memorial day"
    r"|mother's day|father's day|eid al \w+|ramadan"
    r"|weihnacht\w*|oster\w*|silvester|neujahr\w*|pfingst\w*|karfreitag|karsamstag|fastnacht\w*"
    r"|palmsonntag|heilige drei könige|barbaratag|johannistag|augsburger friedensfest"
    r"|weltkindertag|allerheiligen|erntedankfest|herbstanfang|ewigkeitssonntag|peter und paul"
    r"|nikolaus|muttertag|vatertag|tag der deutschen einheit)\b"
)
_DISPUTED = re.compile(r"should be removed", re.IGNORECASE)
_CONTACT_LEADS = frozenset({"on", "am"})


@dataclass(frozen=True)
class Case:
    """One case of a corpus: what was written, against which day, and what it means."""

    id: str
    lang: Lang
    sentence: str  # the input as written
    phrase: str  # the annotated expression as written in the input
    reference: date
    future: date | None
    past: date | None
    contact_text: str


@dataclass(frozen=True)
class Selected:
    """One scored case and use: the text a reader gets, its reference day and the day meant."""

    id: str
    use: Use
    lang: Lang
    text: str
    reference: date
    expected: date
    phrase: str


@dataclass(frozen=True)
class Excluded:
    id: str
    use: Use | None  # None: the whole case
    lang: Lang
    text: str
    reason: str
    detail: str


# --- Recognizers-Text -------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return None if day.year < 1000 else day  # "0001-01-01" stands for "no such day"


def _span(sentence: str, result: dict[str, Any]) -> str:
    text = result["Text"]
    start = result.get("Start")
    if start is not None:
        end = start + result["Length"] if "Length" in result else result["End"] + 1
        if sentence[start:end].casefold() == text.casefold():
            return sentence[start:end]
    found = sentence.casefold().find(text.casefold())
    return sentence[found : found + len(text)] if found >= 0 else text


def _contact_text(sentence: str, phrase: str) -> str:
    at = sentence.find(phrase)
    before = sentence[:at].split() if at >= 0 else []
    if before and before[-1].casefold() in _CONTACT_LEADS:
        return f"{before[-1]} {phrase}"
    return phrase


def _recognizers_readings(result: dict[str, Any]) -> tuple[str, date | None, date | None]:
    """The expression's type and its future and past readings."""
    kind = result.get("Type") or result.get("TypeName") or "?"
    value = result.get("Value") or result.get("Resolution") or {}
    if "FutureResolution" in value:
        future = _day(value["FutureResolution"].get("date"))
        past = _day(value.get("PastResolution", {}).get("date"))
        return kind, future, past
    values = value.get("values", [])
    if mods := sorted({v["Mod"] for v in values if "Mod" in v}):
        return f"{kind} ({', '.join(mods)})", None, None  # "around the 21st", "before May"
    days = [_day(v.get("value")) for v in values if v.get("type") == "date"]
    if not days:
        return kind, None, None
    return kind, days[-1], days[0]  # past first, future second when they differ


def _recognizers() -> Iterator[Case | Excluded]:
    for folder, lang in RECOGNIZERS_LANGUAGES.items():
        for name in RECOGNIZERS_FILES:
            path = HERE / "recognizers-text" / folder / f"{name}.json"
            raw = json.loads(path.read_text(encoding="utf-8-sig"))
            for index, case in enumerate(raw, start=1):
                yield _recognizers_case(f"rt/{lang}/{name}/{index}", lang, case)


def _recognizers_case(case_id: str, lang: Lang, case: dict[str, Any]) -> Case | Excluded:
    sentence = case["Input"]

    def excluded(reason: str, detail: str = "") -> Excluded:
        return Excluded(case_id, None, lang, sentence, reason, detail)

    results = case.get("Results", [])
    if not results:
        return excluded("no expression")
    if len(results) > 1:
        return excluded("several expressions", " | ".join(r.get("Text", "") for r in results))
    result = results[0]
    kind, future, past = _recognizers_readings(result)
    if kind not in ("date", "datetimeV2.date"):
        return excluded("not a single day", kind)
    reference = _day((case.get("Context") or {}).get("ReferenceDateTime", "")[:10])
    if reference is None:
        return excluded("no reference time")
    if future is None or past is None:
        return excluded("no valid date", json.dumps(result.get("Value") or result["Resolution"]))
    phrase = _span(sentence, result)
    if _HOLIDAY.search(phrase.casefold()):
        return excluded("holiday", phrase)
    if _DISPUTED.search(case.get("Comment", "")):
        return excluded("disputed", case["Comment"])
    return Case(
        case_id, lang, sentence, phrase, reference, future, past, _contact_text(sentence, phrase)
    )


# --- Duckling -----------------------------------------------------------------------------------


def _duckling() -> Iterator[Case | Excluded]:
    document = json.loads((HERE / "duckling" / "DE-Corpus.json").read_text(encoding="utf-8"))
    reference = date.fromisoformat(document["reference"][:10])
    for entry in document["entries"]:
        for number, text in enumerate(entry["texts"], start=1):
            case_id = f"duckling/de/L{entry['line']}/{number}"
            if entry["kind"] not in ("datetime", "datetimeHoliday") or entry["grain"] != "Day":
                detail = f"{entry['kind']} {entry['grain']}"
                yield Excluded(case_id, None, "de", text, "not a single day", detail)
            elif entry["holiday"] is not None or _HOLIDAY.search(text.casefold()):
                yield Excluded(case_id, None, "de", text, "holiday", entry["holiday"] or text)
            else:
                day = date(*entry["moments"][0][:3])
                past = day if day <= reference else None
                yield Case(case_id, "de", text, text, reference, day, past, text)


# --- the rule -----------------------------------------------------------------------------------


def _uses(case: Case) -> Iterator[Selected | Excluded]:
    for use in USES:
        expected = case.future if use == "promise" else case.past
        text = case.sentence if use == "promise" else case.contact_text
        reason = None
        if expected is None:
            reason = "no past reading"
        elif use == "promise" and expected < case.reference:
            reason = "past for a promise"
        elif use == "contact" and expected > case.reference:
            reason = "future for a contact"
        elif abs((expected - case.reference).days) > MAX_DAYS_AWAY:
            reason = "too far"
        if reason is None:
            assert expected is not None
            yield Selected(case.id, use, case.lang, text, case.reference, expected, case.phrase)
        else:
            detail = f"{expected} against {case.reference}" if expected else ""
            yield Excluded(case.id, use, case.lang, text, reason, detail)


def select() -> tuple[list[Selected], list[Excluded]]:
    """Every case of the source files, sorted into what is scored and what is left out."""
    selected: list[Selected] = []
    excluded: list[Excluded] = []
    seen: dict[tuple[Any, ...], str] = {}
    for item in (*_recognizers(), *_duckling()):
        if isinstance(item, Excluded):
            excluded.append(item)
            continue
        key = (item.lang, item.sentence, item.contact_text, item.reference, item.future, item.past)
        if key in seen:
            excluded.append(
                Excluded(item.id, None, item.lang, item.sentence, "duplicate", seen[key])
            )
            continue
        seen[key] = item.id
        for outcome in _uses(item):
            (selected if isinstance(outcome, Selected) else excluded).append(outcome)
    return selected, excluded


def _line(row: Selected | Excluded) -> str:
    return json.dumps(asdict(row), ensure_ascii=False, default=str)


def _render() -> tuple[str, str]:
    selected, excluded = select()
    return (
        "".join(_line(row) + "\n" for row in selected),
        "".join(_line(row) + "\n" for row in excluded),
    )


def load_selected() -> list[Selected]:
    """The scored cases, as committed in `selected.jsonl`."""
    rows = []
    for line in SELECTED.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["reference"] = date.fromisoformat(row["reference"])
        row["expected"] = date.fromisoformat(row["expected"])
        rows.append(Selected(**row))
    return rows


def files_are_current() -> bool:
    selected, excluded = _render()
    return SELECTED.read_text(encoding="utf-8") == selected and (
        EXCLUDED.read_text(encoding="utf-8") == excluded
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether files are current")
    args = parser.parse_args()
    if args.check:
        current = files_are_current()
        print("selected.jsonl and excluded.jsonl are current" if current else "out of date")
        sys.exit(0 if current else 1)
    selected, excluded = _render()
    SELECTED.write_text(selected, encoding="utf-8")
    EXCLUDED.write_text(excluded, encoding="utf-8")


if __name__ == "__main__":
    main()
