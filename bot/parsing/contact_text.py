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
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import lru_cache
from itertools import islice, pairwise
from typing import NamedTuple

from bot.parsing.checks import display_name, forbidden_character, name_character, row_id
from bot.parsing.dates import (
    BadDate,
    WhenHit,
    Word,
    date_shaped,
    is_weekday_abbreviation,
    match_when,
    names_day_or_month,
    names_month,
    read_due,
    when_question,
    words,
)
from bot.parsing.keywords import (
    DIRECTION_TERMS,
    KIND_TERMS,
    MEDIUM_TERMS,
    PROMISE_MARKERS,
    Term,
    spelled_sequences,
)
from bot.parsing.markup import MENTION, decode
from bot.parsing.ownership_text import PARTNER_WORDS
from bot.parsing.promise_text import without_due_phrase
from bot.parsing.questions import CANCEL, Answers, NeedsAnswer, Question, Reading
from bot.parsing.settings_text import HELP_WORDS, SETTINGS_WORDS
from storage.vocabulary import (
    EVERYDAY_WORDS,
    HONORIFIC_JOINERS,
    HONORIFICS,
    LEGAL_FORMS,
    NAME_MAX_CHARS,
    NAME_PARTICLES,
    NOTE_MAX_CHARS,
    begins_word,
    begins_words,
    begun_by,
    honorifics_alone,
    name_key,
)

# A whole command: room for both names, the keywords, a full note and a full promise.
COMMAND_MAX_CHARS = 8000

PROBLEM_CODES = (
    "command_too_long",
    "control_character",
    "no_partner",
    "unclosed_quote",
    "name_too_long",
    "name_character",
    "address_as_name",
    "bad_date",
    "unread_date",
    "when_in_future",
    "when_later_today",
    "note_too_long",
    "promise_empty",
    "two_promises",
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
    # A bare name followed by words that could be more of it: the longer names it could be,
    # longest first ("Schmidt Logistik" for "Schmidt Logistik Telefonat"), whether the name
    # read is new or a known partner's.
    # Hints for the questions about a new partner, not part of who it is: equal refs name the
    # same partner however they were typed.
    longer: tuple[str, ...] = field(default=(), compare=False)
    # The organisation typed right after a longer reading, by the reading ("Jens Ohlsen Berger",
    # "Nordwind GmbH" for "Jens Ohlsen Berger (Nordwind GmbH) call"): chosen, the reading is
    # read with it, so the button offering it names it too. Only the readings one follows.
    longer_organisations: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # Longer readings, longest first, whose words begin a known partner's name, some cut short
    # or in lower case ("schmidt log" for "Schmidt Logistik"): asked about for that partner
    # only, never offered as new names (lower-case words after a name are otherwise the note).
    cut_short: tuple[str, ...] = field(default=(), compare=False)
    quoted: bool = field(default=False, compare=False)  # typed in quotes: exactly the name
    # A shorter known partner's name the typed words of the known name read begin, where the
    # name's other words begin a day or a time ("globex" for "globex 2. dezember call" when
    # "Globex" and "Globex 2" exist) or its closing number the note ("globex 2 hours call"):
    # the text reads both ways, and is asked about.
    shorter: ShorterName | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ShorterName:
    """A shorter known name a known name's typed words begin, with the when phrase its other
    words begin ("globex", "2. dezember" for "globex 2. dezember call"), and how many typed
    words the known name takes (2): the two readings a question offers. Or, where the words
    after a known name's closing number are note text rather than a day ("globex 2 hours
    call"), the number with the word after it (`quantity`: "2 hours"), and no `when`: the
    number may be how long, how many or how much, said of the shorter name's partner."""

    name: str  # as typed
    when: str  # as typed; "" for a quantity
    words: int
    quantity: str = ""  # as typed: the number and the word after it
    # As typed: the day the known name's reading reads after the whole name ("Montag" of
    # "globex 2. Montag call", the second Monday or Globex 2's Monday); "" for none.
    known_when: str = ""


@dataclass(frozen=True)
class PartnerChoice:
    """What was chosen in a question about the partner (slot "partner"): an existing partner
    (`partner_id`), or a new one; `words` says how many of the typed words are the name (0: as
    read, the first word of a bare name or a quoted name)."""

    partner_id: int | None = None
    words: int = 0

    @property
    def value(self) -> str:
        """How the choice travels on a button: "p<id>:<words>" or "w<words>"."""
        if self.partner_id is not None:
            return f"p{self.partner_id}:{self.words}"
        return f"w{self.words}"


# A new partner named as read (the bare first word, or the quoted name).
NEW_PARTNER = "new"
_CHOICE = re.compile(r"(?:p(\d+):|w)(\d{1,2})")


def partner_choice(answers: Answers | None) -> PartnerChoice | None:
    """The partner chosen in `answers`; None when none was (or "new", which changes nothing)."""
    found = _CHOICE.fullmatch((answers or {}).get("partner", ""))
    if found is None:
        return None
    if found[1] is None:
        return PartnerChoice(None, int(found[2]))
    # An id no row can have (a forged value) is no choice: it would fail the database's integer.
    partner_id = row_id(found[1])
    return None if partner_id is None else PartnerChoice(partner_id, int(found[2]))


@dataclass(frozen=True)
class When:
    """The local calendar day of the contact, and the wall-clock time when one was given."""

    on: date
    at: time | None = None


@dataclass(frozen=True)
class PromiseDraft:
    """A promise and by when: ours to the partner, or, after their marker, theirs to us."""

    # What was promised, without the words that said when ("send the revised quote" from "send
    # the revised quote by next Tuesday"), so that it reads right on any later day
    # (`bot.parsing.promise_text`).
    text: str
    due: date
    due_phrase: str  # the words the due date was read from, as typed ("next Tuesday")
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


# Existing partners offered in a question about a new one, at most.
NEAR_PARTNERS = 3


@dataclass(frozen=True)
class NearPartner:
    """An existing partner a new name may have been meant as (found by the caller, who holds
    the database): its id, how it is shown, and how many typed words name it (0: as read)."""

    partner_id: int
    label: str
    words: int = 0


def _label(name: str, organisation: str | None) -> str:
    return f"{name} ({organisation})" if organisation else name


def new_partner_question(
    draft: ContactDraft, today: date, near: Sequence[NearPartner] = ()
) -> Question | None:
    """What to ask before creating the partner `draft` names, should it be new; None when a new
    partner of that name needs no question. Whether the name is new is the caller's to know.

    A new partner is more likely a slip when the line says nothing else, the name is one of
    Rapport's own words, an existing partner is named like it (`near`: a typo, a missing
    umlaut, the start of a longer name, a shorter name it extends), or the words after a bare
    name could be more of it (`PartnerRef.longer`). The question offers each existing partner it
    may be, each new name it may be, and Cancel.
    """
    ref = draft.partner
    if ref.name is None:
        return None
    command_word = ref.name.casefold() in COMMAND_WORDS
    alone = says_nothing_but_the_partner(draft, today)
    if not (command_word or alone or near or ref.longer):
        return None
    label = _label(ref.name, ref.organisation)
    readings = _name_readings([(partner, partner.words) for partner in near], ref)
    if ref.name not in _cut_before_a_legal_form(ref) and not _honorifics_typed_alone(ref):
        readings.append(
            Reading(NEW_PARTNER, label="question.create_partner", values={"name": label})
        )
    readings.append(Reading(CANCEL, label="question.cancel"))
    if command_word:
        reason, phrase = "question.command_word", label
    elif near:
        reason, phrase = "question.similar_partner", _longest_reading(ref) or label
    elif ref.longer:
        reason, phrase = "question.multi_word", ref.longer[0]
    else:
        reason, phrase = "question.new_partner", label
    return Question(slot="partner", phrase=phrase, reason=reason, readings=tuple(readings))


def _honorifics_typed_alone(ref: PartnerRef) -> bool:
    """Whether the name read is honorifics alone, typed bare before a name ("Herr" of "Herr Meier
    Anruf"): not offered as a new name, which would make "Herr" a partner and "Meier" the note.
    Quoted, it is the name the member meant."""
    return ref.name is not None and not ref.quoted and honorifics_alone(name_key(ref.name))


def _name_readings(known: Sequence[tuple[NearPartner, int]], ref: PartnerRef) -> list[Reading]:
    """A button for each known partner (with how many typed words name it), then one for each
    longer new name the typed words could make."""
    readings = [
        Reading(
            PartnerChoice(partner.partner_id, words).value,
            label="question.existing_partner",
            values={"name": partner.label},
        )
        for partner, words in known
    ]
    cut = _cut_before_a_legal_form(ref)
    # A longer name with the organisation typed after it, as it is created when chosen.
    organisations = dict(ref.longer_organisations)
    return readings + [
        Reading(
            PartnerChoice(words=len(longer.split())).value,
            label="question.create_partner",
            values={"name": _label(longer, organisations.get(longer))},
        )
        for longer in ref.longer
        if longer not in cut
    ]


def _cut_before_a_legal_form(ref: PartnerRef) -> frozenset[str]:
    """The new names read from a bare name (the name, its longer readings) that the next word
    typed, a legal form, would continue: "Nordwind" of "Nordwind AG call". Not offered as new
    names: created, "Nordwind" would be a partner without the company's form, and "AG" its
    note; the reading with the legal form is offered instead."""
    if ref.name is None or not ref.longer:
        return frozenset()
    names = [ref.name, *reversed(ref.longer)]  # shortest first, each one word longer
    return frozenset(
        shorter
        for shorter, longer in pairwise(names)
        if longer.split()[-1].casefold().rstrip(".") in LEGAL_FORMS
    )


def _longest_reading(ref: PartnerRef) -> str | None:
    """The longest of the name's longer readings, new or cut short: what a question asks
    about."""
    readings = [*ref.longer, *ref.cut_short]
    return max(readings, key=lambda reading: len(reading.split())) if readings else None


def longer_spans(longer: Sequence[str]) -> list[tuple[str, int]]:
    """Each longer reading of a bare name (`PartnerRef.longer`, longest first) with how many
    typed words it takes: the names existing partners a question offers are looked up by."""
    return [(name, len(name.split())) for name in longer]


def name_spans(longer: Sequence[str], name: str, *, bare: bool) -> list[tuple[str, int]]:
    """The spans a new name's near partners are looked up by: its longer readings
    (`longer_spans`), then the name as read, taking its one typed word when `bare`, none when
    quoted (then the text after it is read as it was)."""
    return [*longer_spans(longer), (name, 1 if bare else 0)]


def begun_partners(
    readings: Sequence[str], partners: Iterable[tuple[int, str, str]], known: Collection[int]
) -> list[NearPartner]:
    """The `partners` (id, name key, label; in the order the candidates are read, by key then id)
    whose names the cut-short `readings` begin (`PartnerRef.cut_short`,
    `storage.vocabulary.begun_by`), with the typed words that name them; never one of
    `known`. No readings, no look at the partners: most texts have none."""
    if not readings:
        return []
    labels: dict[int, str] = {}
    keys: list[tuple[int, str]] = []
    for partner_id, key, label in partners:
        if partner_id not in known:
            labels[partner_id] = label
            keys.append((partner_id, key))
    return [NearPartner(pid, labels[pid], words) for pid, words in begun_by(readings, keys)]


def near_lookups(key: str, known: Collection[int]) -> int:
    """How many partners like the typed name `key` to look up so that `NEAR_PARTNERS` remain
    once the `known` ones and the shorter names `key` runs on from are left out: at most one
    such name per word of the key after its first ("acme" and "acme corp" for "acme corp q4";
    words of the key, not as typed: "Müller-Bau" is two)."""
    return NEAR_PARTNERS + len(known) + len(key.split()) - 1


def known_partner_question(
    draft: ContactDraft,
    known: Sequence[NearPartner],
    near: Sequence[NearPartner] = (),
    shorter: Sequence[NearPartner] = (),
) -> Question | None:
    """What to ask when the name read is a known partner's (`known`, found by the caller) but
    the words after it could make a new, longer name (`PartnerRef.longer`): "Schmidt Logistik
    Telefonat" when only "Schmidt" exists. Each known partner (named by the typed words before
    the first longer name), each other existing partner a longer name is like (`near`, with
    how many typed words name it: "Acme Co" for "Acme Corp", when "Acme" exists too), each
    longer new name, and Cancel; None when no word could continue the name (a keyword, a date
    or a promise follows it). A known name followed by lower-case words that begin another
    partner's name (`PartnerRef.cut_short`: "schmidt log" when "Schmidt Logistik" exists) is
    asked about too, offering that partner (in `near`) but no new name. A known name whose
    last words begin a day or a time after it, or whose closing number begins the note
    (`PartnerRef.shorter`: "globex 2. dezember", "globex 2 hours" when "Globex" exists too),
    is asked about with the partners of the shorter name (`shorter`, found by the caller),
    read with the day or with the number in the note (`shorter_name_question`)."""
    ref = draft.partner
    if ref.shorter is not None and known and shorter:
        return shorter_name_question(ref.shorter, known, shorter, near)
    phrase = _longest_reading(ref)
    if phrase is None or not known or not (ref.longer or near):
        return None
    # The shortest reading is the known name and one more word.
    words = len(min(ref.longer + ref.cut_short, key=lambda r: len(r.split())).split()) - 1
    named = [(partner, words) for partner in known]
    readings = _name_readings([*named, *((partner, partner.words) for partner in near)], ref)
    readings.append(Reading(CANCEL, label="question.cancel"))
    # With partners like the longer name, it may be a slip or a short form of one of them.
    reason = "question.similar_partner" if near else "question.known_then_more"
    return Question(slot="partner", phrase=phrase, reason=reason, readings=tuple(readings))


def shorter_name_question(
    shorter: ShorterName,
    known: Sequence[NearPartner],
    partners: Sequence[NearPartner],
    near: Sequence[NearPartner] = (),
) -> Question:
    """Whether the words after a shorter name are the rest of a known partner's name or say
    when the contact was ("2. dezember" in "globex 2. dezember call", with "Globex" and "Globex
    2"): each known partner, taking its typed words (the rest is the note as typed), each
    partner a cut-short reading of the words after it begins (`near`: "Globex 2 Nordwerk" for
    "globex 2 nordw call"), taking the words that name it, each partner of the shorter name
    (`partners`), taking the shorter name's words (the day is read after it), and Cancel. A
    known partner's reading names the day read after the whole name, where one follows it
    (`ShorterName.known_when`: "Globex 2, Montag" beside "Globex, 2. Montag"), so that the
    two buttons say which day each logs.
    Alike where the number begins the note instead (`quantity`: "2 hours" in "globex 2 hours
    call"): the shorter name's partner keeps the number in its note."""
    # A known partner's button names its day too, where one follows its name: else two
    # buttons, one naming a day, would read as "Globex 2" today against "Globex" on that day.
    known_day = {"when": shorter.known_when} if shorter.known_when else {}
    readings = [
        Reading(
            PartnerChoice(partner.partner_id, shorter.words).value,
            label="question.partner_on_day" if known_day else "question.existing_partner",
            values={"name": partner.label, **known_day},
        )
        for partner in known
    ]
    readings += [
        Reading(
            PartnerChoice(partner.partner_id, partner.words).value,
            label="question.existing_partner",
            values={"name": partner.label},
        )
        for partner in near
    ]
    # The shorter name's partner on the day read after it; with a quantity, the number and
    # the words after it its note, as typed.
    on_day = {"when": shorter.when} if not shorter.quantity else {}
    readings += [
        Reading(
            PartnerChoice(partner.partner_id, len(shorter.name.split())).value,
            label="question.partner_on_day" if on_day else "question.existing_partner",
            values={"name": partner.label, **on_day},
        )
        for partner in partners
    ]
    readings.append(Reading(CANCEL, label="question.cancel"))
    if shorter.quantity:
        reason, phrase = "question.name_or_note", shorter.quantity
    else:
        reason, phrase = "question.name_or_day", shorter.when
    return Question(slot="partner", phrase=phrase, reason=reason, readings=tuple(readings))


def shorter_partners(
    shorter: ShorterName | None, partners: Iterable[tuple[int, str, str]]
) -> list[NearPartner]:
    """The `partners` (id, name key, label) the shorter name of a known one is
    (`PartnerRef.shorter`), `NEAR_PARTNERS` at most; none without one: most texts have none."""
    if shorter is None:
        return []
    key = name_key(shorter.name)
    found = (NearPartner(pid, label) for pid, name, label in partners if name == key)
    return list(islice(found, NEAR_PARTNERS))


# Partners of one name a question offers, at most: with more, the refusal naming them all
# (`problem.ambiguous_partner`) says to add the organisation instead.
SEVERAL_PARTNERS_MAX = 10

# How many characters of partner labels the refusal naming several (`problem.ambiguous_partner`)
# lists, whole labels only: under what a reply echoes of a value (`ECHO_MAX_CHARS`, 300), which
# cut the list mid-name and hid the organisation the member has to type.
CHOICES_MAX_CHARS = 240


@dataclass(frozen=True)
class Choices:
    """The partners a refused name may mean, each a whole label "Name (Organisation)": shown
    as many as fit `CHOICES_MAX_CHARS`, then how many more ("… and 3 more"), never cut inside
    a label, since the organisation at a label's end is what the member must type."""

    labels: tuple[str, ...]

    def shown(self) -> tuple[str, int]:
        """The labels that fit, joined, whole (the first always), and how many are left out."""
        taken: list[str] = []
        length = 0
        for label in self.labels:
            length += len(label) + (2 if taken else 0)
            if taken and length > CHOICES_MAX_CHARS:
                break
            taken.append(label)
        return ", ".join(taken), len(self.labels) - len(taken)

    def text(self, t: Callable[..., str]) -> str:
        """The list as the reader reads it, `t` their `Reader.t`."""
        joined, more = self.shown()
        return t("problem.choices_more", choices=joined, more=more) if more else joined

    def __str__(self) -> str:
        return ", ".join(self.labels)


def ambiguous_partner(name: str, labels: Iterable[str]) -> tuple[str, dict[str, object]]:
    """The refusal of a name more partners share than a question offers (one per
    organisation, none said), its key and values: the app's (`Refusal`) and `rapport parse`'s
    (`ParseProblem`) alike."""
    return "ambiguous_partner", {"name": name, "choices": Choices(tuple(labels))}


def several_partners_question(draft: ContactDraft, known: Sequence[NearPartner]) -> Question | None:
    """What to ask when the name read is that of several partners (`known`, one per
    organisation, found by the caller) and no organisation says which: a button for each, shown
    with its organisation, and Cancel; the one chosen keeps the rest of the text. None for one
    partner, or more than `SEVERAL_PARTNERS_MAX` (too many buttons to choose among)."""
    ref = draft.partner
    if ref.name is None or not 1 < len(known) <= SEVERAL_PARTNERS_MAX:
        return None
    readings = [
        Reading(
            PartnerChoice(partner.partner_id).value,
            label="question.existing_partner",
            values={"name": partner.label},
        )
        for partner in known
    ]
    readings.append(Reading(CANCEL, label="question.cancel"))
    return Question(
        slot="partner",
        phrase=ref.name,
        reason="question.several_partners",
        readings=tuple(readings),
    )


def first_word(text: str) -> str | None:
    """The word a bare partner name would start with, for the caller to look up partner names.

    None when the partner is a mention or a quoted name, or when there is no text.
    """
    stripped = text.strip()
    if stripped.startswith("<@"):
        return None
    stripped = decode(stripped)
    if not stripped or stripped[0] in _QUOTES:
        return None
    match = _BARE_WORD.match(stripped)
    word = match.group().rstrip(":,") if match else ""
    return word or None


def name_readings(text: str) -> Iterator[str]:
    """The beginnings of the text a bare partner name may be, shortest first: its first word
    (`first_word`), then that with each word after it, `NAME_READING_WORDS` words at most, as
    `_known_partner` reads a name across them (apart by white space alone; a word ending in ":"
    or "," is the last, without it). Empty when the partner is a mention or a quoted name, or
    there is no text.

    The partners each begins are what the text may name: the caller reads the first word's,
    and the next reading's only while the one before filled its limit
    (`storage.queries.partners.candidates_for`), so that a name past the first word's read
    ("stadtwerke zweibrücken", "stadtwerke zw" cut short) is among the candidates still.
    Lazily: the words after the first are looked at only when a full read asks for them, and
    the common command has no such read."""
    word = first_word(text)
    if word is None:
        return
    yield word
    stripped = decode(text.strip())
    tokens = islice(_BARE_WORD.finditer(stripped), NAME_READING_WORDS)
    for before, token in pairwise(tokens):
        ended = before.group().rstrip(":,") != before.group()
        if ended or not stripped[before.end() : token.start()].isspace():
            return  # the name ends at a ":" or ","; an organisation follows a "("
        yield stripped[: token.end()].rstrip(":,")


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
    choice = partner_choice(answers)
    # Keyed once: the name read and its cut-short readings both compare by key.
    known = _keyed(partner_names)
    partner, rest = _read_partner(text, known, today, choice.words if choice else 0)
    if partner.shorter is not None and not _loggable_on_its_day(
        partner.shorter, text, today, now, answers or {}, month_first=month_first
    ):
        # The shorter name's reading would be refused once chosen (a time later today, a day
        # ahead no question turns into a past one): only the known name's reading is left.
        partner = replace(partner, shorter=None)
    aside, rest = _set_aside(partner, rest, answers, today, known)
    body, promise_text, promised_by = _split_off_promise(rest)
    leading = _read_leading_words(body, today, answers or {}, month_first=month_first)
    leading = replace(leading, note=_noted_after(aside, leading.note))
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
    take (counted as the user typed it, Slack's markup decoded), or with a character nobody
    types (`bot.parsing.checks`). Every branch of a command, help and settings included, reads
    the text only after this."""
    length = len(decode(text))
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


def _read_partner(
    text: str, known: Mapping[str, str], today: date, words: int = 0
) -> tuple[PartnerRef, str]:
    """The partner and the rest of the text. `words` > 0: the partner's name is the text's first
    `words` bare words, as chosen in answer to a question."""
    stripped = text.strip()
    # A mention that starts the text is the partner, read before the markup is decoded; from
    # there on, Slack's markup is the text the person meant (`bot.parsing.markup.decode`).
    if mention := MENTION.match(stripped):
        label = decode(mention[2] or "").strip() or None
        partner = PartnerRef(mention_user_id=mention[1], mention_label=label)
        rest = decode(stripped[mention.end() :])
    else:
        stripped = decode(stripped)
        readings = _NO_READINGS
        if stripped[:1] in _QUOTES:
            name, rest = _read_quoted_name(stripped)
        elif words and (chosen := _first_words(stripped, words)) is not None:
            name, rest = chosen
        else:
            name, rest, readings = _read_bare_name(stripped, known, today)
        quoted = stripped[:1] in _QUOTES
        label = _checked_label(name, quoted=quoted)
        partner = PartnerRef(
            name=label,
            longer=readings.longer,
            longer_organisations=_organisations_after(stripped, readings.longer),
            cut_short=readings.cut_short,
            shorter=readings.shorter,
            quoted=quoted,
        )
    organisation, rest = _read_organisation(rest)
    return replace(partner, organisation=organisation), rest


def _organisations_after(text: str, longer: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The organisation typed right after each longer reading of the bare name `text` begins
    with, by reading, as the text is read with that reading chosen (`PartnerChoice.words`);
    readings without one are left out. An organisation that would be refused is left out too:
    the reading chosen is refused then, and is not offered (`LogContact._loggable_readings`)."""
    if "(" not in text:
        return ()  # no organisation typed: most texts
    found = []
    for reading in longer:
        chosen = _first_words(text, len(reading.split()))
        if chosen is None:
            continue
        try:
            organisation, _ = _read_organisation(chosen[1])
        except ParseProblem:
            continue
        if organisation is not None:
            found.append((reading, organisation))
    return tuple(found)


def _read_quoted_name(text: str) -> tuple[str, str]:
    closers = _QUOTES[text[0]]
    line_end = text.find("\n")
    line_end = len(text) if line_end == -1 else line_end
    close = next((at for at in range(1, line_end) if text[at] in closers), None)
    if close is None:
        raise ParseProblem("unclosed_quote")
    return _collapse(text[1:close]), text[close + 1 :]


class _BareReadings(NamedTuple):
    """The other readings of a bare name (`PartnerRef.longer`, `.cut_short`, `.shorter`); a
    tuple, as every text read builds one."""

    longer: tuple[str, ...] = ()
    cut_short: tuple[str, ...] = ()
    shorter: ShorterName | None = None


_NO_READINGS = _BareReadings()


def _read_bare_name(
    text: str, known: Mapping[str, str], today: date
) -> tuple[str, str, _BareReadings]:
    """A name typed without quotes: the longest known partner name the text starts with, else
    its first word; with the rest, the longer names a new first word could be, the longer
    readings that begin a known partner's name (`PartnerRef.cut_short`), and the shorter known
    name a known one's words begin, its other words the start of a day (`PartnerRef.shorter`)."""
    if (found := _known_partner(text, known)) is not None:
        name, rest = found
        typed = text[: len(text) - len(rest)]
        # A known name followed by capitalised words may be the start of a new, longer one
        # ("Schmidt Logistik" when only "Schmidt" exists): asked about, as for a new name.
        if typed.rstrip(":,") != typed:
            return name, rest, _NO_READINGS
        if (shorter := _shorter_reading(typed, rest, today, known)) is not None:
            # The words after the name are the day's or the note's, not more of a new name: no
            # longer reading; but they may begin a known partner's, who is offered too.
            cut_short = _cut_short_names(typed, rest, today, known)
            return name, rest, _BareReadings(cut_short=cut_short, shorter=shorter)
        return name, rest, _BareReadings(*_readings(typed, rest, today, known))
    first = _BARE_WORD.match(text)
    if first is None or _reads_as_something_else(text, today):
        raise ParseProblem("no_partner")
    word = first.group()
    name, rest = word.rstrip(":,"), text[first.end() :]
    readings = _NO_READINGS if name != word else _BareReadings(*_readings(name, rest, today, known))
    if not (readings.longer or readings.cut_short) and honorifics_alone(name_key(name)):
        # "Herr Anruf gestern", "Frau hat angerufen", "Dr: call": a name was meant and none
        # typed; answered as a text without a partner, never a partner "Herr" created unasked.
        raise ParseProblem("no_partner")
    return name, rest, readings


_NUMBER_AFTER_A_WORD = re.compile(r"\s\d")


def _shorter_reading(
    typed: str, rest: str, today: date, known: Mapping[str, str]
) -> ShorterName | None:
    """The shorter known name a known name's typed words may be meant as, its number the start
    of a day (`_shorter_before_a_day`) or, failing that, of the note
    (`_shorter_before_a_quantity`); None for most names, told by a regular expression."""
    if _NUMBER_AFTER_A_WORD.search(typed) is None:
        return None  # a name of one word, or with no number after its first: most names
    return _shorter_before_a_day(typed, rest, today, known) or _shorter_before_a_quantity(
        typed, rest, today, known
    )


def _shorter_before_a_quantity(
    typed: str, rest: str, today: date, known: Mapping[str, str]
) -> ShorterName | None:
    """The known name without its closing number, where that is a known name too and the words
    after the number are note text: "globex" and "2 hours" for "globex 2 hours call" when
    "Globex" and "Globex 2" both exist, "Globex" and "2 new" for "Globex 2 new leads from the
    fair". A number followed by note text is how long, how many or how much after any other
    known name ("acme 15 min call"), so the shorter name's partner with the number in its note
    is as likely as the numbered one. None where the number ends the name's line or its text
    ("globex 2"), or a keyword, a date, a promise, a separator or another number follows it
    ("globex 2 call", "Globex 2 Anruf gestern", "globex 2 - notes", "globex 2 3 hours"), or
    an everyday short word that starts a sentence about it ("globex 2 hat angerufen"). A
    capitalised word after the number counts as note text ("Globex 2 Angebot"): German nouns
    are capitalised, and with both partners known, "Globex" and the note "2 Angebote" are
    likelier than a third, longer name, which a quoted name still creates."""
    tokens = list(_BARE_WORD.finditer(typed))
    if len(tokens) < 2 or not tokens[-1].group().isdecimal():
        return None
    shorter = typed[: tokens[-2].end()]
    if name_key(shorter) not in known:
        return None
    after = rest.lstrip(" \t")
    first = _BARE_WORD.match(after)
    if first is None or len(after) == len(rest) or _NOTE_SEPARATOR.match(after):
        return None  # nothing after the number on its line, or a separator ends the name
    if _reads_as_something_else(after, today):
        return None
    if first.group()[0].isdigit():
        # "globex 2 3 hours", "globex 2 30min": the number after it is the quantity, and the
        # shorter name's note would begin with two numbers.
        return None
    if name_key(first.group()) in EVERYDAY_WORDS:
        # "globex 2 hat angerufen", "globex 2 per mail", "globex 2 wants": a sentence about the
        # numbered partner; "2 hat" or "2 per" counts nothing.
        return None
    quantity = f"{tokens[-1].group()} {first.group().rstrip(':,')}"
    return ShorterName(shorter, "", len(tokens), quantity=quantity)


def _shorter_before_a_day(
    typed: str, rest: str, today: date, known: Mapping[str, str]
) -> ShorterName | None:
    """The longest shorter known name the typed words of a known name begin, where the name's
    other words, with the text after them, read as a day or a time: "globex" and "2. dezember"
    for "globex 2. dezember call" when "Globex" and "Globex 2" both exist, "filiale" and "3
    Jan" for "Filiale 3 Jan", "globex" and "2 pm" for "globex 2 pm call". Both readings are
    as likely: the day of an ordinal date is read as the number that tells two partners
    apart, or a branch's number as a day. None for a one-word name (the common text), where
    the words after the shorter name do not begin with a number ("Acme Corp", whatever
    follows), and where no shorter name is known or nothing after it reads as a day ("globex 2
    call"), or only a day that takes the number from the date after it (`_day_from_the_number`:
    "globex 2 3. dez call", "Globex 2 Dec 3 call" read one way, as "Globex 2" on the 3rd).
    `_shorter_reading` has told a name with no number after its first word apart."""
    tokens = list(_BARE_WORD.finditer(typed))
    for count in range(len(tokens) - 1, 0, -1):
        # A day or a time the name's words could begin starts with its number: "Acme Corp"
        # beside "Acme" is told apart without reading a date.
        number = tokens[count]
        if not typed[number.start()].isdigit():
            continue
        if name_key(typed[: tokens[count - 1].end()]) not in known:
            continue
        when = _day_from_the_number(typed[number.start() :] + rest, number.group(), today)
        if when is not None:
            shorter = typed[: tokens[count - 1].end()]
            return ShorterName(shorter, when, len(tokens), known_when=_when_phrase(rest, today))
    return None


def _day_from_the_number(text: str, number: str, today: date) -> str | None:
    """The when phrase `text` begins with at a known name's `number` ("2. dezember" of "2.
    dezember call"), as typed, where it is a day or a time of its own that leaves a sensible
    rest; None where the date after the number is read whole instead, with the numbered
    partner: the number's reading is the likelier one, and the shorter name's a date cut from
    it. So where a second number follows the first ("2 3." of "2 3. dez call"): a name's
    number and a day, as `_shorter_before_a_quantity` reads "2 3 hours", never a day and a
    month written as two bare numbers (a number with its full stop, "2. 12.", is a German day
    and month: asked about); and where the phrase ends inside the date that follows the number
    ("2 Dec" of "2 Dec 3 call", cutting "Dec 3") unless the rest of that date reads as one of
    its own ("9 am" of "9 am Monday call": 9 a.m., Monday), which would leave the date's tail
    ("3 call") dangling in the note."""
    found = _when_words(text, today)
    if found is None:
        return None
    ws, end = found
    if end > 1 and ws[1].key[:1].isdigit() and not ws[0].key.endswith("."):
        return None
    after = _when_words(text[len(number) :], today)
    # The date after the number, as the numbered partner's reading reads it, ends at word
    # `until` of `ws` (the number is its first word).
    if after is not None and end < (until := after[1] + 1) and not _reads_on(ws, end, until, today):
        return None
    return _phrase_of(ws, 0, end)


def _reads_on(ws: Sequence[Word], at: int, until: int, today: date) -> bool:
    """Whether the words from `at` on begin a when phrase that takes them up to `until` at
    least: the rest of a date cut in two is a day or a time of its own ("Monday" of "am Monday"
    after "9 am"), not a stray number or month ("3" of "Dec 3" after "2 Dec")."""
    try:
        hit = match_when(ws, at, today=today, fallback=False)
    except BadDate:
        return False
    return hit is not None and hit.end >= until


def _loggable_on_its_day(
    shorter: ShorterName,
    text: str,
    today: date,
    now: time | None,
    answers: Answers,
    *,
    month_first: bool,
) -> bool:
    """Whether the text, its partner the shorter name (`ShorterName`), would be logged or asked
    about further rather than refused for its day or time: at 10:00, "globex 2 pm call" read as
    "Globex" at 14:00 would be refused as later than now, so only "Globex 2" is a reading; a day
    still ahead that is asked about ("the one before?") stays one. A quantity has no day."""
    if shorter.quantity:
        return True
    chosen = _first_words(decode(text.strip()), len(shorter.name.split()))
    if chosen is None:
        return True
    body, _, _ = _split_off_promise(chosen[1])
    try:
        leading = _read_leading_words(body, today, answers, month_first=month_first)
        _checked_when(leading.on, leading.at, today=today, now=now)
    except NeedsAnswer:
        return True  # a further question, such as the day before one still ahead
    except ParseProblem:
        return False
    return True


def _when_phrase(text: str, today: date) -> str:
    """The when phrase `text` begins with, as typed ("2. dezember" of "2. dezember call"), as
    `_when_words` reads one; "" for none."""
    found = _when_words(text, today)
    return "" if found is None else _phrase_of(found[0], 0, found[1])


def _when_words(text: str, today: date) -> tuple[tuple[Word, ...], int] | None:
    """The first words of `text` and how many of them the when phrase it begins with takes
    ("2. dezember" of "2. dezember call": 2), as `_reads_as_something_else` reads one: a
    weekday's abbreviation ("Sa", "Do") is a word of a name rather than a day, and a broken
    date ("31. februar") no reading."""
    ws = words(" ".join(text.split(maxsplit=6)[:6]))
    try:
        when = match_when(ws, 0, today=today, fallback=False)
    except BadDate:
        return None
    if when is None or is_weekday_abbreviation(ws[0].key):
        return None
    if _german_on(ws, when.end, today):
        return None
    return ws, when.end


# German weekdays, whole (their abbreviations are English words or "do", "so"): after "am", they
# make it German for "on".
_GERMAN_WEEKDAYS = frozenset(
    {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag"}
)
_GERMAN_ORDINAL = re.compile(r"\d{1,2}\.(?:\d{1,2}\.(?:\d{2}|\d{4})?)?")  # "2.", "2.12.", "2.12.26"


def _german_on(ws: Sequence[Word], end: int, today: date) -> bool:
    """Whether the when phrase `ws[:end]` ends in "am" that leads a German day of its own ("3
    am Montag", "3 am 2. Dezember"): German for "on", the number before it a name's ("Filiale 3
    am Montag besucht"), not 3 a.m.; read as a time, every such text asked which was meant. An
    English day after it ("9 am Monday") keeps the time, and the question."""
    if end < 2 or end >= len(ws) or ws[end - 1].key != "am":
        return False
    after = ws[end].key
    if after not in _GERMAN_WEEKDAYS and not _GERMAN_ORDINAL.fullmatch(after):
        return False
    try:
        return match_when(ws, end - 1, today=today, fallback=False) is not None
    except BadDate:
        return False


def _readings(
    name: str, rest: str, today: date, known: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The longer names a bare `name` could be (`_longer_names`), and the longer readings that
    begin a known partner's name (`_cut_short_names`), a longer name too when typed so ("Acme
    Co", "Fil 1"): the partners they begin are offered whatever the case of their words."""
    numbered = _numbered(name, known)
    longer = _longer_names(name, rest, today, numbered)
    longer = longer or _numbered_before_a_date(name, rest, today)
    return longer, _cut_short_names(name, rest, today, known)


def _numbered_before_a_date(name: str, rest: str, today: date) -> tuple[str, ...]:
    """The name with the number after it ("globex 2" of "globex 2 3. dez call"), where that
    number is followed by a whole date its day reading would cut (`_date_cut_at`): the number
    is then as likely a new numbered partner's as the note's, so both are offered; ()
    otherwise. The date is read whole either way."""
    head = rest.split(maxsplit=1)
    if not head or not head[0].isdecimal() or not rest[:1].isspace():
        return ()  # no bare number after the name: the common text, read no further
    if rest.lstrip(" \t")[:1] == "\n":
        return ()
    ws = words(" ".join(rest.split(maxsplit=6)[:6]))
    try:
        when = match_when(ws, 0, today=today, fallback=False)
    except BadDate:
        return ()
    if when is None or _date_cut_at(ws, 0, when.end, today) != 1:
        return ()
    return (f"{name} {ws[0].text}",)


def _keyed(partner_names: Collection[str]) -> dict[str, str]:
    """The partner names by their key (`name_key`), the first in sorted order for a key."""
    return {name_key(name): name.strip() for name in sorted(partner_names) if name.strip()}


def _known_partner(text: str, keys: Mapping[str, str]) -> tuple[str, str] | None:
    """The longest existing partner name (`keys`: by key) the text starts with, ending at a
    word boundary, as the name key compares names ("Mu\u0308ller ag" starts with "Müller
    AG")."""
    if not keys:
        return None
    most_words = max(len(name.split()) for name in keys.values()) + 1
    tokens = list(islice(_BARE_WORD.finditer(text), most_words))
    if not tokens or tokens[0].start() != 0:
        return None
    for count in range(len(tokens), 0, -1):
        if not all(text[a.end() : b.start()].isspace() for a, b in pairwise(tokens[:count])):
            continue
        typed = text[: tokens[count - 1].end()].rstrip(":,")
        known = keys.get(name_key(typed))
        if known is not None:
            return known, text[tokens[count - 1].end() :]
    return None


def _set_aside(
    partner: PartnerRef,
    rest: str,
    answers: Answers | None,
    today: date,
    known: Mapping[str, str],
) -> tuple[str, str]:
    """Words of a longer name set aside as the start of the note, and the rest after them.

    When the question about the partner was answered with a shorter name than the words typed
    could make ("Schmidt" for "Schmidt Logistik Telefonat gestern"), the other words of the
    longer name are what the contact was about, and the keywords and dates after them are still
    read ("Telefonat", "gestern"), as they would be after the longer name; alike for the words
    of a cut-short reading ("schmidt log Telefonat gestern" answered with "Schmidt")."""
    if not (answers and "partner" in answers) or partner.name is None or partner.quoted:
        return "", rest
    if _asked_about_a_shorter_name(partner.name + rest, today, known):
        return "", rest  # the question offered no longer name: the rest is read as typed
    # The same readings the question offered (`_readings`), so the words it named are set aside.
    longer = [reading for kind in _readings(partner.name, rest, today, known) for reading in kind]
    if not longer:
        return "", rest
    extra = max(len(name.split()) for name in longer) - len(partner.name.split())
    typed = rest.lstrip()
    taken = _first_words(typed, extra) if extra > 0 else None
    if taken is None:
        return "", rest
    # As typed, with its ":" or ",": the note keeps the text ("Logistik: Angebot besprochen").
    after = taken[1]
    return typed[: len(typed) - len(after)], after


def _asked_about_a_shorter_name(text: str, today: date, known: Mapping[str, str]) -> bool:
    """Whether `text` (the name chosen and the rest) reads as a known name with a shorter one
    (`_shorter_reading`), as it was read when asked: then either partner chosen, the numbered
    one or the shorter, takes the rest as typed, as after any known name. The shorter one's
    words are not those of a longer name to set aside ("Globex" for "Globex 2 Angebot gestern"
    keeps the note "2 Angebot gestern" today, as "Globex 2" keeps "Angebot gestern"): the
    question offered no longer name, and the two answers differ only in the partner."""
    found = _known_partner(text, known)
    if found is None:
        return False
    typed = text[: len(text) - len(found[1])]
    return (
        typed.rstrip(":,") == typed and _shorter_reading(typed, found[1], today, known) is not None
    )


def _noted_after(aside: str, note: str) -> str:
    """The note, after the words set aside (`_set_aside`): their closing ":" or "," only when
    the note goes on after them, as it was typed; alone, they are the note without it."""
    if not note:
        return aside.rstrip(":,")
    return f"{aside} {note}" if aside else note


def _first_words(text: str, count: int) -> tuple[str, str] | None:
    """The text's first `count` bare words (side by side, on one line) and the rest; None when
    it has fewer."""
    tokens = list(islice(_BARE_WORD.finditer(text), count))
    if len(tokens) < count or tokens[0].start() != 0:
        return None
    if not all(text[a.end() : b.start()] in (" ", "\t") for a, b in pairwise(tokens)):
        return None
    end = tokens[-1].end()
    return text[:end].rstrip(":,"), text[end:]


# How many words after the first a new name is asked about, at most.
_LONGER_WORDS = 3
# How many typed words the candidates of a bare name are read by, at most (`name_readings`):
# the first and as many as a longer or cut-short reading takes after it. Each reading costs a
# query only when the one before filled its limit; a known name of more words whose first
# words more than `storage.queries.partners.CANDIDATES_LIMIT` partners share may be missed.
NAME_READING_WORDS = 1 + _LONGER_WORDS


def _longer_names(name: str, rest: str, today: date, numbered: bool) -> tuple[str, ...]:
    """The longer names a new bare one-word `name` could be, longest first: the words after it,
    on its line, that could continue a name (capitalised, as names and German nouns are, a legal
    form such as "GmbH", any word after honorifics alone ("herr ohlsen"), or, where partners
    are told apart by a number after this name (`numbered`: "Filiale 1"), a number: "Filiale
    2"), up to a keyword, a date, a promise or a separator, and three at most. A word ending in
    ":" or "," ends the name (it is the last one taken). Elsewhere a number is how long, how
    many or how much ("Acme 15 min call"). A reading begun by honorifics names someone only
    with a name after them (`_names_someone`): "Herr Dr" and "Frau hat" are no readings."""
    readings = _runs_on(
        name,
        rest,
        today,
        lambda reading, word: _may_continue_a_name(word, numbered) or _after_honorifics(reading),
    )
    return tuple(reading for reading in readings if _names_someone(reading))


# What may stand between a person's honorifics and the name: more honorifics ("Frau Dr."), a
# surname's particles ("Herr von Berg"), "und" between two honorifics ("Herr und Frau Meier").
_HONORIFIC_LEAD = HONORIFICS | NAME_PARTICLES | HONORIFIC_JOINERS


def _after_honorifics(reading: str) -> bool:
    """Whether the last word of a reading may go on a name begun by honorifics ("herr ohlsen",
    "frau dr meier", "herr von berg", "herr und frau meier"): a name follows them whatever its
    case, so that it is looked up (and asked about) rather than "herr" being a new partner's
    whole name. Not an everyday word ("Frau hat angerufen", "Herr ist heute krank"): it starts
    the sentence about someone whose name was left out."""
    *lead, last = name_key(reading).split()
    if not lead or lead[0] not in HONORIFICS or not all(word in _HONORIFIC_LEAD for word in lead):
        return False
    if lead[-1] in HONORIFIC_JOINERS:
        return last in HONORIFICS  # "herr und frau", never "herr und meier"
    if last in HONORIFIC_JOINERS:
        return lead[-1] in HONORIFICS  # "herr von und" is no name
    return last not in EVERYDAY_WORDS or last in NAME_PARTICLES


def _names_someone(reading: str) -> bool:
    """Whether a longer reading names someone: one begun by honorifics holds a name after them
    ("Herr Dr" of "Herr Dr call" does not, nor "Herr von"), which starts with no everyday word
    ("Frau Hat" of "Frau Hat angerufen", the word capitalised at a sentence's start), and each
    "und" in it joins two honorifics. Offered as a new name, "Herr Dr" would be a partner called
    by titles alone, the name forgotten."""
    words = name_key(reading).split()
    if not words or words[0] not in HONORIFICS:
        return True
    lead = 0
    while lead < len(words) and words[lead] in _HONORIFIC_LEAD:
        if words[lead] in HONORIFIC_JOINERS and (
            lead + 1 == len(words) or words[lead + 1] not in HONORIFICS
        ):
            return False
        lead += 1
    return lead < len(words) and words[lead] not in EVERYDAY_WORDS


def _numbered(name: str, known: Mapping[str, str]) -> bool:
    """Whether a known partner's name is `name` followed by a number, with a space or without
    ("Filiale 1", "Globex2" for "Filiale", "Globex"): then a number after `name` may name a
    branch too ("Globex 2" is asked about beside "Globex2", `storage.vocabulary.closeness`)."""
    prefix = name_key(name)
    return any(
        key.startswith(prefix) and key[len(prefix) :].lstrip(" ").split(" ", 1)[0].isdecimal()
        for key in known
    )


def _cut_short_names(
    name: str, rest: str, today: date, known: Mapping[str, str]
) -> tuple[str, ...]:
    """The longer readings of a bare `name`, longest first, whose words begin a known partner's
    name (`storage.vocabulary.begins`), whatever their case: "schmidt log" for "Schmidt
    Logistik", "hansa ba gmbh" for "Hansa Bau GmbH". Read from the partner names already
    looked up for the first word (`known`, by key), so they cost no query; up to a keyword, a
    date, a promise or a separator, as `_longer_names`."""
    names, places = _multi_word_names(tuple(known))
    if not names:
        return ()

    def begins_one(reading: str, _: str) -> bool:
        typed = name_key(reading).split()
        at = places.get(len(typed) - 1, frozenset())
        # Short words of sentences begin a partner's word only when they are it whole: after a
        # name they start the note ("stadtwerke am telefon", "per mail", "hat angerufen").
        if typed[-1] in EVERYDAY_WORDS and typed[-1] not in at:
            return False  # "am telefon" is the note, whatever "Amberg" it begins
        if not any(begins_word(typed[-1], word) for word in at):
            return False
        return any(begins_words(typed, name_words) for name_words in names)

    return _runs_on(name, rest, today, begins_one)


@lru_cache(maxsize=64)
def _multi_word_names(
    keys: tuple[str, ...],
) -> tuple[tuple[tuple[str, ...], ...], dict[int, frozenset[str]]]:
    """The multi-word name keys among `keys`, split into words, and their words at each place,
    each once: most words after a name ("call", "about") begin none of them, and are told so
    without a look at each name. Cached: one text is read more than once (before the write
    lock and in it), and the same first word's partners come again."""
    names = tuple(tuple(key.split()) for key in keys if " " in key)
    places: dict[int, set[str]] = {}
    for name_words in names:
        for place, word in enumerate(name_words):
            places.setdefault(place, set()).add(word)
    return names, {place: frozenset(words) for place, words in places.items()}


def _runs_on(
    name: str, rest: str, today: date, continues: Callable[[str, str], bool]
) -> tuple[str, ...]:
    """The readings of `name` with the words after it, longest first, while `continues` (the
    reading so far with the word, the word) says a word may be more of the name: on its line,
    up to a keyword, a date, a promise or a separator, `_LONGER_WORDS` at most; a word ending
    in ":" or "," is the last one taken."""
    longer: list[str] = []
    at = 0
    for token in islice(_BARE_WORD.finditer(rest), _LONGER_WORDS):
        gap = rest[at : token.start()]
        word = token.group()
        bare = word.rstrip(":,")
        reading = " ".join((name + rest[: token.start()] + bare).split())
        if not gap or gap.strip(" \t") or not bare or not continues(reading, bare):
            break
        if _reads_as_something_else(rest[token.start() :], today):
            break
        longer.append(reading)
        at = token.end()
        if bare != word:
            break
    return tuple(reversed(longer))


def _may_continue_a_name(word: str, numbered: bool) -> bool:
    return bool(word) and (
        word[0].isupper()
        or (numbered and word.isdecimal())
        or word.casefold().rstrip(".") in LEGAL_FORMS
    )


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


def partner_line(line: str) -> tuple[str, str | None]:
    """A partner written as Rapport shows one, "Name (Organisation)" (as `/rapport partners`
    lists it): the name and the organisation, read as `/logcontact` reads one in parentheses
    after a name; a line that is not so ("Müller", "Filiale (Nord) Ost", an address in the
    parentheses) is a name alone, as typed."""
    text = line.strip()
    opening = text.find("(")
    name = _collapse(text[:opening]) if opening > 0 else ""
    if not name or not text.endswith(")"):
        return text, None
    try:
        organisation, rest = _read_organisation(text[opening:])
    except ParseProblem:
        return text, None
    if organisation is None or rest.strip():
        return text, None
    return name, organisation


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
    return _checked_label(organisation, organisation=True), stripped[close + 1 :]


# A web address (any scheme) or a mail link, anywhere in a name; and, in an organisation, a mail
# address too: Slack's links decode to "label (address)", and an address is no organisation.
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*|mailto:\S*", re.IGNORECASE)
_MAIL = re.compile(r"[^\s@()]+@[^\s@()]+\.[^\s@()]+")


def address_in_name(label: str, *, organisation: bool = False) -> str | None:
    """The web address or mail link in a partner's name (in an organisation, a mail address
    too), as it is shown back ("`" made "'" so that it cannot close a code span); None when
    there is none. The command and the form refuse such a name alike (see `_checked_label`)."""
    address = _ADDRESS.search(label)
    if organisation:
        address = address or _MAIL.search(label)
    return None if address is None else address.group().rstrip(")").replace("`", "'")


def _checked_label(label: str, *, organisation: bool = False, quoted: bool = False) -> str:
    """A name or organisation as typed, made the name stored (`display_name`), or the problem
    that refuses it.

    An address in a bare name or in an organisation is refused rather than read: a link's label
    may name another site than the one it leads to (`<https://evil.example|Acme>` decodes to
    "Acme (https://evil.example)"), so neither the label nor the address can be taken as the
    partner without a guess, and an address is never an organisation. The reply shows the
    address, so the person sees where the link led, and retyping the name is quick. A quoted
    name is exactly what was typed, its address shown in it: it is kept."""
    address = None if quoted else address_in_name(label, organisation=organisation)
    if address is not None:
        raise ParseProblem("address_as_name", address=address)
    if (found := name_character(label)) is not None:
        position, char = found
        raise ParseProblem("name_character", char=char, position=position)
    label = display_name(label)
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


def _read_leading_words(
    body: str, today: date, answers: Answers, *, month_first: bool = False
) -> _Leading:
    try:
        return _consume_leading_words(body, today, answers, month_first=month_first)
    except BadDate as problem:
        raise ParseProblem("bad_date", phrase=problem.phrase) from None


def _consume_leading_words(
    body: str, today: date, answers: Answers, *, month_first: bool = False
) -> _Leading:
    """Read keywords and when phrases up to the first other word, which starts the note.

    A when phrase that could mean several days, or two that name different days, is asked
    about (`NeedsAnswer`, slot "when") unless `answers` holds one of those days; a numeric date
    valid both ways round is such a phrase for a member who writes dates month first.
    """
    ws = words(body)
    fields: dict[str, str] = {}
    on: date | None = None
    at: time | None = None
    verb_at: int | None = None  # index of a just-read verb keyword that may open the note
    i = 0
    # Words before a whole date that a when phrase would have cut ("2" of "2 3. dez"): note text.
    held: list[str] = []
    while i < len(ws):
        keyword = _match_keyword(ws, i)
        if keyword is not None:
            end, field, term = keyword
            fields[field] = term.value
            verb_at = i if term.verb else None
        else:
            when = match_when(ws, i, today=today, month_first=month_first)
            cut = None if when is None else _date_cut_at(ws, i, when.end, today, month_first)
            if cut is not None and when is not None and _cut_at_its_day(ws, when.end):
                cut = _cut_asked(ws, i, cut, when, answers, today=today, month_first=month_first)
            if cut is not None:
                held.extend(word.text for word in ws[i:cut])
                i = cut
                continue
            if when is None and date_shaped(ws[i], plainly=True):
                # Where the keywords end, "11/23" or "23.11" is the contact's day, not a number
                # in the note: read it as a date would be after "on".
                when = match_when(ws, i, today=today, led=True, month_first=month_first)
            if when is None:
                if on is None:
                    _refuse_an_unread_date(ws, i)
                break
            end = when.end
            phrase = _phrase_of(ws, i, end)
            day = _chosen_day(when.choices, answers, phrase, when.reason) or when.on
            if day is not None and on is not None and day != on:
                day = _chosen_day((on, day), answers, _phrase_of(ws, 0, end))
            on = day or on
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
        note=_clean(" ".join((*held, note))),
    )


def _date_cut_at(
    ws: Sequence[Word], i: int, end: int, today: date, month_first: bool = False
) -> int | None:
    """Where a whole date begins that the when phrase `ws[i:end]` cuts in two, or None: the
    phrase begins with a bare number, the words after it begin a when phrase of their own that
    runs past the phrase, and the word the phrase leaves is a month or a day number that
    belongs to that date ("3. dez" of "2 3. dez call", read as 2.3. with "dez" left; "Dec 3" of
    "2 Dec 3 call", "3" left). Such a reading takes a day out of the date typed and strands the
    date's rest in the note, so it is none: the words before the date are note text (or a
    name's number, `_numbered_before_a_date`), the date read whole. A rest that reads as a day
    of its own ("Monday" of "9 am Monday") is no cut: 9 a.m. on Monday; nor one that reads as a
    time of day (`_time_of_day_at`: "14 Uhr" of "30 Nov 14 Uhr" is the day's time, not "Nov
    14"); nor a phrase that is a time of day itself ("5 am" of "5 am 30 Nov", the date's "am"
    read as German "on"): it takes no day out of the date."""
    if end >= len(ws) or not (names_month(ws[end]) or ws[end].key[:1].isdigit()):
        return None
    if end - i < 2 or not ws[i].text.isdecimal() or ws[i].tail:
        return None  # only a bare number is taken into a date after it: "3. dez 2" is whole
    if _time_of_day_at(ws, i, today, month_first) or _time_of_day_at(ws, end, today, month_first):
        return None
    try:
        inner = match_when(ws, i + 1, today=today, fallback=False, month_first=month_first)
    except BadDate:
        return None
    return i + 1 if inner is not None and inner.end > end else None


def _cut_at_its_day(ws: Sequence[Word], end: int) -> bool:
    """Whether a cut when phrase (`_date_cut_at`) leaves a day number rather than a month: "30
    Nov" of "30 Nov 2 units" leaves "2", which "Nov 2" may take as its day, where "2 3." of
    "2 3. dez" leaves "dez", which only the whole date "3. dez" can hold."""
    return not names_month(ws[end])


def _cut_asked(
    ws: Sequence[Word],
    i: int,
    cut: int,
    when: WhenHit,
    answers: Answers,
    *,
    today: date,
    month_first: bool,
) -> int | None:
    """A phrase that leaves a day number for the date after it ("30 Nov 2 units": "30 Nov" or
    "Nov 2"; "2 Dec 3 call": "2 Dec" or "Dec 3") reads whole either way, and which one was
    typed is a guess: the member is asked which day (`_chosen_day`). `cut` when the later
    date was chosen, None when the phrase as typed was; `cut` unasked when both name the same
    day or either names none."""
    inner = match_when(ws, cut, today=today, month_first=month_first)
    typed, later = _one_day(when), None if inner is None else _one_day(inner)
    if inner is None or typed is None or later is None or typed == later:
        return cut
    phrase = _phrase_of(ws, i, inner.end)
    return cut if _chosen_day((typed, later), answers, phrase) == later else None


def _one_day(hit: WhenHit) -> date | None:
    """The one day a when phrase names, or names with a doubt only (a date a few days ahead,
    read as a year ago, has it as its single choice): "1 Dec 5" said on 1 December is today or
    a year-old 5 December, and both are offered, not only the doubtful one."""
    if hit.on is not None:
        return hit.on
    return hit.choices[0] if len(hit.choices) == 1 else None


def _time_of_day_at(ws: Sequence[Word], i: int, today: date, month_first: bool) -> bool:
    """Whether the words from `ws[i]` begin a time of day and no day ("14 Uhr", "9 am"): after
    a whole date ("30 Nov") such words are its time, so the date is not cut before them."""
    try:
        hit = match_when(ws, i, today=today, fallback=False, month_first=month_first)
    except BadDate:
        return False
    return (
        hit is not None
        and hit.at is not None
        and hit.on is None
        and not hit.choices
        and hit.written is None
        and hit.weekday is None
        and hit.week_of is None
    )


# Words that may stand before a weekday or month name in a date phrase ("the Monday before",
# "am vorletzten Montag"): with one of them, the name still starts the note.
_DATE_LEADS = frozenset().union(
    *(
        spelled_sequences(word)
        for word in (
            "the", "a", "on", "am", "an", "den", "dem", "der", "im", "in", "this", "last",
            "past", "previous", "next", "diesen", "letzten", "vorletzten", "vergangenen",
            "vorigen", "vorvorletzten", "vorvorletzte", "vorvorletzter", "early", "late", "mid",
            "anfang", "ende", "mitte",
        )
    )
)  # fmt: skip


def _refuse_an_unread_date(ws: Sequence[Word], i: int) -> None:
    """Refuse a note that starts with what looks like the contact's day but was not read as one
    ("23.11.2026x", "vorvorletzten Montag", "the Monday after"): taking today and keeping those
    words in the note would be silently wrong. A colon keeps them as note text ("call: …")."""
    at = i
    while at < len(ws) and at - i < 2 and (ws[at].key,) in _DATE_LEADS and not ws[at].tail:
        at += 1
    if at < len(ws) and _looks_like_a_day(ws, at):
        raise ParseProblem("unread_date", phrase=_phrase_of(ws, i, at + 1))


def _looks_like_a_day(ws: Sequence[Word], at: int) -> bool:
    """A date-shaped token or a weekday; a month name only beside a number ("March 3x", "3x
    March"), since alone it is as often the topic ("call March numbers")."""
    word = ws[at]
    if date_shaped(word):
        return True
    if not names_day_or_month(word):
        return False
    if not names_month(word):
        return True
    beside = [ws[n].key for n in (at - 1, at + 1) if 0 <= n < len(ws)]
    return any(any(ch.isdigit() for ch in key) for key in beside)


def _chosen_day(
    choices: Sequence[date], answers: Answers, phrase: str, reason: str | None = None
) -> date | None:
    """The day among `choices` the user picked; asks when none is picked yet; None when there
    are no choices. A single choice is asked about too: it is a day the words name only with a
    doubt (a date a few days ahead, read as a year ago)."""
    days = sorted(set(choices))
    if not days:
        return None
    picked = answers.get("when")
    for day in days:
        if picked == day.isoformat():
            return day
    raise when_question(phrase, days, reason)


def _phrase_of(ws: Sequence[Word], start: int, end: int) -> str:
    return " ".join(word.text for word in ws[start:end])


def _clean(text: str) -> str:
    return _NOTE_SEPARATOR.sub("", text.strip()).strip()


def _checked_when(on: date | None, at: time | None, *, today: date, now: time | None) -> When:
    day = on or today
    if day > today:
        raise ParseProblem("when_in_future", on=day, at=at)
    if at is not None and now is not None and day == today and at > now.replace(tzinfo=None):
        # Today is no future day: the time is what is still to come ("today at 22:00" at 10:30).
        raise ParseProblem("when_later_today", at=at)
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
    promise = rest[marker.end() :]
    second = _PROMISE_MARKER.search(promise)
    if second is not None:
        # A contact holds one promise: a second marker would end up inside the first promise's
        # text ("send deck; they promised: send specs"), and theirs would never be tracked.
        raise ParseProblem("two_promises", marker=" ".join(second.group().split()))
    # The comma or dash that joined the note to the marker ("kickoff with Jana, promise: …")
    # belongs to neither: left on, every card and DM would quote the note as "kickoff with Jana,".
    body = _BEFORE_MARKER.sub("", rest[: marker.start()])
    return body, promise, _who_promised(marker.group())


# What may join a note to the promise marker after it: commas, semicolons, dashes and spaces.
_BEFORE_MARKER = re.compile(r"[\s,;–—-]+$")


@lru_cache(maxsize=256)
def _who_promised(marker: str) -> str:
    # Matched the way the search matched, so odd spacing and case ("They  PROMISED :") agree.
    # Cached: each marker is tried against fifty patterns, and people type the same few.
    return next(value for pattern, value in _MARKER_OWNERS if pattern.fullmatch(marker))


def _with_cancel(question: Question) -> Question:
    """A due question as `/logcontact` asks it: its days and Cancel, as every other question
    about a text offers. The due reader (`read_due`) asks without it, as the form and the
    settings, which read due phrases too, have no text waiting to drop."""
    if any(reading.value == CANCEL for reading in question.readings):
        return question
    return replace(
        question, readings=(*question.readings, Reading(CANCEL, label="question.cancel"))
    )


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
        found = read_due(promise, today=today, month_first=month_first, answers=answers)
    except BadDate as problem:
        raise ParseProblem("bad_date", phrase=problem.phrase) from None
    except NeedsAnswer as needed:
        raise NeedsAnswer(_with_cancel(needed.question)) from None
    if found is None:
        raise ParseProblem("promise_without_due", promise=promise)
    if found.due < today:
        raise ParseProblem("promise_due_in_past", due=found.due, phrase=found.phrase)
    return PromiseDraft(
        text=without_due_phrase(promise, found, today=today, month_first=month_first),
        due=found.due,
        due_phrase=found.phrase,
        promised_by=promised_by,
    )
