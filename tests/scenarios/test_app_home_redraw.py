"""The App Home beyond its first drawing, over signed HTTP on SQLite and PostgreSQL: the pages of
"My partners" (Previous/Next, a tampered value shows the first), the settings modal (opened from
the Home, good and bad values in English and German, saved as `/rapport settings` saves them),
the Home drawn again after the member's own actions (`/logcontact`, a nudge answer), coalesced
on the injected clock, only for members who opened it, and `views.publish` with the view's hash
(a conflict read again and published once more)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.blocks.home.settings_modal import AWAY, DAYS, HOLIDAYS, HOURS, LANGUAGE
from bot.blocks.home.view import (
    ACTION_HOME_PAGE_NEXT,
    ACTION_HOME_PAGE_PREVIOUS,
    ACTION_HOME_SETTINGS,
    HOME_PAGE_SIZE,
)
from bot.rules.clock import ManualClock
from bot.sandbox.loopback import wait_for
from bot.sandbox.standin import SlackStandIn
from bot.usecases.partners.home import COALESCE_SECONDS
from storage.models import Member
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.scenarios.test_app_home import home, logged, opened, publishes, texts
from tests.security.guests import GUESTS, Guest, cached_guest
from tests.support.app import RunningRapport
from tests.support.nudges import jobs_for, press, promise_dm
from tests.support.rows import all_of
from tests.support.world import NOW

ALICE, JONAS = "U0ALICE", "U0JONAS"
WINDOW = timedelta(seconds=COALESCE_SECONDS)
_ids = itertools.count(1)


def member(rapport: RunningRapport, user: str) -> Member:
    return next(m for m in all_of(rapport.db, Member) if m.slack_user_id == user)


def many_partners(rapport: RunningRapport, count: int, user: str = ALICE) -> None:
    """`count` partners of `user`'s beside the one logged first ("Acme")."""
    logged(rapport, "Acme call kickoff", user=user)
    owner = member(rapport, user).id
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, "T0ACME", NOW)
        for i in range(count):
            name = f"Partner {i:03}"
            add_partner(
                session, workspace.id, name=name, organisation=None, owner_id=owner, now=NOW
            )


def rows(rapport: RunningRapport, user: str = ALICE) -> list[str]:
    return [t for t in home(rapport, user) if t.startswith("*") and "\n" not in t]


def home_buttons(rapport: RunningRapport, user: str = ALICE) -> dict[str, str]:
    blocks = rapport.slack.home_views(user)[-1]["blocks"]
    return {
        e["action_id"]: e.get("value", "")
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
    }


def click_home(rapport: RunningRapport, action_id: str, value: str, user: str = ALICE) -> None:
    """A press on a Home button (Slack sends no response_url from a Home; the app needs none)."""
    assert rapport.click(action_id, value, user=user, block_id="home").answer.status == 200
    assert rapport.wait_until_idle()


# --- paging ------------------------------------------------------------------------------------


def test_three_hundred_partners_are_paged_forwards_and_back(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    many_partners(rapport, 299)
    clock.advance(timedelta(days=91))  # all but Acme are neglected: the list's order is fixed
    opened(rapport, ALICE)
    first = rows(rapport)
    assert len(first) == HOME_PAGE_SIZE
    assert "Partners 1–50 of 300" in home(rapport)
    assert home_buttons(rapport) == {ACTION_HOME_PAGE_NEXT: "50", ACTION_HOME_SETTINGS: "edit"}

    seen = list(first)
    for start in range(50, 300, 50):
        click_home(rapport, ACTION_HOME_PAGE_NEXT, home_buttons(rapport)[ACTION_HOME_PAGE_NEXT])
        page = rows(rapport)
        seen += page
        assert f"Partners {start + 1}–{start + len(page)} of 300" in home(rapport)
        assert home_buttons(rapport)[ACTION_HOME_PAGE_PREVIOUS] == str(start - 50)
    # Every partner once, none twice; the last page has no Next, and its "more" line is gone.
    assert len(seen) == len(set(seen)) == 300
    assert ACTION_HOME_PAGE_NEXT not in home_buttons(rapport)
    assert not any("more: `/rapport partners`" in t for t in home(rapport))

    click_home(rapport, ACTION_HOME_PAGE_PREVIOUS, "200")
    assert rows(rapport) == seen[200:250]
    assert "50 more: `/rapport partners`" in home(rapport)


@pytest.mark.parametrize("value", ["abc", "-50", "9999999", "", "٥٠"])
def test_a_tampered_page_value_shows_the_first_page(rapport: RunningRapport, value: str) -> None:
    many_partners(rapport, 120)
    opened(rapport, ALICE)
    first = rows(rapport)
    click_home(rapport, ACTION_HOME_PAGE_NEXT, "50")
    assert rows(rapport) != first

    click_home(rapport, ACTION_HOME_PAGE_NEXT, value)

    assert rows(rapport) == first


def test_a_page_beyond_the_list_shows_its_last_page_in_german(rapport: RunningRapport) -> None:
    many_partners(rapport, 70, user=JONAS)
    opened(rapport, JONAS)

    click_home(rapport, ACTION_HOME_PAGE_NEXT, "500", user=JONAS)

    shown = home(rapport, JONAS)
    assert "Partner 51–71 von 71" in shown
    assert len(rows(rapport, JONAS)) == 21
    assert home_buttons(rapport, JONAS)[ACTION_HOME_PAGE_PREVIOUS] == "0"


# --- the settings modal ------------------------------------------------------------------------


def open_settings(rapport: RunningRapport, user: str = ALICE) -> dict[str, Any]:
    before = len(rapport.slack.views())
    click_home(rapport, ACTION_HOME_SETTINGS, "edit", user=user)
    views = rapport.slack.views()
    assert len(views) == before + 1, "no settings modal opened"
    return views[-1]


def values(
    hours: str, days: list[str], language: str, holidays: str = "", away: str | None = None
) -> dict[str, Any]:
    return {
        HOURS: {"value": {"type": "plain_text_input", "value": hours}},
        DAYS: {
            "value": {
                "type": "checkboxes",
                "selected_options": [{"value": d} for d in days],
            }
        },
        LANGUAGE: {"value": {"type": "radio_buttons", "selected_option": {"value": language}}},
        HOLIDAYS: {"value": {"type": "plain_text_input", "value": holidays or None}},
        AWAY: {"value": {"type": "datepicker", "selected_date": away}},
    }


def test_settings_are_edited_in_a_modal_and_the_home_shows_them(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    modal = open_settings(rapport)
    fields = {b["block_id"]: b["element"] for b in modal["blocks"]}
    assert fields[HOURS]["initial_value"] == "09:00-18:00"
    published = publishes(rapport)

    answer = rapport.submit(
        modal, values("8:30-16", ["1", "2", "3", "4"], "en", "DE-BY", "2026-12-24")
    )
    assert rapport.wait_until_idle()

    assert answer.status == 200 and not answer.body
    alice = member(rapport, ALICE)
    assert (alice.work_start_minute, alice.work_end_minute, alice.work_days) == (510, 960, "1234")
    assert (alice.language, alice.public_holidays) == ("en", "DE-BY")
    assert alice.away_until == date(2026, 12, 24)
    # Saved within seconds of the Home's publish on opening: drawn again once they passed.
    assert publishes(rapport) == published
    clock.advance(WINDOW)
    assert rapport.wait_until_idle()
    assert publishes(rapport) == published + 1
    shown = "\n".join(home(rapport))
    assert "Mon–Thu, 08:30–16:00" in shown
    assert "DE-BY" in shown
    assert "Away until Thursday, December 24, 2026" in shown
    # ...and the settings command reads what the form saved.
    reply = rapport.command("settings").reply()["text"]
    assert "08:30–16:00" in reply and "DE-BY" in reply


def test_bad_settings_are_named_under_their_fields_in_german(rapport: RunningRapport) -> None:
    logged(rapport, "Acme Anruf Auftakt", user=JONAS)
    opened(rapport, JONAS)
    modal = open_settings(rapport, JONAS)
    before = member(rapport, JONAS)

    answer = rapport.submit(modal, values("17-8", [], "de", "XX", "2026-11-01"), user=JONAS)

    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors"
    errors = body["errors"]
    assert set(errors) == {HOURS, DAYS, HOLIDAYS, AWAY}
    assert errors[DAYS] == "Kreuze mindestens einen Arbeitstag an."
    assert errors[HOURS].startswith("Die Arbeitszeit muss am selben Tag")
    assert "„XX“" in errors[HOLIDAYS]
    assert errors[AWAY].startswith("Wähle einen Tag nach heute")
    after = member(rapport, JONAS)
    assert (after.work_start_minute, after.work_days, after.public_holidays) == (
        before.work_start_minute,
        before.work_days,
        before.public_holidays,
    )


def test_bad_settings_are_named_in_english_and_german_words_work_for_everyone(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    modal = open_settings(rapport)

    bad = rapport.submit(modal, values("1-5pm", ["1"], "fr"))
    errors = bad.json()["errors"]
    assert errors[HOURS].startswith("“1-5pm” could mean 01:00–17:00 or 13:00–17:00")
    assert errors[LANGUAGE] == "Choose one of the options offered."

    good = rapport.submit(modal, values("8 bis 17 Uhr", ["1", "2", "3", "4", "5"], "de", "keine"))
    assert good.status == 200 and not good.body
    alice = member(rapport, ALICE)
    assert (alice.work_start_minute, alice.work_end_minute) == (480, 1020)
    assert (alice.language, alice.public_holidays) == ("de", "none")


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_gets_no_settings_modal_and_saves_nothing(
    rapport: RunningRapport, guest: Guest
) -> None:
    cached_guest(rapport, guest)

    click_home(rapport, ACTION_HOME_SETTINGS, "edit", user=guest.user_id)
    assert rapport.slack.calls_to("views.open") == []

    modal = {"type": "modal", "callback_id": "rapport_home_settings_form", "blocks": []}
    answer = rapport.submit(modal, values("6-22", ["1"], "en"), user=guest.user_id)
    assert answer.status == 200 and not answer.body
    cached = member(rapport, guest.user_id)
    assert cached.work_start_minute != 6 * 60


def test_someone_of_another_organisation_gets_no_settings_modal(rapport: RunningRapport) -> None:
    rapport.click(ACTION_HOME_SETTINGS, "edit", user="U0KENJI", user_team="T0OTHER")
    assert rapport.wait_until_idle()

    assert rapport.slack.calls_to("views.open") == []


# --- redrawn after the member's own actions ----------------------------------------------------


def test_the_home_is_redrawn_after_a_logcontact(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    clock.advance(WINDOW)

    logged(rapport, "Globex call kickoff promise: send the deck by Friday")
    assert rapport.wait_until_idle()

    assert publishes(rapport) == 2
    shown = home(rapport)
    assert "*Globex* · :large_green_circle: fine" in shown
    assert any("send the deck" in t for t in shown)


def test_actions_within_seconds_make_one_publish_with_all_of_them(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)

    logged(rapport, "Globex call kickoff")
    clock.advance(timedelta(seconds=2))
    logged(rapport, "Initech call kickoff")
    assert rapport.wait_until_idle()
    assert publishes(rapport) == 1  # within the window of the publish on opening

    clock.advance(WINDOW - timedelta(seconds=2))
    assert rapport.wait_until_idle()

    assert publishes(rapport) == 2
    shown = "\n".join(home(rapport))
    assert "*Globex*" in shown and "*Initech*" in shown
    # Nothing more waits: moving on publishes nothing.
    clock.advance(WINDOW * 3)
    assert rapport.wait_until_idle()
    assert publishes(rapport) == 2


def test_no_home_is_drawn_for_a_member_who_never_opened_it(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    clock.advance(WINDOW)
    logged(rapport, "Globex call kickoff")
    clock.advance(WINDOW)
    assert rapport.wait_until_idle()

    assert publishes(rapport) == 0
    # Someone else's opening is theirs alone.
    logged(rapport, "Acme Anruf Auftakt", user=JONAS)
    opened(rapport, JONAS)
    logged(rapport, "Globex call again")
    clock.advance(WINDOW)
    assert rapport.wait_until_idle()
    assert rapport.slack.home_views(ALICE) == []


def test_the_home_is_redrawn_after_a_nudge_answer(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    jobs = jobs_for(rapport, clock, slack)
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    opened(rapport, ALICE)
    assert any("send the quote" in t for t in home(rapport))
    clock.advance(WINDOW)

    press(rapport, message, "promise", promise_id, "nudge_kept")

    assert publishes(rapport) == 2
    shown = home(rapport)
    assert not any("send the quote" in t for t in shown)
    assert "No open promises of yours." in shown


def test_an_opening_within_seconds_never_shows_a_view_older_than_the_last_change(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    """The clock stands still (as the sandbox's does): a promise marked kept from a DM and a
    Slack language change, which no Home action made, show as soon as the tab is opened."""
    jobs = jobs_for(rapport, clock, slack)
    message, promise_id = promise_dm(rapport, clock, slack, jobs)
    opened(rapport, ALICE)
    published = publishes(rapport)
    assert any("send the quote" in t for t in home(rapport))

    press(rapport, message, "promise", promise_id, "nudge_kept")
    assert publishes(rapport) == published, "within the window: the redraw waits"
    opened(rapport, ALICE)

    assert publishes(rapport) == published + 1
    shown = home(rapport)
    assert not any("send the quote" in t for t in shown)
    assert "No open promises of yours." in shown

    user = {"id": ALICE, "team_id": "T0ACME", "real_name": "Alice Berger", "locale": "de-DE"}
    assert rapport.event("EvLocale1", {"type": "user_change", "user": user}).status == 200
    assert rapport.wait_until_idle()
    opened(rapport, ALICE)

    assert publishes(rapport) == published + 2
    assert "Du hast keine offenen Zusagen." in home(rapport)
    # Opened again with nothing changed: no publish, however often.
    opened(rapport, ALICE)
    opened(rapport, ALICE)
    assert publishes(rapport) == published + 2
    # The redraw the answer left waiting finds its view shown already.
    clock.advance(WINDOW)
    assert rapport.wait_until_idle()
    assert publishes(rapport) == published + 2


# --- the hash ----------------------------------------------------------------------------------


OTHER_VIEW = {
    "type": "home",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}],
}


def other_process(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])


def hashes(rapport: RunningRapport) -> list[str | None]:
    return [call.args.get("hash") for call in rapport.slack.calls_to("views.publish")]


def test_the_hash_of_the_event_and_of_each_publish_is_passed_on(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    logged(rapport, "Acme call kickoff")
    # A Home Slack shows from before (another process published it): the event names its hash.
    shown = other_process(slack).views_publish(user_id=ALICE, view=OTHER_VIEW)
    event_hash = shown["view"]["hash"]
    event = {
        "type": "app_home_opened",
        "user": ALICE,
        "channel": "D0HOMEALICE",
        "tab": "home",
        "view": {"id": shown["view"]["id"], "type": "home", "hash": event_hash},
        "event_ts": "1764064800.000500",
    }
    assert rapport.event(f"EvHash{next(_ids)}", event).status == 200
    assert rapport.wait_until_idle()
    clock.advance(WINDOW)
    logged(rapport, "Globex call kickoff")
    assert rapport.wait_until_idle()

    calls = rapport.slack.calls_to("views.publish")
    assert [call.ok for call in calls] == [True, True, True]
    published = [v["hash"] for v in slack.home_views(ALICE)]
    assert hashes(rapport) == [None, event_hash, published[1]]


def test_a_hash_conflict_is_read_again_and_published_once_more(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    # Another process publishes in between: Rapport's hash is out of date.
    other_process(slack).views_publish(user_id=ALICE, view=OTHER_VIEW)
    clock.advance(WINDOW)

    logged(rapport, "Globex call kickoff")
    assert rapport.wait_until_idle()

    calls = rapport.slack.calls_to("views.publish")
    assert [(c.ok, c.error) for c in calls[-2:]] == [(False, "hash_conflict"), (True, None)]
    assert calls[-2].args.get("hash") and calls[-1].args.get("hash") is None
    assert "*Globex* · :large_green_circle: fine" in home(rapport)
    # The next publish goes with the hash of the one that won.
    clock.advance(WINDOW)
    logged(rapport, "Initech call kickoff")
    assert rapport.wait_until_idle()
    assert hashes(rapport)[-1] == slack.home_views(ALICE)[-2]["hash"]


def test_a_second_conflict_is_not_retried_again(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    clock.advance(WINDOW)
    slack.fail_next("views.publish", error="hash_conflict", status=200, times=3)

    logged(rapport, "Globex call kickoff")
    assert rapport.wait_until_idle()

    failed = [c for c in rapport.slack.calls_to("views.publish") if not c.ok]
    assert len(failed) == 2
    assert texts(slack.home_views(ALICE)[-1]["blocks"]) == home(rapport)


def test_a_waiting_redraw_is_published_by_its_thread_once_the_clock_has_moved(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    """Without anyone asking (no request, no `wait_until_idle`): the redraw thread looks each
    second and publishes once the injected clock is past the window."""
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    logged(rapport, "Globex call kickoff")
    assert publishes(rapport) == 1

    clock.advance(WINDOW)

    wait_for(lambda: publishes(rapport) == 2)
    wait_for(
        lambda: any("*Globex*" in t for t in texts(rapport.slack.home_views(ALICE)[-1]["blocks"]))
    )


def test_settings_saved_from_a_home_this_process_never_saw_opened_redraw_it(
    rapport: RunningRapport,
) -> None:
    """After a restart Rapport has not seen the Home opened; the button pressed on it says it is."""
    logged(rapport, "Acme call kickoff")
    modal = open_settings(rapport)

    rapport.submit(modal, values("7-15", ["1", "2", "3", "4", "5"], "en"))
    assert rapport.wait_until_idle()

    assert publishes(rapport) == 1
    assert any("07:00–15:00" in t for t in home(rapport))
