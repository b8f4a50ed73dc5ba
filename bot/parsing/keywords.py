"""The words `/logcontact` understands, in English and German.

Every word lives in exactly one table here, tagged with its language, so the parser, the date
rules and the README's keyword list are built from the same data and cannot drift apart.
Matching is case-insensitive, and umlauts may be typed as ae/oe/ue: people type on phones and on
keyboards without German keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Literal

from storage.vocabulary import DIRECTIONS, KINDS, MEDIA, PROMISED_BY

Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "de")

# The values themselves belong to the stored data; the words for them belong here.
__all__ = ["DIRECTIONS", "KINDS", "MEDIA", "PROMISED_BY"]


@dataclass(frozen=True)
class Term:
    """One word (or short phrase) and what it stands for."""

    word: str
    value: str
    language: Language
    # English past-tense verbs usually begin the note's first sentence ("helped them with X"), so
    # the parser reads them as a keyword *and* leaves them in the note.
    verb: bool = False


@dataclass(frozen=True)
class PhraseRow:
    """A documented family of date phrases: what it means and examples in both languages."""

    meaning: str
    english: tuple[str, ...]
    german: tuple[str, ...]


_VERBS = frozenset(
    {
        "called", "phoned", "rang", "met", "visited", "mailed", "emailed", "e-mailed",
        "messaged", "chatted", "texted", "asked", "escalated",
        "gave", "helped", "offered", "received", "got",
    }
)  # fmt: skip


def _table(rows: Mapping[str, tuple[Iterable[str], Iterable[str]]]) -> tuple[Term, ...]:
    terms: list[Term] = []
    for value, (english, german) in rows.items():
        terms.extend(Term(word, value, "en", verb=word in _VERBS) for word in english)
        terms.extend(Term(word, value, "de") for word in german)
    return tuple(terms)


MEDIUM_TERMS = _table(
    {
        "call": (
            ("call", "called", "phone", "phone call", "phoned", "rang"),
            ("anruf", "angerufen", "call", "rückruf", "telefon", "telefonat", "telefoniert"),
        ),
        "video": (
            ("video", "video call", "video-call", "videocall", "zoom", "zoom call", "teams",
             "teams call", "google meet", "webex"),
            ("video", "videoanruf", "videocall", "videokonferenz", "videotelefonat", "zoom",
             "teams"),
        ),
        "meeting": (
            ("meeting", "met", "lunch", "dinner", "breakfast", "coffee", "visit", "visited",
             "in person", "in-person", "face-to-face", "f2f"),
            ("meeting", "treffen", "getroffen", "besuch", "besucht", "termin", "mittagessen",
             "abendessen", "frühstück", "essen", "kaffee", "persönlich", "vor ort"),
        ),
        "email": (
            ("email", "e-mail", "mail", "mailed", "emailed", "e-mailed"),
            ("email", "e-mail", "mail", "e-mailt", "gemailt"),
        ),
        "message": (
            ("message", "messaged", "slack", "chat", "chatted", "dm", "sms", "texted", "whatsapp",
             "linkedin"),
            ("nachricht", "chat", "sms", "whatsapp", "angeschrieben"),
        ),
        "event": (
            ("event", "conference", "trade fair", "trade show", "expo", "summit", "webinar"),
            ("event", "messe", "konferenz", "veranstaltung", "tagung", "kongress", "webinar"),
        ),
    }
)  # fmt: skip

KIND_TERMS = _table(
    {
        "contact": (("contact",), ("kontakt",)),
        "check-in": (
            ("check-in", "checkin", "check_in", "check in", "catch-up", "catchup", "catch up",
             "quarterly", "qbr", "review"),
            ("check-in", "quartalsgespräch", "jour fixe", "jourfixe", "review"),
        ),
        "update": (
            ("update", "status", "status update"),
            ("update", "statusupdate", "sachstand", "zwischenstand"),
        ),
        "request": (("request", "ask", "asked"), ("anfrage", "bitte", "angefragt")),
        "problem": (
            ("problem", "issue", "complaint", "escalation", "escalated"),
            ("problem", "beschwerde", "reklamation", "eskalation", "eskaliert"),
        ),
        "social": (
            ("social", "birthday", "congrats", "congratulations"),
            ("geburtstag", "glückwunsch", "glückwünsche", "gratuliert"),
        ),
    }
)  # fmt: skip

DIRECTION_TERMS = _table(
    {
        "gave": (
            ("gave", "given", "helped", "offered"),
            ("gegeben", "geholfen", "angeboten", "unterstützt"),
        ),
        "received": (("received", "got"), ("erhalten", "bekommen")),
        "mutual": (("mutual", "both ways"), ("gegenseitig", "beidseitig")),
    }
)  # fmt: skip

# The value says who promised (storage's PROMISED_BY). Markers are whole phrases, as people say
# them; many end in a shorter one ("they promised:", "I promised:", "ich habe versprochen:"), and
# the parser reads the first marker in the text, so the whole phrase wins over the marker inside
# it: a subject or auxiliary said with our marker goes with it, not into the contact's note.
PROMISE_MARKERS = _table(
    {
        "us": (
            ("promise:", "promised:", "todo:", "to-do:",
             "i promised:", "i promise:", "we promised:", "we promise:",
             "i've promised:", "i’ve promised:", "we've promised:", "we’ve promised:",
             "i have promised:", "we have promised:", "my promise:", "our promise:"),
            ("zusage:", "versprechen:", "versprochen:", "todo:", "to-do:",
             "ich habe versprochen:", "hab versprochen:", "habe versprochen:",
             "wir haben versprochen:", "ich verspreche:", "wir versprechen:",
             "ich habe zugesagt:", "wir haben zugesagt:", "ich sage zu:", "wir sagen zu:",
             "meine zusage:", "unsere zusage:", "mein versprechen:", "unser versprechen:"),
        ),
        "partner": (
            ("they promised:", "they promise:", "their promise:",
             "they've promised:", "they’ve promised:", "they have promised:",
             "he promised:", "she promised:", "his promise:", "her promise:"),
            ("sie sagen zu:", "zugesagt von ihnen:", "ihre zusage:",
             "sie haben versprochen:", "sie haben zugesagt:", "er hat versprochen:",
             "sie hat versprochen:", "er hat zugesagt:", "sie hat zugesagt:", "seine zusage:"),
        ),
    }
)  # fmt: skip

DUE_LEAD_WORDS = _table(
    {
        "by": (
            ("by", "until", "till", "before", "due", "due by", "due on", "on", "no later than"),
            ("bis", "bis zum", "bis zur", "bis spätestens", "bis spätestens zum", "spätestens",
             "spätestens am", "spätestens bis", "am", "zum", "fällig", "fällig am"),
        )
    }
)  # fmt: skip

WHEN_LEAD_WORDS = _table({"on": (("on",), ("am",)), "at": (("at",), ("um",))})

WHEN_PHRASES = (
    PhraseRow("today", ("today", "this morning"), ("heute", "heute Morgen")),
    PhraseRow("yesterday", ("yesterday", "yesterday evening"), ("gestern", "gestern Abend")),
    PhraseRow("two days ago", ("day before yesterday",), ("vorgestern",)),
    PhraseRow(
        "days, weeks or months ago",
        ("3 days ago", "two days ago", "a week ago", "2 months ago"),
        ("vor 3 Tagen", "vor zwei Tagen", "vor einer Woche", "vor 2 Monaten"),
    ),
    PhraseRow(
        "asked, with quick choices (2, 3 or 4 days ago)",
        ("a few days ago", "a couple of days ago"),
        ("vor ein paar Tagen", "vor einigen Tagen"),
    ),
    PhraseRow("Monday of last week", ("last week",), ("letzte Woche",)),
    PhraseRow(
        "the latest such weekday (said on that weekday: asked, today or a week ago)",
        ("Monday", "Mon", "on Monday"),
        ("Montag", "Mo", "am Montag"),
    ),
    PhraseRow(
        "the latest such weekday before today (asked when this week's has passed too)",
        ("last Friday", "this past Monday"),
        ("letzten Freitag",),
    ),
    PhraseRow("that weekday of last week", ("Monday last week",), ("Montag letzte Woche",)),
    PhraseRow(
        "that weekday of the week named",
        ("Tuesday this week", "Wednesday 2 weeks ago"),
        ("Dienstag dieser Woche", "Mittwoch vor 2 Wochen"),
    ),
    PhraseRow(
        "a date; without a year, the latest one (up to 7 days ahead: asked)",
        ("2026-11-20", "Nov 20", "20 Nov", "November 20", "on the 20th", "the twentieth"),
        ("20.11.2026", "20.11.", "20.11.26", "20. November", "am 20.", "am zwanzigsten November"),
    ),
    PhraseRow(
        "a weekday with a date: the day the date names; with a day number alone, the latest day "
        "they agree on within two months (disagreeing: asked, the date and that weekday beside "
        "it)",
        ("Friday the 20th", "Fri, Nov 20"),
        ("Freitag, den 20.11.", "Fr 20.11."),
    ),
    PhraseRow(
        "a weekday with a day word: that day (disagreeing: asked)",
        ("today Wednesday", "yesterday, Tuesday"),
        ("heute Mittwoch", "gestern Dienstag"),
    ),
    PhraseRow(
        "the weekday before the latest one before today (asked when last week's could be meant)",
        ("the Friday before last", "Friday before last"),
        ("vorletzten Freitag",),
    ),
    PhraseRow(
        "a numeric date where the note would start (month first when your Slack locale writes "
        "it so)",
        ("11/23", "4/22"),
        ("23.11", "23.11."),
    ),
    PhraseRow(
        "a time (today, unless a day is given too)",
        ("14:30", "9:05", "2pm", "2:30pm", "at 14:30"),
        ("14 Uhr", "um 14 Uhr", "um 14:30", "14:30 Uhr"),
    ),
    PhraseRow(
        "day and time together",
        ("yesterday at 3pm", "Monday 10:00"),
        ("gestern 14:30", "am Montag um 10 Uhr"),
    ),
)

DUE_PHRASES = (
    PhraseRow("today", ("today", "tonight", "end of day", "EOD", "COB"), ("heute", "heute Abend")),
    PhraseRow(
        "tomorrow",
        ("tomorrow", "tmrw", "the next day"),
        ("morgen", "morgen früh", "am nächsten Tag"),
    ),
    PhraseRow("the day after tomorrow", ("day after tomorrow",), ("übermorgen",)),
    PhraseRow(
        "that day at the end of the working day",
        ("EOD Thursday", "Friday COB", "tomorrow EOD"),
        ("EOD Donnerstag", "morgen EOD"),
    ),
    PhraseRow(
        "the next such weekday (said on that weekday: asked, today or in a week)",
        ("Friday", "Fri", "this Friday"),
        ("Freitag", "Fr", "diesen Freitag"),
    ),
    PhraseRow(
        "the first such weekday after today (asked while that is still this week)",
        ("next Friday",),
        ("nächsten Freitag", "kommenden Freitag"),
    ),
    PhraseRow(
        "that weekday of this week",
        ("Sunday this week", "this week Sunday"),
        ("Sonntag dieser Woche", "diese Woche Sonntag"),
    ),
    PhraseRow(
        "that weekday of next week",
        ("Friday next week", "next week Friday"),
        ("Freitag nächste Woche", "nächste Woche Freitag"),
    ),
    PhraseRow(
        "a week after the coming such weekday",
        ("a week on Friday", "Friday week", "the Friday after next"),
        ("übernächsten Freitag", "Freitag übernächste Woche"),
    ),
    PhraseRow(
        "that weekday in the week so many weeks on (asked where that can be counted two ways)",
        ("Friday in two weeks", "in 2 weeks on Friday"),
        ("Freitag in zwei Wochen", "in 2 Wochen am Freitag"),
    ),
    PhraseRow(
        "a weekday with a date: the date (asked when the weekday disagrees)",
        ("Tuesday, 19 January", "Tuesday, 1/19"),
        ("Dienstag, den 19.1.", "Di, 19.1."),
    ),
    PhraseRow(
        "a weekday with a day of the month: the next month where they agree (asked where the "
        "weekday is one off the next such day)",
        ("Tue 19th", "Monday 13", "Wednesday the thirty first"),
        ("Di, 19.", "Montag, den 13.", "Mittwoch, den einunddreißigsten"),
    ),
    PhraseRow(
        "that many such weekdays after today",
        ("two Sundays from now", "3 Fridays later"),
        ("übernächsten Sonntag",),
    ),
    PhraseRow(
        "Friday of this week (today on a weekend)",
        ("end of the week", "this week", "the weekend", "EOW"),
        ("Ende der Woche", "diese Woche", "Wochenende"),
    ),
    PhraseRow(
        "Friday of next week",
        ("next week", "end of next week"),
        ("nächste Woche", "Ende nächster Woche"),
    ),
    PhraseRow("Monday of next week", ("early next week",), ("Anfang nächster Woche",)),
    PhraseRow("Wednesday of next week", ("mid next week",), ("Mitte nächster Woche",)),
    PhraseRow("Friday of the week after next", ("week after next",), ("übernächste Woche",)),
    PhraseRow(
        "last day of this month",
        ("end of the month", "end of month", "EOM"),
        ("Ende des Monats", "Monatsende"),
    ),
    PhraseRow("last day of next month", ("end of next month",), ("Ende nächsten Monats",)),
    PhraseRow("last day of a named month", ("end of January",), ("Ende Januar",)),
    PhraseRow("the 15th of a named month", ("mid January",), ("Mitte Januar",)),
    PhraseRow(
        "the first … fifth or last weekday of a month",
        ("the first Friday of March", "the last Monday of next month"),
        ("erster Freitag im März", "letzter Montag im Januar"),
    ),
    PhraseRow(
        "last day of this quarter",
        ("end of the quarter", "end of quarter", "EOQ"),
        ("Ende des Quartals", "Quartalsende"),
    ),
    PhraseRow("last day of a named quarter", ("end of Q1",), ("Ende Q1",)),
    PhraseRow(
        "last day of this year",
        ("end of the year", "end of year", "EOY"),
        ("Jahresende", "Ende des Jahres"),
    ),
    PhraseRow(
        "the last working day before 24 December",
        ("before Christmas", "by Xmas"),
        ("vor Weihnachten", "bis Weihnachten"),
    ),
    PhraseRow(
        "counted from today",
        (
            "in 3 days",
            "in a week",
            "in two weeks",
            "two weeks from now",
            "in 2 months",
            "in 5 business days",
            "within 2 weeks",
        ),
        (
            "in 3 Tagen",
            "in einer Woche",
            "in zwei Wochen",
            "in 2 Monaten",
            "in 5 Werktagen",
            "innerhalb von 2 Wochen",
        ),
    ),
    PhraseRow(
        "counted from another day",
        ("3 days after January 12", "two days from tomorrow", "two months after next Friday"),
        ("3 Tage ab heute", "3 Tage nach dem 12. Januar", "zwei Wochen nach nächstem Freitag"),
    ),
    PhraseRow(
        "Friday of that ISO week (the next one from today)",
        ("week 12", "CW 12", "calendar week 12", "in week 12"),
        ("KW 12", "KW12", "Kalenderwoche 12", "in der KW 12"),
    ),
    PhraseRow(
        "a date; without a year, the next one from today",
        (
            "2026-12-05",
            "Dec 3",
            "Oct-2",
            "3 December",
            "December 3rd",
            "February first",
            "on the 15th",
            "on 15",
            "for the 27",
            "for the second",
        ),
        (
            "5.12.",
            "05.12.2026",
            "3. Dezember",
            "10ten Februar",
            "ersten Februar",
            "am 15.",
            "am 15",
            "bis zum 27",
            "am zweiten",
        ),
    ),
    PhraseRow(
        "numbers: day first, unless only month first is a date; a member whose Slack locale "
        "writes month first is asked when both are",
        ("by 22/4", "by 4/22", "by 4-22"),
        ("bis 19.7", "bis 28/10", "bis 14-12-2027"),
    ),
    PhraseRow(
        "asked, with quick choices (today, tomorrow, Friday; or 2 days, 3 days, a week)",
        ("ASAP", "as soon as possible", "in a couple of days"),
        ("so schnell wie möglich", "schnellstmöglich", "in ein paar Tagen"),
    ),
)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def spellings(word: str) -> frozenset[str]:
    """The casefolded ways a word may be typed: as written, and with umlauts as ae/oe/ue."""
    folded = word.casefold()
    return frozenset({folded, folded.translate(_UMLAUTS)})


def spelled_sequences(phrase: str) -> frozenset[tuple[str, ...]]:
    """Every casefolded word sequence a phrase may be typed as ("vor Ort" → ("vor", "ort"))."""
    return frozenset(product(*(spellings(word) for word in phrase.split())))


def keyword_table_markdown() -> str:
    """All keyword tables as Markdown, for the README.

    Deterministic (values in canonical order, words sorted) so a test can compare the README's
    copy with this output and fail when a table changes without the README.
    """
    parts = [
        "Case does not matter; umlauts may also be typed as ae, oe, ue.",
        _value_table("Medium", MEDIA, MEDIUM_TERMS),
        _value_table("Kind", KINDS, KIND_TERMS),
        _value_table("Direction", DIRECTIONS, DIRECTION_TERMS),
        _phrase_table("When (contact date and time)", WHEN_PHRASES),
        _value_table("Promise markers", PROMISED_BY, PROMISE_MARKERS, header="Who promised"),
        _phrase_table(
            "Due dates (inside the promise)",
            (PhraseRow("optional lead words", *_by_language_words(DUE_LEAD_WORDS)), *DUE_PHRASES),
        ),
    ]
    return "\n\n".join(parts) + "\n"


def _value_table(
    title: str, values: tuple[str, ...], terms: tuple[Term, ...], *, header: str = "Value"
) -> str:
    rows = [
        (_code([value]), *_by_language([term for term in terms if term.value == value]))
        for value in values
    ]
    return f"### {title}\n\n" + _grid((header, "English", "German"), rows)


def _phrase_table(title: str, rows: tuple[PhraseRow, ...]) -> str:
    cells = [(row.meaning, _code(row.english), _code(row.german)) for row in rows]
    return f"### {title}\n\n" + _grid(("Meaning", "English", "German"), cells)


def _by_language_words(terms: tuple[Term, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    english, german = (
        tuple(sorted({term.word for term in terms if term.language == language}))
        for language in LANGUAGES
    )
    return english, german


def _by_language(terms: Iterable[Term]) -> tuple[str, str]:
    english, german = _by_language_words(tuple(terms))
    return _code(english), _code(german)


def _code(words: Iterable[str]) -> str:
    return ", ".join(f"`{word}`" for word in words) or "–"


def _grid(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)
