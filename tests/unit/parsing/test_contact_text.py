"""Reading `/logcontact` text: partner, leading keywords, note and promise, and what we refuse."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parsing.contact_text import (
    PROBLEM_CODES,
    ContactDraft,
    ParseProblem,
    PartnerRef,
    PromiseDraft,
    When,
    first_word,
    is_help_request,
    name_readings,
    parse_logcontact,
)
from bot.parsing.dates import warm_up
from bot.parsing.keywords import PROMISE_MARKERS, Term
from bot.parsing.markup import decode
from bot.parsing.questions import NeedsAnswer
from storage.vocabulary import NOTE_MAX_CHARS

WEDNESDAY = date(2026, 11, 25)
NOON = time(12, 0)


@pytest.fixture(scope="module", autouse=True)
def _dateparser_loaded() -> None:
    warm_up()


def parse(
    text: str, *, now: time | None = NOON, partner_names: Collection[str] = ()
) -> ContactDraft:
    return parse_logcontact(text, today=WEDNESDAY, now=now, partner_names=partner_names)


def problem_of(text: str, *, now: time | None = NOON) -> ParseProblem:
    with pytest.raises(ParseProblem) as raised:
        parse(text, now=now)
    assert raised.value.code in PROBLEM_CODES
    return raised.value


# --- the examples from the issue --------------------------------------------------------------


def test_mention_with_call_and_note() -> None:
    assert parse("<@U0ANNA|anna> call discussed Q3 roadmap") == ContactDraft(
        partner=PartnerRef(mention_user_id="U0ANNA", mention_label="anna"),
        medium="call",
        kind="contact",
        direction="mutual",
        when=When(on=WEDNESDAY),
        note="discussed Q3 roadmap",
        promise=None,
    )


def test_name_with_check_in_and_colon() -> None:
    draft = parse("Acme check-in: happy with delivery times")
    assert draft.partner == PartnerRef(name="Acme")
    assert (draft.medium, draft.kind) == (None, "check-in")
    assert draft.note == "happy with delivery times"


def test_quoted_name_with_organisation_german_keywords_and_promise() -> None:
    draft = parse(
        '"Jens Ohlsen" (Nordwind GmbH) Treffen gestern Zusage: Angebot bis Freitag schicken'
    )
    assert draft.partner == PartnerRef(name="Jens Ohlsen", organisation="Nordwind GmbH")
    assert draft.medium == "meeting"
    assert draft.when == When(on=date(2026, 11, 24))
    assert draft.note == ""
    assert draft.promise == PromiseDraft(
        text="Angebot schicken", due=date(2026, 11, 27), due_phrase="Freitag"
    )


def test_email_with_promise_due_next_tuesday() -> None:
    draft = parse("Acme email promise: send the revised quote by next Tuesday")
    assert draft.medium == "email"
    assert draft.note == ""
    assert draft.promise == PromiseDraft(
        text="send the revised quote",
        due=date(2026, 12, 1),
        due_phrase="next Tuesday",
    )


def test_note_before_promise() -> None:
    draft = parse(
        "<@U0KENJI|kenji> call talked about the Osaka pilot promise: send the deck by Friday"
    )
    assert draft.partner == PartnerRef(mention_user_id="U0KENJI", mention_label="kenji")
    assert draft.note == "talked about the Osaka pilot"
    assert draft.promise == PromiseDraft(
        text="send the deck", due=date(2026, 11, 27), due_phrase="Friday"
    )


# --- partner ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "partner"),
    [
        ("<@U0ANNA> call", PartnerRef(mention_user_id="U0ANNA")),
        ("<@U0ANNA|> call", PartnerRef(mention_user_id="U0ANNA")),
        ("  <@W0ANNA|anna>   call", PartnerRef(mention_user_id="W0ANNA", mention_label="anna")),
        (
            "<@U0ANNA|anna> (Nordwind GmbH) call",
            PartnerRef(
                mention_user_id="U0ANNA", mention_label="anna", organisation="Nordwind GmbH"
            ),
        ),
        ('"Jens Ohlsen" call', PartnerRef(name="Jens Ohlsen")),
        ("“Jens Ohlsen” call", PartnerRef(name="Jens Ohlsen")),
        ("„Jens Ohlsen“ call", PartnerRef(name="Jens Ohlsen")),
        ("„Jens Ohlsen” call", PartnerRef(name="Jens Ohlsen")),
        ("'Jens Ohlsen' call", PartnerRef(name="Jens Ohlsen")),
        ('"  Jens   Ohlsen " call', PartnerRef(name="Jens Ohlsen")),
        ('"Zoom" call', PartnerRef(name="Zoom")),
        ("Acme (Acme Corp) call", PartnerRef(name="Acme", organisation="Acme Corp")),
        ("Acme(Acme Corp) call", PartnerRef(name="Acme", organisation="Acme Corp")),
        ("Acme () call", PartnerRef(name="Acme")),
        ("Acme: call", PartnerRef(name="Acme")),
        ("Acme, call", PartnerRef(name="Acme")),
        ("3M call", PartnerRef(name="3M")),
        ("Mo call", PartnerRef(name="Mo")),
        ("Acme", PartnerRef(name="Acme")),
        ("Müller &amp; Söhne call", PartnerRef(name="Müller")),
    ],
)
def test_partner_forms(text: str, partner: PartnerRef) -> None:
    assert parse(text).partner == partner


@pytest.mark.parametrize(
    ("text", "names", "partner", "note"),
    [
        ("Baltic Freight call about rates", {"Baltic Freight"}, "Baltic Freight", "about rates"),
        ("baltic freight call", {"Baltic Freight"}, "Baltic Freight", ""),
        ("Baltic Freight: call", {"Baltic Freight"}, "Baltic Freight", ""),
        ("Baltic Freight call", {"Baltic", "Baltic Freight"}, "Baltic Freight", ""),
        (
            "Baltic Freight Lines call",
            {"Baltic Freight", "Baltic Freight Lines"},
            "Baltic Freight Lines",
            "",
        ),
        ("Baltic Freightways call", {"Baltic Freight"}, "Baltic", "Freightways call"),
        ("Baltic  Freight call", {"Baltic Freight"}, "Baltic Freight", ""),
        ("Baltic(Freight) call", {"Baltic Freight"}, "Baltic", ""),
        ("Zoom call", {"Zoom"}, "Zoom", ""),
        ("acme call", {"Acme"}, "Acme", ""),
        ("Müller &amp; Söhne call 🎉 Grüße", {"Müller & Söhne"}, "Müller & Söhne", "🎉 Grüße"),
    ],
)
def test_known_partner_names_are_read_whole(
    text: str, names: set[str], partner: str, note: str
) -> None:
    draft = parse(text, partner_names=names)
    assert draft.partner.name == partner
    assert draft.note == note


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Acme call", "Acme"),
        ("Baltic Freight call", "Baltic"),
        ("Acme: call", "Acme"),
        ("Acme(Acme Corp) call", "Acme"),
        ("  müller &amp; söhne", "müller"),
        ("call yesterday", "call"),
        ("<@U0ANNA|anna> call", None),
        ('"Jens Ohlsen" call', None),
        ("„Jens Ohlsen“ call", None),
        ("", None),
        ("   ", None),
        ("(Acme) call", None),
    ],
)
def test_first_word_is_what_a_bare_name_starts_with(text: str, word: str | None) -> None:
    assert first_word(text) == word


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        (
            "stadtwerke zweibrücken call gestern",
            [
                "stadtwerke",
                "stadtwerke zweibrücken",
                "stadtwerke zweibrücken call",
                "stadtwerke zweibrücken call gestern",
            ],
        ),
        (
            "Stadtwerke Zw call today later on",
            ["Stadtwerke", "Stadtwerke Zw", "Stadtwerke Zw call", "Stadtwerke Zw call today"],
        ),
        ("Acme", ["Acme"]),
        ("Acme: call", ["Acme"]),  # the name ends at its ":"
        ("Schmidt Logistik: Angebot", ["Schmidt", "Schmidt Logistik"]),
        ("Acme Corp, call", ["Acme", "Acme Corp"]),
        ("Acme (Acme Corp) call", ["Acme"]),  # an organisation follows
        ("Acme Nord(Acme Corp) call", ["Acme", "Acme Nord"]),
        ("Acme\tNord  Süd", ["Acme", "Acme\tNord", "Acme\tNord  Süd"]),
        ("  müller &amp; söhne", ["müller", "müller &", "müller & söhne"]),
        ("<@U0ANNA|anna> call", []),
        ('"Jens Ohlsen" call', []),
        ("", []),
        ("(Acme) call", []),
    ],
)
def test_name_readings_are_the_first_word_and_it_with_each_word_after_it(
    text: str, readings: list[str]
) -> None:
    """What the candidates are read by when more partners share the first word than one read
    takes: as `_known_partner` reads a name, four words at most."""
    assert list(name_readings(text)) == readings
    assert readings[:1] == ([first_word(text)] if first_word(text) else [])


@pytest.mark.parametrize(
    ("text", "is_help"),
    [
        ("help", True),
        ("Hilfe", True),
        (" HELP ", True),
        ("?", True),
        ("  ?  ", True),
        ("help me", False),
        ("Helpdesk call", False),
        ("", False),
    ],
)
def test_help_requests(text: str, is_help: bool) -> None:
    assert is_help_request(text) is is_help


# --- leading keywords, when and note ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "medium", "kind", "direction", "note"),
    [
        (
            "Acme discussed the call schedule",
            None,
            "contact",
            "mutual",
            "discussed the call schedule",
        ),
        ("Acme call email", "email", "contact", "mutual", ""),
        ("Acme video call", "video", "contact", "mutual", ""),
        ("Acme video: call went fine", "video", "contact", "mutual", "call went fine"),
        ("Acme phone call, update: delays", "call", "update", "mutual", "delays"),
        ("Acme Anruf Beschwerde erhalten", "call", "problem", "received", ""),
        ("Acme call: met their new CFO", "call", "contact", "mutual", "met their new CFO"),
        (
            "Acme call helped them with onboarding",
            "call",
            "contact",
            "gave",
            "helped them with onboarding",
        ),
        (
            "Acme call helped, onboarding went fine",
            "call",
            "contact",
            "gave",
            "onboarding went fine",
        ),
        ("Acme got the contract signed", None, "contact", "received", "got the contract signed"),
        ("Acme lunch - great mood", "meeting", "contact", "mutual", "great mood"),
        ("Acme call -5% discount agreed", "call", "contact", "mutual", "-5% discount agreed"),
        ("Acme call so we agreed", "call", "contact", "mutual", "so we agreed"),
        ("Acme vor Ort Besuch", "meeting", "contact", "mutual", ""),
    ],
)
def test_keywords_are_read_only_right_after_the_partner(
    text: str, medium: str | None, kind: str, direction: str, note: str
) -> None:
    draft = parse(text)
    assert (draft.medium, draft.kind, draft.direction, draft.note) == (
        medium,
        kind,
        direction,
        note,
    )


@pytest.mark.parametrize(
    ("text", "when", "note"),
    [
        (
            "Acme call yesterday 11:30 talked about prices",
            When(date(2026, 11, 24), time(11, 30)),
            "talked about prices",
        ),
        (
            "Acme Anruf gestern 14:30 über Preise gesprochen",
            When(date(2026, 11, 24), time(14, 30)),
            "über Preise gesprochen",
        ),
        ("Acme gestern, Treffen, lief gut", When(date(2026, 11, 24)), "lief gut"),
        ("Acme meeting on Monday at 10:00 kickoff", When(date(2026, 11, 23), time(10)), "kickoff"),
        ("Acme Treffen am Montag um 10 Uhr Kickoff", When(date(2026, 11, 23), time(10)), "Kickoff"),
        ("Acme call 20.11. follow-up", When(date(2026, 11, 20)), "follow-up"),
        ("Acme call 9:05", When(WEDNESDAY, time(9, 5)), ""),
        ("Acme call 3 new orders", When(WEDNESDAY), "3 new orders"),
        ("Acme call 1/2 of the team", When(WEDNESDAY), "1/2 of the team"),
        (
            "Acme call discussed yesterday's numbers",
            When(WEDNESDAY),
            "discussed yesterday's numbers",
        ),
        ("Acme call Do. kurz gesprochen", When(date(2026, 11, 19)), "kurz gesprochen"),
    ],
)
def test_when_phrases_in_the_leading_words(text: str, when: When, note: str) -> None:
    draft = parse(text)
    assert (draft.when, draft.note) == (when, note)


def test_note_keeps_its_own_spacing_and_lines() -> None:
    draft = parse("Acme call   first line\n\n  second\tline  ")
    assert draft.note == "first line\n\n  second\tline"


def test_time_later_than_now_today_is_in_the_future_but_fine_without_now() -> None:
    later = problem_of("Acme call 15:00", now=time(14, 0))
    assert (later.code, later.details) == ("when_later_today", {"at": time(15)})
    assert parse("Acme call 13:59", now=time(14, 0)).when == When(WEDNESDAY, time(13, 59))
    assert parse("Acme call 14:00", now=time(14, 0, 30)).when == When(WEDNESDAY, time(14))
    assert parse("Acme call 15:00", now=None).when == When(WEDNESDAY, time(15))
    assert parse("Acme call yesterday 23:00", now=time(1)).when == When(
        date(2026, 11, 24), time(23)
    )


def test_slack_escapes_are_undone_outside_mentions() -> None:
    draft = parse("<@U0ANNA|anna> call fixed &lt;b&gt; tags &amp; more")
    assert draft.note == "fixed <b> tags & more"


def test_sql_looking_text_is_an_ordinary_note() -> None:
    draft = parse("Acme call '; DROP TABLE partners; --")
    assert draft.partner.name == "Acme"
    assert draft.note == "'; DROP TABLE partners; --"


def test_emoji_and_umlauts_survive() -> None:
    draft = parse('"Müller & Söhne" Anruf 🎉 Grüße an alle, Straße gesperrt')
    assert draft.partner.name == "Müller & Söhne"
    assert draft.medium == "call"
    assert draft.note == "🎉 Grüße an alle, Straße gesperrt"


# --- promise ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marker", sorted(PROMISE_MARKERS, key=lambda term: (term.value, term.language, term.word))
)
def test_every_promise_marker_starts_a_promise_of_whoever_it_names(marker: Term) -> None:
    draft = parse(f"Acme call went well {marker.word.upper()} send the deck by Friday")
    assert draft.note == "went well"
    assert draft.promise == PromiseDraft(
        "send the deck", date(2026, 11, 27), "Friday", promised_by=marker.value
    )


@pytest.mark.parametrize(
    ("text", "promise"),
    [
        (
            "Acme call they promised: the signed contract by Friday",
            PromiseDraft("the signed contract", date(2026, 11, 27), "Friday", "partner"),
        ),
        (
            "Acme Anruf sie sagen zu: unterschriebener Vertrag bis Freitag",
            PromiseDraft("unterschriebener Vertrag", date(2026, 11, 27), "Freitag", "partner"),
        ),
        (
            "Acme call   Their\tPromise :  figures in 2 weeks",
            PromiseDraft("figures", date(2026, 12, 9), "in 2 weeks", "partner"),
        ),
        (
            "Acme Treffen Ihre Zusage: Muster bis übermorgen",
            PromiseDraft("Muster", date(2026, 11, 27), "übermorgen", "partner"),
        ),
    ],
)
def test_a_partner_marker_records_their_promise_with_our_due_date_rules(
    text: str, promise: PromiseDraft
) -> None:
    draft = parse(text)
    assert draft.note == ""
    assert draft.promise == promise


@pytest.mark.parametrize(
    ("text", "note", "promise"),
    [
        (
            "Acme call I promised: send the deck by Friday",
            "",
            PromiseDraft("send the deck", date(2026, 11, 27), "Friday", "us"),
        ),
        (
            "Acme call good talk, we've promised: pricing by Friday",
            "good talk",
            PromiseDraft("pricing", date(2026, 11, 27), "Friday", "us"),
        ),
        (
            "Acme call good talk, I’ve promised: pricing by Friday",
            "good talk",
            PromiseDraft("pricing", date(2026, 11, 27), "Friday", "us"),
        ),
        (
            "Acme call kickoff, My Promise: intro to the CFO by Friday",
            "kickoff",
            PromiseDraft("intro to the CFO", date(2026, 11, 27), "Friday", "us"),
        ),
        (
            "Acme Anruf Ich habe versprochen: Angebot schicken bis Freitag",
            "",
            PromiseDraft("Angebot schicken", date(2026, 11, 27), "Freitag", "us"),
        ),
        (
            "Acme Treffen gutes Gespräch, wir haben zugesagt: Muster bis Freitag",
            "gutes Gespräch",
            PromiseDraft("Muster", date(2026, 11, 27), "Freitag", "us"),
        ),
        (
            "Acme Anruf hab versprochen: Rückruf bis Freitag",
            "",
            PromiseDraft("Rückruf", date(2026, 11, 27), "Freitag", "us"),
        ),
        # The partner's phrases with a subject are theirs, not ours with a stray word in the note
        (
            "Acme call Ana said she promised: the contract by Friday",
            "Ana said",
            PromiseDraft("the contract", date(2026, 11, 27), "Friday", "partner"),
        ),
        (
            "Acme call they have promised: figures by Friday",
            "",
            PromiseDraft("figures", date(2026, 11, 27), "Friday", "partner"),
        ),
        (
            "Acme Anruf Sie haben versprochen: Vertrag bis Freitag",
            "",
            PromiseDraft("Vertrag", date(2026, 11, 27), "Freitag", "partner"),
        ),
        (
            "Acme Anruf er hat zugesagt: Zahlen bis Freitag",
            "",
            PromiseDraft("Zahlen", date(2026, 11, 27), "Freitag", "partner"),
        ),
    ],
)
def test_a_marker_said_with_its_subject_takes_the_subject_along(
    text: str, note: str, promise: PromiseDraft
) -> None:
    draft = parse(text)
    assert draft.note == note
    assert draft.promise == promise


def test_a_word_ending_like_a_subject_is_not_taken_for_one() -> None:
    # "Hi promised:" is no "I promised:": the marker starts at a word's start only.
    draft = parse("Acme call Hi promised: deck by Friday")
    assert draft.note == "Hi"
    assert draft.promise is not None and draft.promise.promised_by == "us"


def test_the_partner_phrase_wins_over_our_marker_inside_it() -> None:
    draft = parse("Acme call good talk, their promise: send samples by Friday")
    assert draft.note == "good talk"
    assert draft.promise is not None
    assert draft.promise.promised_by == "partner"
    assert draft.promise.text == "send samples"


def test_a_second_promise_marker_is_refused_rather_than_hidden_in_the_first() -> None:
    # Before, "they promised: figures" became part of our promise's text, and the partner's
    # promise was never tracked.
    problem = problem_of("Acme call promise: deck by Friday; they promised: figures by Monday")
    assert (problem.code, problem.details) == ("two_promises", {"marker": "they promised:"})


def test_their_promise_without_a_due_date_is_refused_like_ours() -> None:
    problem = problem_of("Acme call they promised: the contract")
    assert problem.code == "promise_without_due"
    assert problem.details == {"promise": "the contract"}


def test_a_partner_marker_alone_is_no_partner() -> None:
    assert problem_of("they promised: the contract by Friday").code == "no_partner"


@pytest.mark.parametrize(
    ("text", "note", "promise"),
    [
        ("Acme call promise : send it by Friday", "", "send it"),
        ("Acme call promise:send it by Friday", "", "send it"),
        (
            "Acme call compromise: none, promise: send it by Friday",
            "compromise: none",
            "send it",
        ),
        ("Acme call todo: - send it by Friday", "", "send it"),
    ],
)
def test_the_first_promise_marker_at_a_word_boundary_wins(
    text: str, note: str, promise: str
) -> None:
    draft = parse(text)
    assert draft.note == note
    assert draft.promise is not None
    assert draft.promise.text == promise


def test_promise_due_today_is_fine() -> None:
    draft = parse("Acme call promise: send the deck today")
    assert draft.promise == PromiseDraft("send the deck", WEDNESDAY, "today")


def test_promise_keeps_everything_when_the_contact_has_no_keywords() -> None:
    draft = parse("<@U0ANNA|anna> Zusage: Rückruf in 2 Wochen")
    assert draft.note == ""
    assert draft.promise == PromiseDraft("Rückruf", date(2026, 12, 9), "in 2 Wochen")


# --- what we refuse ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "details"),
    [
        ("Acme\x07 call", "control_character", {"char": "U+0007", "position": 5}),
        ("Acme call \x00", "control_character", {"char": "U+0000", "position": 11}),
        ("Acme call\r\nnext", "control_character", {"char": "U+000D", "position": 10}),
        ("Acme call \x7f", "control_character", {"char": "U+007F", "position": 11}),
        ("", "no_partner", {}),
        ("   ", "no_partner", {}),
        ("call yesterday", "no_partner", {}),
        ("Call with Anna", "no_partner", {}),
        ("Treffen gestern", "no_partner", {}),
        ("check-in: all good", "no_partner", {}),
        ("video call", "no_partner", {}),
        ("yesterday call", "no_partner", {}),
        ("Gestern Anruf", "no_partner", {}),
        ("Monday call", "no_partner", {}),
        ("2026-11-20 call", "no_partner", {}),
        ("14:30 call", "no_partner", {}),
        ("31.02. call", "no_partner", {}),
        ("promise: send the deck by Friday", "no_partner", {}),
        ("Zusage: Angebot bis Freitag", "no_partner", {}),
        ('"" call', "no_partner", {}),
        ("„ “ call", "no_partner", {}),
        ("- call", "no_partner", {}),
        ("(Acme) call", "no_partner", {}),
        ('"Jens Ohlsen call', "unclosed_quote", {}),
        ('"Jens Ohlsen\ncall"', "unclosed_quote", {}),
        ("„Jens Ohlsen call", "unclosed_quote", {}),
        ("Acme call 31.02. test", "bad_date", {"phrase": "31.02."}),
        ("Acme 2026-13-45 call", "bad_date", {"phrase": "2026-13-45"}),
        ("Acme call 32/1", "bad_date", {"phrase": "32/1"}),
        ("Acme call 25:00", "bad_date", {"phrase": "25:00"}),
        ("Acme call am 30. Februar", "bad_date", {"phrase": "30. Februar"}),
        ("Acme call tomorrow", "when_in_future", {"on": date(2026, 11, 26), "at": None}),
        ("Acme Anruf morgen", "when_in_future", {"on": date(2026, 11, 26), "at": None}),
        ("Acme call 2026-12-01", "when_in_future", {"on": date(2026, 12, 1), "at": None}),
        ("Acme call 12:01", "when_later_today", {"at": time(12, 1)}),
        ("Acme call today 22:00 sent drawings", "when_later_today", {"at": time(22, 0)}),
        ("Acme Anruf heute 12:30 Preise", "when_later_today", {"at": time(12, 30)}),
        ("Acme call tomorrow 9:00", "when_in_future", {"on": date(2026, 11, 26), "at": time(9)}),
        ("Acme call promise:", "promise_empty", {}),
        ("Acme Zusage:   ", "promise_empty", {}),
        ("Acme call todo: -", "promise_empty", {}),
        # one promise per contact: a second marker would hide inside the first promise
        (
            "Acme call promise: send deck by Friday; they promised: specs by Friday",
            "two_promises",
            {"marker": "they promised:"},
        ),
        (
            "Acme Anruf sie sagen zu: Specs bis Freitag, Zusage: Deck bis Montag",
            "two_promises",
            {"marker": "Zusage:"},
        ),
        ("Acme call todo: call back, todo: send the deck", "two_promises", {"marker": "todo:"}),
        ("Acme call promise: send the deck", "promise_without_due", {"promise": "send the deck"}),
        (
            "Acme Zusage: demnächst zurückrufen",
            "promise_without_due",
            {"promise": "demnächst zurückrufen"},
        ),
        ("Acme call promise: send the deck by 31.02.", "bad_date", {"phrase": "31.02."}),
        (
            "Acme call promise: send it by 20.11.2026",
            "promise_due_in_past",
            {"due": date(2026, 11, 20), "phrase": "20.11.2026"},
        ),
        (
            "Acme Zusage: bis gestern liefern",
            "promise_due_in_past",
            {"due": date(2026, 11, 24), "phrase": "gestern"},
        ),
        ("x" * 201 + " call", "name_too_long", {"length": 201, "limit": 200}),
        ("Acme (" + "x" * 201 + ") call", "name_too_long", {"length": 201, "limit": 200}),
    ],
)
def test_refused_input_names_its_problem(text: str, code: str, details: dict[str, object]) -> None:
    problem = problem_of(text)
    assert (problem.code, problem.details) == (code, details)


def test_control_characters_are_checked_before_anything_else() -> None:
    assert problem_of('"unclosed \x1b call tomorrow').code == "control_character"


def test_newlines_and_tabs_are_no_control_characters() -> None:
    assert parse("Acme\tcall\nline two").note == "line two"


def test_note_of_exactly_the_limit_is_fine_one_more_is_too_long() -> None:
    assert len(parse("Acme call " + "x" * NOTE_MAX_CHARS).note) == NOTE_MAX_CHARS
    problem = problem_of("Acme call " + "x" * (NOTE_MAX_CHARS + 1))
    assert (problem.code, problem.details) == ("note_too_long", {"length": 3001, "limit": 3000})


def test_promise_of_more_than_the_limit_is_too_long() -> None:
    problem = problem_of("Acme call promise: by Friday " + "x" * NOTE_MAX_CHARS)
    assert problem.code == "promise_too_long"
    assert problem.details == {"length": NOTE_MAX_CHARS + 10, "limit": NOTE_MAX_CHARS}


def test_problem_reads_well_in_logs() -> None:
    assert str(ParseProblem("no_partner")) == "no_partner"
    assert str(ParseProblem("bad_date", phrase="31.02.")) == "bad_date {'phrase': '31.02.'}"


# --- properties -------------------------------------------------------------------------------

VOCABULARY = [
    "Acme", "Baltic", "Freight", '"Jens', 'Ohlsen"', "„Jens", "Ohlsen“", "<@U0ANNA|anna>",
    "(Nordwind", "GmbH)", "(", ")", "call", "Treffen", "check-in:", "video", "got", "helped",
    "gestern", "yesterday", "heute", "morgen", "Monday", "am", "um", "at", "on", "last",
    "letzten", "14:30", "2pm", "14", "Uhr", "25:00", "31.02.", "20.11.", "2026-11-20", "32/1",
    "3/4", "Dec", "3", "15th", "the", "of", "promise:", "Zusage:", "todo:", "promise", "to",
    "they", "promised:", "their", "sie", "sagen", "zu:", "ihre",
    "by", "bis", "zum", "Friday", "Fr", "Do", "so", "next", "nächsten", "week", "Woche", "in",
    "2", "weeks", "einer", "KW", "12", "KW53", "Q1", "end", "Ende", "Monats", "ago", "vor",
    "Tagen", "&amp;", "&lt;", "-", ":", "'", "\n", "\t", "🎉", "Grüße", "x" * 1500,
    "<https://nordwind.example/deck|the", "deck>", "<mailto:a@b.example|a@b.example>", "<!here>",
    "<#C1|general>", "<@U0BOB>", "<!subteam^S1|@team>", "&amp;copy",
    "2/3", "19.7", "14-12-2027", "EOD", "ASAP", "tmrw", "Montag,", "den", "19.1.", "10ten",
    "Februar", "the", "first", "of", "after", "from", "tomorrow", "Weihnachten", "paar", "Tage",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(),
        st.lists(st.sampled_from(VOCABULARY), max_size=14).map(" ".join),
    ),
    names=st.sets(st.one_of(st.text(max_size=20), st.sampled_from(["Baltic Freight", "Acme"]))),
    today=st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31)),
    now=st.one_of(st.none(), st.times()),
    month_first=st.booleans(),
)
def test_any_text_gives_a_draft_or_a_parse_problem(
    text: str, names: set[str], today: date, now: time | None, month_first: bool
) -> None:
    try:
        draft = parse_logcontact(
            text, today=today, now=now, partner_names=names, month_first=month_first
        )
    except ParseProblem as problem:
        assert problem.code in PROBLEM_CODES
        return
    except NeedsAnswer as needed:
        question = needed.question
        if question.slot == "when":
            # A contact date that could mean several days: each is offered as a button.
            assert [r.day for r in question.readings if r.day] == [
                r.day for r in question.readings if r.value != "cancel"
            ]
        else:  # a due date that could mean two days, in the text as read (markup decoded)
            assert question.slot == "due" and question.phrase in decode(
                text
            )  # Slack markup is read first
            *days_offered, cancel = question.readings
            assert cancel.value == "cancel"  # Cancel last, as under every question asked
            days = [reading.day for reading in days_offered]
            assert len(days) >= 2 and all(day is not None and day >= today for day in days)
        return
    assert len(draft.note) <= NOTE_MAX_CHARS
    assert draft.when.on <= today
    assert draft.partner.mention_user_id or draft.partner.name
    if draft.promise is not None:
        assert draft.promise.due >= today
        assert any(char.isalnum() for char in draft.promise.text)
        assert len(draft.promise.text) <= NOTE_MAX_CHARS


def test_a_promise_in_the_partners_words_stays_in_the_note() -> None:
    """Only a marker with a colon starts our promise: "they promise to" is theirs, not ours."""
    draft = parse_logcontact("Acme call they promise to deliver by Friday", today=WEDNESDAY)
    assert draft.promise is None
    assert draft.note == "they promise to deliver by Friday"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("Acme call kickoff with Jana, promise: the quote by Friday", "kickoff with Jana"),
        ("Acme call kickoff with Jana; they promised: the NDA by Friday", "kickoff with Jana"),
        ("Acme call kickoff with Jana - promise: the quote by Friday", "kickoff with Jana"),
        ("Acme call kickoff with Jana – promise: the quote by Friday", "kickoff with Jana"),
        ("Acme Anruf Kickoff, Zusage: Angebot bis Freitag", "Kickoff"),
        ("Acme Anruf Kickoff mit Jana; sie sagen zu: NDA bis Freitag", "Kickoff mit Jana"),
        ("Acme call, promise: the quote by Friday", ""),
        # Inside the note, punctuation stays as typed.
        (
            "Acme call pricing, timing - next steps; promise: quote by Friday",
            "pricing, timing - next steps",
        ),
        ("Acme call kickoff with Jana. Promise: the quote by Friday", "kickoff with Jana."),
    ],
)
def test_the_comma_joining_a_note_to_its_promise_is_not_part_of_the_note(
    text: str, note: str
) -> None:
    draft = parse(text)
    assert draft.note == note
    assert draft.promise is not None
