"""The keyword tables: every word reads as its value, and the README list shows every word."""

from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.contact_text import parse_logcontact
from bot.parsing.dates import parse_due, parse_when, warm_up
from bot.parsing.keywords import (
    DIRECTION_TERMS,
    DIRECTIONS,
    DUE_LEAD_WORDS,
    DUE_PHRASES,
    KIND_TERMS,
    KINDS,
    LANGUAGES,
    MEDIA,
    MEDIUM_TERMS,
    PROMISE_MARKERS,
    WHEN_LEAD_WORDS,
    WHEN_PHRASES,
    Term,
    keyword_table_markdown,
    spelled_sequences,
)
from bot.parsing.questions import NeedsAnswer

WEDNESDAY = date(2026, 11, 25)

TABLES = {"medium": MEDIUM_TERMS, "kind": KIND_TERMS, "direction": DIRECTION_TERMS}
CANONICAL = {"medium": MEDIA, "kind": KINDS, "direction": DIRECTIONS}
ALL_TERMS = [(field, term) for field, terms in TABLES.items() for term in terms]


@pytest.fixture(scope="module", autouse=True)
def _dateparser_loaded() -> None:
    warm_up()


def _term_id(case: tuple[str, Term]) -> str:
    field, term = case
    return f"{field}:{term.language}:{term.word}"


@pytest.mark.parametrize("case", ALL_TERMS, ids=[_term_id(case) for case in ALL_TERMS])
def test_every_keyword_right_after_the_partner_sets_its_value(case: tuple[str, Term]) -> None:
    field, term = case
    draft = parse_logcontact(f"Acme {term.word} went well", today=WEDNESDAY)
    assert getattr(draft, field) == term.value
    # English past-tense verbs stay in the note, because the note's sentence starts with them.
    assert draft.note == (f"{term.word} went well" if term.verb else "went well")


@pytest.mark.parametrize("case", ALL_TERMS, ids=[_term_id(case) for case in ALL_TERMS])
def test_every_keyword_is_read_in_any_case(case: tuple[str, Term]) -> None:
    field, term = case
    draft = parse_logcontact(f"Acme {term.word.upper()}", today=WEDNESDAY)
    assert getattr(draft, field) == term.value


@pytest.mark.parametrize("case", ALL_TERMS, ids=[_term_id(case) for case in ALL_TERMS])
def test_every_keyword_inside_the_note_stays_in_the_note(case: tuple[str, Term]) -> None:
    _, term = case
    draft = parse_logcontact(f"Acme discussed {term.word} plans", today=WEDNESDAY)
    assert draft.note == f"discussed {term.word} plans"
    assert (draft.medium, draft.kind, draft.direction) == (None, "contact", "mutual")


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("Glueckwunsch", "kind", "social"),
        ("Quartalsgespraech", "kind", "check-in"),
        ("Fruehstueck", "medium", "meeting"),
        ("Rueckruf", "medium", "call"),
        ("unterstuetzt", "direction", "gave"),
        ("E-Mail", "medium", "email"),
        ("Check-In:", "kind", "check-in"),
    ],
)
def test_umlauts_may_be_typed_as_two_letters_and_punctuation_is_ignored(
    typed: str, field: str, value: str
) -> None:
    assert getattr(parse_logcontact(f"Acme {typed}", today=WEDNESDAY), field) == value


@pytest.mark.parametrize("field", TABLES)
def test_tables_use_only_canonical_values_and_cover_each_in_both_languages(field: str) -> None:
    terms = TABLES[field]
    assert {term.value for term in terms} <= set(CANONICAL[field])
    for value in CANONICAL[field]:
        languages = {term.language for term in terms if term.value == value}
        assert languages == set(LANGUAGES), value


def test_no_typed_word_sequence_means_two_different_things() -> None:
    seen: dict[tuple[str, ...], tuple[str, str]] = {}
    for field, term in ALL_TERMS:
        for sequence in spelled_sequences(term.word):
            meaning = (field, term.value)
            assert seen.setdefault(sequence, meaning) == meaning, sequence


def test_keywords_are_lowercase_so_the_readme_shows_one_spelling() -> None:
    everything = [*(term for _, term in ALL_TERMS), *PROMISE_MARKERS, *DUE_LEAD_WORDS]
    assert all(term.word == term.word.casefold() for term in everything)


def test_markdown_mentions_every_keyword_marker_and_lead_word() -> None:
    markdown = keyword_table_markdown()
    terms = [
        *(term for _, term in ALL_TERMS),
        *PROMISE_MARKERS,
        *DUE_LEAD_WORDS,
    ]
    missing = [term.word for term in terms if f"`{term.word}`" not in markdown]
    assert missing == []


def test_markdown_mentions_every_canonical_value_and_documented_phrase() -> None:
    markdown = keyword_table_markdown()
    for value in (*MEDIA, *KINDS, *DIRECTIONS):
        assert f"| `{value}` |" in markdown
    for row in (*WHEN_PHRASES, *DUE_PHRASES):
        for phrase in (*row.english, *row.german):
            assert f"`{phrase}`" in markdown


def test_markdown_is_deterministic_and_well_formed() -> None:
    markdown = keyword_table_markdown()
    assert markdown == keyword_table_markdown()
    assert markdown.endswith("\n")
    for line in markdown.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")
    for title in ("Medium", "Kind", "Direction", "When", "Promise markers", "Due dates"):
        assert f"### {title}" in markdown


def test_markdown_lists_words_of_a_cell_in_sorted_order() -> None:
    call_row = next(
        line for line in keyword_table_markdown().splitlines() if line.startswith("| `call` |")
    )
    english = call_row.split(" | ")[1]
    words = [word.strip("`") for word in english.split(", ")]
    assert words == sorted(words)


WHEN_EXAMPLES = [phrase for row in WHEN_PHRASES for phrase in (*row.english, *row.german)]
DUE_EXAMPLES = [phrase for row in DUE_PHRASES for phrase in (*row.english, *row.german)]


@pytest.mark.parametrize("phrase", WHEN_EXAMPLES)
def test_every_documented_when_phrase_is_understood(phrase: str) -> None:
    try:
        found = parse_when(phrase, today=WEDNESDAY)
    except NeedsAnswer as needed:  # understood, and asked about ("a few days ago")
        assert needed.question.slot == "when" and len(needed.question.readings) > 2
        return
    assert found is not None


@pytest.mark.parametrize("phrase", DUE_EXAMPLES)
def test_every_documented_due_phrase_is_understood_whole(phrase: str) -> None:
    try:
        found = parse_due(phrase, today=WEDNESDAY)
    except NeedsAnswer as needed:  # understood, and asked about ("next Friday" on a Wednesday)
        assert needed.question.slot == "due" and len(needed.question.readings) > 1
        found = WEDNESDAY, needed.question.phrase
    assert found is not None
    assert phrase.endswith(found[1])  # only a lead word ("on the 15th") may be left out


@pytest.mark.parametrize("lead", sorted({term.word for term in DUE_LEAD_WORDS}))
def test_every_due_lead_word_leads_into_a_due_phrase(lead: str) -> None:
    assert parse_due(f"send it {lead} Friday", today=WEDNESDAY) == (date(2026, 11, 27), "Friday")


@pytest.mark.parametrize("lead", sorted({term.word for term in WHEN_LEAD_WORDS}))
def test_every_when_lead_word_is_documented(lead: str) -> None:
    assert any(
        phrase.casefold().startswith(f"{lead} ")
        for row in WHEN_PHRASES
        for phrase in (*row.english, *row.german)
    )
