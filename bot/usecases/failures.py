"""What to tell someone whose request met a database error."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.blocks.replies import Reply, problem
from bot.texts.reader import Reader
from storage.db import CommitOutcomeUnknown, database_failed


def database_problem(reader: Reader, error: SQLAlchemyError) -> Reply:
    """What to tell someone whose request met a database error, truthfully:

    - COMMIT was sent and its answer lost: Rapport cannot tell whether it was saved;
    - the database did not do its part (unreachable, too slow, its file gone): nothing was saved,
      try again;
    - it answered and refused the statement: nothing was saved, and trying again cannot help.
    """
    if isinstance(error, CommitOutcomeUnknown):
        return problem(reader, "problem.outcome_unknown")
    return problem(reader, "problem.database" if database_failed(error) else "problem.unexpected")
