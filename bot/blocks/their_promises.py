"""Marking a promise the partner made to us as received, or dropping it: the choices the partner
card (an overflow menu per promise) and the nudge DM (one menu per item) offer.

A choice's value names what was chosen, the partner and the promise: `received:12:345` or
`drop:12:345` (at most 150 characters, as Slack allows for an option's value). The value is
only a request: the use case looks the promise up in the presser's workspace, as the
partner's, and still open, before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Option

from bot.parsing.checks import row_id
from bot.parsing.promise_text import names_only_a_day
from bot.texts.reader import Reader

RECEIVED = "received"
DROP = "drop"
# What each choice makes of the promise's status (storage.vocabulary.PROMISE_STATUSES): a
# promise the partner kept is one we received.
STATUS_FOR = {RECEIVED: "kept", DROP: "dropped"}
# Slack's limit for an option's label (plain text).
OPTION_LABEL_CHARS = 75


@dataclass(frozen=True)
class TheirPromiseChoice:
    """A choice as a press sent it: what, on which partner's promise."""

    choice: str
    partner_id: int
    promise_id: int

    @property
    def status(self) -> str:
        return STATUS_FOR[self.choice]


def choice_value(choice: str, partner_id: int, promise_id: int) -> str:
    return f"{choice}:{partner_id}:{promise_id}"


def parse_choice(value: str | None) -> TheirPromiseChoice | None:
    """The choice a value names; None for anything a menu of Rapport's never sends."""
    parts = (value or "").split(":")
    if len(parts) != 3 or parts[0] not in STATUS_FOR:
        return None
    partner_id, promise_id = row_id(parts[1]), row_id(parts[2])
    if partner_id is None or promise_id is None:
        return None
    return TheirPromiseChoice(parts[0], partner_id, promise_id)


def card_options(reader: Reader, partner_id: int, promise_id: int) -> list[Option]:
    """The card's overflow menu on one of their promises: Received, Drop."""
    return [
        Option(
            value=choice_value(choice, partner_id, promise_id),
            text=reader.t(f"card.their_promise.{choice}"),
        )
        for choice in (RECEIVED, DROP)
    ]


def dm_options(reader: Reader, partner_id: int, promise_id: int, text: str) -> list[Option]:
    """The nudge DM's options for one of their promises, each naming it, since one menu
    lists all the item shows ("Received: the signed contract")."""
    return [
        Option(
            value=choice_value(choice, partner_id, promise_id),
            text=_label(reader, f"nudge.their_promise.{choice}", text),
        )
        for choice in (RECEIVED, DROP)
    ]


def _label(reader: Reader, key: str, text: str) -> str:
    """The option's label within Slack's 75 characters, the promise's words cut to fit."""
    room = OPTION_LABEL_CHARS - len(reader.t(key, text=""))
    # Labels are plain text: mrkdwn escapes would show as typed, so the words are taken raw.
    words = reader.t("promise.untitled") if names_only_a_day(text) else " ".join(text.split())
    if len(words) > room:
        words = words[: max(room - 1, 1)].rstrip() + "…"
    return reader.t(key, text=words)
