"""Helpers for the tests of a command read apart (`Database.reads_apart`: several processes
on one SQLite file): a write run in the gap between its read and its write, and the same text
answered as one process answers it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member, Partner
from storage.queries.erasure import erase_partner
from tests.support.app import ALICE, RunningRapport

# PostgreSQL never reads apart (`Database.share_with_processes`): these tests run on SQLite.
ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@contextmanager
def between_read_and_write(
    rapport: RunningRapport, meanwhile: Callable[[], object]
) -> Iterator[None]:
    """Run `meanwhile` once, when the next read transaction (the next command's) has ended; the
    command sent inside must have read first, or the test says so rather than failing later."""
    db = rapport.db
    reading = db.reading
    armed = [True]

    @contextmanager
    def read_then_meanwhile() -> Iterator[Session]:
        with reading() as session:
            yield session
        if armed[0]:
            armed[0] = False
            meanwhile()

    db.reading = read_then_meanwhile  # type: ignore[method-assign]
    try:
        yield
    finally:
        del db.reading  # the method again
    assert not armed[0], "the command read nothing before it wrote"


def forget_every_partner(rapport: RunningRapport) -> None:
    """Erase every partner as `/rapport forget` does (`erase_partner`: its rows, its name's
    trigrams, the audit line), without the question and the button."""
    with rapport.db.transaction() as session:
        member_id = session.scalars(select(Member.id).where(Member.slack_user_id == ALICE)).one()
        for partner in session.scalars(select(Partner)).all():
            erase_partner(
                session,
                partner.workspace_id,
                partner.id,
                pending_ids=[],
                member_id=member_id,
                now=rapport.clock.now(),
            )


def as_one_process(rapport: RunningRapport, text: str) -> dict[str, Any]:
    """The reply to `/logcontact TEXT` as one process gives it: in one write transaction, not
    read apart (for the rest of the test)."""
    rapport.db.reads_apart = False
    return rapport.command(text).reply()
