"""A question's button carries its waiting text's id, a slot and a reading: a value changed on
its way (a slot no question asks about, an id no row can have, a day nobody offered) logs
nothing it did not offer and never makes the database fail; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from storage.models import PendingCommand
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.rows import Interaction, Partner, count

FAILED = ("went wrong", "unexpected", "schiefgegangen", "unerwartet")


@pytest.mark.parametrize(
    "forged",
    [
        "partner|p999999999999999999:0",
        "partner|p2147483648:0",
        "partner|p0:0",
        "partner|p1:99",
        "partner|" + "x" * 1500,
        "when|0001-01-01",
        "when|2027-02-30",
    ],
)
@pytest.mark.parametrize("user", ["U0ALICE", "U0JONAS"])
def test_a_forged_reading_logs_nothing_it_was_not_offered(
    rapport: RunningRapport, forged: str, user: str
) -> None:
    known(rapport, user)
    found = buttons(rapport.command("Zorblax", user=user).reply())
    create = next(value for label, value in found.items() if label not in ("Cancel", "Abbrechen"))
    pending = create["value"].split("|")[0]

    answer = texts(rapport.click(create["action_id"], f"{pending}|{forged}", user=user).later())

    assert not any(word in answer.lower() for word in FAILED), answer
    assert count(rapport.db, Interaction) == 0 and count(rapport.db, Partner) == 0


@pytest.mark.parametrize("slot", ["zzz", "due ", "Partner", "note"])
def test_an_answer_for_a_slot_no_question_asks_about_is_not_taken(
    rapport: RunningRapport, slot: str
) -> None:
    known(rapport, "U0ALICE")
    create = buttons(rapport.command("Zorblax").reply())["New partner Zorblax"]
    pending = create["value"].split("|")[0]

    forged = texts(rapport.click(create["action_id"], f"{pending}|{slot}|new").later())
    real = texts(rapport.click(create["action_id"], create["value"]).later())

    assert "answered already or is more than an hour old" in forged
    assert "Logged your contact with *Zorblax*" in real
    assert count(rapport.db, Interaction) == 1 and count(rapport.db, PendingCommand) == 0
