"""How fast to post to a workspace: a rate learned from Slack's answers, and the slots it gives.

Slack publishes no number for its workspace-wide limit on `chat.postMessage` (only "about one
message a second per channel, bursts allowed"); past it, Slack answers 429 with a whole-second
`Retry-After`. Posting as fast as Slack accepts wastes most of each such second (a burst fills
the window in a fraction of it), so the posts are paced to a rate learned from the answers:

- **Slow start.** Until a 429 has been met, every accepted post raises the rate by
  `START_STEP` posts a second, so the rate grows by e^START_STEP (about 20x) each second of
  sending (less while grants are small): from `START_RATE` to a hundred a second in two to
  three seconds.
- **A 429** sets the rate just under what Slack accepted in the second before it (`BACKOFF`
  times the posts a second observed, never more than the rate then), since that is the limit
  Slack has just shown; a second 429 within `HOLD` of the first is the same excess and does
  not lower it again. Every send slot then waits out the `Retry-After`.
- **Probing.** Once a limit is known, every accepted post raises the rate by `PROBE_STEP`
  posts a second, that is by `PROBE_STEP` of itself per second of sending (0.1 %): about
  50 s from the backed-off rate back to the limit, where the next 429 lowers it again (each
  429 costs a whole second of Retry-After, so a slower probe wastes less).
- The rate stays between `FLOOR` and the operator's ceiling (`RAPPORT_DM_PER_SECOND`), if set,
  and rises only while the senders keep up with it (a slow machine teaches nothing about
  Slack, and a rate it never used would burst once it could).

The budget is kept as GCRA keeps it (the "virtual scheduling" form of a token bucket): the
next free slot `next_slot`, with no tolerance for bursts: the limit is unknown, and a burst
after an idle spell is what meets a 429 at a rate just under it. Slots are granted a few at a
time (`grant`) to whoever posts, so several processes that share one budget space their posts
between them.

Rates are posts a second (float); times are aware datetimes; every function here is pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

START_RATE = 1.0
START_STEP = 3.0
PROBE_STEP = 0.001
BACKOFF = 0.95
FLOOR = 0.5
HOLD = timedelta(seconds=1)
# Slots granted at a time: those of about this long at the rate (at least one), so that the
# shared budget is written at most about four times a second by a sender (once a post below
# four a second, once per claimed batch of 25 at a hundred a second), never once per post above.
GRANT_SPAN_S = 0.25
# What "the second before the 429" means for the rate observed.
WINDOW = timedelta(seconds=1)
# A budget's times further ahead than this were written on another clock (a `run-jobs --at`
# in the future, a clock set back): they are taken as now, or nobody would post until then.
# Beyond it, a next slot may lie ahead by what the budget itself explains: the Retry-After of
# a 429 still being waited out (at most MAX_WAIT, so that a corrupt row cannot stall posts for
# longer) and one slot's spacing at the rate (a ceiling of one post in ten minutes is a slot
# ten minutes ahead).
STALE_AHEAD = timedelta(minutes=5)
MAX_WAIT = timedelta(hours=1)


@dataclass(frozen=True)
class Budget:
    """One workspace's posting budget.

    `rate`: posts a second now; `limited_at`: when the last 429 lowered it (None: no limit met
    yet, still in slow start); `next_slot`: the theoretical time of the next post;
    `window_start` / `window_posts`: posts Slack accepted, as reported since `window_start`
    (about the last second); `last_window_rate`: posts a second accepted in the window before
    (None before one ended).
    """

    rate: float
    limited_at: datetime | None
    next_slot: datetime
    window_start: datetime
    window_posts: int
    last_window_rate: float | None


def fresh(now: datetime, ceiling: float | None = None) -> Budget:
    """The budget of a workspace that has not posted yet."""
    return Budget(bounded(START_RATE, ceiling), None, now, now, 0, None)


def bounded(rate: float, ceiling: float | None) -> float:
    """`rate` within FLOOR and the ceiling (None: none); the ceiling wins when it is the lower."""
    rate = max(FLOOR, rate)
    return rate if ceiling is None else min(rate, ceiling)


def settled(budget: Budget, now: datetime, ceiling: float | None = None) -> Budget:
    """`budget` with any time further after `now` than it can explain taken as `now`.

    A time more than STALE_AHEAD ahead is stale, unless it is the end of a 429's wait still
    running (`window_start`, the resume `limited` set, up to MAX_WAIT after `limited_at`) or,
    for `next_slot`, that end plus the grants' spacing at the rate within `ceiling`.
    """
    wait = _waiting(budget, now)
    spacing = timedelta(seconds=1.0 / bounded(budget.rate, ceiling))
    if budget.next_slot - now > STALE_AHEAD + wait + min(spacing, MAX_WAIT):
        budget = replace(budget, next_slot=now)
    if budget.window_start - now > STALE_AHEAD + wait:
        budget = replace(budget, window_start=now, window_posts=0)
    if budget.limited_at is not None and budget.limited_at - now > STALE_AHEAD:
        budget = replace(budget, limited_at=now - HOLD)
    return budget


def _waiting(budget: Budget, now: datetime) -> timedelta:
    """How long the 429 that set `limited_at` asked to wait (its resume is `window_start`, until
    a window after it closes), when that wait is still running; zero otherwise."""
    if budget.limited_at is None or budget.limited_at - now > STALE_AHEAD:
        return timedelta(0)
    if budget.window_start <= now:
        return timedelta(0)
    return min(MAX_WAIT, max(timedelta(0), budget.window_start - budget.limited_at))


def reported(budget: Budget, now: datetime, accepted: int, ceiling: float | None) -> Budget:
    """The budget after a sender reports `accepted` posts that Slack took since its last report.

    Each raises the rate: by START_STEP before the first 429 (slow start), by PROBE_STEP after
    (probing); not at all while the senders are behind their slots. They count in the current
    window of accepted posts; a window that has run WINDOW or more is closed with them, its
    rate kept as `last_window_rate`, and the next begins at `now`.
    """
    budget, accepted = settled(budget, now, ceiling), max(0, accepted)
    step = START_STEP if budget.limited_at is None else PROBE_STEP
    # Senders a grant or more behind their slots do not use the rate they have: raising it
    # says nothing about Slack's limit, and would turn into bursts once they send faster.
    behind = budget.next_slot < now - timedelta(seconds=GRANT_SPAN_S)
    rate = bounded(budget.rate + (0 if behind else step * accepted), ceiling)
    posts = budget.window_posts + accepted
    if now - budget.window_start < WINDOW:
        return replace(budget, rate=rate, window_posts=posts)
    # The posts reported now went before now: they close this window, not open the next.
    span = (now - budget.window_start).total_seconds()
    return replace(
        budget, rate=rate, window_start=now, window_posts=0, last_window_rate=posts / span
    )


def observed_rate(budget: Budget, now: datetime) -> float | None:
    """Posts Slack accepted in about the last second (WINDOW): the current window's, topped up
    with the last window's rate for the part of the second before it began; the current
    window's alone once it has run half a second and there is no last one; None before.

    A count over the whole second, not a rate over a part of it: a limit of so many a second
    lets a part of the second hold more than its share.
    """
    span = (now - budget.window_start).total_seconds()
    whole = WINDOW.total_seconds()
    if span >= whole:
        return budget.window_posts / span
    if budget.last_window_rate is not None:
        return budget.window_posts + budget.last_window_rate * (whole - max(0.0, span))
    if span >= whole / 2:
        return budget.window_posts / span
    return None


def limited(
    budget: Budget,
    now: datetime,
    retry_after_s: float,
    ceiling: float | None,
    accepted_last_second: int = 0,
) -> Budget:
    """The budget after a 429 asking to wait `retry_after_s` seconds.

    The rate falls to BACKOFF times the rate observed in the second before: the larger of the
    budget's window (every sender's accepted posts, as reported) and `accepted_last_second`
    (the caller's own, exact but only its share), and never above the rate then. A 429 within
    HOLD of the one that last lowered it is the same excess and leaves the rate as it is.
    Either way, no slot is granted before the wait is over.
    """
    budget = settled(budget, now, ceiling)
    resume = now + timedelta(seconds=retry_after_s)
    next_slot = max(budget.next_slot, resume)
    if budget.limited_at is not None and timedelta(0) <= now - budget.limited_at < HOLD:
        return replace(budget, next_slot=next_slot)
    seen = max(observed_rate(budget, now) or 0.0, float(accepted_last_second))
    base = min(budget.rate, seen) if seen > 0 else budget.rate
    return Budget(
        rate=bounded(base * BACKOFF, ceiling),
        limited_at=now,
        next_slot=next_slot,
        window_start=resume,
        window_posts=0,
        last_window_rate=None,
    )


@dataclass(frozen=True)
class Grant:
    """Send slots: `count` posts, the first at `first`, then one every `spacing_s` seconds."""

    first: datetime
    count: int
    spacing_s: float

    def at(self, index: int) -> datetime:
        return self.first + timedelta(seconds=index * self.spacing_s)


def grant(
    budget: Budget, now: datetime, wanted: int, ceiling: float | None
) -> tuple[Budget, Grant]:
    """Slots for up to `wanted` posts (at least one) and the budget after them.

    The first slot is the budget's next one, or `now` when that is more than a slot behind;
    about GRANT_SPAN_S seconds' worth are granted at a time, so that the sender reports back
    soon and a changed rate takes effect.
    """
    budget = settled(budget, now, ceiling)
    rate = bounded(budget.rate, ceiling)
    spacing = 1.0 / rate
    count = max(1, min(wanted, math.floor(rate * GRANT_SPAN_S)))
    # Slots gone by unused are not made up: a burst of them would put more than the rate into
    # the next second, past Slack's limit. Less than a slot behind, the schedule stands.
    behind = budget.next_slot < now - timedelta(seconds=spacing)
    first = now if behind else budget.next_slot
    next_slot = first + timedelta(seconds=count * spacing)
    return replace(budget, rate=rate, next_slot=next_slot), Grant(first, count, spacing)
