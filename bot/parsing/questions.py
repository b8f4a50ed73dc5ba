"""When what someone typed can be read more than one way, Rapport asks instead of guessing.

A reader raises `NeedsAnswer` with a `Question`: which part of the text (`slot`: "when", "due",
"partner", …), the words in question, and the `Reading`s to choose from. The use case keeps the
text for an hour and shows a button per reading; the person's choice comes back as `answers`
(slot → the chosen reading's value), and the same text is read again with it, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# What has been chosen so far for a text: slot → the chosen reading's value.
Answers = Mapping[str, str]

# The value of the reading that logs nothing.
CANCEL = "cancel"

# The slots a question can be about. An answer for any other slot came from no question Rapport
# asked (a forged button value) and is never merged into a text's answers.
SLOTS = frozenset({"when", "due", "partner"})


@dataclass(frozen=True)
class Reading:
    """One way to take the words in question: a day (shown as a date in the reader's language),
    or a choice named by a text key (`label`, with `values` to fill it)."""

    value: str  # what the button carries back: an ISO date, "new", "cancel", …
    day: date | None = None
    label: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """What Rapport cannot decide alone: the `slot` it is about, the words that say it
    (`phrase`, as typed), a text key saying why (`reason`), and the readings to choose from."""

    slot: str
    phrase: str
    reason: str
    readings: tuple[Reading, ...]


class NeedsAnswer(Exception):
    """Raised by a reader or a use case step: ask `question` before storing anything."""

    def __init__(self, question: Question) -> None:
        super().__init__(question.slot)
        self.question = question
