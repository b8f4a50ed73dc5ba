"""Merging a partner kept twice, end to end: `/rapport merge NAME into OTHER`, its question and
buttons, over signed HTTP to the running app, on SQLite and PostgreSQL, in English and German.

After a merge the remaining partner's card, promises and next check-in are what they would have
been had everything been logged against it from the start: the same contacts are logged once
split over two partners that are then merged, and once against a control partner, and the two
are compared.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.blocks.nudge_dm import ACTION_SNOOZE
from bot.blocks.partner_card import ACTION_MERGE
from bot.rules.clock import ManualClock
from bot.rules.registry import FORGET_QUESTION_LIFETIME
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import AuditEntry, Bundle, Nudge, PartnerTrigram
from storage.queries.health.contact_times import refresh_contact_times
from tests.scenarios.test_partner_card_polish import collide
from tests.scenarios.test_partner_registry import (
    ALICE,
    BOB,
    JONAS,
    everything,
    names,
    partner_named,
    press,
    said,
    shown,
)
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons
from tests.support.nudges import at_berlin, current, dms, items_in, jobs_for, travel
from tests.support.nudges import press as press_nudge
from tests.support.rows import Interaction, Member, Partner, Promise, all_of

RAPPORT = "/rapport"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    """Log `text`; a new partner whose name is like a known one's is confirmed as new, as a
    person keeping a duplicate did."""
    reply = rapport.command(text, user=user).reply()
    if "Logged" not in reply["text"] and "Erfasst" not in reply["text"]:
        new = next(label for label in buttons(reply) if label.startswith(("New ", "Neuer ")))
        button = buttons(reply)[new]
        reply = rapport.click(button["action_id"], button["value"], user=user).later()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def ask(rapport: RunningRapport, text: str, user: str = ALICE) -> dict[str, Any]:
    return rapport.command(text, user=user, command=RAPPORT).reply()


def card_body(rapport: RunningRapport, name: str) -> str:
    """The card of `name` as shown, with the partner's name written as "NAME"."""
    return said(rapport, f'partner "{name}"').replace(name, "NAME")


# The same history, in the order it is logged; "{}" is the partner's name.
HISTORY = [
    "{} call 2026-06-02 first talk about the pilot",
    "{} meeting 2026-08-20 check-in on the rollout",
    "{} email 2026-10-05 promise: send the revised quote by 2026-12-04",
    "{} call 2026-11-02 they promised: the signed contract by 2026-12-09",
    "{} call yesterday talked about the budget",
]


def test_after_a_merge_history_promises_and_check_in_are_as_if_logged_there_from_the_start(
    rapport, jobs
) -> None:
    # Split over "Acme Ltd" (the duplicate) and "Acme", and all on "Control".
    for at, line in enumerate(HISTORY):
        logged(rapport, line.format('"Acme Ltd"' if at % 2 == 0 else "Acme"))
        logged(rapport, line.format("Control"))
    assert card_body(rapport, "Acme") != card_body(rapport, "Control")

    question = ask(rapport, "merge Acme Ltd into Acme")
    text = shown(question)
    assert "*Merge Acme Ltd into Acme?*" in text
    assert "contacts: 3" in text and "promises, both ways: 1" in text
    assert set(buttons(question)) == {"Merge into Acme", "Cancel"}
    assert names(rapport) == [("Acme", None), ("Acme Ltd", None), ("Control", None)]

    done = shown(press(rapport, question, "Merge into Acme"))

    assert "Merged *Acme Ltd* into *Acme*" in done and "contacts: 3" in done
    assert "*Last contacts* (5)" in done, "the reply is Acme's card"
    assert names(rapport) == [("Acme", None), ("Control", None)]
    assert card_body(rapport, "Acme") == card_body(rapport, "Control")
    acme, control = partner_named(rapport, "Acme"), partner_named(rapport, "Control")

    def promises_of(partner: Partner) -> list[tuple[str, date, str, str]]:
        return sorted(
            (p.text, p.due_on, p.promised_by, p.status)
            for p in all_of(rapport.db, Promise)
            if p.partner_id == partner.id
        )

    assert len(promises_of(acme)) == 2, "ours and theirs, both moved"
    assert promises_of(acme) == promises_of(control)
    # The planner sees one partner with the whole history: its check-in falls due as Control's.
    jobs.plan_once()
    planned = {
        n.subject_id: (n.kind, n.due_on, n.period)
        for n in all_of(rapport.db, Nudge)
        if n.kind == "check_in"
    }
    assert planned.get(acme.id) == planned.get(control.id) is not None
    with rapport.db.transaction() as session:
        gone = session.scalars(select(PartnerTrigram.partner_id).distinct()).all()
        assert sorted(gone) == sorted([acme.id, control.id])
    alice = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == ALICE)
    [audit] = all_of(rapport.db, AuditEntry)
    assert (audit.member_id, audit.action, audit.into_partner_id) == (
        alice.id,
        "merge_partner",
        acme.id,
    )


def test_the_remaining_partner_takes_only_what_it_lacks_in_german(rapport, slack) -> None:
    slack.add_user(JONAS, name="jonas", real_name="Jonas Weber", locale="de-DE", is_admin=True)
    logged(rapport, '"Acme GmbH" Anruf Projektstart')
    logged(rapport, "Acme Anruf Angebot besprochen")
    said(
        rapport,
        'partner "Acme GmbH" set email ana@acme.example tz Asia/Tokyo prefers phone max-contacts 5',
    )
    said(rapport, "partner Acme set prefers email cadence 60")
    known(rapport, JONAS)

    question = ask(rapport, "zusammenführen Acme GmbH in Acme", user=JONAS)

    text = shown(question)
    assert "*Acme GmbH mit Acme zusammenführen?*" in text
    assert (
        "Von Acme GmbH übernimmt er, was ihm noch fehlt: E-Mail, Zeitzone, Kontaktgrenze." in text
    )
    assert set(buttons(question)) == {"Mit Acme zusammenführen", "Abbrechen"}
    done = shown(press(rapport, question, "Mit Acme zusammenführen", user=JONAS))
    assert "*Acme GmbH* ist mit *Acme* zusammengeführt" in done
    acme = partner_named(rapport, "Acme")
    assert (acme.email, acme.tz, acme.tz_source) == ("ana@acme.example", "Asia/Tokyo", "typed")
    assert (acme.preferred_channel, acme.cadence_days) == ("email", 60), "its own kept"
    assert acme.max_contacts == 5
    assert [i.partner_id for i in all_of(rapport.db, Interaction)] == [acme.id, acme.id]


def test_a_slack_connect_duplicate_hands_its_slack_user_to_the_partner_that_remains(
    rapport,
) -> None:
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    logged(rapport, '"Kenji" (Sato Trading) call kickoff')

    question = ask(rapport, "merge <@U0KENJI|kenji> into Kenji (Sato Trading)")
    assert "it takes what it does not have yet: e-mail, Slack user, time zone" in shown(question)
    press(rapport, question, "Merge into Kenji (Sato Trading)")

    kenji = partner_named(rapport, "Kenji")
    assert (kenji.slack_user_id, kenji.email) == ("U0KENJI", "kenji@partner.example")
    # Logging with the mention now finds the partner that remains.
    logged(rapport, "<@U0KENJI|kenji> email sent the minutes")
    assert names(rapport) == [("Kenji", "Sato Trading")]


def test_bad_merges_are_refused_and_change_nothing(rapport, slack) -> None:
    logged(rapport, '"Acme Corp" call kickoff')
    logged(rapport, '"Acme Corp" (Acme Holding) call kickoff')
    logged(rapport, "Globex call kickoff")
    logged(rapport, "Initech call kickoff", user=BOB)
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    slack.add_user("U0MIKA", name="mika", real_name="Mika Sato", team_id="T0PARTNER")
    rapport.command("<@U0MIKA|mika> call talked about the Osaka pilot").later()
    known(rapport, JONAS)
    before = everything(rapport.db)

    assert "Name both: `/rapport merge Acme Ltd into Acme`" in said(rapport, "merge")
    assert "Nenne beide" in said(rapport, "zusammenführen Globex", user=JONAS)
    assert "*Globex* and *Globex* are the same partner" in said(rapport, "merge Globex into globex")
    unknown = said(rapport, "merge Globx into Globex")
    assert "I don't know a partner called *Globx*. Did you mean *Globex*?" in unknown
    shared = said(rapport, "merge Acme Corp into Globex")
    assert "*Acme Corp*, *Acme Corp (Acme Holding)*" in shared
    bobs = said(rapport, "merge Globex into Initech")
    assert "*Globex* is looked after by <@U0ALICE>, *Initech* by <@U0BOB>" in bobs
    german = said(rapport, "zusammenführen Globex in Initech", user=JONAS)
    assert "Nur wer für beide Partner zuständig ist" in german
    two = said(rapport, "merge <@U0KENJI|kenji> into <@U0MIKA|mika>")
    assert "two different people in Slack (<@U0KENJI> and <@U0MIKA>)" in two

    assert everything(rapport.db) == before


def test_only_the_asker_may_press_and_only_in_time(rapport, clock) -> None:
    logged(rapport, '"Acme Ltd" call kickoff')
    logged(rapport, "Acme call kickoff")
    known(rapport, BOB)
    question = ask(rapport, "merge Acme Ltd into Acme")
    before = everything(rapport.db)

    value = buttons(question)["Merge into Acme"]["value"]
    stolen = shown(rapport.click(ACTION_MERGE, value, user=BOB).later())
    assert "That question was for someone else: nothing was merged." in stolen
    bob = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == BOB)
    ids, _, asked = value.split(":")
    made_up = shown(rapport.click(ACTION_MERGE, f"{ids}:{bob.id}:{asked}", user=BOB).later())
    assert "Only whoever looks after both partners" in made_up
    for nonsense in ("", "1:2:3", f"{ids.split('+')[0]}:{bob.id}:{asked}", "1+2+3:1:1", "a+b:1:1"):
        assert "That question has expired" in shown(
            rapport.click(ACTION_MERGE, nonsense, user=BOB).later()
        )
    assert "Cancelled: nothing was merged." in shown(press(rapport, question, "Cancel"))
    clock.advance(FORGET_QUESTION_LIFETIME + timedelta(seconds=1))
    late = shown(press(rapport, question, "Merge into Acme"))
    assert "That question has expired, and nothing was merged." in late
    assert everything(rapport.db) == before


def test_a_second_press_finds_the_partner_gone(rapport) -> None:
    logged(rapport, '"Acme Ltd" call kickoff')
    logged(rapport, "Acme call kickoff")
    question = ask(rapport, "merge Acme Ltd into Acme")
    assert "Merged *Acme Ltd*" in shown(press(rapport, question, "Merge into Acme"))

    again = shown(press(rapport, question, "Merge into Acme"))

    assert "One of the two partners is no longer in Rapport" in again
    assert len(all_of(rapport.db, AuditEntry)) == 1


def test_a_name_holding_the_into_word_is_read_as_the_partners_it_names(rapport) -> None:
    logged(rapport, '"Made in Berlin GmbH" call kickoff')
    logged(rapport, '"Made in Berlin" call kickoff')

    question = ask(rapport, "merge Made in Berlin GmbH in Made in Berlin")

    assert "*Merge Made in Berlin GmbH into Made in Berlin?*" in shown(question)


def _two_check_in_dms(rapport, clock, slack, jobs) -> tuple[dict[str, Any], int, int]:
    """Alice's DM with two check-ins that fell due on 24 November: Acme Ltd's and Acme's."""
    logged(rapport, '"Acme Ltd" call 2026-08-26 talked about the rollout')
    logged(rapport, "Acme call 2026-08-26 talked about the rollout")
    travel(clock, jobs, at_berlin(2026, 11, 26, 10, 0))
    [(_, message)] = dms(slack)
    duplicate, acme = partner_named(rapport, "Acme Ltd").id, partner_named(rapport, "Acme").id
    assert {("check_in", duplicate), ("check_in", acme)} <= set(items_in(message))
    return message, duplicate, acme


def test_of_two_nudges_for_one_day_the_answered_one_is_kept(rapport, clock, slack, jobs) -> None:
    message, duplicate, acme = _two_check_in_dms(rapport, clock, slack, jobs)
    press_nudge(rapport, message, "check_in", duplicate, ACTION_SNOOZE, option="week")
    snoozed_until = partner_named(rapport, "Acme Ltd").check_in_snoozed_until
    assert snoozed_until == date(2026, 12, 3)

    question = ask(rapport, "merge Acme Ltd into Acme")
    assert "its later snoozed check-in" in shown(question)
    press(rapport, question, "Merge into Acme")

    [kept] = [n for n in all_of(rapport.db, Nudge) if n.kind == "check_in"]
    assert (kept.subject_id, kept.answer, kept.answer_until) == (acme, "snoozed", snoozed_until)
    assert partner_named(rapport, "Acme").check_in_snoozed_until == snoozed_until
    # The DM Slack shows still names the partner that went; its buttons say it is gone.
    redrawn = current(slack, message)
    assert "Acme Ltd" in str(redrawn["blocks"])


def test_a_merge_waits_while_a_dm_about_either_partner_is_being_sent(
    rapport, clock, slack, jobs
) -> None:
    _, duplicate, _ = _two_check_in_dms(rapport, clock, slack, jobs)
    question = ask(rapport, "merge Acme Ltd into Acme")
    with rapport.db.transaction() as session:
        bundle_id = session.scalars(
            select(Nudge.bundle_id).where(Nudge.subject_id == duplicate)
        ).first()
        session.get_one(Bundle, bundle_id).state = "sending"
    before = everything(rapport.db)

    waiting = shown(press(rapport, question, "Merge into Acme"))

    assert "A nudge DM about *Acme Ltd* or *Acme* is being sent right now" in waiting
    assert everything(rapport.db) == before


def test_undo_of_an_edit_made_before_the_merge_returns_to_the_partner_that_remains(
    rapport,
) -> None:
    logged(rapport, '"Acme Ltd" call kickoff with the new team')
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex call kickoff")
    contact = next(i for i in all_of(rapport.db, Interaction) if "new team" in i.note)
    duplicate = partner_named(rapport, "Acme Ltd").id
    globex = partner_named(rapport, "Globex").id
    # An edit that moved the contact to Globex remembers it as Acme Ltd's.
    with rapport.db.transaction() as session:
        row = session.get_one(Interaction, contact.id)
        row.partner_id = globex
        row.before_edit = (
            '[{"token": "0123456789abcdef", "created_partner": null, "state": '
            f'{{"partner_id": {duplicate}, "occurred_at": "{row.occurred_at.isoformat()}", '
            '"has_time": false, "medium": "call", "kind": "contact", "direction": "mutual", '
            '"note": "kickoff with the new team", "promise": null}}]'
        )

    question = ask(rapport, "merge Acme Ltd into Acme")
    press(rapport, question, "Merge into Acme")

    moved = next(i for i in all_of(rapport.db, Interaction) if i.id == contact.id)
    assert f'"partner_id": {partner_named(rapport, "Acme").id},' in (moved.before_edit or "")
    assert f'"partner_id": {duplicate},' not in (moved.before_edit or "")


def test_partners_kept_apart_by_a_name_collision_merge_by_naming_the_name_twice(rapport) -> None:
    logged(rapport, "Müller call kickoff")
    collide(rapport, "Müller", "Mu\u0308ller")
    kept = partner_named(rapport, "Müller")
    twin = partner_named(rapport, "Mu\u0308ller")
    with rapport.db.transaction() as session:
        session.add(
            Interaction(
                workspace_id=twin.workspace_id,
                partner_id=twin.id,
                member_id=kept.owner_id,
                occurred_at=kept.created_at,
                note="the twin's contact",
                created_at=kept.created_at,
            )
        )
        refresh_contact_times(session, [twin.id])

    question = ask(rapport, "merge Müller into Müller")
    assert "*Merge Mu\u0308ller into Müller?*" in shown(question)
    assert "contacts: 1" in shown(question)
    press(rapport, question, "Merge into Müller")

    [remaining] = all_of(rapport.db, Partner)
    assert (remaining.id, remaining.key_collision, remaining.name_key) == (
        kept.id,
        False,
        "mueller",
    )
    assert {i.partner_id for i in all_of(rapport.db, Interaction)} == {kept.id}
    # Without a twin, the same words name one partner: nothing to merge.
    assert "are the same partner" in said(rapport, "merge Müller into Müller")
