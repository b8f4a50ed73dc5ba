"""The words of the contact form's question about a new partner named like known ones, over
signed HTTP on SQLite and PostgreSQL, in English and German: one partner named is said in the
singular, in the form and in `/logcontact`'s question; the text says why the choice Slack
labels "(optional)" may be left (the list at the top answers it too); and a partner picked in
that list beside another one chosen in the question is an error under the question, with
nothing saved, rather than the list winning silently."""

from __future__ import annotations

from typing import Any

import pytest

from bot.blocks.contact_form import NEAR_BLOCK, NEW_ANYWAY
from tests.support.app import RunningRapport
from tests.support.blocks import state_from, texts
from tests.support.partner_questions import partners_logged
from tests.support.rows import Interaction, Partner, count

ALICE, JONAS = "U0ALICE", "U0JONAS"  # en-US, de-DE

ONE = {
    ALICE: "but one has a name like it: *Müller GmbH*. Did you mean that one, or is it a new "
    "partner?",
    JONAS: "aber einer heißt ähnlich: *Müller GmbH*. Meintest du diesen, oder ist es ein neuer "
    "Partner?",
}
SOME = {
    ALICE: "but some have a name like it: *Nordwind GmbH*, *Jens Ohlsen (Nordwind GmbH)*. Did "
    "you mean one of them, or is it a new partner?",
    JONAS: "aber einige heißen ähnlich: *Nordwind GmbH*, *Jens Ohlsen (Nordwind GmbH)*. "
    "Meintest du einen davon, oder ist es ein neuer Partner?",
}
OPTIONAL_WHY = {
    ALICE: "Choose below or pick a partner in the list at the top; nothing is saved until you do.",
    JONAS: "Wähle unten oder oben in der Liste einen Partner; gespeichert wird erst dann.",
}
COMMAND_ONE = {
    ALICE: "*Muller* is not one of your partners yet, but one has a name like it. Did you mean "
    "that one, or is it a new partner?",
    JONAS: "*Muller* ist noch keiner deiner Partner, aber einer heißt ähnlich. Meintest du "
    "diesen, oder ist es ein neuer Partner?",
}
CONFLICT = {
    ALICE: "“Partner” at the top names another partner than the one chosen here for "
    "“Nordwind”: choose the same partner in both.",
    JONAS: "„Partner“ oben nennt einen anderen Partner als den, der hier für „Nordwind“ "
    "gewählt ist: Wähle in beiden denselben Partner.",
}


def _asked(rapport: RunningRapport, user: str, name: str) -> dict[str, Any]:
    """The form, filled in with `name` as a new partner, as Rapport answers it: asking."""
    rapport.command("", user=user)
    view = rapport.slack.views()[-1]
    typed = state_from(view, new_partner=name, medium="call", note="Prices")
    answer = rapport.submit(view, typed, user=user)
    assert answer.status == 200, answer.body
    body = answer.json()
    assert body["response_action"] == "update", body
    return dict(body["view"])


def _section(view: dict[str, Any]) -> str:
    [block] = [b for b in view["blocks"] if b["block_id"] == "near_partners"]
    return str(block["text"]["text"])


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_one_partner_named_is_said_in_the_singular_and_more_in_the_plural(
    rapport: RunningRapport, user: str
) -> None:
    partners_logged(rapport, user, '"Müller GmbH"')
    assert ONE[user] in _section(_asked(rapport, user, "Muller"))

    partners_logged(rapport, user, '"Nordwind GmbH"', '"Jens Ohlsen" (Nordwind GmbH)')
    assert SOME[user] in _section(_asked(rapport, user, "Nordwind"))


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_command_s_question_about_one_partner_is_in_the_singular(
    rapport: RunningRapport, user: str
) -> None:
    partners_logged(rapport, user, '"Müller GmbH"')
    reply = rapport.command("Muller call prices", user=user).reply()
    assert COMMAND_ONE[user] in texts(reply), texts(reply)


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_text_says_why_the_choice_is_optional(rapport: RunningRapport, user: str) -> None:
    partners_logged(rapport, user, '"Müller GmbH"')
    asked = _asked(rapport, user, "Muller")
    [question] = [b for b in asked["blocks"] if b["block_id"] == NEAR_BLOCK]
    assert question["optional"] is True
    assert _section(asked).endswith(OPTIONAL_WHY[user]), _section(asked)


@pytest.mark.parametrize("user", [ALICE, JONAS])
@pytest.mark.parametrize("chosen", ["Jens Ohlsen (Nordwind GmbH)", NEW_ANYWAY])
def test_a_partner_picked_in_the_list_and_another_chosen_in_the_question_is_an_error(
    rapport: RunningRapport, user: str, chosen: str
) -> None:
    ids = partners_logged(rapport, user, '"Nordwind GmbH"', '"Jens Ohlsen" (Nordwind GmbH)')
    asked = _asked(rapport, user, "Nordwind")
    answer = NEW_ANYWAY if chosen == NEW_ANYWAY else f"p{ids[chosen]}"
    values = state_from(asked, near_partner=answer)
    [action] = values["partner"]
    values["partner"][action]["selected_option"] = {
        "value": str(ids["Nordwind GmbH"]),
        "text": {"type": "plain_text", "text": "Nordwind GmbH"},
    }

    reply = rapport.submit(asked, values, user=user)

    assert reply.json() == {"response_action": "errors", "errors": {NEAR_BLOCK: CONFLICT[user]}}
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (2, 2)
