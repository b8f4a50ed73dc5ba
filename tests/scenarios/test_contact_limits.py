"""Over-contact and one-sided relationships, end to end over signed HTTP, on SQLite and
PostgreSQL, in English and German. Today is Wednesday 25 November 2026, 10:00 in Berlin.

- the reply to a logged contact (text, form, "Log as contact", a "did you mean" move) says so
  kindly when it makes the contacts we started with a partner in 14 days reach the threshold,
  naming who else was in touch and when; the partner card shows the same count;
- the partner profile sets another threshold or turns it off; a bad value changes nothing;
- a partner whose directed contacts all went one way is told of once in the owner's next DM.
"""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.replies import ACTION_EDIT, ACTION_UNDO
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Interaction, Partner
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.nudges import at_berlin, dms, jobs_for, travel
from tests.support.rows import all_of, count

ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"
RAPPORT = "/rapport"
HINT_EN = "Quality over quantity"
HINT_DE = "Qualität vor Quantität"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def checked(message: dict[str, Any]) -> dict[str, Any]:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    return message


def log(rapport: RunningRapport, text: str, user: str = ALICE) -> dict[str, Any]:
    known(rapport, user)
    reply = checked(rapport.command(text, user=user).reply())
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]
    return reply


def shown(message: dict[str, Any]) -> str:
    return texts(message) + "\n" + message.get("text", "")


def button(summary: dict[str, Any], action_id: str) -> dict[str, Any]:
    [found] = [b for b in buttons(summary).values() if b["action_id"] == action_id]
    return found


def card(rapport: RunningRapport, user: str = ALICE, name: str = "Acme") -> str:
    return shown(checked(rapport.command(f"partner {name}", user=user, command=RAPPORT).reply()))


def acme(rapport: RunningRapport) -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == "Acme")


# --- over-contact: the reply -------------------------------------------------------------------


def test_the_third_contact_we_started_in_14_days_names_who_else_was_in_touch(rapport) -> None:
    first = log(rapport, "Acme email 2026-11-23 sent the offer", user=BOB)
    second = log(rapport, "Acme call yesterday")
    assert HINT_EN not in shown(first) and HINT_EN not in shown(second)

    third = log(rapport, "Acme meeting about the pilot")

    blocks = texts(third)
    assert blocks.index("Logged your contact with *Acme*") < blocks.index(HINT_EN)
    line = (
        ":seedling: That's 3 contacts we started with Acme in 14 days: this one, a call by you "
        "yesterday and an e-mail by <@U0BOB> on Monday. Quality over quantity: maybe bundle the "
        "next one."
    )
    assert line in blocks
    assert line in third["text"]  # the notification says it too
    assert (
        "Contacts we started, 14 days*\n3 (from 3, Rapport notes that it is a lot "
        "when you log one)" in card(rapport)
    )


def test_in_german_the_line_names_the_colleagues_in_the_readers_words(rapport) -> None:
    log(rapport, "Acme video 2026-11-20", user=BOB)
    log(rapport, "Acme anruf gestern")

    reply = log(rapport, "Acme telefon nachgefasst", user=JONAS)

    assert (
        ":seedling: Das sind 3 Kontakte mit Acme, die wir in 14 Tagen begonnen haben: dieser, ein "
        "Anruf von <@U0ALICE> gestern und ein Videocall von <@U0BOB> am Freitag. Qualität vor "
        "Quantität: vielleicht beim nächsten Mal mehreres bündeln."
    ) in shown(reply)
    assert (
        "Von uns begonnen, 14 Tage*\n3 (ab 3 sagt Rapport beim Erfassen, dass es viele sind)"
        in card(rapport, user=JONAS)
    )


def test_in_german_a_back_dated_contact_is_counted_not_numbered(rapport) -> None:
    # The contact logged here happened before the other two: it is not "the 3rd" of them,
    # so the German line says how many there are, as the English one does, and the advice
    # is about the next contact (masculine), in plain German.
    log(rapport, "Acme anruf gestern", user=JONAS)
    log(rapport, "Acme email heute", user=BOB)

    reply = log(rapport, "Acme treffen 2026-11-20", user=JONAS)

    assert (
        ":seedling: Das sind 3 Kontakte mit Acme, die wir in 14 Tagen begonnen haben: dieser, eine "
        "E-Mail von <@U0BOB> heute und ein Anruf von dir gestern. Qualität vor Quantität: "
        "vielleicht beim nächsten Mal mehreres bündeln."
    ) in shown(reply)
    assert "3. Kontakt" not in shown(reply)


def test_contacts_the_partner_started_and_problems_are_never_counted(rapport) -> None:
    log(rapport, "Acme call received they asked about prices")
    log(rapport, "Acme problem delivery late", user=BOB)
    log(rapport, "Acme email gave sent the figures")

    reply = log(rapport, "Acme call")
    assert HINT_EN not in shown(reply)
    assert (
        "Contacts we started, 14 days*\n2 (from 3, Rapport notes that it is a lot "
        "when you log one)" in card(rapport)
    )
    # Logged third, a contact the partner started does not warn either.
    third_received = log(rapport, "Acme message erhalten", user=JONAS)
    assert HINT_DE not in shown(third_received)
    assert HINT_EN in shown(log(rapport, "Acme meeting"))


def test_a_contact_14_days_ago_is_outside_the_window(rapport) -> None:
    log(rapport, "Acme call 2026-11-11")
    log(rapport, "Acme call 2026-11-20")
    assert HINT_EN not in shown(log(rapport, "Acme email"))
    reply = log(rapport, "Acme call 2026-11-12")  # back-dated into the window: it counts
    assert "That's 3 contacts we started with Acme in 14 days" in shown(reply)


def test_a_contact_back_dated_before_the_window_is_history_and_says_nothing(rapport) -> None:
    log(rapport, "Acme call yesterday")
    log(rapport, "Acme call")
    reply = log(rapport, "Acme meeting 2026-09-01 old notes")
    assert HINT_EN not in shown(reply)
    assert (
        "Contacts we started, 14 days*\n2 (from 3, Rapport notes that it is a lot "
        "when you log one)" in card(rapport)
    )


def test_an_edit_and_an_undo_do_not_say_it_again(rapport) -> None:
    log(rapport, "Acme call yesterday")
    log(rapport, "Acme call")
    third = log(rapport, "Acme email")
    assert HINT_EN in shown(third)

    edit = button(third, ACTION_EDIT)
    clicked = rapport.click(edit["action_id"], edit["value"])
    view = rapport.slack.views()[-1]
    answer = rapport.submit(view, state_from(view, note="changed the note"))
    assert answer.status == 200 and answer.body == ""
    updated = checked(clicked.later())
    assert "Updated your contact with *Acme*" in texts(updated)
    assert HINT_EN not in shown(updated)

    undo = button(updated, ACTION_UNDO)
    undone = checked(rapport.click(undo["action_id"], undo["value"]).later())
    assert HINT_EN not in shown(undone)
    fully = button(undone, ACTION_UNDO)
    gone = checked(rapport.click(fully["action_id"], fully["value"]).later())
    assert HINT_EN not in shown(gone)
    assert (
        "Contacts we started, 14 days*\n2 (from 3, Rapport notes that it is a lot "
        "when you log one)" in card(rapport)
    )


def test_the_form_says_it_too(rapport) -> None:
    log(rapport, "Acme call yesterday", user=BOB)
    log(rapport, "Acme call")
    partner_id = acme(rapport).id
    known(rapport, JONAS)
    command = rapport.command("", user=JONAS)
    view = rapport.slack.views()[-1]
    values = state_from(view, medium="email", kind="update", direction="gave")
    values["partner"]["partner_select"]["selected_option"] = {
        "text": {"type": "plain_text", "text": "Acme"},
        "value": str(partner_id),
    }
    answer = rapport.submit(view, values, user=JONAS)
    assert answer.status == 200 and answer.body == ""
    summary = checked(command.later())
    assert "Das sind 3 Kontakte mit Acme" in shown(summary)
    assert "ein Anruf von <@U0BOB> gestern" in shown(summary)


def test_log_as_contact_on_a_partners_message_says_it_too(rapport) -> None:
    log(rapport, "<@U0KENJI|kenji> call yesterday")
    log(rapport, "<@U0KENJI|kenji> email", user=BOB)
    message = {
        "type": "message",
        "user": "U0KENJI",
        "user_team": "T0PARTNER",
        "ts": "1795000000.000300",
        "text": "Could you send the pilot figures?",
    }
    shortcut = rapport.shortcut(message)
    assert rapport.wait_until_idle()
    view = rapport.slack.views()[-1]
    answer = rapport.submit(view, state_from(view))
    assert answer.status == 200 and answer.body == ""
    summary = checked(shortcut.later())
    assert (
        "That's 3 contacts we started with Kenji Sato in 14 days: this one, an e-mail by "
        "<@U0BOB> today and a call by you yesterday."
    ) in shown(summary)


def test_a_contact_logged_by_answering_did_you_mean_is_counted(rapport) -> None:
    log(rapport, "Acme call yesterday")
    log(rapport, "Acme call")
    question = checked(rapport.command("Acmee email").reply())
    choice = buttons(question)["Acme"]
    answered = checked(rapport.click(choice["action_id"], choice["value"]).later())
    assert "Logged your contact with *Acme*" in texts(answered)
    assert "That's 3 contacts we started with Acme in 14 days" in shown(answered)


# --- over-contact: the profile -----------------------------------------------------------------


def test_the_profile_sets_another_threshold_and_off(rapport) -> None:
    log(rapport, "Acme call yesterday")
    answer = shown(rapport.command("partner Acme set max-contacts 4", command=RAPPORT).reply())
    assert (
        "Contacts we started, 14 days*\n1 (from 4, Rapport notes that it is a lot "
        "when you log one)" in answer
    )
    assert acme(rapport).max_contacts == 4
    log(rapport, "Acme call")
    assert HINT_EN not in shown(log(rapport, "Acme email"))
    assert "That's 4 contacts" in shown(log(rapport, "Acme meeting"))

    rapport.command("partner Acme setze kontaktgrenze aus", user=JONAS, command=RAPPORT).reply()
    assert acme(rapport).max_contacts == 0
    assert HINT_EN not in shown(log(rapport, "Acme message"))
    assert "Von uns begonnen, 14 Tage*\n5 (nie ein Hinweis, dass es viele sind)" in card(
        rapport, user=JONAS
    )

    rapport.command("partner Acme set max-contacts clear", command=RAPPORT).reply()
    assert acme(rapport).max_contacts is None
    assert "5 (from 3, Rapport notes that it is a lot when you log one)" in card(rapport)


@pytest.mark.parametrize(
    ("user", "typed", "expected"),
    [
        (
            ALICE,
            "set max-contacts 1",
            "1 is too small for a contact limit: 2 to 50, `off` for no note, or `clear` for the "
            "default (3).",
        ),
        (ALICE, "set max-contacts lots", "I couldn't read “lots” as a contact limit"),
        (
            JONAS,
            "setze kontaktgrenze 99",
            "99 ist zu groß für eine Kontaktgrenze: 2 bis 50, `aus` für keinen Hinweis oder "
            "`löschen` für den Standard (3).",
        ),
        (JONAS, "setze rhythmus 60 kontaktgrenze null", "„null“ kann ich nicht"),
    ],
)
def test_a_bad_threshold_is_answered_and_nothing_changes(
    rapport, user: str, typed: str, expected: str
) -> None:
    log(rapport, "Acme call")
    rapport.command("partner Acme set max-contacts 5", command=RAPPORT).reply()
    before = acme(rapport)

    answer = shown(rapport.command(f"partner Acme {typed}", user=user, command=RAPPORT).reply())

    assert expected in answer
    after = acme(rapport)
    assert (after.max_contacts, after.cadence_days) == (5, before.cadence_days)


def test_the_edit_profile_form_sets_the_limit_and_refuses_a_bad_one_in_place(rapport) -> None:
    log(rapport, "Acme call", user=JONAS)
    message = checked(rapport.command("partner Acme", user=JONAS, command=RAPPORT).reply())
    edit = buttons(message)["Profil bearbeiten"]
    rapport.click(edit["action_id"], edit.get("value"), user=JONAS)
    view = rapport.slack.views()[-1]
    [field] = [b for b in view["blocks"] if b.get("block_id") == "max_contacts"]
    assert "leer: 3" in field["hint"]["text"]
    assert "initial_value" not in field["element"]

    bad = rapport.submit(view, state_from(view, max_contacts="eins"), user=JONAS)
    assert bad.json()["response_action"] == "errors"
    assert "„eins“ kann ich nicht als Kontaktgrenze lesen" in bad.json()["errors"]["max_contacts"]
    assert acme(rapport).max_contacts is None

    good = rapport.submit(view, state_from(view, max_contacts="aus"), user=JONAS)
    assert good.status == 200
    assert rapport.wait_until_idle()
    assert acme(rapport).max_contacts == 0

    again = checked(rapport.command("partner Acme", command=RAPPORT).reply())
    edit = buttons(again)["Edit profile"]
    rapport.click(edit["action_id"], edit.get("value"))
    view = rapport.slack.views()[-1]
    [field] = [b for b in view["blocks"] if b.get("block_id") == "max_contacts"]
    assert field["element"]["initial_value"] == "off"
    rapport.submit(view, state_from(view, max_contacts=""))
    assert rapport.wait_until_idle()
    assert acme(rapport).max_contacts is None


# --- one-sided relationships -------------------------------------------------------------------


def line_of(message: dict[str, Any]) -> list[str]:
    return [t for t in texts(message).splitlines() if ":left_right_arrow:" in t]


def test_a_one_sided_partner_is_told_once_per_stretch_in_the_next_dm(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call gave 2026-09-30")  # Alice looks after Acme
    for day in ("2026-10-14", "2026-11-02", "yesterday"):
        log(rapport, f"Acme call gave {day}", user=BOB)  # a colleague's count for the owner too
    log(rapport, "Acme meeting mutual")  # says nothing about who gave
    log(rapport, "Globex call promise: send the deck by tomorrow")
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))
    assert dms(slack)
    assert all(line_of(dm) == [] for _, dm in dms(slack))  # four with a direction: not yet

    log(rapport, "Acme email helped with the import")
    log(rapport, "Globex call promise: send the figures by tomorrow")
    travel(clock, jobs, at_berlin(2026, 11, 27, 17, 0))
    second = dms(slack)[-1][1]
    assert line_of(second) == [
        ":left_right_arrow: Acme: we gave 5 times in a row in the last 180 days and received "
        "nothing. Time to ask for something in return?"
    ]
    assert "we gave 5 times in a row" in second["text"]
    assert acme(rapport).one_sided_count == 5

    log(rapport, "Acme call gave")
    log(rapport, "Globex call promise: send the contract by Monday")
    travel(clock, jobs, at_berlin(2026, 11, 30, 17, 0))
    assert len(dms(slack)) == 3
    assert line_of(dms(slack)[-1][1]) == [], "told once per stretch, not every day"

    # A contact the other way ends the stretch (back-dated: it leaves the 180 days soon);
    # once it has, what is left is a new one-sided stretch, told of again.
    log(rapport, "Acme call received 2026-06-05")
    log(rapport, "Globex call promise: the next step by tomorrow")
    log(rapport, "Globex call promise: the step after by Thursday")
    travel(clock, jobs, at_berlin(2026, 12, 1, 17, 0))
    assert line_of(dms(slack)[-1][1]) == [], "a contact the other way: balanced"
    travel(clock, jobs, at_berlin(2026, 12, 3, 17, 0))
    said = {at.day: line_of(dm) for at, dm in dms(slack) if at.month == 12}
    assert said[1] == said[2] == [], "the contact the other way is within 180 days"
    assert said[3] == [
        ":left_right_arrow: Acme: we gave 6 times in a row in the last 180 days and received "
        "nothing. Time to ask for something in return?"
    ]
    assert acme(rapport).one_sided_episode == "gave:2026-06-05T10:00:00"


def test_in_german_the_owner_reads_that_we_only_received(rapport, clock, slack, jobs) -> None:
    for _ in range(6):
        log(rapport, "Acme anruf erhalten", user=JONAS)
    log(rapport, "Globex anruf versprochen: Angebot schicken bis morgen", user=JONAS)
    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))
    [(_, dm)] = dms(slack, JONAS)
    assert line_of(dm) == [
        ":left_right_arrow: Acme: Wir haben in den letzten 180 Tagen 6-mal in Folge bekommen "
        "und nichts zurückgegeben. Fragen, was sie brauchen?"
    ]
    assert count(rapport.db, Interaction) == 7
