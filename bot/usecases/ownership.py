"""Who looks after a partner: handing a partner over, and the partners nobody looks after.

    /logcontact partner Acme owner @anna        hand Acme over to Anna
    /logcontact partner Acme zuständig @anna    the same in German (also `inhaber`, `besitzer`)
    /logcontact partners unowned                the partners nobody looks after, to take over
    /logcontact partner ohne zuständige         the same in German

Check-in nudges go to a partner's owner, so a partner whose owner has left Slack is one nobody is
reminded about. Such a partner is *unowned*: no owner, or an owner who is no longer active or is
now a workspace guest (guests see no partner data). The owner column is kept when its member
leaves: the list says who looked after the partner, and a member who comes back finds their
partners still theirs. Promise nudges go to the promiser, so whoever takes a partner on also takes
its open promises made by people who left.

Reading the commands is `bot.parsing.ownership_text`, the decisions `bot.rules.ownership`, the
replies `bot.blocks.ownership`. Here, the functions that take a session are steps of the
`/logcontact` use case's transaction; `Ownership.take_over` owns one of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.ownership import (
    UnownedPartner,
    ambiguous,
    promises_line,
    refused,
    unowned_reply,
)
from bot.blocks.replies import MESSAGE_BLOCKS_MAX, Reply, notice, partner_label
from bot.parsing.ownership_text import (
    HandOver,
    ListUnowned,
    OwnershipProblem,
    OwnershipRequest,
    partner_id_of,
)
from bot.rules.ownership import (
    TakeOver,
    hand_over_announcements,
    looks_after,
    may_hand_over,
    person_problem,
    take_over_outcome,
)
from bot.rules.people import SlackPerson
from bot.rules.working_hours import WorkingHours
from bot.texts.reader import Reader, escape
from bot.usecases.base import UseCase
from storage.models import Member, Partner
from storage.queries.members import find_member
from storage.queries.outbox.handovers import announce
from storage.queries.partners import (
    count_unowned_partners,
    find_partner_by_slack_user,
    hand_over_orphaned_promises,
    partner_for_update,
    partners_named,
    unowned_partners,
)

log = logging.getLogger(__name__)


def answer_ownership(
    session: Session,
    asker: Member,
    reader: Reader,
    request: OwnershipRequest,
    *,
    team_id: str,
    people: Mapping[str, SlackPerson | None],
    now: datetime,
) -> Reply | None:
    """The reply to an ownership command; None when Slack must be asked about the new owner."""
    if isinstance(request, OwnershipProblem):
        return refused(reader, request.code, with_example=True, **request.values)
    if isinstance(request, ListUnowned):
        return unowned_list(session, asker, reader, now)
    return hand_over(session, asker, reader, request, team_id=team_id, people=people, now=now)


def hand_over(
    session: Session,
    asker: Member,
    reader: Reader,
    request: HandOver,
    *,
    team_id: str,
    people: Mapping[str, SlackPerson | None],
    now: datetime,
) -> Reply | None:
    """Make the mentioned colleague the partner's owner, if the asker may and they can."""
    found = partners_named(session, asker.workspace_id, request.name, request.organisation)
    if not found:
        return refused(
            reader,
            "no_partner",
            with_example=True,
            name=escape(partner_label(request.name, request.organisation)),
        )
    if len(found) > 1:
        return ambiguous(reader, request, found)
    partner = partner_for_update(session, asker.workspace_id, found[0].id)
    if partner is None:  # forgotten between the look-up and the lock, by a request meanwhile
        return notice(reader.t("card.gone"))
    label = escape(partner_label(partner.name, partner.organisation))
    owner = partner.owner
    allowed = may_hand_over(
        asker_id=asker.id,
        asker_is_admin=asker.is_admin,
        owner_id=partner.owner_id,
        owner_active=looks_after(owner),
    )
    if owner is not None and not allowed:
        return refused(reader, "not_allowed", owner=owner.slack_user_id, partner=label)
    new_owner = _new_owner(session, asker.workspace_id, team_id, request.owner_user_id, people)
    if new_owner is None:
        return None
    if isinstance(new_owner, OwnershipProblem):
        return refused(reader, new_owner.code, user=request.owner_user_id)
    if partner.owner_id == new_owner.id:
        return notice(reader.t("ownership.unchanged", owner=new_owner.slack_user_id, partner=label))
    moved = assign(session, partner, new_owner, asker, now)
    if new_owner.id == asker.id:
        done = reader.t("ownership.taken", partner=label)
    else:
        done = reader.t("ownership.transferred", owner=new_owner.slack_user_id, partner=label)
    promises = promises_line(reader, moved, new_owner.id, new_owner.slack_user_id, asker.id)
    return notice("\n".join(line for line in (done, promises) if line))


def _new_owner(
    session: Session,
    workspace_id: int,
    team_id: str,
    user_id: str,
    people: Mapping[str, SlackPerson | None],
) -> Member | OwnershipProblem | None:
    """The active colleague (a member, not a guest) behind a mention; None when Slack must be
    asked about them first.

    What Slack just said wins over the cache: only Slack tells a bot from a person.
    """
    if find_partner_by_slack_user(session, workspace_id, user_id) is not None:
        return OwnershipProblem("external")
    if user_id in people:
        code = person_problem(people[user_id], team_id)
        if code is not None:
            return OwnershipProblem(code)
    member = find_member(session, workspace_id, user_id)
    if member is None:
        return OwnershipProblem("unknown_user") if user_id in people else None
    if member.is_guest:
        return OwnershipProblem("guest")
    if not member.active:
        return OwnershipProblem("inactive")
    return member


def assign(session: Session, partner: Partner, owner: Member, actor: Member, now: datetime) -> int:
    """Make `owner` look after `partner`, with its open promises whose promiser has left;
    returns how many promises moved.

    Whoever should hear of the move (`hand_over_announcements`) gets an outbox row in this same
    transaction, for their own local day: the hand-over and its announcement are kept or lost
    together, and the dispatcher sends it in their working hours.
    """
    previous = partner.owner
    told = hand_over_announcements(
        actor_id=actor.id,
        previous_id=partner.owner_id,
        previous_active=looks_after(previous),
        new_owner_id=owner.id,
    )
    partner.owner = owner
    recipients = {owner.id: owner, actor.id: actor}
    if previous is not None:
        recipients[previous.id] = previous
    for kind, member_id in told:
        announce(
            session,
            workspace_id=partner.workspace_id,
            member_id=member_id,
            kind=kind,
            partner_id=partner.id,
            day=WorkingHours.of(recipients[member_id]).today(now),
            actor_id=actor.id,
            handed_to_id=owner.id,
            now=now,
        )
    return hand_over_orphaned_promises(session, partner.workspace_id, partner.id, owner.id)


def unowned_list(
    session: Session, member: Member, reader: Reader, now: datetime, lead: str | None = None
) -> Reply:
    """The unowned partners of `member`'s workspace, by name, as many as one message holds."""
    total = count_unowned_partners(session, member.workspace_id)
    rows = unowned_partners(session, member.workspace_id, limit=MESSAGE_BLOCKS_MAX)
    partners = [
        UnownedPartner(r.id, r.name, r.organisation, r.former_owner, r.last_contact) for r in rows
    ]
    return unowned_reply(reader, partners, total, now, lead)


def take_over(
    session: Session, member: Member, reader: Reader, partner_id: int | None, now: datetime
) -> Reply:
    """`member` pressed Take over: the partner is theirs if it is still unowned; either way the
    list comes back as it is now, led by what happened."""
    partner = (
        partner_for_update(session, member.workspace_id, partner_id)
        if partner_id is not None
        else None
    )
    if partner is None:
        return unowned_list(session, member, reader, now, reader.t("ownership.gone"))
    lead = take_over_step(session, member, reader, partner, now)
    return unowned_list(session, member, reader, now, lead)


def take_over_step(
    session: Session, member: Member, reader: Reader, partner: Partner, now: datetime
) -> str:
    """`member` takes over `partner` (locked: `partner_for_update`) if it is still unowned, as
    from the unowned list or a digest; what happened, in a line or two."""
    label = escape(partner_label(partner.name, partner.organisation))
    owner = partner.owner
    outcome = take_over_outcome(member.id, partner.owner_id, looks_after(owner))
    if outcome is TakeOver.TAKEN:
        moved = assign(session, partner, member, member, now)
        lines = [
            reader.t("ownership.taken", partner=label),
            promises_line(reader, moved, member.id, member.slack_user_id, member.id),
        ]
        return "\n".join(line for line in lines if line)
    if outcome is TakeOver.ALREADY_YOURS:
        return reader.t("ownership.already_yours", partner=label)
    assert owner is not None
    return reader.t("ownership.taken_by_other", owner=owner.slack_user_id, partner=label)


class Ownership(UseCase):
    """Taking a partner over from the unowned list (the ownership commands themselves are steps
    of `/logcontact`, see `answer_ownership`)."""

    def take_over(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """The Take over button, in one transaction: whatever was decided is what gets shown."""

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            return take_over(session, member, reader, partner_id_of(value), self.clock.now())

        return self.as_member(team_id, user_id, act, unknown="ownership.gone")
