"""Which partners a team digest lists, and in what order: a decision from plain values.

A digest is for partners who need someone now (`NEEDS_ATTENTION`): neglected, a check-in
overdue, promises overdue past their last reminder, a one-sided relationship, or nobody looking
after them. A partner merely due soon, or fine, is left out: the digest is not a list of
everything. The partners come grouped by who looks after them, owners by name (as people read
them; then by id, so that two Annas never interleave), the unowned ones last (a colleague scans
for those to take over); within a group the longest without contact first, the never contacted
before all others, since nobody has ever spoken to them.

A full digest cannot list everyone: which partners it lists is decided by `priority` first (the
order in which they would be cut last), and only those are then shown in the grouped order
above. Promises overdue past their last reminder come first (the nudges have given up on them:
the digest is where they go next), then neglect, overdue check-ins and one-sidedness; partners
nobody looks after come last, since a workspace may have many and they are taken over rather
than contacted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from bot.rules.ownership import is_unowned
from bot.rules.relationships.health import Health

NEEDS_ATTENTION = frozenset(
    {
        Health.NEGLECTED,
        Health.CHECK_IN_OVERDUE,
        Health.PROMISES_OVERDUE,
        Health.ONE_SIDED,
        Health.UNOWNED,
    }
)


# What a full digest keeps first, most important first (module doc).
PRIORITY = (
    Health.PROMISES_OVERDUE,
    Health.NEGLECTED,
    Health.CHECK_IN_OVERDUE,
    Health.ONE_SIDED,
    Health.UNOWNED,
)


def priority(states: Iterable[Health]) -> int:
    """Where a partner in these states stands when a digest cannot list everyone: 0 is kept
    first. Unowned partners stand last whatever else they are (module doc)."""
    held = set(states)
    if Health.UNOWNED in held:
        return PRIORITY.index(Health.UNOWNED)
    return min(
        (PRIORITY.index(state) for state in held if state in PRIORITY), default=len(PRIORITY)
    )


class Candidate(Protocol):
    """What the decision reads of a partner: its owner (id, whether they still look after it,
    their name), its last contact of any kind (aware; None: never), and its health states."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def owner_id(self) -> int | None: ...
    @property
    def owner_active(self) -> bool | None: ...
    @property
    def owner_name(self) -> str | None: ...
    @property
    def last_contact(self) -> datetime | None: ...
    @property
    def health(self) -> tuple[Health, ...]: ...


C = TypeVar("C", bound=Candidate)


@dataclass(frozen=True)
class OwnerGroup(Generic[C]):
    """The listed partners one owner looks after, in order; `owner_id` None for the group of
    partners nobody looks after (then `owner_name` is None too)."""

    owner_id: int | None
    owner_name: str | None
    partners: tuple[C, ...]


def needs_attention(states: Iterable[Health]) -> bool:
    """Whether a partner in these states belongs in a digest."""
    return not NEEDS_ATTENTION.isdisjoint(states)


def select(candidates: Iterable[C]) -> list[OwnerGroup[C]]:
    """The partners of `candidates` that need attention, grouped and ordered (module doc)."""
    return group([c for c in candidates if needs_attention(c.health)])


def group(partners: Iterable[C]) -> list[OwnerGroup[C]]:
    """`partners` grouped by owner and ordered as a digest lists them, none left out (a digest
    redrawn shows the partners it showed, whatever their health now)."""
    groups: dict[int | None, list[C]] = {}
    for partner in partners:
        key = None if is_unowned(partner.owner_id, partner.owner_active) else partner.owner_id
        groups.setdefault(key, []).append(partner)
    owned = sorted(
        (key for key in groups if key is not None),
        key=lambda key: ((groups[key][0].owner_name or "").casefold(), key),
    )
    ordered = [
        OwnerGroup(key, groups[key][0].owner_name, _by_contact(groups[key])) for key in owned
    ]
    if None in groups:
        ordered.append(OwnerGroup(None, None, _by_contact(groups[None])))
    return ordered


def by_priority(partners: Iterable[C]) -> list[C]:
    """`partners` in the order a full digest keeps them: by `priority`, then as within a group
    (never contacted first, then the longest since the last contact)."""
    return sorted(partners, key=lambda p: (priority(p.health), *_contact_key(p)))


def flatten(groups: Sequence[OwnerGroup[C]]) -> list[C]:
    """The partners of `groups` in the order they are listed."""
    return [partner for g in groups for partner in g.partners]


def _by_contact(partners: list[C]) -> tuple[C, ...]:
    """Never contacted first, then the longest since the last contact; then by name and id, so
    that the order is the same however the rows were read."""
    return tuple(sorted(partners, key=_contact_key))


def _contact_key(p: Candidate) -> tuple[bool, float, str, int]:
    return (
        p.last_contact is not None,
        p.last_contact.timestamp() if p.last_contact is not None else 0.0,
        p.name.casefold(),
        p.id,
    )
