"""Where several processes share an SQLite file (`rapport serve --workers N`), the common
`/logcontact` reads what it needs (the member, the partner, the text) before it takes the one
write lock, then writes in a transaction of its own. What other requests write between the two
must count: a contact logged meanwhile moves the partner's times, and a partner forgotten
meanwhile is refused, with nothing saved.

The app here is told its file is shared (`Database.share_with_processes`), as each worker is.
The gap is made on demand: `between_read_and_write` runs a write once, as the command's read
transaction ends. PostgreSQL reads and writes a command in one transaction (its row lock is
what keeps it right there), so these run on SQLite alone. Over signed HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from storage.db import Database
from storage.models import Interaction, Member, Partner, Promise
from storage.queries.health.drift import drift
from tests.support.app import ALICE, RunningRapport, known
from tests.support.processes import another_process
from tests.support.read_apart import (
    ON_SQLITE,
    as_one_process,
    between_read_and_write,
    forget_every_partner,
)
from tests.support.rows import only
from tests.support.statements import COMMON, counting

JONAS = "U0JONAS"  # de-DE in the stand-in's workspace
BOB = "U0BOB"


@pytest.fixture
def rapport(rapport: RunningRapport) -> RunningRapport:
    rapport.db.share_with_processes()
    assert rapport.db.reads_apart
    return rapport


@ON_SQLITE
def test_the_common_command_reads_the_partner_again_under_the_write_lock(
    rapport: RunningRapport,
) -> None:
    """Replay check, then the member and the candidates read apart, then whether the asker is
    still a member and the partner's row again, the contact, its promise and the over-contact
    count: two statements more than in one process (`test_logcontact_statements`), the
    re-reads, before the writes."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    with counting(rapport) as sent:
        reply = rapport.command("Acme call pricing promise: send the deck by Friday").reply()
    assert "Logged your contact with *Acme*" in str(reply)
    partner_reads = [i for i, s in enumerate(sent) if s.startswith("SELECT partners.id")]
    contact = next(i for i, s in enumerate(sent) if "INSERT INTO interactions" in s)
    assert len(partner_reads) == 2 and partner_reads[1] < contact, sent
    assert len(sent) == COMMON + 2, sent


@ON_SQLITE
def test_a_contact_logged_between_the_read_and_the_write_still_moves_the_partners_times(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    rapport.command("Acme call two weeks ago kickoff").reply()
    # While the command for last week waits for its turn to write, another logs today's.
    with between_read_and_write(
        rapport, lambda: rapport.command("Acme call today follow-up").reply()
    ):
        reply = rapport.command("Acme call last week pricing").reply()
    assert "Logged your contact with *Acme*" in str(reply)
    partner: Partner = only(rapport.db, Partner)  # type: ignore[assignment]
    with rapport.db.reading() as session:
        contacts = session.scalars(select(Interaction).order_by(Interaction.occurred_at)).all()
        assert [c.note for c in contacts] == ["kickoff", "pricing", "follow-up"]
        # Today's contact is still the last: the row was read again under the write lock, not
        # taken from before today's was logged.
        assert partner.last_contact_at == contacts[-1].occurred_at
        assert list(drift(session)) == []


@ON_SQLITE
def test_a_partner_forgotten_between_the_read_and_the_write_is_answered_as_one_process_would(
    rapport: RunningRapport,
) -> None:
    """Forgotten once the command had read it: nothing is written for the partner that is gone,
    and the text is read anew, so the answer is the one a single process gives to the same text
    once the partner is forgotten (not "no longer in this workspace's list", which the user
    did not ask about)."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    text = "Acme call pricing promise: send the deck by Friday"
    with between_read_and_write(rapport, lambda: forget_every_partner(rapport)):
        read_apart = rapport.command(text).reply()
    assert "no longer in this workspace's list" not in str(read_apart)

    # The same text, the partner forgotten before it came, in one transaction.
    rapport.command("Acme call kickoff").reply()
    forget_every_partner(rapport)
    one_process = as_one_process(rapport, text)
    assert read_apart["text"] == one_process["text"]


@ON_SQLITE
def test_a_partner_forgotten_and_added_again_between_the_read_and_the_write_gets_the_contact(
    rapport: RunningRapport,
) -> None:
    """The name typed names another partner by the time of the write (forgotten, then added
    again): the contact is logged for the one that is there, as one process would log it."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()

    def forget_and_add_again() -> None:
        forget_every_partner(rapport)
        assert "Logged" in str(rapport.command('"Acme" call setup').reply())

    with between_read_and_write(rapport, forget_and_add_again):
        reply = rapport.command("Acme call pricing promise: send the deck by Friday").reply()
    assert "Logged your contact with *Acme*" in str(reply)
    partner: Partner = only(rapport.db, Partner)  # type: ignore[assignment]
    with rapport.db.reading() as session:
        contacts = session.scalars(select(Interaction).order_by(Interaction.id)).all()
        assert [(c.note, c.partner_id) for c in contacts] == [
            ("setup", partner.id),
            ("pricing", partner.id),
        ]
        assert len(session.scalars(select(Promise)).all()) == 1


@ON_SQLITE
def test_a_text_that_asks_a_question_is_read_again_in_the_write_transaction(
    rapport: RunningRapport,
) -> None:
    """A text the reads cannot settle alone (here a new partner named like a known one) is
    answered from the write transaction's own reads: what changed between is seen there."""
    known(rapport)
    rapport.command("Acme call kickoff").reply()

    def forget_acme() -> None:
        with rapport.db.transaction() as session:
            session.execute(delete(Interaction))
            session.execute(delete(Partner))

    # Read first, "Acmee" looked like a slip for Acme; when it was written, no Acme was left:
    # a new partner is logged, as the text says, without a question about a partner now gone.
    with between_read_and_write(rapport, forget_acme):
        reply = rapport.command('"Acmee" call pricing').reply()
    assert "Logged your contact with *Acmee*" in str(reply)
    partner: Partner = only(rapport.db, Partner)  # type: ignore[assignment]
    assert partner.name == "Acmee"


def test_a_deadline_that_passes_between_the_read_and_the_write_saves_nothing_and_says_so(
    sqlite_db: Database, clock: ManualClock, slack: SlackStandIn
) -> None:
    """Another process holds the write lock from the command's read until past its deadline:
    the web layer answers that nothing was saved (in the asker's language, which the read
    taught it), and nothing is, not even once the lock is free again."""
    db = sqlite_db
    db.share_with_processes()
    running = RunningRapport(db, clock, slack, answer_seconds=1.0).start()
    other_process = another_process(db)
    try:
        running.command("Acme Anruf Auftakt", user=JONAS).reply()
        with between_read_and_write(running, lambda: other_process.acquire(5)):
            command = running.command("Acme Anruf Preise", user=JONAS)
        assert "Es wurde nichts gespeichert" in command.ack.get("text", "")
        other_process.release()
        running.wait_until_idle()
        with db.reading() as session:
            notes = [c.note for c in session.scalars(select(Interaction)).all()]
        assert notes == ["Auftakt"]
    finally:
        other_process.release()
        running.stop()


@ON_SQLITE
def test_a_member_made_a_guest_between_the_read_and_the_write_is_refused_as_in_one_process(
    rapport: RunningRapport,
) -> None:
    """Slack says meanwhile that the asker is a workspace guest (their profile read anew): the
    write refuses them as one transaction would, with nothing saved, and their reply shows
    none of the partner's contacts (the over-contact line names colleagues' calls)."""
    known(rapport)
    known(rapport, user=BOB)
    for note in ("kickoff", "pricing", "terms"):
        rapport.command(f"Acme call {note}", user=BOB).reply()

    def made_a_guest() -> None:
        with rapport.db.transaction() as session:
            alice = Member.slack_user_id == ALICE
            session.execute(update(Member).where(alice).values(is_guest=True))

    with between_read_and_write(rapport, made_a_guest):
        reply = str(rapport.command("Acme call follow-up").reply())
    assert "Rapport is for this company's own members" in reply
    assert "by <@U0BOB>" not in reply and "follow-up" not in reply
    with rapport.db.reading() as session:
        notes = [c.note for c in session.scalars(select(Interaction)).all()]
    assert notes == ["kickoff", "pricing", "terms"]
