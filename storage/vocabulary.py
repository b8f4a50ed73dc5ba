"""Rapport's vocabulary and limits: the values a column may hold and how long a text may be.

Free of SQLAlchemy, so that the readers of what people type (`bot.parsing`), the rules
(`bot.rules`) and `rapport parse` share them with the tables (`storage.models`); how near two
names are (`closeness`, rapidfuzz) is here too, so the app and `rapport parse` rank alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

MEDIA = ("call", "video", "meeting", "email", "message", "event")
KINDS = ("contact", "check-in", "update", "request", "problem", "social")
DIRECTIONS = ("gave", "received", "mutual")
SOURCES = ("command", "modal", "shortcut")
PROMISE_STATUSES = ("open", "kept", "renegotiated", "dropped")
# Who gave the promise: one of us to the partner, or the partner to us.
PROMISED_BY = ("us", "partner")
PARTNER_STATUSES = ("active", "paused")
PREFERRED_CHANNELS = ("email", "phone", "meeting", "slack")
# handed_over: a partner was handed to the recipient; handed_away: someone else moved the
# recipient's partner to a colleague (see bot.usecases.ownership).
NUDGE_KINDS = ("check_in", "promise", "handed_over", "handed_away")
HAND_OVER_KINDS = ("handed_over", "handed_away")
NUDGE_STATES = ("pending", "sent", "dead", "skipped")
# What the recipient answered with a nudge DM's buttons (see bot.usecases.nudge_answers).
NUDGE_ANSWERS = ("checked_in", "snoozed", "paused", "kept", "more_time", "dropped")
LANGUAGES = ("en", "de")
# ready: waiting to be sent; sending: the call to Slack started and its outcome is not yet known.
BUNDLE_STATES = ("ready", "sending", "sent", "dead")
# What `audit_log` records (`storage.models.AuditEntry`).
AUDIT_ACTIONS = ("forget_partner", "merge_partner")
NOTE_MAX_CHARS = 3000
# How many edits of one contact can be undone one by one; an older one's Undo says it is gone.
EDITS_KEPT = 20
NAME_MAX_CHARS = 200
# Case folding can lengthen a name ("ß" folds to "ss", some letters to three characters): a key
# has room for three times the longest name, so a name that fits always has a key that fits.
NAME_KEY_MAX_CHARS = 3 * NAME_MAX_CHARS
# A trigram of a name key (`name_trigrams`): three characters, counted as Python and
# PostgreSQL count them (code points).
TRIGRAM_MAX_CHARS = 3
# What Slack tells about people is cached in these columns, cut or checked to fit them first.
SLACK_ID_MAX_CHARS = 32
TZ_MAX_CHARS = 64
# A public-holiday region as stored: "none", or a country code and a subdivision ("DE-BY",
# "BR-São Paulo Capital" at the longest the holidays library knows).
HOLIDAY_REGION_MAX_CHARS = 48
LOCALE_MAX_CHARS = 16
EMAIL_MAX_CHARS = 320
EVENT_ID_MAX_CHARS = 64
DEFAULT_CADENCE_DAYS = 90
# A partner's check-in cadence as a profile may set it: a week to a year.
CADENCE_MIN_DAYS = 7
CADENCE_MAX_DAYS = 365
# Where a partner's time zone came from: their Slack profile (refreshed daily), or typed by a
# colleague (kept over Slack's until cleared).
TZ_SOURCES = ("slack", "typed")
DEFAULT_WORK_START = 9 * 60
DEFAULT_WORK_END = 18 * 60
DEFAULT_WORK_DAYS = "12345"  # ISO weekdays, Monday = 1
ALL_DAYS = "1234567"
# Over-contact (`bot.rules.relationships.contact_balance`): contacts we started with one
# partner within CONTACT_WINDOW_DAYS days (today included), at DEFAULT_MAX_CONTACTS or more,
# earn a kind line in the reply. A partner profile may set another threshold
# (`partners.max_contacts`), from MAX_CONTACTS_MIN to MAX_CONTACTS_MAX, or MAX_CONTACTS_OFF to
# never warn.
CONTACT_WINDOW_DAYS = 14
DEFAULT_MAX_CONTACTS = 3
MAX_CONTACTS_MIN = 2
MAX_CONTACTS_MAX = 50
MAX_CONTACTS_OFF = 0
# One-sided relationships: ONE_SIDED_MIN_CONTACTS or more contacts with a direction (gave or
# received; "mutual" is the default and says none) within ONE_SIDED_DAYS, all the same one.
ONE_SIDED_MIN_CONTACTS = 5
ONE_SIDED_DAYS = 180
ONE_SIDED_DIRECTIONS = ("gave", "received")
# "gave:<instant of the last received contact, or none>": which one-sided stretch was told of.
EPISODE_MAX_CHARS = 64

# After-hours hints in shared channels (`bot.rules.after_hours.reach`): the `hint_mutes`
# channel that mutes them everywhere, how long the figures are kept, and the channel size up to
# which a plain message counts as reaching everyone in it.
HINTS_EVERYWHERE = "*"
AFTER_HOURS_KEEP_DAYS = 90
SMALL_CHANNEL_MEMBERS = 5

# Team-channel digests (`/rapport digest …`). A subscription is `active`, `suspended` (the channel
# became shared with another organisation: a digest there would show partner data to people
# outside the company) or `off`. `quiet`: what a week with nothing to report posts, one line
# ("line") or nothing ("nothing"). A digest row of the channel outbox (`digests`) is `ready`,
# `sending`, `sent`, `dead`, or `skipped` (nothing to post, or not allowed at posting time).
SUBSCRIPTION_STATES = ("active", "suspended", "off")
QUIET_WEEKS = ("line", "nothing")
DIGEST_STATES = ("ready", "sending", "sent", "dead", "skipped")
DIGEST_EVERY_WEEKS = (1, 2)
DEFAULT_DIGEST_WEEKDAY = 1  # ISO weekday, Monday = 1
DEFAULT_DIGEST_MINUTE = 9 * 60
# "I'll reach out" on a digest: for this many days the claimer gets the partner's check-in
# nudges instead of the owner.
CLAIM_DAYS = 14


# How names compare (`name_key`). Typed, pasted or sent by Slack, one name arrives in many
# spellings: "Müller", "MÜLLER", "Mueller", "Mu\u0308ller" (u and a combining diaeresis, as text
# pasted from some documents arrives), "Müller\u200b" (a zero-width space from a web page).
# German transliteration: each umlaut is the same as its two-letter spelling.
_TRANSLITERATED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# Letters that carry their mark in themselves (no Unicode decomposition), spelled as their
# languages spell them without it: ø and æ like the German ö and ä, å as the Danish "aa", and the
# Turkish dotless ı as i, so that "Istanbul", "İstanbul" and "ISTANBUL" are one name.
_OWN_LETTERS = str.maketrans(
    {"ø": "oe", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_MARKS = re.compile("([^\u0300-\u036f])([\u0300-\u036f]+)")
_APOSTROPHES = "'’‘ʼ`´"


class _Folding(dict[int, str | None]):
    """The characters a key leaves out or spaces, decided once per character (`str.translate`
    looks each up, and asks `__missing__` about a character it has not seen)."""

    def __init__(self, keep_punctuation: bool) -> None:
        super().__init__()
        self.keep_punctuation = keep_punctuation

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        category = unicodedata.category(char)
        folded: str | None = char
        if category == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
            folded = ""  # invisible: format characters (U+200B, U+00AD, …), variation selectors
        elif self.keep_punctuation:
            pass
        elif char in _APOSTROPHES or char == ".":
            folded = ""  # "O'Brien" = "OBrien", "A.B.C." = "ABC"
        elif char == "&":
            folded = " & "  # "H&M" = "H & M"
        elif category.startswith("P"):
            folded = " "  # "Müller-Lüdenscheidt" = "Müller Lüdenscheidt"
        self[code] = folded
        return folded


_INVISIBLE = _Folding(keep_punctuation=True)
_PUNCTUATION = _Folding(keep_punctuation=False)


@lru_cache(maxsize=1024)
def _takes_off_marks(base: str) -> bool:
    """Whether accents on this letter are left out of a key: on Latin and Greek letters ("é" is
    "e"), not on others, where a mark can make another letter (Cyrillic "й" is not "и")."""
    return unicodedata.name(base, "").startswith(("LATIN", "GREEK"))


def _without_marks(match: re.Match[str]) -> str:
    return match[1] if _takes_off_marks(match[1]) else match[0]


def name_key(name: str | None) -> str:
    """How partner and organisation names compare: one key for every spelling of a name.

    Unicode-normalised (NFKC: composed, "ﬁ" is "fi", full-width letters are letters), without
    invisible format characters, fully case-folded ("Straße" = "STRASSE"), German umlauts
    transliterated ("Müller" = "Mueller"), other accents left out ("Café" = "Cafe", "İ" = "I"),
    and punctuation and runs of spaces folded ("Müller-Lüdenscheidt" = "müller lüdenscheidt").

    Computed in Python, never by the database (SQLite's `lower()` and `LIKE` fold ASCII only).
    A name that would fold to nothing (all punctuation) keeps its punctuation; a name that
    would grow more than three times (a few compatibility characters expand to many letters)
    is only case-folded, so a name that fits its column always has a key that fits its own.
    """
    text = (name or "").strip()
    if text.isascii():
        key = " ".join(text.lower().translate(_PUNCTUATION).split())
    else:
        folded = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).casefold()
        folded = folded.translate(_TRANSLITERATED).translate(_OWN_LETTERS)
        folded = _MARKS.sub(_without_marks, unicodedata.normalize("NFD", folded))
        key = " ".join(unicodedata.normalize("NFC", folded).translate(_PUNCTUATION).split())
    if key and len(key) <= 3 * len(text):
        return key
    return " ".join(text.translate(_INVISIBLE).split()).casefold() or " ".join(text.split())


def name_trigrams(key: str) -> dict[str, int]:
    """The trigrams of a name key, each with its weight: what "did you mean" finds candidates by
    (`partner_trigrams`). 2 for those of the first word, 1 for the others: a name typed is most
    often the start of the one meant ("Schwarz" for "Schwarz Druck" before "Anna Schwarz", whose
    surname it is: the look-up ranks a name with every typed trigram first, so that it is
    found too, `names_by_surname`).

    Each word is padded as PostgreSQL's pg_trgm pads it (two spaces before, one after), so a
    word's start and end count: "acme" has "  a", " ac", "acm", "cme", "me ". Two names sharing
    most of their trigrams differ by a slip, wherever it is, the first letter included.
    """
    weights: dict[str, int] = {}
    for position, word in enumerate(key.split()):
        padded = f"  {word} "
        weight = 2 if position == 0 else 1
        for at in range(len(padded) - 2):
            trigram = padded[at : at + 3]
            weights[trigram] = max(weight, weights.get(trigram, 0))
    return weights


# A longer name with this share of its letters in common (rapidfuzz's ratio, 0-100) is close,
# however many letters differ: three slips in a long company name are still a slip.
CLOSE_RATIO = 85
_NUMBER = re.compile(r"\d+")


def closeness(key: str, stored: str, organisation_key: str = "") -> tuple[int, int] | None:
    """How close a partner (its name key `stored`, its organisation's key) is to a typed key, as
    a sort key (smaller is closer): the name with a space left out or put in ("Globex2" for
    "Globex 2", "Acme Corp" for "AcmeCorp"), a slip of the whole name or of its first words,
    or their start with the last word cut short, first; then a name this one extends, then an
    organisation of this name, then a name or an organisation that differs from it only by its
    legal form (`without_legal_form`: "Nordwind" for "Nordwind GmbH", "Nordwind AG" too), then
    a person named by surname or after an honorific (`_named_as_a_person`: "Ohlsen", "Herr
    Ohlsen" for "Jens Ohlsen"); None when it is none of these, or exactly this name (that one
    is meant, not near)."""
    if stored == key:
        return None
    if _without_spaces(key) == _without_spaces(stored):
        # "Globex2" for "Globex 2", "AcmeCorp" for "Acme Corp": the key folds hyphens and dots
        # to spaces already ("Globex-2" is "Globex 2"), but a space left out changes the words
        # the rules below compare ("globex2" against "globex"), so this slip is told here.
        return (0, 0)
    head = " ".join(stored.split()[: len(key.split())])
    slip = OSA.distance(key, head)
    # Names that differ in a number ("Filiale 1", "Filiale 2") are told apart on purpose.
    numbered_alike = _NUMBER.findall(key) == _NUMBER.findall(head)
    alike = slip <= _slips_allowed(key) or fuzz.ratio(key, stored) >= CLOSE_RATIO
    if numbered_alike and (alike or _abbreviates(key, head)):
        # Cut short, the letters left out are the slip: "acme corp" is 2 from "acme co".
        return (0, slip)
    if extends(key, stored):
        return (1, len(key) - len(stored))
    if organisation_key and organisation_key == key:
        return (2, 0)
    core = without_legal_form(key)
    if without_legal_form(stored) == core:
        return (2, 1)
    if organisation_key and without_legal_form(organisation_key) == core:
        return (2, 2)
    return _named_as_a_person(key, stored)


def _without_spaces(key: str) -> str:
    """A name key with its spaces left out: two names that differ in nothing else differ only in
    where the typist put (or forgot) a space, a hyphen or a dot."""
    return key.replace(" ", "")


def _named_as_a_person(key: str, stored: str) -> tuple[int, int] | None:
    """How close a name is to the typed key read as people speak of a person, after every other
    kind of near: the whole name after an honorific ("Herr Jens Ohlsen", (3, 0)), or its last
    words, the surname, whole, with or without one ("Ohlsen", "Frau Dr. Meier": (3, the words
    left out)). Last, so that a name typed whose first words a partner's are ("Meier" for
    "Meier Bau GmbH") keeps the places it had."""
    bare = without_honorifics(key)
    if bare != key and bare == stored:
        return (3, 0)
    if names_by_surname(bare, stored):
        return (3, len(stored.split()) - len(bare.split()))
    return None


# Words of a company's legal form, as typed and case-folded, a final "." left out ("Co." is
# "co", "e.V." is "e.v"): they continue a name whatever their case (`bot.parsing`), and a name
# or organisation compares without them (`without_legal_form`).
LEGAL_FORMS = frozenset(
    {"gmbh", "ag", "kg", "ohg", "gbr", "ug", "se", "mbh", "co", "e.v", "inc", "ltd", "llc", "plc"}
    | {"corp", "lp", "llp", "sa", "sarl", "bv", "nv", "ab", "as", "oy", "&", "+"}
)
# The same words as name keys fold them ("e.v" is "ev").
_LEGAL_FORM_KEYS = frozenset(name_key(form) for form in LEGAL_FORMS)
# Legal forms written as two words that are none alone, as keys: "e. V." (as the Duden writes
# it, beside "e.V."), "und Co." and "u. Co." (for "& Co."); stripped as one (`without_legal_form`).
_TWO_WORD_LEGAL_FORMS = frozenset({("e", "v"), ("und", "co"), ("u", "co")})
# Legal forms of more than one word, as keys: a typed organisation is looked up with each
# (`organisation_keys`), as with each word of `LEGAL_FORMS`.
_COMPOUND_LEGAL_FORMS = (
    "gmbh & co kg",
    "gmbh co kg",
    "gmbh und co kg",
    "e v",
    "ag & co kg",
    "se & co kg",
    "ug & co kg",
    "& co kg",
    "co kg",
    "& co",
    "co ltd",
)


def without_legal_form(key: str) -> str:
    """A name key without the legal-form words it ends with: "nordwind" for "nordwind gmbh",
    "nordwind gmbh & co kg" and "nordwind"; its first word always stays ("ag" is "ag").

    People say a company's name without its legal form ("Nordwind" for "Nordwind GmbH"), so an
    organisation typed so is near the partners of that organisation and is asked about. A
    different legal form ("Nordwind AG") is near too, not the same: it may be another company
    of the group, so Rapport asks rather than logging to the known one silently. A legal form
    of two words that are none alone ("e. V.", "und Co.") is stripped too: otherwise "Hansa
    e. V." would be another organisation than "Hansa e.V.", and a second partner be created."""
    words = key.split()
    while len(words) > 1:
        # The pair first: "co" of "und co" is a legal form's word alone too.
        if len(words) > 2 and (words[-2], words[-1]) in _TWO_WORD_LEGAL_FORMS:
            del words[-2:]
        elif words[-1] in _LEGAL_FORM_KEYS:
            del words[-1]
        else:
            break
    return " ".join(words)


def organisation_keys(key: str) -> list[str]:
    """The organisation keys a typed name key may stand for, to look up by equality (stored
    keys are not stripped of their legal form): the key as typed, the key without its legal
    form, and that with each legal form after it (`LEGAL_FORMS`, and the usual compound ones:
    "gmbh & co kg")."""
    core = without_legal_form(key)
    if not core:
        return []
    forms = sorted(_LEGAL_FORM_KEYS) + list(_COMPOUND_LEGAL_FORMS)
    keys = [core, *(f"{core} {form}" for form in forms)]
    # The key as typed too, when its legal form is none of these ("nordwind gmbh & co ohg").
    return keys if key in keys else [key, *keys]


def legal_form_alone(key: str) -> bool:
    """Whether an organisation key is a legal form and nothing else ("gmbh", "gmbh & co kg",
    "e v"): it names no company, so it is never given to a partner as its organisation."""
    words = key.split()
    return bool(words) and (
        all(word in _LEGAL_FORM_KEYS for word in words) or key in _COMPOUND_LEGAL_FORMS
    )


def organisation_near(typed: str, stored: str) -> bool:
    """Whether an organisation typed after a known partner's name (its key `typed`) may mean that
    partner's organisation (`stored`) though it differs: only by its legal form ("nordwind" or
    "nordwind ag" for "nordwind gmbh"), or, without its legal form, the first words of the
    known one ("nordwind" for "nordwind logistik gmbh"). A word cut short ("nord") or another
    word ("acme", "logistik") is another organisation, and another partner of that name; a
    legal form alone ("gmbh") may be any organisation. An umlaut typed as its base letter
    ("muller" for "mueller", on a keyboard without one) is the same word: it made a second
    partner of the name silently, where a name so typed is asked about (`closeness`)."""
    if not typed or not stored or typed == stored:
        return False
    if all(word in _LEGAL_FORM_KEYS for word in typed.split()):
        # A legal form alone ("GmbH") names no company: it may be any, the known one first.
        return True
    core, known = without_legal_form(typed).split(), stored.split()
    return _without_umlauts(known[: len(core)]) == _without_umlauts(core)


# The "e" of a transliterated umlaut ("ue" of "ü"), left out on both sides to compare words that
# differ by an umlaut typed as its base letter ("muller", "mueller").
_UMLAUT_E = re.compile(r"(?<=[aou])e")


def _without_umlauts(words: Sequence[str]) -> list[str]:
    """The words with each umlaut as its base letter: "mueller" is "muller"."""
    return [_UMLAUT_E.sub("", word) for word in words]


def organisation_may_be(typed: str, stored: str) -> bool:
    """Whether a known partner of the name typed, at the organisation `stored` (its key, "" for
    none said), may be the one meant by that name typed with the organisation `typed`: one of
    an organisation near it (`organisation_near`), or one with none said, as a partner first
    logged by name alone is, later typed with their organisation ("Jens Ohlsen (Nordwind)"
    when only "Jens Ohlsen" is known)."""
    return bool(typed) and (not stored or organisation_near(typed, stored))


# The letters a word cut short keeps, at least.
ABBREVIATION_MIN_CHARS = 2

# Honorifics and titles before a person's name, as name keys ("Hr." is "hr", "Mrs." "mrs"), in
# English and German: "Herr Ohlsen" and "Frau Dr. Meier" name Ohlsen and Meier
# (`without_honorifics`).
HONORIFICS = frozenset(
    {"herr", "herrn", "hr", "frau", "fr", "dr", "prof", "mr", "mrs", "ms", "miss", "mx"}
)
# Words a person's name may hold between its honorifics and the surname, as name keys: the
# particles of a surname ("Herr von Berg", "Frau van der Meer"), read after an honorific whatever
# their case, although some are everyday words too ("von", "der").
NAME_PARTICLES = frozenset({"von", "vom", "zu", "zur", "van", "de", "der", "den", "ten", "ter"})
# Words that join two honorifics of one name ("Herr und Frau Meier": a couple, one partner).
HONORIFIC_JOINERS = frozenset({"und", "and"})
# Short words of sentences, English and German (as name keys: folded, without umlauts): the
# start of a note after a name ("acme at their office", "mit herrn meier"), never a surname a
# partner is named by alone ("Haus am See" is not "am"; `names_by_surname`).
EVERYDAY_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "had", "has", "have", "he"}
    | {"her", "his", "in", "is", "it", "me", "my", "of", "on", "or", "our", "re", "she"}
    | {"the", "their", "they", "to", "via", "was", "we", "were", "with", "about", "after"}
    | {"ab", "am", "auf", "aus", "bei", "bis", "da", "das", "dem", "den", "der", "des", "die"}
    | {"du", "ein", "eine", "einen", "er", "es", "fur", "fuer", "hat", "hatte", "ich", "ihr"}
    | {"im", "ist", "mit", "nach", "noch", "per", "sie", "uber", "ueber", "um", "und", "uns"}
    | {"von", "vom", "vor", "war", "wg", "wegen", "wir", "zu", "zum", "zur"}
)


def honorifics_alone(key: str) -> bool:
    """Whether a name key is honorifics alone ("herr", "frau dr", "herr und frau"): they say a
    name follows, and name no one without it; a partner of such a name is a forgotten name."""
    words = key.split()
    return (
        bool(words)
        and words[0] in HONORIFICS
        and all(word in HONORIFICS or word in HONORIFIC_JOINERS for word in words)
    )


def without_honorifics(key: str) -> str:
    """A name key without the honorifics it starts with (`HONORIFICS`): "ohlsen" for "herr
    ohlsen", "meier" for "frau dr meier" and for "herr und frau meier" (a couple, named by
    the surname they share); the key itself when nothing else is left ("herr")."""
    words = key.split()
    at = 0
    while at < len(words) - 1 and (
        words[at] in HONORIFICS
        or (at and words[at] in HONORIFIC_JOINERS and words[at + 1] in HONORIFICS)
    ):
        at += 1
    return " ".join(words[at:]) if at else key


def names_by_surname(key: str, stored: str) -> bool:
    """Whether the typed `key` (honorifics taken off) is, whole, the last words of the name
    `stored` and not all of it: "ohlsen" for "jens ohlsen", "von berg" and "berg" for "klaus
    von berg". People name a contact person by the surname alone. Whole words only, no slip: a
    surname's trigrams weigh little in the look-up (`name_trigrams`), so that a slipped one
    would be found in a small workspace and missed in a large one. Never a word that says too
    little to name anyone (`_may_be_surname`)."""
    typed, words = key.split(), stored.split()
    return (
        0 < len(typed) < len(words)
        and words[len(words) - len(typed) :] == typed
        and _may_be_surname(typed)
    )


def _may_be_surname(typed: Sequence[str]) -> bool:
    """Whether typed words may be a surname: `ABBREVIATION_MIN_CHARS` letters at least ("Li"
    is one, "B" of "Anna B." names no one), no number ("Filiale 2"), no legal form ("GmbH"
    ends many names), not only short everyday words or honorifics ("am", "Herr")."""
    last = typed[-1]
    return (
        len(last) >= ABBREVIATION_MIN_CHARS
        and _NUMBER.search(last) is None
        and last not in _LEGAL_FORM_KEYS
        and not all(word in EVERYDAY_WORDS or word in HONORIFICS for word in typed)
    )


def _abbreviates(key: str, head: str) -> bool:
    """Whether `key` is `head` (a name's first words) with its last word cut short, as people
    abbreviate a name they know: "acme co" for "Acme Corp", "schmidt log" for "Schmidt
    Logistik", "glob" for "Globex". Its words before the last are the name's; the last is the
    start of the name's word there, `ABBREVIATION_MIN_CHARS` long at least (one letter starts
    too many names to mean one)."""
    typed, stored = key.split(), head.split()
    return (
        len(typed) == len(stored)
        and typed[:-1] == stored[:-1]
        and len(typed[-1]) >= ABBREVIATION_MIN_CHARS
        and stored[-1].startswith(typed[-1])
    )


def extends(key: str, stored: str) -> bool:
    """Whether the typed `key` is the name `stored` with more words after it ("acme corp q4"
    for "Acme"): a shorter name the typed words merely run on from, not a name like them."""
    return key.startswith(stored + " ")


def begins(key: str, stored: str) -> bool:
    """Whether `key` is the first words of the name `stored`, some of them cut short, as people
    type a name they know in a hurry and in lower case: "schmidt log" for "Schmidt Logistik",
    "hansa ba gmbh" for "Hansa Bau GmbH". Each typed word is the name's word there or its
    start, `ABBREVIATION_MIN_CHARS` long at least; a word with a digit only whole ("1" begins
    no "12", "Filiale 1" and "Filiale 12" are told apart). Never the name itself."""
    return begins_words(key.split(), stored.split())


def begins_words(typed: Sequence[str], words: Sequence[str]) -> bool:
    """`begins`, the typed key and the name key split into words (split once for many names)."""
    return (
        0 < len(typed) <= len(words)
        and list(typed) != list(words)
        and all(begins_word(part, word) for part, word in zip(typed, words, strict=False))
    )


def begun_by(readings: Sequence[str], partners: Iterable[tuple[int, str]]) -> list[tuple[int, int]]:
    """The `partners` (id, name key) whose names one of the typed `readings` begins (`begins`),
    each with how many typed words name it: those of the first (the longest) reading first,
    each partner once. Partners already read serve, so that it costs no query."""
    found: dict[int, int] = {}
    entries = list(partners)
    for reading in readings:
        key = name_key(reading)
        for partner_id, stored in entries:
            if begins(key, stored):
                found.setdefault(partner_id, len(reading.split()))
    return list(found.items())


def begins_word(part: str, word: str) -> bool:
    """Whether a typed word is a name's `word` or its start (`begins`): whole, or its first
    `ABBREVIATION_MIN_CHARS` letters at least, a number only whole."""
    if part == word:
        return True
    cut_short = len(part) >= ABBREVIATION_MIN_CHARS and not _NUMBER.search(part)
    return cut_short and word.startswith(part)


def _slips_allowed(key: str) -> int:
    """Letters a name may differ by and still be a slip: one in a short name, two otherwise."""
    return 0 if len(key) <= 2 else 1 if len(key) <= 5 else 2


def nearest(key: str, partners: Iterable[tuple[int, str, str]], limit: int) -> list[int]:
    """The ids of the `partners` (id, name key, organisation key) someone typing `key` may have
    meant, closest first (ties by key, then id), `limit` at most: `closeness` over a list, for
    the database's candidates and for `rapport parse`'s partners file alike."""
    ranked = []
    for partner_id, stored, organisation_key in partners:
        close = closeness(key, stored, organisation_key)
        if close is not None:
            ranked.append((close, stored, partner_id))
    ranked.sort()
    return [partner_id for *_, partner_id in ranked[:limit]]
