"""The lists of `/rapport`: a page of partners with their health at a glance, a page of open
promises, and the exact counts behind each.

A page is two statements whatever the number of partners: the page itself, its rows picked by
the index on the list's order, and a COUNT of the whole list. A partner's contact times (first
and last contact, last check-in) are read from its row, where every write keeps them
(`storage.queries.health.contact_times`); only what the row does not keep is filled in by
correlated subqueries over the page alone: who logged the last contact, open promises both
ways, and ours past their last overdue reminder, counted in the outbox. Nothing is read for
partners outside the page, and nothing of their contact history but the last contact's author.
Indexes (migrations 0009, 0034): `ix_partners_workspace_owner_order` for "mine" in list order,
`ix_promises_workspace_partner_status` for a partner's open promises, and
`ix_promises_workspace_member_status_due` for a member's open promises by due day; the last
contact's author uses `ix_interactions_partner_kind_occurred`, the reminders sent about a
promise the outbox's unique (member, kind, subject, period).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from storage.models import Interaction, Member, Nudge, Partner, Promise
from storage.queries.common import AnySelect, is_postgres, plain_rows
from storage.vocabulary import name_key


@dataclass(frozen=True)
class PartnerFilter:
    """Which partners a list holds: those `owner_id` looks after (None: everyone's), and those
    whose name, organisation or e-mail contains `search` (None: all); `partner_id` one partner
    alone (its card reads its health as a list row does); `partner_ids` those partners (a
    digest redrawn); `owners_or_unowned` the partners looked after by the members with these
    Slack user ids (active, not guests) and those nobody looks after (a team digest)."""

    owner_id: int | None = None
    search: str | None = None
    partner_id: int | None = None
    partner_ids: tuple[int, ...] | None = None
    owners_or_unowned: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PartnerListRow:
    """One partner of a page. Instants are aware UTC; `owner_tz` is the owner's IANA zone (None
    without an owner); `owner_active` whether the owner still looks after it (an active member,
    not a guest; None without an owner); promise counts are open ones, `_overdue` those due
    before `today`, `ours_past_reminders` our overdue ones whose overdue nudges were sent
    `reminders` times or more (the nudges' last reminder is behind them); the names are for
    a surface that shows people by name (a digest), read with the row rather than after it."""

    id: int
    name: str
    organisation: str | None
    owner_id: int | None
    owner_user_id: str | None
    owner_tz: str | None
    owner_active: bool | None
    created_at: datetime
    status: str
    cadence_days: int
    paused_until: date | None
    check_in_snoozed_until: date | None
    last_contact: datetime | None
    last_contact_by: str | None  # Slack user id of who logged it
    last_check_in: datetime | None
    first_contact: datetime | None
    ours_open: int
    ours_overdue: int
    theirs_open: int
    theirs_overdue: int
    ours_past_reminders: int
    owner_name: str | None  # the owner's name in Slack (None without an owner)
    last_contact_by_name: str | None  # and of who logged the last contact


# How many columns `_page_query` reads: one a field of `PartnerListRow`.
PAGE_COLUMNS = len(fields(PartnerListRow))


@dataclass(frozen=True)
class PromiseListRow:
    """One open promise of a page: `promised_by` is "us" or "partner"."""

    id: int
    text: str
    due_on: date
    promised_by: str
    partner_name: str
    partner_organisation: str | None


# A name key spells umlauts out ("Müller" → "mueller"); people on keyboards without them type
# "muller" as often as "mueller". A search compares keys with the spelled-out umlauts folded
# back to their vowel on both sides, so all three find Müller (and "samuel" still finds Samuel).
_UMLAUTS_SPELLED = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def _loose(key: str) -> str:
    for spelled, vowel in _UMLAUTS_SPELLED:
        key = key.replace(spelled, vowel)
    return key


def _loose_column(column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    loose: ColumnElement[str] = column.expression
    for spelled, vowel in _UMLAUTS_SPELLED:
        loose = func.replace(loose, spelled, vowel)
    return loose


def _matching(workspace_id: int, where: PartnerFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a partner list. A search compares name keys (`name_key`: "mueller"
    and "muller" find "Müller", see `_loose`), and the e-mail address case-folded as typed."""
    clauses: list[ColumnElement[bool]] = [Partner.workspace_id == workspace_id]
    if where.owner_id is not None:
        clauses.append(Partner.owner_id == where.owner_id)
    if where.partner_id is not None:
        clauses.append(Partner.id == where.partner_id)
    if where.partner_ids is not None:
        # Listed ids are found by the primary key. Compared as it is, the workspace would be
        # the index SQLite picks (it has no statistics), and it would walk every partner.
        clauses[0] = Partner.workspace_id + 0 == workspace_id
        clauses.append(Partner.id.in_(where.partner_ids))
    if where.owners_or_unowned is not None:
        clauses.append(_owned_by_or_unowned(workspace_id, where.owners_or_unowned))
    if where.search is not None:
        key = _loose(name_key(where.search))
        typed = where.search.strip().casefold()
        clauses.append(
            or_(
                _loose_column(Partner.name_key).contains(key, autoescape=True),
                _loose_column(Partner.organisation_key).contains(key, autoescape=True),
                func.lower(Partner.email).contains(typed, autoescape=True),
            )
        )
    return clauses


def _owned_by_or_unowned(workspace_id: int, user_ids: tuple[str, ...]) -> ColumnElement[bool]:
    """Partners whose owner is one of `user_ids` and still looks after them, or who have no
    owner who does (none, one who left, one now a guest: `bot.rules.ownership.is_unowned`)."""
    looking_after = and_(Member.active, ~Member.is_guest)
    named = select(Member.id).where(
        Member.workspace_id == workspace_id, Member.slack_user_id.in_(user_ids), looking_after
    )
    gone = select(Member.id).where(Member.workspace_id == workspace_id, ~looking_after)
    return or_(Partner.owner_id.in_(named), Partner.owner_id.is_(None), Partner.owner_id.in_(gone))


def matching_partners(workspace_id: int, where: PartnerFilter) -> Select[int]:
    """The ids of the partners a list holds, as a subquery for other statements to select by
    (rather than a list of ids, however many there are)."""
    return select(Partner.id).where(*_matching(workspace_id, where))


def count_partners(session: Session, workspace_id: int, where: PartnerFilter) -> int:
    """How many partners the list holds, exactly."""
    counted = select(func.count(Partner.id)).where(*_matching(workspace_id, where))
    return session.scalar(counted) or 0


def partner_page(
    session: Session,
    workspace_id: int,
    where: PartnerFilter,
    *,
    today: date,
    offset: int,
    limit: int | None,
    reminders: int,
) -> list[PartnerListRow]:
    """The partners from `offset` on, at most `limit` (None: all of them), by name (then
    organisation, then id, so pages never overlap), each with what shows its health;
    promises due before `today` (the asker's local day) are overdue, and past their last
    reminder once `reminders` overdue nudges were sent about them
    (`bot.rules.nudges.MAX_UNANSWERED`)."""
    chosen = _chosen(_matching(workspace_id, where))
    if limit is not None or offset:
        # A page of a longer list: its rows picked in list order by the index on it. The whole
        # list (a digest's partners) is ordered by the query around it alone: ordered here too,
        # SQLite walks every partner of the workspace in name order to find a few ids.
        chosen = chosen.order_by(Partner.name_key, Partner.organisation_key, Partner.id)
        chosen = chosen.offset(offset).limit(limit)
    query = _page_query(
        chosen, workspace_id, today=today, reminders=reminders, postgres=is_postgres(session)
    )
    return [list_row(row) for row in session.execute(query).all()]


def partners_by_ids(
    session: Session,
    workspace_id: int,
    partner_ids: Sequence[int],
    *,
    today: date,
    reminders: int,
) -> list[PartnerListRow]:
    """The partners of the workspace with these ids, as `partner_page` reads them, in list
    order (a digest's listed partners, read each time one is drawn). The statement is built
    once per backend with bound parameters (`by_ids_statement`): only its values change, so
    SQLAlchemy's compiled form is reused instead of the statement being built and keyed anew."""
    if not partner_ids:
        return []
    values = {
        "workspace_id": workspace_id,
        "partner_ids": list(partner_ids),
        "today": today,
        "reminders": reminders,
    }
    query = by_ids_statement(is_postgres(session))
    return [list_row(row) for row in plain_rows(session, query, values)]


@cache
def by_ids_statement(postgres: bool) -> AnySelect:
    """`partners_by_ids`' statement on PostgreSQL or SQLite (they add days to a date apart),
    its values bound at execution: `workspace_id`, `partner_ids` (a list, expanded into IN),
    `today` and `reminders`."""
    workspace_id = bindparam("workspace_id", type_=Integer)
    # Listed ids are found by the primary key: see `_matching` on `partner_ids`. On
    # PostgreSQL as one array, so that the statement's text is the same however many ids a
    # digest lists, and the driver prepares it once (an IN list is a new text, planned anew,
    # for each number of ids).
    ids = (
        Partner.id == any_(bindparam("partner_ids", type_=ARRAY(Integer)))
        if postgres
        else Partner.id.in_(bindparam("partner_ids", expanding=True, type_=Integer))
    )
    chosen = _chosen([Partner.workspace_id + 0 == workspace_id, ids])
    return _page_query(
        chosen,
        workspace_id,
        today=bindparam("today", type_=Date),
        reminders=bindparam("reminders", type_=Integer),
        postgres=postgres,
    )


def _chosen(clauses: Sequence[ColumnElement[bool]]) -> AnySelect:
    """The partners' own columns a page reads, of those `clauses` select."""
    return select(
        Partner.id,
        Partner.name,
        Partner.organisation,
        Partner.owner_id,
        Partner.created_at,
        Partner.status,
        Partner.cadence_days,
        Partner.paused_until,
        Partner.check_in_snoozed_until,
        Partner.last_contact_at,
        Partner.last_check_in_at,
        Partner.first_contact_at,
        Partner.name_key,
        Partner.organisation_key,
    ).where(*clauses)


def _page_query(
    chosen: AnySelect,
    workspace_id: int | ColumnElement[int],
    *,
    today: date | ColumnElement[date],
    reminders: int | ColumnElement[int],
    postgres: bool,
) -> AnySelect:
    """The rows of the partners `chosen` selects (`_chosen`), in list order, with what their
    rows do not keep filled in by correlated subqueries (module doc)."""
    page = chosen.subquery("page")
    owner = aliased(Member)
    return (
        select(
            page.c.id,
            page.c.name,
            page.c.organisation,
            page.c.owner_id,
            owner.slack_user_id,
            owner.tz,
            and_(owner.active, ~owner.is_guest),
            page.c.created_at,
            page.c.status,
            page.c.cadence_days,
            page.c.paused_until,
            page.c.check_in_snoozed_until,
            page.c.last_contact_at,
            _last_contact_by(workspace_id, page.c.id, Member.slack_user_id),
            page.c.last_check_in_at,
            page.c.first_contact_at,
            _open_promises(workspace_id, page.c.id, "us", None),
            _open_promises(workspace_id, page.c.id, "us", today),
            _open_promises(workspace_id, page.c.id, "partner", None),
            _open_promises(workspace_id, page.c.id, "partner", today),
            _past_reminders(postgres, workspace_id, page.c.id, today, reminders),
            owner.name,
            _last_contact_by(workspace_id, page.c.id, Member.name),
        )
        .select_from(page)
        .outerjoin(owner, owner.id == page.c.owner_id)
        .order_by(page.c.name_key, page.c.organisation_key, page.c.id)
    )


def list_row(values: Sequence[Any]) -> PartnerListRow:
    """A row of `_page_query` as read (its first values, when a caller added columns after
    them): the owner's flag is None without an owner (the outer join reads NULL, or on some
    backends a false AND over NULLs), and counts are ints."""
    owner_id = values[3]
    active = None if owner_id is None else bool(values[6])
    return PartnerListRow(*values[:6], active, *values[7:PAGE_COLUMNS])  # type: ignore[call-arg]


def _last_contact_by(
    workspace_id: int | ColumnElement[int],
    partner_id: ColumnElement[int],
    column: InstrumentedAttribute[str],
) -> ColumnElement[str]:
    """`column` (the Slack user id, the name) of the member who logged the partner's latest
    contact."""
    return (
        select(column)
        .join(Interaction, Interaction.member_id == Member.id)
        .where(Interaction.workspace_id == workspace_id, Interaction.partner_id == partner_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _open_promises(
    workspace_id: int | ColumnElement[int],
    partner_id: ColumnElement[int],
    promised_by: str,
    before: date | ColumnElement[date] | None,
) -> ColumnElement[int]:
    """How many open promises `promised_by` made with the partner (due before `before` only,
    when given)."""
    clauses = [
        Promise.workspace_id == workspace_id,
        Promise.partner_id == partner_id,
        Promise.status == "open",
        Promise.promised_by == promised_by,
    ]
    if before is not None:
        clauses.append(Promise.due_on < before)
    return select(func.count(Promise.id)).where(and_(*clauses)).scalar_subquery()


def _past_reminders(
    postgres: bool,
    workspace_id: int | ColumnElement[int],
    partner_id: ColumnElement[int],
    today: date | ColumnElement[date],
    reminders: int | ColumnElement[int],
) -> ColumnElement[int]:
    """How many of our open promises with the partner are past their last reminder on `today`
    (`past_reminders_of`), as a correlated subquery on `partner_id`: for a page's rows."""
    return past_reminders_of(
        postgres, workspace_id, partner_id, today=today, reminders=reminders
    ).scalar_subquery()


def past_reminders_of(
    postgres: bool,
    workspace_id: int | ColumnElement[int],
    partner_id: ColumnElement[int] | InstrumentedAttribute[int],
    *,
    today: date | ColumnElement[date],
    reminders: int | ColumnElement[int],
) -> Select[int]:
    """(count,) of our open promises with the partner `partner_id` names (a column of an
    enclosing statement) past their last reminder on `today` (`_past_reminder_clauses`): one
    row, for a caller that joins it LATERAL to each of its partners."""
    return select(func.count(Promise.id).label("past")).where(
        Promise.partner_id == partner_id,
        *_past_reminder_clauses(postgres, workspace_id, today, reminders),
    )


def past_reminders_by_partner(
    postgres: bool,
    workspace_id: int | ColumnElement[int],
    partner_ids: Select[int],
    *,
    today: date | ColumnElement[date],
    reminders: int | ColumnElement[int],
) -> Select[int, int]:
    """(partner id, count) for the partners of `partner_ids` (a subquery of ids) with any of
    our open promises past their last reminder on `today` (`_past_reminder_clauses`); partners
    with none are left out. One grouped statement over those partners' promises, for a caller
    that selects by it (a team digest), rather than a subquery per partner; `postgres` says
    how the backend adds days to a date (`is_postgres`). The values may be bound parameters
    (a statement built once)."""
    return (
        select(Promise.partner_id, func.count(Promise.id).label("past"))
        .where(
            Promise.partner_id.in_(partner_ids),
            *_past_reminder_clauses(postgres, workspace_id, today, reminders),
        )
        .group_by(Promise.partner_id)
    )


def _past_reminder_clauses(
    postgres: bool,
    workspace_id: int | ColumnElement[int],
    today: date | ColumnElement[date],
    reminders: int | ColumnElement[int],
) -> list[ColumnElement[bool]]:
    """Our open promises overdue on `today` that had `reminders` or more overdue nudges sent.
    A promise's overdue nudges are the outbox rows of its episode that began the day after its
    due day (`due_on` + 1, as the planner keys them); the count per promise is served by the
    outbox's unique (member, kind, subject, period) index, the promises by
    `ix_promises_workspace_partner_status`."""
    sent = (
        select(func.count(Nudge.id))
        .where(
            Nudge.member_id == Promise.member_id,
            Nudge.kind == "promise",
            Nudge.subject_id == Promise.id,
            Nudge.due_on == _day_after(postgres, Promise.due_on),
            Nudge.state == "sent",
        )
        .scalar_subquery()
    )
    return [
        Promise.workspace_id == workspace_id,
        Promise.status == "open",
        Promise.promised_by == "us",
        Promise.due_on < today,
        sent >= reminders,
    ]


def _day_after(postgres: bool, day: InstrumentedAttribute[date]) -> ColumnElement[date]:
    """The day after `day`, as each backend adds days to a date (SQLite keeps ISO text)."""
    if postgres:
        return day + 1
    return func.date(day, "+1 day", type_=Date)


def _my_promises(workspace_id: int, member_id: int) -> list[ColumnElement[bool]]:
    """Open promises `member_id` holds, for a query joined with `Partner`: the ones they made
    (or took over with a partner: `hand_over_orphaned_promises`), and the partner's promises
    they logged or that were made to a partner they look after, so a new owner sees what the
    partners' rows of their list count."""
    return [
        Promise.workspace_id == workspace_id,
        Promise.status == "open",
        or_(
            Promise.member_id == member_id,
            and_(Promise.promised_by == "partner", Partner.owner_id == member_id),
        ),
    ]


def count_promises(
    session: Session, workspace_id: int, member_id: int, today: date
) -> tuple[int, int]:
    """How many open promises the member holds, and how many of them are overdue."""
    query = (
        select(func.count(Promise.id), func.count(Promise.id).filter(Promise.due_on < today))
        .join(Partner, Partner.id == Promise.partner_id)
        .where(*_my_promises(workspace_id, member_id))
    )
    total, overdue = session.execute(query).one()
    return int(total or 0), int(overdue or 0)


def promise_page(
    session: Session, workspace_id: int, member_id: int, *, offset: int, limit: int
) -> list[PromiseListRow]:
    """The member's open promises from `offset` on, at most `limit`: by due day, so the overdue
    ones come first, then by when they were made."""
    query = (
        select(
            Promise.id,
            Promise.text,
            Promise.due_on,
            Promise.promised_by,
            Partner.name,
            Partner.organisation,
        )
        .join(Partner, Partner.id == Promise.partner_id)
        .where(*_my_promises(workspace_id, member_id))
        .order_by(Promise.due_on, Promise.id)
        .offset(offset)
        .limit(limit)
    )
    return [PromiseListRow(*row) for row in session.execute(query).all()]
