"""Partners: found by id, Slack user or name, searched, created, and who looks after them.

Each query takes a session and a workspace id and filters by it. Names compare by their key
(`name_key`), computed in Python: SQLite's `lower()` and `LIKE` fold ASCII only.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any

from sqlalchemy import (
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import (
    Interaction,
    Member,
    Partner,
    Promise,
)
from storage.queries.common import is_postgres
from storage.vocabulary import NAME_KEY_MAX_CHARS, name_key

SIMILAR_NAME_CUTOFF = 0.75


def _comparable(key: str) -> bool:
    """Whether a folded key could be a stored one. A longer key, or one with NUL (which
    PostgreSQL refuses in text) or a lone surrogate (which no UTF-8 column holds), matches no
    row: searching with it is answered without asking the database, and SQLite never sees a
    LIKE pattern past its 50,000-byte limit."""
    return len(key) <= NAME_KEY_MAX_CHARS and _UNSTORABLE.search(key) is None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _partners(workspace_id: int) -> Any:
    return select(Partner).where(Partner.workspace_id == workspace_id)


def find_partner(session: Session, workspace_id: int, partner_id: int) -> Partner | None:
    return session.scalars(_partners(workspace_id).where(Partner.id == partner_id)).one_or_none()


def find_partner_by_slack_user(
    session: Session, workspace_id: int, slack_user_id: str
) -> Partner | None:
    return session.scalars(
        _partners(workspace_id).where(Partner.slack_user_id == slack_user_id)
    ).one_or_none()


def partners_named(
    session: Session, workspace_id: int, name: str, organisation: str | None = None
) -> list[Partner]:
    """Partners with this name; with an organisation, only the one at that organisation."""
    key, organisation_key = name_key(name), name_key(organisation)
    if not (_comparable(key) and _comparable(organisation_key)):
        return []
    query = _partners(workspace_id).where(Partner.name_key == key)
    if organisation is not None:
        query = query.where(Partner.organisation_key == organisation_key)
    return list(session.scalars(query.order_by(Partner.id)))


def partner_with_keys(
    session: Session, workspace_id: int, name: str, organisation: str | None
) -> Partner | None:
    """The one partner the name unique constraint allows for this name and organisation (none
    given: the one without an organisation)."""
    key, organisation_key = name_key(name), name_key(organisation)
    if not (_comparable(key) and _comparable(organisation_key)):
        return None
    return session.scalars(
        _partners(workspace_id).where(
            Partner.name_key == key, Partner.organisation_key == organisation_key
        )
    ).one_or_none()


CANDIDATES_LIMIT = 200


def partners_starting_with(session: Session, workspace_id: int, word: str) -> list[Partner]:
    """Partners whose name begins with `word`: the names a bare partner name may continue into.

    One query serves two needs: the parser sees which multi-word names exist, and the partner
    it settles on is usually among these rows already.
    """
    key = name_key(word)
    if not _comparable(key):
        return []
    query = (
        _partners(workspace_id)
        .where(Partner.name_key.startswith(key, autoescape=True))
        .limit(CANDIDATES_LIMIT)
    )
    return list(session.scalars(query))


def named_among(
    candidates: list[Partner], name: str, organisation: str | None
) -> list[Partner] | None:
    """`partners_named` answered from rows already loaded; None when they may not hold it all."""
    if len(candidates) >= CANDIDATES_LIMIT:
        return None
    key, organisation_key = name_key(name), name_key(organisation)
    return [
        p
        for p in candidates
        if p.name_key == key and (organisation is None or p.organisation_key == organisation_key)
    ]


def similar_partners(
    session: Session, workspace_id: int, name: str, *, exclude_id: int | None = None, limit: int = 3
) -> list[Partner]:
    """Partners whose name is close to `name` (a typo) or whose organisation is `name`.

    Candidates share the first letter and have a similar length, which keeps the comparison
    small in a workspace with tens of thousands of partners.
    """
    key = name_key(name)
    if not key or not _comparable(key):
        return []
    query = (
        _partners(workspace_id)
        .where(
            or_(
                Partner.organisation_key == key,
                Partner.name_key.startswith(key[0], autoescape=True)
                & func.length(Partner.name_key).between(len(key) - 3, len(key) + 3),
            )
        )
        .limit(2000)
    )
    if exclude_id is not None:
        query = query.where(Partner.id != exclude_id)
    scored = []
    for partner in session.scalars(query):
        if partner.name_key == key:
            continue
        ratio = (
            1.0
            if partner.organisation_key == key
            else (difflib.SequenceMatcher(None, key, partner.name_key).ratio())
        )
        if ratio >= SIMILAR_NAME_CUTOFF:
            scored.append((-ratio, partner.name_key, partner))
    return [partner for *_, partner in sorted(scored, key=lambda s: s[:2])[:limit]]


def search_partners(
    session: Session, workspace_id: int, text: str, limit: int = 50
) -> list[Partner]:
    """Partners whose name or organisation contains `text`, names starting with it first."""
    key = name_key(text)
    if not _comparable(key):
        return []
    query = _partners(workspace_id)
    if key:
        query = query.where(
            or_(
                Partner.name_key.contains(key, autoescape=True),
                Partner.organisation_key.contains(key, autoescape=True),
            )
        )
    starts = Partner.name_key.startswith(key, autoescape=True)
    return list(session.scalars(query.order_by(starts.desc(), Partner.name_key).limit(limit)))


def add_partner(
    session: Session,
    workspace_id: int,
    *,
    name: str,
    organisation: str | None,
    owner_id: int | None,
    now: datetime,
    **details: Any,
) -> Partner | None:
    """Insert a partner, or nothing when one with the same name and organisation, or the same
    Slack user, exists: None then. Two requests creating the same partner at once get one row,
    and only the one whose insert went in is told it created it (PostgreSQL makes the second
    wait for the first to commit; SQLite writers take turns anyway).
    """
    values = {
        "workspace_id": workspace_id,
        "name": name,
        "name_key": name_key(name),
        "organisation": organisation,
        "organisation_key": name_key(organisation),
        "owner_id": owner_id,
        "created_at": now,
        **details,
    }
    # No conflict target: either unique constraint (name, Slack user) makes it do nothing.
    dialect = postgresql if is_postgres(session) else sqlite
    statement = dialect.insert(Partner).values(**values).on_conflict_do_nothing()
    return session.scalars(statement.returning(Partner)).first()


def partner_has_history(session: Session, workspace_id: int, partner_id: int) -> bool:
    """True when the partner has any contact or promise, so removing it would lose something."""
    for model in (Interaction, Promise):
        found = session.scalar(
            select(model.id)
            .where(model.workspace_id == workspace_id, model.partner_id == partner_id)
            .limit(1)
        )
        if found is not None:
            return True
    return False


def _unowned(workspace_id: int) -> Any:
    """Partners nobody active looks after: no owner, or an owner Slack says has left or who is
    now a workspace guest (guests see no partner data).

    The owner column is kept when its member leaves, so the list can say who looked after the
    partner, and a member who comes back finds their partners still theirs.
    """
    return (
        _partners(workspace_id)
        .outerjoin(Member, Member.id == Partner.owner_id)
        .where(or_(Partner.owner_id.is_(None), Member.active.is_(False), Member.is_guest.is_(True)))
    )


def unowned_partners(session: Session, workspace_id: int, limit: int) -> list[Any]:
    """The first `limit` unowned partners by name: id, name, organisation, the former owner's
    Slack id (None when there was none) and the instant of the last contact (None for none)."""
    last_contact = (
        select(Interaction.partner_id, func.max(Interaction.occurred_at).label("at"))
        .where(Interaction.workspace_id == workspace_id)
        .group_by(Interaction.partner_id)
        .subquery()
    )
    query = (
        _unowned(workspace_id)
        .outerjoin(last_contact, last_contact.c.partner_id == Partner.id)
        .with_only_columns(
            Partner.id,
            Partner.name,
            Partner.organisation,
            Member.slack_user_id.label("former_owner"),
            last_contact.c.at.label("last_contact"),
        )
        .order_by(Partner.name_key, Partner.organisation_key, Partner.id)
        .limit(limit)
    )
    return list(session.execute(query).all())


def count_unowned_partners(session: Session, workspace_id: int) -> int:
    counted = _unowned(workspace_id).with_only_columns(func.count(Partner.id))
    return session.scalar(counted) or 0


def partner_for_update(session: Session, workspace_id: int, partner_id: int) -> Partner | None:
    """The partner, locked until the transaction ends and read afresh: two people taking it over
    at once are served one after the other, and the second sees the first one's change."""
    query = (
        _partners(workspace_id)
        .where(Partner.id == partner_id)
        .with_for_update(of=Partner)
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one_or_none()


def hand_over_orphaned_promises(
    session: Session, workspace_id: int, partner_id: int, member_id: int
) -> int:
    """Give the partner's open promises whose promiser has left (or is now a workspace guest) to
    `member_id`; how many.

    Nudges go to the promiser, so a promise of someone who left would otherwise be forgotten.
    """
    orphaned = session.scalars(
        select(Promise)
        .join(Member, Member.id == Promise.member_id)
        .where(
            Promise.workspace_id == workspace_id,
            Promise.partner_id == partner_id,
            Promise.status == "open",
            or_(Member.active.is_(False), Member.is_guest.is_(True)),
        )
    ).all()
    for promise in orphaned:
        promise.member_id = member_id
    return len(orphaned)
