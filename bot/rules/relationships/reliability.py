"""How reliable a member has been: the share of their promises that fell due in the last
`RELIABILITY_DAYS` days and were kept on or before their due day. Pure: the Home tab and the
partner card count alike, from plain values.

What counts, and why:

- **Whose.** The promises a member made (`promised_by` "us", `member_id` the member); a
  partner's promises to us are not ours to keep.
- **The window.** The due days from `RELIABILITY_DAYS` days before the member's local today up
  to yesterday (`window`). A due day is over only at its end: counting today would count a
  promise kept this morning but not one still open (which may yet be kept tonight), so the
  figure would rise during the day and fall at midnight. Every promise in the window has an
  outcome that no longer changes.
- **Kept on time.** Kept on a local day (the member's zone) on or before the due day.
- **Moved in time.** A due day moved while it had not yet passed (Need more time in a nudge DM,
  or an edit of the contact, on or before the due day) is a promise renegotiated: it counts by
  its new day. A due day moved once it had passed, while the promise was neither kept nor
  dropped by it, hides a miss: `missed_on` keeps the day that passed (`missed_on_move`), and
  the promise counts as due that day and not kept, whatever happens to it later.
- **Dropped.** Dropped on or before its due day: not counted. Telling a partner in time that
  something will not happen is what the advice asks for, and counting it would punish honesty.
  Dropped after its due day had passed: due and not kept. A promise with the status
  "renegotiated" counts as a dropped one (it was replaced, in time or not).
- **Open.** Past its due day: due and not kept. Not yet due: not counted (the window ends
  yesterday, so no open promise in it is still in time).
- **Unknown day.** A kept or dropped promise without the day it was settled cannot be judged
  and is not counted, rather than guessed either way.

There is no figure when nothing fell due (`reliability` returns None): a share of nothing says
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

# The figure looks back this many days.
RELIABILITY_DAYS = 90

# Statuses that end a promise without keeping it.
_ENDED = frozenset({"dropped", "renegotiated"})


@dataclass(frozen=True)
class PromiseOutcome:
    """What the figure reads of one of the member's promises.

    `due_on` is its due day now; `missed_on` the day it was due when it was moved after that day
    had passed (None if never); `resolved_on` the member's local day it was kept or dropped
    (None while open, or when not recorded)."""

    due_on: date
    missed_on: date | None
    status: str
    resolved_on: date | None


class Verdict(Enum):
    KEPT = "kept"
    NOT_KEPT = "not_kept"


@dataclass(frozen=True)
class Reliability:
    """`kept` of `due` promises were kept on time (`due` > 0)."""

    kept: int
    due: int

    @property
    def percent(self) -> int:
        """The share in whole percent, rounded to the nearest, but never 100 while one was not
        kept, and never 0 while one was: 199 of 200 reads 99 %, not a perfect 100 %."""
        share = round(100 * self.kept / self.due)
        if self.kept < self.due:
            share = min(share, 99)
        if self.kept > 0:
            share = max(share, 1)
        return share


def window(today: date) -> tuple[date, date]:
    """The first and last due day counted, both included: `RELIABILITY_DAYS` days ending
    yesterday (the member's local calendar)."""
    return today - timedelta(days=RELIABILITY_DAYS), today - timedelta(days=1)


def fell_due_on(promise: PromiseOutcome) -> date:
    """The day a promise counts as due: the day it was missed when it was moved late, else its
    due day now."""
    return promise.missed_on if promise.missed_on is not None else promise.due_on


def verdict(promise: PromiseOutcome, today: date) -> Verdict | None:
    """Kept on time, not kept, or None when the promise is not counted (outside the window,
    not yet due, dropped in time, or settled on a day not recorded)."""
    first, last = window(today)
    day = fell_due_on(promise)
    if not first <= day <= last:
        return None
    if promise.missed_on is not None:
        return Verdict.NOT_KEPT
    if promise.status == "open":
        return Verdict.NOT_KEPT
    if promise.resolved_on is None:
        return None
    in_time = promise.resolved_on <= promise.due_on
    if promise.status == "kept":
        return Verdict.KEPT if in_time else Verdict.NOT_KEPT
    if promise.status in _ENDED:
        return None if in_time else Verdict.NOT_KEPT
    return None


def reliability(promises: Iterable[PromiseOutcome], today: date) -> Reliability | None:
    """The figure over the member's promises (any of them: those outside the window are left
    out here); None when none fell due in the window."""
    verdicts = [v for v in (verdict(p, today) for p in promises) if v is not None]
    if not verdicts:
        return None
    return Reliability(kept=sum(v is Verdict.KEPT for v in verdicts), due=len(verdicts))


def missed_on_move(
    due_on: date,
    new_due: date,
    status: str,
    resolved_on: date | None,
    missed_on: date | None,
    today: date,
) -> date | None:
    """What `missed_on` becomes when a promise's due day moves from `due_on` to `new_due` on the
    member's local `today`: a day once missed stays missed; a move after the due day had passed,
    of a promise not kept or dropped by it, keeps that day as missed; a move in time (today is
    the due day or before) or no move at all changes nothing."""
    if missed_on is not None or new_due == due_on or today <= due_on:
        return missed_on
    if status != "open" and resolved_on is not None and resolved_on <= due_on:
        return None  # settled in time; moving its day now hides nothing
    return due_on
