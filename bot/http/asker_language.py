"""The language of the answers the web layer gives on its own, when the database is too slow for
the request's own answer (or failed): the asker's, as the database holds it now.

A request that read its asker before it stalled knows their locale (`Deadline.asker_locale`).
One that stalled earlier (waiting for SQLite's write lock to record its signature, which every
command and interaction does first) knows nothing of them, and neither does this process for
certain: another worker may have saved their language a moment ago, and a new member's Slack
profile is saved after their first ack. So the web layer asks the database, in a read of its own
that waits for no writer (SQLite's readers do not wait for its write lock; PostgreSQL's never wait
for writers), bounded by `LOOKUP_SECONDS`. When even that cannot answer in time (the database
itself is stuck, or `LOOKUP_THREADS` lookups are waiting already), it falls back to what this
process remembers of the asker from earlier requests, and then to English.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from storage.db import Database
from storage.queries.members import preferred_locale_of

log = logging.getLogger(__name__)

# A lookup starts this long before the request's deadline, when the request has not read its
# asker by then, so that an answer given at the deadline has it; a read that waits for no writer
# takes about a millisecond.
LOOKUP_SECONDS = 0.2
# How long past the deadline an answer waits for a lookup that could not start before it (the
# request was answered early but cut short): the answer leaves within Slack's 3 s with room for
# the network. One that started before it is taken if it is in, and not waited for.
LATE_LOOKUP_SECONDS = 0.05
# Lookups at once: when the database hangs, more would only queue behind them.
LOOKUP_THREADS = 2
# People whose language is remembered, for when the database cannot be read either.
REMEMBERED_LOCALES = 10_000

# (Slack team id, Slack user id) of the person a request comes from.
Asker = tuple[str, str]


class AskerLocales:
    """The locale to answer an asker in without the request's own work: `of` (on the event
    loop, with a lookup started by `look_up` beforehand or now) and `of_now` (in a thread) take
    the database's answer, else what `remember` and `remember_changed` kept from earlier
    requests; None when neither knows (the answer is then in English)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._remembered: OrderedDict[Asker, str] = OrderedDict()  # least recent first
        self._lock = threading.Lock()
        self._lookups = ThreadPoolExecutor(LOOKUP_THREADS, thread_name_prefix="asker-language")
        self._free = threading.BoundedSemaphore(LOOKUP_THREADS)

    async def of(
        self, asker: Asker | None, looked_up: Future[str | None] | None, within: float
    ) -> str | None:
        """The database's answer to `looked_up` if it is in already, else the remembered locale
        (a lookup started a while ago and still out means the database is stuck); without one,
        the answer to a lookup started now if it comes within `within` seconds."""
        if looked_up is not None:
            return self._answer(asker, looked_up)
        looked_up = self.look_up(asker)
        if looked_up is not None:
            try:
                return await asyncio.wait_for(
                    asyncio.shield(asyncio.wrap_future(looked_up)), within
                )
            except (TimeoutError, LookupFailed):
                pass
            except asyncio.CancelledError:
                if not looked_up.cancelled():
                    raise  # this request itself was cancelled
        return self.remembered(asker)

    def _answer(self, asker: Asker | None, looked_up: Future[str | None]) -> str | None:
        """The lookup's answer if it came (a lookup cancelled at shutdown did not)."""
        if looked_up.done() and not looked_up.cancelled() and looked_up.exception() is None:
            return looked_up.result()
        return self.remembered(asker)

    def of_now(self, asker: Asker | None) -> str | None:
        """As `of`, for a thread, waiting `LOOKUP_SECONDS` at most."""
        looked_up = self.look_up(asker)
        if looked_up is not None:
            try:
                return looked_up.result(timeout=LOOKUP_SECONDS)
            except (FutureTimeout, FutureCancelled, LookupFailed):
                pass
        return self.remembered(asker)

    def remember(self, asker: Asker | None, locale: str | None) -> None:
        """Keep `locale` as the asker's, as a request that found them read it."""
        if asker is None or locale is None:
            return
        with self._lock:
            self._remembered[asker] = locale
            self._remembered.move_to_end(asker)
            if len(self._remembered) > REMEMBERED_LOCALES:
                self._remembered.popitem(last=False)

    def remember_changed(self, team: str | None, changed: dict[str, str]) -> None:
        """Keep the locales a request changed (a language chosen, a Slack profile read anew)
        over what was remembered of those people."""
        if team is None:
            return
        with self._lock:
            for user, locale in changed.items():
                if (team, user) in self._remembered:
                    self._remembered[(team, user)] = locale

    def remembered(self, asker: Asker | None) -> str | None:
        if asker is None:
            return None
        with self._lock:
            return self._remembered.get(asker)

    def close(self) -> None:
        self._lookups.shutdown(wait=False, cancel_futures=True)

    def look_up(self, asker: Asker | None) -> Future[str | None] | None:
        """Start reading the asker's locale from the database: its answer on its way, or None
        when there is no asker or every lookup thread is taken (by lookups the database has not
        answered)."""
        if asker is None or not self._free.acquire(blocking=False):
            return None
        try:
            looked_up = self._lookups.submit(self._read, asker)
        except RuntimeError:  # shut down
            self._free.release()
            return None
        looked_up.add_done_callback(lambda _: self._free.release())
        return looked_up

    def _read(self, asker: Asker) -> str | None:
        try:
            with self.db.reading() as session:
                locale = preferred_locale_of(session, *asker)
        except Exception as error:
            # The database is what failed the request: say which kind of failure, nothing more.
            log.info("could not read an asker's language: %s", type(error).__name__)
            raise LookupFailed from error
        self.remember(asker, locale)
        return locale


class LookupFailed(Exception):
    """The database did not answer the lookup."""
