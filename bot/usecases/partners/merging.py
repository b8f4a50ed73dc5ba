"""Merging a partner kept twice into one: `/rapport merge Acme Ltd into Acme`.

    /rapport merge Acme Ltd into Acme       a question first (`ask_to_merge_in`), then the
                                            "Merge into Acme" button (`merge`) or Cancel

The partner named first goes; the second remains, with the first one's contacts, promises (both
ways), nudges and edit histories moved to it (`storage.queries.merging.merge_history`), so that
its history, promises and next check-in are what they would have been had everything been
logged against it from the start. It keeps its own name, owner, cadence and pause, and takes
from the other only the profile fields it has none of and a later snooze (`fields_to_take`).

Partners kept apart when names came to compare alike (`Müller` and `Mu\u0308ller`, flagged
`key_collision`) are merged by naming the name twice: `/rapport merge Müller into Müller` moves
the one the name does not find into the one it finds.

Whoever looks after both partners may merge them, or a Slack workspace admin
(`bot.rules.registry.may_merge`). Two partners that are two different Slack users are never one
partner. The question holds for `FORGET_QUESTION_LIFETIME` and only for whoever asked; its
buttons carry both partners, the asker and when it was asked, and a press is checked against
them and the rule again. A press while a nudge DM about either partner is being sent is refused
(the DM's buttons will name the rows as they were); the presser tries again a minute later.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.blocks.partner_card import MergeQuestion, merge_question
from bot.blocks.replies import Reply, notice, partner_label
from bot.parsing.rapport_text import MergePartners
from bot.rules.clock import Clock
from bot.rules.ownership import looks_after
from bot.rules.registry import FORGET_QUESTION_LIFETIME, may_merge, question_holds
from bot.texts.reader import Reader, escape
from bot.usecases import edit_history
from bot.usecases.base import UseCase
from bot.usecases.partners.cards import PartnerCards, named_partner
from bot.usecases.partners.registry import question_value, read_question_value
from storage.db import Database
from storage.models import Member, Partner
from storage.queries.erasure import contacts_remembering
from storage.queries.merging import (
    Moved,
    dm_being_sent,
    merge_history,
    pending_choosing,
    what_merging_moves,
)
from storage.queries.partners import (
    flagged_partners,
    partner_for_update,
    partners_named,
    plain_keys,
    settle_collisions,
)

# The profile a partner that remains takes from the one that goes, where it has none: each
# group of columns moves together (a zone with where it came from, hours with their end).
PROFILE_GROUPS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "slack": ("slack_user_id", "slack_team_id"),
    "tz": ("tz", "tz_source", "profile_refreshed_at"),
    "hours": ("business_start_minute", "business_end_minute"),
    "days": ("business_days",),
    "channel": ("preferred_channel",),
    "language": ("language",),
    "holidays": ("public_holidays",),
    "contact_limit": ("max_contacts",),
    "owner": ("owner_id",),
    "snooze": ("check_in_snoozed_until",),
}


def fields_to_take(into: Partner, absorbed: Partner) -> list[str]:
    """The groups of `PROFILE_GROUPS` that `into` has none of and `absorbed` has, in order;
    "snooze" when `absorbed`'s check-in is snoozed to a later day than `into`'s: someone said
    "not before then" about this relationship. A pause is not taken: pausing a duplicate was
    the one way to silence it before merging existed."""
    taken = [
        group
        for group, columns in PROFILE_GROUPS.items()
        if getattr(into, columns[0]) is None and getattr(absorbed, columns[0]) is not None
    ]
    theirs, ours = absorbed.check_in_snoozed_until, into.check_in_snoozed_until
    if theirs is not None and (ours is None or theirs > ours):
        taken.append("snooze")
    return taken


class PartnerMerging(UseCase):
    """The question before a merge, the merge, and Cancel."""

    def __init__(self, db: Database, clock: Clock, cards: PartnerCards) -> None:
        super().__init__(db, clock)
        self.cards = cards

    def ask_to_merge_in(
        self, session: Session, member: Member, reader: Reader, request: MergePartners
    ) -> Reply:
        """The question before merging: what moves, what the remaining partner keeps and takes,
        with Merge and Cancel; or why not (a name unknown or shared, one partner, two Slack
        users, not allowed)."""
        request = _reading_naming_partners(session, member, request)
        absorbed = named_partner(session, member, reader, request.absorbed)
        if isinstance(absorbed, Reply):
            return absorbed
        # "Did you mean" never offers the partner that goes as the one it goes into.
        into = named_partner(session, member, reader, request.kept, besides=absorbed.id)
        if isinstance(into, Reply):
            return into
        if absorbed.id == into.id:
            # `merge Müller into Müller`: of partners kept apart when names came to compare
            # alike (`key_collision`), the one a name does not find goes into the one it finds.
            absorbed = _twin(session, into) or absorbed
        refused = _refusal(member, reader, absorbed, into)
        if refused is not None:
            return refused
        moved = what_merging_moves(session, member.workspace_id, absorbed.id)
        question = MergeQuestion(
            label=partner_label(absorbed.name, absorbed.organisation),
            into_label=partner_label(into.name, into.organisation),
            contacts=moved.contacts,
            promises=moved.promises,
            pending_nudges=moved.pending_nudges,
            taken=tuple(
                reader.t(f"registry.merge.field.{group}")
                for group in fields_to_take(into, absorbed)
            ),
            minutes=int(FORGET_QUESTION_LIFETIME.total_seconds() // 60),
            value=question_value((absorbed.id, into.id), member.id, self.clock.now()),
        )
        return merge_question(reader, question)

    def merge(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """ "Merge into OTHER" pressed: merge when the question is the presser's, still holds,
        both partners are there, they may still merge them and no DM about either is being
        sent; otherwise say why and change nothing. Answers with the remaining partner's card."""
        asked = read_question_value(value, 2)

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            if asked is None or not question_holds(asked.asked_at, self.clock.now()):
                return notice(reader.t("registry.merge.expired"))
            if asked.member_id != member.id:
                return notice(reader.t("registry.merge.not_yours"))
            from_id, into_id = asked.partner_ids
            # Locked in id order, so that two merges of the same pair cannot wait on each other.
            locked = {
                partner_id: partner_for_update(session, member.workspace_id, partner_id)
                for partner_id in sorted({from_id, into_id})
            }
            absorbed, into = locked[from_id], locked[into_id]
            if absorbed is None or into is None:
                return notice(reader.t("registry.merge.gone"))
            refused = _refusal(member, reader, absorbed, into)
            if refused is not None:
                return refused
            label = escape(partner_label(absorbed.name, absorbed.organisation))
            into_label = escape(partner_label(into.name, into.organisation))
            if dm_being_sent(session, member.workspace_id, [from_id, into_id]):
                return notice(reader.t("registry.merge.sending", partner=label, into=into_label))
            moved = self._merge(session, member, absorbed, into)
            counts = reader.t(
                "registry.forget.counts",
                contacts=moved.contacts,
                promises=moved.promises,
                nudges=moved.pending_nudges,
            )
            lead = reader.t("registry.merge.done", partner=label, into=into_label, counts=counts)
            return self.cards.card_with(session, member, reader, into, lead)

        return self.as_member(team_id, user_id, act, unknown="registry.merge.not_yours")

    def _merge(self, session: Session, member: Member, absorbed: Partner, into: Partner) -> Moved:
        workspace_id = member.workspace_id
        moved = merge_history(
            session,
            workspace_id,
            absorbed.id,
            into.id,
            member_id=member.id,
            now=self.clock.now(),
        )
        for contact in contacts_remembering(session, workspace_id, absorbed.id):
            edit_history.move_partner(contact, absorbed.id, into.id)
        for waiting in pending_choosing(session, workspace_id, absorbed.id):
            waiting.answers = waiting.answers.replace(f'"p{absorbed.id}:', f'"p{into.id}:')
        taken = {
            column: getattr(absorbed, column)
            for group in fields_to_take(into, absorbed)
            for column in PROFILE_GROUPS[group]
        }
        collided = [plain_keys(absorbed)] if absorbed.key_collision else []
        session.delete(absorbed)
        # The Slack user is unique in a workspace: the partner that goes releases it first.
        session.flush()
        for column, value in taken.items():
            setattr(into, column, value)
        # A partner that shared its name with the one that went may be alone under it now.
        settle_collisions(session, workspace_id, collided)
        return moved

    def cancel(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """Cancel pressed: nothing changes, and the question says so."""

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            return notice(reader.t("registry.merge.cancelled"))

        return self.as_member(team_id, user_id, act, unknown="registry.merge.cancelled")


def _twin(session: Session, partner: Partner) -> Partner | None:
    """The one other partner kept apart from `partner` because their names compare alike, if
    `partner` is flagged so and there is exactly one (the oldest first when several are)."""
    if not partner.key_collision:
        return None
    twins = [
        other
        for other in flagged_partners(session, partner.workspace_id)
        if other.id != partner.id and plain_keys(other) == plain_keys(partner)
    ]
    return min(twins, key=lambda other: other.id) if twins else None


def _reading_naming_partners(
    session: Session, member: Member, request: MergePartners
) -> MergePartners:
    """Where a name holds an into word (`merge Made in Berlin GmbH into Made in Berlin`), the
    split whose two names each name one partner; otherwise the first split, whose lookups then
    say what is wrong."""
    return next(
        (
            reading
            for reading in (request, *request.others)
            if all(
                len(partners_named(session, member.workspace_id, side.name, side.organisation)) == 1
                or side.slack_user_id is not None
                for side in (reading.absorbed, reading.kept)
            )
        ),
        request,
    )


def _refusal(member: Member, reader: Reader, absorbed: Partner, into: Partner) -> Reply | None:
    """Why `member` may not merge `absorbed` into `into`, or None when they may."""
    label = escape(partner_label(absorbed.name, absorbed.organisation))
    into_label = escape(partner_label(into.name, into.organisation))
    if absorbed.id == into.id:
        return notice(reader.t("registry.merge.same", partner=label, into=into_label))
    if (
        absorbed.slack_user_id
        and into.slack_user_id
        and absorbed.slack_user_id != into.slack_user_id
    ):
        return notice(
            reader.t(
                "registry.merge.two_people",
                partner=label,
                into=into_label,
                user=f"<@{absorbed.slack_user_id}>",
                into_user=f"<@{into.slack_user_id}>",
            )
        )
    owners = (absorbed.owner_id, into.owner_id)
    if may_merge(asker_id=member.id, asker_is_admin=member.is_admin, owner_ids=owners):
        return None

    def owner(partner: Partner) -> str:
        """Who looks after it; an owner who left or is a guest as the one it had, as the card
        and the lists say: asking them would get nowhere."""
        if partner.owner is None:
            return reader.t("registry.merge.nobody")
        user = f"<@{partner.owner.slack_user_id}>"
        return user if looks_after(partner.owner) else reader.t("card.owner_gone", user=user)

    if absorbed.owner_id == into.owner_id:
        # One owner of both (or nobody, or one who is gone): "looked after by @x, and by @x"
        # would read as a puzzle; say who can do it instead.
        key = (
            "registry.merge.not_allowed_same"
            if looks_after(into.owner)
            else "registry.merge.not_allowed_unowned"
        )
        return notice(reader.t(key, partner=label, into=into_label, owner=owner(into)))
    return notice(
        reader.t(
            "registry.merge.not_allowed",
            partner=label,
            into=into_label,
            owner=owner(absorbed),
            into_owner=owner(into),
        )
    )
