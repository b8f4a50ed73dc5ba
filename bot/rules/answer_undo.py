"""What an answer on a nudge DM changed, in the form kept so that Undo can put it back exactly.

An answer changes a few fields of one row: Kept, Drop and Need more time a promise's status,
resolved_at, drop_reason, due_on and text (Need more time rewrites a date in the text, see
`moved_due`); Snooze a partner's `check_in_snoozed_until`, Pause its `paused_until`. Both the
fields before the answer and as the answer left them are kept on the DM's outbox rows
(`outbox.undo_state`), as JSON:

    {"before": {"status": "open", "resolved_at": null, "due_on": "2026-11-27", ...},
     "after": {"status": "kept", "resolved_at": "2026-12-01T10:00:00+00:00", ...}}

"after" is how Undo tells that the row changed since (an edit, an answer in another message):
only a row that still reads as the answer left it is restored. A button's value never carries
any of it: a press names its item, and the state is read from the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

# The fields each answer that can be undone changes (and Undo restores), by the answer's name.
PROMISE_FIELDS = ("status", "resolved_at", "drop_reason", "due_on", "text")
PARTNER_FIELDS = ("check_in_snoozed_until", "paused_until")
UNDOABLE: dict[str, tuple[str, ...]] = {
    "kept": PROMISE_FIELDS,
    "dropped": PROMISE_FIELDS,
    "more_time": PROMISE_FIELDS,
    "snoozed": ("check_in_snoozed_until",),
    "paused": ("paused_until",),
}
_DAYS = frozenset({"due_on", "check_in_snoozed_until", "paused_until"})
_INSTANTS = frozenset({"resolved_at"})

Value = str | None


@dataclass(frozen=True)
class Kept:
    """The fields before an answer and as the answer left them, as JSON values."""

    before: dict[str, Value]
    after: dict[str, Value]

    def dumps(self) -> str:
        return json.dumps({"before": self.before, "after": self.after}, ensure_ascii=False)

    def fields(self, which: dict[str, Value]) -> dict[str, Any]:
        """`before` or `after` as the row's own values (days, aware instants, text)."""
        return {name: _decode(name, value) for name, value in which.items()}


def snapshot(answer: str, subject: Any) -> dict[str, Value]:
    """The fields `answer` changes, as they are on `subject` (a promise or partner) now."""
    return {name: _encode(getattr(subject, name)) for name in UNDOABLE[answer]}


def loads(raw: str | None, answer: str) -> Kept | None:
    """The state kept for `answer`; None for one that does not read as `Kept.dumps` writes it
    for that answer (which nothing but Rapport writes)."""
    try:
        data = json.loads(raw or "")
        before, after = data["before"], data["after"]
    except (ValueError, KeyError, TypeError):
        return None
    fields = set(UNDOABLE.get(answer, ()))
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return None
    if not fields or set(before) != fields or set(after) != fields:
        return None
    try:
        for values in (before, after):
            for name, value in values.items():
                if not isinstance(value, str | None):
                    return None
                _decode(name, value)
    except ValueError:
        return None
    return Kept(before, after)


def _encode(value: Any) -> Value:
    """A field's value as JSON keeps it: days and instants (in UTC) in ISO form."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no JSON form for {type(value).__name__}")


def _decode(name: str, value: Value) -> Any:
    if value is None:
        return None
    if name in _DAYS:
        return date.fromisoformat(value)
    if name in _INSTANTS:
        instant = datetime.fromisoformat(value)
        if instant.tzinfo is None:
            raise ValueError("an instant without its zone")
        return instant
    return value
