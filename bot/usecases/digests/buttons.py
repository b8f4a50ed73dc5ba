"""The menu on each partner of a team digest: "I'll reach out", "Log contact", "Take over".

Each option's value names the digest and the partner (`bot.blocks.digest.message.menu_value`).
A press is honoured only for an active member of the digest's workspace (a guest is refused
where the member is loaded, `bot.usecases.members.asker`), for a digest of that workspace that
was posted, and for a partner that digest listed; anything else is a value Rapport did not write
and changes nothing ("digest.claim.unknown_digest").

- I'll reach out: a claim (`storage.queries.digests.claims.claim`, `CLAIM_DAYS` days) unless
  someone else's claim is live (they are named, by name: never a mention) or the partner is the
  presser's own. The digest is redrawn for everyone.
- Take over (a partner nobody looks after): as from the unowned list
  (`bot.usecases.ownership.take_over_step`); the digest is redrawn, and the presser's Home.
- Log contact: the contact form about the partner; its submission is logged as any form's.

The answer to the presser is ephemeral. The redraw (`DigestButtons.redraw`, after the
transaction and the ack) first makes the check a post makes (`channel_verdict`: a fresh
`conversations.info` with the members): a channel now shared with another organisation or
with a guest in it gets no partner data, and its old digest is replaced by one line saying it
was withdrawn (the old message would otherwise keep showing partner data to its new readers);
a subscription no longer active is not redrawn (its old message was posted to the team alone
and stays). What was saved stays saved; the presser is told the digest was not redrawn, and why.

The message is read and drawn inside the function that calls `chat.update`, under a lock per
digest, so that of two presses redrawn on the pool in any order the last `chat.update` shows
both. That lock is per process: two processes redrawing one digest at the same instant can
still land in the wrong order, until the next press redraws it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from weakref import WeakValueDictionary

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.contact_form import ContactForm, ModalContext
from bot.blocks.digest.message import CLAIM, LOG, read_menu_value, withdrawn_digest
from bot.blocks.digest.subscription import channel_reader, withdrawal_ended_notice
from bot.blocks.replies import Reply, notice, partner_label, problem, refusal
from bot.rules.clock import Clock
from bot.rules.ownership import looks_after
from bot.rules.relationships.health import Health
from bot.slack.delivery import DELIVERY_ERRORS, failure_code, post_reply
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader, escape, reader_of
from bot.usecases.base import Asker, UseCase
from bot.usecases.digests.content import render_digest, shown_from_json, shown_to_json
from bot.usecases.digests.postable import CHANNEL_NOT_FOUND, Verdict, channel_verdict
from bot.usecases.digests.withdrawals import (
    MESSAGE_GONE,
    RETRY_FIRST,
    TOKEN_BROKEN,
    WITHDRAWN_AT_MOST,
    Outcome,
    Refusal,
    refusal_of,
    refusal_of_lookup,
)
from bot.usecases.ownership import take_over_step
from bot.usecases.partners.cards import prefilled_form
from bot.usecases.partners.health import health_of, health_row
from bot.usecases.slack_directory import SlackDirectory
from storage.db import Database
from storage.models import Digest, DigestSubscription, Member, Partner, Workspace
from storage.queries.digests.claims import claim, live_claim
from storage.queries.digests.subscriptions import subscriber_of, subscription_of
from storage.queries.digests.withdrawal import (
    ShowingDigest,
    finish_withdrawal,
    forget_shown,
    note_withdrawal,
    posted_showing,
    refused_again,
    withdrawal_mark,
)
from storage.queries.partners import partner_for_update
from storage.vocabulary import CLAIM_DAYS

log = logging.getLogger(__name__)

# The metadata a digest is posted with (and keeps when redrawn).
DIGEST_EVENT = "rapport_digest"

# Why a digest was not redrawn (the presser is told): the text key after "digest.redraw.".
NOT_REDRAWN = "failed"  # Slack refused or did not answer; the digest is gone
OFF = "off"  # the subscription is switched off
SHARED = "shared"  # the channel is (or is about to be) shared with another organisation
GUEST = "guests"  # a workspace guest is in the channel, or its members could not be listed

# One lock per digest id while it is redrawn in this process (dropped when nobody holds it).
_LOCKS: WeakValueDictionary[str, threading.Lock] = WeakValueDictionary()
_LOCKS_GUARD = threading.Lock()


def _lock_for(digest_id: str) -> threading.Lock:
    with _LOCKS_GUARD:
        lock = _LOCKS.get(digest_id)
        if lock is None:
            lock = threading.Lock()
            _LOCKS[digest_id] = lock
        return lock


@dataclass(frozen=True)
class Pressed:
    """What a press comes to: the ephemeral answer to the presser, the id of the digest to
    redraw (None: nothing changed that it shows), the contact form to open (Log contact), and
    whether the presser's Home shows something that changed (Take over)."""

    reply: Reply | None
    reader: Reader = field(default_factory=Reader)
    redraw: str | None = None
    form: tuple[ContactForm, ModalContext] | None = None
    home_changed: bool = False


class DigestButtons(UseCase):
    """The options of a digest's menus, each in one transaction; and the checked redraw."""

    def __init__(self, db: Database, clock: Clock, directory: SlackDirectory | None = None):
        super().__init__(db, clock)
        self.directory = directory or SlackDirectory(db, clock)

    def press(
        self, team_id: str, user_id: str, value: str | None, response_url: str | None
    ) -> Pressed:
        """`user_id` chose the option whose value is `value` on a digest; `response_url`
        reaches the presser (the contact form's summary goes there too).

        Raises `NeedsLookup` for someone Rapport has not met yet: they are admitted through
        Slack (`LogContact.admit`, which refuses a guest or someone of another organisation)
        and the press is made again, as a first command is."""
        found = read_menu_value(value)

        def act(session: Session, member: Member, reader: Reader) -> Pressed:
            if not member.active:
                return Pressed(refusal(reader), reader)
            digest = _posted(session, member, found)
            if digest is None or found is None:
                return Pressed(problem(reader, "digest.claim.unknown_digest"), reader)
            choice, _, partner_id = found
            partner = partner_for_update(session, member.workspace_id, partner_id)
            now = self.clock.now()
            if partner is None:
                gone = notice(reader.t("digest.claim.gone"))
                return Pressed(gone, reader, digest.id)
            if choice == LOG:
                form = _log_form(session, member, reader, partner, now)
                context = ModalContext(None, response_url, digest=digest.id)
                return Pressed(None, reader, form=(form, context))
            if choice == CLAIM:
                return _reach_out(session, member, reader, digest, partner, now)
            line = take_over_step(session, member, reader, partner, now)
            return Pressed(notice(line), reader, digest.id, home_changed=True)

        # Someone new to Rapport raises NeedsLookup: the caller asks Slack who they are, then
        # presses again.
        who = Asker()
        pressed = self.as_member(team_id, user_id, act, unknown=None, who=who)
        return pressed if isinstance(pressed, Pressed) else Pressed(pressed, who.reader)

    def answer(self, client: WebClient, url: str | None, user_id: str, pressed: Pressed) -> None:
        """After the ack: redraw the digest when the press changed it, then answer the presser
        ephemerally (through the response_url; by DM when it is gone)."""
        why = self.redraw(client, pressed.redraw) if pressed.redraw is not None else None
        if pressed.reply is not None:
            reply = told_after_redraw(pressed.reply, pressed.reader, why)
            post_reply(client, url, user_id, reply)

    def redraw_after_log(self, client: WebClient, team_id: str, digest_id: str) -> None:
        """A contact was saved from the form the digest's "Log contact" opened: the digest is
        drawn again for the whole channel (the partner's last contact and health moved), as
        after its other menu choices. Only a digest of the submitter's own workspace."""
        with self.db.reading() as session:
            digest = session.get(Digest, digest_id)
            workspace = session.get(Workspace, digest.workspace_id) if digest else None
            ours = workspace is not None and workspace.team_id == team_id
        if ours:
            self.redraw(client, digest_id)

    def redraw(self, client: WebClient, digest_id: str) -> str | None:
        """Draw the posted digest `digest_id` again as it now reads, if its channel may still be
        shown it: None when it was redrawn, else why not (`NOT_REDRAWN`, `OFF`, `SHARED`,
        `GUEST`). Read, drawn and sent under the digest's lock, so that the last `chat.update`
        of this process shows every press before it."""
        with _lock_for(digest_id):
            with self.db.reading() as session:
                digest = session.get(Digest, digest_id)
                subscription = (
                    session.get(DigestSubscription, digest.subscription_id) if digest else None
                )
                if digest is None or subscription is None or digest.ts is None:
                    return NOT_REDRAWN
                workspace_id, channel, ts = digest.workspace_id, digest.channel_id, digest.ts
                state, reader = (
                    subscription.state,
                    channel_reader(subscription.language, subscription.tz),
                )
            # The channel is judged whatever the subscription's state: a digest switched off
            # stays posted, and must be withdrawn all the same once a guest or another
            # organisation can read it.
            why = (
                SHARED
                if state == "suspended"
                else self._channel_refuses(client, workspace_id, channel)
            )
            if why in (SHARED, GUEST):
                line = withdrawn_digest(reader, why == SHARED)
                refused = self._withdraw(client, digest_id, channel, ts, line)
                if refused is not None and not refused.final:
                    self._keep(workspace_id, channel, refused)
            if why is not None:
                return why
            if state == "off":
                return OFF
            reply = self._drawn(digest_id)
            if reply is None:
                return NOT_REDRAWN
            return None if _chat_update(client, digest_id, channel, ts, reply) else NOT_REDRAWN

    def withdraw_where_refused(self, client: WebClient, team_id: str, channel: str) -> int:
        """After a `channel_shared` or `member_joined_channel` event: if the channel may no
        longer be shown partner data, withdraw each digest still showing partners there
        (`withdraw_channel`). The event noted the channel in its own transaction
        (`withdrawals.note_if_showing`): done, or the channel found fit, that note goes; when
        Slack refused, it stays (or is made now) for the delivery job to make the withdrawal
        again (`scheduler.withdrawals`). The number withdrawn."""
        with self.db.reading() as session:
            noted = withdrawal_mark(session, team_id, channel)
        outcome = self.withdraw_channel(client, team_id, channel)
        workspace_id = outcome.workspace_id or (noted[0] if noted else None)
        if workspace_id is None:
            return outcome.withdrawn  # nothing was noted and nothing shows partners
        mark = noted[1] if noted else None
        refused = outcome.refused
        now = self.clock.now()
        with self.db.transaction() as session:
            if refused is None or refused.final:
                if mark is not None:
                    finish_withdrawal(session, workspace_id, channel, mark)
            else:
                wait = _wait_after(refused)
                log.warning(
                    "digest withdrawal in workspace %s refused (%s); made again after %s",
                    workspace_id,
                    refused.error,
                    wait,
                )
                counted = 0 if refused.retry_after else 1
                kept = mark is not None and refused_again(
                    session, workspace_id, channel, mark, now + wait, refused.error, counted
                )
                if not kept:
                    note_withdrawal(session, workspace_id, channel, now, now + wait, refused.error)
        if refused is not None and refused.final:
            self.ended(client, workspace_id, channel, refused.error)
        return outcome.withdrawn

    def ended(self, client: WebClient, workspace_id: int, channel: str, error: str) -> None:
        """No retry will withdraw the channel's digests (`error`: Slack's word for the last
        refusal): logged for the operator, and the subscriber is told by DM, in their
        language, what that means and what to do, unless the app's token is what failed
        (then no DM can go either). A DM Slack refuses is logged, never raised."""
        log_ended(workspace_id, channel, error)
        if error in TOKEN_BROKEN:
            return
        with self.db.reading() as session:
            subscription = subscription_of(session, workspace_id, channel)
            subscriber = None if subscription is None else subscriber_of(session, subscription)
            if subscriber is None or not subscriber.active:
                return
            user, reader = subscriber.slack_user_id, reader_of(subscriber)
        dm = withdrawal_ended_notice(reader, channel, error)
        try:
            client.chat_postMessage(
                channel=user, text=dm.text, blocks=[block.to_dict() for block in dm.blocks]
            )
        except DELIVERY_ERRORS as error_sent:
            log.warning(
                "could not tell the subscriber that a digest withdrawal ended: "
                "chat.postMessage: %s",
                failure_code(error_sent),
            )

    def withdraw_channel(self, client: WebClient, team_id: str, channel: str) -> Outcome:
        """If the channel may no longer be shown partner data (shared with another
        organisation, or a guest is in it: `channel_verdict`, asked afresh), replace each
        digest still showing partners there by its one line saying why, and keep no `shown`
        for it (it is withdrawn once; a press on an old menu is refused as a digest that lists
        nothing). Nothing is asked of Slack for a channel with no digest showing partners; a
        channel that may still read them keeps them as they are. Digests are read
        `WITHDRAWN_AT_MOST` at a time, newest first, until none shows partners or Slack
        refuses one (its refusal is in the outcome; the rest waits for the next try)."""
        with self.db.reading() as session:
            showing = posted_showing(session, team_id, channel, WITHDRAWN_AT_MOST)
        if not showing:
            return Outcome()
        workspace_id, suspended = showing[0].workspace_id, showing[0].suspended
        why: str | None = SHARED
        if not suspended:
            try:
                verdict = channel_verdict(self.db, client, self.directory, workspace_id, channel)
            except LookupFailed as failed:
                return Outcome(refused=refusal_of_lookup(failed), workspace_id=workspace_id)
            if verdict.gone:
                final = Refusal(verdict.error or CHANNEL_NOT_FOUND, final=True)
                return Outcome(refused=final, workspace_id=workspace_id)
            why = _why_refused(verdict)
        if why not in (SHARED, GUEST):
            return Outcome(workspace_id=workspace_id)
        withdrawn = 0
        while showing:
            refused: Refusal | None = None
            for digest in showing:
                done = self._withdraw_one(client, digest, channel, why)
                if isinstance(done, Refusal):
                    refused = refused or done
                    if done.final or done.retry_after:
                        break  # the rest would be refused alike
                else:
                    withdrawn += done
            if refused is not None:
                return Outcome(withdrawn, refused, workspace_id)
            with self.db.reading() as session:
                showing = posted_showing(session, team_id, channel, WITHDRAWN_AT_MOST)
        log.info("withdrew %d digest(s) from a channel now %s", withdrawn, why)
        return Outcome(withdrawn, None, workspace_id)

    def _withdraw_one(
        self, client: WebClient, digest: ShowingDigest, channel: str, why: str
    ) -> bool | Refusal:
        """Withdraw the digest under its lock, unless another event's withdrawal (several
        joins at once) went first: True when this one did, False when another did, the
        refusal when Slack refused."""
        reader = channel_reader(digest.language, digest.tz)
        with _lock_for(digest.id):
            if not self._still_showing(digest.id):
                return False
            line = withdrawn_digest(reader, why == SHARED)
            refused = self._withdraw(client, digest.id, channel, digest.ts, line)
            return True if refused is None else refused

    def _still_showing(self, digest_id: str) -> bool:
        """Whether the digest still keeps the partners it shows (not withdrawn meanwhile)."""
        with self.db.reading() as session:
            digest = session.get(Digest, digest_id)
            return digest is not None and digest.shown is not None

    def _withdraw(
        self, client: WebClient, digest_id: str, channel: str, ts: str, line: Reply
    ) -> Refusal | None:
        """Replace the digest's message by its withdrawn `line` and, once Slack took it (or
        said the message is gone: it shows nobody anything), keep no `shown`: a withdrawn
        digest stays withdrawn, whichever path withdrew it (an old menu pressed after the guest
        left again would otherwise draw its partners back into the message). The caller holds
        the digest's lock. Slack's refusal, or None."""
        failed = _update_message(client, digest_id, channel, ts, line)
        if failed is not None and failure_code(failed) not in MESSAGE_GONE:
            return refusal_of(failed)
        with self.db.transaction() as session:
            forget_shown(session, digest_id)
        return None

    def _channel_refuses(self, client: WebClient, workspace_id: int, channel: str) -> str | None:
        """Why the channel may not be shown partner data now (as a post checks), or None."""
        try:
            verdict = channel_verdict(self.db, client, self.directory, workspace_id, channel)
        except LookupFailed as failed:
            log.warning("digest redraw: channel not looked up: %s", failed.error)
            return NOT_REDRAWN
        if verdict.gone:
            return NOT_REDRAWN
        return _why_refused(verdict)

    def _keep(self, workspace_id: int, channel: str, refused: Refusal) -> None:
        """Keep a withdrawal Slack refused for the delivery job to make again."""
        now = self.clock.now()
        with self.db.transaction() as session:
            when = now + _wait_after(refused)
            note_withdrawal(session, workspace_id, channel, now, when, refused.error)

    def _drawn(self, digest_id: str) -> Reply | None:
        """The digest as it now reads, the same partners as posted; what it shows is kept as
        its `shown`, so that the next redraw draws the same partners again."""
        with self.db.transaction() as session:
            digest = session.get(Digest, digest_id)
            if digest is None:
                return None
            subscription = session.get(DigestSubscription, digest.subscription_id)
            shown = shown_from_json(digest.shown)
            if subscription is None or shown is None:
                return None
            now = self.clock.now()
            message = render_digest(session, subscription, [], now, shown, digest_id=digest.id)
            digest.shown = shown_to_json(message)
            return message.reply


def _posted(session: Session, member: Member, found: tuple[str, str, int] | None) -> Digest | None:
    """The digest the value names, if it is a posted one of the presser's workspace that listed
    the partner the value names."""
    if found is None:
        return None
    _, digest_id, partner_id = found
    digest = session.get(Digest, digest_id)
    if digest is None or digest.workspace_id != member.workspace_id:
        return None
    shown = shown_from_json(digest.shown)
    if digest.state != "sent" or digest.ts is None or shown is None:
        return None
    return digest if partner_id in shown.partner_ids else None


# A partner in these states is owed a check-in: Log contact offers one, as a nudge's does.
CHECK_IN_OWED = frozenset({Health.CHECK_IN_OVERDUE, Health.NEGLECTED})


def _log_form(
    session: Session, member: Member, reader: Reader, partner: Partner, now: datetime
) -> ContactForm:
    """The contact form about the partner, its kind a check-in when one is overdue or the
    partner is neglected (the health the digest showed, read again now)."""
    form = prefilled_form(member, partner, now)
    row = health_row(session, member.workspace_id, partner.id, reader, now)
    if row is not None and CHECK_IN_OWED & set(health_of(row, reader, now)):
        return replace(form, kind="check-in")
    return form


def _reach_out(
    session: Session,
    member: Member,
    reader: Reader,
    digest: Digest,
    partner: Partner,
    now: datetime,
) -> Pressed:
    """A claim, unless someone else is on it (said first: it is what the presser needs to
    know, even about their own partner) or the partner is the presser's own."""
    label = escape(partner_label(partner.name, partner.organisation))
    owner = partner.owner
    owned = looks_after(owner)
    held = live_claim(session, member.workspace_id, partner.id, now)
    if held is not None and held.member_id != member.id:
        day = reader.day(reader.local(held.until).date())
        user = claimer_name(reader, held.name)
        said = reader.t("digest.claim.taken", user=user, partner=label, day=day)
        return Pressed(notice(said), reader)
    if owned and partner.owner_id == member.id:
        return Pressed(notice(reader.t("digest.claim.own", partner=label)), reader)
    row = claim(session, member.workspace_id, partner.id, member.id, digest.id, now)
    day = reader.day(reader.local(row.until).date())
    if owned and owner is not None:
        name = escape(owner.name) if owner.name else reader.t("digest.message.no_name")
        said = reader.t("digest.claim.done", days=CLAIM_DAYS, partner=label, owner=name, day=day)
    else:
        said = reader.t("digest.claim.done_unowned", days=CLAIM_DAYS, partner=label, day=day)
    # The claimer's Home lists their claims ("I'm on it"): drawn again, as after a take-over.
    return Pressed(notice(said), reader, digest.id, home_changed=True)


def claimer_name(reader: Reader, name: str | None) -> str:
    """ "@Bob Miller" as plain, escaped text: a claimer is named, never mentioned (a mention
    in a channel message pings them, at night too)."""
    return "@" + escape(name) if name else reader.t("digest.message.no_name")


def _chat_update(client: WebClient, digest_id: str, channel: str, ts: str, reply: Reply) -> bool:
    """`chat.update` of the digest's message, keeping its metadata; False, and one log line
    without partner names, when Slack refuses (rate limited, message deleted)."""
    return _update_message(client, digest_id, channel, ts, reply) is None


def _update_message(
    client: WebClient, digest_id: str, channel: str, ts: str, reply: Reply
) -> BaseException | None:
    """`chat.update` as `_chat_update` makes it; Slack's refusal (or the timeout), or None."""
    try:
        client.chat_update(
            channel=channel,
            ts=ts,
            text=reply.text,
            blocks=[block.to_dict() for block in reply.blocks],
            metadata={"event_type": DIGEST_EVENT, "event_payload": {"digest": digest_id}},
        )
    except DELIVERY_ERRORS as error:
        log.warning("could not redraw digest %s: chat.update: %s", digest_id, failure_code(error))
        return error
    return None


def _why_refused(verdict: Verdict) -> str | None:
    """Why a channel Slack described may not be shown partner data, or None when it may."""
    if verdict.members is not None:
        return None
    if verdict.shared:
        return SHARED
    return GUEST  # a guest, or members too many to list (a guest not ruled out)


def _wait_after(refused: Refusal) -> timedelta:
    """The wait before a refused withdrawal is made again: what a 429 asked, else the first
    retry's wait."""
    if refused.retry_after:
        return timedelta(seconds=refused.retry_after)
    return RETRY_FIRST


def log_ended(workspace_id: int, channel: str, error: str) -> None:
    """A withdrawal no retry can make (the channel gone or archived, the app removed from it,
    its token revoked, or Slack refusing too long): one line for the operator, no partner."""
    log.error(
        "digest withdrawal in workspace %s, channel %s, given up (%s): its digests stay as "
        "posted until Rapport can reach the channel again",
        workspace_id,
        channel,
        error,
    )


def told_after_redraw(reply: Reply, reader: Reader, why: str | None) -> Reply:
    """The answer to the presser once the redraw was tried: as it was, or with a line saying
    the digest was not redrawn and why (what was saved stays saved)."""
    if why is None:
        return reply
    line = reader.t(f"digest.redraw.{why}")
    return replace(
        reply, text=f"{reply.text}\n{line}", blocks=[*reply.blocks, *notice(line).blocks]
    )
