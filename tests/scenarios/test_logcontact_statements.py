"""The common `/logcontact` (a returning member logging a contact, with a promise, for a partner
Rapport knows) sends a fixed, small number of SQL statements, whatever the partner's history:
the replay check, the member, the partners the first word may name, the partner's row lock
(PostgreSQL), the contact and its promise (one statement on PostgreSQL), the partner's new
times when they move, and the over-contact count; nothing is read for the over-contact line
when it cannot be shown. Where more partners begin with the first word than one read takes,
one more read per word that narrows them, and nothing else more.

Statements are counted as the driver is handed them, BEGIN left out (`tests.support.statements`).
Over signed HTTP, on both backends."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import select

from storage.models import Interaction, Member, Partner, Promise
from storage.queries.partners import CANDIDATES_LIMIT, add_partner
from tests.support.app import RunningRapport, known
from tests.support.rows import all_of, only
from tests.support.statements import COMMON, MOVED, counting
from tests.support.world import NOW

ROOT = Path(__file__).resolve().parents[2]


def _writes(rapport: RunningRapport, sent: list[str]) -> None:
    """The contact and its promise go in with one statement on PostgreSQL, after the partner's
    row lock; with two on SQLite, which has no lock to take."""
    contacts = [s for s in sent if "INSERT INTO interactions" in s]
    promises = [s for s in sent if "INSERT INTO promises" in s]
    locks = [s for s in sent if s.endswith("FOR NO KEY UPDATE")]
    if rapport.db.backend == "postgresql":
        assert len(contacts) == 1 and contacts == promises and len(locks) == 1, sent
    else:
        assert len(contacts) == len(promises) == 1 and contacts != promises and not locks, sent


def test_the_common_command_sends_the_same_few_statements_whatever_the_history(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    rapport.command("Acme call kickoff").reply()  # the partner exists from here on
    counts = []
    for n in range(8):  # the same day as the first: the times do not move
        with counting(rapport) as sent:
            reply = rapport.command(f"Acme call item {n} promise: send the deck by Friday").reply()
        assert "Logged your contact with *Acme*" in str(reply)
        _writes(rapport, sent)
        counts.append(len(sent))
    assert counts == [COMMON] * len(counts), counts
    partner: Partner = only(rapport.db, Partner)  # type: ignore[assignment]
    with rapport.db.reading() as session:
        contacts = session.scalars(select(Interaction).order_by(Interaction.id)).all()
        promises = session.scalars(select(Promise)).all()
    assert len(contacts) == 9 and len(promises) == 8
    assert partner.last_contact_at == contacts[-1].occurred_at


def test_a_contact_that_moves_the_partners_times_adds_their_update_alone(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    rapport.command("Acme call last week kickoff").reply()
    with counting(rapport) as sent:
        rapport.command("Acme Telefonat heute promise: Angebot schicken bis Freitag").reply()
    updates = [s for s in sent if s.startswith("UPDATE partners")]
    assert len(updates) == 1, sent
    _writes(rapport, sent)
    assert len(sent) == COMMON + MOVED, sent
    partner: Partner = only(rapport.db, Partner)  # type: ignore[assignment]
    assert partner.last_contact_at is not None
    assert partner.contact_due_at == partner.last_contact_at + timedelta(days=partner.cadence_days)


def test_nothing_is_read_for_the_over_contact_line_when_the_contact_cannot_count(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    with counting(rapport) as sent:
        # The partner started it: it never counts towards contacting them too often.
        rapport.command("Acme call received promise: send the deck by Friday").reply()
    assert not [s for s in sent if "FROM interactions JOIN members" in s], sent
    assert len(sent) == COMMON - 1, sent


@pytest.mark.parametrize(
    ("partner", "others", "reads"),
    [
        # Past the first word's full read: the first two words are read too.
        ("Stadtwerke Zweibrücken", ("Stadtwerke {:03}",), 2),
        # "Stadtwerke" is the first of its word's read: the second read finds nothing more.
        ("Stadtwerke", ("Stadtwerke {:03}",), 2),
        # Past full reads of the first and the first two words: three words are read.
        ("Stadtwerke Zweibrücken Süd", ("Stadtwerke {:03}", "Stadtwerke Zweibrücken {:03}"), 3),
    ],
)
def test_past_a_full_candidates_read_each_narrower_read_is_one_statement_more(
    rapport: RunningRapport, partner: str, others: tuple[str, ...], reads: int
) -> None:
    """Where more partners begin with the words typed than one read of candidates takes, the
    common command reads the partners the next typed word narrows them to, one statement each
    until a read is not full (`candidates_for`), and nothing else more: the partner named is
    among those rows, which hold every partner of its name."""
    known(rapport)
    [workspace_id] = {m.workspace_id for m in all_of(rapport.db, Member)}
    with rapport.db.transaction() as session:
        for pattern in others:
            for number in range(CANDIDATES_LIMIT + 10):
                name = pattern.format(number)
                add_partner(
                    session, workspace_id, name=name, organisation=None, owner_id=None, now=NOW
                )
        add_partner(session, workspace_id, name=partner, organisation=None, owner_id=None, now=NOW)
    rapport.command(f"{partner} call kickoff").reply()
    with counting(rapport) as sent:
        reply = rapport.command(f"{partner} call item promise: send the deck by Friday").reply()
    assert f"Logged your contact with *{partner}*" in str(reply)
    _writes(rapport, sent)
    candidates = [s for s in sent if "FROM partners" in s and "ORDER BY partners.name_key" in s]
    assert len(candidates) == reads, sent
    assert len(sent) == COMMON + reads - 1, sent


def test_the_benchmarks_sql_floor_sends_the_common_commands_own_statements(
    rapport: RunningRapport,
) -> None:
    """bench/sql_floor.py sends a copy of these statements' text through the raw driver: when
    they change, it must too, or it measures SQL Rapport no longer sends."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    with counting(rapport) as sent:
        rapport.command("Acme call item promise: send the deck by Friday").reply()

    floor = _bench_module("sql_floor")
    copied = floor.POSTGRESQL if rapport.db.backend == "postgresql" else floor.SQLITE
    assert sent == list(copied.values())


def _bench_module(name: str) -> ModuleType:
    """A script of bench/ as a module (bench/ is no package: its scripts are run by path)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
