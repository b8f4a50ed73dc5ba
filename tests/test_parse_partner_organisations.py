"""`rapport parse` and partners with an organisation.

`/logcontact` knows a partner's organisation: "Nordwind GmbH call" offers "Jens Ohlsen (Nordwind
GmbH)" (`storage.vocabulary.closeness`, an organisation of this name), and "Jens Ohlsen call"
is logged to him without a question. The partners file has no way to say an organisation: a
line written as Rapport shows the partner ("Jens Ohlsen (Nordwind GmbH)", as `/rapport
partners` lists it) is read as one name with the parentheses in it, so `rapport parse` asks
about "Jens Ohlsen call" and never offers him for "Nordwind GmbH call"; written as the name
alone, the second still differs. Expected to fail
until the file can carry an organisation, as `/logcontact` reads one after a name.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main


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


@pytest.mark.xfail(strict=True, reason="the partners file cannot say a partner's organisation")
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
