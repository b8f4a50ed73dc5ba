"""Block Kit messages for `/logcontact`, built with slack_sdk's models so limits are checked.

A `Reply` is what the user sees: blocks plus the plain-text fallback that notifications and
screen readers use, which always says the same thing as the blocks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from typing import Any, Protocol

from babel.dates import format_skeleton, format_time
from babel.lists import format_list
from slack_sdk.models.basic_objects import EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST, JsonObject
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.parsing.checks import row_id
from bot.parsing.contact_text import Choices
from bot.parsing.promise_text import names_only_a_day
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader, babel_locale, escape, spelled_date, text
from storage.vocabulary import CONTACT_WINDOW_DAYS

# Slack refuses a message with more blocks than this.
MESSAGE_BLOCKS_MAX = 50
NOTE_EXCERPT_CHARS = 500
# The most of a user's own text a refusal quotes back (a long promise, a list of names).
ECHO_MAX_CHARS = 300
ACTION_UNDO = "log_undo"
ACTION_EDIT = "log_edit"
ACTION_MOVE = "log_move"

EXAMPLE_FOR_PROBLEM = {
    "no_partner": "example.basic",
    "unclosed_quote": "example.quoted",
    "bad_date": "example.when",
    "when_in_future": "example.when",
    "when_later_today": "example.when",
    "promise_empty": "example.promise",
    "promise_without_due": "example.promise",
    "promise_due_in_past": "example.promise",
    "ambiguous_partner": "example.quoted",
}


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[Block] = field(default_factory=list)

    def body(self, **extra: Any) -> dict[str, Any]:
        """The JSON Slack expects in an ack or a response_url post (ephemeral by default)."""
        return {
            "response_type": "ephemeral",
            "text": self.text,
            "blocks": [as_json(block) for block in self.blocks],
            **extra,
        }


def partner_label(name: str, organisation: str | None) -> str:
    return f"{name} ({organisation})" if organisation else name


def notice(text: str) -> Reply:
    """A one-section message; `text` is mrkdwn already escaped by the caller."""
    return Reply(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])


def _shown(reader: Reader, value: object) -> str:
    """A problem's detail as the reader reads it: a day spelled out, a time of day on their
    locale's clock ("22:00", "10:00 PM"), anything typed escaped and cut short."""
    if isinstance(value, date):
        return reader.day(value)
    if isinstance(value, time):
        return format_time(value, format="short", locale=babel_locale(reader.locale))
    if isinstance(value, Choices):
        # Cut to whole labels already, shorter than an echo (`CHOICES_MAX_CHARS`).
        return escape(value.text(reader.t))
    return escape(excerpt(str(value), ECHO_MAX_CHARS))


def problem(reader: Reader, key: str, **values: object) -> Reply:
    """Why the input was refused, and (for parse problems) an example that works.

    What the user typed is quoted back cut to `ECHO_MAX_CHARS`, so that the reply fits one
    section (3,000 characters) whatever they sent.
    """
    shown = {k: _shown(reader, v) for k, v in values.items()}
    message = reader.t(key, **shown)
    if key.startswith("problem.") and key.removeprefix("problem.") in (
        "database",
        "outcome_unknown",
        "slack",
        "unexpected",
        "form_not_opened",
    ):
        return notice(message)
    text = reader.t("problem.title", problem=message) if key.startswith("problem.") else message
    example = EXAMPLE_FOR_PROBLEM.get(key.removeprefix("problem."))
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    if example:
        hint = reader.t("problem.example", example=reader.t(example))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
        text = f"{text}\n{hint}"
    return Reply(text=text, blocks=blocks)


def help_reply(reader: Reader) -> Reply:
    body = reader.t("help.body")
    return Reply(
        text=f"{reader.t('help.title')}\n{body}",
        blocks=[
            HeaderBlock(text=reader.t("help.title")),
            SectionBlock(text=MarkdownTextObject(text=body)),
        ],
    )


class ContactShown(Protocol):
    """What a summary shows of a logged contact."""

    @property
    def id(self) -> int: ...
    @property
    def medium(self) -> str | None: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def has_time(self) -> bool: ...
    @property
    def kind(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def note(self) -> str: ...


class PartnerShown(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def organisation(self) -> str | None: ...


class PromiseShown(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def due_on(self) -> date: ...
    @property
    def promised_by(self) -> str: ...


class LoggedShown(Protocol):
    """A logged contact as the summary shows it (`bot.usecases.contacts.Logged`)."""

    @property
    def interaction(self) -> ContactShown: ...
    @property
    def partner(self) -> PartnerShown: ...
    @property
    def promise(self) -> PromiseShown | None: ...
    @property
    def created_partner(self) -> bool: ...
    @property
    def suggestions(self) -> Sequence[PartnerShown]: ...
    @property
    def edit_token(self) -> str | None: ...


class LoadContactShown(Protocol):
    """One of the other contacts an over-contact line names: how, by whom (a Slack id), when."""

    @property
    def medium(self) -> str | None: ...
    @property
    def by(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...


class LoadShown(Protocol):
    """What the over-contact line says (`bot.rules.relationships.contact_balance.OverContact`):
    `count` contacts counted, the new one among them; `others`, newest first, at least the first
    `LOAD_NAMED_MAX` of the rest (the line names those and counts the others)."""

    @property
    def count(self) -> int: ...
    @property
    def threshold(self) -> int: ...
    @property
    def others(self) -> Sequence[LoadContactShown]: ...


# The most other contacts an over-contact line names; the rest are counted.
LOAD_NAMED_MAX = 5


def load_line(
    reader: Reader, load: LoadShown, partner: str, asker: str | None, now: datetime
) -> str:
    """ "That's 3 contacts we started with Acme in 14 days: a call by you today, an e-mail by
    @Ben on Wednesday. Quality over quantity: maybe bundle the next one." `partner` is escaped
    already; `asker` is the reader's Slack id, named "you"."""
    today = reader.today(now)
    named = [
        reader.t(
            "contact_load.by",
            medium=reader.t(f"contact_load.medium.{c.medium or 'none'}"),
            who=reader.t("contact_load.you") if c.by == asker else f"<@{c.by}>",
            day=_load_day(reader, c.occurred_at, today),
        )
        for c in load.others[:LOAD_NAMED_MAX]
    ]
    # `others` may hold only the newest few: the rest are counted (the new contact aside).
    more = load.count - 1 - len(named)
    if more:
        # German agrees with the count: "1 weiterer" (Kontakt), "2 weitere".
        key = "contact_load.more_one" if more == 1 else "contact_load.more"
        named.append(reader.t(key, count=more))
    others = format_list(named, locale=babel_locale(reader.locale))
    return reader.t(
        "contact_load.line",
        count=load.count,
        partner=partner,
        days=CONTACT_WINDOW_DAYS,
        others=others,
    )


def _load_day(reader: Reader, instant: datetime, today: date) -> str:
    """ "today", "yesterday", "on Monday" within the week, "on November 11" before that, as
    seen on the reader's `today`."""
    day = reader.local(instant).date()
    ago = (today - day).days
    if ago <= 0:
        return reader.t("contact_load.day.today")
    if ago == 1:
        return reader.t("contact_load.day.yesterday")
    if ago < 7:
        return reader.t("contact_load.day.on", day=spelled_date(day, "EEEE", reader.locale))
    # The month spelled out: an abbreviation's dot would end the sentence twice ("Nov..").
    locale = babel_locale(reader.locale)
    return reader.t("contact_load.day.on", day=format_skeleton("MMMMd", day, locale=locale))


def undo_value(interaction_id: int, edit_token: str | None) -> str:
    """Undo's value: the contact ("17"), and after an edit which edit it takes back
    ("17:9f2c…"). What the edit changed is kept server-side, never in the value."""
    return f"{interaction_id}:{edit_token}" if edit_token else str(interaction_id)


def parse_undo_value(value: str | None) -> tuple[int, str | None] | None:
    """(contact id, edit token or None) from Undo's value; None for a value no summary
    carries. An edit token is 16 lowercase hex digits (`bot.usecases.edit_history`)."""
    row, colon, edit = (value or "").partition(":")
    interaction_id = row_id(row)
    if interaction_id is None or (colon and _EDIT_TOKEN.fullmatch(edit) is None):
        return None
    return interaction_id, edit or None


_EDIT_TOKEN = re.compile(r"[0-9a-f]{16}")


def logged_reply(
    reader: Reader,
    logged: LoggedShown,
    now: datetime,
    *,
    updated: bool = False,
    title: str | None = None,
    load: LoadShown | None = None,
    asker: str | None = None,
    organisation_set: bool = False,
) -> Reply:
    """What was understood and stored, with Undo and Edit (and "did you mean" when it helps);
    with `load`, the over-contact line after what was logged (`asker`: who is "you" in it);
    with `organisation_set`, a line saying the partner was given the organisation typed."""
    interaction, partner = logged.interaction, logged.partner
    name = escape(partner_label(partner.name, partner.organisation))
    medium = reader.t(f"medium.{interaction.medium or 'none'}")
    when = reader.when(interaction.occurred_at, has_time=interaction.has_time, now=now)
    title = title or reader.t("logged.updated" if updated else "logged.title", partner=name)
    fields = [
        (reader.t("field.medium"), medium),
        (reader.t("field.kind"), reader.t(f"kind.{interaction.kind}")),
        (reader.t("field.direction"), reader.t(f"direction.{interaction.direction}")),
        (reader.t("field.when"), when),
    ]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=title),
            fields=[MarkdownTextObject(text=f"*{label}*\n{value}") for label, value in fields],
        )
    ]
    if interaction.note:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*{reader.t('field.note')}*\n{escape(excerpt(interaction.note))}"
                )
            )
        )
    # The promise's day, heading and whether its text names only the day, worked out once for
    # the block and the fallback (reading the text again cost as much as the rest of the line).
    due = heading = ""
    untitled = False
    if logged.promise is not None:
        due = reader.day(logged.promise.due_on)
        untitled = names_only_a_day(logged.promise.text)
        line = (
            reader.t("promise.line_untitled", due=due)
            if untitled
            else reader.t("promise.line", text=escape(excerpt(logged.promise.text)), due=due)
        )
        heading = reader.t(_promise_field(logged.promise))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{heading}*\n{line}")))
    load_text = load_line(reader, load, name, asker, now) if load is not None else None
    if load_text is not None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=load_text)))
    if logged.created_partner:
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=reader.t("logged.new_partner", partner=name))]
            )
        )
    set_line = _organisation_set_line(reader, partner) if organisation_set else None
    if set_line is not None:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=set_line)]))
    if logged.suggestions:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=reader.t("logged.did_you_mean"))))
        blocks.append(
            ActionsBlock(
                block_id="did_you_mean",
                elements=[
                    ButtonElement(
                        text=button_text(partner_label(s.name, s.organisation)),
                        action_id=f"{ACTION_MOVE}_{s.id}",
                        value=f"{interaction.id}:{s.id}",
                    )
                    for s in logged.suggestions
                ],
            )
        )
    blocks.append(
        ActionsBlock(
            block_id="logged_actions",
            elements=[
                ButtonElement(
                    text=reader.t("button.undo"),
                    action_id=ACTION_UNDO,
                    value=undo_value(interaction.id, logged.edit_token),
                ),
                ButtonElement(
                    text=reader.t("button.edit"), action_id=ACTION_EDIT, value=str(interaction.id)
                ),
            ],
        )
    )
    # The fallback text is read as mrkdwn too: what people typed is escaped in it as well.
    fallback = reader.t(
        "logged.fallback",
        medium=medium,
        partner=escape(partner_label(partner.name, partner.organisation)),
        when=when,
    )
    if logged.promise is not None:
        # As `promise_words` shows the whole text.
        shown = reader.t("promise.untitled") if untitled else escape(logged.promise.text)
        fallback += f" {heading}: {shown} ({due})"
    if load_text is not None:
        fallback += f" {load_text}"
    if set_line is not None:
        fallback += f" {set_line}"
    return Reply(text=fallback, blocks=blocks)


def _organisation_set_line(reader: Reader, partner: PartnerShown) -> str | None:
    """The line saying the partner was given the organisation the text typed: their card
    changed with the contact, which the member should not learn only from the card."""
    if not partner.organisation:
        return None
    return reader.t(
        "logged.organisation_set",
        partner=escape(partner.name),
        organisation=escape(partner.organisation),
    )


def _promise_field(promise: PromiseShown) -> str:
    """The heading that says whose promise it is: one the partner made must not read as ours."""
    return "field.their_promise" if promise.promised_by == "partner" else "field.promise"


def promise_words(reader: Reader, text: str, limit: int, *, start: bool = False) -> str:
    """A promise's text as shown: escaped, cut to `limit` characters. A text that names nothing
    but the due day ("bis 2027-01-08": all its words were the due phrase) reads as "a promise"
    ("A promise" at the `start` of a sentence), since the due day is shown beside it anyway
    and the date in the text would only repeat it, or contradict it once it moved."""
    if names_only_a_day(text):
        return reader.t("promise.untitled_start" if start else "promise.untitled")
    return escape(excerpt(text, limit))


def excerpt(text: str, limit: int = NOTE_EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def button_text(label: str) -> str:
    """Slack cuts button labels at 75 characters; cut them ourselves, visibly."""
    return excerpt(label, 75)


REFUSED = "access.refused"


def refusal(reader: Reader | None) -> Reply:
    """The answer to someone who may not use Rapport (see `bot.rules.access`): why nothing
    happened; in both languages when the person's own is not known."""
    if reader is None:
        return notice(f"{text('en', REFUSED)}\n{text('de', REFUSED)}")
    return notice(reader.t(REFUSED))


# The marker before each health word (`bot.rules.relationships.health`): a colour by how soon
# someone should act, so that a list can be scanned without reading.
HEALTH_MARKERS: dict[Health, str] = {
    Health.FINE: ":large_green_circle:",
    Health.CHECK_IN_DUE_SOON: ":large_yellow_circle:",
    Health.CHECK_IN_OVERDUE: ":large_orange_circle:",
    Health.ONE_SIDED: ":large_orange_circle:",
    Health.NEGLECTED: ":red_circle:",
    Health.PROMISES_OVERDUE: ":red_circle:",
    Health.UNOWNED: ":red_circle:",
}


def health_words(reader: Reader, states: Sequence[Health]) -> str:
    """A partner's health as read: the most severe state's marker, then every state's word,
    most severe first (`health` returns them in that order): ":red_circle: neglected,
    check-in overdue"."""
    shown = list(states) or [Health.FINE]
    words = format_list(
        [reader.t(f"health.{state.value}") for state in shown],
        locale=babel_locale(reader.locale),
    )
    return f"{HEALTH_MARKERS[shown[0]]} {words}"


# --- Block Kit models to JSON ---------------------------------------------------------------
# As slack_sdk's `to_dict` gives it, for less of the CPU: `JsonObject.to_dict` validates each
# object by listing and sorting its attributes to find its validator methods, then walks its
# attributes through generic helpers that call `to_dict` on children and walk their dicts once
# more. For the summary of one logged contact that was about 700 Python calls, an eighth of the
# whole command. `as_json` runs the same validators (found once per class), keeps the same keys
# (the object's `attributes`, sorted; None and empty values left out) and serialises each child
# once. A class that shapes its JSON its own way (its own `to_dict`, `get_non_null_attributes`
# or `get_object_attribute`, or a type slack_sdk lets keep an empty list) goes through its own
# `to_dict`. tests/unit/blocks/test_serialize.py holds the output equal to `to_dict`'s.
#
# What to do with a value is decided once per type (`_shape`), not by `isinstance` each time:
# `JsonObject` is an ABC, whose `isinstance` goes through `ABCMeta.__instancecheck__`, and a
# summary asks it for each of its fifty-odd values, strings included.

# Types whose empty lists slack_sdk keeps: left to its own `to_dict`.
_EMPTY_ALLOWED = frozenset(entry["type"] for entry in EMPTY_ALLOWED_TYPE_AND_PROPERTY_LIST)

# What `as_json` does with a value of a type (`_shape`).
_VALUE, _SEQUENCE, _MODEL, _OWN = range(4)


def as_json(value: Any) -> Any:
    """`value.to_dict()` for a Block Kit model; lists item by item; anything else as it is."""
    cls: type = type(value)
    shape = _shape(cls)
    if shape == _VALUE:
        return value
    if shape == _SEQUENCE:
        return [as_json(item) for item in value]
    if shape == _OWN or getattr(value, "type", None) in _EMPTY_ALLOWED:
        return value.to_dict()
    for name in _validators(cls):
        getattr(value, name)()
    found: dict[str, Any] = {}
    for key in _keys(cls, value):
        item = getattr(value, key, None)
        if item is None or (hasattr(item, "__len__") and len(item) == 0):
            continue
        # A plain value (most are strings) is kept here, sparing the call into `as_json` that
        # would only hand it back.
        kind: type = type(item)
        found[key] = item if _shape(kind) == _VALUE else as_json(item)
    return found


@cache
def _shape(cls: type) -> int:
    """What `as_json` does with a value of `cls`: a model serialised here (`_MODEL`), one left
    to its own `to_dict` (`_OWN`), a list or tuple (`_SEQUENCE`), anything else as it is."""
    if issubclass(cls, JsonObject):
        return _MODEL if _plain(cls) else _OWN
    if issubclass(cls, list | tuple):
        return _SEQUENCE
    return _VALUE


# The sorted `attributes` of each model class seen (`_keys`).
_KEYS: dict[type, tuple[str, ...]] = {}


def _keys(cls: type, value: JsonObject) -> tuple[str, ...]:
    """`sorted(value.attributes)`, worked out once per class: slack_sdk's `attributes` is a
    property, but every class's is a fixed set of names (its parent's and its own), which it
    builds anew by set unions on each call."""
    keys = _KEYS.get(cls)
    if keys is None:
        keys = _KEYS[cls] = tuple(sorted(value.attributes))
    return keys


@cache
def _plain(cls: type) -> bool:
    """Whether `cls` serialises as `JsonObject` does, with nothing of its own."""
    return all(
        getattr(cls, name) is getattr(JsonObject, name)
        for name in ("to_dict", "get_non_null_attributes", "get_object_attribute")
    )


@cache
def _validators(cls: type) -> tuple[str, ...]:
    """The names of `cls`'s validator methods (slack_sdk's `JsonValidator` marks each with a
    `validator` attribute), in the order `validate_json` runs them."""
    return tuple(
        name
        for name in sorted(dir(cls))
        if not name.startswith("__")
        and callable(getattr(cls, name, None))
        and hasattr(getattr(cls, name, None), "validator")
    )
