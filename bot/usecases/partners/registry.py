"""Fixing the registry of partners: renaming one, and forgetting one with everything about it.

    /rapport partner Acme rename Acme Corp     a new name (`rename_in`); any member may
    /rapport forget Acme                       a question first (`ask_to_forget_in`), then the
                                               "Forget Acme" button (`forget`) or Cancel

A new name is checked as a new partner's is (`bot.parsing.rapport_text.rename_reading`) and
refused, naming the other partner, when it would give the partner another one's name and
organisation; the keys and trigrams change with it (`storage.queries.partners.rename_partner`).

Forgetting is for the partner's owner or a workspace admin (`bot.rules.registry`). The question
shows what goes (contacts, promises both ways, nudges not yet sent) and holds for
`FORGET_QUESTION_LIFETIME`; its buttons carry the partner, the asker and when it was asked, and
a press is checked against all three and against the rule again, so a press by someone else, a
late one or a made-up value changes nothing. The erasure is one transaction
(`storage.queries.erasure.erase_partner`): the partner, its trigrams, contacts, promises, the
nudges about it and the waiting `/logcontact` texts that name it, and an audit row with ids
only. SQLite zeroes what it deletes (`secure_delete`, set on every connection); afterwards its
write-ahead log is checkpointed and truncated (`Database.checkpoint`), so the name is in none of
the database's files.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.blocks.partner_card import ForgetQuestion, forget_question
from bot.blocks.replies import Reply, notice, partner_label
from bot.parsing.checks import row_id
from bot.parsing.markup import decode
from bot.parsing.ownership_text import as_typed
from bot.parsing.rapport_text import ForgetPartner, RenamePartner, RenameProblem
from bot.rules.clock import Clock
from bot.rules.registry import FORGET_QUESTION_LIFETIME, may_forget, may_rename, question_holds
from bot.texts.reader import Reader, escape
from bot.usecases import edit_history
from bot.usecases.base import UseCase
from bot.usecases.partners.cards import PartnerCards, named_partner
from storage.db import Database
from storage.models import Member, Partner
from storage.queries.erasure import (
    contacts_remembering,
    erase_partner,
    pending_texts,
    what_forgetting_erases,
)
from storage.queries.partners import (
    partner_for_update,
    partner_with_keys,
    plain_keys,
    rename_partner,
    settle_collisions,
)
from storage.vocabulary import name_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """What the buttons of a question about partners carry: the partners (one to forget; the
    one that goes and the one that remains of a merge), who was asked, and when."""

    partner_ids: tuple[int, ...]
    member_id: int
    asked_at: datetime


def question_value(partner_ids: tuple[int, ...], member_id: int, asked_at: datetime) -> str:
    """`ID[+ID]:MEMBER:SECONDS`, what a question's buttons carry."""
    ids = "+".join(str(partner_id) for partner_id in partner_ids)
    return f"{ids}:{member_id}:{int(asked_at.timestamp())}"


def read_question_value(value: str | None, partners: int) -> Asked | None:
    """The question a button's value names, with `partners` partner ids; None for a value
    Rapport did not make."""
    parts = (value or "").split(":")
    if len(parts) != 3:
        return None
    ids = [row_id(part) for part in parts[0].split("+")]
    member_id, seconds = row_id(parts[1]), parts[2]
    if len(ids) != partners or member_id is None:
        return None
    partner_ids = tuple(partner_id for partner_id in ids if partner_id is not None)
    if len(partner_ids) != partners:
        return None
    # Ten digits reach the year 2286; more could pass the largest year a datetime holds.
    if not (seconds.isascii() and seconds.isdigit() and len(seconds) <= 10):
        return None
    return Asked(partner_ids, member_id, datetime.fromtimestamp(int(seconds), UTC))


class PartnerRegistry(UseCase):
    """Renaming and forgetting partners; the card after a rename comes from `cards`."""

    def __init__(self, db: Database, clock: Clock, cards: PartnerCards) -> None:
        super().__init__(db, clock)
        self.cards = cards

    # --- rename ----------------------------------------------------------------------------------

    def rename_in(
        self, session: Session, member: Member, reader: Reader, request: RenamePartner
    ) -> Reply:
        """Rename the partner the request names and show its card; refused, naming the other
        partner, when another one has the new name and organisation."""
        found = named_partner(session, member, reader, request)
        if isinstance(found, Reply):
            return found
        partner = partner_for_update(session, member.workspace_id, found.id)
        if partner is None:  # removed since it was found, by a request that ran meanwhile
            return notice(reader.t("card.gone"))
        old = partner_label(partner.name, partner.organisation)
        allowed = may_rename(
            asker_id=member.id, asker_is_admin=member.is_admin, owner_id=partner.owner_id
        )
        if not allowed and partner.owner is not None:
            owner = f"<@{partner.owner.slack_user_id}>"
            return notice(reader.t("registry.rename.not_allowed", partner=escape(old), owner=owner))
        organisation = (
            request.new_organisation
            if request.new_organisation is not None
            else partner.organisation
        )
        new = partner_label(request.new_name, organisation)
        if (request.new_name, organisation) == (partner.name, partner.organisation):
            return notice(reader.t("registry.rename.same", partner=escape(old)))
        other = partner_with_keys(session, member.workspace_id, request.new_name, organisation)
        # Another request may take the name between the check and the write.
        if (other is not None and other.id != partner.id) or not rename_partner(
            session, partner, request.new_name, organisation
        ):
            taken = partner_label(other.name, other.organisation) if other is not None else new
            taken_typed = (
                as_typed(other.name, other.organisation)
                if other is not None
                else as_typed(request.new_name, organisation)
            )
            return notice(
                reader.t(
                    "registry.rename.taken",
                    partner=escape(old),
                    new=escape(taken),
                    name=escape(request.new_name),
                    typed=escape(as_typed(partner.name, partner.organisation)),
                    taken_typed=escape(taken_typed),
                )
            )
        lead = reader.t("registry.rename.done", old=escape(old), new=escape(new))
        return self.cards.card_with(session, member, reader, partner, lead)

    @staticmethod
    def rename_problem(reader: Reader, found: RenameProblem) -> Reply:
        """Why the new name was refused, and an example that works."""
        details = {key: escape(value) for key, value in found.values.items()}
        message = reader.t(f"registry.rename.problem.{found.code}", **details)
        label = escape(partner_label(found.name, found.organisation))
        text = reader.t("registry.rename.problem.title", partner=label, problem=message)
        example = reader.t("registry.rename.example")
        return Reply(
            text=f"{text}\n{example}", blocks=[*notice(text).blocks, *notice(example).blocks]
        )

    # --- forget ----------------------------------------------------------------------------------

    def ask_to_forget_in(
        self, session: Session, member: Member, reader: Reader, request: ForgetPartner
    ) -> Reply:
        """The question before forgetting: what goes, with Forget and Cancel; or why not."""
        if not request.name and request.slack_user_id is None:
            return notice(reader.t("registry.forget.usage"))
        found = named_partner(session, member, reader, request)
        if isinstance(found, Reply):
            return found
        refused = _refusal(member, reader, found)
        if refused is not None:
            return refused
        erased = what_forgetting_erases(session, member.workspace_id, found.id)
        now = self.clock.now()
        question = ForgetQuestion(
            label=partner_label(found.name, found.organisation),
            contacts=erased.contacts,
            promises=erased.promises,
            pending_nudges=erased.pending_nudges,
            minutes=int(FORGET_QUESTION_LIFETIME.total_seconds() // 60),
            value=question_value((found.id,), member.id, now),
        )
        return forget_question(reader, question)

    def forget(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """ "Forget NAME" pressed: erase the partner when the question is the presser's, still
        holds, and they may still forget it; otherwise say why and change nothing."""
        asked = read_question_value(value, 1)
        erased: list[bool] = []

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            if asked is None or not question_holds(asked.asked_at, self.clock.now()):
                return notice(reader.t("registry.forget.expired"))
            if asked.member_id != member.id:
                return notice(reader.t("registry.forget.not_yours"))
            partner = partner_for_update(session, member.workspace_id, asked.partner_ids[0])
            if partner is None:
                return notice(reader.t("registry.forget.gone"))
            refused = _refusal(member, reader, partner)
            if refused is not None:
                return refused
            label = escape(partner_label(partner.name, partner.organisation))
            # A partner sharing its name key with another leaves it alone under it: unflagged.
            collided = [plain_keys(partner)] if partner.key_collision else []
            naming = [
                pid
                for pid, text in pending_texts(session, member.workspace_id)
                if _names(text, partner)
            ]
            gone = erase_partner(
                session,
                member.workspace_id,
                partner.id,
                pending_ids=naming,
                member_id=member.id,
                now=self.clock.now(),
            )
            # Contacts moved away from it by an edit remember it for Undo: not any more. Read
            # after the erasure, which waited for an edit moving one of its contacts away.
            for contact in contacts_remembering(session, member.workspace_id, partner.id):
                edit_history.forget_partner(contact, partner.id)
            session.expunge(partner)
            settle_collisions(session, member.workspace_id, collided)
            erased.append(True)
            return notice(
                reader.t(
                    "registry.forget.done",
                    partner=label,
                    # The same lines, and the same count of nudges, as the question showed.
                    counts=reader.t(
                        "registry.forget.counts",
                        contacts=gone.contacts,
                        promises=gone.promises,
                        nudges=gone.pending_nudges,
                    ),
                )
            )

        reply = self.as_member(team_id, user_id, act, unknown="registry.forget.not_yours")
        if erased and not self.db.checkpoint():
            log.warning(
                "a partner was forgotten while a read held SQLite's write-ahead log: the log "
                "keeps older pages until a later truncating checkpoint or a restart"
            )
        return reply

    def cancel(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """Cancel pressed: nothing changes, and the question says so."""

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            return notice(reader.t("registry.forget.cancelled"))

        return self.as_member(team_id, user_id, act, unknown="registry.forget.cancelled")


def _refusal(member: Member, reader: Reader, partner: Partner) -> Reply | None:
    """Why `member` may not forget `partner`, or None when they may."""
    if may_forget(asker_id=member.id, asker_is_admin=member.is_admin, owner_id=partner.owner_id):
        return None
    label = escape(partner_label(partner.name, partner.organisation))
    owner = partner.owner
    if owner is None:
        return notice(reader.t("registry.forget.not_allowed_unowned", partner=label))
    return notice(
        reader.t("registry.forget.not_allowed", partner=label, owner=f"<@{owner.slack_user_id}>")
    )


def _names(text: str, partner: Partner) -> bool:
    """Whether a waiting `/logcontact` text names the partner: its name as whole words
    (compared by name key, as names are), its e-mail address, or its Slack user. Not its
    organisation alone, which other partners share."""
    key = name_key(partner.name)
    if key and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", name_key(decode(text))):
        return True
    if partner.email and partner.email.casefold() in text.casefold():
        return True
    return bool(partner.slack_user_id and partner.slack_user_id in text)
