"""Reading ownership commands: `partner NAME owner @someone` and `partners unowned`.

    /logcontact partner Acme owner @anna        hand Acme over to Anna
    /logcontact partner Acme zuständig @anna    the same in German (also `inhaber`, `besitzer`)
    /logcontact partners unowned                the partners nobody looks after, to take over
    /logcontact partner ohne zuständige         the same in German

Either language's words work for everyone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.parsing.checks import name_fits, row_id
from bot.parsing.markup import MENTION, decode
from storage.vocabulary import NAME_MAX_CHARS

PARTNER_WORDS = frozenset({"partner", "partners"})

OWNER_WORDS = frozenset(
    {
        "owner",
        "zuständig",
        "zustaendig",
        "zuständige",
        "zuständiger",
        "inhaber",
        "inhaberin",
        "besitzer",
        "besitzerin",
    }
)

UNOWNED_WORDS = frozenset(
    {
        "unowned",
        "ohne zuständige",
        "ohne zuständigen",
        "ohne zuständigkeit",
        "ohne zustaendige",
    }
)

_QUOTE_CHARS = "\"'“”„‘’‚»«"

_ORGANISATION = re.compile(r"(?P<name>.*?)\s*\((?P<organisation>[^()]*)\)", re.DOTALL)


@dataclass(frozen=True)
class ListUnowned:
    """`partners unowned`: show the partners nobody looks after."""


@dataclass(frozen=True)
class HandOver:
    """`partner NAME owner @someone`: `owner_user_id` is to look after the partner from now on."""

    name: str
    organisation: str | None
    owner_user_id: str


@dataclass(frozen=True)
class OwnershipProblem:
    """Why an ownership request cannot be carried out; `code` picks `ownership.problem.CODE`,
    `values` fill it."""

    code: str
    values: Mapping[str, str] = field(default_factory=dict)


OwnershipRequest = ListUnowned | HandOver | OwnershipProblem


def ownership_request(text: str) -> OwnershipRequest | None:
    """What an ownership command asks for; None when the text is not one (a contact to log).

    The owner word is looked for from the end, so a partner name may contain "owner"; what
    follows it must be one mention.
    """
    parts = text.split(maxsplit=1)
    if not parts or parts[0].casefold().rstrip(":") not in PARTNER_WORDS:
        return None
    tokens = parts[1].split() if len(parts) > 1 else []
    if " ".join(tokens).casefold() in UNOWNED_WORDS:
        return ListUnowned()
    at = next(
        (
            i
            for i in reversed(range(len(tokens)))
            if tokens[i].casefold().rstrip(":") in OWNER_WORDS
        ),
        None,
    )
    if at is None:
        return None
    name, organisation = name_and_organisation(" ".join(tokens[:at]))
    mention = MENTION.fullmatch(" ".join(tokens[at + 1 :]))
    if not name or mention is None:
        return OwnershipProblem("usage")
    if not name_fits(name) or not name_fits(organisation or ""):
        return OwnershipProblem("name_too_long", {"limit": str(NAME_MAX_CHARS)})
    return HandOver(name, organisation, mention.group(1))


def owner_mention(text: str) -> str | None:
    """The user id of the new owner in `partner NAME owner @someone`, for asking Slack first."""
    request = ownership_request(text)
    return request.owner_user_id if isinstance(request, HandOver) else None


def name_and_organisation(text: str) -> tuple[str, str | None]:
    """`Acme`, `"Jens Ohlsen" (Nordwind GmbH)` or `Jens Ohlsen (Nordwind GmbH)` → name, org."""
    text = decode(text).strip()
    organisation = None
    if match := _ORGANISATION.fullmatch(text):
        text, organisation = match["name"], _collapse(match["organisation"]) or None
    if len(text) >= 2 and text[0] in _QUOTE_CHARS and text[-1] in _QUOTE_CHARS:
        text = text[1:-1]
    return _collapse(text), organisation


def as_typed(name: str, organisation: str | None) -> str:
    """A partner as a command names it, the way `name_and_organisation` reads it back: a name of
    several words in quotes (so that no word of it is taken for a command word such as `into`),
    the organisation in parentheses: `Acme`, `"Acme GmbH" (Acme Holding)`."""
    typed = f'"{name}"' if len(name.split()) > 1 or "(" in name else name
    return f"{typed} ({organisation})" if organisation else typed


def partner_id_of(value: str | None) -> int | None:
    """The partner id a Take over button carries; None when the value was tampered with."""
    return row_id(value)


def _collapse(text: str) -> str:
    return " ".join(text.split())
