"""The App Home's view (`views.publish`), built from plain values.

A member without partners sees a first-run welcome saying how to log a contact; everyone else
sees "My partners", one section per partner with its health (`health_words`), a page of at
most `HOME_PAGE_SIZE` at a time with Previous/Next buttons (`ACTION_HOME_PAGE_…`, the index of
the page's first partner in the value: a page the byte limit cut short is followed by one that
starts at the first row it left out), then "My open promises" both ways with their due days,
then "My reliability" (`bot.blocks.home.reliability`, the member's own figure), then "My
settings" with a button that opens them in a modal (`ACTION_HOME_SETTINGS`). Slack takes at most
`HOME_BLOCKS_MAX` blocks and `HOME_BYTES_MAX` bytes of JSON in a Home view: rows are added while
both hold, and a list that does not fit ends with the exact count of those after the ones shown
and the command that lists them all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks.home.reliability import reliability_blocks
from bot.blocks.partner_lists import (
    ClaimOn,
    OpenPromise,
    claim_day,
    claim_words,
    number,
    owner_words,
    promise_row,
)
from bot.blocks.replies import button_text, excerpt, health_words, partner_label
from bot.blocks.settings import SettingsView, settings_lines
from bot.rules.relationships.health import Health
from bot.rules.relationships.reliability import Reliability
from bot.texts.reader import Reader, escape

# Slack's limits of a Home tab view: 100 blocks, 250 kB of JSON.
HOME_BLOCKS_MAX = 100
HOME_BYTES_MAX = 250_000
# Promises shown at most, so that partners keep most of the view.
HOME_PROMISES_MAX = 20
# Claims of the member's shown at most, one section each, so that partners keep most of the
# view; the rest are counted.
HOME_CLAIMS_MAX = 5
# What a claim's row shows of a partner's name and organisation, as the digest cuts them.
CLAIM_NAME_CHARS = 80
# A promise's text as shown in its row.
PROMISE_EXCERPT_CHARS = 300
# Partners on one page of the Home: with the promises and the settings, a page stays far
# within the 100 blocks (room is left for more sections), and 50 rows of the longest names
# escaped as JSON stay within the 250 kB.
HOME_PAGE_SIZE = 50
# A button's value longer than this is no page a button offers (it was tampered with).
HOME_PAGE_DIGITS = 6
ACTION_HOME_PAGE = "rapport_home_page"
ACTION_HOME_PAGE_PREVIOUS = f"{ACTION_HOME_PAGE}_previous"
ACTION_HOME_PAGE_NEXT = f"{ACTION_HOME_PAGE}_next"
ACTION_HOME_SETTINGS = "rapport_home_settings"


@dataclass(frozen=True)
class HomePartner:
    """A partner of the member's as its row shows it: its states, most severe first, and a
    colleague's live claim on it (the reason its check-in nudges go to them meanwhile)."""

    name: str
    organisation: str | None
    health: tuple[Health, ...]
    claim: ClaimOn | None = None


@dataclass(frozen=True)
class HomeClaim:
    """A live claim of the member's on a partner they do not look after: the partner, who looks
    after it (the owner's Slack id; `owner_active` False when they left or are a guest), and
    the instant the claim ends (aware UTC)."""

    name: str
    organisation: str | None
    owner_user_id: str | None
    owner_active: bool
    until: datetime


@dataclass(frozen=True)
class HomeData:
    """What the Home shows: the first rows of each list (in the lists' order) and the exact
    number of rows each list has."""

    partners: Sequence[HomePartner]
    partners_total: int
    promises: Sequence[OpenPromise]
    promises_total: int
    # The index of the first partner shown (`partners` are that page's rows), and the
    # member's settings (None: no settings section).
    offset: int = 0
    settings: SettingsView | None = None
    # The member's own reliability figure; None when none of their promises fell due.
    reliability: Reliability | None = None
    # The member's live claims, soonest to end first (the first HOME_CLAIMS_MAX), and how many.
    claims: Sequence[HomeClaim] = ()
    claims_total: int = 0


def partner_rows_wanted(promises_shown: int) -> int:
    """How many partner rows the caller reads at most for one page (the byte limit may leave
    room for fewer). The promises have blocks of their own beside them."""
    del promises_shown  # a page is the same size whatever the promises take
    return HOME_PAGE_SIZE


def page_start(offset: int, total: int) -> int:
    """Where a page asked for starts for a member with `total` partners: at `offset`, or at
    the last page's first row when the list has shrunk below it since the button was drawn."""
    return min(offset, (max(total - 1, 0) // HOME_PAGE_SIZE) * HOME_PAGE_SIZE)


def read_page(value: object) -> int:
    """The first row a Previous/Next button's value names; 0 (the first page) for a value no
    button of the Home carries (tampered with)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return 0
    return int(value) if len(value) <= HOME_PAGE_DIGITS else 0


def home_view(reader: Reader, data: HomeData, now: datetime) -> dict[str, Any]:
    """The view for `views.publish`: valid for Slack's `View` model, within its limits."""
    today = reader.today(now)
    promises = [promise_row(reader, row, today) for row in data.promises[:HOME_PROMISES_MAX]]
    offset = data.offset
    if data.partners_total == 0:
        top = _welcome(reader)
        partners: list[str] = []
    else:
        top = [HeaderBlock(text=PlainTextObject(text=reader.t("home.partners.title")))]
        if data.partners_total > HOME_PAGE_SIZE:
            top.append(_span(reader, offset, len(data.partners), data.partners_total))
        partners = [_partner_row(reader, row) for row in data.partners[:HOME_PAGE_SIZE]]
    # The promises' and settings' own blocks first, so that partners fill what is left.
    bottom = [
        *_claim_blocks(reader, data.claims[:HOME_CLAIMS_MAX], data.claims_total),
        *_promise_blocks(reader, promises, data.promises_total),
        *reliability_blocks(reader, data.reliability),
    ]
    if data.settings is not None:
        bottom += _settings_blocks(reader, data.settings)
    page = _Page(offset, data.partners_total)
    return _view(_fill(reader, top, partners, page, bottom))


@dataclass(frozen=True)
class _Page:
    offset: int  # the index of the first row shown
    total: int

    def left_after(self, shown: int) -> int:
        return max(self.total - self.offset - shown, 0)


def _span(reader: Reader, offset: int, shown: int, total: int) -> ContextBlock:
    """ "Partners 51–100 of 300": where this page sits in the list."""
    text = reader.t(
        "home.partners.range",
        first=number(reader, offset + 1),
        last=number(reader, offset + max(shown, 1)),
        total=number(reader, total),
    )
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _page_buttons(reader: Reader, page: _Page, shown: int) -> list[Block]:
    """Previous and Next in one block, each carrying the page it shows; none on a list of one
    page."""
    buttons = []
    if page.offset > 0:
        buttons.append(
            ButtonElement(
                text=button_text(reader.t("rapport.button.previous")),
                action_id=ACTION_HOME_PAGE_PREVIOUS,
                value=str(max(page.offset - HOME_PAGE_SIZE, 0)),
            )
        )
    if page.left_after(shown) > 0:
        buttons.append(
            ButtonElement(
                text=button_text(reader.t("rapport.button.next")),
                action_id=ACTION_HOME_PAGE_NEXT,
                value=str(page.offset + shown),
            )
        )
    return [ActionsBlock(block_id="home_pages", elements=buttons)] if buttons else []


def _settings_blocks(reader: Reader, settings: SettingsView) -> list[Block]:
    """ "My settings": the lines `/rapport settings` shows, and the button that edits them."""
    return [
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=reader.t("home.settings.title"))),
        SectionBlock(text=MarkdownTextObject(text="\n".join(settings_lines(reader, settings)))),
        ActionsBlock(
            block_id="home_settings",
            elements=[
                ButtonElement(
                    text=button_text(reader.t("home.settings.edit")),
                    action_id=ACTION_HOME_SETTINGS,
                    value="edit",
                )
            ],
        ),
    ]


def _welcome(reader: Reader) -> list[Block]:
    return [
        HeaderBlock(text=PlainTextObject(text=reader.t("home.welcome.title"))),
        SectionBlock(text=MarkdownTextObject(text=reader.t("home.welcome.body"))),
        ContextBlock(elements=[MarkdownTextObject(text=reader.t("home.welcome.help"))]),
    ]


def _claim_blocks(reader: Reader, claims: Sequence[HomeClaim], total: int) -> list[Block]:
    """ "I'm on it": each claim's partner, who looks after it (as list rows say it) and until
    when; nothing without claims. At most HOME_CLAIMS_MAX + 4 blocks."""
    if not claims:
        return []
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=reader.t("home.claims.title"))),
        ContextBlock(elements=[MarkdownTextObject(text=reader.t("home.claims.why"))]),
    ]
    for claim in claims:
        label = escape(
            partner_label(
                excerpt(claim.name, CLAIM_NAME_CHARS),
                excerpt(claim.organisation, CLAIM_NAME_CHARS) if claim.organisation else None,
            )
        )
        owner = owner_words(reader, claim.owner_user_id, claim.owner_active)
        until = reader.t("home.claims.until", day=claim_day(reader, claim.until))
        text = f"*{label}* · {owner} · {until}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    if total > len(claims):
        more = reader.t("home.claims.more", count=number(reader, total - len(claims)))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


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
    reader: Reader, top: list[Block], rows: list[str], page: _Page, bottom: list[Block]
) -> list[Block]:
    """`top`, as many partner rows as fit beside the "N more" line, the page buttons and
    `bottom`, then those. Rows are taken in order; the count of those after the ones shown is
    exact. Room is kept for the longest "N more" line (that of all rows) and both buttons, so
    shorter ones always fit."""
    # Both buttons with the longest values a button carries, for the room they take.
    widest = 10**HOME_PAGE_DIGITS
    both = _Page(widest, widest + 1)
    frame = [*top, *_more(reader, page.left_after(0)), *_page_buttons(reader, both, 0), *bottom]
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
    more = _more(reader, page.left_after(len(shown)))
    return [*top, *shown, *more, *_page_buttons(reader, page, len(shown)), *bottom]


def _more(reader: Reader, left: int) -> list[Block]:
    if left <= 0:
        return []
    text = reader.t("home.partners.more", count=number(reader, left))
    return [ContextBlock(elements=[MarkdownTextObject(text=text)])]


def _view(blocks: list[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": [block.to_dict() for block in blocks]}


def _bytes(value: dict[str, Any]) -> int:
    """Bytes of `value` as JSON, as slack_sdk sends it (`json.dumps`, ASCII escapes)."""
    return len(json.dumps(value).encode())


def _partner_row(reader: Reader, row: HomePartner) -> str:
    label = escape(partner_label(row.name, row.organisation))
    line = f"*{label}* · {health_words(reader, row.health)}"
    if row.claim is None:
        return line
    return f"{line}\n{claim_words(reader, row.claim, 'claim.row')}"
