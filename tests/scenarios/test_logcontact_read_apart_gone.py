"""Siblings of `test_logcontact_read_apart`: the partner a common `/logcontact` read goes away
in other ways before the command's write (merged into another, removed with the contact that
created it being undone, forgotten while the text carries a promise), and the asker's language
or zone changes in the gap. Each read-apart answer is compared with the one a single process
gives the same text once the change is made, and the rows with what that single process
keeps; the drift check stays clean. On SQLite alone, over signed HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from storage.models import Interaction, Member, Partner, PendingCommand, Promise
from storage.queries.health.drift import drift
from tests.support.app import ALICE, RunningRapport, known
from tests.support.blocks import buttons
from tests.support.read_apart import (
    ON_SQLITE,
    as_one_process,
    between_read_and_write,
    forget_every_partner,
)


@pytest.fixture
def rapport(rapport: RunningRapport) -> RunningRapport:
    """The app told its file is shared, as each worker is."""
    rapport.db.share_with_processes()
    assert rapport.db.reads_apart
    return rapport


TEXT = "Acme call pricing promise: send the deck by Friday"


def _press(rapport: RunningRapport, message: dict[str, Any], label: str) -> dict[str, Any]:
    button = buttons(message)[label]
    return rapport.click(button["action_id"], button["value"]).later()


def _rows(rapport: RunningRapport) -> tuple[list[tuple[str, str]], list[str], int]:
    """The contacts (note, partner's name), the promises' texts, and the questions waiting;
    with the drift check asserted clean."""
    with rapport.db.reading() as session:
        names = dict(session.execute(select(Partner.id, Partner.name)).all())
        contacts = session.scalars(select(Interaction).order_by(Interaction.id)).all()
        promises = session.scalars(select(Promise.text).order_by(Promise.id)).all()
        waiting = len(session.scalars(select(PendingCommand)).all())
        assert list(drift(session)) == []
        return [(c.note, names[c.partner_id]) for c in contacts], list(promises), waiting


def _merge(rapport: RunningRapport, absorbed: str, into: str) -> None:
    """`/rapport merge ABSORBED into INTO`, and its button pressed."""
    question = rapport.command(f"merge {absorbed} into {into}", command="/rapport").reply()
    assert f"Merge into {into}" in buttons(question), question
    # The press's use case itself: a click's work runs after its ack, which the command
    # waiting in the gap would keep from running.
    value = buttons(question)[f"Merge into {into}"]["value"]
    done = rapport.services.partner_merging.merge("T0ACME", ALICE, value)
    assert f"Merged *{absorbed}*" in str(done), done


@ON_SQLITE
def test_a_partner_merged_into_another_between_the_read_and_the_write(
    rapport: RunningRapport,
) -> None:
    """Acme is merged into Globex once the command has read it: nothing is written for the
    row that went, and the text gets the answer one process gives once Acme is merged away."""
    known(rapport)
    rapport.command("Globex call setup").reply()
    rapport.command('"Acme" call kickoff').reply()
    with between_read_and_write(rapport, lambda: _merge(rapport, "Acme", "Globex")):
        read_apart = rapport.command(TEXT).reply()
    assert "no longer in this workspace's list" not in str(read_apart)
    # Acme's kickoff went to Globex; the pricing call made a new Acme, once, with its promise.
    assert _rows(rapport) == (
        [("setup", "Globex"), ("kickoff", "Globex"), ("pricing", "Acme")],
        ["send the deck"],
        0,
    )

    # One process, the same text, the new Acme merged away before it came.
    _merge(rapport, "Acme", "Globex")
    one_process = as_one_process(rapport, TEXT)
    assert read_apart["text"] == one_process["text"]


@ON_SQLITE
def test_a_partner_removed_by_undoing_the_contact_that_created_it_between_the_read_and_the_write(
    rapport: RunningRapport,
) -> None:
    """The contact that created Acme is undone once the command has read Acme (which removes
    Acme): the pricing call creates Acme anew, once, as one process would."""
    known(rapport)
    rapport.command('"Acme" call kickoff').reply()
    with rapport.db.reading() as session:
        kickoff = session.scalars(select(Interaction.id)).one()

    def undo() -> None:
        # The press's use case itself, as for the merge above.
        undone = rapport.services.logcontact.undo("T0ACME", ALICE, kickoff)
        assert "Undone" in str(undone), undone

    with between_read_and_write(rapport, undo):
        read_apart = rapport.command(TEXT).reply()
    assert _rows(rapport) == ([("pricing", "Acme")], ["send the deck"], 0)

    # One process: Acme created by a contact that is undone, then the same text.
    again = rapport.command("Acme call kickoff").reply()
    assert "Undone" in str(_press(rapport, again, "Undo"))
    one_process = as_one_process(rapport, TEXT)
    assert read_apart["text"] == one_process["text"]


@ON_SQLITE
def test_a_partner_forgotten_between_the_read_and_the_write_keeps_one_contact_and_one_promise(
    rapport: RunningRapport,
) -> None:
    """Forgotten in the gap, the text carrying a promise (ours and then theirs): the text read
    anew logs one contact and one promise for the new Acme, nothing for the old one."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    with between_read_and_write(rapport, lambda: forget_every_partner(rapport)):
        rapport.command(TEXT).reply()
    assert _rows(rapport) == ([("pricing", "Acme")], ["send the deck"], 0)
    theirs = "Acme call terms they promised: the signed contract by Friday"
    with between_read_and_write(rapport, lambda: forget_every_partner(rapport)):
        reply = rapport.command(theirs).reply()
    assert "Logged" in reply["text"], reply
    assert _rows(rapport) == ([("terms", "Acme")], ["the signed contract"], 0)


@ON_SQLITE
def test_a_language_chosen_between_the_read_and_the_write_is_the_answers_language(
    rapport: RunningRapport,
) -> None:
    """The asker chooses German (through another worker) once the command has read them in
    English: the contact is written after that choice, so it is answered in German, as one
    process answers a command that comes after it; and logged once."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()

    def choose_german() -> None:
        assert "gespeichert" in str(rapport.command("settings language de").reply())

    with between_read_and_write(rapport, choose_german):
        read_apart = rapport.command(TEXT).reply()
    assert _rows(rapport) == ([("kickoff", "Acme"), ("pricing", "Acme")], ["send the deck"], 0)

    # One process, the same text after the same choice (the pricing call undone first).
    with rapport.db.reading() as session:
        pricing = session.scalars(select(Interaction.id).order_by(Interaction.id)).all()[-1]
    assert "Rückgängig" in str(rapport.services.logcontact.undo("T0ACME", ALICE, pricing))
    one_process = as_one_process(rapport, TEXT)
    assert read_apart["text"] == one_process["text"]


@ON_SQLITE
def test_a_zone_changed_between_the_read_and_the_write_dates_the_contact_in_the_new_one(
    rapport: RunningRapport,
) -> None:
    """Slack says meanwhile that the asker is now in Auckland (their profile read anew): the
    contact is dated, and answered, in the new zone, as one process dates a command that
    comes after the change."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()

    def moved_to_auckland() -> None:
        with rapport.db.transaction() as session:
            alice = Member.slack_user_id == ALICE
            session.execute(update(Member).where(alice).values(tz="Pacific/Auckland"))

    text = "Acme call 10:00 pricing"
    with between_read_and_write(rapport, moved_to_auckland):
        read_apart = rapport.command(text).reply()
    with rapport.db.reading() as session:
        first = session.scalars(select(Interaction).order_by(Interaction.id)).all()[-1]
        read_apart_at = (first.occurred_at, first.id)

    assert "Undone" in str(rapport.services.logcontact.undo("T0ACME", ALICE, first.id))
    one_process = as_one_process(rapport, text)
    with rapport.db.reading() as session:
        second = session.scalars(select(Interaction).order_by(Interaction.id)).all()[-1]
        assert list(drift(session)) == []
    assert read_apart_at[0] == second.occurred_at
    assert read_apart["text"] == one_process["text"]
