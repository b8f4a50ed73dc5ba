"""The text budget of one Slack message: what `chat.postMessage` and `chat.update` accept.

Slack documents 50 blocks a message and 3,000 characters a section, but refuses messages well
within those (`msg_blocks_too_long`) once the text across all blocks grows long: it has been
seen refusing at 11,341 and about 13,300 characters of text, counted over every text object in
the blocks, mrkdwn markup included. Rapport keeps every message it builds within
`TEXT_BUDGET`, counted by `text_chars` alone, so that no DM or digest fails for being big; the
Slack stand-in refuses above `STANDIN_LIMIT` by the same count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import Block

# What Rapport allows itself; below every refusal seen, with room for Slack's own counting.
TEXT_BUDGET = 10_000
# Where the stand-in starts refusing, as Slack did in the lowest case seen (11,341).
STANDIN_LIMIT = 11_000

_TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})


def text_chars(blocks: Iterable[Block | Mapping[str, Any]] | None) -> int:
    """Characters of text in `blocks` (models or their dicts): the sum of the `text` of every
    text object (`plain_text`, `mrkdwn`) anywhere in them, markup included."""
    if blocks is None:
        return 0
    return sum(_count(block.to_dict() if isinstance(block, Block) else block) for block in blocks)


def _count(value: Any) -> int:
    if isinstance(value, Mapping):
        own = (
            len(value["text"])
            if value.get("type") in _TEXT_TYPES and isinstance(value.get("text"), str)
            else 0
        )
        return own + sum(_count(v) for k, v in value.items() if not (own and k == "text"))
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return sum(_count(item) for item in value)
    return 0


def within_budget(blocks: Iterable[Block | Mapping[str, Any]] | None) -> bool:
    """Whether `blocks` keep to `TEXT_BUDGET`."""
    return text_chars(blocks) <= TEXT_BUDGET
