"""The partner card's forms: Edit profile, and Hand over.

`profile_modal` shows a partner's profile as inputs (time zone as text, checked on submit;
hours as text; days, preferred channel and language as menus; cadence as a number; e-mail,
organisation, public holidays and the contact limit as text, the limit since it may be `off`);
`read_profile_form` reads a submission back into a `ProfileChange` or, per input block, what is
wrong (`response_action: errors`). Both forms carry the partner's id and the card message's
response_url in `private_metadata` (`CardContext`); the use case checks the id against the
asker's workspace on submit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.partner_card import PartnerCard, hours_text
from bot.blocks.replies import button_text
from bot.blocks.settings import days_label
from bot.parsing.checks import forbidden_character, row_id, slack_id
from bot.parsing.profile_text import (
    CLEAR,
    CLEAR_WORDS,
    ProfileChange,
    ProfileProblem,
    parse_cadence,
    parse_email,
    parse_max_contacts,
    parse_organisation,
    parse_public_holidays,
    parse_zone,
)
from bot.parsing.settings_text import SettingsProblem, parse_hours
from bot.rules.public_holidays import OFF, region_of
from bot.rules.working_hours import clock_label
from bot.texts.reader import Reader
from storage.vocabulary import (
    ALL_DAYS,
    CADENCE_MAX_DAYS,
    CADENCE_MIN_DAYS,
    DEFAULT_MAX_CONTACTS,
    DEFAULT_WORK_DAYS,
    EMAIL_MAX_CHARS,
    HOLIDAY_REGION_MAX_CHARS,
    LANGUAGES,
    MAX_CONTACTS_MAX,
    MAX_CONTACTS_MIN,
    NAME_MAX_CHARS,
    PREFERRED_CHANNELS,
    TZ_MAX_CHARS,
)

PROFILE_CALLBACK = "partner_profile"
HAND_OVER_CALLBACK = "partner_hand_over"
UNSET = "unset"
# The input blocks, and the action id of each one's element.
FIELDS: Mapping[str, str] = {
    "tz": "tz_input",
    "hours": "hours_input",
    "days": "days_select",
    "channel": "channel_select",
    "language": "language_select",
    "cadence": "cadence_input",
    "email": "email_input",
    "organisation": "organisation_input",
    "holidays": "public_holidays_input",
    "max_contacts": "max_contacts_input",
}
OWNER_BLOCK, OWNER_ACTION = "owner", "owner_select"


@dataclass(frozen=True)
class CardContext:
    """What a card's form needs on submit: the partner and the card message to replace."""

    partner_id: int | None
    response_url: str | None = None

    def dump(self) -> str:
        data = {"p": self.partner_id, "r": self.response_url}
        return json.dumps({k: v for k, v in data.items() if v}, separators=(",", ":"))

    @classmethod
    def load(cls, raw: str | None) -> CardContext:
        """Read back; a tampered or missing id becomes None (refused by the use case)."""
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        url = data.get("r")
        return cls(row_id(data.get("p")), url if isinstance(url, str) else None)


def profile_modal(reader: Reader, card: PartnerCard, context: CardContext) -> View:
    """The Edit profile form, filled in with the profile as it is."""
    days = [Option(value=d, label=days_label(d, reader.lang)) for d in ALL_DAYS]
    channels = _choices(reader, "channel", PREFERRED_CHANNELS)
    languages = _choices(reader, "card.language", LANGUAGES)
    hours = (
        f"{clock_label(card.business_start_minute)}-{clock_label(card.business_end_minute)}"
        if card.business_start_minute is not None and card.business_end_minute is not None
        else None
    )
    blocks = [
        _text(
            reader,
            "tz",
            "profile.modal.zone",
            card.tz if card.tz_typed else None,
            TZ_MAX_CHARS,
            hint=reader.t("profile.modal.zone_hint")
            + (f" ({card.tz})" if card.tz and not card.tz_typed else ""),
        ),
        _text(
            reader,
            "hours",
            "profile.modal.hours",
            hours,
            20,
            hint=reader.t("profile.modal.hours_hint"),
        ),
        _days_input(reader, card, days),
        _select(reader, "channel", "profile.modal.channel", channels, card.preferred_channel),
        _select(reader, "language", "profile.modal.language", languages, card.language),
        InputBlock(
            block_id="cadence",
            label=reader.t("profile.modal.cadence"),
            element=NumberInputElement(
                action_id=FIELDS["cadence"],
                is_decimal_allowed=False,
                initial_value=str(card.cadence_days),
                min_value=str(CADENCE_MIN_DAYS),
                max_value=str(CADENCE_MAX_DAYS),
            ),
        ),
        _text(reader, "email", "profile.modal.email", card.email, EMAIL_MAX_CHARS),
        _text(
            reader, "organisation", "profile.modal.organisation", card.organisation, NAME_MAX_CHARS
        ),
        _holidays_input(reader, card),
        _text(
            reader,
            "max_contacts",
            "profile.modal.max_contacts",
            _limit_shown(reader, card.max_contacts),
            MAX_CONTACTS_TYPED,
            hint=reader.t(
                "profile.modal.max_contacts_hint",
                min=MAX_CONTACTS_MIN,
                max=MAX_CONTACTS_MAX,
                default=DEFAULT_MAX_CONTACTS,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=PROFILE_CALLBACK,
        title=reader.t("profile.modal.title"),
        submit=reader.t("profile.modal.submit"),
        close=reader.t("profile.modal.close"),
        private_metadata=context.dump(),
        blocks=blocks,
    )


def _days_input(reader: Reader, card: PartnerCard, days: list[Option]) -> InputBlock:
    """The business days as a menu of weekdays. A partner without typed days follows the
    default (Monday to Friday): the menu then shows none picked, and says in its placeholder
    and hint that the default applies, so that saving the form unchanged keeps the days
    untyped (a later change of the default still reaches the partner)."""
    picked = [o for o in days if o.value in (card.business_days or "")]
    default = days_label(DEFAULT_WORK_DAYS, reader.lang)
    return InputBlock(
        block_id="days",
        label=reader.t("profile.modal.days"),
        optional=True,
        hint=hours_text(reader, card)
        if picked
        else reader.t("profile.modal.days_hint", days=default),
        element=StaticMultiSelectElement(
            action_id=FIELDS["days"],
            placeholder=reader.t("profile.modal.days_default", days=default),
            options=days,
            initial_options=picked or None,
        ),
    )


def _holidays_input(reader: Reader, card: PartnerCard) -> InputBlock:
    """The public holidays as typed (`DE-BY`, or none in the reader's word: `none` / `keine`,
    both read back alike); empty follows the zone's country, which the hint names, so that
    saving the form unchanged keeps following it."""
    automatic = region_of(None, card.tz) if card.public_holidays is None else None
    shown = (
        reader.t("profile.modal.public_holidays_none")
        if card.public_holidays == OFF
        else card.public_holidays
    )
    return _text(
        reader,
        "holidays",
        "profile.modal.public_holidays",
        shown,
        HOLIDAY_REGION_MAX_CHARS,
        hint=reader.t(
            "profile.modal.public_holidays_hint", now=f" ({automatic})" if automatic else ""
        ),
    )


def hand_over_modal(reader: Reader, card: PartnerCard, context: CardContext) -> View:
    """A form with one users_select: who looks after the partner from now on."""
    return View(
        type="modal",
        callback_id=HAND_OVER_CALLBACK,
        title=reader.t("handover.modal.title"),
        submit=reader.t("handover.modal.submit"),
        close=reader.t("profile.modal.close"),
        private_metadata=context.dump(),
        blocks=[
            InputBlock(
                block_id=OWNER_BLOCK,
                label=button_text(reader.t("handover.modal.owner", partner=card.label)),
                element=UserSelectElement(action_id=OWNER_ACTION, initial_user=card.owner),
            )
        ],
    )


def chosen_owner(values: Mapping[str, Any]) -> str | None:
    """The user picked in the Hand over form; None when none was, or the value is not a Slack
    user id (the client sends what it likes, and it is looked up in Slack and the database)."""
    picked = (values.get(OWNER_BLOCK) or {}).get(OWNER_ACTION) or {}
    return slack_id(picked.get("selected_user"))


# Room to type a limit: "off", "aus", a number, and a slip or two.
MAX_CONTACTS_TYPED = 10


def _limit_shown(reader: Reader, max_contacts: int | None) -> str | None:
    """The contact limit as the form shows it: empty for the default, "off" / "aus" for none."""
    if max_contacts is None:
        return None
    return reader.t("profile.modal.max_contacts_off") if max_contacts == 0 else str(max_contacts)


def read_profile_form(reader: Reader, values: Mapping[str, Any]) -> ProfileChange | dict[str, str]:
    """A submission as the change it asks for (every field: an empty one clears its setting,
    the cadence goes back to its default), or the errors to show, by block id."""
    errors = _forbidden(reader, values)
    change: dict[str, object] = {}
    for block, reading in (
        ("tz", parse_zone),
        ("email", parse_email),
        ("organisation", parse_organisation),
        ("cadence", parse_cadence),
        ("holidays", parse_public_holidays),
        ("max_contacts", parse_max_contacts),
    ):
        typed = "" if block in errors else _typed(values, block)
        # "clear" clears a field as in `/rapport partner NAME set`, as leaving it empty does;
        # public holidays read their own words for it ("auto").
        if not typed or (block != "holidays" and typed.casefold() in CLEAR_WORDS):
            change[block] = CLEAR
            continue
        split = block in ("cadence", "holidays")
        found = reading(block, typed.split() if split else [typed])
        if isinstance(found, ProfileProblem):
            errors[block] = _plain(reader.t(f"profile.problem.{found.code}", **found.details))
        else:
            change[block] = found
    typed_hours = "" if "hours" in errors else _typed(values, "hours")
    if typed_hours and typed_hours.casefold() not in CLEAR_WORDS:
        hours = parse_hours("hours", typed_hours.split())
        if isinstance(hours, SettingsProblem):
            errors["hours"] = _plain(reader.t(f"profile.problem.{hours.code}", **hours.details))
        else:
            change["hours"] = hours
    else:
        change["hours"] = CLEAR
    # Each option is one weekday; a value the form never offered ("12" is in ALL_DAYS as a
    # substring) or one sent twice would store more than a week in business_days' 7 characters.
    days = "".join(sorted(set(_picked(values, "days")) & set(ALL_DAYS)))
    change["days"] = days or CLEAR
    for block, allowed in (("channel", PREFERRED_CHANNELS), ("language", LANGUAGES)):
        picked = _picked(values, block)
        chosen = picked[0] if picked else UNSET
        change[block] = chosen if chosen in allowed else CLEAR
    return errors or ProfileChange(change)


def _plain(text: str) -> str:
    """A problem's text as a form shows it: Slack shows a field's error as plain text, so the
    backticks that mark a word to type in a message would show as they are."""
    return text.replace("`", "")


def _forbidden(reader: Reader, values: Mapping[str, Any]) -> dict[str, str]:
    """An error under each text input holding a character no command or form may (NUL, other
    controls, a lone surrogate): the client sends whatever it likes, and the organisation is
    stored as typed, where PostgreSQL refuses NUL and no driver encodes a surrogate."""
    errors: dict[str, str] = {}
    for block in ("tz", "hours", "cadence", "email", "organisation", "holidays", "max_contacts"):
        found = forbidden_character(_typed(values, block))
        if found is not None:
            errors[block] = reader.t("modal.error.control_character", char=found[1])
    return errors


def _typed(values: Mapping[str, Any], block: str) -> str:
    state = (values.get(block) or {}).get(FIELDS[block]) or {}
    value = state.get("value")
    return value.strip() if isinstance(value, str) else ""


def _picked(values: Mapping[str, Any], block: str) -> list[str]:
    state = (values.get(block) or {}).get(FIELDS[block]) or {}
    options = state.get("selected_options")
    if options is None and state.get("selected_option"):
        options = [state["selected_option"]]
    return [o["value"] for o in options or [] if isinstance(o, dict) and "value" in o]


def _choices(reader: Reader, prefix: str, values: tuple[str, ...]) -> list[Option]:
    unset = Option(value=UNSET, label=reader.t("profile.modal.unset"))
    return [unset, *(Option(value=v, label=reader.t(f"{prefix}.{v}")) for v in values)]


def _select(
    reader: Reader, block: str, label: str, options: list[Option], value: str | None
) -> InputBlock:
    initial = next((o for o in options if o.value == (value or UNSET)), options[0])
    return InputBlock(
        block_id=block,
        label=reader.t(label),
        element=StaticSelectElement(
            action_id=FIELDS[block], options=options, initial_option=initial
        ),
    )


def _text(
    reader: Reader,
    block: str,
    label: str,
    value: str | None,
    limit: int,
    *,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=reader.t(label),
        optional=True,
        hint=hint,
        element=PlainTextInputElement(
            action_id=FIELDS[block], initial_value=value or None, max_length=limit
        ),
    )
