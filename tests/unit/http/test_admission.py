"""Requests are let into the dispatch threads a few at a time, oldest first, and a request
that runs long gives its slot up."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from bot.http.admission import Admission, Slot

# Long enough that no slot times out while a test runs, short of the tests that want it to.
NEVER = 3600.0


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(test())


async def settle() -> None:
    """Let every callback and task that is ready run (no wall-clock time passes)."""
    for _ in range(5):
        await asyncio.sleep(0)


async def one_slot_held(
    slot_seconds: float = NEVER, slot: Slot | None = None
) -> tuple[Admission, asyncio.Future[None]]:
    """An admission of one slot, taken by work still running: the work's future, for the test to
    finish, and `slot` (when given) for it to give up."""
    admission = Admission(1, slot_seconds)
    work: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    await admission.enter()
    admission.hold_while(lambda: work, slot)
    return admission, work


async def assert_one_slot_in_all(admission: Admission) -> None:
    """The one slot is free, and it is the only one: a second request after it waits."""
    await admission.enter()
    third = asyncio.create_task(admission.enter())
    await settle()
    assert not third.done()  # one slot, taken: the third waits
    third.cancel()


def test_no_more_requests_run_at_once_than_there_are_slots() -> None:
    async def scenario() -> None:
        admission = Admission(2, NEVER)
        entered: list[int] = []

        async def request(n: int) -> None:
            await admission.enter()
            entered.append(n)

        tasks = [asyncio.create_task(request(n)) for n in range(4)]
        await settle()
        assert entered == [0, 1]
        for task in tasks:
            task.cancel()

    run(scenario)


def test_the_request_that_came_first_goes_in_next() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        admission = Admission(1, NEVER)
        works = [loop.create_future() for _ in range(4)]
        entered: list[int] = []

        async def request(n: int) -> None:
            await admission.enter()
            entered.append(n)
            admission.hold_while(lambda: works[n])

        tasks = []
        for n in range(4):  # arriving one after the other
            tasks.append(asyncio.create_task(request(n)))
            await settle()
        assert entered == [0]
        for n in range(3):
            works[n].set_result(None)
            await settle()
            assert entered == list(range(n + 2))
        await asyncio.gather(*tasks)

    run(scenario)


def test_a_request_past_its_slot_time_lets_the_next_one_in_while_it_still_runs() -> None:
    async def scenario() -> None:
        admission, waiting_on_slack = await one_slot_held(slot_seconds=0.0)  # never done here

        second = asyncio.create_task(admission.enter())
        await settle()

        assert second.done()
        assert not waiting_on_slack.done()

    run(scenario)


def test_a_slot_given_back_twice_counts_once() -> None:
    async def scenario() -> None:
        admission, work = await one_slot_held(slot_seconds=0.0)
        await settle()  # the slot's time is up: given back
        work.set_result(None)  # and the work ends: not given back again
        await settle()

        await assert_one_slot_in_all(admission)

    run(scenario)


def test_a_request_whose_deadline_passed_while_waiting_takes_no_slot() -> None:
    async def scenario() -> None:
        admission, first_work = await one_slot_held()

        gave_up = asyncio.create_task(admission.enter())
        await settle()  # waiting in line
        gave_up.cancel()  # as the web layer's wait for the deadline does
        await settle()
        later = asyncio.create_task(admission.enter())
        await settle()
        assert not later.done()

        first_work.set_result(None)
        await settle()
        assert later.done()  # the slot went past the one that gave up, to the next

    run(scenario)


def test_a_request_let_in_just_as_it_gave_up_passes_the_slot_on() -> None:
    async def scenario() -> None:
        admission, first_work = await one_slot_held()
        giving_up = asyncio.create_task(admission.enter())
        behind = asyncio.create_task(admission.enter())
        await settle()

        first_work.set_result(None)  # the slot is handed to `giving_up`…
        await asyncio.sleep(0)
        giving_up.cancel()  # …which is cancelled before it runs again
        await settle()

        assert giving_up.cancelled()
        assert behind.done()

    run(scenario)


def test_work_that_fails_to_start_gives_its_slot_back() -> None:
    async def scenario() -> None:
        admission = Admission(1, NEVER)
        await admission.enter()

        def refused() -> asyncio.Future[None]:
            raise RuntimeError("cannot schedule new futures after shutdown")

        with pytest.raises(RuntimeError):
            admission.hold_while(refused)
        next_one = asyncio.create_task(admission.enter())
        await settle()
        assert next_one.done()

    run(scenario)


def test_an_admission_without_slots_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one slot"):
        Admission(0)


def test_work_that_starts_waiting_on_slack_lets_the_next_one_in_at_once() -> None:
    async def scenario() -> None:
        slot = Slot()
        admission, work = await one_slot_held(slot=slot)
        next_one = asyncio.create_task(admission.enter())
        await settle()
        assert not next_one.done()

        calling_slack = threading.Thread(target=slot.give_up)  # the work's own thread
        calling_slack.start()
        calling_slack.join()
        await settle()

        assert next_one.done()
        assert not work.done()

    run(scenario)


def test_a_slot_given_up_before_the_work_was_bound_to_it_is_given_back() -> None:
    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        admission = Admission(1, NEVER)
        work = loop.create_future()
        slot = Slot()
        await admission.enter()

        def start() -> asyncio.Future[None]:
            slot.give_up()  # the thread called Slack before `hold_while` was through
            return work

        admission.hold_while(start, slot)
        next_one = asyncio.create_task(admission.enter())
        await settle()

        assert next_one.done()

    run(scenario)


def test_a_slot_given_up_and_then_done_counts_once() -> None:
    async def scenario() -> None:
        slot = Slot()
        admission, work = await one_slot_held(slot=slot)
        slot.give_up()
        slot.give_up()  # a second Slack call
        await settle()
        work.set_result(None)
        await settle()

        await assert_one_slot_in_all(admission)  # the one slot, given back once

    run(scenario)
