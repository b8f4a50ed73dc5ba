"""Presses that change one contact at the same moment are served one after the other: twelve
Undo presses undo it once and tell the others it is gone; an Edit racing an Undo is either
saved or told the contact is gone, and nobody is told the database failed."""

from __future__ import annotations

from tests.support.app import RunningRapport
from tests.support.blocks import buttons, state_from, texts
from tests.support.racing import at_once
from tests.support.rows import Interaction, Partner, count

PRESSES = 12


def test_twelve_undo_presses_at_once_undo_the_contact_once(rapport: RunningRapport) -> None:
    rapport.command("help").reply()
    logged = rapport.command("Globex call pressed by many").reply()
    undo = buttons(logged)["Undo"]

    presses = at_once(PRESSES, lambda _: rapport.click(undo["action_id"], undo["value"]))
    replies = [texts(press.later()) for press in presses]

    assert sum("Undone" in reply for reply in replies) == 1, replies
    assert all("Undone" in reply or "no longer there" in reply for reply in replies), replies
    assert count(rapport.db, Interaction) == 0
    assert count(rapport.db, Partner) == 0


def test_an_edit_saved_while_the_contact_is_undone_is_told_it_is_gone(
    rapport: RunningRapport,
) -> None:
    """The edit form was open when Undo was pressed; both arrive at once. Whichever comes
    second finds the contact changed under it, and is told so, not that the database failed."""
    rapport.command("help").reply()
    for round_ in range(5):
        logged = rapport.command(f"Initech call round {round_}").reply()
        undo, edit = buttons(logged)["Undo"], buttons(logged)["Edit"]
        rapport.click(edit["action_id"], edit["value"])
        view = rapport.slack.views()[-1]
        values = state_from(view, note=f"edited in round {round_}")

        def act(i: int, undo=undo, view=view, values=values):
            if i == 0:
                return texts(rapport.click(undo["action_id"], undo["value"]).later())
            return rapport.submit(view, values).body

        undone, saved = at_once(2, act)
        assert "Undone" in undone or "no longer there" in undone, undone
        assert "database" not in saved and "went wrong" not in saved, saved
