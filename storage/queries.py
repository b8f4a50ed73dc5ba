"""The queries Rapport's handlers run. Each takes a session and a workspace id and filters by it."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import deadline as deadlines
from storage.models import (
    Base,
    Interaction,
    Member,
    Partner,
    ProcessedEvent,
    Promise,
    SeenRequest,
    Workspace,
)
from storage.vocabulary import NAME_KEY_MAX_CHARS

SIMILAR_NAME_CUTOFF = 0.75


def name_key(name: str | None) -> str:
    """How names compare: case-folded ("Straße" = "STRASSE") with runs of spaces folded."""
    return re.sub(r"\s+", " ", (name or "").strip()).casefold()


def _comparable(key: str) -> bool:
    """Whether a folded key could be a stored one. A longer key, or one with NUL (which
    PostgreSQL refuses in text) or a lone surrogate (which no UTF-8 column holds), matches no
    row: searching with it is answered without asking the database, and SQLite never sees a
    LIKE pattern past its 50,000-byte limit."""
    return len(key) <= NAME_KEY_MAX_CHARS and _UNSTORABLE.search(key) is None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_or_nothing(session: Session, table: Any, conflict: list[str]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on `conflict`, in the session's dialect."""
    dialect = postgresql if is_postgres(session) else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=conflict)


def insert_ignoring_conflict(
    session: Session, model: type[Base], values: dict[str, Any], conflict: list[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING, so racing requests create a row once."""
    statement = insert_or_nothing(session, model, conflict).values(**values)
    # RETURNING says whether a row went in; rowcount is not reliable across drivers here.
    returning = statement.returning(*model.__table__.primary_key.columns)
    return session.execute(returning).first() is not None


# --- workspaces and members -------------------------------------------------------------------


def workspace_for(session: Session, team_id: str, now: datetime) -> Workspace:
    """The workspace of `team_id`, created on its first request."""
    workspace = find_workspace(session, team_id)
    if workspace is not None:
        return workspace
    insert_ignoring_conflict(
        session, Workspace, {"team_id": team_id, "created_at": now}, ["team_id"]
    )
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one()


def find_workspace(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def member_of_team(session: Session, team_id: str, slack_user_id: str) -> Member | None:
    """The member behind a request, found by the team and user ids Slack sends, in one query.

    The request's deadline learns their locale, so that an answer the web layer must give on
    its own, when the database is too slow, is in their language.
    """
    member = session.scalars(
        select(Member)
        .join(Workspace, Member.workspace_id == Workspace.id)
        .where(Workspace.team_id == team_id, Member.slack_user_id == slack_user_id)
    ).one_or_none()
    deadline = deadlines.current()
    if member is not None and deadline is not None:
        deadline.asker_locale = member.preferred_locale
    return member


def find_member(session: Session, workspace_id: int, slack_user_id: str) -> Member | None:
    return session.scalars(
        select(Member).where(
            Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id
        )
    ).one_or_none()


def save_member(
    session: Session, workspace_id: int, slack_user_id: str, now: datetime, **profile: Any
) -> Member:
    """Create or refresh a member from their Slack profile; settings they chose are kept."""
    insert_ignoring_conflict(
        session,
        Member,
        {"workspace_id": workspace_id, "slack_user_id": slack_user_id, "refreshed_at": now},
        ["workspace_id", "slack_user_id"],
    )
    member = find_member(session, workspace_id, slack_user_id)
    assert member is not None
    for field, value in profile.items():
        setattr(member, field, value)
    member.refreshed_at = now
    return member


# --- partners ---------------------------------------------------------------------------------


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


# --- contacts and promises --------------------------------------------------------------------


def find_interaction(
    session: Session, workspace_id: int, interaction_id: int, *, for_update: bool = False
) -> Interaction | None:
    """The contact; `for_update` locks it until the transaction ends and reads it afresh, so
    two changes of one contact at once (Undo and Undo, Edit and Undo) run one after the other."""
    query = select(Interaction).where(
        Interaction.workspace_id == workspace_id, Interaction.id == interaction_id
    )
    if for_update:
        query = query.with_for_update(of=Interaction).execution_options(populate_existing=True)
    return session.scalars(query).one_or_none()


def promises_of(session: Session, workspace_id: int, interaction_id: int) -> list[Promise]:
    return list(
        session.scalars(
            select(Promise)
            .where(Promise.workspace_id == workspace_id, Promise.interaction_id == interaction_id)
            .order_by(Promise.id)
        )
    )


def add_promise(
    session: Session,
    interaction: Interaction,
    *,
    text: str,
    due_on: date,
    now: datetime,
    promised_by: str = "us",
) -> Promise:
    # Linked by relationship, so a new contact and its promise go in with one flush.
    promise = Promise(
        workspace_id=interaction.workspace_id,
        partner_id=interaction.partner_id,
        member_id=interaction.member_id,
        interaction=interaction,
        text=text,
        due_on=due_on,
        status="open",
        created_at=now,
        promised_by=promised_by,
    )
    session.add(promise)
    return promise


# --- events -----------------------------------------------------------------------------------


def claim_event(session: Session, event_id: str, team_id: str, now: datetime) -> bool:
    """Record an Events API id; False when it was handled before (Slack retried it)."""
    return insert_ignoring_conflict(
        session,
        ProcessedEvent,
        {"event_id": event_id, "team_id": team_id, "received_at": now},
        ["event_id"],
    )


def forget_events_before(session: Session, before: datetime) -> int:
    """Drop event ids received before `before`; how many went."""
    gone = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before))
    return gone.rowcount or 0


# --- requests already served ------------------------------------------------------------------


def first_sighting(session: Session, signature: str, request_ts: int) -> bool:
    """Record a request's signature digest; False when it was served before (a replay)."""
    return insert_ignoring_conflict(
        session,
        SeenRequest,
        {"signature": signature, "request_ts": request_ts},
        ["signature"],
    )


def forget_requests_before(session: Session, request_ts: int) -> int:
    """Drop signatures stamped before `request_ts` (Unix seconds); how many went."""
    gone = session.execute(delete(SeenRequest).where(SeenRequest.request_ts < request_ts))
    return gone.rowcount or 0


# --- ownership --------------------------------------------------------------------------------


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
