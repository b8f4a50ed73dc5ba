"""Contacts (interactions) and the promises logged with them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    bindparam,
    case,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from storage.models import (
    Interaction,
    Member,
    Partner,
    Promise,
)
from storage.queries.common import AnyRow, is_postgres, plain_rows


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


def insert_contact(session: Session, values: Mapping[str, Any]) -> int:
    """Write a new contact with one prebuilt INSERT … RETURNING its id, on the session's
    connection: no entity is built and no unit of work runs, which for the two rows of a contact
    logged with a promise cost more than everything else the command does in SQL.

    `values` are the contact's columns by name (every column that matters; one left out takes
    its default in the table). The caller passes the same names every time, so the statement
    is compiled once and taken from SQLAlchemy's cache after that."""
    return int(session.connection().execute(_INSERT_CONTACT, dict(values)).scalar_one())


def insert_promise(session: Session, values: Mapping[str, Any]) -> int:
    """Write a new promise as `insert_contact` writes a contact; its id."""
    return int(session.connection().execute(_INSERT_PROMISE, dict(values)).scalar_one())


def insert_contact_and_promise(
    session: Session, contact: Mapping[str, Any], promise: Mapping[str, Any]
) -> int:
    """Write a new contact and its promise (`promise` without `interaction_id`, which is the
    contact's); the contact's id. On PostgreSQL one statement, the contact's INSERT a CTE whose
    id the promise's INSERT … SELECT takes: one round trip fewer for every contact logged with
    a promise. SQLite has no INSERT in a CTE: two statements there."""
    if not is_postgres(session):
        contact_id = insert_contact(session, contact)
        # The promise's own id is not wanted here: its INSERT returns nothing, which spares
        # reading and processing a result.
        session.connection().execute(
            _INSERT_PROMISE_WITHOUT_ID, {**promise, "interaction_id": contact_id}
        )
        return contact_id
    values = {f"c_{k}": v for k, v in contact.items()} | {f"p_{k}": v for k, v in promise.items()}
    return int(session.connection().execute(_INSERT_BOTH, values).scalar_one())


def _insert_both() -> Any:
    """The statement of `insert_contact_and_promise` on PostgreSQL, its values bound by column
    name (`c_` the contact's, `p_` the promise's), each typed as its column so it is cast as
    the column is."""
    contacts, promises = Interaction.__table__, Promise.__table__
    new = (
        insert(contacts)  # type: ignore[arg-type]
        .values({c: bindparam(f"c_{c}", type_=contacts.c[c].type) for c in CONTACT_COLUMNS})
        .returning(contacts.c.id)
        .cte("new_contact")
    )
    promised = [bindparam(f"p_{c}", type_=promises.c[c].type) for c in PROMISE_COLUMNS]
    return (
        insert(promises)  # type: ignore[arg-type]
        .from_select([*PROMISE_COLUMNS, "interaction_id"], select(*promised, new.c.id))
        .returning(promises.c.interaction_id)
    )


# What `bot.usecases.contacts.record` writes of a new contact and of its promise, by column.
CONTACT_COLUMNS = (
    "workspace_id",
    "partner_id",
    "member_id",
    "occurred_at",
    "has_time",
    "medium",
    "kind",
    "direction",
    "note",
    "source",
    "created_partner",
    "created_at",
    "before_edit",
)
PROMISE_COLUMNS = (
    "workspace_id",
    "partner_id",
    "member_id",
    "text",
    "due_on",
    "status",
    "created_at",
    "resolved_at",
    "drop_reason",
    "promised_by",
    "missed_on",
)

# Built once; the values are bound at execution (`insert_contact`, `insert_promise`,
# `insert_contact_and_promise`, which on SQLite has no use for the promise's id).
_INSERT_CONTACT = insert(Interaction.__table__).returning(Interaction.__table__.c.id)  # type: ignore[arg-type]
_INSERT_PROMISE = insert(Promise.__table__).returning(Promise.__table__.c.id)  # type: ignore[arg-type]
_INSERT_PROMISE_WITHOUT_ID = insert(Promise.__table__)  # type: ignore[arg-type]
_INSERT_BOTH = _insert_both()


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


def _contacts_of(workspace_id: int, partner_id: int) -> Any:
    """A partner's contacts with who logged them: when, how, what kind, which way, the note,
    and the Slack id of who logged it (`by`)."""
    return (
        select(
            Interaction.id,
            Interaction.occurred_at,
            Interaction.has_time,
            Interaction.medium,
            Interaction.kind,
            Interaction.direction,
            Interaction.note,
            Member.slack_user_id.label("by"),
        )
        .join(Member, Member.id == Interaction.member_id)
        .where(Interaction.workspace_id == workspace_id, Interaction.partner_id == partner_id)
    )


def contacts_with(
    session: Session, workspace_id: int, partner_id: int, *, offset: int, limit: int
) -> list[AnyRow]:
    """A page of a partner's contacts (`_contacts_of`), latest first (by when they happened,
    then as logged). Served by the (workspace, partner, kind, occurred_at) index whatever the
    partner's history."""
    return list(
        session.execute(
            _contacts_of(workspace_id, partner_id)
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
    )


def count_contacts_with(session: Session, workspace_id: int, partner_id: int) -> int:
    """How many contacts a partner has, exactly."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Interaction)
            .where(Interaction.workspace_id == workspace_id, Interaction.partner_id == partner_id)
        )
        or 0
    )


def open_promises_with(
    session: Session, workspace_id: int, partner_id: int, promised_by: str, *, limit: int
) -> list[AnyRow]:
    """The open promises one side made (`promised_by`: "us" or "partner"), soonest first,
    `limit` at most, with the Slack id of whoever promised (or logged the partner's)."""
    return list(
        session.execute(
            select(Promise.id, Promise.text, Promise.due_on, Member.slack_user_id.label("by"))
            .join(Member, Member.id == Promise.member_id)
            .where(
                Promise.workspace_id == workspace_id,
                Promise.partner_id == partner_id,
                Promise.status == "open",
                Promise.promised_by == promised_by,
            )
            .order_by(Promise.due_on, Promise.id)
            .limit(limit)
        ).all()
    )


def open_promises_page(
    session: Session, workspace_id: int, partner_id: int, *, offset: int, limit: int
) -> list[AnyRow]:
    """A page of the partner's open promises both ways: ours first, then theirs, each side
    soonest due first (the card's order), from `offset`, `limit` at most; each row with its
    side (`promised_by`) and the Slack id of whoever promised (or logged theirs)."""
    ours_first = case((Promise.promised_by == "us", 0), else_=1)
    return list(
        session.execute(
            select(
                Promise.id,
                Promise.text,
                Promise.due_on,
                Promise.promised_by,
                Member.slack_user_id.label("by"),
            )
            .join(Member, Member.id == Promise.member_id)
            .where(
                Promise.workspace_id == workspace_id,
                Promise.partner_id == partner_id,
                Promise.status == "open",
            )
            .order_by(ours_first, Promise.due_on, Promise.id)
            .offset(offset)
            .limit(limit)
        ).all()
    )


def count_open_promises_with(
    session: Session, workspace_id: int, partner_id: int
) -> dict[str, int]:
    """How many open promises each side made, by `promised_by` ("us", "partner")."""
    rows = session.execute(
        select(Promise.promised_by, func.count())
        .where(
            Promise.workspace_id == workspace_id,
            Promise.partner_id == partner_id,
            Promise.status == "open",
        )
        .group_by(Promise.promised_by)
    )
    return {side: count for side, count in rows}


def settle_their_promise(
    session: Session,
    workspace_id: int,
    partner_id: int,
    promise_id: int,
    status: str,
    now: datetime,
) -> bool:
    """Mark a promise the partner made as `status` ("kept": received, or "dropped"), once.

    One conditional UPDATE (`… WHERE status = 'open'`), so of two presses at once only one
    changes the row. False when nothing changed: the promise is settled already, is ours, is
    another partner's, or is not in this workspace (`their_promise` tells which)."""
    result = session.execute(
        update(Promise)
        .where(
            Promise.workspace_id == workspace_id,
            Promise.partner_id == partner_id,
            Promise.id == promise_id,
            Promise.promised_by == "partner",
            Promise.status == "open",
        )
        .values(status=status, resolved_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def their_promise(
    session: Session, workspace_id: int, partner_id: int, promise_id: int
) -> Promise | None:
    """The promise `partner_id` made to us, in this workspace; None for any other id."""
    return session.scalars(
        select(Promise)
        .where(
            Promise.workspace_id == workspace_id,
            Promise.partner_id == partner_id,
            Promise.id == promise_id,
            Promise.promised_by == "partner",
        )
        .execution_options(populate_existing=True)
    ).one_or_none()


def load_since(
    session: Session, workspace_id: int, partner_id: int, since: datetime
) -> list[AnyRow]:
    """The partner's contacts that happened at `since` or later (every colleague's), with what
    the over-contact line says of them: id, when, medium, kind, direction, and the Slack id of
    who logged it (`by`); no notes. For the line after a logged contact and the card's count
    (`bot.rules.relationships.contact_balance`). One statement on the
    (workspace, partner, kind, occurred_at) index."""
    # On the session's connection: rows, not objects, so none of the ORM's execution.
    return list(
        session.connection()
        .execute(
            _LOAD_SINCE,
            {"workspace_id": workspace_id, "partner_id": partner_id, "since": since},
        )
        .all()
    )


# What the over-contact line reads of each contact, and who logged it: no notes.
_LOAD_COLUMNS = (
    Interaction.id,
    Interaction.occurred_at,
    Interaction.medium,
    Interaction.kind,
    Interaction.direction,
    Member.slack_user_id.label("by"),
)


def _partner_since(contacts: Any) -> tuple[Any, ...]:
    """The conditions for the partner's contacts from `since` on (every colleague's), over
    `contacts` (`Interaction` or an alias of it), bound at execution by name."""
    return (
        contacts.workspace_id == bindparam("workspace_id"),
        contacts.partner_id == bindparam("partner_id"),
        contacts.occurred_at >= bindparam("since"),
    )


_LOAD_SINCE = (
    select(*_LOAD_COLUMNS)
    .join(Member, Member.id == Interaction.member_id)
    .where(*_partner_since(Interaction))
)


def started_since(
    session: Session,
    workspace_id: int,
    partner_id: int,
    since: datetime,
    *,
    not_direction: str,
    not_kind: str,
    newest: int,
) -> tuple[int, list[AnyRow]]:
    """How many of the partner's contacts at `since` or later (every colleague's) have neither
    direction `not_direction` nor kind `not_kind`, and the `newest` of them (latest first, by
    when they happened, then as logged) with what `load_since` reads of each.

    For the over-contact line after a logged contact, which shows a count and names a few: one
    statement whose rows are bounded by `newest` however many contacts the window holds (the
    count is a scalar subquery over the same rows, evaluated once), where reading them all
    cost each command more the more a partner was contacted. A window function (`count(*)
    OVER ()`) counted as well, but made the database join and sort every contact in the window
    before the LIMIT; with the count apart, the newest are read in the index's order."""
    rows = list(
        session.connection()
        .execute(
            _STARTED_SINCE,
            {
                "workspace_id": workspace_id,
                "partner_id": partner_id,
                "since": since,
                "not_direction": not_direction,
                "not_kind": not_kind,
                "newest": newest,
            },
        )
        .all()
    )
    return (rows[0].total if rows else 0), rows


def _started_since_rows(contacts: Any) -> Any:
    """The contacts `started_since` counts, as rows of `contacts` (the entity or an alias of
    it), its values bound at execution by name."""
    return (
        select()
        .select_from(contacts)
        .where(
            *_partner_since(contacts),
            contacts.direction != bindparam("not_direction"),
            contacts.kind != bindparam("not_kind"),
        )
    )


# The count is over an alias of the table, so that it is not correlated with the outer query's,
# and reads the index alone (`ix_interactions_partner_occurred`): every contact has its member
# (a foreign key that deletes with it), so no join is needed to count them.
_STARTED_COUNT = (
    _started_since_rows(aliased(Interaction)).with_only_columns(func.count()).scalar_subquery()
)
_STARTED_SINCE = (
    _started_since_rows(Interaction)
    .join(Member, Member.id == Interaction.member_id)
    .with_only_columns(*_LOAD_COLUMNS, _STARTED_COUNT.label("total"))
    .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    .limit(bindparam("newest"))
)


def directed_contacts_of_owner(
    session: Session, workspace_id: int, owner_id: int, since: datetime, directions: tuple[str, ...]
) -> list[AnyRow]:
    """The contacts with a direction in `directions` that happened at `since` or later with the
    partners `owner_id` looks after: partner id, id, when, kind, direction (the rows of
    `directed_contacts`, narrowed to the owner's partners)."""
    values = {
        "oc_workspace": workspace_id,
        "oc_since": since,
        "oc_directions": list(directions),
        "oc_owner": owner_id,
    }
    return plain_rows(session, _OF_OWNER, values)


def directed_contacts_of_partners(
    session: Session,
    workspace_id: int,
    partner_ids: list[int],
    window: tuple[datetime, datetime],
    directions: tuple[str, ...],
) -> list[AnyRow]:
    """The contacts with a direction in `directions` of the partners `partner_ids` (a page of a
    list, one card) that happened within `window` (from, to; both included), in one statement:
    partner id, id, when, kind, direction, oldest first by partner. None for no partners."""
    if not partner_ids:
        return []
    since, until = window
    return list(
        session.execute(
            directed_contacts(workspace_id, since, directions)
            .where(Interaction.partner_id.in_(partner_ids), Interaction.occurred_at <= until)
            .order_by(Interaction.partner_id, Interaction.occurred_at, Interaction.id)
        ).all()
    )


def directed_contacts(
    workspace_id: int | BindParameter[int],
    since: datetime | BindParameter[datetime],
    directions: tuple[str, ...] | BindParameter[Any],
) -> Select[int, int, datetime, str, str]:
    """The workspace's contacts with a direction in `directions` at `since` or later (partner
    id, id, when, kind, direction), for the caller to narrow to its partners. The values may be
    bound parameters, for a statement built once (`_OF_OWNER`)."""
    return select(
        Interaction.partner_id,
        Interaction.id,
        Interaction.occurred_at,
        Interaction.kind,
        Interaction.direction,
    ).where(
        Interaction.workspace_id == workspace_id,
        Interaction.occurred_at >= since,
        Interaction.direction.in_(directions),
    )


# Read for every nudge DM sent (the one-sided line): built once, with the values bound when it
# runs, and read as plain rows (`plain_rows`): building it cost more than running it.
_OWNER_WORKSPACE = bindparam("oc_workspace", type_=Integer)
_OF_OWNER = (
    directed_contacts(
        _OWNER_WORKSPACE,
        bindparam("oc_since"),
        bindparam("oc_directions", expanding=True),
    )
    .join(Partner, Partner.id == Interaction.partner_id)
    .where(Partner.workspace_id == _OWNER_WORKSPACE, Partner.owner_id == bindparam("oc_owner"))
)


def last_contact_each_way(
    session: Session, workspace_id: int, partner_ids: list[int]
) -> dict[tuple[int, str], datetime]:
    """When each partner's latest contact in each direction happened, of any age, by
    (partner id, direction)."""
    if not partner_ids:
        return {}
    rows = session.execute(
        select(Interaction.partner_id, Interaction.direction, func.max(Interaction.occurred_at))
        .where(Interaction.workspace_id == workspace_id, Interaction.partner_id.in_(partner_ids))
        .group_by(Interaction.partner_id, Interaction.direction)
    ).all()
    return {(p, d): at for p, d, at in rows}
