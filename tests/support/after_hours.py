"""After-hours records as a shared channel would leave them, written straight to the database
(the event handling that writes them is tested on its own)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from storage.db import Database
from storage.models import AfterHoursMessage, Partner, SlackPersonRow, Workspace


def workspace_id_of(db: Database, team_id: str | None = None) -> int:
    """The id of the workspace `team_id` (the only one when None)."""
    with db.reading() as session:
        query = select(Workspace.id)
        if team_id is not None:
            query = query.where(Workspace.team_id == team_id)
        return int(session.scalars(query).one())


def partner_id_of(db: Database, name: str) -> int:
    with db.reading() as session:
        return int(session.scalars(select(Partner.id).where(Partner.name == name)).one())


def reached(
    db: Database,
    author: str,
    person: str,
    *instants: datetime,
    partner: int | None = None,
    channel: str = "C0SHARED",
    workspace_id: int | None = None,
) -> None:
    """A row per instant: `author`'s message in `channel` reached `person` after hours."""
    workspace = workspace_id if workspace_id is not None else workspace_id_of(db)
    with db.transaction() as session:
        session.add_all(
            AfterHoursMessage(
                workspace_id=workspace,
                author_user_id=author,
                channel_id=channel,
                person_user_id=person,
                partner_id=partner,
                sent_at=at,
            )
            for at in instants
        )


def person(db: Database, user_id: str, name: str, at: datetime, team_id: str = "T0OTHER") -> None:
    """`users.info`'s answer about someone of another organisation, as the cache keeps it."""
    with db.transaction() as session:
        session.add(
            SlackPersonRow(
                workspace_id=workspace_id_of(db),
                slack_user_id=user_id,
                team_id=team_id,
                name=name,
                tz="Asia/Tokyo",
                refreshed_at=at,
            )
        )
