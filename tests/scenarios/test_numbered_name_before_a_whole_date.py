"""A whole date after a numbered known name, over signed HTTP on both backends, in English and
German: "globex 2 3. nov call" and "Globex 2 Nov 3 call" beside "Globex" and "Globex 2".

The date after the number is read whole, for "Globex 2", and logged unasked, as `rapport parse`
reads the same text with the same partners, day and locale. Before, the member was asked
whether the contact was "Globex, 2 3." (2 March) or "Globex, 2 Nov" (the rest "3 call"): each
a date cut out of the one typed.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.support.app import RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.partner_questions import (
    ALICE,
    CANCEL,
    JONAS,
    contacts_of,
    send,
    with_partners,
)
from tests.support.world import BERLIN, NOW

LOCALES = {ALICE: "en-US", JONAS: "de-DE"}


def parsed(
    line: str,
    locale: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, Any]:
    """What `rapport parse` reads in `line`, for a member in Berlin at the test's time."""
    partners = tmp_path / "partners.txt"
    partners.write_text("Globex\nGlobex 2\n", "utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(line + "\n"))
    today = NOW.strftime("%Y-%m-%dT%H:%M")
    args = ["--today", today, "--tz", "Europe/Berlin", "--locale", locale]
    capsys.readouterr()  # what the app's set-up printed, if anything
    assert main(["parse", *args, "--partners", str(partners)]) == 0
    [row] = [json.loads(out) for out in capsys.readouterr().out.splitlines()]
    return row


@pytest.mark.parametrize(
    ("typed", "user"),
    [("globex 2 3. nov call", JONAS), ("Globex 2 Nov 3 call", ALICE)],
)
def test_a_whole_date_after_the_number_is_logged_as_rapport_parse_reads_it(
    rapport: RunningRapport,
    typed: str,
    user: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_partners(rapport, user, "Globex", "Globex 2")

    reply = send(rapport, typed, user)

    assert CANCEL[user] not in buttons(reply), (texts(reply), list(buttons(reply)))
    assert [i for i in contacts_of(rapport, "Globex") if i.note != "kickoff"] == []
    [contact] = [i for i in contacts_of(rapport, "Globex 2") if i.note != "kickoff"]
    logged = (
        "Globex 2",
        contact.occurred_at.astimezone(BERLIN).date().isoformat(),
        contact.medium,
        contact.note,
    )
    assert logged == ("Globex 2", "2026-11-03", "call", "")

    row = parsed(typed, LOCALES[user], tmp_path, monkeypatch, capsys)
    assert row["questions"] == [] and row["problem"] is None, row
    assert (row["partner"]["name"], row["when"], row["medium"], row["note"]) == logged


@pytest.mark.parametrize("typed", ["globex 2. 11. Anruf", "globex 2. 11. 2026 Anruf"])
def test_a_german_day_and_month_after_the_shorter_name_is_asked_about(
    rapport: RunningRapport, typed: str
) -> None:
    """ "2. 11." is 2 November as Germans write it: Globex on that day stays on offer beside
    Globex 2, and nothing is logged for Globex 2 today with "11. Anruf" as its note."""
    with_partners(rapport, JONAS, "Globex", "Globex 2")

    reply = send(rapport, typed, JONAS)

    assert CANCEL[JONAS] in buttons(reply), (texts(reply), list(buttons(reply)))
    assert [i for i in contacts_of(rapport, "Globex 2") if i.note != "kickoff"] == []
