"""Reading what Rapport stored, for assertions."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.db import Database
from storage.models import Interaction, Member, Partner, Promise


def count(db: Database, model: type) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def only(db: Database, model: type) -> object:
    with db.transaction() as session:
        return session.scalars(select(model)).one()


def all_of(db: Database, model: type) -> list:
    with db.transaction() as session:
        return list(session.scalars(select(model).order_by(model.id)))


__all__ = ["Interaction", "Member", "Partner", "Promise", "all_of", "count", "only"]
