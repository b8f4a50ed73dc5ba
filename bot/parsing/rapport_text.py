"""Reading `/rapport TEXT`: which subcommand, and its values, as a typed request.

    /rapport                                     what /rapport does (also `help`, `hilfe`, `?`)
    /rapport partners                            the partners I look after (`partner`)
    /rapport partners all                        every partner of the workspace (`partner alle`)
    /rapport partners unowned                    the partners nobody looks after
    /rapport partners search müller              by name, organisation or e-mail
                                                 (`partner suchen …`, `partner suche …`)
    /rapport partner Acme                        Acme's card
    /rapport partner Acme set tz Asia/Tokyo      Acme's profile (`setze`, `setzen`)
    /rapport partner Acme owner @anna            hand Acme over to Anna (as `/logcontact`)
    /rapport partner Acme rename Acme Corp       a new name (`umbenennen`; the organisation
                                                 stays unless one is given: `"Acme" (Acme AG)`)
    /rapport forget Acme                         erase Acme and everything about it, after a
                                                 confirmation (`vergessen`)
    /rapport merge Acme Ltd into Acme            move Acme Ltd's history to Acme, after a
                                                 confirmation (`zusammenführen … in …`)
    /rapport promises                            my open promises both ways (`zusagen`)
    /rapport settings …                          my settings (as `/logcontact`; `einstellungen`)
    /rapport digest on|off|status …              the channel's digest (`Digest`, read by
                                                 `bot.parsing.digests.subscription_text`)

Either language's words work for everyone. The settings and ownership commands are read by the
same readers `/logcontact` uses (`shared_request`), so both commands understand them alike. A
quoted name is always a partner's name: `partner "Alle"` is the card of a partner called Alle,
where `partner alle` is the list of all partners.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.parsing.checks import display_name, forbidden_character, name_character, name_fits
from bot.parsing.contact_text import address_in_name
from bot.parsing.digests.subscription_text import DIGEST_WORDS, is_digest_text
from bot.parsing.markup import MENTION, decode, unescape
from bot.parsing.ownership_text import (
    PARTNER_WORDS,
    OwnershipProblem,
    OwnershipRequest,
    name_and_organisation,
    ownership_request,
)
from bot.parsing.settings_text import SETTINGS_WORDS, settings_text
from storage.vocabulary import NAME_MAX_CHARS

HELP_WORDS = frozenset({"help", "hilfe", "?"})
PROMISES_WORDS = frozenset({"promises", "zusagen", "versprechen"})
ALL_WORDS = frozenset({"all", "alle"})
SEARCH_WORDS = frozenset({"search", "find", "suche", "suchen", "finde", "finden"})
SET_WORDS = frozenset({"set", "setze", "setzen"})
RENAME_WORDS = frozenset({"rename", "umbenennen", "umbenenne", "benenne"})
FORGET_WORDS = frozenset({"forget", "vergessen", "vergiss", "vergesse"})
MERGE_WORDS = frozenset(
    {"merge", "zusammenführen", "zusammenfuehren", "zusammenlegen", "vereinen", "vereinigen"}
)
# What stands between the two names of a merge, strongest first: a name may hold "in"
# ("Made in Berlin GmbH"), seldom "into" or an arrow.
INTO_WORDS = ("into", "->", "→", "in")

# The most of a search text that is read (and carried in a paging button's value): longer than
# any name, organisation or e-mail address stored (`storage.vocabulary`), far below Slack's
# 2,000 characters for a button value.
SEARCH_MAX_CHARS = 200

_QUOTES = "\"'“”„‘’‚»«"


@dataclass(frozen=True)
class Help:
    """`help`, `hilfe` or nothing: what /rapport does."""


@dataclass(frozen=True)
class Settings:
    """`settings …`: the text after the word, read by `bot.parsing.settings_text`."""

    text: str


@dataclass(frozen=True)
class Digest:
    """`digest on|off|status …`: the channel's digest subscription; the text, read by
    `bot.parsing.digests.subscription_text` (with the answers to its question, if any).

    Answered after the ack (it asks Slack about the channel), so it is told apart before
    `rapport_request` by `digest_command`, and is not one of the `RapportRequest`s answered
    from the cache."""

    text: str


def digest_command(text: str) -> Digest | None:
    """`/rapport digest …` as a `Digest`; None when the text is about something else."""
    text = " ".join(text.split())
    return Digest(text) if is_digest_text(text) else None


@dataclass(frozen=True)
class MyPartners:
    """`partners`: the partners the asker looks after."""


@dataclass(frozen=True)
class AllPartners:
    """`partners all`: every partner of the workspace."""


@dataclass(frozen=True)
class SearchPartners:
    """`partners search TEXT`: partners whose name, organisation or e-mail contains `text`."""

    text: str


@dataclass(frozen=True)
class MyPromises:
    """`promises`: the asker's open promises, theirs and their partners'."""


@dataclass(frozen=True)
class ShowPartner:
    """`partner NAME`: the partner's card; `partner @someone` names a Slack Connect partner by
    their Slack user id (`slack_user_id`, `name` then shows how the mention reads)."""

    name: str
    organisation: str | None
    slack_user_id: str | None = None


@dataclass(frozen=True)
class SetProfile:
    """`partner NAME set …`: change the partner's profile; `assignments` is the text after the
    set word, as typed."""

    name: str
    organisation: str | None
    assignments: str
    slack_user_id: str | None = None


@dataclass(frozen=True)
class RenamePartner:
    """`partner NAME rename NEW`: give the partner called `name` (at `organisation`) the name
    `new_name`, checked as a new partner's name is; `new_organisation` None keeps the
    organisation it has."""

    name: str
    organisation: str | None
    new_name: str
    new_organisation: str | None
    slack_user_id: str | None = None


@dataclass(frozen=True)
class RenameProblem:
    """`partner NAME rename …` with a new name no partner may have; `code` picks
    `registry.rename.problem.CODE`, `values` fill it (`name` is the partner as typed)."""

    name: str
    organisation: str | None
    code: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ForgetPartner:
    """`forget NAME`: erase the partner and everything about it (after a confirmation)."""

    name: str
    organisation: str | None
    slack_user_id: str | None = None


@dataclass(frozen=True)
class MergePartners:
    """`merge NAME into OTHER`: move everything about the partner `name` to `into_name`, which
    remains; the `slack_user_id`s are set when a side is named by one mention."""

    name: str
    organisation: str | None
    into_name: str
    into_organisation: str | None
    slack_user_id: str | None = None
    into_slack_user_id: str | None = None
    # The other ways the text splits (`merge_readings`), for a name holding an into word.
    others: tuple[MergePartners, ...] = ()

    @property
    def absorbed(self) -> ForgetPartner:
        """The partner that goes, as a name to look up."""
        return ForgetPartner(self.name, self.organisation, self.slack_user_id)

    @property
    def kept(self) -> ForgetPartner:
        """The partner that remains, as a name to look up."""
        return ForgetPartner(self.into_name, self.into_organisation, self.into_slack_user_id)


@dataclass(frozen=True)
class MergeUsage:
    """`merge` without two names around an into word: how it is written."""


@dataclass(frozen=True)
class Unknown:
    """A subcommand /rapport does not know; `word` is the word as typed (never empty), `near`
    the subcommand it is probably a slip of ("partnes" → "partners"), if any."""

    word: str
    near: str | None = None


def _near_subcommand(word: str) -> str | None:
    """The subcommand `word` is closest to, when close enough to be a slip of it."""
    words = sorted(
        HELP_WORDS
        | PROMISES_WORDS
        | PARTNER_WORDS
        | SETTINGS_WORDS
        | FORGET_WORDS
        | MERGE_WORDS
        | DIGEST_WORDS - {"?"}
    )
    found = difflib.get_close_matches(word.casefold(), words, n=1, cutoff=0.75)
    return found[0] if found else None


@dataclass(frozen=True)
class BadSearch:
    """`partners search` without a text, or with one longer than `SEARCH_MAX_CHARS`."""

    too_long: bool


ListRequest = MyPartners | AllPartners | SearchPartners | MyPromises
SharedRequest = Settings | OwnershipRequest
RegistryRequest = RenamePartner | RenameProblem | ForgetPartner | MergePartners | MergeUsage
RapportRequest = (
    Help
    | SharedRequest
    | ListRequest
    | ShowPartner
    | SetProfile
    | RegistryRequest
    | Unknown
    | BadSearch
)


def shared_request(text: str) -> SharedRequest | None:
    """The commands `/logcontact` and `/rapport` both take (settings, ownership); None when
    `text` is neither."""
    settings = settings_text(text)
    if settings is not None:
        return Settings(settings)
    return ownership_request(text)


def rapport_request(text: str) -> RapportRequest:
    """What `/rapport TEXT` asks for. Never raises: a text it cannot read is `Unknown`."""
    text = " ".join(text.split())
    first, _, rest = text.partition(" ")
    word = first.casefold().rstrip(":")
    if not word or word in HELP_WORDS:
        return Help()
    if word in FORGET_WORDS:
        return _forget(rest)
    if word in MERGE_WORDS:
        readings = merge_readings(rest)
        if not readings:
            return MergeUsage()
        return replace(readings[0], others=tuple(readings[1:]))
    shared = shared_request(text)
    if isinstance(shared, OwnershipProblem) and word in PARTNER_WORDS:
        # `partner Acme rename Owner Inc`: a new name with an owner word and no mention.
        renamed = _partners(rest)
        if isinstance(renamed, RenamePartner | RenameProblem):
            return renamed
    if shared is not None:
        return shared
    if word in PROMISES_WORDS:
        return MyPromises() if not rest else Unknown(rest.split()[0])
    if word in PARTNER_WORDS:
        return _partners(rest)
    return Unknown(first, _near_subcommand(word))


def whole_name(text: str) -> ShowPartner | None:
    """Everything after `partner`, read as one name: what a name holding a command word means
    (`partner Data Set Ltd`, `partner Owner Inc`) when a partner of that name exists, which only
    the use case can tell. None when `text` does not start with the partner word."""
    first, _, rest = " ".join(text.split()).partition(" ")
    if first.casefold().rstrip(":") not in PARTNER_WORDS or not rest:
        return None
    name, organisation = name_and_organisation(rest)
    return ShowPartner(name, organisation, _mentioned(rest)) if name else None


def _partners(rest: str) -> RapportRequest:
    """After `partner` or `partners` (ownership already ruled out)."""
    if not rest:
        return MyPartners()
    head, _, tail = rest.partition(" ")
    folded = head.casefold().rstrip(":")
    if folded in ALL_WORDS and not tail:
        return AllPartners()
    if folded in SEARCH_WORDS:
        typed = decode(tail).strip()
        if not typed or len(typed) > SEARCH_MAX_CHARS:
            return BadSearch(too_long=bool(typed))
        return SearchPartners(typed)
    return _one_partner(rest)


def _one_partner(rest: str) -> ShowPartner | SetProfile | RenamePartner | RenameProblem:
    """`NAME`, `NAME set …` or `NAME rename NEW`. The command words count outside quotes and
    parentheses only, so a name such as `"Set Point"` or `Acme (Reset set)` stays a name; the
    first one wins, so what follows it may contain either word again."""
    tokens = rest.split(" ")
    for at in _command_word_positions(tokens):
        word = tokens[at].casefold()
        named, after = " ".join(tokens[:at]), " ".join(tokens[at + 1 :])
        name, organisation = name_and_organisation(named)
        if word in SET_WORDS:
            return SetProfile(name, organisation, after, _mentioned(named))
        return rename_reading(named, after)
    name, organisation = name_and_organisation(rest)
    return ShowPartner(name, organisation, _mentioned(rest))


def _command_word_positions(tokens: list[str]) -> list[int]:
    """Where a set or rename word stands outside quotes and parentheses, after the first word
    (a name comes first), in order."""
    return [
        at for at in _outside_quotes(tokens) if tokens[at].casefold() in SET_WORDS | RENAME_WORDS
    ]


def rename_readings(text: str) -> list[RenamePartner | RenameProblem]:
    """Every way `partner … rename …` splits at a rename word, first split first: where a
    partner's name holds the word (`partner Rename Ltd rename Rename Group`), the use case
    takes the split whose name is a partner's."""
    first, _, rest = " ".join(text.split()).partition(" ")
    if first.casefold().rstrip(":") not in PARTNER_WORDS:
        return []
    tokens = rest.split(" ")
    return [
        rename_reading(" ".join(tokens[:at]), " ".join(tokens[at + 1 :]))
        for at in _command_word_positions(tokens)
        if tokens[at].casefold() in RENAME_WORDS
    ]


def rename_reading(named: str, new: str) -> RenamePartner | RenameProblem:
    """`NAME rename NEW` with the new name and organisation checked as a new partner's are
    (`bot.parsing.contact_text`): markup decoded, no web or mail address in a bare name or an
    organisation (a quoted name is taken as typed), no character that turns how text reads,
    something to read, and a length that fits."""
    name, organisation = name_and_organisation(named)
    mention = _mentioned(named)
    shown = name or named
    new_name, new_organisation = name_and_organisation(new)
    typed = decode(new).strip()
    quoted = len(typed) >= 2 and typed[0] in _QUOTES
    for label, is_organisation in ((new_name, False), (new_organisation, True)):
        if label is None:
            continue
        problem = _new_name_problem(label, organisation=is_organisation, quoted=quoted)
        if problem is not None:
            code, values = problem
            return RenameProblem(shown, organisation, code, values)
    return RenamePartner(
        name,
        organisation,
        display_name(new_name),
        display_name(new_organisation) if new_organisation else None,
        mention,
    )


def _new_name_problem(
    label: str, *, organisation: bool, quoted: bool
) -> tuple[str, dict[str, str]] | None:
    """Why `label` cannot be a partner's (or organisation's) new name; None when it can."""
    address = (
        None if quoted and not organisation else address_in_name(label, organisation=organisation)
    )
    if address is not None:
        return "address", {"address": address}
    if (found := name_character(label)) is not None:
        position, char = found
        return "character", {"char": char, "position": str(position)}
    shown = display_name(label)
    if not any(char.isalnum() for char in shown):
        return "empty", {}
    if not name_fits(shown):
        return "too_long", {"length": str(len(shown)), "limit": str(NAME_MAX_CHARS)}
    return None


def _forget(rest: str) -> ForgetPartner:
    """`forget NAME` (`forget partner NAME` too); a bare `forget` names nobody (`name` "")."""
    first, _, after = rest.partition(" ")
    if first.casefold().rstrip(":") in PARTNER_WORDS and after:
        rest = after
    name, organisation = name_and_organisation(rest)
    return ForgetPartner(name, organisation, _mentioned(rest))


def merge_readings(rest: str) -> list[MergePartners]:
    """Every way `NAME into OTHER` splits at an into word outside quotes and parentheses, the
    strongest word first (`INTO_WORDS`) and, for one word, the first place first: where a name
    holds the word (`Made in Berlin GmbH in Made in Berlin`), the use case takes the split whose
    two names are partners'. A leading partner word (`merge partner Acme into …`) is skipped."""
    first, _, after = rest.partition(" ")
    if first.casefold().rstrip(":") in PARTNER_WORDS and after:
        rest = after
    tokens = rest.split(" ") if rest else []
    found = []
    for into in INTO_WORDS:
        for at in _outside_quotes(tokens):
            # Slack sends a typed `->` as `-&gt;` (command text comes escaped).
            if unescape(tokens[at]).casefold() != into or at == len(tokens) - 1:
                continue
            named, other = " ".join(tokens[:at]), " ".join(tokens[at + 1 :])
            first_word, _, other_rest = other.partition(" ")
            if first_word.casefold().rstrip(":") in PARTNER_WORDS and other_rest:
                other = other_rest
            name, organisation = name_and_organisation(named)
            into_name, into_organisation = name_and_organisation(other)
            if name and into_name:
                found.append(
                    MergePartners(
                        name,
                        organisation,
                        into_name,
                        into_organisation,
                        _mentioned(named),
                        _mentioned(other),
                    )
                )
    return found


def _outside_quotes(tokens: list[str]) -> list[int]:
    """The positions after the first word that stand outside quotes and parentheses."""
    found = []
    quoted, depth = False, 0
    for at, token in enumerate(tokens):
        if at > 0 and not quoted and depth == 0:
            found.append(at)
        if not quoted and token[:1] in _QUOTES:
            quoted = not (len(token) > 1 and token[-1] in _QUOTES)
        elif quoted and token[-1:] in _QUOTES:
            quoted = False
        if not quoted:
            depth = max(0, depth + token.count("(") - token.count(")"))
    return found


def _mentioned(named: str) -> str | None:
    """The user id when the partner is named by one mention alone (`<@U0KENJI|kenji>`)."""
    mention = MENTION.fullmatch(named.strip())
    return mention.group(1) if mention else None


# --- the value of a paging button ----------------------------------------------------------------

# The lists without a text, by the name their buttons carry; a search is `search`.
_PLAIN: dict[str, MyPartners | AllPartners | MyPromises] = {
    "mine": MyPartners(),
    "all": AllPartners(),
    "promises": MyPromises(),
}
SEARCH_KIND = "search"
# Far beyond any list (5,000 partners a member, a few hundred thousand in a workspace), and
# short enough that a tampered value cannot ask the database for an absurd OFFSET.
OFFSET_MAX = 10_000_000


def list_kind(request: ListRequest) -> str:
    """The list's name in a button value and in the texts: mine, all, search or promises."""
    if isinstance(request, SearchPartners):
        return SEARCH_KIND
    return next(kind for kind, plain in _PLAIN.items() if plain == request)


def page_value(request: ListRequest, offset: int) -> str:
    """What a paging button carries: `KIND:OFFSET` or `search:OFFSET:TEXT`."""
    kind = list_kind(request)
    if isinstance(request, SearchPartners):
        return f"{kind}:{offset}:{request.text}"
    return f"{kind}:{offset}"


@dataclass(frozen=True)
class Page:
    """A paging button pressed: which list, from which row."""

    request: ListRequest
    offset: int


def read_page_value(value: str | None) -> Page | None:
    """The page a button's value asks for; None when the value is not one Rapport made (it
    comes from the client: a wrong kind, an offset that is not a small number, a search text
    empty, longer than `SEARCH_MAX_CHARS` or with a character the command itself refuses, such
    as NUL, which PostgreSQL refuses in a query, or a lone surrogate, which no driver encodes)."""
    kind, _, rest = (value or "").partition(":")
    offset_text, colon, text = rest.partition(":")
    digits = offset_text.isascii() and offset_text.isdigit()
    # The length first: int() of a few thousand digits is refused, and slow before that.
    if not digits or len(offset_text) > len(str(OFFSET_MAX)) or int(offset_text) > OFFSET_MAX:
        return None
    offset = int(offset_text)
    if kind == SEARCH_KIND:
        typed = text.strip()
        if not colon or not typed or len(typed) > SEARCH_MAX_CHARS or forbidden_character(typed):
            return None
        return Page(SearchPartners(typed), offset)
    plain = _PLAIN.get(kind)
    if plain is None or colon:
        return None
    return Page(plain, offset)
