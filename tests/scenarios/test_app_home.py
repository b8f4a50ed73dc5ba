"""The App Home over signed HTTP to the running app, on SQLite and PostgreSQL: opening the Home
tab publishes the member's own view (a welcome before their first partner, then their partners
with their health and their open promises), the Messages tab publishes nothing, guests and
people of other organisations get no view, and opening the tab again within a few seconds of
the injected clock publishes nothing more."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.blocks.home.view import HOME_BLOCKS_MAX, partner_rows_wanted
from bot.rules.clock import ManualClock
from bot.usecases.partners.home import COALESCE_SECONDS
from storage.models import Member
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.security.guests import GUESTS, Guest, cached_guest, in_slack
from tests.support.app import RunningRapport
from tests.support.rows import all_of
from tests.support.world import NOW

ALICE, BOB, JONAS, KENJI = "U0ALICE", "U0BOB", "U0JONAS", "U0KENJI"
_event_ids = itertools.count(1)


def opened(rapport: RunningRapport, user: str, tab: str = "home") -> None:
    """An `app_home_opened` event as Slack sends it, and the work after its ack done."""
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME" + user[2:],
        "tab": tab,
        "event_ts": "1764064800.000500",
    }
    assert rapport.event(f"EvHome{next(_event_ids)}", event).status == 200
    assert rapport.wait_until_idle()


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def home(rapport: RunningRapport, user: str = ALICE) -> list[str]:
    """The texts of the newest Home view published for `user`, checked against Slack's model."""
    views = rapport.slack.home_views(user)
    assert views, f"no Home published for {user}"
    view = {"type": "home", "blocks": views[-1]["blocks"]}
    View(**view).validate_json()
    assert len(view["blocks"]) <= HOME_BLOCKS_MAX
    return texts(view["blocks"])


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element["text"]  # a context's text, or a button's plain text object
            found.append(text["text"] if isinstance(text, dict) else text)
    return found


def publishes(rapport: RunningRapport) -> int:
    return len(rapport.slack.calls_to("views.publish"))


def test_a_first_time_member_is_welcomed(rapport: RunningRapport) -> None:
    opened(rapport, ALICE)

    shown = "\n".join(home(rapport))
    assert "Welcome to Rapport" in shown
    assert "`/logcontact Acme call talked about the pilot`" in shown
    assert "`/rapport help`" in shown
    assert "My partners" not in shown


def test_a_first_time_member_is_welcomed_in_german(rapport: RunningRapport) -> None:
    opened(rapport, JONAS)

    shown = "\n".join(home(rapport, JONAS))
    assert "Willkommen bei Rapport" in shown
    assert "`/rapport hilfe`" in shown


def test_a_member_sees_their_own_partners_with_health_and_promises(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff promise: send the quote by Friday")
    logged(rapport, "Globex email sent the deck")
    logged(rapport, "Initech meeting lunch")
    logged(rapport, "Umbrella call intro", user=BOB)

    opened(rapport, ALICE)

    shown = home(rapport)
    assert shown[0] == "My partners"
    rows = [text for text in shown if text.startswith("*") and "\n" not in text]
    assert rows == [
        "*Acme* · :large_green_circle: fine",
        "*Globex* · :large_green_circle: fine",
        "*Initech* · :large_green_circle: fine",
    ]
    assert "My open promises" in shown
    promise = next(text for text in shown if "You promised" in text)
    assert promise.startswith("You promised *Acme*: send the quote")
    assert promise.endswith("\ndue Friday, November 27, 2026")
    # Bob's partner is his alone; and nothing said "more".
    assert not any("Umbrella" in text for text in shown)
    assert not any("more:" in text for text in shown)


def test_a_member_in_german_sees_their_partners_in_german(rapport: RunningRapport) -> None:
    logged(rapport, "Acme Anruf Auftakt Zusage: Angebot bis Freitag schicken", user=JONAS)

    opened(rapport, JONAS)

    shown = home(rapport, JONAS)
    assert shown[0] == "Meine Partner"
    assert "*Acme* · :large_green_circle: in Ordnung" in shown
    assert "Meine offenen Zusagen" in shown
    assert any(text.startswith("Du hast *") and " zugesagt: " in text for text in shown)


def test_many_partners_fill_the_view_and_the_rest_is_counted_exactly(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    alice = next(m.id for m in all_of(rapport.db, Member) if m.slack_user_id == ALICE)
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, "T0ACME", NOW)
        for i in range(299):
            add_partner(
                session,
                workspace.id,
                name=f"Partner {i:03}",
                organisation=None,
                owner_id=alice,
                now=NOW,
            )
    clock.advance(timedelta(days=91))  # the partners without contact are neglected now

    opened(rapport, ALICE)

    shown = home(rapport)
    rows = [text for text in shown if text.startswith("*") and "\n" not in text]
    assert len(rows) == partner_rows_wanted(0)
    assert f"{300 - len(rows)} more: `/rapport partners`" in shown
    assert "*Partner 000* · :red_circle: neglected" in rows


def test_the_messages_tab_publishes_nothing(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")

    opened(rapport, ALICE, tab="messages")

    assert publishes(rapport) == 0
    assert rapport.slack.home_views(ALICE) == []


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_gets_no_home(
    rapport: RunningRapport, guest: Guest, caplog: pytest.LogCaptureFixture
) -> None:
    cached_guest(rapport, guest)

    with caplog.at_level(logging.INFO, logger="bot.usecases.partners.home"):
        opened(rapport, guest.user_id)

    assert publishes(rapport) == 0
    said = [r.getMessage() for r in caplog.records if r.name == "bot.usecases.partners.home"]
    assert said == [f"no App Home for {guest.user_id}: not one of the company's members"]


def test_a_first_time_guest_gets_no_home_after_asking_slack(rapport: RunningRapport) -> None:
    guest = Guest("single-channel", "de")
    in_slack(rapport, guest)

    opened(rapport, guest.user_id)

    assert rapport.slack.calls_to("users.info")
    assert publishes(rapport) == 0


def test_someone_of_another_organisation_gets_no_home(rapport: RunningRapport) -> None:
    opened(rapport, KENJI)

    assert publishes(rapport) == 0


def test_opening_again_within_seconds_publishes_only_what_changed(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    opened(rapport, ALICE)
    opened(rapport, ALICE, tab="messages")
    opened(rapport, ALICE)
    assert publishes(rapport) == 1, "nothing changed: the view published moments ago is current"

    clock.advance(timedelta(seconds=COALESCE_SECONDS - 1))
    logged(rapport, "Globex call kickoff")
    opened(rapport, ALICE)

    # Opened within the window after a change: drawn again at once, not seconds later.
    assert publishes(rapport) == 2
    assert any("Globex" in text for text in home(rapport))
    opened(rapport, ALICE)
    assert publishes(rapport) == 2

    # Someone else's Home is theirs to publish, whatever Alice's window says.
    opened(rapport, JONAS)
    assert publishes(rapport) == 3

    # The redraw the contact left waiting finds the view already shown.
    clock.advance(timedelta(seconds=1))
    assert rapport.wait_until_idle()
    opened(rapport, ALICE)
    assert publishes(rapport) == 3

    clock.advance(timedelta(seconds=COALESCE_SECONDS))
    opened(rapport, ALICE)
    assert publishes(rapport) == 4, "past the window an opening publishes, as ever"


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_home_opened", "tab": "home"},
        {"type": "app_home_opened", "user": "not a slack id", "tab": "home"},
        {"type": "app_home_opened", "user": ["U0ALICE"], "tab": "home"},
        {"type": "app_home_opened", "user": "U0ALICE", "tab": ["home"]},
    ],
)
def test_an_event_in_a_shape_slack_does_not_send_publishes_nothing(
    rapport: RunningRapport, event: dict[str, Any]
) -> None:
    # The front door refuses some shapes itself (400); either way nothing is done.
    assert rapport.event(f"EvHome{next(_event_ids)}", event).status in (200, 400)
    assert rapport.wait_until_idle()

    assert publishes(rapport) == 0
