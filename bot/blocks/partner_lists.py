"""The replies of `/rapport`: its help, and the lists of partners and promises, a page at a time.

A page holds `PAGE_SIZE` rows, one section each, under a header section with the list's
title and exact range ("21–40 of 5,000"), and the Previous/Next buttons when there is more
(and a lead line saying what happened, when there is one): at most `PAGE_SIZE + 3` blocks, far
below Slack's 50, and each row's text is a name, an organisation and a few short phrases, far
below a section's 3,000 characters. The buttons carry the list and the offset they lead to
(`bot.parsing.rapport_text.page_value`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

from babel.dates import format_skeleton
from babel.numbers import format_decimal
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks.ownership import contact_age
from bot.blocks.replies import (
    Reply,
    button_text,
    excerpt,
    health_words,
    partner_label,
    promise_words,
)
from bot.parsing.rapport_text import (
    ListRequest,
    MyPartners,
    MyPromises,
    SearchPartners,
    list_kind,
    page_value,
)
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader, babel_locale, escape

PAGE_SIZE = 20
ACTION_PAGE_NEXT = "rapport_page_next"
ACTION_PAGE_PREVIOUS = "rapport_page_previous"
# A promise's text as shown in a list row.
PROMISE_EXCERPT_CHARS = 300
# What a row or a card shows of a claimer's name, as the digest cuts it.
CLAIMER_NAME_CHARS = 80


@dataclass(frozen=True)
class ClaimOn:
    """A live claim ("I'll reach out" on a team digest) as a row, a card or the Home shows it:
    the claimer's name (None: Slack gave none), the instant it ends (aware UTC), and whether
    the reader is the claimer. While it lives the claimer gets the partner's check-in nudges
    instead of its owner, so the owner is shown who and until when."""

    name: str | None
    until: datetime
    mine: bool


@dataclass(frozen=True)
class PartnerHealth:
    """A partner's row as the asker reads it: who looks after it, the last contact, the day its
    check-in is nudged about (`check_in_on`, None without a contact; `paused` without a day
    when paused until further notice), and its open promises both ways."""

    name: str
    organisation: str | None
    owner_user_id: str | None
    # False when that owner no longer looks after it (left, or now a guest): it is unowned.
    owner_active: bool
    last_contact: datetime | None
    last_contact_by: str | None
    check_in_on: date | None
    paused: bool
    paused_until: date | None
    ours_open: int
    ours_overdue: int
    theirs_open: int
    theirs_overdue: int
    # Its states, most severe first (`bot.rules.relationships.health.health`).
    health: tuple[Health, ...]
    # Someone else said they would reach out (None: no live claim, or the owner's own).
    claim: ClaimOn | None = None


@dataclass(frozen=True)
class OpenPromise:
    """A row of the promises list."""

    text: str
    due_on: date
    promised_by: str  # "us" or "partner"
    partner_name: str
    partner_organisation: str | None


@dataclass(frozen=True)
class PageOf:
    """Where a page sits in its list: the list asked for, the first row's offset, the exact
    number of rows in the list, and how many of them are overdue (promises only)."""

    request: ListRequest
    offset: int
    total: int
    overdue: int | None = None


def rapport_help(reader: Reader, lead: str | None = None) -> Reply:
    """What `/rapport` does, with an example of each subcommand; `lead` first when given."""
    title = reader.t("rapport.help.title")
    lines = [reader.t("rapport.help.body"), reader.t("rapport.help.card")]
    body = "\n".join(lines)
    quoted = reader.t("rapport.help.quoted")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=lead))] if lead else []
    blocks += [
        HeaderBlock(text=PlainTextObject(text=title)),
        SectionBlock(text=MarkdownTextObject(text=body)),
        ContextBlock(elements=[MarkdownTextObject(text=quoted)]),
    ]
    text = "\n".join(part for part in (lead, title, body, quoted) if part)
    return Reply(text=text, blocks=blocks)


def card_usage(reader: Reader) -> Reply:
    """How partner cards and profiles are asked for."""
    line = reader.t("rapport.help.card")
    return Reply(text=line, blocks=[SectionBlock(text=MarkdownTextObject(text=line))])


def number(reader: Reader, value: int) -> str:
    """A count as the reader writes it: "5,000" in English, "5.000" in German."""
    return _number(reader.locale, value)


@lru_cache(maxsize=4096)
def _number(slack_locale: str, value: int) -> str:
    # Babel's formatting costs about 15 µs a call, and a digest or a list writes hundreds of
    # counts, nearly all small and repeated ("49 days ago", "2 open").
    return format_decimal(value, locale=babel_locale(slack_locale))


def partners_reply(
    reader: Reader,
    page: PageOf,
    rows: Sequence[PartnerHealth],
    now: datetime,
    *,
    asker_user_id: str,
    lead: str | None = None,
) -> Reply:
    """A page of partners, each with its health at a glance. The owner is named on lists of
    everyone's partners; who made the last contact, when it was not the asker."""
    mine = isinstance(page.request, MyPartners)
    lines = [_partner_row(reader, row, now, asker_user_id, show_owner=not mine) for row in rows]
    return _page_reply(reader, page, lines, lead)


def promises_reply(
    reader: Reader,
    page: PageOf,
    rows: Sequence[OpenPromise],
    now: datetime,
    lead: str | None = None,
) -> Reply:
    """A page of the asker's open promises both ways, overdue first."""
    today = reader.today(now)
    return _page_reply(reader, page, [promise_row(reader, row, today) for row in rows], lead)


def _title(reader: Reader, request: ListRequest) -> str:
    if isinstance(request, SearchPartners):
        return reader.t("rapport.list.search", text=escape(excerpt(request.text, 100)))
    return reader.t(f"rapport.list.{list_kind(request)}")


def _empty(reader: Reader, request: ListRequest) -> str:
    if isinstance(request, SearchPartners):
        return reader.t("rapport.list.empty.search", text=escape(excerpt(request.text, 100)))
    return reader.t(f"rapport.list.empty.{list_kind(request)}")


def _page_reply(reader: Reader, page: PageOf, rows: list[str], lead: str | None) -> Reply:
    """Header, rows and buttons; the plain text says all of it too."""
    leading: list[Block] = [SectionBlock(text=MarkdownTextObject(text=lead))] if lead else []
    title = f"*{_title(reader, page.request)}*"
    if not rows:
        empty = _empty(reader, page.request)
        text = "\n".join(part for part in (lead, title, empty) if part)
        return Reply(
            text=text,
            blocks=[*leading, SectionBlock(text=MarkdownTextObject(text=f"{title}\n{empty}"))],
        )
    header = f"{title} · {_span(reader, page, len(rows))}"
    if page.overdue:
        overdue = reader.t("rapport.list.overdue_count", count=number(reader, page.overdue))
        header = f"{header} · {overdue}"
    blocks: list[Block] = [*leading, SectionBlock(text=MarkdownTextObject(text=header))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=row)) for row in rows]
    buttons = _buttons(reader, page, len(rows))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    text = "\n".join([*([lead] if lead else []), header, *(r.replace("\n", " · ") for r in rows)])
    return Reply(text=text, blocks=blocks)


def _span(reader: Reader, page: PageOf, shown: int) -> str:
    """Where the page sits ("21–40 of 5,000"); a plain count ("1 partner", "3 open
    promises") when the whole list is on this one page."""
    if page.offset == 0 and shown >= page.total:
        noun = "promises" if isinstance(page.request, MyPromises) else "partners"
        key = f"rapport.list.count.{noun}" + ("_one" if page.total == 1 else "")
        return reader.t(key, count=number(reader, page.total))
    return reader.t(
        "rapport.list.range",
        first=number(reader, page.offset + 1),
        last=number(reader, page.offset + shown),
        total=number(reader, page.total),
    )


def _buttons(reader: Reader, page: PageOf, shown: int) -> list[ButtonElement]:
    found = []
    if page.offset > 0:
        found.append(
            ButtonElement(
                text=button_text(reader.t("rapport.button.previous")),
                action_id=ACTION_PAGE_PREVIOUS,
                value=page_value(page.request, max(0, page.offset - PAGE_SIZE)),
            )
        )
    if page.offset + shown < page.total:
        found.append(
            ButtonElement(
                text=button_text(reader.t("rapport.button.next")),
                action_id=ACTION_PAGE_NEXT,
                value=page_value(page.request, page.offset + shown),
            )
        )
    return found


def _partner_row(
    reader: Reader, row: PartnerHealth, now: datetime, asker_user_id: str, *, show_owner: bool
) -> str:
    """`*Acme (Org)* · :red_circle: neglected` then, on one line: owner, last contact,
    check-in, promises."""
    parts = []
    if show_owner:
        parts.append(owner_words(reader, row.owner_user_id, row.owner_active))
    contact = contact_age(reader, row.last_contact, now)
    if row.last_contact_by and row.last_contact_by != asker_user_id:
        contact = reader.t(
            "rapport.row.contact_by", contact=contact, user=f"<@{row.last_contact_by}>"
        )
    parts += [contact, _check_in(reader, row, reader.today(now)), promise_counts(reader, row)]
    if row.claim is not None:
        parts.append(claim_words(reader, row.claim, "claim.row"))
    label = escape(partner_label(row.name, row.organisation))
    return f"*{label}* · {health_words(reader, row.health)}\n" + " · ".join(parts)


def owner_words(reader: Reader, owner_user_id: str | None, owner_active: bool) -> str:
    """Who looks after the partner; an owner who left or became a guest is named as the one
    it had, never as looking after it (its health says "unowned")."""
    if not owner_user_id:
        return reader.t("rapport.row.no_owner")
    user = f"<@{owner_user_id}>"
    if not owner_active:
        return reader.t("rapport.row.owner_gone", user=user)
    return reader.t("rapport.row.owner", user=user)


def _check_in(reader: Reader, row: PartnerHealth, today: date) -> str:
    if row.paused:
        if row.paused_until is None:
            return reader.t("rapport.row.paused")
        return reader.t("rapport.row.paused_until", day=reader.day(row.paused_until))
    if row.check_in_on is None:
        return reader.t("rapport.row.no_check_in")
    if row.paused_until is not None and row.paused_until == row.check_in_on > today:
        return reader.t("rapport.row.paused_until", day=reader.day(row.paused_until))
    if row.check_in_on < today:
        return reader.t("rapport.row.check_in_overdue", day=reader.day(row.check_in_on))
    if row.check_in_on == today:
        return reader.t("rapport.row.check_in_today")
    return reader.t("rapport.row.check_in_due", day=reader.day(row.check_in_on))


class PromiseCounts(Protocol):
    """A partner's open promises both ways, and how many of each are overdue."""

    @property
    def ours_open(self) -> int: ...
    @property
    def ours_overdue(self) -> int: ...
    @property
    def theirs_open(self) -> int: ...
    @property
    def theirs_overdue(self) -> int: ...


def promise_counts(reader: Reader, row: PromiseCounts) -> str:
    """ "we promised 2 (1 overdue), they promised 1", as a list row and a digest say it."""
    if not row.ours_open and not row.theirs_open:
        return reader.t("rapport.row.no_promises")
    parts = []
    for key, count, overdue in (
        ("rapport.row.ours", row.ours_open, row.ours_overdue),
        ("rapport.row.theirs", row.theirs_open, row.theirs_overdue),
    ):
        if count:
            part = reader.t(key, count=number(reader, count))
            if overdue:
                part += " " + reader.t("rapport.row.overdue", count=number(reader, overdue))
            parts.append(part)
    return ", ".join(parts)


def promise_row(reader: Reader, row: OpenPromise, today: date) -> str:
    """One open promise as the promises list and the Home show it: a sentence saying who owes
    it to whom ("You promised *Acme*: …", "*Acme* promised us: …"; in German with its subject
    too), its words, and when it is due."""
    label = escape(partner_label(row.partner_name, row.partner_organisation))
    said = promise_words(reader, row.text, PROMISE_EXCERPT_CHARS)
    key = "rapport.promise.ours" if row.promised_by == "us" else "rapport.promise.theirs"
    if row.due_on < today:
        due = reader.t("rapport.promise.overdue", day=reader.day(row.due_on))
    elif row.due_on == today:
        due = reader.t("rapport.promise.due_today")
    else:
        due = reader.t("rapport.promise.due", day=reader.day(row.due_on))
    return f"{reader.t(key, partner=label, text=said)}\n{due}"


def claim_words(reader: Reader, claim: ClaimOn, key: str) -> str:
    """ "@Bob Miller is on it until Mon, Dec 14" in the words of `key` ("claim.row" for a row,
    "claim.card" for a card; `_mine` added when the reader is the claimer). The claimer is named
    as plain, escaped text, never a mention: the digest names them so too, and a mention pings.
    The day is the reader's local day of the claim's end, written as the digest writes it."""
    day = claim_day(reader, claim.until)
    if claim.mine:
        return reader.t(f"{key}_mine", day=day)
    name = escape(excerpt(claim.name, CLAIMER_NAME_CHARS)) if claim.name else None
    user = "@" + (name or reader.t("digest.message.no_name"))
    return reader.t(key, user=user, day=day)


def claim_day(reader: Reader, until: datetime) -> str:
    """The reader's local day a claim ends, short, as the digest writes it: "Wed, Dec 9",
    "Mi., 9. Dez."."""
    return format_skeleton("MMMEd", reader.local(until).date(), locale=babel_locale(reader.locale))
