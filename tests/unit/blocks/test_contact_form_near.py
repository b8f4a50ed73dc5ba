"""The form's question before it creates a partner named like known ones: what a submission
decides (`near_decision`), how the answer is read back (`read_form`), that a partner picked in
the list answers it (`form_errors`), and the question as Slack is sent it, within Slack's
limits, in English and German. No Slack, no database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.blocks.contact_form import (
    NEAR_ACTION,
    NEAR_BLOCK,
    NEW_ANYWAY,
    ContactForm,
    ModalContext,
    NearAnswer,
    NearDecision,
    NearQuestion,
    contact_modal,
    form_errors,
    near_action_id,
    near_decision,
    read_form,
)
from bot.parsing.contact_text import NearPartner
from bot.texts.reader import Reader

TODAY = date(2026, 11, 25)
EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")
NEAR = (NearPartner(7, "Müller GmbH"), NearPartner(9, "Anna Müller (Acme)"))


def typed(name: str = "Muller", organisation: str | None = None, **answer: Any) -> ContactForm:
    """A form with the new partner typed; `answer`: the question as submitted."""
    given = NearAnswer(**answer) if answer else None
    return ContactForm(on=TODAY, new_partner=name, organisation=organisation, near_answer=given)


def asked(value: str | None, name: str = "Muller", organisation: str | None = None) -> dict:
    """The question about `name` answered with `value` (None: nothing chosen)."""
    return {"action_id": near_action_id(name, organisation), "value": value}


@pytest.mark.parametrize(
    ("form", "near", "decision"),
    [
        # Like no partner: created, whatever the form holds.
        (typed(), (), NearDecision("create")),
        (typed(**asked(None)), (), NearDecision("create")),
        # Like known partners, not asked yet: asked, nothing created.
        (typed(), NEAR, NearDecision("ask")),
        # Asked and sent back without a choice.
        (typed(**asked(None)), NEAR, NearDecision("unanswered")),
        # Asked and answered.
        (typed(**asked(NEW_ANYWAY)), NEAR, NearDecision("create")),
        # A value no partner has: asked again (a known partner chosen is taken before).
        (typed(**asked("pabc")), NEAR, NearDecision("ask")),
        (typed(**asked("7")), NEAR, NearDecision("ask")),
        # An answer about another name (the field changed since) answers nothing.
        (typed("Mueller", **asked(NEW_ANYWAY)), NEAR, NearDecision("ask")),
        (typed("Muller", "Acme", **asked(NEW_ANYWAY)), NEAR, NearDecision("ask")),
        (typed(**asked(NEW_ANYWAY, organisation="Acme")), NEAR, NearDecision("ask")),
    ],
)
def test_a_new_partner_like_known_ones_is_created_only_once_answered_so(
    form: ContactForm, near: tuple[NearPartner, ...], decision: NearDecision
) -> None:
    assert near_decision(form, near) == decision


@pytest.mark.parametrize(
    ("form", "chosen"),
    [
        (typed(**asked("p9")), 9),
        (typed("Anna Berg", "Backerei", **asked("p7", "Anna Berg", "Backerei")), 7),
        # Any partner's id, near or not: whatever happened to it since is the use case's to say.
        (typed(**asked("p8")), 8),
        # Nothing chosen, the new partner chosen, a value naming no id, another name asked about.
        (typed(), None),
        (typed(**asked(None)), None),
        (typed(**asked(NEW_ANYWAY)), None),
        (typed(**asked("pabc")), None),
        (typed(**asked("7")), None),
        (typed("Mueller", **asked("p9")), None),
    ],
)
def test_a_known_partner_chosen_in_the_question_is_read_by_its_id(
    form: ContactForm, chosen: int | None
) -> None:
    assert form.known_chosen() == chosen


def test_the_question_s_element_says_which_name_and_organisation_it_asked_about() -> None:
    ids = {
        near_action_id("Muller", None),
        near_action_id("Muller", "Acme"),
        near_action_id("Mueller", None),
        near_action_id("Mull", "erAcme"),
    }
    assert len(ids) == 4
    assert all(i.startswith(NEAR_ACTION) and len(i) <= 255 for i in ids)
    assert near_action_id("Muller", None) == near_action_id("Muller", "")


def _values(action: str | None, option: object) -> dict[str, Any]:
    values: dict[str, Any] = {
        "new_partner": {"new_partner_input": {"value": " Muller "}},
        "kind": {"kind_select": {"selected_option": {"value": "contact"}}},
        "direction": {"direction_select": {"selected_option": {"value": "mutual"}}},
        "when": {"when_date": {"selected_date": "2026-11-24"}},
    }
    if action is not None:
        values[NEAR_BLOCK] = {action: {"type": "radio_buttons", "selected_option": option}}
    return values


@pytest.mark.parametrize(
    ("action", "option", "answer"),
    [
        (None, None, None),
        (near_action_id("Muller", None), None, NearAnswer(near_action_id("Muller", None), None)),
        (
            near_action_id("Muller", None),
            {"value": "p7"},
            NearAnswer(near_action_id("Muller", None), "p7"),
        ),
        # A hand-made value that is not text is no choice.
        (
            near_action_id("Muller", None),
            {"value": 7},
            NearAnswer(near_action_id("Muller", None), None),
        ),
    ],
)
def test_the_answer_is_read_back_with_the_element_it_was_given_in(
    action: str | None, option: object, answer: NearAnswer | None
) -> None:
    form = read_form(_values(action, option), today=TODAY)
    assert form.near_answer == answer
    assert form.asked_near() is (answer is not None)


@pytest.mark.parametrize("reader", [EN, DE])
def test_a_partner_picked_in_the_list_answers_the_question_about_the_name_typed(
    reader: Reader,
) -> None:
    """Picked and typed both: "not both", unless the form asked about the name typed, whose
    answer the partner picked is."""
    both = ContactForm(on=TODAY, partner_id=7, new_partner="Muller")
    assert set(form_errors(reader, both, today=TODAY)) == {"new_partner"}
    answered = typed(**asked(None))
    answered.partner_id = 7
    assert form_errors(reader, answered, today=TODAY) == {}
    elsewhere = typed("Nordwind", **asked(None))
    elsewhere.partner_id = 7
    assert set(form_errors(reader, elsewhere, today=TODAY)) == {"new_partner"}


def _asked_view(reader: Reader, question: NearQuestion, form: ContactForm) -> dict[str, Any]:
    view = contact_modal(reader, form, ModalContext(interaction_id=4), question)
    view.validate_json()  # slack_sdk's own limits for views and blocks
    return view.to_dict()


@pytest.mark.parametrize(
    ("reader", "said", "anyway"),
    [
        (EN, "*Muller* is not one of your partners yet", "Add Muller as a new partner anyway"),
        (
            DE,
            "*Muller* ist noch keiner deiner Partner",
            "Muller trotzdem als neuen Partner anlegen",
        ),
    ],
)
def test_the_question_names_the_partners_and_offers_each_or_the_new_one(
    reader: Reader, said: str, anyway: str
) -> None:
    form = ContactForm(on=TODAY, new_partner="Muller", note="Prices")
    view = _asked_view(reader, NearQuestion("Muller", None, NEAR), form)

    ids = [b["block_id"] for b in view["blocks"]]
    plain = contact_modal(reader, form, ModalContext(interaction_id=4)).to_dict()
    assert [i for i in ids if i not in ("near_partners", NEAR_BLOCK)] == [
        b["block_id"] for b in plain["blocks"]
    ]
    assert ids.index("near_partners") == ids.index("organisation") + 1
    section = view["blocks"][ids.index("near_partners")]["text"]["text"]
    assert said in section and "*Müller GmbH*, *Anna Müller (Acme)*" in section
    block = view["blocks"][ids.index(NEAR_BLOCK)]
    assert block["optional"] is True
    assert block["element"]["action_id"] == near_action_id("Muller", None)
    options = [(o["value"], o["text"]["text"]) for o in block["element"]["options"]]
    assert options == [("p7", "Müller GmbH"), ("p9", "Anna Müller (Acme)"), (NEW_ANYWAY, anyway)]
    # The form as it was: its title (an edit stays one), its context, what was typed.
    assert (view["title"], view["private_metadata"]) == (plain["title"], plain["private_metadata"])


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_longest_names_keep_within_slack_s_limits(reader: Reader) -> None:
    """Names of 200 characters, with characters escaping lengthens: the options say what they
    offer within 75 characters, the new partner's name cut, not the words around it."""
    name, organisation = "&" * 200, "<" * 200
    near = tuple(NearPartner(i, f"{'&' * 200} ({'>' * 200})") for i in range(1, 4))
    form = ContactForm(on=TODAY, new_partner=name, organisation=organisation)

    view = _asked_view(reader, NearQuestion(name, organisation, near), form)

    [block] = [b for b in view["blocks"] if b["block_id"] == NEAR_BLOCK]
    options = [o["text"]["text"] for o in block["element"]["options"]]
    assert all(len(option) <= 75 for option in options)
    words = "as a new partner anyway" if reader is EN else "trotzdem als neuen Partner anlegen"
    assert options[-1].endswith(words) and "…" in options[-1]


CONFLICT = {
    "en": "“Partner” at the top names another partner than the one chosen here for "
    "“Muller (Acme)”: choose the same partner in both.",
    "de": "„Partner“ oben nennt einen anderen Partner als den, der hier für „Muller (Acme)“ "
    "gewählt ist: Wähle in beiden denselben Partner.",
}


@pytest.mark.parametrize("reader", [EN, DE])
@pytest.mark.parametrize("value", ["p9", NEW_ANYWAY, "p8"])
def test_a_partner_picked_in_the_list_and_another_chosen_in_the_question_is_an_error(
    reader: Reader, value: str
) -> None:
    """Neither is taken silently: the error under the question names the list's field and
    the name asked about, in the reader's language."""
    form = typed("Muller", "Acme", **asked(value, "Muller", "Acme"))
    form.partner_id = 7

    errors = form_errors(reader, form, today=TODAY)

    assert errors == {NEAR_BLOCK: CONFLICT[reader.locale[:2]]}


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_same_partner_in_the_list_and_the_question_is_no_error(reader: Reader) -> None:
    form = typed(**asked("p7"))
    form.partner_id = 7
    assert form_errors(reader, form, today=TODAY) == {}


@pytest.mark.parametrize(
    ("reader", "near", "said"),
    [
        (EN, NEAR[:1], "but one has a name like it: *Müller GmbH*. Did you mean that one,"),
        (DE, NEAR[:1], "aber einer heißt ähnlich: *Müller GmbH*. Meintest du diesen,"),
        (EN, NEAR, "but some have a name like it: *Müller GmbH*, *Anna Müller (Acme)*. Did you "),
        (DE, NEAR, "aber einige heißen ähnlich: *Müller GmbH*, *Anna Müller (Acme)*. Meintest "),
    ],
)
def test_the_question_counts_the_partners_it_names(
    reader: Reader, near: tuple[NearPartner, ...], said: str
) -> None:
    form = ContactForm(on=TODAY, new_partner="Muller")
    view = _asked_view(reader, NearQuestion("Muller", None, near), form)
    [section] = [b for b in view["blocks"] if b["block_id"] == "near_partners"]
    assert said in section["text"]["text"]


@pytest.mark.parametrize(
    ("reader", "said"),
    [
        (
            EN,
            "Choose below or pick a partner in the list at the top; nothing is saved until you do.",
        ),
        (DE, "Wähle unten oder oben in der Liste einen Partner; gespeichert wird erst dann."),
    ],
)
@pytest.mark.parametrize("near", [NEAR[:1], NEAR])
def test_the_question_says_why_its_choice_is_optional(
    reader: Reader, said: str, near: tuple[NearPartner, ...]
) -> None:
    """Slack labels the choice "(optional)", as the list at the top answers it too: the text
    above says so, and no longer "nothing is saved until you choose" right above it."""
    form = ContactForm(on=TODAY, new_partner="Muller")
    view = _asked_view(reader, NearQuestion("Muller", None, near), form)
    [section] = [b for b in view["blocks"] if b["block_id"] == "near_partners"]
    [block] = [b for b in view["blocks"] if b["block_id"] == NEAR_BLOCK]
    assert block["optional"] is True
    assert section["text"]["text"].endswith(said)
    assert "until you choose" not in section["text"]["text"]
    assert "erst, wenn du wählst" not in section["text"]["text"]
