"""A partner's health reads the same on every surface: the lists (mine, all, search), the card,
the Home and the team digest all pass one-sidedness (`bot.usecases.partners.health`), read
for the partners shown in one statement; and a row never says someone looks after a partner
whose owner left or became a guest."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, update

from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.scenarios.test_app_home import home, opened
from tests.scenarios.test_rapport_command import logged, rapport_says, shown
from tests.support.app import RunningRapport, known
from tests.support.rows import Interaction, Member
from tests.support.world import NOW

ALICE, BOB, JONAS = "U0ALICE", "U0BOB", "U0JONAS"
# Five contacts that went our way within half a year, by the owner and a colleague: one-sided.
GAVE = ("2026-07-01", "2026-09-30", "2026-10-14", "2026-11-02", "yesterday")


def one_sided_acme(rapport: RunningRapport) -> None:
    logged(rapport, f"Acme call gave {GAVE[0]}")  # Alice looks after Acme
    for day in GAVE[1:]:
        logged(rapport, f"Acme call gave {day}", user=BOB)
    logged(rapport, "Acme meeting mutual")  # says nothing about who gave
    logged(rapport, "Globex call received")  # the other way round, once: not one-sided


def row_of(said: str, name: str) -> str:
    return next(line for line in said.splitlines() if line.startswith(f"*{name}*"))


def test_every_list_the_card_and_the_home_say_one_sided(rapport: RunningRapport) -> None:
    one_sided_acme(rapport)

    for typed in ("partners", "partners all", "partners search acme"):
        said = shown(rapport, typed)
        assert "one-sided" in row_of(said, "Acme"), typed
        if "*Globex*" in said:
            assert "one-sided" not in row_of(said, "Globex"), typed
    card = shown(rapport, "partner Acme")
    assert "one-sided" in card
    assert "one-sided" not in shown(rapport, "partner Globex")
    opened(rapport, ALICE)
    rows = [t for t in home(rapport) if t.startswith("*Acme*") or t.startswith("*Globex*")]
    assert any(t.startswith("*Acme*") and "one-sided" in t for t in rows), rows
    assert not any(t.startswith("*Globex*") and "one-sided" in t for t in rows), rows


def test_german_lists_the_card_and_the_home_say_einseitig(rapport: RunningRapport) -> None:
    one_sided_acme(rapport)
    logged(rapport, "Initech Anruf gegeben 01.10.2026", user=JONAS)
    for day in ("15.10.2026", "01.11.2026", "10.11.2026", "gestern"):
        logged(rapport, f"Initech E-Mail gegeben {day}", user=JONAS)

    assert "einseitig" in row_of(shown(rapport, "partner", user=JONAS), "Initech")
    everyone = shown(rapport, "partner alle", user=JONAS)
    assert "einseitig" in row_of(everyone, "Acme")
    assert "einseitig" not in row_of(everyone, "Globex")
    assert "einseitig" in row_of(shown(rapport, "partner suche acme", user=JONAS), "Acme")
    assert "einseitig" in shown(rapport, "partner Initech", user=JONAS)
    opened(rapport, JONAS)
    assert any(t.startswith("*Initech*") and "einseitig" in t for t in home(rapport, JONAS))


def test_a_contact_the_other_way_ends_it_on_every_surface(rapport: RunningRapport) -> None:
    one_sided_acme(rapport)
    logged(rapport, "Acme call received yesterday")

    assert "one-sided" not in shown(rapport, "partners all")
    assert "one-sided" not in shown(rapport, "partner Acme")
    opened(rapport, ALICE)
    assert not any("one-sided" in t for t in home(rapport))


def many_one_sided(rapport: RunningRapport, count: int, first: int) -> None:
    """`count` more partners of Alice's, each with five contacts of ours in the last months."""
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, "T0ACME", NOW)
        alice = next(m for m in session.query(Member) if m.slack_user_id == ALICE)
        for i in range(first, first + count):
            made = add_partner(
                session,
                workspace.id,
                name=f"Partner {i:03d}",
                organisation=None,
                owner_id=alice.id,
                now=NOW,
            )
            assert made is not None
            for month in range(5):
                session.add(
                    Interaction(
                        workspace_id=workspace.id,
                        partner_id=made.id,
                        member_id=alice.id,
                        occurred_at=NOW.replace(month=6 + month),
                        direction="gave",
                        created_at=NOW,
                    )
                )
            refresh_contact_times(session, [made.id])


def test_a_page_reads_its_partners_contacts_in_one_statement_however_many(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    statements: list[str] = []

    def counted(*args: Any) -> None:
        statements.append(args[2])

    def listing() -> tuple[int, list[str]]:
        statements.clear()
        event.listen(rapport.db.engine, "before_cursor_execute", counted)
        try:
            reply = rapport_says(rapport, "partners").reply()
        finally:
            event.remove(rapport.db.engine, "before_cursor_execute", counted)
        rows = [
            block["text"]["text"]
            for block in reply["blocks"]
            if block["type"] == "section" and block["text"]["text"].startswith("*Partner ")
        ]
        return len(statements), rows

    many_one_sided(rapport, 2, 0)
    few, rows_few = listing()
    many_one_sided(rapport, 30, 2)
    many, rows_many = listing()

    assert len(rows_few) == 2 and len(rows_many) == 20
    assert all("one-sided" in row for row in rows_few + rows_many)
    assert few == many
    directed = [s for s in statements if "interactions.direction IN" in s]
    assert len(directed) == 1, directed


@pytest.mark.parametrize("gone", ["left", "guest"])
def test_a_partner_whose_owner_is_gone_is_not_said_to_be_looked_after(
    rapport: RunningRapport, gone: str
) -> None:
    logged(rapport, "Acme call kickoff", user=BOB)
    known(rapport, JONAS)
    change = {"active": False} if gone == "left" else {"is_guest": True}
    with rapport.db.transaction() as session:
        session.execute(update(Member).where(Member.slack_user_id == BOB).values(**change))

    row = row_of(shown(rapport, "partners all"), "Acme")
    assert "unowned" in row
    assert "looks after it" not in row.replace("nobody looks after it", "")
    assert "nobody looks after it (was <@U0BOB>)" in row
    german = row_of(shown(rapport, "partner alle", user=JONAS), "Acme")
    assert "ohne Zuständigen" in german
    assert "ist zuständig" not in german
    assert "niemand zuständig (zuvor <@U0BOB>)" in german
    # An owner still at work is named as ever.
    logged(rapport, "Globex call kickoff")
    assert "<@U0ALICE> looks after it" in row_of(shown(rapport, "partners all"), "Globex")
