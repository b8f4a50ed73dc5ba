"""Reading what Rapport stored, for assertions."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.db import Database
from storage.models import Interaction, Member, Partner, Promise
from tests.support.app import RunningRapport


def count(db: Database, model: type) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def only(db: Database, model: type) -> object:
    with db.transaction() as session:
        return session.scalars(select(model)).one()


def all_of(db: Database, model: type) -> list:
    with db.transaction() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def owner_of(rapport: RunningRapport, name: str) -> str | None:
    """The Slack id of the member a partner's owner column names, whether active or not."""
    with rapport.db.transaction() as session:
        partner = session.scalars(select(Partner).where(Partner.name == name)).one()
        return partner.owner.slack_user_id if partner.owner else None


__all__ = ["Interaction", "Member", "Partner", "Promise", "all_of", "count", "only", "owner_of"]
