"""A partner's card (`/rapport partner NAME`) and the pages of its older contacts.

Built from plain values (`PartnerCard`, `CardContact`, `CardPromise`): who the partner is, how
to reach them and when, the last ten contacts, and the open promises both ways, with the card's
buttons. A card takes about twenty blocks whatever the partner's history: contacts come ten to
a page, promises five a side with a count of the rest, so it stays within Slack's 50. Each of
their promises to us is a section of its own with a menu to mark it received or drop it.

Everything people typed (names, notes, promise texts, e-mail) is escaped for mrkdwn here; notes
are cut to `NOTE_CHARS` on one line.

Also the question before a partner is forgotten (`forget_question`): what will be erased, a
danger-styled "Forget NAME" button and Cancel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.blocks.partner_lists import ClaimOn, claim_words
from bot.blocks.replies import (
    Reply,
    button_text,
    excerpt,
    health_words,
    partner_label,
    promise_words,
)
from bot.blocks.settings import days_label, region_label
from bot.parsing.checks import row_id
from bot.parsing.promise_text import names_only_a_day
from bot.rules.public_holidays import OFF, holiday_name, region_of
from bot.rules.relationships.health import Health
from bot.rules.relationships.reliability import RELIABILITY_DAYS, Reliability
from bot.rules.working_hours import clock_label, outside_profile_hours
from bot.rules.zones import zone
from bot.texts.reader import Reader, babel_locale, escape
from storage.vocabulary import (
    CONTACT_WINDOW_DAYS,
    DEFAULT_WORK_DAYS,
    DEFAULT_WORK_END,
    DEFAULT_WORK_START,
)

CONTACTS_PER_PAGE = 10
PROMISES_PER_SIDE = 5
# A page of All promises: ten sections (theirs with a menu each), two side headers, the title
# and the buttons, within Slack's 50 blocks.
PROMISES_PER_PAGE = 10
NOTE_CHARS = 200
PROMISE_CHARS = 150

ACTION_LOG = "partner_card_log"
ACTION_EDIT = "partner_card_edit"
ACTION_HAND_OVER = "partner_card_hand_over"
ACTION_PAUSE = "partner_card_pause"
ACTION_RESUME = "partner_card_resume"
ACTION_PAGE = "partner_card_page"
ACTION_SHOW = "partner_card_show"
# A partner named near an unknown one ("Did you mean …?"): one button each, which opens that
# partner's card; "partner_card_near_<id>", since a message's buttons need ids of their own.
ACTION_SHOW_NEAR = "partner_card_near"
# All promises: the partner's open promises both ways, ten a page (`promises_page`), offered
# where the card shows only the first PROMISES_PER_SIDE of a side.
ACTION_PROMISES = "partner_card_promises"
# A menu on each of their open promises: Received, Drop (`card_options` below). A menu rather
# than an overflow (⋯), so that it says what it is for.
ACTION_THEIR_PROMISE = "partner_card_their_promise"
ACTIONS = (
    ACTION_LOG,
    ACTION_EDIT,
    ACTION_HAND_OVER,
    ACTION_PAUSE,
    ACTION_RESUME,
    ACTION_PAGE,
    ACTION_SHOW,
    ACTION_THEIR_PROMISE,
    ACTION_PROMISES,
)


@dataclass(frozen=True)
class CardContact:
    """One contact as the card lists it; `by` is the Slack id of who logged it."""

    occurred_at: datetime
    has_time: bool
    medium: str | None
    kind: str
    note: str
    by: str


@dataclass(frozen=True)
class CardPromise:
    """An open promise; `by` is who promised (ours) or who logged it (theirs). `id` is the
    promise's row, which their promises' menus name (None where no menu is shown)."""

    text: str
    due_on: date
    by: str
    id: int | None = None
    promised_by: str = "us"  # "us" or "partner" (storage's PROMISED_BY)


@dataclass(frozen=True)
class PartnerCard:
    """What a card shows of a partner. Unset profile values are None; `business_days` None
    means the default (Monday to Friday), as nudges read it. `next_check_in` is the day the
    check-in is nudged about (`bot.rules.nudges.check_in_day`), None before any contact."""

    id: int
    name: str
    organisation: str | None
    # The Slack id of who looks after it; None when nobody does (never had an owner, or the
    # owner left or is now a guest: then `former_owner` names them, as the lists do).
    owner: str | None
    slack_user_id: str | None
    email: str | None
    tz: str | None
    tz_typed: bool
    business_start_minute: int | None
    business_end_minute: int | None
    business_days: str | None
    preferred_channel: str | None
    language: str | None
    cadence_days: int
    status: str
    paused_until: date | None
    next_check_in: date | None
    contacts: tuple[CardContact, ...]
    contacts_total: int
    ours: tuple[CardPromise, ...]
    ours_total: int
    theirs: tuple[CardPromise, ...]
    theirs_total: int
    # As stored: None (the country of `tz`), "none", or a region code ("DE-BY").
    public_holidays: str | None = None
    # Contacts we started in the last CONTACT_WINDOW_DAYS days by the reader's day (as the
    # over-contact line counts them), and the count from which that line appears (None: off).
    started_recently: int = 0
    contact_threshold: int | None = None
    # The profile's own setting: None unset (the default), 0 off (`partners.max_contacts`).
    max_contacts: int | None = None
    # Its health, most severe first (`bot.rules.relationships.health`); empty: not read, and
    # the card says nothing of it.
    health: tuple[Health, ...] = ()
    # The reader's own reliability figure for this partner (their promises to it that fell
    # due in the window), never anyone else's; None when none did, and the card says nothing.
    mine: Reliability | None = None
    # The Slack id of an owner who no longer looks after it (left, or now a guest).
    former_owner: str | None = None
    # A colleague's live claim ("I'll reach out" on a digest): they get its check-in nudges.
    claim: ClaimOn | None = None

    @property
    def label(self) -> str:
        return partner_label(self.name, self.organisation)

    def paused(self, today: date) -> bool:
        """Paused until someone resumes it, or until a day still ahead."""
        return self.status == "paused" or (
            self.paused_until is not None and self.paused_until > today
        )


def partner_card(
    reader: Reader, card: PartnerCard, now: datetime, lead: str | None = None
) -> Reply:
    """The card, led by what just happened (`lead`, mrkdwn already escaped) if anything."""
    label = escape(card.label)
    today = reader.today(now)
    blocks: list[Block] = []
    if lead:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=lead)))
    fields = _fields(reader, card, now)
    title = reader.t("card.title", partner=label)
    health = reader.t("health.card", states=health_words(reader, card.health))
    if card.health:
        title = f"{title}\n{health}"
    claim = claim_words(reader, card.claim, "claim.card") if card.claim else None
    if claim:
        title = f"{title}\n{claim}"
    blocks.append(
        SectionBlock(
            text=MarkdownTextObject(text=title),
            fields=[MarkdownTextObject(text=f"*{name}*\n{value}") for name, value in fields[:10]],
        )
    )
    if fields[10:]:
        blocks.append(
            SectionBlock(
                fields=[
                    MarkdownTextObject(text=f"*{name}*\n{value}") for name, value in fields[10:]
                ]
            )
        )
    shown = len(card.contacts)
    if card.contacts_total and shown >= card.contacts_total:
        # All of them on the card: a count, not "3 of 3".
        title = reader.t("card.contacts.all", total=_count(reader, card.contacts_total))
    elif card.contacts_total:
        title = reader.t(
            "card.contacts.title",
            shown=_count(reader, shown),
            total=_count(reader, card.contacts_total),
        )
    else:
        title = reader.t("card.contacts.none")
    blocks.append(SectionBlock(text=MarkdownTextObject(text=title)))
    blocks += [_contact_block(reader, contact, now) for contact in card.contacts]
    if card.ours_total:
        text = _promises_text(reader, "card.promises.ours", card.ours, card.ours_total, today)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    if card.mine is not None:
        line = _reliability_line(reader, label, card.mine)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=line)]))
    if card.theirs_total:
        blocks += _their_promises(reader, card, today)
    blocks.append(_card_actions(reader, card, today))
    status = _status(reader, card, today)
    fallback = reader.t("card.fallback", partner=label, owner=_owner(reader, card), status=status)
    if card.health:
        fallback = f"{fallback}\n{health}"
    if claim:
        fallback = f"{fallback}\n{claim}"
    return Reply(text=f"{lead}\n{fallback}" if lead else fallback, blocks=blocks)


def contacts_page(
    reader: Reader,
    card: PartnerCard,
    contacts: list[CardContact],
    page: int,
    now: datetime,
) -> Reply:
    """Page `page` (0 is the card's own ten) of the partner's contacts, latest first, with
    exact positions ("11–20 of 2,000") and buttons to newer and older pages and the card."""
    label = escape(card.label)
    first = page * CONTACTS_PER_PAGE + 1
    last = first + len(contacts) - 1
    total = _count(reader, card.contacts_total)
    if contacts and page == 0 and len(contacts) >= card.contacts_total:
        # All of them on this page (fewer since the button was made): a count, not "1–8 of 8".
        title = reader.t("card.page.all", partner=label, total=total)
    elif contacts:
        title = reader.t(
            "card.page.title",
            partner=label,
            first=_count(reader, first),
            last=_count(reader, last),
            total=total,
        )
    else:
        title = reader.t("card.page.empty", partner=label, total=total)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=title))]
    blocks += [_contact_block(reader, contact, now) for contact in contacts]
    buttons = []
    if page > 0:
        buttons.append(_button(reader, "card.button.newer", ACTION_PAGE, f"{card.id}:{page - 1}"))
    if page * CONTACTS_PER_PAGE + CONTACTS_PER_PAGE < card.contacts_total:
        buttons.append(_button(reader, "card.button.older", ACTION_PAGE, f"{card.id}:{page + 1}"))
    buttons.append(_button(reader, "card.button.back", ACTION_SHOW, str(card.id)))
    blocks.append(ActionsBlock(block_id="partner_card_pages", elements=buttons))
    lines = [title] + [_contact_line(reader, c, now) for c in contacts]
    return Reply(text="\n".join(lines), blocks=blocks)


def promises_page(
    reader: Reader,
    card: PartnerCard,
    promises: list[CardPromise],
    page: int,
    now: datetime,
) -> Reply:
    """Page `page` of the partner's open promises both ways (All promises): ours first, then
    theirs, each side soonest due first, under the side's title; theirs with the card's menu
    (Received, Drop). Exact positions ("11–20 of 24"), or the count when all fit on one page,
    and buttons to the previous and next pages and back to the card."""
    label = escape(card.label)
    today = reader.today(now)
    total = card.ours_total + card.theirs_total
    first = page * PROMISES_PER_PAGE + 1
    last = first + len(promises) - 1
    if not promises:
        title = reader.t("card.promises.page.empty", partner=label, total=_count(reader, total))
    elif page == 0 and len(promises) >= total:
        title = reader.t("card.promises.page.all", partner=label, total=_count(reader, total))
    else:
        title = reader.t(
            "card.promises.page.title",
            partner=label,
            first=_count(reader, first),
            last=_count(reader, last),
            total=_count(reader, total),
        )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=title))]
    lines = [title]
    side = None
    for promise in promises:
        if promise.promised_by != side:
            side = promise.promised_by
            key, count = (
                ("card.promises.ours", card.ours_total)
                if side == "us"
                else ("card.promises.theirs", card.theirs_total)
            )
            heading = reader.t(key, count=_count(reader, count))
            blocks.append(SectionBlock(text=MarkdownTextObject(text=heading)))
            lines.append(heading)
        line = _promise_line(reader, promise, today)
        menu = (
            StaticSelectElement(
                action_id=ACTION_THEIR_PROMISE,
                placeholder=reader.t("card.their_promise.menu"),
                options=card_options(reader, card.id, promise.id),
            )
            if promise.promised_by == "partner" and promise.id is not None
            else None
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=menu))
        lines.append(line)
    buttons = []
    if page > 0:
        buttons.append(
            _button(
                reader, "card.button.promises_previous", ACTION_PROMISES, f"{card.id}:{page - 1}"
            )
        )
    if (page + 1) * PROMISES_PER_PAGE < total:
        buttons.append(
            _button(reader, "card.button.promises_next", ACTION_PROMISES, f"{card.id}:{page + 1}")
        )
    buttons.append(_button(reader, "card.button.back", ACTION_SHOW, str(card.id)))
    blocks.append(ActionsBlock(block_id="partner_card_promises", elements=buttons))
    return Reply(text="\n".join(lines), blocks=blocks)


# --- parts ---------------------------------------------------------------------------------------


def _fields(reader: Reader, card: PartnerCard, now: datetime) -> list[tuple[str, str]]:
    unset = reader.t("card.unset")
    today = reader.today(now)
    return [
        (reader.t("card.field.organisation"), escape(card.organisation or "") or unset),
        (reader.t("card.field.owner"), _owner(reader, card)),
        (
            reader.t("card.field.slack"),
            f"<@{card.slack_user_id}>" if card.slack_user_id else reader.t("card.not_in_slack"),
        ),
        (reader.t("card.field.zone"), _zone_text(reader, card, now)),
        (reader.t("card.field.hours"), hours_text(reader, card)),
        (reader.t("card.field.public_holidays"), public_holidays_text(reader, card)),
        (
            reader.t("card.field.channel"),
            reader.t(f"channel.{card.preferred_channel}") if card.preferred_channel else unset,
        ),
        (
            reader.t("card.field.language"),
            reader.t(f"card.language.{card.language}") if card.language else unset,
        ),
        (
            reader.t("card.field.cadence"),
            reader.t("card.cadence", days=_count(reader, card.cadence_days)),
        ),
        (
            reader.t("card.field.contact_load", days=CONTACT_WINDOW_DAYS),
            reader.t("card.contact_load", count=card.started_recently, threshold=threshold)
            if (threshold := card.contact_threshold) is not None
            else reader.t("card.contact_load_off", count=card.started_recently),
        ),
        (reader.t("card.field.status"), _status(reader, card, today)),
        (reader.t("card.field.next_check_in"), _next_check_in(reader, card, today)),
        (reader.t("card.field.email"), escape(card.email or "") or unset),
    ]


def _owner(reader: Reader, card: PartnerCard) -> str:
    """Who looks after the partner; an owner who left or became a guest is named as the one it
    had, never as looking after it, as the lists and the digest say ("unowned")."""
    if card.owner:
        return f"<@{card.owner}>"
    if card.former_owner:
        return reader.t("card.owner_gone", user=f"<@{card.former_owner}>")
    return reader.t("card.nobody")


def _zone_text(reader: Reader, card: PartnerCard, now: datetime) -> str:
    """ "Asia/Tokyo, 18:00 there now", and whether that is outside their business hours."""
    if not card.tz:
        return reader.t("card.zone_unknown")
    local = now.astimezone(zone(card.tz))
    locale = babel_locale(reader.locale)
    shown = format_time(local, format="short", locale=locale)
    if local.date() != now.astimezone(reader.zone).date():
        # Already tomorrow (or still yesterday) there: the time alone would read as today's.
        shown = f"{format_date(local, 'EEE', locale=locale)} {shown}"
    # "(set by hand)" says where the zone came from, so it stands by the zone, not by the time
    # (two brackets in a row read as one remark about the hour).
    tz = escape(card.tz) + (" " + reader.t("card.zone_typed") if card.tz_typed else "")
    text = reader.t("card.zone", tz=tz, time=shown)
    holiday = holiday_name(region_of(card.public_holidays, card.tz), local.date(), reader.lang)
    if holiday is not None:
        text += " " + reader.t("card.public_holiday_today", name=escape(holiday))
    elif outside_profile_hours(now, card):
        # As nudges and the after-hours hint judge it: hours not set are 09:00 to 18:00.
        text += " " + reader.t("nudge.after_hours")
    return text


def public_holidays_text(reader: Reader, card: PartnerCard) -> str:
    """ "DE-BY (Germany), set by hand", "JP (Japan), from their time zone", none (the zone's
    country has no holidays the library knows, or the zone names no country), or that they
    follow the zone once it is known."""
    if card.public_holidays == OFF:
        return reader.t("card.public_holidays.off")
    region = region_of(card.public_holidays, card.tz)
    if region is None and not card.tz:
        # Nothing says "no country" yet: the zone is simply not known (cleared, or Slack not
        # asked yet), and the holidays will follow it once it is.
        return reader.t("card.public_holidays.zone_unknown")
    if region is None:
        return reader.t("card.public_holidays.no_country")
    key = "card.public_holidays.typed" if card.public_holidays else "card.public_holidays.zone"
    return reader.t(key, region=region_label(region, reader.lang))


def hours_text(reader: Reader, card: PartnerCard) -> str:
    """ "Mon–Fri, 09:00–18:00", saying so when those are the default because none are set."""
    days = days_label(card.business_days or DEFAULT_WORK_DAYS, reader.lang)
    if card.business_start_minute is None or card.business_end_minute is None:
        return reader.t(
            "card.hours_unset",
            days=days,
            start=clock_label(DEFAULT_WORK_START),
            end=clock_label(DEFAULT_WORK_END),
        )
    return reader.t(
        "card.hours",
        days=days,
        start=clock_label(card.business_start_minute),
        end=clock_label(card.business_end_minute),
    )


def _status(reader: Reader, card: PartnerCard, today: date) -> str:
    if card.status == "paused":
        return reader.t("card.status.paused")
    if card.paused_until is not None and card.paused_until > today:
        return reader.t("card.status.paused_until", day=reader.day(card.paused_until))
    return reader.t("card.status.active")


def _next_check_in(reader: Reader, card: PartnerCard, today: date) -> str:
    if card.status == "paused":
        return reader.t("card.next_check_in.paused")
    if card.next_check_in is None:
        return reader.t("card.next_check_in.none")
    if card.next_check_in < today:
        return reader.t("card.next_check_in.due", day=reader.day(card.next_check_in))
    return reader.day(card.next_check_in)


def _contact_line(reader: Reader, contact: CardContact, now: datetime) -> str:
    line = reader.t(
        "card.contact.line",
        when=reader.when(contact.occurred_at, has_time=contact.has_time, now=now),
        medium=reader.t(f"medium.{contact.medium or 'none'}"),
        kind=reader.t(f"kind.{contact.kind}"),
        by=contact.by,
    )
    note = " ".join(contact.note.split())
    return f"{line}\n>{escape(excerpt(note, NOTE_CHARS))}" if note else line


def _contact_block(reader: Reader, contact: CardContact, now: datetime) -> Block:
    return SectionBlock(text=MarkdownTextObject(text=_contact_line(reader, contact, now)))


def _promises_text(
    reader: Reader, key: str, promises: tuple[CardPromise, ...], total: int, today: date
) -> str:
    lines = [reader.t(key, count=_count(reader, total))]
    lines += [_promise_line(reader, promise, today) for promise in promises]
    if total > len(promises):
        lines.append(reader.t("card.promises.more", count=_count(reader, total - len(promises))))
    return "\n".join(lines)


def _their_promises(reader: Reader, card: PartnerCard, today: date) -> list[Block]:
    """Their open promises, one section each with a menu (Received, Drop): at most
    PROMISES_PER_SIDE sections, the rest counted below them."""
    title = reader.t("card.promises.theirs", count=_count(reader, card.theirs_total))
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=title))]
    for promise in card.theirs:
        line = _promise_line(reader, promise, today)
        menu = (
            StaticSelectElement(
                action_id=ACTION_THEIR_PROMISE,
                placeholder=reader.t("card.their_promise.menu"),
                options=card_options(reader, card.id, promise.id),
            )
            if promise.id is not None
            else None
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=menu))
    rest = card.theirs_total - len(card.theirs)
    if rest > 0:
        more = reader.t("card.promises.more", count=_count(reader, rest))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def _promise_line(reader: Reader, promise: CardPromise, today: date) -> str:
    return reader.t(
        "card.promise.overdue" if promise.due_on < today else "card.promise.line",
        text=promise_words(reader, promise.text, PROMISE_CHARS),
        day=reader.day(promise.due_on),
        by=promise.by,
    )


def _reliability_line(reader: Reader, label: str, mine: Reliability) -> str:
    """ "Your promises to Acme: 3 of 4 kept on time (last 90 days)"; `label` escaped."""
    return reader.t(
        "card.reliability",
        partner=label,
        kept=_count(reader, mine.kept),
        due=_count(reader, mine.due),
        days=_count(reader, RELIABILITY_DAYS),
    )


def _card_actions(reader: Reader, card: PartnerCard, today: date) -> ActionsBlock:
    value = str(card.id)
    buttons = [
        _button(reader, "card.button.log", ACTION_LOG, value, primary=True),
        _button(reader, "card.button.edit", ACTION_EDIT, value),
        _button(reader, "card.button.hand_over", ACTION_HAND_OVER, value),
        (
            _button(reader, "card.button.resume", ACTION_RESUME, value)
            if card.paused(today)
            else _button(reader, "card.button.pause", ACTION_PAUSE, value)
        ),
    ]
    if card.contacts_total > CONTACTS_PER_PAGE:
        buttons.append(_button(reader, "card.button.older", ACTION_PAGE, f"{card.id}:1"))
    if _promises_cut(card):
        buttons.append(_button(reader, "card.button.promises", ACTION_PROMISES, f"{card.id}:0"))
    return ActionsBlock(block_id="partner_card_actions", elements=buttons)


def _promises_cut(card: PartnerCard) -> bool:
    """Whether the card leaves out some open promises (it shows PROMISES_PER_SIDE a side)."""
    return card.ours_total > len(card.ours) or card.theirs_total > len(card.theirs)


def _button(
    reader: Reader, key: str, action_id: str, value: str, *, primary: bool = False
) -> ButtonElement:
    return ButtonElement(
        text=reader.t(key),
        action_id=action_id,
        value=value,
        style="primary" if primary else None,
    )


def _count(reader: Reader, number: int) -> str:
    """A count as the reader writes numbers ("2,000", "2.000")."""
    return format_decimal(number, locale=babel_locale(reader.locale))


# --- Received / Drop on a promise the partner made to us -----------------------------------------
#
# The card offers them in a menu on each of their promises, the nudge DM in one menu
# per item (`bot.blocks.nudge_dm`). A choice's value names what was chosen, the partner and the
# promise: `received:12:345` or `drop:12:345` (Slack allows 150 characters). The value is only a
# request: the use case looks the promise up in the presser's workspace, as the partner's, and
# still open, before anything changes.

RECEIVED = "received"
DROP = "drop"
# What each choice makes of the promise's status (storage.vocabulary.PROMISE_STATUSES): a
# promise the partner kept is one we received.
STATUS_FOR = {RECEIVED: "kept", DROP: "dropped"}
# Slack's limit for an option's label (plain text).
OPTION_LABEL_CHARS = 75


@dataclass(frozen=True)
class TheirPromiseChoice:
    """A choice as a press sent it: what, on which partner's promise."""

    choice: str
    partner_id: int
    promise_id: int

    @property
    def status(self) -> str:
        return STATUS_FOR[self.choice]


def choice_value(choice: str, partner_id: int, promise_id: int) -> str:
    return f"{choice}:{partner_id}:{promise_id}"


def parse_choice(value: str | None) -> TheirPromiseChoice | None:
    """The choice a value names; None for anything a menu of Rapport's never sends."""
    parts = (value or "").split(":")
    if len(parts) != 3 or parts[0] not in STATUS_FOR:
        return None
    partner_id, promise_id = row_id(parts[1]), row_id(parts[2])
    if partner_id is None or promise_id is None:
        return None
    return TheirPromiseChoice(parts[0], partner_id, promise_id)


def card_options(reader: Reader, partner_id: int, promise_id: int) -> list[Option]:
    """The card's menu on one of their promises: Received, Drop."""
    return [
        Option(
            value=choice_value(choice, partner_id, promise_id),
            text=reader.t(f"card.their_promise.{choice}"),
        )
        for choice in (RECEIVED, DROP)
    ]


def dm_options(reader: Reader, partner_id: int, promise_id: int, text: str) -> list[Option]:
    """The nudge DM's options for one of their promises, each naming it, since one menu
    lists all the item shows ("Received: the signed contract")."""
    return [
        Option(
            value=choice_value(choice, partner_id, promise_id),
            text=_label(reader, f"nudge.their_promise.{choice}", text),
        )
        for choice in (RECEIVED, DROP)
    ]


def _label(reader: Reader, key: str, text: str) -> str:
    """The option's label within Slack's 75 characters, the promise's words cut to fit."""
    room = OPTION_LABEL_CHARS - len(reader.t(key, text=""))
    # Labels are plain text: mrkdwn escapes would show as typed, so the words are taken raw.
    words = reader.t("promise.untitled") if names_only_a_day(text) else " ".join(text.split())
    if len(words) > room:
        words = words[: max(room - 1, 1)].rstrip() + "…"
    return reader.t(key, text=words)


# --- the question before a partner is forgotten (`/rapport forget NAME`) -----------------------

ACTION_FORGET = "registry_forget"
ACTION_FORGET_CANCEL = "registry_forget_cancel"


@dataclass(frozen=True)
class ForgetQuestion:
    """What the question shows: the partner as labelled, what forgetting erases (counts), how
    long the question holds (minutes), and the value its buttons carry."""

    label: str
    contacts: int
    promises: int
    pending_nudges: int
    minutes: int
    value: str


def forget_question(reader: Reader, question: ForgetQuestion) -> Reply:
    """The confirmation: the question, the counts, the warning, and the two buttons."""
    label = escape(question.label)
    title = reader.t("registry.forget.confirm", partner=label)
    counts = reader.t(
        "registry.forget.counts",
        contacts=question.contacts,
        promises=question.promises,
        nudges=question.pending_nudges,
    )
    warning = reader.t("registry.forget.warning", minutes=question.minutes)
    forget = reader.t("registry.forget.button", partner=question.label)
    return _confirmation(
        reader,
        [f"{title}\n{counts}"],
        warning,
        (forget, ACTION_FORGET, "danger"),
        ACTION_FORGET_CANCEL,
        question.value,
    )


def _confirmation(
    reader: Reader,
    sections: list[str],
    warning: str,
    confirm: tuple[str, str, str],
    cancel_action: str,
    value: str,
) -> Reply:
    """A question before a change that cannot be undone: its sections (mrkdwn), the warning in
    small print, and two buttons carrying `value`: `confirm` (label, action id, style) and
    Cancel."""
    label, action_id, style = confirm
    buttons = [
        ButtonElement(text=button_text(label), action_id=action_id, value=value, style=style),
        ButtonElement(
            text=reader.t("registry.forget.cancel"), action_id=cancel_action, value=value
        ),
    ]
    return Reply(
        text="\n".join([*sections, warning]),
        blocks=[
            *(SectionBlock(text=MarkdownTextObject(text=section)) for section in sections),
            ContextBlock(elements=[MarkdownTextObject(text=warning)]),
            ActionsBlock(block_id=action_id, elements=buttons),
        ],
    )


# --- the question before a merge (`/rapport merge NAME into OTHER`) ------------------------------

ACTION_MERGE = "registry_merge"
ACTION_MERGE_CANCEL = "registry_merge_cancel"


@dataclass(frozen=True)
class MergeQuestion:
    """What the question shows: the partner that goes and the one that remains (as labelled),
    what moves (counts), the profile fields the remaining one takes from the other (names as
    the reader writes them), how long the question holds (minutes), and the value its buttons
    carry."""

    label: str
    into_label: str
    contacts: int
    promises: int
    pending_nudges: int
    taken: tuple[str, ...]
    minutes: int
    value: str


def merge_question(reader: Reader, question: MergeQuestion) -> Reply:
    """The confirmation: what moves where, what the remaining partner keeps, the two buttons."""
    label, into = escape(question.label), escape(question.into_label)
    title = reader.t("registry.merge.confirm", partner=label, into=into)
    counts = reader.t(
        "registry.forget.counts",
        contacts=question.contacts,
        promises=question.promises,
        nudges=question.pending_nudges,
    )
    kept = reader.t("registry.merge.kept", partner=label, into=into)
    if question.taken:
        kept += " " + reader.t(
            "registry.merge.taken", partner=label, fields=", ".join(question.taken)
        )
    warning = reader.t("registry.merge.warning", partner=label, into=into, minutes=question.minutes)
    merge = reader.t("registry.merge.button", into=question.into_label)
    return _confirmation(
        reader,
        [f"{title}\n{counts}", kept],
        warning,
        (merge, ACTION_MERGE, "primary"),
        ACTION_MERGE_CANCEL,
        question.value,
    )


def near_partners_reply(text: str, partners: Sequence[tuple[int, str]]) -> Reply:
    """`text` (mrkdwn, escaped by the caller: "… Did you mean …?") and a button for each
    partner (id, label) a name that found none may have meant, opening that partner's card in
    one click instead of a command typed again."""
    buttons = ActionsBlock(
        block_id="near_partners",
        elements=[
            ButtonElement(
                text=button_text(label),
                action_id=f"{ACTION_SHOW_NEAR}_{partner_id}",
                value=str(partner_id),
            )
            for partner_id, label in partners
        ],
    )
    return Reply(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text)), buttons])
