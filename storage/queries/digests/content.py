"""What a team digest reads: its partners' list rows, who looks after them and who last spoke
to them (by name), which of them are one-sided, and their live claims.

Two statements whatever the number of partners, none per partner:

1. the partners' rows, read as the lists read them (`partner_lists.by_ids_statement`: last
   contact and by whom, open promises both ways and overdue, ours past their last reminder),
   with the names of their owners and of the members who logged those last contacts, and
   their live claims with the claimer's name and Slack id (`listed_rows`);
2. which of the same partners are one-sided (their directed contacts of the last
   `ONE_SIDED_DAYS` days all one way, decided by the database as `team_health_rows` decides
   it), by the ids the first statement read; only for those the choice did not judge.

A digest being posted first chooses whom it lists (`team_health_rows`, `unowned_rows`): of
the members' own partners only those that may need attention, selected by the contact times
their rows keep (`storage.queries.health.contact_times`) and the promises and contacts that
make the other states, with what the health rule reads and nothing else, and in the same
statement the count of partners nobody looks after; those partners are read only when there
is room to list some. Then it reads the rows above for the few it can show. Nothing here
aggregates a partner's contact history beyond the last half year's directed contacts.

Every statement filters by the workspace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Join,
    Select,
    String,
    and_,
    any_,
    bindparam,
    func,
    join,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from storage.models import Digest, Interaction, Member, Partner, PartnerClaim, UTCDateTime
from storage.queries.common import AnySelect, is_postgres, plain_rows
from storage.queries.digests.claims import LiveClaim
from storage.queries.partner_lists import (
    PAGE_COLUMNS,
    PartnerListRow,
    by_ids_statement,
    list_row,
    past_reminders_by_partner,
    past_reminders_of,
)
from storage.vocabulary import ONE_SIDED_DAYS, ONE_SIDED_DIRECTIONS, ONE_SIDED_MIN_CONTACTS


@dataclass(frozen=True)
class DigestRow:
    """One partner as a digest reads it: its list row, its owner's name, the name of who logged
    its last contact, (direction, count) when its directed contacts of the last
    `ONE_SIDED_DAYS` days all went one way (`contact_balance.one_sided`'s decision, taken by
    the database: `_one_sided`), and its live claim (None without one)."""

    partner: PartnerListRow
    owner_name: str | None
    last_contact_by_name: str | None
    one_sided: tuple[str, int] | None
    claim: LiveClaim | None


def listed_rows(
    session: Session,
    workspace_id: int,
    partner_ids: Sequence[int],
    *,
    today: date,
    now: datetime,
    reminders: int,
    one_sided: Mapping[int, tuple[str, int] | None] | None = None,
) -> list[DigestRow]:
    """These partners of the workspace, as they are now (forgotten ones are not read), each
    with its live claim, in one statement (`_listed_statement`).

    `one_sided` is what the caller read already in the same transaction of some of them (a
    `HealthRow.one_sided` by partner id, None: not one-sided); only the others' contacts are
    read for it, and none when every partner is known."""
    if not partner_ids:
        return []
    values = {
        "workspace_id": workspace_id,
        "partner_ids": list(partner_ids),
        "today": today,
        "reminders": reminders,
        "now": now,
    }
    read = plain_rows(session, _listed_statement(is_postgres(session)), values)
    partners = [(list_row(row), _claim_of(row)) for row in read]
    known = one_sided or {}
    unknown = [p.id for p, _ in partners if p.id not in known]
    sided = {pid: s for pid, s in known.items() if s is not None}
    if unknown:
        sided.update(_one_sided_of(session, workspace_id, unknown, now))
    return [
        DigestRow(
            partner=p,
            owner_name=p.owner_name,
            last_contact_by_name=p.last_contact_by_name,
            one_sided=sided.get(p.id),
            claim=claim,
        )
        for p, claim in partners
    ]


@cache
def _listed_statement(postgres: bool) -> AnySelect:
    """`partners_by_ids`' statement (`by_ids_statement`) with each partner's live claim
    (`storage.queries.digests.claims`) joined to it: its claimer's member id, Slack id and
    name, and its end, all NULL without one. A claim whose claimer no longer looks after
    partners reads NULL for the claimer, and counts as none. Values bound at execution: those
    of `by_ids_statement`, and `now`. One round trip fewer a digest than reading the claims
    apart."""
    page = by_ids_statement(postgres)
    partner_id = page.selected_columns[0]
    claim, claimer = aliased(PartnerClaim), aliased(Member)
    return (
        page.add_columns(claimer.id, claimer.slack_user_id, claimer.name, claim.until)
        .outerjoin(
            claim,
            and_(
                claim.partner_id == partner_id,
                claim.workspace_id == _workspace_id(),
                claim.until > bindparam("now", type_=UTCDateTime),
            ),
        )
        .outerjoin(claimer, and_(claimer.id == claim.member_id, _looking_after(claimer)))
    )


def _claim_of(row: Sequence[Any]) -> LiveClaim | None:
    """The live claim `_listed_statement` read after a partner's columns, if any."""
    member_id, user_id, name, until = row[PAGE_COLUMNS:]
    if member_id is None:
        return None
    return LiveClaim(int(row[0]), int(member_id), str(user_id), str(name), until)


def newest_digest_id(session: Session, workspace_id: int, subscription_id: int) -> str | None:
    """The id of the subscription's digest of the latest period (the one being posted), or
    None before its first."""
    query = (
        select(Digest.id)
        .where(Digest.workspace_id == workspace_id, Digest.subscription_id == subscription_id)
        .order_by(Digest.period.desc())
        .limit(1)
    )
    return session.scalar(query)


def _one_sided_of(
    session: Session, workspace_id: int, partner_ids: list[int], now: datetime
) -> dict[int, tuple[str, int]]:
    """(direction, count) by partner id, for those of `partner_ids` whose contacts of the last
    `ONE_SIDED_DAYS` days up to `now` went one way (`_one_sided`): a row for each of those
    alone, not the contacts themselves."""
    values = {"partner_ids": partner_ids, **_one_sided_values(workspace_id, now)}
    rows = plain_rows(session, _one_sided_by_ids(), values)
    return {pid: (str(direction), int(count)) for direction, count, pid in rows}


@cache
def _one_sided_by_ids() -> Select[int, str, int]:
    """`_one_sided_of`'s statement, built once: `partner_ids` a list, expanded into IN."""
    ids = select(Partner.id).where(
        Partner.id.in_(bindparam("partner_ids", expanding=True, type_=Integer))
    )
    return _one_sided(ids)


# --- choosing whom a posted digest lists ------------------------------------------------------


@dataclass(frozen=True)
class HealthRow:
    """A partner one of the channel's members looks after, with what the health rule reads
    (`bot.rules.relationships.health.HealthSubject`, `bot.usecases.partners.health.HealthRow`)
    and what a digest orders by (its name, its owner's name); instants aware UTC.
    `one_sided` is (direction, count) when its directed contacts of the last `ONE_SIDED_DAYS`
    days all went one way (`contact_balance.one_sided`'s decision, taken by the database),
    else None."""

    id: int
    name: str
    owner_id: int | None
    owner_name: str | None
    owner_tz: str | None
    owner_active: bool | None
    created_at: datetime
    status: str
    cadence_days: int
    paused_until: date | None
    check_in_snoozed_until: date | None
    last_contact: datetime | None
    last_check_in: datetime | None
    first_contact: datetime | None
    ours_past_reminders: int
    one_sided: tuple[str, int] | None


@dataclass(frozen=True)
class UnownedRow:
    """A partner nobody looks after, as a digest orders it: by its last contact (aware; None:
    never), then its name."""

    id: int
    name: str
    owner_id: int | None
    owner_active: bool | None
    last_contact: datetime | None


def _looking_after(member: type[Member]) -> ColumnElement[bool]:
    return and_(member.active, ~member.is_guest)


def _workspace_id() -> BindParameter[int]:
    """The workspace, bound at execution (every statement here filters by it)."""
    return bindparam("workspace_id", type_=Integer)


def _one_of_the_members(member: type[Member], postgres: bool) -> ColumnElement[bool]:
    """The member is one of those whose Slack ids are bound as `member_user_ids` (a list).
    On PostgreSQL as one array: the statement's text, and so the driver's prepared statement,
    is then the same whatever a channel's number of members; SQLite expands it into IN."""
    if postgres:
        return member.slack_user_id == any_(bindparam("member_user_ids", type_=ARRAY(String)))
    return member.slack_user_id.in_(bindparam("member_user_ids", expanding=True, type_=String))


def _team_owned(postgres: bool) -> ColumnElement[bool]:
    """Partners owned by one of the members whose Slack ids are bound as `member_user_ids`
    who still looks after them (the owned half of `PartnerFilter.owners_or_unowned`)."""
    owners = select(Member.id).where(
        Member.workspace_id == _workspace_id(),
        _one_of_the_members(Member, postgres),
        _looking_after(Member),
    )
    return Partner.owner_id.in_(owners)


def _unowned() -> ColumnElement[bool]:
    """Partners nobody looks after (the other half of `PartnerFilter.owners_or_unowned`)."""
    gone = select(Member.id).where(Member.workspace_id == _workspace_id(), ~_looking_after(Member))
    return or_(Partner.owner_id.is_(None), Partner.owner_id.in_(gone))


@dataclass(frozen=True)
class TeamHealth:
    """What `team_health_rows` read: the members' partners that may need attention, and how
    many partners of the workspace nobody looks after (`count_unowned`'s count, read in the
    same statement; None when no row came to carry it)."""

    rows: list[HealthRow]
    unowned: int | None


def team_health_rows(
    session: Session,
    workspace_id: int,
    member_user_ids: Sequence[str],
    *,
    today: date,
    now: datetime,
    due_before: datetime,
    reminders: int,
) -> TeamHealth:
    """The partners the members with these Slack ids look after that may need attention, with
    what their health needs and nothing else (no promise counts, names or contacts); and, on
    each row, the count of partners nobody looks after, which a digest these fill needs: a
    round trip fewer than asking apart.

    Selected in one statement by what their rows keep and what makes the other states: a
    `contact_due_at` or `check_in_due_at` before `due_before` (the caller's margin: those
    instants are counted into days in the owner's zone by the rule, which decides exactly),
    any of our promises past their last reminder on `today` (`past_reminders_by_partner`), or
    contacts of the last half year up to `now` all one way (`_one_sided`). Partners fine by
    all of these are never read. The rest of the rule (pauses, snoozes, zones) is the caller's.
    """
    if not member_user_ids:
        return TeamHealth([], None)
    values = {
        "workspace_id": workspace_id,
        "member_user_ids": list(member_user_ids),
        "today": today,
        "due_before": due_before,
        "reminders": reminders,
        **_one_sided_values(workspace_id, now),
    }
    query = _team_health_statement(is_postgres(session))
    read = plain_rows(session, query, values)
    unowned = int(read[0][-1] or 0) if read else None
    return TeamHealth([_health_row(row[:-1]) for row in read], unowned)


@cache
def _team_health_statement(postgres: bool) -> AnySelect:
    """`team_health_rows`' statement, built once per backend with its values bound at
    execution: `workspace_id`, `member_user_ids` (a list: an array on PostgreSQL, expanded
    into IN on SQLite), `today`, `due_before`, `reminders`, and `_one_sided_values`; the last
    column is `_count_unowned_statement`'s count. Built afresh for every digest, its tree and
    cache key cost more than SQLite takes to run it.

    Each backend reads the promises past their reminders and the one-sided contacts in the
    form it runs best. PostgreSQL: for each partner, joined LATERAL (one probe of each index a
    partner). SQLite, which has no LATERAL: grouped over the team's partners, and joined."""
    if postgres:
        return _team_health_lateral()
    workspace_id = _workspace_id()
    team = select(Partner.id).where(Partner.workspace_id == workspace_id, _team_owned(postgres))
    past = past_reminders_by_partner(
        postgres,
        workspace_id,
        team,
        today=bindparam("today", type_=Date),
        reminders=bindparam("reminders", type_=Integer),
    ).subquery("past")
    sided = _one_sided(team).subquery("sided")
    owner = aliased(Member)
    return (
        select(*_health_columns(owner), past.c.past, sided.c.direction, sided.c.contacts)
        .add_columns(_count_unowned_statement().scalar_subquery())
        .select_from(_team_partners(owner, postgres))
        .outerjoin(past, past.c.partner_id == Partner.id)
        .outerjoin(sided, sided.c.partner_id == Partner.id)
        .where(
            Partner.workspace_id == workspace_id,
            _team_owned(postgres),
            _may_need_attention(past.c.partner_id.is_not(None), sided.c.partner_id.is_not(None)),
        )
    )


def _team_health_lateral() -> AnySelect:
    """`_team_health_statement` on PostgreSQL: from the channel's members to their partners
    (`_team_partners`), each with its count of promises past their reminders and its one-sided
    contacts joined LATERAL."""
    workspace_id = _workspace_id()
    past = past_reminders_of(
        True,
        workspace_id,
        Partner.id,
        today=bindparam("today", type_=Date),
        reminders=bindparam("reminders", type_=Integer),
    ).lateral("past")
    sided = _one_sided_where(Interaction.partner_id == Partner.id).lateral("sided")
    owner = aliased(Member)
    return (
        select(*_health_columns(owner), past.c.past, sided.c.direction, sided.c.contacts)
        .add_columns(_count_unowned_statement().scalar_subquery())
        .select_from(_team_partners(owner, True))
        .join(past, true())
        .outerjoin(sided, true())
        .where(
            Partner.workspace_id == workspace_id,
            owner.workspace_id == workspace_id,
            _one_of_the_members(owner, True),
            _looking_after(owner),
            _may_need_attention(past.c.past > 0, sided.c.direction.is_not(None)),
        )
    )


def _health_columns(
    owner: type[Member],
) -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """What `HealthRow` reads of a partner and its owner, before its past and one-sided
    values."""
    return (
        Partner.id,
        Partner.name,
        Partner.owner_id,
        owner.name,
        owner.tz,
        _looking_after(owner),
        Partner.created_at,
        Partner.status,
        Partner.cadence_days,
        Partner.paused_until,
        Partner.check_in_snoozed_until,
        Partner.last_contact_at,
        Partner.last_check_in_at,
        Partner.first_contact_at,
    )


def _may_need_attention(
    past: ColumnElement[bool], one_sided: ColumnElement[bool]
) -> ColumnElement[bool]:
    """A partner the health rule may find in need of attention: its kept contact or check-in
    due before `due_before`, any promise past its reminders (`past`), or one-sided contacts."""
    due_before = bindparam("due_before", type_=UTCDateTime)
    return or_(
        Partner.contact_due_at < due_before,
        # Never NULL once written (a model default, then every write): if one were, the rule
        # judges it rather than the digest leaving it out unread.
        Partner.contact_due_at.is_(None),
        Partner.check_in_due_at < due_before,
        past,
        one_sided,
    )


def _team_partners(owner: type[Member], postgres: bool) -> Join:
    """The partners joined to their owners, in the order each database reads them best.

    SQLite: the partners selected by their owners' ids (`_team_owned`, the index on partners'
    owners), each joined to its owner. Given the owners' Slack ids in the join instead, it
    walks every partner of the workspace (measured: 0.2 s a digest at 50,000 partners).

    PostgreSQL: from the channel's members (by their Slack ids, their index) to their partners.
    Joining the partners to their owners instead, it hashed every member of the workspace;
    and with the Slack ids in that join's condition it took the members found for one and
    planned a nested loop that, prepared, took 40 ms a digest."""
    if not postgres:
        return join(Partner, owner, owner.id == Partner.owner_id)
    return join(owner, Partner, Partner.owner_id == owner.id)


def _health_row(row: Sequence[Any]) -> HealthRow:
    """A row as read: the owner looks after it (the query's condition), counts are ints, and
    the one-sided direction and count (NULL when not one-sided) are one value."""
    *kept, past, direction, contacts = row
    sided = (str(direction), int(contacts)) if direction is not None else None
    values = [*kept[:5], True, *kept[6:], int(past or 0), sided]
    return HealthRow(*values)


def _one_sided_values(workspace_id: int, now: datetime) -> dict[str, object]:
    """The values `_one_sided` binds: the workspace, and its window up to `now` (aware)."""
    return {
        "workspace_id": workspace_id,
        "since": now - timedelta(days=ONE_SIDED_DAYS),
        "now": now,
        "one_sided_min": ONE_SIDED_MIN_CONTACTS,
    }


def _one_sided(partner_ids: Select[int]) -> Select[int, str, int]:
    """(direction, contacts, partner id) for the partners of `partner_ids` whose directed
    contacts of the last `ONE_SIDED_DAYS` days (up to `now`) are `ONE_SIDED_MIN_CONTACTS` or
    more, all in one direction: the same decision as `contact_balance.one_sided` over the same
    contacts, taken by the database, so that the contacts themselves are read only for the
    partners a digest shows. Its values are bound (`_one_sided_values`)."""
    grouped = _one_sided_where(Interaction.partner_id.in_(partner_ids))
    return grouped.add_columns(Interaction.partner_id).group_by(Interaction.partner_id)


def _one_sided_where(partners: ColumnElement[bool]) -> Select[str, int]:
    """(direction, contacts) of the directed contacts `partners` selects, when they are one-sided
    (`_one_sided`); ungrouped: over one partner's contacts (a LATERAL join's) as it is."""
    return (
        select(
            func.min(Interaction.direction).label("direction"),
            # count(*), not of a column the index lacks: read from the index alone.
            func.count().label("contacts"),
        )
        .where(
            Interaction.workspace_id == _workspace_id(),
            partners,
            Interaction.occurred_at >= bindparam("since", type_=UTCDateTime),
            Interaction.occurred_at <= bindparam("now", type_=UTCDateTime),
            Interaction.direction.in_(ONE_SIDED_DIRECTIONS),
        )
        .having(
            and_(
                func.count() >= bindparam("one_sided_min", type_=Integer),
                func.min(Interaction.direction) == func.max(Interaction.direction),
            )
        )
    )


def count_unowned(session: Session, workspace_id: int) -> int:
    """How many partners of the workspace nobody looks after, exactly."""
    values = {"workspace_id": workspace_id}
    rows = plain_rows(session, _count_unowned_statement(), values)
    return int(rows[0][0] or 0)


@cache
def _count_unowned_statement() -> Select[int]:
    """`count_unowned`'s statement, built once, the workspace bound at execution."""
    # Counted by the index on partners' owners, one look-up for no owner and one for each
    # owner who left: as one OR, SQLite walks every partner of the workspace, and PostgreSQL
    # joins them all by hash to the owners who left.
    workspace_id = _workspace_id()
    nobody = select(func.count()).where(
        Partner.workspace_id == workspace_id, Partner.owner_id.is_(None)
    )
    per_owner = (
        select(func.count())
        .where(Partner.workspace_id == workspace_id, Partner.owner_id == Member.id)
        .scalar_subquery()
    )
    left = select(func.coalesce(func.sum(per_owner), 0)).where(
        Member.workspace_id == workspace_id, ~_looking_after(Member)
    )
    return select(nobody.scalar_subquery() + left.scalar_subquery())


def unowned_rows(session: Session, workspace_id: int) -> list[UnownedRow]:
    """The partners nobody looks after, with their last contact (for their order), as their
    rows keep it."""
    rows = plain_rows(session, _unowned_statement(), {"workspace_id": workspace_id})
    return [
        UnownedRow(pid, name, owner_id, None if owner_id is None else bool(active), last)
        for pid, name, owner_id, active, last in rows
    ]


@cache
def _unowned_statement() -> Select[int, str, int | None, bool, datetime | None]:
    """`unowned_rows`' statement, built once, the workspace bound at execution."""
    owner = aliased(Member)
    return (
        select(
            Partner.id,
            Partner.name,
            Partner.owner_id,
            _looking_after(owner),
            Partner.last_contact_at,
        )
        .outerjoin(owner, owner.id == Partner.owner_id)
        .where(Partner.workspace_id == _workspace_id(), _unowned())
    )
