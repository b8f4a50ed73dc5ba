"""Public corpora of English and German dates as regression tables for the date readers.

The cases come from Microsoft Recognizers-Text and Duckling (tests/corpora/dates/SOURCES.md),
chosen by the rule in tests/corpora/dates/selection.py, which was committed with its output before
anything was measured. `baseline.jsonl` holds the outcome of Rapport's readers per case as last
recorded: right, asked, unread or silently wrong, from best to worst. A case that reads worse
than that fails here, named; a case that reads better fails too, until the baseline is recorded
again with `.venv/bin/python bench/date_corpora.py --record`, so the baseline can only move up.
Figures: `.venv/bin/python bench/date_corpora.py`.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.parsing.dates import parse_due, parse_when
from bot.parsing.questions import NeedsAnswer, Question, Reading
from tests.corpora.dates import scoring, selection
from tests.corpora.dates.selection import Selected


@pytest.fixture(scope="module")
def cases() -> list[Selected]:
    return selection.load_selected()


@pytest.fixture(scope="module")
def answers(cases: list[Selected]) -> dict[tuple[str, selection.Use], scoring.Answer]:
    return scoring.run(cases, scoring.rapport)


def _source_case_count() -> int:
    count = 0
    for folder in selection.RECOGNIZERS_LANGUAGES:
        for name in selection.RECOGNIZERS_FILES:
            path = selection.HERE / "recognizers-text" / folder / f"{name}.json"
            count += len(json.loads(path.read_text(encoding="utf-8-sig")))
    duckling = json.loads((selection.HERE / "duckling" / "DE-Corpus.json").read_text("utf-8"))
    return count + sum(len(entry["texts"]) for entry in duckling["entries"])


def test_the_committed_selection_is_what_the_rule_makes() -> None:
    assert selection.files_are_current(), (
        "selected.jsonl / excluded.jsonl differ from the rule's output: the rule must be "
        "committed with its output, before measuring (python -m tests.corpora.dates.selection)"
    )


def test_every_source_case_is_scored_or_left_out_with_a_reason() -> None:
    selected = [json.loads(line) for line in selection.SELECTED.read_text("utf-8").splitlines()]
    excluded = [json.loads(line) for line in selection.EXCLUDED.read_text("utf-8").splitlines()]

    assert {row["reason"] for row in excluded} <= set(selection.REASONS)
    accounted = {row["id"] for row in selected} | {row["id"] for row in excluded}
    assert len(accounted) == _source_case_count()
    # A case and use is scored or left out, never both, and the whole case only when no use is.
    scored = {(row["id"], row["use"]) for row in selected}
    left_out = {(row["id"], row["use"]) for row in excluded}
    assert not scored & left_out
    assert not {row["id"] for row in selected} & {i for i, use in left_out if use is None}


def test_no_corpus_case_reads_worse_than_the_baseline(
    cases: list[Selected], answers: dict[tuple[str, selection.Use], scoring.Answer]
) -> None:
    worse, _ = scoring.compare(cases, answers, scoring.load_baseline())

    assert not worse, f"{len(worse)} corpus case(s) read worse than the baseline:\n" + "\n".join(
        worse
    )


def test_the_baseline_records_every_improvement(
    cases: list[Selected], answers: dict[tuple[str, selection.Use], scoring.Answer]
) -> None:
    baseline = scoring.load_baseline()
    _, better = scoring.compare(cases, answers, baseline)
    stale = set(baseline) - {(case.id, case.use) for case in cases}

    assert not better and not stale, (
        f"{len(better)} corpus case(s) read better than the baseline (well done), "
        f"{len(stale)} recorded case(s) no longer selected; record them with "
        f"`{scoring.RECORD_COMMAND}`:\n" + "\n".join(better)
    )


def _asked_about(text: str, today: date, *, month_first: bool = False) -> str | None:
    with pytest.raises(NeedsAnswer) as asked:
        parse_due(text, today=today, month_first=month_first)
    return scoring.required_by_rules(asked.value.question, today=today, month_first=month_first)


WEDNESDAY = date(2027, 1, 6)


@pytest.mark.parametrize(
    ("text", "month_first", "rule"),
    [
        ("bis Montag, den 19.1.", False, "weekday_date"),
        ("by Monday 19 January", False, "weekday_date"),
        ("by 2/3", True, "both_ways"),
        ("bis 4-5-2027", True, "both_ways"),
        ("call Anna on Wednesday", False, "weekday_today"),
        ("Anna anrufen am Mittwoch", False, "weekday_today"),
        ("ASAP", False, "quick_choices"),
        # Two phrases naming different days: asked, but no rule of the issue calls for it.
        ("call back tomorrow about the Friday delivery", False, None),
    ],
)
def test_a_question_is_counted_as_required_by_what_it_offers(
    text: str, month_first: bool, rule: str | None
) -> None:
    assert _asked_about(text, WEDNESDAY, month_first=month_first) == rule


def test_a_date_valid_both_ways_is_required_only_for_a_month_first_member() -> None:
    question = Question(
        "due",
        "2/3",
        "question.due_month_first",
        (Reading("2027-02-03", day=date(2027, 2, 3)), Reading("2027-03-02", day=date(2027, 3, 2))),
    )

    assert scoring.required_by_rules(question, today=WEDNESDAY, month_first=True) == "both_ways"
    assert scoring.required_by_rules(question, today=WEDNESDAY, month_first=False) is None


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("am Montag, den 15.12.", "weekday_date"),
        ("on Monday 15 December", "weekday_date"),
        ("am Mittwoch", "weekday_today"),
        ("last Tuesday", "this_or_other_week"),  # said on a Wednesday: yesterday or a week before
        ("letzten Dienstag", "this_or_other_week"),
        # A day still ahead, offered a year back: asked, but no rule of the issue calls for it.
        ("on 13 January", None),
        ("am 13. Januar", None),
    ],
)
def test_a_contact_question_is_counted_by_what_it_offers(phrase: str, rule: str | None) -> None:
    try:
        parse_when(phrase, today=WEDNESDAY)
    except NeedsAnswer as asked:
        found = scoring.required_by_rules(asked.question, today=WEDNESDAY, month_first=False)
    else:
        pytest.fail(f"{phrase!r} was read without a question")
    assert found == rule
