"""How well Rapport reads the dates of public corpora, beside dateparser on the same cases.

The cases are single-day expressions from Microsoft Recognizers-Text (English, German) and
Duckling (German), chosen by the rule in tests/corpora/dates/selection.py before anything was
measured: promises scored against the corpus's future reading, contact dates against its past
one. Prints, per language and use, how many cases each reader reads right, answers with a
question (asked), leaves unread, or reads as another day without a word (silently wrong), with
denominators. The asked cases are split into those the issue's rules require to be asked (a
weekday and a date that disagree, a numeric date valid both ways round for a month-first member,
a bare weekday that is today, this week's or the other week's weekday, a phrase naming no day),
decided per case from what the question offers (`scoring.required_by_rules`), and those asked
otherwise. Pure CPU, about a second.

    .venv/bin/python bench/date_corpora.py            # the table
    .venv/bin/python bench/date_corpora.py --wrong    # and every case Rapport reads wrong
    .venv/bin/python bench/date_corpora.py --unread   # and every case Rapport leaves unread
    .venv/bin/python bench/date_corpora.py --asked    # and every case Rapport asks about, and why
    .venv/bin/python bench/date_corpora.py --json     # one JSON object on the last line
    .venv/bin/python bench/date_corpora.py --record   # write today's outcomes as the baseline

The suite (tests/unit/parsing/test_date_corpora.py) fails when a case gets worse than the
baseline, and asks for `--record` when one gets better, so the baseline only moves up.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpora.dates import scoring  # noqa: E402
from tests.corpora.dates.selection import Selected, load_selected  # noqa: E402

CORPORA = {
    "Recognizers-Text": "90e968ea44dc8fda3f2e1c3e4b20aa233817488d",
    "Duckling": "2c226585af5b9f4985d9c7151d7191603bb2add7",
}
TARGETS = {"de": 0.95, "en": 0.90}  # share read right; and under 1% silently wrong
MAX_WRONG = 0.01
LABELS = {"right": "right", "asked": "asked", "unread": "unread", "wrong": "silently wrong"}
# The asked cases, split: as the rules require, and asked for another reason.
ASKED_SPLIT = {"asked_required": "asked as required", "asked_otherwise": "asked otherwise"}


def refused(case: Selected, answer: scoring.Answer) -> bool:
    """A wrong day that /logcontact itself refuses, showing it: a contact after the reference
    day, a due date before it. Counted among the silently wrong all the same."""
    if answer.outcome != "wrong" or answer.read is None:
        return False
    if case.use == "contact":
        return answer.read > case.reference
    return answer.read < case.reference


def figures(cases: list[Selected], answers: dict[str, dict]) -> dict:
    result: dict = {"corpora": CORPORA, "groups": {}, "languages": {}}
    for reader, found in answers.items():
        for (lang, use), counts in scoring.tally(cases, found).items():
            total = sum(counts.values())
            entry = {outcome: counts[outcome] for outcome in scoring.OUTCOMES}
            entry["total"] = total
            group = [case for case in cases if (case.lang, case.use) == (lang, use)]
            asked = [found[(case.id, case.use)] for case in group]
            entry["asked_required"] = sum(
                answer.outcome == "asked" and answer.required is not None for answer in asked
            )
            entry["asked_otherwise"] = entry["asked"] - entry["asked_required"]
            entry["right_or_asked_required"] = entry["right"] + entry["asked_required"]
            entry["wrong_refused"] = sum(
                refused(case, found[(case.id, case.use)]) for case in group
            )
            result["groups"].setdefault(f"{lang}/{use}", {})[reader] = entry
            language = result["languages"].setdefault(lang, {}).setdefault(reader, Counter())
            language.update({key: value for key, value in entry.items()})
    for lang, readers in result["languages"].items():
        for reader, counts in readers.items():
            readers[reader] = dict(counts)
        rapport = readers["rapport"]
        result["languages"][lang]["target"] = {
            "right_at_least": TARGETS[lang],
            "wrong_under": MAX_WRONG,
            "met": rapport["right"] / rapport["total"] >= TARGETS[lang]
            and rapport["wrong"] / rapport["total"] < MAX_WRONG,
        }
    return result


def cell(count: int, total: int) -> str:
    share = f"{100 * count / total:.1f}%" if total else "-"
    return f"{count}/{total} {share}"


def table(result: dict) -> str:
    header = [
        "language",
        "use",
        "reader",
        *LABELS.values(),
        "of which refused",
        *ASKED_SPLIT.values(),
    ]
    rows = [header]
    sections = [(key, result["groups"][key]) for key in result["groups"]]
    sections += [(f"{lang}/all", readers) for lang, readers in result["languages"].items()]
    for key, readers in sections:
        lang, use = key.split("/")
        for reader in scoring.READERS:
            entry = readers[reader]
            total = entry["total"]
            rows.append(
                [
                    lang,
                    use,
                    reader,
                    *(cell(entry[outcome], total) for outcome in scoring.OUTCOMES),
                    str(entry["wrong_refused"]),
                    *(cell(entry[key], total) for key in ASKED_SPLIT),
                ]
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def listing(cases: list[Selected], found: dict, outcome: str) -> str:
    lines = []
    for case in cases:
        answer = found[(case.id, case.use)]
        if answer.outcome != outcome:
            continue
        read = f"read {answer.read}" if answer.read else "read nothing"
        note = " (refused)" if refused(case, answer) else ""
        if answer.outcome == "asked":
            why = scoring.REQUIRED.get(answer.required or "", "no rule requires it")
            note = f" (asked: {why})"
        lines.append(
            f"{case.id:28} {case.lang} {case.use:8} on {case.reference}: expected "
            f"{case.expected}, {read}{note}  {case.text!r}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--wrong", action="store_true", help="list the cases Rapport reads wrong")
    parser.add_argument("--unread", action="store_true", help="list the cases Rapport leaves")
    parser.add_argument("--asked", action="store_true", help="list the cases Rapport asks about")
    parser.add_argument("--record", action="store_true", help="write the baseline file")
    args = parser.parse_args()

    cases = load_selected()
    answers = {
        "rapport": scoring.run(cases, scoring.rapport),
        "dateparser": scoring.run(cases, scoring.dateparser_reader),
    }
    result = figures(cases, answers)
    corpora = ", ".join(f"{name} {commit[:7]}" for name, commit in CORPORA.items())
    print(f"Date corpora ({corpora}): {len(cases)} scored cases, tests/corpora/dates/")
    print("promise: against the future reading; contact: against the past reading")
    print()
    print(table(result))
    print()
    for lang, readers in result["languages"].items():
        target = readers["target"]
        verdict = "met" if target["met"] else "not met"
        print(
            f"target {lang}: at least {100 * target['right_at_least']:.0f}% right, under "
            f"{100 * target['wrong_under']:.0f}% silently wrong: {verdict}"
        )
    for lang, readers in result["languages"].items():
        rapport = readers["rapport"]
        print(
            f"{lang}: right or asked as required "
            f"{cell(rapport['right_or_asked_required'], rapport['total'])} "
            f"(right {rapport['right']}, asked as required {rapport['asked_required']}, asked "
            f"otherwise {rapport['asked_otherwise']}, unread {rapport['unread']}, silently "
            f"wrong {rapport['wrong']})"
        )
    if args.wrong:
        print("\nRapport, silently wrong:")
        print(listing(cases, answers["rapport"], "wrong"))
    if args.asked:
        print("\nRapport, asked:")
        print(listing(cases, answers["rapport"], "asked"))
    if args.unread:
        print("\nRapport, unread:")
        print(listing(cases, answers["rapport"], "unread"))
    if args.record:
        scoring.record(cases, answers["rapport"])
        print(f"\nbaseline written: {scoring.BASELINE.relative_to(ROOT)}")
    if args.json:
        print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
