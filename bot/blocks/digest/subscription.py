"""The replies about a channel's digest subscription, the note posted in the channel when it is
switched on or off, and the DM to the subscriber when it is suspended.

Built from plain values (`SubscriptionView`, `LastDigest`), never from a session. A schedule is
said in words in the reader's language ("every Monday at 09:00 (Europe/Berlin)", "jeden
zweiten Dienstag um 08:30 (Europe/Berlin)"); the time of day is written as it is typed, on a
24-hour clock, in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import get_day_names
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks import questions
from bot.blocks.replies import Reply, notice
from bot.parsing.digests.subscription_text import QUIET_WORDS, DigestProblem
from bot.parsing.questions import Question
from bot.rules.zones import zone
from bot.texts.reader import Reader, babel_locale, escape

# A button of the question about a `digest on` text (an hour alone): `ACTION_ANSWER_<index>`.
ACTION_ANSWER = "rapport_digest_answer"
# The reasons a subscription is suspended for, as `suspended_reason` stores them.
SUSPENSION_REASONS = ("ext_shared", "pending_ext_shared")


@dataclass(frozen=True)
class LastDigest:
    """The subscription's digest of the latest period: `state` and `error` as stored
    (`storage.vocabulary.DIGEST_STATES`; "guests", "ext_shared" for a held one)."""

    period: date
    state: str
    error: str | None
    done_at: datetime | None
    withdrawn: bool = False  # posted, and its message since replaced by the withdrawn line


# Why a channel may not read partner data now, as a withdrawal is told of: the verdict's words.
WITHDRAWAL_WHYS = frozenset({"ext_shared", "pending_ext_shared", "guests", "members_unlisted"})
# `WithdrawalView.why` when the channel may read partner data again, and when Slack did not say.
FIT, UNKNOWN = "fit", "unknown"


@dataclass(frozen=True)
class WithdrawalView:
    """What `digest status` tells of the channel's withdrawals.

    `withdrawn`: posted digests whose message was replaced by the withdrawn line; `showing`:
    posted digests that still list partners. `since`, `next_try`, `refused`, `attempts`: the
    withdrawal still to be made (None `since`: none is), noted since when, tried next when
    (None: its time has come, the delivery job's next run takes it), Slack's word for the
    last refusal (None: not refused yet), refusals counted of `at_most`. `why`: why the
    channel may not read partner data now (`WITHDRAWAL_WHYS`), `FIT` when it may, `UNKNOWN`
    when Slack did not answer (`error`), None when nobody asked.
    """

    withdrawn: int
    showing: int
    at_most: int
    since: datetime | None = None
    next_try: datetime | None = None
    refused: str | None = None
    attempts: int = 0
    why: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class SubscriptionView:
    """What a subscription is set to, and what a status tells about it."""

    channel_id: str
    state: str  # active, suspended, off
    suspended_reason: str | None
    every_weeks: int
    weekday: int  # ISO, Monday = 1
    minute: int  # after local midnight
    tz: str
    language: str  # en, de
    quiet: str  # line, nothing
    subscriber_name: str
    next_post: datetime | None = None  # None unless active
    last: LastDigest | None = None
    withdrawal: WithdrawalView | None = None


def channel_reader(language: str, tz: str) -> Reader:
    """The reader a channel's texts are written for: the subscription's language and zone."""
    return Reader("de-DE" if language == "de" else "en-US", tz)


def clock_time(minute: int) -> str:
    """`09:00`: minutes after midnight on a 24-hour clock."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def weekday_name(reader: Reader, weekday: int) -> str:
    """The ISO weekday's full name in the reader's language ("Monday", "Dienstag")."""
    return str(get_day_names("wide", locale=babel_locale(reader.locale))[weekday - 1])


def schedule_words(reader: Reader, view: SubscriptionView) -> str:
    """ "every Monday at 09:00 (Europe/Berlin)", "jeden zweiten Dienstag um 08:30 (…)"."""
    key = "weekly" if view.every_weeks == 1 else "biweekly"
    return reader.t(
        f"digest.subscription.schedule.{key}",
        weekday=weekday_name(reader, view.weekday),
        time=clock_time(view.minute),
        tz=view.tz,
    )


def instant_words(reader: Reader, instant: datetime, tz: str) -> str:
    """A post time as its local day spelled out and the time: "Monday, 30 November 2026, 09:00"."""
    local = instant.astimezone(zone(tz))
    return reader.t(
        "digest.subscription.when",
        day=reader.day(local.date()),
        time=clock_time(local.hour * 60 + local.minute),
    )


def settings_lines(reader: Reader, view: SubscriptionView) -> list[str]:
    """The settings, one line each: when, the next digest, language, quiet weeks."""
    lines = [reader.t("digest.subscription.line.schedule", schedule=schedule_words(reader, view))]
    if view.next_post is not None:
        when = instant_words(reader, view.next_post, view.tz)
        lines.append(reader.t("digest.subscription.line.next", when=when))
    language = reader.t(f"digest.subscription.language.{view.language}")
    lines.append(reader.t("digest.subscription.line.language", language=language))
    quiet = reader.t(f"digest.subscription.quiet.{view.quiet}")
    lines.append(reader.t("digest.subscription.line.quiet", quiet=quiet))
    return lines


def _reply(title: str, lines: list[str], footer: str | None) -> Reply:
    """A title, the settings as one section, and a footer in small print."""
    body = "\n".join(lines)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=title)),
        SectionBlock(text=MarkdownTextObject(text=body)),
    ]
    if footer:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]))
    fallback = "\n".join(part for part in (title, body, footer) if part)
    return Reply(text=fallback, blocks=blocks)


def subscribed_reply(reader: Reader, view: SubscriptionView, outcome: str) -> Reply:
    """After `digest on`: `outcome` "new", "resumed", "changed" or "unchanged", and what is
    now set."""
    title = reader.t(f"digest.subscription.on.{outcome}")
    footer = reader.t("digest.subscription.line.change")
    return _reply(title, settings_lines(reader, view), footer)


def status_reply(reader: Reader, view: SubscriptionView | None) -> Reply:
    """`digest status`: on, off or suspended (and why), the schedule, the next post, language,
    quiet weeks, who subscribed (by name, never a mention) and the last digest."""
    if view is None:
        options = reader.t("digest.subscription.options")
        return notice(reader.t("digest.subscription.status.none", options=options))
    if view.state == "suspended":
        reason = view.suspended_reason or "ext_shared"
        title = reader.t(f"digest.subscription.status.suspended_{reason}")
    else:
        title = reader.t(f"digest.subscription.status.{view.state}")
    lines = settings_lines(reader, view)
    name = escape(view.subscriber_name)
    lines.append(reader.t("digest.subscription.line.subscriber", name=name))
    lines.append(reader.t("digest.subscription.line.last", last=last_words(reader, view)))
    if view.withdrawal is not None:
        lines += withdrawal_lines(reader, view.withdrawal, view.tz)
    return _reply(title, lines, reader.t("digest.subscription.line.change"))


def withdrawal_lines(reader: Reader, view: WithdrawalView, tz: str) -> list[str]:
    """What became of the digests posted here once the channel was found unfit for partner
    data: withdrawn (and why), being withdrawn or retried (since when, the next try), or still
    showing partners with no withdrawal kept although the channel is unfit (given up: why, and
    what to do). Nothing when there is nothing of the kind to tell."""
    lines: list[str] = []
    if view.withdrawn:
        lines.append(_withdrawn_line(reader, view))
    if view.since is not None:
        since = instant_words(reader, view.since, tz)
        if view.refused is None:
            key, values = "pending", {}
        else:
            next_try = (
                instant_words(reader, view.next_try, tz)
                if view.next_try is not None
                else reader.t("digest.subscription.withdrawal.next_due")
            )
            key = "retrying"
            values = {
                "error": escape(view.refused),
                "attempts": str(view.attempts),
                "at_most": str(view.at_most),
                "next": next_try,
            }
        lines.append(
            reader.t(
                f"digest.subscription.withdrawal.{key}",
                since=since,
                count=str(view.showing),
                **values,
            )
        )
    elif view.showing and view.why in WITHDRAWAL_WHYS:
        why = reader.t(f"digest.subscription.withdrawal.why.{view.why}")
        lines.append(
            reader.t("digest.subscription.withdrawal.given_up", count=str(view.showing), why=why)
        )
    return lines


def _withdrawn_line(reader: Reader, view: WithdrawalView) -> str:
    count = str(view.withdrawn)
    if view.why in WITHDRAWAL_WHYS:
        why = reader.t(f"digest.subscription.withdrawal.why.{view.why}")
        return reader.t("digest.subscription.withdrawal.done", count=count, why=why)
    if view.why == FIT:
        return reader.t("digest.subscription.withdrawal.done_fit", count=count)
    error = escape(view.error or "?")
    return reader.t("digest.subscription.withdrawal.done_unknown", count=count, error=error)


# Why a digest was not posted (`digests.error`), each with its own words and what to do.
HELD_REASONS = frozenset(
    {
        "guests",
        "ext_shared",
        "pending_ext_shared",
        "members_unlisted",
        "is_archived",
        "not_in_channel",
        "channel_not_found",
        "off",
        "suspended",
        "superseded",
        "quiet",
    }
)


def last_words(reader: Reader, view: SubscriptionView) -> str:
    """What became of the latest digest: posted when (and in which zone), being posted, or
    why it was not posted and what to do about it; none yet."""
    last = view.last
    if last is None:
        return reader.t("digest.subscription.last.none")
    day = reader.day(last.period)
    if last.state == "sent" and last.done_at is not None:
        when = instant_words(reader, last.done_at, view.tz)
        key = "sent_withdrawn" if last.withdrawn else "sent"
        return reader.t(f"digest.subscription.last.{key}", when=when, tz=view.tz)
    if last.state not in ("skipped", "dead"):
        return reader.t("digest.subscription.last.waiting", day=day)
    reason = last.error or "quiet" if last.state == "skipped" else last.error
    if reason in HELD_REASONS:
        return reader.t(f"digest.subscription.last.{reason}", day=day)
    # A refusal Slack gave that Rapport has no words of its own for: named as Slack said it.
    return reader.t("digest.subscription.last.dead", day=day, error=escape(reason or "?"))


def off_reply(reader: Reader, outcome: str) -> Reply:
    """After `digest off`: `outcome` "done", "already" or "none"."""
    return notice(reader.t(f"digest.subscription.off.{outcome}"))


def refused(reader: Reader, reason: str, **values: str) -> Reply:
    """Why `digest on` did nothing here: "dm", "not_in_channel", "ext_shared",
    "pending_ext_shared" or "slack" (with `error`)."""
    return notice(reader.t(f"digest.subscription.refused.{reason}", **values))


def problem_reply(reader: Reader, problem: DigestProblem) -> Reply:
    """The word that was not understood, and how it is written; nothing changed."""
    values = {"word": escape(problem.word), "other": escape(problem.other)}
    if problem.code == "word":
        values["options"] = reader.t("digest.subscription.options")
    key = problem.code
    if key in ("value", "missing"):
        # The keyword the value belongs to (`quiet`, `sprache`): only its own values are named.
        keyword = (problem.other if key == "value" else problem.word).casefold()
        key += "_quiet" if keyword in QUIET_WORDS else "_language"
    return notice(reader.t(f"digest.subscription.problem.{key}", **values))


def announcement(
    reader: Reader, subscriber_name: str, view: SubscriptionView, outcome: str
) -> Reply:
    """The note to everyone in the channel after `digest on` (`outcome` "new", "resumed",
    "changed") or `digest off` ("off"), in the subscription's language; the subscriber by
    name, never a mention."""
    name = escape(subscriber_name)
    if outcome == "off":
        return notice(reader.t("digest.subscription.announce.off", name=name))
    key = "changed" if outcome == "changed" else "on"
    schedule = schedule_words(reader, view)
    return notice(reader.t(f"digest.subscription.announce.{key}", name=name, schedule=schedule))


def announce_failed(reply: Reply, reader: Reader, error: str) -> Reply:
    """`reply` with a line saying that the note to the channel could not be posted."""
    line = reader.t("digest.subscription.announce_failed", error=escape(error))
    blocks = [*reply.blocks, ContextBlock(elements=[MarkdownTextObject(text=line)])]
    return Reply(text=f"{reply.text}\n{line}", blocks=blocks)


def suspended_notice(reader: Reader, channel_id: str, reason: str) -> Reply:
    """The DM to the subscriber when the channel's digest is suspended (`reason`:
    "ext_shared" or "pending_ext_shared"; any other is told as "ext_shared")."""
    key = reason if reason in SUSPENSION_REASONS else "ext_shared"
    return notice(reader.t(f"digest.suspended.{key}", channel=channel_id))


# Slack's words for why a withdrawal ended, and the DM each gets (any other: "refused").
WITHDRAWAL_ENDINGS = {
    "not_in_channel": "removed",
    "channel_not_found": "removed",
    "is_archived": "archived",
    "cant_update_message": "frozen",
    "edit_window_closed": "frozen",
}


def withdrawal_ended_notice(reader: Reader, channel_id: str, error: str) -> Reply:
    """The DM to the subscriber when the channel's digests could not be withdrawn and Rapport
    stopped trying (`error`: Slack's word for the last refusal)."""
    key = WITHDRAWAL_ENDINGS.get(error, "refused")
    return notice(
        reader.t(f"digest.withdrawal_ended.{key}", channel=channel_id, error=escape(error))
    )


def question_reply(reader: Reader, pending_id: str, question: Question) -> Reply:
    """The question about a `digest on` text, as `/logcontact`'s questions are asked, under
    action ids of its own so that the answer goes back to the digest."""
    return questions.question_reply(reader, pending_id, question, ACTION_ANSWER)
