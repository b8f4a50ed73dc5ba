"""Undo after an Edit puts the contact back as it was before the edit (partner, medium, kind,
direction, when, note, and its promise's words, due day and who promised), once; Undo on a
contact never edited still removes it. Over signed HTTP, on SQLite and PostgreSQL, in English
and German; today is Wednesday 25 November 2026.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import Block

from bot.blocks.replies import ACTION_EDIT, ACTION_UNDO
from storage.models import Interaction, Partner, Promise
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.rows import all_of, count, only

ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"


def checked(message: dict[str, Any]) -> dict[str, Any]:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    return message


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> dict[str, Any]:
    known(rapport, user)
    return checked(rapport.command(text, user=user).reply())


def edited(
    rapport: RunningRapport,
    summary: dict[str, Any],
    user: str = ALICE,
    *,
    partner_id: int | None = None,
    new_partner: str | None = None,
    no_due: bool = False,
    **changes: str,
) -> dict[str, Any]:
    """Press Edit on `summary`, change the form's fields, save: the summary that replaces it."""
    edit = button(summary, ACTION_EDIT)
    clicked = rapport.click(edit["action_id"], edit["value"], user=user)
    view = rapport.slack.views()[-1]
    values = state_from(view, **changes)
    [partner_action] = values["partner"]
    if partner_id is not None:
        values["partner"][partner_action]["selected_option"] = {
            "value": str(partner_id),
            "text": {"type": "plain_text", "text": "chosen"},
        }
    if new_partner is not None:
        values["partner"][partner_action]["selected_option"] = None
        [new_action] = values["new_partner"]
        values["new_partner"][new_action]["value"] = new_partner
    if no_due:
        [due_action] = values["due"]
        values["due"][due_action]["selected_date"] = None
    answer = rapport.submit(view, values, user=user)
    assert answer.status == 200 and answer.body == "", answer.body
    return checked(clicked.later())


def undo(rapport: RunningRapport, summary: dict[str, Any], user: str = ALICE) -> dict[str, Any]:
    pressed = button(summary, ACTION_UNDO)
    return checked(rapport.click(pressed["action_id"], pressed["value"], user=user).later())


def button(summary: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The summary's button `action_id`, whatever its label's language."""
    [found] = [b for b in buttons(summary).values() if b["action_id"] == action_id]
    return found


def contact_state(rapport: RunningRapport) -> tuple[Any, ...]:
    """The latest contact logged, and its promise."""
    contact = max(all_of(rapport.db, Interaction), key=lambda i: i.id)
    promises = [
        (p.text, p.due_on, p.promised_by, p.status, p.partner_id)
        for p in all_of(rapport.db, Promise)
        if p.interaction_id == contact.id
    ]
    return (
        contact.partner_id,
        contact.medium,
        contact.kind,
        contact.direction,
        contact.occurred_at,
        contact.has_time,
        contact.note,
        promises,
    )


def test_undo_after_an_edit_puts_everything_back_as_it_was(rapport) -> None:
    logged(rapport, "Globex call kickoff")  # a partner to move the contact to
    summary = logged(
        rapport, "Acme call yesterday 14:30 talked prices promise: send the quote by Friday"
    )
    before = contact_state(rapport)
    globex = next(p for p in all_of(rapport.db, Partner) if p.name == "Globex")

    after_edit = edited(
        rapport,
        summary,
        partner_id=globex.id,
        medium="video",
        kind="check-in",
        direction="received",
        when="2026-11-20",
        at="09:15",
        note="talked volumes instead",
        promise="send the volume forecast",
        due="2026-12-04",
        promised_by="partner",
    )
    assert "Updated your contact with *Globex*" in texts(after_edit)
    changed = contact_state(rapport)
    assert changed != before
    assert changed[0] == globex.id and changed[1:4] == ("video", "check-in", "received")

    answer = undo(rapport, after_edit)

    assert answer["replace_original"] is True
    assert "Undone: the contact with *Acme* is back as it was before the edit." in texts(answer)
    assert contact_state(rapport) == before
    assert before[4] == datetime(2026, 11, 24, 13, 30, tzinfo=UTC)
    assert count(rapport.db, Interaction) == 2 and count(rapport.db, Partner) == 2
    assert "talked prices" in texts(answer) and "send the quote" in texts(answer)

    # The same Undo again: already undone, nothing changes.
    again = undo(rapport, after_edit)
    assert "That edit is no longer there to undo: it was undone already" in texts(again)
    assert contact_state(rapport) == before


def test_in_german_an_edit_that_removed_the_promise_brings_it_back(rapport, clock) -> None:
    summary = logged(rapport, "Acme Anruf Preise besprochen zusage: Angebot bis 2026-12-10", JONAS)
    before = contact_state(rapport)
    created_at = only(rapport.db, Promise).created_at
    clock.advance(timedelta(hours=2))

    after_edit = edited(rapport, summary, JONAS, promise="", no_due=True, note="nur Preise")
    assert count(rapport.db, Promise) == 0

    answer = undo(rapport, after_edit, JONAS)

    said = "Rückgängig gemacht: der Kontakt mit *Acme* ist wieder so wie vor der Änderung."
    assert said in texts(answer)
    assert contact_state(rapport) == before
    assert only(rapport.db, Promise).created_at == created_at  # written again, as it was
    again = undo(rapport, after_edit, JONAS)
    assert "Diese Änderung gibt es nicht mehr" in texts(again)


def test_an_edit_that_added_a_promise_and_a_new_partner_is_undone_with_them(rapport) -> None:
    summary = logged(rapport, "Acme call kickoff")
    before = contact_state(rapport)

    after_edit = edited(
        rapport,
        summary,
        new_partner="Initech",
        promise="call back",
        due="2026-11-30",
    )
    assert {p.name for p in all_of(rapport.db, Partner)} == {"Acme", "Initech"}
    assert count(rapport.db, Promise) == 1

    answer = undo(rapport, after_edit)

    assert "The partner *Initech* the edit had added is removed." in texts(answer)
    assert [p.name for p in all_of(rapport.db, Partner)] == ["Acme"]
    assert contact_state(rapport) == before and count(rapport.db, Promise) == 0


def test_two_edits_undo_one_at_a_time_and_the_first_ones_undo_takes_back_both(rapport) -> None:
    summary = logged(rapport, "Acme call kickoff")
    original = contact_state(rapport)
    first = edited(rapport, summary, note="first edit")
    after_first = contact_state(rapport)
    second = edited(rapport, first, note="second edit", medium="email")

    back_to_first = undo(rapport, second)
    assert contact_state(rapport) == after_first
    assert "first edit" in texts(back_to_first)
    # The summary now offers to undo the first edit.
    back_to_original = undo(rapport, back_to_first)
    assert contact_state(rapport) == original

    # Edited twice again: the first edit's Undo takes the contact back to before both.
    third = edited(rapport, back_to_original, note="third")
    edited(rapport, third, note="fourth")
    undo(rapport, third)
    assert contact_state(rapport) == original
    # The contact's own Undo (from when it was logged) still removes it.
    removed = undo(rapport, summary)
    assert "the contact and the new partner *Acme* are removed" in texts(removed)
    assert count(rapport.db, Interaction) == 0


def test_undo_on_a_contact_never_edited_still_removes_it(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    summary = logged(rapport, "Acme email follow-up promise: send the deck by Friday")

    answer = undo(rapport, summary)

    assert "Undone: the contact with *Acme* is removed." in texts(answer)
    assert count(rapport.db, Interaction) == 1 and count(rapport.db, Promise) == 0


def test_only_the_author_may_and_a_forged_edit_token_changes_nothing(rapport) -> None:
    summary = logged(rapport, "Acme call kickoff")
    after_edit = edited(rapport, summary, note="edited")
    state = contact_state(rapport)
    value = button(after_edit, ACTION_UNDO)["value"]
    row, token = value.split(":")

    known(rapport, BOB)
    by_bob = rapport.click(ACTION_UNDO, value, user=BOB).later()
    assert "Only the person who logged this contact can change it." in texts(by_bob)
    for forged in (f"{row}:{'0' * 16}", f"{row}:{token.upper()}", f"{row}:x", f"{row}:", ":"):
        rapport.click(ACTION_UNDO, forged).later()
        assert contact_state(rapport) == state, forged
    # The guessed token is not one the contact keeps: said so.
    wrong = rapport.click(ACTION_UNDO, f"{row}:{'0' * 16}").later()
    assert "no longer there to undo" in texts(wrong)
    assert count(rapport.db, Interaction) == 1


def test_undo_of_an_edit_whose_old_partner_is_gone_changes_nothing(rapport) -> None:
    logged(rapport, "Globex call kickoff")
    summary = logged(rapport, "Acme call kickoff")
    globex = next(p for p in all_of(rapport.db, Partner) if p.name == "Globex")
    after_edit = edited(rapport, summary, partner_id=globex.id)
    acme = next(p for p in all_of(rapport.db, Partner) if p.name == "Acme")
    with rapport.db.transaction() as session:
        session.delete(session.get(Partner, acme.id))
    state = contact_state(rapport)

    answer = undo(rapport, after_edit)

    assert "is no longer there; nothing changed" in texts(answer)
    assert contact_state(rapport) == state
    assert max(all_of(rapport.db, Interaction), key=lambda i: i.id).before_edit is not None
