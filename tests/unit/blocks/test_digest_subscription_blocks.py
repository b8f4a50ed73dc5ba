"""The replies about a channel's digest subscription, the note to the channel and the
suspension DM, in English and German, from plain values; slack_sdk's models check Block Kit's
limits when the blocks are built."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.digest.subscription import (
    LastDigest,
    SubscriptionView,
    announce_failed,
    announcement,
    channel_reader,
    problem_reply,
    refused,
    schedule_words,
    status_reply,
    subscribed_reply,
    suspended_notice,
)
from bot.blocks.replies import Reply
from bot.parsing.digests.subscription_text import DigestProblem
from bot.texts.reader import Reader
from tests.support.blocks import texts

BERLIN = ZoneInfo("Europe/Berlin")
EN = Reader("en-US", "America/New_York")
DE = Reader("de-DE", "Europe/Berlin")


def view(**changes: object) -> SubscriptionView:
    values: dict[str, object] = {
        "channel_id": "C0TEAM",
        "state": "active",
        "suspended_reason": None,
        "every_weeks": 1,
        "weekday": 1,
        "minute": 9 * 60,
        "tz": "Europe/Berlin",
        "language": "en",
        "quiet": "line",
        "subscriber_name": "Alice <Berger>",
        "next_post": datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN),
        "last": None,
    }
    values.update(changes)
    return SubscriptionView(**values)  # type: ignore[arg-type]


def shown(reply: Reply) -> str:
    """The fallback text and the blocks' text; both must say the same things."""
    return f"{reply.text}\n{texts({'blocks': [b.to_dict() for b in reply.blocks]})}"


@pytest.mark.parametrize(
    ("reader", "every", "weekday", "minute", "expected"),
    [
        (EN, 1, 1, 540, "every Monday at 09:00 (Europe/Berlin)"),
        (EN, 2, 2, 510, "every other Tuesday at 08:30 (Europe/Berlin)"),
        (DE, 1, 7, 0, "jeden Sonntag um 00:00 (Europe/Berlin)"),
        (DE, 2, 2, 510, "jeden zweiten Dienstag um 08:30 (Europe/Berlin)"),
    ],
)
def test_a_schedule_in_words(
    reader: Reader, every: int, weekday: int, minute: int, expected: str
) -> None:
    assert schedule_words(reader, view(every_weeks=every, weekday=weekday, minute=minute)) == (
        expected
    )


def test_the_next_post_is_told_in_the_subscriptions_zone_whoever_reads() -> None:
    reply = subscribed_reply(EN, view(), "new")  # a New Yorker reads a Berlin schedule
    assert "Monday, November 30, 2026, 09:00" in shown(reply)
    german = shown(subscribed_reply(DE, view(language="de", quiet="nothing"), "changed"))
    assert "Montag, 30. November 2026, 09:00 Uhr" in german
    assert "Deutsch" in german and "es wird nichts gepostet" in german


def test_status_names_the_subscriber_escaped_and_never_as_a_mention() -> None:
    text = shown(status_reply(EN, view()))
    assert "Subscribed by:* Alice &lt;Berger&gt;" in text
    assert "<@" not in text and "none yet" in text


@pytest.mark.parametrize(
    ("state", "reason", "english", "german"),
    [
        ("active", None, "is *on*", "ist *an*"),
        ("off", None, "is *off*", "ist *aus*"),
        ("suspended", "ext_shared", "shared with another organisation", "mit einer anderen"),
        ("suspended", "pending_ext_shared", "invitation is pending", "Einladung steht aus"),
    ],
)
def test_status_of_each_state(state: str, reason: str | None, english: str, german: str) -> None:
    subscription = view(state=state, suspended_reason=reason)
    assert english in shown(status_reply(EN, subscription))
    assert german in shown(status_reply(DE, subscription))


@pytest.mark.parametrize(
    ("last", "english", "german"),
    [
        (
            LastDigest(
                date(2026, 11, 23),
                "sent",
                None,
                datetime(2026, 11, 23, 8, 0, 3, tzinfo=ZoneInfo("UTC")),
            ),
            "posted Monday, November 23, 2026, 09:00",
            "gepostet Montag, 23. November 2026, 09:00 Uhr",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", "guests", None),
            "held on Monday, November 23, 2026: workspace guests are members of this channel. "
            "Remove the guests from the channel, or switch the digest off with "
            "`/rapport digest off`.",
            "am Montag, 23. November 2026 zurückgehalten: Gäste des Workspaces",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", "ext_shared", None),
            "held on Monday, November 23, 2026: the channel is shared",
            "der Kanal ist mit einer anderen Organisation geteilt",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", None, None),
            "nothing posted on Monday, November 23, 2026: nothing to report",
            "nichts zu berichten",
        ),
        (LastDigest(date(2026, 11, 23), "ready", None, None), "is being posted", "gerade"),
        (
            LastDigest(date(2026, 11, 23), "dead", "channel_not_found", None),
            "Slack did not find the channel for Rapport",
            "Slack hat den Kanal für Rapport nicht gefunden",
        ),
        (
            LastDigest(date(2026, 11, 23), "dead", "not_in_channel", None),
            "Rapport is no longer a member of this channel. Invite it with `/invite @Rapport`.",
            "Rapport ist nicht mehr Mitglied dieses Kanals",
        ),
        (
            LastDigest(date(2026, 11, 23), "dead", "is_archived", None),
            "the channel is archived. Unarchive it, or switch the digest off",
            "der Kanal ist archiviert",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", "members_unlisted", None),
            "Slack did not list all of this channel's members, so guests could not be ruled out",
            "Gäste ließen sich also nicht ausschließen",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", "pending_ext_shared", None),
            "an invitation to share the channel with another organisation is pending",
            "eine Einladung, den Kanal mit einer anderen Organisation zu teilen, steht aus",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", "off", None),
            "not posted on Monday, November 23, 2026: the digest was switched off",
            "die Übersicht war ausgeschaltet",
        ),
        (
            LastDigest(date(2026, 11, 23), "skipped", "superseded", None),
            "gave way to a later one",
            "ist einer späteren gewichen",
        ),
        (
            LastDigest(date(2026, 11, 23), "dead", "msg_too_long", None),
            "could not be posted (Slack answered `msg_too_long`)",
            "konnte nicht gepostet werden (Slack antwortete `msg_too_long`)",
        ),
    ],
)
def test_the_last_digest(last: LastDigest, english: str, german: str) -> None:
    assert english in shown(status_reply(EN, view(last=last)))
    assert german in shown(status_reply(DE, view(last=last)))


def test_no_subscription_tells_how_to_subscribe_in_both_languages() -> None:
    assert "`/rapport digest on` subscribes it" in shown(status_reply(EN, None))
    assert "`/rapport digest an` abonniert sie" in shown(status_reply(DE, None))


@pytest.mark.parametrize(
    "problem",
    [
        DigestProblem("action", "maybe"),
        DigestProblem("extra", "now", "off"),
        DigestProblem("word", "so*on"),
        DigestProblem("twice", "tue", "mon"),
        DigestProblem("value", "fr", "language"),
        DigestProblem("missing", "quiet"),
        DigestProblem("bad_time", "25:00"),
        DigestProblem("bare_number", "14"),
        DigestProblem("bad_zone", "Mars/Olympus"),
    ],
)
@pytest.mark.parametrize("reader", [EN, DE], ids=["en", "de"])
def test_every_problem_names_the_word_and_says_nothing_changed(
    reader: Reader, problem: DigestProblem
) -> None:
    text = shown(problem_reply(reader, problem)).casefold()
    assert f"`{problem.word}`".casefold() in text
    said = (
        ("nothing changed",) if reader is EN else ("nichts wurde geändert", "wurde nichts geändert")
    )
    assert any(words in text for words in said), text


def test_a_problem_word_is_escaped() -> None:
    assert "`&lt;@U0BOB&gt;`" in shown(problem_reply(EN, DigestProblem("word", "<@U0BOB>")))


@pytest.mark.parametrize(
    "reason", ["dm", "not_in_channel", "ext_shared", "pending_ext_shared", "slack"]
)
def test_refusals_in_both_languages(reason: str) -> None:
    values = {"error": "ratelimited"} if reason == "slack" else {}
    english, german = shown(refused(EN, reason, **values)), shown(refused(DE, reason, **values))
    assert english != german and english.strip() and german.strip()
    if reason == "not_in_channel":
        assert "`/invite @Rapport`" in english and "`/invite @Rapport`" in german


def test_the_note_to_the_channel_is_in_its_language_with_the_name_not_a_mention() -> None:
    english = shown(announcement(channel_reader("en", "Europe/Berlin"), "Alice", view(), "new"))
    assert "Alice subscribed this channel" in english and "every Monday at 09:00" in english
    german = shown(announcement(channel_reader("de", "Europe/Berlin"), "Jonas", view(), "off"))
    assert "Jonas hat die Rapport-Übersicht dieses Kanals ausgeschaltet" in german
    changed = shown(announcement(channel_reader("en", "Asia/Tokyo"), "Bob", view(), "changed"))
    assert "Bob changed this channel's Rapport digest" in changed


def test_a_failed_note_is_added_to_the_reply() -> None:
    reply = announce_failed(subscribed_reply(DE, view(), "new"), DE, "not_in_channel")
    assert "konnte nicht gepostet werden (not_in_channel)" in reply.text
    assert "konnte nicht gepostet werden (not_in_channel)" in shown(reply)


@pytest.mark.parametrize(
    ("reason", "english"),
    [
        ("ext_shared", "is now shared with another organisation"),
        ("pending_ext_shared", "an invitation is pending"),
        ("something_else", "is now shared with another organisation"),
    ],
)
def test_the_suspended_notice(reason: str, english: str) -> None:
    text = shown(suspended_notice(EN, "C0TEAM", reason))
    assert "<#C0TEAM>" in text and english in text
    assert "ausgesetzt" in shown(suspended_notice(DE, "C0TEAM", reason))


@pytest.mark.parametrize(
    ("problem", "english", "german"),
    [
        (DigestProblem("value", "loud", "quiet"), "`quiet line`", "`ruhig zeile`"),
        (DigestProblem("missing", "ruhig"), "`quiet nothing`", "`ruhig nichts`"),
        (DigestProblem("value", "fr", "language"), "`language en`", "`sprache en`"),
        (DigestProblem("missing", "Sprache"), "`language de`", "`sprache de`"),
    ],
)
def test_a_bad_setting_value_names_only_that_settings_values(
    problem: DigestProblem, english: str, german: str
) -> None:
    quiet = problem.other in ("quiet",) or problem.word == "ruhig"
    for reader, expected, words in (
        (EN, english, ("quiet", "language")),
        (DE, german, ("ruhig", "sprache")),
    ):
        said = shown(problem_reply(reader, problem))
        assert expected in said
        other = words[1] if quiet else words[0]
        assert f"`{other} " not in said
