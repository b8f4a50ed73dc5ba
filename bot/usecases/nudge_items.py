"""What a nudge DM lists, read from the database in a fixed number of queries.

Two moments ask: the dispatcher, just before sending, wants the items that are *still* due (a
check-in logged or a promise kept since planning drops out); an answer, days later, wants the
items the DM *showed*, each with the answer it got, so the DM can be rendered again in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.nudge_dm import (
    Answer,
    CheckInItem,
    ClaimedFor,
    HandOverItem,
    LastContact,
    NudgeDm,
    OneSidedLine,
    OpenPromise,
    PartnerContext,
    PromiseItem,
    nudge_dm,
)
from bot.blocks.replies import partner_label
from bot.rules.nudges import check_in_day, check_in_recipient, promise_is_current
from bot.rules.relationships.contact_balance import episode_of, one_sided, other_direction
from bot.rules.working_hours import WorkingHours
from bot.texts.reader import reader_of
from bot.usecases.after_hours.figures import after_hours_told
from storage.models import Bundle, Member
from storage.queries.contacts import directed_contacts_of_owner, last_contact_each_way
from storage.queries.outbox.dm_reads import (
    check_in_subjects,
    last_contacts,
    open_promises_to,
    partner_details,
    promise_subjects,
    shown_nudges,
)
from storage.queries.outbox.handovers import hand_over_rows, people_of
from storage.queries.partners import collisions_told_in, one_sided_state, one_sided_told_in
from storage.vocabulary import HAND_OVER_KINDS, ONE_SIDED_DAYS, ONE_SIDED_DIRECTIONS


@dataclass(frozen=True)
class DueItems:
    check_ins: list[CheckInItem]
    promises: list[PromiseItem]
    # The nudges that carry an item still due; the others were dealt with before sending.
    current: set[int]
    hand_overs: list[HandOverItem] = field(default_factory=list)
    # Check-in nudges whose partner is still due but is now someone else's to be nudged about
    # (a colleague claimed it, the claim ended, the owner changed): never sent, and deleted
    # rather than skipped, so that the day can be planned again for whoever it is theirs again.
    moved: set[int] = field(default_factory=set)


def due_items(session: Session, member: Member, nudges: Sequence[Any], now: datetime) -> DueItems:
    """The items behind `nudges` (rows of `nudges_in`) still due for `member` today, with what
    the DM says of them.

    A check-in is `member`'s while they are its recipient (`check_in_recipient`: the claimer
    while a claim lives, else the owner). Each item carries the first day one of its nudges
    was for (`since`): an item left out of a full DM waited since then and goes first.
    """
    hours = WorkingHours.of(member)
    today = hours.today(now)
    by_partner = _group((n.subject_id, n.id) for n in nudges if n.kind == "check_in")
    by_promise = _group((n.subject_id, n.id) for n in nudges if n.kind == "promise")
    since = _first_periods(nudges)
    check_ins, moved = [], set()
    for c in check_in_subjects(session, member.workspace_id, list(by_partner)):
        if c.status != "active" or (day := check_in_day(c, hours.zone)) is None or day > today:
            continue
        if check_in_recipient(c.usable_owner_id, c.claimer_id, c.claim_until, now) != member.id:
            moved.update(by_partner[c.id])
            continue
        check_ins.append(c)
    promises = [
        p
        for p in promise_subjects(session, member.workspace_id, list(by_promise))
        if p.member_id == member.id
        and p.status == "open"
        and p.promised_by == "us"  # an edit may have made it the partner's since planning
        and promise_is_current(p.due_on, today, hours)
    ]
    contexts = partner_contexts(
        session, member.workspace_id, [c.id for c in check_ins] + [p.partner_id for p in promises]
    )
    current = {n for c in check_ins for n in by_partner[c.id]}
    current |= {n for p in promises for n in by_promise[p.id]}
    told = [n for n in nudges if n.kind in HAND_OVER_KINDS]
    hand_overs = hand_over_items(session, member, told, now, still_true=True)
    current |= {n.id for n, _ in hand_overs}
    return DueItems(
        [
            _check_in_item(
                c,
                contexts[c.id],
                owner=_owner_for(c, member),
                since=since.get(("check_in", c.id)),
            )
            for c in check_ins
        ],
        [
            _promise_item(p, contexts[p.partner_id], since=since.get(("promise", p.id)))
            for p in promises
        ],
        current,
        [item for _, item in hand_overs],
        moved,
    )


def _first_periods(nudges: Iterable[Any]) -> dict[tuple[str, int], date]:
    """Per item (kind, subject), the earliest day one of its nudges was for."""
    first: dict[tuple[str, int], date] = {}
    for nudge in nudges:
        key = (nudge.kind, nudge.subject_id)
        if key not in first or nudge.period < first[key]:
            first[key] = nudge.period
    return first


def _owner_for(row: Any, member: Member) -> ClaimedFor | None:
    """Whose partner `member` is nudged about on their behalf (a claim), or None for their own.
    A partner whose owner left or is now a guest is nobody's (unowned)."""
    if row.owner_id == member.id:
        return None
    return ClaimedFor(row.owner_user_id if row.usable_owner_id is not None else None)


def hand_over_items(
    session: Session,
    member: Member,
    rows: Sequence[Any],
    now: datetime,
    *,
    still_true: bool,
) -> list[tuple[Any, HandOverItem]]:
    """The hand-overs behind outbox `rows` (with `id`, `kind`, `subject_id`, `actor_id`,
    `handed_to_id`), each with the card's summary as it is now, by partner name.

    `still_true` keeps only what can be said today: a partner handed over to `member` that is
    still theirs, one handed away from them that is not theirs again. A partner moved A to B
    and back the same day is thus never announced to B, and A is not told it went.
    """
    if not rows:
        return []
    workspace_id = member.workspace_id
    ids = {r.subject_id for r in rows}
    subjects = {c.id: c for c in check_in_subjects(session, workspace_id, list(ids))}
    contexts = partner_contexts(session, workspace_id, ids)
    people = people_of(
        session, workspace_id, [m for r in rows for m in (r.actor_id, r.handed_to_id)]
    )
    owners = {c.id: c.owner_id for c in subjects.values()}
    # Counted in the reader's zone: the new owner's for "handed_over", as the planner counts it.
    reader_zone = WorkingHours.of(member).zone
    found = []
    for row in rows:
        subject = subjects.get(row.subject_id)
        if subject is None or row.subject_id not in contexts:
            continue  # the partner is gone
        theirs = owners[row.subject_id] == member.id
        if still_true and theirs != (row.kind == "handed_over"):
            continue
        item = HandOverItem(
            kind=row.kind,
            partner=contexts[row.subject_id],
            actor=people.get(row.actor_id),
            handed_to=people.get(row.handed_to_id),
            next_check_in=check_in_day(subject, reader_zone),
            paused=subject.status == "paused",
        )
        found.append((row, item))
    found.sort(key=lambda pair: (pair[1].partner.label.casefold(), pair[0].id))
    return found


def render_sent(
    session: Session,
    bundle: Bundle,
    now: datetime,
    problems: dict[tuple[str, int], str] | None = None,
) -> NudgeDm | None:
    """A sent DM as it reads now: the items it showed, each with its answer if it got one."""
    member = session.get(Member, bundle.member_id)
    shown = shown_nudges(session, bundle.id)
    if member is None or not shown:
        return None
    answers = {
        (n.kind, n.subject_id): _answer(n, member.id, now) for n in shown if n.answer is not None
    }
    # In the order the DM was sent in: the longest waiting first (`nudge_dm`).
    since = _first_periods(shown)
    partner_ids = [n.subject_id for n in shown if n.kind == "check_in"]
    promise_ids = [n.subject_id for n in shown if n.kind == "promise"]
    check_ins = check_in_subjects(session, member.workspace_id, list(set(partner_ids)))
    promises = promise_subjects(session, member.workspace_id, list(set(promise_ids)))
    contexts = partner_contexts(
        session, member.workspace_id, [c.id for c in check_ins] + [p.partner_id for p in promises]
    )
    # Phrased as of the moment it was sent, as its title ("For today") and Slack's timestamp are:
    # pressing an answer days later changes that item, not how the rest of the message reads.
    as_of = bundle.done_at or now
    told = hand_over_items(
        session, member, hand_over_rows(session, bundle.id), as_of, still_true=False
    )
    return nudge_dm(
        reader_of(member),
        bundle.id,
        [
            _check_in_item(
                c,
                contexts[c.id],
                answers.get(("check_in", c.id)),
                owner=_owner_for(c, member),
                since=since.get(("check_in", c.id)),
            )
            for c in check_ins
        ],
        [
            _promise_item(
                p,
                contexts[p.partner_id],
                _with_reason(answers, p),
                since=since.get(("promise", p.id)),
            )
            for p in promises
        ],
        as_of,
        problems=problems,
        collisions=[
            partner_label(p.name, p.organisation)
            for p in collisions_told_in(session, member.workspace_id, bundle.id)
        ],
        hand_overs=[item for _, item in told],
        one_sided=one_sided_told(session, member.workspace_id, bundle.id),
        after_hours=after_hours_told(session, bundle),
    )


def one_sided_to_tell(
    session: Session, member: Member, bundle_id: str, now: datetime
) -> list[OneSidedLine]:
    """The member's partners whose contacts with a direction all went one way
    (`bot.rules.relationships.contact_balance.one_sided`) and whose stretch no sent nudge DM
    has told them of yet, marked as told in `bundle_id` (a DM dropped unsent leaves an id no
    sent DM has, so the next one tells it). A stretch ends with a contact the other way
    (`episode_of`); the next one-sided stretch is told of again."""
    workspace_id = member.workspace_id
    rows = directed_contacts_of_owner(
        session,
        workspace_id,
        member.id,
        now - timedelta(days=ONE_SIDED_DAYS),
        ONE_SIDED_DIRECTIONS,
    )
    by_partner: dict[int, list[Any]] = {}
    for row in rows:
        by_partner.setdefault(row.partner_id, []).append(row)
    found = {
        partner_id: sided
        for partner_id, contacts in by_partner.items()
        if (sided := one_sided(contacts, now)) is not None
    }
    last = last_contact_each_way(session, workspace_id, list(found))
    lines = []
    for partner, told_state in one_sided_state(session, workspace_id, found):
        sided = found[partner.id]
        episode = episode_of(sided, last.get((partner.id, other_direction(sided.direction))))
        told = (
            partner.one_sided_episode == episode
            and told_state == "sent"
            and partner.one_sided_told_in != bundle_id
        )
        if told:
            continue
        partner.one_sided_told_in, partner.one_sided_episode = bundle_id, episode
        partner.one_sided_count = sided.count
        lines.append(
            OneSidedLine(partner_label(partner.name, partner.organisation), *_told(partner))
        )
    return lines


def one_sided_told(session: Session, workspace_id: int, bundle_id: str) -> list[OneSidedLine]:
    """The one-sided lines the DM `bundle_id` said, as it said them."""
    return [
        OneSidedLine(partner_label(p.name, p.organisation), *_told(p))
        for p in one_sided_told_in(session, workspace_id, bundle_id)
        if p.one_sided_episode and p.one_sided_count
    ]


def _told(partner: Any) -> tuple[str, int]:
    """The direction and count a one-sided line said, from what was stored when it was told."""
    return str(partner.one_sided_episode).partition(":")[0], int(partner.one_sided_count or 0)


def partner_contexts(
    session: Session, workspace_id: int, partner_ids: Iterable[int]
) -> dict[int, PartnerContext]:
    ids = set(partner_ids)
    details = partner_details(session, workspace_id, ids)
    last = last_contacts(session, workspace_id, ids)
    promised = open_promises_to(session, workspace_id, ids)
    contexts = {}
    for partner_id, row in details.items():
        contact = last.get(partner_id)
        contexts[partner_id] = PartnerContext(
            id=row.id,
            name=row.name,
            organisation=row.organisation,
            tz=row.tz,
            preferred_channel=row.preferred_channel,
            language=row.language,
            business_start_minute=row.business_start_minute,
            business_end_minute=row.business_end_minute,
            business_days=row.business_days,
            public_holidays=row.public_holidays,
            last_contact=LastContact(
                contact.occurred_at, contact.has_time, contact.medium, contact.by, contact.note
            )
            if contact
            else None,
            open_promises=tuple(
                OpenPromise(p.id, p.text, p.due_on, by_partner=p.promised_by == "partner")
                for p in promised.get(partner_id, [])
            ),
        )
    return contexts


def _check_in_item(
    row: Any,
    partner: PartnerContext,
    answer: Answer | None = None,
    *,
    owner: ClaimedFor | None = None,
    since: date | None = None,
) -> CheckInItem:
    return CheckInItem(
        partner, row.cadence_days, row.last_check_in, row.first_contact, answer, owner, since
    )


def _promise_item(
    row: Any, partner: PartnerContext, answer: Answer | None = None, *, since: date | None = None
) -> PromiseItem:
    return PromiseItem(row.id, row.text, row.due_on, partner, answer, since)


def _with_reason(answers: dict[tuple[str, int], Answer], promise: Any) -> Answer | None:
    answer = answers.get(("promise", promise.id))
    if answer is not None and answer.kind == "dropped":
        return replace(answer, reason=promise.drop_reason)
    return answer


def _answer(row: Any, reader_id: int, now: datetime) -> Answer:
    """The answer an outbox row records; Undo is offered to the reader when they gave it here
    (a copy of an answer given in another DM keeps no state to undo) and their day is not over."""
    undo = (
        row.undo_state is not None
        and row.answered_by_id == reader_id
        and row.undo_until is not None
        and now < row.undo_until
    )
    return Answer(row.answer, row.answered_by, row.answered_at, row.answer_until, undo=undo)


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for subject, nudge in pairs:
        grouped.setdefault(subject, []).append(nudge)
    return grouped
