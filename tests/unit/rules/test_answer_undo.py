"""The kept form of what a nudge answer changed: what goes in comes out as the row's own values,
and anything else (another answer's fields, a bad day, a value of the wrong type) reads as
nothing to undo rather than as something to write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.rules.answer_undo import PROMISE_FIELDS, Kept, loads, snapshot


@dataclass
class PromiseLike:
    status: str = "open"
    resolved_at: datetime | None = None
    drop_reason: str | None = None
    due_on: date = date(2026, 11, 27)
    text: str = "Muster schicken am 2026-11-27 – „bitte“"


def test_a_promise_kept_reads_back_as_it_was_with_instants_in_utc() -> None:
    before = snapshot("kept", PromiseLike())
    at = datetime(2026, 12, 1, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    after = snapshot("kept", PromiseLike(status="kept", resolved_at=at))
    kept = Kept(before, after)

    read = loads(kept.dumps(), "kept")

    assert read == kept and set(read.before) == set(PROMISE_FIELDS)
    assert read.fields(read.before) == {
        "status": "open",
        "resolved_at": None,
        "drop_reason": None,
        "due_on": date(2026, 11, 27),
        "text": "Muster schicken am 2026-11-27 – „bitte“",
    }
    assert read.fields(read.after)["resolved_at"] == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@dataclass
class PartnerLike:
    check_in_snoozed_until: date | None = None
    paused_until: date | None = None


def test_a_snooze_keeps_only_the_snooze_and_a_pause_only_the_pause() -> None:
    assert snapshot("snoozed", PartnerLike(date(2026, 12, 7))) == {
        "check_in_snoozed_until": "2026-12-07"
    }
    assert snapshot("paused", PartnerLike(paused_until=date(2027, 1, 11))) == {
        "paused_until": "2027-01-11"
    }


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        (None, "kept"),
        ("", "kept"),
        ("not json", "kept"),
        ('{"before": {}}', "kept"),
        ('{"before": {"paused_until": null}, "after": {"paused_until": "2027-01-11"}}', "kept"),
        ('{"before": {"paused_until": null}, "after": {"paused_until": "2027-13-40"}}', "paused"),
        ('{"before": {"paused_until": 5}, "after": {"paused_until": null}}', "paused"),
        ('{"before": {"paused_until": null}, "after": {"paused_until": null}}', "checked_in"),
        ('{"before": [], "after": []}', "paused"),
    ],
)
def test_what_rapport_never_writes_is_not_read(raw: str | None, answer: str) -> None:
    assert loads(raw, answer) is None


def test_an_instant_without_its_zone_is_not_read() -> None:
    fields = {f: None for f in PROMISE_FIELDS} | {"status": "kept", "text": "x"}
    fields["due_on"] = "2026-11-27"
    naive = Kept(fields, fields | {"resolved_at": "2026-12-01T10:00:00"}).dumps()

    assert loads(naive, "kept") is None
