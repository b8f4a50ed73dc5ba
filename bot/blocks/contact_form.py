"""The "Log a contact" modal: opened by `/logcontact` alone, by Edit, and by the message shortcut.

`contact_modal` builds it from a `ContactForm`; `read_form` turns a submission's `view.state`
back into one; `form_errors` says, per input block, what is wrong, in the reader's language.

A new partner typed with a name like known partners' is asked about before it is created, as
`/logcontact` text asks: the submission is answered with the same form again (`response_action:
update`, every value kept) holding a `NearQuestion`. `ContactForm.known_chosen` reads a known
partner chosen in it, `near_decision` every other answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, Literal, TypeVar

from babel.dates import format_time
from slack_sdk.models.blocks import (
    DatePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.blocks.replies import button_text, excerpt
from bot.parsing.checks import forbidden_character, line_breaks, name_character, row_id
from bot.parsing.contact_text import (
    ContactDraft,
    NearPartner,
    PartnerRef,
    PromiseDraft,
    When,
    address_in_name,
)
from bot.rules.people import SlackPerson
from bot.texts.reader import Reader, babel_locale, escape
from storage.vocabulary import DIRECTIONS, KINDS, MEDIA, NAME_MAX_CHARS, NOTE_MAX_CHARS, PROMISED_BY

CALLBACK_ID = "log_contact"
PARTNER_ACTION = "partner_select"
# The fields a submission cannot do without, whatever else it holds: Slack's client refuses to
# send the form with one of them empty, and `form_errors` refuses a submission that lacks one
# all the same (a stale client or a hand-made request). Every other input is `optional`, and
# Slack labels it so; those needed only together with another field (a partner picked or typed,
# a promise's due date and who made it) say so in their hint, and `form_errors` names them.
REQUIRED_BLOCKS = frozenset({"kind", "direction", "when"})


@dataclass
class ContactForm:
    """The modal's fields, as shown or as submitted."""

    on: date
    partner_id: int | None = None
    partner_label: str | None = None
    new_partner: str | None = None
    organisation: str | None = None
    medium: str | None = None
    kind: str = "contact"
    direction: str = "mutual"
    at: time | None = None
    note: str = ""
    promise: str | None = None
    due: date | None = None
    # None when a submission picked nobody: needed only with a promise (`form_errors`).
    promised_by: str | None = "us"
    # Required blocks (`REQUIRED_BLOCKS`) a submission left empty; a form built to be shown has
    # none.
    missing: frozenset[str] = frozenset()
    # The answer to a question about a new partner named like known ones (`NearQuestion`), when
    # the submitted form held one; None otherwise.
    near_answer: NearAnswer | None = None

    def asked_near(self) -> bool:
        """Whether the form asked about the new partner's name and organisation as typed now: an
        answer given about another name (the field changed since) answers nothing."""
        answer = self.near_answer
        return answer is not None and answer.action_id == near_action_id(
            self.new_partner or "", self.organisation
        )

    def known_chosen(self) -> int | None:
        """The id of the known partner chosen in the question about the name typed now (`p<id>`),
        None when none was (nothing chosen, a new partner chosen, a question about another
        name, or a value that names no id)."""
        value = self.near_answer.value if self.near_answer and self.asked_near() else None
        return row_id(value[1:]) if value and value.startswith("p") else None

    def draft(self) -> ContactDraft:
        """The form's contact as `/logcontact` text would have said it, so that both become a
        stored contact the same way."""
        promise = None
        if self.promise and self.due:
            promise = PromiseDraft(self.promise, self.due, "", self.promised_by or "us")
        return ContactDraft(
            partner=PartnerRef(name=self.new_partner, organisation=self.organisation),
            medium=self.medium,
            kind=self.kind,
            direction=self.direction,
            when=When(self.on, self.at),
            note=self.note,
            promise=promise,
        )


@dataclass(frozen=True)
class NearAnswer:
    """The question as submitted: its element's action id (which says the name asked about)
    and the value chosen, None when nothing was."""

    action_id: str
    value: str | None


# The question's block (one id, whatever the name: errors are shown under it, and `rapport
# shell` fills it in by it); its element's action id begins so, the rest a digest of the name
# and organisation asked about (`near_action_id`).
NEAR_BLOCK = "near_partner"
NEAR_ACTION = "near_"
# The value of the choice to create the new partner all the same; a known partner's is
# "p<id>".
NEW_ANYWAY = "new"


def near_action_id(name: str, organisation: str | None) -> str:
    """The question's action id for this name and organisation as typed. Asked again about
    another name, the element is another one, so Slack keeps no choice made for the old name
    (it keeps what was entered where block_id and action_id stay the same), and an answer
    about the old name is told from one about the new."""
    typed = f"{name}\x00{organisation or ''}".encode()
    return NEAR_ACTION + hashlib.sha256(typed).hexdigest()[:16]


@dataclass(frozen=True)
class NearQuestion:
    """What the form asks before it creates a partner whose name (with its organisation) is
    like known partners' (`near`, found as `/logcontact` text finds them): which of them it is,
    or a new partner all the same."""

    name: str
    organisation: str | None
    near: tuple[NearPartner, ...]

    @property
    def action_id(self) -> str:
        return near_action_id(self.name, self.organisation)

    @property
    def label(self) -> str:
        """The new partner as a question names it: "Jens Ohlsen (Nordwind)"."""
        return _typed_label(self.name, self.organisation)


def _typed_label(name: str, organisation: str | None) -> str:
    """A name and organisation as typed, as the question and its errors name them."""
    return f"{name} ({organisation})" if organisation else name


@dataclass(frozen=True)
class NearDecision:
    """What a submission naming a new partner does: `create` it, `ask` the question (first
    asked, or asked anew about a changed name or a value that names no partner), or say under
    the question that it is `unanswered`. A known partner chosen in it is no decision of this:
    it is taken before (`ContactForm.known_chosen`)."""

    action: Literal["create", "ask", "unanswered"]


def near_decision(form: ContactForm, near: Sequence[NearPartner]) -> NearDecision:
    """What to do with a new partner the form names exactly as no known partner is named, the
    known partners `near` its name (none: it is created unasked). Nothing is created until the
    question about this very name is answered with "a new partner all the same". A known
    partner chosen in it is honoured before this is asked, whatever happened to it since
    (`ContactForm.known_chosen`, `LogContact._known_chosen`), so any other value is one that
    names no partner."""
    if not near:
        return NearDecision("create")
    answer = form.near_answer if form.asked_near() else None
    if answer is None:
        return NearDecision("ask")
    if answer.value is None:
        return NearDecision("unanswered")
    if answer.value == NEW_ANYWAY:
        return NearDecision("create")
    # A forged value: asked again with the partners near now.
    return NearDecision("ask")


@dataclass
class ModalContext:
    """What the submission needs to know, carried in `private_metadata` (3,000 chars at most)."""

    interaction_id: int | None = None
    response_url: str | None = None
    slack_partner: dict[str, Any] = field(default_factory=dict)
    # The nudge DM whose "Log check-in" opened the modal: saving answers its item.
    nudge: str | None = None
    # The team digest whose "Log contact" opened the modal: saving redraws it for the channel.
    digest: str | None = None

    def dump(self) -> str:
        data = {
            "i": self.interaction_id,
            "r": self.response_url,
            "p": self.slack_partner,
            "n": self.nudge,
            "d": self.digest,
        }
        # Characters as they are, not as \u escapes: Slack counts the 3,000 it keeps in
        # characters, and an escaped name from a profile takes six times the room.
        return json.dumps(
            {k: v for k, v in data.items() if v}, separators=(",", ":"), ensure_ascii=False
        )

    @classmethod
    def load(cls, raw: str | None) -> ModalContext:
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        nudge, url, partner = data.get("n"), data.get("r"), data.get("p")
        digest = data.get("d")
        return cls(
            row_id(data.get("i")),
            url if isinstance(url, str) else None,
            partner if isinstance(partner, dict) else {},
            nudge if isinstance(nudge, str) else None,
            digest if isinstance(digest, str) else None,
        )

    def suggest_partner(self, person: SlackPerson) -> None:
        """Remember the external author a shortcut proposes as the new partner."""
        self.slack_partner = {
            "u": person.user_id,
            "t": person.team_id,
            "z": person.tz,
            "e": person.email,
            "n": person.name,
        }

    def suggested_partner(self, typed_name: str | None) -> SlackPerson | None:
        """That author, unless the user typed another name over the suggestion."""
        slack = self.slack_partner
        if not slack.get("u") or (typed_name or "") != slack.get("n"):
            return None
        return SlackPerson(
            user_id=slack["u"],
            team_id=slack.get("t"),
            name=slack["n"],
            tz=slack.get("z"),
            locale=None,
            email=slack.get("e"),
            is_bot=False,
            deleted=False,
            is_admin=False,
        )


def _options(reader: Reader, prefix: str, values: tuple[str, ...]) -> list[Option]:
    return [Option(value=v, label=reader.t(f"{prefix}.{v}")) for v in values]


def _initial(options: list[Option], value: str | None) -> Option | None:
    return next((o for o in options if o.value == value), None)


def contact_modal(
    reader: Reader, form: ContactForm, context: ModalContext, near: NearQuestion | None = None
) -> View:
    """The form showing `form`; with `near`, the question about the new partner typed, below
    the organisation (every other block as it was, so Slack keeps what was entered)."""
    media, kinds, directions, promisers = (
        _options(reader, "medium", MEDIA),
        _options(reader, "kind", KINDS),
        _options(reader, "direction", DIRECTIONS),
        _options(reader, "promised_by", PROMISED_BY),
    )
    partner_option = (
        Option(value=str(form.partner_id), label=button_text(form.partner_label or "?"))
        if form.partner_id
        else None
    )
    blocks: list[InputBlock | SectionBlock] = [
        InputBlock(
            block_id="partner",
            label=reader.t("modal.partner"),
            hint=reader.t("modal.partner_hint"),
            element=ExternalDataSelectElement(
                action_id=PARTNER_ACTION,
                placeholder=reader.t("modal.partner_placeholder"),
                initial_option=partner_option,
                min_query_length=0,
            ),
        ),
        _text_input(
            "new_partner",
            reader.t("modal.new_partner"),
            form.new_partner,
            NAME_MAX_CHARS,
            placeholder=reader.t("modal.new_partner_hint"),
        ),
        _text_input(
            "organisation", reader.t("modal.organisation"), form.organisation, NAME_MAX_CHARS
        ),
        *(_near_blocks(reader, near) if near else ()),
        InputBlock(
            block_id="medium",
            label=reader.t("modal.medium"),
            element=StaticSelectElement(
                action_id="medium_select",
                options=media,
                initial_option=_initial(media, form.medium),
            ),
        ),
        InputBlock(
            block_id="kind",
            label=reader.t("modal.kind"),
            element=StaticSelectElement(
                action_id="kind_select", options=kinds, initial_option=_initial(kinds, form.kind)
            ),
        ),
        InputBlock(
            block_id="direction",
            label=reader.t("modal.direction"),
            element=RadioButtonsElement(
                action_id="direction_select",
                options=directions,
                initial_option=_initial(directions, form.direction),
            ),
        ),
        InputBlock(
            block_id="when",
            label=reader.t("modal.date"),
            element=DatePickerElement(action_id="when_date", initial_date=form.on.isoformat()),
        ),
        InputBlock(
            block_id="at",
            label=reader.t("modal.time"),
            element=TimePickerElement(
                action_id="when_time",
                initial_time=form.at.strftime("%H:%M") if form.at else None,
            ),
        ),
        _text_input("note", reader.t("modal.note"), form.note, NOTE_MAX_CHARS, multiline=True),
        _text_input(
            "promise",
            reader.t("modal.promise"),
            form.promise,
            NOTE_MAX_CHARS,
            multiline=True,
            placeholder=reader.t("modal.promise_hint"),
        ),
        InputBlock(
            block_id="promised_by",
            label=reader.t("modal.promised_by"),
            hint=reader.t("modal.with_promise_hint"),
            element=RadioButtonsElement(
                action_id="promised_by_select",
                options=promisers,
                initial_option=_initial(promisers, form.promised_by),
            ),
        ),
        InputBlock(
            block_id="due",
            label=reader.t("modal.due"),
            hint=reader.t("modal.with_promise_hint"),
            element=DatePickerElement(
                action_id="due_date", initial_date=form.due.isoformat() if form.due else None
            ),
        ),
    ]
    for block in blocks:
        if isinstance(block, InputBlock):
            block.optional = block.block_id not in REQUIRED_BLOCKS
    editing = context.interaction_id is not None
    return View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=reader.t("modal.title_edit" if editing else "modal.title"),
        submit=reader.t("modal.submit"),
        close=reader.t("modal.close"),
        private_metadata=context.dump(),
        blocks=blocks,
    )


# How much of each label (a name and its organisation: up to 403 characters) the question's
# text shows: whole as a rule, cut only so that the section stays within Slack's 3,000
# characters however many characters escaping adds.
NEAR_NAME_CHARS = 100


def _near_blocks(reader: Reader, near: NearQuestion) -> list[SectionBlock | InputBlock]:
    """The question about a new partner named like known ones: a section naming them, and a
    choice of each of them or the new partner all the same. An optional input, which Slack
    labels so, and the section's text says why: a partner picked in the list above answers it
    too. An input rather than an actions block: an error is shown only under an input (the
    question sent back unanswered, or answered apart from the list), and a choice in an
    actions block would send Rapport a block action to answer besides."""
    named = escape(excerpt(near.label, NEAR_NAME_CHARS))
    partners = ", ".join(f"*{escape(excerpt(p.label, NEAR_NAME_CHARS))}*" for p in near.near)
    options = [Option(value=f"p{p.partner_id}", label=button_text(p.label)) for p in near.near]
    options.append(Option(value=NEW_ANYWAY, label=_new_anyway(reader, near.label)))
    key = "modal.near.question_one" if len(near.near) == 1 else "modal.near.question"
    return [
        SectionBlock(
            block_id="near_partners",
            text=MarkdownTextObject(text=reader.t(key, name=named, partners=partners)),
        ),
        InputBlock(
            block_id=NEAR_BLOCK,
            label=reader.t("modal.near.label", name=near.label),
            hint=reader.t("modal.near.hint"),
            element=RadioButtonsElement(action_id=near.action_id, options=options),
        ),
    ]


def _new_anyway(reader: Reader, label: str) -> str:
    """The choice of a new partner all the same, within an option's 75 characters: the name
    cut, never the words around it."""
    room = 75 - len(reader.t("modal.near.create", name=""))
    return button_text(reader.t("modal.near.create", name=excerpt(label, max(room, 1))))


def _text_input(
    block_id: str,
    label: str,
    value: str | None,
    max_length: int,
    *,
    multiline: bool = False,
    placeholder: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        element=PlainTextInputElement(
            action_id=f"{block_id}_input",
            initial_value=value or None,
            multiline=multiline,
            max_length=max_length,
            placeholder=placeholder,
        ),
    )


def read_form(values: dict[str, dict[str, dict[str, Any]]], *, today: date) -> ContactForm:
    """A submission's `view.state.values` as a form; absent fields take their defaults."""

    def element(block: str) -> dict[str, Any]:
        return next(iter(values.get(block, {}).values()), {})

    def selected(block: str) -> str | None:
        option = element(block).get("selected_option") or {}
        return option.get("value")

    def one_of(block: str, allowed: tuple[str, ...], default: str) -> str:
        value = selected(block)
        return value if value is not None and value in allowed else default

    def typed(block: str) -> str | None:
        value = element(block).get("value")
        return (line_breaks(value).strip() or None) if isinstance(value, str) else None

    def day(block: str) -> date | None:
        return _picked(date.fromisoformat, element(block).get("selected_date"))

    partner = selected("partner")
    # The question's element by its action id, which names what was asked.
    near = next(iter(values.get(NEAR_BLOCK, {})), None)
    picked = {
        "kind": selected("kind") in KINDS,
        "direction": selected("direction") in DIRECTIONS,
        "when": day("when") is not None,
    }
    return ContactForm(
        on=day("when") or today,
        partner_id=row_id(partner),
        new_partner=typed("new_partner"),
        organisation=typed("organisation"),
        medium=selected("medium") if selected("medium") in MEDIA else None,
        kind=one_of("kind", KINDS, "contact"),
        direction=one_of("direction", DIRECTIONS, "mutual"),
        at=_picked(time.fromisoformat, element("at").get("selected_time")),
        note=typed("note") or "",
        promise=typed("promise"),
        due=day("due"),
        promised_by=selected("promised_by") if selected("promised_by") in PROMISED_BY else None,
        missing=frozenset(block for block, given in picked.items() if not given),
        near_answer=NearAnswer(near, _text(selected(NEAR_BLOCK))) if near else None,
    )


def _text(value: object) -> str | None:
    """A value Slack sends as text; anything else (a hand-made request) as none."""
    return value if isinstance(value, str) else None


T = TypeVar("T")


def _picked(read: Callable[[str], T], raw: object) -> T | None:
    """A date or time picker's value (Slack sends ISO text); anything else counts as unpicked,
    and is never repeated in an error (it could be anything)."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return read(raw)
    except ValueError:
        return None


def _answered_apart(form: ContactForm) -> bool:
    """Whether the question about the name typed was answered with another partner (or the new
    one all the same) than the one picked in the list at the top, which answers it too."""
    answer = form.near_answer if form.asked_near() else None
    return (
        form.partner_id is not None
        and answer is not None
        and answer.value is not None
        and form.known_chosen() != form.partner_id
    )


def control_character(text: str | None) -> str | None:
    """The first control character in `text` (line breaks and tabs are fine), as "U+0007"."""
    found = forbidden_character(text)
    return found[1] if found else None


def form_errors(
    reader: Reader, form: ContactForm, *, today: date, now: time | None = None
) -> dict[str, str]:
    """Errors to show under each input block; empty when the form can be saved. `now` is the
    reader's local time of day: a time picked later than it, today, is in the future too."""
    errors: dict[str, str] = {
        block: reader.t(f"modal.error.{block}_missing") for block in sorted(form.missing)
    }
    if form.partner_id is None and not form.new_partner:
        errors["partner"] = reader.t("modal.error.partner_missing")
    elif form.partner_id is not None and form.new_partner and not form.asked_near():
        # Asked about the name typed, a partner picked in the list is the answer.
        errors["new_partner"] = reader.t("modal.error.partner_both")
    elif _answered_apart(form):
        # Neither answer is the one to take silently: each was given knowingly.
        errors[NEAR_BLOCK] = reader.t(
            "modal.error.near_conflict",
            partner_field=reader.t("modal.partner"),
            name=_typed_label(form.new_partner or "", form.organisation),
        )
    for block, value, limit in (
        ("new_partner", form.new_partner, NAME_MAX_CHARS),
        ("organisation", form.organisation, NAME_MAX_CHARS),
        ("note", form.note, NOTE_MAX_CHARS),
        ("promise", form.promise, NOTE_MAX_CHARS),
    ):
        char = control_character(value)
        named = block in ("new_partner", "organisation")
        turning = name_character(value) if named else None
        address = (
            address_in_name(value, organisation=block == "organisation")
            if named and value
            else None
        )
        if char:
            errors[block] = reader.t("modal.error.control_character", char=char)
        elif turning:
            errors[block] = reader.t("modal.error.name_character", char=turning[1])
        elif address:
            errors[block] = reader.t("modal.error.address_as_name", address=address)
        elif value and len(value) > limit:
            errors[block] = reader.t("modal.error.too_long", limit=limit)
    if "when" in errors:
        pass  # no day picked: a time on it is neither earlier nor later than now
    elif form.on > today:
        errors["when"] = reader.t("modal.error.date_future")
    elif form.on == today and form.at is not None and now is not None and form.at > now:
        at = format_time(form.at, format="short", locale=babel_locale(reader.locale))
        errors["at"] = reader.t("modal.error.time_later_today", at=at)
    if form.promise and form.due is None:
        errors["due"] = reader.t("modal.error.due_missing")
    elif form.due is not None and not form.promise:
        errors["promise"] = reader.t("modal.error.promise_missing")
    elif form.due is not None and form.due < today:
        errors["due"] = reader.t("modal.error.due_past")
    if form.promise and form.promised_by is None:
        errors["promised_by"] = reader.t("modal.error.promised_by_missing")
    return errors
