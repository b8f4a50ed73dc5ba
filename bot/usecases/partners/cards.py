"""Partner cards: one partner's profile, history and open promises, and changing its profile.

    /rapport partner Acme                      the card (`card`)
    /rapport partner Acme set tz Asia/Tokyo …  the profile in one line (`set_profile`)

and the card's buttons: Log contact (the contact form, this partner filled in), Edit profile
(a form, `save_profile`), Hand over (a form whose choice goes through the ownership rules of
`/logcontact partner NAME owner @x`: `bot.usecases.ownership.hand_over`), Pause / Resume,
Older contacts (ten a page), All promises (both ways, ten a page), and Received / Drop on each
of their promises to us. Any member of the workspace may see a card, change a profile and
settle their promises; handing over follows the ownership rules. Every method is one
transaction for the asker, read from the cache (`bot.usecases.members.asker`, which refuses
guests).

A partner id in a button or a form's metadata is looked up in the asker's workspace only: an id
of another workspace finds nothing and is answered as a partner that is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol, TypeVar

from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from bot.blocks.contact_form import ContactForm, ModalContext
from bot.blocks.partner_card import (
    CONTACTS_PER_PAGE,
    PROMISES_PER_PAGE,
    PROMISES_PER_SIDE,
    CardContact,
    CardPromise,
    PartnerCard,
    contacts_page,
    near_partners_reply,
    parse_choice,
    partner_card,
    promises_page,
)
from bot.blocks.partner_profile_form import (
    CardContext,
    hand_over_modal,
    profile_modal,
    read_profile_form,
)
from bot.blocks.replies import Reply, excerpt, notice, partner_label, problem
from bot.parsing import checks
from bot.parsing.checks import row_id
from bot.parsing.ownership_text import HandOver
from bot.parsing.profile_text import CLEAR, ProfileChange, ProfileProblem, parse_profile
from bot.parsing.rapport_text import ForgetPartner, RenamePartner, SetProfile, ShowPartner
from bot.rules.nudges import check_in_day
from bot.rules.ownership import looks_after
from bot.rules.people import SlackPerson
from bot.rules.relationships.contact_balance import contacts_we_started, query_since, threshold_of
from bot.rules.working_hours import WorkingHours
from bot.slack.users import LookupFailed, look_up
from bot.texts.reader import Reader, escape, reader_of
from bot.usecases.base import UseCase
from bot.usecases.nudge_answers import MEDIUM_FOR_CHANNEL
from bot.usecases.ownership import hand_over
from bot.usecases.partners.health import (
    claims_of,
    counted_in,
    health_of,
    health_row,
    one_sided_of,
)
from bot.usecases.partners.reliability import own_reliability
from bot.usecases.partners.their_promises import settle
from bot.usecases.slack_directory import refresh_partner
from storage.models import Member, Partner
from storage.queries.common import AnyRow
from storage.queries.contacts import (
    contacts_with,
    count_contacts_with,
    count_open_promises_with,
    load_since,
    open_promises_page,
    open_promises_with,
)
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import find_member, find_workspace
from storage.queries.partners import (
    find_partner,
    find_partner_by_slack_user,
    partner_for_update,
    partner_with_keys,
    partners_named,
    partners_without_zone,
    rename_partner,
    similar_partners,
)
from storage.queries.slack_cache import cached_people
from storage.vocabulary import DEFAULT_CADENCE_DAYS, name_key, organisation_may_be

log = logging.getLogger(__name__)

# Partners whose zone one answer asks Slack about after its ack: a command clears one zone; the
# rest, if any, wait for the daily refresh.
ZONES_PER_ANSWER = 3

T = TypeVar("T")
# The furthest page a button may ask for; a page past a partner's history shows the total and
# no contacts, never an error, and a larger number (a tampered value) is refused outright.
MAX_PAGE = 100_000


def prefilled_form(member: Member, partner: Partner, now: datetime) -> ContactForm:
    """The contact form about `partner`: the member's today and the partner's preferred
    channel filled in (Log contact on a card or a digest)."""
    return ContactForm(
        on=WorkingHours.of(member).today(now),
        partner_id=partner.id,
        partner_label=partner_label(partner.name, partner.organisation),
        medium=MEDIUM_FOR_CHANNEL.get(partner.preferred_channel or ""),
    )


class PartnerCards(UseCase):
    """A partner's card, its buttons and forms, and the one-line profile change."""

    # --- what the `/rapport` router calls ------------------------------------------------------

    def card(self, team_id: str, user_id: str, name: str, organisation: str | None) -> Reply:
        """The card of the partner called `name` (at `organisation`, when given). An unknown
        name is answered with the names near it; a name several partners share, with them.

        Raises `NeedsLookup` when the asker is not cached yet (ask Slack, then call again) and
        `NotAMember` for a guest, as the other commands do.
        """

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            return self.card_in(session, member, reader, ShowPartner(name, organisation))

        return self._for_command(team_id, user_id, act)

    def set_profile(
        self,
        team_id: str,
        user_id: str,
        name: str,
        organisation: str | None,
        assignments: str,
    ) -> Reply:
        """Change the named partner's profile from `assignments` (the text after `set`, as Slack
        sent it: `tz Asia/Tokyo hours 9-18 …`), all or nothing, and show the card as it is now.
        A bad value is answered with what was wrong and an example, and changes nothing.
        Raises as `card` does."""

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            request = SetProfile(name, organisation, assignments)
            return self.set_profile_in(session, member, reader, request)

        return self._for_command(team_id, user_id, act)

    # --- the same as steps of a transaction the caller holds (`/rapport`) -----------------------

    def card_in(
        self, session: Session, member: Member, reader: Reader, request: ShowPartner
    ) -> Reply:
        """`card`, inside the caller's transaction."""
        found = self._named(session, member, reader, request)
        if isinstance(found, Reply):
            return found
        return self._card(session, member, reader, found)

    def set_profile_in(
        self, session: Session, member: Member, reader: Reader, request: SetProfile
    ) -> Reply:
        """`set_profile`, inside the caller's transaction."""
        change = parse_profile(request.assignments)
        if isinstance(change, ProfileProblem):
            return profile_problem(reader, change)
        found = self._named(session, member, reader, request)
        if isinstance(found, Reply):
            return found
        partner = partner_for_update(session, member.workspace_id, found.id)
        if partner is None:  # removed since it was found (on PostgreSQL, by another request)
            return notice(reader.t("card.gone"))
        return self._apply(session, member, reader, partner, change)

    # --- the card's buttons --------------------------------------------------------------------

    def show(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """Back to the card (from a page of contacts)."""
        return self._on_partner(team_id, user_id, value, self._card)

    def page(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """A page of older contacts; `value` is "PARTNER_ID:PAGE"."""
        partner_value, page = _page_of(value)

        def act(session: Session, member: Member, reader: Reader, partner: Partner) -> Reply:
            if page is None:
                return _stale_page(reader, partner)
            card = self._read(session, member, reader, partner)
            rows = contacts_with(
                session,
                member.workspace_id,
                partner.id,
                offset=page * CONTACTS_PER_PAGE,
                limit=CONTACTS_PER_PAGE,
            )
            return contacts_page(reader, card, [_contact(r) for r in rows], page, self.clock.now())

        return self._on_partner(team_id, user_id, partner_value, act)

    def promises(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """All promises: a page of the partner's open promises both ways, those the card
        leaves out included; `value` is "PARTNER_ID:PAGE"."""
        partner_value, page = _page_of(value)

        def act(session: Session, member: Member, reader: Reader, partner: Partner) -> Reply:
            if page is None:
                return _stale_page(reader, partner)
            card = self._read(session, member, reader, partner)
            rows = open_promises_page(
                session,
                member.workspace_id,
                partner.id,
                offset=page * PROMISES_PER_PAGE,
                limit=PROMISES_PER_PAGE,
            )
            shown = [CardPromise(r.text, r.due_on, r.by, r.id, r.promised_by) for r in rows]
            return promises_page(reader, card, shown, page, self.clock.now())

        return self._on_partner(team_id, user_id, partner_value, act)

    def pause(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """Pause the partner until someone resumes it: no check-in nudges meanwhile (the planner
        nudges active partners only)."""
        return self._set_status(team_id, user_id, value, paused=True)

    def resume(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """Make the partner active again, ending a pause with or without a day (one picked in
        a nudge DM's "Pause partner until…")."""
        return self._set_status(team_id, user_id, value, paused=False)

    def their_promise(self, team_id: str, user_id: str, value: str | None) -> Reply:
        """Received or Drop on one of their promises (`value`: `received:PARTNER:PROMISE`): the
        card again without it, led by what happened, or by why nothing changed (settled
        already, not this partner's, not in this workspace)."""
        chosen = parse_choice(value)
        if chosen is None:
            return self.as_member(
                team_id, user_id, lambda s, m, r: notice(r.t("card.stale")), "card.not_known"
            )

        def act(session: Session, member: Member, reader: Reader, partner: Partner) -> Reply:
            settled = settle(session, member, reader, chosen, self.clock.now())
            return self._card(session, member, reader, partner, settled.line)

        return self._on_partner(team_id, user_id, str(chosen.partner_id), act)

    def contact_form(
        self, team_id: str, user_id: str, value: str | None, response_url: str | None
    ) -> tuple[Reader, ContactForm, ModalContext] | Reply:
        """Log contact: the contact form with this partner, today and their preferred channel
        filled in; its summary goes to the card's response_url."""

        def act(
            session: Session, member: Member, reader: Reader, partner: Partner
        ) -> tuple[Reader, ContactForm, ModalContext]:
            form = prefilled_form(member, partner, self.clock.now())
            return reader, form, ModalContext(response_url=response_url)

        return self._on_partner(team_id, user_id, value, act)

    def profile_form(
        self, team_id: str, user_id: str, value: str | None, response_url: str | None
    ) -> tuple[Reader, View] | Reply:
        """Edit profile: the form, filled in with the profile as it is."""
        return self._form(team_id, user_id, value, response_url, profile_modal)

    def hand_over_form(
        self, team_id: str, user_id: str, value: str | None, response_url: str | None
    ) -> tuple[Reader, View] | Reply:
        """Hand over: a form to pick the new owner."""
        return self._form(team_id, user_id, value, response_url, hand_over_modal)

    def _form(
        self,
        team_id: str,
        user_id: str,
        value: str | None,
        response_url: str | None,
        modal: Callable[[Reader, PartnerCard, CardContext], View],
    ) -> tuple[Reader, View] | Reply:
        """A form about the partner a card's button names, built by `modal` from the card."""

        def act(
            session: Session, member: Member, reader: Reader, partner: Partner
        ) -> tuple[Reader, View]:
            card = self._read(session, member, reader, partner)
            return reader, modal(reader, card, CardContext(partner.id, response_url))

        return self._on_partner(team_id, user_id, value, act)

    # --- after the ack -------------------------------------------------------------------------

    def read_unknown_zones(self, client: WebClient, team_id: str, user_id: str) -> Reply | None:
        """Ask Slack (`users.info`) for the zone of the workspace's Slack Connect partners whose
        zone is unknown and was never read since (a typed zone cleared, nothing cached), at most
        `ZONES_PER_ANSWER`; a note for `user_id`, who cleared it, naming the zones Slack gave
        (None when it gave none). Runs after the ack, outside any transaction; Slack not
        answering leaves them to the daily refresh."""
        with self.db.reading() as session:
            workspace = find_workspace(session, team_id)
            rows = (
                partners_without_zone(session, workspace.id, ZONES_PER_ANSWER)
                if workspace is not None
                else []
            )
        given: list[tuple[str, str]] = []
        for row in rows:
            try:
                person = look_up(client, row.slack_user_id)
            except LookupFailed as failed:
                log.warning(
                    "a partner's zone stays unknown: Slack did not answer (%s)", failed.error
                )
                break
            with self.db.transaction() as session:
                partner = find_partner(session, workspace.id, row.id) if workspace else None
                if partner is not None:
                    refresh_partner(partner, person, self.clock.now())
                    if partner.tz:
                        given.append((partner.name, partner.tz))
        if not given or workspace is None:
            return None
        with self.db.reading() as session:
            member = find_member(session, workspace.id, user_id)
            reader = reader_of(member) if member is not None else Reader()
        zones = ", ".join(f"*{escape(name)}*: {escape(tz)}" for name, tz in given)
        return notice(reader.t("card.zone_from_slack", zones=zones))

    # --- the forms' submissions ----------------------------------------------------------------

    def save_profile(
        self, team_id: str, user_id: str, metadata: str | None, values: Mapping[str, object]
    ) -> tuple[dict[str, str], Reply | None]:
        """Edit profile saved: the errors to show in the form by block id (nothing saved), or
        none and the card to show, led by what happened."""
        context = CardContext.load(metadata)

        def act(
            session: Session, member: Member, reader: Reader, partner: Partner
        ) -> tuple[dict[str, str], Reply | None]:
            change = read_profile_form(reader, values)
            if not isinstance(change, ProfileChange):
                return change, None
            locked = partner_for_update(session, member.workspace_id, partner.id)
            if locked is None:  # removed since it was found, by a request that ran meanwhile
                return {}, notice(reader.t("card.gone"))
            return {}, self._apply(session, member, reader, locked, change)

        found = self._on_partner(team_id, user_id, str(context.partner_id or ""), act)
        return found if isinstance(found, tuple) else ({}, found)

    def hand_over(
        self,
        team_id: str,
        user_id: str,
        metadata: str | None,
        new_owner: str | None,
        people: Mapping[str, SlackPerson | None],
    ) -> Reply | None:
        """Hand over saved: the ownership rules decide (`bot.usecases.ownership.hand_over`) and
        the card comes back led by what they said; None when Slack must be asked about
        `new_owner` first (`LogContact.look_up`, then call again with its answer)."""
        context = CardContext.load(metadata)

        def act(session: Session, member: Member, reader: Reader, partner: Partner) -> Reply | None:
            if not new_owner:
                return problem(reader, "problem.unexpected")
            # The partner's own name and organisation ("" for none) find exactly this one.
            request = HandOver(partner.name, partner.organisation or "", new_owner)
            said = hand_over(
                session,
                member,
                reader,
                request,
                team_id=team_id,
                people=people,
                now=self.clock.now(),
            )
            if said is None:
                return None
            session.flush()
            return self._card(session, member, reader, partner, said.text)

        return self._on_partner(team_id, user_id, str(context.partner_id or ""), act)

    # --- steps ---------------------------------------------------------------------------------

    def _for_command(
        self, team_id: str, user_id: str, act: Callable[[Session, Member, Reader], Reply]
    ) -> Reply:
        """Run a command's `act` in one transaction; `NeedsLookup` for an asker not cached."""
        return self.as_member(team_id, user_id, act, unknown=None)

    def _on_partner(
        self,
        team_id: str,
        user_id: str,
        value: str | None,
        act: Callable[[Session, Member, Reader, Partner], T],
    ) -> T | Reply:
        """Run `act` on the partner whose id a button or form carries, in the asker's workspace;
        a tampered id, or one of another workspace, is a partner that is gone."""
        partner_id = row_id(value)

        def step(session: Session, member: Member, reader: Reader) -> T | Reply:
            partner = (
                find_partner(session, member.workspace_id, partner_id)
                if partner_id is not None
                else None
            )
            if partner is None:
                return notice(reader.t("card.gone"))
            return act(session, member, reader, partner)

        found: T | Reply = self.as_member(team_id, user_id, step, unknown="card.not_known")
        return found

    def _named(
        self, session: Session, member: Member, reader: Reader, request: NamedPartner
    ) -> Partner | Reply:
        return named_partner(session, member, reader, request)

    def card_with(
        self, session: Session, member: Member, reader: Reader, partner: Partner, lead: str
    ) -> Reply:
        """The card of `partner` as it is now, led by `lead` (mrkdwn, escaped by the caller):
        what another use case answers with after changing the partner."""
        return self._card(session, member, reader, partner, lead)

    def _card(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        partner: Partner,
        lead: str | None = None,
    ) -> Reply:
        card = self._read(session, member, reader, partner)
        return partner_card(reader, card, self.clock.now(), lead)

    def _read(
        self, session: Session, member: Member, reader: Reader, partner: Partner
    ) -> PartnerCard:
        """Everything a card shows of `partner`, in a fixed number of queries whatever its
        history: ten contacts, five open promises a side, and exact counts."""
        workspace_id = partner.workspace_id
        session.flush()
        contacts = contacts_with(
            session, workspace_id, partner.id, offset=0, limit=CONTACTS_PER_PAGE
        )
        counts = count_open_promises_with(session, workspace_id, partner.id)
        ours, theirs = (
            open_promises_with(session, workspace_id, partner.id, side, limit=PROMISES_PER_SIDE)
            for side in ("us", "partner")
        )
        owner = partner.owner
        now = self.clock.now()
        # The partner as a list row reads it (`health_row`): the day the check-in is nudged
        # about, counted in the owner's zone as the planner counts it (the asker's when nobody
        # looks after the partner), and its health, so that card and list agree.
        row = health_row(session, workspace_id, partner.id, reader, now)
        # Read as a list's page reads it, so the card and the lists never disagree.
        sided = one_sided_of(session, workspace_id, [partner.id], now).get(partner.id)
        next_check_in = check_in_day(row, counted_in(row, reader)) if row else None
        # Who looks after it as the lists and the digest judge it (`looks_after`): an owner
        # who left or is now a guest is named only as the one it had.
        active = bool(looks_after(owner))
        owner_user = owner.slack_user_id if owner is not None else None
        claim = (
            claims_of(session, workspace_id, [row], member.id, now).get(partner.id) if row else None
        )
        return PartnerCard(
            id=partner.id,
            name=partner.name,
            organisation=partner.organisation,
            owner=owner_user if active else None,
            former_owner=None if active else owner_user,
            claim=claim,
            slack_user_id=partner.slack_user_id,
            email=partner.email,
            tz=partner.tz,
            tz_typed=partner.tz_source == "typed",
            business_start_minute=partner.business_start_minute,
            business_end_minute=partner.business_end_minute,
            business_days=partner.business_days,
            public_holidays=partner.public_holidays,
            preferred_channel=partner.preferred_channel,
            language=partner.language,
            cadence_days=partner.cadence_days,
            status=partner.status,
            paused_until=partner.paused_until,
            next_check_in=next_check_in,
            contacts=tuple(_contact(r) for r in contacts),
            contacts_total=count_contacts_with(session, workspace_id, partner.id),
            ours=tuple(CardPromise(r.text, r.due_on, r.by) for r in ours),
            ours_total=counts.get("us", 0),
            theirs=tuple(CardPromise(r.text, r.due_on, r.by, r.id) for r in theirs),
            theirs_total=counts.get("partner", 0),
            started_recently=started_recently(session, reader, partner, self.clock.now()),
            contact_threshold=threshold_of(partner.max_contacts),
            max_contacts=partner.max_contacts,
            health=health_of(row, reader, now, sided) if row else (),
            # The viewer's own figure alone: `member` is whoever asked for the card.
            mine=own_reliability(session, member, reader.today(now), partner.id),
        )

    def _apply(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        partner: Partner,
        change: ProfileChange,
    ) -> Reply:
        """Write `change` to `partner` and show the card; nothing when the new organisation
        would give it the name of another partner."""
        values = change.values
        if "organisation" in values:
            organisation = values["organisation"]
            new = organisation if isinstance(organisation, str) else None
            other = partner_with_keys(session, member.workspace_id, partner.name, new)
            taken = other is not None and other.id != partner.id
            # Another request may take the name between the check and the write.
            if taken or (
                new != partner.organisation
                and not rename_partner(session, partner, partner.name, new)
            ):
                label = partner_label(partner.name, new)
                return profile_problem(
                    reader, ProfileProblem("organisation_taken", {"partner": label})
                )
        write_profile(partner, values)
        if "cadence" in values:
            # The check-in and contact due instants are counted with the cadence.
            refresh_contact_times(session, [partner.id])
        if values.get("tz") is CLEAR:
            slack_zone_from_cache(session, partner)
        label = escape(partner_label(partner.name, partner.organisation))
        return self._card(
            session, member, reader, partner, reader.t("profile.saved", partner=label)
        )

    def _set_status(self, team_id: str, user_id: str, value: str | None, *, paused: bool) -> Reply:
        def act(session: Session, member: Member, reader: Reader, partner: Partner) -> Reply:
            locked = partner_for_update(session, member.workspace_id, partner.id)
            if locked is None:  # removed since it was found, by a request that ran meanwhile
                return notice(reader.t("card.gone"))
            label = escape(partner_label(locked.name, locked.organisation))
            today = WorkingHours.of(member).today(self.clock.now())
            was_paused = locked.status == "paused" or (
                locked.paused_until is not None and locked.paused_until > today
            )
            if was_paused == paused:
                key = "card.already_paused" if paused else "card.already_active"
                return self._card(session, member, reader, locked, reader.t(key, partner=label))
            if paused:
                locked.status = "paused"
            else:
                locked.status, locked.paused_until = "active", None
            key = "card.paused" if paused else "card.resumed"
            return self._card(session, member, reader, locked, reader.t(key, partner=label))

        return self._on_partner(team_id, user_id, value, act)


class NamedPartner(Protocol):
    """A request that names one partner: by name (and organisation), or by a Slack mention."""

    @property
    def name(self) -> str: ...
    @property
    def organisation(self) -> str | None: ...
    @property
    def slack_user_id(self) -> str | None: ...


def named_partner(
    session: Session,
    member: Member,
    reader: Reader,
    request: NamedPartner,
    *,
    besides: int | None = None,
) -> Partner | Reply:
    """The one partner the request names, or the reply that says why there is none: the names
    near an unknown one (but the partner of id `besides`, which the request already names
    otherwise), the candidates for a name several partners share."""
    name, organisation = request.name, request.organisation
    # What was typed is echoed cut, as `problem` does: a name pasted thousands of characters
    # long (no partner's name is) must not push the reply past a section's 3,000 characters.
    label = escape(excerpt(partner_label(name, organisation), NAME_ECHO_CHARS))
    if request.slack_user_id is not None:
        partner = find_partner_by_slack_user(session, member.workspace_id, request.slack_user_id)
        return partner or notice(reader.t("card.no_partner", name=label))
    found = partners_named(session, member.workspace_id, name, organisation)
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"*{escape(partner_label(p.name, p.organisation))}*" for p in found)
        first = next((p for p in found if p.organisation), found[0])
        which = partner_label(first.name, first.organisation or "…")
        example = escape(_example(reader, request, which))
        return notice(reader.t("card.ambiguous", name=label, names=names, example=example))
    near = _near(session, member, name, organisation, besides)
    text = reader.t("card.no_partner", name=label)
    if not near:
        text += " " + reader.t("card.try_search", name=escape(excerpt(name, NAME_ECHO_CHARS)))
        return notice(text)
    labels = [(p.id, partner_label(p.name, p.organisation)) for p in near]
    names = ", ".join(f"*{escape(shown)}*" for _, shown in labels)
    text += " " + reader.t("card.did_you_mean", names=names)
    return near_partners_reply(text, labels)


def _near(
    session: Session, member: Member, name: str, organisation: str | None, besides: int | None
) -> list[Partner]:
    """The partners someone naming `name` (at `organisation`) may have meant, `NEAR_SHOWN` at
    most: first those of this very name at an organisation the typed one may mean
    (`organisation_may_be`: "Nordwind" for "Nordwind GmbH", or none said yet), as
    `/logcontact` offers them; `similar_partners` never names a partner of the exact name,
    so without them the card denied knowing the partner the member had just logged a contact
    for. Then the names near it. Never the partner of id `besides`."""
    typed = name_key(organisation)
    at_like = (
        [
            p
            for p in partners_named(session, member.workspace_id, name)
            if organisation_may_be(typed, p.organisation_key)
        ]
        if organisation
        else []
    )
    similar = similar_partners(session, member.workspace_id, name, exclude_id=besides)
    found = {p.id: p for p in [*at_like, *similar] if p.id != besides}
    return list(found.values())[:NEAR_SHOWN]


# The most partners a name that found none is answered with: as many as `similar_partners`
# gives, and a few of the name at a near organisation before them.
NEAR_SHOWN = 5


# How much of what was typed after `set` an example repeats.
EXAMPLE_CHARS = 60
# How much of a typed name that finds no partner a reply repeats; twice that, escaped (`&` is
# five characters), still fits a section.
NAME_ECHO_CHARS = 200


def _example(reader: Reader, request: NamedPartner, partner: str) -> str:
    """The command that was typed, with the partner named so that it finds one: `/rapport
    forget Ana (Acme)` for a forget, `/rapport partner Ana (Acme) rename …` for a rename."""
    if isinstance(request, ForgetPartner):
        return reader.t("card.example.forget", partner=partner)
    if isinstance(request, RenamePartner):
        new = partner_label(request.new_name, request.new_organisation)
        return reader.t("card.example.rename", partner=partner, new=new)
    if isinstance(request, SetProfile):
        assignments = " ".join(request.assignments.split())
        return reader.t(
            "card.example.set", partner=partner, assignments=excerpt(assignments, EXAMPLE_CHARS)
        )
    return reader.t("card.example.show", partner=partner)


def started_recently(session: Session, reader: Reader, partner: Partner, now: datetime) -> int:
    """How many contacts we started with `partner` in the over-contact window ending today in
    the reader's zone: the count the line after a logged contact says, for the same reader."""
    today = reader.today(now)
    since = query_since(today, reader.zone)
    rows = load_since(session, partner.workspace_id, partner.id, since)
    return len(contacts_we_started(rows, today, reader.zone))


def write_profile(partner: Partner, values: Mapping[str, object]) -> None:
    """Set the partner's profile columns from a change's values (CLEAR: back to unset).

    A typed zone is marked "typed" so Slack's daily refresh keeps it; clearing a typed zone
    hands the zone back to Slack (read again on the next refresh). Clearing a zone that came
    from Slack changes nothing: it is not the profile's to clear."""
    if "tz" in values:
        tz = values["tz"]
        if tz is CLEAR:
            if partner.tz_source == "typed":
                partner.tz, partner.tz_source, partner.profile_refreshed_at = None, None, None
        elif isinstance(tz, str) and not (tz == partner.tz and partner.tz_source != "typed"):
            partner.tz, partner.tz_source = tz, "typed"
    if "hours" in values:
        hours = values["hours"]
        start, end = hours if isinstance(hours, tuple) else (None, None)
        partner.business_start_minute, partner.business_end_minute = start, end
    for setting, column in (
        ("days", "business_days"),
        ("channel", "preferred_channel"),
        ("language", "language"),
        ("email", "email"),
    ):
        if setting in values:
            value = values[setting]
            setattr(partner, column, value if isinstance(value, str) else None)
    if "cadence" in values:
        cadence = values["cadence"]
        partner.cadence_days = cadence if isinstance(cadence, int) else DEFAULT_CADENCE_DAYS
    if "holidays" in values:
        # CLEAR is stored as None: the holidays then follow the partner's zone as it changes.
        holidays = values["holidays"]
        partner.public_holidays = holidays if isinstance(holidays, str) else None
    if "max_contacts" in values:
        limit = values["max_contacts"]
        partner.max_contacts = limit if isinstance(limit, int) else None  # CLEAR: the default


def slack_zone_from_cache(session: Session, partner: Partner) -> None:
    """A typed zone just cleared: Slack's zone again at once, from what Rapport already keeps
    of the partner's Slack user (`slack_people`, read when they were seen in a shared channel),
    so that the card and the after-hours hint agree. Nothing cached (or no usable zone there):
    the zone stays unknown, and `PartnerCards.read_unknown_zones` asks Slack after the ack."""
    user_id = partner.slack_user_id
    if partner.tz is not None or user_id is None:
        return
    row = cached_people(session, partner.workspace_id, [user_id]).get(user_id)
    tz = checks.time_zone(row.tz) if row is not None and not row.deleted else None
    if row is not None and tz is not None:
        # Read from Slack when the row was: the daily refresh asks again a day after that.
        partner.tz, partner.tz_source, partner.profile_refreshed_at = tz, "slack", row.refreshed_at


def clears_zone(request: SetProfile) -> bool:
    """Whether `/rapport partner NAME set …` clears the partner's zone (`tz clear`)."""
    change = parse_profile(request.assignments)
    return isinstance(change, ProfileChange) and change.values.get("tz") is CLEAR


def profile_problem(reader: Reader, found: ProfileProblem) -> Reply:
    """Why a profile line changed nothing, with an example that works."""
    message = reader.t(
        f"profile.problem.{found.code}", **{k: escape(v) for k, v in found.details.items()}
    )
    text = reader.t("profile.problem.title", problem=message)
    # A bad value is followed by an example of that setting; anything else by the whole line.
    setting = "organisation" if found.code == "organisation_taken" else found.setting
    example = reader.t(
        f"profile.problem.example.{setting}" if setting else "profile.problem.example"
    )
    return Reply(
        text=f"{text}\n{example}",
        blocks=[
            *notice(text).blocks,
            *notice(example).blocks,
        ],
    )


def _page_of(value: str | None) -> tuple[str, int | None]:
    """The partner id and the page a paging button's value ("PARTNER_ID:PAGE") names; page
    None for one no card of Rapport's makes (not ASCII digits, or past MAX_PAGE)."""
    partner_value, _, page_value = (value or "").partition(":")
    # ASCII digits only: str.isdigit() is true of "²" and "①" too, which int() refuses.
    readable = page_value.isascii() and page_value.isdigit() and len(page_value) <= 6
    page = int(page_value) if readable else None
    return partner_value, page if page is not None and page <= MAX_PAGE else None


def _stale_page(reader: Reader, partner: Partner) -> Reply:
    """A paging value no card made: how to page again, as the lists answer one; nothing
    changes."""
    label = escape(partner_label(partner.name, partner.organisation))
    return notice(reader.t("card.page.stale", partner=label))


def _contact(row: AnyRow) -> CardContact:
    return CardContact(row.occurred_at, row.has_time, row.medium, row.kind, row.note, row.by)
