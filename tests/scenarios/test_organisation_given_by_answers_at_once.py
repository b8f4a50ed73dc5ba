"""Two members answer a question about the same known partner at the same moment, each having
typed the name with another organisation ("Jens Ohlsen (Nordwind) call", "Jens Ohlsen
(Sturmwind) Anruf") and each pressing the known partner: both contacts are logged for him, he
is given one organisation, and only the reply of the answer that gave it says so. The partner's
row is held while the answer checks that he has none (`hold_partner`): before, both answers
found none on PostgreSQL, both said theirs was set, and the later one silently replaced the
other's. Over signed HTTP from two threads, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import ALICE, JONAS, press, send
from tests.support.racing import at_once
from tests.support.rows import Interaction, Partner, all_of

# Several rounds, a partner each: in one the presses may happen not to overlap where it matters.
NAMES = ("Jens Ohlsen", "Anna Berger", "Lena Vogt", "Paul Krüger")
TYPED = {ALICE: "{name} (Nordwind) call", JONAS: "{name} (Sturmwind) Anruf"}
GIVEN = {ALICE: "Nordwind", JONAS: "Sturmwind"}
SET_LINE = {
    ALICE: "Organisation of *{name}* set to *Nordwind*.",
    JONAS: "Organisation von *{name}* auf *Sturmwind* gesetzt.",
}


def _partner(rapport: RunningRapport, name: str) -> Partner:
    [partner] = [p for p in all_of(rapport.db, Partner) if p.name == name]
    return partner  # type: ignore[return-value]


def test_two_answers_at_once_give_the_partner_one_organisation_and_say_so_once(
    rapport: RunningRapport,
) -> None:
    known(rapport, JONAS)
    users = (ALICE, JONAS)
    for name in NAMES:
        send(rapport, f'"{name}" call kickoff', ALICE)
        partner = _partner(rapport, name)
        assert partner.organisation is None
        questions = [send(rapport, TYPED[user].format(name=name), user) for user in users]
        for question in questions:
            assert name in buttons(question), buttons(question)

        def answer(i: int, questions: list[dict] = questions, name: str = name) -> str:
            return texts(press(rapport, questions[i], name, users[i]))

        replies = at_once(2, answer)

        partner = _partner(rapport, name)
        said = [
            user
            for user, reply in zip(users, replies, strict=True)
            if SET_LINE[user].format(name=name) in reply
        ]
        assert len(said) == 1, replies
        assert partner.organisation == GIVEN[said[0]], (partner.organisation, replies)
        contacts = [i for i in all_of(rapport.db, Interaction) if i.partner_id == partner.id]
        assert len(contacts) == 3, replies  # the kickoff and both answers' contacts
    assert len(all_of(rapport.db, Partner)) == len(NAMES)
