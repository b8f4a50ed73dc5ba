"""Partner cards and profiles, end to end: `/rapport partner NAME`, the one-line profile change
and every button and form of the card, over signed HTTP to the running app, on SQLite and
PostgreSQL, in English and German.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.partner_card import (
    ACTION_EDIT,
    ACTION_HAND_OVER,
    ACTION_LOG,
    ACTION_PAGE,
    ACTION_PAUSE,
    ACTION_RESUME,
    ACTION_SHOW,
)
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Interaction, Member, Partner
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.security.guests import GUESTS, Guest, cached_guest
from tests.support.after_hours import person
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.nudges import check_in_dm, jobs_for, press
from tests.support.rows import all_of, owner_of
from tests.support.world import NOW

ALICE, JONAS = "U0ALICE", "U0JONAS"
RAPPORT = "/rapport"


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


# --- helpers -------------------------------------------------------------------------------------


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def card(
    rapport: RunningRapport, name: str = "Acme", organisation: str | None = None, user: str = ALICE
) -> dict[str, Any]:
    """The card `/rapport partner NAME (ORGANISATION)` answers, typed by `user` over signed
    HTTP."""
    return checked(
        rapport.command(f"partner {named(name, organisation)}", user=user, command=RAPPORT).reply()
    )


def set_profile(
    rapport: RunningRapport, assignments: str, name: str = "Acme", user: str = ALICE
) -> dict[str, Any]:
    """What `/rapport partner NAME set ASSIGNMENTS` answers."""
    typed = f"partner {named(name, None)} set {assignments}"
    return checked(rapport.command(typed, user=user, command=RAPPORT).reply())


def named(name: str, organisation: str | None) -> str:
    quoted = f'"{name}"' if " " in name else name
    return f"{quoted} ({organisation})" if organisation else quoted


def checked(body: dict[str, Any]) -> dict[str, Any]:
    assert len(body["blocks"]) <= 50
    for block in body["blocks"]:
        Block.parse(block).validate_json()
    return body


def shown(message: dict[str, Any]) -> str:
    return (texts(message) + "\n" + message.get("text", "")).replace("\u202f", " ")


def partner(rapport: RunningRapport, name: str = "Acme") -> Partner:
    return next(p for p in all_of(rapport.db, Partner) if p.name == name)


def profile_of(p: Partner) -> tuple[Any, ...]:
    return (
        p.tz,
        p.tz_source,
        p.business_start_minute,
        p.business_end_minute,
        p.business_days,
        p.preferred_channel,
        p.language,
        p.cadence_days,
        p.email,
        p.organisation,
    )


def press_on(
    rapport: RunningRapport, message: dict[str, Any], label: str, user: str = ALICE
) -> Any:
    """Press the button labelled `label` on a card the user sees; answered at a new URL."""
    button = buttons(message)[label]
    return rapport.click(button["action_id"], button.get("value"), user=user)


# --- the card ------------------------------------------------------------------------------------


def test_the_card_shows_profile_history_and_promises_both_ways(rapport, clock) -> None:
    logged(rapport, "Acme call 2026-11-20 kickoff with <b>Ana</b> & team")
    logged(rapport, "Acme email yesterday sent the deck promise: send the quote by Friday")
    logged(rapport, "Acme meeting today they promised: the signed contract by Thursday")
    set_profile(rapport, "tz Asia/Tokyo hours 9-18 days mon-fri prefers email lang en cadence 60")
    clock.advance(timedelta(days=2))  # Friday 27 November, 10:00 in Berlin

    message = card(rapport)

    text = shown(message)
    assert ":bust_in_silhouette: *Acme*" in text
    # 10:00 in Berlin is 18:00 in Tokyo: their business day has just ended.
    assert "Asia/Tokyo (set by hand), 6:00 PM there now (outside their business hours)" in text
    assert "Mon–Fri, 09:00–18:00" in text
    assert "*Prefers*\ne-mail" in text and "*Language*\nEnglish" in text
    assert "every 60 days" in text and "*Status*\nactive" in text
    # First contact Friday 20 November, no check-in yet: 60 days on, in Alice's zone.
    assert "*Next check-in*\nTuesday, January 19, 2027" in text
    assert "*Last contacts* (3)" in text
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; team" in text  # the note, escaped
    assert "<b>" not in text
    assert "*Our open promises to them* (1)" in text
    assert "send the quote, due Friday, November 27, 2026 (<@U0ALICE>)" in text
    assert "*Their open promises to us* (1)" in text
    assert "the signed contract, :warning: overdue since Thursday, November 26, 2026" in text
    assert set(buttons(message)) == {"Log contact", "Edit profile", "Hand over", "Pause"}


def test_an_unknown_name_gets_near_names_and_a_shared_name_the_candidates(rapport) -> None:
    logged(rapport, '"Jens Ohlsen" (Nordwind GmbH) Treffen', user=JONAS)
    logged(rapport, '"Jens Ohlsen" (Südwind AG) Anruf', user=JONAS)
    logged(rapport, '"Acme Corp" call kickoff')

    unknown = shown(card(rapport, "Acme Crop"))
    assert "I don't know a partner called *Acme Crop*. Did you mean *Acme Corp*?" in unknown

    several = shown(card(rapport, "jens ohlsen", user=JONAS))
    assert "Mehrere Partner heißen *jens ohlsen*" in several
    assert "*Jens Ohlsen (Nordwind GmbH)*, *Jens Ohlsen (Südwind AG)*" in several

    one = shown(card(rapport, "Jens Ohlsen", "Südwind AG", user=JONAS))
    assert "*Jens Ohlsen (Südwind AG)*" in one and "*Zuständig*\n<@U0JONAS>" in one

    # An organisation without its legal form is near its partners, as in `/logcontact`.
    organisation = shown(card(rapport, "Nordwind", user=JONAS))
    assert "Einen Partner namens *Nordwind* kenne ich nicht." in organisation
    assert "Meintest du *Jens Ohlsen (Nordwind GmbH)*?" in organisation

    nothing_near = shown(card(rapport, "Nord", user=JONAS))
    assert "Einen Partner namens *Nord* kenne ich nicht." in nothing_near
    assert "`/rapport partner suchen Nord`" in nothing_near


def test_a_slack_connect_partner_by_mention(rapport) -> None:
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    by_mention = shown(card(rapport, "<@U0KENJI|kenji>"))
    assert "Kenji Sato" in by_mention and "don't know" not in by_mention

    typed = "partner <@U0KENJI|kenji> set cadence 30"
    saved = shown(checked(rapport.command(typed, user=ALICE, command=RAPPORT).reply()))
    assert "Saved the profile of *Kenji Sato*" in saved
    assert partner(rapport, "Kenji Sato").cadence_days == 30

    nobody = shown(card(rapport, "<@U0BOB|bob>"))
    assert "I don't know a partner called *@bob*." in nobody


def test_a_card_in_german_with_nothing_set(rapport) -> None:
    logged(rapport, '"Jens Ohlsen" (Nordwind GmbH) Treffen', user=JONAS)

    text = shown(card(rapport, "Jens Ohlsen", user=JONAS))

    assert "*Zeitzone*\nunbekannt" in text
    assert "*Geschäftszeiten*\nMo–Fr, 09:00–18:00 (nicht festgelegt: der Standard)" in text
    assert "*Bevorzugt*\nnicht festgelegt" in text and "alle 90 Tage" in text
    assert "*Letzte Kontakte* (1)" in text
    assert set(buttons(card(rapport, "Jens Ohlsen", user=JONAS))) == {
        "Kontakt erfassen",
        "Profil bearbeiten",
        "Übergeben",
        "Pausieren",
    }


# --- the profile in one line ---------------------------------------------------------------------


def test_the_profile_in_one_line_in_english_and_german(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)

    reply = shown(
        set_profile(
            rapport,
            "tz Asia/Tokyo hours 9-18 days mon-fri prefers email lang en cadence 60 "
            'email <mailto:ana@acme.example|ana@acme.example> org "Acme GmbH"',
        )
    )

    assert "Saved the profile of *Acme (Acme GmbH)*." in reply
    assert profile_of(partner(rapport)) == (
        "Asia/Tokyo",
        "typed",
        540,
        1080,
        "12345",
        "email",
        "en",
        60,
        "ana@acme.example",
        "Acme GmbH",
    )

    german = shown(
        set_profile(
            rapport,
            "zeitzone Europe/Lisbon zeiten 9:30-17:30 tage mo,mi,fr bevorzugt Telefon "
            "sprache deutsch rhythmus 3 monate",
            user=JONAS,
        )
    )
    assert "Das Profil von *Acme (Acme GmbH)* ist gespeichert." in german
    assert profile_of(partner(rapport))[:8] == (
        "Europe/Lisbon",
        "typed",
        570,
        1050,
        "135",
        "phone",
        "de",
        90,
    )


@pytest.mark.parametrize(
    ("user", "assignments", "said"),
    [
        (ALICE, "tz Mars/Olympus", "“Mars/Olympus” is not a time zone I know"),
        (JONAS, "zeitzone MEZ", "„MEZ“ ist keine Zeitzone, die ich kenne"),
        (ALICE, "hours 18-9", "Business hours have to end after they start, and 18:00–09:00"),
        (JONAS, "zeiten 17:30-09:00", "Geschäftszeiten müssen nach ihrem Beginn enden"),
        (ALICE, "cadence 0", "A cadence of “0” is out of range: between 7 and 365 days."),
        (JONAS, "rhythmus 2 jahre", "Ein Rhythmus von „2 jahre“ geht nicht"),
        (ALICE, "email ana@", "“ana@” is not an e-mail address"),
        (ALICE, "tz Asia/Tokyo colour blue", "“colour” is not part of a profile"),
        (JONAS, "bevorzugt Fax", "„Fax“ ist kein Kanal"),
    ],
)
def test_a_bad_value_changes_nothing_and_says_what_and_how(
    rapport, user: str, assignments: str, said: str
) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    set_profile(rapport, "tz Europe/Berlin cadence 30")
    before = profile_of(partner(rapport))

    reply = shown(set_profile(rapport, assignments, user=user))

    assert said in reply
    assert ("Nothing changed." in reply) or ("Es hat sich nichts geändert." in reply)
    assert "/rapport partner Acme set" in reply  # the example
    assert profile_of(partner(rapport)) == before


def test_an_organisation_another_partner_of_that_name_has_is_refused(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    asked = rapport.command("Acme (Acme GmbH) call kickoff", user=ALICE).reply()
    second = buttons(asked)["New partner Acme (Acme GmbH)"]  # Acme may be at Acme GmbH
    rapport.click(second["action_id"], second["value"], user=ALICE).later()

    several = shown(set_profile(rapport, "org Acme AG", name="Acme"))
    assert "Several partners are called *Acme*: *Acme*, *Acme (Acme GmbH)*" in several

    typed = "partner Acme (Acme GmbH) set org clear"
    reply = checked(rapport.command(typed, user=ALICE, command=RAPPORT).reply())

    assert "Another partner is already called *Acme*." in shown(reply)
    assert sorted(p.organisation or "" for p in all_of(rapport.db, Partner)) == ["", "Acme GmbH"]


# --- the buttons ---------------------------------------------------------------------------------


def test_edit_profile_opens_the_form_shows_errors_in_place_and_saves(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    message = card(rapport)

    pressed = press_on(rapport, message, "Edit profile")
    assert pressed.answer.status == 200
    [view] = rapport.slack.views()
    assert view["callback_id"] == "partner_profile"
    assert len(view["blocks"]) <= 100

    bad = rapport.submit(view, state_from(view, tz="Europe/Atlantis", hours="18-9"))
    assert bad.json()["response_action"] == "errors"
    errors = bad.json()["errors"]
    assert "“Europe/Atlantis” is not a time zone I know" in errors["tz"]
    assert "18:00–09:00" in errors["hours"]
    assert partner(rapport).tz is None

    state = state_from(
        view, tz="America/New_York", hours="08:30–17:00", email="ana@acme.example", channel="phone"
    )
    state["days"]["days_select"]["selected_options"] = [{"value": "1"}, {"value": "3"}]
    state["cadence"]["cadence_input"]["value"] = "45"
    good = rapport.submit(view, state)
    assert good.status == 200 and good.body in ("", b"")
    assert rapport.wait_until_idle()

    assert profile_of(partner(rapport)) == (
        "America/New_York",
        "typed",
        510,
        1020,
        "13",
        "phone",
        None,
        45,
        "ana@acme.example",
        None,
    )
    [replaced] = rapport.slack.responses(pressed.response_url)
    assert replaced["replace_original"] is True
    assert "Saved the profile of *Acme*." in shown(replaced)
    assert "Mon, Wed, 08:30–17:00" in shown(replaced)


def test_a_profile_form_for_another_workspaces_partner_changes_nothing(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", NOW)
        stranger = add_partner(
            session, other.id, name="Secret Ltd", organisation=None, owner_id=None, now=NOW
        )
        assert stranger is not None
        session.flush()
        stranger_id = stranger.id
    pressed = press_on(rapport, card(rapport), "Edit profile")
    [view] = rapport.slack.views()
    view["private_metadata"] = view["private_metadata"].replace(
        f'"p":{partner(rapport).id}', f'"p":{stranger_id}'
    )

    answer = rapport.submit(view, state_from(view, tz="Asia/Tokyo"))

    assert answer.status == 200
    assert rapport.wait_until_idle()
    assert all(p.tz is None for p in all_of(rapport.db, Partner))
    assert "That partner is no longer in this workspace's list" in shown(
        rapport.slack.responses(pressed.response_url)[0]
    )


def test_pause_and_resume_in_german(rapport) -> None:
    logged(rapport, '"Jens Ohlsen" Treffen', user=JONAS)
    message = card(rapport, "Jens Ohlsen", user=JONAS)

    pressed = press_on(rapport, message, "Pausieren", user=JONAS)

    paused = pressed.later()
    assert "*Jens Ohlsen* ist pausiert" in shown(paused)
    assert "*Status*\npausiert, bis jemand fortsetzt" in shown(paused)
    assert partner(rapport, "Jens Ohlsen").status == "paused"

    again = press_on(rapport, paused, "Fortsetzen", user=JONAS).later()
    assert "*Jens Ohlsen* ist wieder aktiv" in shown(again)
    assert partner(rapport, "Jens Ohlsen").status == "active"

    # A second press on the old card changes nothing more and says so.
    stale = press_on(rapport, message, "Pausieren", user=JONAS).later()
    assert partner(rapport, "Jens Ohlsen").status == "paused"
    stale_again = press_on(rapport, message, "Pausieren", user=JONAS).later()
    assert "war schon pausiert" in shown(stale_again) and "pausiert" in shown(stale)


def test_resume_ends_a_pause_picked_in_a_nudge(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    acme_id = partner(rapport).id
    with rapport.db.transaction() as session:
        session.get(Partner, acme_id).paused_until = date(2027, 1, 4)

    message = card(rapport)
    assert "*Status*\npaused until Monday, January 4, 2027" in shown(message)

    resumed = press_on(rapport, message, "Resume").later()

    assert "*Acme* is active again" in shown(resumed)
    assert (partner(rapport).status, partner(rapport).paused_until) == ("active", None)


def add_history(rapport: RunningRapport, contacts: int) -> None:
    """`contacts` contacts with Acme, one a day back from yesterday, straight into the table."""
    acme = partner(rapport)
    alice = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == ALICE)
    with rapport.db.transaction() as session:
        session.add_all(
            Interaction(
                workspace_id=acme.workspace_id,
                partner_id=acme.id,
                member_id=alice.id,
                occurred_at=datetime(2026, 11, 24, 12, tzinfo=UTC) - timedelta(days=n),
                has_time=False,
                medium="call",
                kind="contact",
                direction="mutual",
                note=f"note number {n + 1}",
                source="command",
                created_at=NOW,
            )
            for n in range(contacts)
        )
        refresh_contact_times(session, [acme.id])


def test_older_contacts_page_through_with_exact_counts(rapport) -> None:
    logged(rapport, "Acme call 2026-06-01 the very first")
    add_history(rapport, 24)  # 25 in all

    message = card(rapport)
    assert "*Last contacts* (10 of 25)" in shown(message)

    second = press_on(rapport, message, "Older contacts").later()
    assert "*Contacts with Acme*: 11–20 of 25, latest first" in shown(second)
    assert "note number 11" in shown(second) and "note number 10" not in shown(second)
    assert set(buttons(second)) == {"Newer contacts", "Older contacts", "Back to the card"}

    third = press_on(rapport, second, "Older contacts").later()
    assert "21–25 of 25" in shown(third) and "the very first" in shown(third)
    assert set(buttons(third)) == {"Newer contacts", "Back to the card"}

    back = press_on(rapport, third, "Back to the card").later()
    assert ":bust_in_silhouette: *Acme*" in shown(back)

    tampered = rapport.click(ACTION_PAGE, f"{partner(rapport).id}:x").later()
    assert "Contacts with" not in shown(tampered)


def test_a_partner_with_two_thousand_contacts_and_many_promises_fits_one_message(
    rapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    for n in range(12):
        logged(rapport, f"Acme email item {n} promise: send part {n} by Friday")
        logged(rapport, f"Acme email item {n} they promised: part {n} back by Friday")
    add_history(rapport, 2000 - 25)

    message = card(rapport)  # `checked`: valid blocks, 50 at most

    text = shown(message)
    assert "*Last contacts* (10 of 2,000)" in text
    assert "*Our open promises to them* (12)" in text and "…and 7 more" in text
    assert "*Their open promises to us* (12)" in text
    last_page = rapport.click(ACTION_PAGE, f"{partner(rapport).id}:199").later()
    assert "1,991–2,000 of 2,000" in shown(last_page)
    assert len(last_page["blocks"]) <= 50
    beyond = rapport.click(ACTION_PAGE, f"{partner(rapport).id}:250").later()
    assert "there are 2,000, none this far back" in shown(beyond)


def test_hand_over_through_its_form_follows_the_ownership_rules(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    message = card(rapport)

    pressed = press_on(rapport, message, "Hand over")
    [view] = rapport.slack.views()
    assert view["blocks"][0]["element"]["type"] == "users_select"
    owner = {"owner": {"owner_select": {"type": "users_select", "selected_user": "U0BOB"}}}

    answer = rapport.submit(view, owner)

    assert answer.status == 200
    assert rapport.wait_until_idle()
    [replaced] = rapport.slack.responses(pressed.response_url)
    assert "<@U0BOB> now looks after *Acme*" in shown(replaced)  # Bob looked up in Slack first
    assert "*Looked after by*\n<@U0BOB>" in shown(replaced)
    assert owner_of(rapport, "Acme") == "U0BOB"

    # Jonas neither owns Acme now nor is an admin: refused, nothing changed.
    known(rapport, JONAS)
    by_jonas = press_on(rapport, card(rapport, user=JONAS), "Übergeben", user=JONAS)
    view = rapport.slack.views()[-1]
    mine = {"owner": {"owner_select": {"type": "users_select", "selected_user": JONAS}}}
    assert rapport.submit(view, mine, user=JONAS).status == 200
    assert rapport.wait_until_idle()
    refused = shown(rapport.slack.responses(by_jonas.response_url)[0])
    assert "Es hat sich nichts geändert." in refused
    assert owner_of(rapport, "Acme") == "U0BOB"


def test_log_contact_opens_the_contact_form_for_this_partner(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    set_profile(rapport, "prefers phone")

    pressed = press_on(rapport, card(rapport), "Log contact")

    [view] = rapport.slack.views()
    assert view["callback_id"] == "log_contact"
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["partner"]["initial_option"]["value"] == str(partner(rapport).id)
    assert inputs["medium"]["initial_option"]["value"] == "call"
    assert inputs["when"]["initial_date"] == "2026-11-25"
    state = state_from(view, note="follow-up call")
    state["partner"]["partner_select"]["selected_option"] = {"value": str(partner(rapport).id)}
    assert rapport.submit(view, state).status == 200
    assert rapport.wait_until_idle()
    assert len(all_of(rapport.db, Interaction)) == 2
    assert "Logged your contact with *Acme*" in shown(
        rapport.slack.responses(pressed.response_url)[0]
    )


@pytest.mark.parametrize("guest", GUESTS[:2])
def test_a_guest_is_refused_the_cards_buttons(rapport, guest: Guest) -> None:
    logged(rapport, "Acme call confidential pricing talk")
    message = card(rapport)
    cached_guest(rapport, guest)
    before = profile_of(partner(rapport)), partner(rapport).status

    for action_id in (ACTION_PAUSE, ACTION_EDIT, ACTION_SHOW):
        pressed = rapport.click(
            action_id, buttons(message)["Edit profile"]["value"], user=guest.user_id
        )
        assert pressed.answer.status == 200
        answer = pressed.later()
        assert guest.refused in answer["text"]
        assert "Acme" not in shown(answer) and "pricing" not in shown(answer)

    assert rapport.slack.views() == []
    assert (profile_of(partner(rapport)), partner(rapport).status) == before


def test_someone_of_another_organisation_is_refused(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    value = buttons(card(rapport))["Pause"]["value"]

    pressed = rapport.click(ACTION_PAUSE, value, user="U0KENJI", user_team="T0PARTNER")

    assert pressed.answer.status == 200
    assert partner(rapport).status == "active"
    assert rapport.slack.views() == []


def test_buttons_for_a_partner_gone_or_of_another_workspace_change_nothing(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    for value in ("999999", "abc", ""):
        gone = rapport.click(ACTION_RESUME, value).later()
        assert "That partner is no longer in this workspace's list" in shown(gone)
    opened = rapport.click(ACTION_HAND_OVER, "999999").later()
    assert "no longer" in shown(opened) and rapport.slack.views() == []
    logged_form = rapport.click(ACTION_LOG, "0").later()
    assert "no longer" in shown(logged_form)


# --- the preferred channel in nudges -------------------------------------------------------------


def test_the_preferred_channel_shows_in_the_nudge_and_prefills_log_check_in(
    rapport, clock, slack, jobs
) -> None:
    logged(rapport, "Acme call 2026-08-26 talked about the rollout")
    set_profile(rapport, "prefers meeting tz Europe/London hours 9-17")

    message, partner_id = check_in_dm(rapport, clock, slack, jobs)

    assert "prefers meeting in person" in str(message["blocks"])
    assert "for them (Europe/London)" in str(message["blocks"])
    press(rapport, message, "check_in", partner_id, "nudge_check_in")
    [opened] = slack.views()
    inputs = {b["block_id"]: b["element"] for b in opened["blocks"] if b["type"] == "input"}
    assert inputs["medium"]["initial_option"]["value"] == "meeting"
    assert inputs["kind"]["initial_option"]["value"] == "check-in"


# --- a Slack Connect partner's zone, refreshed daily --------------------------------------------


def kenji_in_slack(slack: SlackStandIn, tz: str) -> None:
    slack.add_user(
        "U0KENJI",
        team_id="T0PARTNER",
        name="kenji",
        real_name="Kenji Sato",
        tz=tz,
        email="kenji@partner.example",
    )


def test_a_slack_connect_partners_zone_is_refreshed_daily_unless_one_was_typed(
    rapport, clock, slack, jobs
) -> None:
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    assert partner(rapport, "Kenji Sato").tz == "Asia/Tokyo"
    kenji_in_slack(slack, "Asia/Seoul")
    slack.reset()

    jobs.plan_once()
    assert slack.calls_to("users.info") == [], "read a moment ago: not asked again yet"

    clock.advance(timedelta(days=1, minutes=5))
    jobs.plan_once()
    assert [c.args["user"] for c in slack.calls_to("users.info")] == ["U0KENJI"]
    assert (partner(rapport, "Kenji Sato").tz, partner(rapport, "Kenji Sato").tz_source) == (
        "Asia/Seoul",
        "slack",
    )
    jobs.plan_once()
    assert len(slack.calls_to("users.info")) == 1, "once a day"

    set_profile(rapport, "tz Europe/Berlin", name="Kenji Sato")
    kenji_in_slack(slack, "Asia/Tokyo")
    clock.advance(timedelta(days=1, minutes=5))
    jobs.plan_once()
    # (the command refreshed Alice's own day-old profile too: only Kenji's calls count here)
    assert [c.args["user"] for c in slack.calls_to("users.info")].count("U0KENJI") == 2
    kenji = partner(rapport, "Kenji Sato")
    assert (kenji.tz, kenji.tz_source) == ("Europe/Berlin", "typed"), "a typed zone is kept"

    profile = {"id": "U0KENJI", "team_id": "T0PARTNER", "real_name": "Kenji Sato", "tz": "UTC"}
    assert rapport.event("EvKenji1", {"type": "user_change", "user": profile}).status == 200
    assert partner(rapport, "Kenji Sato").tz == "Europe/Berlin", "user_change keeps it too"

    set_profile(rapport, "tz clear", name="Kenji Sato")
    jobs.plan_once()
    kenji = partner(rapport, "Kenji Sato")
    assert (kenji.tz, kenji.tz_source) == ("Asia/Tokyo", "slack"), "cleared: Slack's again"


# --- a typed zone cleared: Slack's again, at once ----------------------------------------------


def kenji_with_a_typed_zone(rapport: RunningRapport, slack: SlackStandIn) -> None:
    """Kenji, a Slack Connect partner (Slack says Asia/Seoul now), with Europe/Berlin typed."""
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    set_profile(rapport, "tz Europe/Berlin", name="Kenji Sato")
    kenji_in_slack(slack, "Asia/Seoul")
    assert rapport.wait_until_idle()
    slack.reset()


def test_a_cleared_zone_is_taken_from_the_cached_slack_profile_at_once(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    kenji_with_a_typed_zone(rapport, slack)
    # Seen in a shared channel an hour ago: the directory cached Slack's Asia/Tokyo then.
    person(rapport.db, "U0KENJI", "Kenji Sato", clock.now() - timedelta(hours=1), "T0PARTNER")

    shown = texts(set_profile(rapport, "tz clear", name="Kenji Sato"))
    assert rapport.wait_until_idle()

    assert "Asia/Tokyo" in shown and "JP (Japan), from their time zone" in shown
    assert "not known" not in shown and "names no country" not in shown
    kenji = partner(rapport, "Kenji Sato")
    assert (kenji.tz, kenji.tz_source) == ("Asia/Tokyo", "slack")
    assert kenji.profile_refreshed_at == clock.now() - timedelta(hours=1)
    assert slack.calls_to("users.info") == [], "what Rapport knew was enough"


@pytest.mark.parametrize(
    ("user", "unknown", "holidays"),
    [
        (ALICE, "not known", "from their time zone, once it is known"),
        (JONAS, "unbekannt", "aus ihrer Zeitzone, sobald sie bekannt ist"),
    ],
)
def test_a_cleared_zone_with_nothing_cached_is_asked_of_slack_after_the_ack(
    rapport: RunningRapport, slack: SlackStandIn, user: str, unknown: str, holidays: str
) -> None:
    kenji_with_a_typed_zone(rapport, slack)
    known(rapport, user)

    typed = 'partner "Kenji Sato" set tz clear'
    cleared = rapport.command(typed, user=user, command=RAPPORT)
    shown = texts(checked(cleared.reply()))

    # The card in the ack cannot wait for Slack: it says the zone is not known yet, and that
    # the holidays will follow it, not that the zone names no country.
    assert unknown in shown and holidays in shown
    assert "names no country" not in shown and "nennt kein Land" not in shown
    assert rapport.wait_until_idle()
    # Then what Slack gave is said below that card, in the asker's language.
    told = cleared.later()["text"]
    said = "Slack gave the time zone" if user == ALICE else "Slack hat die Zeitzone genannt"
    assert said in told and "*Kenji Sato*: Asia/Seoul" in told
    assert [c.args["user"] for c in slack.calls_to("users.info")].count("U0KENJI") == 1
    kenji = partner(rapport, "Kenji Sato")
    assert (kenji.tz, kenji.tz_source) == ("Asia/Seoul", "slack")
    assert kenji.profile_refreshed_at is not None
    # The card shows it from now on.
    assert "Asia/Seoul" in texts(card(rapport, "Kenji Sato", user=user))


def test_clearing_a_zone_that_came_from_slack_asks_nobody(
    rapport: RunningRapport, slack: SlackStandIn
) -> None:
    rapport.command("<@U0KENJI|kenji> call talked about the Osaka pilot").later()
    slack.reset()
    set_profile(rapport, "tz clear", name="Kenji Sato")
    assert rapport.wait_until_idle()
    assert "U0KENJI" not in [c.args.get("user") for c in slack.calls_to("users.info")]
    assert partner(rapport, "Kenji Sato").tz == "Asia/Tokyo"


def test_a_zone_emptied_in_the_profile_form_is_asked_of_slack_after_the_ack(
    rapport: RunningRapport, slack: SlackStandIn
) -> None:
    kenji_with_a_typed_zone(rapport, slack)
    pressed = press_on(rapport, card(rapport, "Kenji Sato"), "Edit profile")
    [view] = slack.views()

    answer = rapport.submit(view, state_from(view, tz=""))

    assert answer.status == 200
    assert rapport.wait_until_idle()
    assert [c.args["user"] for c in slack.calls_to("users.info")].count("U0KENJI") == 1
    kenji = partner(rapport, "Kenji Sato")
    assert (kenji.tz, kenji.tz_source) == ("Asia/Seoul", "slack")
    saved = shown(slack.responses(pressed.response_url)[0])
    assert "from their time zone, once it is known" in saved  # the card before Slack answered
    told = slack.responses(pressed.response_url)[1]["text"]
    assert "Slack gave the time zone: *Kenji Sato*: Asia/Seoul" in told
