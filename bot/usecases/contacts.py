"""Logging a contact: from understood input to stored rows, in one transaction.

Text commands, the modal and the message shortcut all end here, as a `ContactInput`. Functions
take the session and the clock's `now` and raise `Refusal` with a text key when the input cannot
be accepted; the caller's transaction then rolls back, so nothing is half-written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, overload

from sqlalchemy.orm import Session

from bot.blocks.replies import LOAD_NAMED_MAX, partner_label
from bot.parsing.checks import display_name, forbidden_character, name_character, name_fits
from bot.parsing.contact_text import ContactDraft, ambiguous_partner
from bot.parsing.promise_text import moved_due
from bot.rules.people import SlackPerson
from bot.rules.relationships.contact_balance import (
    ABOUT_A_PROBLEM,
    THEY_STARTED,
    Contact,
    OverContact,
    contacts_we_started,
    over_contact,
    query_since,
    threshold_of,
    window_start,
)
from bot.rules.zones import zone
from bot.usecases import edit_history
from bot.usecases.partners.reliability import counts_as_missed, keep_missed, move_due
from storage.models import Interaction, Member, Partner, Promise
from storage.queries.common import AnyRow
from storage.queries.contacts import (
    add_promise,
    find_interaction,
    insert_contact,
    insert_contact_and_promise,
    load_since,
    promises_of,
    started_since,
)
from storage.queries.health.contact_times import (
    hold_times,
    note_new_contact,
    refresh_contact_times,
    times_with_contact,
)
from storage.queries.members import AnyMember
from storage.queries.partners import (
    NO_CANDIDATES,
    Candidates,
    KnownPartner,
    add_partner,
    find_partner,
    find_partner_by_slack_user,
    held_known,
    partner_has_history,
    partner_held,
    partner_with_keys,
    partners_named_from,
    similar_partners,
    write_contact_times,
)
from storage.vocabulary import EDITS_KEPT, NAME_MAX_CHARS, NOTE_MAX_CHARS

# Tries at creating a partner whose row another request both created and removed meanwhile.
CREATE_ATTEMPTS = 3
DATE_ONLY_HOUR = 12


class Refusal(Exception):
    """Input Rapport will not store; `key` names the text that explains it to the user."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class PartnerGone(Refusal):
    """The partner a contact was to be written for was forgotten (or merged away) since it
    was read: "no longer in this workspace's list; nothing changed"."""

    def __init__(self) -> None:
        super().__init__("card.gone")


@dataclass(frozen=True)
class NewPartner:
    name: str
    organisation: str | None = None
    slack: SlackPerson | None = None


@dataclass(frozen=True)
class ContactInput:
    """A contact as understood, from whichever surface it came."""

    medium: str | None
    kind: str
    direction: str
    on: date
    at: time | None
    note: str
    promise: str | None = None
    due: date | None = None
    promised_by: str = "us"  # one of PROMISED_BY: ours, or the partner's promise to us


@dataclass(frozen=True)
class LoggedContact:
    """A contact as `record` wrote it: its id and the columns written, no entity (building one
    cost more than its INSERT)."""

    id: int
    workspace_id: int
    partner_id: int
    member_id: int
    occurred_at: datetime
    has_time: bool
    medium: str | None
    kind: str
    direction: str
    note: str
    source: str
    created_partner: bool
    created_at: datetime
    before_edit: None


@dataclass(frozen=True)
class LoggedPromise:
    """The promise `record` wrote with a contact, as its summary shows it."""

    text: str
    due_on: date
    promised_by: str


@dataclass
class Logged:
    """What a summary shows: the contact (an entity when changed, as written when new), its
    partner and promise."""

    interaction: Interaction | LoggedContact
    partner: Partner | KnownPartner
    promise: Promise | LoggedPromise | None
    created_partner: bool
    suggestions: list[Partner] = field(default_factory=list)
    # The token of the edit the summary's Undo takes back; None: Undo removes the contact.
    edit_token: str | None = None
    # Set when this contact made the contacts we started with the partner a lot (only when it
    # is first logged: an edit or an undo says nothing of it again).
    over_contact: OverContact[AnyRow] | None = None
    # Set when the partner chosen for the contact had no organisation and was given the one
    # the text typed: the summary says so, since the partner's card changed too.
    organisation_set: bool = False


def occurred_at(on: date, at: time | None, tz: str) -> tuple[datetime, bool]:
    """The UTC instant of a contact and whether its time of day is known.

    A date alone is stored as noon in the logger's zone: noon keeps the same calendar date for
    readers in any zone within ±11 hours, where midnight would slip to the day before.
    """
    local = datetime.combine(on, at or time(DATE_ONLY_HOUR), tzinfo=zone(tz))
    return local.astimezone(UTC), at is not None


def check_name(name: str | None) -> None:
    """Refuse a name no partner may have: too long, or holding a character that turns how text
    reads (`name_character`), whichever way it came in."""
    if name and not name_fits(name):
        raise Refusal("problem.name_too_long", length=len(name), limit=NAME_MAX_CHARS)
    if (found := name_character(name)) is not None:
        position, char = found
        raise Refusal("problem.name_character", char=char, position=position)


@overload
def partner_by_name(
    session: Session,
    workspace_id: int,
    owner: AnyMember,
    new: NewPartner,
    now: datetime,
    candidates: None = None,
) -> tuple[Partner, bool]: ...


@overload
def partner_by_name(
    session: Session,
    workspace_id: int,
    owner: AnyMember,
    new: NewPartner,
    now: datetime,
    candidates: Candidates,
) -> tuple[Partner | KnownPartner, bool]: ...


def partner_by_name(
    session: Session,
    workspace_id: int,
    owner: AnyMember,
    new: NewPartner,
    now: datetime,
    candidates: Candidates | None = None,
) -> tuple[Partner | KnownPartner, bool]:
    """The partner with this name (and organisation, when given), created when there is none,
    and whether this call created it: `existing_partner`, then `create_partner` on a miss.

    `candidates`, rows of the partners whose names start like this one
    (`candidates_for`), spare a query: the one named is returned as its row holds it
    (`KnownPartner`), which `record` writes a contact for without the ORM.
    """
    new = as_stored(new)
    found = existing_partner(session, workspace_id, new, candidates)
    if found is not None:
        return found, False
    for _ in range(CREATE_ATTEMPTS):
        created = create_partner(session, workspace_id, owner, new, now)
        if created is not None:
            return created, True
        # Another request created it since this one looked: theirs is the partner, and Undo
        # on their contact, not on this one, may remove it.
        existing = partner_with_keys(session, workspace_id, new.name, new.organisation)
        if existing is not None:
            return existing, False
    raise RuntimeError("a partner kept appearing and vanishing while it was being created")


def as_stored(new: NewPartner) -> NewPartner:
    """`new` with its name and organisation as they are stored: composed, without pasted-along
    invisible characters, however they came in; `Refusal` for a name no partner may have."""
    check_name(new.name)
    check_name(new.organisation)
    return replace(
        new,
        name=display_name(new.name),
        organisation=display_name(new.organisation) if new.organisation else new.organisation,
    )


def existing_partner(
    session: Session,
    workspace_id: int,
    new: NewPartner,
    candidates: Candidates | None = None,
) -> Partner | KnownPartner | None:
    """The existing partner `new` (`as_stored`) names, None when there is none: its row as
    `candidates` hold it (`KnownPartner`) when they surely hold every partner of that name
    (`named_among`), else the entity a query finds (`partners_named_from`). Read only, so it
    may run before the write lock is taken. `Refusal` when the name alone fits several (one
    per organisation), listing them."""
    matches = partners_named_from(
        session, workspace_id, candidates or NO_CANDIDATES, new.name, new.organisation
    )
    if len(matches) > 1:
        labels = (f"{p.name} ({p.organisation})" if p.organisation else p.name for p in matches)
        code, values = ambiguous_partner(new.name, labels)
        raise Refusal(f"problem.{code}", **values)
    if not matches:
        return None
    found = matches[0]
    return found if isinstance(found, Partner) else KnownPartner.of(found)


def partner_for_person(
    session: Session,
    workspace_id: int,
    owner: AnyMember,
    person: SlackPerson,
    organisation: str | None,
    now: datetime,
) -> tuple[Partner, bool]:
    """The partner behind an external Slack user, created on first mention.

    A partner logged by name before, with the same name and organisation but no Slack account,
    is not taken for them unasked: it may be someone else of that name.
    """
    check_name(organisation)
    existing = find_partner_by_slack_user(session, workspace_id, person.user_id)
    if existing is not None:
        return existing, False
    new = NewPartner(name=person.name, organisation=organisation, slack=person)
    for _ in range(CREATE_ATTEMPTS):
        created = create_partner(session, workspace_id, owner, new, now)
        if created is not None:
            return created, True
        existing = find_partner_by_slack_user(session, workspace_id, person.user_id)
        if existing is not None:
            return existing, False  # created by a request that came at the same moment
        if partner_with_keys(session, workspace_id, person.name, organisation):
            raise Refusal("problem.name_taken", name=person.name, user=person.user_id)
    raise RuntimeError("a partner kept appearing and vanishing while it was being created")


def create_partner(
    session: Session, workspace_id: int, owner: AnyMember, new: NewPartner, now: datetime
) -> Partner | None:
    """The new partner; None when a partner with its name and organisation, or its Slack
    user, exists already (created meanwhile by another request, or another of that name)."""
    slack = new.slack
    return add_partner(
        session,
        workspace_id,
        name=new.name,
        organisation=new.organisation,
        owner_id=owner.id,
        now=now,
        slack_user_id=slack.user_id if slack else None,
        slack_team_id=slack.team_id if slack else None,
        tz=slack.tz if slack else None,
        tz_source="slack" if slack and slack.tz else None,
        # Just read from Slack: the daily refresh asks again a day from now.
        profile_refreshed_at=now if slack else None,
        email=slack.email if slack else None,
    )


def record(
    session: Session,
    member: AnyMember,
    partner: Partner | KnownPartner,
    contact: ContactInput,
    *,
    created_partner: bool,
    source: str,
    now: datetime,
    suggest: bool = True,
    read_before: bool = False,
) -> Logged:
    """Store a new contact, and its promise when it has one; with a new partner, the existing
    ones it may have been meant as (`suggest`: unless that was asked already). `read_before`:
    a `KnownPartner` was read in an earlier transaction, and its row is read again.

    The rows go in by prebuilt INSERTs, and the summary reads them as written (`LoggedContact`,
    `LoggedPromise`). A partner found by its typed name (`KnownPartner`, the common case) is
    written for without an entity: its moved times by one UPDATE (`_note_for_known`); an entity
    moves its own, flushed with the transaction."""
    check_contact(contact, today=local_today(member, now), now=local_time(member, now))
    when, has_time = occurred_at(contact.on, contact.at, member.tz)
    if isinstance(partner, KnownPartner):
        partner = _note_for_known(session, partner, when, contact.kind, read_before)
    else:
        if not hold_times(session, partner):
            raise PartnerGone
        note_new_contact(partner, when, contact.kind)
    values: dict[str, Any] = {
        "workspace_id": member.workspace_id,
        "partner_id": partner.id,
        "member_id": member.id,
        "occurred_at": when,
        "has_time": has_time,
        "medium": contact.medium,
        "kind": contact.kind,
        "direction": contact.direction,
        "note": contact.note,
        "source": source,
        "created_partner": created_partner,
        "created_at": now,
        "before_edit": None,
    }
    promise = None
    if contact.promise and contact.due:
        # A new promise: nothing moved, nothing missed, its text as understood (`_write`
        # does the same for a contact edited to have one, and more).
        promise = LoggedPromise(
            text=contact.promise, due_on=contact.due, promised_by=contact.promised_by
        )
        promised = {
            "workspace_id": member.workspace_id,
            "partner_id": partner.id,
            "member_id": member.id,
            "text": promise.text,
            "due_on": promise.due_on,
            "status": "open",
            "created_at": now,
            "resolved_at": None,
            "drop_reason": None,
            "promised_by": promise.promised_by,
            "missed_on": None,
        }
        contact_id = insert_contact_and_promise(session, values, promised)
    else:
        contact_id = insert_contact(session, values)
    interaction = LoggedContact(id=contact_id, **values)
    suggestions = []
    if created_partner and suggest:
        suggestions = similar_partners(
            session, member.workspace_id, partner.name, exclude_id=partner.id
        )
    logged = Logged(interaction, partner, promise, created_partner, suggestions)
    logged.over_contact = contact_load(session, member, partner, interaction, now)
    return logged


def _note_for_known(
    session: Session, partner: KnownPartner, when: datetime, kind: str, read_before: bool
) -> KnownPartner:
    """Move a known partner's contact times to count a contact at `when` of `kind`, as
    `note_new_contact` moves an entity's, from its row as this transaction holds it
    (`held_known`); one UPDATE when they moved, none when they did not. `PartnerGone` when
    the partner was forgotten (or merged away) since it was found."""
    held = held_known(session, partner, read_before=read_before)
    if held is None:
        raise PartnerGone
    times = times_with_contact(held, when, kind)
    if any(getattr(held, column) != value for column, value in times.items()):
        write_contact_times(session, held.workspace_id, held.id, times)
    return replace(held, **times)


def contact_load(
    session: Session,
    member: AnyMember,
    partner: Partner | KnownPartner,
    interaction: Contact,
    now: datetime,
) -> OverContact[AnyRow] | None:
    """Whether the contact just logged makes the contacts we started with `partner` a lot
    (`bot.rules.relationships.contact_balance.over_contact`), counted by day in the logger's
    zone, as the partner card counts them for its reader. Nothing is read when it cannot: the
    partner's line is turned off, or the contact does not count itself (one the partner
    started, about a problem, or from before the window).

    The line shows a count and names `LOAD_NAMED_MAX` of the others, so the database counts
    and returns only the newest few (`started_since`): the cost stays the same however often
    the partner was contacted. In a zone where the window's first instant does not bound its
    days exactly (`window_from`), every contact since is read and the rule counts them."""
    tz = zone(member.tz)
    today = local_today(member, now)
    threshold = threshold_of(partner.max_contacts)
    if threshold is None or not contacts_we_started([interaction], today, tz):
        return None
    since = window_from(today, member.tz)
    if since is None:
        rows = load_since(session, member.workspace_id, partner.id, query_since(today, tz))
        return over_contact(interaction.id, rows, today, tz, partner.max_contacts)
    count, newest = started_since(
        session,
        member.workspace_id,
        partner.id,
        since,
        not_direction=THEY_STARTED,
        not_kind=ABOUT_A_PROBLEM,
        newest=LOAD_NAMED_MAX + 1,  # the new contact may be among them
    )
    if count < threshold:
        return None
    others = tuple(row for row in newest if row.id != interaction.id)[:LOAD_NAMED_MAX]
    return OverContact(count, threshold, others)


@lru_cache(maxsize=1024)
def window_from(today: date, tz: str | None) -> datetime | None:
    """The first instant of the over-contact window ending `today` in the zone `tz`: a contact
    is in the window exactly when it happened at that instant or later, as long as the local
    day never goes back after it. It goes back only where clocks are set back across a
    midnight just after the window's first one; None there (the caller then reads every
    contact and lets the rule date each). Cached: it changes once a day per zone."""
    zone_info = zone(tz)
    first = window_start(today)
    start = datetime.combine(first, time(0), tzinfo=zone_info).astimezone(UTC)
    for minutes in range(0, _BACKWARD_SHIFT_MINUTES + 1, 15):
        if (start + timedelta(minutes=minutes)).astimezone(zone_info).date() < first:
            return None
    return start


# How far back any zone sets its clocks at once, with room to spare (1 hour is usual).
_BACKWARD_SHIFT_MINUTES = 180


def _hold(session: Session, member: Member, partner: Partner) -> None:
    """Keep the partner a contact is written for until the transaction ends; `Refusal` when it
    was forgotten since it was found (its erasure and this write raced), instead of a write the
    database refuses."""
    if not partner_held(session, member.workspace_id, partner.id):
        raise PartnerGone


def _write(
    session: Session,
    member: Member,
    interaction: Interaction,
    partner: Partner,
    contact: ContactInput,
    promise: Promise | None,
    now: datetime,
) -> Promise | None:
    """Make `interaction` say what `contact` says, and its promise (`promise`, the one it has, or
    None) likewise: added, changed, or removed. Returns the promise it has now."""
    interaction.partner = partner
    interaction.occurred_at, interaction.has_time = occurred_at(contact.on, contact.at, member.tz)
    interaction.medium = contact.medium
    interaction.kind = contact.kind
    interaction.direction = contact.direction
    interaction.note = contact.note
    today = local_today(member, now)
    if (
        promise is not None
        and _retires(contact, promise)
        and counts_as_missed(promise, member.tz, today)
    ):
        # Cleared or made the partner's after it was missed: still a miss of ours.
        keep_missed(promise, member.tz, now)
        promise = None
    if not (contact.promise and contact.due):
        if promise is not None:
            session.delete(promise)
        session.flush()
        return None
    if promise is None:
        promise = add_promise(
            session,
            interaction,
            text=contact.promise,
            due_on=contact.due,
            promised_by=contact.promised_by,
            now=now,
        )
    # A move after the due day had passed stays a missed day for the reliability figure.
    move_due(promise, contact.due, member.tz, today)
    # A date Rapport wrote into the text for the due day follows the day when it moves.
    promise.text, promise.due_on, promise.promised_by = (
        moved_due(contact.promise, promise.due_on, contact.due),
        contact.due,
        contact.promised_by,
    )
    promise.partner_id = partner.id
    session.flush()
    return promise


def _retires(contact: ContactInput, promise: Promise) -> bool:
    """Whether the edit takes `promise` away from its promiser: the contact has no promise any
    more, or the promise is now the partner's."""
    return not (contact.promise and contact.due) or contact.promised_by != promise.promised_by


def check_contact(contact: ContactInput, *, today: date, now: time | None = None) -> None:
    """The rules every surface shares; the text parser checks the same earlier, with context.
    `today` and `now` are the member's local date and time of day: a time later than `now`
    today is as much in the future as tomorrow is."""
    if len(contact.note) > NOTE_MAX_CHARS:
        raise Refusal("problem.note_too_long", length=len(contact.note), limit=NOTE_MAX_CHARS)
    if contact.promise is not None and len(contact.promise) > NOTE_MAX_CHARS:
        raise Refusal("problem.promise_too_long", length=len(contact.promise), limit=NOTE_MAX_CHARS)
    for text in (contact.note, contact.promise):
        found = forbidden_character(text)
        if found is not None:
            raise Refusal("problem.control_character", position=found[0], char=found[1])
    if contact.on > today:
        raise Refusal("problem.when_in_future", on=contact.on)
    if contact.on == today and contact.at is not None and now is not None and contact.at > now:
        raise Refusal("problem.when_later_today", at=contact.at)
    if contact.promise is not None and contact.due is not None and contact.due < today:
        raise Refusal("problem.promise_due_in_past", due=contact.due, phrase=contact.due)


def local_today(member: AnyMember, now: datetime) -> date:
    return now.astimezone(zone(member.tz)).date()


def local_time(member: AnyMember, now: datetime) -> time:
    """The member's wall-clock time of day, without its zone (as a contact's `at` is stored)."""
    return now.astimezone(zone(member.tz)).time()


def own_interaction(session: Session, member: Member, interaction_id: int) -> Interaction:
    """The member's own logged contact, locked for the change about to be made; someone
    else's, or one undone already (a moment ago, by a press racing this one), is refused."""
    interaction = find_interaction(session, member.workspace_id, interaction_id, for_update=True)
    if interaction is None:
        raise Refusal("undo.gone")
    if interaction.member_id != member.id:
        raise Refusal("undo.not_yours")
    return interaction


def undo(session: Session, member: Member, interaction_id: int, now: datetime) -> tuple[str, bool]:
    """Remove a logged contact, its promise, and its partner if logging it created one.

    Returns the partner's label (its name with its organisation, as the summary showed it:
    the name alone may be several partners') and whether the partner went too. A partner
    that has gained other history since is kept: Undo takes back one action, never more. A
    promise that counts as missed by `now` stays, dropped late (`keep_missed`), and keeps its
    partner with it.
    """
    _hold_partners_of(session, member, interaction_id)
    interaction = own_interaction(session, member, interaction_id)
    partner = interaction.partner
    remove_partner = interaction.created_partner
    today = local_today(member, now)
    for promise in promises_of(session, member.workspace_id, interaction.id):
        if counts_as_missed(promise, member.tz, today):
            keep_missed(promise, member.tz, now)
    session.flush()  # detached before the contact goes, or the database's cascade takes it
    session.delete(interaction)
    session.flush()
    label = partner_label(partner.name, partner.organisation)
    if remove_partner and not partner_has_history(session, member.workspace_id, partner.id):
        session.delete(partner)
        return label, True
    refresh_contact_times(session, [partner.id])
    return label, False


def move(
    session: Session, member: Member, interaction_id: int, partner_id: int, now: datetime
) -> Logged:
    """Answer "did you mean": move the contact to an existing partner, drop the new one.

    The reply logging it gave counted it for the new partner, who had no other contact: the
    one for the move counts it where it now belongs (`contact_load`)."""
    _hold_partners_of(session, member, interaction_id, partner_id)
    interaction = own_interaction(session, member, interaction_id)
    target = find_partner(session, member.workspace_id, partner_id)
    if target is None:
        raise Refusal("modal.error.partner_gone")
    mistaken = interaction.partner
    promises = promises_of(session, member.workspace_id, interaction.id)
    interaction.partner = target
    for promise in promises:
        promise.partner_id = target.id
    was_created = interaction.created_partner
    interaction.created_partner = False
    session.flush()
    if (
        was_created
        and mistaken.id != target.id
        and not partner_has_history(session, member.workspace_id, mistaken.id)
    ):
        session.delete(mistaken)
    refresh_contact_times(session, [mistaken.id, target.id])
    logged = Logged(interaction, target, promises[0] if promises else None, False)
    logged.over_contact = contact_load(session, member, target, interaction, now)
    return logged


def update(
    session: Session,
    member: Member,
    interaction_id: int,
    partner: Partner,
    contact: ContactInput,
    now: datetime,
    *,
    created_partner: bool = False,
) -> Logged:
    """Apply an edit from the modal to a logged contact and its promise, keeping what they
    were before (`edit_history`) for the Undo on the summary. `created_partner`: the edit's
    form created `partner` (a new name typed), which undoing the edit removes again."""
    # Both partners before the contact, as Undo and Forget take them: an edit that locked
    # the contact first and an Undo that held its partner first waited for each other.
    _hold_partners_of(session, member, interaction_id, partner.id)
    interaction = own_interaction(session, member, interaction_id)
    check_contact(contact, today=local_today(member, now), now=local_time(member, now))
    _hold(session, member, partner)
    promises = promises_of(session, member.workspace_id, interaction.id)
    before = edit_history.state_of(interaction, promises[0] if promises else None)
    had_partner_id = interaction.partner_id
    promise = _write(
        session, member, interaction, partner, contact, promises[0] if promises else None, now
    )
    token = edit_history.remember(interaction, before, partner.id if created_partner else None)
    refresh_contact_times(session, [had_partner_id, partner.id])
    return Logged(interaction, partner, promise, created_partner=False, edit_token=token)


def undo_edit(
    session: Session, member: Member, interaction_id: int, token: str, now: datetime
) -> tuple[Logged, str | None]:
    """Put a contact back as it was before the edit `token` names (and any edit after it):
    partner, medium, kind, direction, when, note, and its promise's words, due day and who
    promised. A promise the edit removed comes back as it was; one it added goes.

    Returns the contact as it is now and the label of a partner the edit had created and that
    is removed again (nothing else refers to it), or None. Raises `Refusal("undo.edit_done")`
    when the edit is not kept (undone already, or older than the last `EDITS_KEPT`) and
    `Refusal("undo.edit_partner_gone")` when the partner it had before is no longer there."""
    _hold_partner_before(session, member, interaction_id, token)
    interaction = own_interaction(session, member, interaction_id)
    taken = edit_history.take(interaction, token)
    if taken is None:
        raise Refusal("undo.edit_done", kept=EDITS_KEPT)
    entry, undone = taken
    state = entry.state
    partner_id = int(state["partner_id"])
    partner = find_partner(session, member.workspace_id, partner_id)
    if partner is None or not partner_held(session, member.workspace_id, partner_id):
        raise Refusal("undo.edit_partner_gone")
    had_partner_id = interaction.partner_id
    interaction.partner = partner
    interaction.occurred_at = edit_history.instant(state["occurred_at"])
    interaction.has_time = bool(state["has_time"])
    interaction.medium, interaction.kind = state["medium"], state["kind"]
    interaction.direction, interaction.note = state["direction"], state["note"]
    session.flush()  # the partner id, which a promise written again takes from the contact
    promises = promises_of(session, member.workspace_id, interaction.id)
    promise = _restore_promise(
        session, interaction, promises[0] if promises else None, state["promise"]
    )
    session.flush()
    removed = None
    created = {e.created_partner for e in undone if e.created_partner is not None}
    for partner_id in sorted(created - {partner.id}):
        made = find_partner(session, member.workspace_id, partner_id)
        if made is not None and not partner_has_history(session, member.workspace_id, made.id):
            removed = partner_label(made.name, made.organisation)
            session.delete(made)
    refresh_contact_times(session, [had_partner_id, partner.id])
    logged = Logged(
        interaction,
        partner,
        promise,
        created_partner=False,
        edit_token=edit_history.latest_token(interaction),
    )
    return logged, removed


def _hold_partners_of(session: Session, member: Member, interaction_id: int, *others: int) -> None:
    """Hold the partner of the contact about to be changed (and `others`), in id order, before
    locking the contact: its times are recomputed under the partner's lock, which a Forget
    takes before the contacts. Read without a lock; the caller locks the contact next."""
    peek = find_interaction(session, member.workspace_id, interaction_id)
    held = {*others, *([peek.partner_id] if peek is not None else [])}
    for partner_id in sorted(held):
        partner_held(session, member.workspace_id, partner_id)


def _hold_partner_before(session: Session, member: Member, interaction_id: int, token: str) -> None:
    """Hold the partner an Undo puts the contact back on before locking the contact: a Forget
    of that partner locks the partner first and then the contacts that remember it, so taking
    them in the other order let the two wait for each other (PostgreSQL ended one with a
    deadlock). Read without a lock; `undo_edit` reads the contact again once it holds it."""
    peek = find_interaction(session, member.workspace_id, interaction_id)
    if peek is None:
        return
    # The partner it has now too (its times are recomputed), all in id order, as Undo does.
    held = {peek.partner_id}
    for entry in edit_history.entries(peek):
        if entry.token == token and isinstance(entry.state.get("partner_id"), int):
            held.add(entry.state["partner_id"])
    for partner_id in sorted(held):
        partner_held(session, member.workspace_id, partner_id)


def _restore_promise(
    session: Session,
    interaction: Interaction,
    promise: Promise | None,
    before: dict[str, object] | None,
) -> Promise | None:
    """The contact's promise as `before` says (None: it had none). One that is there keeps
    its row (and its nudges) and gets its words, due day and promiser back; one the edit
    removed is written again as it was, status included."""
    if before is None:
        if promise is not None:
            session.delete(promise)
        return None
    due_on = edit_history.day(str(before["due_on"]))
    kept = _kept_missed(session, interaction, before.get("id"))
    if kept is not None:
        # The edit kept the promise as missed and detached: the same row comes back, its miss
        # with it, rather than a copy that would count the miss twice.
        if promise is not None:
            session.delete(promise)
        promise = kept
        promise.interaction = interaction
        resolved = before.get("resolved_at")
        promise.status = str(before["status"])
        promise.resolved_at = edit_history.instant(resolved) if isinstance(resolved, str) else None
    if promise is None:
        promise = add_promise(
            session,
            interaction,
            text=str(before["text"]),
            due_on=due_on,
            promised_by=str(before["promised_by"]),
            now=edit_history.instant(str(before["created_at"])),
        )
        resolved = before.get("resolved_at")
        promise.status = str(before["status"])
        promise.resolved_at = edit_history.instant(resolved) if isinstance(resolved, str) else None
        reason = before.get("drop_reason")
        promise.drop_reason = reason if isinstance(reason, str) else None
    promise.text, promise.due_on = str(before["text"]), due_on
    promise.promised_by = str(before["promised_by"])
    promise.partner_id = interaction.partner_id
    return promise


def _kept_missed(session: Session, interaction: Interaction, promise_id: object) -> Promise | None:
    """The promise `promise_id` when an edit of `interaction` kept it as missed (detached from
    any contact, the same promiser's, in the same workspace); None otherwise."""
    if not isinstance(promise_id, int):
        return None
    found = session.get(Promise, promise_id)
    if (
        found is None
        or found.interaction_id is not None
        or found.workspace_id != interaction.workspace_id
        or found.member_id != interaction.member_id
    ):
        return None
    return found


def contact_of(draft: ContactDraft) -> ContactInput:
    """The one way a contact as understood (from text, or from the form through
    `ContactForm.draft`) becomes what is stored."""
    promise = draft.promise
    return ContactInput(
        medium=draft.medium,
        kind=draft.kind,
        direction=draft.direction,
        on=draft.when.on,
        at=draft.when.at,
        note=draft.note,
        promise=promise.text if promise else None,
        due=promise.due if promise else None,
        promised_by=promise.promised_by if promise else "us",
    )
