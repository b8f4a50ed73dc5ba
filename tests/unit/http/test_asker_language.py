"""The asker's language for the web layer's own answers: the database's when it answers within
`LOOKUP_SECONDS`, else what this process remembered, and never a queue of lookups behind a
database that does not answer."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import OperationalError

from bot.http import asker_language
from bot.http.admission import Admission
from bot.http.asker_language import LOOKUP_SECONDS, LOOKUP_THREADS, AskerLocales
from bot.http.endpoint import _by_deadline
from storage.db import Database
from storage.deadline import Deadline
from storage.queries.members import save_member, workspace_for

TEAM = "T0LOCALES"
JONAS = (TEAM, "U0JONAS")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def locales(db: Database) -> Iterator[AskerLocales]:
    kept = AskerLocales(db)
    yield kept
    kept.close()


def save_jonas(db: Database, *, locale: str, language: str | None = None) -> None:
    """Jonas as a member, with his Slack `locale` and the `language` he chose, if any."""
    with db.transaction() as session:
        workspace = workspace_for(session, TEAM, NOW)
        member = save_member(session, workspace.id, JONAS[1], NOW, locale=locale)
        member.language = language


def test_the_database_s_language_wins_over_what_was_remembered(locales: AskerLocales) -> None:
    save_jonas(locales.db, locale="de-DE", language="en")
    locales.remember(JONAS, "de-DE")  # what this process saw before he chose English

    assert locales.of_now(JONAS) == "en"
    assert asyncio.run(locales.of(JONAS, None, LOOKUP_SECONDS)) == "en"
    assert locales.remembered(JONAS) == "en"  # and it is remembered from now on


def test_somebody_rapport_has_not_met_has_no_language(locales: AskerLocales) -> None:
    assert locales.of_now(JONAS) is None
    assert locales.of_now(None) is None


def test_a_database_that_does_not_answer_leaves_the_remembered_language_without_a_queue(
    locales: AskerLocales, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = threading.Event()
    calls: list[tuple[str, str]] = []

    def hanging(_session: object, team: str, user: str) -> str | None:
        calls.append((team, user))
        answer.wait(10)
        return "en"

    monkeypatch.setattr(asker_language, "preferred_locale_of", hanging)
    locales.remember(JONAS, "de-DE")
    try:
        for _ in range(LOOKUP_THREADS + 3):
            assert locales.of_now(JONAS) == "de-DE"
        assert asyncio.run(locales.of(JONAS, None, LOOKUP_SECONDS)) == "de-DE"
        # Only as many lookups as threads went to the database; the rest did not wait behind.
        assert len(calls) == LOOKUP_THREADS
    finally:
        answer.set()


def test_a_database_that_fails_leaves_the_remembered_language_and_logs_no_one(
    locales: AskerLocales, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(_session: object, team: str, user: str) -> str | None:
        raise OperationalError("SELECT … U0JONAS", {"user": user}, Exception("gone"))

    monkeypatch.setattr(asker_language, "preferred_locale_of", failing)
    locales.remember(JONAS, "de-DE")

    with caplog.at_level(logging.INFO):
        assert locales.of_now(JONAS) == "de-DE"
        assert asyncio.run(locales.of(JONAS, None, LOOKUP_SECONDS)) == "de-DE"

    assert "U0JONAS" not in caplog.text and TEAM not in caplog.text
    assert "OperationalError" in caplog.text


def test_a_language_changed_by_a_request_replaces_only_what_was_remembered(
    locales: AskerLocales,
) -> None:
    locales.remember(JONAS, "de-DE")
    locales.remember_changed(TEAM, {"U0JONAS": "en", "U0OTHER": "de"})

    assert locales.remembered(JONAS) == "en"
    assert locales.remembered((TEAM, "U0OTHER")) is None


def test_a_request_still_waiting_shortly_before_its_deadline_starts_the_lookup_then() -> None:
    deadline = Deadline(LOOKUP_SECONDS + 0.3)
    started_with: list[float] = []

    async def wait_past_the_deadline() -> None:
        with pytest.raises(TimeoutError):
            await _by_deadline(
                asyncio.Event().wait(), deadline, lambda: started_with.append(deadline.remaining())
            )

    asyncio.run(wait_past_the_deadline())

    assert len(started_with) == 1
    assert 0 < started_with[0] <= LOOKUP_SECONDS  # started before the deadline, not after
    assert deadline.remaining() == 0  # the wait itself still ended at the deadline


def test_a_request_answered_early_looks_nothing_up() -> None:
    deadline = Deadline(LOOKUP_SECONDS + 0.3)
    started: list[bool] = []

    async def answered() -> str:
        return "answer"

    async def wait() -> str:
        return await _by_deadline(answered(), deadline, lambda: started.append(True))

    assert asyncio.run(wait()) == "answer"
    assert started == []


def test_a_request_cancelled_while_waiting_for_admission_takes_no_slot() -> None:
    """Cancelled before the lookup's moment (the early wait is shielded, for the lookup's
    sake), the wait for admission is cancelled too, as a plain `wait_for` would cancel it: let
    in later, it would hold a slot that nobody gives back."""
    admission = Admission(1)
    deadline = Deadline(LOOKUP_SECONDS + 5)

    async def cancelled_while_waiting() -> int:
        await admission.enter()  # another request holds the only slot
        waiting = asyncio.ensure_future(_by_deadline(admission.enter(), deadline, lambda: None))
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        admission._leave()  # the other request is done
        await asyncio.sleep(0.01)
        return admission.free

    assert asyncio.run(cancelled_while_waiting()) == 1


def test_a_lookup_started_before_the_deadline_is_taken_if_in_and_never_waited_for(
    locales: AskerLocales,
) -> None:
    locales.remember(JONAS, "de-DE")
    answered: Future[str | None] = Future()
    answered.set_result("en")
    still_out: Future[str | None] = Future()  # the database is stuck: it never answers

    assert asyncio.run(locales.of(JONAS, answered, within=10)) == "en"
    started = time.monotonic()
    assert asyncio.run(locales.of(JONAS, still_out, within=10)) == "de-DE"
    assert time.monotonic() - started < 1  # not the 10 s it was allowed


def test_a_lookup_cancelled_at_shutdown_leaves_the_remembered_language(
    locales: AskerLocales,
) -> None:
    locales.remember(JONAS, "de-DE")
    cancelled: Future[str | None] = Future()
    cancelled.cancel()

    assert asyncio.run(locales.of(JONAS, cancelled, within=10)) == "de-DE"
