"""What a logged contact was before each edit, so that Undo on an edit's summary puts it back.

Kept in `interactions.before_edit` as JSON, the latest edit last:

    [{"token": "9f2c…", "created_partner": 41 | null,
      "state": {"partner_id": 7, "occurred_at": "2026-11-20T11:00:00+00:00", "has_time": false,
                "medium": "call", "kind": "contact", "direction": "mutual", "note": "…",
                "promise": null | {"text": "…", "due_on": "2026-11-27", "promised_by": "us",
                                   "status": "open", "created_at": "…", "resolved_at": null,
                                   "drop_reason": null}}}]

The token (16 hex digits, random) is all the summary's Undo button carries: a press names an
edit, never what to restore, so a tampered value can at most name an edit that is not there.
`created_partner` is the partner the edit itself created (a new name typed in the form), which
Undo removes again when nothing else refers to it. At most `EDITS_KEPT` edits are kept.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.models import Interaction, Promise
from storage.vocabulary import EDITS_KEPT

# Lowercase hex digits, as `bot.blocks.replies.parse_undo_value` reads them.
TOKEN_HEX = 16


@dataclass(frozen=True)
class BeforeEdit:
    """One edit's entry: its token, the partner the edit created (if any), the state before."""

    token: str
    created_partner: int | None
    state: dict[str, Any]


def new_token() -> str:
    return secrets.token_hex(TOKEN_HEX // 2)


def state_of(interaction: Interaction, promise: Promise | None) -> dict[str, Any]:
    """The contact and its promise as they are now, as the JSON keeps them."""
    return {
        "partner_id": interaction.partner_id,
        "occurred_at": interaction.occurred_at.isoformat(),
        "has_time": interaction.has_time,
        "medium": interaction.medium,
        "kind": interaction.kind,
        "direction": interaction.direction,
        "note": interaction.note,
        "promise": None
        if promise is None
        else {
            # Its row: one an edit kept as missed (`keep_missed`) is taken back by the Undo.
            "id": promise.id,
            "text": promise.text,
            "due_on": promise.due_on.isoformat(),
            "promised_by": promise.promised_by,
            "status": promise.status,
            "created_at": promise.created_at.isoformat(),
            "resolved_at": promise.resolved_at.isoformat() if promise.resolved_at else None,
            "drop_reason": promise.drop_reason,
        },
    }


def entries(interaction: Interaction) -> list[BeforeEdit]:
    """The contact's kept edits, oldest first; none for a contact never edited (or a column
    that does not read as Rapport writes it, which nothing but Rapport writes)."""
    try:
        raw = json.loads(interaction.before_edit or "[]")
        return [BeforeEdit(e["token"], e.get("created_partner"), e["state"]) for e in raw]
    except (ValueError, KeyError, TypeError):
        return []


def save(interaction: Interaction, kept: list[BeforeEdit]) -> None:
    kept = kept[-EDITS_KEPT:]
    interaction.before_edit = (
        json.dumps(
            [
                {"token": e.token, "created_partner": e.created_partner, "state": e.state}
                for e in kept
            ],
            ensure_ascii=False,
        )
        if kept
        else None
    )


def remember(interaction: Interaction, before: dict[str, Any], created_partner: int | None) -> str:
    """Keep `before` (from `state_of`, taken before the edit) as the latest edit; its token."""
    token = new_token()
    save(interaction, [*entries(interaction), BeforeEdit(token, created_partner, before)])
    return token


def take(interaction: Interaction, token: str) -> tuple[BeforeEdit, list[BeforeEdit]] | None:
    """The edit `token` names and every later one, which undoing it undoes too (the state
    before it is the state before them all); None when it is not kept (undone already)."""
    kept = entries(interaction)
    for index, entry in enumerate(kept):
        if entry.token == token:
            save(interaction, kept[:index])
            return entry, kept[index:]
    return None


def forget_partner(interaction: Interaction, partner_id: int) -> None:
    """Drop what the contact was while it was `partner_id`'s, which is being forgotten: those
    states hold its note and promise's words, and Undo would bring the contact back to whichever
    partner takes that id next (SQLite gives a freed largest id again). The other edits stay
    undoable; one whose edit had created the partner no longer names it."""
    kept = [
        BeforeEdit(e.token, None if e.created_partner == partner_id else e.created_partner, e.state)
        for e in entries(interaction)
        if e.state.get("partner_id") != partner_id
    ]
    save(interaction, kept)


def move_partner(interaction: Interaction, from_id: int, into_id: int) -> None:
    """Point what the contact was while it was `from_id`'s at `into_id`, into which `from_id`
    was merged: Undo then brings it back to the partner that holds that history now. An edit
    that had created `from_id` no longer names a partner to remove with it."""
    save(
        interaction,
        [
            BeforeEdit(
                e.token,
                None if e.created_partner == from_id else e.created_partner,
                {**e.state, "partner_id": into_id}
                if e.state.get("partner_id") == from_id
                else e.state,
            )
            for e in entries(interaction)
        ],
    )


def latest_token(interaction: Interaction) -> str | None:
    kept = entries(interaction)
    return kept[-1].token if kept else None


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def day(text: str) -> date:
    return date.fromisoformat(text)
