"""Nudges over time: contacts logged through the real app, the clock moved, DMs read from Slack.

Time moves with the test's clock; the jobs run wherever something can fall due, as the sandbox
runs them. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from scheduler.jobs import Jobs
from storage.models import Bundle, Nudge
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.nudges import at_berlin, dms, items_in, jobs_for, log, travel
from tests.support.rows import Member, all_of, only
from tests.support.world import BERLIN

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def arrival_days(slack: SlackStandIn, user: str = "U0ALICE", zone: ZoneInfo = BERLIN) -> list[date]:
    return [at.date() for at, _ in dms(slack, user, zone)]


@pytest.fixture(autouse=True)
def every_dm_arrives_at_work(slack: SlackStandIn) -> Iterator[None]:
    """Whatever a test does, no nudge reaches a Berlin colleague at night or on a weekend."""
    yield
    for at, _ in dms(slack):
        assert at.weekday() < 5 and 9 <= at.hour < 18, f"a nudge arrived at {at}"
    days = arrival_days(slack)
    assert len(days) == len(set(days)), f"two nudge DMs on one day: {days}"


# --- check-ins ------------------------------------------------------------------------------


def test_a_partner_is_due_a_check_in_one_cadence_after_the_contact_and_nudged_once(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call discussed the roadmap")  # Wednesday 25 November 2026

    travel(clock, jobs, at_berlin(2027, 2, 22, 23, 0))
    assert dms(slack) == []

    travel(clock, jobs, at_berlin(2027, 2, 23, 17, 0))
    [(arrived, message)] = dms(slack)
    assert arrived == at_berlin(2027, 2, 23, 9, 0)
    assert "*Acme*: no check-in yet; first contact 90 days ago" in texts(message)
    assert message["text"] == "Rapport for today: 1 check-in due."

    log(rapport, "Acme check-in: happy with the new terms")
    travel(clock, jobs, at_berlin(2027, 5, 21, 17, 0))
    assert len(dms(slack)) == 1, "a check-in answers the nudge until the next cadence"

    travel(clock, jobs, at_berlin(2027, 5, 25, 17, 0))
    assert arrival_days(slack)[1:] == [date(2027, 5, 24)]  # 23 February + 90 days, a Monday


def test_the_cadence_counts_from_when_a_check_in_happened_not_when_it_was_logged(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call")
    clock.set(at_berlin(2027, 2, 15, 12, 0))
    log(rapport, "Acme check-in 2027-01-04 quarterly review")

    travel(clock, jobs, at_berlin(2027, 4, 9, 17, 0))

    assert arrival_days(slack) == [date(2027, 4, 5)]  # 4 January + 90 days = Sunday 4 April
    assert "last check-in 91 days ago" in texts(dms(slack)[0][1])


def test_an_unanswered_check_in_comes_back_weekly_three_times_then_stops(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call")

    travel(clock, jobs, at_berlin(2027, 4, 30, 17, 0))

    assert arrival_days(slack) == [date(2027, 2, 23), date(2027, 3, 2), date(2027, 3, 9)]


def test_a_backdated_check_in_logged_after_planning_leaves_its_partner_out_of_the_dm(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call")
    log(rapport, "Globex call")
    clock.set(at_berlin(2027, 2, 23, 7, 30))
    jobs.run_once()
    assert {n.state for n in all_of(rapport.db, Nudge)} == {"pending"}
    assert len(all_of(rapport.db, Nudge)) == 2

    log(rapport, "Acme check-in yesterday")
    travel(clock, jobs, at_berlin(2027, 2, 23, 17, 0))

    [(_, message)] = dms(slack)
    assert "Globex" in texts(message) and "Acme" not in texts(message)
    states = {n.subject_id: n.state for n in all_of(rapport.db, Nudge)}
    assert sorted(states.values()) == ["sent", "skipped"]


def test_a_recipient_in_tokyo_is_nudged_in_tokyo_working_hours(rapport, clock, slack, jobs) -> None:
    slack.add_user("U0AIKO", name="aiko", real_name="Aiko Tanaka", tz="Asia/Tokyo")
    log(rapport, "Acme call", user="U0AIKO")  # Wednesday 25 November, 18:00 in Tokyo

    travel(clock, jobs, at_berlin(2027, 3, 1, 12, 0))

    arrivals = [at for at, _ in dms(slack, "U0AIKO", TOKYO)]
    # Due on the 23rd, the Emperor's Birthday, a public holiday in Japan: the next morning.
    assert arrivals[0] == datetime(2027, 2, 24, 9, 0, tzinfo=TOKYO)  # 01:00 in Berlin
    assert all(at.weekday() < 5 and 9 <= at.hour < 18 for at in arrivals)


def test_a_check_in_due_on_a_saturday_arrives_on_monday_morning(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call 2026-11-22")  # + 90 days = Saturday 20 February 2027

    travel(clock, jobs, at_berlin(2027, 2, 24, 12, 0))

    assert [at for at, _ in dms(slack)] == [at_berlin(2027, 2, 22, 9, 0)]


def test_nudges_keep_to_nine_local_across_a_dst_change_and_never_come_twice(
    rapport, clock, slack, jobs
) -> None:
    clock.set(at_berlin(2026, 12, 24, 12, 0))
    log(rapport, "Acme call")  # + 90 days = Wednesday 24 March 2027; DST begins on the 28th

    travel(clock, jobs, at_berlin(2027, 4, 30, 17, 0))

    arrivals = [at for at, _ in dms(slack)]
    assert arrivals == [
        at_berlin(2027, 3, 24, 9),
        at_berlin(2027, 3, 31, 9),
        at_berlin(2027, 4, 7, 9),
    ]
    assert [at.utcoffset() for at in arrivals] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]


def test_a_check_in_due_at_a_quarter_boundary_is_nudged_once_per_week(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call 2026-10-02")  # + 90 days = Thursday 31 December 2026

    travel(clock, jobs, at_berlin(2027, 1, 31, 17, 0))

    assert arrival_days(slack) == [date(2026, 12, 31), date(2027, 1, 7), date(2027, 1, 14)]


def test_paused_partners_and_inactive_owners_get_no_check_in_nudge(
    rapport, clock, slack, jobs
) -> None:
    from storage.models import Partner

    log(rapport, "Acme call")
    log(rapport, "Globex call", user="U0JONAS")
    with rapport.db.transaction() as session:
        session.query(Partner).filter_by(name="Acme").update({"status": "paused"})
        session.query(Member).filter_by(slack_user_id="U0JONAS").update({"active": False})

    travel(clock, jobs, at_berlin(2027, 3, 1, 12, 0))

    assert dms(slack) == [] and dms(slack, "U0JONAS") == []


# --- promises and bundling ----------------------------------------------------------------


def test_a_promise_gets_a_heads_up_the_day_itself_and_weekly_reminders_when_overdue(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme email promise: send the revised quote by Friday")  # Friday 27 November

    travel(clock, jobs, at_berlin(2027, 1, 15, 17, 0))

    assert arrival_days(slack) == [
        date(2026, 11, 26),  # heads-up
        date(2026, 11, 27),  # due today
        date(2026, 11, 30),  # overdue since Friday; Saturday is no working day
        date(2026, 12, 7),
        date(2026, 12, 14),
    ]
    lines = [texts(message) for _, message in dms(slack)]
    assert "send the revised quote (to *Acme*): due tomorrow." in lines[0]
    assert "*due today*" in lines[1]
    assert "*overdue* since Friday, November 27, 2026 (3 days)" in lines[2]


def test_a_promise_due_on_monday_gets_its_heads_up_on_friday(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme email promise: call back Anna by 2026-11-30")

    travel(clock, jobs, at_berlin(2026, 11, 30, 17, 0))

    assert arrival_days(slack) == [date(2026, 11, 27), date(2026, 11, 30)]


def test_three_promises_and_five_check_ins_due_on_one_day_arrive_as_one_dm(
    rapport, clock, slack, jobs
) -> None:
    partners = ["Acme", "Globex", "Initech", "Umbrella", "Hooli"]
    for name in partners:
        log(rapport, f"{name} call 2026-11-24")  # + 90 days = Tuesday 23 February 2027
    clock.set(at_berlin(2027, 2, 23, 7, 0))
    for name, promise in zip(
        partners, ["send the quote", "call back", "book the venue"], strict=False
    ):
        log(rapport, f"{name} email promise: {promise} by today")

    travel(clock, jobs, at_berlin(2027, 2, 23, 17, 0))

    [(arrived, message)] = dms(slack)
    assert arrived == at_berlin(2027, 2, 23, 9, 0)
    shown = texts(message)
    assert all(f"*{name}*" in shown for name in partners)
    assert all(promise in shown for promise in ["send the quote", "call back", "book the venue"])
    assert message["text"] == "Rapport for today: 5 check-ins due and 3 promises."


def test_the_dm_is_written_in_the_recipients_language(rapport, clock, slack, jobs) -> None:
    log(rapport, "Acme Anruf Zusage: Angebot schicken bis Freitag", user="U0JONAS")

    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    [(_, message)] = dms(slack, "U0JONAS")
    assert message["text"] == "Rapport für heute: 1 Zusage."
    assert "Angebot schicken (an *Acme*): morgen fällig." in texts(message)


# --- delivery --------------------------------------------------------------------------------


def due_tomorrow(rapport: RunningRapport, clock: ManualClock, user: str = "U0ALICE") -> None:
    """A promise whose heads-up is due on Thursday 26 November at 09:00 Berlin."""
    log(rapport, "Acme email promise: send the quote by Friday", user=user)
    clock.set(at_berlin(2026, 11, 26, 9, 0))


def test_a_member_in_scheduled_do_not_disturb_is_nudged_when_it_ends(
    rapport, clock, slack, jobs
) -> None:
    due_tomorrow(rapport, clock)
    dnd_end = at_berlin(2026, 11, 26, 11, 0)
    slack.set_dnd(
        "U0ALICE", int(at_berlin(2026, 11, 26, 8, 0).timestamp()), int(dnd_end.timestamp())
    )

    jobs.run_once()
    assert dms(slack) == []
    clock.set(dnd_end + timedelta(minutes=1))
    jobs.run_once()

    assert [at for at, _ in dms(slack)] == [dnd_end + timedelta(minutes=1)]


def test_without_the_dnd_scope_nudges_go_out_in_working_hours_all_the_same(
    rapport, clock, slack, jobs
) -> None:
    due_tomorrow(rapport, clock)
    slack.fail_next("dnd.teamInfo", error="missing_scope", status=200, retry_after=None)

    jobs.run_once()

    assert len(dms(slack)) == 1
    assert jobs.dispatcher.dnd_readable is False


def test_a_429_waits_retry_after_and_the_dm_arrives_once(rapport, clock, slack, jobs) -> None:
    due_tomorrow(rapport, clock)
    slack.fail_next("chat.postMessage", retry_after=7, times=2)

    result = jobs.run_once()

    assert len(dms(slack)) == 1
    assert result.rate_limited == 2 and result.sent == 1
    assert clock.now() >= at_berlin(2026, 11, 26, 9, 0, 14)


def test_a_500_after_slack_posted_is_found_in_the_dm_history_and_not_sent_again(
    rapport, clock, slack, jobs
) -> None:
    due_tomorrow(rapport, clock)
    known_dm(rapport, slack)
    slack.fail_next(
        "chat.postMessage", error="internal_error", status=500, retry_after=None, after_effect=True
    )

    first = jobs.run_once()
    assert first.unsure == 1 and len(slack.messages("U0ALICE")) == 1
    clock.advance(timedelta(minutes=1))
    second = jobs.run_once()

    assert second.recovered == 1 and second.sent == 0
    assert len(dms(slack)) == 1
    bundle = only(rapport.db, Bundle)
    assert (bundle.state, bundle.ts) == ("sent", dms(slack)[0][1]["ts"])
    assert len(slack.calls_to("conversations.history")) == 1


def known_dm(rapport: RunningRapport, slack: SlackStandIn) -> None:
    """Alice's DM channel is known, as after an earlier nudge."""
    with rapport.db.transaction() as session:
        session.query(Member).filter_by(slack_user_id="U0ALICE").update(
            {"dm_channel_id": slack.dm_channel("U0ALICE")}
        )


def test_a_500_before_slack_posted_is_sent_again_after_the_history_shows_nothing(
    rapport, clock, slack, jobs
) -> None:
    due_tomorrow(rapport, clock)
    slack.fail_next("chat.postMessage", error="internal_error", status=500, retry_after=None)

    jobs.run_once()
    jobs.run_once()  # the history may be read only once a minute
    assert dms(slack) == []
    clock.advance(timedelta(minutes=1))
    jobs.run_once()

    assert len(dms(slack)) == 1
    # No DM channel was known yet: it is opened once, to read its history.
    assert len(slack.calls_to("conversations.open")) == 1
    assert only(rapport.db, Member).dm_channel_id == slack.dm_channel("U0ALICE")


def test_a_timeout_after_slack_posted_is_recovered_without_a_second_dm(
    rapport, clock, slack
) -> None:
    jobs = jobs_for(rapport, clock, slack, timeout=0.3)
    due_tomorrow(rapport, clock)
    slack.stall_next("chat.postMessage", 1.0)

    assert jobs.run_once().unsure == 1
    clock.advance(timedelta(minutes=2))
    assert jobs.run_once().recovered == 1

    assert len(dms(slack)) == 1


def test_a_recipient_slack_no_longer_knows_is_given_up_on_once(rapport, clock, slack, jobs) -> None:
    due_tomorrow(rapport, clock)
    slack.fail_next("chat.postMessage", error="user_not_found", status=200, retry_after=None)

    result = jobs.run_once()
    clock.advance(timedelta(days=1))
    jobs.run_once()

    assert result.dead == 1
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert only(rapport.db, Member).active is False
    assert {(n.state, n.reason) for n in all_of(rapport.db, Nudge)} == {("dead", "user_not_found")}


def test_a_revoked_token_stops_the_tick_and_loses_nothing(rapport, clock, slack, jobs) -> None:
    due_tomorrow(rapport, clock)
    slack.fail_next("chat.postMessage", error="token_revoked", status=200, retry_after=None)

    result = jobs.run_once()
    assert result.stopped == "token_revoked" and dms(slack) == []
    assert only(rapport.db, Member).active is True
    clock.advance(timedelta(minutes=15))
    jobs.run_once()

    assert len(dms(slack)) == 1


def test_with_a_fifth_of_posts_failing_every_nudge_arrives_exactly_once(
    rapport, clock, slack
) -> None:
    jobs = jobs_for(rapport, clock, slack, timeout=0.3)
    users = [f"U0MEMBER{i:02d}" for i in range(15)]
    for user in users:
        slack.add_user(user, name=user.lower(), real_name=user, tz="Europe/Berlin")
        log(rapport, "Acme email promise: send the quote by Friday", user=user)
    slack.set_chaos(0.2, seed=4, stall_seconds=0.5)

    travel(clock, jobs, at_berlin(2026, 11, 26, 17, 0))

    assert sum(slack.chaos_counts.values()) >= 3
    assert all(len(dms(slack, user)) == 1 for user in users), slack.chaos_counts
    assert {b.state for b in all_of(rapport.db, Bundle)} == {"sent"}


def test_a_second_tick_at_the_same_instant_sends_nothing_more(rapport, clock, slack, jobs) -> None:
    due_tomorrow(rapport, clock)

    jobs.run_once()
    jobs.run_once()
    clock.advance(timedelta(hours=3))
    jobs.run_once()

    assert len(dms(slack)) == 1
    assert len(all_of(rapport.db, Bundle)) == 1


def test_an_item_due_after_todays_dm_waits_for_tomorrows(rapport, clock, slack, jobs) -> None:
    due_tomorrow(rapport, clock)
    jobs.run_once()
    log(rapport, "Globex call promise: call back Jens by today")
    slack.reset()

    for minutes in range(1, 4):  # the dispatcher's next few ticks
        clock.set(at_berlin(2026, 11, 26, 11, minutes))
        jobs.run_once()
    assert slack.calls == [], "no DM and no Do Not Disturb look-up until tomorrow"
    travel(clock, jobs, at_berlin(2026, 11, 27, 17, 0))

    [(arrived, message)] = dms(slack)
    assert arrived == at_berlin(2026, 11, 27, 9, 0)
    assert "call back Jens" in texts(message) and "send the quote" in texts(message)


def test_finished_nudges_are_pruned_after_90_days_once_their_item_is_dealt_with(
    rapport, clock, slack, jobs
) -> None:
    from storage.models import Promise

    log(rapport, "Acme email promise: send the quote by Friday")
    log(rapport, "Globex email promise: book the venue by Friday")
    travel(clock, jobs, at_berlin(2026, 12, 31, 12, 0))
    with rapport.db.transaction() as session:
        session.query(Promise).filter(Promise.text.like("send the quote%")).update(
            {"status": "kept"}
        )
    open_id = next(p.id for p in all_of(rapport.db, Promise) if p.status == "open")

    travel(clock, jobs, at_berlin(2027, 3, 31, 12, 0))

    promise_nudges = [n for n in all_of(rapport.db, Nudge) if n.kind == "promise"]
    assert {n.subject_id for n in promise_nudges} == {open_id}
    assert len(promise_nudges) == 5, "the open promise's nudges still count its reminders"
    later = [m for at, m in dms(slack) if at.date() > date(2026, 12, 14)]
    assert later and all(("promise", open_id) not in items_in(m) for m in later)


# --- holidays --------------------------------------------------------------------------------


def test_a_member_away_gets_no_dm_until_the_day_back_then_one_dm_with_everything_waiting(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call 2026-10-02")  # + 90 days = Thursday 31 December 2026
    log(rapport, "Globex email promise: send the signed contract by 2026-12-23")
    travel(clock, jobs, at_berlin(2026, 12, 18, 12, 0))
    assert dms(slack) == []
    shown = texts(rapport.command("settings away until 2027-01-04").reply())
    assert "Away until Monday, January 4, 2027" in shown

    day = date(2026, 12, 19)
    while day < date(2027, 1, 4):  # heads-up, due day, overdue, check-in: all while away
        travel(clock, jobs, at_berlin(day.year, day.month, day.day, 12, 0))
        jobs.run_once()
        day += timedelta(days=1)
    assert dms(slack) == []
    assert {n.state for n in all_of(rapport.db, Nudge)} == {"pending"}

    travel(clock, jobs, at_berlin(2027, 1, 4, 17, 0))
    jobs.run_once()

    [(arrived, message)] = dms(slack)
    assert arrived == at_berlin(2027, 1, 4, 9, 0)
    shown = texts(message)
    assert "*Acme*" in shown
    assert shown.count("send the signed contract") == 1


def test_the_clock_does_not_stop_at_an_away_members_working_mornings(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme email promise: send the quote by Friday")
    until = at_berlin(2027, 1, 1, 0, 0)
    assert jobs.next_due(clock.now(), until) == at_berlin(2026, 11, 26, 9, 0)

    rapport.command("settings away until 2026-12-07").reply()  # a Monday
    assert jobs.next_due(clock.now(), until) == at_berlin(2026, 12, 7, 9, 0)

    rapport.command("settings away until 2026-12-05").reply()  # a Saturday: back on Monday
    assert jobs.next_due(clock.now(), until) == at_berlin(2026, 12, 7, 9, 0)


# --- who looks after a partner ---------------------------------------------------------------


def test_after_a_hand_over_the_next_check_in_nudge_goes_to_the_new_owner(
    rapport, clock, slack, jobs
) -> None:
    new_york = ZoneInfo("America/New_York")
    log(rapport, "Acme call discussed the roadmap")  # + 90 days = Tuesday 23 February 2027
    handed = rapport.command("partner Acme owner <@U0BOB|bob>").reply()
    assert "<@U0BOB> now looks after *Acme*" in texts(handed)

    travel(clock, jobs, at_berlin(2027, 2, 24, 17, 0))

    assert dms(slack) == [], "the former owner is not nudged"
    # The hand-over is announced on Bob's first working morning, the check-in when it is due.
    [(announced, hand_over), (arrived, message)] = dms(slack, "U0BOB", new_york)
    assert announced.replace(microsecond=0) == datetime(2026, 11, 25, 9, 0, tzinfo=new_york)
    assert "<@U0ALICE> handed *Acme* over to you." in texts(hand_over)
    assert arrived == datetime(2027, 2, 23, 9, 0, tzinfo=new_york)
    assert "*Acme*: no check-in yet; first contact 90 days ago" in texts(message)


def test_a_partner_taken_over_from_an_owner_who_left_is_nudged_to_the_new_owner(
    rapport, clock, slack, jobs
) -> None:
    from bot.blocks.ownership import ACTION_TAKE_OVER

    log(rapport, "Acme call discussed the roadmap")  # + 90 days = Tuesday 23 February 2027
    clock.set(at_berlin(2027, 1, 11, 10, 0))
    alice = {"id": "U0ALICE", "team_id": "T0ACME", "real_name": "Alice Berger", "deleted": True}
    assert rapport.event("EvLeft", {"type": "user_change", "user": alice}).status == 200
    listing = rapport.command("partner ohne zuständige", user="U0JONAS")
    [take_over] = [
        block["accessory"]
        for block in listing.reply()["blocks"]
        if (block.get("accessory") or {}).get("action_id") == ACTION_TAKE_OVER
    ]
    rapport.click(
        ACTION_TAKE_OVER, take_over["value"], user="U0JONAS", response_url=listing.response_url
    ).later(2)

    travel(clock, jobs, at_berlin(2027, 2, 24, 17, 0))

    assert dms(slack) == []
    [(arrived, message)] = dms(slack, "U0JONAS")
    assert arrived == at_berlin(2027, 2, 23, 9, 0)
    assert "*Acme*: noch kein Check-in" in texts(message)


# --- promises the partner made ---------------------------------------------------------------


def test_a_partners_overdue_promise_is_no_nudge_and_shows_under_their_check_in(
    rapport, clock, slack, jobs
) -> None:
    log(rapport, "Acme call they promised: the signed contract by Friday")  # 27 November
    log(rapport, "Acme email promise: send the revised quote in 3 months")  # 25 February

    travel(clock, jobs, at_berlin(2027, 2, 23, 17, 0))

    [(arrived, message)] = dms(slack)
    assert arrived == at_berlin(2027, 2, 23, 9, 0), "only the check-in, 90 days on"
    assert [kind for kind, _ in items_in(message)] == ["check_in"]
    shown = texts(message)
    assert (
        "They promised and it is still open: the signed contract "
        "(*overdue* since Friday, November 27, 2026)"
    ) in shown
    assert (
        "Promised to them and still open: send the revised quote (due Thursday, February 25, 2027)"
    ) in shown
