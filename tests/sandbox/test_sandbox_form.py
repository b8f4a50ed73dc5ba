"""The sandbox's form: number inputs, multi-selects and user selects, as Slack's modal has them.

A modal of the kinds Slack's browser checks before sending (bounds, decimals, how many choices)
is filled in line by line; what it refuses is one line naming the field, and what it submits
has the shapes of Slack's `view.state.values`.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import RenderableType

from bot.sandbox import render
from bot.sandbox.form import Form, FormError, matching

NAMES = {"U0YOU": "You", "U0BOB": "Bob Miller", "U0EMMA": "Emma Clarke"}


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label), "value": value}


def block(block_id: str, label: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {"action_id": f"{block_id}_action", **element},
        **extra,
    }


class Directory:
    """People a user select can pick, as the shell's sandbox names them."""

    def user_id(self, name: str) -> str | None:
        wanted = name.strip().lstrip("@").casefold()
        found = {"you": "U0YOU", "bob": "U0BOB", "emma": "U0EMMA", "u0bob": "U0BOB"}
        return found.get(wanted)

    def usernames(self) -> list[str]:
        return ["you", "bob", "emma"]


def modal() -> dict[str, Any]:
    """One input of each kind, some with initial values, as an app would open them."""
    return {
        "type": "modal",
        "title": plain("Plan"),
        "blocks": [
            block(
                "budget",
                "Budget",
                {"type": "number_input", "is_decimal_allowed": True, "min_value": "0.5"},
            ),
            block(
                "seats",
                "Seats",
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "max_value": "12",
                    "initial_value": "3",
                },
                optional=True,
            ),
            block(
                "fruit",
                "Fruit",
                {
                    "type": "multi_static_select",
                    "max_selected_items": 2,
                    "option_groups": [
                        {"label": plain("Sweet"), "options": [option("Apple", "a")]},
                        {
                            "label": plain("Sour"),
                            "options": [option("Lemon", "le"), option("Lime", "li")],
                        },
                    ],
                    "initial_options": [option("Lime", "li")],
                },
            ),
            block(
                "extras",
                "Extras",
                {
                    "type": "checkboxes",
                    "options": [option("Napkins", "n"), option("Cutlery", "c")],
                },
                optional=True,
            ),
            block("lead", "Lead", {"type": "users_select", "initial_user": "U0YOU"}),
            block(
                "guests",
                "Guests",
                {"type": "multi_users_select", "max_selected_items": 2},
                optional=True,
            ),
        ],
    }


def fill(form: Form, name: str, value: str) -> str:
    return form.set(name, value, lambda typed: [], people=Directory(), names=NAMES)


def drawn(renderable: RenderableType) -> str:
    out = io.StringIO()
    render.make_console(out, terminal=False, width=86).print(renderable)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def test_a_form_starts_from_its_initial_values_in_slacks_state_shapes() -> None:
    form = Form.opened(modal(), "U0YOU")

    assert form.values() == {
        "budget": {"budget_action": {"type": "number_input", "value": None}},
        "seats": {"seats_action": {"type": "number_input", "value": "3"}},
        "fruit": {
            "fruit_action": {
                "type": "multi_static_select",
                "selected_options": [option("Lime", "li")],
            }
        },
        "extras": {"extras_action": {"type": "checkboxes", "selected_options": []}},
        "lead": {"lead_action": {"type": "users_select", "selected_user": "U0YOU"}},
        "guests": {"guests_action": {"type": "multi_users_select", "selected_users": []}},
    }
    assert form.missing() == ["Budget (budget)"]


def test_the_form_view_shows_initial_values_and_what_each_input_takes() -> None:
    form = Form.opened(modal(), "U0YOU")

    shown = drawn(render.form(form.view, form.state, names=NAMES))

    assert [line.rstrip("│ ") for line in shown.splitlines()[1:9]] == [
        "│ budget  Budget             —  a number of at least 0.5",
        "│ seats   Seats (optional)   3  a whole number of at most 12",
        "│ fruit   Fruit              Lime",
        "│                            any of: Apple, Lemon, Lime (comma-separated, at most 2)",
        "│ extras  Extras (optional)  —",
        "│                            any of: Napkins, Cutlery (comma-separated)",
        "│ lead    Lead               You",
        "│ guests  Guests (optional)  —  names or @mentions, comma-separated",
    ]


def test_filled_in_the_form_submits_what_was_typed_in_slacks_shapes() -> None:
    form = Form.opened(modal(), "U0YOU")

    shown = [
        fill(form, "budget", "0.5"),
        fill(form, "Seats", "-4"),
        fill(form, "fruit", "apple, 3, Apple"),
        fill(form, "extras", "cut"),
        fill(form, "lead", "<@U0BOB|bob>"),
        fill(form, "guests", "@emma, bob, Emma"),
    ]

    assert shown == ["0.5", "-4", "Apple, Lime", "Cutlery", "Bob Miller", "Emma Clarke, Bob Miller"]
    values = form.values()
    assert values["budget"]["budget_action"] == {"type": "number_input", "value": "0.5"}
    assert values["seats"]["seats_action"] == {"type": "number_input", "value": "-4"}
    fruit = values["fruit"]["fruit_action"]["selected_options"]
    assert fruit == [option("Apple", "a"), option("Lime", "li")]
    assert values["extras"]["extras_action"]["selected_options"] == [option("Cutlery", "c")]
    assert values["lead"]["lead_action"] == {"type": "users_select", "selected_user": "U0BOB"}
    assert values["guests"]["guests_action"]["selected_users"] == ["U0EMMA", "U0BOB"]
    assert form.missing() == []


def test_an_empty_value_clears_each_kind() -> None:
    form = Form.opened(modal(), "U0YOU")

    for name in ("seats", "fruit", "lead", "guests"):
        assert fill(form, name, "") == ""

    values = form.values()
    assert values["seats"]["seats_action"]["value"] is None
    assert values["fruit"]["fruit_action"]["selected_options"] == []
    assert values["lead"]["lead_action"]["selected_user"] is None
    assert values["guests"]["guests_action"]["selected_users"] == []
    assert form.missing() == ["Budget (budget)", "Fruit (fruit)", "Lead (lead)"]


@pytest.mark.parametrize(
    ("name", "value", "explained"),
    [
        ("budget", "0.4", "Budget takes a number of at least 0.5, not 0.4"),
        ("budget", "1,5", "Budget takes a number of at least 0.5, not '1,5'"),
        ("budget", "1e3", "Budget takes a number of at least 0.5, not '1e3'"),
        ("seats", "13", "Seats takes a whole number of at most 12, not 13"),
        ("seats", "2.0", "Seats takes a whole number of at most 12, not '2.0'"),
        ("fruit", "apple, lemon, lime", "Fruit takes at most 2 choices; that is 3"),
        ("fruit", "l", "'l' fits several choices of Fruit: Lemon, Lime; say which"),
        ("fruit", "4", "Fruit has no choice '4'; it takes one of: Apple, Lemon, Lime"),
        ("lead", "kenji", "nobody here is called 'kenji': Lead takes one of you, bob, emma"),
        ("guests", "you, bob, emma", "Guests takes at most 2 choices; that is 3"),
    ],
)
def test_what_slacks_browser_refuses_the_form_refuses_in_one_line(
    name: str, value: str, explained: str
) -> None:
    form = Form.opened(modal(), "U0YOU")
    before = form.values()

    with pytest.raises(FormError) as refused:
        fill(form, name, value)

    assert str(refused.value) == explained
    assert form.values() == before


def test_an_option_is_named_by_label_then_number_then_value_then_the_start_of_a_word() -> None:
    options = [option("30 days", "90"), option("For a week", "week"), option("Weekly", "2")]

    def named(typed: str) -> list[str]:
        return [o["value"] for o in matching(options, typed)]

    assert named("30 days") == ["90"]
    assert named("2") == ["week"]  # the second as listed, not the option whose value is "2"
    assert named("WEEK") == ["week"]
    assert named("30") == ["90"]
    assert named("wee") == ["2"]  # a label's start comes before a word's start
    assert named("a") == ["week"]
    assert named("4") == named("x") == named("") == []
