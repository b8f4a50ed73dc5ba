"""The contact form's question about a new partner, answered with a known partner of that name
who has no organisation yet, over signed HTTP on both backends, in English and German: the
organisation typed in the form is given to the partner, and the summary says so, as when
`/logcontact "Jens Ohlsen" (Nordwind)` is answered so.

Found trying Rapport as a new user: with "Jens Ohlsen" known without an organisation, the form
with "Jens Ohlsen" and the organisation "Nordwind" asked, rightly; choosing "Jens Ohlsen" logged
the contact with him but dropped "Nordwind" without a word, where the command's same answer
sets it and says "Organisation of Jens Ohlsen set to Nordwind."."""

from __future__ import annotations

import pytest

from bot.blocks.contact_form import NEAR_BLOCK
from tests.support.app import RunningRapport, known
from tests.support.blocks import state_from, texts
from tests.support.partner_questions import CREATE, press, send
from tests.support.rows import Partner, all_of

ALICE, JONAS = "U0ALICE", "U0JONAS"  # en-US, de-DE


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_organisation_typed_is_given_to_the_known_partner_chosen(
    rapport: RunningRapport, user: str
) -> None:
    known(rapport, user)
    rapport.command('"Jens Ohlsen" call kickoff', user=user).reply()
    [jens] = all_of(rapport.db, Partner)
    opened = rapport.command("", user=user)
    view = rapport.slack.views()[-1]
    typed = state_from(view, new_partner="Jens Ohlsen", organisation="Nordwind", note="Prices")
    asked = rapport.submit(view, typed, user=user).json()["view"]
    [question] = [b for b in asked["blocks"] if b["block_id"] == NEAR_BLOCK]
    assert question["element"]["options"][0]["value"] == f"p{jens.id}"

    answer = rapport.submit(asked, state_from(asked, near_partner=f"p{jens.id}"), user=user)

    assert answer.status == 200 and answer.body == "", answer.body
    [partner] = all_of(rapport.db, Partner)
    assert partner.organisation == "Nordwind"
    assert "Nordwind" in texts(opened.later())


ORGANISATION_SET = {
    ALICE: "Organisation of *Jens Ohlsen* set to *{}*.",
    JONAS: "Organisation von *Jens Ohlsen* auf *{}* gesetzt.",
}


def _chosen_in_the_form(
    rapport: RunningRapport, user: str, partner_id: int, organisation: str
) -> str:
    """The form filled in with "Jens Ohlsen" at `organisation`, asked about, answered with the
    partner `partner_id`; the texts of the summary posted."""
    opened = rapport.command("", user=user)
    view = rapport.slack.views()[-1]
    typed = state_from(view, new_partner="Jens Ohlsen", organisation=organisation, note="Prices")
    asked = rapport.submit(view, typed, user=user).json()["view"]
    answer = rapport.submit(asked, state_from(asked, near_partner=f"p{partner_id}"), user=user)
    assert answer.status == 200 and answer.body == "", answer.body
    return texts(opened.later())


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_summary_says_the_organisation_was_set_as_the_command_s_does(
    rapport: RunningRapport, user: str
) -> None:
    """The line the command's same answer shows, in the reader's language; the form filled in
    alike later logs with him without a question."""
    known(rapport, user)
    rapport.command('"Jens Ohlsen" call kickoff', user=user).reply()
    [jens] = all_of(rapport.db, Partner)

    summary = _chosen_in_the_form(rapport, user, jens.id, "Nordwind")

    assert ORGANISATION_SET[user].format("Nordwind") in summary, summary
    opened = rapport.command("", user=user)
    view = rapport.slack.views()[-1]
    again = state_from(view, new_partner="Jens Ohlsen", organisation="Nordwind", note="Again")
    answer = rapport.submit(view, again, user=user)
    assert answer.status == 200 and answer.body == "", answer.body
    assert "Nordwind" in texts(opened.later())
    assert len(all_of(rapport.db, Partner)) == 1


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_a_legal_form_alone_is_not_given_as_the_organisation(
    rapport: RunningRapport, user: str
) -> None:
    known(rapport, user)
    rapport.command('"Jens Ohlsen" call kickoff', user=user).reply()
    [jens] = all_of(rapport.db, Partner)

    summary = _chosen_in_the_form(rapport, user, jens.id, "GmbH")

    [partner] = all_of(rapport.db, Partner)
    assert partner.organisation is None, summary
    assert ORGANISATION_SET[user].format("GmbH") not in summary, summary


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_none_is_given_beside_a_partner_of_the_name_at_a_near_organisation(
    rapport: RunningRapport, user: str
) -> None:
    """With "Jens Ohlsen" and "Jens Ohlsen (Nordwind GmbH)" known, the one without an
    organisation chosen for "Nordwind" is logged with but not made a second Jens Ohlsen at
    Nordwind, as the command keeps him: the two would differ by a legal form alone."""
    known(rapport, user)
    rapport.command('"Jens Ohlsen" call kickoff', user=user).reply()
    [bare] = all_of(rapport.db, Partner)
    asked = send(rapport, '"Jens Ohlsen" (Nordwind GmbH) call kickoff', user)
    press(rapport, asked, f"{CREATE[user]} Jens Ohlsen (Nordwind GmbH)", user)
    assert len(all_of(rapport.db, Partner)) == 2

    summary = _chosen_in_the_form(rapport, user, bare.id, "Nordwind")

    [bare] = [p for p in all_of(rapport.db, Partner) if p.id == bare.id]
    assert bare.organisation is None, summary
    assert ORGANISATION_SET[user].format("Nordwind") not in summary, summary
    assert len(all_of(rapport.db, Partner)) == 2


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_same_partner_picked_in_the_list_and_chosen_in_the_question_is_given_it_too(
    rapport: RunningRapport, user: str
) -> None:
    """The list at the top agreeing with the question is the same answer as the question's
    alone; the list alone, the question left as it is, logs with him and sets nothing (a
    partner picked is no answer about the organisation typed below)."""
    known(rapport, user)
    rapport.command('"Jens Ohlsen" call kickoff', user=user).reply()
    [jens] = all_of(rapport.db, Partner)
    for answered, organisation in ((False, None), (True, "Nordwind")):
        opened = rapport.command("", user=user)
        view = rapport.slack.views()[-1]
        typed = state_from(view, new_partner="Jens Ohlsen", organisation="Nordwind")
        asked = rapport.submit(view, typed, user=user).json()["view"]
        values = state_from(asked, **({"near_partner": f"p{jens.id}"} if answered else {}))
        [action] = values["partner"]
        values["partner"][action]["selected_option"] = {
            "value": str(jens.id),
            "text": {"type": "plain_text", "text": "Jens Ohlsen"},
        }

        answer = rapport.submit(asked, values, user=user)

        assert answer.status == 200 and answer.body == "", answer.body
        [partner] = all_of(rapport.db, Partner)
        assert partner.organisation == organisation
        said = ORGANISATION_SET[user].format("Nordwind") in texts(opened.later())
        assert said is answered
