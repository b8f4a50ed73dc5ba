"""The lines `digest status` adds about withdrawals, from plain values, in English and German:
withdrawn (each reason, the channel fit again, Slack not saying), under way, retried, given up;
and nothing where there is nothing to tell. slack_sdk's models check the blocks."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.digest.subscription import (
    FIT,
    UNKNOWN,
    WITHDRAWAL_WHYS,
    LastDigest,
    WithdrawalView,
    status_reply,
    withdrawal_lines,
)
from bot.texts.reader import Reader
from tests.unit.blocks.test_digest_subscription_blocks import shown, view

BERLIN = ZoneInfo("Europe/Berlin")
EN = Reader("en-US", "Europe/Berlin")
DE = Reader("de-DE", "Europe/Berlin")
NOTED = datetime(2027, 3, 8, 9, 0, tzinfo=BERLIN)
NEXT = datetime(2027, 3, 8, 9, 4, tzinfo=BERLIN)


def lines(reader: Reader, **values: object) -> str:
    settings: dict[str, object] = {"withdrawn": 0, "showing": 0, "at_most": 8}
    settings.update(values)
    said = withdrawal_lines(reader, WithdrawalView(**settings), "Europe/Berlin")  # type: ignore[arg-type]
    joined = "\n".join(said)
    assert "{" not in joined and "}" not in joined  # every placeholder filled
    return joined


def test_nothing_to_tell_adds_no_line() -> None:
    assert lines(EN) == ""
    # A digest on show in a channel that may read it, or whose fitness nobody asked.
    assert lines(EN, showing=2, why=FIT) == ""
    assert lines(DE, showing=2, why=None) == ""
    assert lines(EN, showing=1, why=UNKNOWN, error="ratelimited") == ""


@pytest.mark.parametrize("why", sorted(WITHDRAWAL_WHYS))
@pytest.mark.parametrize("reader", [EN, DE])
def test_withdrawn_and_given_up_name_each_reason(reader: Reader, why: str) -> None:
    reason = reader.t(f"digest.subscription.withdrawal.why.{why}")
    done = lines(reader, withdrawn=3, why=why)
    given_up = lines(reader, showing=2, why=why)
    both = lines(reader, withdrawn=1, showing=4, why=why)

    assert reason in done and "(3)" in done
    assert ("Withdrawn" if reader is EN else "Zurückgezogen") in done
    assert reason in given_up and "(2)" in given_up
    assert ("given up" if reader is EN else "aufgegeben") in given_up
    assert len(both.split("\n")) == 2  # some withdrawn, the rest not: both told


def test_withdrawn_while_unfit_and_fit_again_or_unknown() -> None:
    assert "Neither holds now" in lines(EN, withdrawn=2, why=FIT)
    assert "Beides gilt jetzt nicht mehr" in lines(DE, withdrawn=2, why=FIT)
    unknown = lines(EN, withdrawn=1, why=UNKNOWN, error="not_in_channel")
    assert "Slack did not answer just now (`not_in_channel`)" in unknown
    assert "(`ratelimited`)" in lines(DE, withdrawn=1, why=UNKNOWN, error="ratelimited")


def test_under_way_and_retried_say_since_when_and_the_next_try() -> None:
    pending = lines(EN, showing=1, since=NOTED, next_try=NEXT)
    retried = lines(
        EN, showing=2, since=NOTED, next_try=NEXT, refused="<internal_error>", attempts=3
    )
    german = lines(DE, showing=2, since=NOTED, next_try=NEXT, refused="fatal_error", attempts=0)

    assert pending.startswith(":hourglass_flowing_sand: *Being withdrawn* since Monday, March 8")
    assert "given up" not in pending
    assert "since Monday, March 8, 2027, 09:00, Slack has refused" in retried
    assert "`&lt;internal_error&gt;`" in retried  # Slack's word, escaped as any text
    assert "3 of 8 refusals counted" in retried
    assert "Next try: Monday, March 8, 2027, 09:04." in retried
    assert "Seit Montag, 8. März 2027, 09:00 Uhr lehnt Slack ab" in german
    assert "0 von 8 Ablehnungen gezählt" in german
    # While a withdrawal is kept, nothing is called given up, whatever the channel is.
    assert "given up" not in lines(EN, showing=1, since=NOTED, next_try=NEXT, why="guests")


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_status_reply_carries_the_lines_and_marks_the_last_digest(reader: Reader) -> None:
    last = LastDigest(date(2027, 3, 8), "sent", None, NOTED, withdrawn=True)
    withdrawal = WithdrawalView(withdrawn=1, showing=0, at_most=8, why="guests")
    reply = status_reply(reader, view(last=last, withdrawal=withdrawal))

    text = shown(reply)
    since = "since withdrawn" if reader is EN else "inzwischen zurückgezogen"
    assert f"(Europe/Berlin), {since}" in text
    assert reader.t("digest.subscription.withdrawal.why.guests") in text
    for block in reply.blocks:
        block.validate_json()
    plain = status_reply(reader, view(last=LastDigest(date(2027, 3, 8), "sent", None, NOTED)))
    assert since not in shown(plain)


def test_a_next_try_whose_time_has_come_is_told_as_now() -> None:
    english = lines(EN, showing=1, since=NOTED, next_try=None, refused="internal_error")
    german = lines(DE, showing=1, since=NOTED, next_try=None, refused="internal_error")

    assert "Next try: now (Rapport's delivery job runs every minute)." in english
    assert "Nächster Versuch: jetzt (Rapports Zustelljob läuft jede Minute)." in german
