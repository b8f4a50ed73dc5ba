"""Requests let into the dispatch threads a few at a time, in the order they came.

The dispatch pool has a thread per PostgreSQL connection, so that a listener waiting on Slack
(`views.open` must be called within the request) holds no one else up. But Python runs one
thread at a time: twenty commands let in at once share the interpreter, each takes twenty times
as long, and the wake-ups between them cost CPU of their own. Measured on 2 cores, 20 clients
and SQLite, a command took 4.5 ms of CPU and its 99th percentile was twice its median; served
one at a time it took 3.8 ms.

So only `slots` requests run at once, and the next waiting request goes in when one finishes.
A slot is a soft bound: a request still running after `slot_seconds` is taken to be waiting on
Slack or the database, not on Python, and lets the next one in, so a slow Slack call never
holds the queue for longer than that. A request that starts a Slack call gives its slot up at
once (`Slot`, through `bot.slack.clients.before_slack_calls`): holding it for the 50 ms let a
burst of requests that each ask Slack in twenty a second, and the rest of the burst was told
"too slow" while the machine stood idle. Everything else runs on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Requests doing Python and database work at once. SQLite writes one transaction at a time and
# answers in-process, so a second request would only share the interpreter; PostgreSQL answers
# over a socket, so a second request runs while the first waits for it.
SLOTS = {"sqlite": 1, "postgresql": 2}
# A request that has run this long is waiting on I/O; its slot goes to the next (seconds). A
# returning user's /logcontact takes about 4 ms.
SLOT_SECONDS = 0.05


class Slot:
    """The slot a request's work holds, for its own thread to give up (`give_up`) when it starts
    to wait on Slack; `Admission.hold_while` binds it (`bind`) to the slot's release on the
    loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._release: Callable[[], None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._given_up = False

    def give_up(self) -> None:
        """From any thread: let the next request in now. Later calls do nothing more."""
        with self._lock:
            if self._given_up:
                return
            self._given_up = True
            loop, release = self._loop, self._release
        if loop is not None and release is not None:
            # The loop is closed once the server has stopped: nothing waits for a slot then.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(release)

    def bind(self, loop: asyncio.AbstractEventLoop, release: Callable[[], None]) -> None:
        """Give the slot up by calling `release` on `loop` (from `Admission.hold_while`, on the
        loop's thread, once the work has started); called at once when the work gave up
        already, as it may have in its first moments."""
        with self._lock:
            self._loop, self._release = loop, release
            given_up = self._given_up
        if given_up:
            release()


class Admission:
    """At most `slots` requests at once, let in by order of arrival, each for at most
    `slot_seconds` of its run (see the module's docstring).

    Used on the event loop's thread alone, and so without a lock: `enter`, `hold_while` and the
    slot's release all run there; a dispatch thread reaches it only through `Slot.give_up`,
    which hands the release to the loop."""

    def __init__(self, slots: int, slot_seconds: float = SLOT_SECONDS) -> None:
        if slots < 1:
            raise ValueError("an admission needs at least one slot")
        self.slot_seconds = slot_seconds
        self._free = slots
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def free(self) -> int:
        """Slots no request holds now."""
        return self._free

    async def enter(self) -> None:
        """Wait for a slot, behind every request that came earlier. Cancelled while waiting
        (the request's deadline passed), it takes no slot."""
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._leave()  # let in just as the wait was given up: pass the slot on
            raise

    def hold_while(
        self, start: Callable[[], asyncio.Future[T]], slot: Slot | None = None
    ) -> asyncio.Future[T]:
        """Start the work (`start()`) in the slot `enter` gave, and keep the slot until the work
        is done, `slot_seconds` have passed, or the work gives up its `slot`, whichever comes
        first; then the next request waiting goes in. Returns the work's future, as `start`
        gave it. The slot is given back at once when `start` raises, and the error goes on."""
        try:
            work = start()
        except BaseException:
            self._leave()
            raise
        given_back = False

        def give_back(*_: object) -> None:
            nonlocal given_back
            if not given_back:
                given_back = True
                timer.cancel()
                self._leave()

        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.slot_seconds, give_back)
        work.add_done_callback(give_back)
        if slot is not None:
            slot.bind(loop, give_back)
        return work

    def _leave(self) -> None:
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():  # one given up while waiting is skipped
                turn.set_result(None)
                return
        self._free += 1
