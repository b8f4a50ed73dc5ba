"""The nudge DM: everything due for one person today, in one message, in their language.

Built at send time from current data (the dispatcher passes what is still due), with slack_sdk's
Block Kit models so Slack's limits are checked here rather than discovered in production. The
plain-text fallback, which notifications show, says what the blocks say in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_timedelta
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.i18n import Reader, babel_locale, escape
from bot.nudges import PromisePhase, promise_phase
from bot.replies import Reply, partner_label

# A message holds 50 blocks: a title and two headings leave room for this many items, and a
# last line that counts the rest.
MAX_ITEM_BLOCKS = 45


@dataclass(frozen=True)
class CheckInItem:
    partner: str
    organisation: str | None
    cadence_days: int
    last_check_in: datetime | None
    first_contact: datetime


@dataclass(frozen=True)
class PromiseItem:
    text: str
    partner: str
    organisation: str | None
    due_on: date


def nudge_dm(
    reader: Reader, check_ins: list[CheckInItem], promises: list[PromiseItem], now: datetime
) -> Reply:
    """The DM for `reader` listing `check_ins` and `promises` (both non-empty together)."""
    summary = _summary(reader, len(check_ins), len(promises))
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=reader.t("nudge.title", summary=summary)))
    ]
    lines: list[tuple[str, list[str]]] = [
        ("nudge.check_ins", [_check_in_line(reader, item, now) for item in check_ins]),
        ("nudge.promises", [_promise_line(reader, item, now) for item in promises]),
    ]
    room = MAX_ITEM_BLOCKS
    left_out = 0
    for heading, items in lines:
        if not items:
            continue
        shown, rest = items[:room], items[room:]
        room -= len(shown)
        left_out += len(rest)
        if shown:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{reader.t(heading)}*")))
            blocks.extend(SectionBlock(text=MarkdownTextObject(text=line)) for line in shown)
    if left_out:
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=reader.t("nudge.more", count=left_out))])
        )
    return Reply(text=reader.t("nudge.fallback", summary=summary), blocks=blocks)


def _summary(reader: Reader, check_ins: int, promises: int) -> str:
    parts = []
    if check_ins:
        key = "nudge.count_check_ins_one" if check_ins == 1 else "nudge.count_check_ins"
        parts.append(reader.t(key, count=check_ins))
    if promises:
        key = "nudge.count_promises_one" if promises == 1 else "nudge.count_promises"
        parts.append(reader.t(key, count=promises))
    return reader.t("nudge.and").join(parts)


def _check_in_line(reader: Reader, item: CheckInItem, now: datetime) -> str:
    partner = escape(partner_label(item.partner, item.organisation))
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
    partner = escape(partner_label(item.partner, item.organisation))
    today = reader.today(now)
    phase = promise_phase(item.due_on, today)
    if phase is PromisePhase.OVERDUE:
        since = _days(reader, timedelta(days=(today - item.due_on).days), direction=False)
        when = reader.t("nudge.overdue", day=reader.day(item.due_on), days=since)
    elif phase is PromisePhase.TODAY:
        when = reader.t("nudge.due_today")
    elif item.due_on == today + timedelta(days=1):
        when = reader.t("nudge.due_tomorrow")
    else:
        when = reader.t("nudge.due_on", day=reader.day(item.due_on))
    return reader.t("nudge.promise", text=escape(item.text), partner=partner, when=when)


def _ago(reader: Reader, instant: datetime, now: datetime) -> str:
    """ "97 days ago (Wednesday, August 19, 2026)": the count people act on, the date they check."""
    days = (reader.today(now) - reader.local(instant).date()).days
    return reader.t(
        "nudge.ago",
        ago=_days(reader, timedelta(days=-days), direction=True),
        day=reader.day(reader.local(instant).date()),
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
