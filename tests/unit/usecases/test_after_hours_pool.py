"""The after-hours check's own pool: a few threads and a bound on what waits, so that stalled
Slack look-ups never hold up the replies people wait for on `Services.background`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.rules.clock import SystemClock
from bot.slack.clients import LOOKUP_TIMEOUT_SECONDS, app_client, lookup_client
from bot.usecases.services import AFTER_HOURS_WAITING, AFTER_HOURS_WORKERS, BoundedPool, Services
from storage.db import Database

WAIT = 10.0  # seconds a test waits for a thread at most; it never needs them


@pytest.fixture
def services() -> Iterator[Services]:
    made = Services(Database("sqlite://"), SystemClock())
    yield made
    made.close()


def test_a_full_pool_refuses_more_and_takes_work_again_once_idle() -> None:
    pool = BoundedPool(2, 3, name="test")
    gate = threading.Event()
    try:
        assert all(pool.submit(lambda: gate.wait(WAIT)) for _ in range(5))
        assert not pool.submit(lambda: None)
        assert not pool.wait_until_idle(0)
        gate.set()
        assert pool.wait_until_idle(WAIT)
        ran = threading.Event()
        assert pool.submit(ran.set)
        assert pool.wait_until_idle(WAIT) and ran.is_set()
    finally:
        gate.set()
        pool.shutdown()


def test_a_failing_job_frees_its_place() -> None:
    pool = BoundedPool(1, 0, name="test")

    def fail() -> None:
        raise RuntimeError("boom")

    try:
        assert pool.submit(fail)
        assert pool.wait_until_idle(WAIT)
        assert pool.submit(lambda: None)
        assert pool.wait_until_idle(WAIT)
    finally:
        pool.shutdown()


def test_stalled_after_hours_work_does_not_hold_up_other_replies(services: Services) -> None:
    gate = threading.Event()
    try:
        for _ in range(AFTER_HOURS_WORKERS + 3):
            services.after_hours_later(gate.wait, WAIT)
        reply = services.background.submit(lambda: "Mute confirmed")
        # The reply goes out while every after-hours thread is still held.
        assert reply.result(timeout=WAIT) == "Mute confirmed"
        assert not services.after_hours_pool.wait_until_idle(0)
    finally:
        gate.set()
    assert services.after_hours_pool.wait_until_idle(WAIT)


def test_beyond_the_bound_a_message_is_skipped_with_one_line(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    gate = threading.Event()
    ran: list[int] = []
    try:
        with caplog.at_level(logging.WARNING, logger="bot.usecases.services"):
            for n in range(AFTER_HOURS_WORKERS + AFTER_HOURS_WAITING + 2):
                services.after_hours_later(lambda n=n: (gate.wait(WAIT), ran.append(n)))
    finally:
        gate.set()
    assert services.after_hours_pool.wait_until_idle(WAIT)
    assert len(ran) == AFTER_HOURS_WORKERS + AFTER_HOURS_WAITING
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    # Two skipped within the minute: one line, the count told with the next one after it.
    assert skipped == ["after-hours check skipped for 1 message(s): too many waiting for look-ups"]


def test_the_check_asks_slack_with_a_short_timeout_and_no_retries() -> None:
    client = app_client("xoxb-test", "http://127.0.0.1:9/api/")
    quick: WebClient = lookup_client(client)
    assert quick.timeout == LOOKUP_TIMEOUT_SECONDS < client.timeout
    assert quick.retry_handlers == [] and quick.base_url == client.base_url
    assert quick.token == client.token
