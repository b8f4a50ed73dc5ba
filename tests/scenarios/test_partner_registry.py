"""Fixing the registry, end to end: `/rapport partner NAME rename NEW` and `/rapport forget NAME`
with its question and buttons, over signed HTTP to the running app, on SQLite and PostgreSQL, in
English and German. After a partner is forgotten no row of any table holds its name, e-mail or
notes, and on SQLite neither do the bytes of the database file, its `-wal` or its `-shm`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import String, Text, select

from bot.blocks.nudge_dm import ACTION_CHECK_IN
from bot.blocks.partner_card import ACTION_FORGET, ACTION_FORGET_CANCEL
from bot.rules.clock import ManualClock
from bot.rules.registry import FORGET_QUESTION_LIFETIME
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.db import Database
from storage.models import AuditEntry, Base, Nudge, PartnerTrigram, PendingCommand
from storage.queries.partners import similar_partners
from storage.vocabulary import name_key
from tests.support.app import Command, RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.nudges import check_in_dm, jobs_for
from tests.support.nudges import press as press_nudge
from tests.support.rows import Interaction, Member, Partner, Promise, all_of, count

ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"
RAPPORT = "/rapport"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


# --- helpers -------------------------------------------------------------------------------------


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def rapport_says(rapport: RunningRapport, text: str, user: str = ALICE) -> Command:
    return rapport.command(text, user=user, command=RAPPORT)


def shown(message: dict[str, Any]) -> str:
    assert len(message.get("blocks", [])) <= 50
    for block in message.get("blocks", []):
        Block.parse(block).validate_json()
    return (texts(message) + "\n" + message.get("text", "")).replace("\u202f", " ")


def said(rapport: RunningRapport, text: str, user: str = ALICE) -> str:
    return shown(rapport_says(rapport, text, user).reply())


def names(rapport: RunningRapport) -> list[tuple[str, str | None]]:
    return sorted((p.name, p.organisation) for p in all_of(rapport.db, Partner))


def partner_named(rapport: RunningRapport, name: str) -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == name)


# Every request adds its signature here, whatever it asks for.
BOOKKEEPING = {"seen_requests", "processed_events"}


def everything(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the requests' bookkeeping, to compare before and after."""
    with db.transaction() as session:
        return {
            table.name: sorted(map(tuple, session.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def texts_holding(db: Database, needles: list[str]) -> list[str]:
    """Where any text column of any table holds one of `needles` (compared case-folded):
    "table.column" for each hit. Every table of the models is read, so a table added later is
    searched too."""
    folded = [n.casefold() for n in needles]
    hits = []
    with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            for row in session.execute(select(*columns)) if columns else []:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str) and any(n in value.casefold() for n in folded):
                        hits.append(f"{table.name}.{column.name}")
    return hits


def file_bytes(db: Database) -> dict[str, bytes]:
    """The SQLite database file and its `-wal` and `-shm` files, where they exist."""
    assert db.path is not None
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(str(db.path) + suffix)
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def ask_to_forget(rapport: RunningRapport, text: str, user: str = ALICE) -> dict[str, Any]:
    return rapport_says(rapport, text, user).reply()


def press(
    rapport: RunningRapport, question: dict[str, Any], label: str, user: str = ALICE
) -> dict[str, Any]:
    """Press a button of the question; what replaces the question."""
    button = buttons(question)[label]
    return rapport.click(button["action_id"], button["value"], user=user).later()


# --- rename --------------------------------------------------------------------------------------


def test_renaming_in_english_and_german_keeps_history_and_finds_the_new_name(rapport) -> None:
    logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    logged(rapport, '"Jens Ohlsen" (Nordwind GmbH) Treffen', user=JONAS)

    reply = said(rapport, 'partner Acme rename "Acme Corp" (Acme Holding)')

    assert "*Acme* is now called *Acme Corp (Acme Holding)*." in reply
    assert "*Last contacts* (1)" in reply and "send the quote" in reply
    renamed = partner_named(rapport, "Acme Corp")
    assert (renamed.name_key, renamed.organisation_key) == ("acme corp", "acme holding")
    assert next(i.partner_id for i in all_of(rapport.db, Interaction)) == renamed.id
    with rapport.db.transaction() as session:
        near = similar_partners(session, renamed.workspace_id, "Acme Crop")
    assert [p.name for p in near] == ["Acme Corp"], "the trigrams follow the new name"
    assert "Acme Corp" in said(rapport, "partners search corp")

    german = said(rapport, 'partner "Jens Ohlsen" umbenennen Jens Olsen', user=JONAS)
    assert "*Jens Ohlsen (Nordwind GmbH)* heißt jetzt *Jens Olsen (Nordwind GmbH)*." in german
    assert names(rapport) == [("Acme Corp", "Acme Holding"), ("Jens Olsen", "Nordwind GmbH")]

    # Only the case changes: the same keys, allowed; the same name: nothing to do.
    assert "is now called *ACME CORP (Acme Holding)*" in said(
        rapport, 'partner "Acme Corp" rename "ACME CORP"'
    )
    assert "already called that" in said(rapport, 'partner "ACME CORP" rename "ACME CORP"')


def test_only_the_owner_or_an_admin_renames_a_partner_someone_looks_after(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    said_by_bob = said(rapport, "partner Acme rename Bobs Acme", user="U0BOB")
    assert "<@U0ALICE> looks after *Acme*; only they or a Slack workspace admin can rename it" in (
        said_by_bob
    )
    assert names(rapport) == [("Acme", None)]

    known(rapport, JONAS)
    logged(rapport, "Globex Anruf Auftakt", user=JONAS)
    refused = said(rapport, "partner Globex umbenennen Globex AG", user="U0BOB")
    assert "only they or a Slack workspace admin can rename it" in refused


@pytest.mark.parametrize(
    ("user", "typed", "expected"),
    [
        (ALICE, "partner Acme rename <https://evil.example|Acme>", "`https://evil.example`"),
        (ALICE, "partner Acme rename Acme (<mailto:a@b.example|a@b.example>)", "`a@b.example`"),
        (ALICE, "partner Acme rename Acme\u202eevil", "(U+202E, character 5)"),
        (JONAS, "partner Acme umbenennen", "Wie soll der Partner heißen?"),
        (JONAS, "partner Acme umbenennen ---", "Wie soll der Partner heißen?"),
        (ALICE, "partner Acme rename " + "x" * 201, "The new name has 201 characters; at most 200"),
        (
            JONAS,
            "partner Acme umbenennen Acme (" + "ß" * 250 + ")",
            "Der neue Name hat 250 Zeichen",
        ),
    ],
)
def test_a_bad_new_name_is_refused_and_changes_nothing(
    rapport, user: str, typed: str, expected: str
) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    before = everything(rapport.db)

    reply = said(rapport, typed, user=user)

    title = "I couldn't rename *Acme*." if user == ALICE else "Ich konnte *Acme* nicht umbenennen."
    assert title in reply and expected in reply, reply
    assert everything(rapport.db) == before


def test_a_new_name_another_partner_has_is_refused_naming_it(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, '"Globex" (Initech) call kickoff')
    logged(rapport, "Umbrella call kickoff", user=JONAS)
    before = everything(rapport.db)

    reply = said(rapport, 'partner Acme rename "GLOBEX" (initech)')
    assert "I couldn't rename *Acme*: another partner is already called *Globex (Initech)*" in reply

    german = said(rapport, "partner Umbrella umbenennen acme", user=JONAS)
    assert (
        "Ich konnte *Umbrella* nicht umbenennen: Ein anderer Partner heißt schon *Acme*" in german
    )
    assert everything(rapport.db) == before

    # The same name at another organisation is another partner's name no longer.
    assert "is now called *Globex (Acme)*" in said(rapport, "partner Acme rename Globex (Acme)")


def test_an_unknown_or_shared_name_is_answered_as_on_the_card(rapport) -> None:
    logged(rapport, '"Jens Ohlsen" (Nordwind GmbH) Treffen', user=JONAS)
    logged(rapport, '"Jens Ohlsen" (Südwind AG) Anruf', user=JONAS)
    known(rapport, ALICE)
    before = everything(rapport.db)

    assert "I don't know a partner called *Jens Olsn*" in said(
        rapport, 'partner "Jens Olsn" rename Jens'
    )
    several = said(rapport, 'partner "Jens Ohlsen" umbenennen Jens', user=JONAS)
    assert "Mehrere Partner heißen *Jens Ohlsen*" in several
    assert everything(rapport.db) == before


def test_a_name_holding_the_command_words_is_read_as_the_partner_it_names(rapport) -> None:
    logged(rapport, '"Data Rename Ltd" call kickoff')
    logged(rapport, '"Set Forget Co" call kickoff')

    assert "*Data Rename Ltd*" in said(rapport, "partner Data Rename Ltd")
    reply = said(rapport, "partner Data Rename Ltd rename Data Rename AG")
    assert "*Data Rename Ltd* is now called *Data Rename AG*." in reply
    reply = said(rapport, "partner Set Forget Co rename Owner Inc")
    assert "*Set Forget Co* is now called *Owner Inc*." in reply
    assert names(rapport) == [("Data Rename AG", None), ("Owner Inc", None)]


# --- forget --------------------------------------------------------------------------------------

SECRETS = ["Quorvexa", "Quorvexo", "ana@quorvexa.example", "Zyxwv", "Plumbago"]


def test_forgetting_erases_the_partner_from_every_table_and_the_files(rapport, jobs, slack) -> None:
    logged(rapport, "Quorvexo call 2026-08-26 the Zyxwv rollout, with Ana")
    logged(rapport, "Quorvexo email yesterday promise: send the Plumbago quote by Friday")
    logged(rapport, "Quorvexo meeting today they promised: the signed contract by Thursday")
    # Renamed and its profile changed: the old values must not survive in the file either.
    said(rapport, "partner Quorvexo rename Quorvexa")
    said(rapport, "partner Quorvexa set email ana@quorvexa.example cadence 30 org Quorvexa Group")
    logged(rapport, "Globex call talked about the Initech deal")
    jobs.plan_once()  # the overdue check-in and the promises are nudged about
    # Jonas's question about a new "Quorvexa (Nordwind)" waits with the name in its text.
    known(rapport, JONAS)
    assert "keiner deiner Partner" in texts(
        rapport.command('"Quorvexa" (Nordwind)', user=JONAS).reply()
    )
    forgotten = partner_named(rapport, "Quorvexa")
    pending = [n for n in all_of(rapport.db, Nudge) if n.state == "pending"]
    assert pending, "nudges wait for a DM"

    question = ask_to_forget(rapport, "forget Quorvexa")

    text = shown(question)
    assert "*Forget Quorvexa (Quorvexa Group)?*" in text
    assert "contacts: 3" in text and "promises, both ways: 2" in text
    assert f"nudges not yet sent: {len(pending)}" in text
    assert set(buttons(question)) == {"Forget Quorvexa (Quorvexa Group)", "Cancel"}
    assert buttons(question)["Forget Quorvexa (Quorvexa Group)"]["style"] == "danger"
    assert names(rapport) == [("Globex", None), ("Quorvexa", "Quorvexa Group")], "asked only"

    done = shown(press(rapport, question, "Forget Quorvexa (Quorvexa Group)"))

    assert "Rapport has forgotten *Quorvexa (Quorvexa Group)*" in done
    assert "contacts: 3" in done and "promises, both ways: 2" in done, "as the question said"
    assert f"nudges not yet sent: {len(pending)}" in done
    assert names(rapport) == [("Globex", None)]
    assert texts_holding(rapport.db, SECRETS) == []
    with rapport.db.transaction() as session:
        trigrams = session.scalars(
            select(PartnerTrigram).where(PartnerTrigram.partner_id == forgotten.id)
        ).all()
        assert trigrams == []
        outbox = session.scalars(select(Nudge)).all()
        assert all(n.kind == "check_in" and n.subject_id != forgotten.id for n in outbox)
    assert count(rapport.db, Promise) == 0 and count(rapport.db, PendingCommand) == 0
    assert [i.note for i in all_of(rapport.db, Interaction)] == ["talked about the Initech deal"]
    alice = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == ALICE)
    [audit] = all_of(rapport.db, AuditEntry)
    assert (audit.member_id, audit.action, audit.partner_id) == (
        alice.id,
        "forget_partner",
        forgotten.id,
    )
    if rapport.db.backend == "sqlite":
        for name, data in file_bytes(rapport.db).items():
            for secret in SECRETS:
                for form in {secret, secret.casefold(), name_key(secret)}:
                    assert form.encode() not in data.lower(), f"{secret!r} in {name}"
            assert b"globex" in data.lower() or name.endswith(("-wal", "-shm")), "data kept"

    # The planner and dispatcher carry on without it.
    jobs.plan_once()
    assert names(rapport) == [("Globex", None)]


def test_forgetting_erases_its_hand_over_announcements_too(rapport, slack) -> None:
    slack.add_user(JONAS, name="jonas", real_name="Jonas Weber", locale="de-DE", is_admin=True)
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    known(rapport, JONAS)
    said(rapport, "partner Acme owner <@U0BOB|bob>", user=JONAS)  # Bob and Alice are to be told
    acme = partner_named(rapport, "Acme")
    told = [n.kind for n in all_of(rapport.db, Nudge) if n.subject_id == acme.id]
    assert sorted(told) == ["handed_away", "handed_over"]

    question = ask_to_forget(rapport, "vergessen Acme", user=JONAS)
    press(rapport, question, "Acme vergessen", user=JONAS)

    assert [n for n in all_of(rapport.db, Nudge) if n.subject_id == acme.id] == []


def test_an_admin_may_forget_anyones_partner_in_german(rapport, slack) -> None:
    slack.add_user(JONAS, name="jonas", real_name="Jonas Weber", locale="de-DE", is_admin=True)
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex call kickoff")
    known(rapport, JONAS)

    question = ask_to_forget(rapport, "vergessen Acme", user=JONAS)

    text = shown(question)
    assert "*Acme vergessen?*" in text and "Kontakte: 1" in text
    assert set(buttons(question)) == {"Acme vergessen", "Abbrechen"}
    done = shown(press(rapport, question, "Acme vergessen", user=JONAS))
    assert "Rapport hat *Acme* vergessen" in done
    assert names(rapport) == [("Globex", None)]


def test_someone_neither_owner_nor_admin_is_refused_and_nothing_changes(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    known(rapport, BOB)
    question = ask_to_forget(rapport, "forget Acme")
    before = everything(rapport.db)

    refused = said(rapport, "forget Acme", user=BOB)
    assert "Only whoever looks after *Acme* (<@U0ALICE>) or a workspace admin" in refused
    german = said(rapport, "vergessen acme", user=JONAS)
    assert "Nur wer für *Acme* zuständig ist (<@U0ALICE>) oder ein Workspace-Admin" in german

    # Alice's question, pressed by Bob (its value copied): someone else's, refused.
    button = buttons(question)["Forget Acme"]
    stolen = rapport.click(ACTION_FORGET, button["value"], user=BOB).later()
    assert "That question was for someone else: nothing was forgotten." in shown(stolen)
    # A value made up by Bob for himself: the rule still says no.
    bob = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == BOB)
    partner_id, _, asked = button["value"].split(":")
    made_up = rapport.click(ACTION_FORGET, f"{partner_id}:{bob.id}:{asked}", user=BOB).later()
    assert "Only whoever looks after *Acme*" in shown(made_up)
    for value in ("", "x:y:z", f"{partner_id}:{bob.id}:999999999999", "1:2", "1:2:²"):
        nonsense = rapport.click(ACTION_FORGET, value, user=BOB).later()
        assert "That question has expired" in shown(nonsense)
    assert everything(rapport.db) == before


def test_a_partner_nobody_looks_after_is_an_admins_to_forget(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    acme = partner_named(rapport, "Acme").id
    with rapport.db.transaction() as session:
        session.get_one(Partner, acme).owner_id = None
    before = everything(rapport.db)

    refused = said(rapport, "forget Acme")
    assert "Nobody looks after *Acme*, so only a workspace admin" in refused
    assert everything(rapport.db) == before


def test_cancel_and_a_late_press_change_nothing(rapport, clock) -> None:
    logged(rapport, "Acme call kickoff promise: call back by Friday")
    logged(rapport, "Globex call kickoff", user=JONAS)
    before = everything(rapport.db)

    question = ask_to_forget(rapport, "forget Acme")
    cancelled = shown(press(rapport, question, "Cancel"))
    assert "Cancelled: nothing was forgotten." in cancelled
    assert everything(rapport.db) == before

    german = ask_to_forget(rapport, "vergessen Globex", user=JONAS)
    clock.advance(FORGET_QUESTION_LIFETIME + timedelta(seconds=1))
    late = shown(press(rapport, german, "Globex vergessen", user=JONAS))
    assert "Diese Frage ist verfallen, und es wurde nichts vergessen." in late
    assert everything(rapport.db) == before
    assert "Abgebrochen: Es wurde nichts vergessen." in shown(
        press(rapport, german, "Abbrechen", user=JONAS)
    )


def test_forgetting_nobody_or_an_unknown_name_says_so(rapport) -> None:
    logged(rapport, '"Acme Corp" call kickoff')
    known(rapport, JONAS)

    assert "Which partner should I forget?" in said(rapport, "forget")
    assert "Welchen Partner soll ich vergessen?" in said(rapport, "vergessen", user=JONAS)
    unknown = said(rapport, "forget Acme Crop")
    assert "I don't know a partner called *Acme Crop*. Did you mean *Acme Corp*?" in unknown
    assert names(rapport) == [("Acme Corp", None)]


def test_a_second_press_after_forgetting_finds_nothing_more(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    question = ask_to_forget(rapport, "forget Acme")
    assert "has forgotten *Acme*" in shown(press(rapport, question, "Forget Acme"))

    again = shown(press(rapport, question, "Forget Acme"))

    assert "That partner is no longer in Rapport" in again
    assert len(all_of(rapport.db, AuditEntry)) == 1
    assert ACTION_FORGET_CANCEL  # the Cancel action is wired (pressed above in its own test)


def test_a_nudge_dm_already_in_slack_answers_that_the_partner_is_gone(
    rapport, clock, slack, jobs
) -> None:
    message, partner_id = check_in_dm(rapport, clock, slack, jobs)
    question = ask_to_forget(rapport, "forget Acme")
    assert "has forgotten *Acme*" in shown(press(rapport, question, "Forget Acme"))
    assert "Acme" in str(message["blocks"]), "the DM Slack shows cannot be recalled"

    url = press_nudge(rapport, message, "check_in", partner_id, ACTION_CHECK_IN)

    # The DM's response_url has expired by now: the answer comes as an ephemeral message.
    answers = [*slack.responses(url), *slack.ephemerals()]
    assert any("That item no longer exists" in texts(a) for a in answers), answers
    assert slack.views() == [] and names(rapport) == []


def test_a_slack_connect_partner_is_forgotten_with_what_slack_told_about_them(rapport) -> None:
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    assert names(rapport) == [("Kenji Sato", None)]
    assert partner_named(rapport, "Kenji Sato").email == "kenji@partner.example"

    question = ask_to_forget(rapport, "forget <@U0KENJI|kenji>")
    assert "has forgotten *Kenji Sato*" in shown(press(rapport, question, "Forget Kenji Sato"))

    assert texts_holding(rapport.db, ["Kenji", "kenji@partner.example", "U0KENJI", "Osaka"]) == []
