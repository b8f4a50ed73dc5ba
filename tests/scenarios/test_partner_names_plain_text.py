"""Words set aside when a question about the partner is answered with the shorter name, over
signed HTTP: they begin the note as typed, their ":" with them ("Schmidt Logistik: Angebot
besprochen" answered with "Schmidt" noted "Logistik Angebot besprochen")."""

from __future__ import annotations

from tests.support.app import RunningRapport
from tests.support.partner_questions import JONAS, contacts_of, press, send, with_partners


def _logged(rapport: RunningRapport, name: str) -> list[tuple[str | None, str]]:
    """The medium and note of each contact logged for `name` after its set-up."""
    return [(i.medium, i.note) for i in contacts_of(rapport, name) if i.note != "kickoff"]


def test_a_set_aside_word_keeps_its_punctuation(rapport: RunningRapport) -> None:
    """Answered with the shorter partner, the words of the longer name begin the note as
    typed: "Logistik: Angebot besprochen", not "Logistik Angebot besprochen"."""
    with_partners(rapport, JONAS, "Schmidt")
    reply = send(rapport, "Schmidt Logistik: Angebot besprochen", JONAS)

    press(rapport, reply, "Schmidt", JONAS)

    assert _logged(rapport, "Schmidt") == [(None, "Logistik: Angebot besprochen")]


def test_set_aside_words_alone_are_the_note_without_their_comma(rapport: RunningRapport) -> None:
    """Nothing after them but a keyword: "Logistik", as before, not "Logistik,"."""
    with_partners(rapport, JONAS, "Schmidt")
    reply = send(rapport, "Schmidt Logistik, Telefonat", JONAS)

    press(rapport, reply, "Schmidt", JONAS)

    assert _logged(rapport, "Schmidt") == [("call", "Logistik")]
