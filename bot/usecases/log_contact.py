"""`/logcontact` end to end: understand the input, store it, say what happened.

What a command stores goes in one write transaction. Where several processes share an SQLite
file (`Database.reads_apart`: each worker of `rapport serve --workers N`), the common command (a
contact for a partner the candidates of its typed words hold) is read and understood in a read
transaction first (`_read_first`), and only its rows are written under the one write lock, in a
short transaction that reads the partner's row again (`_log_known`); any other text is read anew
in one write transaction, as in a single process.

Every answer is computed from the database alone, so it fits inside Slack's 3-second ack. When
the cache lacks a person (a first-time user, a first mention of a Slack Connect partner), the
answer methods return `None`; the handler then acks at once and runs `look_up_and_answer` after
the ack, which asks Slack and replies through the `response_url`.

The person asking is loaded through `bot.usecases.members` (`asker`, or `asker_row` where only
their columns are read) first, before anything else is read: a workspace guest or someone of
another organisation gets `NotAMember` and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from bot.blocks.contact_form import (
    NEAR_BLOCK,
    ContactForm,
    ModalContext,
    NearQuestion,
    contact_modal,
    form_errors,
    near_decision,
    read_form,
)
from bot.blocks.questions import question_reply, read_answer
from bot.blocks.replies import (
    Reply,
    button_text,
    help_reply,
    logged_reply,
    notice,
    partner_label,
    problem,
)
from bot.parsing.checks import line_breaks, without_forbidden
from bot.parsing.contact_text import (
    NEAR_PARTNERS,
    NEW_PARTNER,
    Choices,
    ContactDraft,
    NearPartner,
    ParseProblem,
    begun_partners,
    check_command,
    command_problem,
    is_help_request,
    known_partner_question,
    longer_spans,
    name_readings,
    name_spans,
    near_lookups,
    new_partner_question,
    parse_logcontact,
    partner_choice,
    several_partners_question,
    shorter_partners,
)
from bot.parsing.markup import decode, mentioned_user, unnamed_mentions
from bot.parsing.ownership_text import owner_mention
from bot.parsing.promise_text import OtherDay, text_for_due
from bot.parsing.questions import CANCEL, SLOTS, Answers, NeedsAnswer, Question, Reading
from bot.parsing.rapport_text import shared_request
from bot.rules.access import outsider
from bot.rules.people import is_stale
from bot.slack.users import LookupFailed, look_up
from bot.texts.reader import Reader, escape, reader_of, writes_month_first
from bot.usecases import contacts as logbook
from bot.usecases import members
from bot.usecases.base import (
    Answered,
    Asker,
    CommandAnswer,
    CommandAnswerer,
    NeedsLookup,
    People,
    UseCase,
)
from bot.usecases.contacts import (
    ContactInput,
    Logged,
    NewPartner,
    PartnerGone,
    Refusal,
    contact_of,
)
from bot.usecases.members import NotAMember
from bot.usecases.nudge_answers import answer_check_in
from bot.usecases.partners.lists import answer_shared
from storage.models import Member, Partner
from storage.queries.common import AnyRow
from storage.queries.contacts import find_interaction, promises_of
from storage.queries.members import (
    AnyMember,
    MemberRow,
    find_member,
    save_member,
    workspace_for,
)
from storage.queries.partners import (
    NO_CANDIDATES,
    Candidates,
    KnownPartner,
    candidates_for,
    find_partner,
    find_partner_by_slack_user,
    hold_partner,
    partner_with_keys,
    partners_named,
    partners_named_from,
    rename_partner,
    search_partners,
    similar_partners,
)
from storage.queries.pending import add_pending, take_pending
from storage.vocabulary import (
    NOTE_MAX_CHARS,
    extends,
    legal_form_alone,
    name_key,
    organisation_may_be,
)

log = logging.getLogger(__name__)

# How long a text waits for its author to answer a question about it.
PENDING_FOR = timedelta(hours=1)


@dataclass(frozen=True)
class _KnownContact:
    """A contact for a partner Rapport knows, read and understood before the write lock: the
    asker and the partner as read then (the partner's row is read again under the lock), the
    reader to answer in, and the contact as understood."""

    member: MemberRow
    reader: Reader
    partner: KnownPartner
    contact: ContactInput


class LogContact(UseCase):
    """`/logcontact`: its text, its form, and the buttons on its summary."""

    def _member(self, session: Session, team_id: str, user_id: str) -> Member:
        """The asker, from the cache; `NeedsLookup` when Slack must be asked first, `NotAMember`
        for a guest."""
        member = members.asker(session, team_id, user_id)
        if member is None:
            raise NeedsLookup
        return member

    def _member_row(self, session: Session, team_id: str, user_id: str) -> MemberRow:
        """`_member` as the member's columns: for the text command, whose common case (logging
        a contact) only reads them."""
        member = members.asker_row(session, team_id, user_id)
        if member is None:
            raise NeedsLookup
        return member

    # --- the text command ------------------------------------------------------------------------

    @staticmethod
    def mention_in(text: str) -> str | None:
        """The user id to ask Slack about before answering `text`: the partner mentioned, or the
        new owner. A text that will be refused asks Slack about nobody it names."""
        return None if command_problem(text) else mentioned_user(text) or owner_mention(text)

    def answer_command(
        self, team_id: str, user_id: str, text: str, people: People
    ) -> CommandAnswer | None:
        """The reply to `/logcontact TEXT`, or None when Slack must be asked about someone."""
        asker = Asker()
        try:
            reply = self._answer_command(team_id, user_id, text, people, asker)
        except NeedsLookup:
            return None
        return CommandAnswer(reply, profile_is_stale=asker.profile_is_stale)

    def _answer_command(
        self,
        team_id: str,
        user_id: str,
        text: str,
        people: People,
        asker: Asker,
    ) -> Reply:
        """The reply to `/logcontact TEXT` from a cached member (`NeedsLookup` otherwise): where
        processes share the SQLite file, read apart first (`_read_first`), and written in a
        short transaction when that read settled it; else in one write transaction."""
        try:
            with self.answering(asker):
                settled = self._answer_apart(team_id, user_id, text, asker)
                if settled is not None:
                    return settled
                with self.db.transaction() as session:
                    return self._answer_in(session, team_id, user_id, text, people, asker)
        except Answered as answered:
            return answered.reply

    def _answer_apart(self, team_id: str, user_id: str, text: str, asker: Asker) -> Reply | None:
        """The reply when reading apart settles the command (`Database.reads_apart`: read first,
        then a short write); None when it does not apply or does not settle it, and the whole
        command runs in one write transaction."""
        if not self.db.reads_apart:
            return None
        with self.db.reading() as session:
            read = self._read_first(session, team_id, user_id, text, asker)
        if read is None or isinstance(read, Reply):
            return read
        try:
            return self._log_known(read)
        except (PartnerGone, members.AskerChanged):
            # Forgotten or merged away since it was read, or the asker's language or zone
            # changed: the text is read anew in one write transaction, as one process would
            # have read it.
            return None

    def _understood(
        self, session: Session, team_id: str, user_id: str, text: str, asker: Asker
    ) -> tuple[MemberRow, Reader, str]:
        """The asker, their reader and the text, its line breaks made one kind (`line_breaks`):
        the start of every command, read apart or not. Gives `asker` its reader and staleness
        for the reply, whatever follows; raises `NeedsLookup` (the asker is not cached),
        `NotAMember` (a guest) and `ParseProblem` (a text refused before it is read,
        `check_command`)."""
        member = self._member_row(session, team_id, user_id)
        asker.profile_is_stale = is_stale(member.refreshed_at, self.clock.now())
        asker.reader = reader = reader_of(member)
        check_command(text)
        return member, reader, line_breaks(text)

    def _answer_in(
        self,
        session: Session,
        team_id: str,
        user_id: str,
        text: str,
        people: People,
        asker: Asker,
    ) -> Reply:
        """The whole command in one write transaction: any text, whatever it asks for."""
        member, reader, text = self._understood(session, team_id, user_id, text, asker)
        if is_help_request(text):
            return help_reply(reader)
        shared = shared_request(text)
        if shared is not None:
            # Settings and ownership may change the member: they take the entity, read by its
            # key.
            entity = session.get_one(Member, member.id)
            return answer_shared(
                session,
                entity,
                reader,
                shared,
                team_id=team_id,
                people=people,
                now=self.clock.now(),
            )
        return self._log(session, member, reader, text, people, {})

    # --- the common command, read before the write lock ------------------------------------------

    def _read_first(
        self, session: Session, team_id: str, user_id: str, text: str, asker: Asker
    ) -> Reply | _KnownContact | None:
        """What the command needs, read in a transaction that does not wait for the one write
        lock (SQLite): the help, which writes nothing; the contact to log for a partner the
        candidates hold (`KnownPartner`, the common case); or None when the text needs more (a
        question, a new partner, a mention, settings, a partner found only by its own query),
        which the write transaction then reads anew. Raises what the write transaction would
        before its first write: `NeedsLookup`, `NotAMember`, `ParseProblem`, and `Refusal` for
        a name no partner may have (one several partners share is asked about, in the write
        transaction).

        Parsing and the reply then take no other request's turn at writing: with several
        processes on one SQLite file, writes are what they queue for."""
        member, reader, text = self._understood(session, team_id, user_id, text, asker)
        if is_help_request(text):
            return help_reply(reader)
        if shared_request(text) is not None:
            return None
        candidates = self._candidates(session, member, text)
        try:
            draft = self._parse(member, text, candidates, {})
            if draft.partner.mention_user_id is not None:
                return None
            new = self._typed_partner(session, member, draft, candidates, ask=True)
        except NeedsAnswer:
            return None
        stored = logbook.as_stored(new)
        partner = logbook.existing_partner(session, member.workspace_id, stored, candidates)
        if not isinstance(partner, KnownPartner):
            return None
        return _KnownContact(member, reader, partner, contact_of(draft))

    def _log_known(self, known: _KnownContact) -> Reply:
        """Log a contact read and understood by `_read_first`, in a write transaction of its
        own; the partner's row is read again under the lock (`record`), so a contact logged
        for it meanwhile counts, and a partner forgotten or merged away meanwhile raises
        `PartnerGone` with nothing written (the caller reads the text anew). An asker cached as
        a guest meanwhile is refused (`NotAMember`); one whose language or zone changed
        meanwhile raises `AskerChanged`, also with nothing written."""
        now = self.clock.now()
        with self.db.transaction() as session:
            members.still_a_member(session, known.member)
            logged = logbook.record(
                session,
                known.member,
                known.partner,
                known.contact,
                created_partner=False,
                source="command",
                now=now,
                read_before=True,
            )
        return _summary(known.reader, known.member, logged, now)

    def _log(
        self,
        session: Session,
        member: AnyMember,
        reader: Reader,
        text: str,
        people: People,
        answers: dict[str, str],
    ) -> Reply:
        """Log the contact `text` says, with the readings chosen so far (`answers`); when the text
        can be read more than one way, keep it and ask instead (nothing is stored)."""
        try:
            candidates = self._candidates(session, member, text)
            draft = self._parse(member, text, candidates, answers)
            partner, created = self._partner(session, member, draft, people, candidates, answers)
            choice = partner_choice(answers)
            organisation_set = self._give_organisation(
                session,
                member,
                partner,
                draft.partner.organisation,
                chosen=choice.partner_id if choice is not None else None,
            )
        except NeedsAnswer as needed:
            question = self._loggable_readings(member, text, candidates, answers, needed.question)
            choosable = [r for r in question.readings if r.value != CANCEL]
            if (
                question is not needed.question
                and question.slot == "partner"
                and len(choosable) == 1
            ):
                # One partner left besides Cancel: nothing to choose, the text is read with it.
                # Another slot keeps its question with the reading left: a day read a week back
                # because today's time is still ahead is the member's to confirm, not a guess.
                return self._log(
                    session,
                    member,
                    reader,
                    text,
                    people,
                    {**answers, question.slot: choosable[0].value},
                )
            pending_id = add_pending(
                session, member.workspace_id, member.id, text, answers, self.clock.now()
            )
            return question_reply(reader, pending_id, question)
        logged = logbook.record(
            session,
            member,
            partner,
            contact_of(draft),
            created_partner=created,
            source="command",
            now=self.clock.now(),
            suggest="partner" not in answers,  # asked already: the choice was made knowingly
        )
        logged.organisation_set = organisation_set
        return _summary(reader, member, logged, self.clock.now())

    def _give_organisation(
        self,
        session: Session,
        member: AnyMember,
        partner: Partner | KnownPartner,
        typed: str | None,
        *,
        chosen: int | None,
    ) -> bool:
        """Give the partner chosen in a question (`chosen`: its id, None when nothing was) the
        organisation typed (`typed`) when it has none; whether it was given. The member said
        where the person works: left unsaid, the same text asked the same question each time
        it was typed, and the choice was forgotten. Never when another partner has that name
        and organisation already (the card's rule for a changed organisation). The one rule
        for the command's question and the form's (`_known_chosen`), so that the same answer
        keeps the same organisation either way.

        The checks are made again on the partner's row as this transaction holds it
        (`hold_partner`): two answers pressed at once, by two members who typed the name with
        an organisation each, would otherwise both find none and both say theirs was set."""
        if (
            not typed
            # A legal form alone ("GmbH") is asked about as any company; it names none to keep.
            or legal_form_alone(name_key(typed))
            or chosen is None
            or not isinstance(partner, Partner)
            or chosen != partner.id
            or partner.organisation
        ):
            return False
        held = hold_partner(session, partner)
        if held is None or held.organisation:
            # Forgotten meanwhile (logging it then refuses), or given one by an answer before.
            return False
        organisation = logbook.as_stored(NewPartner(partner.name, typed)).organisation
        if partner_with_keys(session, member.workspace_id, partner.name, organisation):
            return False
        if self._at_a_near_organisation(session, member, partner, organisation):
            return False
        return rename_partner(session, partner, partner.name, organisation)

    @staticmethod
    def _at_a_near_organisation(
        session: Session, member: AnyMember, partner: Partner, organisation: str | None
    ) -> bool:
        """Whether another partner of this name is at an organisation near the one typed
        ("Nordwind GmbH" for "Nordwind", `organisation_near`): given it, the partner chosen
        would be a second one of the name differing by a legal form alone, and each later text
        would go silently to whichever organisation it typed exactly."""
        typed = name_key(organisation)
        return any(
            other.id != partner.id
            and other.organisation_key
            and organisation_may_be(typed, other.organisation_key)
            for other in partners_named(session, member.workspace_id, partner.name)
        )

    def _loggable_readings(
        self,
        member: AnyMember,
        text: str,
        candidates: Candidates,
        answers: Answers,
        question: Question,
    ) -> Question:
        """The question without the readings the text, read with them, would be refused for
        ("Schmidt Logistik Telefonat 14:00" at 10:00: either name, its words set aside, leaves
        a time later than now): a reading pressed must lead to a contact or a further question,
        as the text and the answers given are lost with a refusal. The question itself when
        every reading may be chosen; the first refusal, raised, when none may. A day question
        left with one day asks to confirm it (`confirming`)."""
        kept: list[Reading] = []
        refusals: list[ParseProblem] = []
        for reading in question.readings:
            if reading.value != CANCEL:
                try:
                    self._parse(member, text, candidates, {**answers, question.slot: reading.value})
                except NeedsAnswer:
                    pass  # a further question
                except ParseProblem as problem:
                    refusals.append(problem)
                    continue
            kept.append(reading)
        if not refusals:
            return question
        if all(reading.value == CANCEL for reading in kept):
            raise refusals[0]
        return confirming(replace(question, readings=tuple(kept)), refusals)

    # --- the answer to a question ----------------------------------------------------------------

    def resume(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """A reading was chosen with a question's button: read the waiting text again with it, and
        log it (or ask the next question). A question older than an hour, answered already or
        not the presser's own, has nothing to resume."""
        chosen = read_answer(value)

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            since = self.clock.now() - PENDING_FOR
            waiting = (
                take_pending(session, member.workspace_id, member.id, chosen[0], since)
                if chosen is not None and chosen[1] in SLOTS
                else None
            )
            if chosen is None or waiting is None:
                return notice(reader.t("question.expired"))
            _, slot, choice = chosen
            text, answers = waiting
            if choice == CANCEL:
                return notice(reader.t("question.cancelled"))
            return self._log(session, member, reader, text, {}, {**answers, slot: choice})

        return self.as_member(team_id, user_id, act)

    def _candidates(self, session: Session, member: AnyMember, text: str) -> Candidates:
        """The partners a bare name at the start of `text` may name (`candidates_for`): one
        query for the first word, more only when more partners begin with it than are read."""
        return candidates_for(session, member.workspace_id, name_readings(text))

    def _parse(
        self, member: AnyMember, text: str, candidates: Sequence[AnyRow], answers: Answers
    ) -> ContactDraft:
        reader = reader_of(member)
        local = self.clock.now().astimezone(reader.zone)
        return parse_logcontact(
            text,
            today=local.date(),
            now=local.time().replace(tzinfo=None),
            partner_names=[p.name for p in candidates],
            answers=answers,
            # The Slack locale's way of writing dates, whatever language the answers are in.
            month_first=writes_month_first(member.locale),
        )

    def _partner(
        self,
        session: Session,
        member: AnyMember,
        draft: ContactDraft,
        people: People,
        candidates: Candidates,
        answers: Answers,
    ) -> tuple[Partner | KnownPartner, bool]:
        ref, now = draft.partner, self.clock.now()
        choice = partner_choice(answers)
        if choice is not None and choice.partner_id is not None:
            chosen = find_partner(session, member.workspace_id, choice.partner_id)
            if chosen is None:
                raise Refusal("modal.error.partner_gone")
            return chosen, False
        if ref.mention_user_id is None:
            ask = choice is None and answers.get("partner") != NEW_PARTNER
            new = self._typed_partner(session, member, draft, candidates, ask=ask)
            return logbook.partner_by_name(
                session, member.workspace_id, member, new, now, candidates
            )
        user_id = ref.mention_user_id
        known = find_partner_by_slack_user(session, member.workspace_id, user_id)
        if known is not None:
            return known, False
        if find_member(session, member.workspace_id, user_id) is not None:
            raise Refusal("problem.colleague", user=user_id)
        if user_id not in people:
            raise NeedsLookup
        person = people[user_id]
        if person is None or person.deleted:
            raise Refusal("problem.unknown_user", user=user_id)
        if person.is_bot:
            raise Refusal("problem.bot_user", user=user_id)
        return logbook.partner_for_person(
            session, member.workspace_id, member, person, ref.organisation, now
        )

    def _typed_partner(
        self,
        session: Session,
        member: AnyMember,
        draft: ContactDraft,
        candidates: Candidates,
        *,
        ask: bool,
    ) -> NewPartner:
        """The partner `draft` names by its name (not by a mention), as typed; first, with `ask`
        (no reading of the partner chosen yet), `NeedsAnswer` when a new one of that name is
        more likely a slip (`_ask_before_creating`).

        The read before the write lock (`_read_first`) and the write transaction (`_partner`)
        both take the name here, so that a text is read alike whether or not it is read apart:
        a contact logged for a partner the write transaction would have asked about is wrong."""
        ref = draft.partner
        new = NewPartner(name=ref.name or "", organisation=ref.organisation)
        if ask:
            self._ask_before_creating(session, member, draft, new, candidates)
        return new

    def _ask_before_creating(
        self,
        session: Session,
        member: AnyMember,
        draft: ContactDraft,
        new: NewPartner,
        candidates: Candidates,
    ) -> None:
        """Before a new partner is created, ask (`NeedsAnswer`) when it is more likely a slip
        than a partner (`new_partner_question` says when), offering the existing partners named
        like it."""
        known = partners_named_from(
            session, member.workspace_id, candidates, new.name, new.organisation
        )
        ref = draft.partner
        if known:
            # Only when more words could make a longer name: the reads it costs are spent on
            # a question, not on every contact logged for a known partner.
            if not (ref.longer or ref.cut_short or ref.shorter):
                # Several of this name and no organisation said: which one (the candidates
                # read hold them, or the query that found them did: nothing more is read).
                several = len(known) > 1 and several_partners_question(draft, _labelled(known))
                if several:
                    raise NeedsAnswer(several)
                return
            labels = _labelled(known[:NEAR_PARTNERS])
            ids = {p.id for p in known}
            cut_short = _cut_short_partners(ref.cut_short, candidates, ids)
            spans = longer_spans(ref.longer)
            near = self._near_partners(session, member, spans, ids, first=cut_short)
            shorter = shorter_partners(ref.shorter, _keyed_rows(candidates))
            if question := known_partner_question(draft, labels, near, shorter):
                raise NeedsAnswer(question)
            return
        spans = name_spans(ref.longer, ref.name or "", bare=not ref.quoted)
        near = self._near_new_partner(session, member, new, candidates, spans, ref.cut_short)
        today = reader_of(member).today(self.clock.now())
        if question := new_partner_question(draft, today, near):
            raise NeedsAnswer(question)

    def _near_new_partner(
        self,
        session: Session,
        member: AnyMember,
        new: NewPartner,
        candidates: Candidates,
        spans: Sequence[tuple[str, int]],
        cut_short: Sequence[str] = (),
    ) -> list[NearPartner]:
        """The existing partners a new partner (`new`: a name no partner has, with the
        organisation typed) may have been meant as, `NEAR_PARTNERS` at most: those of the name
        at an organisation like the typed one (`_at_organisation_like`), those the cut-short
        readings begin, then those named like the `spans` (`_near_partners`). The one judgement
        of "near" before a partner is created, by a text (`_ask_before_creating`) and by the
        form (`_ask_if_near`) alike: a name the text would ask about is asked about in the
        form too."""
        first = [
            *self._at_organisation_like(session, member, new, candidates),
            *_cut_short_partners(cut_short, candidates, ()),
        ]
        return self._near_partners(session, member, spans, first=first)

    def _at_organisation_like(
        self, session: Session, member: AnyMember, new: NewPartner, candidates: Candidates
    ) -> list[NearPartner]:
        """The partners of the typed name at an organisation the typed one may mean
        (`organisation_may_be`: "Nordwind" or "Nordwind AG" for "Nordwind GmbH", or none said
        yet), offered before a second partner of that name is created: created unasked, it
        would make every later contact typed with the name alone a question which of the two
        was meant. Read from the candidates when they hold every partner of the name, else by a
        query, on this path alone (a partner of this name and organisation would otherwise be
        created)."""
        if not new.organisation:
            return []
        typed = name_key(new.organisation)
        named = partners_named_from(session, member.workspace_id, candidates, new.name, None)
        return _labelled([p for p in named if organisation_may_be(typed, p.organisation_key)])

    def _near_partners(
        self,
        session: Session,
        member: AnyMember,
        spans: Sequence[tuple[str, int]],
        known: Collection[int] = (),
        *,
        first: Sequence[NearPartner] = (),
    ) -> list[NearPartner]:
        """Existing partners a new name may have been meant as, each with how many typed words
        name it (0: as read), `NEAR_PARTNERS` at most: `first`, then those like the first
        reading of `spans` (typed name, words) first, whose words they take. Never one of
        `known`, the partners the first words name, which the question offers already; never
        a shorter name the typed words of a span run on from ("Acme" for "Acme Corp Q4"):
        chosen, it would take words that are not its name, and the known readings cover it (a
        quoted name, taking no words, may still be meant as the shorter partner)."""
        found = {partner.partner_id: partner for partner in first}
        for typed, words in spans:
            key = name_key(typed)
            # The shorter names the typed words run on from are found, and left out, too.
            limit = near_lookups(key, known)
            for partner in similar_partners(session, member.workspace_id, typed, limit=limit):
                if partner.id not in known and not (words and extends(key, partner.name_key)):
                    label = partner_label(partner.name, partner.organisation)
                    found.setdefault(partner.id, NearPartner(partner.id, label, words))
        return list(found.values())[:NEAR_PARTNERS]

    # --- asking Slack first ----------------------------------------------------------------------

    def look_up(self, client: WebClient, team_id: str, user_ids: list[str]) -> People:
        """Ask Slack about the people the cache lacks, and cache the colleagues among them.

        A workspace guest is cached too, marked as one (`Member.is_guest`): refused as an asker,
        never an owner, never nudged. The calls happen outside any transaction: no database lock
        is held while Slack answers.
        """
        with self.db.transaction() as session:
            workspace = workspace_for(session, team_id, self.clock.now())
            missing = [u for u in dict.fromkeys(user_ids) if not _cached(session, workspace.id, u)]
        people: People = {u: look_up(client, u) for u in missing}
        with self.db.transaction() as session:
            workspace = workspace_for(session, team_id, self.clock.now())
            for user_id, person in people.items():
                # A bot is no colleague: caching it as a member would let it own partners.
                if person is not None and not person.is_bot and person.team_id in (None, team_id):
                    save_member(
                        session, workspace.id, user_id, self.clock.now(), **person.member_profile()
                    )
        return people

    def admit(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Make sure the asker is a cached member of the company, asking Slack if they are new.

        Raises `NotAMember` for a workspace guest, someone of another organisation or someone
        Slack does not know (in their Slack language where Slack said it), and `LookupFailed`
        when Slack did not answer: nobody is cached as a member on a guess.
        """
        if not team_id:
            # A request that names no workspace (Slack always names one) asks for nobody's.
            raise NotAMember()
        people = self.look_up(client, team_id, [user_id])
        person = people.get(user_id)
        if user_id in people and outsider(person, team_id):
            log.info("refused %s: Slack says they are not one of the company's members", user_id)
            raise NotAMember(Reader(person.locale) if person and person.locale else None)
        with self.db.transaction() as session:
            if members.asker(session, team_id, user_id) is None:
                # Cached as someone else's partner (a Slack Connect person), never as a member.
                raise NotAMember()

    def look_up_and_answer(
        self,
        client: WebClient,
        team_id: str,
        user_id: str,
        text: str,
        command: CommandAnswerer | None = None,
    ) -> Reply:
        """The reply to a command whose answer needed Slack; `NotAMember` or `LookupFailed`
        when the asker could not be admitted. `command` is the command's own answerer
        (`/rapport`'s); `/logcontact`'s when not given."""
        self.admit(client, team_id, user_id)
        if command is None:
            command = self
        mention = command.mention_in(text)
        try:
            people = self.look_up(client, team_id, [mention]) if mention else {}
        except LookupFailed as failed:
            return problem(
                self.reader_for(team_id, user_id),
                "problem.slack",
                user=failed.user_id,
                error=failed.error,
            )
        answer = command.answer_command(team_id, user_id, text, people)
        if answer is None:
            return problem(self.reader_for(team_id, user_id), "problem.unexpected")
        return answer.reply

    def refresh_profile(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Bring a member's cached zone and locale up to date with Slack's (after the reply)."""
        try:
            person = look_up(client, user_id)
        except LookupFailed:
            log.warning("could not refresh %s; keeping the cached profile", user_id)
            return
        with self.db.transaction() as session:
            workspace = workspace_for(session, team_id, self.clock.now())
            profile = person.member_profile() if person else {"active": False}
            save_member(session, workspace.id, user_id, self.clock.now(), **profile)

    def reader_for(self, team_id: str, user_id: str) -> Reader:
        """The language and zone to answer a member in; defaults when they are not cached."""
        with self.db.transaction() as session:
            return reader_of(members.asker(session, team_id, user_id))

    # --- buttons on the summary ------------------------------------------------------------------

    def undo(
        self, team_id: str, user_id: str, interaction_id: int, edit: str | None = None
    ) -> Reply:
        """Undo on a summary: after logging (`edit` None), the contact goes; after an edit
        (`edit`: the token its summary's button carries), the contact is put back as it was
        before that edit, and the summary shows it so."""
        if edit is None:
            return self.as_member(
                team_id, user_id, lambda s, m, r: self._undo(s, m, r, interaction_id)
            )

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            now = self.clock.now()
            logged, removed = logbook.undo_edit(session, member, interaction_id, edit, now)
            label = escape(partner_label(logged.partner.name, logged.partner.organisation))
            title = reader.t("undone.edit", partner=label)
            if removed is not None:
                title += " " + reader.t("undone.edit_partner", partner=escape(removed))
            return logged_reply(reader, logged, now, title=title)

        return self.as_member(team_id, user_id, act)

    def _undo(self, session: Session, member: Member, reader: Reader, interaction_id: int) -> Reply:
        label, partner_removed = logbook.undo(session, member, interaction_id, self.clock.now())
        key = "undone.with_partner" if partner_removed else "undone"
        return notice(reader.t(key, partner=escape(label)))

    def move(self, team_id: str, user_id: str, interaction_id: int, partner_id: int) -> Reply:
        def act(session: Session, member: Member, reader: Reader) -> Reply:
            mistaken = find_interaction(session, member.workspace_id, interaction_id)
            removed = (
                partner_label(mistaken.partner.name, mistaken.partner.organisation)
                if mistaken and mistaken.created_partner
                else None
            )
            logged = logbook.move(session, member, interaction_id, partner_id, self.clock.now())
            title = None
            if removed:
                title = reader.t(
                    "moved",
                    partner=escape(partner_label(logged.partner.name, logged.partner.organisation)),
                    removed=escape(removed),
                )
            return _summary(reader, member, logged, self.clock.now(), title=title)

        return self.as_member(team_id, user_id, act)

    # --- the modal -------------------------------------------------------------------------------

    def form_for_edit(
        self, team_id: str, user_id: str, interaction_id: int
    ) -> tuple[Reader, ContactForm] | Reply:
        """The modal's contents for editing a logged contact, or why it cannot be edited."""

        def edit_form(
            session: Session, member: Member, reader: Reader
        ) -> tuple[Reader, ContactForm]:
            interaction = logbook.own_interaction(session, member, interaction_id)
            promises = promises_of(session, member.workspace_id, interaction.id)
            local = reader.local(interaction.occurred_at)
            partner = interaction.partner
            return reader, ContactForm(
                on=local.date(),
                at=local.time().replace(second=0, microsecond=0) if interaction.has_time else None,
                partner_id=partner.id,
                partner_label=partner_label(partner.name, partner.organisation),
                medium=interaction.medium,
                kind=interaction.kind,
                direction=interaction.direction,
                note=interaction.note,
                promise=promises[0].text if promises else None,
                due=promises[0].due_on if promises else None,
                promised_by=promises[0].promised_by if promises else "us",
            )

        return self.as_member(team_id, user_id, edit_form)

    def blank_form(self, team_id: str, user_id: str) -> tuple[Reader, ContactForm]:
        """The modal `/logcontact` alone opens: today, and nothing chosen for the asker."""
        with self.db.transaction() as session:
            reader = reader_of(self._member(session, team_id, user_id))
            return reader, ContactForm(on=reader.today(self.clock.now()))

    def form_for_message(
        self,
        team_id: str,
        user_id: str,
        author_id: str | None,
        text: str,
        people: People,
    ) -> tuple[Reader, ContactForm, ModalContext]:
        """The modal for the "Log as contact" shortcut: the author as partner when external,
        How set to Message."""
        with self.db.transaction() as session:
            member = self._member(session, team_id, user_id)
            reader = reader_of(member)
            names = _names(session, member.workspace_id, unnamed_mentions(text or ""))
            form = ContactForm(
                on=reader.today(self.clock.now()),
                note=message_note(text, names),
                # Logged from a Slack message: that is how the contact happened.
                medium="message",
            )
            context = ModalContext()
            if author_id:
                partner = find_partner_by_slack_user(session, member.workspace_id, author_id)
                if partner is not None:
                    form.partner_id = partner.id
                    form.partner_label = partner_label(partner.name, partner.organisation)
                elif find_member(session, member.workspace_id, author_id) is None:
                    if author_id not in people:
                        raise NeedsLookup
                    person = people[author_id]
                    if person and person.team_id not in (None, team_id) and not person.is_bot:
                        form.new_partner = person.name
                        context.suggest_partner(person)
            return reader, form, context

    def submit(
        self, team_id: str, user_id: str, values: dict[str, Any], context: ModalContext
    ) -> Submitted:
        """Save a submitted modal: errors per block, the form again with a question about the new
        partner typed (nothing saved), or no errors and the summary."""
        asker = Asker()
        now = self.clock.now()
        try:
            with self.answering(asker), self.db.transaction() as session:
                member = self._member(session, team_id, user_id)
                asker.reader = reader = reader_of(member)
                form = read_form(values, today=reader.today(now))
                errors = form_errors(
                    reader, form, today=reader.today(now), now=reader.local(now).time()
                )
                if errors:
                    return Submitted(errors)
                if (
                    kept := self._form_promise(session, member, reader, form, context, now)
                ) is not None:
                    return Submitted(kept)
                try:
                    chosen = self._form_partner(session, member, form, context)
                except Refusal as refusal:
                    block = _REFUSAL_BLOCKS.get(refusal.key, "new_partner")
                    key = _FIELD_TEXTS.get(refusal.key, refusal.key)
                    return Submitted({block: reader.t(key, **_field_values(reader, refusal))})
                except _NearAsked as asked:
                    return _asking(reader, values, context, asked, today=reader.today(now))
                return Submitted(
                    reply=self._save_form(session, member, reader, form, context, chosen, now)
                )
        except NeedsLookup:
            return Submitted(reply=problem(Reader(), "problem.unexpected"))
        except Answered as answered:
            return Submitted({"partner": answered.reply.text})

    def _save_form(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        form: ContactForm,
        context: ModalContext,
        chosen: _FormPartner,
        now: datetime,
    ) -> Reply:
        """Save a form with no errors left for the partner it logs with (`chosen`): the contact
        it edits updated, or a new one recorded (answering the check-in it was opened from);
        the summary to post, saying whether the partner was given the organisation typed."""
        partner = chosen.partner
        if context.interaction_id is not None:
            logged = logbook.update(
                session,
                member,
                context.interaction_id,
                partner,
                contact_of(form.draft()),
                now,
                created_partner=chosen.created,
            )
            logged.organisation_set = chosen.organisation_set
            return logged_reply(
                reader, logged, now, updated=True, organisation_set=logged.organisation_set
            )
        logged = logbook.record(
            session,
            member,
            partner,
            contact_of(form.draft()),
            created_partner=chosen.created,
            source="modal",
            now=now,
            # Asked about the name already: the new partner was chosen knowingly.
            suggest=not form.asked_near(),
        )
        logged.organisation_set = chosen.organisation_set
        if context.nudge and form.kind == "check-in":
            answer_check_in(session, member, context.nudge, partner.id, now)
        return _summary(reader, member, logged, now)

    def _form_promise(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        form: ContactForm,
        context: ModalContext,
        now: datetime,
    ) -> dict[str, str] | None:
        """Keep the form's promise text as `/logcontact` keeps it: its due phrase out when it
        names the due date picked, so the words do not go stale ("Rückruf morgen früh" read a
        week later). When the words name another day than the one picked, the form asks which,
        under the date picker: an error for that block, returned; None once the text is set.

        A promise edited without touching its text keeps it: Rapport wrote it, and a date in it
        for the old due day moves with the new one when it is stored (`moved_due`).
        """
        if not (form.promise and form.due):
            return None
        if context.interaction_id is not None:
            stored = promises_of(session, member.workspace_id, context.interaction_id)
            if stored and stored[0].text == form.promise:
                return None
        kept = text_for_due(
            form.promise,
            form.due,
            today=reader.today(now),
            month_first=writes_month_first(member.locale),
        )
        if isinstance(kept, OtherDay):
            said = reader.days_or(kept.days)
            error = reader.t(
                "modal.error.due_other_day",
                phrase=kept.phrase,
                said=said,
                picked=reader.day(form.due),
            )
            return {"due": error}
        form.promise = kept
        return None

    def _form_partner(
        self, session: Session, member: Member, form: ContactForm, context: ModalContext
    ) -> _FormPartner:
        """The partner a submitted form logs with: picked in the list, the Slack author the
        shortcut proposed, a known partner chosen in the question about the name typed
        (`_known_chosen`), or the one of the name typed, created when there is none (asked
        about first when it is named like known partners: `_ask_if_near`)."""
        if form.partner_id is not None:
            partner = find_partner(session, member.workspace_id, form.partner_id)
            if partner is None:
                raise Refusal("modal.error.partner_gone")
            # Chosen in the question too (`form_errors` refuses another choice there): the
            # same answer as choosing it there alone, which gives it the organisation typed.
            if form.known_chosen() == partner.id:
                return self._chosen_in_question(session, member, partner, form)
            return _FormPartner(partner)
        person = context.suggested_partner(form.new_partner)
        if person is not None:
            return _FormPartner(
                *logbook.partner_for_person(
                    session,
                    member.workspace_id,
                    member,
                    person,
                    form.organisation,
                    self.clock.now(),
                )
            )
        if (answered := self._known_chosen(session, member, form)) is not None:
            return answered
        new = NewPartner(name=form.new_partner or "", organisation=form.organisation)
        stored = logbook.as_stored(new)
        if logbook.existing_partner(session, member.workspace_id, stored) is None:
            self._ask_if_near(session, member, form, stored)
        return _FormPartner(
            *logbook.partner_by_name(session, member.workspace_id, member, new, self.clock.now())
        )

    def _known_chosen(
        self, session: Session, member: Member, form: ContactForm
    ) -> _FormPartner | None:
        """The known partner chosen in the question about the name typed, given the organisation
        typed (`_give_organisation`), whatever happened to it since the question was shown:
        renamed, or another partner of the typed name created meanwhile, it is still the one
        the person meant, as a partner picked in the list is. One merged away or forgotten
        since: `Refusal` under the question, and nothing is created from that answer. None
        when the question was not answered with a known partner."""
        partner_id = form.known_chosen()
        if partner_id is None:
            return None
        chosen = find_partner(session, member.workspace_id, partner_id)
        if chosen is None:
            raise Refusal(NEAR_GONE)
        return self._chosen_in_question(session, member, chosen, form)

    def _chosen_in_question(
        self, session: Session, member: Member, partner: Partner, form: ContactForm
    ) -> _FormPartner:
        """`partner`, chosen in the question about the name typed, given the organisation typed
        as the command's same answer gives it (`_give_organisation`)."""
        given = self._give_organisation(
            session, member, partner, form.organisation, chosen=partner.id
        )
        return _FormPartner(partner, organisation_set=given)

    def _ask_if_near(
        self, session: Session, member: Member, form: ContactForm, new: NewPartner
    ) -> None:
        """Before the form creates the partner `new` (`as_stored`; no partner has its name and
        organisation), ask as the text asks when it is named like known partners
        (`_near_new_partner`, the name taken exactly as typed, as a quoted one): `_NearAsked`
        until the question about this name is answered with the new partner all the same. A
        known partner chosen in it was taken before (`_known_chosen`)."""
        spans = name_spans((), new.name, bare=False)
        near = self._near_new_partner(session, member, new, NO_CANDIDATES, spans)
        decision = near_decision(form, near)
        if decision.action == "create":
            return
        question = NearQuestion(form.new_partner or "", form.organisation, tuple(near))
        raise _NearAsked(question, unanswered=decision.action == "unanswered")

    def partner_options(self, team_id: str, user_id: str, query: str) -> list[dict[str, Any]]:
        """Options for the modal's partner search, 100 at most as Slack allows; none for someone
        who is not a cached member (the form is opened only for members)."""
        with self.db.transaction() as session:
            member = members.asker(session, team_id, user_id)
            if member is None:
                return []
            partners = search_partners(session, member.workspace_id, query, limit=100)
            return [
                {
                    "text": {"type": "plain_text", "text": label_for_option(p)},
                    "value": str(p.id),
                }
                for p in partners
            ]


@dataclass(frozen=True)
class Submitted:
    """What a submitted form is answered with: `errors` per block (the form stays open), the
    form again (`asking`: the question about a new partner named like known ones, in place of
    the form submitted), or neither, and the summary to post (`reply`)."""

    errors: dict[str, str] = field(default_factory=dict)
    reply: Reply | None = None
    asking: View | None = None


@dataclass(frozen=True)
class _FormPartner:
    """The partner a submitted form logs with: `created` by the submission, or given the
    organisation typed (`organisation_set`: chosen in the question about the name typed), which
    the summary says as the command's does."""

    partner: Partner
    created: bool = False
    organisation_set: bool = False


class _NearAsked(Exception):
    """The form names a new partner like known ones and has no answer about it yet
    (`unanswered`: the question was shown, and sent back without a choice)."""

    def __init__(self, question: NearQuestion, *, unanswered: bool) -> None:
        super().__init__(question.label)
        self.question = question
        self.unanswered = unanswered


def _asking(
    reader: Reader,
    values: dict[str, Any],
    context: ModalContext,
    asked: _NearAsked,
    *,
    today: date,
) -> Submitted:
    """The answer to a form whose new partner is asked about: nothing saved, and the form
    again with the question (every field as submitted, read afresh: the promise's text as
    typed, not as the due date picked would keep it), or, when the question was on it already
    and nothing was chosen, an error under it."""
    question = asked.question
    if asked.unanswered:
        error = reader.t("modal.error.near_unanswered", name=question.label)
        return Submitted({NEAR_BLOCK: error})
    shown = read_form(values, today=today)
    return Submitted(asking=contact_modal(reader, shown, context, question))


# The partner chosen in the question about the name typed is gone (merged away, forgotten).
NEAR_GONE = "modal.error.near_gone"
# A refusal about the partner, as the form says it under its field.
_FIELD_TEXTS = {
    "problem.ambiguous_partner": "modal.error.ambiguous_partner",
    "problem.name_taken": "modal.error.name_taken",
    NEAR_GONE: "modal.error.partner_gone",
}
# The block a refusal about the partner is shown under; the new partner's field otherwise.
_REFUSAL_BLOCKS = {"modal.error.partner_gone": "partner", NEAR_GONE: NEAR_BLOCK}


def _field_values(reader: Reader, refusal: Refusal) -> dict[str, object]:
    """A refusal's values as the form's field error says them: a list of partners cut to whole
    labels (`Choices`), as the reply to the command cuts it."""
    return {
        name: value.text(reader.t) if isinstance(value, Choices) else value
        for name, value in refusal.values.items()
    }


def _cached(session: Session, workspace_id: int, user_id: str) -> bool:
    return (
        find_member(session, workspace_id, user_id) is not None
        or find_partner_by_slack_user(session, workspace_id, user_id) is not None
    )


def message_note(text: str, names: Mapping[str, str] | None = None) -> str:
    """A Slack message's text as a note: Slack's markup decoded (a mention without a name shown
    by the name in `names`), characters nobody types taken out (line breaks and tabs stay), cut
    to what a note holds."""
    return line_breaks(without_forbidden(decode(text or "", names)))[:NOTE_MAX_CHARS]


# The most people a message's mentions are named for, each a look-up in the cache.
NAMED_MENTIONS_MAX = 20


def _names(session: Session, workspace_id: int, user_ids: list[str]) -> dict[str, str]:
    """The names Rapport has cached for these people, colleagues or partners; a message
    mentions them by id alone."""
    names: dict[str, str] = {}
    for user_id in user_ids[:NAMED_MENTIONS_MAX]:
        member = find_member(session, workspace_id, user_id)
        partner = None if member else find_partner_by_slack_user(session, workspace_id, user_id)
        name = member.name if member else partner.name if partner else ""
        if name:
            names[user_id] = name
    return names


def label_for_option(partner: Partner) -> str:
    return button_text(partner_label(partner.name, partner.organisation))


def _summary(
    reader: Reader, member: AnyMember, logged: Logged, now: datetime, *, title: str | None = None
) -> Reply:
    """The summary of a contact just logged (or moved to its partner), with the over-contact
    line when logging it made the contacts we started a lot."""
    return logged_reply(
        reader,
        logged,
        now,
        title=title,
        load=logged.over_contact,
        asker=member.slack_user_id,
        organisation_set=logged.organisation_set,
    )


def _labelled(partners: Sequence[Partner | AnyRow]) -> list[NearPartner]:
    """The partners as a question offers them, each shown with its organisation."""
    return [NearPartner(p.id, partner_label(p.name, p.organisation)) for p in partners]


def _cut_short_partners(
    readings: Sequence[str], candidates: Sequence[AnyRow], known: Collection[int]
) -> list[NearPartner]:
    """The candidates (read for the typed words already: no query) whose names the cut-short
    `readings` begin (`PartnerRef.cut_short`), with the typed words that name them; never one
    of `known`."""
    return begun_partners(readings, _keyed_rows(candidates), known)


def _keyed_rows(candidates: Sequence[AnyRow]) -> Iterator[tuple[int, str, str]]:
    """The candidates as the parser's look-ups take them: id, name key, label."""
    return ((r.id, r.name_key, partner_label(r.name, r.organisation)) for r in candidates)


# The words of a day question left with one day to confirm, by its slot: its own words claimed
# more than one day ("Which day was the contact?") beside a single button. Today with its time
# still ahead is the one refusal a reading of the contact's day meets in practice (the days
# offered are past ones), and is named; any other is said as a refusal.
_ONE_DAY_LEFT = {"when": "question.when_one_left", "due": "question.due_one_left"}


def confirming(question: Question, refusals: Sequence[ParseProblem]) -> Question:
    """`question`, its other readings dropped for `refusals`, asked as a confirmation when a
    single day is left to choose ("Did you mean Wednesday, November 18?", and Cancel); as it
    is otherwise. Still asked rather than taken: the member most likely typed today's meeting
    early or the wrong time, and a contact logged on a day not chosen is a guess."""
    days = [reading for reading in question.readings if reading.day is not None]
    choosable = [reading for reading in question.readings if reading.value != CANCEL]
    if question.slot not in _ONE_DAY_LEFT or len(days) != 1 or len(choosable) != 1:
        return question
    if question.slot == "when" and refusals and all(r.code == "when_later_today" for r in refusals):
        return replace(question, reason="question.when_later_today")
    return replace(question, reason=_ONE_DAY_LEFT[question.slot])
