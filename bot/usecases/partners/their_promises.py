"""Marking a promise the partner made to us as received, or dropping it, from the partner card
or a nudge DM (`bot.blocks.partner_card`).

Any member of the workspace may: the partner's promises are the team's to track, not one
member's. The change is one conditional UPDATE on a promise of that partner, in the member's
workspace, still open; a press on one settled already (by another press, or from the other
surface) or of another workspace changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.partner_card import TheirPromiseChoice
from bot.blocks.replies import partner_label, promise_words
from bot.texts.reader import Reader, escape
from storage.models import Member
from storage.queries.contacts import settle_their_promise, their_promise

# How much of the promise's words the line that says what happened quotes.
QUOTED_CHARS = 150


@dataclass(frozen=True)
class Settled:
    """What a press did: whether the promise changed, and the line (mrkdwn) that says so."""

    changed: bool
    line: str


def settle(
    session: Session, member: Member, reader: Reader, chosen: TheirPromiseChoice, now: datetime
) -> Settled:
    """Mark the chosen promise received ("kept") or dropped, with `now` as when it was resolved."""
    workspace_id = member.workspace_id
    changed = settle_their_promise(
        session, workspace_id, chosen.partner_id, chosen.promise_id, chosen.status, now
    )
    promise = their_promise(session, workspace_id, chosen.partner_id, chosen.promise_id)
    if promise is None:
        return Settled(False, reader.t("their_promise.gone"))
    values = {
        "text": promise_words(reader, promise.text, QUOTED_CHARS),
        "partner": escape(partner_label(promise.partner.name, promise.partner.organisation)),
    }
    if changed:
        return Settled(True, reader.t(f"their_promise.done.{chosen.choice}", **values))
    status = reader.t(f"their_promise.status.{promise.status}")
    return Settled(False, reader.t("their_promise.already", status=status, **values))
