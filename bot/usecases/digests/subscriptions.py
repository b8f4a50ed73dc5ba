"""`/rapport digest on|off|status`: a team channel's digest subscription; and its suspension
when the channel is shared with another organisation.

Answered after the ack, since it asks Slack: the asker is admitted as a member (a guest, or
someone Slack does not know, raises `NotAMember`, which the handler turns into the refusal),
and `digest on` asks `conversations.info` about the channel right then (never the cached
facts, which may be a day old): it must be a channel, not a direct message; the bot must be
in it (a private channel the bot is not in answers `channel_not_found`: the same advice); and
it must not be shared with another organisation, or about to be, since a digest there would
show partner data to people outside the company.

An hour typed alone (`digest on 9`) is asked about: the text is kept for an hour
(`storage.queries.pending`, as `/logcontact`'s questions are) and each reading is a button;
the press reads the text again with the reading chosen (`resume`).

`digest on` creates the subscription (weekly, Monday 09:00, the subscriber's Slack zone and
language, quiet weeks one line) or changes only what it names; `updated_at` is set when it is
switched on or its schedule changes, so that the first digest is the next post time after now
(`bot.rules.digests.schedule`, `since`). `digest off` keeps the row (state "off"). After either
succeeds, one note in the channel, in the subscription's language, tells the team; the asker's
reply says so when that note could not be posted.

`channel_shared` suspends the channel's active subscription in the event's own transaction
(`suspend_shared`), and the subscriber is told by DM after it (`tell_suspended`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.digest.subscription import (
    FIT,
    UNKNOWN,
    LastDigest,
    SubscriptionView,
    WithdrawalView,
    announce_failed,
    announcement,
    channel_reader,
    off_reply,
    problem_reply,
    question_reply,
    refused,
    status_reply,
    subscribed_reply,
    suspended_notice,
)
from bot.blocks.questions import read_answer
from bot.blocks.replies import Reply, notice
from bot.parsing import checks as checked
from bot.parsing.digests.subscription_text import (
    HOUR_SLOT,
    DigestOff,
    DigestOn,
    DigestProblem,
    DigestStatus,
    digest_request,
    is_digest_text,
)
from bot.parsing.questions import CANCEL, Answers, NeedsAnswer, Question
from bot.rules.clock import Clock
from bot.rules.digests.schedule import Schedule, monday_of, next_post
from bot.rules.zones import DEFAULT_TZ, zone
from bot.slack.clients import lookup_client
from bot.slack.conversations import NOT_VISIBLE
from bot.slack.delivery import DELIVERY_ERRORS, failure_code
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader, reader_of
from bot.usecases.base import UseCase
from bot.usecases.digests.content import shown_from_json
from bot.usecases.digests.withdrawals import MAX_ATTEMPTS, WITHDRAWN_AT_MOST
from storage.db import Database
from storage.models import DigestSubscription, Member
from storage.queries.digests.subscriptions import (
    add_subscription,
    latest_digest,
    subscriber_of,
    subscription_of,
    suspend,
)
from storage.queries.digests.withdrawal import ChannelWithdrawals, withdrawals_in
from storage.queries.pending import add_pending, take_pending
from storage.vocabulary import DEFAULT_DIGEST_MINUTE, DEFAULT_DIGEST_WEEKDAY

if TYPE_CHECKING:
    from bot.usecases.slack_directory import SlackDirectory

log = logging.getLogger(__name__)

# Admit the asker as a member, asking Slack about a new one (`LogContact.admit`).
Admit = Callable[[WebClient, str, str], None]
# How long a text waits for its author to choose a reading (as `/logcontact`'s do).
PENDING_FOR = timedelta(hours=1)
_NO_ANSWERS: Answers = {}
# The settings that make up when a digest posts: a change moves `updated_at` (the `since`).
SCHEDULE_FIELDS = ("every_weeks", "weekday", "minute", "tz")


@dataclass(frozen=True)
class Announcement:
    """The note to post in the channel after a change: its reply, in the channel's language."""

    channel_id: str
    reply: Reply


@dataclass(frozen=True)
class Suspension:
    """A subscription just suspended: whom to tell (their Slack id and language), of which
    channel, and why ("ext_shared", "pending_ext_shared")."""

    user_id: str
    reader: Reader
    channel_id: str
    reason: str


class DigestSubscriptions(UseCase):
    """Subscribing a team channel to the digest, switching it off, and its status."""

    def __init__(self, db: Database, clock: Clock, admit: Admit, directory: SlackDirectory) -> None:
        super().__init__(db, clock)
        self.admit = admit
        # Who is a guest, for `digest status` to say why digests were withdrawn: the app's
        # directory, so that its cached people are shared.
        self.directory = directory

    def answer(
        self,
        client: WebClient,
        team_id: str,
        user_id: str,
        channel_id: str,
        text: str,
        answers: Answers = _NO_ANSWERS,
    ) -> Reply:
        """The reply to `/rapport TEXT` (a `digest …` text) typed in `channel_id`, the channel
        told of a change; `answers` are the readings chosen for the text so far. A text with two
        readings is kept for an hour and asked about instead (nothing changes).

        Raises `NotAMember` (a guest, someone of another organisation) and `LookupFailed`
        (Slack did not say who the asker is), as `LogContact.admit` does."""
        self.admit(client, team_id, user_id)
        try:
            request = digest_request(text, answers)
        except NeedsAnswer as needed:
            # Asked only where either answer could be used: a team channel Rapport may post in.
            unfit = self._not_here(client, team_id, user_id, channel_id, posting=True)
            return unfit or self._ask(team_id, user_id, text, answers, needed.question)
        if request is None:
            return problem_reply(self._reader(team_id, user_id), DigestProblem("action", ""))
        if isinstance(request, DigestProblem):
            return problem_reply(self._reader(team_id, user_id), request)
        posting = isinstance(request, DigestOn)
        unfit = self._not_here(client, team_id, user_id, channel_id, posting=posting)
        if unfit is not None:
            return unfit
        if isinstance(request, DigestStatus):
            return self._status(client, team_id, user_id, channel_id)
        changed = self.as_member(
            team_id, user_id, lambda s, m, r: self._change(s, m, r, channel_id, request)
        )
        if isinstance(changed, Reply):
            return changed
        reply, note, reader = changed
        return reply if note is None else self._announce(client, reply, reader, note)

    def resume(
        self, client: WebClient, team_id: str, user_id: str, channel_id: str, value: str | None
    ) -> Reply:
        """A reading chosen with a button of the question: the waiting text is read again with
        it and answered as if typed so (in the channel the question was asked in). A question
        older than an hour, answered already, not the presser's own or not about a digest has
        nothing to resume; Cancel changes nothing."""
        chosen = read_answer(value)

        def act(session: Session, member: Member, reader: Reader) -> tuple[str, Answers] | Reply:
            since = self.clock.now() - PENDING_FOR
            # Taken by deleting it, so that two presses at once change the subscription once.
            waiting = (
                take_pending(
                    session, member.workspace_id, member.id, chosen[0], since, is_digest_text
                )
                if chosen is not None and chosen[1] == HOUR_SLOT
                else None
            )
            if chosen is None or waiting is None:
                return notice(reader.t("digest.subscription.question.expired"))
            _, slot, choice = chosen
            if choice == CANCEL:
                return notice(reader.t("digest.subscription.question.cancelled"))
            text, answers = waiting
            return text, {**answers, slot: choice}

        resumed = self.as_member(
            team_id, user_id, act, unknown="digest.subscription.question.expired"
        )
        if isinstance(resumed, Reply):
            return resumed
        text, answers = resumed
        return self.answer(client, team_id, user_id, channel_id, text, answers)

    # --- the steps -------------------------------------------------------------------------

    def _not_here(
        self, client: WebClient, team_id: str, user_id: str, channel_id: str, *, posting: bool
    ) -> Reply | None:
        """Why this is no place for the digest text, or None: a DM (D…) or no channel at all
        (a digest goes to a team channel); and, for a text that would post (`posting`: `digest
        on`), a channel Rapport is not in or that is shared (`channel_standing`)."""
        if checked.slack_id(channel_id) is None or not channel_id.startswith(("C", "G")):
            return refused(self._reader(team_id, user_id), "dm")
        standing = channel_standing(client, channel_id) if posting else None
        if standing is None:
            return None
        reason, values = standing
        return refused(self._reader(team_id, user_id), reason, **values)

    def _ask(
        self, team_id: str, user_id: str, text: str, answers: Answers, question: Question
    ) -> Reply:
        """Keep the text for an hour and ask which reading was meant."""

        def act(session: Session, member: Member, reader: Reader) -> Reply:
            pending_id = add_pending(
                session, member.workspace_id, member.id, text, dict(answers), self.clock.now()
            )
            return question_reply(reader, pending_id, question)

        return self.as_member(team_id, user_id, act)

    def _reader(self, team_id: str, user_id: str) -> Reader:
        reply = self.as_member(team_id, user_id, lambda _s, _m, reader: reader)
        return reply if isinstance(reply, Reader) else Reader()

    def _change(
        self,
        session: Session,
        member: Member,
        reader: Reader,
        channel_id: str,
        request: DigestOn | DigestOff,
    ) -> tuple[Reply, Announcement | None, Reader]:
        """Switch on (or change) or off, in the asker's transaction."""
        now = self.clock.now()
        subscription = subscription_of(session, member.workspace_id, channel_id)
        if isinstance(request, DigestOff):
            if subscription is None or subscription.state == "off":
                return (
                    off_reply(reader, "none" if subscription is None else "already"),
                    None,
                    reader,
                )
            subscription.state, subscription.suspended_reason = "off", None
            subscription.updated_at = now
            session.flush()
            view = self._view(session, subscription, now)
            note = announcement(channel_reader(view.language, view.tz), member.name, view, "off")
            return off_reply(reader, "done"), Announcement(channel_id, note), reader
        if subscription is None:
            settings = self._defaults(member, reader, request, now)
            subscription, created = add_subscription(
                session, member.workspace_id, channel_id, member, settings, now
            )
            outcome = "new" if created else switch_on(subscription, member, request, now)
        else:
            outcome = switch_on(subscription, member, request, now)
        session.flush()
        view = self._view(session, subscription, now)
        reply = subscribed_reply(reader, view, outcome)
        if outcome == "unchanged":
            return reply, None, reader
        note = announcement(channel_reader(view.language, view.tz), member.name, view, outcome)
        return reply, Announcement(channel_id, note), reader

    @staticmethod
    def _defaults(
        member: Member, reader: Reader, request: DigestOn, now: datetime
    ) -> dict[str, Any]:
        """A new subscription's settings: what `request` names, the defaults for the rest
        (weekly, Monday 09:00, the subscriber's Slack zone and language, quiet weeks one line;
        fortnights counted from this week in that zone)."""
        tz = request.tz or checked.time_zone(member.tz) or DEFAULT_TZ
        return {
            "every_weeks": request.every_weeks or 1,
            "weekday": request.weekday or DEFAULT_DIGEST_WEEKDAY,
            "minute": DEFAULT_DIGEST_MINUTE if request.minute is None else request.minute,
            "tz": tz,
            "language": request.language or reader.lang,
            "quiet": request.quiet or "line",
            "anchor_on": monday_of(now.astimezone(zone(tz)).date()),
        }

    def _status(self, client: WebClient, team_id: str, user_id: str, channel_id: str) -> Reply:
        """`digest status`, written for the asker in their language; it names the channel's
        language setting, and its times are the subscription's zone's (which it names). What
        became of digests withdrawn, or still to be withdrawn, is told with why: Slack is
        asked about the channel (after the transaction) when a digest here was withdrawn or
        still shows partners with no withdrawal under way."""

        def act(
            session: Session, member: Member, reader: Reader
        ) -> Reply | tuple[Reader, SubscriptionView, ChannelWithdrawals, int]:
            subscription = subscription_of(session, member.workspace_id, channel_id)
            if subscription is None:
                return status_reply(reader, None)
            view = self._view(session, subscription, self.clock.now())
            found = withdrawals_in(
                session, member.workspace_id, subscription.id, channel_id, WITHDRAWN_AT_MOST
            )
            return Reader(reader.locale, view.tz), view, found, member.workspace_id

        got = self.as_member(team_id, user_id, act)
        if isinstance(got, Reply):
            return got
        reader, view, found, workspace_id = got
        withdrawal = self._withdrawal(client, workspace_id, view, found)
        return status_reply(reader, replace(view, withdrawal=withdrawal))

    def _withdrawal(
        self,
        client: WebClient,
        workspace_id: int,
        view: SubscriptionView,
        found: ChannelWithdrawals,
    ) -> WithdrawalView | None:
        """The withdrawals to tell of, with why the channel may not read partner data now:
        a suspended subscription's reason as stored, else Slack's verdict asked afresh (as a
        post asks it). None when no digest here was withdrawn, none is being withdrawn, and
        none shows partners."""
        # A quiet week's digest lists nobody: it shows no partner data, withdrawn or not.
        showing = sum(1 for raw in found.showing if lists_partners(raw))
        if not (found.withdrawn or showing or found.kept):
            return None
        kept = found.kept
        why: str | None = None
        error: str | None = None
        if view.state == "suspended":
            why = view.suspended_reason or "ext_shared"
        elif found.withdrawn or (showing and kept is None):
            why, error = self._why_unfit(client, workspace_id, view.channel_id)
        return WithdrawalView(
            withdrawn=found.withdrawn,
            showing=showing,
            at_most=MAX_ATTEMPTS,
            since=kept.since if kept else None,
            # A time that has passed is not told: the job's next run (each minute) takes it.
            next_try=kept.next_try if kept and kept.next_try > self.clock.now() else None,
            refused=kept.error if kept else None,
            attempts=kept.attempts if kept else 0,
            why=why,
            error=error,
        )

    def _why_unfit(
        self, client: WebClient, workspace_id: int, channel_id: str
    ) -> tuple[str, str | None]:
        """Why the channel may not read partner data now (the verdict's word), `FIT` when it
        may, or `UNKNOWN` with Slack's word when Slack did not answer or the bot cannot see the
        channel (archived, removed)."""
        # Imported here: `bot.usecases.slack_directory`, which `postable` imports, imports this
        # module (`suspend_shared`) when it loads.
        from bot.usecases.digests.postable import channel_verdict

        try:
            verdict = channel_verdict(self.db, client, self.directory, workspace_id, channel_id)
        except LookupFailed as failed:
            log.warning("digest status: channel not looked up: %s", failed.error)
            return UNKNOWN, failed.error
        if verdict.gone:
            return UNKNOWN, verdict.error
        if verdict.members is not None:
            return FIT, None
        return verdict.error or UNKNOWN, None

    def _view(
        self, session: Session, subscription: DigestSubscription, now: datetime
    ) -> SubscriptionView:
        """The subscription as plain values, with its next post (while active), its
        subscriber's name and its latest digest."""
        subscriber = subscriber_of(session, subscription)
        last = latest_digest(session, subscription)
        return SubscriptionView(
            channel_id=subscription.channel_id,
            state=subscription.state,
            suspended_reason=subscription.suspended_reason,
            every_weeks=subscription.every_weeks,
            weekday=subscription.weekday,
            minute=subscription.minute,
            tz=subscription.tz,
            language=subscription.language,
            quiet=subscription.quiet,
            subscriber_name=subscriber.name if subscriber is not None else "",
            next_post=next_real_post(subscription, now, last.period if last else None)
            if subscription.state == "active"
            else None,
            last=None
            if last is None
            else LastDigest(
                last.period,
                last.state,
                last.error,
                last.done_at,
                withdrawn=last.ts is not None and last.shown is None,
            ),
        )

    def _announce(
        self, client: WebClient, reply: Reply, reader: Reader, note: Announcement
    ) -> Reply:
        """Post the note in the channel; the asker's reply, said so when it failed."""
        try:
            client.chat_postMessage(
                channel=note.channel_id,
                text=note.reply.text,
                blocks=[block.to_dict() for block in note.reply.blocks],
            )
        except DELIVERY_ERRORS as error:
            code = failure_code(error)
            log.warning("could not post the digest subscription note: chat.postMessage: %s", code)
            return announce_failed(reply, reader, code)
        return reply


def lists_partners(raw: str) -> bool:
    """Whether a posted digest's `shown` lists a partner (shown or left out for room); one
    that cannot be read is taken to, since it may."""
    shown = shown_from_json(raw)
    return shown is None or bool(shown.partner_ids or shown.more)


def next_real_post(schedule: Schedule, now: datetime, latest_period: date | None) -> datetime:
    """The next post that will happen: the schedule's next post time after `now`, skipping a
    period that already has its digest (`latest_period`: the local day of the subscription's
    latest `digests` row). A period has one digest at most, so after 09:00 was posted, moving
    the time to 10:00 that same day posts next week (or fortnight), not at 10:00."""
    upcoming = next_post(schedule, now)
    while (
        latest_period is not None and upcoming.astimezone(zone(schedule.tz)).date() <= latest_period
    ):
        upcoming = next_post(schedule, upcoming)
    return upcoming


def switch_on(
    subscription: DigestSubscription, member: Member, request: DigestOn, now: datetime
) -> str:
    """`digest on` for a channel subscribed before: only what `request` names changes, and the
    subscription is active. "resumed" (it was off or suspended: the asker is now its
    subscriber), "changed" or "unchanged". A change of schedule, or switching on, moves
    `updated_at` to now, so no digest is due for a post time before it; a new frequency
    counts its weeks from this week (`anchor_on`)."""
    before = {name: getattr(subscription, name) for name in SCHEDULE_FIELDS}
    named = {
        "every_weeks": request.every_weeks,
        "weekday": request.weekday,
        "minute": request.minute,
        "tz": request.tz,
        "language": request.language,
        "quiet": request.quiet,
    }
    changed = False
    for name, value in named.items():
        if value is not None and getattr(subscription, name) != value:
            setattr(subscription, name, value)
            changed = True
    if subscription.every_weeks != before["every_weeks"]:
        subscription.anchor_on = monday_of(now.astimezone(zone(subscription.tz)).date())
    resumed = subscription.state != "active"
    if resumed:
        subscription.state, subscription.suspended_reason = "active", None
        subscription.subscriber_id = member.id
    schedule_moved = any(getattr(subscription, name) != before[name] for name in SCHEDULE_FIELDS)
    if resumed or schedule_moved:
        subscription.updated_at = now
    if resumed:
        return "resumed"
    return "changed" if changed else "unchanged"


def channel_standing(client: WebClient, channel_id: str) -> tuple[str, dict[str, str]] | None:
    """Why a digest cannot be switched on in the channel, as `conversations.info` says right
    now ("dm", "not_in_channel", "ext_shared", "pending_ext_shared", or "slack" with the
    `error` when Slack did not answer); None when it can."""
    try:
        answer = lookup_client(client).conversations_info(channel=channel_id)
    except SlackApiError as error:
        code = str(error.response.get("error") or "unknown_error")
        if code in NOT_VISIBLE:
            return "not_in_channel", {}
        log.warning("conversations.info failed for a digest subscription: %s", code)
        return "slack", {"error": code}
    except OSError as error:
        log.warning("conversations.info failed for a digest subscription: %s", type(error).__name__)
        return "slack", {"error": type(error).__name__}
    channel = answer.get("channel")
    if not isinstance(channel, dict):
        return "slack", {"error": "unexpected_answer"}
    if channel.get("is_im") is True or channel.get("is_mpim") is True:
        return "dm", {}
    if channel.get("is_member") is not True:
        return "not_in_channel", {}
    if channel.get("is_ext_shared") is True:
        return "ext_shared", {}
    if channel.get("is_pending_ext_shared") is True:
        return "pending_ext_shared", {}
    return None


# --- suspension ------------------------------------------------------------------------------


def suspend_shared(
    session: Session, workspace_id: int, channel_id: str, reason: str, now: datetime
) -> Suspension | None:
    """In the caller's transaction: suspend the channel's active subscription; whom to tell,
    or None when there was none active."""
    subscription = subscription_of(session, workspace_id, channel_id)
    if subscription is None or not suspend(session, subscription, reason, now):
        return None
    subscriber = subscriber_of(session, subscription)
    if subscriber is None:
        return None
    return Suspension(subscriber.slack_user_id, reader_of(subscriber), channel_id, reason)


def tell_suspended(client: WebClient, suspension: Suspension) -> None:
    """DM the subscriber that the digest is suspended, and why; a failure is logged (with
    Slack's code), never raised."""
    notice = suspended_notice(suspension.reader, suspension.channel_id, suspension.reason)
    try:
        client.chat_postMessage(
            channel=suspension.user_id,
            text=notice.text,
            blocks=[block.to_dict() for block in notice.blocks],
        )
    except DELIVERY_ERRORS as error:
        log.warning(
            "could not tell the subscriber of a suspended digest: chat.postMessage: %s",
            failure_code(error),
        )
