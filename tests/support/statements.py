"""The SQL statements a command sends, counted as the driver is handed them
(`before_cursor_execute`), and how many the common `/logcontact` sends.

BEGIN is left out, as SQLite's is a statement and PostgreSQL's is not. Shared by the tests that
fix the common command's statements in one process (`test_logcontact_statements`) and where
processes share an SQLite file and it reads apart (`test_logcontact_read_apart`), so that the
second counts from the first's figure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from tests.support.app import RunningRapport

# The statements of the common case: replay check, member, candidates, contact, promise,
# over-contact count; on PostgreSQL the partner's row lock, and the contact and its promise in
# one INSERT, so as many as on SQLite (`test_logcontact_statements._writes` checks which). The
# partner's UPDATE when its times move is one more (`MOVED`).
COMMON = 6
MOVED = 1


@contextmanager
def counting(rapport: RunningRapport) -> Iterator[list[str]]:
    """The statements sent inside the block, each with its white space folded, once the app is
    idle again (work after the ack included)."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("BEGIN"):
            sent.append(" ".join(statement.split()))

    event.listen(rapport.db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        assert rapport.wait_until_idle()
        event.remove(rapport.db.engine, "before_cursor_execute", count)
