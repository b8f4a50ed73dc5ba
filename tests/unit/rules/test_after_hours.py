"""Whom a message in a shared channel reaches outside their hours
(`bot.rules.after_hours.reach`)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.parsing.markup import reach_of
from bot.rules.after_hours.reach import (
    MENTIONS_MAX,
    Channel,
    Decision,
    Message,
    PartnerHours,
    Person,
    Why,
    candidates,
    is_member_sender,
    outside_hours,
)

TEAM = "T0ACME"
OTHER = "T0PARTNER"
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")

ALICE = Person("U0ALICE", TEAM, "Europe/Berlin")
BOB = Person("U0BOB", TEAM, "Europe/Berlin")
GUEST = Person("U0GUEST", TEAM, "Europe/Berlin", is_guest=True)
KENJI = Person("U0KENJI", OTHER, "Asia/Tokyo")
MARY = Person("U0MARY", OTHER, "America/New_York")
NOZONE = Person("U0NOZONE", OTHER, None)
APP = Person("U0APP", OTHER, "Asia/Tokyo", is_bot=True)
GONE = Person("U0GONE", OTHER, "Asia/Tokyo", deleted=True)
NOTEAM = Person("U0NOTEAM", None, "Europe/Berlin")
EVERYONE = {p.user_id: p for p in (ALICE, BOB, GUEST, KENJI, MARY, NOZONE, APP, GONE, NOTEAM)}

# Wednesday 25 November 2026.
TOKYO_LATE = datetime(2026, 11, 25, 23, 10, tzinfo=TOKYO)
TOKYO_MORNING = datetime(2026, 11, 25, 10, 0, tzinfo=TOKYO)
# Monday 23 November 2026 is Labour Thanksgiving Day (勤労感謝の日) in Japan.
TOKYO_HOLIDAY = datetime(2026, 11, 23, 10, 0, tzinfo=TOKYO)
TOKYO_SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=TOKYO)


def large(*members: str) -> Channel:
    ids = frozenset(members) | {f"U0MORE{n}" for n in range(20)}
    return Channel(True, len(ids) + 1, ids)


def small(*members: str) -> Channel:
    return Channel(True, len(members) + 1, frozenset(members))


def said(text: str, *, author: str = ALICE.user_id, **facts: object) -> Message:
    reach = reach_of(text)
    return Message(
        subtype=facts.pop("subtype", None),  # type: ignore[arg-type]
        author=author,
        mentioned=reach.user_ids,
        called=reach.called,
        **facts,  # type: ignore[arg-type]
    )


def decide(
    message: Message,
    channel: Channel,
    instant: datetime,
    profiles: dict[str, PartnerHours] | None = None,
) -> Decision:
    return outside_hours(
        message,
        channel,
        team_id=TEAM,
        people=EVERYONE,
        profiles=profiles or {},
        instant=instant,
    )


def reached(decision: Decision) -> list[str]:
    return [r.user_id for r in decision.reached]


# --- hours, zones, holidays ----------------------------------------------------------------------


def test_a_mention_at_night_in_tokyo_reaches_the_partner_with_their_local_time() -> None:
    decision = decide(said("<@U0KENJI> the draft is up"), large("U0KENJI"), TOKYO_LATE)
    (only,) = decision.reached
    assert only.user_id == "U0KENJI"
    assert only.local.tzinfo is not None and only.local.utcoffset() == TOKYO_LATE.utcoffset()
    assert (only.local.hour, only.local.minute) == (23, 10)
    assert only.holiday_region is None  # night, not the holiday, is why


@pytest.mark.parametrize(
    "instant",
    [
        TOKYO_MORNING,
        datetime(2026, 11, 25, 9, 0, tzinfo=TOKYO),  # the first minute of the day
        datetime(2026, 11, 25, 17, 59, tzinfo=TOKYO),  # the last
    ],
)
def test_within_business_hours_reaches_nobody(instant: datetime) -> None:
    assert reached(decide(said("<@U0KENJI> hi"), large("U0KENJI"), instant)) == []


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2026, 11, 25, 18, 0, tzinfo=TOKYO),  # work ends at 18:00
        datetime(2026, 11, 25, 8, 59, tzinfo=TOKYO),
        TOKYO_SATURDAY,
    ],
)
def test_before_after_and_weekends_are_outside(instant: datetime) -> None:
    assert reached(decide(said("<@U0KENJI> hi"), large("U0KENJI"), instant)) == ["U0KENJI"]


def test_a_public_holiday_at_ten_is_outside_and_says_so() -> None:
    (only,) = decide(said("<@U0KENJI> hi"), large("U0KENJI"), TOKYO_HOLIDAY).reached
    assert only.holiday_region == "JP"


def test_a_public_holiday_at_night_is_outside_for_the_hour() -> None:
    night = datetime(2026, 11, 23, 22, 0, tzinfo=TOKYO)
    (only,) = decide(said("<@U0KENJI> hi"), large("U0KENJI"), night).reached
    assert only.holiday_region is None


def test_the_holiday_is_the_partners_not_the_senders() -> None:
    # Monday 23 November is a holiday in Tokyo, not in New York.
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=NEW_YORK)
    assert reached(decide(said("<@U0MARY> hi"), large("U0MARY"), monday)) == []


def test_dst_starts_in_new_york_before_europe() -> None:
    # Monday 9 March 2026, 13:30 UTC: 09:30 in New York on summer time (08:30 a day earlier).
    after_change = datetime(2026, 3, 9, 13, 30, tzinfo=UTC)
    assert reached(decide(said("<@U0MARY> hi"), large("U0MARY"), after_change)) == []
    before_change = datetime(2026, 3, 6, 13, 30, tzinfo=UTC)  # Friday: 08:30 EST
    (only,) = decide(said("<@U0MARY> hi"), large("U0MARY"), before_change).reached
    assert (only.local.hour, only.local.minute) == (8, 30)


def test_the_autumn_hour_repeated_in_new_york_is_read_as_local() -> None:
    # Sunday 1 November 2026, 01:30 happens twice in New York; either way it is night.
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    for instant in (first, second):
        (only,) = decide(said("<@U0MARY> hi"), large("U0MARY"), instant).reached
        assert (only.local.hour, only.local.minute) == (1, 30)


# --- partner profiles ----------------------------------------------------------------------------


def test_a_profile_zone_wins_over_slacks() -> None:
    # Mary's Slack says New York; her profile says Tokyo: 23:10 in Tokyo is 09:10 in New York.
    profile = {"U0MARY": PartnerHours(7, tz="Asia/Tokyo")}
    (only,) = decide(said("<@U0MARY> hi"), large("U0MARY"), TOKYO_LATE, profile).reached
    assert only.partner_id == 7
    assert only.local.hour == 23
    assert reached(decide(said("<@U0MARY> hi"), large("U0MARY"), TOKYO_LATE)) == []


def test_profile_hours_and_days_win_over_the_default() -> None:
    late_shift = {"U0KENJI": PartnerHours(3, start=20 * 60, end=24 * 60, days="1234567")}
    assert reached(decide(said("<@U0KENJI> x"), large("U0KENJI"), TOKYO_LATE, late_shift)) == []
    assert reached(decide(said("<@U0KENJI> x"), large("U0KENJI"), TOKYO_SATURDAY, late_shift)) == [
        "U0KENJI"
    ]


def test_a_profile_without_public_holidays_works_on_them() -> None:
    none = {"U0KENJI": PartnerHours(3, public_holidays="none")}
    assert reached(decide(said("<@U0KENJI> x"), large("U0KENJI"), TOKYO_HOLIDAY, none)) == []


def test_a_profile_region_names_its_holidays() -> None:
    # Bavaria: 8 December 2026 (Tuesday) is no holiday; Assumption Day 15 August is on Saturday.
    # 6 January 2026 (Epiphany, Tuesday) is one in Bavaria, not in Berlin's default "DE".
    bavaria = {"U0KENJI": PartnerHours(3, tz="Europe/Berlin", public_holidays="DE-BY")}
    epiphany = datetime(2026, 1, 6, 11, 0, tzinfo=BERLIN)
    (only,) = decide(said("<@U0KENJI> x"), large("U0KENJI"), epiphany, bavaria).reached
    assert only.holiday_region == "DE-BY"
    plain = {"U0KENJI": PartnerHours(3, tz="Europe/Berlin")}
    assert reached(decide(said("<@U0KENJI> x"), large("U0KENJI"), epiphany, plain)) == []


def test_a_profile_zone_that_is_no_iana_name_gives_way_to_slacks() -> None:
    bad = {"U0KENJI": PartnerHours(3, tz="Tokyo Standard Time")}
    decision = decide(said("<@U0KENJI> x"), large("U0KENJI"), TOKYO_LATE, bad)
    (only,) = decision.reached
    assert only.local.hour == 23
    assert decision.bad_profile_zones == 1
    # Without a Slack zone either, nobody is judged.
    nozone = {"U0NOZONE": PartnerHours(5, tz="Mars/Olympus_Mons")}
    decision = decide(said("<@U0NOZONE> x"), large("U0NOZONE"), TOKYO_LATE, nozone)
    assert (decision.reached, decision.without_zone, decision.bad_profile_zones) == ((), 1, 1)


def test_someone_without_a_zone_is_never_judged_but_counted() -> None:
    decision = decide(said("<@U0NOZONE> <@U0KENJI>"), large("U0NOZONE", "U0KENJI"), TOKYO_LATE)
    assert reached(decision) == ["U0KENJI"]
    assert decision.without_zone == 1
    with_profile_zone = {"U0NOZONE": PartnerHours(4, tz="Asia/Tokyo")}
    decision = decide(said("<@U0NOZONE>"), large("U0NOZONE"), TOKYO_LATE, with_profile_zone)
    assert reached(decision) == ["U0NOZONE"]


# --- what kind of message, and whom it reaches ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<@U0KENJI> hi",
        "hi <@U0KENJI|kenji>",
        "hi <!here>",
        "hi <!channel>",
        "<!everyone> hi",
        "<!here|@here> hi",
    ],
)
def test_mention_forms_reach_the_partner_in_a_large_channel(text: str) -> None:
    assert reached(decide(said(text), large("U0KENJI"), TOKYO_LATE)) == ["U0KENJI"]


@pytest.mark.parametrize(
    "text",
    [
        "hi all",
        "hi @here",  # typed, not markup: Slack would have sent <!here>
        "&lt;!here&gt;",
        "<!subteam^S0SALES|@sales> hi",
        "<#C0OTHER|general>",
        "<@U0BOB> please check",
    ],
)
def test_a_plain_message_in_a_large_channel_reaches_nobody(text: str) -> None:
    assert reached(decide(said(text), large("U0KENJI", "U0BOB"), TOKYO_LATE)) == []


def test_every_message_in_a_small_channel_reaches_everyone_external() -> None:
    channel = small("U0ALICE", "U0BOB", "U0KENJI", "U0MARY")  # 5 with the bot
    assert channel.member_count == 5
    # 23:10 in Tokyo is 09:10 in New York: only Kenji is outside.
    assert reached(decide(said("good night"), channel, TOKYO_LATE)) == ["U0KENJI"]


def test_a_channel_of_six_is_not_small() -> None:
    channel = small("U0ALICE", "U0BOB", "U0KENJI", "U0MARY", "U0GUEST")
    assert channel.member_count == 6
    assert reached(decide(said("good night"), channel, TOKYO_LATE)) == []


def test_a_call_to_a_channel_too_large_to_list_reaches_only_those_mentioned() -> None:
    unlisted = Channel(True, 5000, None)
    assert reached(decide(said("<!channel> hi"), unlisted, TOKYO_LATE)) == []
    assert reached(decide(said("<!channel> <@U0KENJI>"), unlisted, TOKYO_LATE)) == ["U0KENJI"]


def test_a_channel_not_shared_reaches_nobody() -> None:
    internal = Channel(False, 3, frozenset({"U0KENJI"}))
    assert reached(decide(said("<@U0KENJI>"), internal, TOKYO_LATE)) == []


@pytest.mark.parametrize("subtype", ["file_share", "thread_broadcast"])
def test_files_and_broadcast_replies_count(subtype: str) -> None:
    message = said("<@U0KENJI> see this", subtype=subtype, in_thread=subtype == "thread_broadcast")
    assert reached(decide(message, large("U0KENJI"), TOKYO_LATE)) == ["U0KENJI"]


@pytest.mark.parametrize(
    "subtype",
    [
        "message_changed",
        "message_deleted",
        "channel_join",
        "channel_leave",
        "bot_message",
        "me_message",
        "channel_topic",
        "message_replied",
    ],
)
def test_other_subtypes_never_count(subtype: str) -> None:
    message = said("<@U0KENJI> <!here>", subtype=subtype)
    assert reached(decide(message, small("U0KENJI"), TOKYO_LATE)) == []


def test_a_message_carrying_a_bot_id_never_counts() -> None:
    message = said("<@U0KENJI>", from_bot=True)
    assert reached(decide(message, small("U0KENJI"), TOKYO_LATE)) == []


def test_a_thread_reply_reaches_only_whom_it_mentions() -> None:
    channel = small("U0ALICE", "U0KENJI")
    assert reached(decide(said("thanks", in_thread=True), channel, TOKYO_LATE)) == []
    assert reached(decide(said("<!here> thanks", in_thread=True), channel, TOKYO_LATE)) == []
    mention = said("<@U0KENJI> thanks", in_thread=True)
    assert reached(decide(mention, channel, TOKYO_LATE)) == ["U0KENJI"]
    broadcast = said("thanks", in_thread=True, subtype="thread_broadcast")
    assert reached(decide(broadcast, channel, TOKYO_LATE)) == ["U0KENJI"]


# --- why each person was reached ----------------------------------------------------------------


def why(decision: Decision) -> dict[str, Why]:
    return {r.user_id: r.why for r in decision.reached}


def test_a_mention_in_a_large_channel_is_the_only_reason() -> None:
    assert why(decide(said("<@U0KENJI> hi"), large("U0KENJI"), TOKYO_LATE)) == {
        "U0KENJI": Why(mentioned=True)
    }


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("<!here> hi", "here"),
        ("<!channel|@channel> hi", "channel"),
        ("Abend <!everyone>", "everyone"),
        ("<!here> <!everyone>", "everyone"),  # the wider call is named
    ],
)
def test_a_channel_call_names_the_word_that_reached_them(text: str, word: str) -> None:
    decision = decide(said(text), large("U0KENJI"), TOKYO_LATE)
    assert why(decision) == {"U0KENJI": Why(called=word)}
    assert not decision.reached[0].why.mentioned


def test_a_small_channel_says_how_many_members_it_has() -> None:
    channel = small("U0ALICE", "U0KENJI", "U0MARY")  # 4 with the bot
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # both outside their hours
    found = why(decide(said("<@U0MARY> see below"), channel, saturday))
    assert found == {
        "U0KENJI": Why(small_channel=4),
        "U0MARY": Why(mentioned=True, small_channel=4),  # mentioned, and would be anyway
    }


def test_a_broadcast_reply_says_it_went_to_the_channel_too() -> None:
    broadcast = said("done", in_thread=True, subtype="thread_broadcast")
    assert why(decide(broadcast, small("U0ALICE", "U0KENJI"), TOKYO_LATE)) == {
        "U0KENJI": Why(small_channel=3, broadcast=True)
    }
    called = said("<!here> done", in_thread=True, subtype="thread_broadcast")
    assert why(decide(called, large("U0KENJI"), TOKYO_LATE)) == {
        "U0KENJI": Why(called="here", broadcast=True)
    }
    # A broadcast reply in a large channel without a call reaches only whom it mentions.
    plain = said("<@U0MARY> done", in_thread=True, subtype="thread_broadcast")
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert why(decide(plain, large("U0KENJI", "U0MARY"), saturday)) == {
        "U0MARY": Why(mentioned=True)
    }


def test_a_reply_kept_in_its_thread_is_only_ever_a_mention() -> None:
    reply = said("<!here> <@U0KENJI> thanks", in_thread=True)
    assert why(decide(reply, small("U0ALICE", "U0KENJI", "U0MARY"), TOKYO_LATE)) == {
        "U0KENJI": Why(mentioned=True)
    }


# --- who sent it, and who is external ------------------------------------------------------------


@pytest.mark.parametrize(
    "author", ["U0GUEST", "U0KENJI", "U0MARY", "U0APP", "U0UNKNOWN", "U0NOTEAM"]
)
def test_only_members_of_the_workspace_are_judged(author: str) -> None:
    message = said("<@U0KENJI> <@U0MARY> <!here>", author=author)
    assert reached(decide(message, small("U0KENJI", "U0MARY"), TOKYO_LATE)) == []
    assert not is_member_sender(EVERYONE.get(author), TEAM)


def test_the_partners_own_message_never_counts_for_them() -> None:
    # Kenji writes at his own midnight, naming Mary (09:10 in New York) and himself.
    message = said("<@U0KENJI> <@U0MARY>", author="U0KENJI")
    assert candidates(message, large("U0KENJI", "U0MARY")) == frozenset({"U0MARY"})
    assert reached(decide(message, large("U0KENJI", "U0MARY"), TOKYO_LATE)) == []


@pytest.mark.parametrize("text", ["<@U0KENJI> see you", "<@U0KENJI> <@U0MARY> siehe oben"])
def test_a_mention_of_someone_not_in_the_channel_reaches_nobody(text: str) -> None:
    # Slack notifies nobody it does not show the channel to; Kenji is not in it.
    message = said(text)
    assert candidates(message, large("U0BOB")) == frozenset()
    assert reached(decide(message, large("U0BOB"), TOKYO_LATE)) == []
    # Of a channel too large to list (its members unknown), a mention counts.
    unlisted = Channel(True, 5_000, None)
    assert "U0KENJI" in candidates(message, unlisted)


def test_mentions_read_from_one_message_are_capped() -> None:
    ids = [f"U0X{n:05d}" for n in range(MENTIONS_MAX + 500)]
    message = said(" ".join(f"<@{uid}>" for uid in ids))
    found = candidates(message, Channel(True, 50_000, None))
    assert found == frozenset(sorted(ids)[:MENTIONS_MAX])


def test_the_cap_on_mentions_keeps_those_in_the_channel_first() -> None:
    pasted = [f"U0A{n:05d}" for n in range(MENTIONS_MAX)]  # sort before Kenji, in no channel
    message = said(" ".join(f"<@{uid}>" for uid in [*pasted, "U0KENJI"]))
    found = candidates(message, Channel(True, 50, frozenset({"U0ALICE", "U0KENJI"})))
    assert found == frozenset({"U0KENJI"})


def test_people_of_our_own_organisation_are_not_reached() -> None:
    sunday_night = datetime(2026, 11, 29, 23, 0, tzinfo=BERLIN)
    message = said("<@U0BOB> <@U0GUEST> <!here>")
    assert reached(decide(message, small("U0BOB", "U0GUEST"), sunday_night)) == []


def test_apps_deactivated_and_unknown_people_are_not_reached() -> None:
    message = said("<@U0APP> <@U0GONE> <@U0STRANGER>")
    assert reached(decide(message, large("U0APP", "U0GONE"), TOKYO_LATE)) == []


def test_several_people_come_in_id_order_each_with_their_own_time() -> None:
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # 21:00 Tokyo, 07:00 New York
    decision = decide(said("<!here>"), large("U0MARY", "U0KENJI"), saturday)
    assert [(r.user_id, r.local.hour) for r in decision.reached] == [
        ("U0KENJI", 21),
        ("U0MARY", 7),
    ]
