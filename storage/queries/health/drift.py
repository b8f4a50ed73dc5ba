"""The check that the contact times kept in partners' rows are what their history says.

`refresh_contact_times` is called by every write that changes a partner's contacts; a write
that forgets leaves a row that disagrees with its history, and health read from it is silently
wrong. This recomputes every partner (or one workspace's) from the history, in batches of
`BATCH` partners by id, and reports each row that disagrees, with the values on both sides:
`rapport doctor` prints them (and `--fix` writes the recomputed values), and the scenario
suite fails a test after which any is found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.queries.health.contact_times import (
    BATCH,
    COLUMNS,
    ContactTimes,
    partner_ids_after,
    recomputed,
    refresh_contact_times,
    stored,
)


@dataclass(frozen=True)
class Drift:
    """A partner whose row disagrees with its history: the columns that differ, with what the
    row keeps and what the history says."""

    partner_id: int
    kept: ContactTimes
    history: ContactTimes

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in COLUMNS if getattr(self.kept, c) != getattr(self.history, c))


def drift(session: Session, workspace_id: int | None = None) -> Iterator[Drift]:
    """Every partner (of `workspace_id`, if given) whose kept contact times differ from its
    history's, by id. Reads `BATCH` partners per pair of statements; never writes."""
    after = 0
    while ids := partner_ids_after(session, after, BATCH, workspace_id):
        kept = stored(session, ids)
        for partner_id, history in recomputed(session, ids):
            if kept.get(partner_id) != history:
                yield Drift(partner_id, kept[partner_id], history)
        after = ids[-1]


def repair(session: Session, found: list[Drift]) -> int:
    """Write the history's values into the rows `drift` found; how many were written."""
    refresh_contact_times(session, [d.partner_id for d in found])
    return len(found)
