"""After hours in shared channels: whom of another organisation a message reaches outside their
business hours, or on their public holiday.

Rapport sees a message in an externally shared channel only after it was sent (Slack offers no
hook before), so the decision is about what already happened: which external people it reached,
each with their local time, so that the sender can be told kindly and privately.

What counts (issue 14, item 1):
- a new message (no subtype), a file shared with a comment (`file_share`) and a thread reply also
  sent to the channel (`thread_broadcast`); edits (`message_changed`), deletions, joins, leaves,
  bot messages (`bot_id` or `bot_message`) and every other subtype never count;
- only in a channel shared with another organisation, and only from a member of the workspace:
  a guest's or an external person's own message never counts (a partner writing to us late is
  their business);
- it reaches an external person when it @mentions them, or when it calls the whole channel
  (@here, @channel, @everyone), or when the channel is small (at most `SMALL_CHANNEL_MEMBERS`
  members as Slack counts them, the bot included), where every message is read by everyone;
- a thread reply that is not broadcast reaches only the people it @mentions: the channel does
  not see it, and those following the thread chose to. A @here inside such a reply notifies
  no one beyond the thread either, so it does not count.

Why each person was reached (`Why`), so that the hint can say it: they were @mentioned, or the
message called the channel (which of @here, @channel, @everyone), or the channel is small; and
whether a thread reply reached the channel because it was sent there too.

Whose hours: a partner profile matched by Slack user id wins (its zone, hours, days and public
holidays); otherwise the person's Slack zone, Monday to Friday 09:00 to 18:00, and the public
holidays of their zone's country. Someone whose zone is unknown (none, or not an IANA name) is
never judged: their wall clock cannot be told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from bot.rules.working_hours import WorkingHours, partner_hours
from bot.rules.zones import zone
from storage.vocabulary import SMALL_CHANNEL_MEMBERS

# Subtypes of a message event that are a person's new message to the channel; None is a plain one.
COUNTED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


@dataclass(frozen=True)
class Message:
    """The facts of a message event that decide whom it reached; never its text.

    `mentioned`: user ids it @mentions; `called`: which of "here", "channel", "everyone" it
    says (None: none); `in_thread`: a reply in a thread (its `thread_ts` differs from its `ts`);
    `from_bot`: it carries a `bot_id` (an app's post, whatever its subtype)."""

    subtype: str | None
    author: str
    mentioned: frozenset[str] = frozenset()
    called: str | None = None
    in_thread: bool = False
    from_bot: bool = False

    @property
    def everyone(self) -> bool:
        """Whether it calls the whole channel (@here, @channel or @everyone)."""
        return self.called is not None

    @property
    def counts(self) -> bool:
        """Whether this kind of message is one a person sent to the channel."""
        return self.subtype in COUNTED_SUBTYPES and not self.from_bot and bool(self.author)

    @property
    def broadcast(self) -> bool:
        return self.subtype == "thread_broadcast"


@dataclass(frozen=True)
class Channel:
    """What decides a channel's reach: shared with another organisation, how many members Slack
    counts (the bot included), and their ids (None when too many to list)."""

    is_ext_shared: bool
    member_count: int
    member_ids: frozenset[str] | None


@dataclass(frozen=True)
class Person:
    """Someone in the channel as Slack describes them: their own workspace, zone, and kind."""

    user_id: str
    team_id: str | None
    tz: str | None
    is_guest: bool = False
    is_bot: bool = False
    deleted: bool = False


@dataclass(frozen=True)
class PartnerHours:
    """A partner profile's hours, matched to a person by Slack user id (None: not set)."""

    partner_id: int
    tz: str | None = None
    start: int | None = None
    end: int | None = None
    days: str | None = None
    public_holidays: str | None = None


@dataclass(frozen=True)
class Why:
    """Why a message reached someone; more than one may hold.

    `mentioned`: it @mentioned them. The channel-wide reasons, which reach every member alike:
    `called` ("here", "channel" or "everyone") when it called the channel, `small_channel` the
    channel's member count (as Slack counts them, the bot included) when that is at most
    `SMALL_CHANNEL_MEMBERS`, and `broadcast` when it was a thread reply also sent to the channel
    (without that, a thread reply reaches the channel through neither)."""

    mentioned: bool = False
    called: str | None = None
    small_channel: int | None = None
    broadcast: bool = False

    @property
    def channel_wide(self) -> bool:
        """Whether it reached them as a member of the channel, mentioned or not."""
        return self.called is not None or self.small_channel is not None


MENTIONED = Why(mentioned=True)


@dataclass(frozen=True)
class Reached:
    """An external person a message reached outside their hours, at their local `local` time.
    `holiday_region` is set when the local day is a public holiday there and the time would
    otherwise have been within their hours (the holiday is why); `partner_id` names their
    profile when they have one; `why` says how the message reached them."""

    user_id: str
    local: datetime
    partner_id: int | None = None
    holiday_region: str | None = None
    why: Why = MENTIONED


@dataclass(frozen=True)
class Decision:
    """Who was reached outside their hours; the external people skipped for want of a known
    zone, and the partner profiles whose zone is no IANA name (Slack's was used): counted for a
    log line, never named."""

    reached: tuple[Reached, ...]
    without_zone: int = 0
    bad_profile_zones: int = 0


NOTHING = Decision(())


# Mentions read from one message: a forged or pasted one may name any number of ids, and each
# unknown one is a look-up.
MENTIONS_MAX = 1_000


def is_member_sender(person: Person | None, team_id: str) -> bool:
    """Whether a message's author is one of the workspace's own members: known to Slack, of this
    team, neither a guest nor an app. Only they are told about their messages. A profile that
    names no team is nobody's member: being told of a partner's hours is for this team alone."""
    return (
        person is not None
        and person.team_id == team_id
        and not (person.is_guest or person.is_bot or person.deleted)
    )


def is_external(person: Person, team_id: str) -> bool:
    """Someone of another organisation (Slack Connect), not an app and not deactivated."""
    return (
        person.team_id is not None
        and person.team_id != team_id
        and not (person.is_bot or person.deleted)
    )


def channel_reasons(message: Message, channel: Channel) -> Why | None:
    """Why a counted message reaches every member of `channel`, or None when it reaches only
    those it @mentions: it calls the channel or the channel is small, and it is no thread reply
    kept in its thread."""
    if message.in_thread and not message.broadcast:
        return None
    small = channel.member_count if channel.member_count <= SMALL_CHANNEL_MEMBERS else None
    if message.called is None and small is None:
        return None
    return Why(called=message.called, small_channel=small, broadcast=message.broadcast)


def reasons(message: Message, channel: Channel) -> dict[str, Why]:
    """Each user id a counted message may reach, the author left out, with why: those it
    @mentions (the first MENTIONS_MAX by id; of a channel whose members are known, only those
    in it: Slack notifies nobody else), and every listed member when it reaches the whole
    channel (`channel_reasons`)."""
    if not message.counts or not channel.is_ext_shared:
        return {}
    wide = channel_reasons(message, channel)
    found: dict[str, Why] = {}
    if wide is not None:
        found = dict.fromkeys(channel.member_ids or frozenset(), wide)
    mentioned = set(message.mentioned)
    if channel.member_ids is not None:
        mentioned &= channel.member_ids
    mentioned = set(sorted(mentioned)[:MENTIONS_MAX])
    for user_id in mentioned:
        found[user_id] = replace(wide, mentioned=True) if wide is not None else MENTIONED
    found.pop(message.author, None)
    return found


def candidates(message: Message, channel: Channel) -> frozenset[str]:
    """The user ids a counted message may reach, the author left out (see `reasons`)."""
    return frozenset(reasons(message, channel))


def usable_zone(tz: str | None) -> str | None:
    """`tz` when it is an IANA zone this machine knows, else None."""
    return tz if tz and zone(tz).key == tz else None


def hours_of(person: Person, profile: PartnerHours | None) -> WorkingHours | None:
    """Whose hours apply to `person`: their profile's, where it says; else Slack's zone with
    the default hours and the zone country's public holidays. None without a usable zone (a
    profile's zone that is no IANA name gives way to Slack's)."""
    if profile is None:
        tz = usable_zone(person.tz)
        return None if tz is None else partner_hours(tz, None, None, None, None)
    tz = usable_zone(profile.tz) or usable_zone(person.tz)
    if tz is None:
        return None
    return partner_hours(tz, profile.start, profile.end, profile.days, profile.public_holidays)


def outside_hours(
    message: Message,
    channel: Channel,
    *,
    team_id: str,
    people: Mapping[str, Person],
    profiles: Mapping[str, PartnerHours],
    instant: datetime,
) -> Decision:
    """Who of another organisation `message`, sent by a member of `team_id` at `instant` into
    `channel`, reached outside their hours; in user id order, so that repeats read alike.

    `people` holds what Slack said about the author and the candidates (someone missing is not
    judged); `profiles` the partner profiles by Slack user id.
    """
    if not is_member_sender(people.get(message.author), team_id):
        return NOTHING
    reached: list[Reached] = []
    without_zone = bad_profile_zones = 0
    why = reasons(message, channel)
    for user_id in sorted(why):
        person = people.get(user_id)
        if person is None or not is_external(person, team_id):
            continue
        profile = profiles.get(user_id)
        if profile is not None and profile.tz and usable_zone(profile.tz) is None:
            bad_profile_zones += 1
        hours = hours_of(person, profile)
        if hours is None:
            without_zone += 1
            continue
        if hours.is_at_work(instant):
            continue
        local = hours.local(instant)
        ordinary = WorkingHours(hours.start, hours.end, hours.days, hours.tz, None)
        holiday = hours.region if ordinary.is_at_work(instant) else None
        partner_id = profile.partner_id if profile is not None else None
        reached.append(Reached(user_id, local, partner_id, holiday, why[user_id]))
    return Decision(tuple(reached), without_zone, bad_profile_zones)
