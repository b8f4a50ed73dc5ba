"""After-hours hints in shared channels: a member's message that reached someone of another
organisation outside their hours earns them a kind, private hint, at most once a day per channel.

A message event is read as it arrives (`read_message`: its facts, never its text) and the ack
goes out at once; the rest runs after it (`Services.later`), in this order, so that no Slack call
happens inside a transaction:

1. the channel and the people from the directory (`SlackDirectory`: cached, Slack asked only
   about a new channel or person);
2. ONE transaction: the event id claimed (Slack's retries are no-ops), the decision
   (`bot.rules.after_hours.reach`) with the partner profiles, one `after_hours_messages` row per
   person reached (time, channel, author, person; never text), and the day's hint claimed unless
   the sender muted hints in that channel or everywhere;
3. `chat.postEphemeral` to the sender in the channel.

The mute buttons and `/rapport settings hints on|off` write `hint_mutes`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.after_hours.hint import hint, muted, unmuted
from bot.blocks.replies import Reply, problem
from bot.parsing import checks
from bot.parsing.markup import reach_of
from bot.rules.after_hours.reach import (
    COUNTED_SUBTYPES,
    Channel,
    Decision,
    Message,
    PartnerHours,
    Person,
    candidates,
    is_member_sender,
    outside_hours,
)
from bot.rules.clock import Clock
from bot.rules.people import SlackPerson
from bot.slack.delivery import DELIVERY_ERRORS, failure_code
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader, reader_of
from bot.usecases import members
from bot.usecases.base import UseCase
from bot.usecases.members import NotAMember
from bot.usecases.slack_directory import Once
from storage.db import Database
from storage.models import Member, Partner, SlackPersonRow
from storage.queries import slack_cache as cache
from storage.queries.after_hours import hints as queries
from storage.queries.members import find_member, workspace_for
from storage.queries.received import claim_event
from storage.vocabulary import EVENT_ID_MAX_CHARS, HINTS_EVERYWHERE

log = logging.getLogger(__name__)
# People never seen whom one message may ask Slack about (users.info, about 100 a minute): an
# @here in a large new channel asks about them all, or, when there are more, is not judged on a
# part of its audience: it is skipped, and those asked are known for the next message.
NEW_PEOPLE_PER_MESSAGE = 100

# Message events from channels; DMs and group DMs (im, mpim) are never shared channels.
CHANNEL_TYPES = frozenset({"channel", "group"})
# A message's own time (`ts`) is trusted within this much of the clock; else the clock's.
_TS_SLACK = timedelta(days=1)


class ChannelFactsLike(Protocol):
    """What the directory tells about a channel (`bot.usecases.slack_directory.ChannelFacts`)."""

    @property
    def is_ext_shared(self) -> bool: ...
    @property
    def member_count(self) -> int: ...
    @property
    def member_ids(self) -> frozenset[str] | None: ...


class Directory(Protocol):
    """The cached directory of channels and people (`services.slack_directory`)."""

    def channel(
        self, client: WebClient, team_id: str, channel_id: str
    ) -> ChannelFactsLike | None: ...

    def people(
        self,
        client: WebClient,
        team_id: str,
        user_ids: Collection[str],
        *,
        ask_at_most: int = 20,
        complete: bool = False,
    ) -> dict[str, SlackPerson]: ...


@dataclass(frozen=True)
class MessageEvent:
    """A message event as the after-hours hint needs it: ids, time, the facts that decide whom
    it reached, and whether Slack marked the channel as shared with another organisation."""

    team_id: str
    event_id: str
    channel_id: str
    ts: str
    message: Message
    marked_shared: bool


# Why `read_message` passed a message over (for a log line; never the payload).
NEVER_COUNTS = "a kind of message that never counts"
NOT_AS_SLACK_SENDS = "fields that are not what Slack sends"


def read_message(body: Mapping[str, Any], team_id: str) -> MessageEvent | str:
    """The facts of a `message` event delivered to the workspace `team_id` (the delivery's, from
    `authorizations`: a shared channel's envelope may name the other organisation), or why it is
    not worth looking at: another channel type or a kind of message that never counts (edits,
    deletions, joins, bots: `NEVER_COUNTS`), or fields that are not what Slack sends
    (`NOT_AS_SLACK_SENDS`). The text is read for its mentions here and dropped."""
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("type") != "message":
        return NOT_AS_SLACK_SENDS
    subtype = event.get("subtype")
    if event.get("channel_type") not in CHANNEL_TYPES or subtype not in COUNTED_SUBTYPES:
        return NEVER_COUNTS
    if event.get("bot_id") or event.get("bot_profile"):
        return NEVER_COUNTS
    event_id = body.get("event_id")
    channel_id = checks.slack_id(event.get("channel"))
    author = checks.slack_id(event.get("user"))
    ts, thread_ts, text = event.get("ts"), event.get("thread_ts"), event.get("text")
    if (
        channel_id is None
        or author is None
        or not isinstance(event_id, str)
        or not 0 < len(event_id) <= EVENT_ID_MAX_CHARS
        or checks.forbidden_character(event_id)
        or not isinstance(ts, str)
        or _instant(ts) is None
        or not isinstance(thread_ts, str | None)
        or not isinstance(text, str | None)
    ):
        return NOT_AS_SLACK_SENDS
    reach = reach_of(text or "")
    message = Message(
        subtype=subtype,
        author=author,
        mentioned=reach.user_ids,
        called=reach.called,
        in_thread=isinstance(thread_ts, str) and thread_ts != ts,
    )
    return MessageEvent(
        team_id, event_id, channel_id, ts, message, body.get("is_ext_shared_channel") is True
    )


def _instant(ts: str) -> datetime | None:
    """A message's `ts` ("1764457800.123456", seconds since the epoch) as a UTC instant."""
    try:
        seconds = float(ts)
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (ValueError, OverflowError, OSError):
        return None


def as_person(person: SlackPerson) -> Person:
    return Person(
        person.user_id, person.team_id, person.tz, person.is_guest, person.is_bot, person.deleted
    )


def _person(person: SlackPerson | None) -> Person | None:
    return None if person is None else as_person(person)


def as_hours(partner: Partner) -> PartnerHours:
    return PartnerHours(
        partner.id,
        partner.tz,
        partner.business_start_minute,
        partner.business_end_minute,
        partner.business_days,
        partner.public_holidays,
    )


@dataclass(frozen=True)
class Hint:
    """An ephemeral hint to post: to whom, where, and what; and the sender's local day it was
    claimed for in `team_id` (released when Slack could not take it for a while)."""

    user_id: str
    channel_id: str
    reply: Reply
    team_id: str = ""
    local_day: date | None = None


# chat.postEphemeral answers that say the hint was surely not shown, so that a later message
# may show the day's hint: a rate limit (Slack refuses before doing anything). A 5xx or no
# answer at all (a timeout) may come after Slack showed it: the day's hint counts as shown, as
# two hints a day are worse than none. A refused connection never reached Slack.
_NOT_SHOWN_CODES = frozenset({"ratelimited"})


# How often a skipped check is logged per channel and cause (at warning; debug in between).
SKIP_TOLD_EVERY = timedelta(hours=1)


class AfterHours(UseCase):
    """Messages in shared channels (after the ack), and muting their hints."""

    def __init__(self, db: Database, clock: Clock, directory: Directory) -> None:
        super().__init__(db, clock)
        self.directory = directory
        self._skips = Once(SKIP_TOLD_EVERY)

    # --- a message in a shared channel ---------------------------------------------------------

    def message(self, client: WebClient, event: MessageEvent) -> Hint | None:
        """Look the channel and people up, decide and record in one transaction, and post the
        hint when there is one; what was posted (None: nothing)."""
        try:
            found = self.hint_for(client, event)
        except LookupFailed as failed:
            # The event is not claimed: nothing says it was handled. Told once an hour per
            # channel and cause, so that a busy channel does not fill the log.
            key = (event.team_id, event.channel_id, failed.error)
            level = logging.WARNING if self._skips.first(key, self.clock.now()) else logging.DEBUG
            log.log(
                level,
                "after-hours check skipped in %s: Slack did not answer (%s)",
                event.channel_id,
                failed.error,
            )
            return None
        if found is not None and not post_hint(client, found):
            self._release(found)
            return None
        return found

    def _release(self, found: Hint) -> None:
        """Give the day's hint back after Slack could not take it for a while, so that the
        sender's next message here may bring it."""
        if found.local_day is None:
            return
        with self.db.transaction() as session:
            workspace = workspace_for(session, found.team_id, self.clock.now())
            queries.release_hint(
                session, workspace.id, found.user_id, found.channel_id, found.local_day
            )

    def hint_for(self, client: WebClient, event: MessageEvent) -> Hint | None:
        """The hint `event` earns, recorded; None when it reached nobody outside their hours,
        was seen before, or the sender gets no hint today here."""
        facts = self.directory.channel(client, event.team_id, event.channel_id)
        if facts is None:
            return None
        channel = Channel(
            facts.is_ext_shared or event.marked_shared, facts.member_count, facts.member_ids
        )
        wanted = candidates(event.message, channel)
        if not wanted:
            return None
        # The author first: a message by anyone but a member of this workspace (another
        # organisation, a guest, an app, someone Slack does not know) asks Slack nothing more.
        author = event.message.author
        found = self.directory.people(client, event.team_id, {author}, complete=True)
        if not is_member_sender(_person(found.get(author)), event.team_id):
            return None
        found |= self.directory.people(
            client, event.team_id, wanted, complete=True, ask_at_most=NEW_PEOPLE_PER_MESSAGE
        )
        people = {user_id: as_person(person) for user_id, person in found.items()}
        now = self.clock.now()
        instant = _instant(event.ts)
        if instant is None or abs(instant - now) > _TS_SLACK:
            instant = now
        with self.db.transaction() as session:
            workspace = workspace_for(session, event.team_id, now)
            if not claim_event(session, event.event_id, event.team_id, now):
                log.info("message event seen before; nothing to do")
                return None
            profiles = queries.partners_by_slack_user(session, workspace.id, wanted)
            decision = outside_hours(
                event.message,
                channel,
                team_id=event.team_id,
                people=people,
                profiles={user_id: as_hours(p) for user_id, p in profiles.items()},
                instant=instant,
            )
            _log_unjudged(decision)
            if not decision.reached:
                return None
            queries.record_reached(
                session,
                workspace.id,
                author=author,
                channel_id=event.channel_id,
                sent_at=instant,
                reached=[(r.user_id, r.partner_id) for r in decision.reached],
            )
            member = find_member(session, workspace.id, author)
            reader = _reader(member, found[author])
            if queries.hints_muted(session, workspace.id, author, event.channel_id):
                return None
            day = reader.today(instant)
            if not queries.claim_hint(session, workspace.id, author, event.channel_id, day):
                return None
            shown = hint(reader, event.channel_id, decision.reached)
            return Hint(author, event.channel_id, shown, event.team_id, day)

    # --- the mute buttons ------------------------------------------------------------------------

    def mute(self, team_id: str, user_id: str, scope: str | None) -> Reply:
        """Mute hints for the presser in a channel, or everywhere; the confirmation with Undo,
        or the "unexpected" problem for a button value no hint made (nothing is stored).
        Raises NotAMember for a guest or anyone not a member of `team_id`."""
        return self._change(team_id, user_id, scope, on=False)

    def unmute(self, team_id: str, user_id: str, scope: str | None) -> Reply:
        """Undo a mute: hints are on again in that channel, or everywhere (as `mute`)."""
        return self._change(team_id, user_id, scope, on=True)

    def _change(self, team_id: str, user_id: str, scope: str | None, *, on: bool) -> Reply:
        now = self.clock.now()
        with self.db.transaction() as session:
            workspace = workspace_for(session, team_id, now)
            reader = _presser(session, workspace.id, team_id, user_id)
            valid = scope if scope == HINTS_EVERYWHERE else checks.channel_id(scope)
            # Muting one channel is offered only on a hint shown there (its day's row is kept
            # three days): a forged value naming any other channel would pile up mutes.
            shown = (
                on
                or valid == HINTS_EVERYWHERE
                or (valid is not None and queries.hint_shown(session, workspace.id, user_id, valid))
            )
            if valid is None or not shown:
                log.info("a hint button carried a value no hint made")
                return problem(reader, "problem.unexpected")
            if not on:
                queries.mute(session, workspace.id, user_id, valid, now)
                return muted(reader, valid)
            queries.unmute(session, workspace.id, user_id, valid)
            # Undoing "everywhere" leaves mutes of single channels made before it in place.
            still = tuple(queries.mutes_of(session, workspace.id, user_id))
        return unmuted(reader, valid, still)


def _cached_person(row: SlackPersonRow) -> Person:
    return Person(row.slack_user_id, row.team_id, row.tz, row.is_guest, row.is_bot, row.deleted)


def _presser(session: Session, workspace_id: int, team_id: str, user_id: str) -> Reader:
    """The language of whoever pressed a hint's button, when they may: a member who uses
    Rapport (`members.asker`, which refuses a guest), or someone a hint can have been shown to
    (cached from a shared channel as a member of `team_id`: not a guest, bot or of another
    team). Raises NotAMember for anyone else: a hint's buttons work only for whom it was for."""
    member = members.asker(session, team_id, user_id)
    if member is not None:
        return reader_of(member)
    row = cache.cached_people(session, workspace_id, [user_id]).get(user_id)
    locale = row.locale if row is not None else None
    if row is None or not is_member_sender(_cached_person(row), team_id):
        log.info("refused a hint button: not a member of the workspace")
        raise NotAMember(Reader(locale) if locale else None)
    return Reader(locale or "en-US")


def _reader(member: Member | None, person: SlackPerson) -> Reader:
    """The sender's language and zone: their Rapport settings when they have some, else what
    Slack says (locale and zone from the directory)."""
    if member is not None:
        return reader_of(member)
    return Reader(person.locale or "en-US", checks.time_zone(person.tz) or "UTC")


def _log_unjudged(decision: Decision) -> None:
    if decision.without_zone:
        # Never a name or id: how many, so that someone can check the partners' profiles.
        log.info("%d external user(s) had no tz; not judged", decision.without_zone)
    if decision.bad_profile_zones:
        log.info(
            "%d partner profile zone(s) not an IANA name; Slack's zone used",
            decision.bad_profile_zones,
        )


def post_hint(client: WebClient, found: Hint) -> bool:
    """`chat.postEphemeral` to the sender in the channel; a refusal is logged, never raised.
    False when Slack surely did not show it and may later (a rate limit, a connection never
    made): worth another try with a later message; True when posted, refused for good, or
    perhaps shown (a 5xx, no answer)."""
    try:
        client.chat_postEphemeral(
            channel=found.channel_id,
            user=found.user_id,
            text=found.reply.text,
            blocks=[block.to_dict() for block in found.reply.blocks],
        )
    except DELIVERY_ERRORS as error:
        code = failure_code(error)
        log.warning("could not show an after-hours hint: chat.postEphemeral: %s", code)
        return not _surely_not_shown(error, code)
    return True


def _surely_not_shown(error: BaseException, code: str) -> bool:
    if not isinstance(error, SlackApiError):
        return isinstance(error, ConnectionRefusedError)  # a timeout may come after posting
    status = getattr(error.response, "status_code", 200)
    return code in _NOT_SHOWN_CODES or status == 429
