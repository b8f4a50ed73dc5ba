"""What Slack says about people and channels, cached: the directory of shared channels, and
the profiles of members and Slack Connect partners kept current.

A busy shared channel must cost one Slack call per new person or channel, not one per message:
`channel` and `people` answer from the database (`storage.queries.slack_cache`) and ask Slack
only for what is missing or older than a day. Slack's events keep the cache current in between
(`member_joined_channel`, `member_left_channel`, `channel_shared`, `channel_unshared`,
`user_change`), each handled once per event id.

Slack is never called inside a database transaction: the cache is read, Slack is asked, and
what it said is written in a transaction of its own. Two threads that fill the same row at once
both write (insert-or-update), and neither fails.

`Profiles` keeps the members and partners Rapport knows in step with `user_change`, and asks
Slack again about partners a day after their profile was last read (`refresh_partners`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.parsing import checks as checked
from bot.rules.clock import Clock
from bot.rules.people import SlackPerson, is_stale
from bot.slack.conversations import (
    MEMBERS_LISTED_MAX,
    ChannelFacts,
    channel_info,
    note_missing_scope,
)
from bot.slack.users import LookupFailed, look_up, person_from_slack
from bot.usecases.base import UseCase
from bot.usecases.digests.subscriptions import Suspension, suspend_shared
from bot.usecases.digests.withdrawals import note_if_showing
from storage.db import Database
from storage.models import Partner, SlackPersonRow
from storage.queries import slack_cache as cache
from storage.queries.members import find_member, find_workspace, save_member, workspace_for
from storage.queries.partners import find_partner, find_partner_by_slack_user, partners_to_refresh
from storage.queries.received import claim_event
from storage.vocabulary import EVENT_ID_MAX_CHARS

__all__ = [
    "MEMBERS_LISTED_MAX",
    "ChannelFacts",
    "LookupFailed",
    "Once",
    "Profiles",
    "SlackDirectory",
    "refresh_partners",
]

log = logging.getLogger(__name__)


class Flights:
    """One Slack question per key at a time within this process: whoever comes second waits
    for the first, then reads the cache it filled. Locks are made when first needed and
    dropped when nobody holds or waits for them, so their number is bounded by the threads."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[tuple[str, ...], tuple[threading.Lock, int]] = {}

    @contextmanager
    def one_at_a_time(self, *key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


# How long Slack's word that the bot cannot see a channel (channel_not_found, not_in_channel),
# or that the install lacks a scope (missing_scope), is believed before asking again.
REFUSAL_REMEMBERED = timedelta(hours=1)
# A channel Slack gave no answer about is not asked about again before this.
NO_ANSWER_REMEMBERED = timedelta(minutes=1)
# A cached channel this old still serves when Slack does not answer about it.
CHANNEL_SERVES_WHEN_SLACK_FAILS = timedelta(days=2)


class Pauses:
    """Within this process: the Web API methods not to call before a time (Slack's Retry-After
    on a 429, an hour after missing_scope), and the channels Slack said within the hour the bot
    cannot see. Small: one entry per method, and per channel a message came from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._methods: dict[str, tuple[datetime, str]] = {}
        self._unseen: dict[tuple[str, str], datetime] = {}
        self._quiet: dict[tuple[str, str], datetime] = {}

    def check(self, method: str, now: datetime) -> None:
        """Raise LookupFailed (Slack not asked) while `method` is paused."""
        with self._lock:
            until, error = self._methods.get(method, (now, ""))
        if now < until:
            raise LookupFailed("-", error)

    def failed(self, method: str, failed: LookupFailed, now: datetime) -> None:
        """Pause `method` as Slack's answer asks: for its Retry-After, or an hour for a scope
        the install lacks (reinstalling grants it; asking again before cannot)."""
        if failed.error == "missing_scope":
            until = now + REFUSAL_REMEMBERED
        elif failed.retry_after:
            until = now + timedelta(seconds=failed.retry_after)
        else:
            return
        with self._lock:
            self._methods[method] = (until, failed.error)

    def unseen(self, team_id: str, channel_id: str, now: datetime) -> bool:
        """Whether Slack said within the hour that the bot cannot see the channel."""
        with self._lock:
            until = self._unseen.get((team_id, channel_id))
            if until is not None and until <= now:
                del self._unseen[(team_id, channel_id)]
                return False
        return until is not None

    def not_seen(self, team_id: str, channel_id: str, now: datetime) -> None:
        with self._lock:
            # Expired entries go as new ones come, so that the map stays small.
            for key in [k for k, until in self._unseen.items() if until <= now]:
                del self._unseen[key]
            self._unseen[(team_id, channel_id)] = now + REFUSAL_REMEMBERED

    def seen(self, team_id: str, channel_id: str) -> None:
        with self._lock:
            self._unseen.pop((team_id, channel_id), None)
            self._quiet.pop((team_id, channel_id), None)

    def no_answer(self, team_id: str, channel_id: str, now: datetime) -> None:
        """Slack gave no answer about the channel (a timeout, a 5xx): not asked again for
        NO_ANSWER_REMEMBERED, so messages queued behind a stalled look-up do not each wait out
        its timeout."""
        with self._lock:
            for key in [k for k, until in self._quiet.items() if until <= now]:
                del self._quiet[key]
            self._quiet[(team_id, channel_id)] = now + NO_ANSWER_REMEMBERED

    def quiet(self, team_id: str, channel_id: str, now: datetime) -> bool:
        with self._lock:
            until = self._quiet.get((team_id, channel_id))
        return until is not None and now < until


# Keys remembered by `Once` at most; beyond, the oldest are let go.
_ONCE_KEYS_MAX = 10_000


class Once:
    """Whether something keyed was told within `every` (per process): `first` is True once per
    key and period. Bounded: at most _ONCE_KEYS_MAX keys are kept."""

    def __init__(self, every: timedelta) -> None:
        self.every = every
        self._lock = threading.Lock()
        self._told: dict[tuple[str, ...], datetime] = {}

    def first(self, key: tuple[str, ...], now: datetime) -> bool:
        with self._lock:
            told = self._told.get(key)
            if told is not None and now - told < self.every:
                return False
            self._told.pop(key, None)
            self._told[key] = now
            while len(self._told) > _ONCE_KEYS_MAX:
                del self._told[next(iter(self._told))]
            return True


class SlackDirectory(UseCase):
    """Channels and people as Slack describes them, cached for a day and kept current by
    Slack's events."""

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__(db, clock)
        self.flights = Flights()
        self.pauses = Pauses()
        self._told = Once(timedelta(hours=1))

    # --- look-ups --------------------------------------------------------------------------

    def channel(self, client: WebClient, team_id: str, channel_id: str) -> ChannelFacts | None:
        """From the cache; conversations.info (+ conversations.members, paged, when the
        channel has at most MEMBERS_LISTED_MAX members) when missing or older than a day.
        None when Slack says channel_not_found / not_in_channel (the bot is not in it; believed
        for an hour, Slack not asked again before), and for an id that is no Slack id (Slack is
        not asked).
        When Slack does not answer (rate limit, outage, missing_scope) the channel as cached
        within CHANNEL_SERVES_WHEN_SLACK_FAILS is used; without one, raises LookupFailed."""
        if checked.slack_id(team_id) is None or checked.slack_id(channel_id) is None:
            log.info("channel look-up for an id that is no Slack id: not asked")
            return None
        cached = self._cached_channel(team_id, channel_id)
        if cached is not None:
            return cached
        if self.pauses.unseen(team_id, channel_id, self.clock.now()):
            return None
        with self.flights.one_at_a_time(team_id, "channel", channel_id):
            # Another thread may have asked while this one waited.
            cached = self._cached_channel(team_id, channel_id)
            if cached is not None:
                return cached
            try:
                if self.pauses.quiet(team_id, channel_id, self.clock.now()):
                    raise LookupFailed("-", "no_answer")
                return self._ask_channel(client, team_id, channel_id)
            except LookupFailed:
                older = self._cached_channel(
                    team_id, channel_id, within=CHANNEL_SERVES_WHEN_SLACK_FAILS
                )
                if older is None:
                    raise
                log.info("Slack did not answer about a channel; the one cached before is used")
                return older

    def _cached_channel(
        self, team_id: str, channel_id: str, *, within: timedelta | None = None
    ) -> ChannelFacts | None:
        """The channel as cached, when it was read within a day (or `within`); else None."""
        with self.db.reading() as session:
            workspace = find_workspace(session, team_id)
            cached = (
                None
                if workspace is None
                else cache.cached_channel(session, workspace.id, channel_id)
            )
        now = self.clock.now()
        if cached is None:
            return None
        if within is None and is_stale(cached.refreshed_at, now):
            return None
        if within is not None and now - cached.refreshed_at > within:
            return None
        return ChannelFacts(
            channel_id=cached.channel_id,
            is_private=cached.is_private,
            is_ext_shared=cached.is_ext_shared,
            is_pending_ext_shared=cached.is_pending_ext_shared,
            member_count=cached.member_count,
            member_ids=cached.member_ids,
        )

    def _ask_channel(self, client: WebClient, team_id: str, channel_id: str) -> ChannelFacts | None:
        now = self.clock.now()
        self.pauses.check("conversations.info", now)
        try:
            facts = channel_info(client, channel_id)
        except LookupFailed as failed:
            self.pauses.failed("conversations.info", failed, now)
            if not failed.retry_after and failed.error != "missing_scope":
                # Not a pause of the method Slack asked for: no answer about this channel.
                self.pauses.no_answer(team_id, channel_id, now)
            raise
        if facts is None:
            self.pauses.not_seen(team_id, channel_id, now)
        else:
            self.pauses.seen(team_id, channel_id)
        with self.db.transaction() as session:
            workspace_id = workspace_for(session, team_id, now).id
            if facts is None:
                cache.forget_channel(session, workspace_id, channel_id)
                return None
            cache.save_channel(
                session,
                workspace_id,
                channel_id,
                is_private=facts.is_private,
                is_ext_shared=facts.is_ext_shared,
                is_pending_ext_shared=facts.is_pending_ext_shared,
                member_count=facts.member_count,
                member_ids=facts.member_ids,
                now=now,
            )
        return facts

    def people(
        self,
        client: WebClient,
        team_id: str,
        user_ids: Collection[str],
        *,
        ask_at_most: int = 20,
        complete: bool = False,
    ) -> dict[str, SlackPerson]:
        """Each id's SlackPerson (bot.rules.people) from `slack_people`; users.info for
        those missing or older than a day, at most `ask_at_most` calls (the rest are left
        out and asked next time); ids Slack knows no user for are left out, and remembered so
        for a day (not asked again before); Slack not
        answering ends the asking and returns what is known.

        Those never seen are asked first, then the stale; a stale person not asked this time
        is returned as cached (a day-old zone beats none). Ids that are no Slack ids are left
        out unasked. People carry no e-mail and no admin flag (`email` None, `is_admin`
        False): the cache keeps only what deciding someone's hours needs.

        With `complete`, someone never cached whom Slack did not answer about, or who was
        beyond `ask_at_most`, raises LookupFailed instead: the caller needs everyone it asked
        about that Slack would tell of.
        """
        if checked.slack_id(team_id) is None:
            return {}
        wanted = sorted({uid for uid in user_ids if checked.slack_id(uid) is not None})
        if not wanted:
            return {}
        now = self.clock.now()
        with self.db.reading() as session:
            workspace = find_workspace(session, team_id)
            rows = {} if workspace is None else cache.cached_people(session, workspace.id, wanted)
        # Someone Slack said was no user within the day is neither asked again nor returned.
        known = {
            uid: _person_of(row) for uid, row in rows.items() if not cache.is_no_such_user(row)
        }
        missing = [uid for uid in wanted if uid not in rows]
        stale = [uid for uid in wanted if uid in rows and is_stale(rows[uid].refreshed_at, now)]
        asking = [*missing, *stale][: max(ask_at_most, 0)]
        answers, stopped = self._ask_once(client, team_id, asking)
        unanswered = [uid for uid in missing if uid not in answers]
        if complete and unanswered:
            # Not asked (beyond `ask_at_most`) or not answered: the caller would judge without
            # them. Those asked are cached, so the next call goes on where this one stopped.
            raise LookupFailed("-", stopped or "too_many_new_people")
        for uid, person in answers.items():
            if person is None:
                known.pop(uid, None)
            else:
                known[uid] = person
        return known

    def _ask_once(
        self, client: WebClient, team_id: str, user_ids: list[str]
    ) -> tuple[dict[str, SlackPerson | None], str | None]:
        """`_ask` about each of `user_ids`, one person at a time in this process: someone
        another thread asked about meanwhile is read from the cache instead (their answer was
        stored already, so it is not returned for storing again). Also Slack's error code when
        it stopped answering before all were asked (None when it did not)."""
        answers: dict[str, SlackPerson | None] = {}
        for uid in user_ids:
            with self.flights.one_at_a_time(team_id, "person", uid):
                fresh = self._fresh_row(team_id, uid)
                if fresh is not None:
                    answers[uid] = None if cache.is_no_such_user(fresh) else _person_of(fresh)
                    continue
                try:
                    person = self._ask(client, uid)
                except LookupFailed as failed:
                    return answers, failed.error  # the rest wait for next time
                if person is not None and person.team_id != team_id and not person.tz:
                    # Some profiles of another organisation name no zone; nobody can say when
                    # such a person's hours are. Told once per look-up (a day), without names.
                    log.info("users.info named no time zone for a person of another organisation")
                answers[uid] = person
                self._remember(team_id, {uid: person}, self.clock.now())
        return answers, None

    def _fresh_row(self, team_id: str, uid: str) -> SlackPersonRow | None:
        """`uid`'s cached row when it was read within a day (a person, or no such user)."""
        with self.db.reading() as session:
            workspace = find_workspace(session, team_id)
            rows = {} if workspace is None else cache.cached_people(session, workspace.id, [uid])
        row = rows.get(uid)
        if row is None or is_stale(row.refreshed_at, self.clock.now()):
            return None
        return row

    def _ask(self, client: WebClient, uid: str) -> SlackPerson | None:
        """users.info about `uid`; None when Slack knows no such user. Raises LookupFailed when
        Slack did not answer, or asked for a pause that lasts (no call then)."""
        now = self.clock.now()
        self.pauses.check("users.info", now)  # nothing to tell anew while a pause lasts
        try:
            person = look_up(client, uid)
        except LookupFailed as failed:
            self.pauses.failed("users.info", failed, now)
            # A missing scope is told once per process; other failures once an hour each.
            if failed.error == "missing_scope":
                note_missing_scope("users.info")
            elif self._told.first(("users.info", failed.error), now):
                log.warning("users.info stopped: %s", failed.error)
            raise
        # Keyed by the id asked about, whatever id the answer carries; and no more than the
        # cache keeps, so that a person is the same whether Slack or the cache told of them.
        return None if person is None else replace(person, user_id=uid, email=None, is_admin=False)

    def _remember(
        self, team_id: str, answers: dict[str, SlackPerson | None], now: datetime
    ) -> None:
        with self.db.transaction() as session:
            workspace_id = workspace_for(session, team_id, now).id
            for uid, person in answers.items():
                if person is None:
                    # Remembered for a day: a message naming them again asks Slack nothing.
                    cache.save_no_such_user(session, workspace_id, uid, now)
                else:
                    cache.save_person(session, workspace_id, uid, now, **cached_profile(person))

    # --- events ----------------------------------------------------------------------------

    def member_joined(
        self,
        team_id: str,
        event_id: str,
        channel_id: str,
        user_id: str,
        *,
        bot_user_id: str | None,
    ) -> bool:
        """`member_joined_channel`: the member row and one more in the count of a cached
        channel (a channel not cached is read whole when first needed). The bot itself
        joining a channel cached from before drops it, to be read afresh. False when the
        event was handled before or changed nothing."""

        def act(session: Session, workspace_id: int) -> bool:
            if user_id == bot_user_id:
                # Invited (back): what Slack said when the bot could not see it is over, and a
                # withdrawal given up while it was out of the channel can be made now.
                self.pauses.seen(team_id, channel_id)
                note_if_showing(session, workspace_id, channel_id, self.clock.now())
                return cache.forget_channel(session, workspace_id, channel_id)
            # Someone who joins a channel exists, whatever users.info said before.
            cache.forget_no_such_user(session, workspace_id, user_id)
            # They may be a guest: the channel's digests are checked after the ack, and the
            # check is kept until made (a crash or Slack refusing loses nothing).
            note_if_showing(session, workspace_id, channel_id, self.clock.now())
            return cache.add_channel_member(session, workspace_id, channel_id, user_id)

        return self._once(team_id, event_id, act)

    def member_left(
        self,
        team_id: str,
        event_id: str,
        channel_id: str,
        user_id: str,
        *,
        bot_user_id: str | None,
    ) -> bool:
        """`member_left_channel`: the member row goes and the count drops by one; the bot itself
        leaving drops the channel from the cache (no message of it will come)."""

        def act(session: Session, workspace_id: int) -> bool:
            if user_id == bot_user_id:
                return cache.forget_channel(session, workspace_id, channel_id)
            return cache.remove_channel_member(session, workspace_id, channel_id, user_id)

        return self._once(team_id, event_id, act)

    def channel_shared(
        self,
        team_id: str,
        event_id: str,
        channel_id: str,
        told: Callable[[Suspension], None] | None = None,
    ) -> bool:
        """`channel_shared`: a cached channel is now shared with another organisation; the
        people of that organisation who join arrive as `member_joined_channel`. The channel's
        digest subscription, if active, is suspended in the same transaction (a digest there
        would show partner data to people outside the company); `told` is then handed whom
        to tell, after the transaction."""
        suspended: list[Suspension] = []

        def act(session: Session, workspace_id: int) -> bool:
            self.pauses.seen(team_id, channel_id)
            changed = cache.set_channel_sharing(
                session, workspace_id, channel_id, is_ext_shared=True
            )
            now = self.clock.now()
            suspension = suspend_shared(session, workspace_id, channel_id, "ext_shared", now)
            note_if_showing(session, workspace_id, channel_id, now)
            if suspension is not None:
                suspended.append(suspension)
            return changed or suspension is not None

        handled = self._once(team_id, event_id, act)
        if told is not None:
            for suspension in suspended:
                told(suspension)
        return handled

    def channel_unshared(self, team_id: str, event_id: str, channel_id: str) -> bool:
        """`channel_unshared`: the channel is dropped from the cache, so that the next message
        in it reads its sharing and members afresh (the disconnected organisation's people
        are gone from it, and Slack sends no leave event for each of them)."""

        def act(session: Session, workspace_id: int) -> bool:
            return cache.forget_channel(session, workspace_id, channel_id)

        return self._once(team_id, event_id, act)

    def _once(self, team_id: str, event_id: str, act: Callable[[Session, int], bool]) -> bool:
        """Run `act(session, workspace_id)` in one transaction with claiming `event_id`, so
        that Slack's retries of an event change nothing. Nothing for a workspace Rapport has
        no rows of (nothing is cached there), or an event id Slack never sends."""
        if (
            not event_id
            or len(event_id) > EVENT_ID_MAX_CHARS
            or checked.forbidden_character(event_id)
        ):
            log.info("ignored an event whose event id is not one Slack sends")
            return False
        now = self.clock.now()
        with self.db.transaction() as session:
            workspace = find_workspace(session, team_id)
            if workspace is None or not claim_event(session, event_id, team_id, now):
                return False
            return act(session, workspace.id)


def cached_profile(person: SlackPerson) -> dict[str, Any]:
    """The columns of `slack_people` a SlackPerson fills."""
    return {
        "team_id": person.team_id,
        "name": person.name,
        "tz": person.tz,
        "locale": person.locale,
        "is_bot": person.is_bot,
        "is_guest": person.is_guest,
        "deleted": person.deleted,
    }


def _person_of(row: SlackPersonRow) -> SlackPerson:
    return SlackPerson(
        user_id=row.slack_user_id,
        team_id=row.team_id,
        name=row.name,
        tz=row.tz,
        locale=row.locale,
        email=None,
        is_bot=row.is_bot,
        deleted=row.deleted,
        is_admin=False,
        is_guest=row.is_guest,
    )


class Profiles(UseCase):
    """Profiles Slack tells about: members and Slack Connect partners, kept current."""

    def changed(self, team_id: str, event_id: str, user: dict[str, Any]) -> None:
        """Refresh the member, the Slack Connect partner and the directory's row (`slack_people`)
        behind `user`, once per event id.

        People Rapport has never seen are not added: a profile is cached when it is first
        needed.
        """
        if (
            not event_id
            or len(event_id) > EVENT_ID_MAX_CHARS
            or checked.forbidden_character(event_id)
        ):
            return  # no event id Slack sends: nothing to remember it by
        person = person_from_slack(user)
        now = self.clock.now()
        with self.db.transaction() as session:
            workspace = find_workspace(session, team_id)
            if workspace is None or not claim_event(session, event_id, team_id, now):
                return
            if find_member(session, workspace.id, person.user_id) is not None:
                save_member(session, workspace.id, person.user_id, now, **person.member_profile())
            partner = find_partner_by_slack_user(session, workspace.id, person.user_id)
            if partner is not None:
                refresh_partner(partner, person, now)
            if checked.slack_id(person.user_id) is not None:
                # As for members: a profile that names no zone or locale (some of another
                # organisation's do not) keeps the one cached; and one that names no team keeps
                # the cached team, so that nobody becomes "of no team" by an event.
                profile = cached_profile(person)
                kept = [name for name in ("team_id", "tz", "locale") if profile[name] is None]
                for name in kept:
                    del profile[name]
                cache.refresh_person(session, workspace.id, person.user_id, now, **profile)


def refresh_partner(partner: Partner, person: SlackPerson | None, now: datetime) -> None:
    """Bring a Slack Connect partner's cached zone up to date with what Slack just said.

    A zone typed in the partner's profile wins over Slack's and is kept; Slack's own is taken
    whenever Slack names one. `person` None (Slack no longer knows the user) changes nothing
    but the time of asking, so the next refresh is a day away.
    """
    partner.profile_refreshed_at = now
    if person is not None and person.tz and partner.tz_source != "typed":
        partner.tz, partner.tz_source = person.tz, "slack"


REFRESH_AFTER = timedelta(days=1)


def refresh_partners(db: Database, client: WebClient, now: datetime, limit: int) -> int:
    """Ask Slack again about the Slack Connect partners last read more than a day ago, `limit`
    at most (the rest wait for the next tick); how many were asked.

    Slack may not send `user_change` for people of another organisation, so this is how their
    zone stays current. Calls happen outside any transaction. Slack not answering (a rate
    limit, an outage) ends the round: those partners are asked on a later tick.
    """
    with db.reading() as session:
        due = partners_to_refresh(session, now - REFRESH_AFTER, limit)
    asked = 0
    for row in due:
        try:
            person = look_up(client, row.slack_user_id)
        except LookupFailed:
            log.warning("partner profile refresh stopped: Slack did not answer")
            break
        asked += 1
        with db.transaction() as session:
            partner = find_partner(session, row.workspace_id, row.id)
            if partner is not None:
                refresh_partner(partner, person, now)
    return asked
