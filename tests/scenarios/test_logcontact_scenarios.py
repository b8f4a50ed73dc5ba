"""`/logcontact` end to end: signed requests to the running app, Slack played by the stand-in."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from babel.dates import format_date
from sqlalchemy import delete, event
from sqlalchemy.exc import OperationalError

from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.rows import Interaction, Member, Partner, Promise, all_of, count, only

# Slack gives up after 3 s; answering within half of that leaves room for a slow network.
ACK_BUDGET_SECONDS = 1.5


def test_a_first_command_is_acked_at_once_and_answered_after_asking_slack(rapport) -> None:
    command = rapport.command("Acme call discussed the Q3 roadmap")

    assert command.answer.status == 200
    assert command.answer.body == ""
    reply = command.later()
    assert "Logged your contact with *Acme*" in texts(reply)
    assert [c.args["user"] for c in rapport.slack.calls_to("users.info")] == ["U0ALICE"]
    member = only(rapport.db, Member)
    assert (member.tz, member.locale) == ("Europe/Berlin", "en-US")


def test_a_known_member_gets_the_summary_in_the_ack_with_no_slack_call(rapport) -> None:
    known(rapport)
    rapport.slack.reset()

    command = rapport.command("Acme call discussed the Q3 roadmap")

    assert command.answer.seconds < ACK_BUDGET_SECONDS
    assert command.ack["response_type"] == "ephemeral"
    assert "Logged your contact with *Acme*" in texts(command.ack)
    assert rapport.slack.calls == []


@pytest.mark.parametrize(
    ("text", "partner", "organisation", "medium", "kind", "on", "note", "promise", "due"),
    [
        (
            "<@U0KENJI|kenji> call discussed Q3 roadmap",
            "Kenji Sato",
            None,
            "call",
            "contact",
            date(2026, 11, 25),
            "discussed Q3 roadmap",
            None,
            None,
        ),
        (
            "Acme check-in: happy with delivery times",
            "Acme",
            None,
            None,
            "check-in",
            date(2026, 11, 25),
            "happy with delivery times",
            None,
            None,
        ),
        (
            '"Jens Ohlsen" (Nordwind GmbH) Treffen gestern Zusage: Angebot bis Freitag schicken',
            "Jens Ohlsen",
            "Nordwind GmbH",
            "meeting",
            "contact",
            date(2026, 11, 24),
            "",
            "Angebot schicken",
            date(2026, 11, 27),
        ),
        (
            "Acme email promise: send the revised quote by next Tuesday",
            "Acme",
            None,
            "email",
            "contact",
            date(2026, 11, 25),
            "",
            "send the revised quote",
            date(2026, 12, 1),
        ),
    ],
)
def test_each_example_is_understood_and_stored(
    rapport, text, partner, organisation, medium, kind, on, note, promise, due
) -> None:
    known(rapport)
    if text.startswith("<@U0KENJI"):
        rapport.command("<@U0KENJI|kenji> email hello").reply()  # Kenji cached, then undone below
        _forget_contacts(rapport)

    command = rapport.command(text)

    assert command.answer.seconds < ACK_BUDGET_SECONDS
    reply = command.ack  # a returning user's summary travels in the ack itself
    assert f"Logged your contact with *{partner}" in texts(reply)
    stored = only(rapport.db, Interaction)
    assert (stored.medium, stored.kind, stored.direction, stored.note) == (
        medium,
        kind,
        "mutual",
        note,
    )
    assert not stored.has_time
    assert stored.occurred_at == datetime(on.year, on.month, on.day, 11, 0, tzinfo=UTC)
    saved_partner = only(rapport.db, Partner)
    assert (saved_partner.name, saved_partner.organisation) == (partner, organisation)
    if promise is None:
        assert count(rapport.db, Promise) == 0
    else:
        kept = only(rapport.db, Promise)
        assert (kept.text, kept.due_on, kept.status) == (promise, due, "open")
        assert f"due {format_date(due, format='full', locale='en_US')}" in texts(reply)


def _forget_contacts(rapport: RunningRapport) -> None:
    """Drop logged contacts but keep the cached partner, so a mention is answered from cache."""
    with rapport.db.transaction() as session:
        session.execute(delete(Promise))
        session.execute(delete(Interaction))


def test_a_german_member_is_answered_in_german_with_german_dates(rapport) -> None:
    known(rapport, "U0JONAS")

    reply = rapport.command(
        '"Jens Ohlsen" (Nordwind GmbH) Treffen gestern Zusage: Angebot bis Freitag schicken',
        user="U0JONAS",
    ).reply()

    shown = texts(reply)
    assert "Dein Kontakt mit *Jens Ohlsen (Nordwind GmbH)* ist erfasst." in shown
    assert "fällig Freitag, 27. November 2026" in shown
    assert "gestern" in shown
    assert {"Rückgängig", "Bearbeiten"} <= buttons(reply).keys()


def test_a_promise_the_partner_made_is_stored_as_theirs_and_shown_as_theirs(rapport) -> None:
    known(rapport)

    reply = rapport.command("Acme call they promised: the signed contract by Friday").reply()

    stored = only(rapport.db, Promise)
    assert (stored.promised_by, stored.text, stored.due_on) == (
        "partner",
        "the signed contract",
        date(2026, 11, 27),
    )
    shown = texts(reply)
    assert "*They promised*\nthe signed contract" in shown
    assert "*Promise*" not in shown
    assert "They promised: the signed contract" in reply["text"]


def test_a_german_member_sees_the_partners_promise_as_theirs(rapport) -> None:
    known(rapport, "U0JONAS")

    reply = rapport.command(
        "Acme Anruf sie sagen zu: unterschriebener Vertrag bis Freitag", user="U0JONAS"
    ).reply()

    assert only(rapport.db, Promise).promised_by == "partner"
    assert "*Zusage des Partners*" in texts(reply)


def test_our_own_promise_is_still_stored_as_ours(rapport) -> None:
    known(rapport)

    reply = rapport.command("Acme email promise: send the revised quote by next Tuesday").reply()

    assert only(rapport.db, Promise).promised_by == "us"
    assert "*Promise*" in texts(reply)


def test_a_slack_connect_partner_is_created_with_their_zone_and_team(rapport) -> None:
    known(rapport)

    command = rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot")

    assert command.answer.body == ""  # Kenji is not cached yet: Slack is asked after the ack
    assert "Kenji Sato" in texts(command.later())
    kenji = only(rapport.db, Partner)
    assert (kenji.slack_user_id, kenji.slack_team_id, kenji.tz, kenji.email) == (
        "U0KENJI",
        "T0PARTNER",
        "Asia/Tokyo",
        "kenji@partner.example",
    )
    again = rapport.command("<@U0KENJI|kenji> email sent the deck")
    assert "Kenji Sato" in texts(again.ack)  # cached now: answered in the ack
    assert count(rapport.db, Partner) == 1


def test_a_new_partner_is_announced_and_a_known_one_is_reused(rapport) -> None:
    known(rapport)

    first = rapport.command("Acme call kickoff").reply()
    second = rapport.command("ACME email follow-up").reply()

    assert "*Acme* is a new partner" in texts(first)
    assert "new partner" not in texts(second)
    assert count(rapport.db, Partner) == 1
    assert count(rapport.db, Interaction) == 2


def test_a_multi_word_partner_name_can_be_typed_without_quotes(rapport) -> None:
    known(rapport)
    rapport.command('"Baltic Freight" call intro').reply()

    rapport.command("Baltic Freight email sent prices").reply()

    assert count(rapport.db, Partner) == 1
    notes = [i.note for i in all_of(rapport.db, Interaction)]
    assert notes == ["intro", "sent prices"]


# --- bad input ---------------------------------------------------------------------------------


def refused(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> str:
    """Send `text`, expect a refusal, check that nothing was stored, return what the user read."""
    before = count(rapport.db, Partner), count(rapport.db, Interaction), count(rapport.db, Promise)
    reply = rapport.command(text, user=user).reply()
    after = count(rapport.db, Partner), count(rapport.db, Interaction), count(rapport.db, Promise)
    assert after == before, "a refused command stored something"
    assert "Undo" not in buttons(reply)
    return texts(reply)


def test_no_partner_is_explained_with_an_example(rapport) -> None:
    known(rapport)
    shown = refused(rapport, "call yesterday about prices")
    assert "Who was the contact with?" in shown
    assert "For example: `/logcontact Acme call discussed the Q3 roadmap`" in shown


def test_a_note_over_3000_characters_is_refused_with_its_length(rapport) -> None:
    known(rapport)
    shown = refused(rapport, "Acme call " + "x" * 3001)
    assert "3001 characters; at most 3000 fit" in shown


def test_control_characters_are_refused_with_their_position(rapport) -> None:
    known(rapport)
    shown = refused(rapport, "Acme call ring\x07ring")
    assert "control character (U+0007)" in shown


def test_sql_looking_text_is_stored_as_text(rapport) -> None:
    known(rapport)
    rapport.command("Acme call '; DROP TABLE partners; --").reply()
    assert only(rapport.db, Interaction).note == "'; DROP TABLE partners; --"
    assert count(rapport.db, Partner) == 1


def test_emoji_and_umlauts_round_trip(rapport) -> None:
    known(rapport, "U0JONAS")
    reply = rapport.command('"Müller & Söhne" Anruf 🎉 Grüße an Jürgen', user="U0JONAS").reply()
    assert only(rapport.db, Interaction).note == "🎉 Grüße an Jürgen"
    assert only(rapport.db, Partner).name == "Müller & Söhne"
    assert "Müller &amp; Söhne" in texts(reply)  # escaped for Slack's mrkdwn


def test_a_promise_due_in_the_past_is_refused_showing_the_date_understood(rapport) -> None:
    known(rapport)
    shown = refused(rapport, "Acme call promise: send the quote by 2026-11-01")
    assert "Sunday, November 1, 2026" in shown
    assert "has passed" in shown


def test_a_date_that_cannot_be_read_is_named(rapport) -> None:
    known(rapport)
    shown = refused(rapport, "Acme call 31.02. talked")
    assert "31.02." in shown
    assert "as a date" in shown


def test_a_promise_without_a_due_date_asks_for_one(rapport) -> None:
    known(rapport, "U0JONAS")
    shown = refused(rapport, "Acme Anruf Zusage: Rückruf", user="U0JONAS")
    assert "nicht, wann sie fällig ist" in shown


def test_a_colleague_is_not_a_partner(rapport) -> None:
    known(rapport)
    known(rapport, "U0BOB")
    shown = refused(rapport, "<@U0BOB|bob> call sync")
    assert "<@U0BOB> is a colleague in this workspace, not an external partner" in shown


def test_a_colleague_seen_for_the_first_time_is_recognised_after_asking_slack(rapport) -> None:
    known(rapport)
    command = rapport.command("<@U0BOB|bob> call sync")
    assert "is a colleague" in texts(command.later())
    assert count(rapport.db, Partner) == 0


def test_a_mention_of_an_unknown_user_is_explained(rapport) -> None:
    known(rapport)
    command = rapport.command("<@U0NOBODY|ghost> call hello")
    assert "I couldn't find <@U0NOBODY> in Slack" in texts(command.later())
    assert count(rapport.db, Partner) == 0


def test_a_database_failure_during_the_write_leaves_nothing_half_written(rapport) -> None:
    known(rapport)

    def fail_on_promise(conn, cursor, statement, *args) -> None:
        # The promise's INSERT: after the contact's on SQLite, with it on PostgreSQL (one
        # statement), where the contact then fails with it.
        if "INSERT INTO PROMISES" in statement.upper():
            raise OperationalError(statement, {}, Exception("disk I/O error"))

    event.listen(rapport.db.engine, "before_cursor_execute", fail_on_promise)
    try:
        reply = rapport.command("Acme call promise: send the quote by Friday").reply()
    finally:
        event.remove(rapport.db.engine, "before_cursor_execute", fail_on_promise)

    assert "the database did not answer. Nothing was saved" in texts(reply)
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (0, 0)


def test_help_is_shown_in_the_users_language(rapport) -> None:
    assert "Logging contacts with Rapport" in texts(rapport.command("help").reply())
    german = rapport.command("hilfe", user="U0JONAS").reply()
    assert "Kontakte erfassen mit Rapport" in texts(german)


# --- Undo, Edit, did you mean ------------------------------------------------------------------


def test_undo_removes_the_contact_its_promise_and_the_partner_it_created(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call promise: send the quote by Friday").reply()
    undo = buttons(reply)["Undo"]

    clicked = rapport.click(undo["action_id"], undo["value"])

    answer = clicked.later()
    assert answer["replace_original"] is True
    assert "the contact and the new partner *Acme* are removed" in texts(answer)
    assert (
        count(rapport.db, Partner),
        count(rapport.db, Interaction),
        count(rapport.db, Promise),
    ) == (0, 0, 0)
    again = rapport.click(undo["action_id"], undo["value"]).later()
    assert "undone already" in texts(again)


def test_undo_keeps_a_partner_that_existed_before(rapport) -> None:
    known(rapport)
    rapport.command("Acme call kickoff").reply()
    second = rapport.command("Acme email follow-up").reply()
    undo = buttons(second)["Undo"]

    answer = rapport.click(undo["action_id"], undo["value"]).later()

    assert "Undone: the contact with *Acme* is removed." in texts(answer)
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (1, 1)


def test_only_the_author_can_undo(rapport) -> None:
    known(rapport)
    known(rapport, "U0BOB")
    reply = rapport.command("Acme call kickoff").reply()
    undo = buttons(reply)["Undo"]

    answer = rapport.click(undo["action_id"], undo["value"], user="U0BOB").later()

    assert "Only the person who logged this contact can change it." in texts(answer)
    assert count(rapport.db, Interaction) == 1


def test_a_button_from_another_workspace_cannot_touch_this_ones_contacts(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call kickoff").reply()
    undo = buttons(reply)["Undo"]

    answer = rapport.click(undo["action_id"], undo["value"], team="T0OTHER").later()

    # Rapport is installed in one workspace: a request made in another is refused outright.
    assert "Rapport is for this company's own members" in texts(answer)
    assert count(rapport.db, Interaction) == 1


def test_a_near_name_is_asked_about_before_and_the_chosen_partner_gets_the_contact(
    rapport,
) -> None:
    known(rapport)
    rapport.command('"Acme Corp" call kickoff').reply()
    reply = rapport.command('"Acme Crop" email promise: send prices by Friday').reply()
    assert "Did you mean that one" in texts(reply)
    assert count(rapport.db, Interaction) == 1
    choice = buttons(reply)["Acme Corp"]

    answer = rapport.click(choice["action_id"], choice["value"]).later()

    assert "Logged your contact with *Acme Corp*" in texts(answer)
    assert "Did you mean" not in texts(answer)
    assert [p.name for p in all_of(rapport.db, Partner)] == ["Acme Corp"]
    partner_id = only(rapport.db, Partner).id
    assert {i.partner_id for i in all_of(rapport.db, Interaction)} == {partner_id}
    assert only(rapport.db, Promise).partner_id == partner_id


def test_edit_opens_the_modal_prefilled_and_saves_changes(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call yesterday 14:30 talked prices").reply()
    edit = buttons(reply)["Edit"]

    clicked = rapport.click(edit["action_id"], edit["value"])

    assert clicked.answer.status == 200
    view = rapport.slack.views()[-1]
    assert view["title"]["text"] == "Edit contact"
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert form["partner"]["initial_option"]["text"]["text"] == "Acme"
    assert form["note"]["initial_value"] == "talked prices"
    assert form["when"]["initial_date"] == "2026-11-24"
    assert form["at"]["initial_time"] == "14:30"

    values = state_from(view, note="talked prices and volumes", medium="video")
    answer = rapport.submit(view, values)

    assert answer.status == 200 and answer.body == ""
    stored = only(rapport.db, Interaction)
    assert (stored.note, stored.medium) == ("talked prices and volumes", "video")
    assert stored.occurred_at == datetime(2026, 11, 24, 13, 30, tzinfo=UTC)
    updated = clicked.later()
    assert updated["replace_original"] is True
    assert "Updated your contact with *Acme*" in texts(updated)


def test_edit_shows_who_promised_and_can_make_it_the_partners_promise(rapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call promise: send the deck by Friday").reply()
    rapport.click(buttons(reply)["Edit"]["action_id"], buttons(reply)["Edit"]["value"])
    view = rapport.slack.views()[-1]
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert form["promised_by"]["initial_option"]["value"] == "us"
    assert [o["text"]["text"] for o in form["promised_by"]["options"]] == ["We did", "They did"]

    answer = rapport.submit(view, state_from(view, promised_by="partner"))

    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Promise).promised_by == "partner"
    rapport.click(buttons(reply)["Edit"]["action_id"], buttons(reply)["Edit"]["value"])
    again = rapport.slack.views()[-1]
    form = {b["block_id"]: b["element"] for b in again["blocks"] if b["type"] == "input"}
    assert form["promised_by"]["initial_option"]["value"] == "partner"


# --- the modal and the message shortcut ---------------------------------------------------------


def test_empty_text_opens_the_modal_and_saving_it_logs_the_contact(rapport) -> None:
    known(rapport)
    rapport.command('"Marta Nowak" (Baltic Freight) call intro').reply()

    command = rapport.command("")

    assert command.answer.status == 200
    view = rapport.slack.views()[-1]
    assert view["title"]["text"] == "Log a contact"
    options = rapport.sender.interaction(
        {
            "type": "block_suggestion",
            "team": {"id": "T0ACME"},
            "user": {"id": "U0ALICE"},
            "action_id": "partner_select",
            "block_id": "partner",
            "value": "balt",
        }
    ).json()["options"]
    assert [o["text"]["text"] for o in options] == ["Marta Nowak (Baltic Freight)"]
    values = state_from(view, note="Discussed Q1 volumes", when="2026-11-23")
    values["partner"]["partner_select"]["selected_option"] = options[0]
    values["promise"]["promise_input"]["value"] = "Send the volume forecast"
    values["due"]["due_date"]["selected_date"] = "2026-12-04"

    answer = rapport.submit(view, values)

    assert answer.status == 200 and answer.body == ""
    logged = [i for i in all_of(rapport.db, Interaction) if i.source == "modal"]
    assert [i.note for i in logged] == ["Discussed Q1 volumes"]
    assert only(rapport.db, Promise).due_on == date(2026, 12, 4)
    assert "Logged your contact with *Marta Nowak (Baltic Freight)*" in texts(command.later())


def test_the_modal_shows_errors_next_to_the_fields(rapport) -> None:
    known(rapport)
    rapport.command("")
    view = rapport.slack.views()[-1]
    values = state_from(view, when="2026-12-24")
    values["promise"]["promise_input"]["value"] = "Call back"

    answer = rapport.submit(view, values)

    errors = answer.json()["errors"]
    assert errors == {
        "partner": "Pick a partner or type the name of a new one.",
        "when": "The contact can't be in the future.",
        "due": "When is the promise due?",
    }
    assert count(rapport.db, Interaction) == 0


def test_log_as_contact_prefills_the_external_author_and_the_message(rapport) -> None:
    known(rapport)
    message = {
        "type": "message",
        "user": "U0KENJI",
        "user_team": "T0PARTNER",
        "ts": "1795000000.000300",
        "text": "Could you send the pilot figures &amp; the deck by Friday?",
    }

    rapport.shortcut(message)

    assert rapport.wait_until_idle()
    view = rapport.slack.views()[-1]
    form = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert form["new_partner"]["initial_value"] == "Kenji Sato"
    assert form["note"]["initial_value"] == "Could you send the pilot figures & the deck by Friday?"
    answer = rapport.submit(view, state_from(view))
    assert answer.status == 200 and answer.body == ""
    kenji = only(rapport.db, Partner)
    assert (kenji.name, kenji.slack_user_id, kenji.tz) == ("Kenji Sato", "U0KENJI", "Asia/Tokyo")
    assert only(rapport.db, Interaction).source == "modal"


# --- the HTTP contract -------------------------------------------------------------------------


def test_a_forged_signature_is_rejected(rapport) -> None:
    answer = rapport.sender.form(
        {"command": "/logcontact", "text": "x"}, signature="v0=" + "0" * 64
    )
    assert answer.status == 401
    assert count(rapport.db, Member) == 0


def test_a_request_signed_six_minutes_ago_is_rejected(rapport) -> None:
    answer = rapport.sender.form(
        {"command": "/logcontact", "text": "x"}, timestamp=int(time.time()) - 6 * 60
    )
    assert answer.status == 401


def test_healthz_reports_the_database(rapport) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{rapport.base_url}/healthz") as response:
        assert response.status == 200
        assert b'"database":"up"' in response.read()


def test_user_change_refreshes_a_member_once_per_event_id(rapport) -> None:
    known(rapport)
    user = {"id": "U0ALICE", "team_id": "T0ACME", "real_name": "Alice Berger", "tz": "Asia/Tokyo"}

    first = rapport.event("Ev1", {"type": "user_change", "user": user})
    user["tz"] = "Europe/Lisbon"
    retried = rapport.event(
        "Ev1", {"type": "user_change", "user": user}, headers={"X-Slack-Retry-Num": "1"}
    )

    assert (first.status, retried.status) == (200, 200)
    assert only(rapport.db, Member).tz == "Asia/Tokyo"


def test_an_ambiguous_name_asks_which_partner_with_a_button_for_each(rapport) -> None:
    """Two partners of one name and no organisation said: a button for each, shown with its
    organisation, and Cancel (no new partner: the name is known); nothing is logged before the
    choice, and the organisation typed says which without a question."""
    known(rapport)
    rapport.command('"Anna Schmidt" (Acme) call intro').reply()
    rapport.command('"Anna Schmidt" (Nordwind) call intro').reply()

    reply = rapport.command('"Anna Schmidt" call follow-up').reply()

    assert "Several partners are called *Anna Schmidt*" in texts(reply), texts(reply)
    assert list(buttons(reply)) == ["Anna Schmidt (Acme)", "Anna Schmidt (Nordwind)", "Cancel"]
    assert count(rapport.db, Interaction) == 2
    rapport.command('"Anna Schmidt" (Nordwind) call follow-up').reply()
    assert count(rapport.db, Interaction) == 3


def test_the_modal_explains_an_ambiguous_new_partner_next_to_the_field(rapport) -> None:
    known(rapport)
    rapport.command('"Anna Schmidt" (Acme) call intro').reply()
    rapport.command('"Anna Schmidt" (Nordwind) call intro').reply()
    rapport.command("")
    view = rapport.slack.views()[-1]

    answer = rapport.submit(view, state_from(view, new_partner="Anna Schmidt"))

    errors = answer.json()["errors"]
    assert errors == {
        "new_partner": "Several partners are called “Anna Schmidt”: Anna Schmidt (Acme), "
        "Anna Schmidt (Nordwind). Pick one in the list above, or fill in the organisation to "
        "say which."
    }
