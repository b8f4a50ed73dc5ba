"""Pacing posts to Slack: each workspace's learned budget (`bot.rules.pacing`), shared through the
database by every scheduler process, handed out here a few send slots at a time.

A sender calls `turn(workspace, wanted)` before each post and waits for the slot it gets (or
`turn_within`, which names a slot further off than the sender will wait instead of taking it),
`accepted(workspace)` after Slack took the post, and `limited(workspace, retry_after)` after a
429; `next_turn(workspace)` names the next slot without taking it, for a sender that prepares
a post only once its slot is near. The budget's row is read and written only when the slots
held run out (a quarter second's worth at a time, at most `wanted`: once per claimed batch at a
hundred a second) and on a 429; the accepted posts are counted here and reported with the next
grant, where the rate rises.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from bot.rules import pacing
from bot.rules.clock import Clock
from storage.db import Database
from storage.models import PostingPace
from storage.queries.outbox.pacing import locked_pace, store_pace


@dataclass
class _Held:
    """Slots granted to this process and not yet used."""

    grant: pacing.Grant
    used: int = 0

    @property
    def left(self) -> int:
        return self.grant.count - self.used


@dataclass
class _Workspace:
    held: _Held | None = None
    # Accepted posts not yet reported to the shared budget (the rate rises with them).
    unreported: int = 0
    # When this process's accepted posts went, over about the last second.
    recent: deque[datetime] = field(default_factory=deque)
    # When this process's last post was scheduled to go (it may have gone a little later).
    last_turn: datetime | None = None


@dataclass
class Pacer:
    """Send slots for posts, per workspace, at the learned rate, never above `ceiling`
    (posts a second; None: no ceiling)."""

    db: Database
    clock: Clock
    # Waits until a slot; tests pass one that moves their clock instead of sleeping.
    pause: Callable[[float], None]
    ceiling: float | None = None
    _workspaces: dict[int, _Workspace] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def turn(self, workspace_id: int, wanted: int = 1) -> None:
        """Wait for this process's next slot to post to `workspace_id`; `wanted`: how many posts
        it expects to send there soon (slots are granted for up to that many at once)."""
        self.turn_within(workspace_id, None, wanted)

    def turn_within(
        self, workspace_id: int, longest_s: float | None, wanted: int = 1
    ) -> datetime | None:
        """Like `turn`, but only when the slot comes within `longest_s` seconds (None: however
        far): then it waits for it and returns None. A slot further off (a 429's Retry-After, a
        slow rate) is not taken and not waited for: its time is returned, and the slots held
        stay held for when it comes, so that the caller can send elsewhere meanwhile."""
        with self._lock:
            state = self._held(workspace_id, wanted)
            at = self._next_at(state)
            wait = (at - self.clock.now()).total_seconds()
            if longest_s is not None and wait > longest_s:
                return at
            assert state.held is not None  # `_held` granted slots
            state.held.used += 1
            state.last_turn = at
        if wait > 0:
            self.pause(wait)
        return None

    def next_turn(self, workspace_id: int, near_s: float, wanted: int = 1) -> datetime:
        """When this process's next slot to post to `workspace_id` comes, without taking it or
        waiting for it: a sender asks before it prepares a post, and prepares it only when the
        answer is within `near_s` seconds; otherwise it asks again at the time named.

        With a slot held, that slot. With none, the slots are granted now (and stay held for
        `turn`), unless this process's last grant ends further off than `near_s`: no grant can
        come before that end (the shared budget's next slot only moves on), so it is named
        without asking the database, and the grant waits until then. The grant, made as late
        as it can be, counts the posts Slack accepted meanwhile, by which the rate rises."""
        with self._lock:
            state = self._workspaces.get(workspace_id)
            if state is not None and state.held is not None:
                # With every slot held used, this is the end of the last grant.
                at = self._next_at(state)
                if state.held.left > 0 or (at - self.clock.now()).total_seconds() > near_s:
                    return at
            return self._next_at(self._held(workspace_id, wanted))

    def _held(self, workspace_id: int, wanted: int) -> _Workspace:
        """The workspace's state, with at least one slot held (granted now if none is)."""
        state = self._workspaces.setdefault(workspace_id, _Workspace())
        if state.held is None or state.held.left <= 0:
            state.held = self._grant(workspace_id, state, wanted)
        return state

    def _next_at(self, state: _Workspace) -> datetime:
        """The time of the next slot `state` holds, never closer to the last one than the
        spacing, and not before now by more than a slot."""
        held = state.held
        assert held is not None  # `_held` granted slots
        now = self.clock.now()
        spacing = timedelta(seconds=held.grant.spacing_s)
        at = held.grant.at(held.used)
        if state.last_turn is not None:
            at = max(at, state.last_turn + spacing)
        # Less than a slot late (a busy moment), the schedule stands and the next post
        # catches up; later, it starts afresh from now: slots gone by are not made up in a
        # burst, which Slack's window would count on top of the rate.
        return now if at < now - spacing else at

    def accepted(self, workspace_id: int) -> None:
        """Slack took a post to `workspace_id`."""
        now = self.clock.now()
        with self._lock:
            state = self._workspaces.setdefault(workspace_id, _Workspace())
            state.unreported += 1
            state.recent.append(now)
            _forget_before(state.recent, now - pacing.WINDOW)

    def limited(self, workspace_id: int, retry_after_s: float) -> None:
        """Slack answered a post to `workspace_id` 429, asking to wait `retry_after_s` seconds:
        the shared rate falls (once per excess) and nobody's next slot comes before the wait is
        over. The slots this process held are given up: they were granted at the old rate. When
        nobody was granted slots after them, they are the budget's again, so that the next slot
        is the wait's end rather than the end of slots never used (a sender that prepares its
        next post while the one before is out holds that post's slot: at a slow rate, up to a
        spacing, a second or more, past the wait's end)."""
        now = self.clock.now()
        with self._lock:
            state = self._workspaces.setdefault(workspace_id, _Workspace())
            _forget_before(state.recent, now - pacing.WINDOW)
            seen = len(state.recent)
            with self.db.transaction() as session:
                row = locked_pace(
                    session, workspace_id, _columns(pacing.fresh(now, self.ceiling), now)
                )
                unused = _unused(state.held, row)
                # What went since the last grant counts in the second observed before the 429.
                budget = pacing.reported(_budget(row), now, state.unreported, self.ceiling)
                if unused is not None:
                    budget = replace(budget, next_slot=min(budget.next_slot, unused))
                budget = pacing.limited(budget, now, retry_after_s, self.ceiling, seen)
                store_pace(row, _columns(budget, now))
            state.held, state.unreported = None, 0
            state.recent.clear()

    def rate(self, workspace_id: int) -> float | None:
        """The workspace's shared rate as last stored (posts a second); None before any post."""
        with self.db.reading() as session:
            row = session.get(PostingPace, workspace_id)
            return None if row is None else row.rate_milli / 1000

    def _grant(self, workspace_id: int, state: _Workspace, wanted: int) -> _Held:
        now = self.clock.now()
        with self.db.transaction() as session:
            row = locked_pace(session, workspace_id, _columns(pacing.fresh(now, self.ceiling), now))
            budget = pacing.reported(_budget(row), now, state.unreported, self.ceiling)
            budget, grant = pacing.grant(budget, now, wanted, self.ceiling)
            store_pace(row, _columns(budget, now))
        state.unreported = 0
        return _Held(grant)


def _unused(held: _Held | None, row: PostingPace) -> datetime | None:
    """The first of the slots `held` that were not used, when they are the last the shared
    budget granted (its next slot is where they end: nobody was granted any after them)."""
    if held is None or held.left <= 0 or row.next_slot != held.grant.at(held.grant.count):
        return None
    return held.grant.at(held.used)


def _forget_before(times: deque[datetime], cutoff: datetime) -> None:
    while times and times[0] <= cutoff:
        times.popleft()


def _budget(row: PostingPace) -> pacing.Budget:
    return pacing.Budget(
        rate=row.rate_milli / 1000,
        limited_at=row.limited_at,
        next_slot=row.next_slot,
        window_start=row.window_start,
        window_posts=row.window_posts,
        last_window_rate=None
        if row.last_window_rate_milli is None
        else row.last_window_rate_milli / 1000,
    )


def _columns(budget: pacing.Budget, now: datetime) -> dict[str, Any]:
    """The row's columns for `budget` as of `now`, rates in thousandths of a post a second."""
    return {
        "rate_milli": round(budget.rate * 1000),
        "limited_at": budget.limited_at,
        "next_slot": budget.next_slot,
        "window_start": budget.window_start,
        "window_posts": budget.window_posts,
        "last_window_rate_milli": None
        if budget.last_window_rate is None
        else round(budget.last_window_rate * 1000),
        "updated_at": now,
    }
