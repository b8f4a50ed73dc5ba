"""`rapport parse`: how /logcontact texts are read, one JSON object a line, with no database.

Run as a subprocess (as support runs it) and in-process. Fields whose rules are the readers'
own (a promise's stored text) are compared with what the reader returns for the same text; what
the command adds (dates as ISO strings, markup decoded, problems in the member's language, the
questions and the partners file) is compared with the values expected.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import explain as explain_module
from bot.cli import main
from bot.parsing.contact_text import parse_logcontact
from bot.parsing.questions import NeedsAnswer, Question, Reading

WEDNESDAY = date(2027, 1, 6)
RAPPORT = Path(sys.executable).with_name("rapport")


def run_subprocess(lines: list[str], *args: str, cwd: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [str(RAPPORT), "parse", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{cwd}/never.db"},
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def run_in_process(
    lines: list[str], *args: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> list[dict[str, Any]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["parse", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_english_and_german_texts_as_support_runs_it(tmp_path: Path) -> None:
    german = '"Jens Ohlsen" (Nordwind GmbH) Treffen gestern Zusage: Angebot bis 19.1. schicken'
    lines = [
        "Acme call yesterday 14:30 discussed <https://nordwind.example/deck|the deck> with "
        "<mailto:jens@nordwind.example|jens@nordwind.example> promise: send the quote by Friday",
        f"/logcontact {german}",
        "Acme Anruf morgen",
        "Acme call they promised: send the NDA by next Tuesday",
    ]

    first, second, third, fourth = run_subprocess(
        lines, "--today", "2027-01-06", "--tz", "Europe/Berlin", "--locale", "de-DE", cwd=tmp_path
    )

    assert first == {
        "text": lines[0],
        "command": "logcontact",
        "partner": {"name": "Acme", "organisation": None},
        "medium": "call",
        "kind": "contact",
        "direction": "mutual",
        "when": "2027-01-05T14:30",
        "note": "discussed the deck (https://nordwind.example/deck) with jens@nordwind.example",
        "promise": {
            "text": _promise_text(lines[0]),
            "due": "2027-01-08",
            "by": "us",
        },
        "questions": [],
        "problem": None,
    }
    assert second["text"] == german  # the pasted command word is not part of the text
    assert second["partner"] == {"name": "Jens Ohlsen", "organisation": "Nordwind GmbH"}
    assert (second["medium"], second["when"]) == ("meeting", "2027-01-05")
    assert second["promise"] == {"text": _promise_text(german), "due": "2027-01-19", "by": "us"}
    assert third["partner"] is None and third["promise"] is None
    assert third["problem"] == {
        "code": "when_in_future",
        "message": "Dieser Kontakt läge am Donnerstag, 7. Januar 2027, also in der Zukunft. "
        "Erfasse Kontakte, wenn sie stattgefunden haben; für etwas, das du tun wirst, nimm eine "
        "Zusage.",
    }
    assert fourth["promise"]["by"] == "partner"
    assert fourth["promise"]["due"] == "2027-01-12"
    assert list(tmp_path.iterdir()) == []  # no database was created or opened


def _promise_text(text: str) -> str:
    draft = parse_logcontact(text.removeprefix("/logcontact "), today=WEDNESDAY)
    assert draft.promise is not None
    return draft.promise.text


def test_a_problem_is_said_in_the_locales_language(monkeypatch, capsys) -> None:
    lines = ["Acme call tomorrow", "call yesterday", "Acme email promise: send the deck"]

    english = run_in_process(
        lines, "--today", "2027-01-06", "--locale", "en-US", monkeypatch=monkeypatch, capsys=capsys
    )
    german = run_in_process(
        lines, "--today", "2027-01-06", "--locale", "de-AT", monkeypatch=monkeypatch, capsys=capsys
    )

    assert [row["problem"]["code"] for row in english] == [
        "when_in_future",
        "no_partner",
        "promise_without_due",
    ]
    assert [row["problem"]["code"] for row in german] == [row["problem"]["code"] for row in english]
    assert "Thursday, January 7, 2027, which is in the future" in english[0]["problem"]["message"]
    assert "Donnerstag, 7. Jänner 2027" in german[0]["problem"]["message"]  # Austrian
    assert english[2]["problem"]["message"].startswith("I understood the promise “send the deck”")
    assert german[2]["problem"]["message"].startswith("Die Zusage „send the deck“")


def test_a_new_partner_from_a_bare_word_is_a_question_unless_the_partners_file_knows_it(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    partners = tmp_path / "partners.txt"
    partners.write_text("Globex\nSchmidt Logistik\n\n", "utf-8")
    lines = ["Globex", "Hilfe", "schmidt logistik Telefonat gestern", "help"]

    unknown = run_in_process(
        lines, "--today", "2027-01-06", "--locale", "de-DE", monkeypatch=monkeypatch, capsys=capsys
    )
    known = run_in_process(
        lines,
        *("--today", "2027-01-06", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    assert unknown[0]["questions"] == [
        {
            "slot": "partner",
            "phrase": "Globex",
            "reason": "question.new_partner",
            "readings": [
                {"value": "new", "date": None, "label": "Neuer Partner Globex"},
                {"value": "cancel", "date": None, "label": "Abbrechen"},
            ],
        }
    ]
    assert unknown[0]["partner"] == {"name": "Globex", "organisation": None}
    assert known[0]["questions"] == []
    # "Hilfe" is help in German; a known multi-word name is read whole, spelled as it is known
    assert unknown[1]["command"] == known[1]["command"] == "help"
    assert known[2]["partner"]["name"] == "Schmidt Logistik"
    assert (known[2]["medium"], known[2]["when"], known[2]["note"]) == ("call", "2027-01-05", "")
    assert known[3]["command"] == "help" and known[3]["partner"] is None


def test_every_question_the_reader_raises_is_listed_with_its_days(monkeypatch, capsys) -> None:
    """Questions are taken from whatever the reader raises: here one about a due date, then
    one about the new partner, found by going on with the first reading of the first."""
    real = parse_logcontact

    def asking(text: str, **options: Any) -> Any:
        if "due" not in options["answers"]:
            readings = (Reading("2027-01-18", day=date(2027, 1, 18)), Reading("2027-01-19"))
            raise NeedsAnswer(Question("due", "Montag, den 19.1.", "question.due", readings))
        return real(text, **options)

    monkeypatch.setattr(explain_module, "parse_logcontact", asking)

    (row,) = run_in_process(
        ["Globex"], "--today", "2027-01-06", monkeypatch=monkeypatch, capsys=capsys
    )

    assert [q["slot"] for q in row["questions"]] == ["due", "partner"]
    assert row["questions"][0]["readings"] == [
        {"value": "2027-01-18", "date": "2027-01-18", "label": "Monday, January 18, 2027"},
        {"value": "2027-01-19", "date": None, "label": "2027-01-19"},
    ]
    assert row["partner"] == {"name": "Globex", "organisation": None}


def test_a_time_of_day_is_checked_only_when_today_has_one(monkeypatch, capsys) -> None:
    lines = ["Acme call 14:30 pricing"]

    morning = run_in_process(
        lines, "--today", "2027-01-06T12:00", monkeypatch=monkeypatch, capsys=capsys
    )
    any_time = run_in_process(
        lines, "--today", "2027-01-06", monkeypatch=monkeypatch, capsys=capsys
    )

    assert morning[0]["problem"]["code"] == "when_later_today"
    assert morning[0]["problem"]["message"].startswith(
        "That contact would be today at 14:30, which is later than now."
    )
    assert any_time[0]["when"] == "2027-01-06T14:30" and any_time[0]["problem"] is None


def test_every_line_gets_one_object_even_an_empty_or_refused_one(monkeypatch, capsys) -> None:
    lines = ["", "/logcontact", "Acme call \x07 bell", "x" * 9000, "settings hours 8-17"]

    rows = run_in_process(lines, "--today", "2027-01-06", monkeypatch=monkeypatch, capsys=capsys)

    assert [row["command"] for row in rows] == [
        "form",
        "form",
        "logcontact",
        "logcontact",
        "settings",
    ]
    assert [(row["problem"] or {}).get("code") for row in rows] == [
        None,
        None,
        "control_character",
        "command_too_long",
        None,
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--tz", "Mars/Olympus"), "not a time zone"),
        (("--today", "6.1.2027"), "not a local day"),
        (("--today", "2027-01-06T10:00+01:00"), "not a local day"),
    ],
)
def test_bad_options_are_named(args: tuple[str, ...], says: str, monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(SystemExit) as stopped:
        main(["parse", *args])
    assert stopped.value.code == 2
    assert says in capsys.readouterr().err


def test_an_unreadable_partners_file_is_one_line(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Acme call\n"))

    assert main(["parse", "--partners", str(tmp_path / "missing.txt")]) == 2

    err = capsys.readouterr().err
    assert err.startswith("rapport: cannot read the partners in ") and err.count("\n") == 1


def test_known_partners_are_found_by_their_key_as_the_database_finds_them() -> None:
    known = explain_module.KnownPartners(["Acme", "Acme Corp", "Acmeville", "Globex", "Straße AG"])

    assert known.starting_with("ACME") == ["Acme", "Acme Corp", "Acmeville"]
    assert known.starting_with("acme c") == ["Acme Corp"]
    assert known.starting_with("Zeta") == [] and known.starting_with(None) == []
    assert "STRASSE  ag" in known and "acme" in known
    assert "Acm" not in known and "" not in known


def test_a_line_that_is_not_utf8_is_a_problem_of_its_own_whatever_the_locale(
    tmp_path: Path,
) -> None:
    """Bytes in, as a file saved in Latin-1 or Windows-1252 gives them; the C locale would make
    Python's streams ASCII. Every line still gets one JSON object, in UTF-8."""
    lines = [
        "Müller Anruf gestern".encode("latin-1"),
        b"Acme call yesterday",
        "Straße Telefonat heute".encode("cp1252"),
        "Jürgen (Nordwind) call".encode(),
        b"\xc3",
    ]
    for locale, language in (
        ("en-US", "This line is not UTF-8"),
        ("de-DE", "Diese Zeile ist kein UTF-8"),
    ):
        done = subprocess.run(
            [str(RAPPORT), "parse", "--today", "2027-01-06", "--locale", locale],
            input=b"\n".join(lines) + b"\n",
            capture_output=True,
            timeout=60,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C"},
        )
        assert done.returncode == 0, done.stderr
        rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]

        problems = [row["problem"] and row["problem"]["code"] for row in rows]
        assert problems == ["not_utf8", None, "not_utf8", None, "not_utf8"]
        assert rows[0]["problem"]["message"].startswith(language)
        assert "0xFC" in rows[0]["problem"]["message"]
        assert rows[0]["text"] == "M\ufffdller Anruf gestern"
        assert rows[1]["partner"]["name"] == "Acme" and rows[1]["medium"] == "call"
        assert rows[3]["partner"] == {"name": "Jürgen", "organisation": "Nordwind"}


def test_a_lone_surrogate_in_text_input_is_reported_not_a_crash(monkeypatch, capsys) -> None:
    rows = run_in_process(
        ["Acme\ud800 call", "Acme call"],
        "--today",
        "2027-01-06",
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    assert rows[0]["problem"]["code"] == "not_utf8" and rows[1]["problem"] is None


@pytest.mark.parametrize(
    ("line", "locale", "offered"),
    [
        ("Müler call", "en-US", ["Müller AG", "New partner Müler", "Cancel"]),
        ("Muller Anruf gestern", "de-DE", ["Müller AG", "Neuer Partner Muller", "Abbrechen"]),
        ("Globx", "en-US", ["Globex", "New partner Globx", "Cancel"]),
        (
            '"Schmidt Logistk" call',
            "en-US",
            ["Schmidt Logistik", "New partner Schmidt Logistk", "Cancel"],
        ),
    ],
)
def test_the_did_you_mean_question_the_app_asks_is_listed(
    line: str, locale: str, offered: list[str], monkeypatch, capsys, tmp_path: Path
) -> None:
    partners = tmp_path / "partners.txt"
    partners.write_text("Müller AG\nGlobex\nSchmidt Logistik\n", "utf-8")

    [row] = run_in_process(
        [line],
        *("--today", "2027-01-06", "--locale", locale, "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    [question] = row["questions"]
    assert question["reason"] == "question.similar_partner"
    assert [reading["label"] for reading in question["readings"]] == offered


@pytest.mark.parametrize(
    ("line", "locale", "offered"),
    [
        ("Ohlsen call", "en-US", ["Jens Ohlsen", "New partner Ohlsen", "Cancel"]),
        (
            "Herr Ohlsen Anruf gestern",
            "de-DE",
            ["Jens Ohlsen", "Neuer Partner Herr Ohlsen", "Abbrechen"],
        ),
        (
            "herr ohlsen anruf",
            "de-DE",
            ["Jens Ohlsen", "Neuer Partner herr ohlsen", "Abbrechen"],
        ),
        (
            "Frau Dr. Meier call",
            "en-US",
            ["Anna Meier", "New partner Frau Dr. Meier", "Cancel"],
        ),
        (
            "Herr und Frau Ohlsen Anruf",  # a couple, one partner: found by their surname
            "de-DE",
            ["Jens Ohlsen", "Neuer Partner Herr und Frau Ohlsen", "Abbrechen"],
        ),
    ],
)
def test_a_surname_alone_or_after_an_honorific_lists_the_person(
    line: str, locale: str, offered: list[str], monkeypatch, capsys, tmp_path: Path
) -> None:
    """As `/logcontact` asks: the known person whose surname was typed, the new partners the
    words may make (never honorifics alone: "Herr", "Frau Dr."), Cancel."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Jens Ohlsen\nAnna Meier\nGlobex\n", "utf-8")

    [row] = run_in_process(
        [line],
        *("--today", "2027-01-06", "--locale", locale, "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    [question] = row["questions"]
    assert question["reason"] == "question.similar_partner"
    assert [reading["label"] for reading in question["readings"]] == offered


def test_near_known_partners_are_ranked_as_the_database_ranks_them() -> None:
    known = explain_module.KnownPartners(["Müller AG", "Mueller", "Globex", "Miller", "Zeta"])

    near = known.near("Müler", (), bare=True)

    assert [(p.label, p.words) for p in near] == [("Mueller", 1), ("Müller AG", 1), ("Miller", 1)]
    assert [p.partner_id for p in near] == [2, 1, 4]
    assert known.near("Mueller", (), bare=True)[0].label == "Müller AG"
    assert known.near("Zorblax", (), bare=True) == []


def test_a_known_name_followed_by_a_new_capitalised_word_lists_the_question(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    partners = tmp_path / "partners.txt"
    partners.write_text("Schmidt\n", "utf-8")

    rows = run_in_process(
        ["Schmidt Logistik Telefonat gestern", "Schmidt Telefonat gestern"],
        *("--today", "2027-01-06", "--locale", "de-DE", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    [question] = rows[0]["questions"]
    assert question["reason"] == "question.known_then_more"
    assert [r["label"] for r in question["readings"]] == [
        "Schmidt",
        "Neuer Partner Schmidt Logistik",
        "Abbrechen",
    ]
    assert rows[1]["questions"] == [] and rows[1]["medium"] == "call"


def test_a_cut_short_name_lists_the_partners_it_may_be(monkeypatch, capsys, tmp_path: Path) -> None:
    """As `/logcontact` asks: the known first word, the partner whose name the words begin
    (with the first word known, or not), a new partner, Cancel."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Acme\nAcme Corp\nGlobex\n", "utf-8")

    rows = run_in_process(
        ["Acme Co call", "Glob call", "Acme Corp call"],
        *("--today", "2027-01-06", "--locale", "en-US", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    labels = [[r["label"] for r in q["readings"]] for row in rows[:2] for q in row["questions"]]
    assert labels == [
        ["Acme", "Acme Corp", "New partner Acme Co", "Cancel"],
        ["Globex", "New partner Glob", "Cancel"],
    ]
    assert rows[2]["questions"] == [] and rows[2]["partner"]["name"] == "Acme Corp"


def test_a_known_name_run_on_offers_no_shorter_partner(monkeypatch, capsys, tmp_path: Path) -> None:
    """As `/logcontact` asks: "Acme Corp Q4" names "Acme Corp" and runs on from "Acme", which
    is no name like it (chosen, it would take "Corp Q4"); the question says the first words
    name a partner."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Acme\nAcme Corp\n", "utf-8")

    rows = run_in_process(
        ["Acme Corp Q4 call yesterday"],
        *("--today", "2027-01-06", "--locale", "en-US", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    [question] = rows[0]["questions"]
    assert [r["label"] for r in question["readings"]] == [
        "Acme Corp",
        "New partner Acme Corp Q4",
        "Cancel",
    ]
    assert question["reason"] == "question.known_then_more"


def test_lower_case_words_that_begin_a_known_name_list_the_partners(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    """As `/logcontact` asks: the known first word and the partner the lower-case words begin,
    with no new partner of a lower-case name; a new first word, that partner taking them."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Schmidt\nSchmidt Logistik\nMüller Logistik\n", "utf-8")

    rows = run_in_process(
        ["schmidt log Telefonat gestern", "müller lo anruf gestern", "schmidt Telefonat"],
        *("--today", "2027-01-06", "--locale", "de-DE", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    labels = [[r["label"] for r in q["readings"]] for row in rows[:2] for q in row["questions"]]
    assert labels == [
        ["Schmidt", "Schmidt Logistik", "Abbrechen"],
        ["Müller Logistik", "Neuer Partner müller", "Abbrechen"],
    ]
    assert [q["reason"] for row in rows[:2] for q in row["questions"]] == [
        "question.similar_partner",
        "question.similar_partner",
    ]
    assert rows[2]["questions"] == [] and rows[2]["partner"]["name"] == "Schmidt"


def test_a_number_after_a_name_lists_the_new_numbered_name(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    """As `/logcontact` asks: "Globex 2" may be a new branch beside the known "Globex" and
    "Globex 1"."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Globex\nGlobex 1\n", "utf-8")

    rows = run_in_process(
        ["Globex 2 call"],
        *("--today", "2027-01-06", "--locale", "en-US", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    [question] = rows[0]["questions"]
    assert question["reason"] == "question.known_then_more"
    assert [r["label"] for r in question["readings"]] == [
        "Globex",
        "New partner Globex 2",
        "Cancel",
    ]


def test_a_number_that_may_begin_a_day_lists_both_partners(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    """As `/logcontact` asks: "2. dezember" after "Globex" may be the day or the number of
    "Globex 2"; "Globex 2 call" names no day, and is read one way."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Globex\nGlobex 2\n", "utf-8")

    rows = run_in_process(
        ["globex 2. dezember call", "Globex 2 Dec call", "Globex 2 call"],
        *("--today", "2027-01-06", "--locale", "de-DE", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    for row, when in zip(rows[:2], ("2. dezember", "2 Dec"), strict=True):
        [question] = row["questions"]
        assert question["reason"] == "question.name_or_day"
        assert [r["label"] for r in question["readings"]] == [
            "Globex 2",
            f"Globex, {when}",
            "Abbrechen",
        ]
    assert rows[2]["questions"] == [] and rows[2]["partner"]["name"] == "Globex 2"


def test_a_quantity_after_a_numbered_name_lists_both_partners(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    """As `/logcontact` asks: "2 hours" after "Globex" may be the note's or the number of
    "Globex 2"; "Globex 2 call" and "globex 2 - hours" say where the name ends."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Globex\nGlobex 2\n", "utf-8")

    rows = run_in_process(
        ["globex 2 hours call", "Globex 2 Angebot", "Globex 2 call", "globex 2 - hours"],
        *("--today", "2027-01-06", "--locale", "de-DE", "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    for row, phrase in zip(rows[:2], ("2 hours", "2 Angebot"), strict=True):
        [question] = row["questions"]
        assert question["reason"] == "question.name_or_note"
        assert question["phrase"] == phrase
        assert [r["label"] for r in question["readings"]] == ["Globex 2", "Globex", "Abbrechen"]
    for row in rows[2:]:
        assert row["questions"] == [] and row["partner"]["name"] == "Globex 2"


@pytest.mark.parametrize(
    ("locale", "line"),
    [("de-DE", "globex 2 3. dez call"), ("en-US", "Globex 2 Dec 3 call")],
)
def test_a_whole_date_after_a_numbered_name_lists_no_partner_question(
    locale: str, line: str, monkeypatch, capsys, tmp_path: Path
) -> None:
    """As `/logcontact` reads it: the date after "Globex 2" is read whole, for "Globex 2";
    "Globex, 2 3." and "Globex, 2 Dec" would each cut a day out of it."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Globex\nGlobex 2\n", "utf-8")

    [row] = run_in_process(
        [line],
        *("--today", "2027-01-06", "--locale", locale, "--partners", str(partners)),
        monkeypatch=monkeypatch,
        capsys=capsys,
    )

    assert row["questions"] == [] and row["problem"] is None
    assert (row["partner"]["name"], row["when"], row["medium"], row["note"]) == (
        "Globex 2",
        "2026-12-03",
        "call",
        "",
    )
