"""An open modal, filled in line by line: `field: value`, then `:submit`.

The form keeps each input's state in the shape Slack submits (`view.state.values`), so the
submission the app receives is the one a person clicking through Slack's modal would send:
a number input's `value` is the typed string (`"60"`), a multi-select's `selected_options` a list
of options (empty when none is chosen), a user select's `selected_user` a user id or null.
Slack checks required fields, input lengths, number bounds and how many choices a multi-select
takes in the browser before anything is sent; the form does the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from bot.sandbox.render import field_display, number_rule, text_object

# Suggestions for an external select, as the app's options endpoint answers them.
Search = Callable[[str], list[dict[str, Any]]]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_SELECTS = ("static_select", "external_select", "radio_buttons")
_MULTI_SELECTS = ("multi_static_select", "checkboxes")
# A number as Slack's number input takes it: digits, a minus sign, one decimal point.
_WHOLE = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)")
# A mention as Slack writes it, <@U123> or <@U123|name>.
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


class People(Protocol):
    """The people a user select can pick: whom a name names, and the names to suggest."""

    def user_id(self, name: str) -> str | None:
        """The user id of the person `name` names (a username, a name, an id), or None."""
        ...

    def usernames(self) -> list[str]:
        """Everyone's username, for the line that says whom a user select can pick."""
        ...


class _Nobody:
    """No directory: a form opened without one picks nobody."""

    def user_id(self, name: str) -> str | None:
        return None

    def usernames(self) -> list[str]:
        return []


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

    def set(
        self,
        name: str,
        value: str,
        search: Search,
        people: People | None = None,
        names: Mapping[str, str] | None = None,
    ) -> str:
        """Set field `name` to `value` (empty clears it); returns what the field now shows.

        `search` answers an external select; `people` names whom a user select picks, and
        `names` shows user ids as names in what is returned.
        """
        block = self.field(name)
        element, block_id = block["element"], block["block_id"]
        value = value.strip()
        state = dict(self.state.get(block_id) or {"type": element.get("type")})
        kind = element.get("type")
        label = self.label(block)
        if kind == "plain_text_input":
            state["value"] = _checked_text(label, element, value)
        elif kind == "number_input":
            state["value"] = _number(label, element, value)
        elif kind in _SELECTS:
            state["selected_option"] = _choice(label, element, value, search)
        elif kind in _MULTI_SELECTS:
            state["selected_options"] = _choices(label, element, value)
        elif kind == "users_select":
            state["selected_user"] = _user(label, value, people or _Nobody())
        elif kind == "multi_users_select":
            state["selected_users"] = _users(label, element, value, people or _Nobody())
        elif kind == "datepicker":
            state["selected_date"] = _date(value)
        elif kind == "timepicker":
            state["selected_time"] = _time(value)
        else:
            raise FormError(f"{block_id} is a {kind} field, which the shell cannot fill in")
        self.state[block_id] = state
        self.errors.pop(block_id, None)
        return field_display(state, names)

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
    """An input's state before anyone touches it, as Slack would submit it."""
    kind = element.get("type")
    state: dict[str, Any] = {"type": kind}
    if kind in ("plain_text_input", "number_input"):
        state["value"] = element.get("initial_value")
    elif kind in _SELECTS:
        state["selected_option"] = element.get("initial_option")
    elif kind in _MULTI_SELECTS:
        state["selected_options"] = list(element.get("initial_options") or [])
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "multi_users_select":
        state["selected_users"] = list(element.get("initial_users") or [])
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


def _number(label: str, element: dict[str, Any], value: str) -> str | None:
    """The typed number, as the string Slack's number input submits, within its bounds."""
    if not value:
        return None
    pattern = _DECIMAL if element.get("is_decimal_allowed") else _WHOLE
    if not pattern.fullmatch(value):
        raise FormError(f"{label} takes {number_rule(element)}, not {value!r}")
    number = Decimal(value)
    low, high = _bound(element.get("min_value")), _bound(element.get("max_value"))
    if (low is not None and number < low) or (high is not None and number > high):
        raise FormError(f"{label} takes {number_rule(element)}, not {value}")
    return value


def _bound(raw: object) -> Decimal | None:
    """A number input's min_value or max_value (Slack sends them as strings)."""
    if raw is None or raw == "":
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def options_of(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A select's options, those in option groups included, in the order Slack lists them."""
    options = element.get("options")
    if options:
        return list(options)
    return [option for group in element.get("option_groups") or [] for option in group["options"]]


def option_label(option: Mapping[str, Any]) -> str:
    return text_object(option.get("text")).plain


def matching(options: Sequence[Mapping[str, Any]], typed: str) -> list[Mapping[str, Any]]:
    """The options `typed` names, from the first way of naming that names any.

    In order: an option's whole label; its number in the list as shown (1 is the first), before
    its value, which people never see; its value; the start of its label; the start of a word
    of its label (`week` for "For a week"). One option back is a choice; several mean `typed`
    fits more than one; none, that it fits nothing.
    """
    wanted = typed.strip().casefold()
    if not wanted:
        return []
    labels = [option_label(option).casefold() for option in options]
    values = [str(option.get("value", "")).casefold() for option in options]
    if wanted.isdigit() and wanted not in labels and 1 <= int(wanted) <= len(options):
        return [options[int(wanted) - 1]]
    for fits in (
        lambda label, value: wanted == label,
        lambda label, value: wanted == value,
        lambda label, value: label.startswith(wanted),
        lambda label, value: any(word.startswith(wanted) for word in label.split()),
    ):
        found = [
            option
            for option, label, value in zip(options, labels, values, strict=True)
            if fits(label, value)
        ]
        if found:
            return found
    return []


def _choice(
    label: str, element: dict[str, Any], value: str, search: Search
) -> dict[str, Any] | None:
    """The option `value` names (see `matching`); an external select asks the app."""
    if not value:
        return None
    if element.get("type") == "external_select":
        return _suggested(label, value, search(value))
    return dict(_one(label, options_of(element), value))


def _suggested(label: str, value: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """The suggestion `value` names exactly, else the app's best match, as Slack lists it first."""
    wanted = value.casefold()
    exact = next(
        (
            o
            for o in options
            if wanted in (str(o.get("value", "")).casefold(), option_label(o).casefold())
        ),
        None,
    )
    if exact is not None:
        return exact
    if options:
        return options[0]
    raise FormError(f"no match for {value!r} in {label}")


def _one(label: str, options: list[dict[str, Any]], typed: str) -> Mapping[str, Any]:
    found = matching(options, typed)
    if len(found) == 1:
        return found[0]
    if found:
        several = ", ".join(option_label(o) for o in found)
        raise FormError(f"{typed!r} fits several choices of {label}: {several}; say which")
    choices = ", ".join(option_label(o) for o in options)
    raise FormError(f"{label} has no choice {typed!r}; it takes one of: {choices}")


def _choices(label: str, element: dict[str, Any], value: str) -> list[dict[str, Any]]:
    """The options a comma-separated `value` names, each once, in the order typed."""
    options = options_of(element)
    chosen: list[dict[str, Any]] = []
    for typed in _items(value):
        option = dict(_one(label, options, typed))
        if option not in chosen:
            chosen.append(option)
    _check_count(label, element, len(chosen))
    return chosen


def _user(label: str, value: str, people: People) -> str | None:
    """The user id of the person `value` names: a name the sandbox knows, or a mention."""
    if not value:
        return None
    mention = _MENTION.fullmatch(value)
    user_id = people.user_id(mention.group(1) if mention else value)
    if user_id is None:
        known = ", ".join(people.usernames()) or "nobody"
        raise FormError(f"nobody here is called {value!r}: {label} takes one of {known}")
    return user_id


def _users(label: str, element: dict[str, Any], value: str, people: People) -> list[str]:
    """The user ids a comma-separated `value` names, each once, in the order typed."""
    chosen: list[str] = []
    for typed in _items(value):
        user_id = _user(label, typed, people)
        if user_id is not None and user_id not in chosen:
            chosen.append(user_id)
    _check_count(label, element, len(chosen))
    return chosen


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _check_count(label: str, element: dict[str, Any], chosen: int) -> None:
    """Slack's multi-selects take at most `max_selected_items` choices."""
    limit = element.get("max_selected_items")
    if isinstance(limit, int) and chosen > limit:
        raise FormError(f"{label} takes at most {limit} choices; that is {chosen}")
