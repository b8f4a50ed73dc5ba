"""The answer to someone who may not use Rapport (see `bot.rules.access`)."""

from __future__ import annotations

from bot.blocks.replies import Reply, notice
from bot.texts.reader import Reader, text

REFUSED = "access.refused"


def refusal(reader: Reader | None) -> Reply:
    """Why nothing happened; in both languages when the person's own is not known."""
    if reader is None:
        return notice(f"{text('en', REFUSED)}\n{text('de', REFUSED)}")
    return notice(reader.t(REFUSED))
