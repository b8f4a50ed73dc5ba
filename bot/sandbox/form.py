"""An open modal, filled in line by line: `field: value`, then `:submit`.

The form keeps each input's state in the shape Slack submits (`view.state.values`), so the
submission the app receives is the one a person clicking through Slack's modal would send.
Slack checks required fields and input lengths in the browser before anything is sent; the form
does the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from bot.sandbox.render import field_display, text_object

# Suggestions for an external select, as the app's options endpoint answers them.
Search = Callable[[str], list[dict[str, Any]]]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_SELECTS = ("static_select", "external_select", "radio_buttons")


class FormError(ValueError):
    """A value the form cannot take; the message is one line for the user."""


def _key(text: str) -> str:
    """Field names compare without case, punctuation or the difference between _ and space."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@dataclass
class Form:
    """A modal the app opened for `user`, with the values entered so far."""

    view: dict[str, Any]
    user: str
    state: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def opened(cls, view: dict[str, Any], user: str) -> Form:
        """The form as Slack first shows it: every input at its initial value."""
        form = cls(view, user)
        for block in form.inputs():
            element = block["element"]
            form.state[block["block_id"]] = _initial_state(element)
        return form

    @property
    def title(self) -> str:
        return text_object(self.view.get("title")).plain

    def inputs(self) -> list[dict[str, Any]]:
        return [b for b in self.view.get("blocks", []) if b.get("type") == "input"]

    def label(self, block: dict[str, Any]) -> str:
        return text_object(block.get("label")).plain

    def field(self, name: str) -> dict[str, Any]:
        """The input block `name` means: its block id or its label, in any case."""
        wanted = _key(name)
        inputs = self.inputs()
        found = next((b for b in inputs if _key(b["block_id"]) == wanted), None)
        found = found or next((b for b in inputs if _key(self.label(b)) == wanted), None)
        if found is None:
            names = ", ".join(b["block_id"] for b in inputs)
            raise FormError(f"the form has no field {name.strip()!r}; its fields are {names}")
        return found

    def set(self, name: str, value: str, search: Search) -> str:
        """Set field `name` to `value` (empty clears it); returns what the field now shows."""
        block = self.field(name)
        element, block_id = block["element"], block["block_id"]
        value = value.strip()
        state = dict(self.state.get(block_id) or {"type": element.get("type")})
        kind = element.get("type")
        if kind == "plain_text_input":
            state["value"] = _checked_text(self.label(block), element, value)
        elif kind in _SELECTS:
            state["selected_option"] = _choice(self.label(block), element, value, search)
        elif kind == "datepicker":
            state["selected_date"] = _date(value)
        elif kind == "timepicker":
            state["selected_time"] = _time(value)
        else:
            raise FormError(f"{block_id} is a {kind} field, which the shell cannot fill in")
        self.state[block_id] = state
        self.errors.pop(block_id, None)
        return field_display(state)

    def missing(self) -> list[str]:
        """Required fields left empty, as "Label (field)"; Slack would not let the form go."""
        return [
            f"{self.label(block)} ({block['block_id']})"
            for block in self.inputs()
            if not block.get("optional") and not field_display(self.state[block["block_id"]])
        ]

    def values(self) -> dict[str, dict[str, dict[str, Any]]]:
        """`view.state.values`: block id → action id → element state."""
        return {
            block["block_id"]: {block["element"]["action_id"]: dict(self.state[block["block_id"]])}
            for block in self.inputs()
        }


def _initial_state(element: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type")
    state: dict[str, Any] = {"type": kind}
    if kind == "plain_text_input":
        state["value"] = element.get("initial_value")
    elif kind in _SELECTS:
        state["selected_option"] = element.get("initial_option")
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        state["selected_time"] = element.get("initial_time")
    return state


def _checked_text(label: str, element: dict[str, Any], value: str) -> str | None:
    limit = element.get("max_length")
    if limit is not None and len(value) > limit:
        raise FormError(f"{label} takes at most {limit} characters; that is {len(value)}")
    return value or None


def _date(value: str) -> str | None:
    """An ISO date, as Slack's date picker submits it."""
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise FormError(
            f"{value!r} is not a date: use YYYY-MM-DD, for example 2026-12-04"
        ) from None
    return value


def _time(value: str) -> str | None:
    """ "HH:MM", as Slack's time picker submits it."""
    if not value:
        return None
    try:
        if not _TIME.fullmatch(value):
            raise ValueError
        return time.fromisoformat(value.zfill(5)).strftime("%H:%M")
    except ValueError:
        raise FormError(f"{value!r} is not a time: use HH:MM, for example 14:30") from None


def _choice(
    label: str, element: dict[str, Any], value: str, search: Search
) -> dict[str, Any] | None:
    """The option `value` names, by its value or its label; an external select asks the app."""
    if not value:
        return None
    external = element.get("type") == "external_select"
    options = search(value) if external else element.get("options", [])
    wanted = value.casefold()

    def shown(option: dict[str, Any]) -> str:
        return text_object(option.get("text")).plain

    exact = next(
        (o for o in options if wanted in (str(o.get("value", "")).casefold(), shown(o).casefold())),
        None,
    )
    if exact is not None:
        return exact
    if external and options:
        return options[0]  # the app's best match for what was typed, as Slack lists it first
    if external:
        raise FormError(f"no match for {value!r} in {label}")
    starting = [o for o in options if shown(o).casefold().startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    choices = ", ".join(shown(o) for o in options)
    raise FormError(f"{label} has no choice {value!r}; it takes one of: {choices}")
