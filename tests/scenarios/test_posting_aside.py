"""Nudge DMs set aside unrendered at a slow pace (their slot further off than the dispatcher
waits in place): what changed meanwhile shows in the DM when it is rendered, and a token
revoked while some are set aside loses none and posts none twice. On SQLite and PostgreSQL;
time moves with the clock.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from storage.models import Bundle, Member, Promise
from tests.scenarios.test_posting_pace import (
    HEADS_UP_BERLIN,
    dispatcher_on,
    promisers,
)
from tests.support.app import RunningRapport
from tests.support.nudges import dms
from tests.support.rows import all_of


def promise_of(rapport: RunningRapport, user: str) -> int:
    with rapport.db.reading() as session:
        return session.scalars(
            select(Promise.id)
            .join(Member, Member.id == Promise.member_id)
            .where(Member.slack_user_id == user)
        ).one()


def dm_texts(slack: SlackStandIn, user: str) -> list[str]:
    return [str(message) for _, message in dms(slack, user)]


def test_a_dm_set_aside_is_rendered_from_what_holds_when_its_slot_comes(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    """One DM every fifty seconds: after the first tick three DMs wait for their slots. One
    colleague keeps their promise meanwhile, another's promise is reworded: the first gets no
    DM at all, the second's DM shows the new words, and the rest go once each."""
    users = promisers(rapport, slack, "CHG", 4, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=0.02)
    jobs.plan_once()
    assert jobs.dispatcher.tick().sent == 1
    waiting = [user for user in users if not dms(slack, user)]
    assert len(waiting) == 3
    kept, reworded = waiting[-1], waiting[-2]
    with rapport.db.transaction() as session:
        session.get_one(Promise, promise_of(rapport, kept)).status = "kept"
        session.get_one(Promise, promise_of(rapport, reworded)).text = "send the revised offer"
    for _ in range(6):
        clock.advance(timedelta(minutes=1))
        jobs.dispatcher.tick()
    assert dms(slack, kept) == []
    [shown] = dm_texts(slack, reworded)
    # Its own promise in the new words (the partner's other open promises are listed after).
    assert "send the revised offer (" in shown
    for user in users:
        assert len(dms(slack, user)) == (0 if user == kept else 1)


def test_a_token_revoked_while_dms_are_set_aside_loses_none_and_doubles_none(
    rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn
) -> None:
    """At one DM every twenty seconds, the second post finds the token revoked: the tick
    stops; the DMs set aside go back unposted, no attempt counted; once the token works again
    each colleague gets exactly one DM."""
    users = promisers(rapport, slack, "TOK", 4, "Europe/Berlin")
    clock.set(HEADS_UP_BERLIN)
    jobs = dispatcher_on(rapport.db, clock, slack, pace=0.05)
    jobs.plan_once()
    slack.fail_next("chat.postMessage", error="token_revoked", status=200, retry_after=None)
    result = jobs.dispatcher.tick()
    assert result.stopped == "token_revoked"
    assert [b.attempts for b in all_of(rapport.db, Bundle) if b.state != "sent"] == [0] * 4
    for _ in range(30):
        clock.advance(timedelta(minutes=1))
        jobs.dispatcher.tick()
    assert [len(dms(slack, user)) for user in users] == [1] * 4
    assert sorted((b.state, b.attempts) for b in all_of(rapport.db, Bundle)) == [("sent", 1)] * 4
