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
    "send it on Monday, at the latest by Tuesday" → "…, at the latest by 2026-12-01"
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot.parsing.dates import BadDate, DueRead, Word, match_when, words
from bot.parsing.keywords import DUE_LEAD_WORDS, spelled_sequences, spellings

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
_DANGLING = _ARTICLES | frozenset(
    spelling
    for word in (
        "and", "or", "but", "latest", "of", "for", "to", "from", "with", "about", "after",
        "und", "oder", "aber", "spätestens", "von", "für", "zu", "mit", "über", "nach", "ab",
    )
    for spelling in spellings(word)
) | frozenset(word for sequence in _LEADS for word in sequence)  # fmt: skip

_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+([,;:.!?)\]])")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_SPACES = re.compile(r"[ \t]{2,}")
_EDGES = " \t\n,;:-–—"


def without_due_phrase(text: str, found: DueRead) -> str:
    """`text` with the due phrase `found` in it taken out, or replaced by its date where taking
    it out would leave a broken sentence (see the module's docstring). Never empty."""
    ws = words(text)
    first = next(i for i, word in enumerate(ws) if word.end > found.start)
    last = max(i for i, word in enumerate(ws) if word.start < found.end)
    cut_from = _lead_start(ws, first)
    if cut_from == first and first > 0 and ws[first - 1].key in _ARTICLES:
        return _replaced(text, found)  # "the Friday delivery": the day is part of a name
    head = text[: ws[cut_from].start].rstrip()
    end_word = ws[_day_part_end(ws, last, found.due)]
    # An abbreviation's full stop goes with it ("am Do. anrufen"); other punctuation stays.
    end = end_word.raw_end if end_word.tail.strip(".") == "" else end_word.end
    tail = text[end:].lstrip()
    if not any(char.isalnum() for char in head + tail) or _dangles(head, tail):
        return _replaced(text, found)
    return _tidy(f"{head} {tail}")


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


def _dangles(head: str, tail: str) -> bool:
    """Whether the last word before the gap cannot stand there: it needs something after it,
    and the text or its clause ends there."""
    before = words(head)
    if not before:
        return False
    clause_ends = not tail or tail[0] in ",;:.!?)"
    return clause_ends and before[-1].key in _DANGLING


def _replaced(text: str, found: DueRead) -> str:
    return text[: found.start] + found.due.isoformat() + text[found.end :]
