"""Slack's markup in what people type, read back into the text they meant.

Slack sends the text of a command or a message with its own markup: a person as `<@U123>` or
`<@U123|name>`, a channel as `<#C123|name>`, `<!here>`, `<!channel>`, `<!everyone>`, a user group
as `<!subteam^S123|@team>`, a date as `<!date^…|fallback>`, a link as `<https://x|label>` or
`<https://x>`, an e-mail address as `<mailto:a@b.example|a@b.example>`, and the three characters
it uses for all that, typed by the user, as `&amp;`, `&lt;` and `&gt;`. Since a typed `<` always
arrives as `&lt;`, every `<…>` in such text is markup. `decode` turns it into readable text, in
one place, where a person's text enters Rapport; what goes back out is escaped again (once) by
`bot.texts.reader.escape`.

Text typed into a form's plain-text inputs arrives as typed, with no markup and no entities: it
is never decoded (a typed "&lt;" there means those four characters).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from storage.vocabulary import SLACK_ID_MAX_CHARS

# A user id is at most as long as the column that keeps it: a longer one is no mention. The
# second group is the name Slack adds when "escape users" is on.
MENTION = re.compile(rf"<@([UW][A-Z0-9]{{1,{SLACK_ID_MAX_CHARS - 1}}})(?:\|([^>]*))?>")

# Slack's markup (no line break inside) or one of its three entities, read in a single pass so
# that a typed "&lt;", sent as "&amp;lt;", stays "&lt;".
_MARKUP = re.compile(r"<([^<>\n]*)>|&(amp|lt|gt);")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_CHARACTERS = {"amp": "&", "lt": "<", "gt": ">"}
# A link's scheme: `https:`, `mailto:`, `tel:`, `slack:`, …
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BROADCASTS = frozenset({"here", "channel", "everyone"})
# The channel calls from the widest (the whole workspace) to the narrowest (those active now).
_WIDEST_FIRST = ("everyone", "channel", "here")
# A special mention: `<!here>`, `<!channel|@channel>`, also `<!subteam^…>` (sorted out by name).
_BROADCAST_MARKUP = re.compile(r"<(![^<>|\n]*(?:\|[^<>\n]*)?)>")
_MAILTO = "mailto:"


def decode(text: str, names: Mapping[str, str] | None = None) -> str:
    """`text` as Slack sent it, as the person meant it.

    - `<@U1|anna>` → "@anna", `<@U1>` → "@" and the name `names` has for U1, else "@U1";
    - `<#C1|general>` → "#general", `<#C1>` → "#C1" (or its name in `names`);
    - `<!here>`, `<!channel>`, `<!everyone>` → "@here", "@channel", "@everyone";
    - `<!subteam^S1|@team>` → "@team"; `<!date^…|fallback>` → "fallback";
    - `<https://x|label>` → "label (https://x)": a link keeps its address; `<https://x>` → the
      address; a label that is the address itself (Slack links a typed "nordwind.example" as
      `<http://nordwind.example|nordwind.example>`) is kept as typed;
    - `<mailto:a@b|a@b>` → "a@b", `<mailto:a@b|Anna>` → "Anna (a@b)";
    - `&amp;`, `&lt;`, `&gt;` → `&`, `<`, `>`, and nothing else: a typed "&copy" stays "&copy"
      (`html.unescape` would make it ©).
    """
    known = names or {}

    def read(match: re.Match[str]) -> str:
        if match[2] is not None:
            return _CHARACTERS[match[2]]
        return _reference(match[1], known)

    return _MARKUP.sub(read, text)


def unescape(value: str) -> str:
    """Only Slack's three entities undone, in one pass (for mrkdwn read back as text)."""
    return _ENTITY.sub(lambda match: _CHARACTERS[match[1]], value)


def mentioned_user(text: str) -> str | None:
    """The user id of a mention at the start of a /logcontact text."""
    match = MENTION.match(text.strip())
    return match.group(1) if match else None


def unnamed_mentions(text: str) -> list[str]:
    """The user ids of mentions that carry no name (`<@U1>`, as in messages), each once, in
    order: the people a caller may name for `decode`."""
    return list(dict.fromkeys(match[1] for match in MENTION.finditer(text) if not match[2]))


@dataclass(frozen=True)
class Reach:
    """Whom a message's markup calls on: the people it @mentions (by user id, each once) and
    which of @here, @channel or @everyone it says (`<!here>`, `<!channel|@channel>`, …): the
    widest, since that is the one that reached people; None when it says none."""

    user_ids: frozenset[str]
    called: str | None = None

    @property
    def everyone(self) -> bool:
        """Whether it calls the whole channel (`called` names how: "here", "channel", …)."""
        return self.called is not None


def reach_of(text: str) -> Reach:
    """Who a message's text calls on, read from Slack's markup alone: `<@U1>` and `<@U1|name>`
    name a person, `<!here>`, `<!channel>` and `<!everyone>` (with or without a label) call the
    channel. A typed "@here" arrives as markup, so plain text never counts. The text itself is
    neither kept nor returned."""
    user_ids = frozenset(match[1] for match in MENTION.finditer(text))
    said = {inner.partition("|")[0][1:] for inner in _BROADCAST_MARKUP.findall(text)}
    called = next((word for word in _WIDEST_FIRST if word in said), None)
    return Reach(user_ids, called)


def _reference(inner: str, names: Mapping[str, str]) -> str:
    target, _, label = inner.partition("|")
    target, label = unescape(target), unescape(label).strip()
    if target.startswith("@"):
        return "@" + (label or names.get(target[1:]) or target[1:])
    if target.startswith("#"):
        return "#" + (label or names.get(target[1:]) or target[1:])
    if target.startswith("!"):
        command, _, argument = target[1:].partition("^")
        if command in _BROADCASTS:
            return "@" + command
        if command == "subteam":
            return label or "@" + argument
        return label or argument or command
    if _SCHEME.match(target):
        return _link(target, label)
    return f"<{unescape(inner)}>"  # not Slack's: left as it came


def _link(target: str, label: str) -> str:
    address = target[len(_MAILTO) :] if target[: len(_MAILTO)].lower() == _MAILTO else target
    if not label:
        return address
    if label in (target, address, target.partition("://")[2]):
        return label
    return f"{label} ({address})"
