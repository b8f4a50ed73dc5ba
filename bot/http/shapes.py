"""Is a signed body in a shape Slack sends? The JSON types of the fields Rapport and Bolt read.

Slack's request bodies are documented objects: a `team` is an object (a bare id in some
events, null for an org-wide install), `actions` a list of objects each with an `action_id`, a
`view` an object whose `state.values` maps block ids to action ids to objects, an `event` an
object with a `type`. Bolt and the listeners read them as such: before Bolt has dispatched a
request, a field of another type (a `team` that is a list, a `view` that is null, an `event`
that is a string) raised in Bolt's own request parsing, where no error handler runs, and the
answer was a 500.

`shape_problem` checks the fields that are read, at every level they are read, and lets every
other field through: a new field Slack adds is no problem, and the replay corpus of bodies from
Slack's SDKs (tests/corpus/) is the check that no shape Slack sends is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NONE = type(None)


@dataclass(frozen=True)
class Obj:
    """A JSON object; the listed fields, where present, follow their rules."""

    fields: Mapping[str, Rule]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Items:
    """A JSON array whose every element follows `item`."""

    item: Rule
    non_empty: bool = False


@dataclass(frozen=True)
class Each:
    """A JSON object with keys of its own choosing (block ids, action ids), each value `value`."""

    value: Rule


# A rule: the alternatives a value may be, each a Python type or a structure.
Rule = tuple[type | Obj | Items | Each, ...]

TEXT: Rule = (str,)
OPT_TEXT: Rule = (str, NONE)
FLAG: Rule = (bool, str, NONE)  # "is_enterprise_install" is "false" in a form body
ANY_OBJECT: Rule = (dict, NONE)

ID_OBJECT = Obj({"id": OPT_TEXT, "team_id": OPT_TEXT, "enterprise_id": OPT_TEXT})
# A team, user, channel or enterprise: an object, a bare id, or null.
PARTY: Rule = (ID_OBJECT, str, NONE)
OPTION: Rule = (Obj({"value": OPT_TEXT}), NONE)
INPUT = Obj(
    {
        "value": OPT_TEXT,
        "selected_date": OPT_TEXT,
        "selected_time": OPT_TEXT,
        "selected_option": OPTION,
    }
)
STATE = Obj({"values": (Each((Each((INPUT,)),)), NONE)})
_VIEW_FIELDS: dict[str, Rule] = {
    "id": OPT_TEXT,
    "type": OPT_TEXT,
    "callback_id": OPT_TEXT,
    "private_metadata": OPT_TEXT,
    "team_id": OPT_TEXT,
    "app_installed_team_id": OPT_TEXT,
    "blocks": (Items((dict,)), NONE),
    "state": (STATE, NONE),
}
VIEW = Obj(_VIEW_FIELDS)
# A submitted or closed view: Bolt reads its `type` ("modal", "workflow_step") unguarded.
SUBMITTED_VIEW = Obj({**_VIEW_FIELDS, "type": TEXT}, required=("type",))
ACTION = Obj(
    {
        "action_id": TEXT,
        "block_id": OPT_TEXT,
        "value": OPT_TEXT,
        "selected_date": OPT_TEXT,
        "selected_option": OPTION,
    },
    required=("action_id",),
)
MESSAGE = Obj(
    {
        "user": OPT_TEXT,
        "bot_id": OPT_TEXT,
        "text": OPT_TEXT,
        "ts": OPT_TEXT,
        "thread_ts": OPT_TEXT,
    }
)
CONTAINER = Obj({"channel_id": OPT_TEXT, "message_ts": OPT_TEXT, "thread_ts": OPT_TEXT})
AUTHORIZATION = Obj(
    {
        "team_id": OPT_TEXT,
        "user_id": OPT_TEXT,
        "enterprise_id": OPT_TEXT,
        "is_enterprise_install": FLAG,
    }
)
PROFILE = Obj(
    {"real_name": OPT_TEXT, "display_name": OPT_TEXT, "email": OPT_TEXT, "team": OPT_TEXT}
)
# A user object, as `user_change` and `team_join` carry one.
USER = Obj(
    {
        "id": OPT_TEXT,
        "team_id": OPT_TEXT,
        "name": OPT_TEXT,
        "real_name": OPT_TEXT,
        "tz": OPT_TEXT,
        "locale": OPT_TEXT,
        "deleted": (bool, NONE),
        "is_bot": (bool, NONE),
        "is_admin": (bool, NONE),
        "is_owner": (bool, NONE),
        "profile": (PROFILE, NONE),
    }
)
EVENT = Obj(
    {
        "type": TEXT,
        "subtype": OPT_TEXT,
        "user": (USER, str, NONE),
        "bot_id": OPT_TEXT,
        "team": PARTY,
        "user_team": OPT_TEXT,
        "source_team": OPT_TEXT,
        "channel": PARTY,
        "channel_type": OPT_TEXT,
        "thread_ts": OPT_TEXT,
        "tab": OPT_TEXT,
        "item": ANY_OBJECT,
        "message": ANY_OBJECT,
        "previous_message": ANY_OBJECT,
        "assistant_thread": ANY_OBJECT,
        "workflow_step": ANY_OBJECT,
        "inputs": ANY_OBJECT,
        "callback_id": OPT_TEXT,
        "function_execution_id": OPT_TEXT,
        "bot_access_token": OPT_TEXT,
    },
    required=("type",),
)

# Fields of any request body, whatever its kind.
COMMON: dict[str, Rule] = {
    "type": TEXT,
    "team": PARTY,
    "user": PARTY,
    "channel": PARTY,
    "enterprise": PARTY,
    "team_id": OPT_TEXT,
    "user_id": OPT_TEXT,
    "enterprise_id": OPT_TEXT,
    "api_app_id": OPT_TEXT,
    "is_enterprise_install": FLAG,
    "is_ext_shared_channel": (bool, NONE),
    "authorizations": (Items((AUTHORIZATION,)), NONE),
    "event": (EVENT,),
    "event_id": OPT_TEXT,
    "challenge": OPT_TEXT,
    "container": (CONTAINER, NONE),
    "trigger_id": OPT_TEXT,
    "response_url": OPT_TEXT,
    "response_urls": (Items((Obj({"response_url": OPT_TEXT}),)), NONE),
    "actions": (Items((dict,)), NONE),
    "view": (VIEW,),
    "message": (MESSAGE, NONE),
    "state": (STATE, str, NONE),  # a dialog's state is the string the app gave it
    "function_data": (Obj({"execution_id": OPT_TEXT, "inputs": ANY_OBJECT}), NONE),
    "bot_access_token": OPT_TEXT,
    "callback_id": OPT_TEXT,
    "action_id": OPT_TEXT,
    "block_id": OPT_TEXT,
    "value": OPT_TEXT,
}
# What a kind must carry, on top, as Bolt's matchers read it without looking first.
KINDS: dict[str, dict[str, Rule]] = {
    "block_actions": {"actions": (Items((ACTION,), non_empty=True),)},
    "view_submission": {"view": (SUBMITTED_VIEW,)},
    "view_closed": {"view": (SUBMITTED_VIEW,)},
    "block_suggestion": {"action_id": TEXT},
    "shortcut": {"callback_id": TEXT},
    "message_action": {"callback_id": TEXT},
    "interactive_message": {"callback_id": TEXT, "actions": (Items((dict,)), NONE)},
    "dialog_submission": {"callback_id": TEXT},
    "dialog_cancellation": {"callback_id": TEXT},
    "dialog_suggestion": {"callback_id": TEXT},
    "workflow_step_edit": {"callback_id": TEXT},
    "event_callback": {"event": (EVENT,)},
}
SLASH_COMMAND = ("command", "team_id", "user_id")


def shape_problem(kind: str, body: Mapping[str, Any]) -> str | None:
    """None when `body` (an interaction's payload, an event envelope, or a slash command's
    fields) is shaped as Slack sends it; otherwise the first field that is not, as a path."""
    if kind == "slash_command":
        missing = [name for name in SLASH_COMMAND if name not in body]
        return missing[0] if missing else None
    if kind == "ssl_check":
        return None
    rules = {**COMMON, **KINDS.get(kind, {})}
    return _object_problem(Obj(rules, required=tuple(KINDS.get(kind, {}))), body, "")


def _problem(rule: Rule, value: Any, path: str) -> str | None:
    """None when `value` fits one of `rule`'s alternatives, else the deepest path that fits none."""
    deepest = path or "(body)"
    for alternative in rule:
        if isinstance(alternative, type):
            if isinstance(value, alternative):
                return None
            continue
        if isinstance(alternative, Obj) and isinstance(value, dict):
            found = _object_problem(alternative, value, path)
        elif isinstance(alternative, Items) and isinstance(value, list):
            found = _items_problem(alternative, value, path)
        elif isinstance(alternative, Each) and isinstance(value, dict):
            found = next(
                (
                    p
                    for key, item in value.items()
                    if (p := _problem(alternative.value, item, f"{path}.{key}")) is not None
                ),
                None,
            )
        else:
            continue
        if found is None:
            return None
        deepest = found
    return deepest


def _object_problem(shape: Obj, value: Mapping[str, Any], path: str) -> str | None:
    prefix = f"{path}." if path else ""
    for name in shape.required:
        if name not in value:
            return f"{prefix}{name}"
    for name, rule in shape.fields.items():
        if name in value:
            found = _problem(rule, value[name], f"{prefix}{name}")
            if found is not None:
                return found
    return None


def _items_problem(shape: Items, value: list[Any], path: str) -> str | None:
    if shape.non_empty and not value:
        return f"{path}[]"
    for index, item in enumerate(value):
        found = _problem(shape.item, item, f"{path}[{index}]")
        if found is not None:
            return found
    return None
