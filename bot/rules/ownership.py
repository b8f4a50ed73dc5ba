"""Who looks after a partner: the decisions behind handing over and taking over.

Check-in nudges go to a partner's owner, so a partner whose owner has left Slack is one nobody is
reminded about. Such a partner is *unowned*: no owner, or an owner who is no longer active or is
now a workspace guest (guests see no partner data).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from bot.rules.people import SlackPerson


class Owner(Protocol):
    """What the rules need to know of a partner's owner."""

    active: bool
    is_guest: bool


class TakeOver(StrEnum):
    """What pressing Take over does, given who owns the partner by then."""

    TAKEN = "taken"
    ALREADY_YOURS = "already_yours"
    TAKEN_BY_OTHER = "taken_by_other"


def looks_after(owner: Owner | None) -> bool | None:
    """Whether a partner's owner still looks after it: an active member, not a guest; None for
    no owner."""
    return None if owner is None else owner.active and not owner.is_guest


def is_unowned(owner_id: int | None, owner_active: bool | None) -> bool:
    """Nobody is reminded about a partner without an owner, or whose owner has left."""
    return owner_id is None or not owner_active


def may_hand_over(
    *, asker_id: int, asker_is_admin: bool, owner_id: int | None, owner_active: bool | None
) -> bool:
    """The owner decides who follows them; an admin may step in; an unowned partner is anyone's
    to give, since nobody else will."""
    return asker_is_admin or owner_id == asker_id or is_unowned(owner_id, owner_active)


def take_over_outcome(presser_id: int, owner_id: int | None, owner_active: bool | None) -> TakeOver:
    if is_unowned(owner_id, owner_active):
        return TakeOver.TAKEN
    return TakeOver.ALREADY_YOURS if owner_id == presser_id else TakeOver.TAKEN_BY_OTHER


def person_problem(person: SlackPerson | None, team_id: str) -> str | None:
    """Why someone Slack told us about cannot look after a partner, or None when they can."""
    if person is None:
        return "unknown_user"
    if person.is_bot:
        return "bot"
    if person.team_id not in (None, team_id):
        return "external"
    if person.is_guest:
        return "guest"
    if person.deleted:
        return "inactive"
    return None


def hand_over_announcements(
    *, actor_id: int, previous_id: int | None, previous_active: bool | None, new_owner_id: int
) -> list[tuple[str, int]]:
    """Who is told of a hand-over, as (outbox kind, member id) pairs.

    The new owner hears who handed them the partner ("handed_over"), unless they took it
    themselves; the previous owner hears that someone else moved their partner ("handed_away"),
    unless they did it themselves or have left (nobody would read it). A move to the owner it
    already has is no hand-over.
    """
    if previous_id == new_owner_id:
        return []
    told = []
    if new_owner_id != actor_id:
        told.append(("handed_over", new_owner_id))
    if previous_id is not None and previous_id != actor_id and previous_active:
        told.append(("handed_away", previous_id))
    return told
