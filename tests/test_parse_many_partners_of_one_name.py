"""`rapport parse` and a name more than ten partners share.

The app refuses "Jens Ohlsen call" when more than ten partners are called Jens Ohlsen: the
reply names them and asks for the organisation in parentheses (the question has room for ten
buttons). `rapport parse` with the same partners file reads the line as plain, with no question
and no problem, so support reading its output is told the contact would be logged, where the
member was refused. With two or three such partners it lists the question, as the app asks it.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main


def parsed(
    line: str,
    partners: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, Any]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(line + "\n"))
    args = ["parse", "--today", "2027-01-06", "--locale", "en-US", "--partners", str(partners)]
    assert main(args) == 0
    [row] = [json.loads(out) for out in capsys.readouterr().out.splitlines()]
    return row


@pytest.mark.parametrize("how_many", [3, 11, 13])
def test_a_name_many_partners_share_is_not_read_as_plain(
    how_many: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Asked about (a question) or refused (a problem), as the app answers: never plain."""
    partners = tmp_path / "partners.txt"
    lines = [f"Jens Ohlsen (Firma {number})" for number in range(1, how_many + 1)]
    partners.write_text("\n".join(lines) + "\n", "utf-8")

    row = parsed("Jens Ohlsen call", partners, monkeypatch, capsys)

    assert row["questions"] or row["problem"], row


@pytest.mark.parametrize(
    ("locale", "refused", "more"),
    [
        ("en-US", "Several partners are called “Jens Ohlsen”: ", r" and (\d+) more\."),
        ("de-DE", "Mehrere Partner heißen „Jens Ohlsen“: ", r" und (\d+) weitere\."),
    ],
)
def test_the_refusal_is_the_apps_whole_names_and_how_many_more(
    locale: str,
    refused: str,
    more: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """The app's refusal, in the member's language: the names listed whole, the rest
    counted, so the organisation to type is never cut off."""
    partners = tmp_path / "partners.txt"
    lines = [f"Jens Ohlsen (Nordwind Logistik {number:02} GmbH)" for number in range(1, 14)]
    partners.write_text("\n".join(lines) + "\n", "utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("Jens Ohlsen call\n"))
    args = ["parse", "--today", "2027-01-06", "--locale", locale, "--partners", str(partners)]
    assert main(args) == 0
    [row] = [json.loads(out) for out in capsys.readouterr().out.splitlines()]

    assert row["problem"]["code"] == "ambiguous_partner", row
    message = row["problem"]["message"]
    counted = re.search(more, message)
    assert message.startswith(refused) and counted is not None, message
    listed = message[len(refused) : counted.start()].split(", ")
    assert listed == lines[: len(listed)], message
    assert len(listed) + int(counted[1]) == len(lines), message
