"""The content of a team digest: which partners it lists and how it reads, as posted and as
redrawn after a button.

`render_digest` is a step of whoever holds the transaction (the dispatcher posting a digest,
a button redrawing one). Posted, it selects anew: the partners the channel's members look after
and those nobody does, in the states `bot.rules.digests.selection` lists. Redrawn (`shown`
given), it shows exactly the partners the posted message listed, as they are now (health,
claims, owners), so that a message everyone has read does not reshuffle under them; partners
forgotten meanwhile drop out. `Shown` is what the `digests` row keeps of a posted message, as
JSON (`shown_to_json`, `shown_from_json`).

The language is the subscription's, and so is the zone the digest's days are counted in; a
partner's check-in day is counted in its owner's zone, as the planner counts it. After-hours
figures never appear.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from bot.blocks.digest import DigestMessage
from bot.blocks.digest.message import ClaimShown, DigestGroup, DigestPartner, digest_message
from bot.blocks.replies import MESSAGE_BLOCKS_MAX
from bot.rules.digests.selection import (
    OwnerGroup,
    by_priority,
    group,
    needs_attention,
    priority,
)
from bot.rules.nudges import MAX_UNANSWERED
from bot.rules.ownership import is_unowned
from bot.rules.relationships.contact_balance import OneSided
from bot.rules.relationships.health import Health
from bot.rules.zones import ZONE_LEAD
from bot.texts.reader import Reader
from bot.usecases.partners.health import health_of
from storage.models import DigestSubscription
from storage.queries.digests.content import (
    DigestRow,
    HealthRow,
    listed_rows,
    newest_digest_id,
    team_health_rows,
    unowned_rows,
)
from storage.queries.partner_lists import PartnerListRow


@dataclass(frozen=True)
class Shown:
    """What a posted digest listed: its partners in order, and how many it left out."""

    partner_ids: list[int]
    more: int


def shown_to_json(message: DigestMessage) -> str:
    """What `digests.shown` keeps of a posted message: {"partners": [ids], "more": N}."""
    return json.dumps({"partners": message.partner_ids, "more": message.more})


def shown_from_json(raw: str | None) -> Shown | None:
    """The `Shown` of a stored `digests.shown`; None for none, or for anything that is not what
    `shown_to_json` writes."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    partners, more = data.get("partners"), data.get("more")
    if not isinstance(partners, list) or not all(_count(p) for p in partners):
        return None
    if not (isinstance(more, int) and not isinstance(more, bool) and more >= 0):
        return None
    return Shown(partner_ids=[int(p) for p in partners], more=more)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def digest_reader(subscription: DigestSubscription) -> Reader:
    """Whom a digest speaks to: the channel, in the subscription's language and zone."""
    return Reader(locale=subscription.language, tz=subscription.tz)


def render_digest(
    session: Session,
    subscription: DigestSubscription,
    member_user_ids: Sequence[str],
    now: datetime,
    shown: Shown | None = None,
    *,
    digest_id: str | None = None,
) -> DigestMessage:
    """The digest for the channel of `subscription`, whose members (Slack ids, at posting time)
    are `member_user_ids`; with `shown`, the posted digest redrawn. Its menus name `digest_id`,
    by default the subscription's digest of the latest period (the one being posted)."""
    reader = digest_reader(subscription)
    workspace_id = subscription.workspace_id
    today = reader.today(now)
    named = digest_id or newest_digest_id(session, workspace_id, subscription.id)
    owners: int | None = None
    judged: dict[int, _Judged] = {}
    if shown is None:
        chosen = _choose(session, workspace_id, member_user_ids, reader, now)
        partner_ids, left_out, owners = chosen.partner_ids, chosen.left_out, chosen.owners
        judged = chosen.judged
    else:
        partner_ids, left_out = shown.partner_ids, shown.more
    rows = listed_rows(
        session,
        workspace_id,
        partner_ids,
        today=today,
        now=now,
        reminders=MAX_UNANSWERED,
        one_sided={pid: j.one_sided for pid, j in judged.items()},
    )
    groups = group(_candidate(row, reader, now, judged.get(row.partner.id)) for row in rows)
    return digest_message(
        reader,
        [_shown_group(g) for g in groups],
        now,
        digest_id=named,
        left_out=left_out,
        owners=owners,
    )


# The most partners a digest can list: one section each, beside its title and its closing
# "N more" line, within Slack's blocks a message (fewer still with owners' lines, or when the
# text budget runs out first: `digest_message` stops there).
LISTABLE = MESSAGE_BLOCKS_MAX - 2


@dataclass(frozen=True)
class _Judged:
    """What the choice read and decided of one of the members' own partners: its states,
    whether its contacts went one way ((direction, count), else None), and what of its row
    the states were judged on (`_judged_on`)."""

    health: tuple[Health, ...]
    one_sided: tuple[str, int] | None
    read: tuple[object, ...]


def _judged_on(row: HealthRow | PartnerListRow) -> tuple[object, ...]:
    """What of a partner's row its states follow from (the health rule's inputs, its owner and
    their zone): the choice's states are drawn only for a row that still reads so. On
    PostgreSQL each statement of a transaction sees what was committed before it, so an owner
    leaving or a contact logged between the choice and the drawing would otherwise be drawn
    with states judged on the row before (an unowned partner shown merely "neglected")."""
    return (
        row.owner_id,
        row.owner_active,
        row.owner_tz,
        row.status,
        row.cadence_days,
        row.paused_until,
        row.check_in_snoozed_until,
        row.last_contact,
        row.last_check_in,
        row.first_contact,
        row.created_at,
        row.ours_past_reminders,
    )


@dataclass(frozen=True)
class _Chosen:
    """Whom a posted digest lists: of the first partners that need attention in the digest's
    order (at most `LISTABLE`), those Slack's blocks hold (`_fitting`: `partner_ids`), how
    many of all of them come after those (`left_out`), how many owners all of them have
    (`owners`), and what the choice judged of those listed it read (`judged`, by partner id:
    the members' own; the drawing does not read or judge them again)."""

    partner_ids: list[int]
    left_out: int
    owners: int
    judged: dict[int, _Judged]


def _choose(
    session: Session,
    workspace_id: int,
    member_user_ids: Sequence[str],
    reader: Reader,
    now: datetime,
) -> _Chosen:
    """The partners a digest lists, decided from what health needs alone.

    Every partner nobody looks after needs attention (`unowned`), and they come last: they are
    only counted when the members' own partners fill the message, and read (by last contact,
    for their order) when those leave room. Of the members' own partners the database selects
    those that may need attention (`team_health_rows`, by `attention_due_before` and the other
    states' conditions); each is then judged by the same rule as a list row (`health_of`), so
    the count of the rest stays exact; names, promise counts and contacts are then read only
    for the partners shown. One statement here when the members' own partners fill the
    message (it counts the unowned too), two when they leave room.
    """
    today = reader.today(now)
    team = team_health_rows(
        session,
        workspace_id,
        member_user_ids,
        today=today,
        now=now,
        due_before=attention_due_before(today),
        reminders=MAX_UNANSWERED,
    )
    owned: list[_Light] = []
    judged: dict[int, _Judged] = {}
    for row in team.rows:
        sided = OneSided(*row.one_sided) if row.one_sided is not None else None
        states = health_of(row, reader, now, sided)
        if needs_attention(states):
            owned.append(
                _Light(
                    row.id, row.name, row.owner_id, True, row.owner_name, row.last_contact, states
                )
            )
            judged[row.id] = _Judged(states, row.one_sided, _judged_on(row))
    owners = len({c.owner_id for c in owned})
    unowned: list[_Light] = []
    if len(owned) < LISTABLE:
        unowned = [
            _Light(
                u.id, u.name, u.owner_id, u.owner_active, None, u.last_contact, (Health.UNOWNED,)
            )
            for u in unowned_rows(session, workspace_id)
        ]
        unowned_count = len(unowned)
    else:
        # Counted by the statement that read the rows, which are there: they fill the message.
        assert team.unowned is not None
        unowned_count = team.unowned
    # The most important first: a full digest keeps promises past their reminders over neglect.
    first = _fitting(by_priority([*owned, *unowned])[:LISTABLE])
    total = len(owned) + unowned_count
    ids = [c.id for c in first]
    return _Chosen(ids, total - len(first), owners, {i: judged[i] for i in ids if i in judged})


def _fitting(first: list[_Light]) -> list[_Light]:
    """Those of `first` (the partners a digest may list, by `by_priority`) that Slack's blocks
    hold, chosen as `digest_message` chooses them: in priority order, then as grouped (owners
    by name, the unowned last, each by contact), a section each and an owner's line for each
    group begun, beside the title and the closing line, until the next does not fit. The
    message then holds all of them, unless the text budget runs out first, where it would
    have stopped anyway. Only these are read and drawn: rows past the block limit were read
    for nothing."""
    groups = group(first)
    ranked = sorted(
        (priority(light.health), g, i)
        for g, owned in enumerate(groups)
        for i, light in enumerate(owned.partners)
    )
    begun: set[int] = set()
    count = 2  # the title and the closing line
    kept: list[_Light] = []
    for _, g, i in ranked:
        adding = 1 if g in begun else 2
        if count + adding > MESSAGE_BLOCKS_MAX:
            break
        begun.add(g)
        count += adding
        kept.append(groups[g].partners[i])
    return kept


def attention_due_before(today: date) -> datetime:
    """The instant a partner's kept `contact_due_at` or `check_in_due_at` must fall before for
    it to be neglected or its check-in overdue on `today` (the digest's day), whatever its
    owner's zone: the rule counts those instants into days in the owner's zone, which may be up
    to `ZONE_LEAD` behind the instant's UTC day, so a due instant on UTC day `today` may
    still be an owner's yesterday. A snooze or a pause only moves the check-in day later.
    Midnight UTC starting `today` + `ZONE_LEAD` (aware)."""
    return datetime.combine(today, time(), tzinfo=UTC) + ZONE_LEAD


@dataclass(frozen=True)
class _Light:
    """A partner as the choice reads it (`bot.rules.digests.selection.Candidate`)."""

    id: int
    name: str
    owner_id: int | None
    owner_active: bool | None
    owner_name: str | None
    last_contact: datetime | None
    health: tuple[Health, ...]


@dataclass(frozen=True)
class _Candidate:
    """A partner as the selection reads it (`bot.rules.digests.selection.Candidate`)."""

    row: DigestRow
    health: tuple[Health, ...]

    @property
    def id(self) -> int:
        return self.row.partner.id

    @property
    def name(self) -> str:
        return self.row.partner.name

    @property
    def owner_id(self) -> int | None:
        return self.row.partner.owner_id

    @property
    def owner_active(self) -> bool | None:
        return self.row.partner.owner_active

    @property
    def owner_name(self) -> str | None:
        return self.row.owner_name

    @property
    def last_contact(self) -> datetime | None:
        return self.row.partner.last_contact


def _candidate(row: DigestRow, reader: Reader, now: datetime, judged: _Judged | None) -> _Candidate:
    """The row with its states: as the choice judged them in the same transaction when the
    row still reads as the choice read it, else judged now (a redraw; a partner nobody looks
    after; a row changed meanwhile)."""
    if judged is not None and judged.read == _judged_on(row.partner):
        return _Candidate(row, judged.health)
    sided = OneSided(*row.one_sided) if row.one_sided is not None else None
    return _Candidate(row, health_of(row.partner, reader, now, sided))


def _shown_group(owned: OwnerGroup[_Candidate]) -> DigestGroup:
    return DigestGroup(
        owner_name=owned.owner_name,
        unowned=owned.owner_id is None,
        partners=[_shown_partner(c) for c in owned.partners],
    )


def _shown_partner(candidate: _Candidate) -> DigestPartner:
    p = candidate.row.partner
    claim = candidate.row.claim
    return DigestPartner(
        id=p.id,
        name=p.name,
        organisation=p.organisation,
        health=candidate.health,
        last_contact=p.last_contact,
        last_contact_by=candidate.row.last_contact_by_name,
        ours_open=p.ours_open,
        ours_overdue=p.ours_overdue,
        theirs_open=p.theirs_open,
        theirs_overdue=p.theirs_overdue,
        unowned=is_unowned(p.owner_id, p.owner_active),
        claim=ClaimShown(claim.user_id, claim.until, claim.name) if claim is not None else None,
    )
