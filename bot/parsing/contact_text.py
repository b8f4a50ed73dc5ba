"""Reading the text of `/logcontact` into a draft contact.

The grammar is small so that one example teaches it:

    [partner] [leading keywords …] [note …] [promise marker  promise text]

Only the words right after the partner are read as keywords (medium, kind, direction, when);
once the note starts, the words are the user's own, so "discussed the call schedule" keeps its
"call". Everything here is pure: the caller passes today's date and the time of day in the
user's time zone, and the workspace's partner names that could start the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from itertools import islice, pairwise

from bot.parsing.checks import forbidden_character
from bot.parsing.dates import BadDate, Word, is_weekday_abbreviation, match_when, parse_due, words
from bot.parsing.keywords import (
    DIRECTION_TERMS,
    KIND_TERMS,
    MEDIUM_TERMS,
    PROMISE_MARKERS,
    Term,
    spelled_sequences,
)
from bot.parsing.markup import MENTION, unescape
from bot.parsing.ownership_text import PARTNER_WORDS
from bot.parsing.questions import Answers
from bot.parsing.settings_text import HELP_WORDS, SETTINGS_WORDS
from storage.vocabulary import NAME_MAX_CHARS, NOTE_MAX_CHARS

# A whole command: room for both names, the keywords, a full note and a full promise.
COMMAND_MAX_CHARS = 8000

PROBLEM_CODES = (
    "command_too_long",
    "control_character",
    "no_partner",
    "unclosed_quote",
    "name_too_long",
    "bad_date",
    "when_in_future",
    "note_too_long",
    "promise_empty",
    "promise_too_long",
    "promise_without_due",
    "promise_due_in_past",
)


@dataclass(frozen=True)
class PartnerRef:
    """Who the contact was with, as typed: a Slack mention or a name."""

    mention_user_id: str | None = None  # "U123ABC" from <@U123ABC|anna> or <@U123ABC>
    mention_label: str | None = None  # "anna" (may be None)
    name: str | None = None  # "Jens Ohlsen" / "Acme"; None for a mention
    organisation: str | None = None  # "Nordwind GmbH" from a following "(…)"


@dataclass(frozen=True)
class When:
    """The local calendar day of the contact, and the wall-clock time when one was given."""

    on: date
    at: time | None = None


@dataclass(frozen=True)
class PromiseDraft:
    """A promise and by when: ours to the partner, or, after their marker, theirs to us."""

    text: str  # as typed, due phrase included ("send the revised quote by next Tuesday")
    due: date
    due_phrase: str  # the words the due date was read from ("next Tuesday")
    promised_by: str = "us"  # one of PROMISED_BY: "us", or "partner" after "they promised:"


@dataclass(frozen=True)
class ContactDraft:
    """Everything one `/logcontact` says, before anyone looks the partner up."""

    partner: PartnerRef
    medium: str | None  # one of MEDIA, or None when not said
    kind: str  # one of KINDS
    direction: str  # one of DIRECTIONS
    when: When
    note: str
    promise: PromiseDraft | None


class ParseProblem(Exception):
    """Input we cannot accept; `code` picks the user-facing text (rendered elsewhere in EN/DE),
    `details` fills it."""

    code: str
    details: dict[str, object]

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code, details)
        self.code = code
        self.details = details

    def __str__(self) -> str:
        return f"{self.code} {self.details}" if self.details else self.code


# Words that start Rapport's own commands (and those `/rapport` will take): a new partner of
# such a name is asked about before it is created.
COMMAND_WORDS = frozenset(
    {
        *HELP_WORDS,
        *SETTINGS_WORDS,
        *PARTNER_WORDS,
        "promises",
        "zusagen",
        "digest",
        "export",
        "forget",
        "merge",
        "search",
        "suche",
    }
)


def is_help_request(text: str) -> bool:
    """Whether the user asked how the command works instead of logging a contact."""
    return text.strip().casefold() in HELP_WORDS


def says_nothing_but_the_partner(draft: ContactDraft, today: date) -> bool:
    """Whether a draft names a partner and nothing else: no how, kind, give and take, when,
    note or promise (what `/logcontact Acme` alone, or a stray word, reads as)."""
    return (
        draft.medium is None
        and draft.kind == "contact"
        and draft.direction == "mutual"
        and draft.when == When(today)
        and not draft.note
        and draft.promise is None
    )


def first_word(text: str) -> str | None:
    """The word a bare partner name would start with, for the caller to look up partner names.

    None when the partner is a mention or a quoted name, or when there is no text.
    """
    stripped = text.strip()
    if stripped.startswith("<@"):
        return None
    stripped = unescape(stripped)
    if not stripped or stripped[0] in _QUOTES:
        return None
    match = _BARE_WORD.match(stripped)
    word = match.group().rstrip(":,") if match else ""
    return word or None


def parse_logcontact(
    text: str,
    *,
    today: date,
    now: time | None = None,
    partner_names: Collection[str] = (),
    answers: Answers | None = None,
    month_first: bool = False,
) -> ContactDraft:
    """Read `/logcontact` text; raise ParseProblem for anything we cannot accept, and
    `NeedsAnswer` for what could be read more than one way.

    `today` and `now` are the user's local date and time. `partner_names` are existing partner
    names that start with `first_word(text)`; a multi-word name among them is read whole.
    `answers` are the readings the user has chosen so far (`bot.parsing.questions`);
    `month_first` says the member's locale writes numeric dates month first (en-US), so that a
    due date valid both ways round ("2/3") is asked about.
    """
    _reject_control_characters(text)
    partner, rest = _read_partner(text, partner_names, today)
    body, promise_text, promised_by = _split_off_promise(rest)
    leading = _read_leading_words(body, today)
    when = _checked_when(leading.on, leading.at, today=today, now=now)
    if len(leading.note) > NOTE_MAX_CHARS:
        raise ParseProblem("note_too_long", length=len(leading.note), limit=NOTE_MAX_CHARS)
    promise = (
        _read_promise(promise_text, today, promised_by, answers=answers, month_first=month_first)
        if promise_text is not None
        else None
    )
    return ContactDraft(
        partner=partner,
        medium=leading.medium,
        kind=leading.kind or "contact",
        direction=leading.direction or "mutual",
        when=when,
        note=leading.note,
        promise=promise,
    )


# --- safety -----------------------------------------------------------------------------------


def check_command(text: str) -> None:
    """Refuse a command text before anything reads it: longer than any command Rapport can
    take (counted as the user typed it, Slack's escaping undone), or with a character nobody
    types (`bot.parsing.checks`). Every branch of a command, help and settings included, reads
    the text only after this."""
    length = len(unescape(text))
    if length > COMMAND_MAX_CHARS:
        raise ParseProblem("command_too_long", length=length, limit=COMMAND_MAX_CHARS)
    found = forbidden_character(text)
    if found is not None:
        position, char = found
        raise ParseProblem("control_character", char=char, position=position)


def command_problem(text: str) -> ParseProblem | None:
    """What `check_command` would refuse in `text`, or None."""
    try:
        check_command(text)
    except ParseProblem as problem:
        return problem
    return None


def _reject_control_characters(text: str) -> None:
    # Control characters break Slack rendering and CSV exports, and PostgreSQL refuses NUL;
    # nobody types them on purpose. The parser reads line breaks as "\n" alone: a caller with
    # text from a keyboard that types "\r\n" turns it into "\n" first (`line_breaks`).
    found = forbidden_character(text)
    carriage_return = text.find("\r") + 1  # its position; 0 when there is none
    if carriage_return and (found is None or carriage_return < found[0]):
        found = carriage_return, "U+000D"
    if found is not None:
        position, char = found
        raise ParseProblem("control_character", char=char, position=position)


# --- partner ----------------------------------------------------------------------------------

# A Slack user id fits the 32 characters its columns hold; a longer one is no mention.
# Each opening quote with the closing quotes people (and their keyboards' autocorrect) pair it
# with: „…“ is German, “…” English, and smart quotes often turn "…" into “…”.
_QUOTES = {
    '"': '"“”',
    "“": '”“"',
    "„": '“”"',
    "'": "'’",
    "‘": "’'",
    "‚": "‘’",
    "»": "«",
    "«": "»",
}
_BARE_WORD = re.compile(r"[^\s(]+")


def _read_partner(text: str, partner_names: Collection[str], today: date) -> tuple[PartnerRef, str]:
    stripped = text.strip()
    if mention := MENTION.match(stripped):
        label = unescape(mention[2] or "").strip() or None
        partner = PartnerRef(mention_user_id=mention[1], mention_label=label)
        rest = unescape(stripped[mention.end() :])
    else:
        stripped = unescape(stripped)
        if stripped[:1] in _QUOTES:
            name, rest = _read_quoted_name(stripped)
        else:
            name, rest = _read_bare_name(stripped, partner_names, today)
        partner = PartnerRef(name=_checked_label(name))
    organisation, rest = _read_organisation(rest)
    return replace(partner, organisation=organisation), rest


def _read_quoted_name(text: str) -> tuple[str, str]:
    closers = _QUOTES[text[0]]
    line_end = text.find("\n")
    line_end = len(text) if line_end == -1 else line_end
    close = next((at for at in range(1, line_end) if text[at] in closers), None)
    if close is None:
        raise ParseProblem("unclosed_quote")
    return _collapse(text[1:close]), text[close + 1 :]


def _read_bare_name(text: str, partner_names: Collection[str], today: date) -> tuple[str, str]:
    if (known := _known_partner(text, partner_names)) is not None:
        return known
    first = _BARE_WORD.match(text)
    if first is None or _reads_as_something_else(text, today):
        raise ParseProblem("no_partner")
    name = first.group().rstrip(":,")
    return name, text[first.end() :]


def _known_partner(text: str, partner_names: Collection[str]) -> tuple[str, str] | None:
    """The longest existing partner name the text starts with, ending at a word boundary."""
    names = sorted({name.strip() for name in partner_names if name.strip()})
    if not names:
        return None
    most_words = max(len(name.split()) for name in names)
    tokens = list(islice(_BARE_WORD.finditer(text), most_words))
    if not tokens or tokens[0].start() != 0:
        return None
    best: tuple[int, int, str, int] | None = None
    for name in names:
        name_words = [word.casefold() for word in name.split()]
        count = len(name_words)
        if count > len(tokens):
            continue
        typed = [token.group().casefold() for token in tokens[:count]]
        typed[-1] = typed[-1].rstrip(":,")
        adjacent = all(text[a.end() : b.start()].isspace() for a, b in pairwise(tokens[:count]))
        if typed == name_words and adjacent:
            candidate = (count, len(name), name, tokens[count - 1].end())
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return (best[2], text[best[3] :]) if best else None


def _reads_as_something_else(text: str, today: date) -> bool:
    """Whether the first words are a keyword, a date or a promise rather than a partner.

    People forget the partner far more often than they have a partner called "Call"; a partner
    who does can be quoted ("Zoom" call …) or is found among the existing partner names.
    """
    if _PROMISE_MARKER.match(text):
        return True
    ws = words(" ".join(text.split(maxsplit=6)[:6]))
    if _match_keyword(ws, 0) is not None:
        return True
    try:
        when = match_when(ws, 0, today=today, fallback=False)
    except BadDate:
        return True
    return when is not None and not is_weekday_abbreviation(ws[0].key)


def _read_organisation(rest: str) -> tuple[str | None, str]:
    stripped = rest.lstrip()
    if not stripped.startswith("("):
        return None, rest
    close = stripped.find(")")
    if close == -1:
        return None, rest
    organisation = _collapse(stripped[1:close])
    if not organisation:
        return None, stripped[close + 1 :]
    return _checked_label(organisation), stripped[close + 1 :]


def _checked_label(label: str) -> str:
    if not any(char.isalnum() for char in label):
        raise ParseProblem("no_partner")
    if len(label) > NAME_MAX_CHARS:
        raise ParseProblem("name_too_long", length=len(label), limit=NAME_MAX_CHARS)
    return label


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- leading keywords, when and note ------------------------------------------------------------

_KEYWORDS: dict[tuple[str, ...], tuple[str, Term]] = {
    sequence: (field, term)
    for field, terms in (
        ("medium", MEDIUM_TERMS),
        ("kind", KIND_TERMS),
        ("direction", DIRECTION_TERMS),
    )
    for term in terms
    for sequence in spelled_sequences(term.word)
}
_LONGEST_KEYWORD = max(len(sequence) for sequence in _KEYWORDS)
_NOTE_SEPARATOR = re.compile(r"^(?::+\s*|[-–—]+(?:\s+|$))+")


@dataclass(frozen=True)
class _Leading:
    medium: str | None
    kind: str | None
    direction: str | None
    on: date | None
    at: time | None
    note: str


def _match_keyword(ws: Sequence[Word], i: int) -> tuple[int, str, Term] | None:
    for length in range(min(_LONGEST_KEYWORD, len(ws) - i), 0, -1):
        inside = ws[i : i + length]
        if any(word.tail for word in inside[:-1]):
            continue  # "video: call …" is a keyword and a note, not a "video call"
        found = _KEYWORDS.get(tuple(word.key for word in inside))
        if found:
            return i + length, found[0], found[1]
    return None


def _read_leading_words(body: str, today: date) -> _Leading:
    try:
        return _consume_leading_words(body, today)
    except BadDate as problem:
        raise ParseProblem("bad_date", phrase=problem.phrase) from None


def _consume_leading_words(body: str, today: date) -> _Leading:
    """Read keywords and when phrases up to the first other word, which starts the note."""
    ws = words(body)
    fields: dict[str, str] = {}
    on: date | None = None
    at: time | None = None
    verb_at: int | None = None  # index of a just-read verb keyword that may open the note
    i = 0
    while i < len(ws):
        keyword = _match_keyword(ws, i)
        if keyword is not None:
            end, field, term = keyword
            fields[field] = term.value
            verb_at = i if term.verb else None
        else:
            when = match_when(ws, i, today=today)
            if when is None:
                break
            end = when.end
            on = when.on or on
            at = when.at or at
            verb_at = None
        i = end
        if ":" in ws[i - 1].tail:
            break  # a colon announces the note: "call: met their new CFO"
    note = ""
    if i < len(ws):
        opens_note = verb_at is not None and not ws[verb_at].tail
        note_at = verb_at if opens_note and verb_at is not None else i
        note = body[ws[note_at].raw_start :]
    return _Leading(
        medium=fields.get("medium"),
        kind=fields.get("kind"),
        direction=fields.get("direction"),
        on=on,
        at=at,
        note=_clean(note),
    )


def _clean(text: str) -> str:
    return _NOTE_SEPARATOR.sub("", text.strip()).strip()


def _checked_when(on: date | None, at: time | None, *, today: date, now: time | None) -> When:
    day = on or today
    late = at is not None and now is not None and day == today and at > now.replace(tzinfo=None)
    if day > today or late:
        raise ParseProblem("when_in_future", on=day, at=at)
    return When(on=day, at=at)


# --- promise ----------------------------------------------------------------------------------


def _marker_pattern(marker: str) -> str:
    words_pattern = r"\s+".join(re.escape(part) for part in marker.removesuffix(":").split())
    return words_pattern + (r"\s*:" if marker.endswith(":") else r"\b")


# Longest first, so where a marker starts the whole phrase is read ("their promise:").
_PROMISE_MARKER = re.compile(
    r"(?<![\w/-])(?:"
    + "|".join(
        _marker_pattern(marker)
        for marker in sorted({term.word for term in PROMISE_MARKERS}, key=len, reverse=True)
    )
    + ")",
    re.IGNORECASE,
)
_MARKER_OWNERS = [
    (re.compile(_marker_pattern(term.word), re.IGNORECASE), term.value)
    for term in sorted(PROMISE_MARKERS, key=lambda term: len(term.word), reverse=True)
]


def _split_off_promise(rest: str) -> tuple[str, str | None, str]:
    """The text before the first promise marker, the promise after it, and who promised."""
    marker = _PROMISE_MARKER.search(rest)
    if marker is None:
        return rest, None, "us"
    return rest[: marker.start()], rest[marker.end() :], _who_promised(marker.group())


def _who_promised(marker: str) -> str:
    # Matched the way the search matched, so odd spacing and case ("They  PROMISED :") agree.
    return next(value for pattern, value in _MARKER_OWNERS if pattern.fullmatch(marker))


def _read_promise(
    text: str,
    today: date,
    promised_by: str = "us",
    *,
    answers: Answers | None = None,
    month_first: bool = False,
) -> PromiseDraft:
    promise = _clean(text)
    if not promise:
        raise ParseProblem("promise_empty")
    if len(promise) > NOTE_MAX_CHARS:
        raise ParseProblem("promise_too_long", length=len(promise), limit=NOTE_MAX_CHARS)
    try:
        found = parse_due(promise, today=today, month_first=month_first, answers=answers)
    except BadDate as problem:
        raise ParseProblem("bad_date", phrase=problem.phrase) from None
    if found is None:
        raise ParseProblem("promise_without_due", promise=promise)
    due, phrase = found
    if due < today:
        raise ParseProblem("promise_due_in_past", due=due, phrase=phrase)
    return PromiseDraft(text=promise, due=due, due_phrase=phrase, promised_by=promised_by)
