"""The one shape of a use case: a class built with the database and the clock, whose public
methods each run one transaction for the person asking and return what to answer. (Where
processes share an SQLite file, `/logcontact`'s common command reads in a transaction of its
own before it writes: `Database.reads_apart`.)

Work done inside such a transaction by other modules (`bot.usecases.contacts.record`, the
ownership and settings steps) takes the session as its first argument and never opens a
transaction of its own: it is a step of the use case that calls it.

`answering` turns what a request can run into (a refusal, a reading problem, a database failure)
into a reply in the asker's language; `as_member` runs a step for a member who has used Rapport
before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.blocks.replies import Reply, problem
from bot.parsing.contact_text import ParseProblem
from bot.rules.clock import Clock
from bot.rules.people import SlackPerson
from bot.texts.reader import Reader, reader_of
from bot.usecases.contacts import Refusal
from bot.usecases.members import asker
from storage.db import CommitOutcomeUnknown, Database, database_failed
from storage.models import Member

log = logging.getLogger(__name__)

T = TypeVar("T")


# What a look-up learned: a person, or None where Slack knows no such user.
People = dict[str, SlackPerson | None]


class NeedsLookup(Exception):
    """The cache lacks someone; answer after asking Slack."""


@dataclass
class Asker:
    """What is known of the person being answered, filled in as the answer takes shape: a
    refusal raised before their profile is read is still written in a language."""

    reader: Reader = field(default_factory=Reader)
    profile_is_stale: bool = False


@dataclass(frozen=True)
class CommandAnswer:
    """The reply to a command, whether the asker's cached profile wants refreshing, and whether
    Slack is to be asked for partners' zones Rapport does not know (a typed zone cleared)."""

    reply: Reply
    profile_is_stale: bool
    partner_zones_wanted: bool = False


class CommandAnswerer(Protocol):
    """A slash command answered from the cache (`answer_command`, None when Slack must be asked
    first), and the person its text names whom Slack is asked about first (`mention_in`)."""

    def answer_command(
        self, team_id: str, user_id: str, text: str, people: People
    ) -> CommandAnswer | None: ...

    def mention_in(self, text: str) -> str | None: ...


class Answered(Exception):
    """The answer is ready early: a refusal or a failure, already a reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.text)
        self.reply = reply


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


class UseCase:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    @contextmanager
    def answering(self, asker: Asker) -> Iterator[None]:
        """Turn refusals and failures into an `Answered` reply to `asker`."""
        try:
            yield
        except Refusal as refusal:
            raise Answered(problem(asker.reader, refusal.key, **refusal.values)) from None
        except ParseProblem as parse_problem:
            raise Answered(
                problem(asker.reader, f"problem.{parse_problem.code}", **parse_problem.details)
            ) from None
        except SQLAlchemyError as error:
            log.exception("database failure while answering")
            raise Answered(database_problem(asker.reader, error)) from None

    def as_member(
        self,
        team_id: str,
        user_id: str,
        act: Callable[[Session, Member, Reader], T],
        unknown: str | None = "undo.not_yours",
        who: Asker | None = None,
    ) -> T | Reply:
        """Run `act` in one transaction for a member who has used Rapport before; refusals and
        failures become replies, written for `who` (the caller may pass its own to learn the
        reader). Someone not cached is refused with the text `unknown`, or, with `unknown`
        None, `NeedsLookup` is raised so that the caller asks Slack who they are first."""
        who = who or Asker()
        try:
            with self.answering(who), self.db.transaction() as session:
                member = asker(session, team_id, user_id)
                if member is None:
                    if unknown is None:
                        raise NeedsLookup
                    raise Refusal(unknown)
                who.reader = reader = reader_of(member)
                return act(session, member, reader)
        except Answered as answered:
            return answered.reply
