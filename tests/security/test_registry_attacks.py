"""Forgetting a partner, attacked through what other rows still remember of it: the Undo of an
Edit keeps, on the contact, what it was before the edit (`interactions.before_edit`), partner
and note included. A contact moved away from a partner that is later forgotten must not keep
that partner's note, nor let Undo bring the contact back to a partner of the same id (SQLite
gives a new row the largest id again once it is free). Signed HTTP against the running app, on
SQLite and PostgreSQL, in English and German."""

from __future__ import annotations

import pytest

from storage.models import Interaction, Partner
from tests.scenarios.test_partner_registry import SECRETS, ask_to_forget, press, texts_holding
from tests.scenarios.test_undo_edit import edited, logged, undo
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.rows import all_of

ALICE, JONAS = "U0ALICE", "U0JONAS"  # Jonas's Slack is in German


def partner_named(rapport: RunningRapport, name: str) -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == name)


def forget(rapport: RunningRapport, name: str, user: str) -> None:
    question = ask_to_forget(rapport, f"forget {name}", user)
    [label] = [b for b in buttons(question) if b not in ("Cancel", "Abbrechen")]
    assert name in texts(press(rapport, question, label, user))


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_a_contact_moved_away_from_a_forgotten_partner_keeps_nothing_of_it(
    rapport: RunningRapport, user: str
) -> None:
    """The contact's edit history kept the forgotten partner's id, its note and its promise's
    words; Undo then moved the contact to whichever partner took that id next."""
    logged(rapport, "Globex call kickoff", user)
    summary = logged(
        rapport, "Quorvexo call the Zyxwv rollout promise: send the quote by Friday", user
    )
    globex = partner_named(rapport, "Globex")
    after_edit = edited(rapport, summary, user, partner_id=globex.id, note="pricing")
    forgotten = partner_named(rapport, "Quorvexo")

    forget(rapport, "Quorvexo", user)

    assert texts_holding(rapport.db, SECRETS) == []
    # A new partner may take the freed id (SQLite does); Undo must not move the contact to it.
    logged(rapport, "Initech call kickoff", user)
    initech = partner_named(rapport, "Initech")
    moved = max(all_of(rapport.db, Interaction), key=lambda i: i.id if i.note == "pricing" else 0)
    undo(rapport, after_edit, user)
    contact = next(i for i in all_of(rapport.db, Interaction) if i.id == moved.id)
    assert contact.partner_id == globex.id, (forgotten.id, initech.id)
    assert contact.note == "pricing"
