"""`rapport parse` and partners with an organisation.

`/logcontact` knows a partner's organisation: "Nordwind GmbH call" offers "Jens Ohlsen (Nordwind
GmbH)" (`storage.vocabulary.closeness`, an organisation of this name), so does "Nordwind call"
(the organisation without its legal form), and "Jens Ohlsen call" is logged to him without a
question. The partners file said no organisation: a line written as Rapport shows the partner
("Jens Ohlsen (Nordwind GmbH)", as `/rapport partners` lists it) was read as one name with the
parentheses in it, so `rapport parse` asked about "Jens Ohlsen call" and never offered him for
"Nordwind GmbH call". Such a line is now a partner with that organisation, read as `/logcontact`
reads "(Organisation)" after a name (`partner_line`); a line whose parentheses do not end it is
a name alone, as before.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.parsing.contact_text import partner_line


def parsed(
    lines: list[str],
    partners: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[dict[str, Any]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    args = ["parse", "--today", "2027-01-06", "--locale", "en-US", "--partners", str(partners)]
    assert main(args) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_partner_with_an_organisation_is_read_as_the_app_reads_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    partners = tmp_path / "partners.txt"
    partners.write_text("Jens Ohlsen (Nordwind GmbH)\n", "utf-8")

    exact, organisation = parsed(
        ["Jens Ohlsen call", "Nordwind GmbH call"], partners, monkeypatch, capsys
    )

    assert exact["questions"] == [], "the app logs to Jens Ohlsen without a question"
    offered = [r["label"] for q in organisation["questions"] for r in q["readings"]]
    assert "Jens Ohlsen (Nordwind GmbH)" in offered, offered


def test_an_organisation_without_its_legal_form_offers_the_partner_as_the_app_does(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    partners = tmp_path / "partners.txt"
    partners.write_text("Acme\nJens Ohlsen (Nordwind GmbH)\n", "utf-8")
    lines = [
        "Nordwind call",
        "NORDWIND ag call",
        '"Jens Ohlsen" (Nordwind) call',
        '"Jens Ohlsen" (Acme) call',
        "Nord call",
        "Wind call",
    ]

    rows = parsed(lines, partners, monkeypatch, capsys)

    offered = [[r["label"] for q in row["questions"] for r in q["readings"]] for row in rows]
    for row in offered[:3]:
        assert row[0] == "Jens Ohlsen (Nordwind GmbH)", offered
    assert offered[0][1:] == ["New partner Nordwind", "Cancel"], offered
    assert offered[2][1:] == ["New partner Jens Ohlsen (Nordwind)", "Cancel"], offered
    assert offered[3:] == [[], [], []], "another organisation, or a word cut short, is new"
    assert [row["partner"] for row in rows[2:4]] == [
        {"name": "Jens Ohlsen", "organisation": "Nordwind"},
        {"name": "Jens Ohlsen", "organisation": "Acme"},
    ]


def test_partners_of_one_name_are_told_apart_by_their_organisation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two lines of one name at different organisations are two partners (the same name and
    organisation twice, one): each is known with its organisation, its value names its line,
    and the name alone asks which, as the app does."""
    partners = tmp_path / "partners.txt"
    text = "Anna Schmidt (Acme)\nAnna Schmidt (Nordwind)\nANNA SCHMIDT (acme)\n"
    partners.write_text(text, "utf-8")

    known, near, several = parsed(
        ['"Anna Schmidt" (Nordwind) call', "Anna Schmit", "Anna Schmidt Anruf"],
        partners,
        monkeypatch,
        capsys,
    )

    assert known["questions"] == [] and known["medium"] == "call"
    [which] = several["questions"]
    assert which["reason"] == "question.several_partners" and several["medium"] == "call"
    assert [(r["value"], r["label"]) for r in which["readings"]] == [
        ("p1:0", "Anna Schmidt (Acme)"),
        ("p2:0", "Anna Schmidt (Nordwind)"),
        ("cancel", "Cancel"),
    ]
    [question] = near["questions"]
    values = [(r["value"], r["label"]) for r in question["readings"]][:2]
    assert values == [("p1:2", "Anna Schmidt (Acme)"), ("p2:2", "Anna Schmidt (Nordwind)")]


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("Jens Ohlsen (Nordwind GmbH)", ("Jens Ohlsen", "Nordwind GmbH")),
        ("  Jens  Ohlsen ( Nordwind  GmbH ) ", ("Jens Ohlsen", "Nordwind GmbH")),
        ("Müller AG", ("Müller AG", None)),
        ("Filiale (Nord) Ost", ("Filiale (Nord) Ost", None)),
        ("(Nordwind)", ("(Nordwind)", None)),
        ("Jens ()", ("Jens ()", None)),
        ("Jens (https://nordwind.example)", ("Jens (https://nordwind.example)", None)),
    ],
)
def test_a_partners_line_is_a_name_and_an_organisation_only_when_written_so(
    line: str, read: tuple[str, str | None]
) -> None:
    assert partner_line(line) == read
