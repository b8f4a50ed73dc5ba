"""The App Home's "My reliability" section, built from the member's own figure
(`bot.rules.relationships.reliability.Reliability`, or None when nothing fell due).

The figure is shown to its owner alone: this section is only ever part of the owner's own Home,
and says so. The share is formatted as the reader writes percentages ("92%", "92 %"), the
counts as they write numbers.
"""

from __future__ import annotations

from babel.numbers import format_percent
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks.partner_lists import number
from bot.rules.relationships.reliability import RELIABILITY_DAYS, Reliability
from bot.texts.reader import Reader, babel_locale

# The blocks the section adds to the view.
RELIABILITY_BLOCKS = 4


def percent(reader: Reader, figure: Reliability) -> str:
    """The share as the reader writes it: "92%" in English, "92 %" in German."""
    return format_percent(figure.percent / 100, locale=babel_locale(reader.locale))


def reliability_line(reader: Reader, figure: Reliability | None) -> str:
    """ "92% — 11 of 12 promises due in the last 90 days kept on time", or that none fell due."""
    days = number(reader, RELIABILITY_DAYS)
    if figure is None:
        return reader.t("home.reliability.none", days=days)
    key = "home.reliability.figure_one" if figure.due == 1 else "home.reliability.figure"
    return reader.t(
        key,
        percent=percent(reader, figure),
        kept=number(reader, figure.kept),
        due=number(reader, figure.due),
        days=days,
    )


def reliability_blocks(reader: Reader, figure: Reliability | None) -> list[Block]:
    """A divider, the title, the figure and what it counts (`RELIABILITY_BLOCKS` blocks)."""
    return [
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=reader.t("home.reliability.title"))),
        SectionBlock(text=MarkdownTextObject(text=reliability_line(reader, figure))),
        ContextBlock(elements=[MarkdownTextObject(text=reader.t("home.reliability.about"))]),
    ]
