"""Slack's markup in what people type: mentions and the three entities Slack escapes.

Slack sends a mention as `<@U123>` or `<@U123|name>` and escapes `&`, `<` and `>` in typed text
as `&amp;`, `&lt;`, `&gt;`. This module reads both, in one place.
"""

from __future__ import annotations

import re

from storage.vocabulary import SLACK_ID_MAX_CHARS

# A user id is at most as long as the column that keeps it: a longer one is no mention. The
# second group is the name Slack adds when "escape users" is on.
MENTION = re.compile(rf"<@([UW][A-Z0-9]{{1,{SLACK_ID_MAX_CHARS - 1}}})(?:\|([^>]*))?>")


def mentioned_user(text: str) -> str | None:
    """The user id of a mention at the start of a /logcontact text."""
    match = MENTION.match(text.strip())
    return match.group(1) if match else None


def unescape(value: str) -> str:
    """Undo Slack's escaping of command text and message text: exactly its three characters
    (`html.unescape` would also turn a typed "&copy" into ©)."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
