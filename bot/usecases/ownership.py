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

Either language's words work for everyone; replies are in the asker's language. Parsing and the
decisions are pure functions over plain values; the functions that take a session work inside
the caller's transaction, and `take_over_pressed` is the one that owns its transaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.blocks.replies import Reply, button_text, database_problem, excerpt, notice, partner_label
from bot.parsing.checks import row_id
from bot.parsing.markup import MENTION, unescape
from bot.rules.clock import Clock
from bot.rules.people import SlackPerson
from bot.texts.reader import Reader, escape, reader_of
from bot.usecases.contacts import name_fits
from bot.usecases.members import asker
from storage.db import Database
from storage.models import Member, Partner
from storage.queries.members import find_member
from storage.queries.partners import (
    count_unowned_partners,
    find_partner_by_slack_user,
    hand_over_orphaned_promises,
    partner_for_update,
    partners_named,
    unowned_partners,
)
from storage.vocabulary import NAME_MAX_CHARS

log = logging.getLogger(__name__)

ACTION_TAKE_OVER = "partner_take_over"
# Slack refuses a message with more blocks than this.
MAX_BLOCKS = 50

PARTNER_WORDS = frozenset({"partner", "partners"})
OWNER_WORDS = frozenset(
    {
        "owner",
        "zuständig",
        "zustaendig",
        "zuständige",
        "zuständiger",
        "inhaber",
        "inhaberin",
        "besitzer",
        "besitzerin",
    }
)
UNOWNED_WORDS = frozenset(
    {
        "unowned",
        "ohne zuständige",
        "ohne zuständigen",
        "ohne zuständigkeit",
        "ohne zustaendige",
    }
)
_QUOTE_CHARS = "\"'“”„‘’‚»«"
_ORGANISATION = re.compile(r"(?P<name>.*?)\s*\((?P<organisation>[^()]*)\)", re.DOTALL)


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListUnowned:
    """`partners unowned`: show the partners nobody looks after."""


@dataclass(frozen=True)
class HandOver:
    """`partner NAME owner @someone`: `owner_user_id` is to look after the partner from now on."""

    name: str
    organisation: str | None
    owner_user_id: str

    @property
    def label(self) -> str:
        return partner_label(self.name, self.organisation)


@dataclass(frozen=True)
class OwnershipProblem:
    """Why an ownership request cannot be carried out; `code` picks `ownership.problem.CODE`,
    `values` fill it."""

    code: str
    values: Mapping[str, str] = field(default_factory=dict)


OwnershipRequest = ListUnowned | HandOver | OwnershipProblem


def ownership_request(text: str) -> OwnershipRequest | None:
    """What an ownership command asks for; None when the text is not one (a contact to log).

    The owner word is looked for from the end, so a partner name may contain "owner"; what
    follows it must be one mention.
    """
    parts = text.split(maxsplit=1)
    if not parts or parts[0].casefold().rstrip(":") not in PARTNER_WORDS:
        return None
    tokens = parts[1].split() if len(parts) > 1 else []
    if " ".join(tokens).casefold() in UNOWNED_WORDS:
        return ListUnowned()
    at = next(
        (
            i
            for i in reversed(range(len(tokens)))
            if tokens[i].casefold().rstrip(":") in OWNER_WORDS
        ),
        None,
    )
    if at is None:
        return None
    name, organisation = name_and_organisation(" ".join(tokens[:at]))
    mention = MENTION.fullmatch(" ".join(tokens[at + 1 :]))
    if not name or mention is None:
        return OwnershipProblem("usage")
    if not name_fits(name) or not name_fits(organisation or ""):
        return OwnershipProblem("name_too_long", {"limit": str(NAME_MAX_CHARS)})
    return HandOver(name, organisation, mention.group(1))


def owner_mention(text: str) -> str | None:
    """The user id of the new owner in `partner NAME owner @someone`, for asking Slack first."""
    request = ownership_request(text)
    return request.owner_user_id if isinstance(request, HandOver) else None


def name_and_organisation(text: str) -> tuple[str, str | None]:
    """`Acme`, `"Jens Ohlsen" (Nordwind GmbH)` or `Jens Ohlsen (Nordwind GmbH)` → name, org."""
    text = unescape(text).strip()
    organisation = None
    if match := _ORGANISATION.fullmatch(text):
        text, organisation = match["name"], _collapse(match["organisation"]) or None
    if len(text) >= 2 and text[0] in _QUOTE_CHARS and text[-1] in _QUOTE_CHARS:
        text = text[1:-1]
    return _collapse(text), organisation


def partner_id_of(value: str | None) -> int | None:
    """The partner id a Take over button carries; None when the value was tampered with."""
    return row_id(value)


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- deciding ------------------------------------------------------------------------------------


class TakeOver(StrEnum):
    """What pressing Take over does, given who owns the partner by then."""

    TAKEN = "taken"
    ALREADY_YOURS = "already_yours"
    TAKEN_BY_OTHER = "taken_by_other"


def looks_after(owner: Member | None) -> bool | None:
    """Whether a partner's owner still looks after it: an active member, not a guest; None for
    no owner."""
    return None if owner is None else owner.active and not owner.is_guest


def is_unowned(owner_id: int | None, owner_active: bool | None) -> bool:
    """Nobody is reminded about a partner without an owner, or whose owner has left."""
    return owner_id is None or not owner_active


def may_hand_over(
    *, asker_id: int, asker_is_admin: bool, owner_id: int | None, owner_active: bool | None
) -> bool:
    """The owner decides who follows them; an admin may step in; an unowned partner is anyone's
    to give, since nobody else will."""
    return asker_is_admin or owner_id == asker_id or is_unowned(owner_id, owner_active)


def take_over_outcome(presser_id: int, owner_id: int | None, owner_active: bool | None) -> TakeOver:
    if is_unowned(owner_id, owner_active):
        return TakeOver.TAKEN
    return TakeOver.ALREADY_YOURS if owner_id == presser_id else TakeOver.TAKEN_BY_OTHER


def person_problem(person: SlackPerson | None, team_id: str) -> str | None:
    """Why someone Slack told us about cannot look after a partner, or None when they can."""
    if person is None:
        return "unknown_user"
    if person.is_bot:
        return "bot"
    if person.team_id not in (None, team_id):
        return "external"
    if person.is_guest:
        return "guest"
    if person.deleted:
        return "inactive"
    return None


def rows_that_fit(total: int, fixed_blocks: int) -> int:
    """How many partner rows one message holds beside `fixed_blocks` other blocks, keeping a
    block for "…and N more" when not all fit."""
    room = MAX_BLOCKS - fixed_blocks
    return total if total <= room else room - 1


# --- writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnownedPartner:
    """A row of the unowned list."""

    id: int
    name: str
    organisation: str | None
    former_owner: str | None  # Slack user id of who looked after it before
    last_contact: datetime | None


def contact_age(reader: Reader, last_contact: datetime | None, now: datetime) -> str:
    """ "last contact 12 days ago", counted in the reader's calendar days."""
    if last_contact is None:
        return reader.t("ownership.list.no_contact")
    days = max(0, (reader.today(now) - reader.local(last_contact).date()).days)
    if days == 0:
        return reader.t("ownership.list.contact_today")
    if days == 1:
        return reader.t("ownership.list.contact_yesterday")
    return reader.t("ownership.list.contact_days", days=days)


def unowned_reply(
    reader: Reader,
    partners: Sequence[UnownedPartner],
    total: int,
    now: datetime,
    lead: str | None = None,
) -> Reply:
    """The partners nobody looks after, each with a Take over button; `lead` says what just
    happened. As many as Slack's block limit allows, then how many more there are."""
    leading: list[Block] = [SectionBlock(text=MarkdownTextObject(text=lead))] if lead else []
    lines = [lead] if lead else []
    if total == 0:
        empty = reader.t("ownership.list.empty")
        return Reply(
            text="\n".join([*lines, empty]),
            blocks=[*leading, SectionBlock(text=MarkdownTextObject(text=empty))],
        )
    title = reader.t("ownership.list.title", count=total)
    hint = reader.t("ownership.list.hint")
    blocks = [
        *leading,
        SectionBlock(text=MarkdownTextObject(text=title)),
        ContextBlock(elements=[MarkdownTextObject(text=hint)]),
    ]
    lines += [title, hint]
    shown = partners[: rows_that_fit(total, len(blocks))]
    for partner in shown:
        row = _row_text(reader, partner, now)
        lines.append(row.replace("\n", ": "))
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=row),
                accessory=ButtonElement(
                    text=button_text(reader.t("ownership.button.take_over")),
                    action_id=ACTION_TAKE_OVER,
                    value=str(partner.id),
                ),
            )
        )
    if total > len(shown):
        more = reader.t("ownership.list.more", count=total - len(shown))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
        lines.append(more)
    return Reply(text="\n".join(lines), blocks=blocks)


def _row_text(reader: Reader, partner: UnownedPartner, now: datetime) -> str:
    before = (
        reader.t("ownership.list.formerly", user=partner.former_owner)
        if partner.former_owner
        else reader.t("ownership.list.never_owned")
    )
    label = escape(partner_label(partner.name, partner.organisation))
    return f"*{label}*\n{before} · {contact_age(reader, partner.last_contact, now)}"


def refused(reader: Reader, code: str, *, with_example: bool = False, **values: str) -> Reply:
    """Why nothing changed; with the command's example when the request was misread."""
    message = reader.t(f"ownership.problem.{code}", **values)
    text = reader.t("ownership.problem.title", problem=message)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    if with_example:
        hint = reader.t("problem.example", example=reader.t("ownership.example"))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
        text = f"{text}\n{hint}"
    return Reply(text=text, blocks=blocks)


def _promises_line(reader: Reader, moved: int, owner: Member, asker: Member) -> str | None:
    if not moved:
        return None
    one = "_one" if moved == 1 else ""
    if owner.id == asker.id:
        return reader.t(f"ownership.promises_moved{one}", count=moved)
    return reader.t(f"ownership.promises_moved_to{one}", count=moved, owner=owner.slack_user_id)


# --- the use cases -------------------------------------------------------------------------------


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
    return hand_over(session, asker, reader, request, team_id=team_id, people=people)


def hand_over(
    session: Session,
    asker: Member,
    reader: Reader,
    request: HandOver,
    *,
    team_id: str,
    people: Mapping[str, SlackPerson | None],
) -> Reply | None:
    """Make the mentioned colleague the partner's owner, if the asker may and they can."""
    found = partners_named(session, asker.workspace_id, request.name, request.organisation)
    if not found:
        return refused(reader, "no_partner", with_example=True, name=escape(request.label))
    if len(found) > 1:
        return _ambiguous(reader, request, found)
    partner = partner_for_update(session, asker.workspace_id, found[0].id)
    assert partner is not None, "found in this transaction a moment ago"
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
    moved = assign(session, partner, new_owner)
    if new_owner.id == asker.id:
        done = reader.t("ownership.taken", partner=label)
    else:
        done = reader.t("ownership.transferred", owner=new_owner.slack_user_id, partner=label)
    promises = _promises_line(reader, moved, new_owner, asker)
    return notice("\n".join(line for line in (done, promises) if line))


def _ambiguous(reader: Reader, request: HandOver, found: Sequence[Partner]) -> Reply:
    choices = excerpt(", ".join(partner_label(p.name, p.organisation) for p in found), 300)
    first = next((p for p in found if p.organisation), found[0])
    example = f"/logcontact partner {partner_label(first.name, first.organisation)}"
    return refused(
        reader,
        "ambiguous",
        name=escape(request.label),
        choices=escape(choices),
        example=escape(f"{example} {reader.t('ownership.word')} @…"),
    )


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


def assign(session: Session, partner: Partner, owner: Member) -> int:
    """Make `owner` look after `partner`, with its open promises whose promiser has left;
    returns how many promises moved."""
    partner.owner = owner
    return hand_over_orphaned_promises(session, partner.workspace_id, partner.id, owner.id)


def unowned_list(
    session: Session, member: Member, reader: Reader, now: datetime, lead: str | None = None
) -> Reply:
    """The unowned partners of `member`'s workspace, by name, as many as one message holds."""
    total = count_unowned_partners(session, member.workspace_id)
    rows = unowned_partners(session, member.workspace_id, limit=MAX_BLOCKS)
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
    label = escape(partner_label(partner.name, partner.organisation))
    owner = partner.owner
    outcome = take_over_outcome(member.id, partner.owner_id, looks_after(owner))
    if outcome is TakeOver.TAKEN:
        moved = assign(session, partner, member)
        lines = [
            reader.t("ownership.taken", partner=label),
            _promises_line(reader, moved, member, member),
        ]
        lead = "\n".join(line for line in lines if line)
    elif outcome is TakeOver.ALREADY_YOURS:
        lead = reader.t("ownership.already_yours", partner=label)
    else:
        assert owner is not None
        lead = reader.t("ownership.taken_by_other", owner=owner.slack_user_id, partner=label)
    return unowned_list(session, member, reader, now, lead)


def take_over_pressed(
    db: Database, clock: Clock, team_id: str, user_id: str, value: str | None
) -> Reply:
    """The Take over button, in one transaction: whatever was decided is what gets shown."""
    reader = Reader()
    try:
        with db.transaction() as session:
            member = asker(session, team_id, user_id)
            if member is None:
                return notice(reader.t("ownership.gone"))
            reader = reader_of(member)
            return take_over(session, member, reader, partner_id_of(value), clock.now())
    except SQLAlchemyError as error:
        log.exception("database failure while taking a partner over")
        return database_problem(reader, error)
