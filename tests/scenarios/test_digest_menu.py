"""The digest menu's safety: a redraw only where a digest may be posted, redraws that cannot
lose a claim, values Rapport did not write, and who is named how. Over signed HTTP to the
running app, on SQLite and PostgreSQL, pressed in English (Bob) and German (Jonas).

The digest is posted as in `test_digest_content` (its fixtures are reused).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from slack_sdk import WebClient

from bot.blocks.digest.message import CLAIM, LOG, TAKE_OVER, menu_value
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.texts.reader import text
from storage.models import Digest, DigestSubscription
from tests.scenarios.test_app_home import home, opened
from tests.scenarios.test_digest_content import (
    ALICE,
    BOB,
    CHANNEL,
    JONAS,
    claims,
    in_channel,
    partner_id,
    press,
    rows_of,
    team_digest,
)
from tests.support.app import RunningRapport
from tests.support.blocks import state_from, texts
from tests.support.world import TEAM

__all__ = ["team_digest"]  # the fixture, used by name

# A presser and the language their Slack is set to.
PRESSERS = [(BOB, "en"), (JONAS, "de")]


def updates(slack: SlackStandIn) -> int:
    return len(slack.calls_to("chat.update"))


def withdrawn(slack: SlackStandIn, digest: Digest, key: str) -> None:
    """The digest's message is one line now (the channel's language: English), no partner."""
    message = in_channel(slack, digest)
    assert text("en", key) in texts(message)
    assert rows_of(message) == []
    for name in ("Acme", "Globex", "Umbrella", "Alice"):
        assert name not in texts(message)


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
def test_no_redraw_into_a_channel_now_shared(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    # Shared, and no channel_shared event yet: the redraw itself must find it out.
    slack.update_channel(CHANNEL, is_ext_shared=True)
    answer = press(rapport, digest, CLAIM, acme, user=user)
    assert text(lang, "digest.redraw.shared") in texts(answer)
    assert [c[:2] for c in claims(rapport)] == [(acme, user)]  # the claim itself is saved
    withdrawn(slack, digest, "digest.message.withdrawn_shared")


def test_no_redraw_after_the_subscription_was_suspended_by_channel_shared(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    slack.update_channel(CHANNEL, is_pending_ext_shared=True)
    event = {"type": "channel_shared", "channel": CHANNEL, "connected_team_id": "T0PARTNER"}
    rapport.event("Ev-shared-1", {**event, "event_ts": "1.1"})
    assert rapport.wait_until_idle()
    with rapport.db.reading() as session:
        subscription = session.get(DigestSubscription, digest.subscription_id)
        assert subscription is not None and subscription.state == "suspended"
    # Withdrawn by the event itself; its old menu, pressed from a client not yet refreshed,
    # is a digest that lists nobody: refused, nothing saved.
    withdrawn(slack, digest, "digest.message.withdrawn_shared")
    answer = press(rapport, digest, CLAIM, acme, user=JONAS)
    assert text("de", "digest.claim.unknown_digest") in texts(answer)
    assert claims(rapport) == []


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
@pytest.mark.parametrize("kind", ["single-channel", "multi-channel"])
def test_no_redraw_after_a_guest_joined(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
    kind: str,
) -> None:
    digest = team_digest
    umbrella = partner_id(rapport, "Umbrella")
    restricted = {"is_ultra_restricted": True} if kind == "single-channel" else {}
    slack.add_user("U0GUEST", name="gina", real_name="Gina Gast", is_restricted=True, **restricted)
    slack.update_channel(CHANNEL, join=["U0GUEST"])
    answer = press(rapport, digest, TAKE_OVER, umbrella, user=user)
    assert text(lang, "digest.redraw.guests") in texts(answer)
    withdrawn(slack, digest, "digest.message.withdrawn_guests")


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
def test_no_redraw_when_the_subscription_is_off(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    before, shown = updates(slack), texts(in_channel(slack, digest))
    with rapport.db.transaction() as session:
        subscription = session.get(DigestSubscription, digest.subscription_id)
        assert subscription is not None
        subscription.state = "off"
    answer = press(rapport, digest, CLAIM, acme, user=user)
    assert text(lang, "digest.redraw.off") in texts(answer)
    # Posted to the team alone, the old message stays as it was.
    assert updates(slack) == before
    assert texts(in_channel(slack, digest)) == shown


def test_a_digest_switched_off_is_withdrawn_all_the_same_once_a_guest_joined(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    slack.add_user("U0GUEST", name="gina", real_name="Gina Gast", is_restricted=True)
    slack.update_channel(CHANNEL, join=["U0GUEST"])
    with rapport.db.transaction() as session:
        subscription = session.get(DigestSubscription, digest.subscription_id)
        assert subscription is not None
        subscription.state = "off"
    answer = press(rapport, digest, CLAIM, acme, user="U0BOB")
    assert text("en", "digest.redraw.guests") in texts(answer)
    withdrawn(slack, digest, "digest.message.withdrawn_guests")


def test_redraws_in_any_order_show_every_claim(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    """Two presses whose redraws run in either order, or at once on two threads: the message
    the last `chat.update` leaves shows both claims (each is drawn when it is sent)."""
    digest = team_digest
    acme, umbrella = partner_id(rapport, "Acme"), partner_id(rapport, "Umbrella")
    buttons = rapport.services.digest_buttons
    client = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])
    first = buttons.press(TEAM, BOB, menu_value(CLAIM, digest.id, acme), None)
    second = buttons.press(TEAM, JONAS, menu_value(CLAIM, digest.id, umbrella), None)
    assert first.redraw == second.redraw == digest.id
    # The second press's redraw first, then the first's.
    assert buttons.redraw(client, digest.id) is None
    assert buttons.redraw(client, digest.id) is None
    shown = texts(in_channel(slack, digest))
    assert shown.count(":raising_hand:") == 2
    # At once, from several threads: every chat.update is drawn under the digest's lock.
    threads = [threading.Thread(target=buttons.redraw, args=(client, digest.id)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert texts(in_channel(slack, digest)).count(":raising_hand:") == 2


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
def test_a_menu_value_with_digits_other_than_ascii_is_refused_plainly(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    before = updates(slack)
    for digits in ("\u00b2", "\u0663", "\uff11", f"{acme}\u00b2", "0" * 11 + str(acme), ""):
        value = f"{CLAIM}|{digest.id}:{digits}"
        answer = press(rapport, digest, CLAIM, acme, user=user, value=value)
        assert texts(answer) == text(lang, "digest.claim.unknown_digest"), digits
    # A digest never posted (or not Rapport's) is refused the same way.
    value = menu_value(CLAIM, "not-a-digest", acme)
    assert texts(press(rapport, digest, CLAIM, acme, user=user, value=value)) == text(
        lang, "digest.claim.unknown_digest"
    )
    assert claims(rapport) == []
    assert updates(slack) == before


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
def test_the_owner_is_told_their_own_partner_only_when_nobody_else_is_on_it(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
) -> None:
    digest = team_digest
    globex = partner_id(rapport, "Globex")  # Jonas's
    own = press(rapport, digest, CLAIM, globex, user=JONAS)
    assert "Globex" in texts(own)
    assert texts(own) == text("de", "digest.claim.own", partner="Globex")
    assert claims(rapport) == []
    if user == JONAS:
        return
    press(rapport, digest, CLAIM, globex, user=BOB)
    taken = texts(press(rapport, digest, CLAIM, globex, user=JONAS))
    assert taken.startswith(":information_source: @Bob Miller kümmert sich schon bis")
    assert "<@" not in taken


def test_take_over_from_a_digest_redraws_the_pressers_home(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    umbrella = partner_id(rapport, "Umbrella")
    opened(rapport, JONAS)
    assert not any("Umbrella" in line for line in home(rapport, JONAS))
    clock.advance(timedelta(minutes=5))
    press(rapport, digest, TAKE_OVER, umbrella, user=JONAS)
    assert rapport.wait_until_idle()
    assert any("Umbrella" in line for line in home(rapport, JONAS))
    # Alice's Home is not redrawn by Jonas's press.
    assert rapport.slack.home_views(ALICE) == []


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("de-DE", "de")])
def test_a_colleague_new_to_rapport_is_admitted_through_slack_and_the_press_counts(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    locale: str,
    lang: str,
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    slack.add_user("U0NINA", name="nina", real_name="Nina Neu", locale=locale)
    answer = press(rapport, digest, CLAIM, acme, user="U0NINA")
    said = texts(answer)
    assert ("For the next 14 days" if lang == "en" else "Die nächsten 14 Tage") in said
    assert [c[:2] for c in claims(rapport)] == [(acme, "U0NINA")]
    assert "@Nina Neu" in texts(in_channel(slack, digest)) or "<@U0NINA>" in texts(
        in_channel(slack, digest)
    )


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("de-DE", "de")])
@pytest.mark.parametrize("who", ["guest", "other organisation"])
def test_a_guest_or_someone_of_another_organisation_new_to_rapport_is_refused_plainly(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    locale: str,
    lang: str,
    who: str,
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    before = updates(slack)
    kind = {"is_restricted": True} if who == "guest" else {"team_id": "T0PARTNER"}
    slack.add_user("U0OUT", name="out", real_name="Otto Out", locale=locale, **kind)
    answer = press(rapport, digest, CLAIM, acme, user="U0OUT")
    assert text(lang, "access.refused") in texts(answer)
    assert claims(rapport) == []
    assert updates(slack) == before


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
def test_log_contact_on_a_neglected_partner_offers_a_check_in(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
) -> None:
    """Globex is neglected and its check-in overdue: the form's kind is Check-in, as a nudge's
    Log check-in; after a check-in is logged (the digest is redrawn: Globex is fine), the form
    offers a plain contact."""
    digest = team_digest
    globex = partner_id(rapport, "Globex")
    press(rapport, digest, LOG, globex, user=user)
    [view] = slack.views()
    kind = next(b for b in view["blocks"] if b["block_id"] == "kind")
    assert kind["element"]["initial_option"]["value"] == "check-in"
    # A check-in logged now: the partner is fine again, and the form offers a contact.
    rapport.submit(view, state_from(view, kind="check-in"), user=user)
    assert rapport.wait_until_idle()
    press(rapport, digest, LOG, globex, user=user)
    later = slack.views()[-1]
    kind = next(b for b in later["blocks"] if b["block_id"] == "kind")
    assert kind["element"]["initial_option"]["value"] == "contact"


@pytest.mark.parametrize(("user", "lang"), PRESSERS)
def test_a_contact_logged_from_the_digest_redraws_it_for_the_channel(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    team_digest: Digest,
    user: str,
    lang: str,
) -> None:
    """Log contact on neglected Globex, the form saved: the digest is drawn again for everyone,
    Globex no longer neglected, as after the digest's other menu choices."""
    digest = team_digest
    globex = partner_id(rapport, "Globex")
    neglected = text("en", "health.neglected")  # the channel's language, whoever presses
    [before] = [row for row in rows_of(in_channel(slack, digest)) if "Globex" in row]
    assert neglected in before
    press(rapport, digest, LOG, globex, user=user)
    assert rapport.wait_until_idle()
    updated = updates(slack)
    [view] = slack.views()

    rapport.submit(view, state_from(view, kind="check-in"), user=user)
    assert rapport.wait_until_idle()

    assert updates(slack) == updated + 1
    [after] = [row for row in rows_of(in_channel(slack, digest)) if "Globex" in row]
    assert neglected not in after and after != before
    assert text("en", "health.fine") in after
