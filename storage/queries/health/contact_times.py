"""A partner's contact times, kept in its row and brought up to date by every write.

Health (neglected, check-in due or overdue) depends on when a partner was first and last
contacted and last checked in with. Aggregated from the contact history on every read, its cost
grew with the years a workspace has used Rapport; kept in the partner's row it is one indexed
read. The price is that every write that changes a partner's contacts, or its cadence, calls
`refresh_contact_times` for the partners it touched, in its own transaction: editing,
undoing and moving a contact, merging and forgetting, a cadence edit. A contact newly logged,
the common case, needs no read of the history: `note_new_contact` moves the partner's times
with it (a first contact earlier, a last contact later), from the row as it stands; `/logcontact`
for a partner read as a plain row computes the same on its values (`times_with_contact`, the
rule both share) and writes them with one UPDATE. `drift`
recomputes every partner from the history and reports where the rows disagree (`rapport
doctor`, and the scenario suite after each test), which is how a write that forgot is found.

Two instants are derived, with the cadence, for the indexes to select by:

- `check_in_due_at`: the last check-in (the first contact when there was none) plus the
  cadence; None for a partner never contacted, who has no check-in due.
- `contact_due_at`: the last contact of any kind (when the partner was added, when there was
  none) plus the cadence; past it, the partner is neglected.

They are instants, not days: the day a person sees is counted in their zone by `bot.rules`
(`nudges.check_in_day`, `relationships.health`), which may differ from the instant's UTC day by
one. Readers select with a day's margin and let the rules decide.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import Interaction, Partner
from storage.queries.common import is_postgres

# Partners recomputed per statement: bounded, so a merge or an erasure touching thousands of
# partners stays within the backends' bound-parameter limits.
BATCH = 500


@dataclass(frozen=True)
class ContactTimes:
    """A partner's contact times as its row keeps them (aware UTC instants, None: never)."""

    first_contact_at: datetime | None
    last_contact_at: datetime | None
    last_check_in_at: datetime | None
    check_in_due_at: datetime | None
    contact_due_at: datetime | None


COLUMNS = tuple(ContactTimes.__dataclass_fields__)


def contact_times(
    *,
    cadence_days: int,
    created_at: datetime,
    first_contact: datetime | None,
    last_contact: datetime | None,
    last_check_in: datetime | None,
) -> ContactTimes:
    """The row's values from what the history says and the partner's cadence."""
    cadence = timedelta(days=cadence_days)
    since_check_in = last_check_in or first_contact
    return ContactTimes(
        first_contact_at=first_contact,
        last_contact_at=last_contact,
        last_check_in_at=last_check_in,
        check_in_due_at=since_check_in + cadence if since_check_in is not None else None,
        contact_due_at=(last_contact or created_at) + cadence,
    )


def times_with_contact(partner: PartnerTimes, when: datetime, kind: str) -> dict[str, Any]:
    """A partner's contact times (`COLUMNS`, by name) once a contact at `when` (aware UTC) of
    `kind` is added, from the times `partner` holds (an entity or a plain row): nothing is
    read or written.

    A new contact only widens the span: the first contact is the earlier of the two, the last
    the later, the last check-in too when it is one; the due instants follow from them as
    `contact_times` derives them for every other write.
    """
    times = contact_times(
        cadence_days=partner.cadence_days,
        created_at=partner.created_at,
        first_contact=_earlier(partner.first_contact_at, when),
        last_contact=_later(partner.last_contact_at, when),
        last_check_in=_later(partner.last_check_in_at, when if kind == "check-in" else None),
    )
    return {column: getattr(times, column) for column in COLUMNS}


class PartnerTimes(Protocol):
    """What a new contact's times are computed from (`times_with_contact`)."""

    @property
    def cadence_days(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def first_contact_at(self) -> datetime | None: ...
    @property
    def last_contact_at(self) -> datetime | None: ...
    @property
    def last_check_in_at(self) -> datetime | None: ...


def note_new_contact(partner: Partner, occurred_at: datetime, kind: str) -> None:
    """Move `partner`'s contact times to count a contact just added at `occurred_at` (aware
    UTC) of `kind` (`times_with_contact`), on the object: the flush writes them with the
    contact, and nothing is read.

    The partner's times must be those of its row as this transaction holds it (`hold_times`
    reads them under the row's lock where another transaction could have moved them since the
    partner was loaded).
    """
    for column, value in times_with_contact(partner, occurred_at, kind).items():
        # Only what moved: a contact on a day logged already (a date alone is noon) changes
        # nothing, and leaves nothing for the flush to look at.
        if getattr(partner, column) != value:
            setattr(partner, column, value)


def hold_times(session: Session, partner: Partner) -> bool:
    """Lock `partner`'s row until the transaction ends and bring the contact times and cadence
    the object holds up to the row's; False when the row is gone (forgotten since it was found).

    On PostgreSQL a row lock that also stops a `/rapport forget` erasing it meanwhile, and
    waits for another contact being logged for the same partner, whose times this one then
    reads (`FOR NO KEY UPDATE`: rows referring to the partner may still be added by others).
    On SQLite one transaction writes at a time and it loaded the partner itself, so the object
    is current and there: no statement.
    """
    if not is_postgres(session):
        return True
    row = session.execute(
        _HOLD, {"workspace_id": partner.workspace_id, "partner_id": partner.id}
    ).one_or_none()
    if row is None:
        return False
    for column, value in zip(_HELD, row, strict=True):
        # As loaded: the object does not count them as changes of its own.
        set_committed_value(partner, column, value)
    return True


def _earlier(a: datetime | None, b: datetime) -> datetime:
    return b if a is None else min(a, b)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def refresh_contact_times(session: Session, partner_ids: Collection[int]) -> None:
    """Recompute the contact times of these partners from their contacts, in this transaction.

    Call it after any change to a partner's contacts (added, edited, moved, removed) or to its
    cadence, with every partner touched: a contact moved from one partner to another changes
    both. Ids of partners no longer there are passed over. Flushes the session first, so
    that what the caller changed through the ORM is counted; two statements per `BATCH`
    partners, each an index read of those partners' contacts alone (three on PostgreSQL).

    On PostgreSQL the partners' rows are locked first, in id order (`FOR NO KEY UPDATE`, as
    `hold_times` takes them): a contact being logged for one of them meanwhile is committed
    before the history is read, and counted, instead of being written over by times read
    without it when the UPDATE had waited for it. A caller that locks contacts must hold their
    partners before them (a Forget takes the partner, then its contacts).
    """
    ids = sorted({i for i in partner_ids if i is not None})
    if not ids:
        return
    session.flush()
    postgres = is_postgres(session)
    for chunk in _chunks(ids, BATCH):
        if postgres:
            session.execute(_LOCK, {"ids": list(chunk)})
        values = [_bound(partner_id, times) for partner_id, times in recomputed(session, chunk)]
        if values:
            session.execute(_UPDATE, values, execution_options={"synchronize_session": False})
    # Partners loaded in this session read their new times on next access.
    for partner in session.identity_map.values():
        if isinstance(partner, Partner) and partner.id in ids:
            session.expire(partner, list(COLUMNS))


def recomputed(session: Session, partner_ids: Sequence[int]) -> list[tuple[int, ContactTimes]]:
    """The contact times of these partners as their history says now, by id: one statement,
    partners without contacts included, partners no longer there left out.

    Each partner's contacts are joined by its workspace and id, the head of the index on
    contacts in time order: by partner id alone, which no index on contacts begins with, the
    read walked every contact of every workspace (measured on SQLite for one partner: 2.5 ms
    at 20,000 contacts and 15.5 ms at 200,000, against about 1 ms at either by the index)."""
    check_in = case((Interaction.kind == "check-in", Interaction.occurred_at))
    query = (
        select(
            Partner.id,
            Partner.cadence_days,
            Partner.created_at,
            func.min(Interaction.occurred_at).label("first"),
            func.max(Interaction.occurred_at).label("last"),
            func.max(check_in).label("last_check_in"),
        )
        .outerjoin(
            Interaction,
            (Interaction.workspace_id == Partner.workspace_id)
            & (Interaction.partner_id == Partner.id),
        )
        .where(Partner.id.in_(partner_ids))
        .group_by(Partner.id, Partner.cadence_days, Partner.created_at)
        .order_by(Partner.id)
    )
    return [
        (
            row.id,
            contact_times(
                cadence_days=row.cadence_days,
                created_at=row.created_at,
                first_contact=row.first,
                last_contact=row.last,
                last_check_in=row.last_check_in,
            ),
        )
        for row in session.execute(query).all()
    ]


def stored(session: Session, partner_ids: Sequence[int]) -> dict[int, ContactTimes]:
    """The contact times the rows of these partners keep, by id."""
    query = select(Partner.id, *(getattr(Partner, c) for c in COLUMNS)).where(
        Partner.id.in_(partner_ids)
    )
    return {row[0]: ContactTimes(*row[1:]) for row in session.execute(query).all()}


def partner_ids_after(
    session: Session, after_id: int, limit: int, workspace_id: int | None = None
) -> list[int]:
    """The next `limit` partner ids after `after_id`, in order (of one workspace, if given):
    how a check of every partner walks them in bounded batches."""
    query = select(Partner.id).where(Partner.id > after_id)
    if workspace_id is not None:
        query = query.where(Partner.workspace_id == workspace_id)
    return list(session.scalars(query.order_by(Partner.id).limit(limit)))


# What a new contact's times are computed from (`note_new_contact`).
_HELD = ("cadence_days", "created_at", "first_contact_at", "last_contact_at", "last_check_in_at")
_HOLD = (
    select(*(getattr(Partner, c) for c in _HELD))
    .where(Partner.workspace_id == bindparam("workspace_id"), Partner.id == bindparam("partner_id"))
    .with_for_update(key_share=True)
)

_LOCK = (
    select(Partner.id)
    .where(Partner.id.in_(bindparam("ids", expanding=True)))
    .order_by(Partner.id)
    .with_for_update(key_share=True)
)

_UPDATE = (
    update(Partner.__table__)  # type: ignore[arg-type]
    .where(Partner.__table__.c.id == bindparam("partner_id"))
    .values({c: bindparam(f"new_{c}") for c in COLUMNS})
)


def _bound(partner_id: int, times: ContactTimes) -> dict[str, Any]:
    values: dict[str, Any] = {f"new_{c}": getattr(times, c) for c in COLUMNS}
    values["partner_id"] = partner_id
    return values


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
