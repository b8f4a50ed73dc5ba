"""`/rapport digest status` tells what became of the digests posted in its channel once the
channel could no longer read partner data: withdrawn (and why, asked of Slack afresh, or the
suspension's reason), being withdrawn or retried while Slack refuses (since when, the next
try), and given up (why, and what to do). In the asker's language (Alice reads English, Jonas
German), over signed HTTP to the running app and the Slack stand-in, on SQLite and PostgreSQL.

The digest is posted as in `test_digest_content` (its fixtures are reused).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.usecases.digests.withdrawals import MAX_ATTEMPTS
from scheduler.jobs import Jobs
from storage.models import Digest, DigestWithdrawal
from storage.queries.digests.withdrawal import note_withdrawal
from tests.scenarios.test_digest_content import JONAS, jobs, team_digest
from tests.scenarios.test_digest_subscriptions import digest, said
from tests.scenarios.test_digest_withdrawal import SHARED, guest_in_channel, joined
from tests.support.app import RunningRapport
from tests.support.blocks import texts

__all__ = ["jobs", "team_digest"]  # the fixtures, used by name
BERLIN = ZoneInfo("Europe/Berlin")

GUEST_EN = "*Withdrawn:* the digests posted here (1), since a workspace guest is in the channel"
GUEST_DE = (
    "*Zurückgezogen:* die hier geposteten Übersichten (1), weil ein Gast des Workspaces im "
    "Kanal ist"
)


@pytest.fixture
def delivered(rapport: RunningRapport, clock: ManualClock, team_digest: Digest) -> Digest:
    """The posted digest, settled as the dispatcher settles one Slack took (`done_at`)."""
    with rapport.db.transaction() as session:
        settled = update(Digest).where(Digest.id == team_digest.id).values(done_at=clock.now())
        session.execute(settled)
    return team_digest


def status(rapport: RunningRapport, user: str | None = None) -> str:
    """`digest status` in the digest's channel, as Alice (English) or `user`."""
    return said(digest(rapport, "digest status", **({"user": user} if user else {})))


def kept(rapport: RunningRapport) -> list[DigestWithdrawal]:
    with rapport.db.reading() as session:
        return list(session.scalars(select(DigestWithdrawal)))


def refuse_updates(slack: SlackStandIn, times: int) -> None:
    """Slack answers the next `times` chat.update calls with a 500: a refusal that counts."""
    slack.fail_next(
        "chat.update", error="internal_error", status=500, retry_after=None, times=times
    )


def test_a_digest_on_show_adds_no_withdrawal_line(
    rapport: RunningRapport, delivered: Digest
) -> None:
    english, german = status(rapport), status(rapport, JONAS)

    assert "*Last digest:* posted" in english and "since withdrawn" not in english
    assert "Withdraw" not in english and "withdrawn" not in english
    assert "zurückgezogen" not in german.casefold()


def test_digests_withdrawn_for_a_guest_say_so_and_why_in_english_and_german(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, delivered: Digest
) -> None:
    guest_in_channel(slack)
    joined(rapport, "Ev-guest-status-1", "U0GUEST")

    english, german = status(rapport), status(rapport, JONAS)

    assert GUEST_EN in english
    assert "they show no partners any more" in english
    assert "(Europe/Berlin), since withdrawn" in english
    assert GUEST_DE in german
    assert "inzwischen zurückgezogen" in german
    for said_now in (english, german):
        assert "given up" not in said_now and "aufgegeben" not in said_now
        assert "retried" not in said_now and "wiederholt" not in said_now


def test_once_the_guest_left_the_withdrawal_is_told_as_past_and_the_channel_as_fit(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, delivered: Digest
) -> None:
    guest_in_channel(slack)
    joined(rapport, "Ev-guest-status-2", "U0GUEST")
    slack.update_channel("C0TEAM", leave=["U0GUEST"])

    english, german = status(rapport), status(rapport, JONAS)

    assert "while the channel was shared or a workspace guest was in it. Neither holds now" in (
        english
    )
    assert "Beides gilt jetzt nicht mehr" in german
    assert "since withdrawn" in english


def test_a_shared_channels_withdrawal_is_told_by_the_suspension_without_asking_slack(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, delivered: Digest
) -> None:
    slack.update_channel("C0TEAM", is_ext_shared=True)
    rapport.event("Ev-shared-status-1", {**SHARED, "event_ts": "1.1"})
    assert rapport.wait_until_idle()
    asked = len(slack.calls_to("conversations.info"))

    english, german = status(rapport), status(rapport, JONAS)

    assert "since the channel is shared with another organisation" in english
    assert "weil der Kanal mit einer anderen Organisation geteilt ist" in german
    assert len(slack.calls_to("conversations.info")) == asked


def test_a_withdrawal_slack_refuses_is_told_as_retried_since_when_and_until_when(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, delivered: Digest
) -> None:
    guest_in_channel(slack)
    refuse_updates(slack, 30)
    noted_at = clock.now()
    joined(rapport, "Ev-guest-status-3", "U0GUEST")
    (row,) = kept(rapport)
    assert row.error == "internal_error"
    clock.advance(timedelta(seconds=20))

    english, german = status(rapport), status(rapport, JONAS)

    since = noted_at.astimezone(BERLIN).strftime("%H:%M")
    next_try = row.not_before.astimezone(BERLIN).strftime("%H:%M")
    assert "*Withdrawal being retried:* since " in english
    assert f"{since}, Slack has refused" in english
    assert "that still show partners (1); last `internal_error`" in english
    assert f"{row.attempts} of {MAX_ATTEMPTS} refusals counted" in english
    assert english.split("Next try: ")[1].split(".")[0].endswith(next_try)
    assert "*Withdrawn:*" not in english  # nothing withdrawn yet
    assert "*Zurückziehen wird wiederholt:* Seit " in german
    assert f"{row.attempts} von {MAX_ATTEMPTS} Ablehnungen gezählt" in german
    assert "noch Partner zeigen (1); zuletzt `internal_error`" in german
    # The next try's time passed and no job ran yet: it is due now, not in the past.
    clock.advance(timedelta(minutes=2))
    assert "Next try: now (Rapport's delivery job runs every minute)." in status(rapport)


def test_a_withdrawal_noted_and_not_tried_yet_is_told_as_under_way(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, delivered: Digest
) -> None:
    """What the event notes before its ack, until the work after it (or the job) makes it."""
    with rapport.db.transaction() as session:
        note_withdrawal(
            session,
            delivered.workspace_id,
            "C0TEAM",
            clock.now(),
            clock.now() + timedelta(minutes=5),
        )

    english, german = status(rapport), status(rapport, JONAS)

    assert "*Being withdrawn* since " in english
    assert "the digests posted here that still show partners (1)." in english
    assert "*Wird zurückgezogen* seit " in german


def test_a_withdrawal_given_up_is_told_with_why_and_what_to_do(
    rapport: RunningRapport,
    slack: SlackStandIn,
    clock: ManualClock,
    jobs: Jobs,
    delivered: Digest,
) -> None:
    guest_in_channel(slack)
    refuse_updates(slack, 100)
    joined(rapport, "Ev-guest-status-4", "U0GUEST")
    for _ in range(3 * MAX_ATTEMPTS):
        if not kept(rapport):
            break
        clock.advance(timedelta(minutes=31))
        jobs.run_once()
        assert rapport.wait_until_idle()
    assert kept(rapport) == []
    dms = [m for m in slack.messages() if m["channel"].startswith("D")]
    assert any("could not withdraw" in texts(m) for m in dms)  # the subscriber was told

    english, german = status(rapport), status(rapport, JONAS)

    assert (
        "*Withdrawal given up:* the digests posted here still show partners (1), though a "
        "workspace guest is in the channel"
    ) in english
    assert "Ask a workspace admin to delete them" in english
    assert "since withdrawn" not in english
    assert (
        "*Zurückziehen aufgegeben:* Die hier geposteten Übersichten zeigen noch Partner (1), "
        "obwohl ein Gast des Workspaces im Kanal ist"
    ) in german
    assert "Bitte einen Workspace-Admin, sie zu löschen" in german


def test_a_withdrawal_whose_channel_slack_does_not_describe_now_says_it_is_not_known(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, delivered: Digest
) -> None:
    guest_in_channel(slack)
    joined(rapport, "Ev-guest-status-5", "U0GUEST")
    slack.update_channel("C0TEAM", bot_is_member=False)  # Rapport removed: it cannot look

    english, german = status(rapport), status(rapport, JONAS)

    assert (
        "*Withdrawn:* the digests posted here (1), while the channel was shared or a "
        "workspace guest was in it (Slack did not answer just now (`not_in_channel`)"
    ) in english
    assert "(Slack hat gerade nicht geantwortet (`not_in_channel`)" in german


def test_a_guest_slack_never_told_of_is_found_and_a_quiet_digest_is_no_partner_data(
    rapport: RunningRapport, slack: SlackStandIn, delivered: Digest
) -> None:
    """A guest joined and the event never came: the status asks Slack, finds the guest and
    tells the digest as still showing partners with nothing under way. A quiet week's digest
    in their place lists nobody: nothing to withdraw, nothing to tell."""
    guest_in_channel(slack)

    english, german = status(rapport), status(rapport, JONAS)

    assert "*Withdrawal given up:* the digests posted here still show partners (1)" in english
    assert "or Rapport was not told of the change" in english
    assert "obwohl ein Gast des Workspaces im Kanal ist" in german
    with rapport.db.transaction() as session:
        quiet = update(Digest).where(Digest.id == delivered.id)
        session.execute(quiet.values(shown='{"partners": [], "more": 0}'))
    assert "Withdraw" not in status(rapport)
    assert "Zurückzieh" not in status(rapport, JONAS)
