"""A partner named with its number run on ("Globex2", "KW1") typed with a space before the
number ("Globex 2 call"): the space put in is the slip the space left out is, so the contact
goes to the known partner or the name is asked about; a partner "Globex" is never created
unasked, the number stranded in the note.

Found comparing `rapport parse` with "Globex2" known: `Globex 2 call` read the new partner
"Globex" and the note "2 call", unasked, where `Globex2 call` beside a known "Globex 2" is
asked about (`test_numbered_name_typed_without_its_space.py`) and the README says a space
"left out or put in" is asked about."""

from __future__ import annotations

import pytest

from tests.support.app import RunningRapport, known
from tests.support.rows import Partner, all_of

ALICE, JONAS = "U0ALICE", "U0JONAS"  # Alice's Slack speaks English, Jonas's German


@pytest.mark.parametrize("user", [ALICE, JONAS])
@pytest.mark.parametrize("known_name", ["Globex2", "KW1"])
def test_the_command_creates_no_shorter_name_unasked(
    rapport: RunningRapport, user: str, known_name: str
) -> None:
    known(rapport, user)
    rapport.command(f'"{known_name}" call kickoff', user=user).reply()
    assert [p.name for p in all_of(rapport.db, Partner)] == [known_name]
    typed = f"{known_name[:-1]} {known_name[-1]}"  # "Globex 2"

    rapport.command(f"{typed} call prices", user=user).reply()

    assert [p.name for p in all_of(rapport.db, Partner)] == [known_name]
