"""The contact form asks before it creates a partner named like known ones, as `/logcontact`
text asks, over signed HTTP on SQLite and PostgreSQL, in English and German: a name without its
umlaut ("Muller" for "Müller GmbH"), with a legal form added or dropped, a known person's surname
alone, or a known name at an organisation like theirs. The submission saves nothing and is
answered with the same form (`response_action: update`), every value kept, naming the partners
like the name and offering each of them or the new partner all the same. A name no partner is
named like, or one a partner has exactly, is saved as before without a question. Today is
Wednesday 25 November 2026.
"""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.blocks.contact_form import NEAR_BLOCK, NEW_ANYWAY
from bot.blocks.replies import ACTION_EDIT
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.partner_questions import partners_logged
from tests.support.rows import Interaction, Partner, all_of, count

ALICE, JONAS = "U0ALICE", "U0JONAS"  # en-US, de-DE

# What the question says, per language.
ASKED = {ALICE: "is not one of your partners yet", JONAS: "ist noch keiner deiner Partner"}
ANYWAY = {ALICE: "Add {} as a new partner anyway", JONAS: "{} trotzdem als neuen Partner anlegen"}
UNANSWERED = {
    ALICE: "Choose who “{}” is, or pick a partner in the list at the top.",
    JONAS: "Wähle, wer „{}“ ist, oder wähle oben in der Liste einen Partner.",
}


def _form(rapport: RunningRapport, user: str) -> dict[str, Any]:
    rapport.command("", user=user)
    return rapport.slack.views()[-1]


def _typed(view: dict[str, Any], name: str, organisation: str = "", **changes: str) -> dict:
    """The form filled in with a new partner typed, a call with a note."""
    return state_from(
        view, new_partner=name, organisation=organisation, medium="call", note="Prices", **changes
    )


def _question(view: dict[str, Any]) -> dict[str, Any]:
    """The question's input block in a form Rapport answered with."""
    [block] = [b for b in view["blocks"] if b["block_id"] == NEAR_BLOCK]
    return block


def _offered(view: dict[str, Any]) -> list[str]:
    return [o["text"]["text"] for o in _question(view)["element"]["options"]]


def _asked(rapport: RunningRapport, view: dict[str, Any], values: dict, user: str) -> dict:
    """Submit `values`; the form Rapport answers with in its place, checked against Slack's
    limits, with nothing saved."""
    before = (count(rapport.db, Partner), count(rapport.db, Interaction))
    answer = rapport.submit(view, values, user=user)
    assert answer.status == 200, answer.body
    body = answer.json()
    assert body["response_action"] == "update", body
    View(**body["view"]).validate_json()
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == before
    return dict(body["view"])


def _saved(rapport: RunningRapport, view: dict[str, Any], values: dict, user: str) -> None:
    answer = rapport.submit(view, values, user=user)
    assert answer.status == 200 and answer.body == "", answer.body


def _contacts_of(rapport: RunningRapport, partner_id: int) -> list[str]:
    """The notes of the partner's contacts, oldest first."""
    return [i.note for i in all_of(rapport.db, Interaction) if i.partner_id == partner_id]


@pytest.mark.parametrize("user", [ALICE, JONAS])
@pytest.mark.parametrize(
    ("known_texts", "name", "organisation", "near"),
    [
        # Typed without its umlaut, on a keyboard without one.
        (['"Müller GmbH"'], "Muller", "", ["Müller GmbH"]),
        # The legal form dropped, and added.
        (['"Hansa Logistik GmbH"'], "Hansa Logistik", "", ["Hansa Logistik GmbH"]),
        (['"Globex Trading"'], "Globex Trading AG", "", ["Globex Trading"]),
        # A known person's surname alone.
        (['"Jens Ohlsen" (Nordwind GmbH)'], "Ohlsen", "", ["Jens Ohlsen (Nordwind GmbH)"]),
        # A known name at an organisation like theirs, the umlaut typed as its base letter.
        (
            ['"Anna Berg" (Bäckerei Süß GmbH)'],
            "Anna Berg",
            "Backerei Suss",
            ["Anna Berg (Bäckerei Süß GmbH)"],
        ),
        # A slip of one letter.
        (['"Initech"'], "Inittech", "", ["Initech"]),
    ],
)
def test_a_new_partner_named_like_a_known_one_is_asked_about_and_nothing_saved(
    rapport: RunningRapport,
    user: str,
    known_texts: list[str],
    name: str,
    organisation: str,
    near: list[str],
) -> None:
    partners_logged(rapport, user, *known_texts)
    view = _form(rapport, user)

    asked = _asked(rapport, view, _typed(view, name, organisation, at="09:15"), user)

    label = f"{name} ({organisation})" if organisation else name
    assert ASKED[user] in texts(asked)
    assert all(f"*{partner}*" in texts(asked) for partner in near), texts(asked)
    assert _offered(asked) == [*near, ANYWAY[user].format(label)]
    # The rest of the form as it was filled in, the same blocks, so Slack keeps what was typed.
    fields = {b["block_id"]: b["element"] for b in asked["blocks"] if b["type"] == "input"}
    assert fields["new_partner"]["initial_value"] == name
    assert fields["note"]["initial_value"] == "Prices"
    assert fields["medium"]["initial_option"]["value"] == "call"
    assert fields["at"]["initial_time"] == "09:15"
    original = [b["block_id"] for b in view["blocks"]]
    assert [b["block_id"] for b in asked["blocks"] if b["block_id"] in original] == original
    assert asked["private_metadata"] == view["private_metadata"]


@pytest.mark.parametrize(
    ("name", "organisation"),
    [("Muller", ""), ("Nordwind", ""), ("Ohlsen", ""), ("Jens Ohlsen", "NORDWIND ag")],
)
def test_the_form_offers_the_partners_the_command_offers(
    rapport: RunningRapport, name: str, organisation: str
) -> None:
    """One judgement of "near": the form offers, in the same order, the known partners the
    command offers for the name quoted (taken as typed, as the form takes it)."""
    partners_logged(
        rapport, ALICE, '"Müller GmbH"', '"Nordwind GmbH"', '"Jens Ohlsen" (Nordwind GmbH)'
    )
    typed = f'"{name}" ({organisation})' if organisation else f'"{name}"'
    reply = rapport.command(f"{typed} call prices", user=ALICE).reply()
    by_text = [b for b in buttons(reply) if not b.startswith(("New partner", "Cancel"))]
    view = _form(rapport, ALICE)

    asked = _asked(rapport, view, _typed(view, name, organisation), ALICE)

    assert by_text and _offered(asked)[:-1] == by_text


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_new_partner_chosen_all_the_same_is_created_once(
    rapport: RunningRapport, user: str
) -> None:
    partners_logged(rapport, user, '"Müller GmbH"')
    opened = rapport.command("", user=user)
    view = rapport.slack.views()[-1]
    asked = _asked(rapport, view, _typed(view, "Muller"), user)

    _saved(rapport, asked, state_from(asked, near_partner=NEW_ANYWAY), user)

    # Chosen knowingly: the summary offers no "did you mean" of the partners just offered.
    summary = texts(opened.later())
    assert "Muller" in summary and "Müller GmbH" not in summary, summary
    partners = {p.name: p.id for p in all_of(rapport.db, Partner)}
    assert sorted(partners) == ["Muller", "Müller GmbH"]
    assert _contacts_of(rapport, partners["Muller"]) == ["Prices"]
    assert _contacts_of(rapport, partners["Müller GmbH"]) == ["kickoff"]


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_a_known_partner_chosen_in_the_question_is_logged_with(
    rapport: RunningRapport, user: str
) -> None:
    ids = partners_logged(rapport, user, '"Nordwind GmbH"', '"Jens Ohlsen" (Nordwind GmbH)')
    view = _form(rapport, user)
    asked = _asked(rapport, view, _typed(view, "Nordwind"), user)
    assert _offered(asked)[:2] == ["Nordwind GmbH", "Jens Ohlsen (Nordwind GmbH)"]

    chosen = f"p{ids['Jens Ohlsen (Nordwind GmbH)']}"
    _saved(rapport, asked, state_from(asked, near_partner=chosen), user)

    assert count(rapport.db, Partner) == 2
    assert _contacts_of(rapport, ids["Jens Ohlsen (Nordwind GmbH)"]) == ["kickoff", "Prices"]


def test_a_partner_picked_in_the_list_answers_the_question(rapport: RunningRapport) -> None:
    """Asked, the person picks the known partner at the top, the name still typed below: that
    is the answer, not "pick one or type one, not both"."""
    ids = partners_logged(rapport, ALICE, '"Müller GmbH"')
    view = _form(rapport, ALICE)
    asked = _asked(rapport, view, _typed(view, "Muller"), ALICE)
    values = state_from(asked)
    [action] = values["partner"]
    values["partner"][action]["selected_option"] = {
        "value": str(ids["Müller GmbH"]),
        "text": {"type": "plain_text", "text": "Müller GmbH"},
    }

    _saved(rapport, asked, values, ALICE)

    assert count(rapport.db, Partner) == 1
    assert _contacts_of(rapport, ids["Müller GmbH"]) == ["kickoff", "Prices"]


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_the_question_sent_back_unanswered_says_so_under_it(
    rapport: RunningRapport, user: str
) -> None:
    partners_logged(rapport, user, '"Müller GmbH"')
    view = _form(rapport, user)
    asked = _asked(rapport, view, _typed(view, "Muller"), user)

    answer = rapport.submit(asked, state_from(asked), user=user)

    assert answer.json() == {
        "response_action": "errors",
        "errors": {NEAR_BLOCK: UNANSWERED[user].format("Muller")},
    }
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (1, 1)


def test_a_name_changed_after_the_question_is_judged_again(rapport: RunningRapport) -> None:
    """The answer is about the name asked: typed anew to another name like a known one, the
    question is asked again (another element, so no choice carries over); to a name like none,
    it is created without one."""
    partners_logged(rapport, ALICE, '"Müller GmbH"', '"Nordwind GmbH"')
    view = _form(rapport, ALICE)
    asked = _asked(rapport, view, _typed(view, "Muller"), ALICE)
    first = _question(asked)["element"]["action_id"]

    again = _asked(
        rapport, asked, state_from(asked, new_partner="Nordwind", near_partner=NEW_ANYWAY), ALICE
    )
    assert _question(again)["element"]["action_id"] != first
    assert _offered(again) == ["Nordwind GmbH", "Add Nordwind as a new partner anyway"]

    _saved(rapport, again, state_from(again, new_partner="Stadtwerke Kiel"), ALICE)
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == [
        "Müller GmbH",
        "Nordwind GmbH",
        "Stadtwerke Kiel",
    ]


@pytest.mark.parametrize(
    ("name", "organisation", "partner"),
    [
        # The known partner exactly, however typed: logged with, no question.
        ("nordwind gmbh", "", "Nordwind GmbH"),
        ("NORDWIND GMBH", "", "Nordwind GmbH"),
        ("Jens Ohlsen", "Nordwind GmbH", "Jens Ohlsen (Nordwind GmbH)"),
        # The one partner of the name, without the organisation: as before.
        ("Jens Ohlsen", "", "Jens Ohlsen (Nordwind GmbH)"),
    ],
)
def test_a_known_partner_typed_exactly_is_logged_with_as_before(
    rapport: RunningRapport, name: str, organisation: str, partner: str
) -> None:
    ids = partners_logged(rapport, ALICE, '"Nordwind GmbH"', '"Jens Ohlsen" (Nordwind GmbH)')
    view = _form(rapport, ALICE)

    _saved(rapport, view, _typed(view, name, organisation), ALICE)

    assert count(rapport.db, Partner) == 2
    assert _contacts_of(rapport, ids[partner]) == ["kickoff", "Prices"]


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_a_name_like_no_partner_is_created_without_a_question(
    rapport: RunningRapport, user: str
) -> None:
    partners_logged(rapport, user, '"Müller GmbH"', '"Jens Ohlsen" (Nordwind GmbH)')
    view = _form(rapport, user)

    _saved(rapport, view, _typed(view, "Stadtwerke Kiel"), user)
    # Another organisation than a known person's of that name is another person.
    view = _form(rapport, user)
    _saved(rapport, view, _typed(view, "Jens Ohlsen", "Acme"), user)

    labels = {
        f"{p.name} ({p.organisation})" if p.organisation else p.name
        for p in all_of(rapport.db, Partner)
    }
    assert {"Stadtwerke Kiel", "Jens Ohlsen (Acme)"} <= labels
    assert count(rapport.db, Partner) == 4


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_an_edit_to_a_new_partner_named_like_a_known_one_asks_too(
    rapport: RunningRapport, user: str
) -> None:
    """Edit a logged contact, typing a new partner instead of its own: asked as a new form is,
    the contact left as it was until the answer; then moved to the new partner chosen."""
    known(rapport, user)
    summary = rapport.command('"Müller GmbH" call kickoff', user=user).reply()
    edit = next(b for b in buttons(summary).values() if b["action_id"] == ACTION_EDIT)
    rapport.click(edit["action_id"], edit["value"], user=user)
    view = rapport.slack.views()[-1]
    values = state_from(view, new_partner="Muller")
    [action] = values["partner"]
    values["partner"][action]["selected_option"] = None

    asked = _asked(rapport, view, values, user)

    assert _offered(asked) == ["Müller GmbH", ANYWAY[user].format("Muller")]
    [partner] = all_of(rapport.db, Partner)
    assert _contacts_of(rapport, partner.id) == ["kickoff"]
    values = state_from(asked, near_partner=NEW_ANYWAY)
    values["partner"][action]["selected_option"] = None
    _saved(rapport, asked, values, user)
    muller = next(p for p in all_of(rapport.db, Partner) if p.name == "Muller")
    assert _contacts_of(rapport, muller.id) == ["kickoff"]
    assert count(rapport.db, Interaction) == 1


def _merge(rapport: RunningRapport, absorbed: str, into: str) -> None:
    """`/rapport merge ABSORBED into INTO`, and its button pressed."""
    question = rapport.command(f'merge "{absorbed}" into "{into}"', command="/rapport").reply()
    value = buttons(question)[f"Merge into {into}"]["value"]
    assert f"Merged *{absorbed}*" in str(
        rapport.services.partner_merging.merge("T0ACME", ALICE, value)
    )


@pytest.mark.parametrize(
    ("change", "left"),
    [
        # Renamed by a colleague while the form was open: no partner is named like "Muller" now.
        (
            lambda rapport: rapport.command(
                'partner "Müller GmbH" rename Schmidt Logistik', command="/rapport"
            ).reply(),
            ["Schmidt Logistik"],
        ),
        # Merged away into a partner not named like "Muller".
        (lambda rapport: _merge(rapport, "Müller GmbH", "Nordwind GmbH"), ["Nordwind GmbH"]),
    ],
    ids=["renamed", "merged"],
)
def test_a_known_partner_chosen_is_never_turned_into_a_new_one(
    rapport: RunningRapport, change: Any, left: list[str]
) -> None:
    """The person answered "it is Müller GmbH", not "a new partner": whatever happened to
    Müller GmbH since the question, no partner "Muller" is created from that answer."""
    ids = partners_logged(rapport, ALICE, '"Müller GmbH"', '"Nordwind GmbH"')
    view = _form(rapport, ALICE)
    asked = _asked(rapport, view, _typed(view, "Muller"), ALICE)
    change(rapport)
    kept = [p.name for p in all_of(rapport.db, Partner) if p.name != "Müller GmbH"]

    rapport.submit(asked, state_from(asked, near_partner=f"p{ids['Müller GmbH']}"), user=ALICE)

    assert sorted(p.name for p in all_of(rapport.db, Partner)) == sorted(kept)
    assert set(left) <= set(kept)


def test_a_known_partner_chosen_wins_over_a_partner_of_the_typed_name_created_since(
    rapport: RunningRapport,
) -> None:
    """Asked about "Muller", the person answers "it is Müller GmbH"; meanwhile another form
    created a partner "Muller". The answer names the partner: the contact is Müller GmbH's, not
    the new Muller's."""
    ids = partners_logged(rapport, ALICE, '"Müller GmbH"')
    view = _form(rapport, ALICE)
    asked = _asked(rapport, view, _typed(view, "Muller"), ALICE)
    other = _form(rapport, ALICE)
    other_asked = _asked(rapport, other, _typed(other, "Muller"), ALICE)
    _saved(rapport, other_asked, state_from(other_asked, near_partner=NEW_ANYWAY), ALICE)

    _saved(rapport, asked, state_from(asked, near_partner=f"p{ids['Müller GmbH']}"), ALICE)

    assert _contacts_of(rapport, ids["Müller GmbH"]) == ["kickoff", "Prices"]


def test_a_known_partner_chosen_and_renamed_since_gets_the_contact(rapport: RunningRapport) -> None:
    """Renamed by a colleague while the question was open, the partner chosen is still the one
    meant: the contact is its, under its new name."""
    ids = partners_logged(rapport, ALICE, '"Müller GmbH"')
    view = _form(rapport, ALICE)
    asked = _asked(rapport, view, _typed(view, "Muller"), ALICE)
    rapport.command('partner "Müller GmbH" rename Schmidt Logistik', command="/rapport").reply()

    _saved(rapport, asked, state_from(asked, near_partner=f"p{ids['Müller GmbH']}"), ALICE)

    assert _contacts_of(rapport, ids["Müller GmbH"]) == ["kickoff", "Prices"]


@pytest.mark.parametrize("user", [ALICE, JONAS])
def test_a_known_partner_chosen_and_merged_away_since_is_said_gone_under_the_question(
    rapport: RunningRapport, user: str
) -> None:
    """Merged away while the question was open: nothing is saved or created, and the person is
    told under the question, in their language, to choose again."""
    known(rapport, user)
    ids = partners_logged(rapport, ALICE, '"Müller GmbH"', '"Nordwind GmbH"')
    view = _form(rapport, user)
    asked = _asked(rapport, view, _typed(view, "Muller"), user)
    _merge(rapport, "Müller GmbH", "Nordwind GmbH")
    contacts = count(rapport.db, Interaction)

    answer = rapport.submit(
        asked, state_from(asked, near_partner=f"p{ids['Müller GmbH']}"), user=user
    )

    gone = {ALICE: "That partner no longer exists", JONAS: "Diesen Partner gibt es nicht mehr"}
    assert answer.json()["response_action"] == "errors"
    assert answer.json()["errors"][NEAR_BLOCK].startswith(gone[user])
    assert count(rapport.db, Interaction) == contacts
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == ["Nordwind GmbH"]
