"""Text from Slack, checked before anything searches or stores it.

Everything a person types or Slack tells about someone passes one of these on its way in:

- characters nobody types are refused in commands and forms (`forbidden_character`), and
  removed from text Rapport takes over from elsewhere (`without_forbidden`): NUL and the other
  C0 and C1 control characters except tab, line feed and carriage return, and lone UTF-16
  surrogates (a JSON payload can carry "\\ud800"), which no UTF-8 column can hold. PostgreSQL
  refuses NUL in text outright, so letting one through made an answer that blamed the database;
- profile values from `users.info` are cut or checked to the columns that cache them
  (`clipped`, `time_zone`, `locale`, `email`, `slack_id`);
- ids carried in buttons and forms are read as row ids only when a row could have them
  (`row_id`).

All of it is pure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.vocabulary import (
    EMAIL_MAX_CHARS,
    LOCALE_MAX_CHARS,
    NAME_KEY_MAX_CHARS,
    NAME_MAX_CHARS,
    SLACK_ID_MAX_CHARS,
    TZ_MAX_CHARS,
    name_key,
)

# Unicode's control characters (category Cc) but tab, LF and CR, and the surrogates (Cs).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# The largest id PostgreSQL's `integer` primary keys reach; a larger one was never handed out.
MAX_ROW_ID = 2**31 - 1
# BCP 47 as Slack writes it ("en-US", "de-DE", "pt-BR", "zh-Hant-TW").
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_SLACK_ID = re.compile(r"[A-Z0-9]+")
# Stands for a team id Slack sent in a form no Slack id has; it matches no workspace.
UNREADABLE_TEAM = "?"


def forbidden_character(text: str | None) -> tuple[int, str] | None:
    """The first character Rapport refuses in typed text: its 1-based position and its code
    ("U+0000"); None when there is none."""
    match = _FORBIDDEN.search(text or "")
    if match is None:
        return None
    return match.start() + 1, f"U+{ord(match.group()):04X}"


# Characters that turn the order text is shown in (bidirectional embeddings, overrides and
# isolates, and the marks): in a name they make "Acme" show as another name, or a name look
# like something else in every list it appears in. Nobody types them into a name on purpose.
_TURNING = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Hangul fillers: letters to Unicode, blank on screen. A name of nothing else looks empty.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# Invisible characters a pasted name brings along (zero-width space, word joiner, byte order
# mark, soft hyphen): left out of the name stored. Joiners (U+200C, U+200D) stay: some scripts
# and emoji need them.
_PASTED_ALONG = str.maketrans(dict.fromkeys("\u200b\u2060\ufeff\u00ad"))


def name_character(name: str | None) -> tuple[int, str] | None:
    """The first character a partner or organisation name may not hold: one that turns the
    order text is shown in, or a Hangul filler in a name with no other letter or digit; its
    1-based position in the name and its code ("U+202E"). None when there is none."""
    text = name or ""
    if (match := _TURNING.search(text)) is not None:
        return match.start() + 1, f"U+{ord(match.group()):04X}"
    if any(c in _FILLERS for c in text) and not any(
        c.isalnum() and c not in _FILLERS for c in text
    ):
        at = next(i for i, c in enumerate(text) if c in _FILLERS)
        return at + 1, f"U+{ord(text[at]):04X}"
    return None


def display_name(name: str) -> str:
    """A name as it is stored and shown: composed (NFC: "Mu\u0308ller" is "Müller"), without
    the invisible characters pasting brings along, runs of spaces folded, ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", name.translate(_PASTED_ALONG)).split())


def without_forbidden(text: str) -> str:
    """`text` with the characters `forbidden_character` refuses taken out; lines stay lines."""
    return _FORBIDDEN.sub("", text)


def line_breaks(text: str) -> str:
    """`text` with its line breaks as "\n" (Windows' "\r\n" and a lone "\r" are line breaks
    too), so a note reads the same wherever it was typed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clipped(text: str | None, limit: int) -> str:
    """Text from Slack made fit for a column of `limit` characters: forbidden characters out,
    space at the ends trimmed, then cut."""
    return without_forbidden(text or "").strip()[:limit]


def person_name(text: str | None, fallback: str) -> str:
    """A name from a Slack profile as a partner or member name: clipped to the longest name,
    runs of spaces and line breaks folded to one space; `fallback` when nothing is left."""
    name = display_name(without_forbidden(text or ""))[:NAME_MAX_CHARS].strip()
    return name or clipped(fallback, NAME_MAX_CHARS)


def time_zone(name: object) -> str | None:
    """An IANA zone name of a place this machine knows, or None (then the cached one, or UTC, is
    kept)."""
    if not isinstance(name, str) or not name or len(name) > TZ_MAX_CHARS:
        return None
    return name if _is_zone(name) else None


# Files of the zone database that name no place: "localtime" is whatever zone the machine
# Rapport runs on is set to, "Factory" stands for "no zone set", "posixrules" is a template,
# and "posix/…" and "right/…" are copies of the database (the latter counting leap seconds,
# 27 seconds off the clocks people read).
_NOT_PLACES = frozenset({"localtime", "factory", "posixrules"})
_NOT_PLACE_PREFIXES = ("posix/", "right/")


@lru_cache(maxsize=512)
def _is_zone(name: str) -> bool:
    folded = name.casefold()
    if folded in _NOT_PLACES or folded.startswith(_NOT_PLACE_PREFIXES):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def locale(value: object) -> str | None:
    """A locale in Slack's form ("de-DE") that fits its column, or None."""
    if not isinstance(value, str) or len(value) > LOCALE_MAX_CHARS:
        return None
    return value if _LOCALE.fullmatch(value) else None


def email(value: object) -> str | None:
    """An e-mail address that fits its column and could be one, or None: a cut address would
    be someone else's."""
    if not isinstance(value, str) or len(value) > EMAIL_MAX_CHARS:
        return None
    local, at, domain = value.partition("@")
    if not (local and at and domain) or any(c.isspace() for c in value):
        return None
    return None if forbidden_character(value) else value


def slack_id(value: object) -> str | None:
    """A Slack id (user, team, channel): capitals and digits that fit the id columns; None
    for anything else."""
    if not isinstance(value, str) or len(value) > SLACK_ID_MAX_CHARS:
        return None
    return value if _SLACK_ID.fullmatch(value) else None


def channel_id(value: object) -> str | None:
    """A channel's id as Slack writes it in a button or event: a Slack id starting with C
    (public, and private ones made since 2021) or G (older private channels and group DMs);
    None for a user (U…, W…), a DM (D…) or anything else."""
    found = slack_id(value)
    return found if found is not None and found[0] in "CG" and len(found) > 1 else None


def team_id(value: object) -> str | None:
    """The team a Slack profile names; None when it names none. A team id that is no Slack id
    becomes `UNREADABLE_TEAM`, which is no workspace's: never taken for the asker's own."""
    if value is None or value == "":
        return None
    return slack_id(value) or UNREADABLE_TEAM


def row_id(value: object) -> int | None:
    """A database id carried in a button or form value, or None when no row can have it
    (tampered, or not digits at all: "²".isdigit() is true, and `int()` refuses it)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ROW_ID else None


def name_fits(name: str) -> bool:
    """Whether a partner or organisation name fits its column, and so does its folded key
    (case folding may make a name up to three times longer: "ß" becomes "ss")."""
    return len(name) <= NAME_MAX_CHARS and len(name_key(name)) <= NAME_KEY_MAX_CHARS
