"""What a nudge DM lists, read from the database in a fixed number of queries.

Two moments ask: the dispatcher, just before sending, wants the items that are *still* due (a
check-in logged or a promise kept since planning drops out); an answer, days later, wants the
items the DM *showed*, each with the answer it got, so the DM can be rendered again in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.nudge_dm import (
    Answer,
    CheckInItem,
    LastContact,
    NudgeDm,
    OpenPromise,
    PartnerContext,
    PromiseItem,
    nudge_dm,
)
from bot.blocks.replies import partner_label
from bot.rules.nudges import check_in_day, promise_is_current
from bot.rules.working_hours import WorkingHours
from bot.texts.reader import reader_of
from storage.models import Bundle, Member, Nudge
from storage.queries.dm_reads import (
    check_in_subjects,
    last_contacts,
    open_promises_to,
    partner_details,
    promise_subjects,
    shown_nudges,
)
from storage.queries.partners import collisions_told_in


@dataclass(frozen=True)
class DueItems:
    check_ins: list[CheckInItem]
    promises: list[PromiseItem]
    # The nudges that carry an item still due; the others were dealt with before sending.
    current: set[int]


def due_items(session: Session, member: Member, nudges: list[Nudge], now: datetime) -> DueItems:
    """The items behind `nudges` still due for `member` today, with what the DM says of them."""
    hours = WorkingHours.of(member)
    today = hours.today(now)
    by_partner = _group((n.subject_id, n.id) for n in nudges if n.kind == "check_in")
    by_promise = _group((n.subject_id, n.id) for n in nudges if n.kind == "promise")
    check_ins = [
        c
        for c in check_in_subjects(session, member.workspace_id, list(by_partner))
        if c.owner_id == member.id
        and c.status == "active"
        and (day := check_in_day(c, hours.zone)) is not None
        and day <= today
    ]
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
    return DueItems(
        [_check_in_item(c, contexts[c.id]) for c in check_ins],
        [_promise_item(p, contexts[p.partner_id]) for p in promises],
        current,
    )


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
    answers = {(n.kind, n.subject_id): _answer(n) for n in shown if n.answer is not None}
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
    return nudge_dm(
        reader_of(member),
        bundle.id,
        [_check_in_item(c, contexts[c.id], answers.get(("check_in", c.id))) for c in check_ins],
        [_promise_item(p, contexts[p.partner_id], _with_reason(answers, p)) for p in promises],
        as_of,
        problems=problems,
        collisions=[
            partner_label(p.name, p.organisation)
            for p in collisions_told_in(session, member.workspace_id, bundle.id)
        ],
    )


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


def _check_in_item(row: Any, partner: PartnerContext, answer: Answer | None = None) -> CheckInItem:
    return CheckInItem(partner, row.cadence_days, row.last_check_in, row.first_contact, answer)


def _promise_item(row: Any, partner: PartnerContext, answer: Answer | None = None) -> PromiseItem:
    return PromiseItem(row.id, row.text, row.due_on, partner, answer)


def _with_reason(answers: dict[tuple[str, int], Answer], promise: Any) -> Answer | None:
    answer = answers.get(("promise", promise.id))
    if answer is not None and answer.kind == "dropped":
        return replace(answer, reason=promise.drop_reason)
    return answer


def _answer(row: Any) -> Answer:
    return Answer(row.answer, row.answered_by, row.answered_at, row.answer_until)


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for subject, nudge in pairs:
        grouped.setdefault(subject, []).append(nudge)
    return grouped
