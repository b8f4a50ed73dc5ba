"""A team channel's digest of neglected partners, and the replies about subscribing to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.blocks.replies import Reply


@dataclass(frozen=True)
class DigestMessage:
    """One digest as it is posted (or redrawn after a claim).

    `reply` holds the plain-text fallback and the blocks, within Slack's limits and
    `bot.blocks.budget`. `partner_ids` are the partners listed, in order; `more` counts those
    left out for room ("N more, see Rapport's Home tab"). `quiet` is True when nothing needs
    attention: the reply is then the one-line "all partners looked after". `chars` is the
    text of its blocks as `bot.blocks.budget.text_chars` counts it, counted as they were built
    (the message is filled by it without walking its blocks again).
    """

    reply: Reply
    partner_ids: list[int] = field(default_factory=list)
    more: int = 0
    quiet: bool = False
    chars: int = 0
