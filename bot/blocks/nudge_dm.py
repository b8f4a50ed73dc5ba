"""The nudge DM: everything due for one person today, in one message, in their language.

Each item carries what is needed to act without looking anything up: the partner and their local
time, how they like to be reached, the last contact and its note, the promises still open either
way (ours to them, theirs to us), and why the item is due. Under each item sit its one-click
answers; once answered, the item shows what was done and by whom instead.

The same builder renders the DM when it is sent and every time an answer updates it, from current
data, with slack_sdk's Block Kit models so Slack's limits are checked here rather than discovered in
production. The plain-text fallback, which notifications show, says what the blocks say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from babel.dates import format_time, format_timedelta
from babel.numbers import format_decimal
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from bot.blocks.budget import TEXT_BUDGET, text_chars, within_budget
from bot.blocks.partner_card import dm_options
from bot.blocks.replies import Reply, excerpt, partner_label, promise_words
from bot.parsing.checks import row_id
from bot.parsing.promise_text import names_only_a_day
from bot.rules.nudges import PromisePhase, promise_phase
from bot.rules.public_holidays import holiday_name, region_of
from bot.rules.working_hours import outside_profile_hours
from bot.rules.zones import zone
from bot.texts.reader import Reader, babel_locale, escape
from storage.vocabulary import ONE_SIDED_DAYS

# A message holds 50 blocks. An item takes two (its text and its answers); the title, two
# headings and the closing count take four, which leaves room for this many items.
MAX_ITEMS = 23
# Hand-overs are told of first, one block each under their heading; more wait for the next DM.
MAX_HAND_OVERS = 10
NOTE_EXCERPT_CHARS = 150
PROMISES_SHOWN = 3

# The DM's message metadata names its bundle: how a DM is found in history and kept on update.
METADATA_EVENT = "rapport_nudge"
ACTION_CHECK_IN = "nudge_check_in"
ACTION_SNOOZE = "nudge_snooze"
ACTION_PAUSE = "nudge_pause"
ACTION_KEPT = "nudge_kept"
ACTION_MORE_TIME = "nudge_more_time"
ACTION_DROP = "nudge_drop"
# Offered on an answered item to whoever answered it, until the end of their working day.
ACTION_UNDO = "nudge_undo"
# A menu on an item whose partner has open promises to us: Received or Drop for each one shown.
ACTION_THEIR_PROMISE = "nudge_their_promise"
# Opens the partner's card as a new message below the DM, which stays as it is.
ACTION_SHOW_CARD = "nudge_show_card"
SNOOZE_WEEK = "week"
SNOOZE_MONTH = "month"
# A block id names the DM and the item, so a press days later still knows what it is about.
BLOCK_PREFIX = "nudge"
# Bundle ids are UUIDs (36 characters); a longer one, or one nobody could type, is not looked up.
_BUNDLE_ID = re.compile(r"[!-~]{1,36}")


def nudge_metadata(bundle_id: str) -> dict[str, object]:
    """The metadata a nudge DM is posted with, and sent again on every update to keep it."""
    return {"event_type": METADATA_EVENT, "event_payload": {"bundle": bundle_id}}


def item_block_id(bundle_id: str, kind: str, subject_id: int) -> str:
    return f"{BLOCK_PREFIX}|{bundle_id}|{kind}|{subject_id}"


def parse_item_block_id(block_id: str | None) -> tuple[str, str, int] | None:
    """(bundle id, kind, subject id) from an item's block id; None when it is not one."""
    parts = (block_id or "").split("|")
    if len(parts) != 4 or parts[0] != BLOCK_PREFIX or parts[2] not in ("check_in", "promise"):
        return None
    subject_id = row_id(parts[3])
    if subject_id is None or _BUNDLE_ID.fullmatch(parts[1]) is None:
        return None
    return parts[1], parts[2], subject_id


@dataclass(frozen=True)
class OneSidedLine:
    """A partner whose contacts with a direction all went one way
    (`bot.rules.relationships.contact_balance`): `direction` "gave" or "received", `count` of
    them in the window. `label` as typed."""

    label: str
    direction: str
    count: int


@dataclass(frozen=True)
class AfterHoursFigure:
    """How often last week the reader reached one partner or person outside their hours
    (`bot.rules.after_hours.week`). `label` as typed for a partner, as Slack names a person
    without a partner profile; None for people of other organisations Rapport has no name for,
    `people` of them."""

    label: str | None
    count: int
    people: int = 1


@dataclass(frozen=True)
class LastContact:
    at: datetime
    has_time: bool
    medium: str | None
    by: str  # the Slack user id of whoever logged it
    note: str


@dataclass(frozen=True)
class OpenPromise:
    id: int
    text: str
    due_on: date
    by_partner: bool = False  # the partner promised it to us, rather than we to them


@dataclass(frozen=True)
class PartnerContext:
    """What the reader needs to know about a partner before getting in touch."""

    id: int
    name: str
    organisation: str | None
    tz: str | None = None
    preferred_channel: str | None = None
    language: str | None = None
    business_start_minute: int | None = None
    business_end_minute: int | None = None
    business_days: str | None = None
    # As stored: None (the country of `tz`), "none", or a region code ("DE-BY").
    public_holidays: str | None = None
    last_contact: LastContact | None = None
    open_promises: tuple[OpenPromise, ...] = ()

    @property
    def label(self) -> str:
        return partner_label(self.name, self.organisation)


@dataclass(frozen=True)
class Answer:
    """What was done with an item from the DM, by whom (a Slack user id) and when."""

    kind: str
    by: str | None
    at: datetime
    until: date | None = None
    reason: str | None = None
    # Whether the reader may still undo it: they gave it here, and their working day is not over.
    undo: bool = False


@dataclass(frozen=True)
class ClaimedFor:
    """The reader said "I'll reach out" for a colleague's partner on a team digest (a claim):
    while it lives, the partner's check-ins come to them. `owner` is the owner's Slack user id,
    None for a partner nobody looks after."""

    owner: str | None


@dataclass(frozen=True)
class CheckInItem:
    partner: PartnerContext
    cadence_days: int
    last_check_in: datetime | None
    first_contact: datetime
    answer: Answer | None = None
    # Set when the reader is nudged about someone else's partner (their claim).
    claimed_for: ClaimedFor | None = None
    # The first day one of the item's nudges was for: an item left out of a full DM waited
    # since then, and goes before those newly due. None: as newly due as any.
    since: date | None = None

    kind = "check_in"

    @property
    def subject_id(self) -> int:
        return self.partner.id


@dataclass(frozen=True)
class PromiseItem:
    id: int
    text: str
    due_on: date
    partner: PartnerContext
    answer: Answer | None = None
    # As `CheckInItem.since`.
    since: date | None = None

    kind = "promise"

    @property
    def subject_id(self) -> int:
        return self.id


@dataclass(frozen=True)
class HandOverItem:
    """A hand-over told of: who moved the partner (Slack user ids; None for a member row that is
    gone) and the card's summary as it is now.

    `kind` is "handed_over" (the partner is now the reader's) or "handed_away" (the reader's
    partner was moved to `handed_to` by someone else).
    """

    kind: str
    partner: PartnerContext
    actor: str | None
    handed_to: str | None
    next_check_in: date | None
    paused: bool

    @property
    def subject_id(self) -> int:
        return self.partner.id


@dataclass(frozen=True)
class NudgeDm:
    """A rendered DM, and which items it shows (the rest wait for another day's DM)."""

    reply: Reply
    # The items shown with their buttons.
    shown: list[CheckInItem | PromiseItem] = field(default_factory=list)
    # Everything not shown with buttons: kept for the next DM, where it goes first.
    left_out: list[CheckInItem | PromiseItem | HandOverItem] = field(default_factory=list)
    # Of `left_out`, the items still listed here, one compact line each, without buttons.
    listed: list[CheckInItem | PromiseItem] = field(default_factory=list)


def nudge_dm(
    reader: Reader,
    bundle_id: str,
    check_ins: list[CheckInItem],
    promises: list[PromiseItem],
    now: datetime,
    *,
    problems: dict[tuple[str, int], str] | None = None,
    collisions: Sequence[str] = (),
    hand_overs: Sequence[HandOverItem] = (),
    one_sided: Sequence[OneSidedLine] = (),
    after_hours: Sequence[AfterHoursFigure] = (),
) -> NudgeDm:
    """The DM for `reader`; `problems` adds a warning under an item (a date that cannot be used),
    `collisions` a line naming the reader's partners that now share a name with another (as
    typed, unescaped), `hand_overs` the hand-overs to tell of, `one_sided` a line per partner
    whose contacts all went one way, `after_hours` last week's after-hours figures (the
    reader's own, said in one line; the line takes an item's room, so the DM stays within
    Slack's 50 blocks).

    Hand-overs come first (news about whom the reader looks after), then the items by how long
    they have waited (`since`, oldest first; promises before check-ins of the same day: they
    are commitments with a date), so an item left out of yesterday's full DM comes before
    anything newly due. Items beyond what one message holds with buttons (50 blocks, and the
    text budget of `bot.blocks.budget`: long names and notes fill it before the blocks run
    out) are still listed, one compact line each, so that none is first mentioned after its
    day; what does not fit even so is counted. Everything without buttons is returned in
    `left_out` for the caller to keep for the next DM.
    """
    told = list(hand_overs[:MAX_HAND_OVERS])
    ranked = by_waiting(check_ins, promises)
    # A hand-over takes one block, its heading another; an item's slot holds two blocks.
    room = MAX_ITEMS - (len(told) + 2) // 2 if told else MAX_ITEMS
    # Each line below the items (collisions, one-sided, after-hours) takes one block, and an
    # item's room besides: with every line and a full DM, the message stays within 50 blocks.
    room -= sum(1 for line in (collisions, one_sided, after_hours) if line)
    if len(ranked) > room:
        room -= COMPACT_SLOTS  # the compact lines' blocks
    room = max(room, 0)
    extras = _Extras(problems or {}, collisions, hand_overs, one_sided, after_hours)
    told_at_most = len(told)
    dm = _nudge_dm(reader, bundle_id, ranked, now, extras, room, told_at_most)
    # Until the text fits, and until every item is at least listed or only a few keep their
    # buttons: one item fewer with buttons (its compact line is a fraction of its size), then
    # one hand-over fewer. The lines below the items are each cut to LINE_MAX_CHARS, so with no
    # item and no hand-over the DM always fits.
    while not within_budget(dm.reply.blocks) or (
        len(dm.left_out) > len(dm.listed) + len(hand_overs) - told_at_most
        and room > MIN_WITH_BUTTONS
    ):
        if room > 0:
            room -= 1
        elif told_at_most > 0:
            told_at_most -= 1
        else:
            break
        dm = _nudge_dm(reader, bundle_id, ranked, now, extras, room, told_at_most)
    return dm


def by_waiting(
    check_ins: Sequence[CheckInItem], promises: Sequence[PromiseItem]
) -> list[CheckInItem | PromiseItem]:
    """The items in the order they get the DM's room: the longest waiting first (`since`; an
    item without one counts as newly due), promises before check-ins on the same day, and
    otherwise in the order given."""
    ranked: list[tuple[date, int, int, CheckInItem | PromiseItem]] = [
        (item.since or date.max, 0, i, item) for i, item in enumerate(promises)
    ]
    ranked += [(item.since or date.max, 1, i, item) for i, item in enumerate(check_ins)]
    return [item for *_, item in sorted(ranked, key=lambda entry: entry[:3])]


# Blocks kept for the compact lines when not every item fits with buttons (two items' room):
# more sections of 3,000 characters than the text budget could fill.
COMPACT_SLOTS = 2
# Items that keep their buttons even when that leaves some items only counted.
MIN_WITH_BUTTONS = 5
# A compact line's promise text and partner name at most.
COMPACT_TEXT_CHARS = 80
COMPACT_NAME_CHARS = 60
SECTION_MAX_CHARS = 3000


@dataclass(frozen=True)
class _Extras:
    """What a DM says beside its items (see `nudge_dm`)."""

    problems: dict[tuple[str, int], str]
    collisions: Sequence[str]
    hand_overs: Sequence[HandOverItem]
    one_sided: Sequence[OneSidedLine]
    after_hours: Sequence[AfterHoursFigure]


def _nudge_dm(
    reader: Reader,
    bundle_id: str,
    ranked: list[CheckInItem | PromiseItem],
    now: datetime,
    extras: _Extras,
    room: int,
    told_at_most: int,
) -> NudgeDm:
    """The DM with at most `room` items with buttons and `told_at_most` hand-overs; the other
    items listed in compact lines as far as the text budget and the blocks allow."""
    problems, hand_overs = extras.problems, extras.hand_overs
    told = list(hand_overs[:told_at_most])
    with_buttons, rest = ranked[:room], ranked[room:]
    fitting = [item for item in with_buttons if isinstance(item, PromiseItem)]
    fitting_check_ins = [item for item in with_buttons if isinstance(item, CheckInItem)]
    blocks: list[Block] = []
    if told:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=f"*{reader.t('nudge.hand_overs')}*"))
        )
        blocks.extend(_hand_over_block(reader, item, now) for item in told)
    shown: list[CheckInItem | PromiseItem] = []
    for heading, items in (("nudge.promises", fitting), ("nudge.check_ins", fitting_check_ins)):
        if not items:
            continue
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{reader.t(heading)}*")))
        for item in items:
            problem = problems.get((item.kind, item.subject_id))
            blocks.extend(_item_blocks(reader, bundle_id, item, now, problem))
        shown.extend(items)
    below, below_text = _lines_below(reader, extras)
    left_out: list[CheckInItem | PromiseItem | HandOverItem] = [*hand_overs[len(told) :], *rest]
    # The longest title and "more" line this DM can have, counted before the compact lines.
    longest = _summary(reader, len(fitting_check_ins) + len(rest), len(fitting) + len(rest))
    spent = text_chars(blocks) + text_chars(below) + len(reader.t("nudge.title", summary=longest))
    spent += len(_more_line(reader, left_out)) if left_out else 0
    free_blocks = MAX_BLOCKS - len(blocks) - len(below) - 2  # the title, the "more" line
    compact, listed = _compact_blocks(reader, rest, now, TEXT_BUDGET - spent, free_blocks)
    counted = [*hand_overs[len(told) :], *rest[len(listed) :]]
    listed_promises = sum(1 for item in listed if isinstance(item, PromiseItem))
    # The title counts what this message lists; what did not fit is counted at its end.
    summary = _summary(
        reader,
        len(fitting_check_ins) + len(listed) - listed_promises,
        len(fitting) + listed_promises,
        len(told),
    )
    title = SectionBlock(text=MarkdownTextObject(text=reader.t("nudge.title", summary=summary)))
    blocks = [title, *blocks, *compact]
    text = reader.t("nudge.fallback", summary=summary)
    if told:
        text += " " + " ".join(_hand_over_line(reader, item) for item in told)
    if counted:
        more = _more_line(reader, counted)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
        text += " " + more
    blocks.extend(below)
    text += below_text
    done = [_answer_plain(reader, item) for item in shown if item.answer is not None]
    if done:
        text += " " + reader.t("nudge.done_fallback", items="; ".join(done))
    return NudgeDm(Reply(text=text, blocks=blocks), shown, left_out, listed)


MAX_BLOCKS = 50


def _more_line(reader: Reader, counted: Sequence[object]) -> str:
    """ "…and N more", pointing to where the left-out items are listed meanwhile: the
    promises, the partners (check-ins, hand-overs), or both. The text for both is the longest,
    so a line counted for more items never undercounts one for fewer."""
    promises = sum(1 for item in counted if isinstance(item, PromiseItem))
    if promises == len(counted):
        key = "nudge.more"
    elif promises == 0:
        key = "nudge.more_partners"
    else:
        key = "nudge.more_mixed"
    return reader.t(key, count=len(counted))


def _lines_below(reader: Reader, extras: _Extras) -> tuple[list[Block], str]:
    """The lines below the items (collisions, one-sided, after-hours), one block each, and
    what the fallback text adds for them."""
    blocks: list[Block] = []
    text = ""
    if extras.collisions:
        names = ", ".join(escape(c) for c in extras.collisions)
        shared = reader.t("nudge.name_collisions", names=names)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_fit_line(shared))]))
        text += " " + shared
    if extras.one_sided:
        lines = "\n".join(
            reader.t(
                f"nudge.one_sided.{line.direction}",
                partner=escape(line.label),
                count=line.count,
                days=ONE_SIDED_DAYS,
            )
            for line in extras.one_sided
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_fit_line(lines))]))
        text += " " + lines.replace("\n", " ")
    if extras.after_hours:
        line = _after_hours_line(reader, extras.after_hours)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_fit_line(line))]))
        text += " " + line
    return blocks, text


def _compact_blocks(
    reader: Reader,
    items: Sequence[CheckInItem | PromiseItem],
    now: datetime,
    chars: int,
    free_blocks: int,
) -> tuple[list[Block], list[CheckInItem | PromiseItem]]:
    """Sections listing `items` in order, one compact line each under a heading, within
    `chars` characters of text and `free_blocks` blocks; and the items listed."""
    heading = f"*{reader.t('nudge.also_due')}*"
    sections: list[list[str]] = []
    listed: list[CheckInItem | PromiseItem] = []
    spent = len(heading) + 1
    for item in items:
        line = "• " + _compact_line(reader, item, now)
        last = sections[-1] if sections else None
        joined = len("\n".join(last)) if last else 0
        fits_last = last is not None and joined + 1 + len(line) <= SECTION_MAX_CHARS
        if spent + len(line) + 1 > chars or (not fits_last and len(sections) >= free_blocks):
            break
        if fits_last:
            assert last is not None
            last.append(line)
        else:
            sections.append([heading, line] if not sections else [line])
        spent += len(line) + 1
        listed.append(item)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))) for lines in sections
    ]
    return blocks, listed


def _compact_line(reader: Reader, item: CheckInItem | PromiseItem, now: datetime) -> str:
    """An item in one line: its headline with the partner's name and the promise cut short."""
    partner = escape(excerpt(item.partner.label, COMPACT_NAME_CHARS))
    if isinstance(item, PromiseItem):
        return reader.t(
            "nudge.promise",
            text=promise_words(reader, item.text, COMPACT_TEXT_CHARS, start=True),
            partner=partner,
            when=_promise_when(reader, item.due_on, now),
        )
    return _check_in_line(reader, item, now, partner)


# How often, in words where English and German have one ("once", "zweimal"); numbers after.
_TIMES_WORDS: Mapping[int, str] = {1: "nudge.after_hours.once", 2: "nudge.after_hours.twice"}


def how_often(reader: Reader, count: int) -> str:
    """ "once", "twice", "3 times" / "einmal", "zweimal", "3-mal": a count of occasions as
    people say it, a number from three on."""
    key = _TIMES_WORDS.get(count)
    return reader.t(key) if key else reader.t("nudge.after_hours.times", count=count)


def _after_hours_line(reader: Reader, figures: Sequence[AfterHoursFigure]) -> str:
    """One line: each partner or person with how often, then a pointer to scheduled send."""
    parts = []
    for figure in figures:
        if figure.label is not None:
            who = escape(figure.label)
        elif figure.people == 1:
            who = reader.t("nudge.after_hours.someone")
        else:
            who = reader.t("nudge.after_hours.people", count=figure.people)
        times = how_often(reader, figure.count)
        parts.append(reader.t("nudge.after_hours.figure", who=who, times=times))
    return reader.t("nudge.after_hours.line", figures=", ".join(parts))


def _summary(reader: Reader, check_ins: int, promises: int, hand_overs: int = 0) -> str:
    parts = []
    if hand_overs:
        key = "nudge.count_hand_overs_one" if hand_overs == 1 else "nudge.count_hand_overs"
        parts.append(reader.t(key, count=hand_overs))
    if check_ins:
        key = "nudge.count_check_ins_one" if check_ins == 1 else "nudge.count_check_ins"
        parts.append(reader.t(key, count=check_ins))
    if promises:
        key = "nudge.count_promises_one" if promises == 1 else "nudge.count_promises"
        parts.append(reader.t(key, count=promises))
    return reader.t("nudge.and").join(parts)


# --- one item ------------------------------------------------------------------------------------


def _item_blocks(
    reader: Reader,
    bundle_id: str,
    item: CheckInItem | PromiseItem,
    now: datetime,
    problem: str | None,
) -> list[Block]:
    headline = (
        _check_in_line(reader, item, now)
        if isinstance(item, CheckInItem)
        else _promise_line(reader, item, now)
    )
    lines = [headline]
    if isinstance(item, CheckInItem) and item.claimed_for is not None:
        lines.append(_claimed_line(reader, item.claimed_for))
    block_id = item_block_id(bundle_id, item.kind, item.subject_id)
    if item.answer is not None:
        lines.append(_answer_line(reader, item, item.answer))
        theirs = _their_promises_shown(item)
        undo = [_undo_button(reader, item)] if item.answer.undo else []
        if not theirs:
            # Undo sits beside the answer line; the section then carries the item's block id,
            # which is how a press names the item (no other block of the item has it).
            return [
                SectionBlock(
                    text=MarkdownTextObject(text=_fit("\n".join(lines))),
                    block_id=block_id if undo else None,
                    accessory=undo[0] if undo else None,
                )
            ]
        # The item's own question is answered, but what the partner owes us is still open:
        # it stays listed, with its menu, until it is marked received or dropped.
        listed = _open_promises(reader, theirs, reader.today(now))
        lines.append(reader.t("nudge.their_open_promises", promises=listed))
        return [
            SectionBlock(text=MarkdownTextObject(text=_fit("\n".join(lines)))),
            ActionsBlock(block_id=block_id, elements=[*undo, _their_menu(reader, item, theirs)]),
        ]
    lines.extend(_context_lines(reader, item, now))
    if problem:
        lines.append(f":warning: {problem}")
    return [
        SectionBlock(text=MarkdownTextObject(text=_fit("\n".join(lines)))),
        ActionsBlock(block_id=block_id, elements=_answers(reader, item, now)),
    ]


def _claimed_line(reader: Reader, claimed: ClaimedFor) -> str:
    """Whose partner this is, and why it comes to the reader: they said they would reach out."""
    if claimed.owner is None:
        return reader.t("nudge.claimed_unowned")
    return reader.t("nudge.claimed", owner=f"<@{claimed.owner}>")


def _fit(text: str) -> str:
    """Slack's section text holds 3,000 characters."""
    return excerpt(text, 3000)


# A line below the items (collisions, one-sided, after-hours) at most: three of them and the
# title stay well within the text budget when nothing else fits.
LINE_MAX_CHARS = 1500


def _fit_line(text: str) -> str:
    return excerpt(text, LINE_MAX_CHARS)


def _answers(reader: Reader, item: CheckInItem | PromiseItem, now: datetime) -> list:
    """The item's own answers, then a menu for their promises to us when the item lists any
    (four elements at most: Slack allows five in an actions block)."""
    theirs = _their_promises_shown(item)
    if not theirs:
        return _own_answers(reader, item)
    return [*_own_answers(reader, item), _their_menu(reader, item, theirs)]


def _undo_button(reader: Reader, item: CheckInItem | PromiseItem) -> ButtonElement:
    """Undo names nothing but the item (its block id): what to restore stays in the database."""
    return ButtonElement(
        text=reader.t("nudge.button.undo"), action_id=ACTION_UNDO, value=str(item.subject_id)
    )


def _their_menu(
    reader: Reader, item: CheckInItem | PromiseItem, theirs: list[OpenPromise]
) -> StaticSelectElement:
    """Received or Drop for each of their promises the item lists."""
    options = [o for p in theirs for o in dm_options(reader, item.partner.id, p.id, p.text)]
    return StaticSelectElement(
        action_id=ACTION_THEIR_PROMISE,
        placeholder=reader.t("nudge.button.their_promise"),
        options=options,
    )


def _their_promises_shown(item: CheckInItem | PromiseItem) -> list[OpenPromise]:
    """The partner's open promises to us that the item's text lists, in its order."""
    return [p for p in item.partner.open_promises if p.by_partner][:PROMISES_SHOWN]


def _own_answers(reader: Reader, item: CheckInItem | PromiseItem) -> list:
    value = str(item.subject_id)
    if isinstance(item, CheckInItem):
        return [
            ButtonElement(
                text=reader.t("nudge.button.check_in"),
                action_id=ACTION_CHECK_IN,
                value=value,
                style="primary",
            ),
            StaticSelectElement(
                action_id=ACTION_SNOOZE,
                placeholder=reader.t("nudge.button.snooze"),
                options=[
                    Option(value=SNOOZE_WEEK, label=reader.t("nudge.snooze.week")),
                    Option(value=SNOOZE_MONTH, label=reader.t("nudge.snooze.month")),
                ],
            ),
            DatePickerElement(
                action_id=ACTION_PAUSE,
                placeholder=reader.t("nudge.button.pause"),
            ),
        ]
    return [
        ButtonElement(
            text=reader.t("nudge.button.kept"),
            action_id=ACTION_KEPT,
            value=value,
            style="primary",
        ),
        # No preset day: Slack would show it instead of the placeholder, which says what it is for.
        DatePickerElement(
            action_id=ACTION_MORE_TIME, placeholder=reader.t("nudge.button.more_time")
        ),
        ButtonElement(text=reader.t("nudge.button.drop"), action_id=ACTION_DROP, value=value),
    ]


def _check_in_line(
    reader: Reader, item: CheckInItem, now: datetime, partner: str | None = None
) -> str:
    partner = partner if partner is not None else escape(item.partner.label)
    cadence = _days(reader, timedelta(days=item.cadence_days), direction=False)
    if item.last_check_in is not None:
        return reader.t(
            "nudge.check_in_since",
            partner=partner,
            ago=_ago(reader, item.last_check_in, now),
            cadence=cadence,
        )
    return reader.t(
        "nudge.check_in_first",
        partner=partner,
        ago=_ago(reader, item.first_contact, now),
        cadence=cadence,
    )


def _promise_line(reader: Reader, item: PromiseItem, now: datetime) -> str:
    partner = escape(item.partner.label)
    return reader.t(
        "nudge.promise",
        text=promise_words(reader, item.text, 300, start=True),
        partner=partner,
        when=_promise_when(reader, item.due_on, now),
    )


def _promise_when(reader: Reader, due_on: date, now: datetime) -> str:
    today = reader.today(now)
    phase = promise_phase(due_on, today)
    if phase is PromisePhase.OVERDUE:
        since = _days(reader, timedelta(days=(today - due_on).days), direction=False)
        return reader.t("nudge.overdue", day=reader.day(due_on), days=since)
    if phase is PromisePhase.TODAY:
        return reader.t("nudge.due_today")
    if due_on == today + timedelta(days=1):
        return reader.t("nudge.due_tomorrow")
    return reader.t("nudge.due_on", day=reader.day(due_on))


def _context_lines(reader: Reader, item: CheckInItem | PromiseItem, now: datetime) -> list[str]:
    partner = item.partner
    lines = []
    reach = [
        part for part in (_their_time(reader, partner, now), _channel(reader, partner)) if part
    ]
    if reach:
        lines.append(" · ".join(reach))
    if partner.last_contact is not None:
        lines.append(_last_contact(reader, partner.last_contact, now))
    others = [
        p for p in partner.open_promises if not (isinstance(item, PromiseItem) and p.id == item.id)
    ]
    today = reader.today(now)
    for key, by_partner in (("nudge.open_promises", False), ("nudge.their_open_promises", True)):
        if line := _open_promises(reader, [p for p in others if p.by_partner == by_partner], today):
            lines.append(reader.t(key, promises=line))
    return lines


def _open_promises(reader: Reader, promises: list[OpenPromise], today: date) -> str | None:
    """Up to PROMISES_SHOWN promises, soonest first, then how many more; None for none."""
    if not promises:
        return None
    shown = "; ".join(
        reader.t(
            "nudge.open_promise_overdue" if p.due_on < today else "nudge.open_promise",
            text=promise_words(reader, p.text, 80),
            day=reader.day(p.due_on),
        )
        for p in promises[:PROMISES_SHOWN]
    )
    if len(promises) > PROMISES_SHOWN:
        shown += " " + reader.t("nudge.open_promises_more", count=len(promises) - PROMISES_SHOWN)
    return shown


def _their_time(reader: Reader, partner: PartnerContext, now: datetime) -> str | None:
    """ "16:05 for them (Europe/London)", and whether that is a public holiday there or outside
    their business hours."""
    if not partner.tz:
        return None
    local = now.astimezone(zone(partner.tz))
    shown = format_time(local, format="short", locale=babel_locale(reader.locale))
    line = reader.t("nudge.their_time", time=shown, tz=escape(partner.tz))
    region = region_of(partner.public_holidays, partner.tz)
    holiday = holiday_name(region, local.date(), reader.lang)
    if holiday is not None:
        line += " " + reader.t("card.public_holiday_today", name=escape(holiday))
    elif outside_profile_hours(now, partner):
        # The one rule the after-hours hint judges by: hours not set are 09:00 to 18:00.
        line += " " + reader.t("nudge.after_hours")
    return line


def _channel(reader: Reader, partner: PartnerContext) -> str | None:
    if not partner.preferred_channel:
        return None
    return reader.t("nudge.prefers", channel=reader.t(f"channel.{partner.preferred_channel}"))


def _last_contact(reader: Reader, contact: LastContact, now: datetime) -> str:
    medium = reader.t(f"medium.{contact.medium}") if contact.medium else None
    line = reader.t(
        "nudge.last_contact",
        how=medium or reader.t("nudge.contact"),
        ago=_ago(reader, contact.at, now),
        by=f"<@{contact.by}>",
    )
    if contact.note.strip():
        line += " " + reader.t(
            "nudge.note", note=escape(excerpt(" ".join(contact.note.split()), NOTE_EXCERPT_CHARS))
        )
    return line


# --- hand-overs ---------------------------------------------------------------------------------


def _hand_over_block(reader: Reader, item: HandOverItem, now: datetime) -> Block:
    """What was done and by whom, the card's summary, and a button that opens the card."""
    lines = [_hand_over_line(reader, item), *_hand_over_summary(reader, item, now)]
    return SectionBlock(
        text=MarkdownTextObject(text=_fit("\n".join(lines))),
        accessory=ButtonElement(
            text=reader.t("nudge.button.show_card"),
            action_id=ACTION_SHOW_CARD,
            value=str(item.partner.id),
        ),
    )


def _hand_over_line(reader: Reader, item: HandOverItem) -> str:
    actor = f"<@{item.actor}>" if item.actor else reader.t("nudge.hand_over.someone")
    partner = escape(item.partner.name)
    if item.kind == "handed_over":
        return reader.t("nudge.handed_over", actor=actor, partner=partner)
    if item.actor is not None and item.handed_to == item.actor:
        return reader.t("nudge.taken_away", actor=actor, partner=partner)
    owner = f"<@{item.handed_to}>" if item.handed_to else reader.t("nudge.someone")
    return reader.t("nudge.handed_away", actor=actor, partner=partner, owner=owner)


def _hand_over_summary(reader: Reader, item: HandOverItem, now: datetime) -> list[str]:
    """The card in four lines: organisation, last contact, next check-in, open promises."""
    partner = item.partner
    lines = []
    if partner.organisation:
        lines.append(
            reader.t("nudge.hand_over.organisation", organisation=escape(partner.organisation))
        )
    if partner.last_contact is not None:
        lines.append(_last_contact(reader, partner.last_contact, now))
    else:
        lines.append(reader.t("nudge.hand_over.no_contact"))
    today = reader.today(now)
    if item.paused:
        lines.append(reader.t("nudge.hand_over.next_check_in_paused"))
    elif item.next_check_in is not None and item.next_check_in < today:
        lines.append(
            reader.t("nudge.hand_over.next_check_in_due", day=reader.day(item.next_check_in))
        )
    elif item.next_check_in is not None:
        lines.append(reader.t("nudge.hand_over.next_check_in", day=reader.day(item.next_check_in)))
    theirs = sum(1 for p in partner.open_promises if p.by_partner)
    ours = len(partner.open_promises) - theirs
    locale = babel_locale(reader.locale)
    lines.append(
        reader.t(
            "nudge.hand_over.promises",
            ours=format_decimal(ours, locale=locale),
            theirs=format_decimal(theirs, locale=locale),
        )
    )
    return lines


# --- answered items ---------------------------------------------------------------------------


def _answer_line(reader: Reader, item: CheckInItem | PromiseItem, answer: Answer) -> str:
    values = {
        "by": f"<@{answer.by}>" if answer.by else reader.t("nudge.someone"),
        "on": reader.day(reader.local(answer.at).date()),
        "until": reader.day(answer.until) if answer.until else "",
    }
    line = reader.t(f"nudge.answered.{answer.kind}", **values)
    if answer.kind == "dropped" and answer.reason:
        line += " " + reader.t("nudge.reason", reason=escape(excerpt(answer.reason, 300)))
    if answer.kind == "more_time" and isinstance(item, PromiseItem) and answer.until:
        line += "\n" + _heads_up(reader, item, answer.until)
    return line


def _heads_up(reader: Reader, item: PromiseItem, until: date) -> str:
    """A short note in the partner's language that the reader can copy and send them."""
    partner = item.partner
    theirs = Reader(partner.language or reader.locale, reader.tz)
    values = {"name": escape(partner.name), "day": theirs.day(until)}
    note = (
        theirs.t("heads_up.more_time_untitled", **values)
        if names_only_a_day(item.text)
        else theirs.t("heads_up.more_time", text=escape(excerpt(item.text, 200)), **values)
    )
    language = reader.t(f"language.{theirs.lang}")
    intro = reader.t("nudge.heads_up", partner=escape(partner.name), language=language)
    return f"{intro}\n>{note}"


def _answer_plain(reader: Reader, item: CheckInItem | PromiseItem) -> str:
    """An answered item in the fallback text, which Slack reads as mrkdwn too: what people
    typed is escaped, so a typed link or <!channel> stays text."""
    answer = item.answer
    assert answer is not None
    if isinstance(item, CheckInItem):
        what = escape(excerpt(item.partner.label, 120))
    else:
        label = f" ({item.partner.label})"
        what = promise_words(reader, item.text, max(120 - len(label), 20)) + escape(label)
    until = reader.day(answer.until) if answer.until else ""
    return reader.t(f"nudge.done.{answer.kind}", what=what, until=until)


# --- numbers of days ---------------------------------------------------------------------------


def _ago(reader: Reader, instant: datetime, now: datetime) -> str:
    """ "97 days ago (Wednesday, August 19, 2026)": the count people act on, the date they check.

    `now` is the DM's own instant, also when it is redrawn days later, while what it shows is
    read as it is then: a check-in logged from the DM, or any contact since, lies after it.
    Such an instant is named by its date alone ("on Thursday, December 10, 2026"): a count from
    the DM's day would read "in 3 days", a future for something that has happened.
    """
    day = reader.local(instant).date()
    days = (reader.today(now) - day).days
    if days < 0:
        return reader.t("nudge.on_day", day=reader.day(day))
    if days in (0, 1):
        return reader.t("when.today" if days == 0 else "when.yesterday")
    return reader.t(
        "nudge.ago", ago=_days(reader, timedelta(days=-days), direction=True), day=reader.day(day)
    )


def _days(reader: Reader, delta: timedelta, *, direction: bool) -> str:
    # A threshold no count of days reaches keeps Babel from rounding 97 days to "3 months".
    return format_timedelta(
        delta,
        granularity="day",
        threshold=100_000,
        add_direction=direction,
        locale=babel_locale(reader.locale),
    )
