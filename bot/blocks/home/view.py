"""The App Home's view (`views.publish`), built from plain values.

A member without partners sees a first-run welcome saying how to log a contact; everyone else
sees "My partners", one section per partner with its health (`health_words`), then "My open
promises" both ways with their due days, and "My reliability" (`bot.blocks.home.reliability`),
the member's own figure. Slack takes at most `HOME_BLOCKS_MAX` blocks and
`HOME_BYTES_MAX` bytes of JSON in a Home view: rows are added while both hold, and a list that
does not fit ends with the exact count of those left out and the command that lists them all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks.home.reliability import RELIABILITY_BLOCKS, reliability_blocks
from bot.blocks.partner_lists import OpenPromise, number, promise_row
from bot.blocks.replies import health_words, partner_label
from bot.rules.relationships.health import Health
from bot.rules.relationships.reliability import Reliability
from bot.texts.reader import Reader, escape

# Slack's limits of a Home tab view: 100 blocks, 250 kB of JSON.
HOME_BLOCKS_MAX = 100
HOME_BYTES_MAX = 250_000
# Promises shown at most, so that partners keep most of the view.
HOME_PROMISES_MAX = 20
# A promise's text as shown in its row.
PROMISE_EXCERPT_CHARS = 300
# Blocks besides the rows: two headers, a divider and two "N more" lines, and the reliability
# section.
_FRAME_BLOCKS = 5 + RELIABILITY_BLOCKS


@dataclass(frozen=True)
class HomePartner:
    """A partner of the member's as its row shows it: its states, most severe first."""

    name: str
    organisation: str | None
    health: tuple[Health, ...]


@dataclass(frozen=True)
class HomeData:
    """What the Home shows: the first rows of each list (in the lists' order) and the exact
    number of rows each list has."""

    partners: Sequence[HomePartner]
    partners_total: int
    promises: Sequence[OpenPromise]
    promises_total: int
    # The member's own reliability figure; None when none of their promises fell due.
    reliability: Reliability | None = None


def partner_rows_wanted(promises_shown: int) -> int:
    """How many partner rows the caller reads at most: what the blocks leave beside the
    promises shown (the byte limit may leave room for fewer)."""
    return HOME_BLOCKS_MAX - _FRAME_BLOCKS - min(promises_shown, HOME_PROMISES_MAX)


def home_view(reader: Reader, data: HomeData, now: datetime) -> dict[str, Any]:
    """The view for `views.publish`: valid for Slack's `View` model, within its limits."""
    today = reader.today(now)
    promises = [promise_row(reader, row, today) for row in data.promises[:HOME_PROMISES_MAX]]
    if data.partners_total == 0:
        top = _welcome(reader)
        partners: list[str] = []
    else:
        top = [HeaderBlock(text=PlainTextObject(text=reader.t("home.partners.title")))]
        partners = [_partner_row(reader, row) for row in data.partners]
    # The promises' own blocks first, so that partners fill what is left.
    bottom = [
        *_promise_blocks(reader, promises, data.promises_total),
        *reliability_blocks(reader, data.reliability),
    ]
    return _view(_fill(reader, top, partners, data.partners_total, bottom))


def _welcome(reader: Reader) -> list[Block]:
    return [
        HeaderBlock(text=PlainTextObject(text=reader.t("home.welcome.title"))),
        SectionBlock(text=MarkdownTextObject(text=reader.t("home.welcome.body"))),
        ContextBlock(elements=[MarkdownTextObject(text=reader.t("home.welcome.help"))]),
    ]


def _promise_blocks(reader: Reader, rows: list[str], total: int) -> list[Block]:
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=reader.t("home.promises.title"))),
    ]
    if not rows:
        text = reader.t("home.promises.none")
        return [*blocks, SectionBlock(text=MarkdownTextObject(text=text))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=row)) for row in rows]
    if total > len(rows):
        more = reader.t("home.promises.more", count=number(reader, total - len(rows)))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def _fill(
    reader: Reader, top: list[Block], rows: list[str], total: int, bottom: list[Block]
) -> list[Block]:
    """`top`, as many partner rows as fit beside the "N more" line and `bottom`, then those.
    Rows are taken in order; the count of those left out is exact. Room is kept for the
    longest "N more" line (that of all rows), so a shorter one always fits."""
    frame = [*top, *_more(reader, total, 0), *bottom]
    blocks_left = HOME_BLOCKS_MAX - len(frame)
    # JSON bytes: the frame's view, then each row's block and the ", " that joins it.
    bytes_left = HOME_BYTES_MAX - _bytes(_view(frame))
    shown: list[Block] = []
    for row in rows[: max(blocks_left, 0)]:
        block = SectionBlock(text=MarkdownTextObject(text=row))
        bytes_left -= _bytes(block.to_dict()) + len(", ")
        if bytes_left < 0:
            break
        shown.append(block)
    return [*top, *shown, *_more(reader, total, len(shown)), *bottom]


def _more(reader: Reader, total: int, shown: int) -> list[Block]:
    if total <= shown:
        return []
    text = reader.t("home.partners.more", count=number(reader, total - shown))
    return [ContextBlock(elements=[MarkdownTextObject(text=text)])]


def _view(blocks: list[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": [block.to_dict() for block in blocks]}


def _bytes(value: dict[str, Any]) -> int:
    """Bytes of `value` as JSON, as slack_sdk sends it (`json.dumps`, ASCII escapes)."""
    return len(json.dumps(value).encode())


def _partner_row(reader: Reader, row: HomePartner) -> str:
    label = escape(partner_label(row.name, row.organisation))
    return f"*{label}* · {health_words(reader, row.health)}"
