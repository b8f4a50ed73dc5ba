"""The text a promise is kept under: what was promised, without the words that said when.

A promise is read again for weeks: in nudge DMs, in the "Need more time" heads-up to the
partner, in lists and in the Edit form. Relative words go stale ("Muster übermorgen schicken",
read a week later, names the wrong day), while the due date is stored on its own. So the due
phrase comes out, with its lead word and a time of day that belongs to it:

    "Muster übermorgen schicken"           → "Muster schicken"
    "Rückruf morgen früh"                  → "Rückruf"
    "send the quote by Friday"             → "send the quote"
    "intro to their CFO (by end of month)" → "intro to their CFO"

Where taking the words out would break the sentence, the phrase is replaced by the date instead,
written as ISO 8601 (2027-01-08), the one form that reads the same to a German, a British and an
American reader (8.1. and 1/8 do not):

    "bis Freitag"                          → "bis 2027-01-08"  (nothing would be left)
    "call about the Friday delivery"       → "call about the 2027-01-08 delivery"  (the day is
                                             part of a noun phrase)
    "Muster schicken am Montag oder Dienstag"  → "Muster schicken am 2026-11-30 oder 2026-12-01"
                                             (a conjunction or preposition at the gap joins the
                                             day to the rest)

Replaced, the phrase takes its time of day with it, as a cut does ("bis Freitag früh" →
"bis 2027-01-08"): the due date is a day, and "2027-01-08 morning" only half of a phrase. An
"at the latest" beside the phrase goes with a cut ("send the quote on 12/4 latest" → "send the
quote").

Every other date phrase the due reader reads in the text is replaced by the day it named on the
day the promise was logged ("call tomorrow, then send the deck by Friday" → "call 2027-01-05,
then send the deck"), so that no kept word goes stale; a time of day after it stays, as nothing
else keeps it. A phrase the reader would ask about (two days) stays as typed: guessing would be
silently wrong. When the due day moves later (Edit, "Need more time"), the date written for it
moves too (`moved_due`). A text left with nothing but its due date ("bis 2027-01-08") is shown
as "a promise" (`names_only_a_day`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.parsing.dates import (
    QUICK_CHOICE_QUESTIONS,
    BadDate,
    DuePhrase,
    DueRead,
    Word,
    due_phrases,
    match_when,
    read_due,
    weekday_named,
    words,
)
from bot.parsing.keywords import DUE_LEAD_WORDS, spelled_sequences, spellings
from bot.parsing.questions import NeedsAnswer

_LEADS = frozenset().union(*(spelled_sequences(term.word) for term in DUE_LEAD_WORDS))
_LONGEST_LEAD = max(len(sequence) for sequence in _LEADS)

# A time of day right after the due phrase belongs to it ("Freitag früh", "Friday EOD").
_DAY_PARTS = frozenset(
    spelling
    for word in (
        "morning", "afternoon", "evening", "night", "noon", "eod", "cob", "eob",
        "früh", "morgen", "morgens", "vormittag", "vormittags", "mittag", "mittags",
        "nachmittag", "nachmittags", "abend", "abends",
    )
    for spelling in spellings(word)
)  # fmt: skip

# Words that cannot end a sentence or stand before a comma: left dangling by a cut, they say
# the sentence is broken. Articles and determiners before the phrase say the day is part of a
# noun phrase ("the Friday delivery"), which a cut would change.
_ARTICLES = frozenset(
    spelling
    for word in (
        "the", "a", "an", "this", "that", "its", "their", "our", "your",
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
        "diese", "dieser", "dieses", "diesen", "ihr", "ihre", "ihren", "unser", "unsere",
    )
    for spelling in spellings(word)
)  # fmt: skip
# Before a lead word an article is no article: it stands before a noun, never before "by" or
# "bis", so there the word is the thing itself ("plan A by Friday", "option a", "schick das bis
# Freitag", "send this by Friday") and the clause ends well without the phrase.
_DANGLING_AFTER_LEAD = frozenset(
    spelling
    for word in (
        "and", "or", "but", "latest", "of", "for", "to", "from", "with", "about", "after",
        "und", "oder", "aber", "spätestens", "von", "für", "zu", "mit", "über", "nach", "ab",
    )
    for spelling in spellings(word)
) | frozenset(word for sequence in _LEADS for word in sequence)  # fmt: skip
_DANGLING = _ARTICLES | _DANGLING_AFTER_LEAD

# Words that join the day to what stands on the other side of the gap: cut there, the sentence
# loses a part ("Montag oder Dienstag" → "oder Dienstag", "Angebot Freitag oder Montag schicken"
# → "Angebot Freitag oder schicken"). Conjunctions count on either side of the gap, and
# prepositions before it ("about | plans"); a preposition after the gap starts a phrase of its
# own ("Rückruf am Do. wegen der Preise" → "Rückruf wegen der Preise") and is left to stand.
_CONJUNCTIONS = frozenset(
    spelling
    for word in (
        "and", "or", "nor", "plus", "&", "versus", "vs", "respectively",
        "und", "oder", "bzw", "beziehungsweise", "sowie", "noch", "respektive", "resp",
    )
    for spelling in spellings(word)
)  # fmt: skip
_PREPOSITIONS = frozenset(
    spelling
    for word in (
        "of", "for", "to", "from", "with", "about", "after", "at", "in", "into", "onto", "over",
        "under", "between", "during", "per", "via", "without", "within", "through", "towards",
        "against", "around", "regarding", "re",
        "von", "für", "zu", "zur", "mit", "über", "nach", "ab", "an", "auf", "aus", "bei",
        "durch", "gegen", "ohne", "um", "unter", "vor", "wegen", "während", "seit", "im", "beim",
        "vom", "ins", "ans", "zwischen", "per", "betreffend", "bezüglich",
    )
    for spelling in spellings(word)
)  # fmt: skip
_JOINING_BEFORE = _CONJUNCTIONS | _PREPOSITIONS

# "At the latest" belongs to the due phrase on either side of it ("latest by Friday", "on 12/4
# latest", "Freitag spätestens"): cut with it, or it is left saying nothing.
_LATEST = frozenset().union(
    *(
        spelled_sequences(phrase)
        for phrase in (
            "latest", "at the latest", "at latest", "at the very latest",
            "spätestens", "allerspätestens", "am spätesten",
        )
    )
)  # fmt: skip
_LONGEST_LATEST = max(len(sequence) for sequence in _LATEST)

# The words a kept text may hold besides a date when it says nothing but when it is due.
_WHEN_WORDS = frozenset(word for sequence in _LEADS | _LATEST for word in sequence) | _DAY_PARTS
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")

# Words that may stand between a date and its weekday ("Do., den 3.12.", "Dec 3, on Thursday").
_WEEKDAY_JOINERS = frozenset({"the", "den", "der", "dem", "on", "am", "of"})

_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+([,;:.!?)\]])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_SPACES = re.compile(r"[ \t]{2,}")
_EDGES = " \t\n,;:-–—"


@dataclass(frozen=True)
class OtherDay:
    """Words in a promise that name another day than the due date picked apart from them:
    `phrase` as typed, and the day or days it may mean."""

    phrase: str
    days: tuple[date, ...]


def text_for_due(text: str, due: date, *, today: date, month_first: bool = False) -> str | OtherDay:
    """A promise typed apart from its due date (the form's text and date picker) as it is kept:
    without its due phrase when that phrase names the `due` picked (as `/logcontact` keeps it),
    or `OtherDay` when its words name another day, so the person is asked which is meant
    rather than one of them being taken silently.

    Words that name no day ("ASAP", "in ein paar Tagen") are answered by any day picked and come
    out too; a text without a day, or with a broken one (kept as typed: the picker holds the
    day), is returned as it is.
    """
    try:
        found = read_due(
            text, today=today, month_first=month_first, answers={"due": due.isoformat()}
        )
    except NeedsAnswer as asked:
        question = asked.question
        days = tuple(reading.day for reading in question.readings if reading.day is not None)
        if question.reason not in QUICK_CHOICE_QUESTIONS:
            return OtherDay(question.phrase, days)
        phrase_at = text.find(question.phrase)
        if phrase_at < 0:
            return text
        end = phrase_at + len(question.phrase)
        found = DueRead(due, question.phrase, phrase_at, end)
    except BadDate:
        return text
    if found is None:
        return text
    if found.due != due:
        return OtherDay(found.phrase, (found.due,))
    return without_due_phrase(text, found, today=today, month_first=month_first)


def without_due_phrase(text: str, found: DueRead, *, today: date, month_first: bool = False) -> str:
    """`text` with the due phrase `found` in it taken out, or replaced by its date where taking
    it out would leave a broken sentence, and every other date phrase in it replaced by the day
    it names as of `today`, the day the promise was logged (see the module's docstring).
    Never empty. `month_first` reads numeric dates as the member writes them."""
    ws = words(text)
    phrases = due_phrases(text, today=today, month_first=month_first)
    others = [p for p in phrases if p.end <= found.start or p.start >= found.end]
    # Words of other phrases are theirs: the due phrase is not widened over them.
    taken = frozenset(i for p in others for i, word in enumerate(ws) if _within(word, p))
    cut, replaced = _due_edits(text, ws, found, taken)
    if any(phrase.days == (found.due,) for phrase in others):
        # Another date in the text names the due day too ("Zahlen vom 27.11. bis Freitag"): it
        # is written as that date, and so is the due phrase, so that the text never holds the
        # due day's date for another phrase alone, which `moved_due` would take for the due's.
        return _kept(text, ws, [replaced], others)
    kept = _kept(text, ws, [cut], others)
    if cut is not replaced and _names_a_day_anew(kept, today, month_first):
        # The cut changed how the words left read ("by the 2 Friday" → "by the 2", now the
        # 2nd): the date stands in for the phrase instead, and the words around stay as typed.
        return _kept(text, ws, [replaced], others)
    return kept


def _kept(text: str, ws: Sequence[Word], edits: list[_Edit], others: list[DuePhrase]) -> str:
    """`text` with `edits` made and every phrase of `others` replaced by its day."""
    for phrase in others:
        if len(phrase.days) > 1 or phrase.phrase == phrase.days[0].isoformat():
            continue  # one the reader would ask about stays as typed; so does an ISO date
        for edit in _dated(ws, phrase, edits):
            if all(edit.end <= other.start or edit.start >= other.end for other in edits):
                edits.append(edit)
                break
    return _tidy_keeping_typed_brackets(text, edits)


# Stands in for empty brackets the person typed while the text is tidied; NUL is refused in any
# typed text (`bot.parsing.checks.forbidden_character`), so it is never the person's own.
_TYPED_EMPTY = "\x00"
_TYPED_EMPTY_RUN = re.compile(f"{_TYPED_EMPTY}+")


def _tidy_keeping_typed_brackets(text: str, edits: list[_Edit]) -> str:
    """`text` with `edits` made and tidied, where only the brackets an edit emptied go ("(by
    Friday)" → "()"). Brackets typed empty stay: taking them out joins the words around them,
    and "KW ( ) 50" would turn into "KW 50", a date phrase nobody typed."""
    typed = _EMPTY_BRACKETS.findall(text)
    if not typed or _TYPED_EMPTY in text:
        return _tidy(_applied(text, edits))
    # Same length, so every edit's offsets still hold.
    masked = _EMPTY_BRACKETS.sub(lambda m: _TYPED_EMPTY * len(m.group()), text)
    tidied = _tidy(_applied(masked, edits))
    if len(_TYPED_EMPTY_RUN.findall(tidied)) != len(typed):
        return _tidy(_applied(text, edits))  # an edit reached into them: tidy as before
    restored = iter(typed)
    return _TYPED_EMPTY_RUN.sub(lambda _m: next(restored), tidied)


def _names_a_day_anew(kept: str, today: date, month_first: bool) -> bool:
    """Whether the due reader reads a day in `kept` other than in a date written out."""
    return any(
        len(phrase.days) == 1 and not _ISO.fullmatch(phrase.phrase)
        for phrase in due_phrases(kept, today=today, month_first=month_first)
    )


def moved_due(text: str, old: date, new: date) -> str:
    """`text` with the date Rapport wrote for the due day `old` (ISO 8601, as
    `without_due_phrase` writes it) changed to `new`: the words follow the due day when it
    moves. Other dates, and text without that date, stay as they are.

    The date moves only when the text holds it once: `without_due_phrase` writes the due day's
    date for another phrase only beside the due phrase's own, so a date held twice may name
    another thing on that day ("Zahlen vom 2026-11-27 bis 2026-11-27 schicken": the figures
    stay those of the 27th). Neither is moved then; the due date itself is stored apart.
    """
    if old == new:
        return text
    written = re.compile(rf"(?<![\w-]){re.escape(old.isoformat())}(?![\w-])")
    if len(written.findall(text)) != 1:
        return text
    return written.sub(new.isoformat(), text)


def names_only_a_day(text: str) -> bool:
    """Whether a kept promise text says nothing but when it is due ("bis 2027-01-08", "by
    2027-01-08 at the latest"): such a text is shown as a promise without words, not as a
    date that repeats the due day next to it."""
    return all(
        _ISO.fullmatch(word.key) or word.key in _WHEN_WORDS or not _has_letters_or_digits(word)
        for word in words(text)
    )


@dataclass(frozen=True)
class _Edit:
    """Characters `start:end` of the promise to become `new` (" " for a cut)."""

    start: int
    end: int
    new: str


def _dated(ws: Sequence[Word], phrase: DuePhrase, edits: Sequence[_Edit]) -> list[_Edit]:
    """Ways to replace another date phrase by the day it names, best first: with a weekday
    beside it, as it stands, and its words outside the edits made already (the due phrase may
    have taken its first word as a time of day: "Montag morgen morgen")."""
    day = phrase.days[0].isoformat()
    inside = [i for i, word in enumerate(ws) if _within(word, phrase)]
    first, last = _with_weekday(ws, inside[0], inside[-1], phrase.days[0], frozenset())
    free = [
        i
        for i in inside
        if all(ws[i].end <= edit.start or ws[i].start >= edit.end for edit in edits)
    ]
    ways = [_Edit(ws[first].start, ws[last].end, day), _Edit(phrase.start, phrase.end, day)]
    if free and free == list(range(free[0], free[-1] + 1)):
        ways.append(_Edit(ws[free[0]].start, min(ws[free[-1]].end, phrase.end), day))
    return ways


def _within(word: Word, phrase: DuePhrase) -> bool:
    return word.end > phrase.start and word.start < phrase.end


def _due_edits(
    text: str, ws: Sequence[Word], found: DueRead, taken: frozenset[int]
) -> tuple[_Edit, _Edit]:
    """The cut of the due phrase with its lead word, a time of day and an "at the latest"
    that belong to it, or, where the cut would break the sentence, the phrase and its time of
    day replaced by the date; and that replacement. Both are the replacement when it is the
    one to make."""
    first = next(i for i, word in enumerate(ws) if word.end > found.start)
    last = max(i for i, word in enumerate(ws) if word.start < found.end)
    first, last = _with_weekday(ws, first, last, found.due, taken)
    last = _day_part_end(ws, last, found.due)
    replaced = _Edit(ws[first].start, ws[last].end, found.due.isoformat())
    lead_from = _lead_start(ws, first)
    cut_from = _latest_before(ws, lead_from)
    if cut_from == first and first > 0 and ws[first - 1].key in _ARTICLES:
        return replaced, replaced  # "the Friday delivery": the day is part of a name
    end_word = ws[_latest_after(ws, last)]
    # An abbreviation's full stop goes with it ("am Do. anrufen"); other punctuation stays.
    end = end_word.raw_end if end_word.tail.strip(".") == "" else end_word.end
    if end_word.raw_start < end_word.start and end_word.tail.startswith(")"):
        end += 1  # "(Thursday)" goes with its closing bracket
    head, tail = text[: ws[cut_from].start], text[end:]
    if not any(char.isalnum() for char in head + tail) or _breaks(
        head, tail, after_lead=lead_from < first
    ):
        return replaced, replaced
    return _Edit(ws[cut_from].start, end, " "), replaced


def _with_weekday(
    ws: Sequence[Word], first: int, last: int, due: date, taken: frozenset[int]
) -> tuple[int, int]:
    """The phrase's first and last word, widened by a weekday right beside it that names the
    due day's weekday ("Do. 3.12.", "3.12., Donnerstag"): the reader may have read the date
    alone, and the weekday left behind would name a day of its own, and a stale one."""
    weekday = due.weekday()
    at = first - 1
    while at > 0 and first - at <= 3 and ws[at].key in _WEEKDAY_JOINERS and not ws[at].tail:
        at -= 1  # "Do. den 3.12." (up to three words between, as the due reader joins them)
    if (
        at >= 0
        and at not in taken
        and weekday_named(ws[at].text) == weekday
        and not ws[at].tail.strip(".,")
    ):
        first = at
    at = last + 1
    while (
        at + 1 < len(ws)
        and at - last <= 3
        and ws[at].key in _WEEKDAY_JOINERS
        and not ws[at - 1].tail
    ):
        at += 1  # "3.12. am Donnerstag"
    after_ok = not ws[last].tail.strip(",") and not ws[at - 1].tail.strip(",")
    if at < len(ws) and at not in taken and weekday_named(ws[at].text) == weekday and after_ok:
        last = at
    return first, last


def _applied(text: str, edits: Sequence[_Edit]) -> str:
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def _latest_before(ws: Sequence[Word], start: int) -> int:
    """Where an "at the latest"/"spätestens" right before the lead word starts ("latest by
    Friday"), or `start`."""
    for length in range(min(_LONGEST_LATEST, start), 0, -1):
        before = ws[start - length : start]
        if not any(word.tail for word in before) and tuple(w.key for w in before) in _LATEST:
            return start - length
    return start


def _latest_after(ws: Sequence[Word], last: int) -> int:
    """The last word of an "at the latest"/"spätestens" right after the phrase ("on 12/4
    latest", "Freitag, spätestens"), or `last`."""
    if ws[last].tail.strip(","):
        return last  # a full stop or bracket ends the phrase's clause
    for length in range(min(_LONGEST_LATEST, len(ws) - last - 1), 0, -1):
        after = ws[last + 1 : last + 1 + length]
        if not any(word.tail for word in after[:-1]) and tuple(w.key for w in after) in _LATEST:
            return last + length
    return last


def _lead_start(ws: Sequence[Word], first: int) -> int:
    """Where the lead word before the phrase starts ("by", "bis zum"), or the phrase itself."""
    for length in range(min(_LONGEST_LEAD, first), 0, -1):
        lead = ws[first - length : first]
        if any(word.tail for word in lead):
            continue  # "bis, Freitag" is no lead word: punctuation stands between
        if tuple(word.key for word in lead) in _LEADS:
            return first - length
    return first


def _day_part_end(ws: Sequence[Word], last: int, due: date) -> int:
    """The last word of the phrase, or of a time of day right after it ("um 14 Uhr")."""
    if ws[last].tail or last + 1 >= len(ws):
        return last
    if ws[last + 1].key in _DAY_PARTS:
        return last + 1
    try:
        hit = match_when(ws, last + 1, today=due, fallback=False)
    except BadDate:
        return last  # "heute 24:00": no time of day, so not part of the phrase; kept as typed
    if hit is not None and hit.on is None and hit.at is not None:
        return hit.end - 1
    return last


def _tidy(text: str) -> str:
    text = _EMPTY_BRACKETS.sub("", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = _SPACES.sub(" ", text)
    return text.strip(_EDGES)


def _breaks(head: str, tail: str, *, after_lead: bool = False) -> bool:
    """Whether the words either side of the gap say the sentence needs what was cut.

    A conjunction or preposition before the gap ("Montag oder |", "Angebot Freitag oder |
    schicken", the German verb at the end following) or after it ("| oder Dienstag") joins the
    day to something; a word that cannot end a clause ("but", "latest") dangles where the
    clause ends at the gap. `after_lead`: the cut began with a lead word ("by", "bis"), before
    which an article is the thing itself ("send plan A | by Friday"), and ends a clause well."""
    before, after = words(head), words(tail)
    clause_ends = not tail.strip() or tail.lstrip()[0] in ",;:.!?)"
    if before and before[-1].key in _JOINING_BEFORE and not before[-1].tail:
        return True
    if after and after[0].key in _CONJUNCTIONS and not clause_ends:
        return True
    dangling = _DANGLING_AFTER_LEAD if after_lead else _DANGLING
    return clause_ends and bool(before) and before[-1].key in dangling and not before[-1].tail


def _has_letters_or_digits(word: Word) -> bool:
    return any(char.isalnum() for char in word.text)
