"""The text budget of one Slack message: what `chat.postMessage` and `chat.update` accept.

Slack documents 50 blocks a message and 3,000 characters a section, but refuses messages well
within those (`msg_blocks_too_long`) once the text across all blocks grows long: it has been
seen refusing at 11,341 and about 13,300 characters of text, counted over every text object in
the blocks, mrkdwn markup included. Rapport keeps every message it builds within
`TEXT_BUDGET`, counted by `text_chars` alone, so that no DM or digest fails for being big; the
Slack stand-in refuses above `STANDIN_LIMIT` by the same count.

The count is of the JSON Slack is sent, but a message being filled asks it for every block it
tries, and turning slack_sdk's models into dictionaries (`to_dict`, which validates every
object on the way) cost a third of drawing a digest. So the models are walked as `to_dict`
would serialise them, without building or validating anything: a model whose class keeps
slack_sdk's generic serialisation (its `attributes`, each read as `get_object_attribute` reads
it) is walked attribute by attribute; an `Option` as its block form (its text object, else its
label as plain text, and its description); any other model that serialises itself is counted
from its `to_dict`, so that a class this module does not know is counted exactly, if slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, Option, TextObject

# What Rapport allows itself; below every refusal seen, with room for Slack's own counting.
TEXT_BUDGET = 10_000
# Where the stand-in starts refusing, as Slack did in the lowest case seen (11,341).
STANDIN_LIMIT = 11_000

_TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})


def text_chars(blocks: Iterable[Block | Mapping[str, Any]] | None) -> int:
    """Characters of text in `blocks` (models or their dicts): the sum of the `text` of every
    text object (`plain_text`, `mrkdwn`) anywhere in them, markup included; the same count for
    a model as for its `to_dict()`."""
    if blocks is None:
        return 0
    return sum(_chars(block) for block in blocks)


def within_budget(blocks: Iterable[Block | Mapping[str, Any]] | None) -> bool:
    """Whether `blocks` keep to `TEXT_BUDGET`."""
    return text_chars(blocks) <= TEXT_BUDGET


def _chars(value: Any) -> int:
    """The text characters of one value of a block, as `to_dict` would serialise it: models
    walked (`_model_chars`), dicts and lists counted as JSON (`_count`), anything else none."""
    if isinstance(value, JsonObject):
        return _model_chars(value)
    if isinstance(value, Mapping):
        return _count(value)
    if isinstance(value, list | tuple):
        return sum(_chars(item) for item in value)
    serialise = getattr(value, "to_dict", None)
    if callable(serialise):
        # Not a slack_sdk model, but serialised like one (`to_dict_compatible`).
        return _count(serialise())
    return 0


def _model_chars(model: JsonObject) -> int:
    if isinstance(model, Option):
        return _option_chars(model)
    names = _walked(model)
    if names is None:
        return _count(model.to_dict())
    text = getattr(model, "text", None) if "text" in names else None
    own = (
        len(text)
        if isinstance(text, str) and "type" in names and getattr(model, "type", None) in _TEXT_TYPES
        else 0
    )
    total = own
    for name in names:
        value = getattr(model, name, None)
        # Strings, numbers and flags outside a text object hold no text (`_count`).
        if value is None or isinstance(value, str | int | float) or (own and name == "text"):
            continue
        total += _chars(value)
    return total


def _option_chars(option: Option) -> int:
    """An option as `Option.to_dict()` (block form) serialises it: its text object, or its
    label as plain text, and its description; `value` and `url` are not text objects."""
    if type(option).to_dict is not Option.to_dict:
        return _count(option.to_dict())
    text: TextObject | None = getattr(option, "_text", None)
    description: TextObject | None = getattr(option, "_block_description", None)
    own = _chars(text) if text is not None else len(option.label or "")
    return own + (_chars(description) if description is not None else 0)


def _walked(model: JsonObject) -> tuple[str, ...] | None:
    """The names `to_dict` serialises of a model of this class, for `_model_chars` to walk;
    None for a class that serialises itself (or reads its values otherwise), to be counted
    from its `to_dict`. slack_sdk's `attributes` are the same for every object of a class (a
    set, or a property uniting constant sets), so they are read once per class."""
    cls = type(model)
    if cls not in _WALKED:
        generic = (
            cls.to_dict is JsonObject.to_dict
            and cls.get_non_null_attributes is JsonObject.get_non_null_attributes
            and cls.get_object_attribute is JsonObject.get_object_attribute
        )
        _WALKED[cls] = tuple(sorted(model.attributes)) if generic else None
    return _WALKED[cls]


_WALKED: dict[type[JsonObject], tuple[str, ...] | None] = {}


def _count(value: Any) -> int:
    if isinstance(value, Mapping):
        own = (
            len(value["text"])
            if value.get("type") in _TEXT_TYPES and isinstance(value.get("text"), str)
            else 0
        )
        return own + sum(_count(v) for k, v in value.items() if not (own and k == "text"))
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return sum(_count(item) for item in value)
    return 0
