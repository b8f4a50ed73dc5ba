"""`/rapport digest on|off|status` end to end, over signed HTTP on SQLite and PostgreSQL, Slack
played by the stand-in: subscribing a team channel in English and German with and without
options, changing only what is named, switching off and on again, the status, every refusal
(a DM, a channel the bot is not in, a shared or soon shared channel, a guest, another
workspace), words not understood, and the suspension on `channel_shared` with the DM to the
subscriber, once however often Slack delivers the event."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Digest, DigestSubscription, Member, PendingCommand
from storage.queries.digests.subscriptions import add_subscription
from storage.queries.members import workspace_for
from tests.security.guests import GUESTS, Guest, in_slack
from tests.support.app import Command, RunningRapport
from tests.support.blocks import buttons, texts
from tests.support.rows import all_of, count
from tests.support.world import BERLIN, NOW, TEAM

RAPPORT = "/rapport"
ALICE, JONAS, BOB = "U0ALICE", "U0JONAS", "U0BOB"


def digest(
    rapport: RunningRapport, text: str, user: str = ALICE, channel: str = "C0TEAM", **kw: Any
) -> Command:
    """`/rapport TEXT` typed by `user` in `channel`."""
    return rapport.command(text, user=user, command=RAPPORT, channel=channel, **kw)


def said(command: Command) -> str:
    """What the asker was told: acked empty at once, then one post to the response_url."""
    assert command.ack == {} or not (command.ack.get("text") or command.ack.get("blocks"))
    reply = command.later()
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    return f"{reply['text']}\n{texts(reply)}"


def subscriptions(rapport: RunningRapport) -> list[DigestSubscription]:
    return all_of(rapport.db, DigestSubscription)


def the_subscription(rapport: RunningRapport, channel: str = "C0TEAM") -> DigestSubscription:
    found = [s for s in subscriptions(rapport) if s.channel_id == channel]
    assert len(found) == 1, found
    return found[0]


def channel_notes(rapport: RunningRapport, channel: str = "C0TEAM") -> list[str]:
    assert rapport.wait_until_idle()
    return [m["text"] for m in rapport.slack.messages(channel)]


def dms(rapport: RunningRapport, user: str) -> list[str]:
    assert rapport.wait_until_idle()
    return [m["text"] for m in rapport.slack.messages(user)]


def shared_event(channel: str) -> dict[str, Any]:
    return {
        "type": "channel_shared",
        "connected_team_id": "T0PARTNER",
        "channel": channel,
        "event_ts": "1764064800.000300",
    }


def unshared_event(channel: str) -> dict[str, Any]:
    return {
        "type": "channel_unshared",
        "previously_connected_team_id": "T0PARTNER",
        "channel": channel,
        "is_ext_shared": False,
        "event_ts": "1764064800.000400",
    }


# --- switching on ----------------------------------------------------------------------------


def test_digest_on_subscribes_the_channel_with_the_defaults_and_tells_the_team(
    rapport: RunningRapport,
) -> None:
    answer = said(digest(rapport, "digest on"))

    assert "This channel now gets Rapport's digest" in answer
    assert "every Monday at 09:00 (Europe/Berlin)" in answer
    # Asked on Wednesday 25 November: the first digest is the coming Monday's.
    assert "Next digest:* Monday, November 30, 2026, 09:00" in answer
    assert "English" in answer and "quiet line" in answer
    row = the_subscription(rapport)
    assert (row.every_weeks, row.weekday, row.minute) == (1, 1, 9 * 60)
    assert (row.tz, row.language, row.quiet, row.state) == ("Europe/Berlin", "en", "line", "active")
    assert row.anchor_on == date(2026, 11, 23)
    assert row.updated_at == NOW and row.suspended_reason is None
    notes = channel_notes(rapport)
    assert len(notes) == 1
    assert "subscribed this channel to Rapport's digest" in notes[0]
    assert "every Monday at 09:00 (Europe/Berlin)" in notes[0]
    assert "<@" not in notes[0]  # the subscriber by name, never a mention


def test_digest_an_in_german_with_options_in_any_order(rapport: RunningRapport) -> None:
    answer = said(digest(rapport, "digest an ruhig nichts 8:30 Dienstag alle zwei Wochen", JONAS))

    assert "Dieser Kanal bekommt jetzt Rapports Übersicht" in answer
    assert "jeden zweiten Dienstag um 08:30 (Europe/Berlin)" in answer
    # The anchor is this week (Tuesday the 24th has passed): the next is two weeks on.
    assert "Dienstag, 8. Dezember 2026, 08:30 Uhr" in answer
    assert "es wird nichts gepostet" in answer
    row = the_subscription(rapport)
    assert (row.every_weeks, row.weekday, row.minute, row.quiet) == (2, 2, 8 * 60 + 30, "nothing")
    assert row.language == "de"
    [note] = channel_notes(rapport)
    assert "hat für diesen Kanal Rapports Übersicht" in note
    assert "jeden zweiten Dienstag um 08:30" in note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "digest on fortnightly friday 9pm asia/tokyo language de",
            (2, 5, 21 * 60, "Asia/Tokyo", "de", "line"),
        ),
        ("digest on 14h sprache englisch so", (1, 7, 14 * 60, "America/New_York", "en", "line")),
        ("digest on every two weeks, mo 7.45 quiet line", (2, 1, 7 * 60 + 45, None, "en", "line")),
        (
            "digest an 14-tägig Mi 8 Uhr Europe/Berlin deutsch",
            (2, 3, 8 * 60, "Europe/Berlin", "de", "line"),
        ),
    ],
)
def test_the_options_set_the_subscription(
    rapport: RunningRapport, text: str, expected: tuple[object, ...]
) -> None:
    said(digest(rapport, text, BOB))

    row = the_subscription(rapport)
    every, weekday, minute, tz, language, quiet = expected
    assert (row.every_weeks, row.weekday, row.minute) == (every, weekday, minute)
    # Bob's Slack zone is New York: the default when no zone is named.
    assert row.tz == (tz or "America/New_York")
    assert (row.language, row.quiet) == (language, quiet)
    # The Monday of the week it was set up, in the subscription's own zone.
    assert row.anchor_on == date(2026, 11, 23)


def test_digest_on_again_changes_only_what_it_names(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on tue 08:30"))
    first = the_subscription(rapport)

    rapport.clock.advance(timedelta(hours=1))
    answer = said(digest(rapport, "digest an 14 uhr", JONAS))

    assert (
        "Geändert. Die Übersicht dieses Kanals ist jetzt so eingestellt" in answer
    )  # Jonas reads German
    assert "every Tuesday at 14:00 (Europe/Berlin)" in answer or "jeden Dienstag um 14:00" in answer
    row = the_subscription(rapport)
    assert (row.weekday, row.minute, row.language, row.every_weeks) == (2, 14 * 60, "en", 1)
    assert row.subscriber_id == first.subscriber_id  # Alice subscribed it
    assert row.updated_at == NOW + timedelta(hours=1)  # the schedule moved
    notes = channel_notes(rapport)
    assert len(notes) == 2 and "changed this channel's Rapport digest" in notes[1]

    # A language alone leaves the schedule, and when it was switched on, as they were.
    said(digest(rapport, "digest on language de"))
    row = the_subscription(rapport)
    assert row.language == "de" and row.updated_at == NOW + timedelta(hours=1)

    # Nothing named: nothing changes, and the channel is not told again.
    answer = said(digest(rapport, "digest on"))
    assert "is on already; nothing was named to change" in answer
    assert len(channel_notes(rapport)) == 3


def test_off_keeps_the_settings_and_on_restores_them(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on biweekly thu 10:15 quiet nothing"))

    answer = said(digest(rapport, "digest off"))
    assert "This channel's digest is off. Its settings are kept" in answer
    row = the_subscription(rapport)
    assert row.state == "off"
    assert "switched off this channel's Rapport digest" in channel_notes(rapport)[-1]
    assert "is off already" in said(digest(rapport, "digest aus"))
    assert "*off*" in said(digest(rapport, "digest status"))

    rapport.clock.advance(timedelta(days=3))
    answer = said(digest(rapport, "digest on", JONAS))
    assert "wieder an" in answer
    row = the_subscription(rapport)
    assert (row.state, row.every_weeks, row.weekday, row.minute, row.quiet) == (
        "active",
        2,
        4,
        10 * 60 + 15,
        "nothing",
    )
    assert row.updated_at == NOW + timedelta(days=3)  # switched on again: the new `since`
    assert len(channel_notes(rapport)) == 3


def test_off_without_a_subscription_says_so_and_posts_nothing(rapport: RunningRapport) -> None:
    assert "no Rapport digest to switch off" in said(digest(rapport, "digest off"))
    assert "keine Übersicht von Rapport zum Ausschalten" in said(
        digest(rapport, "digest aus", JONAS)
    )
    assert channel_notes(rapport) == [] and subscriptions(rapport) == []


# --- status ----------------------------------------------------------------------------------


def add_digest(
    rapport: RunningRapport, period: date, state: str, error: str | None, done_at: datetime | None
) -> None:
    row = the_subscription(rapport)
    with rapport.db.transaction() as session:
        session.add(
            Digest(
                id=str(uuid.uuid4()),
                workspace_id=row.workspace_id,
                subscription_id=row.id,
                period=period,
                state=state,
                error=error,
                channel_id=row.channel_id,
                created_at=NOW,
                done_at=done_at,
            )
        )


def test_status_tells_everything_set_and_the_last_digest(rapport: RunningRapport) -> None:
    answer = said(digest(rapport, "digest"))
    assert "This channel has no Rapport digest" in answer and "`quiet nothing`" in answer

    said(digest(rapport, "digest on"))
    answer = said(digest(rapport, "digest status", BOB))
    assert "This channel's digest is *on*" in answer
    assert "every Monday at 09:00 (Europe/Berlin)" in answer
    assert "Next digest:* Monday, November 30, 2026, 09:00" in answer
    assert "Subscribed by:* Alice" in answer and "<@" not in answer
    assert "Last digest:* none yet" in answer

    posted = datetime(2026, 11, 30, 9, 0, 5, tzinfo=BERLIN)
    add_digest(rapport, date(2026, 11, 30), "sent", None, posted)
    rapport.clock.set(NOW + timedelta(days=6))
    answer = said(digest(rapport, "digest status"))
    assert "Last digest:* posted Monday, November 30, 2026, 09:00 (Europe/Berlin)" in answer
    assert "Next digest:* Monday, December 7, 2026, 09:00" in answer

    add_digest(rapport, date(2026, 12, 7), "skipped", "guests", NOW + timedelta(days=12))
    answer = said(digest(rapport, "digest status"))
    assert "held on Monday, December 7, 2026: workspace guests are members of this channel" in (
        answer
    )
    assert "Remove the guests from the channel, or switch the digest off" in answer


def test_status_is_in_the_askers_language_and_names_the_channels(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest an zweiwöchentlich di 8:30", JONAS))
    add_digest(rapport, date(2026, 11, 24), "skipped", "ext_shared", NOW)

    answer = said(digest(rapport, "digest status"))  # Alice reads English, the channel German
    assert "This channel's digest is *on*" in answer
    assert "every other Tuesday at 08:30 (Europe/Berlin)" in answer
    assert "Subscribed by:* Jonas" in answer
    assert "shared with another organisation" in answer
    assert "German" in answer  # the channel's language, named for Alice

    answer = said(digest(rapport, "digest status", JONAS))  # Jonas reads German
    assert "Die Übersicht dieses Kanals ist *an*" in answer
    assert "jeden zweiten Dienstag um 08:30 (Europe/Berlin)" in answer
    assert "mit einer anderen Organisation geteilt" in answer


# --- refusals --------------------------------------------------------------------------------


def test_a_direct_message_is_no_team_channel(rapport: RunningRapport) -> None:
    dm = rapport.slack.dm_channel(ALICE)
    assert "run `/rapport digest on` in the team channel" in said(
        digest(rapport, "digest on", channel=dm)
    )
    assert "im Team-Kanal aus" in said(digest(rapport, "digest an", JONAS, channel=dm))
    assert subscriptions(rapport) == []


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_a_channel_the_bot_is_not_in_says_how_to_invite_it(
    rapport: RunningRapport, private: bool
) -> None:
    rapport.slack.add_channel(
        "C0OUTSIDE", name="outside", members=[ALICE, JONAS], is_private=private, bot_is_member=False
    )

    answer = said(digest(rapport, "digest on", channel="C0OUTSIDE"))
    assert "Rapport is not a member of this channel" in answer and "`/invite @Rapport`" in answer
    assert "`/invite @Rapport`" in said(digest(rapport, "digest an", JONAS, channel="C0OUTSIDE"))
    assert subscriptions(rapport) == []
    assert channel_notes(rapport, "C0OUTSIDE") == []


@pytest.mark.parametrize(
    ("flags", "english", "german"),
    [
        ({"is_ext_shared": True}, "This channel is shared with another organisation", "ist mit"),
        ({"is_pending_ext_shared": True}, "an invitation is pending", "Einladung steht aus"),
    ],
    ids=["shared", "pending"],
)
def test_a_shared_channel_is_refused_with_why(
    rapport: RunningRapport, flags: dict[str, bool], english: str, german: str
) -> None:
    rapport.slack.add_channel("C0PARTNER", name="with-partner", members=[ALICE, JONAS], **flags)

    answer = said(digest(rapport, "digest on", channel="C0PARTNER"))
    assert english in answer and "people outside the company" in answer
    assert german in said(digest(rapport, "digest an", JONAS, channel="C0PARTNER"))
    assert subscriptions(rapport) == [] and channel_notes(rapport, "C0PARTNER") == []


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_cannot_subscribe(rapport: RunningRapport, guest: Guest) -> None:
    in_slack(rapport, guest)
    rapport.slack.update_channel("C0TEAM", join=[guest.user_id])

    answer = said(digest(rapport, "digest on", guest.user_id))

    assert guest.refused in answer
    assert subscriptions(rapport) == [] and channel_notes(rapport) == []


def test_someone_of_another_workspace_changes_nothing(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on"))
    command = digest(rapport, "digest off", team="T0OTHER")
    assert rapport.wait_until_idle()
    shown = f"{command.ack}{rapport.slack.responses(command.response_url)}"
    assert "Rapport is for this company's own members" in shown
    assert the_subscription(rapport).state == "active"
    assert len(channel_notes(rapport)) == 1


def test_another_workspaces_subscription_of_the_same_channel_id_is_not_touched(
    rapport: RunningRapport,
) -> None:
    """Channel ids are Slack's, per workspace: a row of another workspace is neither shown,
    nor changed, nor suspended."""
    said(digest(rapport, "digest status"))  # Alice cached
    with rapport.db.transaction() as session:
        own = workspace_for(session, TEAM, NOW)
        other = workspace_for(session, "T0OTHER", NOW)
        member = session.scalars(select(Member).where(Member.workspace_id == own.id)).first()
        assert member is not None
        session.add(
            DigestSubscription(
                workspace_id=other.id,
                channel_id="C0TEAM",
                subscriber_id=member.id,
                anchor_on=date(2026, 11, 23),
                created_at=NOW,
                updated_at=NOW,
            )
        )
        assert own.id != other.id
    assert "This channel has no Rapport digest" in said(digest(rapport, "digest status"))
    rapport.slack.update_channel("C0TEAM", is_ext_shared=True)
    assert rapport.event("EvShareOther1", shared_event("C0TEAM")).status == 200
    assert [s.state for s in subscriptions(rapport)] == ["active"]
    assert dms(rapport, ALICE) == []


# --- what is not understood ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "user", "expected"),
    [
        ("digest on tuesday wednesday", ALICE, "`tuesday` and `wednesday` both set the same thing"),
        ("digest on weekly biweekly", ALICE, "`weekly` and `biweekly` both set the same thing"),
        ("digest on mon 14", ALICE, "`14` alone is not read as a time of day"),
        ("digest on mon 25:00", ALICE, "`25:00` is no time of day"),
        ("digest on Mars/Olympus", ALICE, "`Mars/Olympus` is no time zone Rapport knows"),
        ("digest on language fr", ALICE, "`fr` after `language` was not understood"),
        ("digest on every monday soonish", ALICE, "`soonish` was not understood"),
        ("digest maybe", ALICE, "`/rapport digest` has no `maybe`"),
        ("digest off now", ALICE, "`now` was not understood"),
        ("digest an quatsch", JONAS, "`quatsch` wurde nicht verstanden"),
        ("digest an di mi", JONAS, "`di` und `mi` stellen dasselbe ein"),
        ("digest an ruhig", JONAS, "Nach `ruhig` fehlt der Wert"),
        ("digest on every 3 weeks", ALICE, "every other week, so `every 3 weeks` cannot be set"),
        ("digest an alle 3 wochen", JONAS, "lässt sich `alle 3 wochen` nicht einstellen"),
        ("digest on every other friday at 9 soonish", ALICE, "`soonish` was not understood"),
    ],
)
def test_a_word_not_understood_is_named_and_nothing_changes(
    rapport: RunningRapport, text: str, user: str, expected: str
) -> None:
    answer = said(digest(rapport, text, user))

    assert expected in answer
    assert subscriptions(rapport) == [] and channel_notes(rapport) == []


def test_a_bad_option_on_a_subscribed_channel_changes_nothing(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on tue"))
    before = the_subscription(rapport)

    assert "`13pm` is no time of day" in said(digest(rapport, "digest on wed 13pm"))

    after = the_subscription(rapport)
    assert (after.weekday, after.minute, after.updated_at) == (
        before.weekday,
        before.minute,
        before.updated_at,
    )


def test_the_note_to_the_channel_failing_is_told_to_the_asker(rapport: RunningRapport) -> None:
    rapport.slack.fail_next("chat.postMessage", error="is_archived", status=200, retry_after=None)

    answer = said(digest(rapport, "digest on"))

    assert "now gets Rapport's digest" in answer
    assert "could not be posted (is_archived); the setting itself is saved" in answer
    assert the_subscription(rapport).state == "active"


# --- suspension ------------------------------------------------------------------------------


def test_channel_shared_suspends_the_digest_and_tells_the_subscriber_once(
    rapport: RunningRapport,
) -> None:
    said(digest(rapport, "digest on"))
    rapport.slack.update_channel("C0TEAM", is_ext_shared=True)

    for _retry in range(3):
        assert rapport.event("EvShared1", shared_event("C0TEAM")).status == 200

    row = the_subscription(rapport)
    assert (row.state, row.suspended_reason) == ("suspended", "ext_shared")
    [dm] = dms(rapport, ALICE)
    assert "Rapport's digest in <#C0TEAM> is suspended" in dm
    assert "people outside the company" in dm

    # Unsharing does not resume it; status says why it is suspended.
    rapport.slack.update_channel("C0TEAM", is_ext_shared=False)
    assert rapport.event("EvUnshared1", unshared_event("C0TEAM")).status == 200
    assert the_subscription(rapport).state == "suspended"
    answer = said(digest(rapport, "digest status"))
    assert "*suspended*: the channel is shared with another organisation" in answer
    assert "Next digest" not in answer

    # A second share event of an already suspended digest tells nobody again.
    assert rapport.event("EvShared2", shared_event("C0TEAM")).status == 200
    assert len(dms(rapport, ALICE)) == 1

    # `digest on` checks again, and resumes it.
    rapport.clock.advance(timedelta(days=1))
    assert "is on again" in said(digest(rapport, "digest on"))
    row = the_subscription(rapport)
    assert (row.state, row.suspended_reason) == ("active", None)
    assert row.updated_at == NOW + timedelta(days=1)


def test_the_suspension_dm_is_in_the_subscribers_language(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest an", JONAS))
    rapport.slack.update_channel("C0TEAM", is_ext_shared=True)

    assert rapport.event("EvSharedDe", shared_event("C0TEAM")).status == 200

    [dm] = dms(rapport, JONAS)
    assert "Rapports Übersicht in <#C0TEAM> ist ausgesetzt" in dm


def test_while_shared_digest_on_stays_refused(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on"))
    rapport.slack.update_channel("C0TEAM", is_ext_shared=True)
    assert rapport.event("EvShared3", shared_event("C0TEAM")).status == 200

    assert "shared with another organisation" in said(digest(rapport, "digest on"))
    assert the_subscription(rapport).state == "suspended"


def test_an_off_or_unsubscribed_channel_shared_tells_nobody(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on"))
    said(digest(rapport, "digest off"))
    rapport.slack.update_channel("C0TEAM", is_ext_shared=True)

    assert rapport.event("EvShared4", shared_event("C0TEAM")).status == 200

    assert the_subscription(rapport).state == "off"
    assert dms(rapport, ALICE) == []
    assert count(rapport.db, DigestSubscription) == 1


def test_a_failed_suspension_dm_is_logged_not_raised(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on"))
    rapport.slack.fail_next(
        "chat.postMessage", error="user_not_found", status=200, retry_after=None
    )

    assert rapport.event("EvShared5", shared_event("C0TEAM")).status == 200

    assert rapport.wait_until_idle()
    assert the_subscription(rapport).state == "suspended"
    assert rapport.event("EvShared5", shared_event("C0TEAM")).status == 200
    assert dms(rapport, ALICE) == []


def test_rows_are_read_back_by_workspace(rapport: RunningRapport) -> None:
    said(digest(rapport, "digest on"))
    with rapport.db.reading() as session:
        rows = session.scalars(select(DigestSubscription.channel_id)).all()
    assert rows == ["C0TEAM"]


# --- an hour alone: asked about ---------------------------------------------------------------


def question_buttons(command: Command) -> dict[str, dict[str, Any]]:
    """The question's buttons by their label."""
    return {b["text"]["text"]: b for b in buttons(command.later()).values()}


def press(
    rapport: RunningRapport, button: dict[str, Any], command: Command, user: str = ALICE
) -> str:
    """Press `button` on the question `command` was answered with; what replaces it."""
    before = len(rapport.slack.responses(command.response_url))
    pressed = rapport.click(
        button["action_id"], button["value"], user=user, response_url=command.response_url
    )
    assert pressed.answer.status == 200
    reply = pressed.later(before + 1)
    assert reply.get("replace_original") is True
    return f"{reply['text']}\n{texts(reply)}"


def test_an_hour_alone_is_asked_about_and_the_answer_subscribes(rapport: RunningRapport) -> None:
    asked = digest(rapport, "digest on fri 7")

    assert "`7` could be in the morning or in the evening" in said(asked)
    choices = question_buttons(asked)
    assert set(choices) == {"07:00", "19:00", "Cancel"}
    assert subscriptions(rapport) == [] and channel_notes(rapport) == []

    answer = press(rapport, choices["19:00"], asked)

    assert "now gets Rapport's digest" in answer and "every Friday at 19:00" in answer
    row = the_subscription(rapport)
    assert (row.weekday, row.minute) == (5, 19 * 60)
    assert len(channel_notes(rapport)) == 1
    # Pressed again (or the other reading): the question is answered, nothing changes twice.
    assert "answered already or is more than an hour old" in press(rapport, choices["07:00"], asked)
    assert the_subscription(rapport).minute == 19 * 60
    assert len(channel_notes(rapport)) == 1


def test_the_hour_question_in_german_and_cancel(rapport: RunningRapport) -> None:
    asked = digest(rapport, "digest an 8 di", JONAS)

    assert "`8` kann morgens oder abends sein" in said(asked)
    choices = question_buttons(asked)
    assert set(choices) == {"08:00 Uhr", "20:00 Uhr", "Abbrechen"}

    assert "Es wurde nichts geändert" in press(rapport, choices["Abbrechen"], asked, JONAS)

    assert subscriptions(rapport) == [] and channel_notes(rapport) == []


def test_someone_else_cannot_answer_the_question(rapport: RunningRapport) -> None:
    asked = digest(rapport, "digest on 9")
    said(asked)
    said(digest(rapport, "digest status", BOB))  # Bob is a member too

    assert "more than an hour old" in press(rapport, question_buttons(asked)["21:00"], asked, BOB)

    assert subscriptions(rapport) == []


def test_a_question_older_than_an_hour_has_expired(rapport: RunningRapport) -> None:
    asked = digest(rapport, "digest on 9")
    said(asked)
    rapport.clock.advance(timedelta(hours=1, minutes=1))

    assert "more than an hour old" in press(rapport, question_buttons(asked)["09:00"], asked)

    assert subscriptions(rapport) == []


def test_help_names_the_digest_words(rapport: RunningRapport) -> None:
    english = texts(digest(rapport, "help").reply())
    assert "`/rapport digest on` in a team channel" in english and "`quiet nothing`" in english
    german = texts(digest(rapport, "hilfe", JONAS).reply())
    assert "`/rapport digest an` in einem Team-Kanal" in german and "`ruhig nichts`" in german


def test_a_group_dm_is_no_team_channel(rapport: RunningRapport) -> None:
    rapport.slack.add_group_dm("G0GROUP", members=[ALICE, JONAS, BOB])

    assert "in the team channel" in said(digest(rapport, "digest on", channel="G0GROUP"))
    assert subscriptions(rapport) == [] and channel_notes(rapport, "G0GROUP") == []


def test_a_second_first_subscription_finds_the_one_made_meanwhile(rapport: RunningRapport) -> None:
    """Two `digest on` at once in a channel never subscribed: the unique channel lets one row
    in, and the other request finds it (treated as a re-subscribe) instead of failing."""
    said(digest(rapport, "digest status"))  # Alice cached
    settings = {
        "every_weeks": 1,
        "weekday": 1,
        "minute": 9 * 60,
        "tz": "Europe/Berlin",
        "language": "en",
        "quiet": "line",
        "anchor_on": date(2026, 11, 23),
    }
    made = []
    for minute in (9 * 60, 10 * 60):
        with rapport.db.transaction() as session:
            workspace = workspace_for(session, TEAM, NOW)
            member = session.scalars(
                select(Member).where(Member.workspace_id == workspace.id)
            ).one()
            row, created = add_subscription(
                session, workspace.id, "C0TEAM", member, {**settings, "minute": minute}, NOW
            )
            made.append((created, row.minute))
    assert made == [(True, 9 * 60), (False, 9 * 60)]
    assert count(rapport.db, DigestSubscription) == 1


@pytest.mark.parametrize(
    ("user", "word", "next_words"),
    [
        (ALICE, "on", "Next digest:* Monday, December 7, 2026, 10:00"),
        (JONAS, "an", "Nächste Übersicht:* Montag, 7. Dezember 2026, 10:00"),
    ],
)
def test_a_same_day_change_after_the_post_names_the_real_next_one(
    rapport: RunningRapport, user: str, word: str, next_words: str
) -> None:
    """09:00 was posted; at 09:05 the time moves to 10:00: today already has its digest, so
    the next one is next Monday at 10:00, in the reply and in the status."""
    said(digest(rapport, f"digest {word}", user))
    rapport.clock.set(datetime(2026, 11, 30, 9, 5, tzinfo=BERLIN))
    add_digest(
        rapport, date(2026, 11, 30), "sent", None, datetime(2026, 11, 30, 9, 0, 5, tzinfo=BERLIN)
    )

    changed = said(digest(rapport, f"digest {word} 10:00", user))
    assert next_words in changed
    assert next_words in said(digest(rapport, "digest status", user))
    # Before today's post, the same change names today.
    rapport.clock.set(datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN))
    assert next_words in said(digest(rapport, "digest status", user))


# --- schedules read as people write them, and as Rapport writes them -------------------------


def schedule_of(rapport: RunningRapport) -> tuple[int, int, int, str]:
    row = the_subscription(rapport)
    return (row.every_weeks, row.weekday, row.minute, row.tz)


def when_words(answer: str) -> str:
    """The schedule a reply states, as a reader copies it from its When line."""
    line = next(line for line in answer.splitlines() if line.startswith(("*When:* ", "*Wann:* ")))
    return line.split(":* ", 1)[1]


@pytest.mark.parametrize(
    ("user", "first", "stated", "other"),
    [
        (
            ALICE,
            "digest on biweekly fri 16:00 Asia/Tokyo",
            "every other Friday at 16:00 (Asia/Tokyo)",
            "digest on weekly mon 9:00 UTC",
        ),
        (
            JONAS,
            "digest an zweiwöchentlich di 8:30",
            "jeden zweiten Dienstag um 08:30 (Europe/Berlin)",
            "digest an wöchentlich so 23:59 America/New_York",
        ),
        (
            JONAS,
            "digest an sa 0:05 UTC",
            "jeden Samstag um 00:05 (UTC)",
            "digest an alle zwei wochen mo 12:00 Asia/Tokyo",
        ),
    ],
)
def test_the_schedule_status_states_can_be_typed_back(
    rapport: RunningRapport, user: str, first: str, stated: str, other: str
) -> None:
    word = first.split()[1]
    said(digest(rapport, first, user))
    before = schedule_of(rapport)
    assert when_words(said(digest(rapport, "digest status", user))) == stated
    said(digest(rapport, other, user))
    assert schedule_of(rapport) != before

    answer = said(digest(rapport, f"digest {word} {stated}", user))

    assert schedule_of(rapport) == before
    assert when_words(answer) == stated
    assert when_words(said(digest(rapport, "digest status", user))) == stated


@pytest.mark.parametrize(
    ("user", "text", "schedule", "stated"),
    [
        (ALICE, "digest on 9 pm every tuesday", (1, 2, 21 * 60), "every Tuesday at 21:00"),
        (ALICE, "digest on each monday", (1, 1, 10 * 60), "every Monday at 10:00"),
        (JONAS, "digest an jeden Donnerstag um 7:15", (1, 4, 7 * 60 + 15), "jeden Donnerstag um"),
        (JONAS, "digest an wöchentlich", (1, 5, 10 * 60), "jeden Freitag um 10:00"),
        (ALICE, "digest on every other monday", (2, 1, 10 * 60), "every other Monday at 10:00"),
        (JONAS, "digest an jeden zweiten Mittwoch", (2, 3, 10 * 60), "jeden zweiten Mittwoch"),
        (ALICE, "digest on every wednesday fortnightly", (2, 3, 10 * 60), "every other Wednesday"),
        # A day without `every` moves the day and keeps how often.
        (JONAS, "digest an dienstags", (2, 2, 10 * 60), "jeden zweiten Dienstag um 10:00"),
        (ALICE, "digest on thursday", (2, 4, 10 * 60), "every other Thursday at 10:00"),
    ],
)
def test_every_weekday_means_weekly_unless_how_often_is_said(
    rapport: RunningRapport, user: str, text: str, schedule: tuple[int, int, int], stated: str
) -> None:
    said(digest(rapport, "digest on biweekly fri 10:00"))

    answer = said(digest(rapport, text, user))

    assert stated in when_words(answer)
    assert schedule_of(rapport)[:3] == schedule


@pytest.mark.parametrize(
    ("user", "text", "expected"),
    [
        (ALICE, "digest on every 3 weeks", "`every 3 weeks` cannot be set"),
        (ALICE, "digest on 3 weeks", "Write `weekly` or `biweekly`"),
        (ALICE, "digest on 9 every other day", "`every other day` cannot be set"),
        (JONAS, "digest an alle 3 Wochen", "jede Woche oder jede zweite Woche"),
        (JONAS, "digest an 8 monatlich", "lässt sich `monatlich` nicht einstellen"),
        (ALICE, "digest on 9 soonish", "`soonish` was not understood"),
        (JONAS, "digest an 7 di mi", "`di` und `mi` stellen dasselbe ein"),
        (ALICE, "digest on 9 13pm", "`13pm` is no time of day"),
    ],
)
def test_a_text_that_cannot_be_set_asks_no_question_and_changes_nothing(
    rapport: RunningRapport, user: str, text: str, expected: str
) -> None:
    """Refused at once, whatever hour stands in it: no buttons, no text kept for an answer."""
    said(digest(rapport, "digest on biweekly fri 10:00"))
    before = the_subscription(rapport)
    rapport.clock.advance(timedelta(minutes=5))

    command = digest(rapport, text, user)

    assert expected in said(command)
    assert buttons(command.later()) == {}
    assert count(rapport.db, PendingCommand) == 0
    after = the_subscription(rapport)
    assert (after.every_weeks, after.weekday, after.minute, after.updated_at) == (
        before.every_weeks,
        before.weekday,
        before.minute,
        before.updated_at,
    )
    assert len(channel_notes(rapport)) == 1


@pytest.mark.parametrize(
    ("where", "user", "text", "expected"),
    [
        ("dm", ALICE, "digest on 9", "team channel"),
        ("outside", JONAS, "digest an fr 7", "`/invite @Rapport`"),
        ("shared", ALICE, "digest on biweekly tue 8", "shared with another organisation"),
    ],
)
def test_no_question_is_asked_where_no_answer_could_subscribe(
    rapport: RunningRapport, where: str, user: str, text: str, expected: str
) -> None:
    """An hour alone typed in a DM, in a channel Rapport is not in, or in a shared channel: the
    place is refused at once (EN and DE), with no question whose every answer would then be
    refused, and no text kept for an answer."""
    rapport.slack.add_channel(
        "C0OUTSIDE", name="outside", members=[ALICE, JONAS], bot_is_member=False
    )
    rapport.slack.add_channel("C0PARTNER", name="partner", members=[ALICE], is_ext_shared=True)
    channel = {"dm": "D0ALICE", "outside": "C0OUTSIDE", "shared": "C0PARTNER"}[where]

    command = digest(rapport, text, user, channel=channel)

    assert expected in said(command)
    assert buttons(command.later()) == {}
    assert count(rapport.db, PendingCommand) == 0
    assert subscriptions(rapport) == []


def test_a_question_about_the_hour_comes_only_with_a_text_that_can_be_set(
    rapport: RunningRapport,
) -> None:
    """`jeden zweiten Dienstag um 9`: the day and how often are good, so the hour is asked
    about, and the answer sets all of it."""
    said(digest(rapport, "digest on fri 10:00"))
    asked = digest(rapport, "digest an jeden zweiten Dienstag um 9", JONAS)
    assert "`9` kann morgens oder abends sein" in said(asked)

    answer = press(rapport, question_buttons(asked)["21:00 Uhr"], asked, JONAS)

    assert "jeden zweiten Dienstag um 21:00" in answer
    assert schedule_of(rapport)[:3] == (2, 2, 21 * 60)
