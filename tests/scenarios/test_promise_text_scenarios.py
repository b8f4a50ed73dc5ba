"""A promise logged with relative words reads right on every later day: in the reply, in the
nudge DMs days later, in the "Need more time" heads-up for the partner and in the Edit form.
Over signed HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.nudges import (
    at_berlin,
    current,
    dms,
    items_in,
    jobs_for,
    press,
    the_promise,
    travel,
)
from tests.support.rows import Promise, all_of, only


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def shown(message: dict[str, Any]) -> str:
    return str(message["blocks"]).replace("\u202f", " ") + "\n" + message["text"]


def test_uebermorgen_reads_right_in_the_dm_days_later_and_in_the_heads_up(
    rapport, clock, slack, jobs
) -> None:
    """Logged on Wednesday 25 November: "übermorgen" is Friday 27th. A week later the overdue
    DM and the heads-up for the partner must not say "übermorgen" (Thursday 3 December)."""
    reply = rapport.command("Acme Anruf Zusage: Muster übermorgen schicken", user="U0JONAS").reply()
    assert "Muster schicken" in texts(reply) and "übermorgen" not in texts(reply)
    promise = the_promise(rapport)
    assert (promise.text, promise.due_on) == ("Muster schicken", date(2026, 11, 27))

    travel(clock, jobs, at_berlin(2026, 12, 1, 10, 0))
    jonas = dms(slack, "U0JONAS")
    overdue = [m for _, m in jonas if ("promise", promise.id) in items_in(m)]
    assert overdue, "the promise was nudged"
    for message in overdue:
        assert "Muster schicken" in shown(message)
        assert "übermorgen" not in shown(message)

    message = current(slack, overdue[-1])
    press(
        rapport,
        message,
        "promise",
        promise.id,
        "nudge_more_time",
        selected_date="2026-12-11",
        user="U0JONAS",
    )
    updated = shown(current(slack, message))
    assert "für „Muster schicken“ brauche ich etwas mehr Zeit" in updated
    assert "übermorgen" not in updated
    assert the_promise(rapport).due_on == date(2026, 12, 11)


def test_tomorrow_morning_in_english_is_gone_from_the_heads_up_a_week_later(
    rapport, clock, slack, jobs
) -> None:
    rapport.command("Acme call promise: call back tomorrow morning").reply()
    promise = the_promise(rapport)
    assert (promise.text, promise.due_on) == ("call back", date(2026, 11, 26))

    travel(clock, jobs, at_berlin(2026, 12, 2, 10, 0))
    [*_, (_, message)] = [(at, m) for at, m in dms(slack) if ("promise", promise.id) in items_in(m)]
    assert "tomorrow" not in shown(message)
    press(rapport, current(slack, message), "promise", promise.id, "nudge_more_time",
          selected_date="2026-12-09")  # fmt: skip
    assert "I need a little more time for “call back”" in shown(current(slack, message))


def test_a_promise_that_is_only_a_date_keeps_the_date_as_its_text(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme Treffen Zusage: bis Freitag", user="U0JONAS").reply()
    assert "Erfasst" in reply["text"]
    assert (only(rapport.db, Promise).text, only(rapport.db, Promise).due_on) == (
        "bis 2026-11-27",
        date(2026, 11, 27),
    )


def test_editing_a_contact_keeps_the_due_day_of_a_promise_whose_words_were_cut(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call promise: send the deck by next Tuesday").reply()
    edit = buttons(reply)["Edit"]
    rapport.click(edit["action_id"], edit["value"])
    view = rapport.slack.views()[-1]
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert form["promise"]["initial_value"] == "send the deck"
    assert form["due"]["initial_date"] == "2026-12-01"

    answer = rapport.submit(view, state_from(view, note="deck agreed"))

    assert answer.status == 200 and answer.body == ""
    stored = only(rapport.db, Promise)
    assert (stored.text, stored.due_on) == ("send the deck", date(2026, 12, 1))


def test_the_date_written_for_the_due_day_follows_need_more_time_and_the_heads_up(
    rapport, clock, slack, jobs
) -> None:
    """Logged on Wednesday 25 November: "am Montag oder Dienstag" is due Monday 30th; cutting
    "am Montag" would leave "Muster schicken oder Dienstag", so both days are written as dates.
    Moved to 11 December, the date written for the due day moves with it: the heads-up must not
    promise the partner 30 November and 11 December at once."""
    rapport.command(
        "Acme Anruf Zusage: Muster schicken am Montag oder Dienstag", user="U0JONAS"
    ).reply()
    promise = the_promise(rapport)
    assert (promise.text, promise.due_on) == (
        "Muster schicken am 2026-11-30 oder 2026-12-01",
        date(2026, 11, 30),
    )

    travel(clock, jobs, at_berlin(2026, 12, 1, 10, 0))
    [*_, message] = [m for _, m in dms(slack, "U0JONAS") if ("promise", promise.id) in items_in(m)]
    assert "Muster schicken am 2026-11-30 oder 2026-12-01" in shown(message)
    assert "oder Dienstag" not in shown(message)
    press(rapport, current(slack, message), "promise", promise.id, "nudge_more_time",
          selected_date="2026-12-11", user="U0JONAS")  # fmt: skip
    assert the_promise(rapport).text == "Muster schicken am 2026-12-11 oder 2026-12-01"
    updated = shown(current(slack, message))
    assert "für „Muster schicken am 2026-12-11 oder 2026-12-01“ brauche ich" in updated
    assert "2026-11-30" not in updated


def test_editing_the_due_day_moves_the_date_written_for_it(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call promise: call about the Friday delivery").reply()
    assert only(rapport.db, Promise).text == "call about the 2026-11-27 delivery"
    edit = buttons(reply)["Edit"]
    rapport.click(edit["action_id"], edit["value"])
    view = rapport.slack.views()[-1]

    answer = rapport.submit(view, state_from(view, due="2026-12-04"))

    assert answer.status == 200 and answer.body == ""
    stored = only(rapport.db, Promise)
    assert (stored.text, stored.due_on) == ("call about the 2026-12-04 delivery", date(2026, 12, 4))


def test_editing_keeps_a_date_the_text_holds_for_another_day(rapport) -> None:
    known(rapport)
    reply = rapport.command(
        "Acme call promise: call tomorrow, then send the deck by Friday"
    ).reply()
    assert only(rapport.db, Promise).text == "call 2026-11-26, then send the deck"
    edit = buttons(reply)["Edit"]
    rapport.click(edit["action_id"], edit["value"])
    view = rapport.slack.views()[-1]
    rapport.submit(view, state_from(view, due="2026-12-04"))
    stored = only(rapport.db, Promise)
    assert (stored.text, stored.due_on) == (
        "call 2026-11-26, then send the deck",
        date(2026, 12, 4),
    )


def test_a_promise_that_is_only_a_date_reads_as_a_promise_in_the_dms(
    rapport, clock, slack, jobs
) -> None:
    """ "bis Freitag" is kept as "bis 2026-11-27"; the DMs say "Eine Zusage an Acme", the
    other open promises "eine Zusage", and the heads-up what was promised, not the date."""
    reply = rapport.command("Acme Treffen Zusage: bis Freitag", user="U0JONAS").reply()
    assert "2026-11-27" not in texts(reply)
    rapport.command("Acme Anruf Zusage: Muster bis Montag schicken", user="U0JONAS").reply()
    only_date, samples = sorted(all_of(rapport.db, Promise), key=lambda p: p.due_on)
    assert only_date.text == "bis 2026-11-27"

    travel(clock, jobs, at_berlin(2026, 11, 30, 10, 0))
    [*_, message] = [m for _, m in dms(slack, "U0JONAS") if ("promise", samples.id) in items_in(m)]
    assert "Unsere offenen Zusagen an den Partner: eine Zusage (*überfällig* seit" in shown(message)
    assert "2026-11-27" not in shown(message)
    [*_, message] = [
        m for _, m in dms(slack, "U0JONAS") if ("promise", only_date.id) in items_in(m)
    ]
    assert "Eine Zusage (an *Acme*)" in shown(message)
    press(rapport, current(slack, message), "promise", only_date.id, "nudge_more_time",
          selected_date="2026-12-09", user="U0JONAS")  # fmt: skip
    updated = shown(current(slack, message))
    assert "für das, was ich Ihnen zugesagt habe, brauche ich etwas mehr Zeit" in updated
    assert "2026-11-27" not in updated and "2026-12-09" not in updated
    moved = next(p for p in all_of(rapport.db, Promise) if p.id == only_date.id)
    assert (moved.text, moved.due_on) == ("bis 2026-12-09", date(2026, 12, 9))


def test_an_english_promise_that_is_only_a_date_reads_as_a_promise(
    rapport, clock, slack, jobs
) -> None:
    rapport.command("Acme call promise: by Friday at the latest").reply()
    promise = the_promise(rapport)
    assert promise.text == "by 2026-11-27 at the latest"
    travel(clock, jobs, at_berlin(2026, 11, 27, 10, 0))
    [*_, (_, message)] = [(at, m) for at, m in dms(slack) if ("promise", promise.id) in items_in(m)]
    assert "A promise (to *Acme*): *due today*." in shown(message)
    assert "2026-11-27" not in shown(message)
    press(rapport, current(slack, message), "promise", promise.id, "nudge_more_time",
          selected_date="2026-12-09")  # fmt: skip
    assert "I need a little more time for what I promised you" in shown(current(slack, message))


def test_other_dates_in_a_promise_are_kept_as_the_days_they_named(rapport) -> None:
    """Logged on Wednesday 25 November: "by Friday, by Monday" is due Monday 30th, and the
    Friday it also names is the 27th, written so; "latest" goes with the due words."""
    known(rapport)
    rapport.command("Acme call promise: by Friday, by Monday").reply()
    rapport.command(
        "Acme Anruf Zusage: morgen Angebot anrufen, Muster bis Montag spätestens"
    ).reply()
    rapport.command("Acme call promise: send the quote on 12/15 latest").reply()
    stored = sorted((p.text, p.due_on) for p in all_of(rapport.db, Promise))
    assert stored == [
        ("2026-11-26 Angebot anrufen, Muster", date(2026, 11, 30)),
        ("by 2026-11-27", date(2026, 11, 30)),
        ("send the quote", date(2026, 12, 15)),
    ]


def test_need_more_time_leaves_a_date_that_names_the_due_day_for_something_else(
    rapport, clock, slack, jobs
) -> None:
    """Logged on Wednesday 25 November: "Protokoll vom 27.11." is the minutes of the 27th, and
    the promise is due the same day. Moved to 11 December, the minutes stay those of the 27th,
    in the stored text and in the heads-up for the partner."""
    rapport.command(
        "Acme Anruf Zusage: Protokoll vom 27.11. schicken, spätestens Freitag", user="U0JONAS"
    ).reply()
    promise = the_promise(rapport)
    kept = "Protokoll vom 2026-11-27 schicken, spätestens 2026-11-27"
    assert (promise.text, promise.due_on) == (kept, date(2026, 11, 27))

    travel(clock, jobs, at_berlin(2026, 11, 30, 10, 0))
    [*_, message] = [m for _, m in dms(slack, "U0JONAS") if ("promise", promise.id) in items_in(m)]
    press(rapport, current(slack, message), "promise", promise.id, "nudge_more_time",
          selected_date="2026-12-11", user="U0JONAS")  # fmt: skip

    assert (the_promise(rapport).text, the_promise(rapport).due_on) == (kept, date(2026, 12, 11))
    updated = shown(current(slack, message))
    assert "Protokoll vom 2026-11-27" in updated
    assert "Protokoll vom 2026-12-11" not in updated
