"""`/rapport`: everything that is not logging a contact. Its help, the lists of partners and
promises a page at a time, and the settings and ownership commands it shares with
`/logcontact` (`answer_shared`, one code path for both: `LogContact` calls it too).

Like `/logcontact`, every answer comes from the database alone, inside Slack's ack: when the
cache lacks the asker or a new owner, `answer_command` returns None and the handler answers
after the ack through `LogContact.look_up_and_answer`, which asks Slack and calls it again
(the look-up is `/logcontact`'s, so both commands admit first-time members alike).

The asker is loaded first (`bot.usecases.members.asker`): a workspace guest gets `NotAMember`
before anything about a partner is read. What a list shows is read from the database a page
at a time (`storage.queries.partner_lists`); the day a partner's check-in is nudged about is
the planner's own rule (`bot.rules.nudges.check_in_day`), in the owner's time zone, as the
planner counts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.partner_lists import (
    PAGE_SIZE,
    OpenPromise,
    PageOf,
    PartnerHealth,
    partners_reply,
    promises_reply,
    rapport_help,
)
from bot.blocks.replies import Reply, notice
from bot.parsing.checks import line_breaks
from bot.parsing.contact_text import check_command
from bot.parsing.ownership_text import HandOver, ListUnowned, OwnershipProblem, owner_mention
from bot.parsing.rapport_text import (
    SEARCH_MAX_CHARS,
    AllPartners,
    BadSearch,
    ForgetPartner,
    Help,
    ListRequest,
    MergePartners,
    MergeUsage,
    MyPartners,
    MyPromises,
    RapportRequest,
    RenamePartner,
    RenameProblem,
    SearchPartners,
    SetProfile,
    Settings,
    SharedRequest,
    ShowPartner,
    Unknown,
    rapport_request,
    read_page_value,
    rename_readings,
    whole_name,
)
from bot.rules.clock import Clock
from bot.rules.nudges import MAX_UNANSWERED, check_in_day
from bot.rules.people import SlackPerson, is_stale
from bot.rules.relationships.contact_balance import OneSided
from bot.texts.reader import Reader, escape, reader_of
from bot.usecases import members
from bot.usecases.base import Answered, Asker, CommandAnswer, NeedsLookup, People, UseCase
from bot.usecases.member_settings import HintMutes, answer_settings
from bot.usecases.ownership import answer_ownership
from bot.usecases.partners.cards import PartnerCards, clears_zone
from bot.usecases.partners.health import claims_of, counted_in, health_of, one_sided_of
from bot.usecases.partners.merging import PartnerMerging
from bot.usecases.partners.registry import PartnerRegistry
from storage.db import Database
from storage.models import Member
from storage.queries.partner_lists import (
    PartnerFilter,
    PartnerListRow,
    count_partners,
    count_promises,
    partner_page,
    promise_page,
)
from storage.queries.partners import partners_named

# --- the commands /logcontact takes too ----------------------------------------------------------


def answer_shared(
    session: Session,
    member: Member,
    reader: Reader,
    request: SharedRequest,
    *,
    team_id: str,
    people: Mapping[str, SlackPerson | None],
    now: datetime,
) -> Reply:
    """The reply to a settings or ownership command, for `/rapport` and `/logcontact` alike (one
    code path, a step of the caller's transaction); `NeedsLookup` when Slack must be asked
    about a new owner first (the caller answers after the ack, with `people` filled in)."""
    if isinstance(request, Settings):
        return answer_settings(
            member, reader, request.text, today=reader.today(now), hints=HintMutes(session, now)
        )
    reply = answer_ownership(
        session, member, reader, request, team_id=team_id, people=people, now=now
    )
    if reply is None:
        raise NeedsLookup
    return reply


class PartnerLists(UseCase):
    """`/rapport TEXT` and the paging buttons of its lists; a partner's card and profile are
    answered by `PartnerCards`, inside the same transaction."""

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__(db, clock)
        self.cards = PartnerCards(db, clock)
        self.registry = PartnerRegistry(db, clock, self.cards)
        self.merging = PartnerMerging(db, clock, self.cards)

    # --- the text command ------------------------------------------------------------------------

    def answer_command(
        self, team_id: str, user_id: str, text: str, people: People
    ) -> CommandAnswer | None:
        """The reply to `/rapport TEXT`, or None when Slack must be asked about someone."""
        asker = Asker()
        try:
            with self.answering(asker), self.db.transaction() as session:
                member = members.asker(session, team_id, user_id)
                if member is None:
                    raise NeedsLookup
                asker.profile_is_stale = is_stale(member.refreshed_at, self.clock.now())
                asker.reader = reader = reader_of(member)
                check_command(text)
                text = line_breaks(text)
                request = _known_name_first(session, member, text, rapport_request(text))
                reply = self._answer(session, member, reader, request, team_id, people)
                # A typed zone cleared with none of Slack's cached: Slack is asked after the ack.
                zones_wanted = isinstance(request, SetProfile) and clears_zone(request)
        except Answered as answered:
            reply, zones_wanted = answered.reply, False
        except NeedsLookup:
            return None
        return CommandAnswer(
            reply, profile_is_stale=asker.profile_is_stale, partner_zones_wanted=zones_wanted
        )

    @staticmethod
    def mention_in(text: str) -> str | None:
        """The new owner in `partner NAME owner @x`, whom Slack is asked about first."""
        return owner_mention(" ".join(text.split()))

    def _answer(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        request: RapportRequest,
        team_id: str,
        people: People,
    ) -> Reply:
        """Every subcommand of `/rapport`, in one place."""
        now = self.clock.now()
        match request:
            case Help():
                return rapport_help(reader)
            case Settings() | ListUnowned() | HandOver() | OwnershipProblem():
                return answer_shared(
                    session, member, reader, request, team_id=team_id, people=people, now=now
                )
            case MyPartners() | AllPartners() | SearchPartners() | MyPromises():
                return self._page(session, member, reader, request, 0)
            case ShowPartner():
                return self.cards.card_in(session, member, reader, request)
            case SetProfile():
                return self.cards.set_profile_in(session, member, reader, request)
            case RenamePartner():
                return self.registry.rename_in(session, member, reader, request)
            case RenameProblem():
                return self.registry.rename_problem(reader, request)
            case ForgetPartner():
                return self.registry.ask_to_forget_in(session, member, reader, request)
            case MergePartners():
                return self.merging.ask_to_merge_in(session, member, reader, request)
            case MergeUsage():
                return notice(reader.t("registry.merge.usage"))
            case BadSearch(too_long=True):
                return notice(reader.t("rapport.search.too_long", limit=SEARCH_MAX_CHARS))
            case BadSearch():
                return notice(reader.t("rapport.search.missing"))
            case Unknown(word=word, near=None):
                return notice(reader.t("rapport.unknown", word=escape(word[:50])))
            case Unknown(word=word, near=near):
                return notice(reader.t("rapport.unknown_near", word=escape(word[:50]), near=near))

    # --- the lists -------------------------------------------------------------------------------

    def page(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """A paging button pressed: the page its value names, as the list is now. A value
        Rapport did not make is answered with how to ask for the list again."""

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            wanted = read_page_value(value)
            if wanted is None:
                return notice(reader.t("rapport.page.stale"))
            return self._page(session, member, reader, wanted.request, wanted.offset)

        return self.as_member(team_id, user_id, act, unknown="rapport.page.stale")

    def _page(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        request: ListRequest,
        offset: int,
    ) -> Reply:
        """The page of `request` from `offset`; the first page, said so, when the list has
        shrunk below `offset` since the button was made."""
        if isinstance(request, MyPromises):
            return self._promises(session, member, reader, request, offset)
        now = self.clock.now()
        where = PartnerFilter(
            owner_id=member.id if isinstance(request, MyPartners) else None,
            search=request.text if isinstance(request, SearchPartners) else None,
        )
        total = count_partners(session, member.workspace_id, where)
        lead = None
        if offset and offset >= total:
            offset, lead = 0, reader.t("rapport.list.past_end")
        rows = partner_page(
            session,
            member.workspace_id,
            where,
            today=reader.today(now),
            offset=offset,
            limit=PAGE_SIZE,
            reminders=MAX_UNANSWERED,
        )
        sided = one_sided_of(session, member.workspace_id, [row.id for row in rows], now)
        claims = claims_of(session, member.workspace_id, rows, member.id, now)
        shown = [
            replace(_health(row, reader, now, sided.get(row.id)), claim=claims.get(row.id))
            for row in rows
        ]
        return partners_reply(
            reader,
            PageOf(request, offset, total),
            shown,
            now,
            asker_user_id=member.slack_user_id,
            lead=lead,
        )

    def _promises(
        self, session: Session, member: Member, reader: Reader, request: MyPromises, offset: int
    ) -> Reply:
        now = self.clock.now()
        today = reader.today(now)
        total, overdue = count_promises(session, member.workspace_id, member.id, today)
        lead = None
        if offset and offset >= total:
            offset, lead = 0, reader.t("rapport.list.past_end")
        rows = promise_page(session, member.workspace_id, member.id, offset=offset, limit=PAGE_SIZE)
        shown = [
            OpenPromise(r.text, r.due_on, r.promised_by, r.partner_name, r.partner_organisation)
            for r in rows
        ]
        return promises_reply(reader, PageOf(request, offset, total, overdue), shown, now, lead)


def _known_name_first(
    session: Session, member: Member, text: str, request: RapportRequest
) -> RapportRequest:
    """A known partner's card where its name holds a command word: `partner Data Set Ltd` is
    Data Set Ltd's card, not a profile change of "Data" setting "Ltd", when that partner
    exists; `partner Owner Inc` and `partner Rename Ltd` likewise. Where the name before a
    set or rename word is no partner's but the name before a later rename word is
    (`partner Data Set Ltd rename Data Set AG`), that rename is meant. Any other text keeps
    its reading."""
    if not isinstance(
        request, SetProfile | HandOver | OwnershipProblem | RenamePartner | RenameProblem
    ):
        return request
    whole = whole_name(text)
    if whole is not None and _one_named(session, member, whole.name, whole.organisation):
        return whole
    if isinstance(request, HandOver | OwnershipProblem) or _one_named(
        session, member, request.name, request.organisation
    ):
        return request
    readings = rename_readings(text)
    return next(
        (r for r in readings if _one_named(session, member, r.name, r.organisation)), request
    )


def _one_named(session: Session, member: Member, name: str, organisation: str | None) -> bool:
    return len(partners_named(session, member.workspace_id, name, organisation)) == 1


def _health(
    row: PartnerListRow, reader: Reader, now: datetime, sided: OneSided | None
) -> PartnerHealth:
    """A row as shown. The check-in day is counted in the owner's zone, as the planner counts
    it; a partner nobody looks after is counted in the reader's. Its health is
    `bot.usecases.partners.health.health_of`, as the card's and the digest's, one-sidedness
    included (`sided`, read for the page)."""
    paused = row.status == "paused"
    due = None if paused else check_in_day(row, counted_in(row, reader))
    return PartnerHealth(
        name=row.name,
        organisation=row.organisation,
        owner_user_id=row.owner_user_id,
        owner_active=row.owner_active is not False,
        last_contact=row.last_contact,
        last_contact_by=row.last_contact_by,
        check_in_on=due,
        paused=paused,
        paused_until=row.paused_until,
        ours_open=row.ours_open,
        ours_overdue=row.ours_overdue,
        theirs_open=row.theirs_open,
        theirs_overdue=row.theirs_overdue,
        health=health_of(row, reader, now, sided),
    )
