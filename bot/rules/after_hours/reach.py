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

Whose hours: a partner profile matched by Slack user id wins (its zone, hours, days and public
holidays); otherwise the person's Slack zone, Monday to Friday 09:00 to 18:00, and the public
holidays of their zone's country. Someone whose zone is unknown (none, or not an IANA name) is
never judged: their wall clock cannot be told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.rules.working_hours import WorkingHours, partner_hours
from bot.rules.zones import zone
from storage.vocabulary import SMALL_CHANNEL_MEMBERS

# Subtypes of a message event that are a person's new message to the channel; None is a plain one.
COUNTED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


@dataclass(frozen=True)
class Message:
    """The facts of a message event that decide whom it reached; never its text.

    `mentioned`: user ids it @mentions; `everyone`: it says @here/@channel/@everyone;
    `in_thread`: a reply in a thread (its `thread_ts` differs from its `ts`);
    `from_bot`: it carries a `bot_id` (an app's post, whatever its subtype)."""

    subtype: str | None
    author: str
    mentioned: frozenset[str] = frozenset()
    everyone: bool = False
    in_thread: bool = False
    from_bot: bool = False

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
class Reached:
    """An external person a message reached outside their hours, at their local `local` time.
    `holiday_region` is set when the local day is a public holiday there and the time would
    otherwise have been within their hours (the holiday is why); `partner_id` names their
    profile when they have one."""

    user_id: str
    local: datetime
    partner_id: int | None = None
    holiday_region: str | None = None


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


def candidates(message: Message, channel: Channel) -> frozenset[str]:
    """The user ids a counted message may reach, the author left out: those it @mentions (the
    first MENTIONS_MAX by id; of a channel whose members are known, only those in it: Slack
    notifies nobody else), and every listed member when it calls the channel or the channel is
    small (a thread reply not broadcast reaches only those it @mentions)."""
    if not message.counts or not channel.is_ext_shared:
        return frozenset()
    ids = set(sorted(message.mentioned)[:MENTIONS_MAX])
    if channel.member_ids is not None:
        ids &= channel.member_ids
    channel_wide = message.everyone or channel.member_count <= SMALL_CHANNEL_MEMBERS
    if channel_wide and (not message.in_thread or message.broadcast):
        ids |= channel.member_ids or frozenset()
    ids.discard(message.author)
    return frozenset(ids)


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
    for user_id in sorted(candidates(message, channel)):
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
        reached.append(Reached(user_id, local, partner_id, holiday))
    return Decision(tuple(reached), without_zone, bad_profile_zones)
